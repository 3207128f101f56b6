package eni

import (
	"context"
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

// createHint ends every plan-time error about an attachment that does
// not exist yet. Terraform's destroy starts with a normal plan (the
// refresh before destroying), which plans such an attachment for
// creation and fails on these errors; in Terraform 1.11 the provider
// cannot tell that plan from `terraform plan` (the protocol sends the
// same request), so the error says how to destroy anyway.
const createHint = " " + validate.DestroyHint + "."

// createError adds a plan-time error about the attachment being created.
func createError(diags *diag.Diagnostics, attr, summary, detail string) {
	if attr == "" {
		diags.AddError(summary, detail+createHint)
		return
	}
	diags.AddAttributeError(path.Root(attr), summary, detail+createHint)
}

// ModifyPlan checks a binding against the cloud as soon as the values a
// check needs are known: in `terraform plan` for existing ENIs and
// instances, and at the latest in the plan Terraform makes again just
// before applying this resource (an ENI created in the same apply has no
// ID at plan time). A broken binding therefore never reaches the API.
// The rules live in internal/validate; this gathers the facts, including
// what the other attachments of the same walk do (PlanRegistry).
func (r *networkInterfaceAttachmentResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	var state *attachmentModel
	if !req.State.Raw.IsNull() {
		state = &attachmentModel{}
		resp.Diagnostics.Append(req.State.Get(ctx, state)...)
	}
	if req.Plan.Raw.IsNull() { // destroy
		if state != nil && r.meta != nil && !resp.Diagnostics.HasError() {
			r.planDetach(ctx, *state, &resp.Diagnostics)
		}
		return
	}
	var plan attachmentModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if known(plan.NetworkInterfaceID) && known(plan.InstanceID) {
		plan.ID = types.StringValue(attachmentID(plan.NetworkInterfaceID.ValueString(), plan.InstanceID.ValueString()))
		resp.Diagnostics.Append(resp.Plan.Set(ctx, plan)...)
	}
	if r.meta == nil || resp.Diagnostics.HasError() {
		return // provider not configured yet: Terraform plans again once it is
	}
	switch {
	case state == nil:
		r.planAttach(ctx, plan, &resp.Diagnostics)
	case replaced(plan, *state):
		// Terraform calls PlanResourceChange twice for a replacement: now
		// with the prior state, then with a null prior state for the
		// create half, which runs the attach checks. Only the detach half
		// is judged here. (resp.RequiresReplace cannot tell: the framework
		// hands ModifyPlan an empty list, whatever the attribute plan
		// modifiers decided.)
		r.planDetach(ctx, *state, &resp.Diagnostics)
	default:
		r.planKeep(*state, &resp.Diagnostics)
		if r.restartPending(ctx, state.InstanceID.ValueString(), &resp.Diagnostics) {
			// An update, which starts the instance again (see Update).
			resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("status"), types.StringUnknown())...)
		}
	}
}

// restartPending reads the instance of an unchanged attachment and warns
// when an interrupted run left it stopped (the stop marker).
func (r *networkInterfaceAttachmentResource) restartPending(ctx context.Context, instanceID string, diags *diag.Diagnostics) bool {
	inst, err := r.meta.Client.FindInstanceStatus(ctx, instanceID)
	if cloud.IsNotFound(err) {
		return false
	}
	if err != nil {
		diags.AddError(fmt.Sprintf("reading instance (%s)", instanceID), err.Error())
		return false
	}
	return warnStopMark(inst, diags)
}

// warnStopMark adds the plan warning for an instance that carries the
// stop marker, and reports whether it does.
func warnStopMark(inst *ecs.Instance, diags *diag.Diagnostics) bool {
	mark, ok := cloud.StopMark(inst)
	if ok {
		diags.AddWarning(stopMarkWarning(inst.InstanceId, mark))
	}
	return ok
}

// replaced reports whether the plan changes an attribute that requires
// replacement; an unknown value counts as a change.
func replaced(plan, state attachmentModel) bool {
	return !plan.NetworkInterfaceID.Equal(state.NetworkInterfaceID) || !plan.InstanceID.Equal(state.InstanceID) ||
		!plan.NetworkCardIndex.Equal(state.NetworkCardIndex)
}

// planKeep records an attachment that stays as it is, and refuses it when
// another attachment of the walk takes its ENI to another instance.
func (r *networkInterfaceAttachmentResource) planKeep(state attachmentModel, diags *diag.Diagnostics) {
	eniID, instanceID := state.NetworkInterfaceID.ValueString(), state.InstanceID.ValueString()
	boundAgain, released := r.meta.Plans.Claims.attachments.keep(eniID, instanceID)
	// A new attachment binding the ENI to the same instance (one to
	// another instance is caught below: it records a detach from here).
	if boundAgain {
		createError(diags, "network_interface_id", "Network interface claimed by two attachments",
			validate.DuplicateAttachment(eniID, instanceID, []string{instanceID}).Error()+".")
	}
	// Whoever detaches it (an attachment moving it elsewhere, or another
	// attachment of the same binding being destroyed) contradicts this one.
	if released {
		createError(diags, "network_interface_id", "Network interface claimed by two attachments",
			validate.MovedAway(eniID, instanceID).Error()+".")
	}
}

