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

// waitKind says how to wait on objects of one kind.
type waitKind[T any] struct {
	co     *coalescer[T]
	reads  batchRead[T]
	status func(*T) string
	// finish, when set, completes what a read returned (an EIP's private IP).
	finish func(context.Context, *T) (*T, error)
}

func (c *Client) eniWait() waitKind[ecs.NetworkInterfaceSet] {
	return waitKind[ecs.NetworkInterfaceSet]{co: &c.reads.enis, reads: c.eniReads(),
		status: func(e *ecs.NetworkInterfaceSet) string { return e.Status }}
}

func (c *Client) instanceWait() waitKind[ecs.Instance] {
	return waitKind[ecs.Instance]{co: &c.reads.instances, reads: c.instanceReads(),
		status: func(i *ecs.Instance) string { return i.Status }}
}

func (c *Client) eipWait() waitKind[vpc.EipAddress] {
	return waitKind[vpc.EipAddress]{co: &c.reads.eips, reads: c.eipReads(),
		status: func(e *vpc.EipAddress) string { return e.Status }, finish: c.withEIPPrivateIP}
}

// waitOn waits on object id of kind k. Its polls are fresh reads (never
// a remembered answer) shared with the other waits of the walk: they
// name every watched object, and an answer another wait's poll brought
// counts as a poll of this one (watch.go). wrap, when set, turns the
// status poller into the wait's refresh (waiting for addresses, for
// having left).
func waitOn[T any](ctx context.Context, c *Client, k waitKind[T], id string, o WaitOpts, wrap func(RefreshFunc[T]) RefreshFunc[T]) (*T, error) {
	o.Kind, o.ID = k.reads.kind, id
	read := func(ctx context.Context, id string) (*T, error) { return k.co.poll(ctx, c.CoalesceWindow, k.reads, id) }
	var lastRead time.Time // when the read the wait last judged was sent
	var change string      // the change of ours being waited out, see aim.go
	var since time.Time
	if c.CoalesceWindow > 0 {
		w, others := k.co.watch.add(id)
		defer k.co.watch.remove(w)
		o.Wake, o.WaitFirst = w.wake, others > 0
		if action, at, ok := c.writes.underWay(id); ok {
			change, since = action, at
			if took, ok := c.transitions.expect(action); ok {
				o.Aim = time.Until(aimAt(since.Add(took), took))
			}
		}
		poll := read
		read = func(ctx context.Context, id string) (*T, error) {
			obj, at, err := w.next(ctx, k.reads.kind, func(ctx context.Context) (*T, error) { return poll(ctx, id) })
			lastRead = at
			return obj, err
		}
	}
	if k.finish != nil {
		plain := read
		read = func(ctx context.Context, id string) (*T, error) {
			obj, err := plain(ctx, id)
			if err != nil {
				return nil, err
			}
			return k.finish(ctx, obj)
		}
	}
	refresh := statusOf(id, read, k.status)
	if wrap != nil {
		refresh = wrap(refresh)
	}
	obj, err := WaitForState(ctx, c.waitOpts(o), refresh)
	if err == nil && !lastRead.IsZero() {
		// The change the wait was for is done as of that read (writes.go).
		c.writes.settled(id, lastRead)
		if change != "" {
			c.transitions.learn(change, lastRead.Sub(since))
		}
	}
	return obj, err
}

// WaitNetworkInterfaceVisible waits until a just-created ENI shows up in
// Describe, whatever its status, tolerating not-found until the timeout.
func (c *Client) WaitNetworkInterfaceVisible(ctx context.Context, id string, timeout time.Duration) (*ecs.NetworkInterfaceSet, error) {
	return waitOn(ctx, c, c.eniWait(), id, WaitOpts{
		Target: []string{
			eniStatusCreating, domain.ENIStatusAvailable, domain.ENIStatusAttaching,
			domain.ENIStatusInUse, domain.ENIStatusDetaching,
		},
		Timeout:        timeout,
		NotFoundChecks: math.MaxInt,
	}, nil)
}

// WaitNetworkInterfaceAvailable waits for Available after a create or a
// detach. It tolerates a brief absence after create and a brief stale InUse
// after detach.
func (c *Client) WaitNetworkInterfaceAvailable(ctx context.Context, id string, timeout time.Duration) (*ecs.NetworkInterfaceSet, error) {
	return waitOn(ctx, c, c.eniWait(), id, WaitOpts{
		Pending:        []string{eniStatusCreating, domain.ENIStatusDetaching},
		Target:         []string{domain.ENIStatusAvailable},
		Timeout:        timeout,
		NotFoundChecks: createNotFoundChecks,
		Stale:          []string{domain.ENIStatusInUse},
		StaleChecks:    staleChecks,
	}, nil)
}

