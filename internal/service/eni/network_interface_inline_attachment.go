package eni

// The attachment block of eni_network_interface: an ENI created and bound
// in one resource, so that plan judges the binding completely even while
// the ENI does not exist yet (a separate eni_network_interface_attachment
// sees an unknown network_interface_id at plan). Binding and unbinding
// are the attachment resource's own attach and detach, under the same
// per-instance lock and rules.

import (
	"context"
	"fmt"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/openeni/terraform-provider-eni/internal/domain"
	"github.com/openeni/terraform-provider-eni/internal/validate"
)

// newENIsAllBound reports whether the walk has created ENIs so far and
// every one of them is bound by its attachment block. An
// eni_eip_association on an ENI whose ID is unknown at plan uses it:
// Terraform plans the ENI it names before it, so when every new ENI so
// far is bound, that one is too.
func newENIsAllBound(plans *PlanRegistry) bool {
	n := plans.addresses().newENIsSoFar()
	all := n.Owning + n.Other
	return all > 0 && n.Bound >= all
}

// inlineAttachmentModel is the attachment block.
type inlineAttachmentModel struct {
	InstanceID                       types.String `tfsdk:"instance_id"`
	NetworkCardIndex                 types.Int64  `tfsdk:"network_card_index"`
	StopInstanceIfRequired           types.Bool   `tfsdk:"stop_instance_if_required"`
	WaitForNetworkConfigurationReady types.Bool   `tfsdk:"wait_for_network_configuration_ready"`
}

func inlineAttachmentBlock() schema.SingleNestedBlock {
	return schema.SingleNestedBlock{
		MarkdownDescription: "Binds the ENI to an instance, as `eni_network_interface_attachment` does, for an ENI " +
			"created and bound together: plan then judges the whole binding (zone and VPC, the stopped state that " +
			"instance types without hot swap need, the instance type's ENI and IP limits) before the ENI exists. " +
			"Changing `instance_id` moves the ENI in place; removing the block detaches it. Do not also bind the ENI " +
			"with an `eni_network_interface_attachment`.",
		Attributes: map[string]schema.Attribute{
			"instance_id": schema.StringAttribute{
				Optional:            true,
				Validators:          []validator.String{stringvalidator.RegexMatches(instanceIDRE, "must be an instance ID such as i-bp1234567890abcdef")},
				MarkdownDescription: "ID of the instance, in the ENI's VPC and zone. Required in the block.",
			},
			"network_card_index": schema.Int64Attribute{
				Optional:            true,
				Validators:          []validator.Int64{int64validator.AtLeast(0)},
				MarkdownDescription: "Network card to bind the ENI to, from 0, for instance types with several network cards.",
			},
			"stop_instance_if_required": schema.BoolAttribute{
				Optional: true,
				MarkdownDescription: "As in `eni_network_interface_attachment`: when `true`, an instance of a type " +
					"without ENI hot swap that is Running is stopped for the attach or detach and started again. " +
					"Unset means `false`.",
			},
			"wait_for_network_configuration_ready": schema.BoolAttribute{
				Optional: true,
				MarkdownDescription: "Passed to the API as `WaitForNetworkConfigurationReady` (deprecated by Alibaba " +
					"Cloud). Defaults to `false`: unset, the parameter is not sent, and the API's default is `false`.",
			},
		},
	}
}

// inlineAttachmentNeedsInstance refuses an attachment block without
// instance_id (a block's attributes cannot be Required).
type inlineAttachmentNeedsInstance struct{}

func (inlineAttachmentNeedsInstance) Description(context.Context) string {
	return "attachment.instance_id is required when the attachment block is present"
}

func (v inlineAttachmentNeedsInstance) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (inlineAttachmentNeedsInstance) ValidateResource(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var a *inlineAttachmentModel
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("attachment"), &a)...)
	if a != nil && a.InstanceID.IsNull() {
		resp.Diagnostics.AddAttributeError(path.Root("attachment").AtName("instance_id"), "Missing instance_id",
			"The attachment block binds the ENI to an instance: set instance_id, or remove the block to leave the ENI unbound.")
	}
}

