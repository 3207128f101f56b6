package eni_test

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

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
	"github.com/openeni/terraform-provider-eni/internal/domain"
	"github.com/openeni/terraform-provider-eni/internal/mockcloud"
)

// These tests name objects of the emulator's seed (instances of a given
// type, their primary ENIs, addresses of vsw-mockh), so they run against
// the emulator only.
func testAccIPBackend(t *testing.T, seed *mockcloud.Seed) (*acctest.Backend, *acctest.Seeded) {
	t.Helper()
	b := acctest.NewEmulatorBackend(t, seed)
	return b, b.SnapshotSeeded(t)
}

// testAccBigSeed adds an instance whose type allows 30 private IPs per
// ENI, so its primary ENI can take twenty more.
func testAccBigSeed() *mockcloud.Seed {
	s := mockcloud.DefaultSeed()
	s.InstanceTypes = append(s.InstanceTypes, mockcloud.SeedInstanceType{
		InstanceTypeID: "ecs.g7.8xlarge", ENIQuantity: 8, ENIPrivateIPAddressQuantity: 30, ENIIPv6AddressQuantity: 30,
	})
	s.Instances = append(s.Instances, mockcloud.SeedInstance{
		InstanceID: "i-mockbig", Name: "big-1", InstanceType: "ecs.g7.8xlarge", VSwitchID: "vsw-mockh",
		SecurityGroupIDs: []string{"sg-mockweb"}, Status: "Running",
	})
	return s
}

const ipENIConfig = `
resource "eni_network_interface" "test" {
  vswitch_id         = "vsw-mockh"
  security_group_ids = ["sg-mockweb"]
}
`

func TestAccPrivateIP_basic(t *testing.T) {
	b, seeded := testAccIPBackend(t, nil)
	config := b.Config(ipENIConfig + `
resource "eni_private_ip" "explicit" {
  network_interface_id = eni_network_interface.test.id
  ip_address           = "10.1.0.50"
}

resource "eni_private_ip" "auto" {
  network_interface_id = eni_network_interface.test.id
}
`)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             b.CheckSeeded(seeded),
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectUnknownValue("eni_private_ip.auto", tfjsonpath.New("ip_address")),
					plancheck.ExpectKnownValue("eni_private_ip.explicit", tfjsonpath.New("ip_address"), knownvalue.StringExact("10.1.0.50")),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("eni_private_ip.explicit", tfjsonpath.New("ip_address"), knownvalue.StringExact("10.1.0.50")),
					statecheck.ExpectKnownValue("eni_private_ip.explicit", tfjsonpath.New("id"), knownvalue.StringRegexp(regexp.MustCompile(`^eni-[0-9a-z]+:10\.1\.0\.50$`))),
					statecheck.ExpectKnownValue("eni_private_ip.auto", tfjsonpath.New("ip_address"), knownvalue.StringRegexp(regexp.MustCompile(`^10\.1\.0\.\d+$`))),
					statecheck.CompareValuePairs("eni_private_ip.auto", tfjsonpath.New("network_interface_id"),
						eniAddr, tfjsonpath.New("id"), compare.ValuesSame()),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					testAccCheckPrivateIPOnENI(b, "eni_private_ip.explicit"),
					testAccCheckPrivateIPOnENI(b, "eni_private_ip.auto"),
					testAccCheckNetworkInterfaceSecondaryIPs(b, 2),
				),
			},
			{
				ResourceName:            "eni_private_ip.explicit",
				ImportState:             true,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"timeouts"},
			},
			{
				ResourceName:            "eni_private_ip.auto",
				ImportState:             true,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"timeouts"},
			},
			{
				ResourceName:  "eni_private_ip.auto",
				ImportState:   true,
				ImportStateId: "10.1.0.50",
				ExpectError:   regexp.MustCompile(acctest.Wrapped(`is not <network-interface-id>:<ip-address>`)),
			},
		},
	})
}

