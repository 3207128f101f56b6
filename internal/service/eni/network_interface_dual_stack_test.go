package eni_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/openeni/terraform-provider-eni/internal/acctest"
	"github.com/openeni/terraform-provider-eni/internal/cloud"
)

// IPv6 addresses and IPv4 prefixes of eni_network_interface, through the
// terraform binary against the emulator's dual-stack vSwitch.

// dualStackENI is an eni_network_interface.test in the backend's
// dual-stack vSwitch with the given extra arguments.
func dualStackENI(t *testing.T, b *acctest.Backend, args string) string {
	return b.Config(fmt.Sprintf(`
resource "eni_network_interface" "test" {
  vswitch_id         = %q
  security_group_ids = [%q]
%s
}`, b.Fixture(t, "VSWITCH_ID_IPV6"), b.Fixture(t, "SECURITY_GROUP_ID"), args))
}

var inPlaceUpdate = resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
	plancheck.ExpectResourceAction(eniAddr, plancheck.ResourceActionUpdate),
}}

func TestAccNetworkInterface_dualStackCounts(t *testing.T) {
	b := acctest.NewBackend(t, nil)
	config := func(ipv6, prefixes int) string {
		return dualStackENI(t, b, fmt.Sprintf("  ipv6_address_count = %d\n  ipv4_prefix_count  = %d", ipv6, prefixes))
	}
	sizes := func(ipv6, prefixes int) []statecheck.StateCheck {
		return []statecheck.StateCheck{
			statecheck.ExpectKnownValue(eniAddr, tfjsonpath.New("assigned_ipv6_addresses"), knownvalue.SetSizeExact(ipv6)),
			statecheck.ExpectKnownValue(eniAddr, tfjsonpath.New("assigned_ipv4_prefixes"), knownvalue.SetSizeExact(prefixes)),
			statecheck.ExpectKnownValue(eniAddr, tfjsonpath.New("ipv6_address_count"), knownvalue.Int64Exact(int64(ipv6))),
			statecheck.ExpectKnownValue(eniAddr, tfjsonpath.New("ipv4_prefix_count"), knownvalue.Int64Exact(int64(prefixes))),
			statecheck.ExpectKnownValue(eniAddr, tfjsonpath.New("private_ips"), knownvalue.SetSizeExact(0)),
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             testAccCheckNetworkInterfaceDestroy(b),
		Steps: []resource.TestStep{
			{
				Config:            config(2, 1),
				ConfigStateChecks: sizes(2, 1),
				Check:             testAccCheckENIAddresses(b, 2, 1),
			},
			{
				// Up, in place.
				Config:            config(4, 3),
				ConfigPlanChecks:  inPlaceUpdate,
				ConfigStateChecks: sizes(4, 3),
				Check:             testAccCheckENIAddresses(b, 4, 3),
			},
			{
				// Down, in place, to none.
				Config:            config(1, 0),
				ConfigPlanChecks:  inPlaceUpdate,
				ConfigStateChecks: sizes(1, 0),
				Check:             testAccCheckENIAddresses(b, 1, 0),
			},
			{
				ResourceName:      eniAddr,
				ImportState:       true,
				ImportStateVerify: true,
				// Import cannot know which style the configuration uses,
				// so it adopts neither; the computed sets match.
				ImportStateVerifyIgnore: []string{"ipv6_address_count", "ipv4_prefix_count", "timeouts"},
			},
		},
	})
}

