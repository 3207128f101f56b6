package provider

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/openeni/terraform-provider-eni/internal/cloud"
	"github.com/openeni/terraform-provider-eni/internal/service/eni"
)

// Environment variables, first match wins (credentials.go has those of
// the credential chain).
var (
	envRegion        = []string{"ALIBABA_CLOUD_REGION_ID", "ALICLOUD_REGION"}
	envECSEndpoint   = []string{"ENI_ECS_ENDPOINT"}
	envVPCEndpoint   = []string{"ENI_VPC_ENDPOINT"}
	envMaxRetries    = []string{"ALIBABA_CLOUD_MAX_RETRIES", "ENI_MAX_RETRIES"}
	envCoalesceReads = "ENI_COALESCE_READS"
)

func (p *eniProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var m providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if unknownSettings(m) || unknownTagSettings(m.DefaultTags, m.IgnoreTags) {
		// A setting computed from another resource: Terraform configures
		// the provider again once it is known.
		return
	}
	cfg, diags := resolveConfig(m, os.Getenv)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	cfg.UserAgent = "terraform-provider-eni/" + p.version
	client, err := cloud.New(cfg)
	if err != nil {
		resp.Diagnostics.AddError("Configuring the eni provider", err.Error())
		return
	}
	ctx = client.LogContext(ctx)
	tflog.Debug(ctx, "configured eni provider", map[string]any{
		"region": cfg.Region, "ecs_endpoint": cfg.ECSEndpoint, "vpc_endpoint": cfg.VPCEndpoint,
		"max_retries": client.MaxRetries(), "credentials": client.CredentialSource(), "coalesce_reads": !cfg.SingleReads,
	})
	meta := eni.NewMeta(client)
	meta.Tags, diags = tagConfig(ctx, m.DefaultTags, m.IgnoreTags)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.ResourceData = meta
	resp.DataSourceData = meta
}

func unknownSettings(m providerModel) bool {
	unknown := m.Region.IsUnknown() || m.AccessKey.IsUnknown() || m.SecretKey.IsUnknown() ||
		m.SecurityToken.IsUnknown() || m.Profile.IsUnknown() || m.MaxRetries.IsUnknown() ||
		m.CoalesceReads.IsUnknown() || m.SharedCredentialsFile.IsUnknown() || m.ECSRoleName.IsUnknown() ||
		m.CredentialsURI.IsUnknown() || m.SkipRegionValidation.IsUnknown()
	if m.Endpoints != nil {
		unknown = unknown || m.Endpoints.ECS.IsUnknown() || m.Endpoints.VPC.IsUnknown() ||
			m.Endpoints.STS.IsUnknown() || m.Endpoints.ECSMetadata.IsUnknown()
	}
	if a := m.AssumeRole; a != nil {
		unknown = unknown || a.RoleARN.IsUnknown() || a.SessionName.IsUnknown() || a.SessionExpiration.IsUnknown() ||
			a.Policy.IsUnknown() || a.ExternalID.IsUnknown()
	}
	return unknown
}

// resolveConfig combines the provider block with the environment. Every
// problem names the setting and how to fix it.
func resolveConfig(m providerModel, getenv func(string) string) (cloud.Config, diag.Diagnostics) {
	var diags diag.Diagnostics
	pick := func(v string, names []string) string {
		if v != "" {
			return v
		}
		for _, n := range names {
			if e := strings.TrimSpace(getenv(n)); e != "" {
				return e
			}
		}
		return ""
	}
	cfg := cloud.Config{
		Region:     pick(m.Region.ValueString(), envRegion),
		WalkScoped: true, // Terraform configures the provider once per walk
	}
	diags.Append(resolveMaxRetries(m.MaxRetries, pick, &cfg)...)
	diags.Append(checkRegion(cfg.Region, m.SkipRegionValidation.ValueBool())...)
	diags.Append(resolveCredentials(m, getenv, pick, &cfg)...)

	coalesce, err := coalesceReads(m.CoalesceReads, getenv)
	if err != nil {
		diags.AddAttributeError(path.Root("coalesce_reads"), "Malformed "+envCoalesceReads,
			envCoalesceReads+" is "+err.Error()+". Use true or false (1 or 0), or set `coalesce_reads` in the provider block.")
	}
	cfg.SingleReads = !coalesce

	var ecsEP, vpcEP string
	if m.Endpoints != nil {
		ecsEP, vpcEP = m.Endpoints.ECS.ValueString(), m.Endpoints.VPC.ValueString()
	}
	cfg.ECSEndpoint = pick(ecsEP, envECSEndpoint)
	cfg.VPCEndpoint = pick(vpcEP, envVPCEndpoint)
	for _, ep := range []struct{ name, value string }{{"ecs", cfg.ECSEndpoint}, {"vpc", cfg.VPCEndpoint}} {
		if err := cloud.CheckEndpoint(ep.value); err != nil {
			diags.AddAttributeError(path.Root("endpoints").AtName(ep.name), "Malformed endpoint",
				"endpoints."+ep.name+" (or ENI_"+strings.ToUpper(ep.name)+"_ENDPOINT) is not usable: "+err.Error()+
					". Use a URL such as \"http://127.0.0.1:8686\" or a host name such as \"ecs.cn-hangzhou.aliyuncs.com\".")
		}
	}
	return cfg, diags
}

// coalesceReads is the coalesce_reads setting: the block's value, else
// ENI_COALESCE_READS, else true.
func coalesceReads(v types.Bool, getenv func(string) string) (bool, error) {
	if !v.IsNull() {
		return v.ValueBool(), nil
	}
	e := strings.TrimSpace(getenv(envCoalesceReads))
	if e == "" {
		return true, nil
	}
	on, err := strconv.ParseBool(e)
	if err != nil {
		return true, fmt.Errorf("%q, not a boolean", e)
	}
	return on, nil
}
