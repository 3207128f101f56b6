package mockcloud

import (
	"slices"
	"time"

	"github.com/openeni/terraform-provider-eni/internal/domain"
)

// settle completes the asynchronous transitions that are due at now (all
// of them when force is set). Transitions are evaluated lazily on each
// request, so no goroutine or timer runs in the background.
func (s *state) settle(now time.Time, force bool) {
	if len(s.Pending) == 0 {
		return
	}
	keep := s.Pending[:0]
	for _, op := range s.Pending {
		if !force && op.Until.After(now) {
			keep = append(keep, op)
			continue
		}
		s.complete(op)
	}
	s.Pending = keep
}

// swapDoneAt is when an attach or detach accepted now on an instance
// completes. The instance works through its attaches and detaches one
// after another, like a per-instance queue: the new one starts when the
// last one in progress there ends (or now) and takes delay. Another
// attach or detach in progress is therefore no reason to refuse a call
// (the real cloud attaches several ENIs to one instance in parallel; the
// ECS conflict codes, OperationConflict and Operation.Conflict, are not
// documented for AttachNetworkInterface or DetachNetworkInterface).
func (s *state) swapDoneAt(instanceID string, now time.Time, delay time.Duration) time.Time {
	start := now
	for _, op := range s.Pending {
		if op.Kind != opAttach && op.Kind != opDetach {
			continue
		}
		// An ENI attaching or detaching still names its instance.
		if e := s.ENIs[op.ID]; e != nil && e.InstanceID == instanceID && op.Until.After(start) {
			start = op.Until
		}
	}
	return start.Add(delay)
}

// scheduleAt records an asynchronous transition that completes at until.
func (s *state) scheduleAt(kind, id string, until time.Time) {
	s.Pending = append(s.Pending, pendingOp{Kind: kind, ID: id, Until: until})
}

func (s *state) complete(op pendingOp) {
	switch op.Kind {
	case opAttach:
		if e := s.ENIs[op.ID]; e != nil && e.Status == domain.ENIStatusAttaching {
			e.Status = domain.ENIStatusInUse
		}
	case opDetach:
		if e := s.ENIs[op.ID]; e != nil && e.Status == domain.ENIStatusDetaching {
			e.Status = domain.ENIStatusAvailable
			e.InstanceID, e.DeviceIndex, e.NetworkCardIndex, e.AttachedAt = "", 0, 0, time.Time{}
		}
	case opDelete:
		if e := s.ENIs[op.ID]; e != nil && e.Status == domain.ENIStatusDeleting {
			s.releaseIP(e.VSwitchID, e.PrimaryIP)
			for _, ip := range append(e.SecondaryIPs, e.PendingAdd...) {
				s.releaseIP(e.VSwitchID, ip)
			}
			for _, p := range slices.Concat(e.IPv4Prefixes, e.PendingAddPrefixes) {
				s.releasePrefix(e.VSwitchID, p)
			}
			for _, a := range slices.Concat(e.IPv6Addresses, e.PendingAddIPv6) {
				s.releaseIPv6(e.VSwitchID, a)
			}
			delete(s.ENIs, op.ID)
		}
	case opIPs:
		if e := s.ENIs[op.ID]; e != nil {
			e.SecondaryIPs = settleList(e.SecondaryIPs, e.PendingAdd, e.PendingRemove, func(ip string) { s.releaseIP(e.VSwitchID, ip) })
			e.IPv4Prefixes = settleList(e.IPv4Prefixes, e.PendingAddPrefixes, e.PendingRemovePrefixes,
				func(p string) { s.releasePrefix(e.VSwitchID, p) })
			e.IPv6Addresses = settleList(e.IPv6Addresses, e.PendingAddIPv6, e.PendingRemoveIPv6,
				func(a string) { s.releaseIPv6(e.VSwitchID, a) })
			e.PendingAdd, e.PendingRemove = nil, nil
			e.PendingAddPrefixes, e.PendingRemovePrefixes, e.PendingAddIPv6, e.PendingRemoveIPv6 = nil, nil, nil, nil
		}
	case opStop:
		if in := s.Instances[op.ID]; in != nil && in.Status == domain.InstanceStatusStopping {
			in.Status = domain.InstanceStatusStopped
		}
	case opStart:
		if in := s.Instances[op.ID]; in != nil && in.Status == domain.InstanceStatusStarting {
			in.Status = domain.InstanceStatusRunning
		}
	case opAssociate:
		if e := s.EIPs[op.ID]; e != nil && e.Status == domain.EIPStatusAssociating {
			e.Status = domain.EIPStatusInUse
		}
	case opUnassociate:
		if e := s.EIPs[op.ID]; e != nil && e.Status == domain.EIPStatusUnassociating {
			e.Status = domain.EIPStatusAvailable
			e.InstanceID, e.InstanceType, e.PrivateIP, e.Mode = "", "", "", ""
			e.PrivateIPImplicit = false
		}
	}
}

// settleList completes an IP change on one list of an ENI's addresses:
// add joins it, remove leaves it and each removed one is released.
func settleList(list, add, remove []string, release func(string)) []string {
	list = append(list, add...)
	if len(remove) == 0 {
		return list
	}
	kept := list[:0]
	for _, v := range list {
		if slices.Contains(remove, v) {
			release(v)
			continue
		}
		kept = append(kept, v)
	}
	return kept
}
