package eni

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/openeni/terraform-provider-eni/internal/cloud"
	"github.com/openeni/terraform-provider-eni/internal/domain"
	"github.com/openeni/terraform-provider-eni/internal/validate"
)

// eipDestroyHint ends every plan-time error of eni_eip_association.
// Terraform's pre-destroy refresh is a normal plan: it plans the
// associations that do not exist yet and stops at the same errors.
const eipDestroyHint = " " + validate.DestroyHint + "."

// ModifyPlan plans the default private IP (the ENI's primary IP), records
// the association in the plan registry and checks it, for a new
// association; an existing one is either kept (it claims its EIP),
// replaced (every argument replaces, and a refresh that found the EIP
// moved records where it is now) or destroyed (it records that its EIP
// is released, so that no other association of the plan loses it).
// Terraform plans a replacement a second time as a create, without prior
// state, and that plan runs the checks. Checks whose facts are unknown
// wait for the plan Terraform makes just before applying.
func (r *eipAssociationResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if r.meta == nil || (req.Plan.Raw.IsNull() && req.State.Raw.IsNull()) {
		return
	}
	if req.Plan.Raw.IsNull() {
		var state eipAssociationModel
		resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
		if !resp.Diagnostics.HasError() {
			r.claimRelease(state, &resp.Diagnostics)
		}
		return
	}
	if !req.State.Raw.IsNull() {
		r.planExisting(ctx, req, resp)
		return
	}
	var diags diag.Diagnostics
	r.planCreate(ctx, req, resp, &diags)
	for _, d := range diags {
		if d.Severity() != diag.SeverityError {
			resp.Diagnostics.Append(d)
			continue
		}
		if p, ok := d.(diag.DiagnosticWithPath); ok {
			resp.Diagnostics.AddAttributeError(p.Path(), d.Summary(), d.Detail()+eipDestroyHint)
		} else {
			resp.Diagnostics.AddError(d.Summary(), d.Detail()+eipDestroyHint)
		}
	}
}

func (r *eipAssociationResource) planCreate(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse, diags *diag.Diagnostics) {
	var plan eipAssociationModel
	diags.Append(req.Plan.Get(ctx, &plan)...)
	var configured types.String
	diags.Append(req.Config.GetAttribute(ctx, path.Root("private_ip_address"), &configured)...)
	if diags.HasError() {
		return
	}
	c := r.meta.Client
	var eni *ecs.NetworkInterfaceSet
	if known(plan.NetworkInterfaceID) {
		eniID := plan.NetworkInterfaceID.ValueString()
		var err error
		eni, err = c.FindNetworkInterfaceByID(ctx, eniID)
		if cloud.IsNotFound(err) {
			diags.AddAttributeError(path.Root("network_interface_id"), "Network interface not found",
				fmt.Sprintf("Network interface %s does not exist in region %s. Use the ID of an existing ENI, or "+
					"reference an eni_network_interface resource.", eniID, c.Region()))
			return
		}
		if err != nil {
			diags.AddAttributeError(path.Root("network_interface_id"), fmt.Sprintf("reading network interface (%s)", eniID), err.Error())
			return
		}
		if configured.IsNull() {
			plan.PrivateIPAddress = types.StringValue(eni.PrivateIpAddress)
		}
		if known(plan.AllocationID) {
			plan.ID = types.StringValue(eipAssociationID(plan.AllocationID.ValueString(), eniID))
		}
		diags.Append(resp.Plan.Set(ctx, plan)...)
	}
	if known(plan.AllocationID) {
		self := validate.EIPClaim{PrivateIP: knownOrEmpty(plan.PrivateIPAddress)}
		if eni != nil {
			self.NetworkInterfaceID = eni.NetworkInterfaceId
		}
		r.claimHolder(plan.AllocationID.ValueString(), self, diags)
	}
	r.check(ctx, plan, knownOrEmpty(configured), eni, diags)
}

