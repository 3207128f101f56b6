package eni

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"
	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/openeni/terraform-provider-eni/internal/cloud"
	"github.com/openeni/terraform-provider-eni/internal/domain"
)

var (
	_ resource.ResourceWithConfigure   = (*eipAssociationResource)(nil)
	_ resource.ResourceWithImportState = (*eipAssociationResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*eipAssociationResource)(nil)
)

// Default timeouts of eni_eip_association.
const (
	eipAssociationCreateTimeout = 10 * time.Minute
	eipAssociationDeleteTimeout = 10 * time.Minute
)

// codeTaskConflict: another task runs on the EIP; worth retrying.
const codeTaskConflict = "TaskConflict"

func newEIPAssociationResource() resource.Resource {
	return &eipAssociationResource{resourceBase: resourceBase{typeName: "_eip_association",
		timeouts: operationTimeouts{create: eipAssociationCreateTimeout, delete: eipAssociationDeleteTimeout}}}
}

type eipAssociationResource struct {
	resourceBase
}

type eipAssociationModel struct {
	ID                 types.String   `tfsdk:"id"`
	AllocationID       types.String   `tfsdk:"allocation_id"`
	NetworkInterfaceID types.String   `tfsdk:"network_interface_id"`
	PrivateIPAddress   types.String   `tfsdk:"private_ip_address"`
	Mode               types.String   `tfsdk:"mode"`
	IPAddress          types.String   `tfsdk:"ip_address"`
	Status             types.String   `tfsdk:"status"`
	Timeouts           timeouts.Value `tfsdk:"timeouts"`
}

func (r *eipAssociationResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Associates an EIP with one private IP of an ENI, so that one instance can expose " +
			"several public IPs. The association stays when the ENI moves to another instance. Plan checks that " +
			"the EIP exists in the provider's region and is free (or held by this association, which the plan then " +
			"puts back where it is configured), that no other association of the configuration names it, that the " +
			"private IP belongs to the ENI (or is added by an `eni_private_ip` of the same plan) and the rules of " +
			"the association mode.",
		Attributes: map[string]schema.Attribute{
			// Required
			"allocation_id": requiredReplaceString("Allocation ID of the EIP, such as `eip-bp1...`. Changing it replaces the association."),
			"network_interface_id": requiredReplaceString("ENI the EIP is associated with. Changing it replaces the association. " +
				"After a refresh that found the EIP moved outside Terraform, state holds what it is associated with now " +
				"(another ENI, or an instance), and the plan puts it back."),
			// Optional
			"private_ip_address": optionalReplaceIPv4("Private IP of the ENI the EIP maps to. Omitted: the ENI's primary " +
				"IP. To use a secondary IP added by `eni_private_ip`, set it to that resource's `ip_address`. Changing " +
				"it replaces the association."),
			"mode": schema.StringAttribute{
				Optional:   true,
				Computed:   true,
				Default:    stringdefault.StaticString(domain.EIPModeNAT),
				Validators: []validator.String{stringvalidator.OneOf(domain.EIPModes...)},
				PlanModifiers: []planmodifier.String{
					stringplanmodifier.RequiresReplace(),
				},
				MarkdownDescription: "Association mode: `" + strings.Join(domain.EIPModes, "`, `") + "`. `NAT` (the " +
					"default) maps one EIP to each private IP, invisible inside the OS. `MULTI_BINDED` " +
					"(multi-EIP-to-ENI) makes the EIPs visible in the OS, allows at most 10 per ENI, needs a secondary " +
					"ENI that is not bound to an instance and is offered in " +
					strings.Join(domain.MultiEIPRegions(), ", ") + ". `BINDED` (cut-through) allows one EIP per " +
					"secondary ENI that is not bound to an instance. Changing it replaces the association.",
			},
			// Computed
			"id":         computedString("`<allocation_id>:<network_interface_id>`.", true),
			"ip_address": computedString("The public IP address of the EIP.", true),
			"status":     computedString("Status of the EIP: `InUse` once associated.", false),
		},
		Blocks: map[string]schema.Block{
			"timeouts": r.timeouts.block(ctx),
		},
	}
}