func TestAccNetworkInterface_dualStackFixed(t *testing.T) {
	b := acctest.NewEmulatorBackend(t, nil)
	config := func(ipv6, prefixes, secondaries []string) string {
		return dualStackENI(t, b, fmt.Sprintf("  ipv6_addresses        = %s\n  ipv4_prefixes         = %s\n"+
			"  secondary_private_ips = %s", hclList(ipv6), hclList(prefixes), hclList(secondaries)))
	}
	exact := func(attr string, want ...string) statecheck.StateCheck {
		var checks []knownvalue.Check
		for _, w := range want {
			checks = append(checks, knownvalue.StringExact(w))
		}
		return statecheck.ExpectKnownValue(eniAddr, tfjsonpath.New(attr), knownvalue.SetExact(checks))
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             testAccCheckNetworkInterfaceDestroy(b),
		Steps: []resource.TestStep{
			{
				// Secondary addresses and prefixes together: the API takes
				// one kind per request, so the create is followed by an
				// assign of the prefixes.
				PreConfig: b.Mock.ResetStats,
				Config:    config([]string{"2001:db8:10:4::10", "2001:db8:10:4::11"}, []string{"10.4.0.16/28"}, []string{"10.4.0.100"}),
				ConfigStateChecks: []statecheck.StateCheck{
					exact("assigned_ipv6_addresses", "2001:db8:10:4::10", "2001:db8:10:4::11"),
					exact("assigned_ipv4_prefixes", "10.4.0.16/28"),
					exact("private_ips", "10.4.0.100"),
				},
				Check: resource.ComposeTestCheckFunc(
					testAccCheckENIAddresses(b, 2, 1),
					b.CheckActions(map[string]int64{"CreateNetworkInterface": 1, "AssignPrivateIpAddresses": 1}),
				),
			},
			{
				// A plan without changes looks nothing up and changes nothing.
				PreConfig: b.Mock.ResetStats,
				Config:    config([]string{"2001:db8:10:4::10", "2001:db8:10:4::11"}, []string{"10.4.0.16/28"}, []string{"10.4.0.100"}),
				PlanOnly:  true,
			},
			{
				// One of each replaced, one prefix added: in place.
				PreConfig: func() {
					if st := b.Mock.Stats(); st.Mutating != 0 || st.Total != st.Actions["DescribeNetworkInterfaces"] || st.Total > 1 {
						t.Errorf("a no-op plan of a dual-stack ENI made %d calls: %v", st.Total, st.Actions)
					}
				},
				Config:           config([]string{"2001:db8:10:4::11", "2001:db8:10:4::12"}, []string{"10.4.0.32/28", "10.4.0.48/28"}, []string{"10.4.0.100"}),
				ConfigPlanChecks: inPlaceUpdate,
				ConfigStateChecks: []statecheck.StateCheck{
					exact("assigned_ipv6_addresses", "2001:db8:10:4::11", "2001:db8:10:4::12"),
					exact("assigned_ipv4_prefixes", "10.4.0.32/28", "10.4.0.48/28"),
					exact("private_ips", "10.4.0.100"),
				},
				Check: testAccCheckENIAddresses(b, 2, 2),
			},
			{
				ResourceName:            eniAddr,
				ImportState:             true,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"ipv6_addresses", "ipv4_prefixes", "secondary_private_ips", "timeouts"},
			},
		},
	})
}

// Leaving both arguments of a pair unset leaves those addresses alone:
// what was assigned outside Terraform stays through refreshes and
// updates, and shows in the computed sets only.
func TestAccNetworkInterface_dualStackLeftAlone(t *testing.T) {
	b := acctest.NewBackend(t, nil)
	config := func(desc string) string { return dualStackENI(t, b, fmt.Sprintf("  description = %q", desc)) }
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             testAccCheckNetworkInterfaceDestroy(b),
		Steps: []resource.TestStep{
			{
				Config: config("first"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(eniAddr, tfjsonpath.New("assigned_ipv6_addresses"), knownvalue.SetSizeExact(0)),
					statecheck.ExpectKnownValue(eniAddr, tfjsonpath.New("ipv6_address_count"), knownvalue.Null()),
				},
				Check: testAccAssignOutOfBand(b, 2, 1),
			},
			{
				// The refresh sees them; nothing is planned for them.
				Config: config("first"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(eniAddr, tfjsonpath.New("assigned_ipv6_addresses"), knownvalue.SetSizeExact(2)),
					statecheck.ExpectKnownValue(eniAddr, tfjsonpath.New("assigned_ipv4_prefixes"), knownvalue.SetSizeExact(1)),
				},
			},
			{
				// An update of something else keeps them, in plan and cloud.
				Config: config("second"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(eniAddr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(eniAddr, tfjsonpath.New("assigned_ipv6_addresses"), knownvalue.SetSizeExact(2)),
					plancheck.ExpectKnownValue(eniAddr, tfjsonpath.New("assigned_ipv4_prefixes"), knownvalue.SetSizeExact(1)),
				}},
				Check: testAccCheckENIAddresses(b, 2, 1),
			},
		},
	})
}

