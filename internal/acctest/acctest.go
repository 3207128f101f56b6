// Package acctest is the shared wiring of the acceptance tests: provider
// factories, the backend a test runs against (an in-process emulator by
// default, the real Alibaba Cloud with ENI_ACC_BACKEND=alibaba) and
// checks that read the cloud directly.
package acctest

import (
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/openeni/terraform-provider-eni/internal/cloud"
	"github.com/openeni/terraform-provider-eni/internal/mockcloud"
	"github.com/openeni/terraform-provider-eni/internal/provider"
)

// ProviderFactories serve the provider in-process to the terraform binary.
var ProviderFactories = map[string]func() (tfprotov6.ProviderServer, error){
	"eni": providerserver.NewProtocol6WithError(provider.New("test")()),
}

// mainRan records that the test binary's TestMain called Main;
// terraformErr is why Main could not set TF_ACC_TERRAFORM_PATH.
var (
	mainRan      bool
	terraformErr error
)

// Main runs the tests of a package that has acceptance tests; call it
// from the package's TestMain. Before the tests it sets, for the whole
// test binary, what PreCheck promises: TF_ACC_TERRAFORM_PATH to the
// terraform on PATH (the testing framework would otherwise download one)
// and CHECKPOINT_DISABLE (no update check). These must outlive each test:
// the testing framework reads them from the process environment, and the
// tests run in parallel, where t.Setenv is refused.
func Main(m *testing.M) {
	mainRan = true
	if os.Getenv("TF_ACC_TERRAFORM_PATH") == "" {
		if p, err := exec.LookPath("terraform"); err != nil {
			terraformErr = fmt.Errorf("the acceptance tests run the real terraform binary, and none is on PATH: " +
				"install Terraform 1.x (https://developer.hashicorp.com/terraform/install) or set TF_ACC_TERRAFORM_PATH")
		} else if err := os.Setenv("TF_ACC_TERRAFORM_PATH", p); err != nil {
			terraformErr = fmt.Errorf("setting TF_ACC_TERRAFORM_PATH: %w", err)
		}
	}
	if err := os.Setenv("CHECKPOINT_DISABLE", "1"); err != nil && terraformErr == nil {
		terraformErr = fmt.Errorf("setting CHECKPOINT_DISABLE: %w", err)
	}
	os.Exit(m.Run())
}

// PreCheck makes sure the real terraform binary is used and no test ever
// reaches the internet: terraform must be on PATH, and its update check is
// off (both set up by Main).
func PreCheck(t *testing.T) {
	t.Helper()
	if !mainRan {
		t.Fatal("acctest.PreCheck needs the environment acctest.Main sets up: call acctest.Main(m) from this package's TestMain")
	}
	if terraformErr != nil {
		t.Fatal(terraformErr)
	}
	if os.Getenv("TF_ACC") == "" {
		t.Fatal("TF_ACC is not set: run the acceptance tests with `make test` (or TF_ACC=1 go test ./...)")
	}
}

// Backend is where one test's resources live.
type Backend struct {
	// Mock is the test's own emulator; nil against the real cloud.
	Mock *mockcloud.Server
	// Client reads the backend directly, for CheckDestroy and drift.
	Client *cloud.Client

	region, accessKey, secretKey, endpoint string
	seed                                   *mockcloud.Seed
}

// BackendReal reports whether the tests target the real cloud.
func BackendReal() bool { return os.Getenv("ENI_ACC_BACKEND") == "alibaba" }

// NewBackend gives a test its backend: by default an emulator of its own,
// started with seed (nil: the built-in topology) and a short transition
// delay so waiters really wait. Against the real cloud the test is skipped
// with a message when the credentials are missing.
func NewBackend(t *testing.T, seed *mockcloud.Seed) *Backend {
	t.Helper()
	PreCheck(t)
	if BackendReal() {
		if seed != nil {
			t.Skip("builds its own emulator topology, which the real cloud does not have")
		}
		return realBackend(t)
	}
	if seed == nil {
		seed = mockcloud.DefaultSeed()
	}
	srv, err := mockcloud.Start(mockcloud.Options{Seed: seed, TransitionDelay: 50 * time.Millisecond})
	if err != nil {
		t.Fatalf("starting the emulator: %v", err)
	}
	t.Cleanup(srv.Close)
	b := &Backend{Mock: srv, region: seed.RegionID, accessKey: seed.Credentials[0].AccessKeyID,
		secretKey: seed.Credentials[0].AccessKeySecret, endpoint: srv.URL(), seed: seed}
	b.Client = b.newClient(t)
	return b
}

func realBackend(t *testing.T) *Backend {
	region := os.Getenv("ALIBABA_CLOUD_REGION_ID")
	ak, sk := os.Getenv("ALIBABA_CLOUD_ACCESS_KEY_ID"), os.Getenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET")
	if region == "" || ak == "" || sk == "" {
		t.Skip("ENI_ACC_BACKEND=alibaba needs ALIBABA_CLOUD_REGION_ID, ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET")
	}
	b := &Backend{region: region, accessKey: ak, secretKey: sk}
	b.Client = b.newClient(t)
	return b
}

