package provider_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/openeni/terraform-provider-eni/internal/acctest"
	"github.com/openeni/terraform-provider-eni/internal/cloud"
	"github.com/openeni/terraform-provider-eni/internal/mockcloud"
)

const testAccRoleARN = "acs:ram::" + mockcloud.MockAccountID + ":role/eni-deployer"

// signers serves an emulator and records which access key signed each
// ENI create, so a test sees which credentials the provider really used.
// After every API call it can make the temporary key that signed it
// expire, as time passing would.
type signers struct {
	srv         *mockcloud.Server
	expireAfter bool

	mu   sync.Mutex
	keys []string
}

func (s *signers) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm() // ParseForm keeps what it read: the emulator reads the same parameters
	if r.Form.Get("Action") == "CreateNetworkInterface" {
		s.mu.Lock()
		s.keys = append(s.keys, r.Form.Get("AccessKeyId"))
		s.mu.Unlock()
	}
	s.srv.ServeHTTP(w, r)
	if s.expireAfter && r.Form.Get("Action") != "" {
		// The key that signed this call, not every key: a call signed
		// meanwhile with a key of its own must not find it expired by
		// this call's end (that failed about one run in three).
		s.srv.ExpireTemporaryCredentials(r.Form.Get("AccessKeyId"))
	}
}

// checkTemporaryKeys checks that every ENI was created with a key the
// emulator issued (STS.*), never with the seeded one.
func (s *signers) checkTemporaryKeys(want int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		s.mu.Lock()
		defer s.mu.Unlock()
		if len(s.keys) != want {
			return fmt.Errorf("%d ENI creates seen, want %d", len(s.keys), want)
		}
		for _, k := range s.keys {
			if !strings.HasPrefix(k, "STS.") {
				return fmt.Errorf("an ENI was created with access key %q, not a temporary key", k)
			}
		}
		return nil
	}
}

// credentialsEnv clears every credential variable of the test's
// environment, so only what the test sets counts.
func credentialsEnv(t *testing.T) {
	t.Helper()
	for _, k := range []string{"ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ALIBABA_CLOUD_SECURITY_TOKEN",
		"ALICLOUD_ACCESS_KEY", "ALICLOUD_SECRET_KEY", "ALICLOUD_SECURITY_TOKEN", "ALIBABA_CLOUD_PROFILE", "ALICLOUD_PROFILE",
		"ALIBABA_CLOUD_ECS_METADATA", "ALICLOUD_ECS_ROLE_NAME", "ALIBABA_CLOUD_CREDENTIALS_URI", "ALIBABA_CLOUD_ROLE_ARN",
		"ALIBABA_CLOUD_OIDC_PROVIDER_ARN", "ALIBABA_CLOUD_OIDC_TOKEN_FILE", "ALICLOUD_ASSUME_ROLE_ARN", "ENI_STS_ENDPOINT",
		"ENI_ECS_METADATA_ENDPOINT", "ENI_ECS_ENDPOINT", "ENI_VPC_ENDPOINT"} {
		t.Setenv(k, "")
	}
	t.Setenv("ALIBABA_CLOUD_CONFIG_FILE", filepath.Join(t.TempDir(), "no-cli-config.json"))
}

// checkENIsDestroyed checks, reading the cloud with c, that no ENI of the
// state is left.
func checkENIsDestroyed(c *cloud.Client) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		for _, rs := range s.RootModule().Resources {
			if rs.Type != "eni_network_interface" {
				continue
			}
			_, err := c.FindNetworkInterfaceByID(context.Background(), rs.Primary.ID)
			if !cloud.IsNotFound(err) {
				return fmt.Errorf("network interface %s: %v, want it gone", rs.Primary.ID, err)
			}
		}
		return nil
	}
}

func eniConfig(b *acctest.Backend, t *testing.T, count int) string {
	return fmt.Sprintf(`
resource "eni_network_interface" "test" {
  count              = %d
  vswitch_id         = %q
  security_group_ids = [%q]
}`, count, b.Fixture(t, "VSWITCH_ID"), b.Fixture(t, "SECURITY_GROUP_ID"))
}

