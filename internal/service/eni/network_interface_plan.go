package eni

import (
	"context"
	"fmt"
	"slices"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"
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
	var state *networkInterfaceModel
	if !req.State.Raw.IsNull() {
		state = &networkInterfaceModel{}
		resp.Diagnostics.Append(req.State.Get(ctx, state)...)
		if resp.Diagnostics.HasError() {
			return
		}
		keepAddresses(r.plans.registry(), *state, &resp.Diagnostics)
	}
	if req.Plan.Raw.IsNull() {
		if state != nil && state.Attachment != nil && r.client != nil {
			// Destroy detaches first: the instance must take the detach.
			r.binder().planDetach(ctx, state.Attachment.asAttachment(state.ID.ValueString()), &resp.Diagnostics)
		}
		return // destroy
	}
	var plan networkInterfaceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	r.planAssigned(&plan, state)
	r.planTags(ctx, &plan, &resp.Diagnostics)
	if state != nil && bindingChanged(plan.Attachment, state.Attachment) {
		plan.Status, plan.InstanceID = types.StringUnknown(), types.StringUnknown()
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, plan)...)
	if state != nil && r.plans != nil {
		r.plans.Claims.privateIPs.own(state.ID.ValueString(), ownsIPsArgument(plan))
	}
	// Terraform plans a replacement twice: with the prior state, then as a
	// create (no prior state) that receives the private data of the first.
	// Every plan with a prior state records the ENI there, so the create
	// of a replacement, asked for by an argument or by -replace, knows the
	// ENI it replaces (it may take its addresses). Only the create claims
	// addresses, so nothing is counted twice. (resp.RequiresReplace only
	// holds what this method adds, so the arguments are compared here.)
	replacing := state != nil && replacesENI(plan, *state)
	var replaced *replacedENI
	switch {
	case state != nil:
		storeReplaced(ctx, resp.Private, replacedENI{ID: state.ID.ValueString(), Addresses: 1 + len(state.PrivateIPs.Elements())}, &resp.Diagnostics)
	default:
		replaced = takeReplaced(ctx, req.Private, resp.Private, &resp.Diagnostics)
		if r.plans != nil {
			r.plans.Claims.addresses().noteNewENI(ownsIPsArgument(plan), plan.Attachment != nil)
		}
	}
	if r.client != nil {
		r.planInlineAttachment(ctx, plan, state, &resp.Diagnostics)
	}
	if r.client == nil || !r.needsChecks(plan, state) {
		return
	}
	vsw := r.checkNetwork(ctx, plan, state, &resp.Diagnostics)
	if vsw != nil && r.plans != nil && !replacing {
		r.checkAddresses(ctx, vsw, plan, state, replaced, &resp.Diagnostics)
	}
}

// replacesENI reports whether the plan replaces the ENI: the arguments
// whose plan modifiers require it differ from the state.
func replacesENI(plan, state networkInterfaceModel) bool {
	return !plan.VSwitchID.Equal(state.VSwitchID) ||
		(!plan.PrimaryIPAddress.IsNull() && !plan.PrimaryIPAddress.Equal(state.PrimaryIPAddress)) ||
		(!plan.ResourceGroupID.IsNull() && !plan.ResourceGroupID.Equal(state.ResourceGroupID))
}

// ownsIPsArgument names the argument by which an ENI owns its secondary
// IPs, or is empty when eni_private_ip may manage them.
func ownsIPsArgument(m networkInterfaceModel) string {
	switch {
	case !m.SecondaryPrivateIPCount.IsNull():
		return "secondary_private_ip_count"
	case !m.SecondaryPrivateIPs.IsNull():
		return "secondary_private_ips"
	}
	return ""
}

