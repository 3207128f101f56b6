package validate

import (
	"fmt"
	"slices"
	"strings"

	"github.com/openeni/terraform-provider-eni/internal/domain"
)

// Rules of eni_eip_association.

// EIPBinding is one EIP on an ENI, associated already or planned. Fields
// not known yet are empty; an empty Mode of an associated EIP means NAT.
type EIPBinding struct {
	AllocationID string
	Mode         string
	PrivateIP    string
}

func (b EIPBinding) name() string {
	if b.AllocationID == "" {
		return "an EIP planned in this configuration"
	}
	return "EIP " + b.AllocationID
}

// EIP is what the API says of the EIP to associate.
type EIP struct {
	AllocationID, IPAddress, Status, RegionID string
	// Current binding, empty when Available.
	InstanceID, InstanceType, PrivateIP string
}

// ENIForEIP is what the mode rules need to know of the ENI.
type ENIForEIP struct {
	ID, Type string
	// InstanceID is the instance the ENI is bound to, or will be bound to
	// by this plan; empty when unbound.
	InstanceID string
}

// EIPPrivateIP checks that the private IP the EIP is mapped to belongs to
// the ENI now (onENI) or is planned for it by an eni_private_ip.
func EIPPrivateIP(ip, eniID string, onENI []string, planned bool) error {
	if planned || slices.Contains(onENI, ip) {
		return nil
	}
	return fmt.Errorf("%s is not a private IP of network interface %s (it has %s); use one of its addresses, or add "+
		"the address with eni_private_ip and set private_ip_address to that resource's ip_address so that it is "+
		"planned first", ip, eniID, strings.Join(onENI, ", "))
}

// EIPAssociable checks that an EIP can be associated with the private IP
// of an ENI: it is in the provider's region and either Available or
// already associated with exactly this target.
func EIPAssociable(eip EIP, region, eniID, privateIP string) error {
	if eip.RegionID != "" && eip.RegionID != region {
		return fmt.Errorf("EIP %s is in region %s, but the provider (and so the ENI) is in %s; an EIP can only be "+
			"associated in its own region", eip.AllocationID, eip.RegionID, region)
	}
	switch eip.Status {
	case domain.EIPStatusAvailable:
		return nil
	case domain.EIPStatusAssociating, domain.EIPStatusInUse:
		if eip.InstanceID == eniID && (eip.PrivateIP == "" || privateIP == "" || eip.PrivateIP == privateIP) {
			return nil // already there: create adopts it
		}
	}
	target := eip.InstanceID
	if eip.InstanceType != "" {
		target = eip.InstanceType + " " + eip.InstanceID
	}
	if eip.PrivateIP != "" {
		target += " (private IP " + eip.PrivateIP + ")"
	}
	if target == "" {
		target = "nothing yet"
	}
	return fmt.Errorf("EIP %s (%s) is %s, bound to %s; change allocation_id to a free EIP, or unassociate it first "+
		"(if that association is the one you want, import it: terraform import <resource address> %s:%s)",
		eip.AllocationID, eip.IPAddress, eip.Status, target, eip.AllocationID, eniID)
}

// EIPMode applies the rules of the association mode, given the other EIPs
// on the ENI (associated or planned, self excluded) and the region.
func EIPMode(region string, eni ENIForEIP, self EIPBinding, others []EIPBinding) error {
	mode := self.Mode
	if mode == "" {
		mode = domain.EIPModeNAT
	}
	binded := func() *EIPBinding {
		for i := range others {
			if others[i].Mode == domain.EIPModeBinded {
				return &others[i]
			}
		}
		return nil
	}
	if mode != domain.EIPModeNAT {
		switch {
		case eni.Type == domain.ENITypePrimary:
			return fmt.Errorf("mode %s needs a secondary ENI, and %s is the primary ENI of instance %s; use mode NAT, "+
				"or a secondary ENI", mode, eni.ID, eni.InstanceID)
		case eni.InstanceID != "":
			return fmt.Errorf("mode %s needs an ENI that is not bound to an instance while the EIP is associated, and "+
				"%s is bound to (or planned for) instance %s; use mode NAT, or associate the EIP with an unbound ENI",
				mode, eni.ID, eni.InstanceID)
		}
	}
	switch mode {
	case domain.EIPModeMultiBinded:
		if !domain.MultiEIPRegionSupported(region) {
			return fmt.Errorf("mode MULTI_BINDED (multi-EIP-to-ENI) is not offered in region %s; it is offered in %s. "+
				"Use mode NAT, or a provider configured for one of those regions",
				region, strings.Join(domain.MultiEIPRegions(), ", "))
		}
		if b := binded(); b != nil {
			return fmt.Errorf("network interface %s has %s in mode BINDED, which cannot be mixed with MULTI_BINDED; "+
				"remove that association or use mode BINDED for neither", eni.ID, b.name())
		}
		if n := len(others) + 1; n > domain.MaxEIPsPerENIMultiBinded {
			return fmt.Errorf("network interface %s would have %d EIPs (%d associated or planned besides this one), "+
				"but mode MULTI_BINDED allows at most %d per ENI; remove %d eni_eip_association for it",
				eni.ID, n, len(others), domain.MaxEIPsPerENIMultiBinded, n-domain.MaxEIPsPerENIMultiBinded)
		}
	case domain.EIPModeBinded:
		if len(others) > 0 {
			return fmt.Errorf("mode BINDED (cut-through) allows exactly one EIP per ENI, and network interface %s "+
				"already has %s associated or planned; use mode NAT or MULTI_BINDED, or remove the other association",
				eni.ID, others[0].name())
		}
	case domain.EIPModeNAT:
		if b := binded(); b != nil {
			return fmt.Errorf("network interface %s has %s in mode BINDED, which allows no other EIP on the ENI; "+
				"remove that association first", eni.ID, b.name())
		}
		if self.PrivateIP == "" {
			return nil
		}
		for _, o := range others {
			if (o.Mode == "" || o.Mode == domain.EIPModeNAT) && o.PrivateIP == self.PrivateIP {
				return fmt.Errorf("private IP %s of network interface %s already has %s; mode NAT maps one EIP per "+
					"private IP, so set private_ip_address to another address of the ENI (add one with eni_private_ip)",
					self.PrivateIP, eni.ID, o.name())
			}
		}
	default:
		return fmt.Errorf("mode %q is not one of %s", mode, strings.Join(domain.EIPModes, ", "))
	}
	return nil
}

