package eni

import (
	"cmp"
	"slices"
	"sync"

	"github.com/openeni/terraform-provider-eni/internal/validate"
)

// eipClaims are the walk's claims of eni_eip_association: per ENI, the
// EIPs planned onto it (for the mode rules); per EIP, the associations
// that hold it, those whose destroy unassociates it, and those replaced
// in place (whose destroy frees it for their own create). A part of an
// EIPClaim that is not known yet is empty.
type eipClaims struct {
	mu       sync.Mutex
	onENI    map[string]*plannedEIPs
	holders  map[string][]validate.EIPClaim // allocation ID → in the order recorded
	releases map[string][]validate.EIPClaim
	replaced map[string][]eipReplacement
}

// plannedEIPs are the associations the walk plans onto one ENI: those
// whose EIP is known, each once, and how many whose EIP is not known yet
// (each one more).
type plannedEIPs struct {
	known   []validate.EIPBinding
	unknown int
}

// eipReplacement is an association replaced in place: it has the EIP at
// from now and plans it at to.
type eipReplacement struct{ from, to validate.EIPClaim }

// associate records an association of the EIP b with the ENI and returns
// the associations planned onto the ENI before it.
func (e *eipClaims) associate(eniID string, b validate.EIPBinding) plannedEIPs {
	e.mu.Lock()
	defer e.mu.Unlock()
	p := entry(&e.onENI, eniID)
	before := plannedEIPs{known: slices.Clone(p.known), unknown: p.unknown}
	if !slices.Contains(p.known, b) {
		p.known = append(p.known, b)
		slices.SortFunc(p.known, func(x, y validate.EIPBinding) int { return cmp.Compare(bindingKey(x), bindingKey(y)) })
	}
	return before
}

// associateUnknown records an association with the ENI whose EIP is not
// known yet and returns the associations planned onto the ENI before it.
func (e *eipClaims) associateUnknown(eniID string) plannedEIPs {
	e.mu.Lock()
	defer e.mu.Unlock()
	p := entry(&e.onENI, eniID)
	before := plannedEIPs{known: slices.Clone(p.known), unknown: p.unknown}
	p.unknown++
	return before
}

// bindingKey orders bindings as allocation/mode/private IP.
func bindingKey(b validate.EIPBinding) string {
	return b.AllocationID + "/" + b.Mode + "/" + b.PrivateIP
}

// hold records that an association of the walk (new, or kept) holds the
// EIP at self, and returns the associations that held it before and
// those the walk destroys.
func (e *eipClaims) hold(allocID string, self validate.EIPClaim) (holders, released []validate.EIPClaim) {
	e.mu.Lock()
	defer e.mu.Unlock()
	holders, released = sortedClaims(e.holders[allocID]), sortedClaims(e.releases[allocID])
	put(&e.holders, allocID, append(e.holders[allocID], self))
	return holders, released
}

// release records that the walk destroys an association (or replaces it
// with another EIP) whose destroy unassociates the EIP at, and returns
// the associations that hold it so far.
func (e *eipClaims) release(allocID string, at validate.EIPClaim) (holders []validate.EIPClaim) {
	e.mu.Lock()
	defer e.mu.Unlock()
	holders = sortedClaims(e.holders[allocID])
	put(&e.releases, allocID, append(e.releases[allocID], at))
	return holders
}

// sortedClaims orders claims by ENI and private IP, so that an error
// naming the first one names the same one in every run.
func sortedClaims(in []validate.EIPClaim) []validate.EIPClaim {
	out := slices.Clone(in)
	slices.SortStableFunc(out, func(x, y validate.EIPClaim) int {
		return cmp.Compare(x.NetworkInterfaceID+"/"+x.PrivateIP, y.NetworkInterfaceID+"/"+y.PrivateIP)
	})
	return out
}

// replace records an association replaced in place: it has the EIP at
// from now and plans it at to.
func (e *eipClaims) replace(allocID string, from, to validate.EIPClaim) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if r := (eipReplacement{from, to}); !slices.Contains(e.replaced[allocID], r) {
		put(&e.replaced, allocID, append(e.replaced[allocID], r))
	}
}

// freedFor lists where associations replaced in place have the EIP now,
// among those that plan it at to.
func (e *eipClaims) freedFor(allocID string, to validate.EIPClaim) []validate.EIPClaim {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []validate.EIPClaim
	for _, r := range e.replaced[allocID] {
		if r.to == to {
			out = append(out, r.from)
		}
	}
	return out
}
