package eni_test

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/openeni/terraform-provider-eni/internal/acctest"
	"github.com/openeni/terraform-provider-eni/internal/mockcloud"
)

const testAccInstanceDataSourceAddr = "data.eni_instance.web"

// testAccInstanceENIs are two secondary ENIs bound to i-mockweb1 (type
// ecs.g7.large: 3 ENIs, 10 private IPv4 and 10 IPv6 per ENI), the second
// with two secondary IPs and attached after the first, so that the
// instance lists them in a known order, and a third ENI left unbound.
// The attachments are guarded as the docs example guards them, by a read
// of the instance made at plan (guard); data.eni_instance.web reads it
// once both attachments are done.
var testAccInstanceENIs = `
resource "eni_network_interface" "a" {
  vswitch_id         = "vsw-mockh"
  security_group_ids = ["sg-mockweb"]
}

resource "eni_network_interface" "b" {
  vswitch_id                 = "vsw-mockh"
  security_group_ids         = ["sg-mockweb"]
  secondary_private_ip_count = 2
}

resource "eni_network_interface" "c" {
  vswitch_id         = "vsw-mockh"
  security_group_ids = ["sg-mockweb"]
}

data "eni_instance" "guard" {
  instance_id = "i-mockweb1"
}

` + testAccInstanceGuardedAttachment("a", "No ENI left on ${data.eni_instance.guard.id} for a.") + `
` + testAccInstanceGuardedAttachment("b", "No ENI left on ${data.eni_instance.guard.id} for b.",
	`depends_on = [eni_network_interface_attachment.a]`) + `
data "eni_instance" "web" {
  instance_id = "i-mockweb1"
  depends_on  = [eni_network_interface_attachment.a, eni_network_interface_attachment.b]
}
`

// An instance with its primary ENI only, then with two secondary ENIs
// (no ENI left), a precondition that stops the plan of a third, and an
// unknown instance.
func TestAccInstanceDataSource_basic(t *testing.T) {
	b := acctest.NewEmulatorBackend(t, nil)
	webPrimary, _ := b.PrimaryENI(t, "i-mockweb1")
	burstPrimary, _ := b.PrimaryENI(t, "i-mockburst")

	web := testAccExpectValues(testAccInstanceDataSourceAddr, map[string]knownvalue.Check{
		"id":                              knownvalue.StringExact("i-mockweb1"),
		"zone_id":                         knownvalue.StringExact("cn-hangzhou-h"),
		"vpc_id":                          knownvalue.StringExact("vpc-mock1"),
		"vswitch_id":                      knownvalue.StringExact("vsw-mockh"),
		"instance_type":                   knownvalue.StringExact("ecs.g7.large"),
		"status":                          knownvalue.StringExact("Running"),
		"hot_swap_supported":              knownvalue.Bool(true),
		"eni_quantity":                    knownvalue.Int64Exact(3),
		"eni_left":                        knownvalue.Int64Exact(2),
		"eni_private_ip_address_quantity": knownvalue.Int64Exact(10),
		"eni_ipv6_address_quantity":       knownvalue.Int64Exact(10),
		"network_interfaces": knownvalue.ListExact([]knownvalue.Check{
			testAccInstanceENI(webPrimary, "Primary", 1, 9, 10),
		}),
	})
	burst := testAccExpectValues("data.eni_instance.burst", map[string]knownvalue.Check{
		"instance_type":                   knownvalue.StringExact("ecs.t6-c1m2.large"),
		"hot_swap_supported":              knownvalue.Bool(false),
		"eni_quantity":                    knownvalue.Int64Exact(2),
		"eni_left":                        knownvalue.Int64Exact(1),
		"eni_private_ip_address_quantity": knownvalue.Int64Exact(2),
		"eni_ipv6_address_quantity":       knownvalue.Int64Exact(0),
		"network_interfaces": knownvalue.ListExact([]knownvalue.Check{
			testAccInstanceENI(burstPrimary, "Primary", 1, 1, 0),
		}),
	})

	full := testAccExpectValues(testAccInstanceDataSourceAddr, map[string]knownvalue.Check{
		"eni_quantity": knownvalue.Int64Exact(3),
		"eni_left":     knownvalue.Int64Exact(0),
		"network_interfaces": knownvalue.ListExact([]knownvalue.Check{
			testAccInstanceENI(webPrimary, "Primary", 1, 9, 10),
			testAccInstanceENI("", "Secondary", 1, 9, 10),
			testAccInstanceENI("", "Secondary", 3, 7, 10),
		}),
	})
	for i, eni := range []string{"a", "b"} {
		full = append(full, statecheck.CompareValuePairs(
			testAccInstanceDataSourceAddr, tfjsonpath.New("network_interfaces").AtSliceIndex(i+1).AtMapKey("id"),
			"eni_network_interface."+eni, tfjsonpath.New("id"), compareEqual{}))
	}

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             testAccCheckNetworkInterfaceDestroy(b),
		Steps: []resource.TestStep{
			{
				Config: b.Config(`
data "eni_instance" "ghost" {
  instance_id = "i-doesnotexist"
}`),
				ExpectError: regexp.MustCompile(`(?s)` + acctest.Wrapped(
					`Error: Instance not found .* with data.eni_instance.ghost, .* instance_id = "i-doesnotexist" .* `+
						`Instance i-doesnotexist does not exist in region cn-hangzhou. Set instance_id`)),
			},
			{
				Config: b.Config(`
data "eni_instance" "web" {
  instance_id = "i-mockweb1"
}

data "eni_instance" "burst" {
  instance_id = "i-mockburst"
}`),
				ConfigStateChecks: append(web, burst...),
			},
			{
				Config:            b.Config(testAccInstanceENIs),
				ConfigStateChecks: full,
			},
			{
				// A third ENI for the instance: the guard says no ENI is
				// left, so the plan stops before anything is attached,
				// while the guards of the ENIs bound already still pass.
				Config: b.Config(testAccInstanceENIs, testAccInstanceGuardedAttachment("c",
					"Instance ${data.eni_instance.guard.id} has no ENI left (${data.eni_instance.guard.eni_quantity} bound).")),
				ExpectError: regexp.MustCompile(acctest.Wrapped(`Instance i-mockweb1 has no ENI left \(3 bound\)`)),
			},
			{
				// Destroy runs with the last configuration: leave a valid one.
				Config:            b.Config(testAccInstanceENIs),
				ConfigStateChecks: full,
			},
		},
	})
}

