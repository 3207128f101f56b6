package eni

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/openeni/terraform-provider-eni/internal/cloud"
	"github.com/openeni/terraform-provider-eni/internal/domain"
	"github.com/openeni/terraform-provider-eni/internal/validate"
)

var (
	_ resource.ResourceWithConfigure   = (*networkInterfaceAttachmentResource)(nil)
	_ resource.ResourceWithImportState = (*networkInterfaceAttachmentResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*networkInterfaceAttachmentResource)(nil)
)

// Default timeouts of eni_network_interface_attachment. They cover a stop
// and a start of the instance as well when stop_instance_if_required
// applies.
const (
	attachmentCreateTimeout = 10 * time.Minute
	attachmentDeleteTimeout = 10 * time.Minute
)

var (
	eniIDRE      = regexp.MustCompile(`^eni-[^\s:]+$`)
	instanceIDRE = regexp.MustCompile(`^i-[^\s:]+$`)
	// attachmentIDRE is the import ID: <eni-id>:<instance-id>.
	attachmentIDRE = regexp.MustCompile(`^(eni-[^\s:]+):(i-[^\s:]+)$`)
)

func newNetworkInterfaceAttachmentResource() resource.Resource {
	return newAttachmentResource()
}

func newAttachmentResource() *networkInterfaceAttachmentResource {
	return &networkInterfaceAttachmentResource{resourceBase: resourceBase{typeName: "_network_interface_attachment",
		timeouts: operationTimeouts{create: attachmentCreateTimeout, delete: attachmentDeleteTimeout}}}
}

// attachmentResourceWith is the attachment resource configured with m,
// for the code that attaches and detaches outside Terraform's calls (the
// ENI's attachment block, tests).
func attachmentResourceWith(m *Meta) *networkInterfaceAttachmentResource {
	r := newAttachmentResource()
	r.setMeta(m)
	return r
}

type networkInterfaceAttachmentResource struct {
	resourceBase
}

type attachmentModel struct {
	ID                               types.String   `tfsdk:"id"`
	NetworkInterfaceID               types.String   `tfsdk:"network_interface_id"`
	InstanceID                       types.String   `tfsdk:"instance_id"`
	NetworkCardIndex                 types.Int64    `tfsdk:"network_card_index"`
	WaitForNetworkConfigurationReady types.Bool     `tfsdk:"wait_for_network_configuration_ready"`
	StopInstanceIfRequired           types.Bool     `tfsdk:"stop_instance_if_required"`
	Status                           types.String   `tfsdk:"status"`
	Timeouts                         timeouts.Value `tfsdk:"timeouts"`
}

func attachmentID(eniID, instanceID string) string { return eniID + ":" + instanceID }

func (r *networkInterfaceAttachmentResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Binds a secondary ENI to an ECS instance. `terraform plan` checks the binding against the " +
			"cloud: same zone and VPC, the instance type's ENI limit (counting every attachment of the plan), the " +
			"stopped state that instance types without hot swap need, and a primary ENI or an ENI another attachment " +
			"keeps. Changing `instance_id` moves the ENI in one apply; its private IPs and EIPs stay with it. Attach " +
			"and detach calls on one instance are serialised, so many attachments to one instance apply safely.",
		Attributes: map[string]schema.Attribute{
			// Required
			"network_interface_id": schema.StringAttribute{
				Required:            true,
				Validators:          []validator.String{stringvalidator.RegexMatches(eniIDRE, "must be an ENI ID such as eni-bp1234567890abcdef")},
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
				MarkdownDescription: "ID of the secondary ENI to bind. Changing it replaces the attachment.",
			},
			"instance_id": schema.StringAttribute{
				Required:      true,
				Validators:    []validator.String{stringvalidator.RegexMatches(instanceIDRE, "must be an instance ID such as i-bp1234567890abcdef")},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
				MarkdownDescription: "ID of the instance, in the ENI's VPC and zone. Changing it moves the ENI: detached from " +
					"the old instance, attached to the new one, in one apply.",
			},
			// Optional
			"network_card_index": schema.Int64Attribute{
				Optional:      true,
				Validators:    []validator.Int64{int64validator.AtLeast(0)},
				PlanModifiers: []planmodifier.Int64{int64planmodifier.RequiresReplace()},
				MarkdownDescription: "Network card (physical channel) to bind the ENI to, from 0, for instance types with " +
					"several network cards (see `network_card_quantity` of the `eni_instance_type` data source). Changing " +
					"it replaces the attachment.",
			},
			"wait_for_network_configuration_ready": schema.BoolAttribute{
				Optional: true,
				MarkdownDescription: "Passed to the API as `WaitForNetworkConfigurationReady`: whether the attach waits " +
					"until the guest OS has configured the ENI. Alibaba Cloud has deprecated the parameter and may ignore it. " +
					"Defaults to `false`: unset, the parameter is not sent, and the API's default is `false`.",
			},
			"stop_instance_if_required": schema.BoolAttribute{
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(false),
				MarkdownDescription: "Instance types without ENI hot swap (the shared s6, e, t5, t6, xn4, n4, mn4 and e4 " +
					"families) accept attach and detach only while Stopped. When `true` and such an instance is Running, " +
					"apply stops it, attaches (or, on destroy, detaches) the ENI and starts it again, also when the " +
					"operation fails or is interrupted; an instance found Stopped stays Stopped. The plan warns when it " +
					"will. The instance carries the tag `terraform-provider-eni:stopped` while it is stopped for this. When `false` (the default), the plan fails for a " +
					"Running instance of such a type. Destroy uses the value recorded in state.",
			},
			// Computed
			"id": computedString("`<network_interface_id>:<instance_id>`.", true),
			"status": computedString("Status of the ENI: `InUse` once bound (`Attaching` or `Detaching` while the API "+
				"works on it).", true),
		},
		Blocks: map[string]schema.Block{
			"timeouts": r.timeouts.block(ctx),
		},
	}
}

func (r *networkInterfaceAttachmentResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan attachmentModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, timeout := r.createContext(ctx, plan.Timeouts, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}

	eniID, instanceID := plan.NetworkInterfaceID.ValueString(), plan.InstanceID.ValueString()
	plan.ID = types.StringValue(attachmentID(eniID, instanceID))
	// Record the attachment once the API has accepted it: if a wait
	// fails later, it is tainted in state instead of forgotten.
	accepted := func() {
		plan.Status = types.StringValue(domain.ENIStatusAttaching)
		resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
	}
	eni, err := r.attach(ctx, plan, swapOpts{eniID: eniID, stop: plan.StopInstanceIfRequired.ValueBool(), timeout: timeout}, accepted)
	if err != nil {
		resp.Diagnostics.AddError(fmt.Sprintf("attaching network interface (%s) to instance (%s)", eniID, instanceID), err.Error())
		return
	}
	plan.Status = types.StringValue(eni.Status)
	resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
}

func (r *networkInterfaceAttachmentResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state attachmentModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	eniID, instanceID := state.NetworkInterfaceID.ValueString(), state.InstanceID.ValueString()
	eni, err := r.meta.Client.FindNetworkInterfaceByID(ctx, eniID)
	if cloud.IsNotFound(err) {
		resp.Diagnostics.AddWarning("Network interface of attachment gone",
			fmt.Sprintf("Network interface %s no longer exists; removing its attachment to instance %s from state.", eniID, instanceID))
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.AddError(fmt.Sprintf("reading network interface (%s)", eniID), err.Error())
		return
	}
	if bound := cloud.AttachedInstanceID(eni); bound != instanceID {
		where := "is no longer bound to any instance"
		if bound != "" {
			where = "is bound to instance " + bound + " now"
		}
		resp.Diagnostics.AddWarning("Network interface attachment changed outside Terraform",
			fmt.Sprintf("Network interface %s %s, not to %s; removing the attachment from state so the next apply "+
				"attaches it again.", eniID, where, instanceID))
		resp.State.RemoveResource(ctx)
		return
	}
	state.ID = types.StringValue(attachmentID(eniID, instanceID))
	state.Status = types.StringValue(eni.Status)
	if !state.NetworkCardIndex.IsNull() {
		state.NetworkCardIndex = types.Int64Value(int64(eni.Attachment.NetworkCardIndex))
	}
	if state.StopInstanceIfRequired.IsNull() {
		state.StopInstanceIfRequired = types.BoolValue(false)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, state)...)
}

