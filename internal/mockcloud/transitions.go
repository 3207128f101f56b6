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

// hasPending reports whether a transition of kind is pending for id.
func (s *state) hasPending(id string) bool {
	for _, op := range s.Pending {
		if op.ID == id {
			return true
		}
	}
	return false
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
			delete(s.ENIs, op.ID)
		}
	case opIPs:
		if e := s.ENIs[op.ID]; e != nil {
			e.SecondaryIPs = append(e.SecondaryIPs, e.PendingAdd...)
			if len(e.PendingRemove) > 0 {
				kept := e.SecondaryIPs[:0]
				for _, ip := range e.SecondaryIPs {
					if slices.Contains(e.PendingRemove, ip) {
						s.releaseIP(e.VSwitchID, ip)
						continue
					}
					kept = append(kept, ip)
				}
				e.SecondaryIPs = kept
			}
			e.PendingAdd, e.PendingRemove = nil, nil
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
		}
	}
}
