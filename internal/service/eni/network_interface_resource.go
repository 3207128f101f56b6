package eni

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/resourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/boolplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/openeni/terraform-provider-eni/internal/cloud"
	"github.com/openeni/terraform-provider-eni/internal/domain"
)

var (
	_ resource.ResourceWithConfigure        = (*networkInterfaceResource)(nil)
	_ resource.ResourceWithImportState      = (*networkInterfaceResource)(nil)
	_ resource.ResourceWithModifyPlan       = (*networkInterfaceResource)(nil)
	_ resource.ResourceWithConfigValidators = (*networkInterfaceResource)(nil)
)

// Default timeouts of eni_network_interface.
const (
	networkInterfaceCreateTimeout = 10 * time.Minute
	networkInterfaceUpdateTimeout = 10 * time.Minute
	networkInterfaceDeleteTimeout = 10 * time.Minute
)

// trafficModes are the values of traffic_mode, listed once for the
// validator and the description.
var trafficModes = []string{"Standard", "HighPerformance"}

func newNetworkInterfaceResource() resource.Resource {
	return &networkInterfaceResource{
		resourceBase: resourceBase{typeName: "_network_interface", timeouts: operationTimeouts{
			create: networkInterfaceCreateTimeout, update: networkInterfaceUpdateTimeout, delete: networkInterfaceDeleteTimeout,
		}},
		importByID: importByID{prefix: "eni-", invalid: "%q is not an ENI ID; import with the ID of the network " +
			"interface, such as eni-bp1234567890abcdef."},
	}
}

type networkInterfaceResource struct {
	resourceBase
	importByID
}

type networkInterfaceModel struct {
	ID                      types.String           `tfsdk:"id"`
	VSwitchID               types.String           `tfsdk:"vswitch_id"`
	SecurityGroupIDs        types.Set              `tfsdk:"security_group_ids"`
	Name                    types.String           `tfsdk:"name"`
	Description             types.String           `tfsdk:"description"`
	PrimaryIPAddress        types.String           `tfsdk:"primary_ip_address"`
	SecondaryPrivateIPCount types.Int64            `tfsdk:"secondary_private_ip_count"`
	SecondaryPrivateIPs     types.Set              `tfsdk:"secondary_private_ips"`
	IPv6AddressCount        types.Int64            `tfsdk:"ipv6_address_count"`
	IPv6Addresses           types.Set              `tfsdk:"ipv6_addresses"`
	IPv4PrefixCount         types.Int64            `tfsdk:"ipv4_prefix_count"`
	IPv4Prefixes            types.Set              `tfsdk:"ipv4_prefixes"`
	QueueNumber             types.Int64            `tfsdk:"queue_number"`
	TrafficMode             types.String           `tfsdk:"traffic_mode"`
	DeleteOnRelease         types.Bool             `tfsdk:"delete_on_release"`
	ResourceGroupID         types.String           `tfsdk:"resource_group_id"`
	Tags                    types.Map              `tfsdk:"tags"`
	TagsAll                 types.Map              `tfsdk:"tags_all"`
	VPCID                   types.String           `tfsdk:"vpc_id"`
	ZoneID                  types.String           `tfsdk:"zone_id"`
	MACAddress              types.String           `tfsdk:"mac_address"`
	Status                  types.String           `tfsdk:"status"`
	Type                    types.String           `tfsdk:"type"`
	InstanceID              types.String           `tfsdk:"instance_id"`
	PrivateIPs              types.Set              `tfsdk:"private_ips"`
	AssignedIPv6Addresses   types.Set              `tfsdk:"assigned_ipv6_addresses"`
	AssignedIPv4Prefixes    types.Set              `tfsdk:"assigned_ipv4_prefixes"`
	Attachment              *inlineAttachmentModel `tfsdk:"attachment"`
	Timeouts                timeouts.Value         `tfsdk:"timeouts"`
}

