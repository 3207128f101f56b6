package eni_test

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/openeni/terraform-provider-eni/internal/acctest"
	"github.com/openeni/terraform-provider-eni/internal/mockcloud"
)

// testAccSmallSeed adds vsw-small, a /28 vSwitch: 12 usable addresses.
func testAccSmallSeed() *mockcloud.Seed {
	s := mockcloud.DefaultSeed()
	s.VSwitches = append(s.VSwitches, mockcloud.SeedVSwitch{
		VSwitchID: "vsw-small", VPCID: "vpc-mock1", ZoneID: "cn-hangzhou-h", CIDRBlock: "10.3.0.0/28", Name: "small",
	})
	return s
}

// testAccENIs is count ENIs in vswID, each with secondary more addresses
// picked by the cloud.
func testAccENIs(name, vswID string, count, secondary int) string {
	return fmt.Sprintf(`
resource "eni_network_interface" %q {
  count                      = %d
  vswitch_id                 = %q
  security_group_ids         = ["sg-mockweb"]
  secondary_private_ip_count = %d
}
`, name, count, vswID, secondary)
}

// A plan that adds more addresses to a vSwitch than it has free stops at
// plan, whatever adds them, with 0 mutating calls; one that fits plans.
func TestAccAddress_capacity(t *testing.T) {
	b, _ := testAccIPBackend(t, testAccSmallSeed())
	// An ENI made outside Terraform holds one address of vsw-small: 11 free.
	outside := b.CreateENI(t, "vsw-small", "sg-mockweb")
	b.ExpectNoMutatingCalls(t)
	privateIPs := func(n int) string {
		return fmt.Sprintf(`
resource "eni_private_ip" "outside" {
  count                = %d
  network_interface_id = %q
}
`, n, outside)
	}
	fixed := `
resource "eni_network_interface" "fixed" {
  vswitch_id            = "vsw-small"
  security_group_ids    = ["sg-mockweb"]
  primary_ip_address    = "10.3.0.5"
  secondary_private_ips = ["10.3.0.6", "10.3.0.7"]
}
`
	over := func(adds string) string {
		return `vSwitch vsw-small has 11 free addresses, and this plan adds more than that there: \S.* adds ` + adds + ` beyond`
	}
	steps := []resource.TestStep{
		// 11 of 11: fits.
		{Config: b.Config(testAccENIs("fits", "vsw-small", 3, 2), privateIPs(2)), PlanOnly: true, ExpectNonEmptyPlan: true},
		// 4 ENIs × 3 addresses.
		{Config: b.Config(testAccENIs("many", "vsw-small", 4, 2)), ExpectError: regexp.MustCompile(acctest.Wrapped(over(`3`)))},
		// Primaries, counts, fixed secondaries and eni_private_ip together:
		// 3 + 2×3 + 3 = 12.
		{Config: b.Config(fixed, testAccENIs("mixed", "vsw-small", 2, 2), privateIPs(3)), ExpectError: regexp.MustCompile(acctest.Wrapped(over(`\d+`)))},
		// The error on a new ENI says how to destroy what exists.
		{Config: b.Config(testAccENIs("many", "vsw-small", 6, 1)), ExpectError: regexp.MustCompile(`(?s)Not enough free addresses in vSwitch.*terraform\s+destroy\s+-refresh=false`)},
	}
	for i := range steps {
		steps[i].PlanOnly = true
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps:                    steps,
	})
}

// Issue 9's example: 100 ENIs × 3 addresses on the default topology used
// to create 83 ENIs and fail on 17; now plan refuses it.
func TestAccAddress_hundredENIs(t *testing.T) {
	b, _ := testAccIPBackend(t, nil)
	b.ExpectNoMutatingCalls(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      b.Config(testAccENIs("test", "vsw-mockh", 100, 2)),
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(acctest.Wrapped(`vSwitch vsw-mockh has \d+ free addresses, and this plan adds more than that there`)),
		}},
	})
}

