package eni_test

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"testing"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
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

const attAddr = "eni_network_interface_attachment.test"

// These tests use the emulator's seed topology by name (instances of a
// given type, state and zone), so they run against the emulator only
// (acctest.NewEmulatorBackend).

// testAccAttachmentConfig is an ENI in vSwitch vsw-mockh and security
// group sg-mockweb (with ips secondary IPs) attached to instance by
// eni_network_interface_attachment.test; extra goes into the attachment
// block.
func testAccAttachmentConfig(b *acctest.Backend, ips int, instance, extra string) string {
	return b.Config(fmt.Sprintf(`
resource "eni_network_interface" "test" {
  vswitch_id                 = "vsw-mockh"
  security_group_ids         = ["sg-mockweb"]
  secondary_private_ip_count = %d
}

resource "eni_network_interface_attachment" "test" {
  network_interface_id = eni_network_interface.test.id
  instance_id          = %q
%s
}`, ips, instance, extra))
}

func TestAccNetworkInterfaceAttachment_basic(t *testing.T) {
	b := acctest.NewEmulatorBackend(t, nil)
	config := func(extra string) string {
		return testAccAttachmentConfig(b, 1, "i-mockweb1", extra)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             testAccCheckAttachmentDestroy(b),
		Steps: []resource.TestStep{
			{
				Config: config(""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(attAddr, plancheck.ResourceActionCreate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(attAddr, tfjsonpath.New("id"), knownvalue.StringRegexp(regexp.MustCompile(`^eni-[^:]+:i-mockweb1$`))),
					statecheck.ExpectKnownValue(attAddr, tfjsonpath.New("status"), knownvalue.StringExact("InUse")),
					statecheck.ExpectKnownValue(attAddr, tfjsonpath.New("stop_instance_if_required"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(attAddr, tfjsonpath.New("network_card_index"), knownvalue.Null()),
				},
				Check: resource.ComposeTestCheckFunc(
					testAccCheckENIBoundTo(b, "i-mockweb1"),
					resource.TestCheckResourceAttrPair(attAddr, "network_interface_id", eniAddr, "id"),
					b.CheckActions(map[string]int64{"AttachNetworkInterface": 1, "StopInstance": 0, "StartInstance": 0}),
				),
			},
			{
				ResourceName:            attAddr,
				ImportState:             true,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"timeouts"},
			},
			{
				// Settings that live in state only are updated in place.
				Config: config(`  stop_instance_if_required            = true
  wait_for_network_configuration_ready = true`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(attAddr, plancheck.ResourceActionUpdate),
				}},
				Check: b.CheckActions(map[string]int64{"AttachNetworkInterface": 1, "DetachNetworkInterface": 0}),
			},
			{
				// Detach: the attachment goes, the ENI stays.
				Config: b.Config(`
resource "eni_network_interface" "test" {
  vswitch_id                 = "vsw-mockh"
  security_group_ids         = ["sg-mockweb"]
  secondary_private_ip_count = 1
}`),
				Check: resource.ComposeTestCheckFunc(
					testAccCheckENIBoundTo(b, ""),
					b.CheckActions(map[string]int64{"DetachNetworkInterface": 1}),
				),
			},
		},
	})
}

func TestAccNetworkInterfaceAttachment_importInvalidID(t *testing.T) {
	b := acctest.NewEmulatorBackend(t, nil)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{{
			Config: b.Config(`
resource "eni_network_interface_attachment" "test" {
  network_interface_id = "eni-x"
  instance_id          = "i-mockweb1"
}`),
			ResourceName:  attAddr,
			ImportState:   true,
			ImportStateId: "i-mockweb1:eni-x",
			ExpectError:   regexp.MustCompile(acctest.Wrapped(`import with <network-interface-id>:<instance-id>`)),
		}},
	})
}

// Detached out of band: Read drops the attachment, the next apply binds
// the ENI again.
func TestAccNetworkInterfaceAttachment_disappears(t *testing.T) {
	b := acctest.NewEmulatorBackend(t, nil)
	config := testAccAttachmentConfig(b, 0, "i-mockweb1", "")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             testAccCheckAttachmentDestroy(b),
		Steps: []resource.TestStep{
			{
				Config:             config,
				Check:              testAccDetachOutOfBand(b, eniAddr, "i-mockweb1"),
				ExpectNonEmptyPlan: true,
			},
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(attAddr, plancheck.ResourceActionCreate),
				}},
				Check: testAccCheckENIBoundTo(b, "i-mockweb1"),
			},
		},
	})
}

