package provider_test

import (
	"fmt"
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
		"ALICLOUD_SECRET_KEY": true, "ALIBABA_CLOUD_REGION_ID": true, "ALICLOUD_REGION": true, "ALIBABA_CLOUD_PROFILE": true, "ALICLOUD_PROFILE": true} {
		t.Setenv(k, "")
	}
	data := `data "eni_network_interfaces" "all" {}`
	cases := []struct{ provider, want string }{
		{`provider "eni" {
  access_key = "a"
  secret_key = "s"
}`, "Set `region` in the provider block"},
		{`provider "eni" {
  region     = "atlantis-1"
  access_key = "a"
  secret_key = "s"
}`, `"atlantis-1" is not an Alibaba Cloud region`},
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