// Addresses assigned or removed outside Terraform show as a difference
// when the ENI owns them, and the next apply converges them in place.
func TestAccNetworkInterface_dualStackDrift(t *testing.T) {
	b := acctest.NewBackend(t, nil)
	config := dualStackENI(t, b, "  ipv6_address_count = 1\n  ipv4_prefix_count  = 1")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             testAccCheckNetworkInterfaceDestroy(b),
		Steps: []resource.TestStep{
			{
				Config:             config,
				Check:              testAccAssignOutOfBand(b, 2, 1),
				ExpectNonEmptyPlan: true,
			},
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(eniAddr, plancheck.ResourceActionUpdate),
				}},
				Check: testAccCheckENIAddresses(b, 1, 1),
			},
		},
	})
}

// An ENI bound to an instance takes the instance type's IPv6 limit, which
// plan judges without a call that changes anything; within it the count
// converges in place.
func TestAccNetworkInterface_dualStackBoundLimit(t *testing.T) {
	b := acctest.NewEmulatorBackend(t, nil)
	config := func(ipv6 int) string {
		return dualStackENI(t, b, fmt.Sprintf("  ipv6_address_count = %d\n  attachment {\n    instance_id = %q\n  }",
			ipv6, b.Fixture(t, "INSTANCE_ID")))
	}
	mark := b.MarkCalls(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             testAccCheckNetworkInterfaceDestroy(b),
		Steps: []resource.TestStep{
			{Config: config(2), Check: resource.ComposeTestCheckFunc(testAccCheckENIAddresses(b, 2, 0), mark.Check)},
			{
				// ecs.g7.large takes 10 IPv6 addresses per ENI.
				Config:      config(11),
				ExpectError: regexp.MustCompile(acctest.Wrapped(`instance type ecs.g7.large allows 10 IPv6 addresses per ENI; assign 1 fewer \(set by ipv6_address_count\)`)),
			},
			{PreConfig: mark.ExpectNone, Config: config(10), ConfigPlanChecks: inPlaceUpdate, Check: testAccCheckENIAddresses(b, 10, 0)},
		},
	})
}

// IPv4 prefixes take private IP places that eni_private_ip counts too:
// an unbound ENI with 10 prefixes has no room for one more address.
func TestAccNetworkInterface_dualStackPrefixesFillPrivateIPs(t *testing.T) {
	b := acctest.NewEmulatorBackend(t, nil)
	eni := dualStackENI(t, b, "  ipv4_prefix_count = 10")
	mark := b.MarkCalls(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             testAccCheckNetworkInterfaceDestroy(b),
		Steps: []resource.TestStep{
			{Config: eni, Check: resource.ComposeTestCheckFunc(testAccCheckENIAddresses(b, 0, 10), mark.Check)},
			{
				Config: eni + `
resource "eni_private_ip" "extra" {
  network_interface_id = eni_network_interface.test.id
}`,
				ExpectError: regexp.MustCompile(acctest.Wrapped(`holds at most 10 secondary private IPs, but it would hold 11 \(10 now, 1 more planned by eni_private_ip\)`)),
			},
			{PreConfig: mark.ExpectNone, Config: eni, PlanOnly: true},
		},
	})
}