// binder is the attachment resource's attach and detach, for the ENI's
// own block.
func (r *networkInterfaceResource) binder() *networkInterfaceAttachmentResource {
	return attachmentResourceWith(&Meta{Client: r.client, Plans: r.plans})
}

func (a *inlineAttachmentModel) swapOpts(eniID string, timeout time.Duration) swapOpts {
	return swapOpts{eniID: eniID, stop: a.StopInstanceIfRequired.ValueBool(), timeout: timeout}
}

// asAttachment is the block as the attachment resource's model.
func (a *inlineAttachmentModel) asAttachment(eniID string) attachmentModel {
	return attachmentModel{
		ID:                               types.StringValue(attachmentID(eniID, a.InstanceID.ValueString())),
		NetworkInterfaceID:               types.StringValue(eniID),
		InstanceID:                       a.InstanceID,
		NetworkCardIndex:                 a.NetworkCardIndex,
		WaitForNetworkConfigurationReady: a.WaitForNetworkConfigurationReady,
		StopInstanceIfRequired:           types.BoolValue(a.StopInstanceIfRequired.ValueBool()),
	}
}

// bind attaches the ENI to the block's instance (moving it from another
// one first) and waits until it is InUse there. accepted, when not nil,
// is called once the API has taken the attach (or found it done), so the
// caller can record the binding before the wait. It returns the ENI as
// the wait last read it.
func (r *networkInterfaceResource) bind(ctx context.Context, eniID string, a *inlineAttachmentModel, timeout time.Duration, accepted func()) (*ecs.NetworkInterfaceSet, error) {
	if accepted == nil {
		accepted = func() {}
	}
	eni, err := r.binder().attach(ctx, a.asAttachment(eniID), a.swapOpts(eniID, timeout), accepted)
	if err != nil {
		return nil, fmt.Errorf("attaching it to instance %s: %w", a.InstanceID.ValueString(), err)
	}
	return eni, nil
}

// unbind detaches the ENI from the block's instance.
func (r *networkInterfaceResource) unbind(ctx context.Context, eniID string, a *inlineAttachmentModel, timeout time.Duration) error {
	if err := r.binder().detach(ctx, eniID, a.InstanceID.ValueString(), a.swapOpts(eniID, timeout)); err != nil {
		return fmt.Errorf("detaching it from instance %s: %w", a.InstanceID.ValueString(), err)
	}
	return nil
}

// rebind moves the ENI to what the plan's block says: bound to another
// instance or card, or unbound when the block is gone.
func (r *networkInterfaceResource) rebind(ctx context.Context, eniID string, plan, state *inlineAttachmentModel, timeout time.Duration) error {
	switch {
	case !bindingChanged(plan, state):
		return nil
	case plan == nil:
		return r.unbind(ctx, eniID, state, timeout)
	case state != nil && !plan.InstanceID.Equal(state.InstanceID):
		_, err := r.bind(ctx, eniID, plan, timeout, nil) // attach detaches from the old instance first
		return err
	case state != nil:
		// Another network card of the same instance: unbind, then bind.
		if err := r.unbind(ctx, eniID, state, timeout); err != nil {
			return err
		}
	}
	_, err := r.bind(ctx, eniID, plan, timeout, nil)
	return err
}

// bindingChanged reports whether the block asks for another binding than
// state records (stop_instance_if_required and the deprecated wait flag
// change nothing in the cloud).
func bindingChanged(plan, state *inlineAttachmentModel) bool {
	if plan == nil || state == nil {
		return (plan == nil) != (state == nil)
	}
	return !plan.InstanceID.Equal(state.InstanceID) || !plan.NetworkCardIndex.Equal(state.NetworkCardIndex)
}

// fillInlineAttachment records the ENI's binding in a block that state
// has: the instance it is bound to, or no block when it is unbound (the
// next plan then binds it again). An ENI without the block is bound or
// not by others (eni_network_interface_attachment), and its block stays
// null.
func fillInlineAttachment(m *networkInterfaceModel, v eniView, card int) {
	if m.Attachment == nil {
		return
	}
	if v.InstanceID == "" || v.Status == domain.ENIStatusDetaching {
		m.Attachment = nil
		return
	}
	m.Attachment.InstanceID = types.StringValue(v.InstanceID)
	if !m.Attachment.NetworkCardIndex.IsNull() {
		m.Attachment.NetworkCardIndex = types.Int64Value(int64(card))
	}
}

