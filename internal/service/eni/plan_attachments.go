package eni

import (
	"slices"
	"sync"
)

// attachmentClaims are the walk's claims on bindings of ENIs to
// instances, from eni_network_interface_attachment and from the
// attachment block of eni_network_interface alike, so that both forms
// meet in one ENI count and one duplicate check.
type attachmentClaims struct {
	mu       sync.Mutex
	binds    []newBinding           // new bindings, in the order they were judged
	releases map[eniOnInstance]bool // detaches: destroyed, replaced or moved bindings
	keeps    map[eniOnInstance]bool // unchanged bindings
	warned   map[vswitchOnInstance]bool
}

// newBinding is one new binding of the walk: an ENI (maybe not known
// yet) bound to an instance.
type newBinding struct {
	instanceID string
	eni        eniRef
	// judged is false for a binding to an instance that does not exist:
	// it counts on the instance (whose own check fails anyway) but not in
	// the duplicate check of the ENI's other bindings, which would report
	// the same mistake twice.
	judged bool
}

type eniOnInstance struct{ eniID, instanceID string }

type vswitchOnInstance struct{ vswitchID, instanceID string }

// attachClaim is what bind found, taken in the same step as its record.
type attachClaim struct {
	bound      []string // ENIs on the instance that the walk does not detach
	before     int      // other ENIs the walk binds to the instance, judged before this one
	counted    bool     // the ENI is among bound, or bound to the instance by the walk already
	duplicates []string // instances other bindings of the walk bind the ENI to, one per binding
}

// bind records that a new binding binds eni to the instance, which holds
// the ENIs onInstance now, and returns what the ENI count and the
// duplicate check need.
func (a *attachmentClaims) bind(instanceID string, eni eniRef, onInstance []string) attachClaim {
	a.mu.Lock()
	defer a.mu.Unlock()
	var out attachClaim
	out.bound = slices.DeleteFunc(slices.Clone(onInstance), func(id string) bool {
		return a.releases[eniOnInstance{id, instanceID}]
	})
	named, unknown := a.boundToLocked(instanceID)
	out.before = unknown
	for _, id := range named {
		if !slices.Contains(out.bound, id) {
			out.before++
		}
	}
	if eni.known {
		out.counted = slices.Contains(out.bound, eni.id) || slices.Contains(named, eni.id)
		out.duplicates = a.bindingsOfLocked(eni.id)
		// An unchanged binding that keeps the ENI on this instance.
		if a.keeps[eniOnInstance{eni.id, instanceID}] && !slices.Contains(out.duplicates, instanceID) {
			out.duplicates = append(out.duplicates, instanceID)
		}
	}
	a.binds = append(a.binds, newBinding{instanceID: instanceID, eni: eni, judged: true})
	return out
}

// bindToMissingInstance records a new binding to an instance that does
// not exist (see newBinding.judged).
func (a *attachmentClaims) bindToMissingInstance(instanceID string, eni eniRef) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.binds = append(a.binds, newBinding{instanceID: instanceID, eni: eni})
}

// keep records an unchanged binding and reports whether a new binding of
// the walk binds the ENI to the same instance again, and whether the walk
// detaches it from there: either contradicts this one.
func (a *attachmentClaims) keep(eniID, instanceID string) (boundAgain, released bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	at := eniOnInstance{eniID, instanceID}
	put(&a.keeps, at, true)
	return slices.Contains(a.bindingsOfLocked(eniID), instanceID), a.releases[at]
}

// release records that the walk detaches the ENI from the instance (a
// binding destroyed, replaced or moved elsewhere) and reports whether an
// unchanged binding of the walk keeps it there.
func (a *attachmentClaims) release(eniID, instanceID string) (kept bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	at := eniOnInstance{eniID, instanceID}
	put(&a.releases, at, true)
	return a.keeps[at]
}

// instancesOf returns the instances new bindings of the walk bind the
// ENI to, sorted, each once.
func (a *attachmentClaims) instancesOf(eniID string) []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	var out []string
	for _, b := range a.binds {
		if b.eni.known && b.eni.id == eniID && !slices.Contains(out, b.instanceID) {
			out = append(out, b.instanceID)
		}
	}
	slices.Sort(out)
	return out
}

// boundTo returns the known ENIs new bindings of the walk bind to the
// instance, sorted, each once.
func (a *attachmentClaims) boundTo(instanceID string) []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	named, _ := a.boundToLocked(instanceID)
	return named
}

// boundToLocked is boundTo plus the bindings whose ENI is not known: each
// is one more ENI.
func (a *attachmentClaims) boundToLocked(instanceID string) (named []string, unknown int) {
	for _, b := range a.binds {
		switch {
		case b.instanceID != instanceID:
		case !b.eni.known:
			unknown++
		case !slices.Contains(named, b.eni.id):
			named = append(named, b.eni.id)
		}
	}
	slices.Sort(named)
	return named, unknown
}

// bindingsOfLocked returns the instance of every judged new binding of
// the ENI, sorted.
func (a *attachmentClaims) bindingsOfLocked(eniID string) []string {
	out := []string{}
	for _, b := range a.binds {
		if b.judged && b.eni.known && b.eni.id == eniID {
			out = append(out, b.instanceID)
		}
	}
	slices.Sort(out)
	return out
}

// sameVSwitchWarned reports whether the walk gave the warning about
// several ENIs of the vSwitch on the instance already.
func (a *attachmentClaims) sameVSwitchWarned(vswitchID, instanceID string) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.warned[vswitchOnInstance{vswitchID, instanceID}]
}

// warnSameVSwitchOnce records that warning and reports whether this is
// the first time: the warning is given once per vSwitch and instance.
func (a *attachmentClaims) warnSameVSwitchOnce(vswitchID, instanceID string) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	at := vswitchOnInstance{vswitchID, instanceID}
	if a.warned[at] {
		return false
	}
	put(&a.warned, at, true)
	return true
}
