package eni

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
)

var (
	_ datasource.DataSourceWithConfigure        = (*networkInterfaceDataSource)(nil)
	_ datasource.DataSourceWithConfigValidators = (*networkInterfaceDataSource)(nil)
)

func newNetworkInterfaceDataSource() datasource.DataSource {
	return &networkInterfaceDataSource{dataSourceBase: dataSourceBase{typeName: "_network_interface"}}
}

type networkInterfaceDataSource struct {
	dataSourceBase
}

// singleENIFilters are the inputs of eni_network_interface.
var singleENIFilters = map[string]string{
	"id":                 "ID of the ENI.",
	"vpc_id":             "Only an ENI in this VPC.",
	"vswitch_id":         "Only an ENI in this vSwitch.",
	"instance_id":        "Only an ENI bound to this instance.",
	"name":               "Only an ENI with exactly this name.",
	"primary_ip_address": "Only the ENI with this primary private IP.",
	"type":               "Only an ENI of this type, `Primary` or `Secondary`.",
	"status":             "Only an ENI in this status.",
	"tags":               "Only an ENI carrying all of these tags.",
}

func (d *networkInterfaceDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Looks up one ENI by `id` or by filters; the filters must match exactly one ENI.",
		Attributes:          eniDataAttributes(singleENIFilters),
	}
}

func (d *networkInterfaceDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	var filters []path.Expression
	for name := range singleENIFilters {
		filters = append(filters, path.MatchRoot(name))
	}
	return []datasource.ConfigValidator{datasourcevalidator.AtLeastOneOf(filters...)}
}

func (d *networkInterfaceDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m eniDataModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	in := describeRequest(ctx, m.VPCID, m.VSwitchID, m.InstanceID, m.Status, m.Type, m.Name, m.PrimaryIPAddress, m.Tags, &resp.Diagnostics)
	if id := m.ID.ValueString(); id != "" {
		in.NetworkInterfaceId = &[]string{id}
	}
	found, err := d.client.FindNetworkInterfaces(ctx, in)
	if err != nil {
		resp.Diagnostics.AddError("reading network interfaces", err.Error())
		return
	}
	switch len(found) {
	case 1:
	case 0:
		resp.Diagnostics.AddError("No network interface found",
			"No ENI matches the given id and filters. Check them, or use eni_network_interfaces, which may return none.")
		return
	default:
		ids := make([]string, len(found))
		for i := range found {
			ids[i] = found[i].NetworkInterfaceId
		}
		resp.Diagnostics.AddError("Several network interfaces found",
			fmt.Sprintf("%d ENIs match (%s); narrow the filters or use eni_network_interfaces.", len(found), strings.Join(ids, ", ")))
		return
	}
	out := eniDataOf(ctx, &found[0], d.tags, mapStrings(ctx, m.Tags, &resp.Diagnostics), &resp.Diagnostics)
	resp.Diagnostics.Append(resp.State.Set(ctx, out)...)
}