// planExisting handles an association in state: a kept one claims its
// EIP; a replaced one records where its EIP is, so that the create of the
// replacement may take it from there, and warns when a refresh found the
// EIP moved outside Terraform.
func (r *eipAssociationResource) planExisting(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	var state, plan eipAssociationModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	var configured types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("private_ip_address"), &configured)...)
	if resp.Diagnostics.HasError() {
		return
	}
	var moved *eipMoved
	if raw, d := req.Private.GetKey(ctx, eipMovedKey); !d.HasError() && len(raw) > 0 {
		moved = &eipMoved{}
		if err := json.Unmarshal(raw, moved); err != nil {
			moved = nil
		}
	}
	// Moved to another address of the same ENI, with private_ip_address
	// not set: put it back on the primary IP (the plan would keep the
	// address from state).
	if moved != nil && configured.IsNull() && known(plan.NetworkInterfaceID) && plan.NetworkInterfaceID.Equal(state.NetworkInterfaceID) {
		eni, err := r.meta.Client.FindNetworkInterfaceByID(ctx, plan.NetworkInterfaceID.ValueString())
		if err == nil && eni.PrivateIpAddress != state.PrivateIPAddress.ValueString() {
			plan.PrivateIPAddress = types.StringValue(eni.PrivateIpAddress)
			resp.RequiresReplace.Append(path.Root("private_ip_address"))
			resp.Diagnostics.Append(resp.Plan.Set(ctx, plan)...)
		}
	}
	allocID := state.AllocationID.ValueString()
	replaced := !plan.AllocationID.Equal(state.AllocationID) || !plan.NetworkInterfaceID.Equal(state.NetworkInterfaceID) ||
		!plan.PrivateIPAddress.Equal(state.PrivateIPAddress) || !plan.Mode.Equal(state.Mode)
	if !replaced {
		self := validate.EIPClaim{NetworkInterfaceID: state.NetworkInterfaceID.ValueString(), PrivateIP: state.PrivateIPAddress.ValueString()}
		var diags diag.Diagnostics
		r.claimHolder(allocID, self, &diags)
		for _, d := range diags {
			resp.Diagnostics.AddAttributeError(path.Root("allocation_id"), d.Summary(), d.Detail()+eipDestroyHint)
		}
		return
	}
	if plan.AllocationID.Equal(state.AllocationID) {
		from := validate.EIPClaim{NetworkInterfaceID: state.NetworkInterfaceID.ValueString(), PrivateIP: state.PrivateIPAddress.ValueString()}
		to := validate.EIPClaim{NetworkInterfaceID: knownOrEmpty(plan.NetworkInterfaceID), PrivateIP: knownOrEmpty(configured)}
		r.meta.Plans.Claims.eips.replace(allocID, from, to)
	} else {
		r.claimRelease(state, &resp.Diagnostics)
	}
	if moved != nil {
		target := "the configured network interface"
		if known(plan.NetworkInterfaceID) {
			target = "network interface " + plan.NetworkInterfaceID.ValueString()
		}
		resp.Diagnostics.AddAttributeWarning(path.Root("allocation_id"), "EIP moved outside Terraform",
			fmt.Sprintf("EIP %s was associated with network interface %s (private IP %s) by this resource, and is now "+
				"associated with %s %s (private IP %s). This apply puts it back: it unassociates the EIP there, then "+
				"associates it with %s again.", allocID, moved.FromNetworkInterfaceID, moved.FromPrivateIP,
				moved.InstanceType, state.NetworkInterfaceID.ValueString(), state.PrivateIPAddress.ValueString(), target))
	}
}

// claimHolder records that an association of the plan holds the EIP, and
// refuses it when another one does already, or when an association the
// plan destroys would unassociate it from under this one.
func (r *eipAssociationResource) claimHolder(allocID string, self validate.EIPClaim, diags *diag.Diagnostics) {
	holders, released := r.meta.Plans.Claims.eips.hold(allocID, self)
	if e := validate.EIPClaimedOnce(allocID, self, holders); e != nil {
		diags.AddAttributeError(path.Root("allocation_id"), "EIP in two associations", e.Error()+".")
	}
	for _, at := range released {
		if e := validate.EIPNotTakenFromHolder(allocID, at, []validate.EIPClaim{self}); e != nil {
			diags.AddAttributeError(path.Root("allocation_id"), "EIP taken from under an association", e.Error()+".")
			return
		}
	}
}

