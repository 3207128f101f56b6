package domain

import "net/netip"

// IPv6 addresses of an ENI (Ipv6Address.N, Ipv6AddressCount of
// CreateNetworkInterface and AssignIpv6Addresses; Ipv6Address.N of
// UnassignIpv6Addresses). The AssignIpv6Addresses reference: IPv6 must be
// enabled on the ENI's vSwitch, and the addresses come from the vSwitch's
// IPv6 CIDR block, which Alibaba allocates as a /64 of the VPC's /56.
const (
	// VSwitchIPv6Bits and VPCIPv6Bits are the lengths of the IPv6 CIDR
	// blocks Alibaba gives a vSwitch and a VPC.
	VSwitchIPv6Bits = 64
	VPCIPv6Bits     = 56
)

// IPv6AddressRule and VSwitchIPv6Rule state the rules in one sentence.
const (
	IPv6AddressRule = "an IPv6 address of an ENI is a valid IPv6 address (e.g. 2408:4005:3a0:ab00::10) inside " +
		"the IPv6 CIDR block of the ENI's vSwitch"
	VSwitchIPv6Rule = "IPv6 addresses need a vSwitch with IPv6 enabled, that is with an IPv6 CIDR block; " +
		"enable IPv6 on the VPC and the vSwitch, or use a vSwitch that has it"
)

// ParseIPv6Address checks the form of an IPv6 address: IPv6 text, not an
// IPv4 or IPv4-mapped address, no zone. The address is returned in its
// canonical form, which is how the API reports it.
func ParseIPv6Address(s string) (netip.Addr, error) {
	a, err := netip.ParseAddr(s)
	switch {
	case err != nil:
		return netip.Addr{}, ruleError(IPv6AddressRule, "is not an IPv6 address")
	case a.Is4() || a.Is4In6():
		return netip.Addr{}, ruleError(IPv6AddressRule, "is an IPv4 address, not an IPv6 one")
	case a.Zone() != "":
		return netip.Addr{}, ruleError(IPv6AddressRule, "carries a zone (%"+a.Zone()+"), which the API does not take")
	}
	return a, nil
}

// VSwitchIPv6CIDR checks that a vSwitch has IPv6 enabled: its
// Ipv6CidrBlock (as DescribeVSwitches reports it; "" when IPv6 is off) is
// an IPv6 CIDR block. The problem follows the vSwitch: `vsw-1 has no IPv6
// CIDR block; IPv6 addresses need...`.
func VSwitchIPv6CIDR(cidr string) (netip.Prefix, error) {
	if cidr == "" {
		return netip.Prefix{}, ruleError(VSwitchIPv6Rule, "has no IPv6 CIDR block")
	}
	p, err := netip.ParsePrefix(cidr)
	if err != nil || !p.Addr().Is6() || p.Addr().Is4In6() {
		return netip.Prefix{}, ruleError(VSwitchIPv6Rule, "reports an IPv6 CIDR block "+cidr+" that is not one")
	}
	return p.Masked(), nil
}

// IPv6AddressInVSwitch checks that addr (from ParseIPv6Address) lies in
// the vSwitch's IPv6 CIDR block (from VSwitchIPv6CIDR). The subnet's first
// address (the subnet-router anycast address of RFC 4291) is not an
// interface address and is refused as well.
func IPv6AddressInVSwitch(vswitchIPv6 netip.Prefix, addr netip.Addr) error {
	v := vswitchIPv6.Masked()
	switch {
	case !v.Contains(addr):
		return ruleError(IPv6AddressRule, "is outside the vSwitch IPv6 CIDR block "+v.String())
	case addr == v.Addr():
		return ruleError(IPv6AddressRule, "is the first address of the vSwitch IPv6 CIDR block "+v.String()+
			", which is not an interface address")
	}
	return nil
}