// Bound to another instance out of band: Read drops the attachment, and
// the next apply moves the ENI back, keeping its IPs.
func TestAccNetworkInterfaceAttachment_boundElsewhere(t *testing.T) {
	b := acctest.NewEmulatorBackend(t, nil)
	config := testAccAttachmentConfig(b, 2, "i-mockweb1", "")
	var ips []string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             testAccCheckAttachmentDestroy(b),
		Steps: []resource.TestStep{
			{
				Config: config,
				Check: resource.ComposeTestCheckFunc(
					testAccRecordIPs(b, eniAddr, &ips),
					testAccDetachOutOfBand(b, eniAddr, "i-mockweb1"),
					testAccAttachOutOfBand(b, eniAddr, "i-mockweb2"),
				),
				ExpectNonEmptyPlan: true,
			},
			{
				Config: config,
				Check: resource.ComposeTestCheckFunc(
					testAccCheckENIBoundTo(b, "i-mockweb1"),
					testAccCheckIPsKept(b, &ips),
				),
			},
		},
	})
}

// Failover: the ENI moves between two instances in one apply, by a new
// instance_id (destroy, then create), by create_before_destroy, and by a
// new attachment resource replacing the old one; its secondary IPs and
// its EIP stay with it every time.
func TestAccNetworkInterfaceAttachment_move(t *testing.T) {
	b := acctest.NewEmulatorBackend(t, nil)
	config := func(instance, extra string) string {
		return testAccAttachmentConfig(b, 3, instance, extra)
	}
	cbd := "  lifecycle {\n    create_before_destroy = true\n  }"
	var ips []string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             testAccCheckAttachmentDestroy(b),
		Steps: []resource.TestStep{
			{
				Config: config("i-mockweb1", ""),
				Check: resource.ComposeTestCheckFunc(
					testAccRecordIPs(b, eniAddr, &ips),
					testAccAssociateEIP(b, eniAddr, "eip-mock1"),
				),
			},
			{
				Config: config("i-mockweb2", ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(attAddr, plancheck.ResourceActionDestroyBeforeCreate),
					plancheck.ExpectResourceAction(eniAddr, plancheck.ResourceActionNoop),
				}},
				Check: resource.ComposeTestCheckFunc(
					testAccCheckENIBoundTo(b, "i-mockweb2"),
					testAccCheckIPsKept(b, &ips),
					testAccCheckEIPOn(b, eniAddr, "eip-mock1"),
					b.CheckActions(map[string]int64{"AttachNetworkInterface": 2, "DetachNetworkInterface": 1}),
				),
			},
			{
				Config: config("i-mockweb1", cbd),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(attAddr, plancheck.ResourceActionCreateBeforeDestroy),
				}},
				Check: resource.ComposeTestCheckFunc(
					testAccCheckENIBoundTo(b, "i-mockweb1"),
					testAccCheckIPsKept(b, &ips),
					testAccCheckEIPOn(b, eniAddr, "eip-mock1"),
					// The create detached the ENI from i-mockweb2; the
					// deposed attachment's destroy found it moved and
					// changed nothing.
					b.CheckActions(map[string]int64{"AttachNetworkInterface": 3, "DetachNetworkInterface": 2}),
				),
			},
			{
				// A new attachment resource takes over from the old one.
				Config: b.Config(`
resource "eni_network_interface" "test" {
  vswitch_id                 = "vsw-mockh"
  security_group_ids         = ["sg-mockweb"]
  secondary_private_ip_count = 3
}

resource "eni_network_interface_attachment" "standby" {
  network_interface_id = eni_network_interface.test.id
  instance_id          = "i-mockweb2"
}`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(attAddr, plancheck.ResourceActionDestroy),
					plancheck.ExpectResourceAction("eni_network_interface_attachment.standby", plancheck.ResourceActionCreate),
				}},
				Check: resource.ComposeTestCheckFunc(
					testAccCheckENIBoundTo(b, "i-mockweb2"),
					testAccCheckIPsKept(b, &ips),
					testAccCheckEIPOn(b, eniAddr, "eip-mock1"),
					b.CheckActions(map[string]int64{"AttachNetworkInterface": 4, "DetachNetworkInterface": 3}),
					testAccUnassociateEIP(b, eniAddr, "eip-mock1"),
				),
			},
		},
	})
}

// Ten attachments across two instances in one apply: one attach call
// each. The per-instance lock serialises them; the emulator would accept
// them in parallel too (it queues attaches per instance, as the real
// cloud takes them), so this checks the calls, not the lock.
func TestAccNetworkInterfaceAttachment_tenInOneApply(t *testing.T) {
	seed := mockcloud.DefaultSeed()
	seed.InstanceTypes[0].ENIQuantity = 6 // ecs.g7.large: the primary and five more
	b := acctest.NewEmulatorBackend(t, seed)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy: resource.ComposeTestCheckFunc(
			testAccCheckAttachmentDestroy(b),
			b.CheckActions(map[string]int64{"AttachNetworkInterface": 10, "DetachNetworkInterface": 10}),
		),
		Steps: []resource.TestStep{{
			Config: b.Config(`
resource "eni_network_interface" "test" {
  count              = 10
  vswitch_id         = "vsw-mockh"
  security_group_ids = ["sg-mockweb"]
}

resource "eni_network_interface_attachment" "test" {
  count                = 10
  network_interface_id = eni_network_interface.test[count.index].id
  instance_id          = count.index < 5 ? "i-mockweb1" : "i-mockweb2"
}`),
			Check: resource.ComposeTestCheckFunc(
				b.CheckActions(map[string]int64{"AttachNetworkInterface": 10}),
				testAccCheckInstanceENIs(b, "i-mockweb1", 6),
				testAccCheckInstanceENIs(b, "i-mockweb2", 6),
			),
		}},
	})
}

