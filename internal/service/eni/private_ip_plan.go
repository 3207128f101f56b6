package eni

import (
	"context"
	"fmt"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/openeni/terraform-provider-eni/internal/cloud"
	"github.com/openeni/terraform-provider-eni/internal/validate"
)

// ModifyPlan records what this eni_private_ip does to its ENI in the plan
// registry and, when it creates an address and the ENI is known, checks
// the address and the ENI's private IP count.
//
// Terraform plans a replacement twice: first with the prior state (the
// plan modifiers have asked for the replacement), then as a create with
// no prior state. Only the second call claims an address and checks, so
// nothing is counted twice. In the plan Terraform makes just before
// applying a resource the checks run again, with every ID known by then.
func (r *privateIPResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if r.meta == nil {
		return // provider not configured yet
	}
	plans := r.meta.Plans
	var state *privateIPModel
	if !req.State.Raw.IsNull() {
		state = &privateIPModel{}
		resp.Diagnostics.Append(req.State.Get(ctx, state)...)
		if resp.Diagnostics.HasError() {
			return
		}
	}
	if req.Plan.Raw.IsNull() { // destroy
		plans.Add(claimPrivateIPRelease, state.NetworkInterfaceID.ValueString(), state.IPAddress.ValueString())
		return
	}
	var plan privateIPModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !known(plan.NetworkInterfaceID) {
		return // the ENI is created in this apply: checked in the plan made just before
	}
	eniID := plan.NetworkInterfaceID.ValueString()
	if owner, _ := plans.Items(claimOwnsIPs, eniID); len(owner) > 0 {
		resp.Diagnostics.AddAttributeError(path.Root("network_interface_id"), "Secondary IPs owned by the ENI resource",
			validate.IPsOwnedElsewhere(eniID, owner[0]).Error()+".")
		return
	}
	if state != nil {
		if len(resp.RequiresReplace) > 0 {
			plans.Add(claimPrivateIPRelease, state.NetworkInterfaceID.ValueString(), state.IPAddress.ValueString())
		}
		return
	}
	if known(plan.IPAddress) {
		plan.ID = types.StringValue(privateIPID(eniID, plan.IPAddress.ValueString()))
		resp.Diagnostics.Append(resp.Plan.Set(ctx, plan)...)
	}
	r.checkCreate(ctx, plan, &resp.Diagnostics)
}

// checkCreate claims the address for the ENI and judges it.
func (r *privateIPResource) checkCreate(ctx context.Context, plan privateIPModel, diags *diag.Diagnostics) {
	c, plans := r.meta.Client, r.meta.Plans
	eniID, ip := plan.NetworkInterfaceID.ValueString(), ""
	if known(plan.IPAddress) {
		ip = plan.IPAddress.ValueString()
		named, _ := plans.Items(claimPrivateIP, eniID)
		if e := validate.AddressPlannedOnce(ip, eniID, named); e != nil {
			diags.AddAttributeError(path.Root("ip_address"), "Address planned twice", e.Error()+".")
			return
		}
	}
	plans.Add(claimPrivateIP, eniID, ip)

	eni, err := c.FindNetworkInterfaceByID(ctx, eniID)
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
	if ip != "" {
		r.checkAddress(ctx, eni, ip, diags)
	}
	r.checkCount(ctx, eni, diags)
}

// checkAddress judges an explicit address: inside the vSwitch CIDR, not
// reserved, not held by any ENI yet.
func (r *privateIPResource) checkAddress(ctx context.Context, eni *ecs.NetworkInterfaceSet, ip string, diags *diag.Diagnostics) {
	c := r.meta.Client
	at := path.Root("ip_address")
	vsw, err := c.LookupVSwitch(ctx, eni.VSwitchId)
	if err != nil {
		diags.AddAttributeWarning(at, fmt.Sprintf("reading vSwitch (%s)", eni.VSwitchId),
			"Whether the address lies inside the vSwitch could not be checked: "+err.Error())
		return
	}
	if e := validate.AddressInVSwitch(ip, vsw.VSwitchId, vsw.CidrBlock); e != nil {
		diags.AddAttributeError(at, "Invalid ip_address", e.Error()+".")
		return
	}
	holders, err := c.FindNetworkInterfacesByPrivateIP(ctx, eni.VpcId, ip)
	if err != nil {
		diags.AddAttributeWarning(at, "reading network interfaces",
			"Whether another ENI holds the address could not be checked: "+err.Error())
		return
	}
	ids := make([]string, 0, len(holders))
	for _, h := range holders {
		ids = append(ids, h.NetworkInterfaceId)
	}
	if e := validate.AddressFree(ip, eni.NetworkInterfaceId, ids); e != nil {
		diags.AddAttributeError(at, "Address already in use", e.Error()+".")
	}
}

// checkCount judges the ENI's private IP count after this plan against
// the limit that applies: the instance type's when the ENI is bound (or an
// attachment of this plan binds it), 10 secondary IPs otherwise.
func (r *privateIPResource) checkCount(ctx context.Context, eni *ecs.NetworkInterfaceSet, diags *diag.Diagnostics) {
	c, plans := r.meta.Client, r.meta.Plans
	eniID := eni.NetworkInterfaceId
	named, anonymous := plans.Items(claimPrivateIP, eniID)
	assigned, _ := plans.Items(claimPrivateIPAssigned, eniID)
	released, _ := plans.Items(claimPrivateIPRelease, eniID)
	now, planned := validate.ENIAddresses{
		Existing: cloud.PrivateIPs(eni), Named: named, Anonymous: anonymous, Assigned: assigned, Released: released,
	}.Count()

	bound, typeName, perENI := false, "", 0
	for _, id := range instancesOf(plans, eni) {
		inst, err := c.FindInstanceByID(ctx, id)
		if err != nil {
			diags.AddWarning(fmt.Sprintf("reading instance (%s)", id),
				"The per-ENI private IP limit of its instance type could not be checked: "+err.Error())
			return
		}
		it, err := c.LookupInstanceType(ctx, inst.InstanceType)
		if err != nil {
			diags.AddWarning(fmt.Sprintf("reading instance type (%s)", inst.InstanceType),
				"The per-ENI private IP limit could not be checked: "+err.Error())
			return
		}
		if !bound || it.EniPrivateIpAddressQuantity < perENI {
			bound, typeName, perENI = true, inst.InstanceType, it.EniPrivateIpAddressQuantity
		}
	}
	if e := validate.PrivateIPCount(eniID, now, planned, bound, typeName, perENI); e != nil {
		diags.AddAttributeError(path.Root("network_interface_id"), "Too many private IPs", e.Error()+".")
	}
}