func (b *Backend) newClient(t *testing.T) *cloud.Client {
	c, err := cloud.New(cloud.Config{Region: b.region, AccessKey: b.accessKey, SecretKey: b.secretKey,
		ECSEndpoint: b.endpoint, VPCEndpoint: b.endpoint})
	if err != nil {
		t.Fatalf("building the test client: %v", err)
	}
	c.RetryBaseDelay, c.PollMinInterval = 20*time.Millisecond, 20*time.Millisecond
	return c
}

// ProviderConfig is the provider block pointing at the backend.
func (b *Backend) ProviderConfig() string {
	if b.Mock == nil {
		return fmt.Sprintf("provider \"eni\" {\n  region = %q\n}\n", b.region)
	}
	return fmt.Sprintf(`provider "eni" {
  region     = %q
  access_key = %q
  secret_key = %q
  endpoints {
    ecs = %q
    vpc = %q
  }
}
`, b.region, b.accessKey, b.secretKey, b.endpoint, b.endpoint)
}

// Config joins the provider block and the given configuration parts.
func (b *Backend) Config(parts ...string) string {
	return b.ProviderConfig() + "\n" + strings.Join(parts, "\n")
}

// Fixture names an existing object the tests build on: from the seed
// against the emulator, from ENI_ACC_<NAME> against the real cloud.
// Names: VSWITCH_ID, VSWITCH_ID_2 (another zone), SECURITY_GROUP_ID,
// SECURITY_GROUP_ID_2, INSTANCE_ID, INSTANCE_ID_2 (same zone as
// INSTANCE_ID), EIP_ID, EIP_ID_2, VSWITCH_ID_IPV6 (a vSwitch with an IPv6
// CIDR block, in the zone of INSTANCE_ID), INSTANCE_ID_NO_IPV6 (an
// instance whose type takes no IPv6 address, in the same zone).
func (b *Backend) Fixture(t *testing.T, name string) string {
	t.Helper()
	if b.Mock == nil {
		v := os.Getenv("ENI_ACC_" + name)
		if v == "" {
			t.Skipf("ENI_ACC_%s is not set for the real-cloud run", name)
		}
		return v
	}
	s := b.seed
	pick := func(ok bool, v string) string {
		if !ok {
			t.Fatalf("the seed of this test has no fixture %s", name)
		}
		return v
	}
	switch name {
	case "VSWITCH_ID":
		return pick(len(s.VSwitches) > 0, s.VSwitches[0].VSwitchID)
	case "VSWITCH_ID_2":
		return pick(len(s.VSwitches) > 1, s.VSwitches[len(s.VSwitches)-1].VSwitchID)
	case "SECURITY_GROUP_ID":
		return pick(len(s.SecurityGroups) > 0, s.SecurityGroups[0].SecurityGroupID)
	case "SECURITY_GROUP_ID_2":
		return pick(len(s.SecurityGroups) > 1, s.SecurityGroups[1].SecurityGroupID)
	case "INSTANCE_ID":
		return pick(len(s.Instances) > 0, s.Instances[0].InstanceID)
	case "INSTANCE_ID_2":
		return pick(len(s.Instances) > 1, s.Instances[1].InstanceID)
	case "VSWITCH_ID_IPV6":
		for _, v := range s.VSwitches {
			if v.IPv6CIDRBlock != "" {
				return v.VSwitchID
			}
		}
		return pick(false, "")
	case "INSTANCE_ID_NO_IPV6":
		for _, in := range s.Instances {
			if slices.ContainsFunc(s.InstanceTypes, func(it mockcloud.SeedInstanceType) bool {
				return it.InstanceTypeID == in.InstanceType && it.ENIIPv6AddressQuantity == 0
			}) {
				return in.InstanceID
			}
		}
		return pick(false, "")
	case "EIP_ID":
		return pick(len(s.EIPs) > 0, s.EIPs[0].AllocationID)
	case "EIP_ID_2":
		return pick(len(s.EIPs) > 1, s.EIPs[1].AllocationID)
	}
	t.Fatalf("unknown fixture %s", name)
	return ""
}

// MutatingCalls is the number of mutating API calls the emulator counted;
// against the real cloud it is -1 (unknown).
func (b *Backend) MutatingCalls() int64 {
	if b.Mock == nil {
		return -1
	}
	return b.Mock.Stats().Mutating
}

// Wrapped makes every space of a pattern match any run of white space,
// since Terraform wraps long diagnostic lines at arbitrary spaces.
func Wrapped(pattern string) string {
	return strings.ReplaceAll(pattern, " ", `\s+`)
}
