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
	plans := &r.meta.Plans.Claims
	var state *privateIPModel
	if !req.State.Raw.IsNull() {
		state = &privateIPModel{}
		resp.Diagnostics.Append(req.State.Get(ctx, state)...)
		if resp.Diagnostics.HasError() {
			return
		}
	}
	if req.Plan.Raw.IsNull() { // destroy
		plans.privateIPs.release(state.NetworkInterfaceID.ValueString(), state.IPAddress.ValueString())
		return
	}
	var plan privateIPModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !known(plan.NetworkInterfaceID) {
		// The ENI is created in this apply: the rest is checked in the
		// plan made just before applying this resource.
		if state == nil {
			if e := validate.IPsOwnedByNewENI(plans.addresses().newENIsSoFar()); e != nil {
				resp.Diagnostics.AddAttributeError(path.Root("network_interface_id"), "Secondary IPs owned by the ENI resource",
					validate.ForNewObject(e, true).Error()+".")
			}
		}
		return
	}
	eniID := plan.NetworkInterfaceID.ValueString()
	if owner := r.ipOwner(eniID); owner != "" {
		resp.Diagnostics.AddAttributeError(path.Root("network_interface_id"), "Secondary IPs owned by the ENI resource",
			validate.ForNewObject(validate.IPsOwnedElsewhere(eniID, owner), state == nil).Error()+".")
		return
	}
	if state != nil {
		// resp.RequiresReplace only holds what this method adds: compare
		// the arguments whose plan modifiers ask for a replacement.
		if !plan.NetworkInterfaceID.Equal(state.NetworkInterfaceID) ||
			(!plan.IPAddress.IsNull() && !plan.IPAddress.Equal(state.IPAddress)) {
			plans.privateIPs.release(state.NetworkInterfaceID.ValueString(), state.IPAddress.ValueString())
		}
		return
	}
	if known(plan.IPAddress) {
		plan.ID = types.StringValue(privateIPID(eniID, plan.IPAddress.ValueString()))
		resp.Diagnostics.Append(resp.Plan.Set(ctx, plan)...)
	}
	r.checkCreate(ctx, plan, &resp.Diagnostics)
}

// ipOwner returns the argument by which an eni_network_interface owns the
// ENI's secondary IPs: one planned in this walk, or one whose ENI this
// apply created (its plan had no ID yet); "" when none does.
func (r *privateIPResource) ipOwner(eniID string) string {
	if owner := r.meta.Plans.Claims.privateIPs.owner(eniID); owner != "" {
		return owner
	}
	return r.meta.Plans.Applied.ownerOfCreated(eniID)
}

// checkCreate claims the address for the ENI and judges it.
func (r *privateIPResource) checkCreate(ctx context.Context, plan privateIPModel, diags *diag.Diagnostics) {
	c, plans := r.meta.Client, &r.meta.Plans.Claims
	eniID, ip := plan.NetworkInterfaceID.ValueString(), ""
	if known(plan.IPAddress) {
		ip = plan.IPAddress.ValueString()
		if e := validate.AddressPlannedOnce(ip, eniID, plans.privateIPs.add(eniID, ip)); e != nil {
			diags.AddAttributeError(path.Root("ip_address"), "Address planned twice", validate.ForNewObject(e, true).Error()+".")
			return
		}
	} else {
		plans.privateIPs.addAny(eniID)
	}

	eni, err := c.FindNetworkInterfaceByID(ctx, eniID)
	if cloud.IsNotFound(err) {
		diags.AddAttributeError(path.Root("network_interface_id"), "Network interface not found",
			fmt.Sprintf("Network interface %s does not exist in region %s. Use the ID of an existing ENI, or "+
				"reference an eni_network_interface resource. %s.", eniID, c.Region(), validate.DestroyHint))
		return
	}
	if err != nil {
		diags.AddAttributeError(path.Root("network_interface_id"), fmt.Sprintf("reading network interface (%s)", eniID), err.Error())
		return
	}
	r.checkAddress(ctx, eni, ip, diags)
	r.checkCount(ctx, eni, diags)
}

// checkAddress judges the address against the vSwitch: an explicit one
// inside the CIDR, not reserved, not held by any ENI yet, not claimed by
// another resource of the plan; and the vSwitch's free addresses against
// everything the plan adds there (see address_plan.go).
func (r *privateIPResource) checkAddress(ctx context.Context, eni *ecs.NetworkInterfaceSet, ip string, diags *diag.Diagnostics) {
	c := r.meta.Client
	at := path.Root("ip_address")
	vsw, err := c.LookupVSwitch(ctx, eni.VSwitchId)
	if err != nil {
		diags.AddAttributeWarning(path.Root("network_interface_id"), fmt.Sprintf("reading vSwitch (%s)", eni.VSwitchId),
			"Whether the address lies inside the vSwitch and the vSwitch has a free address could not be checked: "+err.Error())
		return
	}
	a := addressPlan{
		vsw: vsw, who: "an eni_private_ip of network interface " + eni.NetworkInterfaceId,
		adds: 1, countAt: "network_interface_id", creating: true,
	}
	if ip == "" {
		a.check(ctx, c, &r.meta.Plans.Claims, diags)
		return
	}
	if e := validate.AddressInVSwitch(ip, vsw.VSwitchId, vsw.CidrBlock); e != nil {
		diags.AddAttributeError(at, "Invalid ip_address", validate.ForNewObject(e, true).Error()+".")
		return
	}
	holders, err := r.meta.Plans.Claims.addresses().holders(ctx, c, vsw, ip)
	if err != nil {
		diags.AddAttributeWarning(at, "reading network interfaces",
			"Whether another ENI holds the address could not be checked: "+err.Error())
	} else if e := validate.AddressFree(ip, eni.NetworkInterfaceId, holders); e != nil {
		diags.AddAttributeError(at, "Address already in use", validate.ForNewObject(e, true).Error()+".")
		return
	}
	// The holders are judged above, with the import hint for this ENI's
	// own address; the claim and the count are left to the address plan.
	a.fixed = []fixedAddress{{"ip_address", ip}}
	a.selfIDs = []string{eni.NetworkInterfaceId}
	a.check(ctx, c, &r.meta.Plans.Claims, diags)
}

// checkCount judges the ENI's private IP count after this plan against
// the limit that applies: the instance type's when the ENI is bound (or an
// attachment of this plan binds it), 10 secondary IPs otherwise.
func (r *privateIPResource) checkCount(ctx context.Context, eni *ecs.NetworkInterfaceSet, diags *diag.Diagnostics) {
	c, plans := r.meta.Client, &r.meta.Plans.Claims
	eniID := eni.NetworkInterfaceId
	p := plans.privateIPs.planned(eniID)
	now, planned := validate.ENIAddresses{
		Existing: cloud.PrivateIPs(eni), Named: p.added, Anonymous: p.anyAdded,
		Assigned: r.meta.Plans.Applied.assignedTo(eniID), Released: p.released,
	}.Count()
	// Each IPv4 prefix of the ENI takes one private IP place
	// (domain.CheckIPv4Count).
	now += len(cloud.IPv4Prefixes(eni))

	bound, typeName, perENI := false, "", 0
	for _, id := range instancesOf(plans, eni) {
		inst, err := c.FindInstanceStatus(ctx, id)
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
