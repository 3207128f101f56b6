package provider

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/openeni/terraform-provider-eni/internal/cloud"
)

// Environment variables of the credential chain, first name wins. The
// ALIBABA_CLOUD_* names are those of Alibaba's SDKs and CLI, the
// ALICLOUD_* names those of the official alicloud provider.
var (
	envAccessKey      = []string{"ALIBABA_CLOUD_ACCESS_KEY_ID", "ALICLOUD_ACCESS_KEY"}
	envSecretKey      = []string{"ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ALICLOUD_SECRET_KEY"}
	envSecurityToken  = []string{"ALIBABA_CLOUD_SECURITY_TOKEN", "ALICLOUD_SECURITY_TOKEN"}
	envProfile        = []string{"ALIBABA_CLOUD_PROFILE", "ALICLOUD_PROFILE"}
	envProfileFile    = []string{"ALIBABA_CLOUD_CONFIG_FILE"}
	envECSRoleName    = []string{"ALIBABA_CLOUD_ECS_METADATA", "ALICLOUD_ECS_ROLE_NAME"}
	envCredentialsURI = []string{"ALIBABA_CLOUD_CREDENTIALS_URI"}
	envAssumeRoleARN  = []string{"ALICLOUD_ASSUME_ROLE_ARN"}
	envAssumeSession  = []string{"ALICLOUD_ASSUME_ROLE_SESSION_NAME"}
	envSTSEndpoint    = []string{"ENI_STS_ENDPOINT"}
	envMetadataEP     = []string{"ENI_ECS_METADATA_ENDPOINT"}

	// The OIDC role (RRSA): all three, or none.
	envOIDCRoleARN     = "ALIBABA_CLOUD_ROLE_ARN"
	envOIDCProviderARN = "ALIBABA_CLOUD_OIDC_PROVIDER_ARN"
	envOIDCTokenFile   = "ALIBABA_CLOUD_OIDC_TOKEN_FILE"
	envRoleSessionName = "ALIBABA_CLOUD_ROLE_SESSION_NAME"
)

var (
	roleARNPattern     = regexp.MustCompile(`^acs:ram::[0-9]+:role/[A-Za-z0-9.@_-]{1,64}$`)
	sessionNamePattern = regexp.MustCompile(`^[A-Za-z0-9.@_-]{2,64}$`)
)

// lookup is a setting from the block, else from the first environment
// variable set.
type lookup func(block string, names []string) string

