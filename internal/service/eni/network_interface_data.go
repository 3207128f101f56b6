package eni

import (
	"context"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// eniDataModel is one ENI as both data sources report it.
type eniDataModel struct {
	ID               types.String `tfsdk:"id"`
	VSwitchID        types.String `tfsdk:"vswitch_id"`
	VPCID            types.String `tfsdk:"vpc_id"`
	ZoneID           types.String `tfsdk:"zone_id"`
	SecurityGroupIDs types.Set    `tfsdk:"security_group_ids"`
	Name             types.String `tfsdk:"name"`
	Description      types.String `tfsdk:"description"`
	PrimaryIPAddress types.String `tfsdk:"primary_ip_address"`
	PrivateIPs       types.Set    `tfsdk:"private_ips"`
	IPv6Addresses    types.Set    `tfsdk:"assigned_ipv6_addresses"`
	IPv4Prefixes     types.Set    `tfsdk:"assigned_ipv4_prefixes"`
	QueueNumber      types.Int64  `tfsdk:"queue_number"`
	TrafficMode      types.String `tfsdk:"traffic_mode"`
	DeleteOnRelease  types.Bool   `tfsdk:"delete_on_release"`
	ResourceGroupID  types.String `tfsdk:"resource_group_id"`
	MACAddress       types.String `tfsdk:"mac_address"`
	Status           types.String `tfsdk:"status"`
	Type             types.String `tfsdk:"type"`
	InstanceID       types.String `tfsdk:"instance_id"`
	Tags             types.Map    `tfsdk:"tags"`
}

// eniDataDescriptions describes each attribute of eniDataModel once.
var eniDataDescriptions = map[string]string{
	"id":                      "ENI ID.",
	"vswitch_id":              "vSwitch of the ENI.",
	"vpc_id":                  "VPC of the ENI.",
	"zone_id":                 "Zone of the ENI.",
	"security_group_ids":      "Security groups of the ENI.",
	"name":                    "Name of the ENI.",
	"description":             "Description of the ENI.",
	"primary_ip_address":      "Primary private IPv4 address.",
	"private_ips":             "Every secondary private IPv4 address.",
	"assigned_ipv6_addresses": "Every IPv6 address of the ENI.",
	"assigned_ipv4_prefixes":  "Every IPv4 prefix of the ENI, such as `10.1.0.16/28`.",
	"queue_number":            "Number of queues.",
	"traffic_mode":            "Communication mode, `Standard` or `HighPerformance`.",
	"delete_on_release":       "Whether the ENI is released with its instance.",
	"resource_group_id":       "Resource group of the ENI.",
	"mac_address":             "MAC address.",
	"status":                  "`Available`, `Attaching`, `InUse`, `Detaching` or `Deleting`.",
	"type":                    "`Primary` or `Secondary`.",
	"instance_id":             "Instance the ENI is bound to, or empty.",
	"tags":                    "Tags of the ENI, without the keys of the provider's `ignore_tags`.",
}

// eniDataAttributes is the data source schema of one ENI; the attributes
// named in filters become optional inputs, every other one is computed.
func eniDataAttributes(filters map[string]string) map[string]schema.Attribute {
	out := map[string]schema.Attribute{}
	for name, desc := range eniDataDescriptions {
		optional := false
		if f, ok := filters[name]; ok {
			optional, desc = true, f
		}
		switch name {
		case "security_group_ids", "private_ips", "assigned_ipv6_addresses", "assigned_ipv4_prefixes":
			out[name] = schema.SetAttribute{Computed: true, ElementType: types.StringType, MarkdownDescription: desc}
		case "tags":
			out[name] = schema.MapAttribute{Optional: optional, Computed: true, ElementType: types.StringType, MarkdownDescription: desc}
		case "queue_number":
			out[name] = schema.Int64Attribute{Computed: true, MarkdownDescription: desc}
		case "delete_on_release":
			out[name] = schema.BoolAttribute{Computed: true, MarkdownDescription: desc}
		default:
			out[name] = schema.StringAttribute{Optional: optional, Computed: true, MarkdownDescription: desc}
		}
	}
	return out
}

// eniDataAttrTypes is the object type of one ENI in eni_network_interfaces.
func eniDataAttrTypes() map[string]attr.Type {
	out := map[string]attr.Type{}
	for name, a := range eniDataAttributes(nil) {
		out[name] = a.GetType()
	}
	return out
}

// eniDataOf is one ENI as a data source reports it. Its tags leave out
// the keys the provider's ignore_tags covers, except those of the tags
// filter (configured), which the ENI matched and which the data source
// reports as given.
func eniDataOf(ctx context.Context, e *ecs.NetworkInterfaceSet, tags *TagConfig, configured map[string]string, diags *diag.Diagnostics) eniDataModel {
	v := viewOf(e)
	return eniDataModel{
		ID: types.StringValue(v.ID), VSwitchID: types.StringValue(v.VSwitchID), VPCID: types.StringValue(v.VPCID),
		ZoneID: types.StringValue(v.ZoneID), SecurityGroupIDs: stringSet(ctx, v.SecurityGroupIDs, diags),
		Name: types.StringValue(v.Name), Description: types.StringValue(v.Description),
		PrimaryIPAddress: types.StringValue(v.PrimaryIP), PrivateIPs: stringSet(ctx, v.SecondaryIPs, diags),
		IPv6Addresses: stringSet(ctx, v.IPv6Addresses, diags), IPv4Prefixes: stringSet(ctx, v.IPv4Prefixes, diags),
		QueueNumber: queueNumberValue(v.QueueNumber), TrafficMode: types.StringValue(v.TrafficMode),
		DeleteOnRelease: types.BoolValue(v.DeleteOnRelease), ResourceGroupID: types.StringValue(v.ResourceGroupID),
		MACAddress: types.StringValue(v.MAC), Status: types.StringValue(v.Status), Type: types.StringValue(v.Type),
		InstanceID: types.StringValue(v.InstanceID), Tags: stringMap(ctx, tags.visible(v.Tags, configured), diags),
	}
}

// describeRequest turns the filters both data sources share into API
// filters, so the API does the filtering instead of the provider paging
// through every ENI.
func describeRequest(ctx context.Context, vpcID, vswitchID, instanceID, status, typ, name, primaryIP types.String, tags types.Map, diags *diag.Diagnostics) *ecs.DescribeNetworkInterfacesRequest {
	req := ecs.CreateDescribeNetworkInterfacesRequest()
	req.VpcId = vpcID.ValueString()
	req.VSwitchId = vswitchID.ValueString()
	req.InstanceId = instanceID.ValueString()
	req.Status = status.ValueString()
	req.Type = typ.ValueString()
	req.NetworkInterfaceName = name.ValueString()
	req.PrimaryIpAddress = primaryIP.ValueString()
	if t := mapStrings(ctx, tags, diags); len(t) > 0 {
		list := make([]ecs.DescribeNetworkInterfacesTag, 0, len(t))
		for k, v := range t {
			list = append(list, ecs.DescribeNetworkInterfacesTag{Key: k, Value: v})
		}
		req.Tag = &list
	}
	return req
}