// The data source costs at most one call of each of the three kinds it
// reads, however many ENIs the instance holds: one DescribeInstances,
// one DescribeInstanceTypes and one DescribeNetworkInterfaces naming
// every bound ENI, with coalesced reads and without.
func TestAccInstanceDataSource_calls(t *testing.T) {
	acctest.PrepareTerraformCLI(t)
	for _, coalesce := range []string{"true", "false"} {
		t.Run("coalesce_reads="+coalesce, func(t *testing.T) {
			b, _ := acctest.NewCLIBackend(t, acctest.CLIOptions{})
			for _, ips := range []int{0, 2} {
				id := b.CreateENI(t, "vsw-mockh", "sg-mockweb", func(r *ecs.CreateNetworkInterfaceRequest) {
					if ips > 0 {
						r.SecondaryPrivateIpAddressCount = requests.NewInteger(ips)
					}
				})
				if err := b.AttachENI(id, "i-mockweb1"); err != nil {
					t.Fatal(err)
				}
			}
			tf := acctest.NewTerraform(t, b, `
data "eni_instance" "web" {
  instance_id = "i-mockweb1"
}

output "private_ips_left" {
  value = [for e in data.eni_instance.web.network_interfaces : e.private_ips_left]
}

output "eni_left" {
  value = data.eni_instance.web.eni_left
}`)
			tf.Setenv("ENI_COALESCE_READS", coalesce)
			b.Mock.ResetStats()
			r := tf.Apply()
			if r.Failed() {
				t.Fatalf("apply: %s", r)
			}
			st := b.Mock.Stats()
			t.Logf("apply: %d calls: %s", st.Total, testAccFormatActions(st.Actions))
			for _, action := range []string{"DescribeInstances", "DescribeInstanceTypes", "DescribeNetworkInterfaces"} {
				if st.Actions[action] > 1 {
					t.Errorf("%s: %d calls, want at most 1", action, st.Actions[action])
				}
			}
			if st.Total > 3 {
				t.Errorf("%d calls in all, want at most 3: %s", st.Total, testAccFormatActions(st.Actions))
			}
			if !regexp.MustCompile(acctest.Wrapped(`eni_left = 0 private_ips_left = \[ 9, 9, 7, \]`)).MatchString(r.Output()) {
				t.Errorf("apply output lacks the figures (eni_left 0, IPv4 left 9, 9 and 7):\n%s", r.Output())
			}
		})
	}
}

