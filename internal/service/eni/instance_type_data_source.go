package eni

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/openeni/terraform-provider-eni/internal/cloud"
)

var _ datasource.DataSourceWithConfigure = (*instanceTypeDataSource)(nil)

func newInstanceTypeDataSource() datasource.DataSource {
	return &instanceTypeDataSource{dataSourceBase: dataSourceBase{typeName: "_instance_type"}}
}

type instanceTypeDataSource struct {
	dataSourceBase
}

type instanceTypeModel struct {
	ID             types.String `tfsdk:"id"`
	InstanceTypeID types.String `tfsdk:"instance_type_id"`
	typeLimitsModel
	NetworkCardQuantity types.Int64 `tfsdk:"network_card_quantity"`
}

func (d *instanceTypeDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The ENI limits of an ECS instance type, as `eni_network_interface_attachment` checks " +
			"them, so a configuration can make its own checks (for example with `precondition` blocks).",
		Attributes: typeLimitsAttributes(map[string]schema.Attribute{
			"instance_type_id": schema.StringAttribute{
				Required:            true,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
				MarkdownDescription: "Instance type, such as `ecs.g7.large`.",
			},
			"id": schema.StringAttribute{Computed: true, MarkdownDescription: "The instance type."},
			"network_card_quantity": schema.Int64Attribute{Computed: true, MarkdownDescription: "Number of network " +
				"cards; `network_card_index` of an attachment is below it. 0 when the API does not report it."},
		}),
	}
}

func (d *instanceTypeDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m instanceTypeModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id := m.InstanceTypeID.ValueString()
	it, err := d.client.LookupInstanceType(ctx, id)
	if cloud.IsNotFound(err) {
		resp.Diagnostics.AddAttributeError(path.Root("instance_type_id"), "Instance type not found",
			fmt.Sprintf("Instance type %s is not offered in region %s. Check the spelling, such as ecs.g7.large.", id, d.client.Region()))
		return
	}
	if err != nil {
		resp.Diagnostics.AddError(fmt.Sprintf("reading instance type (%s)", id), err.Error())
		return
	}
	m.ID = types.StringValue(it.InstanceTypeId)
	m.typeLimitsModel = typeLimitsOf(it)
	m.NetworkCardQuantity = types.Int64Value(int64(it.NetworkCardQuantity))
	resp.Diagnostics.Append(resp.State.Set(ctx, m)...)
}