// A type without hot swap: with stop_instance_if_required the instance is
// stopped, the ENI attached and the instance started again; destroy does
// the same for the detach.
func TestAccNetworkInterfaceAttachment_stopInstanceIfRequired(t *testing.T) {
	b := acctest.NewEmulatorBackend(t, nil)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy: resource.ComposeTestCheckFunc(
			testAccCheckAttachmentDestroy(b),
			testAccCheckBurstInstanceStatus(b, domain.InstanceStatusRunning),
			b.CheckActions(map[string]int64{"StopInstance": 2, "StartInstance": 2, "DetachNetworkInterface": 1}),
		),
		Steps: []resource.TestStep{{
			Config: testAccAttachmentConfig(b, 0, "i-mockburst", "  stop_instance_if_required = true"),
			Check: resource.ComposeTestCheckFunc(
				testAccCheckENIBoundTo(b, "i-mockburst"),
				testAccCheckBurstInstanceStatus(b, domain.InstanceStatusRunning),
				b.CheckActions(map[string]int64{"StopInstance": 1, "StartInstance": 1, "AttachNetworkInterface": 1}),
			),
		}},
	})
}

// An instance without hot swap found Stopped is left Stopped: no stop,
// no start, and stop_instance_if_required is not needed.
func TestAccNetworkInterfaceAttachment_stoppedInstance(t *testing.T) {
	seed := mockcloud.DefaultSeed()
	for i := range seed.Instances {
		if seed.Instances[i].InstanceID == "i-mockburst" {
			seed.Instances[i].Status = domain.InstanceStatusStopped
		}
	}
	b := acctest.NewEmulatorBackend(t, seed)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy: resource.ComposeTestCheckFunc(
			testAccCheckAttachmentDestroy(b),
			testAccCheckBurstInstanceStatus(b, domain.InstanceStatusStopped),
			b.CheckActions(map[string]int64{"StopInstance": 0, "StartInstance": 0}),
		),
		Steps: []resource.TestStep{{
			Config: testAccAttachmentConfig(b, 0, "i-mockburst", ""),
			Check: resource.ComposeTestCheckFunc(
				testAccCheckENIBoundTo(b, "i-mockburst"),
				testAccCheckBurstInstanceStatus(b, domain.InstanceStatusStopped),
			),
		}},
	})
}

// attachmentValidationSeed adds what the validation cases need: a second
// VPC with a vSwitch in zone h, and an instance whose type allows two
// private IPs per ENI.
func attachmentValidationSeed() *mockcloud.Seed {
	seed := mockcloud.DefaultSeed()
	seed.VPCs = append(seed.VPCs, mockcloud.SeedVPC{VPCID: "vpc-other", CIDRBlock: "172.16.0.0/12"})
	seed.VSwitches = append(seed.VSwitches, mockcloud.SeedVSwitch{VSwitchID: "vsw-otherh", VPCID: "vpc-other",
		ZoneID: "cn-hangzhou-h", CIDRBlock: "172.16.1.0/24"})
	seed.SecurityGroups = append(seed.SecurityGroups, mockcloud.SeedSecurityGroup{SecurityGroupID: "sg-other", VPCID: "vpc-other"})
	seed.InstanceTypes = append(seed.InstanceTypes, mockcloud.SeedInstanceType{InstanceTypeID: "ecs.g7.small",
		ENIQuantity: 3, ENIPrivateIPAddressQuantity: 2, ENIIPv6AddressQuantity: 2})
	seed.Instances = append(seed.Instances, mockcloud.SeedInstance{InstanceID: "i-mocksmall", InstanceType: "ecs.g7.small",
		VSwitchID: "vsw-mockh", SecurityGroupIDs: []string{"sg-mockweb"}, Status: domain.InstanceStatusRunning})
	return seed
}