// Twenty eni_private_ip on one ENI in one apply: serialised by the ENI's
// lock, so each address takes exactly one call and none meets the API's
// Operation.Conflict (which would show as retried calls).
func TestAccPrivateIP_twentyOnOneENI(t *testing.T) {
	b, seeded := testAccIPBackend(t, testAccBigSeed())
	eniID, _ := b.PrimaryENI(t, "i-mockbig")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy: resource.ComposeAggregateTestCheckFunc(
			b.CheckSeeded(seeded),
			b.CheckActions(map[string]int64{"AssignPrivateIpAddresses": 20, "UnassignPrivateIpAddresses": 20}),
		),
		Steps: []resource.TestStep{
			{
				Config: b.Config(fmt.Sprintf(`
resource "eni_private_ip" "test" {
  count                = 20
  network_interface_id = %q
}`, eniID)),
				Check: resource.ComposeAggregateTestCheckFunc(
					b.CheckActions(map[string]int64{"AssignPrivateIpAddresses": 20, "UnassignPrivateIpAddresses": 0}),
					testAccCheckENIIPCount(b, eniID, 21),
					testAccCheckPrivateIPOnENI(b, "eni_private_ip.test.0"),
					testAccCheckPrivateIPOnENI(b, "eni_private_ip.test.19"),
				),
			},
		},
	})
}

// eni_private_ip beside an eni_network_interface that leaves its
// addresses alone: no perpetual diff, and no inconsistent result when the
// ENI is updated in the same apply as addresses come and go.
func TestAccPrivateIP_sideBySide(t *testing.T) {
	b, seeded := testAccIPBackend(t, nil)
	// config has one eni_private_ip per address, named after its last byte.
	config := func(name string, ips ...string) string {
		var blocks []string
		for _, ip := range ips {
			blocks = append(blocks, fmt.Sprintf(`
resource "eni_private_ip" "ip%s" {
  network_interface_id = eni_network_interface.test.id
  ip_address           = %q
}`, ip[strings.LastIndex(ip, ".")+1:], ip))
		}
		return b.Config(fmt.Sprintf(`
resource "eni_network_interface" "test" {
  vswitch_id         = "vsw-mockh"
  security_group_ids = ["sg-mockweb"]
  name               = %q
}

resource "eni_private_ip" "auto" {
  network_interface_id = eni_network_interface.test.id
}
%s`, name, strings.Join(blocks, "\n")))
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             b.CheckSeeded(seeded),
		Steps: []resource.TestStep{
			{
				Config: config("first", "10.1.0.60", "10.1.0.61"),
				Check:  testAccCheckNetworkInterfaceSecondaryIPs(b, 3),
			},
			{
				// A second plan is empty, on the ENI too, and private_ips
				// reports what eni_private_ip added.
				Config: config("first", "10.1.0.60", "10.1.0.61"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(eniAddr, tfjsonpath.New("private_ips"), knownvalue.SetSizeExact(3)),
				},
			},
			{
				// The ENI changes in place while one address goes and
				// another comes. Its own update cannot change addresses,
				// so its plan keeps private_ips as they are (issue 9: a
				// quiet plan); the refresh of the next plan records what
				// eni_private_ip changed, without a diff.
				Config: config("second", "10.1.0.61", "10.1.0.62"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(eniAddr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(eniAddr, tfjsonpath.New("private_ips"), knownvalue.SetSizeExact(3)),
					plancheck.ExpectResourceAction("eni_private_ip.ip60", plancheck.ResourceActionDestroy),
					plancheck.ExpectResourceAction("eni_private_ip.ip62", plancheck.ResourceActionCreate),
				}},
				Check: testAccCheckNetworkInterfaceSecondaryIPs(b, 3),
			},
			{
				Config: config("second", "10.1.0.61", "10.1.0.62"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(eniAddr, tfjsonpath.New("private_ips"), knownvalue.SetExact([]knownvalue.Check{
						knownvalue.StringExact("10.1.0.61"), knownvalue.StringExact("10.1.0.62"), knownvalue.NotNull()})),
				},
			},
		},
	})
}

// An eni_network_interface that sets secondary_private_ip_count owns every
// secondary IP: an eni_private_ip for its ENI fails at plan.
func TestAccPrivateIP_conflictWithENIArguments(t *testing.T) {
	b, _ := testAccIPBackend(t, nil)
	owner := func(arg string) string {
		return fmt.Sprintf(`
resource "eni_network_interface" "test" {
  vswitch_id         = "vsw-mockh"
  security_group_ids = ["sg-mockweb"]
  %s
}
`, arg)
	}
	ip := `
resource "eni_private_ip" "test" {
  network_interface_id = eni_network_interface.test.id
}
`
	var mutating int64
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             testAccCheckNetworkInterfaceDestroy(b),
		Steps: []resource.TestStep{
			{
				Config: b.Config(owner("secondary_private_ip_count = 1")),
				Check: func(*terraform.State) error {
					mutating = b.MutatingCalls()
					return nil
				},
			},
			{
				Config:      b.Config(owner("secondary_private_ip_count = 1") + ip),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(acctest.Wrapped(`eni_network_interface of eni-[0-9a-z]+ sets secondary_private_ip_count, so it owns every secondary private IP`)),
			},
			{
				Config:      b.Config(owner(`secondary_private_ips = ["10.1.0.70"]`) + ip),
				ExpectError: regexp.MustCompile(acctest.Wrapped(`sets secondary_private_ips, so it owns`)),
			},
			{
				Config: b.Config(owner("secondary_private_ip_count = 1")),
				Check: func(*terraform.State) error {
					if n := b.MutatingCalls(); n != mutating {
						return fmt.Errorf("the refused plans made %d mutating API calls", n-mutating)
					}
					return nil
				},
			},
		},
	})
}

