package eni_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/openeni/terraform-provider-eni/internal/acctest"
	"github.com/openeni/terraform-provider-eni/internal/cloud"
	"github.com/openeni/terraform-provider-eni/internal/mockcloud"
)

const eniAddr = "eni_network_interface.test"

func TestAccNetworkInterface_basic(t *testing.T) {
	b := acctest.NewBackend(t, nil)
	vsw, sg := b.Fixture(t, "VSWITCH_ID"), b.Fixture(t, "SECURITY_GROUP_ID")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             testAccCheckNetworkInterfaceDestroy(b),
		Steps: []resource.TestStep{
			{
				Config: b.Config(fmt.Sprintf(`
resource "eni_network_interface" "test" {
  vswitch_id                 = %q
  security_group_ids         = [%q]
  name                       = "acc-basic"
  secondary_private_ip_count = 2
  tags = {
    team = "net"
  }
}`, vsw, sg)),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(eniAddr, tfjsonpath.New("id"), knownvalue.StringRegexp(regexp.MustCompile(`^eni-`))),
					statecheck.ExpectKnownValue(eniAddr, tfjsonpath.New("status"), knownvalue.StringExact("Available")),
					statecheck.ExpectKnownValue(eniAddr, tfjsonpath.New("type"), knownvalue.StringExact("Secondary")),
					statecheck.ExpectKnownValue(eniAddr, tfjsonpath.New("instance_id"), knownvalue.StringExact("")),
					statecheck.ExpectKnownValue(eniAddr, tfjsonpath.New("private_ips"), knownvalue.SetSizeExact(2)),
					statecheck.ExpectKnownValue(eniAddr, tfjsonpath.New("secondary_private_ip_count"), knownvalue.Int64Exact(2)),
					statecheck.ExpectKnownValue(eniAddr, tfjsonpath.New("mac_address"), knownvalue.StringRegexp(regexp.MustCompile(`^00:16:3e:`))),
					statecheck.ExpectKnownValue(eniAddr, tfjsonpath.New("tags"), knownvalue.MapExact(map[string]knownvalue.Check{"team": knownvalue.StringExact("net")})),
					statecheck.ExpectKnownValue(eniAddr, tfjsonpath.New("traffic_mode"), knownvalue.StringExact("Standard")),
				},
				Check: testAccCheckNetworkInterfaceSecondaryIPs(b, 2),
			},
			{
				ResourceName:      eniAddr,
				ImportState:       true,
				ImportStateVerify: true,
				// Import cannot know which secondary-IP style the
				// configuration uses, so it adopts neither.
				ImportStateVerifyIgnore: []string{"secondary_private_ip_count", "timeouts"},
			},
		},
	})
}

// Names, descriptions and tags are counted in characters, as the API
// counts them: a 128-character Chinese name (384 bytes) and a
// 100-character Chinese description (300 bytes) plan and apply.
func TestAccNetworkInterface_multibyteText(t *testing.T) {
	b := acctest.NewBackend(t, nil)
	vsw, sg := b.Fixture(t, "VSWITCH_ID"), b.Fixture(t, "SECURITY_GROUP_ID")
	name, desc, value := strings.Repeat("网", 128), strings.Repeat("描", 100), strings.Repeat("值", 128)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             testAccCheckNetworkInterfaceDestroy(b),
		Steps: []resource.TestStep{
			{
				Config: b.Config(fmt.Sprintf(`
resource "eni_network_interface" "test" {
  vswitch_id         = %q
  security_group_ids = [%q]
  name               = %q
  description        = %q
  tags = {
    "团队" = %q
  }
}`, vsw, sg, name, desc, value)),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(eniAddr, tfjsonpath.New("name"), knownvalue.StringExact(name)),
					statecheck.ExpectKnownValue(eniAddr, tfjsonpath.New("description"), knownvalue.StringExact(desc)),
					statecheck.ExpectKnownValue(eniAddr, tfjsonpath.New("tags"), knownvalue.MapExact(map[string]knownvalue.Check{"团队": knownvalue.StringExact(value)})),
				},
			},
		},
	})
}

