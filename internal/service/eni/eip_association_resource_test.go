//go:build unix

package eni_test

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"
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

const eipAddr = "eni_eip_association.test"

// An EIP on the primary IP of a new ENI: private_ip_address defaults to
// it. Then import.
func TestAccEIPAssociation_primary(t *testing.T) {
	b, seeded := testAccIPBackend(t, nil)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             b.CheckSeeded(seeded),
		Steps: []resource.TestStep{
			{
				Config: b.Config(ipENIConfig + `
resource "eni_eip_association" "test" {
  allocation_id        = "eip-mock1"
  network_interface_id = eni_network_interface.test.id
}
`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(eipAddr, tfjsonpath.New("id"), knownvalue.StringRegexp(regexp.MustCompile(`^eip-mock1:eni-[0-9a-z]+$`))),
					statecheck.ExpectKnownValue(eipAddr, tfjsonpath.New("ip_address"), knownvalue.StringExact("47.96.0.10")),
					statecheck.ExpectKnownValue(eipAddr, tfjsonpath.New("status"), knownvalue.StringExact("InUse")),
					statecheck.ExpectKnownValue(eipAddr, tfjsonpath.New("mode"), knownvalue.StringExact("NAT")),
					statecheck.CompareValuePairs(eipAddr, tfjsonpath.New("private_ip_address"),
						eniAddr, tfjsonpath.New("primary_ip_address"), compare.ValuesSame()),
				},
				Check: testAccCheckEIPBound(b, "eip-mock1", eniAddr, eipAddr),
			},
			{
				ResourceName:            eipAddr,
				ImportState:             true,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"timeouts"},
			},
			{
				ResourceName:  eipAddr,
				ImportState:   true,
				ImportStateId: "eip-mock2:eni-bp1nothere",
				ExpectError:   regexp.MustCompile(acctest.Wrapped(`EIP eip-mock2 is Available and not associated with network interface eni-bp1nothere`)),
			},
		},
	})
}

// On an existing ENI the default private IP is known at plan.
func TestAccEIPAssociation_existingENI(t *testing.T) {
	b, seeded := testAccIPBackend(t, nil)
	eniID, primaryIP := b.PrimaryENI(t, "i-mockweb1")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             b.CheckSeeded(seeded),
		Steps: []resource.TestStep{
			{
				Config: b.Config(fmt.Sprintf(`
resource "eni_eip_association" "test" {
  allocation_id        = "eip-mock2"
  network_interface_id = %q
}
`, eniID)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectKnownValue(eipAddr, tfjsonpath.New("private_ip_address"), knownvalue.StringExact(primaryIP)),
					plancheck.ExpectKnownValue(eipAddr, tfjsonpath.New("id"), knownvalue.StringExact("eip-mock2:"+eniID)),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(eipAddr, tfjsonpath.New("private_ip_address"), knownvalue.StringExact(primaryIP)),
				},
			},
		},
	})
}