// Every rule fails at plan, against ENIs and instances that exist, and
// nothing is changed in the cloud.
func TestAccNetworkInterfaceAttachment_planValidation(t *testing.T) {
	b := acctest.NewEmulatorBackend(t, attachmentValidationSeed())
	eniH1 := b.CreateENI(t, "vsw-mockh", "sg-mockweb")
	eniH2 := b.CreateENI(t, "vsw-mockh", "sg-mockweb")
	eniH3 := b.CreateENI(t, "vsw-mockh", "sg-mockweb")
	eniI := b.CreateENI(t, "vsw-mocki", "sg-mockweb")
	eniOther := b.CreateENI(t, "vsw-otherh", "sg-other")
	eniIPs := b.CreateENI(t, "vsw-mockh", "sg-mockweb", func(req *ecs.CreateNetworkInterfaceRequest) {
		req.SecondaryPrivateIpAddressCount = requests.NewInteger(2)
	})
	primary, _ := b.PrimaryENI(t, "i-mockweb2")
	b.ExpectNoMutatingCalls(t)

	att := func(name, eni, instance, extra string) string {
		return fmt.Sprintf(`
resource "eni_network_interface_attachment" %q {
  network_interface_id = %q
  instance_id          = %q
%s
}`, name, eni, instance, extra)
	}
	cases := []struct {
		name, config, want string
	}{
		{"zone", att("a", eniI, "i-mockweb1", ""),
			`network interface ` + eniI + ` is in zone cn-hangzhou-i but instance i-mockweb1 is in zone cn-hangzhou-h`},
		{"vpc", att("a", eniOther, "i-mockweb1", ""),
			`network interface ` + eniOther + ` is in VPC vpc-other but instance i-mockweb1 is in VPC vpc-mock1`},
		{"no hot swap", att("a", eniH1, "i-mockburst", ""),
			`instance i-mockburst is Running, and its type ecs.t6-c1m2.large cannot attach a secondary ENI while Running \(no hot swap\): stop the instance first, or set stop_instance_if_required = true`},
		{"eni count", att("a", eniH1, "i-mockweb1", "") + att("b", eniH2, "i-mockweb1", "") + att("c", eniH3, "i-mockweb1", ""),
			`instance i-mockweb1 \(type ecs.g7.large\) can hold at most 3 ENIs, the primary ENI included, and 1 are bound to it and stay so in this plan \(eni-\S+\), so this plan can attach 2 more`},
		{"primary eni", att("a", primary, "i-mockweb1", ""),
			`network interface ` + primary + ` is the primary ENI of instance i-mockweb2`},
		{"private ips per eni", att("a", eniIPs, "i-mocksmall", ""),
			`network interface ` + eniIPs + ` will hold 3 private IPs \(primary included\), but instance type ecs.g7.small allows at most 2 per ENI`},
		{"network card", att("a", eniH1, "i-mockweb1", "  network_card_index = 2"),
			`network_card_index is 2, but instance type ecs.g7.large of instance i-mockweb1 has 1 network card\(s\)`},
		{"no such instance", att("a", eniH1, "i-ghost", ""), `Instance i-ghost does not exist in region cn-hangzhou`},
		{"no such eni", att("a", "eni-ghost", "i-mockweb1", ""), `Network interface eni-ghost does not exist in region cn-hangzhou`},
		{"not an instance id", att("a", eniH1, "web1", ""), `must be an instance ID such as i-`},
		{"ids swapped", att("a", "i-mockweb1", eniH1, ""), `must be an ENI ID such as eni-`},
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

// The same rules when the ENI is created in the same apply: those that
// need only the instance fail at plan; those that need the ENI fail in
// the plan Terraform makes just before applying the attachment, after the
// ENI exists and before any attach call.
func TestAccNetworkInterfaceAttachment_planValidationNewENI(t *testing.T) {
	eni := func(name, vsw, sg string) string {
		return fmt.Sprintf(`
resource "eni_network_interface" %q {
  vswitch_id         = %q
  security_group_ids = [%q]
}`, name, vsw, sg)
	}
	att := func(name, eni, instance string) string {
		return fmt.Sprintf(`
resource "eni_network_interface_attachment" %q {
  network_interface_id = eni_network_interface.%s.id
  instance_id          = %q
}`, name, eni, instance)
	}
	cases := []struct {
		name      string
		enis      string
		atts      string
		want      string
		atApply   bool // the error comes from the plan made just before applying the attachment
		createdAt int64
	}{
		{"zone", eni("a", "vsw-mocki", "sg-mockweb"), att("a", "a", "i-mockweb1"),
			`network interface eni-\S+ is in zone cn-hangzhou-i but instance i-mockweb1 is in zone cn-hangzhou-h`, true, 1},
		{"vpc", eni("a", "vsw-otherh", "sg-other"), att("a", "a", "i-mockweb1"),
			`network interface eni-\S+ is in VPC vpc-other but instance i-mockweb1 is in VPC vpc-mock1`, true, 1},
		{"no hot swap", eni("a", "vsw-mockh", "sg-mockweb"), att("a", "a", "i-mockburst"),
			`instance i-mockburst is Running, and its type ecs.t6-c1m2.large cannot attach`, false, 0},
		{"eni count", eni("a", "vsw-mockh", "sg-mockweb") + eni("b", "vsw-mockh", "sg-mockweb") + eni("c", "vsw-mockh", "sg-mockweb"),
			att("a", "a", "i-mockweb1") + att("b", "b", "i-mockweb1") + att("c", "c", "i-mockweb1"),
			`can hold at most 3 ENIs, the primary ENI included, and 1 are bound to it and stay so in this plan \(eni-\S+\), so this plan can attach 2 more`, false, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b := acctest.NewEmulatorBackend(t, attachmentValidationSeed())
			steps := []resource.TestStep{{
				Config:      b.Config(tc.enis + tc.atts),
				PlanOnly:    !tc.atApply,
				ExpectError: regexp.MustCompile(acctest.Wrapped(tc.want)),
			}}
			if tc.atApply {
				// What the failed apply left: the ENI, and no attach call.
				steps = append(steps, resource.TestStep{
					PreConfig: func() {
						st := b.Mock.Stats()
						if st.Mutating != tc.createdAt || st.Actions["CreateNetworkInterface"] != tc.createdAt || st.Actions["AttachNetworkInterface"] != 0 {
							t.Errorf("after the failed apply: %d mutating calls (%v); want only %d CreateNetworkInterface", st.Mutating, st.Actions, tc.createdAt)
						}
					},
					Config: b.Config(tc.enis),
				})
			}
			// Cleanups, not CheckDestroy: a plan that fails leaves no state,
			// and the framework skips CheckDestroy then.
			t.Cleanup(func() {
				if n := b.Mock.Stats().Actions["AttachNetworkInterface"]; n != 0 {
					t.Errorf("%d AttachNetworkInterface calls reached the API", n)
				}
			})
			if !tc.atApply {
				b.ExpectNoMutatingCalls(t)
			}
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.ProviderFactories,
				Steps:                    steps,
			})
		})
	}
}

