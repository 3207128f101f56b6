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

	SharedCredentialsFile types.String     `tfsdk:"shared_credentials_file"`
	ECSRoleName           types.String     `tfsdk:"ecs_role_name"`
	CredentialsURI        types.String     `tfsdk:"credentials_uri"`
	AssumeRole            *assumeRoleModel `tfsdk:"assume_role"`
	SkipRegionValidation  types.Bool       `tfsdk:"skip_region_validation"`
	// Tag settings, read by tagConfig (provider_tags.go).
	DefaultTags *defaultTagsModel `tfsdk:"default_tags"`
	IgnoreTags  *ignoreTagsModel  `tfsdk:"ignore_tags"`
}

type endpointsModel struct {
	ECS         types.String `tfsdk:"ecs"`
	VPC         types.String `tfsdk:"vpc"`
	STS         types.String `tfsdk:"sts"`
	ECSMetadata types.String `tfsdk:"ecs_metadata"`
}

type assumeRoleModel struct {
	RoleARN           types.String `tfsdk:"role_arn"`
	SessionName       types.String `tfsdk:"session_name"`
	SessionExpiration types.Int64  `tfsdk:"session_expiration"`
	Policy            types.String `tfsdk:"policy"`
	ExternalID        types.String `tfsdk:"external_id"`
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
					"`ALIBABA_CLOUD_REGION_ID` or `ALICLOUD_REGION` environment variable. A region the provider " +
					"does not know yet (a new or finance-cloud region such as `cn-shanghai-finance-1`) is used " +
					"with a warning; see `skip_region_validation`.",
			},
			"access_key": schema.StringAttribute{
				Optional:   true,
				Validators: notEmpty,
				MarkdownDescription: "AccessKey ID. Falls back to `ALIBABA_CLOUD_ACCESS_KEY_ID` or `ALICLOUD_ACCESS_KEY`, " +
					"then to the rest of the credential chain (OIDC role, `profile`, `ecs_role_name`, `credentials_uri`). " +
					"Set together with `secret_key`.",
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
					"credentials from, in any mode the CLI writes (`AK`, `StsToken`, `RamRoleArn`, `ChainableRamRoleArn`, " +
					"`EcsRamRole`, `OIDC`, `External`, `CloudSSO`, `OAuth`). Falls back to `ALIBABA_CLOUD_PROFILE` or " +
					"`ALICLOUD_PROFILE`; without either, the CLI's current profile is used when its configuration file " +
					"exists. See the credential chain above for the order of sources.",
			},
			"shared_credentials_file": schema.StringAttribute{
				Optional:   true,
				Validators: notEmpty,
				MarkdownDescription: "Path of the Alibaba Cloud CLI configuration file `profile` is read from. Defaults to " +
					"`~/.aliyun/config.json`; falls back to `ALIBABA_CLOUD_CONFIG_FILE`.",
			},
			"ecs_role_name": schema.StringAttribute{
				Optional:   true,
				Validators: notEmpty,
				MarkdownDescription: "RAM role attached to the ECS instance Terraform runs on: its temporary keys come " +
					"from the instance metadata service and are renewed before they expire. Falls back to " +
					"`ALIBABA_CLOUD_ECS_METADATA` or `ALICLOUD_ECS_ROLE_NAME`.",
			},
			"credentials_uri": schema.StringAttribute{
				Optional:   true,
				Validators: notEmpty,
				MarkdownDescription: "URL that answers with temporary keys (`AccessKeyId`, `AccessKeySecret`, " +
					"`SecurityToken`, `Expiration`), such as a credentials sidecar. Falls back to " +
					"`ALIBABA_CLOUD_CREDENTIALS_URI`.",
			},
			"skip_region_validation": schema.BoolAttribute{
				Optional: true,
				MarkdownDescription: "Whether to use a `region` missing from the provider's list of known regions " +
					"without a warning. Defaults to `false`. An unknown region is never refused: the API is the judge.",
			},
			"max_retries": schema.Int64Attribute{
				Optional:   true,
				Validators: []validator.Int64{int64validator.Between(0, 100)},
				MarkdownDescription: "How many times one API call is retried after throttling, a server error or an " +
					"operation conflict, with exponential backoff and jitter. Defaults to `8`; falls back to " +
					"`ALIBABA_CLOUD_MAX_RETRIES` or `ENI_MAX_RETRIES`. Retries also stop at the resource's timeout. " +
					"Errors that cannot go away are never retried: an unknown host, a TLS or scheme mismatch, a " +
					"refused signature or access key. An endpoint that refuses connections is tried a few times, " +
					"then every later call of the same Terraform run fails at once.",
			},
			"coalesce_reads": schema.BoolAttribute{
				Optional: true,
				MarkdownDescription: "Whether the provider saves API calls when it reads network interfaces, instances " +
					"and EIPs. Reads that happen at the same time (the refreshes of a plan, the waiters of an apply) " +
					"share one batched call of up to 100 IDs (50 for EIPs), gathered for a few milliseconds; waiters " +
					"share their polls. Within one Terraform run, an object already read is served again while no " +
					"change of the provider's can have made it stale (a minute at most), and once many objects of a " +
					"VPC have been read, the VPC is listed a page at a time. An error for one ID is that ID's alone. " +
					"Defaults to `true`; falls back to the `ENI_COALESCE_READS` environment variable (`false` or `0` " +
					"turns it off: every read is a call of its own).",
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
					"sts": schema.StringAttribute{
						Optional:   true,
						Validators: notEmpty,
						MarkdownDescription: "STS endpoint for `assume_role` and OIDC roles: a host name or an `https://` " +
							"URL (the SDK calls STS over HTTPS only). Defaults to `sts.aliyuncs.com`, or " +
							"`sts.<ALIBABA_CLOUD_STS_REGION>.aliyuncs.com`; falls back to `ENI_STS_ENDPOINT`.",
					},
					"ecs_metadata": schema.StringAttribute{
						Optional:   true,
						Validators: notEmpty,
						MarkdownDescription: "An `http://` URL through which the requests to the ECS metadata service " +
							"(`http://100.100.100.200`) for `ecs_role_name` are sent, as through an HTTP proxy; " +
							"`eni-mockcloud` answers them. Falls back to `ENI_ECS_METADATA_ENDPOINT`. Leave it unset on ECS.",
					},
				},
			},
			"assume_role": schema.SingleNestedBlock{
				MarkdownDescription: "A RAM role to assume (STS `AssumeRole`) with the credentials the rest of the chain " +
					"found. Its temporary keys are renewed before they expire, however long the run.",
				Attributes: map[string]schema.Attribute{
					"role_arn": schema.StringAttribute{
						Optional:   true,
						Validators: []validator.String{stringvalidator.RegexMatches(roleARNPattern, "must look like acs:ram::<account ID>:role/<role name>")},
						MarkdownDescription: "ARN of the role, `acs:ram::<account ID>:role/<role name>`. Required in the block; " +
							"without the block, falls back to `ALICLOUD_ASSUME_ROLE_ARN`.",
					},
					"session_name": schema.StringAttribute{
						Optional:   true,
						Validators: []validator.String{stringvalidator.RegexMatches(sessionNamePattern, "must be 2 to 64 letters, digits or the characters . @ - _")},
						MarkdownDescription: "Name of the session, shown in ActionTrail. Defaults to `terraform-provider-eni`; " +
							"falls back to `ALICLOUD_ASSUME_ROLE_SESSION_NAME`.",
					},
					"session_expiration": schema.Int64Attribute{
						Optional:            true,
						Validators:          []validator.Int64{int64validator.Between(900, 43200)},
						MarkdownDescription: "Lifetime of the temporary keys in seconds, 900 to 43200 (and at most the role's maximum session duration). Defaults to `3600`.",
					},
					"policy": schema.StringAttribute{
						Optional:            true,
						Validators:          []validator.String{stringvalidator.LengthBetween(1, 2048)},
						MarkdownDescription: "A policy document (JSON) that narrows the role's permissions for this session.",
					},
					"external_id": schema.StringAttribute{
						Optional:            true,
						Validators:          []validator.String{stringvalidator.LengthBetween(2, 1224)},
						MarkdownDescription: "External ID the role's trust policy requires, to prevent the confused deputy problem.",
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
