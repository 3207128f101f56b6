package eni

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
	"github.com/hashicorp/terraform-plugin-framework/diag"
)

// attributeChanges builds one ModifyNetworkInterfaceAttribute request
// carrying every in-place attribute that changed, or reports none did.
// Optional+computed attributes the configuration leaves out keep their
// value: the API cannot clear them.
func (r *networkInterfaceResource) attributeChanges(ctx context.Context, id string, plan, state networkInterfaceModel, diags *diag.Diagnostics) (*ecs.ModifyNetworkInterfaceAttributeRequest, bool) {
	mod := ecs.CreateModifyNetworkInterfaceAttributeRequest()
	mod.NetworkInterfaceId = id
	changed := false
	if !plan.SecurityGroupIDs.Equal(state.SecurityGroupIDs) {
		groups := setStrings(ctx, plan.SecurityGroupIDs, diags)
		mod.SecurityGroupId = &groups
		changed = true
	}
	if known(plan.Name) && !plan.Name.Equal(state.Name) {
		mod.NetworkInterfaceName, changed = plan.Name.ValueString(), true
	}
	if known(plan.Description) && !plan.Description.Equal(state.Description) {
		mod.Description, changed = plan.Description.ValueString(), true
	}
	if known(plan.QueueNumber) && !plan.QueueNumber.Equal(state.QueueNumber) {
		mod.NetworkInterfaceTrafficConfig.QueueNumber = strconv.FormatInt(plan.QueueNumber.ValueInt64(), 10)
		changed = true
	}
	if known(plan.TrafficMode) && !plan.TrafficMode.Equal(state.TrafficMode) {
		mod.NetworkInterfaceTrafficConfig.NetworkInterfaceTrafficMode = plan.TrafficMode.ValueString()
		changed = true
	}
	if known(plan.DeleteOnRelease) && !plan.DeleteOnRelease.Equal(state.DeleteOnRelease) {
		mod.DeleteOnRelease, changed = requests.NewBoolean(plan.DeleteOnRelease.ValueBool()), true
	}
	return mod, changed
}

// known reports whether a value is set and known.
func known(v interface {
	IsNull() bool
	IsUnknown() bool
}) bool {
	return !v.IsNull() && !v.IsUnknown()
}

// addressChange is what an update does to one kind of address.
type addressChange struct {
	kind        addressKind
	add, remove []string
	addCount    int
}

// convergeAddresses makes the ENI's addresses of every kind of those
// given whose arguments the configuration sets match them: unassign what is extra
// first, of every kind (freeing room under the per-ENI limits, which IPv4
// prefixes share with secondary IPs), then assign what is missing. It
// holds the ENI's lock throughout and waits for each change to show
// before the next, as the API refuses overlapping address changes on one
// ENI. held is, per kind, what the ENI holds as far as the calls made
// tell, also when one failed or was interrupted (nil when it never read
// the ENI), so that state can record every address the API has taken.
func (r *networkInterfaceResource) convergeAddresses(ctx context.Context, id string, plan networkInterfaceModel, of []addressKind, timeout time.Duration, diags *diag.Diagnostics) (held map[string][]string, err error) {
	var kinds []addressKind
	for _, k := range of {
		if k.managed(&plan) {
			kinds = append(kinds, k)
		}
	}
	if len(kinds) == 0 {
		return nil, nil // addresses are left to eni_private_ip or to nobody
	}
	unlock, err := lockENI(ctx, r.client, id)
	if err != nil {
		return nil, err
	}
	defer unlock()
	eni, err := r.client.FindNetworkInterfaceByID(ctx, id)
	if err != nil {
		return nil, err
	}
	v := viewOf(eni)
	held = map[string][]string{}
	var changes []addressChange
	for _, k := range kinds {
		current := k.held(v)
		held[k.listArg] = slices.Clone(current)
		changes = append(changes, plannedChange(ctx, k, eni, current, plan, diags))
	}
	for _, ch := range changes {
		for batch := range slices.Chunk(ch.remove, perCall) {
			err := ch.kind.unassign(ctx, r.client, id, batch, timeout)
			if err == nil || errors.Is(err, errWaitAfterChange) {
				held[ch.kind.listArg] = slices.DeleteFunc(held[ch.kind.listArg], func(a string) bool { return slices.Contains(batch, a) })
			}
			if err != nil {
				return held, err
			}
		}
	}
	for _, ch := range changes {
		for batch := range slices.Chunk(ch.add, perCall) {
			got, err := ch.kind.assign(ctx, r.client, id, batch, 0, timeout)
			held[ch.kind.listArg] = append(held[ch.kind.listArg], got...)
			if err != nil {
				return held, err
			}
		}
		for left := ch.addCount; left > 0; {
			n := min(left, perCall)
			got, err := ch.kind.assign(ctx, r.client, id, nil, n, timeout)
			held[ch.kind.listArg] = append(held[ch.kind.listArg], got...)
			if err != nil {
				return held, err
			}
			left -= n
		}
	}
	return held, nil
}

