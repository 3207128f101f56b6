package eni

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/openeni/terraform-provider-eni/internal/alicloudschema"
)

var _ resource.ResourceWithMoveState = (*networkInterfaceAttachmentResource)(nil)

// alicloudAttachmentModel is alicloud_ecs_network_interface_attachment's
// state (see alicloudschema.AttachmentSchema).
type alicloudAttachmentModel struct {
	ID                               types.String `tfsdk:"id"`
	NetworkInterfaceID               types.String `tfsdk:"network_interface_id"`
	InstanceID                       types.String `tfsdk:"instance_id"`
	TrunkNetworkInstanceID           types.String `tfsdk:"trunk_network_instance_id"`
	NetworkCardIndex                 types.Int64  `tfsdk:"network_card_index"`
	WaitForNetworkConfigurationReady types.Bool   `tfsdk:"wait_for_network_configuration_ready"`
	Timeouts                         types.Object `tfsdk:"timeouts"`
}

func (r *networkInterfaceAttachmentResource) MoveState(context.Context) []resource.StateMover {
	return alicloudMove{
		target:  "eni" + r.typeName,
		sources: []string{alicloudschema.ECSNetworkInterfaceAttachment, alicloudschema.NetworkInterfaceAttachment},
		move:    r.moveFromAlicloud,
	}.movers()
}

// moveFromAlicloud maps the alicloud attachment: the same ENI and
// instance, and the same ID, <eni-id>:<instance-id>. A network card index
// of 0 is the API's default, which that provider never sends, so it maps
// to unset. An attachment to a trunk ENI has no counterpart here.
func (r *networkInterfaceAttachmentResource) moveFromAlicloud(ctx context.Context, req resource.MoveStateRequest, resp *resource.MoveStateResponse) {
	src, ok := sourceOf[alicloudAttachmentModel](ctx, req, resp)
	if !ok {
		return
	}
	eniID, instanceID := src.NetworkInterfaceID.ValueString(), src.InstanceID.ValueString()
	if trunk := src.TrunkNetworkInstanceID.ValueString(); trunk != "" {
		resp.Diagnostics.AddError(fmt.Sprintf("moving %s (%s)", req.SourceTypeName, src.ID.ValueString()),
			fmt.Sprintf("The attachment binds %s through the trunk ENI %s (trunk_network_instance_id), which "+
				"eni_network_interface_attachment does not model. Keep it in the alicloud provider, or remove it "+
				"from state (terraform state rm) and manage that binding elsewhere.", eniID, trunk))
		return
	}
	m := attachmentModel{
		ID:                               types.StringValue(attachmentID(eniID, instanceID)),
		NetworkInterfaceID:               src.NetworkInterfaceID,
		InstanceID:                       src.InstanceID,
		NetworkCardIndex:                 src.NetworkCardIndex,
		WaitForNetworkConfigurationReady: src.WaitForNetworkConfigurationReady,
		StopInstanceIfRequired:           types.BoolValue(false),
		Status:                           types.StringNull(), // read by the refresh
		Timeouts:                         r.timeouts.nullTimeouts(),
	}
	if src.NetworkCardIndex.ValueInt64() == 0 {
		m.NetworkCardIndex = types.Int64Null()
	}
	resp.Diagnostics.Append(resp.TargetState.Set(ctx, m)...)
}