// planDetach records that the walk detaches the ENI of an attachment that
// is destroyed or replaced, and checks that the instance will take the
// detach: a Running instance without hot swap needs
// stop_instance_if_required as recorded in state.
func (r *networkInterfaceAttachmentResource) planDetach(ctx context.Context, state attachmentModel, diags *diag.Diagnostics) {
	eniID, instanceID := state.NetworkInterfaceID.ValueString(), state.InstanceID.ValueString()
	r.meta.Plans.Claims.attachments.release(eniID, instanceID)
	c := r.meta.Client
	inst, err := c.FindInstanceByID(ctx, instanceID)
	if cloud.IsNotFound(err) {
		return // nothing to detach from
	}
	if err != nil {
		diags.AddError(fmt.Sprintf("reading instance (%s)", instanceID), err.Error())
		return
	}
	warnStopMark(inst, diags)
	facts := validate.BindingInstance{ID: inst.InstanceId, Type: inst.InstanceType, Status: inst.Status,
		HotSwap: domain.HotSwapSupported(inst.InstanceType)}
	if !validate.StopRequired(facts) || !slices.Contains(cloud.InstanceNetworkInterfaceIDs(inst), eniID) {
		return
	}
	stop := state.StopInstanceIfRequired.ValueBool()
	if err := validate.HotSwap(facts, "detach", stop); err != nil {
		diags.AddError(fmt.Sprintf("Cannot detach network interface %s from instance %s", eniID, instanceID),
			err.Error()+". Destroying or replacing the attachment uses the stop_instance_if_required recorded in "+
				"state: if you have just set it, apply that change on its own first.")
		return
	}
	if w := validate.StopWarning(facts, "detach", eniID, stop); w != "" {
		diags.AddWarning(fmt.Sprintf("Instance %s will be stopped and started", instanceID), w)
	}
}

// planAttach runs the checks of a new binding whose values are known.
// Every error it reports is about an attachment that does not exist yet,
// so each one ends with createHint.
func (r *networkInterfaceAttachmentResource) planAttach(ctx context.Context, plan attachmentModel, diags *diag.Diagnostics) {
	if !known(plan.InstanceID) {
		return // checked in the plan made just before apply
	}
	c, plans := r.meta.Client, &r.meta.Plans.Claims
	instanceID := plan.InstanceID.ValueString()
	eniID := "" // not known: an ENI created in the same apply
	if known(plan.NetworkInterfaceID) {
		eniID = plan.NetworkInterfaceID.ValueString()
	}
	inst, target, claim, ok := r.judgeInstance(ctx, bindingSpec{eniID: eniID, instanceID: instanceID,
		stop: plan.StopInstanceIfRequired, card: plan.NetworkCardIndex, report: createError}, diags)
	if !ok {
		return
	}
	stop, stopKnown := plan.StopInstanceIfRequired.ValueBool(), known(plan.StopInstanceIfRequired)
	if eniID == "" {
		return // the ENI's checks run in the plan made just before apply
	}

	eni, err := c.FindNetworkInterfaceByID(ctx, eniID)
	if cloud.IsNotFound(err) {
		createError(diags, "network_interface_id", "Network interface not found",
			fmt.Sprintf("Network interface %s does not exist in region %s. Use the ID of an existing ENI.", eniID, c.Region()))
		return
	}
	if err != nil {
		diags.AddError(fmt.Sprintf("reading network interface (%s)", eniID), err.Error())
		return
	}
	facts := eniFacts(eni)
	// Addresses eni_private_ip resources of the walk add by name count
	// too. Those without a fixed address are left out: once applied they
	// are on the ENI already and would count twice.
	for _, ip := range plans.privateIPs.planned(eniID).added {
		if !slices.Contains(cloud.PrivateIPs(eni), ip) {
			facts.PlannedPrivateIPs++
		}
	}

	// Rule 4: never a primary ENI.
	if err := validate.ENIType(facts); err != nil {
		createError(diags, "network_interface_id", "Primary network interface", err.Error()+".")
		return
	}
	// Rule 1: same zone and VPC.
	if err := validate.ZoneAndVPC(facts, target); err != nil {
		createError(diags, "instance_id", "Network interface in another zone or VPC", err.Error()+".")
	}
	if err := validate.PrivateIPsPerENI(facts, target); err != nil {
		createError(diags, "network_interface_id", "Too many private IPs for the instance type", err.Error()+".")
	}
	if err := validate.IPv6PerENI(facts, target); err != nil {
		createError(diags, "network_interface_id", "Too many IPv6 addresses for the instance type", err.Error()+".")
	}
	r.planMove(ctx, facts, instanceID, stop, stopKnown, diags)

	// Rule 5: several ENIs of one vSwitch on the instance: a warning,
	// given once per vSwitch and instance in a walk.
	if plans.attachments.sameVSwitchWarned(facts.VSwitchID, instanceID) {
		return
	}
	planned := plans.attachments.boundTo(instanceID)
	if w := validate.SameVSwitch(facts, instanceID, r.vswitchesOn(ctx, inst, claim.bound, planned)); w != "" &&
		plans.attachments.warnSameVSwitchOnce(facts.VSwitchID, instanceID) {
		diags.AddWarning(fmt.Sprintf("Several network interfaces of vSwitch %s on instance %s", facts.VSwitchID, instanceID), w)
	}
}

