package eni

import (
	"slices"
	"sync"
)

// ApplyRecord is what the applies of this walk have done so far that the
// plan Terraform makes just before applying a later resource must take in,
// and that the cloud alone does not tell it:
//   - the address the cloud picked for an eni_private_ip without
//     ip_address: the ENI holds it now, and the plan registry still counts
//     that resource as one address to come; without the record it would
//     count twice (see validate.ENIAddresses);
//   - the argument by which an eni_network_interface created in this apply
//     owns its secondary IPs: its plan had no ID to record that under, and
//     an eni_private_ip naming the new ENI is planned after it is created.
//
// It is not a plan claim: it holds facts, not intentions, and only Create
// methods write it.
type ApplyRecord struct {
	mu       sync.Mutex
	assigned map[string][]string // ENI → addresses the cloud picked, sorted
	owners   map[string]string   // ENI created here → its owning argument
}

// assignedAddress records that the cloud gave ip to an eni_private_ip of
// the ENI that let it pick.
func (a *ApplyRecord) assignedAddress(eniID, ip string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	put(&a.assigned, eniID, addOnce(a.assigned[eniID], ip))
}

// assignedTo returns the addresses the cloud picked for the ENI in this
// apply, sorted.
func (a *ApplyRecord) assignedTo(eniID string) []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return slices.Clone(a.assigned[eniID])
}

// createdENI records that this apply created the ENI, whose resource owns
// its secondary IPs by argument ("" when it leaves them to eni_private_ip:
// nothing to record).
func (a *ApplyRecord) createdENI(eniID, argument string) {
	if argument == "" {
		return
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	put(&a.owners, eniID, argument)
}

// ownerOfCreated returns the argument by which the resource of an ENI
// created in this apply owns its secondary IPs, or "".
func (a *ApplyRecord) ownerOfCreated(eniID string) string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.owners[eniID]
}