// claimRelease records that the plan destroys an association (or
// replaces it with another EIP), whose destroy unassociates its EIP from
// where state has it, and refuses it when another association of the plan
// holds the EIP there.
func (r *eipAssociationResource) claimRelease(state eipAssociationModel, diags *diag.Diagnostics) {
	if !known(state.AllocationID) || !known(state.NetworkInterfaceID) {
		return
	}
	allocID := state.AllocationID.ValueString()
	at := validate.EIPClaim{NetworkInterfaceID: state.NetworkInterfaceID.ValueString(), PrivateIP: knownOrEmpty(state.PrivateIPAddress)}
	holders := r.meta.Plans.Claims.eips.release(allocID, at)
	if e := validate.EIPNotTakenFromHolder(allocID, at, holders); e != nil {
		diags.AddAttributeError(path.Root("allocation_id"), "EIP taken from under an association", e.Error()+"."+eipDestroyHint)
	}
}

func knownOrEmpty(v types.String) string {
	if known(v) {
		return v.ValueString()
	}
	return ""
}

// check claims the association for its ENI and judges the private IP, the
// EIP and the mode with whatever is known.
func (r *eipAssociationResource) check(ctx context.Context, plan eipAssociationModel, configuredIP string, eni *ecs.NetworkInterfaceSet, diags *diag.Diagnostics) {
	c, plans := r.meta.Client, &r.meta.Plans.Claims
	var eniID, ip, allocID, mode string
	if eni != nil {
		eniID = eni.NetworkInterfaceId
	}
	if known(plan.PrivateIPAddress) {
		ip = plan.PrivateIPAddress.ValueString()
	}
	if known(plan.AllocationID) {
		allocID = plan.AllocationID.ValueString()
	}
	if known(plan.Mode) {
		mode = plan.Mode.ValueString()
	}
	var planned plannedEIPs
	switch {
	case eniID == "":
	case allocID == "":
		planned = plans.eips.associateUnknown(eniID)
	default:
		planned = plans.eips.associate(eniID, validate.EIPBinding{AllocationID: allocID, Mode: mode, PrivateIP: ip})
	}

	if eni != nil && ip != "" {
		if e := validate.EIPPrivateIP(ip, eniID, cloud.PrivateIPs(eni), plans.privateIPs.plans(eniID, ip)); e != nil {
			diags.AddAttributeError(path.Root("private_ip_address"), "Private IP not on the network interface", e.Error()+".")
		}
	}
	if allocID != "" {
		r.checkEIP(ctx, allocID, eniID, ip, configuredIP, diags)
	}
	if mode == "" {
		return
	}
	facts := validate.ENIForEIP{ID: "the new network interface"}
	if eni == nil && newENIsAllBound(plans) {
		// Created in this apply and bound by its attachment block (see
		// newENIsAllBound for why this holds).
		facts.InstanceID = "its attachment block's instance"
	}
	var others []validate.EIPBinding
	if eni != nil {
		facts = validate.ENIForEIP{ID: eniID, Type: eni.Type}
		if ids := instancesOf(plans, eni); len(ids) > 0 {
			facts.InstanceID = ids[0]
		}
		existing, err := r.eipsOn(ctx, eni)
		if err != nil {
			diags.AddWarning(fmt.Sprintf("reading the EIPs of network interface (%s)", eniID),
				"The rules of mode "+mode+" could not be checked: "+err.Error())
			return
		}
		others = otherEIPs(allocID, existing, planned)
	}
	if e := validate.EIPMode(c.Region(), facts, validate.EIPBinding{AllocationID: allocID, Mode: mode, PrivateIP: ip}, others); e != nil {
		at, summary := path.Root("mode"), "Invalid mode"
		if mode == domain.EIPModeNAT {
			at, summary = path.Root("private_ip_address"), "Private IP already has an EIP"
		}
		diags.AddAttributeError(at, summary, e.Error()+".")
	}
}

