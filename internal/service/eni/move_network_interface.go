package eni

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/openeni/terraform-provider-eni/internal/alicloudschema"
)

var _ resource.ResourceWithMoveState = (*networkInterfaceResource)(nil)

// alicloudENIModel is alicloud_ecs_network_interface's state (see
// alicloudschema.NetworkInterfaceSchema).
type alicloudENIModel struct {
	ID                   types.String `tfsdk:"id"`
	VSwitchID            types.String `tfsdk:"vswitch_id"`
	Description          types.String `tfsdk:"description"`
	MAC                  types.String `tfsdk:"mac"`
	NetworkInterfaceName types.String `tfsdk:"network_interface_name"`
	Name                 types.String `tfsdk:"name"`
	PrimaryIPAddress     types.String `tfsdk:"primary_ip_address"`
	PrivateIP            types.String `tfsdk:"private_ip"`
	PrivateIPAddresses   types.Set    `tfsdk:"private_ip_addresses"`
	PrivateIPs           types.Set    `tfsdk:"private_ips"`
	SecondaryIPCount     types.Int64  `tfsdk:"secondary_private_ip_address_count"`
	PrivateIPsCount      types.Int64  `tfsdk:"private_ips_count"`
	QueueNumber          types.Int64  `tfsdk:"queue_number"`
	ResourceGroupID      types.String `tfsdk:"resource_group_id"`
	SecurityGroupIDs     types.Set    `tfsdk:"security_group_ids"`
	SecurityGroups       types.Set    `tfsdk:"security_groups"`
	Status               types.String `tfsdk:"status"`
	Tags                 types.Map    `tfsdk:"tags"`
	IPv6AddressCount     types.Int64  `tfsdk:"ipv6_address_count"`
	IPv6Addresses        types.Set    `tfsdk:"ipv6_addresses"`
	IPv4PrefixCount      types.Int64  `tfsdk:"ipv4_prefix_count"`
	IPv4Prefixes         types.Set    `tfsdk:"ipv4_prefixes"`
	InstanceType         types.String `tfsdk:"instance_type"`
	TrafficMode          types.String `tfsdk:"network_interface_traffic_mode"`
	SourceDestCheck      types.Bool   `tfsdk:"source_dest_check"`
	Timeouts             types.Object `tfsdk:"timeouts"`
}

func (r *networkInterfaceResource) MoveState(context.Context) []resource.StateMover {
	return alicloudMove{
		target:  "eni" + r.typeName,
		sources: []string{alicloudschema.ECSNetworkInterface, alicloudschema.NetworkInterface},
		move:    r.moveFromAlicloud,
	}.movers()
}

func (r *networkInterfaceResource) moveFromAlicloud(ctx context.Context, req resource.MoveStateRequest, resp *resource.MoveStateResponse) {
	src, ok := sourceOf[alicloudENIModel](ctx, req, resp)
	if !ok {
		return
	}
	m := eniFromAlicloud(ctx, src, &resp.Diagnostics)
	m.Timeouts = r.timeouts.nullTimeouts()
	if src.SourceDestCheck.ValueBool() {
		resp.Diagnostics.AddWarning(fmt.Sprintf("moving %s (%s)", req.SourceTypeName, src.ID.ValueString()),
			"The ENI has its source/destination check on (source_dest_check); eni_network_interface does not manage "+
				"that setting, so it stays as it is and no later plan changes it.")
	}
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.TargetState.Set(ctx, m)...)
}

// eniFromAlicloud maps the alicloud ENI's state onto ours. Where that
// provider has a deprecated twin of an attribute (name, private_ip,
// security_groups, private_ips, private_ips_count), the current one wins
// and the twin fills in for it when null. What the source does not record
// (vpc_id, zone_id, instance_id, delete_on_release) stays null: the
// refresh of the same plan reads it from the cloud.
func eniFromAlicloud(ctx context.Context, src alicloudENIModel, diags *diag.Diagnostics) networkInterfaceModel {
	addresses := src.PrivateIPAddresses
	if addresses.IsNull() {
		addresses = src.PrivateIPs
	}
	held := setStrings(ctx, addresses, diags)
	m := networkInterfaceModel{
		ID:               src.ID,
		VSwitchID:        src.VSwitchID,
		SecurityGroupIDs: orSet(src.SecurityGroupIDs, src.SecurityGroups),
		Name:             orString(src.NetworkInterfaceName, src.Name),
		Description:      src.Description,
		PrimaryIPAddress: orString(src.PrimaryIPAddress, src.PrivateIP),
		QueueNumber:      queueNumberValue(src.QueueNumber.ValueInt64()),
		TrafficMode:      src.TrafficMode,
		DeleteOnRelease:  types.BoolNull(),
		ResourceGroupID:  src.ResourceGroupID,
		Tags:             types.MapNull(types.StringType),
		TagsAll:          types.MapNull(types.StringType),
		VPCID:            types.StringNull(),
		ZoneID:           types.StringNull(),
		MACAddress:       src.MAC,
		Status:           src.Status,
		Type:             src.InstanceType,
		InstanceID:       types.StringNull(),
		PrivateIPs:       stringSet(ctx, held, diags),
	}
	if len(src.Tags.Elements()) > 0 {
		m.Tags, m.TagsAll = src.Tags, src.Tags
	}
	m.SecondaryPrivateIPCount, m.SecondaryPrivateIPs = movedPair(ctx, held, diags)
	// The IPv6 address and IPv4 prefix pairs follow the same rule, with
	// the assigned_* sets from the same lists.
	ipv6 := setStrings(ctx, src.IPv6Addresses, diags)
	m.IPv6AddressCount, m.IPv6Addresses = movedPair(ctx, ipv6, diags)
	m.AssignedIPv6Addresses = stringSet(ctx, ipv6, diags)
	prefixes := setStrings(ctx, src.IPv4Prefixes, diags)
	m.IPv4PrefixCount, m.IPv4Prefixes = movedPair(ctx, prefixes, diags)
	m.AssignedIPv4Prefixes = stringSet(ctx, prefixes, diags)
	return m
}

func orString(v, fallback types.String) types.String {
	if v.IsNull() || v.ValueString() == "" {
		return fallback
	}
	return v
}

func orSet(v, fallback types.Set) types.Set {
	if v.IsNull() || len(v.Elements()) == 0 {
		return fallback
	}
	return v
}
