package eni

import (
	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/openeni/terraform-provider-eni/internal/domain"
)

// typeLimitsModel is the ENI limits of an instance type, as both
// eni_instance_type and eni_instance report them (embedded in their
// models).
type typeLimitsModel struct {
	ENIQuantity                 types.Int64 `tfsdk:"eni_quantity"`
	ENIPrivateIPAddressQuantity types.Int64 `tfsdk:"eni_private_ip_address_quantity"`
	ENIIPv6AddressQuantity      types.Int64 `tfsdk:"eni_ipv6_address_quantity"`
	HotSwapSupported            types.Bool  `tfsdk:"hot_swap_supported"`
}

func typeLimitsOf(it *ecs.InstanceType) typeLimitsModel {
	return typeLimitsModel{
		ENIQuantity:                 types.Int64Value(int64(it.EniQuantity)),
		ENIPrivateIPAddressQuantity: types.Int64Value(int64(it.EniPrivateIpAddressQuantity)),
		ENIIPv6AddressQuantity:      types.Int64Value(int64(it.EniIpv6AddressQuantity)),
		// The rule the attachment's plan checks apply.
		HotSwapSupported: types.BoolValue(domain.HotSwapSupported(it.InstanceTypeId)),
	}
}

// typeLimitsAttributes adds the schema of typeLimitsModel to attrs.
func typeLimitsAttributes(attrs map[string]schema.Attribute) map[string]schema.Attribute {
	num := func(desc string) schema.Int64Attribute {
		return schema.Int64Attribute{Computed: true, MarkdownDescription: desc}
	}
	attrs["eni_quantity"] = num("How many ENIs an instance of the type holds, the primary ENI included (`EniQuantity`).")
	attrs["eni_private_ip_address_quantity"] = num("How many private IPv4 addresses one ENI can hold on an instance " +
		"of the type, the primary IP included (`EniPrivateIpAddressQuantity`). Each IPv4 prefix takes one of them.")
	attrs["eni_ipv6_address_quantity"] = num("How many IPv6 addresses one ENI can hold on an instance of the type " +
		"(`EniIpv6AddressQuantity`). Each IPv6 prefix takes one of them.")
	attrs["hot_swap_supported"] = schema.BoolAttribute{
		Computed: true,
		MarkdownDescription: "Whether ENIs can be attached and detached while an instance of the type is Running. " +
			"When `false`, the instance must be Stopped (see `stop_instance_if_required` of " +
			"`eni_network_interface_attachment`). The API does not report this: it comes from the provider's " +
			"table of the s6, e, t5, t6, xn4, n4, mn4 and e4 types.",
	}
	return attrs
}
