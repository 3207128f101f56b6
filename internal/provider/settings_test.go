package provider

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/openeni/terraform-provider-eni/internal/cloud"
)

// model is a provider block with region and keys set and everything else
// null, changed by change.
func model(change func(*providerModel)) providerModel {
	null := types.StringNull()
	m := providerModel{Region: types.StringValue("cn-hangzhou"), AccessKey: types.StringValue("a"), SecretKey: types.StringValue("s"),
		SecurityToken: null, Profile: null, MaxRetries: types.Int64Null(), SharedCredentialsFile: null, ECSRoleName: null,
		CredentialsURI: null, SkipRegionValidation: types.BoolNull()}
	if change != nil {
		change(&m)
	}
	return m
}

func envOf(kv ...string) func(string) string {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return func(k string) string { return m[k] }
}

func mustResolve(t *testing.T, m providerModel, getenv func(string) string) (cloud.Config, diag.Diagnostics) {
	t.Helper()
	cfg, diags := resolveConfig(m, getenv)
	if diags.HasError() {
		t.Fatalf("unexpected errors: %v", diags.Errors())
	}
	return cfg, diags
}

func wantError(t *testing.T, diags diag.Diagnostics, detail string) {
	t.Helper()
	for _, d := range diags.Errors() {
		if strings.Contains(d.Detail(), detail) {
			return
		}
	}
	t.Fatalf("no error saying %q in %v", detail, diags)
}

// A region outside the built-in list is used with a warning that says how
// to silence it; skip_region_validation silences it.
func TestResolveConfig_unknownRegionWarns(t *testing.T) {
	for _, region := range []string{"cn-shanghai-finance-1", "xx-new-1"} {
		cfg, diags := mustResolve(t, model(func(m *providerModel) { m.Region = types.StringValue(region) }), envOf())
		if cfg.Region != region {
			t.Fatalf("region %q, want %q", cfg.Region, region)
		}
		if w := diags.Warnings(); len(w) != 1 || !strings.Contains(w[0].Detail(), "skip_region_validation") {
			t.Fatalf("%s: warnings %v, want one naming skip_region_validation", region, w)
		}
		_, diags = mustResolve(t, model(func(m *providerModel) {
			m.Region, m.SkipRegionValidation = types.StringValue(region), types.BoolValue(true)
		}), envOf())
		if len(diags) != 0 {
			t.Fatalf("%s with skip_region_validation: %v, want no diagnostics", region, diags)
		}
	}
	if _, diags := mustResolve(t, model(nil), envOf()); len(diags) != 0 {
		t.Fatalf("a known region: %v, want no diagnostics", diags)
	}
}

func TestResolveConfig_maxRetriesFromEnvironment(t *testing.T) {
	for _, tc := range []struct {
		block int64 // -1: unset
		env   []string
		want  int
	}{
		{-1, []string{"ALIBABA_CLOUD_MAX_RETRIES", "3"}, 3},
		{-1, []string{"ENI_MAX_RETRIES", "5"}, 5},
		{-1, []string{"ALIBABA_CLOUD_MAX_RETRIES", "2", "ENI_MAX_RETRIES", "5"}, 2},
		{-1, []string{"ENI_MAX_RETRIES", "0"}, -1}, // no retries
		{4, []string{"ENI_MAX_RETRIES", "5"}, 4},   // the block wins
		{-1, nil, 0},                               // the default
	} {
		m := model(func(m *providerModel) {
			if tc.block >= 0 {
				m.MaxRetries = types.Int64Value(tc.block)
			}
		})
		cfg, _ := mustResolve(t, m, envOf(tc.env...))
		if cfg.MaxRetries != tc.want {
			t.Fatalf("block %d, env %v: MaxRetries %d, want %d", tc.block, tc.env, cfg.MaxRetries, tc.want)
		}
	}
	for _, bad := range []string{"many", "-1", "101"} {
		_, diags := resolveConfig(model(nil), envOf("ENI_MAX_RETRIES", bad))
		wantError(t, diags, "use a whole number from 0 to 100")
	}
}

