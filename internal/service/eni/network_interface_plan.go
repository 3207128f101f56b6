package eni

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/openeni/terraform-provider-eni/internal/cloud"
	"github.com/openeni/terraform-provider-eni/internal/validate"
)

// ModifyPlan predicts private_ips and runs the plan-time checks whose
// facts are known: the vSwitch exists, the security groups belong to its
// VPC, every address lies inside its CIDR and the IP count fits.
func (r *networkInterfaceResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return // destroy
	}
	var plan networkInterfaceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	var state *networkInterfaceModel
	if !req.State.Raw.IsNull() {
		state = &networkInterfaceModel{}
		resp.Diagnostics.Append(req.State.Get(ctx, state)...)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	r.planPrivateIPs(&plan, state)
	resp.Diagnostics.Append(resp.Plan.Set(ctx, plan)...)
	if state != nil {
		claimIPOwnership(r.plans, state.ID.ValueString(), plan)
	}
	if r.client == nil || !r.needsChecks(plan, state) {
		return
	}
	r.checkNetwork(ctx, plan, state, &resp.Diagnostics)
}

// planPrivateIPs predicts the computed private_ips: the configured set, or
// unknown when a count changes, or what the ENI holds now. When neither
// argument is set, eni_private_ip resources may change the addresses in
// the same apply, so an update leaves the value unknown (as the framework
// planned it) and only a plan without changes keeps the prior value.
func (r *networkInterfaceResource) planPrivateIPs(plan, state *networkInterfaceModel) {
	switch {
	case !plan.SecondaryPrivateIPs.IsNull() && !plan.SecondaryPrivateIPs.IsUnknown():
		plan.PrivateIPs = plan.SecondaryPrivateIPs
	case state == nil:
		plan.PrivateIPs = types.SetUnknown(types.StringType)
	case plan.SecondaryPrivateIPs.IsNull() && plan.SecondaryPrivateIPCount.IsNull():
		// keep the framework's plan: unknown on update, prior value on no-op
	case !plan.SecondaryPrivateIPCount.IsNull() && !plan.SecondaryPrivateIPCount.Equal(state.SecondaryPrivateIPCount):
		plan.PrivateIPs = types.SetUnknown(types.StringType)
	case plan.SecondaryPrivateIPs.IsUnknown():
		plan.PrivateIPs = types.SetUnknown(types.StringType)
	default:
		plan.PrivateIPs = state.PrivateIPs
	}
}

// needsChecks skips the API look-ups when nothing they judge changed, so
// a plan with no changes costs no calls.
func (r *networkInterfaceResource) needsChecks(plan networkInterfaceModel, state *networkInterfaceModel) bool {
	if state == nil {
		return true
	}
	return !plan.VSwitchID.Equal(state.VSwitchID) || !plan.SecurityGroupIDs.Equal(state.SecurityGroupIDs) ||
		!plan.PrimaryIPAddress.Equal(state.PrimaryIPAddress) || !plan.SecondaryPrivateIPs.Equal(state.SecondaryPrivateIPs) ||
		!plan.SecondaryPrivateIPCount.Equal(state.SecondaryPrivateIPCount)
}

