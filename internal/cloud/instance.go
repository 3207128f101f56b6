package cloud

// Helpers for attaching and detaching ENIs: an instance's bound ENIs, a
// waiter for an instance in transition, and the cached vSwitch of an ENI.

import (
	"context"
	"slices"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"

	"github.com/openeni/terraform-provider-eni/internal/domain"
)

// instanceTransitions are the statuses an instance passes through on its
// own way to Running or Stopped; attach and detach are refused in them.
var instanceTransitions = []string{
	domain.InstanceStatusPending, domain.InstanceStatusStarting, domain.InstanceStatusStopping,
}

// InstanceInTransition reports whether an instance status is one that
// attach and detach must wait out (Pending, Starting, Stopping).
func InstanceInTransition(status string) bool { return slices.Contains(instanceTransitions, status) }

// WaitInstanceSettled waits until an instance is Running or Stopped,
// whichever it reaches first.
func (c *Client) WaitInstanceSettled(ctx context.Context, id string, timeout time.Duration) (*ecs.Instance, error) {
	return waitOn(ctx, c, c.instanceWait(), id, WaitOpts{
		Pending: instanceTransitions,
		Target:  []string{domain.InstanceStatusRunning, domain.InstanceStatusStopped},
		Timeout: timeout,
	}, nil)
}

// InstanceNetworkInterfaceIDs lists the ENIs bound to an instance, the
// primary included, as DescribeInstances reports them.
func InstanceNetworkInterfaceIDs(inst *ecs.Instance) []string {
	out := make([]string, 0, len(inst.NetworkInterfaces.NetworkInterface))
	for _, ni := range inst.NetworkInterfaces.NetworkInterface {
		if ni.NetworkInterfaceId != "" && !slices.Contains(out, ni.NetworkInterfaceId) {
			out = append(out, ni.NetworkInterfaceId)
		}
	}
	return out
}

// AttachedInstanceID is the instance an ENI is bound to, or "".
func AttachedInstanceID(eni *ecs.NetworkInterfaceSet) string { return attachedInstance(eni) }

// LookupNetworkInterfaceVSwitches returns the vSwitch of each ENI found
// among ids, keyed by ENI ID; ENIs that do not exist are absent. An ENI
// never changes vSwitch, so the answer is remembered for the life of the
// client and only unknown IDs are asked for, in one batch.
func (c *Client) LookupNetworkInterfaceVSwitches(ctx context.Context, ids []string) (map[string]string, error) {
	return c.lookups.eniVSwitches.getMany(ctx, ids, func(ctx context.Context, missing []string) (map[string]string, error) {
		out := make(map[string]string, len(missing))
		var unknown []string
		for _, id := range missing {
			// Any answer the walk has will do, however old: the
			// vSwitch of an ENI never changes.
			if eni, ok := c.reads.enis.seen.get(id, freshness{}); ok {
				out[id] = eni.VSwitchId
			} else {
				unknown = append(unknown, id)
			}
		}
		if len(unknown) == 0 {
			return out, nil
		}
		found, err := c.FindNetworkInterfacesByIDs(ctx, unknown)
		if err != nil && !IsNotFound(err) {
			return nil, err
		}
		for i := range found {
			out[found[i].NetworkInterfaceId] = found[i].VSwitchId
		}
		return out, nil
	})
}

// WaitNetworkInterfaceDetached waits until an ENI is no longer bound to
// instanceID after a detach: Available, or already on its way to another
// instance (a concurrent move), or gone. A stale InUse on instanceID right
// after the call is tolerated for a few polls.
func (c *Client) WaitNetworkInterfaceDetached(ctx context.Context, id, instanceID string, timeout time.Duration) error {
	const detached = "Detached"
	wrap := leftRefresh(detached, &ecs.NetworkInterfaceSet{NetworkInterfaceId: id},
		func(obj *ecs.NetworkInterfaceSet, st string) bool {
			return attachedInstance(obj) != instanceID || st == domain.ENIStatusAvailable
		})
	_, err := waitOn(ctx, c, c.eniWait(), id, WaitOpts{
		Pending:     []string{domain.ENIStatusDetaching},
		Target:      []string{detached},
		Timeout:     timeout,
		Stale:       []string{domain.ENIStatusInUse},
		StaleChecks: staleChecks,
	}, wrap)
	return err
}