func TestResolveConfig_credentialSources(t *testing.T) {
	noKeys := func(m *providerModel) { m.AccessKey, m.SecretKey = types.StringNull(), types.StringNull() }
	t.Run("OIDC role from the environment", func(t *testing.T) {
		cfg, _ := mustResolve(t, model(noKeys), envOf("ALIBABA_CLOUD_ROLE_ARN", "acs:ram::1:role/r",
			"ALIBABA_CLOUD_OIDC_PROVIDER_ARN", "acs:ram::1:oidc-provider/p", "ALIBABA_CLOUD_OIDC_TOKEN_FILE", "/t",
			"ALIBABA_CLOUD_ROLE_SESSION_NAME", "ci"))
		if o := cfg.OIDC; o == nil || o.RoleARN != "acs:ram::1:role/r" || o.TokenFile != "/t" || o.SessionName != "ci" {
			t.Fatalf("OIDC = %+v", cfg.OIDC)
		}
	})
	t.Run("half an OIDC role", func(t *testing.T) {
		_, diags := resolveConfig(model(noKeys), envOf("ALIBABA_CLOUD_OIDC_TOKEN_FILE", "/t"))
		wantError(t, diags, "needs all of ALIBABA_CLOUD_ROLE_ARN")
	})
	t.Run("ECS role and credentials URI, official provider's names", func(t *testing.T) {
		cfg, _ := mustResolve(t, model(noKeys), envOf("ALICLOUD_ECS_ROLE_NAME", "web", "ALIBABA_CLOUD_CREDENTIALS_URI", "http://127.0.0.1:1/c"))
		if cfg.ECSRoleName != "web" || cfg.CredentialsURI != "http://127.0.0.1:1/c" {
			t.Fatalf("ECSRoleName %q, CredentialsURI %q", cfg.ECSRoleName, cfg.CredentialsURI)
		}
	})
	t.Run("assume_role block", func(t *testing.T) {
		cfg, _ := mustResolve(t, model(func(m *providerModel) {
			m.AssumeRole = &assumeRoleModel{RoleARN: types.StringValue("acs:ram::1:role/r"), SessionName: types.StringNull(),
				SessionExpiration: types.Int64Value(900), Policy: types.StringNull(), ExternalID: types.StringValue("ext")}
		}), envOf())
		if a := cfg.AssumeRole; a == nil || a.RoleARN != "acs:ram::1:role/r" || a.DurationSeconds != 900 || a.ExternalID != "ext" {
			t.Fatalf("AssumeRole = %+v", cfg.AssumeRole)
		}
	})
	t.Run("assume_role without role_arn", func(t *testing.T) {
		_, diags := resolveConfig(model(func(m *providerModel) {
			m.AssumeRole = &assumeRoleModel{RoleARN: types.StringNull(), SessionName: types.StringNull(),
				SessionExpiration: types.Int64Null(), Policy: types.StringNull(), ExternalID: types.StringNull()}
		}), envOf())
		wantError(t, diags, "needs `role_arn`")
	})
	t.Run("assumed role from the official provider's variable", func(t *testing.T) {
		cfg, _ := mustResolve(t, model(nil), envOf("ALICLOUD_ASSUME_ROLE_ARN", "acs:ram::1:role/r"))
		if cfg.AssumeRole == nil || cfg.AssumeRole.RoleARN != "acs:ram::1:role/r" {
			t.Fatalf("AssumeRole = %+v", cfg.AssumeRole)
		}
	})
	t.Run("plain HTTP STS endpoint", func(t *testing.T) {
		_, diags := resolveConfig(model(nil), envOf("ENI_STS_ENDPOINT", "http://127.0.0.1:1"))
		wantError(t, diags, "endpoints.sts")
	})
	t.Run("HTTPS metadata endpoint", func(t *testing.T) {
		_, diags := resolveConfig(model(nil), envOf("ENI_ECS_METADATA_ENDPOINT", "https://127.0.0.1:1"))
		wantError(t, diags, "endpoints.ecs_metadata")
	})
}