// resolveCredentials fills the credential settings of cfg in the order of
// the chain (cloud/credentials.go): keys from the block, keys from the
// environment, the OIDC role, the CLI profile, the ECS RAM role, the
// credentials URI; then the assumed role.
func resolveCredentials(m providerModel, getenv func(string) string, pick lookup, cfg *cloud.Config) diag.Diagnostics {
	var diags diag.Diagnostics
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
	if cfg.SecurityToken != "" && cfg.AccessKey == "" && !diags.HasError() {
		diags.AddAttributeError(path.Root("security_token"), "security_token without keys",
			"An STS `security_token` is used together with the temporary `access_key` and `secret_key` it was issued with.")
	}

	oidc := map[string]string{}
	for _, n := range []string{envOIDCRoleARN, envOIDCProviderARN, envOIDCTokenFile} {
		if v := strings.TrimSpace(getenv(n)); v != "" {
			oidc[n] = v
		}
	}
	switch len(oidc) {
	case 3:
		cfg.OIDC = &cloud.OIDCRole{RoleARN: oidc[envOIDCRoleARN], ProviderARN: oidc[envOIDCProviderARN],
			TokenFile: oidc[envOIDCTokenFile], SessionName: strings.TrimSpace(getenv(envRoleSessionName))}
	case 1, 2:
		if oidc[envOIDCProviderARN] != "" || oidc[envOIDCTokenFile] != "" {
			diags.AddError("Incomplete OIDC role in the environment",
				"An OIDC role (RRSA) needs all of "+envOIDCRoleARN+", "+envOIDCProviderARN+" and "+envOIDCTokenFile+
					"; only some are set. Set all three, or unset them.")
		}
	}

	cfg.Profile = pick(m.Profile.ValueString(), envProfile)
	cfg.ProfileFile = pick(m.SharedCredentialsFile.ValueString(), envProfileFile)
	cfg.ECSRoleName = pick(m.ECSRoleName.ValueString(), envECSRoleName)
	cfg.CredentialsURI = pick(m.CredentialsURI.ValueString(), envCredentialsURI)
	if cfg.AccessKey == "" && cfg.OIDC == nil && cfg.Profile == "" && cfg.ECSRoleName == "" && cfg.CredentialsURI == "" &&
		!cliConfigFound(cfg.ProfileFile, getenv) && !diags.HasError() {
		diags.AddAttributeError(path.Root("access_key"), "Missing credentials",
			"No credentials were found. Set `access_key` and `secret_key` in the provider block, or the "+
				"ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET environment variables, or `profile` "+
				"to use a profile of the Alibaba Cloud CLI, or `ecs_role_name` on an ECS instance with a RAM role, "+
				"or the ALIBABA_CLOUD_ROLE_ARN, ALIBABA_CLOUD_OIDC_PROVIDER_ARN and ALIBABA_CLOUD_OIDC_TOKEN_FILE "+
				"variables of an OIDC role.")
	}

	if ar := m.AssumeRole; ar != nil {
		if ar.RoleARN.ValueString() == "" {
			diags.AddAttributeError(path.Root("assume_role").AtName("role_arn"), "Missing role_arn",
				"The assume_role block needs `role_arn`, such as \"acs:ram::123456789012:role/terraform\".")
		}
		cfg.AssumeRole = &cloud.AssumeRole{RoleARN: ar.RoleARN.ValueString(),
			SessionName: pick(ar.SessionName.ValueString(), envAssumeSession), DurationSeconds: int(ar.SessionExpiration.ValueInt64()),
			Policy: ar.Policy.ValueString(), ExternalID: ar.ExternalID.ValueString()}
	} else if arn := pick("", envAssumeRoleARN); arn != "" {
		cfg.AssumeRole = &cloud.AssumeRole{RoleARN: arn, SessionName: pick("", envAssumeSession)}
	}

	var stsEP, metadataEP string
	if m.Endpoints != nil {
		stsEP, metadataEP = m.Endpoints.STS.ValueString(), m.Endpoints.ECSMetadata.ValueString()
	}
	cfg.STSEndpoint, cfg.ECSMetadataEndpoint = pick(stsEP, envSTSEndpoint), pick(metadataEP, envMetadataEP)
	if err := cloud.CheckSTSEndpoint(cfg.STSEndpoint); err != nil {
		diags.AddAttributeError(path.Root("endpoints").AtName("sts"), "Malformed endpoint",
			"endpoints.sts (or ENI_STS_ENDPOINT) is not usable: "+err.Error()+
				". Use a host name such as \"sts.cn-hangzhou.aliyuncs.com\" or a URL such as \"https://127.0.0.1:8443\".")
	}
	if err := cloud.CheckMetadataEndpoint(cfg.ECSMetadataEndpoint); err != nil {
		diags.AddAttributeError(path.Root("endpoints").AtName("ecs_metadata"), "Malformed endpoint",
			"endpoints.ecs_metadata (or ENI_ECS_METADATA_ENDPOINT) is not usable: "+err.Error()+
				". Use a URL such as \"http://127.0.0.1:8686\", or leave it unset on ECS.")
	}
	return diags
}

// cliConfigFound reports whether the Alibaba Cloud CLI's configuration
// file exists (file, else ~/.aliyun/config.json), whose current profile
// is then a source, unless ALIBABA_CLOUD_CLI_PROFILE_DISABLED is true.
func cliConfigFound(file string, getenv func(string) string) bool {
	if strings.EqualFold(strings.TrimSpace(getenv("ALIBABA_CLOUD_CLI_PROFILE_DISABLED")), "true") {
		return false
	}
	if file == "" {
		home := getenv("HOME")
		if home == "" {
			return false
		}
		file = filepath.Join(home, ".aliyun", "config.json")
	}
	st, err := os.Stat(file)
	return err == nil && st.Mode().IsRegular()
}