// Two attachments claiming one ENI: one keeps it where it is, the other
// would move it. The plan fails whichever of the two is planned first.
func TestAccNetworkInterfaceAttachment_claimedTwice(t *testing.T) {
	b := acctest.NewEmulatorBackend(t, nil)
	base := testAccAttachmentConfig(b, 0, "i-mockweb1", "")
	calls := b.MarkCalls(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             testAccCheckAttachmentDestroy(b),
		Steps: []resource.TestStep{
			{
				Config: base,
				Check:  calls.Check,
			},
			{
				Config: base + `
resource "eni_network_interface_attachment" "second" {
  network_interface_id = eni_network_interface.test.id
  instance_id          = "i-mockweb2"
}`,
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(acctest.Wrapped(`(keeps it there, so it cannot also be attached to i-mockweb2|another eni_network_interface_attachment of this configuration attaches the ENI to a different instance)`)),
			},
			{
				PreConfig: calls.ExpectNone,
				Config:    base,
				Check:     testAccCheckENIBoundTo(b, "i-mockweb1"),
			},
		},
	})
}

// Destroying an attachment to a Running instance without hot swap needs
// stop_instance_if_required in state; the plan says so.
func TestAccNetworkInterfaceAttachment_detachNeedsStop(t *testing.T) {
	seed := mockcloud.DefaultSeed()
	for i := range seed.Instances {
		if seed.Instances[i].InstanceID == "i-mockburst" {
			seed.Instances[i].Status = domain.InstanceStatusStopped
		}
	}
	b := acctest.NewEmulatorBackend(t, seed)
	enis := `
resource "eni_network_interface" "test" {
  vswitch_id                 = "vsw-mockh"
  security_group_ids         = ["sg-mockweb"]
  secondary_private_ip_count = 0
}`
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             testAccCheckAttachmentDestroy(b),
		Steps: []resource.TestStep{
			{
				// Attached while the instance is Stopped; then it starts.
				Config: testAccAttachmentConfig(b, 0, "i-mockburst", ""),
				Check:  testAccStartInstance(b, "i-mockburst"),
			},
			{
				Config:      b.Config(enis),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(acctest.Wrapped(`instance i-mockburst is Running, and its type ecs.t6-c1m2.large cannot detach a secondary ENI while Running (?s:.*)stop_instance_if_required recorded in state`)),
			},
			{
				Config: testAccAttachmentConfig(b, 0, "i-mockburst", "  stop_instance_if_required = true"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(attAddr, plancheck.ResourceActionUpdate),
				}},
			},
			{
				Config: b.Config(enis),
				Check: resource.ComposeTestCheckFunc(
					testAccCheckENIBoundTo(b, ""),
					testAccCheckBurstInstanceStatus(b, domain.InstanceStatusRunning),
					b.CheckActions(map[string]int64{"StopInstance": 1, "StartInstance": 2, "DetachNetworkInterface": 1}),
				),
			},
		},
	})
}

