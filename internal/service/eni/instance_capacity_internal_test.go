package eni

import (
	"testing"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
)

// The emulator reports no IPv6 address and no prefix until it models
// them: the counting of those is checked here, on API answers as the
// SDK decodes them.
func TestENIHoldings(t *testing.T) {
	dual := &ecs.NetworkInterfaceSet{
		PrivateIpAddress: "10.1.0.5",
		PrivateIpSets: ecs.PrivateIpSetsInDescribeNetworkInterfaces{PrivateIpSet: []ecs.PrivateIpSet{
			{PrivateIpAddress: "10.1.0.5", Primary: true}, {PrivateIpAddress: "10.1.0.6"},
		}},
		Ipv6Sets: ecs.Ipv6SetsInDescribeNetworkInterfaces{Ipv6Set: []ecs.Ipv6Set{
			{Ipv6Address: "2408:4000::1"}, {Ipv6Address: "2408:4000::2"}, {Ipv6Address: "2408:4000::3"},
		}},
		Ipv4PrefixSets: ecs.Ipv4PrefixSetsInDescribeNetworkInterfaces{Ipv4PrefixSet: []ecs.Ipv4PrefixSet{
			{Ipv4Prefix: "10.1.0.16/28"}, {Ipv4Prefix: "10.1.0.32/28"},
		}},
		Ipv6PrefixSets: ecs.Ipv6PrefixSetsInDescribeNetworkInterfaces{Ipv6PrefixSet: []ecs.Ipv6PrefixSet{
			{Ipv6Prefix: "2408:4000:0:1::/80"},
		}},
	}
	// The instance's view of a secondary ENI with one secondary IP; the
	// primary IP appears both as PrimaryIpAddress and in PrivateIpSets.
	view := &ecs.NetworkInterface{
		PrimaryIpAddress: "10.1.0.7",
		PrivateIpSets: ecs.PrivateIpSetsInDescribeInstances{PrivateIpSet: []ecs.PrivateIpSet{
			{PrivateIpAddress: "10.1.0.7", Primary: true}, {PrivateIpAddress: "10.1.0.8"},
		}},
		Ipv4PrefixSets: ecs.Ipv4PrefixSetsInDescribeInstances{Ipv4PrefixSet: []ecs.Ipv4PrefixSet{{Ipv4Prefix: "10.1.0.48/28"}}},
	}
	tests := []struct {
		name               string
		h                  eniHoldings
		want               eniHoldings
		perIPv4, perIPv6   int
		ipv4Left, ipv6Left int
	}{
		{"dual stack with prefixes", holdingsOf(dual), eniHoldings{privateIPs: 2, ipv6: 3, ipv4Prefixes: 2, ipv6Prefixes: 1},
			10, 10, 6, 6},
		{"full", holdingsOf(dual), eniHoldings{privateIPs: 2, ipv6: 3, ipv4Prefixes: 2, ipv6Prefixes: 1}, 4, 4, 0, 0},
		// A type whose limit the ENI already exceeds (it was bound
		// elsewhere before): nothing left, not a negative count.
		{"over the limit", holdingsOf(dual), eniHoldings{privateIPs: 2, ipv6: 3, ipv4Prefixes: 2, ipv6Prefixes: 1}, 2, 0, 0, 0},
		{"instance view", holdingsOfInstanceView(view), eniHoldings{privateIPs: 2, ipv4Prefixes: 1}, 6, 6, 3, 6},
		{"instance view without IPs", holdingsOfInstanceView(&ecs.NetworkInterface{PrimaryIpAddress: "10.1.0.9"}),
			eniHoldings{privateIPs: 1}, 6, 6, 5, 6},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.h != tt.want {
				t.Fatalf("holdings %+v, want %+v", tt.h, tt.want)
			}
			if got := tt.h.ipv4Left(tt.perIPv4); got != tt.ipv4Left {
				t.Errorf("ipv4Left(%d) = %d, want %d", tt.perIPv4, got, tt.ipv4Left)
			}
			if got := tt.h.ipv6Left(tt.perIPv6); got != tt.ipv6Left {
				t.Errorf("ipv6Left(%d) = %d, want %d", tt.perIPv6, got, tt.ipv6Left)
			}
		})
	}
}
