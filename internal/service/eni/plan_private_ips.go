package eni

import (
	"slices"
	"sync"
)

// privateIPClaims are the walk's claims on the secondary addresses of
// ENIs: what eni_private_ip resources add and remove, and which ENIs an
// eni_network_interface owns the addresses of (then eni_private_ip may
// not manage them). The vSwitch-wide side of addresses (claimed twice,
// free count) is the address book's.
type privateIPClaims struct {
	mu   sync.Mutex
	enis map[string]*eniAddressClaims
}

type eniAddressClaims struct {
	added    []string // explicit addresses eni_private_ip resources add
	anyAdded int      // eni_private_ip resources that let the cloud pick
	released []string // addresses eni_private_ip resources remove
	owners   []string // arguments by which eni_network_interface owns them
}

// plannedAddresses is what the walk plans for one ENI's addresses.
type plannedAddresses struct {
	added    []string // sorted
	anyAdded int
	released []string // sorted
}

// update changes the ENI's claims under the lock.
func (p *privateIPClaims) update(eniID string, change func(e *eniAddressClaims)) {
	p.mu.Lock()
	defer p.mu.Unlock()
	change(entry(&p.enis, eniID))
}

// addOnce adds s to a sorted set.
func addOnce(set []string, s string) []string {
	if i, found := slices.BinarySearch(set, s); !found {
		return slices.Insert(set, i, s)
	}
	return set
}

// add records an eni_private_ip that adds ip to the ENI and returns the
// explicit addresses planned for it before (ip among them means twice).
func (p *privateIPClaims) add(eniID, ip string) (before []string) {
	p.update(eniID, func(e *eniAddressClaims) {
		before = slices.Clone(e.added)
		e.added = addOnce(e.added, ip)
	})
	return before
}

// addAny records an eni_private_ip that adds an address the cloud picks:
// each counts as one more address.
func (p *privateIPClaims) addAny(eniID string) {
	p.update(eniID, func(e *eniAddressClaims) { e.anyAdded++ })
}

// release records an eni_private_ip that removes ip from the ENI (one
// destroyed or replaced). An address not known is not recorded: there is
// nothing to credit.
func (p *privateIPClaims) release(eniID, ip string) {
	if ip != "" {
		p.update(eniID, func(e *eniAddressClaims) { e.released = addOnce(e.released, ip) })
	}
}

// planned returns what the walk plans for the ENI's addresses so far.
func (p *privateIPClaims) planned(eniID string) plannedAddresses {
	p.mu.Lock()
	defer p.mu.Unlock()
	e := p.enis[eniID]
	if e == nil {
		return plannedAddresses{}
	}
	return plannedAddresses{added: slices.Clone(e.added), anyAdded: e.anyAdded, released: slices.Clone(e.released)}
}

// plans reports whether an eni_private_ip of the walk adds ip to the ENI.
func (p *privateIPClaims) plans(eniID, ip string) bool {
	return slices.Contains(p.planned(eniID).added, ip)
}

// own records that the ENI's eni_network_interface owns its secondary
// addresses by argument (ownsIPsArgument; "" when it leaves them to
// eni_private_ip: nothing to record).
func (p *privateIPClaims) own(eniID, argument string) {
	if argument != "" {
		p.update(eniID, func(e *eniAddressClaims) { e.owners = addOnce(e.owners, argument) })
	}
}

// owner returns the argument by which the ENI's eni_network_interface
// owns its secondary addresses, or "" when nothing of the walk does.
func (p *privateIPClaims) owner(eniID string) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	if e := p.enis[eniID]; e != nil && len(e.owners) > 0 {
		return e.owners[0]
	}
	return ""
}