// --- checks and out-of-band changes -------------------------------------

func testAccCheckAttachmentDestroy(b *acctest.Backend) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		for _, rs := range s.RootModule().Resources {
			if rs.Type != "eni_network_interface_attachment" {
				continue
			}
			eniID, instanceID := rs.Primary.Attributes["network_interface_id"], rs.Primary.Attributes["instance_id"]
			eni, err := b.Client.FindNetworkInterfaceByID(context.Background(), eniID)
			if cloud.IsNotFound(err) {
				continue
			}
			if err != nil {
				return err
			}
			if cloud.AttachedInstanceID(eni) == instanceID {
				return fmt.Errorf("network interface %s is still attached to %s", eniID, instanceID)
			}
		}
		return nil
	}
}

// testAccCheckENIBoundTo reads the ENI of eni_network_interface.test from
// the API: InUse on instanceID, or Available and unbound when instanceID
// is "".
func testAccCheckENIBoundTo(b *acctest.Backend, instanceID string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		eni, err := testAccFindENI(b, s, eniAddr)
		if err != nil {
			return err
		}
		want := domain.ENIStatusInUse
		if instanceID == "" {
			want = domain.ENIStatusAvailable
		}
		if got := cloud.AttachedInstanceID(eni); got != instanceID || eni.Status != want {
			return fmt.Errorf("network interface %s is %s on %q, want %s on %q", eni.NetworkInterfaceId, eni.Status, got, want, instanceID)
		}
		return nil
	}
}

func testAccFindENI(b *acctest.Backend, s *terraform.State, addr string) (*ecs.NetworkInterfaceSet, error) {
	rs, ok := s.RootModule().Resources[addr]
	if !ok {
		return nil, fmt.Errorf("%s not in state", addr)
	}
	return b.Client.FindNetworkInterfaceByID(context.Background(), rs.Primary.ID)
}

func testAccRecordIPs(b *acctest.Backend, addr string, ips *[]string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		eni, err := testAccFindENI(b, s, addr)
		if err != nil {
			return err
		}
		*ips = cloud.PrivateIPs(eni)
		if len(*ips) < 2 {
			return fmt.Errorf("network interface %s has no secondary IPs to follow: %v", eni.NetworkInterfaceId, *ips)
		}
		return nil
	}
}

// testAccCheckIPsKept checks that the ENI of eni_network_interface.test
// still has the private IPs testAccRecordIPs recorded in ips.
func testAccCheckIPsKept(b *acctest.Backend, ips *[]string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		eni, err := testAccFindENI(b, s, eniAddr)
		if err != nil {
			return err
		}
		if got := cloud.PrivateIPs(eni); !slices.Equal(got, *ips) {
			return fmt.Errorf("network interface %s has private IPs %v, had %v", eni.NetworkInterfaceId, got, *ips)
		}
		return nil
	}
}

func testAccAttachOutOfBand(b *acctest.Backend, addr, instanceID string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		return b.AttachENI(s.RootModule().Resources[addr].Primary.ID, instanceID)
	}
}

func testAccAssociateEIP(b *acctest.Backend, addr, allocationID string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		return b.AssociateEIP(allocationID, s.RootModule().Resources[addr].Primary.ID, "", "")
	}
}

func testAccUnassociateEIP(b *acctest.Backend, addr, allocationID string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		return b.UnassociateEIP(allocationID, s.RootModule().Resources[addr].Primary.ID)
	}
}

func testAccDetachOutOfBand(b *acctest.Backend, addr, instanceID string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		id := s.RootModule().Resources[addr].Primary.ID
		req := ecs.CreateDetachNetworkInterfaceRequest()
		req.NetworkInterfaceId, req.InstanceId = id, instanceID
		if _, err := b.Client.DetachNetworkInterface(context.Background(), req); err != nil {
			return err
		}
		_, err := b.Client.WaitNetworkInterfaceAvailable(context.Background(), id, 0)
		return err
	}
}

func testAccCheckEIPOn(b *acctest.Backend, addr, allocationID string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		eip, err := b.Client.FindEIPByAllocationID(context.Background(), allocationID)
		if err != nil {
			return err
		}
		id := s.RootModule().Resources[addr].Primary.ID
		if eip.InstanceId != id || eip.Status != domain.EIPStatusInUse {
			return fmt.Errorf("EIP %s is %s on %q, want InUse on %s", allocationID, eip.Status, eip.InstanceId, id)
		}
		return nil
	}
}

