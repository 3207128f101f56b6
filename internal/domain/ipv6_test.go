package domain

import (
	"net/netip"
	"strings"
	"testing"
)

func TestParseIPv6Address(t *testing.T) {
	runRule(t, func(s string) error { _, err := ParseIPv6Address(s); return err }, []ruleCase{
		{"full form", "2408:4005:3a0:ab00:0:0:0:10", true, ""},
		{"compressed", "2408:4005:3a0:ab00::10", true, ""},
		{"upper case", "2408:4005:3A0:AB00::1F", true, ""},
		{"IPv4", "10.1.0.5", false, "is an IPv4 address, not an IPv6 one"},
		{"IPv4-mapped", "::ffff:10.1.0.5", false, "is an IPv4 address"},
		{"zone", "fe80::1%eth0", false, "carries a zone (%eth0)"},
		{"a CIDR block", "2408:4005::/64", false, "is not an IPv6 address"},
		{"garbage", "2408:::1", false, "is not an IPv6 address"},
		{"empty", "", false, "is not an IPv6 address"},
	})
	if a, _ := ParseIPv6Address("2408:4005:3A0:AB00:0:0:0:1F"); a.String() != "2408:4005:3a0:ab00::1f" {
		t.Errorf("canonical form %s", a)
	}
}

func TestVSwitchIPv6CIDR(t *testing.T) {
	runRule(t, func(s string) error { _, err := VSwitchIPv6CIDR(s); return err }, []ruleCase{
		{"a /64", "2408:4005:3a0:ab00::/64", true, ""},
		{"IPv6 off", "", false, "has no IPv6 CIDR block; " + VSwitchIPv6Rule},
		{"an IPv4 block", "10.1.0.0/24", false, "that is not one"},
		{"garbage", "x", false, "that is not one"},
	})
	if p, _ := VSwitchIPv6CIDR("2408:4005:3a0:ab00::7/64"); p.String() != "2408:4005:3a0:ab00::/64" {
		t.Errorf("masked %s", p)
	}
}

func TestIPv6AddressInVSwitch(t *testing.T) {
	v := netip.MustParsePrefix("2408:4005:3a0:ab00::/64")
	cases := map[string]string{
		"2408:4005:3a0:ab00::1":                  "",
		"2408:4005:3a0:ab00:ffff:ffff:ffff:ffff": "",
		"2408:4005:3a0:ab01::1":                  "is outside the vSwitch IPv6 CIDR block 2408:4005:3a0:ab00::/64",
		"2408:4005:3a0:ab00::":                   "is the first address",
	}
	for addr, want := range cases {
		err := IPv6AddressInVSwitch(v, netip.MustParseAddr(addr))
		if (want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), want)) {
			t.Errorf("%s: %v, want %q", addr, err, want)
		}
	}
}
