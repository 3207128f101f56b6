package cloud

import (
	"context"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"

	"github.com/openeni/terraform-provider-eni/internal/domain"
)

// ENI statuses the reference lists besides those in package domain.
const (
	eniStatusCreating = "Creating"
)

// Tolerances of the ENI waiters, in polls. With the default intervals
// (150 ms doubling to 2 s) ten polls cover about 14 s.
const (
	// Right after CreateNetworkInterface the ENI may be missing from
	// Describe for a while.
	createNotFoundChecks = 10
	// Right after attach, detach, delete or (un)associate, the old status
	// may still be reported before the transitional one shows up.
	staleChecks = 10
	// Deletion can take longer to show than an attach.
	deleteStaleChecks = 20
)

var (
	instanceStatuses = []string{
		domain.InstanceStatusPending, domain.InstanceStatusRunning, domain.InstanceStatusStarting,
		domain.InstanceStatusStopping, domain.InstanceStatusStopped,
	}
	eipStatuses = []string{
		domain.EIPStatusAvailable, domain.EIPStatusAssociating, domain.EIPStatusInUse, domain.EIPStatusUnassociating,
	}
)

// waitOpts fills the Client's poll intervals into a wait.
func (c *Client) waitOpts(o WaitOpts) WaitOpts {
	if o.MinInterval == 0 {
		o.MinInterval = c.PollMinInterval
	}
	if o.MaxInterval == 0 {
		o.MaxInterval = c.PollMaxInterval
	}
	return o
}

// statusOf makes the RefreshFunc of one object: find reads it by id (a
// *NotFoundError when it is not there), status picks its status.
func statusOf[T any](id string, find func(context.Context, string) (*T, error), status func(*T) string) RefreshFunc[T] {
	return func(ctx context.Context) (*T, string, error) {
		obj, err := find(ctx, id)
		if err != nil {
			return nil, "", err
		}
		return obj, status(obj), nil
	}
}

// StatusNetworkInterface reads an ENI's Status.
func (c *Client) StatusNetworkInterface(id string) RefreshFunc[ecs.NetworkInterfaceSet] {
	return statusOf(id, c.FindNetworkInterfaceByID, func(e *ecs.NetworkInterfaceSet) string { return e.Status })
}

// StatusInstance reads an instance's Status.
func (c *Client) StatusInstance(id string) RefreshFunc[ecs.Instance] {
	return statusOf(id, c.FindInstanceByID, func(i *ecs.Instance) string { return i.Status })
}

// StatusEIP reads an EIP's Status.
func (c *Client) StatusEIP(allocationID string) RefreshFunc[vpc.EipAddress] {
	return statusOf(allocationID, c.FindEIPByAllocationID, func(e *vpc.EipAddress) string { return e.Status })
}

// WaitNetworkInterfaceVisible waits until a just-created ENI shows up in
// Describe, whatever its status, tolerating not-found until the timeout.
func (c *Client) WaitNetworkInterfaceVisible(ctx context.Context, id string, timeout time.Duration) (*ecs.NetworkInterfaceSet, error) {
	return waitENI(ctx, c, id, c.StatusNetworkInterface(id), WaitOpts{
		Target: []string{
			eniStatusCreating, domain.ENIStatusAvailable, domain.ENIStatusAttaching,
			domain.ENIStatusInUse, domain.ENIStatusDetaching,
		},
		Timeout:        timeout,
		NotFoundChecks: math.MaxInt,
	})
}

// WaitNetworkInterfaceAvailable waits for Available after a create or a
// detach. It tolerates a brief absence after create and a brief stale InUse
// after detach.
func (c *Client) WaitNetworkInterfaceAvailable(ctx context.Context, id string, timeout time.Duration) (*ecs.NetworkInterfaceSet, error) {
	return waitENI(ctx, c, id, c.StatusNetworkInterface(id), WaitOpts{
		Pending:        []string{eniStatusCreating, domain.ENIStatusDetaching},
		Target:         []string{domain.ENIStatusAvailable},
		Timeout:        timeout,
		NotFoundChecks: createNotFoundChecks,
		Stale:          []string{domain.ENIStatusInUse},
		StaleChecks:    staleChecks,
	})
}