// The same conflict when the ENI is created in the same apply: its ID is
// unknown at plan, so the eni_private_ip fails in the plan made just
// before applying it, after the ENI exists and before any address is
// assigned.
// An eni_private_ip on an ENI created in the same apply that owns its
// addresses is refused at plan, before anything is created (issue 9).
func TestAccPrivateIP_conflictWithNewENI(t *testing.T) {
	b, _ := testAccIPBackend(t, nil)
	b.ExpectNoMutatingCalls(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{
				PlanOnly: true,
				Config: b.Config(`
resource "eni_network_interface" "test" {
  vswitch_id                 = "vsw-mockh"
  security_group_ids         = ["sg-mockweb"]
  secondary_private_ip_count = 2
}

resource "eni_private_ip" "test" {
  network_interface_id = eni_network_interface.test.id
}
`),
				ExpectError: regexp.MustCompile(acctest.Wrapped(`(?s)network_interface_id is an ENI created in this apply, and every ` +
					`eni_network_interface this plan creates before it \(1\) sets secondary_private_ip_count, so it owns every secondary private IP` +
					`.*terraform destroy -refresh=false`)),
			},
		},
	})
}

func TestAccPrivateIP_disappears(t *testing.T) {
	b, seeded := testAccIPBackend(t, nil)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             b.CheckSeeded(seeded),
		Steps: []resource.TestStep{
			{
				Config: b.Config(ipENIConfig + `
resource "eni_private_ip" "test" {
  network_interface_id = eni_network_interface.test.id
}
`),
				Check:              testAccUnassignOutOfBand(b, "eni_private_ip.test"),
				ExpectNonEmptyPlan: true,
			},
		},
	})
}

// Destroying an address that still has an EIP fails with a message that
// names the EIP, and works once the EIP is gone.
func TestAccPrivateIP_deleteWithEIP(t *testing.T) {
	b, seeded := testAccIPBackend(t, nil)
	withIP := b.Config(ipENIConfig + `
resource "eni_private_ip" "test" {
  network_interface_id = eni_network_interface.test.id
}
`)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             b.CheckSeeded(seeded),
		Steps: []resource.TestStep{
			{
				Config: withIP,
				Check:  testAccAssociateOutOfBand(b, "eni_private_ip.test", "eip-mock3"),
			},
			{
				Config:      b.Config(ipENIConfig),
				ExpectError: regexp.MustCompile(acctest.Wrapped(`still has EIP eip-mock3 \(47.96.0.12\) associated`)),
			},
			{
				PreConfig: func() {
					if err := b.UnassociateEIP("eip-mock3", ""); err != nil {
						t.Fatal(err)
					}
				},
				Config: b.Config(ipENIConfig),
				Check:  testAccCheckNetworkInterfaceSecondaryIPs(b, 0),
			},
		},
	})
}

