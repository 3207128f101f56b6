package domain

import (
	"strings"
	"testing"
)

func TestCheckIPv4Count(t *testing.T) {
	g7 := BoundIPv4Limit("ecs.g7.large", 6)
	cases := []struct {
		limit                 ENILimit
		secondaries, prefixes int
		want                  string
	}{
		// The guide's example: 6 per ENI, so 5 prefixes and no secondary
		// address, or one prefix fewer per secondary address.
		{g7, 0, 5, ""},
		{g7, 1, 4, ""},
		{g7, 5, 0, ""},
		{g7, 0, 6, "would hold 7 private IPv4 places (the primary address, 0 secondary addresses and 6 prefixes); " +
			"instance type ecs.g7.large allows 6 private IPv4 addresses per ENI, the primary address included and each IPv4 prefix counting as one; assign 1 fewer"},
		{g7, 2, 4, "assign 1 fewer"},
		{UnboundIPv4Limit(), 10, 0, ""},
		{UnboundIPv4Limit(), 4, 6, ""},
		{UnboundIPv4Limit(), 0, 11, "an ENI bound to no instance holds at most 10 secondary IPv4 addresses and IPv4 prefixes together; assign 1 fewer"},
		{UnboundIPv4Limit(), 1, 10, "(the primary address, 1 secondary address and 10 prefixes)"},
	}
	for _, tc := range cases {
		err := CheckIPv4Count(tc.limit, tc.secondaries, tc.prefixes)
		if (tc.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tc.want)) {
			t.Errorf("CheckIPv4Count(%+v, %d, %d) = %v, want %q", tc.limit, tc.secondaries, tc.prefixes, err, tc.want)
		}
	}
}

func TestIPv6Limits(t *testing.T) {
	cases := []struct {
		limit ENILimit
		n     int
		want  string
	}{
		{BoundIPv6Limit("ecs.g7.large", 10), 10, ""},
		{BoundIPv6Limit("ecs.g7.large", 10), 11, "would hold 11 IPv6 addresses; instance type ecs.g7.large allows 10 IPv6 addresses per ENI; assign 1 fewer"},
		{UnboundIPv6Limit(), 10, ""},
		{UnboundIPv6Limit(), 12, "an ENI bound to no instance holds at most 10 IPv6 addresses; assign 2 fewer"},
		{BoundIPv6Limit("ecs.t6-c1m2.large", 0), 0, ""},
		{BoundIPv6Limit("ecs.t6-c1m2.large", 0), 1, "would hold 1 IPv6 address;"},
	}
	for _, tc := range cases {
		err := CheckIPv6Count(tc.limit, tc.n)
		if (tc.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tc.want)) {
			t.Errorf("CheckIPv6Count(%+v, %d) = %v, want %q", tc.limit, tc.n, err, tc.want)
		}
	}
	if err := IPv6Supported(BoundIPv6Limit("ecs.t6-c1m2.large", 0)); err == nil ||
		!strings.Contains(err.Error(), "instance type ecs.t6-c1m2.large takes no IPv6 addresses") {
		t.Errorf("IPv6Supported(0) = %v", err)
	}
	if IPv6Supported(BoundIPv6Limit("ecs.g7.large", 1)) != nil || IPv6Supported(UnboundIPv6Limit()) != nil {
		t.Error("IPv6Supported refused a type or an unbound ENI that takes IPv6")
	}
}

func TestPerRequest(t *testing.T) {
	for n, ok := range map[int]bool{0: true, 1: true, 10: true, 11: false} {
		if (IPv6AddressesPerRequest(n) == nil) != ok || (IPv4PrefixesPerRequest(n) == nil) != ok {
			t.Errorf("per request %d", n)
		}
	}
	if err := IPv4PrefixesPerRequest(11); err.Error() != "asks for 11 IPv4 prefixes in one request; one request adds at most 10 IPv4 prefixes; split the change" {
		t.Errorf("%v", err)
	}
}
