// Package provider is the eni provider's configuration: its schema, how
// settings, environment variables and profiles combine into credentials,
// and the one cloud.Client handed to every resource.
package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/openeni/terraform-provider-eni/internal/service/eni"
)

var _ provider.Provider = (*eniProvider)(nil)

type eniProvider struct {
	version string
}

// New returns the provider factory for a release version.
func New(version string) func() provider.Provider {
	return func() provider.Provider { return &eniProvider{version: version} }
}

// providerModel is the provider block.
type providerModel struct {
	Region        types.String    `tfsdk:"region"`
	AccessKey     types.String    `tfsdk:"access_key"`
	SecretKey     types.String    `tfsdk:"secret_key"`
	SecurityToken types.String    `tfsdk:"security_token"`
	Profile       types.String    `tfsdk:"profile"`
	MaxRetries    types.Int64     `tfsdk:"max_retries"`
	CoalesceReads types.Bool      `tfsdk:"coalesce_reads"`
	Endpoints     *endpointsModel `tfsdk:"endpoints"`
	// Tag settings, read by tagConfig (provider_tags.go).
	DefaultTags *defaultTagsModel `tfsdk:"default_tags"`
	IgnoreTags  *ignoreTagsModel  `tfsdk:"ignore_tags"`
}

type endpointsModel struct {
	ECS types.String `tfsdk:"ecs"`
	VPC types.String `tfsdk:"vpc"`
}

func (p *eniProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "eni"
	resp.Version = p.version
}

func (p *eniProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	notEmpty := []validator.String{stringvalidator.LengthAtLeast(1)}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Manages Alibaba Cloud elastic network interfaces (ENIs), their secondary private IPs and " +
			"their EIP bindings, and checks network designs at `terraform plan`.",
		Attributes: map[string]schema.Attribute{
			"region": schema.StringAttribute{
				Optional:   true,
				Validators: notEmpty,
				MarkdownDescription: "Region of every resource, such as `cn-hangzhou`. Falls back to the " +
					"`ALIBABA_CLOUD_REGION_ID` or `ALICLOUD_REGION` environment variable.",
			},
			"access_key": schema.StringAttribute{
				Optional:   true,
				Validators: notEmpty,
				MarkdownDescription: "AccessKey ID. Falls back to `ALIBABA_CLOUD_ACCESS_KEY_ID` or `ALICLOUD_ACCESS_KEY`, " +
					"then to `profile`. Set together with `secret_key`.",
			},
			"secret_key": schema.StringAttribute{
				Optional:   true,
				Sensitive:  true,
				Validators: notEmpty,
				MarkdownDescription: "AccessKey secret. Falls back to `ALIBABA_CLOUD_ACCESS_KEY_SECRET` or " +
					"`ALICLOUD_SECRET_KEY`. Never logged.",
			},
			"security_token": schema.StringAttribute{
				Optional:   true,
				Sensitive:  true,
				Validators: notEmpty,
				MarkdownDescription: "STS security token for temporary credentials. Falls back to " +
					"`ALIBABA_CLOUD_SECURITY_TOKEN` or `ALICLOUD_SECURITY_TOKEN`. Never logged.",
			},
			"profile": schema.StringAttribute{
				Optional:   true,
				Validators: notEmpty,
				MarkdownDescription: "Profile of the Alibaba Cloud CLI configuration (`~/.aliyun/config.json`) to take " +
					"credentials from when no keys are given. Falls back to `ALIBABA_CLOUD_PROFILE` or `ALICLOUD_PROFILE`.",
			},
			"max_retries": schema.Int64Attribute{
				Optional:   true,
				Validators: []validator.Int64{int64validator.Between(0, 100)},
				MarkdownDescription: "How many times one API call is retried after throttling, a server error or an " +
					"operation conflict, with exponential backoff and jitter. Defaults to `8`. Retries also stop " +
					"at the resource's timeout.",
			},
			"coalesce_reads": schema.BoolAttribute{
				Optional: true,
				MarkdownDescription: "Whether reads of network interfaces, instances and EIPs by ID that happen at the " +
					"same time (the refreshes of a plan, the waiters of an apply) share one batched API call of up to " +
					"100 IDs (50 for EIPs), gathered for a few milliseconds. A read never sees a state older than its " +
					"own start, and an error for one ID is that ID's alone. Defaults to `true`; falls back to the " +
					"`ENI_COALESCE_READS` environment variable (`false` or `0` turns it off: every read is a call of " +
					"its own).",
			},
		},
		Blocks: map[string]schema.Block{
			"default_tags": defaultTagsBlock(),
			"ignore_tags":  ignoreTagsBlock(),
			"endpoints": schema.SingleNestedBlock{
				MarkdownDescription: "Custom API endpoints, for example the `eni-mockcloud` emulator. Each is a URL " +
					"(`http://127.0.0.1:8686`) or a host name (HTTPS).",
				Attributes: map[string]schema.Attribute{
					"ecs": schema.StringAttribute{
						Optional:            true,
						Validators:          notEmpty,
						MarkdownDescription: "ECS API endpoint. Falls back to `ENI_ECS_ENDPOINT`.",
					},
					"vpc": schema.StringAttribute{
						Optional:            true,
						Validators:          notEmpty,
						MarkdownDescription: "VPC API endpoint. Falls back to `ENI_VPC_ENDPOINT`.",
					},
				},
			},
		},
	}
}

func (p *eniProvider) Resources(context.Context) []func() resource.Resource {
	return eni.Resources()
}

func (p *eniProvider) DataSources(context.Context) []func() datasource.DataSource {
	return eni.DataSources()
}