func TestAccNetworkInterface_explicitIPs(t *testing.T) {
	b := acctest.NewBackend(t, nil)
	vsw, sg := b.Fixture(t, "VSWITCH_ID"), b.Fixture(t, "SECURITY_GROUP_ID")
	config := func(primary string, ips ...string) string {
		list := ""
		for _, ip := range ips {
			list += fmt.Sprintf("%q, ", ip)
		}
		return b.Config(fmt.Sprintf(`
resource "eni_network_interface" "test" {
  vswitch_id            = %q
  security_group_ids    = [%q]
  primary_ip_address    = %q
  secondary_private_ips = [%s]
}`, vsw, sg, primary, list))
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             testAccCheckNetworkInterfaceDestroy(b),
		Steps: []resource.TestStep{
			{
				Config: config("10.1.0.100", "10.1.0.101", "10.1.0.102"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(eniAddr, tfjsonpath.New("primary_ip_address"), knownvalue.StringExact("10.1.0.100")),
					statecheck.ExpectKnownValue(eniAddr, tfjsonpath.New("private_ips"), knownvalue.SetExact([]knownvalue.Check{
						knownvalue.StringExact("10.1.0.101"), knownvalue.StringExact("10.1.0.102")})),
				},
			},
			{
				// One address replaced, one added: converged in place.
				Config: config("10.1.0.100", "10.1.0.102", "10.1.0.103", "10.1.0.104"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(eniAddr, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(eniAddr, tfjsonpath.New("private_ips"), knownvalue.SetExact([]knownvalue.Check{
						knownvalue.StringExact("10.1.0.102"), knownvalue.StringExact("10.1.0.103"), knownvalue.StringExact("10.1.0.104")})),
				},
				Check: testAccCheckNetworkInterfaceSecondaryIPs(b, 3),
			},
			{
				// A new primary address replaces the ENI.
				Config: config("10.1.0.110", "10.1.0.102"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(eniAddr, plancheck.ResourceActionDestroyBeforeCreate),
				}},
			},
			{
				ResourceName:            eniAddr,
				ImportState:             true,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"secondary_private_ips", "timeouts"},
			},
		},
	})
}

func TestAccNetworkInterface_update(t *testing.T) {
	b := acctest.NewBackend(t, nil)
	vsw, sg1, sg2 := b.Fixture(t, "VSWITCH_ID"), b.Fixture(t, "SECURITY_GROUP_ID"), b.Fixture(t, "SECURITY_GROUP_ID_2")
	config := func(groups, name, desc string, queues int, mode string, release bool, count int, tags string) string {
		return b.Config(fmt.Sprintf(`
resource "eni_network_interface" "test" {
  vswitch_id                 = %q
  security_group_ids         = [%s]
  name                       = %q
  description                = %q
  queue_number               = %d
  traffic_mode               = %q
  delete_on_release          = %t
  secondary_private_ip_count = %d
  tags                       = %s
}`, vsw, groups, name, desc, queues, mode, release, count, tags))
	}
	inPlace := resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(eniAddr, plancheck.ResourceActionUpdate)}}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             testAccCheckNetworkInterfaceDestroy(b),
		Steps: []resource.TestStep{
			{
				Config: config(fmt.Sprintf("%q", sg1), "first", "the first one", 1, "Standard", true, 2, `{ a = "1", b = "2" }`),
				Check:  testAccCheckNetworkInterfaceSecondaryIPs(b, 2),
			},
			{
				Config:           config(fmt.Sprintf("%q, %q", sg1, sg2), "second", "the second one", 4, "HighPerformance", false, 5, `{ a = "1", b = "3", c = "4" }`),
				ConfigPlanChecks: inPlace,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(eniAddr, tfjsonpath.New("security_group_ids"), knownvalue.SetSizeExact(2)),
					statecheck.ExpectKnownValue(eniAddr, tfjsonpath.New("name"), knownvalue.StringExact("second")),
					statecheck.ExpectKnownValue(eniAddr, tfjsonpath.New("description"), knownvalue.StringExact("the second one")),
					statecheck.ExpectKnownValue(eniAddr, tfjsonpath.New("queue_number"), knownvalue.Int64Exact(4)),
					statecheck.ExpectKnownValue(eniAddr, tfjsonpath.New("traffic_mode"), knownvalue.StringExact("HighPerformance")),
					statecheck.ExpectKnownValue(eniAddr, tfjsonpath.New("delete_on_release"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(eniAddr, tfjsonpath.New("private_ips"), knownvalue.SetSizeExact(5)),
					statecheck.ExpectKnownValue(eniAddr, tfjsonpath.New("tags"), knownvalue.MapExact(map[string]knownvalue.Check{
						"a": knownvalue.StringExact("1"), "b": knownvalue.StringExact("3"), "c": knownvalue.StringExact("4")})),
				},
				Check: testAccCheckNetworkInterfaceSecondaryIPs(b, 5),
			},
			{
				Config:           config(fmt.Sprintf("%q", sg2), "second", "the second one", 4, "HighPerformance", false, 1, `{ c = "4" }`),
				ConfigPlanChecks: inPlace,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(eniAddr, tfjsonpath.New("security_group_ids"), knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact(sg2)})),
					statecheck.ExpectKnownValue(eniAddr, tfjsonpath.New("private_ips"), knownvalue.SetSizeExact(1)),
					statecheck.ExpectKnownValue(eniAddr, tfjsonpath.New("tags"), knownvalue.MapSizeExact(1)),
				},
				Check: testAccCheckNetworkInterfaceSecondaryIPs(b, 1),
			},
		},
	})
}

