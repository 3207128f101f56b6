package validate

import (
	"fmt"
	"net/netip"

	"github.com/openeni/terraform-provider-eni/internal/domain"
)

// Rules of the IPv6 addresses and IPv4 prefixes of an ENI. The facts
// (forms, limits, where an address may lie) are internal/domain's, which
// the emulator enforces too; these say, for a plan, which argument is
// wrong and how to fix it.

// IPv6Address checks the form of one IPv6 address as a configuration
// gives it: a valid IPv6 address, written in its canonical (RFC 5952)
// form, which is how the API reports it; any other spelling of the same
// address would show as a change on every plan.
func IPv6Address(s string) error {
	a, err := domain.ParseIPv6Address(s)
	if err != nil {
		return fmt.Errorf("%q %w", s, err)
	}
	if c := a.String(); c != s {
		return fmt.Errorf("%q is written in another form than the API reports it; write it as %q (lower case, "+
			"the longest run of zero groups as ::)", s, c)
	}
	return nil
}

// IPv4Prefix checks the form of one IPv4 prefix: a /28 on a /28 boundary.
func IPv4Prefix(s string) error {
	if _, err := domain.ParseIPv4Prefix(s); err != nil {
		return fmt.Errorf("%q %w", s, err)
	}
	return nil
}

// VSwitchIPv6 checks that a vSwitch the configuration asks IPv6
// addresses of (by argument, ipv6_address_count or ipv6_addresses) has an
// IPv6 CIDR block, and returns that block.
func VSwitchIPv6(vswitchID, ipv6CIDR, argument string) (netip.Prefix, error) {
	p, err := domain.VSwitchIPv6CIDR(ipv6CIDR)
	if err != nil {
		return netip.Prefix{}, fmt.Errorf("%s asks for IPv6 addresses, but vSwitch %s %w; otherwise remove %s", argument,
			vswitchID, err, argument)
	}
	return p, nil
}

// IPv6InVSwitch checks that a fixed IPv6 address lies in the IPv6 CIDR
// block of the ENI's vSwitch (from VSwitchIPv6).
func IPv6InVSwitch(addr, vswitchID string, vswitchIPv6 netip.Prefix) error {
	a, err := domain.ParseIPv6Address(addr)
	if err != nil {
		return fmt.Errorf("%q %w", addr, err)
	}
	if err := domain.IPv6AddressInVSwitch(vswitchIPv6, a); err != nil {
		return fmt.Errorf("%s of vSwitch %s %w", addr, vswitchID, err)
	}
	return nil
}

// IPv4PrefixInVSwitch checks that a fixed IPv4 prefix lies in the ENI's
// vSwitch CIDR block, clear of its reserved addresses.
func IPv4PrefixInVSwitch(prefix, vswitchID, cidr string) error {
	p, err := domain.ParseIPv4Prefix(prefix)
	if err != nil {
		return fmt.Errorf("%q %w", prefix, err)
	}
	v, err := netip.ParsePrefix(cidr)
	if err != nil {
		return fmt.Errorf("vSwitch %s reports CIDR %q, which cannot be parsed", vswitchID, cidr)
	}
	if err := domain.IPv4PrefixInVSwitch(v, p); err != nil {
		return fmt.Errorf("%s of vSwitch %s %w", prefix, vswitchID, err)
	}
	return nil
}

// AddressOutsidePrefixes checks that a fixed private IPv4 address (the
// primary or a secondary one) lies in none of the ENI's fixed IPv4
// prefixes: an address belongs to one owner, and a prefix's 16 addresses
// are all its own.
func AddressOutsidePrefixes(ip string, prefixes []string) error {
	a, err := netip.ParseAddr(ip)
	for _, s := range prefixes {
		// A malformed address or prefix is the form rules' to report.
		if p, perr := domain.ParseIPv4Prefix(s); err == nil && perr == nil && p.Contains(a) {
			return fmt.Errorf("%s lies in the IPv4 prefix %s of the same ENI, whose 16 addresses the prefix takes; "+
				"choose an address outside %s, or another prefix", ip, s, s)
		}
	}
	return nil
}

// ENIAddressLimit is the per-ENI limit that applies to an ENI: its
// instance type's, once bound (InstanceType set), or the unbound one.
type ENIAddressLimit struct {
	// InstanceType is the type of the instance the ENI is (or will be)
	// bound to; "" while it is bound to none.
	InstanceType string
	// IPv4PerENI and IPv6PerENI are the type's
	// EniPrivateIpAddressQuantity (primary included) and
	// EniIpv6AddressQuantity; unused while InstanceType is "".
	IPv4PerENI, IPv6PerENI int
}

func (l ENIAddressLimit) ipv4() domain.ENILimit {
	if l.InstanceType == "" {
		return domain.UnboundIPv4Limit()
	}
	return domain.BoundIPv4Limit(l.InstanceType, l.IPv4PerENI)
}

func (l ENIAddressLimit) ipv6() domain.ENILimit {
	if l.InstanceType == "" {
		return domain.UnboundIPv6Limit()
	}
	return domain.BoundIPv6Limit(l.InstanceType, l.IPv6PerENI)
}

// IPv4Places checks the private IPv4 places an ENI would use under its
// limit: the primary address, secondaries secondary addresses and
// prefixes IPv4 prefixes, each prefix counting as one address. arguments
// names what sets them, for the fix.
func IPv4Places(l ENIAddressLimit, secondaries, prefixes int, arguments string) error {
	if err := domain.CheckIPv4Count(l.ipv4(), secondaries, prefixes); err != nil {
		return fmt.Errorf("the ENI %w (set by %s)", err, arguments)
	}
	return nil
}

// IPv6Count checks the number of IPv6 addresses an ENI would hold under
// its limit; argument names what sets it.
func IPv6Count(l ENIAddressLimit, n int, argument string) error {
	if n == 0 {
		return nil
	}
	if err := domain.IPv6Supported(l.ipv6()); err != nil {
		return fmt.Errorf("%s asks for IPv6 addresses, but the ENI %w", argument, err)
	}
	if err := domain.CheckIPv6Count(l.ipv6(), n); err != nil {
		return fmt.Errorf("the ENI %w (set by %s)", err, argument)
	}
	return nil
}
