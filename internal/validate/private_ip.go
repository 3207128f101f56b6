package validate

import (
	"fmt"
	"slices"

	"github.com/openeni/terraform-provider-eni/internal/domain"
)

// Rules of eni_private_ip. The address itself is judged by
// AddressInVSwitch; these judge it against the other ENIs, the other
// resources of the plan and the per-ENI limit.

// AddressFree checks that no ENI holds ip yet. holders are the ENIs of the
// VPC that hold it now; eniID is the ENI the address is planned for.
func AddressFree(ip, eniID string, holders []string) error {
	for _, h := range holders {
		if h != eniID {
			return fmt.Errorf("%s is already used by network interface %s in the same VPC; choose a free address, "+
				"or omit ip_address to let the cloud pick one", ip, h)
		}
	}
	if slices.Contains(holders, eniID) {
		return fmt.Errorf("%s is already a private IP of network interface %s; to manage it with Terraform, import it "+
			"(terraform import <resource address> %s:%s) instead of creating it", ip, eniID, eniID, ip)
	}
	return nil
}

// AddressPlannedOnce checks that no other eni_private_ip of the plan
// claims the same address; planned are the addresses claimed so far.
func AddressPlannedOnce(ip, eniID string, planned []string) error {
	if slices.Contains(planned, ip) {
		return fmt.Errorf("%s is planned for network interface %s by two eni_private_ip resources; an address can be "+
			"assigned once, so remove one of them", ip, eniID)
	}
	return nil
}

// ENIAddresses are the facts that make up an ENI's private IP count after
// a plan. In the plan Terraform makes just before applying a resource,
// the resources applied before it already changed the ENI: Assigned and
// the check against Existing keep them from being counted twice.
type ENIAddresses struct {
	// Existing are the addresses the ENI holds now, primary included.
	Existing []string
	// Named are the addresses eni_private_ip resources of this plan add.
	Named []string
	// Anonymous is how many eni_private_ip resources of this plan let the
	// cloud pick their address.
	Anonymous int
	// Assigned are the addresses this apply already gave to anonymous ones.
	Assigned []string
	// Released are the addresses eni_private_ip resources of this plan remove.
	Released []string
}

// Count returns how many private IPs the ENI holds now (less what the
// plan releases) and how many the plan adds.
func (a ENIAddresses) Count() (now, planned int) {
	now = len(a.Existing)
	for _, ip := range a.Released {
		if slices.Contains(a.Existing, ip) && !slices.Contains(a.Named, ip) {
			now--
		}
	}
	for _, ip := range a.Named {
		if !slices.Contains(a.Existing, ip) {
			planned++
		}
	}
	done := 0
	for _, ip := range a.Assigned {
		if slices.Contains(a.Existing, ip) {
			done++
		}
	}
	planned += max(0, a.Anonymous-done)
	return now, planned
}

// PrivateIPCount checks that an ENI holding now private IPs (primary
// included, and each IPv4 prefix counting as one) can take planned more. bound says whether it is (or will be)
// bound to an instance whose type allows perENI private IPs per ENI,
// primary included; an unbound ENI holds at most 10 secondary IPs.
func PrivateIPCount(eniID string, now, planned int, bound bool, instanceType string, perENI int) error {
	total := now + planned
	if bound {
		if total > perENI {
			return fmt.Errorf("network interface %s would hold %d private IPs (%d now, %d more planned by "+
				"eni_private_ip), but instance type %s allows %d per ENI, primary IP included and each IPv4 prefix "+
				"counting as one; plan %d fewer "+
				"eni_private_ip for it, or bind it to an instance type with a higher limit",
				eniID, total, now, planned, instanceType, perENI, total-perENI)
		}
		return nil
	}
	if total-1 > domain.MaxSecondaryIPsUnattached {
		return fmt.Errorf("network interface %s is not bound to an instance, so it holds at most %d secondary "+
			"private IPs, but it would hold %d (%d now, %d more planned by eni_private_ip); bind it to an instance "+
			"first (its type's limit then applies) or plan %d fewer eni_private_ip for it",
			eniID, domain.MaxSecondaryIPsUnattached, total-1, now-1, planned, total-1-domain.MaxSecondaryIPsUnattached)
	}
	return nil
}

// IPsOwnedElsewhere reports the conflict between an eni_private_ip and an
// eni_network_interface that sets argument (secondary_private_ip_count or
// secondary_private_ips) for the same ENI.
func IPsOwnedElsewhere(eniID, argument string) error {
	return fmt.Errorf("the eni_network_interface of %s sets %s, so it owns every secondary private IP of that "+
		"ENI and would remove this address on its next apply; either remove %s from that resource and manage "+
		"each address with eni_private_ip, or drop this eni_private_ip and let the ENI manage its addresses",
		eniID, argument, argument)
}