// testAccInstanceGuardedAttachment binds eni_network_interface.<name> to
// the instance of data.eni_instance.guard, with the precondition of the
// docs example and errorMessage, and extra arguments.
func testAccInstanceGuardedAttachment(name, errorMessage string, extra ...string) string {
	return fmt.Sprintf(`
resource "eni_network_interface_attachment" %[1]q {
  network_interface_id = eni_network_interface.%[1]s.id
  instance_id          = data.eni_instance.guard.id
  %[3]s

  lifecycle {
    precondition {
      condition     = contains(data.eni_instance.guard.network_interfaces[*].id, eni_network_interface.%[1]s.id) || data.eni_instance.guard.eni_left > 0
      error_message = %[2]q
    }
  }
}
`, name, errorMessage, strings.Join(extra, "\n  "))
}

// testAccExpectValues checks attributes of one resource or data source.
func testAccExpectValues(addr string, values map[string]knownvalue.Check) []statecheck.StateCheck {
	var out []statecheck.StateCheck
	for attr, v := range values {
		out = append(out, statecheck.ExpectKnownValue(addr, tfjsonpath.New(attr), v))
	}
	return out
}

// testAccInstanceENI is one entry of network_interfaces: an ENI holding
// ips private IPv4 addresses (primary included), no prefix and no IPv6.
// id "" leaves the ID to a CompareValuePairs check.
func testAccInstanceENI(id, typ string, ips, ipsLeft, ipv6Left int64) knownvalue.Check {
	attrs := map[string]knownvalue.Check{
		"type":                knownvalue.StringExact(typ),
		"private_ip_count":    knownvalue.Int64Exact(ips),
		"ipv4_prefix_count":   knownvalue.Int64Exact(0),
		"private_ips_left":    knownvalue.Int64Exact(ipsLeft),
		"ipv6_address_count":  knownvalue.Int64Exact(0),
		"ipv6_prefix_count":   knownvalue.Int64Exact(0),
		"ipv6_addresses_left": knownvalue.Int64Exact(ipv6Left),
	}
	if id == "" {
		return knownvalue.ObjectPartial(attrs)
	}
	attrs["id"] = knownvalue.StringExact(id)
	return knownvalue.ObjectExact(attrs)
}

// testAccDualStackVSwitch is the dual-stack vSwitch (zone h) of the
// emulator's built-in topology once it models IPv6 (issue 14, helper
// emu6).
const testAccDualStackVSwitch = "vsw-mockv6"

// An ENI with IPv6 addresses and IPv4 prefixes: the prefixes take IPv4
// places, the IPv6 addresses IPv6 places.
func TestAccInstanceDataSource_dualStack(t *testing.T) {
	seed := mockcloud.DefaultSeed()
	if !slices.ContainsFunc(seed.VSwitches, func(v mockcloud.SeedVSwitch) bool { return v.VSwitchID == testAccDualStackVSwitch }) {
		t.Skipf("the emulator's topology has no dual-stack vSwitch %s yet (it comes with IPv6 in the emulator)", testAccDualStackVSwitch)
	}
	b := acctest.NewEmulatorBackend(t, seed)
	id := b.CreateENI(t, testAccDualStackVSwitch, "sg-mockweb", func(r *ecs.CreateNetworkInterfaceRequest) {
		r.Ipv6AddressCount = requests.NewInteger(3)
		r.Ipv4PrefixCount = requests.NewInteger(2)
	})
	if err := b.AttachENI(id, "i-mockweb1"); err != nil {
		t.Fatal(err)
	}
	primary, _ := b.PrimaryENI(t, "i-mockweb1")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{{
			Config: b.Config(`
data "eni_instance" "web" {
  instance_id = "i-mockweb1"
}`),
			ConfigStateChecks: testAccExpectValues(testAccInstanceDataSourceAddr, map[string]knownvalue.Check{
				"eni_left": knownvalue.Int64Exact(1),
				"network_interfaces": knownvalue.ListExact([]knownvalue.Check{
					testAccInstanceENI(primary, "Primary", 1, 9, 10),
					knownvalue.ObjectExact(map[string]knownvalue.Check{
						"id":                  knownvalue.StringExact(id),
						"type":                knownvalue.StringExact("Secondary"),
						"private_ip_count":    knownvalue.Int64Exact(1),
						"ipv4_prefix_count":   knownvalue.Int64Exact(2),
						"private_ips_left":    knownvalue.Int64Exact(7),
						"ipv6_address_count":  knownvalue.Int64Exact(3),
						"ipv6_prefix_count":   knownvalue.Int64Exact(0),
						"ipv6_addresses_left": knownvalue.Int64Exact(7),
					}),
				}),
			}),
		}},
	})
}