// checkAddresses claims the addresses this ENI's plan adds to its vSwitch
// and judges them against the rest of the plan and the ENIs of the
// vSwitch (see address_plan.go). A new ENI adds its primary IP and its
// secondary IPs; an update adds the secondary IPs it does not hold yet.
func (r *networkInterfaceResource) checkAddresses(ctx context.Context, vsw *vpc.VSwitch, plan networkInterfaceModel, state *networkInterfaceModel, replaced *replacedENI, diags *diag.Diagnostics) {
	a := addressPlan{vsw: vsw, countAt: "vswitch_id"}
	if arg := ownsIPsArgument(plan); arg != "" {
		a.countAt = arg
	}
	var held []string
	if state == nil {
		a.creating = true
		a.who = "a new ENI in vSwitch " + vsw.VSwitchId
		if known(plan.Name) {
			a.who = fmt.Sprintf("a new ENI %q in vSwitch %s", plan.Name.ValueString(), vsw.VSwitchId)
		}
		a.adds = 1
		if replaced != nil {
			a.selfIDs = []string{replaced.ID}
			a.adds -= replaced.Addresses
			a.alsoSelf = "network interface " + replaced.ID + " ("
		}
		if p := plan.PrimaryIPAddress; known(p) && validate.AddressInVSwitch(p.ValueString(), vsw.VSwitchId, vsw.CidrBlock) == nil {
			a.fixed = append(a.fixed, fixedAddress{"primary_ip_address", p.ValueString()})
		}
	} else {
		a.who = "network interface " + state.ID.ValueString()
		a.selfIDs = []string{state.ID.ValueString()}
		a.alsoSelf = a.who + " ("
		held = setStrings(ctx, state.PrivateIPs, diags)
		a.adds = -len(held)
	}
	switch {
	case known(plan.SecondaryPrivateIPCount):
		a.adds += int(plan.SecondaryPrivateIPCount.ValueInt64())
	case known(plan.SecondaryPrivateIPs) && allKnown(plan.SecondaryPrivateIPs.Elements()):
		ips := setStrings(ctx, plan.SecondaryPrivateIPs, diags)
		a.adds += len(ips)
		for _, ip := range ips {
			if !slices.Contains(held, ip) && validate.AddressInVSwitch(ip, vsw.VSwitchId, vsw.CidrBlock) == nil {
				a.fixed = append(a.fixed, fixedAddress{"secondary_private_ips", ip})
			}
		}
	case state != nil:
		a.adds = 0 // addresses left to eni_private_ip, or not known yet
	}
	a.check(ctx, r.client, &r.plans.Claims, diags)
}

