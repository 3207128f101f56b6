package eni

import (
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/openeni/terraform-provider-eni/internal/cloud"
)

var _ datasource.DataSourceWithConfigure = (*instanceDataSource)(nil)

func newInstanceDataSource() datasource.DataSource {
	return &instanceDataSource{dataSourceBase: dataSourceBase{typeName: "_instance"}}
}

// instanceDataSource reports, from an instance ID, what a configuration
// needs to place ENIs on the instance and to check in a precondition that
// they fit: where it is, its state, and its type's ENI limits with what
// is left of them.
type instanceDataSource struct {
	dataSourceBase
}

type instanceModel struct {
	InstanceID   types.String `tfsdk:"instance_id"`
	ID           types.String `tfsdk:"id"`
	ZoneID       types.String `tfsdk:"zone_id"`
	VPCID        types.String `tfsdk:"vpc_id"`
	VSwitchID    types.String `tfsdk:"vswitch_id"`
	InstanceType types.String `tfsdk:"instance_type"`
	Status       types.String `tfsdk:"status"`
	typeLimitsModel
	ENILeft           types.Int64        `tfsdk:"eni_left"`
	NetworkInterfaces []instanceENIModel `tfsdk:"network_interfaces"`
}

// instanceENIModel is one ENI bound to the instance.
type instanceENIModel struct {
	ID                types.String `tfsdk:"id"`
	Type              types.String `tfsdk:"type"`
	PrivateIPCount    types.Int64  `tfsdk:"private_ip_count"`
	IPv4PrefixCount   types.Int64  `tfsdk:"ipv4_prefix_count"`
	PrivateIPsLeft    types.Int64  `tfsdk:"private_ips_left"`
	IPv6AddressCount  types.Int64  `tfsdk:"ipv6_address_count"`
	IPv6PrefixCount   types.Int64  `tfsdk:"ipv6_prefix_count"`
	IPv6AddressesLeft types.Int64  `tfsdk:"ipv6_addresses_left"`
}

func (d *instanceDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	str := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{Computed: true, MarkdownDescription: desc}
	}
	num := func(desc string) schema.Int64Attribute {
		return schema.Int64Attribute{Computed: true, MarkdownDescription: desc}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "An ECS instance as ENIs see it: its zone, VPC and vSwitch, its type and status, the ENIs " +
			"bound to it, and its type's ENI and per-ENI address limits with what is left of each, so that a " +
			"configuration can place ENIs on it and check in a `precondition` that they fit.",
		Attributes: typeLimitsAttributes(map[string]schema.Attribute{
			"instance_id": schema.StringAttribute{
				Required:            true,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
				MarkdownDescription: "ID of the ECS instance, such as `i-bp67acfmxazb4ph****`.",
			},
			"id":            str("The instance ID."),
			"zone_id":       str("Zone of the instance. ENIs bound to it must be in this zone."),
			"vpc_id":        str("VPC of the instance. ENIs bound to it must be in this VPC."),
			"vswitch_id":    str("vSwitch of the instance's primary ENI. Secondary ENIs may use any vSwitch of its zone and VPC."),
			"instance_type": str("Instance type, such as `ecs.g7.large`."),
			"status":        str("`Pending`, `Starting`, `Running`, `Stopping` or `Stopped`."),
			"eni_left": num("How many more ENIs can be attached to the instance now: `eni_quantity` minus the " +
				"ENIs bound to it (the primary included), never below 0."),
			"network_interfaces": schema.ListNestedAttribute{
				Computed: true,
				MarkdownDescription: "The ENIs bound to the instance, in the order the API lists them (the primary " +
					"ENI first), with what each holds and can still take.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"id":   str("ENI ID."),
					"type": str("`Primary` or `Secondary`."),
					"private_ip_count": num("Private IPv4 addresses the ENI holds, its primary IP " +
						"included."),
					"ipv4_prefix_count": num("IPv4 prefixes (/28) the ENI holds."),
					"private_ips_left": num("How many more secondary private IPv4 addresses or IPv4 prefixes " +
						"the ENI can take: `eni_private_ip_address_quantity` minus `private_ip_count` and " +
						"`ipv4_prefix_count`, never below 0."),
					"ipv6_address_count": num("IPv6 addresses the ENI holds."),
					"ipv6_prefix_count":  num("IPv6 prefixes the ENI holds."),
					"ipv6_addresses_left": num("How many more IPv6 addresses or IPv6 prefixes the ENI can take: " +
						"`eni_ipv6_address_quantity` minus `ipv6_address_count` and `ipv6_prefix_count`, never " +
						"below 0."),
				}},
			},
		}),
	}
}

