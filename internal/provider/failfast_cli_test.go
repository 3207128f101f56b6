//go:build unix

package provider_test

import (
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/openeni/terraform-provider-eni/internal/acctest"
	"github.com/openeni/terraform-provider-eni/internal/mockcloud"
)

// failFastResources is the size of the state of the fail-fast test, the
// scale at which retrying every resource's calls used to take minutes.
const failFastResources = 140

// failFastBound is how long a plan may take to fail with the endpoint
// down.
const failFastBound = 10 * time.Second

// With 140 resources in state and the endpoint gone, `terraform plan`
// (the real binary, the provider built from this module) fails within
// 10 seconds, saying the endpoint is unreachable: the provider learns it
// from its first few connection attempts and fails every other call of
// the run at once.
func TestAccProvider_endpointDownFailsFast(t *testing.T) {
	seed := mockcloud.DefaultSeed()
	seed.Quotas.MaxNetworkInterfaces = 2 * failFastResources
	b, _ := acctest.NewCLIBackend(t, acctest.CLIOptions{Seed: seed})
	endpoint := httptest.NewServer(b.Mock)
	t.Cleanup(endpoint.Close)
	tf := acctest.NewTerraform(t, b, "")
	main := fmt.Sprintf(`terraform {
  required_providers {
    eni = {
      source = "openeni/eni"
    }
  }
}

provider "eni" {
  region     = %q
  access_key = "mock-key"
  secret_key = "mock-secret"
  endpoints {
    ecs = %q
    vpc = %q
  }
}

resource "eni_network_interface" "test" {
  count              = %d
  vswitch_id         = %q
  security_group_ids = [%q]
}
`, b.Mock.Region(), endpoint.URL, endpoint.URL, failFastResources, b.Fixture(t, "VSWITCH_ID"), b.Fixture(t, "SECURITY_GROUP_ID"))
	if err := os.WriteFile(filepath.Join(tf.Dir, "main.tf"), []byte(main), 0o644); err != nil {
		t.Fatal(err)
	}
	if r := tf.Apply(); r.Failed() {
		t.Fatalf("apply of %d ENIs: %s", failFastResources, r)
	}
	t.Logf("applied %d ENIs", failFastResources)

	endpoint.Close() // connections to it are refused from now on
	r := tf.Plan()
	out := r.Output()
	if !r.Failed() {
		t.Fatalf("plan with the endpoint down succeeded:\n%s", out)
	}
	if !strings.Contains(out, "is unreachable") {
		t.Fatalf("plan failed without saying the endpoint is unreachable:\n%s", out)
	}
	first := out[strings.Index(out, "Error: "):]
	if i := strings.Index(first[1:], "Error: "); i > 0 {
		first = first[:i+1]
	}
	t.Logf("plan with the endpoint down failed in %s with %d errors; the first:\n%s", r.Duration.Round(10*time.Millisecond),
		strings.Count(out, "Error: "), first)
	if r.Duration > failFastBound {
		t.Fatalf("plan took %s to fail, want under %s", r.Duration.Round(10*time.Millisecond), failFastBound)
	}
}