// testAccCheckBurstInstanceStatus checks the status of i-mockburst, the
// instance the stop_instance_if_required tests attach to.
func testAccCheckBurstInstanceStatus(b *acctest.Backend, want string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		const instanceID = "i-mockburst"
		inst, err := b.Client.FindInstanceByID(context.Background(), instanceID)
		if err != nil {
			return err
		}
		if inst.Status != want {
			return fmt.Errorf("instance %s is %s, want %s", instanceID, inst.Status, want)
		}
		return nil
	}
}

func testAccCheckInstanceENIs(b *acctest.Backend, instanceID string, want int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		inst, err := b.Client.FindInstanceByID(context.Background(), instanceID)
		if err != nil {
			return err
		}
		if got := cloud.InstanceNetworkInterfaceIDs(inst); len(got) != want {
			return fmt.Errorf("instance %s holds %d ENIs (%v), want %d", instanceID, len(got), got, want)
		}
		return nil
	}
}

func testAccStartInstance(b *acctest.Backend, instanceID string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		req := ecs.CreateStartInstanceRequest()
		req.InstanceId = instanceID
		if _, err := b.Client.StartInstance(context.Background(), req); err != nil {
			return err
		}
		_, err := b.Client.WaitInstanceStatus(context.Background(), instanceID, domain.InstanceStatusRunning, 0)
		return err
	}
}

// --- duplicates, limits and drift (issue 9) ------------------------------

