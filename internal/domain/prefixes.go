package domain

import (
	"net/netip"
	"strconv"
)

// IPv4 prefixes (Ipv4Prefix.N, Ipv4PrefixCount of CreateNetworkInterface
// and AssignPrivateIpAddresses; Ipv4Prefix.N of UnassignPrivateIpAddresses).
// The ECS "IP prefixes" guide: an IPv4 prefix is a /28, a standard CIDR
// block (on its own boundary) inside the CIDR block of the ENI's vSwitch,
// overlapping no address or prefix already handed out.
const (
	// IPv4PrefixBits is the only prefix length the API accepts.
	IPv4PrefixBits = 28
	// IPv4PrefixSize is how many addresses one prefix takes from its vSwitch.
	IPv4PrefixSize = 1 << (32 - IPv4PrefixBits)
)

// IPv4PrefixRule states the rule in one sentence, for schema descriptions
// and error messages.
const IPv4PrefixRule = "an IPv4 prefix is a /28 CIDR block on a /28 boundary (its last number a multiple of 16, " +
	"e.g. 10.1.0.16/28) inside the vSwitch's IPv4 CIDR block, clear of the first address and the last three, " +
	"which the vSwitch reserves"

// ParseIPv4Prefix checks the form of an IPv4 prefix: IPv4 CIDR notation,
// a /28, on its boundary. It returns the prefix; where it lies is
// IPv4PrefixInVSwitch's question.
func ParseIPv4Prefix(s string) (netip.Prefix, error) {
	p, err := netip.ParsePrefix(s)
	switch {
	case err != nil || !p.Addr().Is4():
		return netip.Prefix{}, ruleError(IPv4PrefixRule, "is not an IPv4 CIDR block")
	case p.Bits() != IPv4PrefixBits:
		return netip.Prefix{}, ruleError(IPv4PrefixRule, "is a /"+strconv.Itoa(p.Bits())+", not a /28")
	case p != p.Masked():
		return netip.Prefix{}, ruleError(IPv4PrefixRule, "is not on a /28 boundary ("+p.Masked().String()+" is)")
	}
	return p, nil
}

// IPv4PrefixInVSwitch checks that a /28 (from ParseIPv4Prefix) lies inside
// the vSwitch's CIDR block and holds none of the addresses the vSwitch
// reserves (ReservedInPrefix): all 16 of its addresses must be assignable.
// The real API asks for the prefix to be in a reserved CIDR block of the
// vSwitch when it has one; the emulator models none, so the whole vSwitch
// CIDR is allowed.
func IPv4PrefixInVSwitch(vswitchCIDR, prefix netip.Prefix) error {
	v := vswitchCIDR.Masked()
	if v.Bits() > prefix.Bits() || !v.Contains(prefix.Addr()) {
		return ruleError(IPv4PrefixRule, "is outside the vSwitch CIDR block "+v.String())
	}
	if ReservedInPrefix(v, prefix.Addr()) || ReservedInPrefix(v, LastAddr(prefix)) {
		return ruleError(IPv4PrefixRule, "holds an address the vSwitch "+v.String()+" reserves")
	}
	return nil
}

// PrefixesOverlap reports whether two prefixes share an address.
func PrefixesOverlap(a, b netip.Prefix) bool { return a.Masked().Overlaps(b.Masked()) }

// IPv4AddressMixRule states, for messages, how secondary IPv4 addresses and
// IPv4 prefixes may be combined.
const IPv4AddressMixRule = "one request assigns either secondary private IPv4 addresses (PrivateIpAddress.N or " +
	"SecondaryPrivateIpAddressCount) or IPv4 prefixes (Ipv4Prefix.N or Ipv4PrefixCount), not both; an ENI may hold " +
	"both kinds, each prefix counting as one private IPv4 address against the ENI's limit"

// IPv4AddressMix checks one CreateNetworkInterface or
// AssignPrivateIpAddresses request that adds secondaries addresses and
// prefixes prefixes.
//
// The references make each pair exclusive (addresses or their count;
// prefixes or their count) and say nothing of the two kinds together. The
// real AssignPrivateIpAddresses is reported (issue 14) to refuse a call
// that carries both kinds; no document read confirms or denies it, so this
// rule follows that report, for CreateNetworkInterface too, and a client
// that wants both makes two calls. An ENI that holds both kinds is fine:
// the ECS "IP prefixes" guide counts each prefix as one private IPv4
// address and each secondary address as one prefix slot fewer
// (CheckIPv4Count). UnassignPrivateIpAddresses may name both kinds.
func IPv4AddressMix(secondaries, prefixes int) error {
	if secondaries > 0 && prefixes > 0 {
		return ruleError(IPv4AddressMixRule, "asks for "+plural(secondaries, "secondary address", "secondary addresses")+
			" and "+plural(prefixes, "prefix", "prefixes")+" in one request")
	}
	return nil
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}
