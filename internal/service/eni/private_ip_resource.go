package eni

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/openeni/terraform-provider-eni/internal/cloud"
	"github.com/openeni/terraform-provider-eni/internal/validate"
)

var (
	_ resource.ResourceWithConfigure   = (*privateIPResource)(nil)
	_ resource.ResourceWithImportState = (*privateIPResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*privateIPResource)(nil)
)

// Default timeouts of eni_private_ip. They include the wait for the ENI's
// lock, which other address changes of the same ENI may hold.
const (
	privateIPCreateTimeout = 10 * time.Minute
	privateIPDeleteTimeout = 10 * time.Minute
)

func newPrivateIPResource() resource.Resource {
	return &privateIPResource{resourceBase: resourceBase{typeName: "_private_ip",
		timeouts: operationTimeouts{create: privateIPCreateTimeout, delete: privateIPDeleteTimeout}}}
}

type privateIPResource struct {
	resourceBase
}

type privateIPModel struct {
	ID                 types.String   `tfsdk:"id"`
	NetworkInterfaceID types.String   `tfsdk:"network_interface_id"`
	IPAddress          types.String   `tfsdk:"ip_address"`
	Timeouts           timeouts.Value `tfsdk:"timeouts"`
}

func (r *privateIPResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "One secondary private IPv4 address of an ENI, added and removed on its own without " +
			"touching the ENI. Plan checks that the address lies inside the ENI's vSwitch, that no other ENI holds " +
			"it, and that the ENI's private IP count (counting every `eni_private_ip` of the plan) stays within " +
			"its limit. Use it with an `eni_network_interface` that sets neither `secondary_private_ip_count` nor " +
			"`secondary_private_ips`.",
		Attributes: map[string]schema.Attribute{
			// Required
			"network_interface_id": requiredReplaceString("ENI the address is assigned to. Changing it replaces the " +
				"resource: the address leaves the old ENI and one is assigned to the new ENI."),
			// Optional
			"ip_address": optionalReplaceIPv4("The address, inside the CIDR of the ENI's vSwitch. Omitted: the cloud " +
				"picks a free one and this attribute reports it. Changing it replaces the resource."),
			// Computed
			"id": computedString("`<network_interface_id>:<ip_address>`, such as `eni-bp1...:10.1.0.20`.", true),
		},
		Blocks: map[string]schema.Block{
			"timeouts": r.timeouts.block(ctx),
		},
	}
}

func privateIPID(eniID, ip string) string { return eniID + ":" + ip }

func (r *privateIPResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan privateIPModel
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
	eniID := plan.NetworkInterfaceID.ValueString()
	var want []string
	if known(plan.IPAddress) {
		want = []string{plan.IPAddress.ValueString()}
	}

	unlock, err := lockENI(ctx, c, eniID)
	if err != nil {
		resp.Diagnostics.AddError(fmt.Sprintf("assigning private IP to network interface (%s)", eniID), err.Error())
		return
	}
	defer unlock()
	got, err := assignPrivateIPs(ctx, c, eniID, want, 1, timeout)
	if len(got) == 0 {
		if err == nil {
			err = fmt.Errorf("AssignPrivateIpAddresses reported no address")
		}
		resp.Diagnostics.AddError(fmt.Sprintf("assigning private IP to network interface (%s)", eniID), err.Error())
		return
	}
	ip := got[0]
	if want == nil {
		// Counted from now on as an address of the ENI, no longer as one
		// still to come (see validate.ENIAddresses).
		r.meta.Plans.Applied.assignedAddress(eniID, ip)
	}
	// Record the address before reporting a failed wait: the resource is
	// then tainted in state instead of leaked.
	plan.ID, plan.IPAddress = types.StringValue(privateIPID(eniID, ip)), types.StringValue(ip)
	resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
	tflog.Info(ctx, "assigned private IP", map[string]any{"network_interface_id": eniID, "ip_address": ip})
	if err != nil {
		resp.Diagnostics.AddError(fmt.Sprintf("assigning private IP (%s) to network interface (%s)", ip, eniID), err.Error())
	}
}