// Update changes only what lives in state: stop_instance_if_required,
// wait_for_network_configuration_ready and timeouts. Everything that the
// API holds requires replacement. It also starts an instance that an
// interrupted run left stopped (plan then shows status as changing).
func (r *networkInterfaceAttachmentResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state attachmentModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	plan.ID, plan.Status = state.ID, state.Status
	eniID, instanceID := state.NetworkInterfaceID.ValueString(), state.InstanceID.ValueString()
	if err := r.finishRestart(ctx, eniID, instanceID); err != nil {
		resp.Diagnostics.AddError(fmt.Sprintf("starting instance (%s) again", instanceID), err.Error())
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
}

// finishRestart starts the instance again if it carries the stop marker,
// under the instance's lock.
func (r *networkInterfaceAttachmentResource) finishRestart(ctx context.Context, eniID, instanceID string) error {
	c := r.meta.Client
	unlock, err := c.Locks.Lock(ctx, instanceLockKey(instanceID))
	if err != nil {
		return err
	}
	defer unlock()
	return restartIfMarked(ctx, c, instanceID, "attach "+eniID, attachmentCreateTimeout)
}

func (r *networkInterfaceAttachmentResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state attachmentModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, timeout := r.deleteContext(ctx, state.Timeouts, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}
	eniID, instanceID := state.NetworkInterfaceID.ValueString(), state.InstanceID.ValueString()
	if err := r.detach(ctx, eniID, instanceID, swapOpts{eniID: eniID, stop: state.StopInstanceIfRequired.ValueBool(), timeout: timeout}); err != nil {
		resp.Diagnostics.AddError(fmt.Sprintf("detaching network interface (%s) from instance (%s)", eniID, instanceID), err.Error())
	}
}

func (r *networkInterfaceAttachmentResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	m := attachmentIDRE.FindStringSubmatch(req.ID)
	if m == nil {
		resp.Diagnostics.AddError("Invalid import ID",
			fmt.Sprintf("%q is not an attachment ID; import with <network-interface-id>:<instance-id>, such as "+
				"eni-bp1234567890abcdef:i-bp1234567890abcdef.", req.ID))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), req.ID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("network_interface_id"), m[1])...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("instance_id"), m[2])...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("stop_instance_if_required"), false)...)
}

// --- attach and detach -------------------------------------------------

// swapOpts are the settings of one attach or detach.
type swapOpts struct {
	eniID   string
	stop    bool // stop_instance_if_required
	timeout time.Duration
}

// instanceLockKey is the KeyedLocks key that serialises attach and detach
// on one instance. It is held across each call and its wait, so parallel
// attachments to one instance never collide in the API's conflict errors.
func instanceLockKey(instanceID string) string { return "instance:" + instanceID }

// attach binds the ENI to the instance and waits until it is InUse. An ENI
// bound to another instance is detached from it first (a move: see
// planAttach for why this is allowed). accepted is called once the API
// has taken the attach (or found it done already).
func (r *networkInterfaceAttachmentResource) attach(ctx context.Context, plan attachmentModel, o swapOpts, accepted func()) (*ecs.NetworkInterfaceSet, error) {
	c := r.meta.Client
	eniID, instanceID := plan.NetworkInterfaceID.ValueString(), plan.InstanceID.ValueString()
	eni, err := c.FindNetworkInterfaceByID(ctx, eniID)
	if err != nil {
		return nil, err
	}
	if eni.Status == domain.ENIStatusAttaching || eni.Status == domain.ENIStatusDetaching {
		if eni, err = c.WaitNetworkInterfaceSettled(ctx, eniID, o.timeout); err != nil {
			return nil, err
		}
	}
	switch other := cloud.AttachedInstanceID(eni); {
	case other == instanceID:
		tflog.Info(ctx, "network interface already attached", map[string]any{"id": eniID, "instance_id": instanceID})
		accepted()
		// An interrupted run may have attached it and left the instance
		// stopped.
		return eni, r.finishRestart(ctx, eniID, instanceID)
	case other != "":
		tflog.Info(ctx, "moving network interface: detaching it first", map[string]any{"id": eniID, "from": other, "to": instanceID})
		if err := r.detach(ctx, eniID, other, o); err != nil {
			return nil, fmt.Errorf("detaching it from instance %s first: %w", other, err)
		}
	}

	unlock, err := c.Locks.Lock(ctx, instanceLockKey(instanceID))
	if err != nil {
		return nil, err
	}
	defer unlock()
	err = r.withInstanceReady(ctx, instanceID, "attach", o, func(ctx context.Context, opts []cloud.CallOption) error {
		in := ecs.CreateAttachNetworkInterfaceRequest()
		in.NetworkInterfaceId, in.InstanceId = eniID, instanceID
		if known(plan.NetworkCardIndex) {
			in.NetworkCardIndex = requests.NewInteger(int(plan.NetworkCardIndex.ValueInt64()))
		}
		if known(plan.WaitForNetworkConfigurationReady) {
			in.WaitForNetworkConfigurationReady = requests.NewBoolean(plan.WaitForNetworkConfigurationReady.ValueBool())
		}
		if _, err := c.AttachNetworkInterface(ctx, in, opts...); err != nil {
			return err
		}
		accepted()
		eni, err = c.WaitNetworkInterfaceInUse(ctx, eniID, instanceID, o.timeout)
		return err
	})
	return eni, err
}

