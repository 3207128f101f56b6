package eni

import (
	"context"
	"regexp"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/openeni/terraform-provider-eni/internal/domain"
)

var _ datasource.DataSourceWithConfigure = (*networkInterfacesDataSource)(nil)

func newNetworkInterfacesDataSource() datasource.DataSource {
	return &networkInterfacesDataSource{dataSourceBase: dataSourceBase{typeName: "_network_interfaces"}}
}

type networkInterfacesDataSource struct {
	dataSourceBase
}

type networkInterfacesModel struct {
	IDs               types.List   `tfsdk:"ids"`
	VPCID             types.String `tfsdk:"vpc_id"`
	VSwitchID         types.String `tfsdk:"vswitch_id"`
	InstanceID        types.String `tfsdk:"instance_id"`
	Status            types.String `tfsdk:"status"`
	Type              types.String `tfsdk:"type"`
	Tags              types.Map    `tfsdk:"tags"`
	NameRegex         types.String `tfsdk:"name_regex"`
	NetworkInterfaces types.List   `tfsdk:"network_interfaces"`
}

// maxIDsPerCall is the API's limit on NetworkInterfaceId.N.
const maxIDsPerCall = 100

var eniStatuses = []string{domain.ENIStatusAvailable, domain.ENIStatusAttaching, domain.ENIStatusInUse, domain.ENIStatusDetaching, domain.ENIStatusDeleting}

func (d *networkInterfacesDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the ENIs that match every given filter (none: all ENIs of the region). Filters " +
			"other than `name_regex` are evaluated by the API.",
		Attributes: map[string]schema.Attribute{
			"ids": schema.ListAttribute{
				Optional: true, Computed: true, ElementType: types.StringType,
				Validators:          []validator.List{listvalidator.ValueStringsAre(stringvalidator.LengthAtLeast(1))},
				MarkdownDescription: "Only these ENI IDs. After the read: the IDs of every ENI found, in API order.",
			},
			"vpc_id":      schema.StringAttribute{Optional: true, MarkdownDescription: "Only ENIs in this VPC."},
			"vswitch_id":  schema.StringAttribute{Optional: true, MarkdownDescription: "Only ENIs in this vSwitch."},
			"instance_id": schema.StringAttribute{Optional: true, MarkdownDescription: "Only ENIs bound to this instance."},
			"status": schema.StringAttribute{
				Optional: true, Validators: []validator.String{stringvalidator.OneOf(eniStatuses...)},
				MarkdownDescription: "Only ENIs in this status.",
			},
			"type": schema.StringAttribute{
				Optional: true, Validators: []validator.String{stringvalidator.OneOf(domain.ENITypePrimary, domain.ENITypeSecondary)},
				MarkdownDescription: "Only ENIs of this type, `Primary` or `Secondary`.",
			},
			"tags": schema.MapAttribute{Optional: true, ElementType: types.StringType, MarkdownDescription: "Only ENIs carrying all of these tags."},
			"name_regex": schema.StringAttribute{
				Optional: true, Validators: []validator.String{regexValidator{}},
				MarkdownDescription: "Only ENIs whose name matches this regular expression (RE2 syntax).",
			},
			"network_interfaces": schema.ListNestedAttribute{
				Computed:            true,
				MarkdownDescription: "The ENIs found.",
				NestedObject:        schema.NestedAttributeObject{Attributes: eniDataAttributes(nil)},
			},
		},
	}
}

func (d *networkInterfacesDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m networkInterfacesModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	var re *regexp.Regexp
	if expr := m.NameRegex.ValueString(); expr != "" {
		// Validation refuses what does not compile, but Read does not
		// rely on having been preceded by it.
		var err error
		if re, err = regexp.Compile(expr); err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("name_regex"), "Invalid regular expression",
				"name_regex does not compile: "+err.Error()+". Use RE2 syntax, for example \"^web-\".")
			return
		}
	}
	var ids []string
	if !m.IDs.IsNull() {
		resp.Diagnostics.Append(m.IDs.ElementsAs(ctx, &ids, false)...)
	}
	null := types.StringNull()
	// Empty, not nil: a nil slice becomes a null list, and a configuration
	// iterating over the result of a filter that matches nothing fails
	// with "Iteration over null value".
	items, found := []eniDataModel{}, []string{}
	// One query without IDs, or one per batch of 100 IDs.
	batches := [][]string{nil}
	if ids != nil {
		batches = slices.Collect(slices.Chunk(ids, maxIDsPerCall))
	}
	for _, batch := range batches {
		in := describeRequest(ctx, m.VPCID, m.VSwitchID, m.InstanceID, m.Status, m.Type, null, null, m.Tags, &resp.Diagnostics)
		if batch != nil {
			in.NetworkInterfaceId = &batch
		}
		enis, err := d.client.FindNetworkInterfaces(ctx, in)
		if err != nil {
			resp.Diagnostics.AddError("reading network interfaces", err.Error())
			return
		}
		for i := range enis {
			if re != nil && !re.MatchString(enis[i].NetworkInterfaceName) {
				continue
			}
			items = append(items, eniDataOf(ctx, &enis[i], d.tags, nil, &resp.Diagnostics))
			found = append(found, enis[i].NetworkInterfaceId)
		}
	}
	var diags = &resp.Diagnostics
	list, dd := types.ListValueFrom(ctx, types.StringType, found)
	diags.Append(dd...)
	m.IDs = list
	objs, dd := types.ListValueFrom(ctx, types.ObjectType{AttrTypes: eniDataAttrTypes()}, items)
	diags.Append(dd...)
	m.NetworkInterfaces = objs
	diags.Append(resp.State.Set(ctx, m)...)
}

// regexValidator refuses a name_regex that does not compile.
type regexValidator struct{}

func (regexValidator) Description(context.Context) string {
	return "must be a valid RE2 regular expression"
}

func (v regexValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (regexValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if _, err := regexp.Compile(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid regular expression",
			"name_regex does not compile: "+err.Error()+". Use RE2 syntax, for example \"^web-\".")
	}
}