// Every broken eni_private_ip fails at plan, names the attribute and
// changes nothing in the cloud.
func TestAccPrivateIP_planValidation(t *testing.T) {
	b, _ := testAccIPBackend(t, nil)
	free := b.CreateENI(t, "vsw-mockh", "sg-mockweb")
	freeENI, err := b.Client.FindNetworkInterfaceByID(context.Background(), free)
	if err != nil {
		t.Fatal(err)
	}
	web1, _ := b.PrimaryENI(t, "i-mockweb1")
	_, web2IP := b.PrimaryENI(t, "i-mockweb2")
	b.ExpectNoMutatingCalls(t)
	one := func(eni, ip string) string {
		attr := ""
		if ip != "" {
			attr = fmt.Sprintf("ip_address = %q", ip)
		}
		return fmt.Sprintf(`
resource "eni_private_ip" "test" {
  network_interface_id = %q
  %s
}`, eni, attr)
	}
	many := func(eni string, n int) string {
		return fmt.Sprintf(`
resource "eni_private_ip" "many" {
  count                = %d
  network_interface_id = %q
}`, n, eni)
	}
	cases := []struct{ name, config, want string }{
		{"outside the cidr", one(free, "10.9.0.5"), `10.9.0.5 is outside vSwitch vsw-mockh \(10.1.0.0/24\)`},
		{"reserved", one(free, "10.1.0.255"), `10.1.0.255 is reserved by Alibaba Cloud`},
		{"malformed", one(free, "10.1.0.300"), `"10.1.0.300" is not an IPv4 address`},
		{"taken by another eni", one(free, web2IP), web2IP + ` is already used by network interface eni-[0-9a-z]+ in the same VPC`},
		{"already on this eni", one(free, freeENI.PrivateIpAddress), `is already a private IP of network interface ` + free},
		{"unknown eni", one("eni-ghost", ""), `Network interface eni-ghost does not exist in region cn-hangzhou`},
		{"eleven on an unbound eni", many(free, 11), `holds at most 10 secondary private IPs, but it would hold 11`},
		{"over the instance type's limit", many(web1, 10), `would hold 11 private IPs \(1 now, 10 more planned by eni_private_ip\), but instance type ecs.g7.large allows 10`},
		{"one address twice", one(free, "10.1.0.80") + strings.Replace(one(free, "10.1.0.80"), `"test"`, `"again"`, 1), `10.1.0.80 is planned for network interface ` + free + ` by two eni_private_ip resources`},
	}
	var steps []resource.TestStep
	for _, tc := range cases {
		steps = append(steps, resource.TestStep{
			Config:      b.Config(tc.config),
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(acctest.Wrapped(tc.want)),
		})
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps:                    steps,
	})
}

// --- helpers ---------------------------------------------------------

// testAccCheckPrivateIPOnENI reads the ENI of an eni_private_ip from the
// API and checks that it holds the address as a secondary IP.
func testAccCheckPrivateIPOnENI(b *acctest.Backend, addr string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		rs, ok := s.RootModule().Resources[addr]
		if !ok {
			return fmt.Errorf("%s not in state", addr)
		}
		eniID, ip := rs.Primary.Attributes["network_interface_id"], rs.Primary.Attributes["ip_address"]
		if rs.Primary.ID != eniID+":"+ip {
			return fmt.Errorf("%s has ID %q, want %s:%s", addr, rs.Primary.ID, eniID, ip)
		}
		eni, err := b.Client.FindNetworkInterfaceByID(context.Background(), eniID)
		if err != nil {
			return err
		}
		if ips := cloud.PrivateIPs(eni); !slices.Contains(ips[1:], ip) {
			return fmt.Errorf("%s is not a secondary IP of %s (%v)", ip, eniID, ips)
		}
		return nil
	}
}

func testAccCheckENIIPCount(b *acctest.Backend, eniID string, want int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		eni, err := b.Client.FindNetworkInterfaceByID(context.Background(), eniID)
		if err != nil {
			return err
		}
		if got := len(cloud.PrivateIPs(eni)); got != want {
			return fmt.Errorf("%s holds %d private IPs, want %d", eniID, got, want)
		}
		return nil
	}
}

func testAccUnassignOutOfBand(b *acctest.Backend, addr string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		attrs := s.RootModule().Resources[addr].Primary.Attributes
		eniID, ip := attrs["network_interface_id"], attrs["ip_address"]
		req := ecs.CreateUnassignPrivateIpAddressesRequest()
		req.NetworkInterfaceId, req.PrivateIpAddress = eniID, &[]string{ip}
		if _, err := b.Client.UnassignPrivateIpAddresses(context.Background(), req); err != nil {
			return err
		}
		_, err := b.Client.WaitNetworkInterfacePrivateIPs(context.Background(), eniID, nil, []string{ip}, 0)
		return err
	}
}

// testAccAssociateOutOfBand associates an EIP with the address of an
// eni_private_ip outside Terraform.
func testAccAssociateOutOfBand(b *acctest.Backend, addr, allocationID string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		attrs := s.RootModule().Resources[addr].Primary.Attributes
		return b.AssociateEIP(allocationID, attrs["network_interface_id"], attrs["ip_address"], domain.EIPModeNAT)
	}
}
