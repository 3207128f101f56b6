package mockcloud

import (
	"iter"
	"net/netip"
	"slices"
	"strconv"

	"github.com/openeni/terraform-provider-eni/internal/domain"
)

// IPv4 prefixes and IPv6 addresses of ENIs: parsing the requested ones,
// checking them against the vSwitch and the ENI's limits (the rules are
// internal/domain's, shared with the provider's plan checks), and taking
// and returning them. A prefix takes its 16 addresses from the vSwitch's
// Used map, so no secondary address or other prefix can overlap it and
// AvailableIpAddressCount drops by 16; IPv6 addresses are recorded in
// UsedIPv6.

// --- limits ----------------------------------------------------------------

// boundInstance is the instance e is bound to (attaching, in use or
// detaching), or nil.
func (s *state) boundInstance(e *eniObj) *instanceObj {
	if e.InstanceID == "" {
		return nil
	}
	return s.Instances[e.InstanceID]
}

// ipv4Limit and ipv6Limit are the limits that apply to e: its instance
// type's while it is bound, else those of an ENI bound to no instance.
func (s *state) ipv4Limit(e *eniObj) domain.ENILimit {
	if in := s.boundInstance(e); in != nil {
		return domain.BoundIPv4Limit(in.Type, s.typeOf(in).ENIPrivateIPs)
	}
	return domain.UnboundIPv4Limit()
}

func (s *state) ipv6Limit(e *eniObj) domain.ENILimit {
	if in := s.boundInstance(e); in != nil {
		return domain.BoundIPv6Limit(in.Type, s.typeOf(in).ENIIPv6)
	}
	return domain.UnboundIPv6Limit()
}

// checkIPRoom refuses secondaries more secondary addresses and prefixes
// more IPv4 prefixes on e beyond its IPv4 limit.
func (s *state) checkIPRoom(e *eniObj, secondaries, prefixes int) error {
	return checkIPv4Places(eniWho(e.ID), s.ipv4Limit(e), e.secondaryCount()+secondaries, e.prefixCount()+prefixes)
}

// eniWho names an ENI in the messages of the limit checks, which also
// speak of a "new ENI" that has no ID yet.
func eniWho(id string) string { return "ENI " + strconv.Quote(id) }

// checkIPv4Places checks the IPv4 places the ENI who would use under l.
func checkIPv4Places(who string, l domain.ENILimit, secondaries, prefixes int) error {
	if err := domain.CheckIPv4Count(l, secondaries, prefixes); err != nil {
		return errIPv4Count("The %s %s.", who, err)
	}
	return nil
}

// checkIPv6Places checks that the ENI who can hold n IPv6 addresses under l.
func checkIPv6Places(who string, l domain.ENILimit, n int) error {
	if n == 0 {
		return nil
	}
	if err := domain.IPv6Supported(l); err != nil {
		return forbidden("InvalidOperation.Ipv6NotSupport", "The %s %s.", who, err)
	}
	if err := domain.CheckIPv6Count(l, n); err != nil {
		return forbidden("InvalidOperation.Ipv6CountExceeded", "The %s %s.", who, err)
	}
	return nil
}

// checkIPv4Mix refuses a request that adds both secondary addresses and
// prefixes (domain.IPv4AddressMix).
func checkIPv4Mix(secondaries, prefixes int) error {
	if err := domain.IPv4AddressMix(secondaries, prefixes); err != nil {
		return badRequest("InvalidParameter.Conflict", "The request %s.", err)
	}
	return nil
}

// --- IPv4 prefixes ---------------------------------------------------------

// requestedPrefixes parses Ipv4Prefix.N and refuses repeats.
func requestedPrefixes(list []string) ([]netip.Prefix, error) {
	out := make([]netip.Prefix, 0, len(list))
	for i, v := range list {
		name := "Ipv4Prefix." + strconv.Itoa(i+1)
		p, err := domain.ParseIPv4Prefix(v)
		if err != nil {
			return nil, badRequest("InvalidParameter", "The specified %s %q %s.", name, v, err)
		}
		if slices.Contains(out, p) {
			return nil, forbidden("InvalidIp.IpRepeated", "The IPv4 prefix %q is given more than once in the request.", v)
		}
		out = append(out, p)
	}
	return out, nil
}