// WaitNetworkInterfaceInUse waits for InUse after an attach. A stale
// Available right after the call is tolerated for a few polls; Available
// after Attaching means the attach failed and is reported as unexpected.
// When instanceID is set, InUse on another instance is an error.
func (c *Client) WaitNetworkInterfaceInUse(ctx context.Context, id, instanceID string, timeout time.Duration) (*ecs.NetworkInterfaceSet, error) {
	status := c.StatusNetworkInterface(id)
	refresh := func(ctx context.Context) (*ecs.NetworkInterfaceSet, string, error) {
		obj, st, err := status(ctx)
		if err != nil || st != domain.ENIStatusInUse || instanceID == "" {
			return obj, st, err
		}
		if got := attachedInstance(obj); got != instanceID {
			return obj, st, fmt.Errorf("network interface (%s) is attached to instance %s, not %s", id, got, instanceID)
		}
		return obj, st, nil
	}
	return waitENI(ctx, c, id, refresh, WaitOpts{
		Pending:     []string{domain.ENIStatusAttaching},
		Target:      []string{domain.ENIStatusInUse},
		Timeout:     timeout,
		Stale:       []string{domain.ENIStatusAvailable},
		StaleChecks: staleChecks,
	})
}

// WaitNetworkInterfaceSettled waits until an ENI is out of Attaching or
// Detaching, whichever stable status (Available or InUse) it lands in.
func (c *Client) WaitNetworkInterfaceSettled(ctx context.Context, id string, timeout time.Duration) (*ecs.NetworkInterfaceSet, error) {
	return waitENI(ctx, c, id, c.StatusNetworkInterface(id), WaitOpts{
		Pending: []string{domain.ENIStatusAttaching, domain.ENIStatusDetaching},
		Target:  []string{domain.ENIStatusAvailable, domain.ENIStatusInUse},
		Timeout: timeout,
	})
}

// attachedInstance is the instance an ENI is bound to; the Attachment block
// is a preview field, so the top-level InstanceId comes first.
func attachedInstance(eni *ecs.NetworkInterfaceSet) string {
	if eni.InstanceId != "" {
		return eni.InstanceId
	}
	return eni.Attachment.InstanceId
}

// WaitNetworkInterfaceDeleted waits until the ENI is gone. A stale
// Available right after DeleteNetworkInterface is tolerated for a while.
func (c *Client) WaitNetworkInterfaceDeleted(ctx context.Context, id string, timeout time.Duration) error {
	_, err := waitENI(ctx, c, id, c.StatusNetworkInterface(id), WaitOpts{
		Pending:     []string{domain.ENIStatusDeleting},
		Timeout:     timeout,
		Stale:       []string{domain.ENIStatusAvailable},
		StaleChecks: deleteStaleChecks,
	})
	return err
}

// WaitNetworkInterfacePrivateIPs waits until the ENI holds every address
// in present and none in absent (assign and unassign may take effect
// after the call returns).
func (c *Client) WaitNetworkInterfacePrivateIPs(ctx context.Context, id string, present, absent []string, timeout time.Duration) (*ecs.NetworkInterfaceSet, error) {
	const pending, done = "IPsPending", "IPsMatch"
	status := c.StatusNetworkInterface(id)
	refresh := func(ctx context.Context) (*ecs.NetworkInterfaceSet, string, error) {
		obj, _, err := status(ctx)
		if err != nil {
			return nil, "", err
		}
		have := PrivateIPs(obj)
		for _, ip := range present {
			if !slices.Contains(have, ip) {
				return obj, pending, nil
			}
		}
		for _, ip := range absent {
			if slices.Contains(have, ip) {
				return obj, pending, nil
			}
		}
		return obj, done, nil
	}
	return waitENI(ctx, c, id, refresh, WaitOpts{
		Pending: []string{pending},
		Target:  []string{done},
		Timeout: timeout,
	})
}

