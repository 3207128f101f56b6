package eni

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/openeni/terraform-provider-eni/internal/alicloudschema"
	"github.com/openeni/terraform-provider-eni/internal/cloud"
	"github.com/openeni/terraform-provider-eni/internal/domain"
)

var _ resource.ResourceWithMoveState = (*eipAssociationResource)(nil)

// alicloudEIPAssociationModel is alicloud_eip_association's state (see
// alicloudschema.EIPAssociationSchema).
type alicloudEIPAssociationModel struct {
	ID               types.String `tfsdk:"id"`
	AllocationID     types.String `tfsdk:"allocation_id"`
	InstanceID       types.String `tfsdk:"instance_id"`
	InstanceType     types.String `tfsdk:"instance_type"`
	Mode             types.String `tfsdk:"mode"`
	PrivateIPAddress types.String `tfsdk:"private_ip_address"`
	VPCID            types.String `tfsdk:"vpc_id"`
	Force            types.Bool   `tfsdk:"force"`
	Timeouts         types.Object `tfsdk:"timeouts"`
}

func (r *eipAssociationResource) MoveState(context.Context) []resource.StateMover {
	return alicloudMove{
		target:  "eni" + r.typeName,
		sources: []string{alicloudschema.EIPAssociation},
		move:    r.moveFromAlicloud,
	}.movers()
}

// moveFromAlicloud maps an alicloud EIP association whose target is an
// ENI (instance_type NetworkInterface, or an eni- ID where older states
// leave instance_type empty). Its ID, <allocation-id>:<instance-id>, is
// ours. An association with an instance, a load balancer, a NAT gateway
// or anything else is refused: eni_eip_association binds EIPs to ENIs
// only. An empty mode is the API's default, NAT.
func (r *eipAssociationResource) moveFromAlicloud(ctx context.Context, req resource.MoveStateRequest, resp *resource.MoveStateResponse) {
	src, ok := sourceOf[alicloudEIPAssociationModel](ctx, req, resp)
	if !ok {
		return
	}
	allocID, target, kind := src.AllocationID.ValueString(), src.InstanceID.ValueString(), src.InstanceType.ValueString()
	if kind != cloud.EIPTargetNetworkInterface && (kind != "" || !strings.HasPrefix(target, "eni-")) {
		if kind == "" {
			kind = "instance"
		}
		resp.Diagnostics.AddError(fmt.Sprintf("moving %s (%s)", req.SourceTypeName, src.ID.ValueString()),
			fmt.Sprintf("EIP %s is associated with %s %s, not with a network interface; eni_eip_association binds "+
				"EIPs to ENIs only. Remove this moved block and keep the association in the alicloud provider, or "+
				"associate the EIP with one of the instance's ENIs instead.", allocID, kind, target))
		return
	}
	mode := src.Mode
	if mode.ValueString() == "" {
		mode = types.StringValue(domain.EIPModeNAT)
	}
	private := src.PrivateIPAddress
	if private.ValueString() == "" {
		private = types.StringNull() // the ENI's primary IP: the refresh reads it
	}
	m := eipAssociationModel{
		ID:                 types.StringValue(eipAssociationID(allocID, target)),
		AllocationID:       src.AllocationID,
		NetworkInterfaceID: src.InstanceID,
		PrivateIPAddress:   private,
		Mode:               mode,
		IPAddress:          types.StringNull(), // read by the refresh
		Status:             types.StringNull(),
		Timeouts:           r.timeouts.nullTimeouts(),
	}
	resp.Diagnostics.Append(resp.TargetState.Set(ctx, m)...)
}