// claimablePrefix checks that prefix p may be taken from vsw for ENI
// owner ("" for an ENI being created): inside the vSwitch, clear of its
// reserved addresses, and no address of it in use.
func claimablePrefix(vsw *vswitchObj, owner *eniObj, name string, p netip.Prefix) error {
	if err := domain.IPv4PrefixInVSwitch(vsw.prefix(), p); err != nil {
		return forbidden("InvalidVSwitchId.IpInvalid", "The specified %s %q %s (VSwitch %q).", name, p, err, vsw.ID)
	}
	if owner != nil && (slices.Contains(owner.IPv4Prefixes, p.String()) || slices.Contains(owner.PendingAddPrefixes, p.String())) {
		return forbidden("InvalidIp.IpAssigned", "The IPv4 prefix %q is already assigned to ENI %q.", p, owner.ID)
	}
	for a := range prefixAddrs(p) {
		if holder, used := vsw.Used[a.String()]; used {
			return badRequest("InvalidPrivateIpAddress.Duplicated",
				"The specified %s %q overlaps address %s, which %s holds.", name, p, a, holder)
		}
	}
	return nil
}

// prefixAddrs yields the addresses of a prefix.
func prefixAddrs(p netip.Prefix) iter.Seq[netip.Addr] {
	return func(yield func(netip.Addr) bool) {
		p = p.Masked()
		for a := p.Addr(); a.IsValid() && p.Contains(a); a = a.Next() {
			if !yield(a) {
				return
			}
		}
	}
}

// prefixFree reports whether no address of p is in use in vsw.
func prefixFree(vsw *vswitchObj, p netip.Prefix) bool {
	for a := range prefixAddrs(p) {
		if _, used := vsw.Used[a.String()]; used {
			return false
		}
	}
	return true
}

func takePrefix(vsw *vswitchObj, owner string, p netip.Prefix) {
	for a := range prefixAddrs(p) {
		vsw.Used[a.String()] = owner
	}
}

// releasePrefix returns the addresses of prefix (CIDR text) to the vSwitch.
func (s *state) releasePrefix(vswID, prefix string) {
	vsw, p := s.VSwitches[vswID], netip.MustParsePrefix(prefix)
	if vsw == nil {
		return
	}
	for a := range prefixAddrs(p) {
		delete(vsw.Used, a.String())
	}
}

// claimPrefixes takes the explicit prefixes and then n more, the lowest
// free /28s of the vSwitch that hold no reserved address, for owner. On
// failure it returns everything it took and reports the vSwitch full.
func claimPrefixes(vsw *vswitchObj, owner string, explicit []netip.Prefix, n int) ([]string, error) {
	for _, p := range explicit {
		takePrefix(vsw, owner, p)
	}
	taken := slices.Clone(explicit)
	v := vsw.prefix().Masked()
	if n > 0 && v.Bits() <= domain.IPv4PrefixBits {
		block := netip.PrefixFrom(v.Addr(), domain.IPv4PrefixBits)
		for len(taken) < len(explicit)+n && v.Contains(block.Addr()) {
			if domain.IPv4PrefixInVSwitch(v, block) == nil && prefixFree(vsw, block) {
				takePrefix(vsw, owner, block)
				taken = append(taken, block)
			}
			next, ok := nextPrefix(block)
			if !ok {
				break
			}
			block = next
		}
	}
	if len(taken) < len(explicit)+n {
		for _, p := range taken {
			for a := range prefixAddrs(p) {
				delete(vsw.Used, a.String())
			}
		}
		return nil, errIPNotEnough(vsw.ID)
	}
	out := make([]string, len(taken))
	for i, p := range taken {
		out[i] = p.String()
	}
	return out, nil
}

