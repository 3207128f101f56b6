package provider

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"
)

func TestResolveConfig(t *testing.T) {
	str := types.StringValue
	null := types.StringNull()
	base := func() providerModel {
		return providerModel{Region: null, AccessKey: null, SecretKey: null, SecurityToken: null, Profile: null, MaxRetries: types.Int64Null()}
	}
	env := func(kv ...string) func(string) string {
		m := map[string]string{}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return func(k string) string { return m[k] }
	}
	cases := []struct {
		name    string
		model   func() providerModel
		env     func(string) string
		wantErr string // substring of the first error's detail; "" = valid
		check   func(t *testing.T, region, ak, sk, ecs string, retries int)
	}{
		{
			name: "everything in the block",
			model: func() providerModel {
				m := base()
				m.Region, m.AccessKey, m.SecretKey = str("cn-hangzhou"), str("ak"), str("sk")
				return m
			},
			env: env(),
			check: func(t *testing.T, region, ak, sk, _ string, retries int) {
				if region != "cn-hangzhou" || ak != "ak" || sk != "sk" || retries != 0 {
					t.Fatalf("got %s %s %s %d", region, ak, sk, retries)
				}
			},
		},
		{
			name:  "everything from the environment, first name wins",
			model: base,
			env: env("ALIBABA_CLOUD_REGION_ID", "cn-shanghai", "ALICLOUD_REGION", "cn-beijing",
				"ALICLOUD_ACCESS_KEY", "ak2", "ALICLOUD_SECRET_KEY", "sk2", "ENI_ECS_ENDPOINT", "http://127.0.0.1:1"),
			check: func(t *testing.T, region, ak, sk, ecs string, _ int) {
				if region != "cn-shanghai" || ak != "ak2" || sk != "sk2" || ecs != "http://127.0.0.1:1" {
					t.Fatalf("got %s %s %s %s", region, ak, sk, ecs)
				}
			},
		},
		{
			name:  "explicit zero retries",
			model: func() providerModel { m := base(); m.MaxRetries = types.Int64Value(0); return m },
			env:   env("ALIBABA_CLOUD_REGION_ID", "cn-hangzhou", "ALIBABA_CLOUD_ACCESS_KEY_ID", "a", "ALIBABA_CLOUD_ACCESS_KEY_SECRET", "s"),
			check: func(t *testing.T, _, _, _, _ string, retries int) {
				if retries != -1 {
					t.Fatalf("max_retries = 0 must mean no retries, got %d", retries)
				}
			},
		},
		{name: "no region", model: base, env: env("ALIBABA_CLOUD_ACCESS_KEY_ID", "a", "ALIBABA_CLOUD_ACCESS_KEY_SECRET", "s"), wantErr: "Set `region`"},
		{name: "malformed region", model: func() providerModel { m := base(); m.Region = str("cn hangzhou"); return m },
			env: env("ALIBABA_CLOUD_ACCESS_KEY_ID", "a", "ALIBABA_CLOUD_ACCESS_KEY_SECRET", "s"), wantErr: `"cn hangzhou" is not a region ID`},
		{name: "access key without secret", model: func() providerModel { m := base(); m.Region, m.AccessKey = str("cn-hangzhou"), str("a"); return m },
			env: env(), wantErr: "`access_key` is set but `secret_key` is not"},
		{name: "secret without access key", model: func() providerModel { m := base(); m.Region, m.SecretKey = str("cn-hangzhou"), str("s"); return m },
			env: env(), wantErr: "`secret_key` is set but `access_key` is not"},
		{name: "half the environment", model: func() providerModel { m := base(); m.Region = str("cn-hangzhou"); return m },
			env: env("ALIBABA_CLOUD_ACCESS_KEY_ID", "a"), wantErr: "Only one of ALIBABA_CLOUD_ACCESS_KEY_ID"},
		{name: "no credentials at all", model: func() providerModel { m := base(); m.Region = str("cn-hangzhou"); return m },
			env: env(), wantErr: "No credentials were found"},
		{name: "malformed endpoint", model: func() providerModel {
			m := base()
			m.Region, m.AccessKey, m.SecretKey = str("cn-hangzhou"), str("a"), str("s")
			m.Endpoints = &endpointsModel{ECS: str("ftp://x"), VPC: null}
			return m
		}, env: env(), wantErr: "endpoints.ecs"},
		{name: "endpoint with a path", model: func() providerModel {
			m := base()
			m.Region, m.AccessKey, m.SecretKey = str("cn-hangzhou"), str("a"), str("s")
			return m
		}, env: env("ENI_VPC_ENDPOINT", "http://127.0.0.1:8686/api"), wantErr: "endpoints.vpc"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg, diags := resolveConfig(tc.model(), tc.env)
			if tc.wantErr == "" {
				if diags.HasError() {
					t.Fatalf("unexpected: %v", diags)
				}
				tc.check(t, cfg.Region, cfg.AccessKey, cfg.SecretKey, cfg.ECSEndpoint, cfg.MaxRetries)
				return
			}
			if !diags.HasError() {
				t.Fatalf("accepted; want error %q", tc.wantErr)
			}
			if d := diags.Errors()[0].Detail(); !strings.Contains(d, tc.wantErr) {
				t.Fatalf("error %q does not say %q", d, tc.wantErr)
			}
		})
	}
}

func TestResolveConfig_coalesceReads(t *testing.T) {
	keys := map[string]string{"ALIBABA_CLOUD_REGION_ID": "cn-hangzhou", "ALIBABA_CLOUD_ACCESS_KEY_ID": "a", "ALIBABA_CLOUD_ACCESS_KEY_SECRET": "s"}
	for _, tc := range []struct {
		name      string
		block     types.Bool
		env       string
		wantOn    bool
		wantError bool
	}{
		{name: "default", block: types.BoolNull(), wantOn: true},
		{name: "block off", block: types.BoolValue(false), wantOn: false},
		{name: "block on beats the environment", block: types.BoolValue(true), env: "false", wantOn: true},
		{name: "env false", block: types.BoolNull(), env: "false", wantOn: false},
		{name: "env 0", block: types.BoolNull(), env: "0", wantOn: false},
		{name: "env true", block: types.BoolNull(), env: "true", wantOn: true},
		{name: "env malformed", block: types.BoolNull(), env: "off", wantError: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := providerModel{Region: types.StringNull(), AccessKey: types.StringNull(), SecretKey: types.StringNull(),
				SecurityToken: types.StringNull(), Profile: types.StringNull(), MaxRetries: types.Int64Null(), CoalesceReads: tc.block}
			cfg, diags := resolveConfig(m, func(k string) string {
				if k == "ENI_COALESCE_READS" {
					return tc.env
				}
				return keys[k]
			})
			if diags.HasError() != tc.wantError {
				t.Fatalf("diagnostics %v, want an error: %v", diags, tc.wantError)
			}
			if !tc.wantError && cfg.SingleReads == tc.wantOn {
				t.Errorf("SingleReads = %v, want coalescing on: %v", cfg.SingleReads, tc.wantOn)
			}
		})
	}
}
