package provider_test

import (
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/openeni/terraform-provider-eni/internal/acctest"
	"github.com/openeni/terraform-provider-eni/internal/mockcloud"
)

// At TF_LOG=TRACE the provider logs every API call, and never the secret
// key or the STS token, whatever path they take.
func TestAccProvider_secretsNeverLogged(t *testing.T) {
	const secret = "S3cr3t-V4lue-For-Log-Test"
	seed := mockcloud.DefaultSeed()
	seed.Credentials = []mockcloud.SeedCredential{{AccessKeyID: "log-test-key", AccessKeySecret: secret}}
	b := acctest.NewBackend(t, seed)
	if b.Mock == nil {
		t.Skip("runs against the emulator, whose secret the test chooses")
	}
	logPath := filepath.Join(t.TempDir(), "trace.log")
	t.Setenv("TF_LOG", "TRACE")
	t.Setenv("TF_ACC_LOG_PATH", logPath)
	// The credentials come from the environment: the test framework logs
	// the configuration it writes, and that is not the provider's doing.
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", "log-test-key")
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", secret)
	t.Setenv("ALIBABA_CLOUD_SECURITY_TOKEN", "")
	t.Setenv("ENI_ECS_ENDPOINT", b.Mock.URL())
	t.Setenv("ENI_VPC_ENDPOINT", b.Mock.URL())
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf(`
provider "eni" {
  region = "cn-hangzhou"
}

resource "eni_network_interface" "test" {
  vswitch_id         = %q
  security_group_ids = [%q]
}`, b.Fixture(t, "VSWITCH_ID"), b.Fixture(t, "SECURITY_GROUP_ID")),
		}},
	})
	raw, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatalf("no trace log written: %v", err)
	}
	log := string(raw)
	if !strings.Contains(log, "CreateNetworkInterface") {
		t.Fatalf("the trace log (%d bytes) does not show the API calls; the test would prove nothing", len(log))
	}
	if strings.Contains(log, secret) {
		i := strings.Index(log, secret)
		t.Fatalf("the secret key appears in the trace log: ...%s...", log[max(0, i-200):i])
	}
}

// Configuration mistakes are reported at plan, naming the setting.
func TestAccProvider_configurationErrors(t *testing.T) {
	acctest.PreCheck(t)
	for k := range map[string]bool{"ALIBABA_CLOUD_ACCESS_KEY_ID": true, "ALIBABA_CLOUD_ACCESS_KEY_SECRET": true, "ALICLOUD_ACCESS_KEY": true,
		"ALICLOUD_SECRET_KEY": true, "ALIBABA_CLOUD_REGION_ID": true, "ALICLOUD_REGION": true, "ALIBABA_CLOUD_PROFILE": true, "ALICLOUD_PROFILE": true,
		"ALIBABA_CLOUD_ECS_METADATA": true, "ALICLOUD_ECS_ROLE_NAME": true, "ALIBABA_CLOUD_CREDENTIALS_URI": true, "ALIBABA_CLOUD_ROLE_ARN": true,
		"ALIBABA_CLOUD_OIDC_PROVIDER_ARN": true, "ALIBABA_CLOUD_OIDC_TOKEN_FILE": true, "ALICLOUD_ASSUME_ROLE_ARN": true, "ENI_MAX_RETRIES": true,
		"ALIBABA_CLOUD_MAX_RETRIES": true, "ENI_STS_ENDPOINT": true} {
		t.Setenv(k, "")
	}
	data := `data "eni_network_interfaces" "all" {}`
	cases := []struct{ provider, want string }{
		{`provider "eni" {
  access_key = "a"
  secret_key = "s"
}`, "Set `region` in the provider block"},
		{`provider "eni" {
  region     = "atlantis 1"
  access_key = "a"
  secret_key = "s"
}`, `"atlantis 1" is not a region ID`},
		{`provider "eni" {
  region     = "cn-hangzhou"
  access_key = "a"
  secret_key = "s"
  assume_role {
    session_name = "x1"
  }
}`, "The assume_role block needs `role_arn`"},
		{`provider "eni" {
  region     = "cn-hangzhou"
  access_key = "a"
  secret_key = "s"
  endpoints {
    sts = "http://127.0.0.1:1"
  }
}`, "endpoints.sts"},
		{`provider "eni" {
  region     = "cn-hangzhou"
  access_key = "a"
}`, "`access_key` is set but `secret_key` is not"},
		{`provider "eni" {
  region = "cn-hangzhou"
}`, "No credentials were found"},
		{`provider "eni" {
  region     = "cn-hangzhou"
  access_key = "a"
  secret_key = "s"
  endpoints {
    ecs = "ftp://127.0.0.1"
  }
}`, "endpoints.ecs"},
		{`provider "eni" {
  region     = ""
  access_key = "a"
  secret_key = "s"
}`, `region`},
	}
	var steps []resource.TestStep
	for _, tc := range cases {
		steps = append(steps, resource.TestStep{Config: tc.provider + "\n" + data, PlanOnly: true,
			ExpectError: regexp.MustCompile(acctest.Wrapped(regexp.QuoteMeta(tc.want)))})
	}
	resource.Test(t, resource.TestCase{ProtoV6ProviderFactories: acctest.ProviderFactories, Steps: steps})
}

