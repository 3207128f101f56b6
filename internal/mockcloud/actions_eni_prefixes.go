package mockcloud

import (
	"slices"
	"strconv"

	"github.com/openeni/terraform-provider-eni/internal/domain"
)

// IPv4 prefixes on AssignPrivateIpAddresses and UnassignPrivateIpAddresses
// (Ipv4Prefix.N, Ipv4PrefixCount). Like secondary addresses, they are
// taken from the vSwitch at once and show on the ENI when the change
// completes, under the ENI's IP-change lock.

// assignPrefixes is AssignPrivateIpAddresses with IPv4 prefixes, once the
// ENI's state is checked.
func (s *state) assignPrefixes(c *call, e *eniObj, a *prefixArgs) (object, error) {
	if err := s.checkIPRoom(e, 0, a.requested()); err != nil {
		return nil, err
	}
	vsw := s.VSwitches[e.VSwitchID]
	if vsw == nil {
		return nil, errVSwitchNotFound(e.VSwitchID)
	}
	for i, p := range a.prefixes {
		if err := claimablePrefix(vsw, e, "Ipv4Prefix."+strconv.Itoa(i+1), p); err != nil {
			return nil, err
		}
	}
	if vsw.available() < int64(domain.IPv4PrefixSize*a.requested()) {
		return nil, errIPNotEnough(vsw.ID)
	}
	if e.ipsBusy() {
		return nil, errIPChangeConflict(e.ID)
	}
	added, err := claimPrefixes(vsw, e.ID, a.prefixes, a.Count)
	if err != nil {
		return nil, err
	}
	e.PendingAddPrefixes = added
	s.schedule(opIPs, e.ID, c.now, c.delay())
	return assignedAnswer(e.ID, noStrings, added), nil
}

// heldPrefixes parses the Ipv4Prefix.N of an unassign and checks that e
// holds each (InvalidIp.IpUnassigned otherwise, as for an address).
func heldPrefixes(e *eniObj, list []string) ([]string, error) {
	parsed, err := requestedPrefixes(list)
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(parsed))
	for _, p := range parsed {
		if !slices.Contains(e.IPv4Prefixes, p.String()) {
			return nil, forbidden("InvalidIp.IpUnassigned", "The IPv4 prefix %q is not assigned to ENI %q.", p, e.ID)
		}
		out = append(out, p.String())
	}
	return out, nil
}
