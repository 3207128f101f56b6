package eni_test

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"

	"github.com/openeni/terraform-provider-eni/internal/acctest"
	"github.com/openeni/terraform-provider-eni/internal/mockcloud"
)

func TestAccInstanceTypeDataSource(t *testing.T) {
	seed := mockcloud.DefaultSeed()
	seed.InstanceTypes[1].NetworkCardQuantity = 2 // ecs.g7.xlarge
	b := acctest.NewEmulatorBackend(t, seed)
	g7 := testAccExpectValues("data.eni_instance_type.g7", map[string]knownvalue.Check{
		"id":                              knownvalue.StringExact("ecs.g7.xlarge"),
		"eni_quantity":                    knownvalue.Int64Exact(4),
		"eni_private_ip_address_quantity": knownvalue.Int64Exact(15),
		"eni_ipv6_address_quantity":       knownvalue.Int64Exact(15),
		"hot_swap_supported":              knownvalue.Bool(true),
		"network_card_quantity":           knownvalue.Int64Exact(2),
	})
	t6 := testAccExpectValues("data.eni_instance_type.t6", map[string]knownvalue.Check{
		"eni_quantity":                    knownvalue.Int64Exact(2),
		"eni_private_ip_address_quantity": knownvalue.Int64Exact(2),
		"eni_ipv6_address_quantity":       knownvalue.Int64Exact(0),
		"hot_swap_supported":              knownvalue.Bool(false),
		"network_card_quantity":           knownvalue.Int64Exact(1),
	})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: b.Config(`
data "eni_instance_type" "g7" {
  instance_type_id = "ecs.g7.xlarge"
}

data "eni_instance_type" "t6" {
  instance_type_id = "ecs.t6-c1m2.large"
}`),
				ConfigStateChecks: append(g7, t6...),
			},
			{
				Config: b.Config(`
data "eni_instance_type" "ghost" {
  instance_type_id = "ecs.nope.large"
}`),
				ExpectError: regexp.MustCompile(acctest.Wrapped(`Instance type ecs.nope.large is not offered in region cn-hangzhou`)),
			},
		},
	})
}