// detach unbinds the ENI from the instance and waits until it has left.
// An ENI that is gone, unbound or bound to another instance (moved by a
// newer attachment) is left alone: success without any API change.
func (r *networkInterfaceAttachmentResource) detach(ctx context.Context, eniID, instanceID string, o swapOpts) error {
	c := r.meta.Client
	unlock, err := c.Locks.Lock(ctx, instanceLockKey(instanceID))
	if err != nil {
		return err
	}
	defer unlock()
	// Read under the lock: an operation that held it may have moved the ENI.
	// Nothing to detach: an interrupted run may have detached it and left
	// the instance stopped.
	nothingToDo := func() error { return restartIfMarked(ctx, c, instanceID, "detach "+eniID, o.timeout) }
	eni, err := c.FindNetworkInterfaceByID(ctx, eniID)
	if cloud.IsNotFound(err) {
		return nothingToDo()
	}
	if err != nil {
		return err
	}
	if eni.Status == domain.ENIStatusAttaching || eni.Status == domain.ENIStatusDetaching {
		eni, err = c.WaitNetworkInterfaceSettled(ctx, eniID, o.timeout)
		if cloud.IsNotFound(err) {
			return nothingToDo()
		}
		if err != nil {
			return err
		}
	}
	if bound := cloud.AttachedInstanceID(eni); bound != instanceID {
		tflog.Info(ctx, "network interface not bound to the instance any more; nothing to detach",
			map[string]any{"id": eniID, "instance_id": instanceID, "bound_to": bound})
		return nothingToDo()
	}
	if eni.Type == domain.ENITypePrimary {
		return fmt.Errorf("network interface %s is the primary ENI of instance %s and can never be detached", eniID, instanceID)
	}
	err = r.withInstanceReady(ctx, instanceID, "detach", o, func(ctx context.Context, opts []cloud.CallOption) error {
		in := ecs.CreateDetachNetworkInterfaceRequest()
		in.NetworkInterfaceId, in.InstanceId = eniID, instanceID
		if _, err := c.DetachNetworkInterface(ctx, in, opts...); err != nil {
			// Refused because it is not bound there (any more): success
			// in the client (its confirmer).
			if cloud.IsNotFound(err) {
				return nil
			}
			return err
		}
		return c.WaitNetworkInterfaceDetached(ctx, eniID, instanceID, o.timeout)
	})
	var nf *cloud.NotFoundError
	if errors.As(err, &nf) && nf.Kind == cloud.KindInstance {
		return nil // the instance is gone, and its ENIs with it
	}
	return err
}

// withInstanceReady runs do (an attach or detach call and its wait, verb
// names it) once the instance can take it: a transitional state (Pending,
// Starting, Stopping) is waited out, and an instance type without hot swap
// that is Running is stopped first and started again afterwards, whether
// do succeeds or not, when stop_instance_if_required allows it. An
// instance that an interrupted run left Stopped (it carries the stop
// marker) is started again afterwards as well. The caller holds the
// instance's lock.
func (r *networkInterfaceAttachmentResource) withInstanceReady(ctx context.Context, instanceID, verb string, o swapOpts, do func(context.Context, []cloud.CallOption) error) (err error) {
	c := r.meta.Client
	inst, err := c.FindInstanceStatus(ctx, instanceID)
	if err != nil {
		return err
	}
	_, marked := cloud.StopMark(inst)
	var opts []cloud.CallOption
	if cloud.InstanceInTransition(inst.Status) {
		tflog.Info(ctx, "waiting for the instance to settle", map[string]any{"instance_id": instanceID, "status": inst.Status})
		if inst, err = c.WaitInstanceSettled(ctx, instanceID, o.timeout); err != nil {
			return err
		}
		// The API may lag a moment behind the status just read.
		opts = append(opts, cloud.RetryOn(cloud.RetryOnInstanceTransition...))
	}
	facts := validate.BindingInstance{ID: inst.InstanceId, Type: inst.InstanceType, Status: inst.Status,
		HotSwap: domain.HotSwapSupported(inst.InstanceType)}
	// Checked at plan as well; this catches a change made since then
	// before it reaches the API.
	if err := validate.HotSwap(facts, verb, o.stop); err != nil {
		return err
	}
	why := verb + " " + o.eniID
	restart := func() error { return nil }
	switch {
	case validate.StopRequired(facts):
		restart, err = stopForSwap(ctx, c, instanceID, why, o.timeout)
		opts = append(opts, cloud.RetryOn(cloud.RetryOnInstanceTransition...))
	case marked:
		tflog.Warn(ctx, "the instance was left stopped by an interrupted run; it is started again afterwards",
			map[string]any{"instance_id": instanceID})
		restart = func() error { return restartStoppedByUs(ctx, c, instanceID, why, o.timeout) }
	}
	defer func() {
		if rerr := restart(); rerr != nil {
			err = errors.Join(err, rerr)
		}
	}()
	if err != nil {
		return err
	}
	return do(ctx, opts)
}