// An in-place update shows only what changes: the stable computed
// attributes keep their state value in the plan, and private_ips stays
// known while the update cannot change addresses.
func TestAccNetworkInterface_quietUpdate(t *testing.T) {
	b := acctest.NewBackend(t, nil)
	vsw, sg := b.Fixture(t, "VSWITCH_ID"), b.Fixture(t, "SECURITY_GROUP_ID")
	config := func(desc string, count int) string {
		return b.Config(fmt.Sprintf(`
resource "eni_network_interface" "test" {
  vswitch_id                 = %q
  security_group_ids         = [%q]
  description                = %q
  secondary_private_ip_count = %d
}`, vsw, sg, desc, count))
	}
	var stable []plancheck.PlanCheck
	for _, name := range []string{"id", "mac_address", "zone_id", "vpc_id", "type", "status", "instance_id",
		"delete_on_release", "traffic_mode", "name", "resource_group_id", "primary_ip_address"} {
		stable = append(stable, plancheck.ExpectKnownValue(eniAddr, tfjsonpath.New(name), knownvalue.NotNull()))
	}
	quiet := append([]plancheck.PlanCheck{
		plancheck.ExpectResourceAction(eniAddr, plancheck.ResourceActionUpdate),
		plancheck.ExpectKnownValue(eniAddr, tfjsonpath.New("private_ips"), knownvalue.SetSizeExact(2)),
		plancheck.ExpectKnownValue(eniAddr, tfjsonpath.New("queue_number"), knownvalue.Null()),
	}, stable...)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             testAccCheckNetworkInterfaceDestroy(b),
		Steps: []resource.TestStep{
			{Config: config("first", 2)},
			{
				Config:           config("second", 2),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: quiet},
			},
			{
				// Changing the count may change addresses: only then are
				// they unknown.
				Config: config("second", 3),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: append([]plancheck.PlanCheck{
					plancheck.ExpectUnknownValue(eniAddr, tfjsonpath.New("private_ips")),
				}, stable...)},
				Check: testAccCheckNetworkInterfaceSecondaryIPs(b, 3),
			},
		},
	})
}

// A tainted ENI with fixed addresses (an interrupted create) is replaced
// by the next apply: its replacement may take the addresses it holds.
func TestAccNetworkInterface_taintedWithFixedAddresses(t *testing.T) {
	b := acctest.NewEmulatorBackend(t, nil)
	vsw, sg := b.Fixture(t, "VSWITCH_ID"), b.Fixture(t, "SECURITY_GROUP_ID")
	config := b.Config(fmt.Sprintf(`
resource "eni_network_interface" "test" {
  vswitch_id            = %q
  security_group_ids    = [%q]
  primary_ip_address    = "10.1.0.200"
  secondary_private_ips = ["10.1.0.201", "10.1.0.202"]
}`, vsw, sg))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             testAccCheckNetworkInterfaceDestroy(b),
		Steps: []resource.TestStep{
			{Config: config},
			{
				Config: config,
				Taint:  []string{eniAddr},
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(eniAddr, plancheck.ResourceActionDestroyBeforeCreate),
				}},
				Check: testAccCheckNetworkInterfaceSecondaryIPs(b, 2),
			},
		},
	})
}