// plannedChange is the difference between what the ENI holds of a kind
// (current) and what the plan's list or count asks for.
func plannedChange(ctx context.Context, k addressKind, eni *ecs.NetworkInterfaceSet, current []string, plan networkInterfaceModel, diags *diag.Diagnostics) addressChange {
	ch := addressChange{kind: k}
	f := k.fields(&plan)
	if !f.list.IsNull() {
		desired := setStrings(ctx, *f.list, diags)
		for _, a := range desired {
			if !slices.Contains(current, a) {
				ch.add = append(ch.add, a)
			}
		}
		for _, a := range current {
			if !slices.Contains(desired, a) {
				ch.remove = append(ch.remove, a)
			}
		}
		return ch
	}
	n := int(f.count.ValueInt64())
	if n > len(current) {
		ch.addCount = n - len(current)
	} else {
		ch.remove = k.surplus(eni, len(current)-n)
	}
	return ch
}

// surplusIPs picks n secondary IPs to give up when the count shrinks: the
// most recently assigned ones, preferring addresses without an EIP (an
// address with an EIP cannot be unassigned).
func surplusIPs(eni *ecs.NetworkInterfaceSet, n int) []string {
	var free, withEIP []string
	sets := eni.PrivateIpSets.PrivateIpSet
	for i := len(sets) - 1; i >= 0; i-- {
		s := sets[i]
		if s.Primary {
			continue
		}
		if s.AssociatedPublicIp.AllocationId != "" {
			withEIP = append(withEIP, s.PrivateIpAddress)
		} else {
			free = append(free, s.PrivateIpAddress)
		}
	}
	return append(free, withEIP...)[:n]
}

// updateTags removes the keys that are gone and sets the new or changed
// ones. A nil want (tags not configured) is the same as an empty one: every
// key of have is removed. Nothing is called when both are empty.
func (r *networkInterfaceResource) updateTags(ctx context.Context, id string, have, want map[string]string) error {
	if want == nil && have == nil {
		return nil
	}
	var drop []string
	for k := range have {
		if _, ok := want[k]; !ok {
			drop = append(drop, k)
		}
	}
	var set []ecs.TagResourcesTag
	for k, v := range want {
		if old, ok := have[k]; !ok || old != v {
			set = append(set, ecs.TagResourcesTag{Key: k, Value: v})
		}
	}
	ids := []string{id}
	if len(drop) > 0 {
		slices.Sort(drop)
		un := ecs.CreateUntagResourcesRequest()
		un.ResourceType, un.ResourceId, un.TagKey = "eni", &ids, &drop
		if _, err := r.client.UntagResources(ctx, un); err != nil {
			return err
		}
	}
	if len(set) > 0 {
		tr := ecs.CreateTagResourcesRequest()
		tr.ResourceType, tr.ResourceId, tr.Tag = "eni", &ids, &set
		if _, err := r.client.TagResources(ctx, tr); err != nil {
			return err
		}
	}
	return nil
}