// nextPrefix is the /28 after p, or false at the end of the IPv4 space.
func nextPrefix(p netip.Prefix) (netip.Prefix, bool) {
	a := p.Addr().As4()
	v := uint32(a[0])<<24 | uint32(a[1])<<16 | uint32(a[2])<<8 | uint32(a[3])
	v += domain.IPv4PrefixSize
	if v == 0 {
		return netip.Prefix{}, false
	}
	return netip.PrefixFrom(netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)}), domain.IPv4PrefixBits), true
}

// inPrefixes reports whether ip (IPv4 text) lies in one of the prefixes.
func inPrefixes(ip string, prefixes []string) bool {
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return false
	}
	for _, p := range prefixes {
		if netip.MustParsePrefix(p).Contains(a) {
			return true
		}
	}
	return false
}

// --- IPv6 addresses --------------------------------------------------------

// vswitchIPv6 is the IPv6 CIDR block of vsw, or the refusal of a vSwitch
// without IPv6.
func vswitchIPv6(vsw *vswitchObj) (netip.Prefix, error) {
	p, err := domain.VSwitchIPv6CIDR(vsw.IPv6CIDR)
	if err != nil {
		return netip.Prefix{}, forbidden("InvalidVSwitch.Ipv6NotTurnOn", "The specified VSwitch %q %s.", vsw.ID, err)
	}
	return p, nil
}

// requestedIPv6 parses Ipv6Address.N into canonical text and refuses
// repeats.
func requestedIPv6(list []string) ([]string, error) {
	out := make([]string, 0, len(list))
	for i, v := range list {
		a, err := domain.ParseIPv6Address(v)
		if err != nil {
			return nil, forbidden("InvalidIp.Address", "The specified Ipv6Address.%d %q %s.", i+1, v, err)
		}
		if slices.Contains(out, a.String()) {
			return nil, forbidden("InvalidIp.IpRepeated", "The address %q is given more than once in the request.", v)
		}
		out = append(out, a.String())
	}
	return out, nil
}

// claimableIPv6 checks that addr (canonical text) may be taken from the
// vSwitch's IPv6 block p for ENI owner (nil for an ENI being created).
func claimableIPv6(vsw *vswitchObj, p netip.Prefix, owner *eniObj, name, addr string) error {
	if err := domain.IPv6AddressInVSwitch(p, netip.MustParseAddr(addr)); err != nil {
		return forbidden("InvalidIp.Address", "The specified %s %q %s (VSwitch %q).", name, addr, err, vsw.ID)
	}
	if holder, used := vsw.UsedIPv6[addr]; used {
		if owner != nil && holder == owner.ID {
			return forbidden("InvalidIp.IpAssigned", "The IPv6 address %q is already assigned to ENI %q.", addr, holder)
		}
		return forbidden("InvalidIp.IpAssigned", "The specified %s %q is already in use by %s.", name, addr, holder)
	}
	return nil
}

// claimIPv6 takes the explicit addresses and n more, the lowest free ones
// of the block after its first address, for owner.
func claimIPv6(vsw *vswitchObj, p netip.Prefix, owner string, explicit []string, n int) ([]string, error) {
	if vsw.UsedIPv6 == nil {
		vsw.UsedIPv6 = map[string]string{}
	}
	taken := slices.Clone(explicit)
	for _, a := range explicit {
		vsw.UsedIPv6[a] = owner
	}
	for a := p.Addr().Next(); len(taken) < len(explicit)+n && a.IsValid() && p.Contains(a); a = a.Next() {
		if _, used := vsw.UsedIPv6[a.String()]; !used {
			vsw.UsedIPv6[a.String()] = owner
			taken = append(taken, a.String())
		}
	}
	if len(taken) < len(explicit)+n {
		for _, a := range taken {
			delete(vsw.UsedIPv6, a)
		}
		return nil, errIPNotEnough(vsw.ID)
	}
	return taken, nil
}

func (s *state) releaseIPv6(vswID, addr string) {
	if vsw := s.VSwitches[vswID]; vsw != nil {
		delete(vsw.UsedIPv6, addr)
	}
}
