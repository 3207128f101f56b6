package domain

import (
	"errors"
	"net/netip"
	"strings"
	"testing"
)

func TestParseIPv4Prefix(t *testing.T) {
	runRule(t, func(s string) error { _, err := ParseIPv4Prefix(s); return err }, []ruleCase{
		{"a /28 on its boundary", "10.1.0.16/28", true, ""},
		{"the first /28 of a block", "192.168.0.0/28", true, ""},
		{"the last /28", "10.1.0.240/28", true, ""},
		{"off the boundary", "10.1.0.17/28", false, "not on a /28 boundary (10.1.0.16/28 is)"},
		{"a /24", "10.1.0.0/24", false, "is a /24, not a /28"},
		{"a /32", "10.1.0.5/32", false, "is a /32, not a /28"},
		{"a /29", "10.1.0.8/29", false, "is a /29, not a /28"},
		{"a bare address", "10.1.0.16", false, "not an IPv4 CIDR block"},
		{"an IPv6 block", "2408:4005::/28", false, "not an IPv4 CIDR block"},
		{"empty", "", false, "not an IPv4 CIDR block"},
		{"garbage", "10.1.0.16/x", false, "not an IPv4 CIDR block"},
		{"octet out of range", "10.1.0.256/28", false, "not an IPv4 CIDR block"},
	})
	if p, err := ParseIPv4Prefix("10.1.0.32/28"); err != nil || p != netip.MustParsePrefix("10.1.0.32/28") {
		t.Fatalf("ParseIPv4Prefix = %v, %v", p, err)
	}
}

func TestIPv4PrefixInVSwitch(t *testing.T) {
	vsw := netip.MustParsePrefix("10.1.0.0/24")
	cases := []struct {
		vswitch, prefix string
		want            string // "" for accepted
	}{
		{"10.1.0.0/24", "10.1.0.16/28", ""},
		{"10.1.0.0/24", "10.1.0.224/28", ""},
		// The first /28 holds the network address, the last one the last three.
		{"10.1.0.0/24", "10.1.0.0/28", "holds an address the vSwitch 10.1.0.0/24 reserves"},
		{"10.1.0.0/24", "10.1.0.240/28", "holds an address the vSwitch 10.1.0.0/24 reserves"},
		{"10.1.0.0/24", "10.1.1.16/28", "is outside the vSwitch CIDR block 10.1.0.0/24"},
		{"10.1.0.0/24", "10.0.255.240/28", "is outside"},
		// A vSwitch smaller than a /28 can hold no prefix.
		{"10.3.0.0/29", "10.3.0.0/28", "is outside"},
		// A /28 vSwitch: its only /28 holds its reserved addresses.
		{"10.3.0.16/28", "10.3.0.16/28", "reserves"},
		// An unmasked vSwitch CIDR is judged as its network.
		{"10.1.0.77/24", "10.1.0.32/28", ""},
		{"10.0.0.0/8", "10.200.3.48/28", ""},
	}
	for _, tc := range cases {
		err := IPv4PrefixInVSwitch(netip.MustParsePrefix(tc.vswitch), netip.MustParsePrefix(tc.prefix))
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s in %s refused: %v", tc.prefix, tc.vswitch, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%s in %s: %v, want %q", tc.prefix, tc.vswitch, err, tc.want)
		}
	}
	var re *RuleError
	if err := IPv4PrefixInVSwitch(vsw, netip.MustParsePrefix("10.1.1.0/28")); !errors.As(err, &re) || re.Rule != IPv4PrefixRule {
		t.Errorf("IPv4PrefixInVSwitch: %#v", err)
	}
}

func TestPrefixesOverlap(t *testing.T) {
	p := netip.MustParsePrefix
	if !PrefixesOverlap(p("10.1.0.16/28"), p("10.1.0.20/32")) || PrefixesOverlap(p("10.1.0.16/28"), p("10.1.0.32/32")) ||
		!PrefixesOverlap(p("10.1.0.0/24"), p("10.1.0.16/28")) || PrefixesOverlap(p("10.1.0.16/28"), p("10.1.0.32/28")) {
		t.Error("PrefixesOverlap")
	}
}

func TestIPv4AddressMix(t *testing.T) {
	cases := []struct {
		secondaries, prefixes int
		want                  string
	}{
		{0, 0, ""}, {3, 0, ""}, {0, 2, ""},
		{1, 1, "asks for 1 secondary address and 1 prefix in one request"},
		{2, 3, "asks for 2 secondary addresses and 3 prefixes in one request"},
	}
	for _, tc := range cases {
		err := IPv4AddressMix(tc.secondaries, tc.prefixes)
		if (tc.want == "") != (err == nil) || (err != nil && !strings.HasPrefix(err.Error(), tc.want+"; "+IPv4AddressMixRule)) {
			t.Errorf("IPv4AddressMix(%d, %d) = %v", tc.secondaries, tc.prefixes, err)
		}
	}
}
