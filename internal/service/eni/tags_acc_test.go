package eni_test

import (
	"context"
	"fmt"
	"maps"
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
)

// withTagSettings is b's provider block with the given blocks
// (default_tags, ignore_tags) added inside it, followed by parts.
func withTagSettings(b *acctest.Backend, settings string, parts ...string) string {
	p := strings.TrimSuffix(b.ProviderConfig(), "}\n")
	return p + settings + "}\n\n" + strings.Join(parts, "\n")
}

// stringMapExact is knownvalue.MapExact of plain strings.
func stringMapExact(m map[string]string) knownvalue.Check {
	checks := map[string]knownvalue.Check{}
	for k, v := range m {
		checks[k] = knownvalue.StringExact(v)
	}
	return knownvalue.MapExact(checks)
}

// Default tags, a resource tag overriding one, ignored keys set outside
// Terraform, a change of the default tags, and drift of a managed key,
// through the terraform binary; every step checks the tags the emulator
// holds, and the test framework's plan after each apply must be empty.
func TestAccNetworkInterface_tagsDefaultAndIgnore(t *testing.T) {
	b := acctest.NewBackend(t, nil)
	vsw, sg := b.Fixture(t, "VSWITCH_ID"), b.Fixture(t, "SECURITY_GROUP_ID")
	settings := func(cost string) string {
		return fmt.Sprintf(`
  default_tags {
    tags = {
      owner = "platform"
      cost  = %q
    }
  }
  ignore_tags {
    keys         = ["managed-by"]
    key_prefixes = ["policy:"]
  }
`, cost)
	}
	eni := func(tags string) string {
		return fmt.Sprintf(`
resource "eni_network_interface" "test" {
  vswitch_id         = %q
  security_group_ids = [%q]
  tags               = %s
}

data "eni_network_interface" "test" {
  id = eni_network_interface.test.id
}

data "eni_network_interfaces" "test" {
  ids = [eni_network_interface.test.id]
}
`, vsw, sg, tags)
	}
	own := `{ team = "web", owner = "web-team" }`
	outOfBand := map[string]string{"managed-by": "policy-engine", "policy:retention": "90d"}
	var id string

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             testAccCheckNetworkInterfaceDestroy(b),
		Steps: []resource.TestStep{
			{
				// The resource's owner wins over the default one.
				Config: withTagSettings(b, settings("cc-1"), eni(own)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectKnownValue(eniAddr, tfjsonpath.New("tags_all"),
						stringMapExact(map[string]string{"owner": "web-team", "cost": "cc-1", "team": "web"})),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(eniAddr, tfjsonpath.New("tags"), stringMapExact(map[string]string{"team": "web", "owner": "web-team"})),
					statecheck.ExpectKnownValue(eniAddr, tfjsonpath.New("tags_all"),
						stringMapExact(map[string]string{"owner": "web-team", "cost": "cc-1", "team": "web"})),
				},
				Check: resource.ComposeTestCheckFunc(captureENIID(&id),
					testAccCheckNetworkInterfaceTags(b, map[string]string{"owner": "web-team", "cost": "cc-1", "team": "web"})),
			},
			{
				// Tags another writer puts on the ENI under ignored keys
				// show neither as drift nor in any tags attribute.
				PreConfig: func() { tagENIOutOfBand(t, b, id, outOfBand) },
				Config:    withTagSettings(b, settings("cc-1"), eni(own)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(eniAddr, tfjsonpath.New("tags_all"),
						stringMapExact(map[string]string{"owner": "web-team", "cost": "cc-1", "team": "web"})),
					statecheck.ExpectKnownValue("data.eni_network_interface.test", tfjsonpath.New("tags"),
						stringMapExact(map[string]string{"owner": "web-team", "cost": "cc-1", "team": "web"})),
					statecheck.ExpectKnownValue("data.eni_network_interfaces.test",
						tfjsonpath.New("network_interfaces").AtSliceIndex(0).AtMapKey("tags"),
						stringMapExact(map[string]string{"owner": "web-team", "cost": "cc-1", "team": "web"})),
				},
				Check: testAccCheckNetworkInterfaceTags(b, withTags(map[string]string{"owner": "web-team", "cost": "cc-1", "team": "web"}, outOfBand)),
			},
			{
				// A change of the default tags alone, and the override
				// dropped: an in-place update of tags_all that keeps the
				// ignored tags.
				Config: withTagSettings(b, settings("cc-2"), eni(`{ team = "web" }`)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(eniAddr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(eniAddr, tfjsonpath.New("tags_all"),
						stringMapExact(map[string]string{"owner": "platform", "cost": "cc-2", "team": "web"})),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(eniAddr, tfjsonpath.New("tags"), stringMapExact(map[string]string{"team": "web"})),
				},
				Check: testAccCheckNetworkInterfaceTags(b, withTags(map[string]string{"owner": "platform", "cost": "cc-2", "team": "web"}, outOfBand)),
			},
			{
				// Only the default tags changed, nothing in the resource.
				Config: withTagSettings(b, settings("cc-3"), eni(`{ team = "web" }`)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(eniAddr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(eniAddr, tfjsonpath.New("tags_all"),
						stringMapExact(map[string]string{"owner": "platform", "cost": "cc-3", "team": "web"})),
				}},
				Check: testAccCheckNetworkInterfaceTags(b, withTags(map[string]string{"owner": "platform", "cost": "cc-3", "team": "web"}, outOfBand)),
			},
			{
				// Drift of keys this configuration manages is shown and
				// undone: a default changed and a key added outside
				// Terraform.
				PreConfig: func() { tagENIOutOfBand(t, b, id, map[string]string{"cost": "stolen", "extra": "1"}) },
				Config:    withTagSettings(b, settings("cc-3"), eni(`{ team = "web" }`)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(eniAddr, plancheck.ResourceActionUpdate),
				}},
				Check: testAccCheckNetworkInterfaceTags(b, withTags(map[string]string{"owner": "platform", "cost": "cc-3", "team": "web"}, outOfBand)),
			},
			{
				// Import adopts the cloud's tags: the default ones in
				// tags_all only, the others in tags, the ignored ones in
				// neither.
				Config:                  withTagSettings(b, settings("cc-3"), eni(`{ team = "web" }`)),
				ResourceName:            eniAddr,
				ImportState:             true,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"timeouts"},
			},
			{
				// Without the settings, the ignored and the former default
				// tags are plain tags again: the plan removes all but team.
				Config: b.Config(eni(`{ team = "web" }`)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(eniAddr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(eniAddr, tfjsonpath.New("tags_all"), stringMapExact(map[string]string{"team": "web"})),
				}},
				Check: testAccCheckNetworkInterfaceTags(b, map[string]string{"team": "web"}),
			},
		},
	})
}