// Destroy never fails because an EIP was associated with the ENI outside
// Terraform: deleting the ENI frees the EIP first.
func TestAccNetworkInterface_destroyWithForeignEIP(t *testing.T) {
	b, seeded := testAccIPBackend(t, nil)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             b.CheckSeeded(seeded),
		Steps: []resource.TestStep{
			{
				Config: b.Config(`
resource "eni_network_interface" "test" {
  vswitch_id         = "vsw-mockh"
  security_group_ids = ["sg-mockweb"]
}`),
				Check: func(s *terraform.State) error {
					return b.AssociateEIP(b.Fixture(t, "EIP_ID"), s.RootModule().Resources[eniAddr].Primary.ID, "", "")
				},
			},
		},
	})
}

func TestAccNetworkInterface_disappears(t *testing.T) {
	b := acctest.NewBackend(t, nil)
	vsw, sg := b.Fixture(t, "VSWITCH_ID"), b.Fixture(t, "SECURITY_GROUP_ID")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             testAccCheckNetworkInterfaceDestroy(b),
		Steps: []resource.TestStep{
			{
				Config: b.Config(fmt.Sprintf(`
resource "eni_network_interface" "test" {
  vswitch_id         = %q
  security_group_ids = [%q]
}`, vsw, sg)),
				Check:              testAccDeleteNetworkInterfaceOutOfBand(b, eniAddr),
				ExpectNonEmptyPlan: true,
			},
		},
	})
}

// Every broken input fails at plan, names the attribute and changes
// nothing in the cloud.
func TestAccNetworkInterface_planValidation(t *testing.T) {
	seed := mockcloud.DefaultSeed()
	seed.VPCs = append(seed.VPCs, mockcloud.SeedVPC{VPCID: "vpc-other", CIDRBlock: "172.16.0.0/12"})
	seed.SecurityGroups = append(seed.SecurityGroups, mockcloud.SeedSecurityGroup{SecurityGroupID: "sg-other", VPCID: "vpc-other"})
	b := acctest.NewEmulatorBackend(t, seed)
	b.ExpectNoMutatingCalls(t)
	cfg := func(body string) string {
		return b.Config(fmt.Sprintf(`
resource "eni_network_interface" "test" {
%s
}`, body))
	}
	cases := []struct {
		name, body, want string
	}{
		{"unknown vswitch", `vswitch_id = "vsw-ghost"
security_group_ids = ["sg-mockweb"]`, `vSwitch vsw-ghost does not exist`},
		{"unknown security group", `vswitch_id = "vsw-mockh"
security_group_ids = ["sg-ghost"]`, `Security group sg-ghost does not exist`},
		{"security group of another vpc", `vswitch_id = "vsw-mockh"
security_group_ids = ["sg-other"]`, `security group sg-other is in vpc-other, but vSwitch vsw-mockh is in\s+vpc-mock1`},
		{"primary outside the cidr", `vswitch_id = "vsw-mockh"
security_group_ids = ["sg-mockweb"]
primary_ip_address = "10.9.0.5"`, `10.9.0.5 is outside vSwitch vsw-mockh \(10.1.0.0/24\)`},
		{"reserved secondary", `vswitch_id = "vsw-mockh"
security_group_ids = ["sg-mockweb"]
secondary_private_ips = ["10.1.0.255"]`, `10.1.0.255 is reserved`},
		{"malformed address", `vswitch_id = "vsw-mockh"
security_group_ids = ["sg-mockweb"]
secondary_private_ips = ["10.1.0.300"]`, `"10.1.0.300" is not an IPv4\s+address`},
		{"empty vswitch", `vswitch_id = ""
security_group_ids = ["sg-mockweb"]`, `vswitch_id`},
		{"empty security group", `vswitch_id = "vsw-mockh"
security_group_ids = [""]`, `security_group_ids`},
		{"both secondary styles", `vswitch_id = "vsw-mockh"
security_group_ids = ["sg-mockweb"]
secondary_private_ip_count = 1
secondary_private_ips = ["10.1.0.50"]`, `secondary_private_ip_count.*cannot be specified when|These attributes cannot be configured together`},
		{"too many ips for an unbound eni", `vswitch_id = "vsw-mockh"
security_group_ids = ["sg-mockweb"]
secondary_private_ip_count = 11`, `would hold 12 private IPv4 places \(the primary address, 11 secondary addresses and 0 prefixes\); an ENI bound to no instance holds at most 10 secondary IPv4 addresses and IPv4 prefixes together; assign 1 fewer`},
		{"bad traffic mode", `vswitch_id = "vsw-mockh"
security_group_ids = ["sg-mockweb"]
traffic_mode = "Turbo"`, `traffic_mode`},
		{"reserved tag key", `vswitch_id = "vsw-mockh"
security_group_ids = ["sg-mockweb"]
tags = { "aliyun:x" = "1" }`, `prefix Alibaba Cloud reserves`},
		{"name with a space", `vswitch_id = "vsw-mockh"
security_group_ids = ["sg-mockweb"]
name = "web eni"`, `name "web eni" contains ' '`},
		{"description too long", `vswitch_id = "vsw-mockh"
security_group_ids = ["sg-mockweb"]
description = "${join("", [for i in range(257) : "描"])}"`, `is 257 characters long`},
	}
	var steps []resource.TestStep
	for _, tc := range cases {
		steps = append(steps, resource.TestStep{
			Config:      cfg(tc.body),
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(acctest.Wrapped(tc.want)),
		})
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps:                    steps,
	})
}