// WaitNetworkInterfaceInUse waits for InUse after an attach. A stale
// Available right after the call is tolerated for a few polls; Available
// after Attaching means the attach failed and is reported as unexpected.
// When instanceID is set, InUse on another instance is an error.
func (c *Client) WaitNetworkInterfaceInUse(ctx context.Context, id, instanceID string, timeout time.Duration) (*ecs.NetworkInterfaceSet, error) {
	onInstance := func(status RefreshFunc[ecs.NetworkInterfaceSet]) RefreshFunc[ecs.NetworkInterfaceSet] {
		return func(ctx context.Context) (*ecs.NetworkInterfaceSet, string, error) {
			obj, st, err := status(ctx)
			if err != nil || st != domain.ENIStatusInUse || instanceID == "" {
				return obj, st, err
			}
			if got := attachedInstance(obj); got != instanceID {
				return obj, st, fmt.Errorf("network interface (%s) is attached to instance %s, not %s", id, got, instanceID)
			}
			return obj, st, nil
		}
	}
	return waitOn(ctx, c, c.eniWait(), id, WaitOpts{
		Pending:     []string{domain.ENIStatusAttaching},
		Target:      []string{domain.ENIStatusInUse},
		Timeout:     timeout,
		Stale:       []string{domain.ENIStatusAvailable},
		StaleChecks: staleChecks,
	}, onInstance)
}

// WaitNetworkInterfaceSettled waits until an ENI is out of Attaching or
// Detaching, whichever stable status (Available or InUse) it lands in.
func (c *Client) WaitNetworkInterfaceSettled(ctx context.Context, id string, timeout time.Duration) (*ecs.NetworkInterfaceSet, error) {
	return waitOn(ctx, c, c.eniWait(), id, WaitOpts{
		Pending: []string{domain.ENIStatusAttaching, domain.ENIStatusDetaching},
		Target:  []string{domain.ENIStatusAvailable, domain.ENIStatusInUse},
		Timeout: timeout,
	}, nil)
}

// attachedInstance is the instance an ENI is bound to; the Attachment block
// is a preview field, so the top-level InstanceId comes first.
func attachedInstance(eni *ecs.NetworkInterfaceSet) string {
	if eni.InstanceId != "" {
		return eni.InstanceId
	}
	return eni.Attachment.InstanceId
}

func attachedInstanceOf(eni ecs.NetworkInterfaceSet) string { return attachedInstance(&eni) }

// WaitNetworkInterfaceDeleted waits until the ENI is gone. A stale
// Available right after DeleteNetworkInterface is tolerated for a while.
func (c *Client) WaitNetworkInterfaceDeleted(ctx context.Context, id string, timeout time.Duration) error {
	_, err := waitOn(ctx, c, c.eniWait(), id, WaitOpts{
		Pending:     []string{domain.ENIStatusDeleting},
		Timeout:     timeout,
		Stale:       []string{domain.ENIStatusAvailable},
		StaleChecks: deleteStaleChecks,
	}, nil)
	return err
}

// WaitInstanceStatus waits until an instance reaches target (Running,
// Stopped); every other instance status counts as pending.
func (c *Client) WaitInstanceStatus(ctx context.Context, id, target string, timeout time.Duration) (*ecs.Instance, error) {
	return waitOn(ctx, c, c.instanceWait(), id, WaitOpts{
		Pending: others(instanceStatuses, target),
		Target:  []string{target},
		Timeout: timeout,
	}, nil)
}

// WaitEIPStatus waits until an EIP reaches target (InUse after associate,
// Available after unassociate); every other EIP status counts as pending.
func (c *Client) WaitEIPStatus(ctx context.Context, allocationID, target string, timeout time.Duration) (*vpc.EipAddress, error) {
	return waitOn(ctx, c, c.eipWait(), allocationID, WaitOpts{
		Pending: others(eipStatuses, target),
		Target:  []string{target},
		Timeout: timeout,
	}, nil)
}

func others(all []string, target string) []string {
	return slices.DeleteFunc(slices.Clone(all), func(s string) bool { return s == target })
}

// leftRefresh makes the wrap of a wait until an object has left
// something (an instance, an ENI): it reports the status left once the
// object is gone, which counts as left, or once hasLeft says so; gone
// stands for the object that is no longer there.
func leftRefresh[T any](left string, gone *T, hasLeft func(obj *T, st string) bool) func(RefreshFunc[T]) RefreshFunc[T] {
	return func(status RefreshFunc[T]) RefreshFunc[T] {
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
}

// WaitEIPLeft waits until an EIP is no longer associated with instanceID
// after an unassociate: Available, associated with something else since
// (a concurrent change), or gone.
func (c *Client) WaitEIPLeft(ctx context.Context, allocationID, instanceID string, timeout time.Duration) error {
	const left = "Left"
	wrap := leftRefresh(left, &vpc.EipAddress{AllocationId: allocationID},
		func(obj *vpc.EipAddress, st string) bool {
			return st == domain.EIPStatusAvailable || obj.InstanceId != instanceID
		})
	_, err := waitOn(ctx, c, c.eipWait(), allocationID, WaitOpts{
		Pending: others(eipStatuses, domain.EIPStatusAvailable),
		Target:  []string{left},
		Timeout: timeout,
	}, wrap)
	return err
}
