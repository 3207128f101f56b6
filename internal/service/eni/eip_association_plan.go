package eni

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/openeni/terraform-provider-eni/internal/cloud"
	"github.com/openeni/terraform-provider-eni/internal/domain"
	"github.com/openeni/terraform-provider-eni/internal/validate"
)

// ModifyPlan plans the default private IP (the ENI's primary IP), records
// the association in the plan registry and checks it, for a new
// association only: every argument replaces, so an existing one is either
// unchanged or planned again as a create (Terraform's second plan of a
// replacement, without prior state). Checks whose facts are unknown wait
// for the plan Terraform makes just before applying.
func (r *eipAssociationResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if r.meta == nil || req.Plan.Raw.IsNull() || !req.State.Raw.IsNull() {
		return
	}
	var plan eipAssociationModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	c := r.meta.Client
	var eni *ecs.NetworkInterfaceSet
	if known(plan.NetworkInterfaceID) {
		eniID := plan.NetworkInterfaceID.ValueString()
		var err error
		eni, err = c.FindNetworkInterfaceByID(ctx, eniID)
		if cloud.IsNotFound(err) {
			resp.Diagnostics.AddAttributeError(path.Root("network_interface_id"), "Network interface not found",
				fmt.Sprintf("Network interface %s does not exist in region %s. Use the ID of an existing ENI, or "+
					"reference an eni_network_interface resource.", eniID, c.Region()))
			return
		}
		if err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("network_interface_id"), fmt.Sprintf("reading network interface (%s)", eniID), err.Error())
			return
		}
		var configured types.String
		resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("private_ip_address"), &configured)...)
		if configured.IsNull() {
			plan.PrivateIPAddress = types.StringValue(eni.PrivateIpAddress)
		}
		if known(plan.AllocationID) {
			plan.ID = types.StringValue(eipAssociationID(plan.AllocationID.ValueString(), eniID))
		}
		resp.Diagnostics.Append(resp.Plan.Set(ctx, plan)...)
	}
	r.check(ctx, plan, eni, &resp.Diagnostics)
}

// check claims the association for its ENI and judges the private IP, the
// EIP and the mode with whatever is known.
func (r *eipAssociationResource) check(ctx context.Context, plan eipAssociationModel, eni *ecs.NetworkInterfaceSet, diags *diag.Diagnostics) {
	c, plans := r.meta.Client, r.meta.Plans
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
	var planned []string
	anonymous := 0
	if eniID != "" {
		planned, anonymous = plans.Items(claimEIP, eniID)
		item := ""
		if allocID != "" {
			item = strings.Join([]string{allocID, mode, ip}, "/")
		}
		plans.Add(claimEIP, eniID, item)
	}

	if eni != nil && ip != "" {
		if e := validate.EIPPrivateIP(ip, eniID, cloud.PrivateIPs(eni), plans.Has(claimPrivateIP, eniID, ip)); e != nil {
			diags.AddAttributeError(path.Root("private_ip_address"), "Private IP not on the network interface", e.Error()+".")
		}
	}
	if allocID != "" {
		r.checkEIP(ctx, allocID, eniID, ip, diags)
	}
	if mode == "" {
		return
	}
	facts := validate.ENIForEIP{ID: "the new network interface"}
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
		others = otherEIPs(allocID, existing, planned, anonymous)
	}
	if e := validate.EIPMode(c.Region(), facts, validate.EIPBinding{AllocationID: allocID, Mode: mode, PrivateIP: ip}, others); e != nil {
		at, summary := path.Root("mode"), "Invalid mode"
		if mode == domain.EIPModeNAT {
			at, summary = path.Root("private_ip_address"), "Private IP already has an EIP"
		}
		diags.AddAttributeError(at, summary, e.Error()+".")
	}
}

// checkEIP judges the EIP: it exists in the provider's region and is free
// or associated with exactly this target already.
func (r *eipAssociationResource) checkEIP(ctx context.Context, allocID, eniID, ip string, diags *diag.Diagnostics) {
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
	if e := validate.EIPAssociable(facts, c.Region(), eniID, ip); e != nil {
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
// for it so far (items "allocation/mode/ip", and anonymous ones), leaving
// out this association and counting an EIP that is both (applied already
// in this apply) once.
func otherEIPs(self string, existing []validate.EIPBinding, planned []string, anonymous int) []validate.EIPBinding {
	var out []validate.EIPBinding
	for _, b := range existing {
		if b.AllocationID != self {
			out = append(out, b)
		}
	}
	for _, item := range planned {
		parts := strings.SplitN(item, "/", 3)
		for len(parts) < 3 {
			parts = append(parts, "")
		}
		b := validate.EIPBinding{AllocationID: parts[0], Mode: parts[1], PrivateIP: parts[2]}
		if b.AllocationID == self || slices.ContainsFunc(existing, func(e validate.EIPBinding) bool { return e.AllocationID == b.AllocationID }) {
			continue
		}
		out = append(out, b)
	}
	for range anonymous {
		out = append(out, validate.EIPBinding{})
	}
	return out
}