// The same address twice in a plan, or an address another ENI holds,
// stops at plan with 0 mutating calls, naming the attribute and both
// claimants.
func TestAccAddress_duplicates(t *testing.T) {
	b, _ := testAccIPBackend(t, nil)
	outside := b.CreateENI(t, "vsw-mockh", "sg-mockweb")
	_, web2IP := b.PrimaryENI(t, "i-mockweb2")
	b.ExpectNoMutatingCalls(t)
	eni := func(name, primary string, secondaries ...string) string {
		args := ""
		if primary != "" {
			args += fmt.Sprintf("  primary_ip_address = %q\n", primary)
		}
		if len(secondaries) > 0 {
			list := ""
			for _, ip := range secondaries {
				list += fmt.Sprintf("%q, ", ip)
			}
			args += fmt.Sprintf("  secondary_private_ips = [%s]\n", list)
		}
		return fmt.Sprintf(`
resource "eni_network_interface" %q {
  vswitch_id         = "vsw-mockh"
  security_group_ids = ["sg-mockweb"]
  name               = %q
%s}
`, name, name, args)
	}
	privateIP := fmt.Sprintf(`
resource "eni_private_ip" "outside" {
  network_interface_id = %q
  ip_address           = "10.1.0.70"
}
`, outside)
	twice := func(ip, claims string) string {
		return ip + ` of vSwitch vsw-mockh is claimed twice in this plan: by ` + claims
	}
	// Terraform plans in parallel: either claimant may be the one that
	// sees the other, so the patterns accept both orders.
	newENI := func(name, attr string) string {
		return `a new ENI "` + name + `" in vSwitch vsw-mockh \(` + attr + `\)`
	}
	either := func(x, y string) string { return `(` + x + ` and by ` + y + `|` + y + ` and by ` + x + `)` }
	cases := []struct{ name, config, want string }{
		{"two primaries", eni("ena", "10.1.0.60") + eni("enb", "10.1.0.60"),
			twice(`10.1.0.60`, either(newENI("ena", "primary_ip_address"), newENI("enb", "primary_ip_address")))},
		{"a primary and a secondary", eni("ena", "10.1.0.61") + eni("enb", "", "10.1.0.61"),
			twice(`10.1.0.61`, either(newENI("ena", "primary_ip_address"), newENI("enb", "secondary_private_ips")))},
		{"a secondary and an eni_private_ip", eni("ena", "", "10.1.0.70") + privateIP,
			twice(`10.1.0.70`, either(newENI("ena", "secondary_private_ips"), `an eni_private_ip of network interface `+outside+` \(ip_address\)`))},
		{"primary of an instance's ENI", eni("ena", web2IP),
			web2IP + ` of vSwitch vsw-mockh, claimed by ` + newENI("ena", "primary_ip_address") + `, is already used by network interface eni-[0-9a-z]+`},
		{"secondary held by an ENI outside the plan", eni("ena", "", "10.1.0.71", web2IP),
			web2IP + ` of vSwitch vsw-mockh, claimed by ` + newENI("ena", "secondary_private_ips") + `, is already used by network interface eni-[0-9a-z]+`},
		{"twice on one ENI", eni("ena", "10.1.0.72", "10.1.0.72"), `10.1.0.72 is also the primary_ip_address`},
	}
	var steps []resource.TestStep
	for _, tc := range cases {
		steps = append(steps, resource.TestStep{
			Config:      b.Config(tc.config),
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(acctest.Wrapped(tc.want)),
		})
	}
	// Every address error about a new object says how to destroy.
	steps = append(steps, resource.TestStep{
		Config:      b.Config(eni("ena", web2IP)),
		PlanOnly:    true,
		ExpectError: regexp.MustCompile(`(?s)Address already in use.*terraform\s+destroy\s+-refresh=false`),
	})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps:                    steps,
	})
}

// An address held by an ENI of the configuration that the plan keeps is
// refused for a new ENI, on one of the two.
func TestAccAddress_heldByKeptENI(t *testing.T) {
	b, seeded := testAccIPBackend(t, nil)
	kept := `
resource "eni_network_interface" "kept" {
  vswitch_id         = "vsw-mockh"
  security_group_ids = ["sg-mockweb"]
  primary_ip_address = "10.1.0.90"
}
`
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             b.CheckSeeded(seeded),
		Steps: []resource.TestStep{
			{Config: b.Config(kept)},
			{
				Config: b.Config(kept, `
resource "eni_network_interface" "new" {
  vswitch_id            = "vsw-mockh"
  security_group_ids    = ["sg-mockweb"]
  secondary_private_ips = ["10.1.0.90"]
}
`),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(acctest.Wrapped(`10.1.0.90 of vSwitch vsw-mockh`)),
			},
		},
	})
}