func (r *networkInterfaceResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {

	resp.Schema = schema.Schema{
		MarkdownDescription: "A secondary elastic network interface (ENI) in a vSwitch. Bind it to an instance with " +
			"`eni_network_interface_attachment`. Plan checks that the vSwitch exists, that the security groups belong " +
			"to its VPC and that every address lies inside the vSwitch CIDR.",
		Attributes: map[string]schema.Attribute{
			// Required
			"vswitch_id": requiredReplaceString("vSwitch the ENI is created in; it fixes the ENI's VPC and zone. " +
				"Changing it replaces the ENI."),
			"security_group_ids": schema.SetAttribute{
				Required:    true,
				ElementType: types.StringType,
				Validators: []validator.Set{
					setvalidator.SizeBetween(1, domain.MaxSecurityGroupsPerENI),
					setvalidator.ValueStringsAre(stringvalidator.LengthAtLeast(1)),
				},
				MarkdownDescription: "One to five security groups of the vSwitch's VPC. Updated in place.",
			},
			// Optional
			"name": schema.StringAttribute{
				Optional:      true,
				Computed:      true,
				Validators:    []validator.String{eniNameRule},
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
				MarkdownDescription: "Name, 2 to 128 characters starting with a letter. The API cannot clear a name: " +
					"removing the argument keeps the current one.",
			},
			"description": schema.StringAttribute{
				Optional:      true,
				Computed:      true,
				Validators:    []validator.String{eniDescriptionRule},
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
				MarkdownDescription: "Description, 2 to 256 characters, without `http://` or `https://`. The API " +
					"cannot clear a description: removing the argument keeps the current one.",
			},
			"primary_ip_address": optionalReplaceIPv4("Primary private IPv4 address, inside the vSwitch CIDR. " +
				"Omitted: the cloud picks one. Changing it replaces the ENI."),
			"secondary_private_ip_count": schema.Int64Attribute{
				Optional:      true,
				Computed:      true, // see move_secondary_ips.go
				PlanModifiers: []planmodifier.Int64{unsetUnlessPartnerKept{partner: "secondary_private_ips"}},
				Validators:    []validator.Int64{int64validator.Between(0, 49)},
				MarkdownDescription: "Number of secondary private IPs the cloud picks. When set, the ENI owns its " +
					"secondary IPs and adds or removes addresses in place to match. Conflicts with " +
					"`secondary_private_ips`; leave both unset to manage addresses with `eni_private_ip`. An ENI moved " +
					"from the alicloud provider holds both in state until the one configured changes (see the guide " +
					"*Migrating from the alicloud provider*).",
			},
			"secondary_private_ips": schema.SetAttribute{
				Optional:      true,
				Computed:      true, // see move_secondary_ips.go
				PlanModifiers: []planmodifier.Set{unsetUnlessPartnerKept{partner: "secondary_private_ip_count", partnerIsCount: true}},
				ElementType:   types.StringType,
				Validators: []validator.Set{
					setvalidator.SizeAtMost(49),
					setvalidator.ValueStringsAre(ipv4Address),
				},
				MarkdownDescription: "Exact secondary private IPv4 addresses, inside the vSwitch CIDR. When set, the " +
					"ENI owns its secondary IPs and converges to this set in place. Conflicts with " +
					"`secondary_private_ip_count`.",
			},
			"ipv6_address_count": schema.Int64Attribute{
				Computed:      true, // see move_secondary_ips.go
				PlanModifiers: []planmodifier.Int64{unsetUnlessPartnerKept{partner: "ipv6_addresses"}},
				Optional:      true,
				Validators:    []validator.Int64{int64validator.AtLeast(0)},
				MarkdownDescription: "Number of IPv6 addresses the cloud picks from the vSwitch's IPv6 CIDR (the " +
					"vSwitch must have one). When set, the ENI owns its IPv6 addresses and adds or removes addresses in " +
					"place to match. At most 10 while the ENI is not bound to an instance, the instance type's " +
					"`eni_ipv6_address_quantity` once bound. Conflicts with `ipv6_addresses`; leave both unset to leave " +
					"the ENI's IPv6 addresses alone.",
			},
			"ipv6_addresses": schema.SetAttribute{
				Computed:      true, // see move_secondary_ips.go
				PlanModifiers: []planmodifier.Set{unsetUnlessPartnerKept{partner: "ipv6_address_count", partnerIsCount: true}},
				Optional:      true,
				ElementType:   types.StringType,
				Validators:    []validator.Set{setvalidator.ValueStringsAre(ipv6Address)},
				MarkdownDescription: "Exact IPv6 addresses, inside the vSwitch's IPv6 CIDR, in their canonical " +
					"(RFC 5952) form. When set, the ENI owns its IPv6 addresses and converges to this set in place. " +
					"Conflicts with `ipv6_address_count`.",
			},
			"ipv4_prefix_count": schema.Int64Attribute{
				Computed:      true, // see move_secondary_ips.go
				PlanModifiers: []planmodifier.Int64{unsetUnlessPartnerKept{partner: "ipv4_prefixes"}},
				Optional:      true,
				Validators:    []validator.Int64{int64validator.AtLeast(0)},
				MarkdownDescription: "Number of IPv4 prefixes (/28, 16 addresses each) the cloud picks from the " +
					"vSwitch CIDR. When set, the ENI owns its IPv4 prefixes and adds or removes prefixes in place to " +
					"match. Each prefix counts as one private IP against the per-ENI limit. Conflicts with " +
					"`ipv4_prefixes`; leave both unset to leave the ENI's prefixes alone.",
			},
			"ipv4_prefixes": schema.SetAttribute{
				Computed:      true, // see move_secondary_ips.go
				PlanModifiers: []planmodifier.Set{unsetUnlessPartnerKept{partner: "ipv4_prefix_count", partnerIsCount: true}},
				Optional:      true,
				ElementType:   types.StringType,
				Validators:    []validator.Set{setvalidator.ValueStringsAre(ipv4Prefix)},
				MarkdownDescription: "Exact IPv4 prefixes, such as `10.1.0.16/28`: /28 blocks on a /28 boundary, " +
					"inside the vSwitch CIDR. When set, the ENI owns its IPv4 prefixes and converges to this set in " +
					"place. Conflicts with `ipv4_prefix_count`.",
			},
			"queue_number": schema.Int64Attribute{
				Optional:      true,
				Computed:      true,
				Validators:    []validator.Int64{int64validator.Between(1, 64)},
				PlanModifiers: []planmodifier.Int64{keepStateIfUnsetInt64{}},
				MarkdownDescription: "Number of queues of the ENI, 1 to 64. Can be changed only while the ENI is not " +
					"bound, or its instance is Stopped. Defaults to the cloud's choice (the instance type's default queue " +
					"count per ENI, once bound), which the attribute then reports; it stays null while the API reports none.",
			},
			"traffic_mode": schema.StringAttribute{
				Optional:      true,
				Computed:      true,
				Validators:    []validator.String{stringvalidator.OneOf(trafficModes...)},
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
				MarkdownDescription: "Communication mode: `" + strings.Join(trafficModes, "` or `") + "`. Defaults to " +
					"`Standard`.",
			},
			"delete_on_release": schema.BoolAttribute{
				Optional:      true,
				Computed:      true,
				PlanModifiers: []planmodifier.Bool{boolplanmodifier.UseStateForUnknown()},
				MarkdownDescription: "Whether the ENI is released together with the instance it is bound to. Off " +
					"keeps the ENI, its IPs and security groups when the instance goes away. Defaults to `true`, the " +
					"API's default.",
			},
			"resource_group_id": schema.StringAttribute{
				Optional:   true,
				Computed:   true,
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
				PlanModifiers: []planmodifier.String{
					stringplanmodifier.RequiresReplaceIfConfigured(),
					stringplanmodifier.UseStateForUnknown(),
				},
				MarkdownDescription: "Resource group of the ENI. Changing it replaces the ENI.",
			},
			"tags": schema.MapAttribute{
				Optional:    true,
				ElementType: types.StringType,
				Validators:  []validator.Map{tagsValidator{}},
				MarkdownDescription: "Tags, at most 20 together with the provider's `default_tags`. Keys are 1 to 128 " +
					"characters and cannot start with `aliyun` or `acs:`. A key set here takes precedence over the same key " +
					"in `default_tags`; a key the provider's `ignore_tags` covers is neither set nor read.",
			},
			// Computed
			"tags_all":    tagsAllAttribute(),
			"id":          computedString("ENI ID, such as `eni-bp1...`.", true),
			"vpc_id":      computedString("VPC of the ENI (from its vSwitch).", true),
			"zone_id":     computedString("Zone of the ENI (from its vSwitch).", true),
			"mac_address": computedString("MAC address.", true),
			"type":        computedString("`Secondary` for ENIs created here; `Primary` for an instance's own ENI.", true),
			// status and instance_id change when an attachment binds the
			// ENI; its own updates never change them (see keepPlanned).
			"status":      computedString("`Available`, `Attaching`, `InUse`, `Detaching` or `Deleting`.", true),
			"instance_id": computedString("Instance the ENI is bound to, or empty.", true),
			"private_ips": schema.SetAttribute{
				Computed:      true,
				ElementType:   types.StringType,
				PlanModifiers: []planmodifier.Set{assignedUnlessArgumentsChange{secondaryIPv4Kind}},
				MarkdownDescription: "Every secondary private IPv4 address of the ENI, whoever assigned it (this " +
					"resource or `eni_private_ip`).",
			},
			"assigned_ipv6_addresses": schema.SetAttribute{
				Computed:      true,
				ElementType:   types.StringType,
				PlanModifiers: []planmodifier.Set{assignedUnlessArgumentsChange{ipv6Kind}},
				MarkdownDescription: "Every IPv6 address of the ENI, whoever assigned it (this resource, or " +
					"anything outside Terraform when `ipv6_address_count` and `ipv6_addresses` are unset).",
			},
			"assigned_ipv4_prefixes": schema.SetAttribute{
				Computed:      true,
				ElementType:   types.StringType,
				PlanModifiers: []planmodifier.Set{assignedUnlessArgumentsChange{ipv4PrefixKind}},
				MarkdownDescription: "Every IPv4 prefix of the ENI, whoever assigned it (this resource, or anything " +
					"outside Terraform when `ipv4_prefix_count` and `ipv4_prefixes` are unset).",
			},
		},
		Blocks: map[string]schema.Block{
			"attachment": inlineAttachmentBlock(),
			"timeouts":   r.timeouts.block(ctx),
		},
	}
}

func (r *networkInterfaceResource) ConfigValidators(context.Context) []resource.ConfigValidator {
	return []resource.ConfigValidator{
		resourcevalidator.Conflicting(path.MatchRoot("secondary_private_ip_count"), path.MatchRoot("secondary_private_ips")),
		resourcevalidator.Conflicting(path.MatchRoot("ipv6_address_count"), path.MatchRoot("ipv6_addresses")),
		resourcevalidator.Conflicting(path.MatchRoot("ipv4_prefix_count"), path.MatchRoot("ipv4_prefixes")),
		inlineAttachmentNeedsInstance{},
	}
}

func (r *networkInterfaceResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan networkInterfaceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, timeout := r.createContext(ctx, plan.Timeouts, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}

	in := ecs.CreateCreateNetworkInterfaceRequest()
	in.VSwitchId = plan.VSwitchID.ValueString()
	groups := setStrings(ctx, plan.SecurityGroupIDs, &resp.Diagnostics)
	in.SecurityGroupIds = &groups
	in.PrimaryIpAddress = plan.PrimaryIPAddress.ValueString()
	in.NetworkInterfaceName = plan.Name.ValueString()
	in.Description = plan.Description.ValueString()
	in.ResourceGroupId = plan.ResourceGroupID.ValueString()
	in.NetworkInterfaceTrafficMode = plan.TrafficMode.ValueString()
	if !plan.QueueNumber.IsNull() && !plan.QueueNumber.IsUnknown() {
		in.QueueNumber = requests.NewInteger(int(plan.QueueNumber.ValueInt64()))
	}
	if !plan.DeleteOnRelease.IsNull() && !plan.DeleteOnRelease.IsUnknown() {
		in.DeleteOnRelease = requests.NewBoolean(plan.DeleteOnRelease.ValueBool())
	}
	if ips := setStrings(ctx, plan.SecondaryPrivateIPs, &resp.Diagnostics); len(ips) > 0 {
		in.PrivateIpAddress = &ips
	}
	if n := plan.SecondaryPrivateIPCount.ValueInt64(); n > 0 {
		in.SecondaryPrivateIpAddressCount = requests.NewInteger(int(n))
	}
	if ips := setStrings(ctx, plan.IPv6Addresses, &resp.Diagnostics); len(ips) > 0 {
		in.Ipv6Address = &ips
	}
	if n := plan.IPv6AddressCount.ValueInt64(); n > 0 {
		in.Ipv6AddressCount = requests.NewInteger(int(n))
	}
	// One request assigns secondary IPv4 addresses or IPv4 prefixes, not
	// both (domain.IPv4AddressMix): with both, the prefixes follow the
	// create in an assign of their own.
	prefixesLater := (in.PrivateIpAddress != nil || plan.SecondaryPrivateIPCount.ValueInt64() > 0) &&
		(len(plan.IPv4Prefixes.Elements()) > 0 || plan.IPv4PrefixCount.ValueInt64() > 0)
	if prefixes := setStrings(ctx, plan.IPv4Prefixes, &resp.Diagnostics); len(prefixes) > 0 && !prefixesLater {
		in.Ipv4Prefix = &prefixes
	}
	if n := plan.IPv4PrefixCount.ValueInt64(); n > 0 && !prefixesLater {
		in.Ipv4PrefixCount = requests.NewInteger(int(n))
	}
	if tags := r.wantedTags(ctx, plan, &resp.Diagnostics); len(tags) > 0 {
		list := make([]ecs.CreateNetworkInterfaceTag, 0, len(tags))
		for k, v := range tags {
			list = append(list, ecs.CreateNetworkInterfaceTag{Key: k, Value: v})
		}
		in.Tag = &list
	}
	if resp.Diagnostics.HasError() {
		return
	}
	out, err := r.client.CreateNetworkInterface(ctx, in)
	if err != nil {
		resp.Diagnostics.AddError("creating network interface", err.Error())
		return
	}
	id := out.NetworkInterfaceId
	// Record the ID before waiting: if the wait fails, the ENI is tainted
	// in state instead of leaked.
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
	tflog.Info(ctx, "created network interface", map[string]any{"id": id})
	if r.plans != nil {
		// Its plan had no ID to record this under; an eni_private_ip
		// naming the ENI is planned now that it has one.
		r.plans.Applied.createdENI(id, ownsIPsArgument(plan))
	}

	eni, err := r.client.WaitNetworkInterfaceAvailable(ctx, id, timeout)
	if err != nil {
		resp.Diagnostics.AddError(fmt.Sprintf("waiting for network interface (%s) to become Available", id), err.Error())
		return
	}
	if prefixesLater {
		if _, err := r.convergeAddresses(ctx, id, plan, []addressKind{ipv4PrefixKind}, timeout, &resp.Diagnostics); err != nil {
			resp.Diagnostics.AddError(fmt.Sprintf("assigning IPv4 prefixes to network interface (%s)", id), err.Error())
			return
		}
		if eni, err = r.client.FindNetworkInterfaceByID(ctx, id); err != nil {
			resp.Diagnostics.AddError(fmt.Sprintf("reading network interface (%s)", id), err.Error())
			return
		}
	}
	binding := plan.Attachment
	plan.Attachment = nil // recorded once bound
	planned := plan
	r.fill(ctx, &plan, eni, &resp.Diagnostics)
	keepPlannedTags(&plan, planned)
	resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
	if binding == nil || resp.Diagnostics.HasError() {
		return
	}
	accepted := func() {
		// Bound, or being bound: an interrupted wait leaves the binding
		// recorded (the ENI is tainted and replaced by the next apply).
		recorded := plan
		recorded.Attachment = binding
		resp.Diagnostics.Append(resp.State.Set(ctx, recorded)...)
	}
	if eni, err = r.bind(ctx, id, binding, timeout, accepted); err != nil {
		resp.Diagnostics.AddError(fmt.Sprintf("binding network interface (%s)", id), err.Error())
		return
	}
	plan.Attachment = binding
	r.fill(ctx, &plan, eni, &resp.Diagnostics)
	keepPlannedTags(&plan, planned)
	resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
}

func (r *networkInterfaceResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state networkInterfaceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	eni, err := r.client.FindNetworkInterfaceByID(ctx, state.ID.ValueString())
	if cloud.IsNotFound(err) {
		resp.Diagnostics.AddWarning("Network interface gone",
			fmt.Sprintf("Network interface %s no longer exists; removing it from state so the next apply creates it again.", state.ID.ValueString()))
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.AddError(fmt.Sprintf("reading network interface (%s)", state.ID.ValueString()), err.Error())
		return
	}
	if r.plans != nil {
		// Its addresses are judged by what its plan claims, not as held
		// by an ENI outside the plan (a tainted ENI's replacement may
		// take them).
		r.plans.Claims.addresses().noteManaged(state.ID.ValueString())
	}
	r.fill(ctx, &state, eni, &resp.Diagnostics)
	resp.Diagnostics.Append(resp.State.Set(ctx, state)...)
}

func (r *networkInterfaceResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state networkInterfaceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, timeout := r.updateContext(ctx, plan.Timeouts, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}
	id := state.ID.ValueString()

	if mod, changed := r.attributeChanges(ctx, id, plan, state, &resp.Diagnostics); changed && !resp.Diagnostics.HasError() {
		if _, err := r.client.ModifyNetworkInterfaceAttribute(ctx, mod); err != nil {
			resp.Diagnostics.AddError(fmt.Sprintf("updating network interface (%s)", id), err.Error())
			return
		}
	}
	if resp.Diagnostics.HasError() {
		return
	}
	if held, err := r.convergeAddresses(ctx, id, plan, addressKinds, timeout, &resp.Diagnostics); err != nil {
		resp.Diagnostics.AddError(fmt.Sprintf("updating the addresses of network interface (%s)", id), err.Error())
		if held != nil {
			r.recordPartialUpdate(ctx, plan, state, held, resp)
		}
		return
	}
	if err := r.updateTags(ctx, id, appliedTags(ctx, state, &resp.Diagnostics), r.wantedTags(ctx, plan, &resp.Diagnostics)); err != nil {
		resp.Diagnostics.AddError(fmt.Sprintf("updating tags of network interface (%s)", id), err.Error())
		return
	}
	if err := r.rebind(ctx, id, plan.Attachment, state.Attachment, timeout); err != nil {
		resp.Diagnostics.AddError(fmt.Sprintf("binding network interface (%s)", id), err.Error())
		return
	}
	eni, err := r.client.FindNetworkInterfaceByID(ctx, id)
	if err != nil {
		resp.Diagnostics.AddError(fmt.Sprintf("reading network interface (%s)", id), err.Error())
		return
	}
	planned := plan
	r.fill(ctx, &plan, eni, &resp.Diagnostics)
	keepPlanned(&plan, planned)
	keepPlannedTags(&plan, planned)
	resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
}

// keepPlanned keeps, after an update, the planned values of what other
// resources of the same apply may change while this one updates: the
// binding (an attachment) and the addresses (eni_private_ip), when the
// plan kept them from state. Recording the API's newer value would break
// the plan's promise; the next refresh records it.
func keepPlanned(m *networkInterfaceModel, planned networkInterfaceModel) {
	if known(planned.Status) {
		m.Status = planned.Status
	}
	if known(planned.InstanceID) {
		m.InstanceID = planned.InstanceID
	}
	for _, k := range addressKinds {
		if p := *k.fields(&planned).assigned; !p.IsUnknown() && !p.IsNull() {
			*k.fields(m).assigned = p
		}
	}
}

// recordPartialUpdate writes the state of an update that stopped while
// changing addresses (an error, or Terraform interrupted): the planned
// attributes, with what the plan left unknown taken from the prior state,
// and the addresses the ENI holds as far as the calls made tell (held, by
// kind). The next plan then shows the remaining difference instead of
// leaving addresses that no state knows.
func (r *networkInterfaceResource) recordPartialUpdate(ctx context.Context, plan, state networkInterfaceModel, held map[string][]string, resp *resource.UpdateResponse) {
	m := plan
	keep := func(p *types.String, s types.String) {
		if p.IsUnknown() {
			*p = s
		}
	}
	for _, pair := range []struct {
		p *types.String
		s types.String
	}{{&m.Name, state.Name}, {&m.Description, state.Description}, {&m.TrafficMode, state.TrafficMode},
		{&m.ResourceGroupID, state.ResourceGroupID}, {&m.VPCID, state.VPCID}, {&m.ZoneID, state.ZoneID},
		{&m.MACAddress, state.MACAddress}, {&m.Status, state.Status}, {&m.Type, state.Type},
		{&m.InstanceID, state.InstanceID}, {&m.ID, state.ID}, {&m.PrimaryIPAddress, state.PrimaryIPAddress}} {
		keep(pair.p, pair.s)
	}
	if m.QueueNumber.IsUnknown() {
		m.QueueNumber = state.QueueNumber
	}
	if m.DeleteOnRelease.IsUnknown() {
		m.DeleteOnRelease = state.DeleteOnRelease
	}
	m.Tags = state.Tags             // changed after the addresses, so not yet
	m.TagsAll = state.TagsAll       // likewise
	m.Attachment = state.Attachment // likewise
	for _, k := range addressKinds {
		f := k.fields(&m)
		list, ok := held[k.listArg]
		if !ok {
			// Not changed by this update: as before it.
			*f.assigned = *k.fields(&state).assigned
			if f.assigned.IsUnknown() || f.assigned.IsNull() {
				*f.assigned = types.SetValueMust(types.StringType, nil)
			}
			continue
		}
		recordHeld(ctx, f, list, &resp.Diagnostics)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, m)...)
}

