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
	"github.com/openeni/terraform-provider-eni/internal/domain"
	"github.com/openeni/terraform-provider-eni/internal/service/eni"
)

// Environment variables, first match wins.
var (
	envRegion        = []string{"ALIBABA_CLOUD_REGION_ID", "ALICLOUD_REGION"}
	envAccessKey     = []string{"ALIBABA_CLOUD_ACCESS_KEY_ID", "ALICLOUD_ACCESS_KEY"}
	envSecretKey     = []string{"ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ALICLOUD_SECRET_KEY"}
	envSecurityToken = []string{"ALIBABA_CLOUD_SECURITY_TOKEN", "ALICLOUD_SECURITY_TOKEN"}
	envProfile       = []string{"ALIBABA_CLOUD_PROFILE", "ALICLOUD_PROFILE"}
	envECSEndpoint   = []string{"ENI_ECS_ENDPOINT"}
	envVPCEndpoint   = []string{"ENI_VPC_ENDPOINT"}
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
		"max_retries": client.MaxRetries(), "profile": cfg.Profile, "coalesce_reads": !cfg.SingleReads,
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
		m.CoalesceReads.IsUnknown()
	if m.Endpoints != nil {
		unknown = unknown || m.Endpoints.ECS.IsUnknown() || m.Endpoints.VPC.IsUnknown()
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
		MaxRetries: int(m.MaxRetries.ValueInt64()),
	}
	if !m.MaxRetries.IsNull() && m.MaxRetries.ValueInt64() == 0 {
		cfg.MaxRetries = -1 // explicit 0: no retries (cloud.Config treats 0 as the default)
	}
	switch {
	case cfg.Region == "":
		diags.AddAttributeError(path.Root("region"), "Missing region",
			"Set `region` in the provider block, or the ALIBABA_CLOUD_REGION_ID environment variable, "+
				"for example to \"cn-hangzhou\".")
	case !domain.KnownRegion(cfg.Region):
		diags.AddAttributeError(path.Root("region"), "Unknown region",
			"The region \""+cfg.Region+"\" is not an Alibaba Cloud region. Use one of: "+strings.Join(domain.Regions(), ", ")+".")
	}

	// Keys come as a pair, from the block or from the environment, never
	// half from each: a half-given pair is a mistake worth reporting.
	ak, sk := m.AccessKey.ValueString(), m.SecretKey.ValueString()
	switch {
	case ak != "" && sk == "":
		diags.AddAttributeError(path.Root("secret_key"), "Missing secret_key",
			"`access_key` is set but `secret_key` is not. Set both in the provider block, or neither and use "+
				"ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET.")
	case ak == "" && sk != "":
		diags.AddAttributeError(path.Root("access_key"), "Missing access_key",
			"`secret_key` is set but `access_key` is not. Set both in the provider block.")
	case ak == "" && sk == "":
		ak, sk = pick("", envAccessKey), pick("", envSecretKey)
		if (ak == "") != (sk == "") {
			diags.AddAttributeError(path.Root("access_key"), "Incomplete credentials in the environment",
				"Only one of ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET is set. Set both, or neither.")
		}
	}
	cfg.AccessKey, cfg.SecretKey = ak, sk
	cfg.SecurityToken = pick(m.SecurityToken.ValueString(), envSecurityToken)
	cfg.Profile = pick(m.Profile.ValueString(), envProfile)
	if cfg.AccessKey == "" && cfg.Profile == "" && !diags.HasError() {
		diags.AddAttributeError(path.Root("access_key"), "Missing credentials",
			"No credentials were found. Set `access_key` and `secret_key` in the provider block, or the "+
				"ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET environment variables, or `profile` "+
				"to use a profile of the Alibaba Cloud CLI.")
	}
	if cfg.SecurityToken != "" && cfg.AccessKey == "" && cfg.Profile == "" {
		diags.AddAttributeError(path.Root("security_token"), "security_token without keys",
			"An STS `security_token` is used together with the temporary `access_key` and `secret_key` it was issued with.")
	}

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