// Every broken IPv6 or prefix input fails at plan, names the attribute
// and changes nothing in the cloud.
func TestAccNetworkInterface_dualStackPlanValidation(t *testing.T) {
	b := acctest.NewEmulatorBackend(t, nil)
	b.ExpectNoMutatingCalls(t)
	plain, dual, sg := b.Fixture(t, "VSWITCH_ID"), b.Fixture(t, "VSWITCH_ID_IPV6"), b.Fixture(t, "SECURITY_GROUP_ID")
	cfg := func(vsw, body string) string {
		return b.Config(fmt.Sprintf(`
resource "eni_network_interface" "test" {
  vswitch_id         = %q
  security_group_ids = [%q]
%s
}`, vsw, sg, body))
	}
	cases := []struct {
		name, vsw, body, want string
	}{
		{"ipv6 count in a vswitch without ipv6", plain, `ipv6_address_count = 1`,
			`ipv6_address_count asks for IPv6 addresses, but vSwitch ` + plain + ` has no IPv6 CIDR block`},
		{"fixed ipv6 in a vswitch without ipv6", plain, `ipv6_addresses = ["2001:db8:10:4::10"]`,
			`ipv6_addresses asks for IPv6 addresses, but vSwitch ` + plain + ` has no IPv6 CIDR block`},
		{"ipv6 outside the vswitch block", dual, `ipv6_addresses = ["2001:db8:10:5::10"]`,
			`2001:db8:10:5::10 of vSwitch ` + dual + ` is outside the vSwitch IPv6 CIDR block 2001:db8:10:4::/64`},
		{"ipv6 not canonical", dual, `ipv6_addresses = ["2001:DB8:10:4::10"]`, `write it as "2001:db8:10:4::10"`},
		{"ipv6 that is ipv4", dual, `ipv6_addresses = ["10.4.0.5"]`, `is an IPv4 address, not an IPv6 one`},
		{"too many ipv6 unbound", dual, `ipv6_address_count = 11`,
			`an ENI bound to no instance holds at most 10 IPv6 addresses; assign 1 fewer`},
		{"prefix not a /28", dual, `ipv4_prefixes = ["10.4.0.0/27"]`, `is a /27, not a /28`},
		{"prefix off its boundary", dual, `ipv4_prefixes = ["10.4.0.20/28"]`, `is not on a /28 boundary \(10.4.0.16/28 is\)`},
		{"prefix outside the vswitch", dual, `ipv4_prefixes = ["10.5.0.16/28"]`,
			`10.5.0.16/28 of vSwitch ` + dual + ` is outside the vSwitch CIDR block 10.4.0.0/24`},
		{"prefix on a reserved address", dual, `ipv4_prefixes = ["10.4.0.0/28"]`, `holds an address the vSwitch 10.4.0.0/24 reserves`},
		{"secondaries and prefixes beyond the unbound limit", dual, "secondary_private_ip_count = 5\nipv4_prefix_count = 6",
			`would hold 12 private IPv4 places \(the primary address, 5 secondary addresses and 6 prefixes\); an ENI bound to no instance holds at most 10`},
		{"address inside a prefix", dual, "ipv4_prefixes = [\"10.4.0.16/28\"]\nsecondary_private_ips = [\"10.4.0.20\"]",
			`10.4.0.20 lies in the IPv4 prefix 10.4.0.16/28 of the same ENI`},
		{"both ipv6 styles", dual, "ipv6_address_count = 1\nipv6_addresses = [\"2001:db8:10:4::10\"]",
			`These attributes cannot be configured together`},
		{"both prefix styles", dual, "ipv4_prefix_count = 1\nipv4_prefixes = [\"10.4.0.16/28\"]",
			`These attributes cannot be configured together`},
		{"ipv6 on an instance type without ipv6", dual, fmt.Sprintf("ipv6_address_count = 1\nattachment {\n  instance_id = %q\n  stop_instance_if_required = true\n}", b.Fixture(t, "INSTANCE_ID_NO_IPV6")),
			`instance type ecs.t6-c1m2.large takes no IPv6 addresses`},
		{"prefixes beyond the bound instance type's limit", dual, fmt.Sprintf("secondary_private_ip_count = 6\nipv4_prefix_count = 4\nattachment {\n  instance_id = %q\n}", b.Fixture(t, "INSTANCE_ID")),
			`will hold 11 private IPs \(primary included\), but instance type ecs.g7.large allows at most 10 per ENI; remove 1 secondary private IP\(s\) or IPv4 prefix\(es\) \(each prefix counts as one\)`},
	}
	var steps []resource.TestStep
	for _, tc := range cases {
		steps = append(steps, resource.TestStep{
			Config:      cfg(tc.vsw, tc.body),
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(acctest.Wrapped(tc.want)),
		})
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps:                    steps,
	})
}