func (r *networkInterfaceResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state networkInterfaceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, timeout := r.deleteContext(ctx, state.Timeouts, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}
	id := state.ID.ValueString()
	if state.Attachment != nil {
		if err := r.unbind(ctx, id, state.Attachment, timeout); err != nil {
			resp.Diagnostics.AddError(fmt.Sprintf("deleting network interface (%s)", id), err.Error())
			return
		}
	}
	if err := r.delete(ctx, id, timeout); err != nil {
		resp.Diagnostics.AddError(fmt.Sprintf("deleting network interface (%s)", id), err.Error())
	}
}

// delete detaches the ENI if something bound it, deletes it and waits
// until it is gone. An ENI that is already gone is success.
func (r *networkInterfaceResource) delete(ctx context.Context, id string, timeout time.Duration) error {
	eni, err := r.client.FindNetworkInterfaceByID(ctx, id)
	if cloud.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return err
	}
	switch eni.Status {
	case domain.ENIStatusAttaching, domain.ENIStatusDetaching:
		if eni, err = r.client.WaitNetworkInterfaceSettled(ctx, id, timeout); err != nil {
			return err
		}
	case domain.ENIStatusDeleting:
		return r.client.WaitNetworkInterfaceDeleted(ctx, id, timeout)
	}
	if eni.Status == domain.ENIStatusInUse {
		// Bound outside this configuration (an attachment resource is
		// destroyed first): unbind it, as deleting an InUse ENI is refused.
		instanceID := viewOf(eni).InstanceID
		tflog.Info(ctx, "detaching network interface before deleting it", map[string]any{"id": id, "instance_id": instanceID})
		det := ecs.CreateDetachNetworkInterfaceRequest()
		det.NetworkInterfaceId, det.InstanceId = id, instanceID
		if _, err := r.client.DetachNetworkInterface(ctx, det); err != nil && !cloud.IsNotFound(err) {
			return fmt.Errorf("detaching from instance %s first: %w", instanceID, err)
		}
		if _, err := r.client.WaitNetworkInterfaceAvailable(ctx, id, timeout); err != nil {
			return err
		}
		// An attach killed between stop and start left the instance
		// stopped: whatever we stop, we start again.
		if err := restartIfMarked(ctx, r.client, instanceID, "attach "+id, timeout); err != nil {
			return err
		}
	}
	// An EIP still on the ENI (one moved here outside Terraform, or whose
	// association is not in this configuration) blocks the delete: the
	// ENI's deletion frees it, as deleting it would anyway.
	for _, allocID := range associatedEIPs(eni) {
		tflog.Info(ctx, "unassociating an EIP before deleting the network interface", map[string]any{"id": id, "allocation_id": allocID})
		if err := unassociateEIP(ctx, r.client, allocID, id, timeout); err != nil {
			return fmt.Errorf("unassociating EIP %s first: %w", allocID, err)
		}
	}
	del := ecs.CreateDeleteNetworkInterfaceRequest()
	del.NetworkInterfaceId = id
	if _, err := r.client.DeleteNetworkInterface(ctx, del); err != nil {
		if cloud.IsNotFound(err) {
			return nil
		}
		return err
	}
	return r.client.WaitNetworkInterfaceDeleted(ctx, id, timeout)
}