// bindingSpec is a new binding as plan sees it, from an attachment
// resource or from an ENI's attachment block.
type bindingSpec struct {
	eniID      string // "" while not known
	instanceID string
	stop       types.Bool
	card       types.Int64
	// report adds an error about the binding; attr is the name of the
	// attachment resource's argument it is about.
	report func(diags *diag.Diagnostics, attr, summary, detail string)
}

// judgeInstance runs the checks of a new binding that need the instance
// only: it exists; the walk's claims (one ENI in one attachment, the
// instance type's ENI limit); the stopped state an instance type without
// hot swap needs; the network card. ok is false when the instance or its
// type could not be read.
func (r *networkInterfaceAttachmentResource) judgeInstance(ctx context.Context, s bindingSpec, diags *diag.Diagnostics) (inst *ecs.Instance, target validate.BindingInstance, claim attachClaim, ok bool) {
	c, attachments := r.meta.Client, &r.meta.Plans.Claims.attachments
	// The instance's ENIs may predate the walk's own attaches and
	// detaches: bind counts those from the walk's claims either way.
	inst, err := c.FindInstanceStatus(ctx, s.instanceID)
	if err != nil {
		attachments.bindToMissingInstance(s.instanceID, eniRefOf(s.eniID))
		if cloud.IsNotFound(err) {
			s.report(diags, "instance_id", "Instance not found",
				fmt.Sprintf("Instance %s does not exist in region %s. Use the ID of an existing instance.", s.instanceID, c.Region()))
		} else {
			diags.AddError(fmt.Sprintf("reading instance (%s)", s.instanceID), err.Error())
		}
		return nil, target, claim, false
	}
	// This binding's place among those of the walk, taken in one step
	// with its claims.
	claim = attachments.bind(inst.InstanceId, eniRefOf(s.eniID), cloud.InstanceNetworkInterfaceIDs(inst))
	if len(claim.duplicates) > 0 {
		s.report(diags, "network_interface_id", "Network interface claimed by two attachments",
			validate.DuplicateAttachment(s.eniID, s.instanceID, claim.duplicates).Error()+". Bind an ENI either with "+
				"the attachment block of its eni_network_interface or with one eni_network_interface_attachment.")
	}

	warnStopMark(inst, diags)
	it, err := c.LookupInstanceType(ctx, inst.InstanceType)
	if err != nil {
		diags.AddError(fmt.Sprintf("reading instance type (%s)", inst.InstanceType), err.Error())
		return inst, target, claim, false
	}
	target = instanceFacts(inst, it)

	// Rule 2: an instance type without hot swap must be stopped.
	if stop := s.stop.ValueBool(); !s.stop.IsUnknown() {
		if err := validate.HotSwap(target, "attach", stop); err != nil {
			s.report(diags, "stop_instance_if_required", "Instance must be stopped", err.Error()+".")
		} else if w := validate.StopWarning(target, "attach", s.eniID, stop); w != "" {
			diags.AddWarning(fmt.Sprintf("Instance %s will be stopped and started", s.instanceID), w)
		}
	}
	// Rule 3: the ENI count. An ENI that stays bound there, or that a
	// binding judged earlier binds there, adds nothing.
	if !claim.counted {
		if err := validate.ENILimit(target, claim.bound, claim.before); err != nil {
			s.report(diags, "instance_id", "Too many network interfaces", err.Error()+".")
		}
	}
	if known(s.card) {
		if err := validate.NetworkCardIndex(s.card.ValueInt64(), target); err != nil {
			s.report(diags, "network_card_index", "Invalid network_card_index", err.Error()+".")
		}
	}
	return inst, target, claim, true
}