// One ENI in two new attachments is refused at plan, naming both
// instances; so are five attachments to an instance with room for two,
// on the three beyond the room, with the same text. No call changes
// anything.
func TestAccNetworkInterfaceAttachment_planDuplicatesAndLimit(t *testing.T) {
	b := acctest.NewEmulatorBackend(t, nil)
	var enis []string
	for range 5 {
		enis = append(enis, b.CreateENI(t, "vsw-mockh", "sg-mockweb"))
	}
	b.ExpectNoMutatingCalls(t)
	att := func(name, eni, instance string) string {
		return fmt.Sprintf(`
resource "eni_network_interface_attachment" %q {
  network_interface_id = %q
  instance_id          = %q
}`, name, eni, instance)
	}
	hint := `(?s:.*)terraform destroy -refresh=false`
	limit := `Every attachment beyond those 2 fails with this error`
	var five string
	for i, id := range enis {
		five += att(fmt.Sprintf("a%d", i), id, "i-mockweb1")
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:   b.Config(att("a", enis[0], "i-mockweb1") + att("b", enis[0], "i-mockweb2")),
				PlanOnly: true,
				ExpectError: regexp.MustCompile(acctest.Wrapped(`network_interface_id: network interface ` + enis[0] +
					` is bound to instance i-mockweb[12] by this eni_network_interface_attachment and to instance i-mockweb[12] by another` + hint)),
			},
			{
				Config:   b.Config(att("a", enis[0], "i-mockweb1") + att("b", enis[0], "i-mockweb1")),
				PlanOnly: true,
				ExpectError: regexp.MustCompile(acctest.Wrapped(`network interface ` + enis[0] +
					` is bound to instance i-mockweb1 by this eni_network_interface_attachment and to instance i-mockweb1 as well by another` + hint)),
			},
			{
				// Three errors, and the same three texts however the
				// attachments were scheduled.
				Config:      b.Config(five),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)(` + acctest.Wrapped(`and 1 are bound to it and stay so in this plan \(eni-\S+\), so this plan can attach 2 more, and it attaches more than that. `+limit) + `.*){3}`),
			},
		},
	})
}

// A new attachment of an ENI that an existing attachment keeps on the
// same instance is a duplicate as well.
func TestAccNetworkInterfaceAttachment_duplicateOfKept(t *testing.T) {
	b := acctest.NewEmulatorBackend(t, nil)
	seeded := b.SnapshotSeeded(t)
	base := testAccAttachmentConfig(b, 0, "i-mockweb1", "")
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
				Config: base + `
resource "eni_network_interface_attachment" "again" {
  network_interface_id = eni_network_interface.test.id
  instance_id          = "i-mockweb1"
}`,
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(acctest.Wrapped(`is bound to instance i-mockweb1 by this eni_network_interface_attachment and to instance i-mockweb1 as well by another`)),
			},
			{
				PreConfig: calls.ExpectNone,
				Config:    base,
				Check:     testAccCheckENIBoundTo(b, "i-mockweb1"),
			},
		},
	})
}

// Drift that can be put right never makes plan fail, and the destroy the
// test framework runs at the end (terraform destroy -refresh=false) works
// whatever happened out of band and leaves the emulator as seeded.
func TestAccNetworkInterfaceAttachment_destroyAfterDrift(t *testing.T) {
	cases := []struct {
		name  string
		drift func(b *acctest.Backend, eniID string) error
	}{
		{"detached", func(b *acctest.Backend, eniID string) error { return b.DetachENI(eniID, "i-mockweb1") }},
		{"moved", func(b *acctest.Backend, eniID string) error {
			if err := b.DetachENI(eniID, "i-mockweb1"); err != nil {
				return err
			}
			return b.AttachENI(eniID, "i-mockweb2")
		}},
		{"deleted", func(b *acctest.Backend, eniID string) error {
			if err := b.DetachENI(eniID, "i-mockweb1"); err != nil {
				return err
			}
			return b.DeleteENI(eniID)
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b := acctest.NewEmulatorBackend(t, nil)
			seeded := b.SnapshotSeeded(t)
			config := testAccAttachmentConfig(b, 1, "i-mockweb1", "")
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.ProviderFactories,
				CheckDestroy:             b.CheckSeeded(seeded),
				Steps: []resource.TestStep{{
					Config: config,
					Check: func(s *terraform.State) error {
						return tc.drift(b, s.RootModule().Resources[eniAddr].Primary.ID)
					},
					// The plan after apply sees the drift and plans to put
					// it right; it must not fail.
					ExpectNonEmptyPlan: true,
				}},
			})
		})
	}
}

// What cannot be put right: the ENI was detached out of band and the
// instance filled to its limit with other ENIs. Plan fails, with 0
// mutating calls, naming the instance, the limit and the ENIs bound, and
// saying how to destroy; terraform destroy -refresh=false still works.
func TestAccNetworkInterfaceAttachment_instanceFilledOutOfBand(t *testing.T) {
	b := acctest.NewEmulatorBackend(t, nil)
	seeded := b.SnapshotSeeded(t)
	config := testAccAttachmentConfig(b, 0, "i-mockweb1", "")
	var eniID string
	var fillers []string
	calls := b.MarkCalls(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy: resource.ComposeTestCheckFunc(
			// The destroy left the instance's other ENIs alone: they are
			// the user's, and go here.
			func(*terraform.State) error {
				for _, id := range fillers {
					if err := b.DetachENI(id, "i-mockweb1"); err != nil {
						return fmt.Errorf("the out-of-band ENI %s: %w", id, err)
					}
					if err := b.DeleteENI(id); err != nil {
						return err
					}
				}
				return nil
			},
			b.CheckSeeded(seeded),
		),
		Steps: []resource.TestStep{
			{
				Config: config,
				Check: func(s *terraform.State) error {
					eniID = s.RootModule().Resources[eniAddr].Primary.ID
					return nil
				},
			},
			{
				PreConfig: func() {
					if err := b.DetachENI(eniID, "i-mockweb1"); err != nil {
						t.Fatal(err)
					}
					for range 2 {
						id := b.CreateENI(t, "vsw-mockh", "sg-mockweb")
						fillers = append(fillers, id)
						if err := b.AttachENI(id, "i-mockweb1"); err != nil {
							t.Fatalf("filling i-mockweb1 with %s: %v", id, err)
						}
					}
					calls.Record()
				},
				Config:   config,
				PlanOnly: true,
				ExpectError: regexp.MustCompile(acctest.Wrapped(`instance i-mockweb1 \(type ecs.g7.large\) can hold at most 3 ENIs, the primary ENI included, and 3 are bound to it and stay so in this plan \(eni-\S+, eni-\S+, eni-\S+\), so no ENI can be attached to it. Detach one of those ENIs`) +
					`(?s:.*)` + acctest.Wrapped("`terraform destroy -refresh=false` destroys what exists")),
			},
			{
				PreConfig:   calls.ExpectNone,
				Config:      config,
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(acctest.Wrapped(`so no ENI can be attached to it`)),
			},
		},
	})
}

// One ENI created in the same configuration as two attachments: its ID is
// not known at plan, so the duplicate is caught in the plan Terraform
// makes just before applying the attachments: one attaches, the other
// fails before any call, naming both instances.
func TestAccNetworkInterfaceAttachment_duplicateNewENI(t *testing.T) {
	b := acctest.NewEmulatorBackend(t, nil)
	seeded := b.SnapshotSeeded(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy: resource.ComposeTestCheckFunc(
			b.CheckSeeded(seeded),
			b.CheckActions(map[string]int64{"AttachNetworkInterface": 1}),
		),
		Steps: []resource.TestStep{{
			Config: b.Config(`
resource "eni_network_interface" "test" {
  vswitch_id         = "vsw-mockh"
  security_group_ids = ["sg-mockweb"]
}

resource "eni_network_interface_attachment" "a" {
  network_interface_id = eni_network_interface.test.id
  instance_id          = "i-mockweb1"
}

resource "eni_network_interface_attachment" "b" {
  network_interface_id = eni_network_interface.test.id
  instance_id          = "i-mockweb2"
}`),
			ExpectError: regexp.MustCompile(acctest.Wrapped(`is bound to instance i-mockweb[12] by this eni_network_interface_attachment and to instance i-mockweb[12] by another`)),
		}},
	})
}