// An EIP on a secondary IP the cloud picked for an eni_private_ip. Then
// import.
func TestAccEIPAssociation_secondary(t *testing.T) {
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

resource "eni_eip_association" "test" {
  allocation_id        = "eip-mock3"
  network_interface_id = eni_network_interface.test.id
  private_ip_address   = eni_private_ip.test.ip_address
}
`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.CompareValuePairs(eipAddr, tfjsonpath.New("private_ip_address"),
						"eni_private_ip.test", tfjsonpath.New("ip_address"), compare.ValuesSame()),
					statecheck.ExpectKnownValue(eipAddr, tfjsonpath.New("ip_address"), knownvalue.StringExact("47.96.0.12")),
				},
				Check: testAccCheckEIPBound(b, "eip-mock3", eniAddr, eipAddr),
			},
			{
				ResourceName:            eipAddr,
				ImportState:             true,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"timeouts"},
			},
		},
	})
}

// On an existing ENI, an address an eni_private_ip of the same plan adds
// is accepted at plan, before it exists.
func TestAccEIPAssociation_plannedPrivateIP(t *testing.T) {
	b, seeded := testAccIPBackend(t, nil)
	eniID, _ := b.PrimaryENI(t, "i-mockweb1")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             b.CheckSeeded(seeded),
		Steps: []resource.TestStep{
			{
				Config: b.Config(fmt.Sprintf(`
resource "eni_private_ip" "test" {
  network_interface_id = %q
  ip_address           = "10.1.0.91"
}

resource "eni_eip_association" "test" {
  allocation_id        = "eip-mock1"
  network_interface_id = %q
  private_ip_address   = eni_private_ip.test.ip_address
}
`, eniID, eniID)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectKnownValue(eipAddr, tfjsonpath.New("private_ip_address"), knownvalue.StringExact("10.1.0.91")),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(eipAddr, tfjsonpath.New("private_ip_address"), knownvalue.StringExact("10.1.0.91")),
					statecheck.ExpectKnownValue(eipAddr, tfjsonpath.New("status"), knownvalue.StringExact("InUse")),
				},
			},
		},
	})
}

// Two EIPs on two secondary IPs of one ENI, one address fixed and one
// picked by the cloud, all in one apply.
func TestAccEIPAssociation_twoOnOneENI(t *testing.T) {
	b, seeded := testAccIPBackend(t, nil)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             b.CheckSeeded(seeded),
		Steps: []resource.TestStep{
			{
				Config: b.Config(ipENIConfig + `
resource "eni_private_ip" "a" {
  network_interface_id = eni_network_interface.test.id
  ip_address           = "10.1.0.90"
}

resource "eni_private_ip" "b" {
  network_interface_id = eni_network_interface.test.id
}

resource "eni_eip_association" "a" {
  allocation_id        = "eip-mock1"
  network_interface_id = eni_network_interface.test.id
  private_ip_address   = eni_private_ip.a.ip_address
}

resource "eni_eip_association" "b" {
  allocation_id        = "eip-mock2"
  network_interface_id = eni_network_interface.test.id
  private_ip_address   = eni_private_ip.b.ip_address
}
`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("eni_eip_association.a", tfjsonpath.New("private_ip_address"), knownvalue.StringExact("10.1.0.90")),
					statecheck.CompareValuePairs("eni_eip_association.b", tfjsonpath.New("private_ip_address"),
						"eni_private_ip.b", tfjsonpath.New("ip_address"), compare.ValuesSame()),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					testAccCheckEIPBound(b, "eip-mock1", eniAddr, "eni_eip_association.a"),
					testAccCheckEIPBound(b, "eip-mock2", eniAddr, "eni_eip_association.b"),
				),
			},
		},
	})
}

func TestAccEIPAssociation_disappears(t *testing.T) {
	b, seeded := testAccIPBackend(t, nil)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             b.CheckSeeded(seeded),
		Steps: []resource.TestStep{
			{
				Config: b.Config(ipENIConfig + `
resource "eni_eip_association" "test" {
  allocation_id        = "eip-mock1"
  network_interface_id = eni_network_interface.test.id
}
`),
				Check: func(*terraform.State) error {
					return b.UnassociateEIP("eip-mock1", "")
				},
				ExpectNonEmptyPlan: true,
			},
		},
	})
}

// Failover: the ENI moves to another instance (the attachment is
// replaced) and keeps its secondary IP and the EIP on it; neither
// eni_private_ip nor eni_eip_association changes.
func TestAccEIPAssociation_failover(t *testing.T) {
	b, seeded := testAccIPBackend(t, nil)
	config := func(instanceID string) string {
		return b.Config(ipENIConfig + fmt.Sprintf(`
resource "eni_network_interface_attachment" "test" {
  network_interface_id = eni_network_interface.test.id
  instance_id          = %q
}

resource "eni_private_ip" "test" {
  network_interface_id = eni_network_interface.test.id
}

resource "eni_eip_association" "test" {
  allocation_id        = "eip-mock4"
  network_interface_id = eni_network_interface.test.id
  private_ip_address   = eni_private_ip.test.ip_address
}
`, instanceID))
	}
	var ips []string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             b.CheckSeeded(seeded),
		Steps: []resource.TestStep{
			{
				Config: config("i-mockweb1"),
				Check: resource.ComposeAggregateTestCheckFunc(
					testAccCheckEIPBound(b, "eip-mock4", eniAddr, eipAddr),
					testAccCheckENIOn(b, eniAddr, "i-mockweb1", &ips),
				),
			},
			{
				Config: config("i-mockweb2"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("eni_network_interface_attachment.test", plancheck.ResourceActionReplace),
					plancheck.ExpectResourceAction("eni_private_ip.test", plancheck.ResourceActionNoop),
					plancheck.ExpectResourceAction(eipAddr, plancheck.ResourceActionNoop),
				}},
				Check: resource.ComposeAggregateTestCheckFunc(
					testAccCheckEIPBound(b, "eip-mock4", eniAddr, eipAddr),
					testAccCheckENIOn(b, eniAddr, "i-mockweb2", &ips),
				),
			},
		},
	})
}

// Every broken association fails at plan, names the attribute and
// changes nothing in the cloud.
func TestAccEIPAssociation_planValidation(t *testing.T) {
	b, _ := testAccIPBackend(t, nil)
	free := b.CreateENI(t, "vsw-mockh", "sg-mockweb", func(req *ecs.CreateNetworkInterfaceRequest) {
		req.PrivateIpAddress = &[]string{"10.1.0.60"}
	})
	web1, _ := b.PrimaryENI(t, "i-mockweb1")
	web2, web2IP := b.PrimaryENI(t, "i-mockweb2")
	if err := b.AssociateEIP("eip-mock4", web2, web2IP, domain.EIPModeNAT); err != nil {
		t.Fatal(err)
	}
	b.ExpectNoMutatingCalls(t)
	assoc := func(name, eip, eni, ip, mode string) string {
		args := ""
		if ip != "" {
			args += fmt.Sprintf("  private_ip_address = %q\n", ip)
		}
		if mode != "" {
			args += fmt.Sprintf("  mode = %q\n", mode)
		}
		return fmt.Sprintf(`
resource "eni_eip_association" %q {
  allocation_id        = %q
  network_interface_id = %q
%s}
`, name, eip, eni, args)
	}
	cases := []struct{ name, config, want string }{
		{"private ip not on the eni", assoc("test", "eip-mock1", free, "10.1.0.99", ""),
			`10.1.0.99 is not a private IP of network interface ` + free},
		{"unknown eip", assoc("test", "eip-ghost", free, "", ""), `EIP eip-ghost does not exist in region cn-hangzhou`},
		{"eip bound elsewhere", assoc("test", "eip-mock4", free, "", ""),
			`EIP eip-mock4 \(47.96.0.13\) is InUse, bound to NetworkInterface ` + web2 + ` \(private IP ` + web2IP +
				`\); change allocation_id to a free EIP, or unassociate it first \(if that association is the one you want, ` +
				`import it: terraform import <resource address> eip-mock4:` + free + `\)\. If the goal is to destroy this configuration, ` +
				"`terraform destroy -refresh=false`" + ` destroys what exists`},
		{"unknown eni", assoc("test", "eip-mock1", "eni-ghost", "", ""), `Network interface eni-ghost does not exist`},
		{"multi binded outside its regions", assoc("test", "eip-mock1", free, "", "MULTI_BINDED"),
			`MULTI_BINDED \(multi-EIP-to-ENI\) is not offered in region cn-hangzhou; it is offered in cn-shenzhen, cn-shanghai, cn-beijing, cn-zhangjiakou, cn-chengdu, ap-southeast-1, eu-central-1, ap-south-1, us-east-1, eu-west-1`},
		{"binded on a primary eni", assoc("test", "eip-mock1", web1, "", "BINDED"), `mode BINDED needs a secondary ENI, and ` + web1 + ` is the primary ENI of instance i-mockweb1`},
		{"two binded on one eni", assoc("a", "eip-mock1", free, "", "BINDED") + assoc("b", "eip-mock2", free, "", "BINDED"),
			`mode BINDED \(cut-through\) allows exactly one EIP per ENI`},
		{"two nat on one private ip", assoc("a", "eip-mock1", free, "10.1.0.60", "") + assoc("b", "eip-mock2", free, "10.1.0.60", ""),
			`private IP 10.1.0.60 of network interface ` + free + ` already has EIP eip-mock[12]; mode NAT maps one EIP per private IP`},
		{"bad mode", assoc("test", "eip-mock1", free, "", "FULL"), `mode value must be one of`},
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

// testAccShanghaiSeed is the default topology in cn-shanghai, a region
// that offers MULTI_BINDED, with twelve EIPs.
func testAccShanghaiSeed() *mockcloud.Seed {
	s := mockcloud.DefaultSeed()
	s.RegionID = "cn-shanghai"
	for i := range s.VSwitches {
		s.VSwitches[i].ZoneID = strings.Replace(s.VSwitches[i].ZoneID, "cn-hangzhou", "cn-shanghai", 1)
	}
	s.EIPs = nil
	for i := 1; i <= 12; i++ {
		s.EIPs = append(s.EIPs, mockcloud.SeedEIP{AllocationID: fmt.Sprintf("eip-multi%02d", i), IPAddress: fmt.Sprintf("106.14.0.%d", i)})
	}
	return s
}

// MULTI_BINDED: two EIPs on one unbound ENI; BINDED: one on another.
func TestAccEIPAssociation_multiBinded(t *testing.T) {
	b, seeded := testAccIPBackend(t, testAccShanghaiSeed())
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             b.CheckSeeded(seeded),
		Steps: []resource.TestStep{
			{
				Config: b.Config(ipENIConfig + `
resource "eni_network_interface" "cut" {
  vswitch_id         = "vsw-mockh"
  security_group_ids = ["sg-mockweb"]
}

resource "eni_eip_association" "one" {
  allocation_id        = "eip-multi01"
  network_interface_id = eni_network_interface.test.id
  mode                 = "MULTI_BINDED"
}

resource "eni_eip_association" "two" {
  allocation_id        = "eip-multi02"
  network_interface_id = eni_network_interface.test.id
  mode                 = "MULTI_BINDED"
}

resource "eni_eip_association" "cut" {
  allocation_id        = "eip-multi03"
  network_interface_id = eni_network_interface.cut.id
  mode                 = "BINDED"
}
`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("eni_eip_association.one", tfjsonpath.New("mode"), knownvalue.StringExact("MULTI_BINDED")),
					statecheck.ExpectKnownValue("eni_eip_association.two", tfjsonpath.New("mode"), knownvalue.StringExact("MULTI_BINDED")),
					statecheck.ExpectKnownValue("eni_eip_association.cut", tfjsonpath.New("mode"), knownvalue.StringExact("BINDED")),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					testAccCheckEIPBound(b, "eip-multi01", eniAddr, "eni_eip_association.one"),
					testAccCheckEIPBound(b, "eip-multi02", eniAddr, "eni_eip_association.two"),
					testAccCheckEIPBound(b, "eip-multi03", "eni_network_interface.cut", "eni_eip_association.cut"),
				),
			},
			{
				ResourceName:            "eni_eip_association.one",
				ImportState:             true,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"timeouts"},
			},
		},
	})
}

func TestAccEIPAssociation_multiBindedValidation(t *testing.T) {
	b, _ := testAccIPBackend(t, testAccShanghaiSeed())
	free := b.CreateENI(t, "vsw-mockh", "sg-mockweb")
	bound := b.CreateENI(t, "vsw-mockh", "sg-mockweb")
	if err := b.AttachENI(bound, "i-mockweb1"); err != nil {
		t.Fatal(err)
	}
	b.ExpectNoMutatingCalls(t)
	multi := func(eni string, from, to int) string {
		var out []string
		for i := from; i <= to; i++ {
			out = append(out, fmt.Sprintf(`
resource "eni_eip_association" "m%02d" {
  allocation_id        = "eip-multi%02d"
  network_interface_id = %q
  mode                 = "MULTI_BINDED"
}`, i, i, eni))
		}
		return strings.Join(out, "\n")
	}
	cases := []struct{ name, config, want string }{
		{"eleven on one eni", multi(free, 1, 11), `would have 11 EIPs \(10 associated or planned besides this one\), but mode MULTI_BINDED allows at most 10 per ENI`},
		{"bound eni", multi(bound, 1, 1), `mode MULTI_BINDED needs an ENI that is not bound to an instance while the EIP is associated, and ` + bound + ` is bound to \(or planned for\) instance i-mockweb1`},
		{"mixed with binded", multi(free, 1, 1) + fmt.Sprintf(`
resource "eni_eip_association" "cut" {
  allocation_id        = "eip-multi12"
  network_interface_id = %q
  mode                 = "BINDED"
}`, free), `cannot be mixed with MULTI_BINDED|allows exactly one EIP per ENI`},
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

// An EIP moved outside Terraform, first to another ENI and then to
// another address of its own ENI, is put back by the next apply: the
// refresh records where it is, the plan replaces the association (its
// destroy unassociates the EIP there) and nothing else changes.
func TestAccEIPAssociation_movedRepaired(t *testing.T) {
	b, seeded := testAccIPBackend(t, nil)
	web1, _ := b.PrimaryENI(t, "i-mockweb1")
	config := b.Config(testAccEIPDriftConfig)
	repaired := resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
		plancheck.ExpectResourceAction(eipAddr, plancheck.ResourceActionDestroyBeforeCreate),
		plancheck.ExpectResourceAction(eniAddr, plancheck.ResourceActionNoop),
	}}
	onPrimary := []statecheck.StateCheck{
		statecheck.CompareValuePairs(eipAddr, tfjsonpath.New("private_ip_address"),
			eniAddr, tfjsonpath.New("primary_ip_address"), compare.ValuesSame()),
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             b.CheckSeeded(seeded),
		Steps: []resource.TestStep{
			{
				Config:            config,
				ConfigStateChecks: onPrimary,
				Check:             testAccCheckEIPBound(b, "eip-mock1", eniAddr, eipAddr),
			},
			{
				PreConfig:         func() { testAccMoveEIP(t, b, web1, "") },
				Config:            config,
				ConfigPlanChecks:  repaired,
				ConfigStateChecks: onPrimary,
				Check:             testAccCheckEIPBound(b, "eip-mock1", eniAddr, eipAddr),
			},
			{
				PreConfig: func() {
					eniID, secondary := testAccEIPENISecondary(t, b, "eip-mock1")
					testAccMoveEIP(t, b, eniID, secondary)
				},
				Config:            config,
				ConfigPlanChecks:  repaired,
				ConfigStateChecks: onPrimary,
				Check:             testAccCheckEIPBound(b, "eip-mock1", eniAddr, eipAddr),
			},
			{
				Config:   config,
				PlanOnly: true,
			},
		},
	})
}

// Changing network_interface_id moves the EIP in one apply: the
// replacement unassociates it from the old ENI before associating it
// with the new one, so plan does not call it taken.
func TestAccEIPAssociation_changeENI(t *testing.T) {
	b, seeded := testAccIPBackend(t, nil)
	config := func(eni string) string {
		return b.Config(ipENIConfig + fmt.Sprintf(`
resource "eni_network_interface" "other" {
  vswitch_id         = "vsw-mockh"
  security_group_ids = ["sg-mockweb"]
}

resource "eni_eip_association" "test" {
  allocation_id        = "eip-mock1"
  network_interface_id = %s.id
}
`, eni))
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             b.CheckSeeded(seeded),
		Steps: []resource.TestStep{
			{
				Config: config(eniAddr),
				Check:  testAccCheckEIPBound(b, "eip-mock1", eniAddr, eipAddr),
			},
			{
				Config: config("eni_network_interface.other"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(eipAddr, plancheck.ResourceActionDestroyBeforeCreate),
				}},
				Check: testAccCheckEIPBound(b, "eip-mock1", "eni_network_interface.other", eipAddr),
			},
		},
	})
}

// The same EIP in two associations of one configuration is refused at
// plan, naming both claimants, with no mutating call.
func TestAccEIPAssociation_duplicate(t *testing.T) {
	b, _ := testAccIPBackend(t, nil)
	free := b.CreateENI(t, "vsw-mockh", "sg-mockweb")
	freeENI, err := b.Client.FindNetworkInterfaceByID(context.Background(), free)
	if err != nil {
		t.Fatal(err)
	}
	web1, web1IP := b.PrimaryENI(t, "i-mockweb1")
	b.ExpectNoMutatingCalls(t)
	assoc := func(name, eni string) string {
		return fmt.Sprintf(`
resource "eni_eip_association" %q {
  allocation_id        = "eip-mock1"
  network_interface_id = %s
}
`, name, eni)
	}
	claimA := `network interface ` + free + ` \(private IP ` + freeENI.PrivateIpAddress + `\)`
	claimB := `network interface ` + web1 + ` \(private IP ` + web1IP + `\)`
	fix := ` An EIP is associated with one private IP at a time; keep one of these resources, or set allocation_id of ` +
		`the others to other EIPs. If the goal is to destroy this configuration, ` + "`terraform destroy -refresh=false`" + ` destroys what exists`
	cases := []struct{ name, config, want string }{
		{"two enis", assoc("a", strconv.Quote(free)) + assoc("b", strconv.Quote(web1)),
			`Error: EIP in two associations.*allocation_id eip-mock1 is set in 2 eni_eip_association resources of this ` +
				`configuration: one associates it with (` + claimA + `, another with ` + claimB + `|` + claimB + `, another with ` + claimA + `)\.` + fix},
		{"same target", assoc("a", strconv.Quote(free)) + assoc("b", strconv.Quote(free)),
			`both associate it with ` + claimA + `\.` + fix},
		{"new enis", ipENIConfig + assoc("a", eniAddr+".id") + assoc("b", eniAddr+".id"),
			`both associate it with a network interface created in this configuration\.` + fix},
	}
	var steps []resource.TestStep
	for _, tc := range cases {
		steps = append(steps, resource.TestStep{
			Config:      b.Config(tc.config),
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(`(?s)` + acctest.Wrapped(tc.want)),
		})
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps:                    steps,
	})
}

// Drift never blocks the destroy the test framework runs at the end
// (terraform destroy -refresh=false); the plan after the drift plans to
// put it right and does not fail. "refreshed" cases persist a refresh
// first, so that destroy works from what the refresh found, as a plain
// terraform destroy does.
func TestAccEIPAssociation_destroyAfterDrift(t *testing.T) {
	release := func(b *acctest.Backend, allocationID string) error {
		if err := b.UnassociateEIP(allocationID, ""); err != nil {
			return err
		}
		req := vpc.CreateReleaseEipAddressRequest()
		req.AllocationId = allocationID
		_, err := b.Client.ReleaseEipAddress(context.Background(), req)
		return err
	}
	cases := []struct {
		name      string
		drift     func(t *testing.T, b *acctest.Backend, eniID string) error
		refreshed bool
		// wantError: the plan after the drift fails (the drift cannot be
		// put right), with this text.
		wantError string
		// leftOnWeb1: destroy leaves the EIP where it was moved (state
		// did not know); the test takes it back before checking.
		leftOnWeb1 bool
	}{
		{name: "moved to another ENI", leftOnWeb1: true, drift: func(t *testing.T, b *acctest.Backend, _ string) error {
			web1, _ := b.PrimaryENI(t, "i-mockweb1")
			testAccMoveEIP(t, b, web1, "")
			return nil
		}},
		{name: "moved to another ENI, refreshed", refreshed: true, drift: func(t *testing.T, b *acctest.Backend, _ string) error {
			web1, _ := b.PrimaryENI(t, "i-mockweb1")
			testAccMoveEIP(t, b, web1, "")
			return nil
		}},
		{name: "moved to another address", drift: func(t *testing.T, b *acctest.Backend, _ string) error {
			eniID, secondary := testAccEIPENISecondary(t, b, "eip-mock1")
			testAccMoveEIP(t, b, eniID, secondary)
			return nil
		}},
		{name: "unassociated and network interface deleted", drift: func(t *testing.T, b *acctest.Backend, eniID string) error {
			if err := b.UnassociateEIP("eip-mock1", ""); err != nil {
				return err
			}
			return b.DeleteENI(eniID)
		}},
		{name: "released", drift: func(_ *testing.T, b *acctest.Backend, _ string) error { return release(b, "eip-mock1") },
			wantError: `EIP eip-mock1 does not exist in region cn-hangzhou; use the allocation ID of an EIP of that region. ` +
				"If the goal is to destroy this configuration, `terraform destroy -refresh=false` destroys what exists"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b, seeded := testAccIPBackend(t, nil)
			checkDestroy := b.CheckSeeded(seeded)
			if tc.leftOnWeb1 {
				checkDestroy = func(s *terraform.State) error {
					web1, _ := b.PrimaryENI(t, "i-mockweb1")
					eip, err := b.Client.FindEIPByAllocationID(context.Background(), "eip-mock1")
					if err != nil {
						return err
					}
					if eip.Status != domain.EIPStatusInUse || eip.InstanceId != web1 {
						return fmt.Errorf("EIP eip-mock1 is %s on %q, want it left InUse on %s", eip.Status, eip.InstanceId, web1)
					}
					if err := b.UnassociateEIP("eip-mock1", ""); err != nil {
						return err
					}
					return b.CheckSeeded(seeded)(s)
				}
			}
			steps := []resource.TestStep{{
				Config: b.Config(testAccEIPDriftConfig),
				Check: func(s *terraform.State) error {
					return tc.drift(t, b, s.RootModule().Resources[eniAddr].Primary.ID)
				},
				ExpectNonEmptyPlan: true,
			}}
			if tc.wantError != "" {
				steps[0].ExpectError = regexp.MustCompile(acctest.Wrapped(tc.wantError))
			}
			if tc.refreshed {
				steps = append(steps, resource.TestStep{RefreshState: true, ExpectNonEmptyPlan: true})
			}
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.ProviderFactories,
				CheckDestroy:             checkDestroy,
				Steps:                    steps,
			})
		})
	}
}

// A new association of an EIP that an existing one holds is refused at
// plan, naming both ENIs, with no mutating call; the existing one stays.
func TestAccEIPAssociation_duplicateOfExisting(t *testing.T) {
	b, seeded := testAccIPBackend(t, nil)
	web1, _ := b.PrimaryENI(t, "i-mockweb1")
	base := b.Config(ipENIConfig + `
resource "eni_eip_association" "test" {
  allocation_id        = "eip-mock1"
  network_interface_id = eni_network_interface.test.id
}
`)
	calls := b.MarkCalls(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             b.CheckSeeded(seeded),
		Steps: []resource.TestStep{
			{
				Config: base,
				Check:  calls.Check,
			},
			{
				Config: base + fmt.Sprintf(`
resource "eni_eip_association" "again" {
  allocation_id        = "eip-mock1"
  network_interface_id = %q
}
`, web1),
				PlanOnly: true,
				ExpectError: regexp.MustCompile(`(?s)` + acctest.Wrapped(`allocation_id eip-mock1 is set in 2 eni_eip_association `+
					`resources of this configuration: one associates it with network interface eni-\S+ \(private IP \S+\), another `+
					`with network interface eni-\S+ \(private IP \S+\)\..*terraform destroy -refresh=false`)),
			},
			{
				PreConfig: calls.ExpectNone,
				Config:    base,
				Check:     testAccCheckEIPBound(b, "eip-mock1", eniAddr, eipAddr),
			},
		},
	})
}

// The plan after an EIP was moved outside Terraform warns, naming where
// the EIP is now, and plans to put it back; terraform plan (not the test
// framework, which hides warnings) shows it.
func TestAccEIPAssociation_movedWarning(t *testing.T) {
	b, _ := acctest.NewCLIBackend(t, acctest.CLIOptions{})
	seeded := b.SnapshotSeeded(t)
	tf := acctest.NewTerraform(t, b, testAccEIPDriftConfig)
	if r := tf.Apply(); r.Failed() {
		t.Fatalf("apply: %s", r)
	}
	st, err := tf.State()
	if err != nil {
		t.Fatal(err)
	}
	assoc := st.Managed("eni_eip_association")[0]
	web1, web1IP := b.PrimaryENI(t, "i-mockweb1")
	testAccMoveEIP(t, b, web1, "")
	r := tf.Plan()
	if r.ExitCode != 2 {
		t.Fatalf("plan after the move: exit code %d, want 2 (changes): %s", r.ExitCode, r)
	}
	want := acctest.Wrapped(fmt.Sprintf(`Warning: EIP moved outside Terraform .* EIP eip-mock1 was associated with network `+
		`interface %s \(private IP %s\) by this resource, and is now associated with NetworkInterface %s \(private IP %s\). `+
		`This apply puts it back: it unassociates the EIP there, then associates it with network interface %s again.`,
		assoc.String("network_interface_id"), assoc.String("private_ip_address"), web1, web1IP, assoc.String("network_interface_id")))
	if !regexp.MustCompile(`(?s)` + want).MatchString(r.Output()) {
		t.Errorf("plan output lacks the warning %q:\n%s", want, r.Output())
	}
	if !strings.Contains(r.Output(), "must be replaced") {
		t.Errorf("plan does not replace the association:\n%s", r.Output())
	}
	if r := tf.Destroy(); r.Failed() {
		t.Fatalf("destroy: %s", r)
	}
	if err := b.CheckSeeded(seeded)(nil); err != nil {
		t.Error(err)
	}
}

// Replacing the ENI replaces the association: its destroy unassociates
// the EIP from the old ENI, so the plan (which does not know the new
// ENI's ID) does not call the EIP taken.
func TestAccEIPAssociation_replaceENI(t *testing.T) {
	b, seeded := testAccIPBackend(t, nil)
	config := func(vswitchID string) string {
		return b.Config(fmt.Sprintf(`
resource "eni_network_interface" "test" {
  vswitch_id         = %q
  security_group_ids = ["sg-mockweb"]
}

resource "eni_eip_association" "test" {
  allocation_id        = "eip-mock1"
  network_interface_id = eni_network_interface.test.id
}
`, vswitchID))
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             b.CheckSeeded(seeded),
		Steps: []resource.TestStep{
			{
				Config: config("vsw-mockh"),
				Check:  testAccCheckEIPBound(b, "eip-mock1", eniAddr, eipAddr),
			},
			{
				Config: config("vsw-mocki"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(eniAddr, plancheck.ResourceActionDestroyBeforeCreate),
					plancheck.ExpectResourceAction(eipAddr, plancheck.ResourceActionDestroyBeforeCreate),
				}},
				Check: testAccCheckEIPBound(b, "eip-mock1", eniAddr, eipAddr),
			},
		},
	})
}

// An association removed from the configuration while a new one takes
// its EIP at the same place would have its destroy unassociate the EIP
// from under the new one: plan refuses it with no mutating call, and a
// moved block (a rename) does it.
func TestAccEIPAssociation_renamedWithoutMoved(t *testing.T) {
	b, seeded := testAccIPBackend(t, nil)
	assoc := func(name string) string {
		return fmt.Sprintf(`
resource "eni_eip_association" %q {
  allocation_id        = "eip-mock1"
  network_interface_id = eni_network_interface.test.id
}
`, name)
	}
	calls := b.MarkCalls(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             b.CheckSeeded(seeded),
		Steps: []resource.TestStep{
			{
				Config: b.Config(ipENIConfig + assoc("test")),
				Check:  calls.Check,
			},
			{
				Config:   b.Config(ipENIConfig + assoc("renamed")),
				PlanOnly: true,
				ExpectError: regexp.MustCompile(acctest.Wrapped(`EIP eip-mock1 is associated with network interface eni-\S+ ` +
					`\(private IP \S+\) by an eni_eip_association that this plan destroys or replaces, and another ` +
					`eni_eip_association of the configuration holds it there`)),
			},
			{
				PreConfig: calls.ExpectNone,
				Config: b.Config(ipENIConfig + assoc("renamed") + `
moved {
  from = eni_eip_association.test
  to   = eni_eip_association.renamed
}
`),
				Check: testAccCheckEIPBound(b, "eip-mock1", eniAddr, "eni_eip_association.renamed"),
			},
		},
	})
}

// --- helpers ---------------------------------------------------------

// testAccEIPDriftConfig: an EIP on the primary IP of a new ENI that has
// a secondary IP to move it to.
const testAccEIPDriftConfig = `
resource "eni_network_interface" "test" {
  vswitch_id                 = "vsw-mockh"
  security_group_ids         = ["sg-mockweb"]
  secondary_private_ip_count = 1
}

resource "eni_eip_association" "test" {
  allocation_id        = "eip-mock1"
  network_interface_id = eni_network_interface.test.id
}
`

// testAccMoveEIP moves eip-mock1, the EIP of the configs here, out of
// band: unassociated from where it is, associated with eniID at ip (its
// primary IP when empty).
func testAccMoveEIP(t *testing.T, b *acctest.Backend, eniID, ip string) {
	t.Helper()
	const allocationID = "eip-mock1"
	if err := b.UnassociateEIP(allocationID, ""); err != nil {
		t.Fatal(err)
	}
	if err := b.AssociateEIP(allocationID, eniID, ip, ""); err != nil {
		t.Fatal(err)
	}
}

// testAccEIPENISecondary returns the ENI an EIP is on and a secondary IP
// of that ENI.
func testAccEIPENISecondary(t *testing.T, b *acctest.Backend, allocationID string) (string, string) {
	t.Helper()
	eip, err := b.Client.FindEIPByAllocationID(context.Background(), allocationID)
	if err != nil {
		t.Fatal(err)
	}
	eni, err := b.Client.FindNetworkInterfaceByID(context.Background(), eip.InstanceId)
	if err != nil {
		t.Fatal(err)
	}
	for _, ip := range cloud.PrivateIPs(eni) {
		if ip != eni.PrivateIpAddress {
			return eni.NetworkInterfaceId, ip
		}
	}
	t.Fatalf("%s has no secondary IP", eni.NetworkInterfaceId)
	return "", ""
}

// testAccCheckEIPBound reads the EIP from the API: InUse on the ENI of
// eniAddr, at the private IP and in the mode the association records.
func testAccCheckEIPBound(b *acctest.Backend, allocationID, eniAddr, assocAddr string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		eniID := s.RootModule().Resources[eniAddr].Primary.ID
		attrs := s.RootModule().Resources[assocAddr].Primary.Attributes
		eip, err := b.Client.FindEIPByAllocationID(context.Background(), allocationID)
		if err != nil {
			return err
		}
		if eip.Status != domain.EIPStatusInUse || eip.InstanceId != eniID || eip.InstanceType != cloud.EIPTargetNetworkInterface ||
			eip.PrivateIpAddress != attrs["private_ip_address"] || eip.Mode != attrs["mode"] {
			return fmt.Errorf("EIP %s is %s on %s %s (%s, %s), want InUse on NetworkInterface %s (%s, %s)", allocationID,
				eip.Status, eip.InstanceType, eip.InstanceId, eip.PrivateIpAddress, eip.Mode, eniID, attrs["private_ip_address"], attrs["mode"])
		}
		if attrs["id"] != allocationID+":"+eniID {
			return fmt.Errorf("%s has ID %q", assocAddr, attrs["id"])
		}
		return nil
	}
}

// testAccCheckENIOn checks that the ENI is bound to instanceID and holds
// the same private IPs as the first time it was called with ips.
func testAccCheckENIOn(b *acctest.Backend, addr, instanceID string, ips *[]string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		eni, err := b.Client.FindNetworkInterfaceByID(context.Background(), s.RootModule().Resources[addr].Primary.ID)
		if err != nil {
			return err
		}
		if eni.InstanceId != instanceID || eni.Status != domain.ENIStatusInUse {
			return fmt.Errorf("%s is %s on %q, want InUse on %s", eni.NetworkInterfaceId, eni.Status, eni.InstanceId, instanceID)
		}
		got := cloud.PrivateIPs(eni)
		if *ips == nil {
			*ips = got
		} else if strings.Join(got, ",") != strings.Join(*ips, ",") {
			return fmt.Errorf("%s holds %v, held %v", eni.NetworkInterfaceId, got, *ips)
		}
		if len(got) != 2 {
			return fmt.Errorf("%s holds %v, want a primary and one secondary IP", eni.NetworkInterfaceId, got)
		}
		return nil
	}
}

// An EIP associated outside Terraform without naming a private IP: the API
// then reports no PrivateIpAddress, though the EIP sits on the ENI's
// primary IP. Imported, the association shows that address, and the
// configuration without private_ip_address plans nothing.
func TestAccEIPAssociation_importUnnamedPrivateIP(t *testing.T) {
	b, seeded := testAccIPBackend(t, nil)
	eniID, primaryIP := b.PrimaryENI(t, "i-mockweb1")
	config := b.Config(fmt.Sprintf(`
resource "eni_eip_association" "test" {
  allocation_id        = "eip-mock2"
  network_interface_id = %q
}
`, eniID))
	onPrimary := []statecheck.StateCheck{
		statecheck.ExpectKnownValue(eipAddr, tfjsonpath.New("private_ip_address"), knownvalue.StringExact(primaryIP)),
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             b.CheckSeeded(seeded),
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					if err := b.AssociateEIP("eip-mock2", eniID, "", ""); err != nil {
						t.Fatal(err)
					}
					// What the API reports: no private IP.
					req := vpc.CreateDescribeEipAddressesRequest()
					req.AllocationId = "eip-mock2"
					resp, err := b.Client.DescribeEipAddresses(context.Background(), req)
					if err != nil {
						t.Fatal(err)
					}
					if l := resp.EipAddresses.EipAddress; len(l) != 1 || l[0].InstanceId != eniID || l[0].PrivateIpAddress != "" {
						t.Fatalf("EIP as the API reports it: %+v", l)
					}
				},
				Config:             config,
				ResourceName:       eipAddr,
				ImportState:        true,
				ImportStateId:      "eip-mock2:" + eniID,
				ImportStatePersist: true,
				ImportStateCheck: func(s []*terraform.InstanceState) error {
					if len(s) != 1 || s[0].Attributes["private_ip_address"] != primaryIP {
						return fmt.Errorf("imported %+v, want private_ip_address %s", s, primaryIP)
					}
					return nil
				},
			},
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
				ConfigStateChecks: onPrimary,
			},
			{
				Config:   config,
				PlanOnly: true,
			},
		},
	})
}

// An association on a secondary IP, moved outside Terraform to the primary
// IP of the same ENI by an association that names no private IP (so the
// API reports none): the refresh sees the move and the apply puts it back.
func TestAccEIPAssociation_movedToUnnamedPrimary(t *testing.T) {
	b, seeded := testAccIPBackend(t, nil)
	config := b.Config(`
resource "eni_network_interface" "test" {
  vswitch_id                 = "vsw-mockh"
  security_group_ids         = ["sg-mockweb"]
  secondary_private_ip_count = 1
}

resource "eni_eip_association" "test" {
  allocation_id        = "eip-mock1"
  network_interface_id = eni_network_interface.test.id
  private_ip_address   = one(eni_network_interface.test.private_ips)
}
`)
	onSecondary := []statecheck.StateCheck{
		statecheck.CompareValuePairs(eipAddr, tfjsonpath.New("private_ip_address"),
			eniAddr, tfjsonpath.New("private_ips").AtSliceIndex(0), compare.ValuesSame()),
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             b.CheckSeeded(seeded),
		Steps: []resource.TestStep{
			{
				Config:            config,
				ConfigStateChecks: onSecondary,
				Check:             testAccCheckEIPBound(b, "eip-mock1", eniAddr, eipAddr),
			},
			{
				PreConfig: func() {
					eip, err := b.Client.FindEIPByAllocationID(context.Background(), "eip-mock1")
					if err != nil {
						t.Fatal(err)
					}
					testAccMoveEIP(t, b, eip.InstanceId, "")
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(eipAddr, plancheck.ResourceActionDestroyBeforeCreate),
					plancheck.ExpectResourceAction(eniAddr, plancheck.ResourceActionNoop),
				}},
				ConfigStateChecks: onSecondary,
				Check:             testAccCheckEIPBound(b, "eip-mock1", eniAddr, eipAddr),
			},
			{
				Config:   config,
				PlanOnly: true,
			},
		},
	})
}