func eipAssociationID(allocationID, eniID string) string { return allocationID + ":" + eniID }

// boundTo reports whether an EIP is associated (or associating) with the
// ENI, at privateIP when that is given.
func boundTo(eip *vpc.EipAddress, eniID, privateIP string) bool {
	if eip.InstanceId != eniID || (eip.Status != domain.EIPStatusInUse && eip.Status != domain.EIPStatusAssociating) {
		return false
	}
	return privateIP == "" || eip.PrivateIpAddress == "" || eip.PrivateIpAddress == privateIP
}

func (r *eipAssociationResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan eipAssociationModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, timeout := r.createContext(ctx, plan.Timeouts, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}
	c := r.meta.Client
	allocID, eniID := plan.AllocationID.ValueString(), plan.NetworkInterfaceID.ValueString()
	summary := fmt.Sprintf("associating EIP (%s) with network interface (%s)", allocID, eniID)

	unlock, err := lockENI(ctx, c, eniID)
	if err != nil {
		resp.Diagnostics.AddError(summary, err.Error())
		return
	}
	defer unlock()
	ip, err := r.associate(ctx, allocID, eniID, plan.PrivateIPAddress, plan.Mode.ValueString(), timeout)
	if err != nil {
		resp.Diagnostics.AddError(summary, err.Error())
		return
	}
	plan.PrivateIPAddress = types.StringValue(ip)
	// Record the association before waiting: a failed or interrupted wait
	// taints it, and destroying it then needs everything that names it.
	recorded := plan
	recorded.ID = types.StringValue(eipAssociationID(allocID, eniID))
	recorded.IPAddress, recorded.Status = types.StringNull(), types.StringValue(domain.EIPStatusAssociating)
	if !known(recorded.Mode) {
		recorded.Mode = types.StringNull()
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, recorded)...)
	tflog.Info(ctx, "associated EIP", map[string]any{"allocation_id": allocID, "network_interface_id": eniID, "private_ip": ip})

	eip, err := c.WaitEIPStatus(ctx, allocID, domain.EIPStatusInUse, timeout)
	if err != nil {
		resp.Diagnostics.AddError(fmt.Sprintf("waiting for EIP (%s) to become InUse", allocID), err.Error())
		return
	}
	if !boundTo(eip, eniID, ip) {
		resp.Diagnostics.AddError(summary, fmt.Sprintf("EIP %s became InUse, but on %s %s (private IP %s), not on %s.",
			allocID, eip.InstanceType, eip.InstanceId, eip.PrivateIpAddress, eniID))
		return
	}
	r.fill(&plan, eip)
	resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
}

// associate calls AssociateEipAddress and returns the private IP the EIP
// maps to (the ENI's primary IP when planned not known). An EIP already
// associating or associated with exactly this target (the plan allows
// that) is adopted.
func (r *eipAssociationResource) associate(ctx context.Context, allocID, eniID string, planned types.String, mode string, timeout time.Duration) (string, error) {
	c := r.meta.Client
	eni, err := c.FindNetworkInterfaceByID(ctx, eniID)
	if err != nil {
		return "", err
	}
	// An ENI being attached or detached (an attachment of the same apply)
	// cannot take an EIP: let it settle first.
	if eni.Status == domain.ENIStatusAttaching || eni.Status == domain.ENIStatusDetaching {
		if _, err := c.WaitNetworkInterfaceSettled(ctx, eniID, timeout); err != nil {
			return "", err
		}
	}
	ip := eni.PrivateIpAddress
	if known(planned) {
		ip = planned.ValueString()
	}
	req := vpc.CreateAssociateEipAddressRequest()
	req.AllocationId = allocID
	req.InstanceId = eniID
	req.InstanceType = cloud.EIPTargetNetworkInterface
	req.PrivateIpAddress = ip
	req.Mode = mode
	// An EIP already on this target is success in the client (its confirmer).
	_, err = c.AssociateEipAddress(ctx, req, cloud.RetryOn(cloud.CodeEniStatusNotSupportedEIP, codeTaskConflict))
	return ip, err
}

