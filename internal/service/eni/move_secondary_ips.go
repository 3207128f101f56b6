package eni

// The secondary IPv4 pair of a moved ENI. The alicloud provider records
// both secondary_private_ip_address_count and private_ip_addresses in
// state whichever the configuration set, and a state mover cannot see
// the new configuration. So the moved state holds both of our pair,
// secondary_private_ip_count and secondary_private_ips, filled from what
// the ENI holds, and both arguments are optional and computed: when the
// configuration sets one, the other keeps its value from state for as
// long as the one set plans no change, so the first plan after the move
// shows none either way. Otherwise an argument left unset plans null, as
// it always has: at the first change of the one set, the other leaves
// state, and an ENI whose configuration sets neither lets eni_private_ip
// manage its addresses.

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// movedPair is a count/list pair in a moved state: the count and the
// addresses the ENI holds, or both null when it holds none (an ENI with
// no secondary IPs is configured with neither argument). The IPv6
// address and IPv4 prefix pairs follow the same rule.
func movedPair(ctx context.Context, held []string, diags *diag.Diagnostics) (types.Int64, types.Set) {
	if len(held) == 0 {
		return types.Int64Null(), types.SetNull(types.StringType)
	}
	return types.Int64Value(int64(len(held))), stringSet(ctx, held, diags)
}

// unsetUnlessPartnerKept plans an unset argument of a count/list pair:
// its state value while the other argument is configured and planned as
// in state, null otherwise. partner is the other argument's name;
// partnerIsCount says it is the pair's count (a number), not its list (a
// set of strings).
type unsetUnlessPartnerKept struct {
	partner        string
	partnerIsCount bool
}

func (m unsetUnlessPartnerKept) Description(context.Context) string {
	return "Unset: null, or the value from state while " + m.partner + " is set and unchanged (a state moved from the alicloud provider holds both)."
}

func (m unsetUnlessPartnerKept) MarkdownDescription(ctx context.Context) string {
	return m.Description(ctx)
}

func (m unsetUnlessPartnerKept) PlanModifyInt64(ctx context.Context, req planmodifier.Int64Request, resp *planmodifier.Int64Response) {
	if !req.ConfigValue.IsNull() || req.Plan.Raw.IsNull() {
		return
	}
	resp.PlanValue = types.Int64Null()
	if !req.StateValue.IsNull() && m.partnerKept(ctx, req.Config, req.Plan, req.State, &resp.Diagnostics) {
		resp.PlanValue = req.StateValue
	}
}

func (m unsetUnlessPartnerKept) PlanModifySet(ctx context.Context, req planmodifier.SetRequest, resp *planmodifier.SetResponse) {
	if !req.ConfigValue.IsNull() || req.Plan.Raw.IsNull() {
		return
	}
	resp.PlanValue = types.SetNull(types.StringType)
	if !req.StateValue.IsNull() && m.partnerKept(ctx, req.Config, req.Plan, req.State, &resp.Diagnostics) {
		resp.PlanValue = req.StateValue
	}
}

// partnerKept reports whether the partner is configured and planned as
// it is in state.
func (m unsetUnlessPartnerKept) partnerKept(ctx context.Context, config tfsdk.Config, plan tfsdk.Plan, state tfsdk.State, diags *diag.Diagnostics) bool {
	at := path.Root(m.partner)
	if m.partnerIsCount {
		var c, p, s types.Int64
		diags.Append(config.GetAttribute(ctx, at, &c)...)
		diags.Append(plan.GetAttribute(ctx, at, &p)...)
		diags.Append(state.GetAttribute(ctx, at, &s)...)
		return !diags.HasError() && !c.IsNull() && p.Equal(s)
	}
	var c, p, s types.Set
	diags.Append(config.GetAttribute(ctx, at, &c)...)
	diags.Append(plan.GetAttribute(ctx, at, &p)...)
	diags.Append(state.GetAttribute(ctx, at, &s)...)
	return !diags.HasError() && !c.IsNull() && p.Equal(s)
}

// pairUnchanged reports whether a count/list pair plans no change: each
// argument configured as it is in state, or unset and planned by
// unsetUnlessPartnerKept to its state value (null, or kept beside its
// partner). Other attributes' plan modifiers judge the pair with it: the
// plan they see still holds an unset argument as unknown, the framework's
// mark of a computed value, before unsetUnlessPartnerKept decides it.
func pairUnchanged(ctx context.Context, config tfsdk.Config, state tfsdk.State, countArg, listArg string, diags *diag.Diagnostics) bool {
	var configCount, stateCount types.Int64
	var configList, stateList types.Set
	diags.Append(config.GetAttribute(ctx, path.Root(countArg), &configCount)...)
	diags.Append(state.GetAttribute(ctx, path.Root(countArg), &stateCount)...)
	diags.Append(config.GetAttribute(ctx, path.Root(listArg), &configList)...)
	diags.Append(state.GetAttribute(ctx, path.Root(listArg), &stateList)...)
	if diags.HasError() {
		return false
	}
	countKept := !configCount.IsNull() && configCount.Equal(stateCount)
	listKept := !configList.IsNull() && configList.Equal(stateList)
	countUnchanged := countKept || (configCount.IsNull() && (stateCount.IsNull() || listKept))
	listUnchanged := listKept || (configList.IsNull() && (stateList.IsNull() || countKept))
	return countUnchanged && listUnchanged
}