// planMove judges an ENI bound to another instance than the target (rule
// 4). If an unchanged attachment of this walk keeps it there, two
// attachments claim one ENI: an error. Otherwise the attach is allowed,
// with a warning, and Create detaches the ENI from the other instance
// first.
//
// Why a warning and not an error when the walk shows no detach: in the
// apply walk Terraform plans the create half of a create_before_destroy
// replacement again with a null prior state and never plans the deposed
// object's destroy again, so the provider cannot tell a move planned in
// this configuration from an ENI bound out of band there. Refusing would
// break the failover pattern (create_before_destroy, or a new attachment
// replacing an old one) that moving ENIs is for.
func (r *networkInterfaceAttachmentResource) planMove(ctx context.Context, eni validate.BindingENI, targetID string, stop, stopKnown bool, diags *diag.Diagnostics) {
	other := eni.InstanceID
	if other == "" || other == targetID {
		return
	}
	// Tell an unchanged attachment holding the ENI on the other instance
	// (planned before or after this one) that it is being taken away.
	kept := r.meta.Plans.Claims.attachments.release(eni.ID, other)
	warning, err := validate.BoundElsewhere(eni, targetID, kept)
	if err != nil {
		createError(diags, "network_interface_id", "Network interface claimed by two attachments", err.Error()+".")
		return
	}
	diags.AddWarning(fmt.Sprintf("Network interface %s will be moved from instance %s", eni.ID, other), warning)

	// The detach from the other instance must be possible too.
	inst, err := r.meta.Client.FindInstanceByID(ctx, other)
	if err != nil || !stopKnown {
		return // gone: nothing to detach from; unknown flag: judged later
	}
	facts := validate.BindingInstance{ID: inst.InstanceId, Type: inst.InstanceType, Status: inst.Status,
		HotSwap: domain.HotSwapSupported(inst.InstanceType)}
	if err := validate.HotSwap(facts, "detach", stop); err != nil {
		createError(diags, "stop_instance_if_required", "Instance must be stopped", err.Error()+".")
	} else if w := validate.StopWarning(facts, "detach", eni.ID, stop); w != "" {
		diags.AddWarning(fmt.Sprintf("Instance %s will be stopped and started", other), w)
	}
}

// vswitchesOn maps the ENIs on the instance (bound now, or planned to it
// by this walk) to their vSwitches. DescribeInstances may not report an
// ENI's vSwitch; those are looked up (and cached: it never changes).
// Errors only cost the warning, so they are ignored.
func (r *networkInterfaceAttachmentResource) vswitchesOn(ctx context.Context, inst *ecs.Instance, bound, planned []string) map[string]string {
	out := map[string]string{}
	for _, ni := range inst.NetworkInterfaces.NetworkInterface {
		if !slices.Contains(bound, ni.NetworkInterfaceId) {
			continue
		}
		vsw := ni.VSwitchId
		if vsw == "" && ni.Type == domain.ENITypePrimary {
			vsw = inst.VpcAttributes.VSwitchId
		}
		if vsw != "" {
			out[ni.NetworkInterfaceId] = vsw
		}
	}
	var missing []string
	for _, id := range append(slices.Clone(bound), planned...) {
		if _, ok := out[id]; !ok && !slices.Contains(missing, id) {
			missing = append(missing, id)
		}
	}
	if len(missing) > 0 {
		found, _ := r.meta.Client.LookupNetworkInterfaceVSwitches(ctx, missing)
		for id, vsw := range found {
			out[id] = vsw
		}
	}
	return out
}

func instanceFacts(inst *ecs.Instance, it *ecs.InstanceType) validate.BindingInstance {
	return validate.BindingInstance{
		ID: inst.InstanceId, Type: inst.InstanceType, Status: inst.Status,
		ZoneID: inst.ZoneId, VPCID: inst.VpcAttributes.VpcId,
		HotSwap:  domain.HotSwapSupported(inst.InstanceType),
		ENILimit: it.EniQuantity, IPsPerENI: it.EniPrivateIpAddressQuantity, IPv6PerENI: it.EniIpv6AddressQuantity,
		NetworkCards: it.NetworkCardQuantity,
	}
}

func eniFacts(e *ecs.NetworkInterfaceSet) validate.BindingENI {
	return validate.BindingENI{
		ID: e.NetworkInterfaceId, Type: e.Type, ZoneID: e.ZoneId, VPCID: e.VpcId, VSwitchID: e.VSwitchId,
		InstanceID: cloud.AttachedInstanceID(e), PrivateIPs: len(cloud.PrivateIPs(e)) + len(cloud.IPv4Prefixes(e)),
		IPv6Addresses: len(cloud.IPv6Addresses(e)),
	}
}