// PrivateIPs lists every private IPv4 of an ENI, primary first.
func PrivateIPs(eni *ecs.NetworkInterfaceSet) []string {
	var out []string
	if eni.PrivateIpAddress != "" {
		out = append(out, eni.PrivateIpAddress)
	}
	for _, s := range eni.PrivateIpSets.PrivateIpSet {
		if s.PrivateIpAddress != "" && !slices.Contains(out, s.PrivateIpAddress) {
			out = append(out, s.PrivateIpAddress)
		}
	}
	return out
}

// WaitInstanceStatus waits until an instance reaches target (Running,
// Stopped); every other instance status counts as pending.
func (c *Client) WaitInstanceStatus(ctx context.Context, id, target string, timeout time.Duration) (*ecs.Instance, error) {
	return WaitForState(ctx, c.waitOpts(WaitOpts{
		Kind: KindInstance, ID: id,
		Pending: others(instanceStatuses, target),
		Target:  []string{target},
		Timeout: timeout,
	}), c.StatusInstance(id))
}

// WaitEIPStatus waits until an EIP reaches target (InUse after associate,
// Available after unassociate); every other EIP status counts as pending.
func (c *Client) WaitEIPStatus(ctx context.Context, allocationID, target string, timeout time.Duration) (*vpc.EipAddress, error) {
	return WaitForState(ctx, c.waitOpts(WaitOpts{
		Kind: KindEIP, ID: allocationID,
		Pending: others(eipStatuses, target),
		Target:  []string{target},
		Timeout: timeout,
	}), c.StatusEIP(allocationID))
}

func waitENI(ctx context.Context, c *Client, id string, refresh RefreshFunc[ecs.NetworkInterfaceSet], o WaitOpts) (*ecs.NetworkInterfaceSet, error) {
	o.Kind, o.ID = KindNetworkInterface, id
	return WaitForState(ctx, c.waitOpts(o), refresh)
}

func others(all []string, target string) []string {
	return slices.DeleteFunc(slices.Clone(all), func(s string) bool { return s == target })
}

// leftRefresh wraps a status poller for a wait until an object has left
// something (an instance, an ENI): it reports the status left once the
// object is gone, which counts as left, or once hasLeft says so; gone
// stands for the object that is no longer there.
func leftRefresh[T any](status RefreshFunc[T], left string, gone *T, hasLeft func(obj *T, st string) bool) RefreshFunc[T] {
	return func(ctx context.Context) (*T, string, error) {
		obj, st, err := status(ctx)
		switch {
		case IsNotFound(err):
			return gone, left, nil
		case err != nil:
			return nil, "", err
		case hasLeft(obj, st):
			return obj, left, nil
		}
		return obj, st, nil
	}
}

// WaitEIPLeft waits until an EIP is no longer associated with instanceID
// after an unassociate: Available, associated with something else since
// (a concurrent change), or gone.
func (c *Client) WaitEIPLeft(ctx context.Context, allocationID, instanceID string, timeout time.Duration) error {
	const left = "Left"
	refresh := leftRefresh(c.StatusEIP(allocationID), left, &vpc.EipAddress{AllocationId: allocationID},
		func(obj *vpc.EipAddress, st string) bool {
			return st == domain.EIPStatusAvailable || obj.InstanceId != instanceID
		})
	_, err := WaitForState(ctx, c.waitOpts(WaitOpts{
		Kind: KindEIP, ID: allocationID,
		Pending: others(eipStatuses, domain.EIPStatusAvailable),
		Target:  []string{left},
		Timeout: timeout,
	}), refresh)
	return err
}