func (r *networkInterfaceResource) checkNetwork(ctx context.Context, plan networkInterfaceModel, state *networkInterfaceModel, diags *diag.Diagnostics) {
	if plan.VSwitchID.IsUnknown() {
		return // known at the latest in the plan made just before apply
	}
	vswID := plan.VSwitchID.ValueString()
	vsw, err := r.client.LookupVSwitch(ctx, vswID)
	if cloud.IsNotFound(err) {
		diags.AddAttributeError(path.Root("vswitch_id"), "vSwitch not found",
			fmt.Sprintf("vSwitch %s does not exist in region %s. Use the ID of an existing vSwitch.", vswID, r.client.Region()))
		return
	}
	if err != nil {
		diags.AddAttributeError(path.Root("vswitch_id"), fmt.Sprintf("reading vSwitch (%s)", vswID), err.Error())
		return
	}

	if !plan.SecurityGroupIDs.IsUnknown() && allKnown(plan.SecurityGroupIDs.Elements()) {
		ids := setStrings(ctx, plan.SecurityGroupIDs, diags)
		groups, err := r.client.LookupSecurityGroups(ctx, ids)
		if err != nil {
			diags.AddAttributeError(path.Root("security_group_ids"), "reading security groups", err.Error())
		}
		for _, id := range ids {
			g, ok := groups[id]
			switch {
			case err != nil:
			case !ok:
				diags.AddAttributeError(path.Root("security_group_ids"), "Security group not found",
					fmt.Sprintf("Security group %s does not exist in region %s.", id, r.client.Region()))
			default:
				if e := validate.SecurityGroupInVPC(id, g.VpcId, vswID, vsw.VpcId); e != nil {
					diags.AddAttributeError(path.Root("security_group_ids"), "Security group in another VPC", e.Error())
				}
			}
		}
	}

	primary := plan.PrimaryIPAddress
	if known(primary) && (state == nil || !primary.Equal(state.PrimaryIPAddress)) {
		if e := validate.AddressInVSwitch(primary.ValueString(), vswID, vsw.CidrBlock); e != nil {
			diags.AddAttributeError(path.Root("primary_ip_address"), "Invalid primary_ip_address", e.Error())
		}
	}
	n := 0
	if known(plan.SecondaryPrivateIPs) && allKnown(plan.SecondaryPrivateIPs.Elements()) {
		ips := setStrings(ctx, plan.SecondaryPrivateIPs, diags)
		n = len(ips)
		for _, ip := range ips {
			if e := validate.AddressInVSwitch(ip, vswID, vsw.CidrBlock); e != nil {
				diags.AddAttributeError(path.Root("secondary_private_ips"), "Invalid secondary_private_ips", e.Error())
			} else if known(primary) && ip == primary.ValueString() {
				diags.AddAttributeError(path.Root("secondary_private_ips"), "Invalid secondary_private_ips",
					fmt.Sprintf("%s is also the primary_ip_address; a secondary IP must be another address.", ip))
			}
		}
	}
	if known(plan.SecondaryPrivateIPCount) {
		n = int(plan.SecondaryPrivateIPCount.ValueInt64())
	}
	r.checkIPCount(ctx, n, state, diags)
}

// checkIPCount judges the number of secondary IPs against the limit that
// applies: 10 while the ENI is unbound, the instance type's otherwise.
func (r *networkInterfaceResource) checkIPCount(ctx context.Context, n int, state *networkInterfaceModel, diags *diag.Diagnostics) {
	at := path.Root("secondary_private_ips")
	if state == nil || state.SecondaryPrivateIPs.IsNull() {
		at = path.Root("secondary_private_ip_count")
	}
	instanceID := ""
	if state != nil {
		instanceID = state.InstanceID.ValueString()
	}
	if instanceID == "" {
		if e := validate.SecondaryIPCount(n, false, "", 0); e != nil {
			diags.AddAttributeError(at, "Too many secondary private IPs", e.Error())
		}
		return
	}
	inst, err := r.client.FindInstanceByID(ctx, instanceID)
	if err != nil {
		diags.AddWarning(fmt.Sprintf("reading instance (%s)", instanceID),
			"The per-ENI IP limit of the instance the ENI is bound to could not be checked: "+err.Error())
		return
	}
	it, err := r.client.LookupInstanceType(ctx, inst.InstanceType)
	if err != nil {
		diags.AddWarning(fmt.Sprintf("reading instance type (%s)", inst.InstanceType),
			"The per-ENI IP limit could not be checked: "+err.Error())
		return
	}
	if e := validate.SecondaryIPCount(n, true, inst.InstanceType, it.EniPrivateIpAddressQuantity); e != nil {
		diags.AddAttributeError(at, "Too many secondary private IPs", e.Error())
	}
}