// planInlineAttachment runs at plan the checks of the attachment block of
// an ENI that is created or whose binding changes, with the ENI's facts
// taken from the plan when it does not exist yet. It records the binding
// in the walk's registry like an attachment resource does, so the ENI
// count of the instance and the one-ENI-one-attachment rule see both
// forms.
func (r *networkInterfaceResource) planInlineAttachment(ctx context.Context, plan networkInterfaceModel, state *networkInterfaceModel, diags *diag.Diagnostics) {
	var old *inlineAttachmentModel
	eniID := ""
	if state != nil {
		old, eniID = state.Attachment, state.ID.ValueString()
	}
	b := r.binder()
	if old != nil && bindingChanged(plan.Attachment, old) {
		b.planDetach(ctx, old.asAttachment(eniID), diags)
	}
	a := plan.Attachment
	if a == nil {
		return
	}
	if old != nil && !bindingChanged(a, old) {
		b.planKeep(old.asAttachment(eniID), diags)
		return
	}
	if !known(a.InstanceID) {
		return // judged in the plan made just before apply
	}
	at := path.Root("attachment")
	report := func(diags *diag.Diagnostics, attr, summary, detail string) {
		p := at.AtName(attr)
		if attr == "network_interface_id" {
			p = at // the ENI is the block's own
		}
		diags.AddAttributeError(p, summary, detail+createHint)
	}
	_, target, _, ok := b.judgeInstance(ctx, bindingSpec{eniID: eniID, instanceID: a.InstanceID.ValueString(),
		stop: a.StopInstanceIfRequired, card: a.NetworkCardIndex, report: report}, diags)
	if !ok {
		return
	}
	facts, ok := r.plannedENIFacts(ctx, plan, eniID)
	if !ok {
		return
	}
	if err := validate.ZoneAndVPC(facts, target); err != nil {
		report(diags, "instance_id", "Network interface in another zone or VPC", err.Error()+".")
	}
	if err := validate.PrivateIPsPerENI(facts, target); err != nil {
		report(diags, "instance_id", "Too many private IPs for the instance type", err.Error()+".")
	}
	if err := validate.IPv6PerENI(facts, target); err != nil {
		report(diags, "instance_id", "Too many IPv6 addresses for the instance type", err.Error()+".")
	}
}

// plannedENIFacts are the binding facts of the ENI as planned: zone and
// VPC from its vSwitch; its primary IP plus its secondary IPs and IPv4
// prefixes, and its IPv6 addresses, as the plan sets them (or as it holds
// them, when the plan leaves them alone).
func (r *networkInterfaceResource) plannedENIFacts(ctx context.Context, plan networkInterfaceModel, eniID string) (validate.BindingENI, bool) {
	if !known(plan.VSwitchID) {
		return validate.BindingENI{}, false
	}
	vsw, err := r.client.LookupVSwitch(ctx, plan.VSwitchID.ValueString())
	if err != nil {
		return validate.BindingENI{}, false // reported by the vSwitch check
	}
	name := eniID
	if name == "" {
		name = "(new, in vSwitch " + vsw.VSwitchId + ")"
	}
	facts := validate.BindingENI{ID: name, Type: domain.ENITypeSecondary, ZoneID: vsw.ZoneId, VPCID: vsw.VpcId,
		VSwitchID: vsw.VSwitchId, PrivateIPs: 1}
	for _, k := range addressKinds {
		n := plannedKindCount(k, plan)
		if k.listArg == ipv6Kind.listArg {
			facts.IPv6Addresses = n
		} else {
			facts.PrivateIPs += n
		}
	}
	return facts, true
}

// plannedKindCount is how many addresses of a kind the plan gives the
// ENI: the count or the list it sets, else the computed set it plans
// (what the ENI holds now); 0 while unknown.
func plannedKindCount(k addressKind, plan networkInterfaceModel) int {
	f := k.fields(&plan)
	switch {
	case known(*f.count):
		return int(f.count.ValueInt64())
	case known(*f.list):
		return len(f.list.Elements())
	case known(*f.assigned):
		return len(f.assigned.Elements())
	}
	return 0
}