func (r *privateIPResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state privateIPModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	eniID, ip := state.NetworkInterfaceID.ValueString(), state.IPAddress.ValueString()
	eni, err := r.meta.Client.FindNetworkInterfaceByID(ctx, eniID)
	if cloud.IsNotFound(err) {
		resp.Diagnostics.AddWarning("Private IP gone",
			fmt.Sprintf("Network interface %s no longer exists, and with it its private IP %s; removing the address "+
				"from state.", eniID, ip))
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.AddError(fmt.Sprintf("reading private IP (%s) of network interface (%s)", ip, eniID), err.Error())
		return
	}
	if !slices.Contains(viewOf(eni).SecondaryIPs, ip) {
		resp.Diagnostics.AddWarning("Private IP gone",
			fmt.Sprintf("%s is no longer a secondary private IP of network interface %s; removing it from state so "+
				"that the next apply assigns it again.", ip, eniID))
		resp.State.RemoveResource(ctx)
		return
	}
	state.ID = types.StringValue(privateIPID(eniID, ip))
	resp.Diagnostics.Append(resp.State.Set(ctx, state)...)
}

// Update only takes new timeouts: every other argument replaces.
func (r *privateIPResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan privateIPModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
}

func (r *privateIPResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state privateIPModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, timeout := r.deleteContext(ctx, state.Timeouts, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}
	eniID, ip := state.NetworkInterfaceID.ValueString(), state.IPAddress.ValueString()
	summary := fmt.Sprintf("unassigning private IP (%s) of network interface (%s)", ip, eniID)
	if err := r.delete(ctx, eniID, ip, timeout); err != nil {
		detail := err.Error()
		if cloud.IsCode(err, codeEIPAssociated) {
			detail += "\n\nRemove the EIP from the address first (destroy its eni_eip_association, or unassociate it), " +
				"then destroy this resource again."
		}
		resp.Diagnostics.AddError(summary, detail)
	}
}

// codeEIPAssociated is the API's refusal to unassign an address that
// still has an EIP.
const codeEIPAssociated = "InvalidOperation.EipAssociated"

// delete unassigns the address; an address or ENI already gone is success.
// An address that still has an EIP is refused before the call, naming it.
func (r *privateIPResource) delete(ctx context.Context, eniID, ip string, timeout time.Duration) error {
	c := r.meta.Client
	unlock, err := lockENI(ctx, c, eniID)
	if err != nil {
		return err
	}
	defer unlock()
	eni, err := c.FindNetworkInterfaceByID(ctx, eniID)
	if cloud.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return err
	}
	if !slices.Contains(viewOf(eni).SecondaryIPs, ip) {
		return nil
	}
	for _, s := range eni.PrivateIpSets.PrivateIpSet {
		if pub := s.AssociatedPublicIp; s.PrivateIpAddress == ip && pub.AllocationId != "" {
			return fmt.Errorf("%s still has EIP %s (%s) associated. Remove the EIP from the address first "+
				"(destroy its eni_eip_association, or unassociate it), then destroy this resource again",
				ip, pub.AllocationId, pub.PublicIpAddress)
		}
	}
	err = unassignPrivateIPs(ctx, c, eniID, []string{ip}, timeout)
	if cloud.IsCode(err, cloud.CodeIPUnassigned, cloud.CodeEniNotFound) {
		return nil
	}
	return err
}

func (r *privateIPResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	eniID, ip, ok := strings.Cut(req.ID, ":")
	if !ok || !strings.HasPrefix(eniID, "eni-") || validate.IPv4(ip) != nil {
		resp.Diagnostics.AddError("Invalid import ID",
			fmt.Sprintf("%q is not <network-interface-id>:<ip-address>; import with an ID such as "+
				"eni-bp1234567890abcdef:10.1.0.20.", req.ID))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), req.ID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("network_interface_id"), eniID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("ip_address"), ip)...)
}