// Both data sources report what the ENI holds, from the same view.
func TestAccNetworkInterfaceDataSources_dualStack(t *testing.T) {
	b := acctest.NewBackend(t, nil)
	config := dualStackENI(t, b, "  ipv6_address_count = 2\n  ipv4_prefix_count  = 1") + `
data "eni_network_interface" "test" {
  id = eni_network_interface.test.id
}

data "eni_network_interfaces" "test" {
  ids = [eni_network_interface.test.id]
}
`
	var checks []statecheck.StateCheck
	for attr, n := range map[string]int{"assigned_ipv6_addresses": 2, "assigned_ipv4_prefixes": 1} {
		one := tfjsonpath.New(attr)
		listed := tfjsonpath.New("network_interfaces").AtSliceIndex(0).AtMapKey(attr)
		checks = append(checks,
			statecheck.ExpectKnownValue("data.eni_network_interface.test", one, knownvalue.SetSizeExact(n)),
			statecheck.CompareValuePairs("data.eni_network_interface.test", one, eniAddr, one, compare.ValuesSame()),
			statecheck.CompareValuePairs("data.eni_network_interfaces.test", listed, eniAddr, one, compare.ValuesSame()),
		)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             testAccCheckNetworkInterfaceDestroy(b),
		Steps:                    []resource.TestStep{{Config: config, ConfigStateChecks: checks}},
	})
}

// hclList writes strings as an HCL list.
func hclList(items []string) string {
	quoted := make([]string, len(items))
	for i, s := range items {
		quoted[i] = fmt.Sprintf("%q", s)
	}
	return "[" + strings.Join(quoted, ", ") + "]"
}

// testAccCheckENIAddresses reads the ENI of eni_network_interface.test
// from the API and checks how many IPv6 addresses and IPv4 prefixes it
// holds, independent of the provider's state.
func testAccCheckENIAddresses(b *acctest.Backend, ipv6, prefixes int) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		eni, err := b.Client.FindNetworkInterfaceByID(context.Background(), s.RootModule().Resources[eniAddr].Primary.ID)
		if err != nil {
			return err
		}
		got6, gotP := cloud.IPv6Addresses(eni), cloud.IPv4Prefixes(eni)
		if len(got6) != ipv6 || len(gotP) != prefixes {
			return fmt.Errorf("%s holds IPv6 %v and prefixes %v in the cloud, want %d and %d", eni.NetworkInterfaceId,
				got6, gotP, ipv6, prefixes)
		}
		return nil
	}
}

// testAccAssignOutOfBand gives the ENI of eni_network_interface.test
// ipv6 more IPv6 addresses and prefixes more IPv4 prefixes through the
// API, as something outside Terraform would.
func testAccAssignOutOfBand(b *acctest.Backend, ipv6, prefixes int) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		ctx, id := context.Background(), s.RootModule().Resources[eniAddr].Primary.ID
		v6 := ecs.CreateAssignIpv6AddressesRequest()
		v6.NetworkInterfaceId, v6.Ipv6AddressCount = id, requests.NewInteger(ipv6)
		out6, err := b.Client.AssignIpv6Addresses(ctx, v6)
		if err != nil {
			return err
		}
		if _, err := b.Client.WaitNetworkInterfaceIPv6Addresses(ctx, id, out6.Ipv6Sets.Ipv6Address, nil, 0); err != nil {
			return err
		}
		p := ecs.CreateAssignPrivateIpAddressesRequest()
		p.NetworkInterfaceId, p.Ipv4PrefixCount = id, requests.NewInteger(prefixes)
		outP, err := b.Client.AssignPrivateIpAddresses(ctx, p)
		if err != nil {
			return err
		}
		got6, gotP := out6.Ipv6Sets.Ipv6Address, outP.AssignedPrivateIpAddressesSet.Ipv4PrefixSet.Ipv4Prefixes
		if len(got6) != ipv6 || len(gotP) != prefixes {
			return fmt.Errorf("the out-of-band assigns on %s reported IPv6 %v and prefixes %v", id, got6, gotP)
		}
		_, err = b.Client.WaitNetworkInterfaceIPv4Prefixes(ctx, id, gotP, nil, 0)
		return err
	}
}