// fill copies what the API reports into the model. The address arguments
// are refreshed only in the style the configuration uses (recordHeld).
func (r *networkInterfaceResource) fill(ctx context.Context, m *networkInterfaceModel, e *ecs.NetworkInterfaceSet, diags *diag.Diagnostics) {
	v := viewOf(e)
	m.ID = types.StringValue(v.ID)
	m.VSwitchID = types.StringValue(v.VSwitchID)
	m.SecurityGroupIDs = stringSet(ctx, v.SecurityGroupIDs, diags)
	m.Name = types.StringValue(v.Name)
	m.Description = types.StringValue(v.Description)
	m.PrimaryIPAddress = types.StringValue(v.PrimaryIP)
	m.QueueNumber = queueNumberValue(v.QueueNumber)
	m.TrafficMode = types.StringValue(v.TrafficMode)
	m.DeleteOnRelease = types.BoolValue(v.DeleteOnRelease)
	m.ResourceGroupID = types.StringValue(v.ResourceGroupID)
	m.VPCID = types.StringValue(v.VPCID)
	m.ZoneID = types.StringValue(v.ZoneID)
	m.MACAddress = types.StringValue(v.MAC)
	m.Status = types.StringValue(v.Status)
	m.Type = types.StringValue(v.Type)
	m.InstanceID = types.StringValue(v.InstanceID)
	for _, k := range addressKinds {
		recordHeld(ctx, k.fields(m), k.held(v), diags)
	}
	r.fillTags(ctx, m, v.Tags, diags)
	fillInlineAttachment(m, v, e.Attachment.NetworkCardIndex)
}

// recordHeld records what the ENI holds of one kind of address: the
// computed set always, and the argument the configuration uses (count or
// list) only when it sets one, so a resource that leaves the addresses
// alone never shows a diff for them.
func recordHeld(ctx context.Context, f addressFields, held []string, diags *diag.Diagnostics) {
	*f.assigned = stringSet(ctx, held, diags)
	if !f.count.IsNull() {
		*f.count = types.Int64Value(int64(len(held)))
	}
	if !f.list.IsNull() {
		*f.list = *f.assigned
	}
}

// queueNumberValue maps the API's 0 (never set on an unbound ENI) to null,
// so the state never holds a value the argument would refuse.
func queueNumberValue(n int64) types.Int64 {
	if n <= 0 {
		return types.Int64Null()
	}
	return types.Int64Value(n)
}

// associatedEIPs lists the allocation IDs of the EIPs on any address of
// the ENI.
func associatedEIPs(e *ecs.NetworkInterfaceSet) []string {
	var out []string
	add := func(id string) {
		if id != "" && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	add(e.AssociatedPublicIp.AllocationId)
	for _, s := range e.PrivateIpSets.PrivateIpSet {
		add(s.AssociatedPublicIp.AllocationId)
	}
	return out
}