// Each source of the chain that needs the emulator's STS or metadata
// service, through the provider block and environment as a user writes
// them: an ENI is created and destroyed with the source's temporary keys.
func TestAccProvider_credentialSources(t *testing.T) {
	b := acctest.NewBackend(t, nil)
	if b.Mock == nil {
		t.Skip("the real cloud's STS and metadata service cannot be pointed at")
	}
	tokenFile := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(tokenFile, []byte("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJjaSJ9.c2ln"), 0o600); err != nil {
		t.Fatal(err)
	}
	cliConfig := filepath.Join(t.TempDir(), "config.json")
	raw, _ := json.Marshal(map[string]any{"current": "base", "profiles": []map[string]any{
		{"name": "base", "mode": "AK", "access_key_id": "mock-key", "access_key_secret": "mock-secret"}}})
	if err := os.WriteFile(cliConfig, raw, 0o600); err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		name     string
		settings string            // provider block lines besides region and endpoints
		env      map[string]string // set for the test
		action   string            // the emulator action that issued the keys
	}{
		{name: "assume_role on a CLI profile", action: "AssumeRole", settings: fmt.Sprintf(`
  profile                 = "base"
  shared_credentials_file = %q
  assume_role {
    role_arn           = %q
    session_name       = "acceptance"
    session_expiration = 900
    external_id        = "eni-test"
    policy             = jsonencode({ Version = "1", Statement = [] })
  }`, cliConfig, testAccRoleARN)},
		{name: "OIDC role", action: "AssumeRoleWithOIDC", env: map[string]string{
			"ALIBABA_CLOUD_ROLE_ARN":          testAccRoleARN,
			"ALIBABA_CLOUD_OIDC_PROVIDER_ARN": "acs:ram::" + mockcloud.MockAccountID + ":oidc-provider/ack",
			"ALIBABA_CLOUD_OIDC_TOKEN_FILE":   tokenFile,
		}},
		{name: "ECS RAM role", settings: `
  ecs_role_name = "` + mockcloud.DefaultECSRoleName + `"`},
		{name: "credentials URI", env: map[string]string{"ALIBABA_CLOUD_CREDENTIALS_URI": b.Mock.URL() + "/credentials"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			credentialsEnv(t)
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			rec := &signers{srv: b.Mock}
			api := httptest.NewServer(rec)
			t.Cleanup(api.Close)
			sts := httptest.NewTLSServer(b.Mock) // the providers call STS over HTTPS only
			t.Cleanup(sts.Close)
			before := b.Mock.Stats().Actions[tc.action]
			provider := fmt.Sprintf(`provider "eni" {
  region = %q
  %s
  endpoints {
    ecs          = %q
    vpc          = %q
    sts          = %q
    ecs_metadata = %q
  }
}
`, b.Mock.Region(), tc.settings, api.URL, api.URL, sts.URL, b.Mock.URL())
			checks := []resource.TestCheckFunc{rec.checkTemporaryKeys(1)}
			if tc.action != "" {
				checks = append(checks, func(*terraform.State) error {
					if n := b.Mock.Stats().Actions[tc.action] - before; n < 1 {
						return fmt.Errorf("the emulator answered %s %d times, want at least once", tc.action, n)
					}
					return nil
				})
			}
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.ProviderFactories,
				CheckDestroy:             checkENIsDestroyed(b.Client),
				Steps: []resource.TestStep{{
					Config: provider + eniConfig(b, t, 1),
					Check:  resource.ComposeTestCheckFunc(checks...),
				}},
			})
		})
	}
}

// An apply whose temporary keys expire right after every API call still
// succeeds: the assumed role's keys last 120 s, within the 180 s before
// expiry when the providers fetch new ones, so every call signs with keys
// that have not been used before. The expiry is the emulator's
// ExpireTemporaryCredentials after each call, not a wait.
func TestAccProvider_credentialsRefreshedDuringApply(t *testing.T) {
	acctest.PreCheck(t)
	if acctest.BackendReal() {
		t.Skip("expires the emulator's keys")
	}
	credentialsEnv(t)
	srv, err := mockcloud.Start(mockcloud.Options{TemporaryCredentialTTL: 120 * time.Second, TransitionDelay: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	b := acctest.NewBackend(t, nil) // for the fixtures of the default seed, which srv shares
	rec := &signers{srv: srv, expireAfter: true}
	api := httptest.NewServer(rec)
	t.Cleanup(api.Close)
	sts := httptest.NewTLSServer(srv)
	t.Cleanup(sts.Close)
	config := fmt.Sprintf(`provider "eni" {
  region     = %q
  access_key = "mock-key"
  secret_key = "mock-secret"
  assume_role {
    role_arn = %q
  }
  endpoints {
    ecs = %q
    vpc = %q
    sts = %q
  }
}
`, srv.Region(), testAccRoleARN, api.URL, api.URL, sts.URL) + eniConfig(b, t, 3)
	direct, err := cloud.New(cloud.Config{Region: srv.Region(), AccessKey: "mock-key", SecretKey: "mock-secret",
		ECSEndpoint: srv.URL(), VPCEndpoint: srv.URL()})
	if err != nil {
		t.Fatal(err)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             checkENIsDestroyed(direct),
		Steps: []resource.TestStep{{
			Config: config,
			Check: resource.ComposeTestCheckFunc(rec.checkTemporaryKeys(3), func(*terraform.State) error {
				if n := srv.TemporaryCredentialsIssued(); n < 4 {
					return fmt.Errorf("%d keys issued during the apply, want one per call (at least 4)", n)
				}
				return nil
			}),
		}},
	})
}

// The client's CallerIdentity (STS GetCallerIdentity) shows whom the chain's
// credentials act as: the seeded user, or the assumed role's session.
func TestCallerIdentity_assumedRole(t *testing.T) {
	credentialsEnv(t)
	srv, err := mockcloud.Start(mockcloud.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	sts := httptest.NewTLSServer(srv)
	t.Cleanup(sts.Close)
	for _, tc := range []struct {
		role *cloud.AssumeRole
		want string
	}{
		{nil, "acs:ram::" + mockcloud.MockAccountID + ":user/mock-key"},
		{&cloud.AssumeRole{RoleARN: testAccRoleARN, SessionName: "identity"}, "acs:ram::" + mockcloud.MockAccountID + ":assumed-role/eni-deployer/identity"},
	} {
		c, err := cloud.New(cloud.Config{Region: srv.Region(), AccessKey: "mock-key", SecretKey: "mock-secret",
			ECSEndpoint: srv.URL(), VPCEndpoint: srv.URL(), STSEndpoint: sts.URL, AssumeRole: tc.role})
		if err != nil {
			t.Fatal(err)
		}
		id, err := c.CallerIdentity(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if id.Arn != tc.want || id.AccountId != mockcloud.MockAccountID {
			t.Fatalf("caller %s in %s, want %s", id.Arn, id.AccountId, tc.want)
		}
	}
}
