// Package alicloudschema declares, in terraform-plugin-framework terms,
// the resource schemas of the official Alibaba Cloud provider
// (registry.terraform.io/aliyun/alicloud, a terraform-plugin-sdk v2
// provider) that eni_* resources can take state from with a `moved`
// block. The state movers decode the source state with them, and the
// stand-in provider of the acceptance tests serves them, so both read
// state exactly as that provider writes it.
//
// The attributes and their kinds follow that provider's documentation
// and source (resource_alicloud_ecs_network_interface.go,
// resource_alicloud_ecs_network_interface_attachment.go and
// resource_alicloud_eip_association.go, schema version 0): a TypeSet is a
// set, a TypeInt a number, every resource has its `id` and, where it
// declares timeouts, a `timeouts` block.
package alicloudschema

import (
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Version is the schema version of the three resources: that provider
// declares none, which is 0.
const Version = 0

// Type names of the source resources.
const (
	ECSNetworkInterface           = "alicloud_ecs_network_interface"
	NetworkInterface              = "alicloud_network_interface" // the older name, same schema
	ECSNetworkInterfaceAttachment = "alicloud_ecs_network_interface_attachment"
	NetworkInterfaceAttachment    = "alicloud_network_interface_attachment" // the older name, same schema
	EIPAssociation                = "alicloud_eip_association"
)

// Schemas maps each source type name to its schema.
func Schemas() map[string]schema.Schema {
	eni, att := NetworkInterfaceSchema(), AttachmentSchema()
	return map[string]schema.Schema{
		ECSNetworkInterface:           eni,
		NetworkInterface:              eni,
		ECSNetworkInterfaceAttachment: att,
		NetworkInterfaceAttachment:    att,
		EIPAssociation:                EIPAssociationSchema(),
	}
}

func str(optional, computed, required bool) schema.StringAttribute {
	return schema.StringAttribute{Optional: optional, Computed: computed, Required: required}
}

func num(computed bool) schema.Int64Attribute {
	return schema.Int64Attribute{Optional: true, Computed: computed}
}

// set is an optional, computed set of strings: every set of these
// resources is one.
func set() schema.SetAttribute {
	return schema.SetAttribute{Optional: true, Computed: true, ElementType: types.StringType}
}

// timeouts is the block terraform-plugin-sdk adds for the operations a
// resource declares timeouts for.
func timeouts(ops ...string) schema.SingleNestedBlock {
	attrs := map[string]schema.Attribute{}
	for _, op := range ops {
		attrs[op] = schema.StringAttribute{Optional: true}
	}
	return schema.SingleNestedBlock{Attributes: attrs}
}

// NetworkInterfaceSchema is alicloud_ecs_network_interface (and
// alicloud_network_interface). Its Read fills every attribute, the
// deprecated twins (name, private_ip, private_ips, private_ips_count,
// security_groups) included, and both the secondary IP count and the
// addresses whichever of them the configuration set.
func NetworkInterfaceSchema() schema.Schema {
	return schema.Schema{
		Attributes: map[string]schema.Attribute{
			"id":                                 str(true, true, false),
			"vswitch_id":                         str(false, false, true),
			"description":                        str(true, false, false),
			"mac":                                str(false, true, false),
			"network_interface_name":             str(true, true, false),
			"name":                               str(true, true, false),
			"primary_ip_address":                 str(true, true, false),
			"private_ip":                         str(true, true, false),
			"private_ip_addresses":               set(),
			"private_ips":                        set(),
			"secondary_private_ip_address_count": num(true),
			"private_ips_count":                  num(true),
			"queue_number":                       num(true),
			"resource_group_id":                  str(true, false, false),
			"security_group_ids":                 set(),
			"security_groups":                    set(),
			"status":                             str(false, true, false),
			"tags":                               schema.MapAttribute{Optional: true, ElementType: types.StringType},
			"ipv6_address_count":                 num(true),
			"ipv6_addresses":                     set(),
			"ipv4_prefix_count":                  num(true),
			"ipv4_prefixes":                      set(),
			"instance_type":                      str(true, true, false),
			"network_interface_traffic_mode":     str(true, true, false),
			"source_dest_check":                  schema.BoolAttribute{Optional: true},
		},
		Blocks: map[string]schema.Block{"timeouts": timeouts("create", "update", "delete")},
	}
}

// AttachmentSchema is alicloud_ecs_network_interface_attachment (and
// alicloud_network_interface_attachment), whose ID is
// <network_interface_id>:<instance_id>.
func AttachmentSchema() schema.Schema {
	return schema.Schema{
		Attributes: map[string]schema.Attribute{
			"id":                                   str(true, true, false),
			"network_interface_id":                 str(false, false, true),
			"instance_id":                          str(false, false, true),
			"trunk_network_instance_id":            str(true, false, false),
			"network_card_index":                   num(false),
			"wait_for_network_configuration_ready": schema.BoolAttribute{Optional: true},
		},
		Blocks: map[string]schema.Block{"timeouts": timeouts("create", "delete")},
	}
}

// EIPAssociationSchema is alicloud_eip_association, whose ID is
// <allocation_id>:<instance_id>; instance_type says what instance_id is
// (EcsInstance, SlbInstance, Nat, HaVip, NetworkInterface, ...).
func EIPAssociationSchema() schema.Schema {
	return schema.Schema{
		Attributes: map[string]schema.Attribute{
			"id":                 str(true, true, false),
			"allocation_id":      str(false, false, true),
			"instance_id":        str(false, false, true),
			"instance_type":      str(true, true, false),
			"mode":               str(true, true, false),
			"private_ip_address": str(true, false, false),
			"vpc_id":             str(true, false, false),
			"force":              schema.BoolAttribute{Optional: true},
		},
		Blocks: map[string]schema.Block{"timeouts": timeouts("create", "update", "delete")},
	}
}