// EIPClaim is one eni_eip_association of the plan that wants an EIP: the
// ENI and private IP it associates the EIP with (empty while not known).
type EIPClaim struct {
	NetworkInterfaceID, PrivateIP string
}

func (c EIPClaim) String() string {
	s := "network interface " + c.NetworkInterfaceID
	if c.NetworkInterfaceID == "" {
		s = "a network interface created in this configuration"
	}
	if c.PrivateIP != "" {
		s += " (private IP " + c.PrivateIP + ")"
	}
	return s
}

// EIPClaimedOnce refuses an EIP that another eni_eip_association of the
// same plan claims too: an EIP sits on one private IP at a time, and two
// resources holding it would take it from each other on every apply.
func EIPClaimedOnce(allocationID string, self EIPClaim, others []EIPClaim) error {
	if len(others) == 0 {
		return nil
	}
	o := others[0]
	where := fmt.Sprintf("one associates it with %s, another with %s", self, o)
	if o == self {
		where = fmt.Sprintf("both associate it with %s", self)
	}
	if len(others) > 1 {
		where += fmt.Sprintf(" (and %d more claim it)", len(others)-1)
	}
	return fmt.Errorf("allocation_id %s is set in %d eni_eip_association resources of this configuration: %s. An EIP "+
		"is associated with one private IP at a time; keep one of these resources, or set allocation_id of the others "+
		"to other EIPs", allocationID, len(others)+1, where)
}

// EIPFreedByReplacement reports whether the EIP sits where an association
// that this plan replaces has it: that replacement unassociates it before
// associating it again (the repair of an EIP moved outside Terraform, or
// a changed network_interface_id or private_ip_address), so it is not
// taken from anyone else. freedAt are the places, from the state of the
// replaced associations of this EIP that plan this very target.
func EIPFreedByReplacement(eip EIP, freedAt []EIPClaim) bool {
	if eip.Status != domain.EIPStatusInUse && eip.Status != domain.EIPStatusAssociating {
		return false
	}
	for _, at := range freedAt {
		if at.NetworkInterfaceID == eip.InstanceID && (at.PrivateIP == "" || eip.PrivateIP == "" || at.PrivateIP == eip.PrivateIP) {
			return true
		}
	}
	return false
}

// EIPNotTakenFromHolder refuses a plan that destroys (or replaces) an
// association whose EIP sits at released, while another association of the
// plan holds the same EIP there (adopts it, or keeps it): the destroy would
// unassociate the EIP from under the other one.
func EIPNotTakenFromHolder(allocationID string, released EIPClaim, holders []EIPClaim) error {
	for _, h := range holders {
		if h.NetworkInterfaceID == "" || h.NetworkInterfaceID != released.NetworkInterfaceID ||
			(h.PrivateIP != "" && released.PrivateIP != "" && h.PrivateIP != released.PrivateIP) {
			continue
		}
		return fmt.Errorf("EIP %s is associated with %s by an eni_eip_association that this plan destroys or replaces, and "+
			"another eni_eip_association of the configuration holds it there (%s); destroying the first would unassociate "+
			"the EIP from under the second. Keep the first instead (a moved block renames it), or remove it in one apply "+
			"and add the second in the next", allocationID, released, h)
	}
	return nil
}