// checkEIP judges the EIP: it exists in the provider's region and is free,
// associated with exactly this target already, or where an association
// this plan replaces (this one's prior self) has it.
func (r *eipAssociationResource) checkEIP(ctx context.Context, allocID, eniID, ip, configuredIP string, diags *diag.Diagnostics) {
	c := r.meta.Client
	at := path.Root("allocation_id")
	eip, err := c.FindEIPByAllocationID(ctx, allocID)
	if cloud.IsNotFound(err) {
		diags.AddAttributeError(at, "EIP not found",
			fmt.Sprintf("EIP %s does not exist in region %s; use the allocation ID of an EIP of that region.", allocID, c.Region()))
		return
	}
	if err != nil {
		diags.AddAttributeError(at, fmt.Sprintf("reading EIP (%s)", allocID), err.Error())
		return
	}
	facts := validate.EIP{
		AllocationID: eip.AllocationId, IPAddress: eip.IpAddress, Status: eip.Status, RegionID: eip.RegionId,
		InstanceID: eip.InstanceId, InstanceType: eip.InstanceType, PrivateIP: eip.PrivateIpAddress,
	}
	// Where associations this plan replaces in place have the EIP now,
	// among those that plan it at this one's target.
	freed := r.meta.Plans.Claims.eips.freedFor(allocID, validate.EIPClaim{NetworkInterfaceID: eniID, PrivateIP: configuredIP})
	if e := validate.EIPAssociable(facts, c.Region(), eniID, ip); e != nil && !validate.EIPFreedByReplacement(facts, freed) {
		diags.AddAttributeError(at, "EIP not free", e.Error()+".")
	}
}

// eipsOn lists the EIPs on an ENI now: those associated with it, and
// those associated with its instance, which sit on the primary IP of the
// instance's primary ENI.
func (r *eipAssociationResource) eipsOn(ctx context.Context, eni *ecs.NetworkInterfaceSet) ([]validate.EIPBinding, error) {
	list, err := r.meta.Client.FindEIPsByAssociatedInstance(ctx, cloud.EIPTargetNetworkInterface, eni.NetworkInterfaceId)
	if err != nil {
		return nil, err
	}
	var out []validate.EIPBinding
	seen := map[string]bool{}
	for _, e := range list {
		ip := e.PrivateIpAddress
		if ip == "" {
			ip = eni.PrivateIpAddress
		}
		out = append(out, validate.EIPBinding{AllocationID: e.AllocationId, Mode: e.Mode, PrivateIP: ip})
		seen[e.AllocationId] = true
	}
	for _, s := range eni.PrivateIpSets.PrivateIpSet {
		if id := s.AssociatedPublicIp.AllocationId; id != "" && !seen[id] {
			out = append(out, validate.EIPBinding{AllocationID: id, Mode: domain.EIPModeNAT, PrivateIP: s.PrivateIpAddress})
			seen[id] = true
		}
	}
	return out, nil
}

// otherEIPs merges the EIPs on the ENI now with the associations planned
// for it so far (those whose EIP is not known yet as empty bindings),
// leaving out this association and counting an EIP that is both (applied
// already in this apply) once.
func otherEIPs(self string, existing []validate.EIPBinding, planned plannedEIPs) []validate.EIPBinding {
	var out []validate.EIPBinding
	for _, b := range existing {
		if b.AllocationID != self {
			out = append(out, b)
		}
	}
	for _, b := range planned.known {
		if b.AllocationID == self || slices.ContainsFunc(existing, func(e validate.EIPBinding) bool { return e.AllocationID == b.AllocationID }) {
			continue
		}
		out = append(out, b)
	}
	for range planned.unknown {
		out = append(out, validate.EIPBinding{})
	}
	return out
}
