package eni

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// Attribute shapes that several resources share.

// requiredReplaceString is a required, non-empty string, such as the ID of
// the object a resource builds on; changing it replaces the resource.
func requiredReplaceString(desc string) schema.StringAttribute {
	return schema.StringAttribute{
		Required:            true,
		Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
		PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
		MarkdownDescription: desc,
	}
}

// optionalReplaceIPv4 is an IPv4 address that the cloud picks when it is
// omitted; configuring another one replaces the resource.
func optionalReplaceIPv4(desc string) schema.StringAttribute {
	return schema.StringAttribute{
		Optional:   true,
		Computed:   true,
		Validators: []validator.String{ipv4Address},
		PlanModifiers: []planmodifier.String{
			stringplanmodifier.RequiresReplaceIfConfigured(),
			stringplanmodifier.UseStateForUnknown(),
		},
		MarkdownDescription: desc,
	}
}

// computedString is a string only the API sets; stable ones keep their
// value from state in a plan (UseStateForUnknown).
func computedString(desc string, stable bool) schema.StringAttribute {
	a := schema.StringAttribute{Computed: true, MarkdownDescription: desc}
	if stable {
		a.PlanModifiers = []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
	}
	return a
}

// assignedUnlessArgumentsChange keeps the computed set of what an
// eni_network_interface holds of one kind of address (private_ips,
// assigned_ipv6_addresses, assigned_ipv4_prefixes) from state in an
// update that cannot change those addresses (neither argument of the
// kind changes), so such a plan shows no "(known after apply)" for them.
type assignedUnlessArgumentsChange struct{ kind addressKind }

func (m assignedUnlessArgumentsChange) Description(context.Context) string {
	return fmt.Sprintf("Keeps the value from state unless the update changes %s or %s.", m.kind.countArg, m.kind.listArg)
}

func (m assignedUnlessArgumentsChange) MarkdownDescription(ctx context.Context) string {
	return m.Description(ctx)
}

func (m assignedUnlessArgumentsChange) PlanModifySet(ctx context.Context, req planmodifier.SetRequest, resp *planmodifier.SetResponse) {
	if req.StateValue.IsNull() || !req.PlanValue.IsUnknown() || req.Plan.Raw.IsNull() {
		return // a create, a destroy, or a value already decided
	}
	if pairUnchanged(ctx, req.Config, req.State, m.kind.countArg, m.kind.listArg, &resp.Diagnostics) {
		resp.PlanValue = req.StateValue
	}
}

// keepStateIfUnsetInt64 keeps an optional, computed number's value from
// state, null included, when the configuration leaves it unset; the
// framework's UseStateForUnknown leaves a null state value unknown, which
// shows as "(known after apply)" in every update.
type keepStateIfUnsetInt64 struct{}

func (keepStateIfUnsetInt64) Description(context.Context) string {
	return "Keeps the value from state, null included, while the configuration leaves it unset."
}

func (m keepStateIfUnsetInt64) MarkdownDescription(ctx context.Context) string {
	return m.Description(ctx)
}

func (keepStateIfUnsetInt64) PlanModifyInt64(_ context.Context, req planmodifier.Int64Request, resp *planmodifier.Int64Response) {
	if req.State.Raw.IsNull() || req.Plan.Raw.IsNull() || !req.ConfigValue.IsNull() || !req.PlanValue.IsUnknown() {
		return
	}
	resp.PlanValue = req.StateValue
}