// planAssigned predicts, for every kind of address, the computed set of
// what the ENI holds (private_ips, assigned_ipv6_addresses,
// assigned_ipv4_prefixes): the configured list, or unknown when a count
// changes, or what the ENI holds now. When neither argument of a kind is
// set, the framework's plan stands (assignedUnlessArgumentsChange keeps
// the prior value unless the update may change addresses: for private_ips,
// eni_private_ip resources of the same apply may).
func (r *networkInterfaceResource) planAssigned(plan, state *networkInterfaceModel) {
	for _, k := range addressKinds {
		p := k.fields(plan)
		switch {
		case !p.list.IsNull() && !p.list.IsUnknown():
			*p.assigned = *p.list
		case state == nil:
			*p.assigned = types.SetUnknown(types.StringType)
		case p.list.IsNull() && p.count.IsNull():
			// keep the framework's plan: unknown on update, prior value on no-op
		case !p.count.IsNull() && !p.count.Equal(*k.fields(state).count):
			*p.assigned = types.SetUnknown(types.StringType)
		case p.list.IsUnknown():
			*p.assigned = types.SetUnknown(types.StringType)
		default:
			*p.assigned = *k.fields(state).assigned
		}
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
		!plan.SecondaryPrivateIPCount.Equal(state.SecondaryPrivateIPCount) ||
		!plan.IPv6Addresses.Equal(state.IPv6Addresses) || !plan.IPv6AddressCount.Equal(state.IPv6AddressCount) ||
		!plan.IPv4Prefixes.Equal(state.IPv4Prefixes) || !plan.IPv4PrefixCount.Equal(state.IPv4PrefixCount)
}

// checkNetwork returns the vSwitch when it could be read.
func (r *networkInterfaceResource) checkNetwork(ctx context.Context, plan networkInterfaceModel, state *networkInterfaceModel, diags *diag.Diagnostics) *vpc.VSwitch {
	if plan.VSwitchID.IsUnknown() {
		return nil // known at the latest in the plan made just before apply
	}
	vswID := plan.VSwitchID.ValueString()
	vsw, err := r.client.LookupVSwitch(ctx, vswID)
	if cloud.IsNotFound(err) {
		diags.AddAttributeError(path.Root("vswitch_id"), "vSwitch not found",
			fmt.Sprintf("vSwitch %s does not exist in region %s. Use the ID of an existing vSwitch.", vswID, r.client.Region()))
		return nil
	}
	if err != nil {
		diags.AddAttributeError(path.Root("vswitch_id"), fmt.Sprintf("reading vSwitch (%s)", vswID), err.Error())
		return nil
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
	if known(plan.SecondaryPrivateIPs) && allKnown(plan.SecondaryPrivateIPs.Elements()) {
		ips := setStrings(ctx, plan.SecondaryPrivateIPs, diags)
		for _, ip := range ips {
			if e := validate.AddressInVSwitch(ip, vswID, vsw.CidrBlock); e != nil {
				diags.AddAttributeError(path.Root("secondary_private_ips"), "Invalid secondary_private_ips", e.Error())
			} else if known(primary) && ip == primary.ValueString() {
				diags.AddAttributeError(path.Root("secondary_private_ips"), "Invalid secondary_private_ips",
					fmt.Sprintf("%s is also the primary_ip_address; a secondary IP must be another address.", ip))
			}
		}
	}
	checkDualStack(ctx, vsw, plan, diags)
	r.checkAddressCounts(ctx, plan, state, diags)
	return vsw
}

// checkAddressCounts judges the number of addresses of each kind the ENI
// would hold against the limit that applies: the unbound one (10
// secondary IPv4 places, prefixes included, and 10 IPv6 addresses) while
// the ENI is not bound, the instance type's otherwise.
func (r *networkInterfaceResource) checkAddressCounts(ctx context.Context, plan networkInterfaceModel, state *networkInterfaceModel, diags *diag.Diagnostics) {
	var limit validate.ENIAddressLimit
	if instanceID := state.instanceID(); instanceID != "" {
		inst, err := r.client.FindInstanceStatus(ctx, instanceID)
		if err != nil {
			diags.AddWarning(fmt.Sprintf("reading instance (%s)", instanceID),
				"The per-ENI address limits of the instance the ENI is bound to could not be checked: "+err.Error())
			return
		}
		it, err := r.client.LookupInstanceType(ctx, inst.InstanceType)
		if err != nil {
			diags.AddWarning(fmt.Sprintf("reading instance type (%s)", inst.InstanceType),
				"The per-ENI address limits could not be checked: "+err.Error())
			return
		}
		limit = validate.ENIAddressLimit{InstanceType: inst.InstanceType,
			IPv4PerENI: it.EniPrivateIpAddressQuantity, IPv6PerENI: it.EniIpv6AddressQuantity}
	}
	secondaries, ipv4At := plannedAddressCount(ctx, secondaryIPv4Kind, plan, state, diags)
	prefixes, prefixAt := plannedAddressCount(ctx, ipv4PrefixKind, plan, state, diags)
	at, args := ipv4At, ipv4At
	if prefixes > 0 && ipv4PrefixKind.managed(&plan) {
		at = prefixAt
		if secondaries > 0 {
			args = ipv4At + " and " + prefixAt
		} else {
			args = prefixAt
		}
	}
	if e := validate.IPv4Places(limit, secondaries, prefixes, args); e != nil {
		diags.AddAttributeError(path.Root(at), "Too many private IPv4 addresses", e.Error()+".")
	}
	ipv6, ipv6At := plannedAddressCount(ctx, ipv6Kind, plan, state, diags)
	if e := validate.IPv6Count(limit, ipv6, ipv6At); e != nil {
		diags.AddAttributeError(path.Root(ipv6At), "Too many IPv6 addresses", e.Error()+".")
	}
}

// instanceID is the instance the ENI is bound to as state records it, or
// "" (also for an ENI not created yet: it is created unbound).
func (m *networkInterfaceModel) instanceID() string {
	if m == nil {
		return ""
	}
	return m.InstanceID.ValueString()
}

// plannedAddressCount is how many addresses of a kind the ENI holds after
// the plan, and the argument that says so: the count, or the size of the
// list, when the configuration sets one (0 while unknown); what it holds
// now when it sets neither (0 for a new ENI).
func plannedAddressCount(ctx context.Context, k addressKind, plan networkInterfaceModel, state *networkInterfaceModel, diags *diag.Diagnostics) (int, string) {
	p := k.fields(&plan)
	switch {
	case !p.count.IsNull():
		return int(p.count.ValueInt64()), k.countArg
	case !p.list.IsNull():
		if p.list.IsUnknown() {
			return 0, k.listArg
		}
		return len(p.list.Elements()), k.listArg
	case state != nil:
		at := k.countArg
		if !k.fields(state).list.IsNull() {
			at = k.listArg
		}
		return len(setStrings(ctx, *k.fields(state).assigned, diags)), at
	}
	return 0, k.countArg
}

// checkDualStack runs the checks of the IPv6 addresses and IPv4 prefixes
// the plan sets against the vSwitch: IPv6 needs an IPv6 CIDR block, fixed
// IPv6 addresses and prefixes lie in the vSwitch's blocks, and no fixed
// private IPv4 address lies in a fixed prefix.
func checkDualStack(ctx context.Context, vsw *vpc.VSwitch, plan networkInterfaceModel, diags *diag.Diagnostics) {
	if arg := ipv6Argument(plan); arg != "" {
		v6, err := validate.VSwitchIPv6(vsw.VSwitchId, vsw.Ipv6CidrBlock, arg)
		if err != nil {
			diags.AddAttributeError(path.Root(arg), "vSwitch without IPv6", err.Error()+".")
		} else if known(plan.IPv6Addresses) && allKnown(plan.IPv6Addresses.Elements()) {
			for _, a := range setStrings(ctx, plan.IPv6Addresses, diags) {
				if e := validate.IPv6InVSwitch(a, vsw.VSwitchId, v6); e != nil {
					diags.AddAttributeError(path.Root("ipv6_addresses"), "Invalid ipv6_addresses", e.Error()+".")
				}
			}
		}
	}
	if !known(plan.IPv4Prefixes) || !allKnown(plan.IPv4Prefixes.Elements()) {
		return
	}
	prefixes := setStrings(ctx, plan.IPv4Prefixes, diags)
	for _, p := range prefixes {
		if e := validate.IPv4PrefixInVSwitch(p, vsw.VSwitchId, vsw.CidrBlock); e != nil {
			diags.AddAttributeError(path.Root("ipv4_prefixes"), "Invalid ipv4_prefixes", e.Error()+".")
		}
	}
	fixed := map[string][]string{}
	if known(plan.PrimaryIPAddress) {
		fixed["primary_ip_address"] = []string{plan.PrimaryIPAddress.ValueString()}
	}
	if known(plan.SecondaryPrivateIPs) && allKnown(plan.SecondaryPrivateIPs.Elements()) {
		fixed["secondary_private_ips"] = setStrings(ctx, plan.SecondaryPrivateIPs, diags)
	}
	for arg, ips := range fixed {
		for _, ip := range ips {
			if e := validate.AddressOutsidePrefixes(ip, prefixes); e != nil {
				diags.AddAttributeError(path.Root(arg), "Address inside an IPv4 prefix", e.Error()+".")
			}
		}
	}
}

// ipv6Argument names the argument by which the plan asks for IPv6
// addresses, or "" when it asks for none.
func ipv6Argument(plan networkInterfaceModel) string {
	switch {
	case plan.IPv6AddressCount.ValueInt64() > 0:
		return "ipv6_address_count"
	case !plan.IPv6Addresses.IsNull() && (plan.IPv6Addresses.IsUnknown() || len(plan.IPv6Addresses.Elements()) > 0):
		return "ipv6_addresses"
	}
	return ""
}
