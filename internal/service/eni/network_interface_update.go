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

// maxIPsPerCall is how many addresses one Assign/Unassign call carries.
const maxIPsPerCall = 10

// convergeSecondaryIPs makes the ENI's secondary IPs match the argument the
// configuration sets, if any: unassign what is extra first (freeing room
// under the per-ENI limit), then assign what is missing. It holds the
// ENI's lock throughout and waits for each change to show before the
// next, as the API refuses overlapping IP changes on one ENI. held is
// what the ENI holds as far as the calls made tell, also when one failed
// or was interrupted (nil when it never read the ENI), so that state can
// record every address the API has taken.
func (r *networkInterfaceResource) convergeSecondaryIPs(ctx context.Context, id string, plan networkInterfaceModel, timeout time.Duration, diags *diag.Diagnostics) (held []string, err error) {
	if plan.SecondaryPrivateIPs.IsNull() && plan.SecondaryPrivateIPCount.IsNull() {
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
	current := viewOf(eni).SecondaryIPs
	held = slices.Clone(current)
	var add, remove []string
	addCount := 0
	if !plan.SecondaryPrivateIPs.IsNull() {
		desired := setStrings(ctx, plan.SecondaryPrivateIPs, diags)
		for _, ip := range desired {
			if !slices.Contains(current, ip) {
				add = append(add, ip)
			}
		}
		for _, ip := range current {
			if !slices.Contains(desired, ip) {
				remove = append(remove, ip)
			}
		}
	} else {
		n := int(plan.SecondaryPrivateIPCount.ValueInt64())
		if n > len(current) {
			addCount = n - len(current)
		} else {
			remove = surplusIPs(eni, len(current)-n)
		}
	}
	for batch := range slices.Chunk(remove, maxIPsPerCall) {
		err := unassignPrivateIPs(ctx, r.client, id, batch, timeout)
		if err == nil || errors.Is(err, errWaitAfterChange) {
			held = slices.DeleteFunc(held, func(ip string) bool { return slices.Contains(batch, ip) })
		}
		if err != nil {
			return held, err
		}
	}
	for batch := range slices.Chunk(add, maxIPsPerCall) {
		got, err := assignPrivateIPs(ctx, r.client, id, batch, 0, timeout)
		held = append(held, got...)
		if err != nil {
			return held, err
		}
	}
	for addCount > 0 {
		n := min(addCount, maxIPsPerCall)
		got, err := assignPrivateIPs(ctx, r.client, id, nil, n, timeout)
		held = append(held, got...)
		if err != nil {
			return held, err
		}
		addCount -= n
	}
	return held, nil
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
