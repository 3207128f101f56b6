package eni_test

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/openeni/terraform-provider-eni/internal/acctest"
)

// Two tagged ENIs, then every way of looking them up.
func TestAccNetworkInterfaceDataSources(t *testing.T) {
	b := acctest.NewBackend(t, nil)
	vsw, vsw2, sg := b.Fixture(t, "VSWITCH_ID"), b.Fixture(t, "VSWITCH_ID_2"), b.Fixture(t, "SECURITY_GROUP_ID")
	sg2 := b.Fixture(t, "SECURITY_GROUP_ID_2")
	instance := b.Fixture(t, "INSTANCE_ID")
	enis := fmt.Sprintf(`
resource "eni_network_interface" "web" {
  vswitch_id                 = %q
  security_group_ids         = [%q]
  name                       = "ds-web"
  secondary_private_ip_count = 1
  tags = {
    suite = "ds"
    role  = "web"
  }
}

resource "eni_network_interface" "db" {
  vswitch_id         = %q
  security_group_ids = [%q]
  name               = "ds-db"
  tags = {
    suite = "ds"
    role  = "db"
  }
}
`, vsw, sg, vsw2, sg2)
	lookups := `
data "eni_network_interface" "by_id" {
  id = eni_network_interface.web.id
}

data "eni_network_interface" "by_filters" {
  vswitch_id = eni_network_interface.db.vswitch_id
  tags       = { role = "db", suite = "ds" }
}

data "eni_network_interfaces" "by_tag" {
  tags       = { suite = "ds" }
  depends_on = [eni_network_interface.web, eni_network_interface.db]
}

data "eni_network_interfaces" "by_regex" {
  name_regex = "^ds-w"
  type       = "Secondary"
  depends_on = [eni_network_interface.web, eni_network_interface.db]
}

data "eni_network_interfaces" "by_ids" {
  ids = [eni_network_interface.db.id, eni_network_interface.web.id]
}

data "eni_network_interfaces" "by_vpc_and_status" {
  vpc_id     = eni_network_interface.web.vpc_id
  status     = "Available"
  type       = "Secondary"
  tags       = { suite = "ds" }
  depends_on = [eni_network_interface.web, eni_network_interface.db]
}

data "eni_network_interfaces" "primary_of_instance" {
  instance_id = %q
  type        = "Primary"
}

data "eni_network_interface" "primary_of_instance" {
  instance_id = %q
  type        = "Primary"
}

data "eni_network_interfaces" "none" {
  vswitch_id = eni_network_interface.db.vswitch_id
  tags       = { role = "web" }
}

# As the docs example does: iterating over what a filter that matches
# nothing returns must give an empty map, not "Iteration over null value".
output "none_ips" {
  value = { for e in data.eni_network_interfaces.none.network_interfaces : e.id => e.primary_ip_address }
}
`
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             testAccCheckNetworkInterfaceDestroy(b),
		Steps: []resource.TestStep{
			{
				Config: b.Config(enis, fmt.Sprintf(lookups, instance, instance)),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.CompareValuePairs("data.eni_network_interface.by_id", tfjsonpath.New("id"),
						"eni_network_interface.web", tfjsonpath.New("id"), compareEqual{}),
					statecheck.ExpectKnownValue("data.eni_network_interface.by_id", tfjsonpath.New("name"), knownvalue.StringExact("ds-web")),
					statecheck.ExpectKnownValue("data.eni_network_interface.by_id", tfjsonpath.New("private_ips"), knownvalue.SetSizeExact(1)),
					statecheck.ExpectKnownValue("data.eni_network_interface.by_id", tfjsonpath.New("status"), knownvalue.StringExact("Available")),
					statecheck.CompareValuePairs("data.eni_network_interface.by_filters", tfjsonpath.New("id"),
						"eni_network_interface.db", tfjsonpath.New("id"), compareEqual{}),
					statecheck.ExpectKnownValue("data.eni_network_interfaces.by_tag", tfjsonpath.New("ids"), knownvalue.ListSizeExact(2)),
					statecheck.ExpectKnownValue("data.eni_network_interfaces.by_tag", tfjsonpath.New("network_interfaces"), knownvalue.ListSizeExact(2)),
					statecheck.ExpectKnownValue("data.eni_network_interfaces.by_regex", tfjsonpath.New("network_interfaces").AtSliceIndex(0).AtMapKey("name"), knownvalue.StringExact("ds-web")),
					statecheck.ExpectKnownValue("data.eni_network_interfaces.by_regex", tfjsonpath.New("ids"), knownvalue.ListSizeExact(1)),
					statecheck.ExpectKnownValue("data.eni_network_interfaces.by_ids", tfjsonpath.New("ids"), knownvalue.ListSizeExact(2)),
					statecheck.ExpectKnownValue("data.eni_network_interfaces.none", tfjsonpath.New("ids"), knownvalue.ListExact([]knownvalue.Check{})),
					statecheck.ExpectKnownValue("data.eni_network_interfaces.none", tfjsonpath.New("network_interfaces"), knownvalue.ListExact([]knownvalue.Check{})),
					statecheck.ExpectKnownOutputValue("none_ips", knownvalue.MapExact(map[string]knownvalue.Check{})),
					statecheck.ExpectKnownValue("data.eni_network_interfaces.by_vpc_and_status", tfjsonpath.New("ids"), knownvalue.ListSizeExact(2)),
					statecheck.ExpectKnownValue("data.eni_network_interfaces.primary_of_instance", tfjsonpath.New("ids"), knownvalue.ListSizeExact(1)),
					statecheck.ExpectKnownValue("data.eni_network_interface.primary_of_instance", tfjsonpath.New("instance_id"), knownvalue.StringExact(instance)),
					statecheck.ExpectKnownValue("data.eni_network_interface.primary_of_instance", tfjsonpath.New("status"), knownvalue.StringExact("InUse")),
				},
			},
			{
				Config: b.Config(enis, `
data "eni_network_interface" "ambiguous" {
  tags       = { suite = "ds" }
  depends_on = [eni_network_interface.web, eni_network_interface.db]
}`),
				ExpectError: regexp.MustCompile(acctest.Wrapped(`2 ENIs match`)),
			},
			{
				Config: b.Config(enis, `
data "eni_network_interface" "missing" {
  id = "eni-doesnotexist"
}`),
				ExpectError: regexp.MustCompile(acctest.Wrapped(`No ENI matches`)),
			},
			{
				Config:      b.Config(enis, `data "eni_network_interfaces" "bad" { name_regex = "(" }`),
				ExpectError: regexp.MustCompile(acctest.Wrapped(`name_regex does not compile`)),
			},
			{
				// Destroy runs with the last configuration: leave a valid one.
				Config: b.Config(enis),
			},
		},
	})
}

// compareEqual is a value comparer for CompareValuePairs.
type compareEqual struct{}

func (compareEqual) CompareValues(values ...any) error {
	for _, v := range values[1:] {
		if v != values[0] {
			return fmt.Errorf("values differ: %v", values)
		}
	}
	return nil
}
