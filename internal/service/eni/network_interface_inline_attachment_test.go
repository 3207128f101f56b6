package eni_test

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/openeni/terraform-provider-eni/internal/acctest"
)

// testAccInlineENI is an ENI in vswitch with an attachment block (none
// when block is empty).
func testAccInlineENI(name, vswitch, extra, block string) string {
	return fmt.Sprintf(`
resource "eni_network_interface" %q {
  vswitch_id         = %q
  security_group_ids = ["sg-mockweb"]
  %s
  %s
}`, name, vswitch, extra, block)
}

func inlineBlock(instance, extra string) string {
	return fmt.Sprintf("attachment {\n    instance_id = %q\n    %s\n  }", instance, extra)
}

// An ENI created and bound in one resource; moved in place by changing
// instance_id; unbound by removing the block; a non-hot-swap instance is
// stopped and started again; destroy ends as seeded.
func TestAccNetworkInterfaceInlineAttachment_lifecycle(t *testing.T) {
	b, seeded := testAccIPBackend(t, nil)
	config := func(block string) string {
		return b.Config(testAccInlineENI("test", "vsw-mockh", "secondary_private_ip_count = 1", block))
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             b.CheckSeeded(seeded),
		Steps: []resource.TestStep{
			{
				Config: config(inlineBlock("i-mockweb1", "")),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(eniAddr, tfjsonpath.New("instance_id"), knownvalue.StringExact("i-mockweb1")),
					statecheck.ExpectKnownValue(eniAddr, tfjsonpath.New("status"), knownvalue.StringExact("InUse")),
				},
				Check: testAccCheckENIBoundTo(b, "i-mockweb1"),
			},
			{
				Config: config(inlineBlock("i-mockweb2", "")),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(eniAddr, plancheck.ResourceActionUpdate),
				}},
				Check: testAccCheckENIBoundTo(b, "i-mockweb2"),
			},
			{
				Config: config(inlineBlock("i-mockburst", "stop_instance_if_required = true")),
				Check:  testAccCheckENIBoundTo(b, "i-mockburst"),
			},
			{
				Config: config(""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(eniAddr, plancheck.ResourceActionUpdate),
				}},
				Check: testAccCheckENIBoundTo(b, ""),
			},
			{
				Config: config(inlineBlock("i-mockweb1", "")),
				Check:  testAccCheckENIBoundTo(b, "i-mockweb1"),
			},
		},
	})
}

// Detached outside Terraform: the next apply binds it again.
func TestAccNetworkInterfaceInlineAttachment_drift(t *testing.T) {
	b, seeded := testAccIPBackend(t, nil)
	config := b.Config(testAccInlineENI("test", "vsw-mockh", "", inlineBlock("i-mockweb1", "")))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             b.CheckSeeded(seeded),
		Steps: []resource.TestStep{
			{
				Config: config,
				Check: func(s *terraform.State) error {
					return b.DetachENI(s.RootModule().Resources[eniAddr].Primary.ID, "i-mockweb1")
				},
				ExpectNonEmptyPlan: true,
			},
			{
				Config: config,
				Check:  testAccCheckENIBoundTo(b, "i-mockweb1"),
			},
		},
	})
}

// A new ENI's binding is judged completely at plan, with no mutating call.
func TestAccNetworkInterfaceInlineAttachment_planValidation(t *testing.T) {
	for _, tc := range []struct {
		name   string
		config string
		err    string
	}{
		{"zone", testAccInlineENI("test", "vsw-mocki", "", inlineBlock("i-mockweb1", "")),
			`network interface \(new, in vSwitch vsw-mocki\) is in zone cn-hangzhou-i but instance i-mockweb1 is in zone cn-hangzhou-h`},
		{"hot swap", testAccInlineENI("test", "vsw-mockh", "", inlineBlock("i-mockburst", "")),
			`Instance must be stopped`},
		{"IPs per ENI", testAccInlineENI("test", "vsw-mockh", "secondary_private_ip_count = 2", inlineBlock("i-mockburst", "stop_instance_if_required = true")),
			`Too many private IPs for the instance type`},
		{"ENIs per instance", testAccInlineENI("a", "vsw-mockh", "", inlineBlock("i-mockweb1", "")) +
			testAccInlineENI("b", "vsw-mockh", "", inlineBlock("i-mockweb1", "")) +
			testAccInlineENI("c", "vsw-mockh", "", inlineBlock("i-mockweb1", "")),
			`Too many network interfaces`},
		{"EIP mode on a bound new ENI", testAccInlineENI("test", "vsw-mockh", "", inlineBlock("i-mockweb1", "")) + `
resource "eni_eip_association" "test" {
  allocation_id        = "eip-mock1"
  network_interface_id = eni_network_interface.test.id
  mode                 = "BINDED"
}`, `mode BINDED needs an ENI that is not bound to an instance`},
		{"instance_id required", testAccInlineENI("test", "vsw-mockh", "", "attachment {\n}"),
			`Missing instance_id`},
		{"destroy hint", testAccInlineENI("test", "vsw-mockh", "", inlineBlock("i-mockburst", "")),
			`terraform destroy -refresh=false`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := acctest.NewEmulatorBackend(t, nil)
			b.ExpectNoMutatingCalls(t)
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.ProviderFactories,
				Steps: []resource.TestStep{{
					Config:      b.Config(tc.config),
					PlanOnly:    true,
					ExpectError: regexp.MustCompile(acctest.Wrapped(tc.err)),
				}},
			})
		})
	}
}

// An existing ENI bound by its block and by an attachment resource: an
// error at plan.
func TestAccNetworkInterfaceInlineAttachment_conflictWithResource(t *testing.T) {
	b, seeded := testAccIPBackend(t, nil)
	eni := testAccInlineENI("test", "vsw-mockh", "", inlineBlock("i-mockweb1", ""))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             b.CheckSeeded(seeded),
		Steps: []resource.TestStep{
			{Config: b.Config(eni)},
			{
				Config: b.Config(eni + `
resource "eni_network_interface_attachment" "other" {
  network_interface_id = eni_network_interface.test.id
  instance_id          = "i-mockweb2"
}`),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(acctest.Wrapped(`claimed by two attachments`)),
			},
		},
	})
}