func (r *eipAssociationResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state eipAssociationModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	allocID, eniID := state.AllocationID.ValueString(), state.NetworkInterfaceID.ValueString()
	ip := state.PrivateIPAddress.ValueString()
	eip, err := r.meta.Client.FindEIPByAllocationID(ctx, allocID)
	if cloud.IsNotFound(err) {
		resp.Diagnostics.AddWarning("EIP association gone",
			fmt.Sprintf("EIP %s no longer exists; removing its association with network interface %s from state.", allocID, eniID))
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.AddError(fmt.Sprintf("reading EIP (%s)", allocID), err.Error())
		return
	}
	leaving := eip.Status == domain.EIPStatusUnassociating && eip.InstanceId == eniID
	switch {
	case boundTo(eip, eniID, ip) || leaving:
		resp.Diagnostics.Append(resp.Private.SetKey(ctx, eipMovedKey, nil)...)
	case eip.Status == domain.EIPStatusInUse || eip.Status == domain.EIPStatusAssociating:
		// Moved outside Terraform: state says where the EIP is now, so
		// that the plan shows the difference and replaces the
		// association (its destroy unassociates the EIP there, its
		// create associates it as configured). ModifyPlan explains.
		state.NetworkInterfaceID = types.StringValue(eip.InstanceId)
		if eip.PrivateIpAddress != "" {
			state.PrivateIPAddress = types.StringValue(eip.PrivateIpAddress)
		}
		moved, err := json.Marshal(eipMoved{InstanceType: eip.InstanceType, FromNetworkInterfaceID: eniID, FromPrivateIP: ip})
		if err != nil {
			resp.Diagnostics.AddError("recording a moved EIP", err.Error())
			return
		}
		resp.Diagnostics.Append(resp.Private.SetKey(ctx, eipMovedKey, moved)...)
	default:
		now := "not associated with anything"
		if eip.InstanceId != "" {
			now = fmt.Sprintf("%s from %s %s", eip.Status, eip.InstanceType, eip.InstanceId)
		}
		resp.Diagnostics.AddWarning("EIP association gone",
			fmt.Sprintf("EIP %s is no longer associated with network interface %s (private IP %s): it is %s. "+
				"Removing the association from state so that the next apply associates it again.", allocID, eniID, ip, now))
		resp.State.RemoveResource(ctx)
		return
	}
	r.fill(&state, eip)
	resp.Diagnostics.Append(resp.State.Set(ctx, state)...)
}

// eipMovedKey is the private state key under which Read records that the
// EIP was found associated somewhere else than state said (eipMoved):
// state then says where it is, and the plan puts it back.
const eipMovedKey = "eip_moved"

type eipMoved struct {
	// InstanceType of what the EIP is associated with now.
	InstanceType string `json:"instance_type"`
	// Where state had it before.
	FromNetworkInterfaceID string `json:"from_network_interface_id"`
	FromPrivateIP          string `json:"from_private_ip"`
}

// Update only takes new timeouts: every other argument replaces.
func (r *eipAssociationResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan eipAssociationModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
}

func (r *eipAssociationResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state eipAssociationModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, timeout := r.deleteContext(ctx, state.Timeouts, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}
	allocID, eniID := state.AllocationID.ValueString(), state.NetworkInterfaceID.ValueString()
	if err := unassociateEIP(ctx, r.meta.Client, allocID, eniID, timeout); err != nil {
		resp.Diagnostics.AddError(fmt.Sprintf("unassociating EIP (%s) from network interface (%s)", allocID, eniID), err.Error())
	}
}