// With default tags and no tags argument, tags stays null and tags_all
// holds the defaults; the API's count rule applies to the merged set.
func TestAccNetworkInterface_tagsDefaultOnly(t *testing.T) {
	b := acctest.NewBackend(t, nil)
	vsw, sg := b.Fixture(t, "VSWITCH_ID"), b.Fixture(t, "SECURITY_GROUP_ID")
	defaults := func(n int) string {
		var lines []string
		for i := range n {
			lines = append(lines, fmt.Sprintf("      d%02d = \"v\"", i))
		}
		return "\n  default_tags {\n    tags = {\n" + strings.Join(lines, "\n") + "\n    }\n  }\n"
	}
	ownTags := func(n int) string {
		var lines []string
		for i := range n {
			lines = append(lines, fmt.Sprintf("    r%02d = \"v\"", i))
		}
		return "{\n" + strings.Join(lines, "\n") + "\n  }"
	}
	eni := func(tags string) string {
		return fmt.Sprintf(`
resource "eni_network_interface" "test" {
  vswitch_id         = %q
  security_group_ids = [%q]
%s
}`, vsw, sg, tags)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             testAccCheckNetworkInterfaceDestroy(b),
		Steps: []resource.TestStep{
			{
				Config: withTagSettings(b, defaults(2), eni("")),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(eniAddr, tfjsonpath.New("tags"), knownvalue.Null()),
					statecheck.ExpectKnownValue(eniAddr, tfjsonpath.New("tags_all"), stringMapExact(map[string]string{"d00": "v", "d01": "v"})),
				},
				Check: testAccCheckNetworkInterfaceTags(b, map[string]string{"d00": "v", "d01": "v"}),
			},
			{
				// 10 default tags and 11 of its own: 21, one too many.
				Config:      withTagSettings(b, defaults(10), eni("  tags = "+ownTags(11))),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(acctest.Wrapped(`With the provider's default_tags .* would carry 21 tags.*Remove 1`)),
			},
			{
				// A default tag that breaks the API's rules is refused on
				// the provider block.
				Config:      withTagSettings(b, "\n  default_tags {\n    tags = { \"acs:owner\" = \"x\" }\n  }\n", eni("")),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(acctest.Wrapped(`(?s)in provider "eni".*tags = \{ "acs:owner" = "x" \}.*Tag key "acs:owner" starts with acs:`)),
			},
			{
				Config: withTagSettings(b, defaults(2), eni("")),
			},
		},
	})
}

// captureENIID records the ID of eni_network_interface.test, for a
// later step to change the ENI outside Terraform.
func captureENIID(id *string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		rs, ok := s.RootModule().Resources[eniAddr]
		if !ok {
			return fmt.Errorf("%s not in state", eniAddr)
		}
		*id = rs.Primary.ID
		return nil
	}
}

// tagENIOutOfBand tags an ENI directly, as another tool would.
func tagENIOutOfBand(t *testing.T, b *acctest.Backend, id string, tags map[string]string) {
	t.Helper()
	list := make([]ecs.TagResourcesTag, 0, len(tags))
	for k, v := range tags {
		list = append(list, ecs.TagResourcesTag{Key: k, Value: v})
	}
	req := ecs.CreateTagResourcesRequest()
	req.ResourceType, req.ResourceId, req.Tag = "eni", &[]string{id}, &list
	if _, err := b.Client.TagResources(context.Background(), req); err != nil {
		t.Fatalf("tagging %s outside Terraform: %v", id, err)
	}
}

// testAccCheckNetworkInterfaceTags reads eni_network_interface.test from
// the API and compares every tag it carries with want.
func testAccCheckNetworkInterfaceTags(b *acctest.Backend, want map[string]string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		rs, ok := s.RootModule().Resources[eniAddr]
		if !ok {
			return fmt.Errorf("%s not in state", eniAddr)
		}
		e, err := b.Client.FindNetworkInterfaceByID(context.Background(), rs.Primary.ID)
		if err != nil {
			return err
		}
		got := map[string]string{}
		for _, tag := range e.Tags.Tag {
			k, v := tag.TagKey, tag.TagValue
			if k == "" {
				k, v = tag.Key, tag.Value
			}
			got[k] = v
		}
		if !maps.Equal(got, want) {
			return fmt.Errorf("the ENI carries tags %v, want %v", got, want)
		}
		return nil
	}
}

// withTags is a copy of base with extra added.
func withTags(base, extra map[string]string) map[string]string {
	out := maps.Clone(base)
	maps.Copy(out, extra)
	return out
}