// Read costs at most three calls, fewer when the walk has read these
// objects already: DescribeInstances, DescribeInstanceTypes (remembered
// for the client's life) and one DescribeNetworkInterfaces naming every
// bound ENI (readENIs).
func (d *instanceDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m instanceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id := m.InstanceID.ValueString()
	inst, err := d.client.FindInstanceByID(ctx, id)
	if cloud.IsNotFound(err) {
		resp.Diagnostics.AddAttributeError(path.Root("instance_id"), "Instance not found",
			fmt.Sprintf("Instance %s does not exist in region %s. Set instance_id to the ID of an existing "+
				"instance of that region.", id, d.client.Region()))
		return
	}
	if err != nil {
		resp.Diagnostics.AddError(fmt.Sprintf("reading instance (%s)", id), err.Error())
		return
	}
	it, err := d.client.LookupInstanceType(ctx, inst.InstanceType)
	if err != nil {
		resp.Diagnostics.AddError(fmt.Sprintf("reading instance type (%s) of instance %s", inst.InstanceType, id), err.Error())
		return
	}
	ids := cloud.InstanceNetworkInterfaceIDs(inst) // primary included
	enis, err := readENIs(ctx, d.client, ids)
	if err != nil {
		resp.Diagnostics.AddError(fmt.Sprintf("reading the network interfaces of instance (%s)", id), err.Error())
		return
	}

	m.ID = types.StringValue(inst.InstanceId)
	m.ZoneID = types.StringValue(inst.ZoneId)
	m.VPCID = types.StringValue(inst.VpcAttributes.VpcId)
	m.VSwitchID = types.StringValue(inst.VpcAttributes.VSwitchId)
	m.InstanceType = types.StringValue(inst.InstanceType)
	m.Status = types.StringValue(inst.Status)
	m.typeLimitsModel = typeLimitsOf(it)
	m.ENILeft = types.Int64Value(int64(max(it.EniQuantity-len(ids), 0)))
	m.NetworkInterfaces = make([]instanceENIModel, 0, len(ids))
	for _, eniID := range ids {
		ni := instanceView(inst, eniID)
		h := holdingsOfInstanceView(ni)
		if e, ok := enis[eniID]; ok {
			h = holdingsOf(e)
		}
		m.NetworkInterfaces = append(m.NetworkInterfaces, instanceENIModel{
			ID:                types.StringValue(eniID),
			Type:              types.StringValue(ni.Type),
			PrivateIPCount:    types.Int64Value(int64(h.privateIPs)),
			IPv4PrefixCount:   types.Int64Value(int64(h.ipv4Prefixes)),
			PrivateIPsLeft:    types.Int64Value(int64(h.ipv4Left(it.EniPrivateIpAddressQuantity))),
			IPv6AddressCount:  types.Int64Value(int64(h.ipv6)),
			IPv6PrefixCount:   types.Int64Value(int64(h.ipv6Prefixes)),
			IPv6AddressesLeft: types.Int64Value(int64(h.ipv6Left(it.EniIpv6AddressQuantity))),
		})
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, m)...)
}

// instanceView is what DescribeInstances says of the bound ENI id, one of
// cloud.InstanceNetworkInterfaceIDs(inst), so always there.
func instanceView(inst *ecs.Instance, id string) *ecs.NetworkInterface {
	bound := inst.NetworkInterfaces.NetworkInterface
	i := slices.IndexFunc(bound, func(ni ecs.NetworkInterface) bool { return ni.NetworkInterfaceId == id })
	return &bound[i]
}

// readENIs reads the ENIs ids name, keyed by ID, in one call at most.
// With coalescing on, through FindNetworkInterfaceByID all at once:
// concurrent reads share one DescribeNetworkInterfaces (or none, when the
// walk has read them), where FindNetworkInterfacesByIDs would always call
// and keep nothing for the walk. With coalescing off (coalesce_reads =
// false), each of those reads would be a call of its own: one call names
// them all instead. An ENI not found is left out (the caller falls back on
// what DescribeInstances said of it); any other error is returned.
func readENIs(ctx context.Context, c *cloud.Client, ids []string) (map[string]*ecs.NetworkInterfaceSet, error) {
	out := make(map[string]*ecs.NetworkInterfaceSet, len(ids))
	if c.CoalesceWindow <= 0 {
		found, err := c.FindNetworkInterfacesByIDs(ctx, ids)
		if err != nil && !cloud.IsNotFound(err) {
			return nil, err
		}
		for i := range found {
			out[found[i].NetworkInterfaceId] = &found[i]
		}
		return out, nil
	}
	found := make([]*ecs.NetworkInterfaceSet, len(ids))
	errs := make([]error, len(ids))
	var wg sync.WaitGroup
	for i, id := range ids {
		wg.Go(func() { found[i], errs[i] = c.FindNetworkInterfaceByID(ctx, id) })
	}
	wg.Wait()
	for i, id := range ids {
		switch {
		case errs[i] == nil:
			out[id] = found[i]
		case !cloud.IsNotFound(errs[i]):
			return nil, errs[i]
		}
	}
	return out, nil
}
