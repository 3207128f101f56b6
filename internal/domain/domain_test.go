package domain

import (
	"errors"
	"net/netip"
	"testing"
)

func TestAddressUsable(t *testing.T) {
	p24 := netip.MustParsePrefix("10.1.0.0/24")
	cases := []struct {
		prefix netip.Prefix
		addr   string
		want   error
	}{
		{p24, "10.1.0.0", ErrReservedAddress},
		{p24, "10.1.0.1", nil},
		{p24, "10.1.0.252", nil},
		{p24, "10.1.0.253", ErrReservedAddress},
		{p24, "10.1.0.254", ErrReservedAddress},
		{p24, "10.1.0.255", ErrReservedAddress},
		{p24, "10.1.1.5", ErrOutsidePrefix},
		{p24, "10.0.255.255", ErrOutsidePrefix},
		// An unmasked prefix is judged as its network.
		{netip.MustParsePrefix("10.1.0.77/24"), "10.1.0.0", ErrReservedAddress},
		{netip.MustParsePrefix("10.1.0.77/24"), "10.1.0.5", nil},
		// A /29: 8 addresses, 4 usable.
		{netip.MustParsePrefix("10.3.0.0/29"), "10.3.0.1", nil},
		{netip.MustParsePrefix("10.3.0.0/29"), "10.3.0.4", nil},
		{netip.MustParsePrefix("10.3.0.0/29"), "10.3.0.5", ErrReservedAddress},
		{netip.MustParsePrefix("10.3.0.0/29"), "10.3.0.8", ErrOutsidePrefix},
	}
	for _, tc := range cases {
		if got := AddressUsable(tc.prefix, netip.MustParseAddr(tc.addr)); !errors.Is(got, tc.want) {
			t.Errorf("AddressUsable(%s, %s) = %v, want %v", tc.prefix, tc.addr, got, tc.want)
		}
	}
}

func TestUsableAddresses(t *testing.T) {
	cases := map[string]int64{"10.0.0.0/8": 1<<24 - 4, "10.1.0.0/24": 252, "10.3.0.0/29": 4, "10.3.0.0/30": 0, "10.3.0.0/32": 0}
	for cidr, want := range cases {
		if got := UsableAddresses(netip.MustParsePrefix(cidr)); got != want {
			t.Errorf("UsableAddresses(%s) = %d, want %d", cidr, got, want)
		}
	}
}

func TestLastAddr(t *testing.T) {
	cases := map[string]string{"10.1.0.0/24": "10.1.0.255", "10.1.0.9/29": "10.1.0.15", "0.0.0.0/0": "255.255.255.255"}
	for cidr, want := range cases {
		if got := LastAddr(netip.MustParsePrefix(cidr)).String(); got != want {
			t.Errorf("LastAddr(%s) = %s, want %s", cidr, got, want)
		}
	}
}

func TestInstanceFamily(t *testing.T) {
	cases := map[string]string{"ecs.g7.large": "ecs.g7", "ecs.t5-lc1m2.small": "ecs.t5", "ecs.g7": "ecs.g7", "x": "x"}
	for typ, want := range cases {
		if got := InstanceFamily(typ); got != want {
			t.Errorf("InstanceFamily(%s) = %s, want %s", typ, got, want)
		}
	}
}

func TestHotSwapAndMultiEIP(t *testing.T) {
	if HotSwapSupported("ecs.t6-c1m2.large") || !HotSwapSupported("ecs.g7.large") {
		t.Error("hot swap table")
	}
	if !MultiEIPFamilySupported("ecs.g5.large") || MultiEIPFamilySupported("ecs.g7.large") {
		t.Error("multi-EIP families")
	}
	if !MultiEIPRegionSupported("cn-shanghai") || MultiEIPRegionSupported("cn-hangzhou") {
		t.Error("multi-EIP regions")
	}
}