// A wrong secret key with an STS token: plain `terraform plan` says in plain
// words to check secret_key, and neither the diagnostic nor the TRACE log
// holds the secret or the token, raw or percent-encoded once or twice
// (the emulator's answer quotes its string to sign, with the token
// RPC-encoded twice).
func TestAccProvider_wrongSecretKey(t *testing.T) {
	// Characters each encoding treats differently, none that JSON escapes.
	const (
		wrongSecret = "Wr0ng+Secret/Key=with*star~tilde space"
		token       = "CAIS+sts/Token=with*star~tilde space"
	)
	seed := mockcloud.DefaultSeed()
	seed.Credentials = []mockcloud.SeedCredential{{AccessKeyID: "sts-test-key", AccessKeySecret: "the-right-secret"}}
	b := acctest.NewBackend(t, seed)
	if b.Mock == nil {
		t.Skip("runs against the emulator, whose keys the test chooses")
	}
	logPath := filepath.Join(t.TempDir(), "trace.log")
	t.Setenv("TF_LOG", "TRACE")
	// TF_LOG_PATH as a user would set it; the test framework hands terraform
	// only TF_ACC_LOG_PATH, so both name the same file.
	t.Setenv("TF_LOG_PATH", logPath)
	t.Setenv("TF_ACC_LOG_PATH", logPath)
	// From the environment, as in TestAccProvider_secretsNeverLogged: the
	// test framework logs the configuration it writes.
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", "sts-test-key")
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", wrongSecret)
	t.Setenv("ALIBABA_CLOUD_SECURITY_TOKEN", token)
	t.Setenv("ENI_ECS_ENDPOINT", b.Mock.URL())
	t.Setenv("ENI_VPC_ENDPOINT", b.Mock.URL())

	want := regexp.MustCompile(acctest.Wrapped(regexp.QuoteMeta("SignatureDoesNotMatch: The API rejected the request signature: check that `secret_key`")))
	var diagnostic string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		// ErrorCheck rather than ExpectError, to keep the diagnostic's text.
		ErrorCheck: func(err error) error {
			diagnostic = err.Error()
			if !want.MatchString(diagnostic) {
				return err
			}
			return nil
		},
		Steps: []resource.TestStep{{
			Config: `
provider "eni" {
  region = "cn-hangzhou"
}

data "eni_network_interfaces" "all" {}`,
			PlanOnly: true,
		}},
	})
	if diagnostic == "" {
		t.Fatal("the plan did not fail")
	}
	for _, want := range []string{"clock", "security_token"} {
		if !strings.Contains(diagnostic, want) {
			t.Errorf("the diagnostic does not mention %s: %s", want, diagnostic)
		}
	}
	if strings.Contains(diagnostic, "string to sign") {
		t.Errorf("the diagnostic shows the string to sign: %s", diagnostic)
	}

	raw, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatalf("no trace log written: %v", err)
	}
	log := string(raw)
	// The log proves something only if the server's message, with the
	// token masked where it stood, is in it.
	if !strings.Contains(log, "server string to sign is:") || !strings.Contains(log, "SecurityToken%3D***") {
		t.Fatalf("the trace log (%d bytes) lacks the masked DEBUG line with the server's message; the test would prove nothing", len(log))
	}
	for _, secret := range []string{wrongSecret, token} {
		for name, form := range secretEncodings(secret) {
			for what, text := range map[string]string{"the diagnostic": diagnostic, "the trace log": log} {
				if i := strings.Index(text, form); i >= 0 {
					t.Errorf("%s holds a secret (%s): ...%s...", what, name, text[max(0, i-120):min(len(text), i+len(form)+20)])
				}
			}
		}
	}
}

// secretEncodings are the forms a secret must never appear in.
func secretEncodings(s string) map[string]string {
	rpc := func(s string) string {
		s = url.QueryEscape(s)
		return strings.NewReplacer("+", "%20", "*", "%2A", "%7E", "~").Replace(s)
	}
	return map[string]string{
		"raw":                        s,
		"QueryEscape":                url.QueryEscape(s),
		"QueryEscape twice":          url.QueryEscape(url.QueryEscape(s)),
		"RPC percent-encoding":       rpc(s),
		"RPC percent-encoding twice": rpc(rpc(s)),
		"PathEscape":                 url.PathEscape(s),
		"PathEscape twice":           url.PathEscape(url.PathEscape(s)),
	}
}