// unassociateEIP removes the EIP from the ENI (eniID is whatever state
// says the EIP is associated with: after a refresh that found it moved,
// the other ENI or instance) and waits until it has left. The private IP
// does not matter: an EIP moved to another address of the same ENI is
// this association's still, and left there it would block the deletion
// of the ENI. An EIP already gone, free or associated with something
// else is success. The deletion of an ENI that an EIP was moved to
// outside Terraform uses it too.
func unassociateEIP(ctx context.Context, c *cloud.Client, allocID, eniID string, timeout time.Duration) error {
	unlock, err := lockENI(ctx, c, eniID)
	if err != nil {
		return err
	}
	defer unlock()
	eip, err := c.FindEIPByAllocationID(ctx, allocID)
	if cloud.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return err
	}
	switch {
	case eip.Status == domain.EIPStatusUnassociating && eip.InstanceId == eniID:
		return c.WaitEIPLeft(ctx, allocID, eniID, timeout)
	case !boundTo(eip, eniID, ""):
		return nil
	case eip.Status == domain.EIPStatusAssociating:
		if eip, err = c.WaitEIPStatus(ctx, allocID, domain.EIPStatusInUse, timeout); err != nil {
			return err
		}
	}
	req := vpc.CreateUnassociateEipAddressRequest()
	req.AllocationId = allocID
	req.InstanceId = eniID
	req.InstanceType = eip.InstanceType
	if req.InstanceType == "" {
		req.InstanceType = cloud.EIPTargetNetworkInterface
	}
	req.PrivateIpAddress = eip.PrivateIpAddress
	// A refusal because the EIP has left already (a lost reply, or a
	// change under our feet) is success: the client's confirmer reads it.
	if _, err = c.UnassociateEipAddress(ctx, req, cloud.RetryOn(codeTaskConflict)); err != nil {
		return ignoreNotFound(err)
	}
	return c.WaitEIPLeft(ctx, allocID, eniID, timeout)
}

func ignoreNotFound(err error) error {
	if cloud.IsNotFound(err) {
		return nil
	}
	return err
}

func (r *eipAssociationResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	allocID, eniID, ok := strings.Cut(req.ID, ":")
	if !ok || allocID == "" || !strings.HasPrefix(eniID, "eni-") {
		resp.Diagnostics.AddError("Invalid import ID",
			fmt.Sprintf("%q is not <allocation-id>:<network-interface-id>; import with an ID such as "+
				"eip-bp1234567890abcdef:eni-bp1234567890abcdef.", req.ID))
		return
	}
	eip, err := r.meta.Client.FindEIPByAllocationID(ctx, allocID)
	if err != nil {
		resp.Diagnostics.AddError(fmt.Sprintf("reading EIP (%s)", allocID), err.Error())
		return
	}
	if !boundTo(eip, eniID, "") {
		resp.Diagnostics.AddError("Cannot import EIP association",
			fmt.Sprintf("EIP %s is %s and not associated with network interface %s (it is bound to %q); there is no "+
				"such association to import.", allocID, eip.Status, eniID, eip.InstanceId))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), req.ID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("allocation_id"), allocID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("network_interface_id"), eniID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("private_ip_address"), eip.PrivateIpAddress)...)
}

// fill copies what the API reports of the EIP into the model.
func (r *eipAssociationResource) fill(m *eipAssociationModel, eip *vpc.EipAddress) {
	m.ID = types.StringValue(eipAssociationID(m.AllocationID.ValueString(), m.NetworkInterfaceID.ValueString()))
	m.IPAddress = types.StringValue(eip.IpAddress)
	m.Status = types.StringValue(eip.Status)
	if eip.PrivateIpAddress != "" {
		m.PrivateIPAddress = types.StringValue(eip.PrivateIpAddress)
	}
	if eip.Mode != "" {
		m.Mode = types.StringValue(eip.Mode)
	} else if !known(m.Mode) {
		m.Mode = types.StringValue(domain.EIPModeNAT)
	}
}
