package validate

import (
	"fmt"
	"slices"
	"strings"
)

// Rules about the private addresses a whole plan adds to a vSwitch: the
// same address claimed twice, an address another ENI already holds, and
// more addresses than the vSwitch has free. A claim names who makes it,
// such as `a new ENI in vSwitch vsw-1 (primary_ip_address)` or
// `network interface eni-1 (secondary_private_ips)`.

// DestroyHint ends every plan-time error about an object that does not
// exist yet: Terraform's pre-destroy refresh is a normal plan, so the same
// error would stop `terraform destroy`.
const DestroyHint = "If the goal is to destroy this configuration, `terraform destroy -refresh=false` destroys " +
	"what exists without planning what does not"

// ForNewObject appends DestroyHint to err when the object it is about
// does not exist yet.
func ForNewObject(err error, creating bool) error {
	if err == nil || !creating {
		return err
	}
	return fmt.Errorf("%w. %s", err, DestroyHint)
}

// AddressClaimedOnce checks that no other claim of the plan wants the
// address ip of vSwitch vswitchID. self is this resource's claim; others
// are the other claims of the same address known so far.
func AddressClaimedOnce(ip, vswitchID, self string, others []string) error {
	if len(others) == 0 {
		return nil
	}
	return fmt.Errorf("%s of vSwitch %s is claimed twice in this plan: by %s and by %s; an address belongs to "+
		"one ENI once, so remove it from one of them", ip, vswitchID, self, strings.Join(others, " and by "))
}

// AddressNotHeld checks that no ENI of the vSwitch holds ip yet, other
// than the ENIs in self (the claimant's own ENI, or the one it replaces).
// holders are the ENIs that hold it now.
func AddressNotHeld(ip, vswitchID, self string, selfIDs, holders []string) error {
	for _, h := range holders {
		if slices.Contains(selfIDs, h) {
			continue
		}
		return fmt.Errorf("%s of vSwitch %s, claimed by %s, is already used by network interface %s; choose a free "+
			"address. If this plan also removes it from %s, Terraform does not order that before this change: "+
			"apply the removal first, then this", ip, vswitchID, self, h, h)
	}
	return nil
}

// VSwitchCapacity checks that the addresses planned so far for a vSwitch
// fit in its free addresses. free is the vSwitch's AvailableIpAddressCount
// when the walk first read it; planned counts every address the resources
// planned so far add there, adds of them this resource's.
func VSwitchCapacity(vswitchID string, free, planned, adds int, self string) error {
	if planned <= free {
		return nil
	}
	// No running total in the text: which resources are planned before
	// this one depends on Terraform's scheduling, and the same plan must
	// give the same error in every run.
	return fmt.Errorf("vSwitch %s has %d free addresses, and this plan adds more than that there: %s adds %d "+
		"beyond what the resources planned before it take (primary IPs of new ENIs, secondary_private_ip_count, "+
		"secondary_private_ips and eni_private_ip count); plan fewer addresses there or use another vSwitch",
		vswitchID, free, self, adds)
}

// NewENIs are the eni_network_interface resources a plan creates, as far
// as they were planned before some eni_private_ip whose
// network_interface_id is unknown.
type NewENIs struct {
	// Owning counts those that set secondary_private_ip_count or
	// secondary_private_ips; Argument is one of their arguments.
	Owning   int
	Argument string
	// Other counts those that leave their addresses to eni_private_ip.
	Other int
	// Bound counts those (of either kind) that their attachment block
	// binds to an instance.
	Bound int
}

// IPsOwnedByNewENI judges an eni_private_ip whose ENI is created in the
// same apply (its network_interface_id is unknown at plan). Terraform
// plans the ENI it references before it, so when every new ENI planned so
// far owns its secondary IPs, so does that one.
func IPsOwnedByNewENI(n NewENIs) error {
	if n.Owning == 0 || n.Other > 0 {
		return nil
	}
	return fmt.Errorf("network_interface_id is an ENI created in this apply, and every eni_network_interface this "+
		"plan creates before it (%d) sets %s, so it owns every secondary private IP of its ENI and would remove this "+
		"address on its next apply; either remove that argument from the ENI and manage each address with "+
		"eni_private_ip, or drop this eni_private_ip. If the ENI comes from elsewhere than an eni_network_interface, "+
		"create it first (terraform apply -target) and plan again", n.Owning, n.Argument)
}