func testAccCheckNetworkInterfaceDestroy(b *acctest.Backend) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		for _, rs := range s.RootModule().Resources {
			if rs.Type != "eni_network_interface" {
				continue
			}
			_, err := b.Client.FindNetworkInterfaceByID(context.Background(), rs.Primary.ID)
			if cloud.IsNotFound(err) {
				continue
			}
			if err != nil {
				return err
			}
			return fmt.Errorf("network interface %s still exists", rs.Primary.ID)
		}
		return nil
	}
}

// testAccCheckNetworkInterfaceSecondaryIPs reads the ENI of
// eni_network_interface.test from the API and checks its number of
// secondary IPs, independent of the provider's state.
func testAccCheckNetworkInterfaceSecondaryIPs(b *acctest.Backend, want int) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		rs, ok := s.RootModule().Resources[eniAddr]
		if !ok {
			return fmt.Errorf("%s not in state", eniAddr)
		}
		eni, err := b.Client.FindNetworkInterfaceByID(context.Background(), rs.Primary.ID)
		if err != nil {
			return err
		}
		if got := len(cloud.PrivateIPs(eni)) - 1; got != want {
			return fmt.Errorf("%s has %d secondary IPs in the cloud, want %d", rs.Primary.ID, got, want)
		}
		return nil
	}
}

func testAccDeleteNetworkInterfaceOutOfBand(b *acctest.Backend, addr string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		id := s.RootModule().Resources[addr].Primary.ID
		req := ecs.CreateDeleteNetworkInterfaceRequest()
		req.NetworkInterfaceId = id
		if _, err := b.Client.DeleteNetworkInterface(context.Background(), req); err != nil {
			return err
		}
		return b.Client.WaitNetworkInterfaceDeleted(context.Background(), id, 0)
	}
}

// A plan with no changes costs one Describe for its refreshes and nothing
// else: the plan-time checks only look things up when what they judge
// changes. (Many resources share that Describe: TestAccCoalesce_callCounts.)
func TestAccNetworkInterface_apiCalls(t *testing.T) {
	b := acctest.NewBackend(t, nil)
	if b.Mock == nil {
		t.Skip("counts calls on the emulator")
	}
	config := b.Config(fmt.Sprintf(`
resource "eni_network_interface" "test" {
  vswitch_id                 = %q
  security_group_ids         = [%q]
  secondary_private_ip_count = 2
}`, b.Fixture(t, "VSWITCH_ID"), b.Fixture(t, "SECURITY_GROUP_ID")))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             testAccCheckNetworkInterfaceDestroy(b),
		Steps: []resource.TestStep{
			{
				PreConfig: b.Mock.ResetStats,
				Config:    config,
				Check: func(*terraform.State) error {
					st := b.Mock.Stats()
					t.Logf("create (plan + apply): %d calls, %d mutating: %v", st.Total, st.Mutating, st.Actions)
					if st.Mutating != 1 || st.Actions["CreateNetworkInterface"] != 1 {
						return fmt.Errorf("creating one ENI with two addresses took %d mutating calls: %v", st.Mutating, st.Actions)
					}
					return nil
				},
			},
			{PreConfig: b.Mock.ResetStats, Config: config, PlanOnly: true},
			{
				PreConfig: func() {
					st := b.Mock.Stats()
					t.Logf("no-op plan: %d calls: %v", st.Total, st.Actions)
					if st.Mutating != 0 || st.Total != st.Actions["DescribeNetworkInterfaces"] || st.Total > 1 {
						t.Errorf("a no-op plan made %d calls: %v", st.Total, st.Actions)
					}
				},
				Config:   config,
				PlanOnly: true,
			},
		},
	})
}
