package validate

import (
	"net/netip"
	"regexp"
	"strings"
	"testing"
)

// checkText is check for a literal text: the error contains want ("" for
// no error). name names the case.
func checkText(t *testing.T, name string, err error, want string) {
	t.Helper()
	t.Run(name, func(t *testing.T) { check(t, err, regexp.QuoteMeta(want)) })
}

func TestIPv6Address(t *testing.T) {
	cases := map[string]string{
		"2408:4005:3a0:ab00::10":      "",
		"2408:4005:3A0:AB00::10":      `write it as "2408:4005:3a0:ab00::10"`,
		"2408:4005:3a0:ab00:0:0:0:10": `write it as "2408:4005:3a0:ab00::10"`,
		"10.1.0.5":                    `"10.1.0.5" is an IPv4 address, not an IPv6 one`,
		"2408::/64":                   "is not an IPv6 address",
		"":                            "is not an IPv6 address",
	}
	for in, want := range cases {
		checkText(t, in, IPv6Address(in), want)
	}
}

func TestIPv4Prefix(t *testing.T) {
	cases := map[string]string{
		"10.1.0.16/28": "",
		"10.1.0.17/28": "is not on a /28 boundary (10.1.0.16/28 is)",
		"10.1.0.0/27":  "is a /27, not a /28",
		"10.1.0.16":    "is not an IPv4 CIDR block",
		"2408::/28":    "is not an IPv4 CIDR block",
	}
	for in, want := range cases {
		checkText(t, in, IPv4Prefix(in), want)
	}
}

func TestVSwitchIPv6(t *testing.T) {
	p, err := VSwitchIPv6("vsw-1", "2408:4005:3a0:ab00::/64", "ipv6_address_count")
	checkText(t, "enabled", err, "")
	if p.String() != "2408:4005:3a0:ab00::/64" {
		t.Errorf("prefix %s", p)
	}
	_, err = VSwitchIPv6("vsw-1", "", "ipv6_addresses")
	checkText(t, "disabled", err, "ipv6_addresses asks for IPv6 addresses, but vSwitch vsw-1 has no IPv6 CIDR block; "+
		"IPv6 addresses need a vSwitch with IPv6 enabled")
	checkText(t, "disabled, fix", err, "otherwise remove ipv6_addresses")
}

func TestIPv6InVSwitch(t *testing.T) {
	v6 := netip.MustParsePrefix("2408:4005:3a0:ab00::/64")
	cases := map[string]string{
		"2408:4005:3a0:ab00::10": "",
		"2408:4005:3a0:ab01::10": "2408:4005:3a0:ab01::10 of vSwitch vsw-1 is outside the vSwitch IPv6 CIDR block 2408:4005:3a0:ab00::/64",
		"2408:4005:3a0:ab00::":   "is the first address",
		"nonsense":               "is not an IPv6 address",
	}
	for in, want := range cases {
		checkText(t, in, IPv6InVSwitch(in, "vsw-1", v6), want)
	}
}

func TestIPv4PrefixInVSwitch(t *testing.T) {
	cases := []struct{ prefix, cidr, want string }{
		{"10.1.0.16/28", "10.1.0.0/24", ""},
		{"10.1.1.16/28", "10.1.0.0/24", "10.1.1.16/28 of vSwitch vsw-1 is outside the vSwitch CIDR block 10.1.0.0/24"},
		{"10.1.0.0/28", "10.1.0.0/24", "holds an address the vSwitch 10.1.0.0/24 reserves"},
		{"10.1.0.240/28", "10.1.0.0/24", "reserves"},
		{"10.1.0.0/28", "10.1.0.0/28", "reserves"},
		{"10.1.0.16/28", "bad", `reports CIDR "bad"`},
		{"10.1.0.18/28", "10.1.0.0/24", "not on a /28 boundary"},
	}
	for _, tc := range cases {
		checkText(t, tc.prefix+" in "+tc.cidr, IPv4PrefixInVSwitch(tc.prefix, "vsw-1", tc.cidr), tc.want)
	}
}

func TestAddressOutsidePrefixes(t *testing.T) {
	prefixes := []string{"10.1.0.16/28", "10.1.0.64/28"}
	cases := map[string]string{
		"10.1.0.15": "",
		"10.1.0.16": "10.1.0.16 lies in the IPv4 prefix 10.1.0.16/28 of the same ENI",
		"10.1.0.79": "lies in the IPv4 prefix 10.1.0.64/28",
		"10.1.0.80": "",
		"garbage":   "",
	}
	for in, want := range cases {
		checkText(t, in, AddressOutsidePrefixes(in, prefixes), want)
	}
}

func TestIPv4Places(t *testing.T) {
	unbound := ENIAddressLimit{}
	g7 := ENIAddressLimit{InstanceType: "ecs.g7.large", IPv4PerENI: 6, IPv6PerENI: 6}
	cases := []struct {
		name                  string
		limit                 ENIAddressLimit
		secondaries, prefixes int
		want                  string
	}{
		{"unbound, 10 secondaries", unbound, 10, 0, ""},
		{"unbound, shared with prefixes", unbound, 4, 6, ""},
		{"unbound, one too many", unbound, 5, 6, "the ENI would hold 12 private IPv4 places (the primary address, 5 " +
			"secondary addresses and 6 prefixes); an ENI bound to no instance holds at most 10"},
		{"bound, prefixes only", g7, 0, 5, ""},
		{"bound, mixed", g7, 1, 4, ""},
		{"bound, each prefix counts as one", g7, 2, 4, "instance type ecs.g7.large allows 6 private IPv4 addresses per ENI"},
	}
	for _, tc := range cases {
		err := IPv4Places(tc.limit, tc.secondaries, tc.prefixes, "secondary_private_ip_count and ipv4_prefix_count")
		checkText(t, tc.name, err, tc.want)
		if err != nil && !strings.Contains(err.Error(), "(set by secondary_private_ip_count and ipv4_prefix_count)") {
			t.Errorf("%s: the error does not name the arguments: %v", tc.name, err)
		}
	}
}

func TestIPv6Count(t *testing.T) {
	cases := []struct {
		name  string
		limit ENIAddressLimit
		n     int
		want  string
	}{
		{"none", ENIAddressLimit{InstanceType: "ecs.t6-c1m2.large"}, 0, ""},
		{"unbound, 10", ENIAddressLimit{}, 10, ""},
		{"unbound, 11", ENIAddressLimit{}, 11, "the ENI would hold 11 IPv6 addresses; an ENI bound to no instance holds " +
			"at most 10 IPv6 addresses; assign 1 fewer, or bind it to an instance first"},
		{"bound, within", ENIAddressLimit{InstanceType: "ecs.g7.large", IPv6PerENI: 10}, 10, ""},
		{"bound, beyond", ENIAddressLimit{InstanceType: "ecs.g7.large", IPv6PerENI: 10}, 12,
			"instance type ecs.g7.large allows 10 IPv6 addresses per ENI; assign 2 fewer (set by ipv6_address_count)"},
		{"type without IPv6", ENIAddressLimit{InstanceType: "ecs.t6-c1m2.large"}, 1,
			"ipv6_address_count asks for IPv6 addresses, but the ENI is bound to an instance of type ecs.t6-c1m2.large; " +
				"instance type ecs.t6-c1m2.large takes no IPv6 addresses"},
	}
	for _, tc := range cases {
		checkText(t, tc.name, IPv6Count(tc.limit, tc.n, "ipv6_address_count"), tc.want)
	}
}
