package eni

import (
	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"

	"github.com/openeni/terraform-provider-eni/internal/cloud"
)

// What an ENI bound to an instance holds, and what the instance type
// leaves it, for eni_instance. Alibaba's IP prefix guide ("Each IP prefix
// counts as one IP address"; an ecs.g7.large ENI of 6 private IPv4 takes
// 5 IPv4 prefixes, one fewer per secondary IPv4) makes each IPv4 prefix
// take one slot of EniPrivateIpAddressQuantity and each IPv6 prefix one
// of EniIpv6AddressQuantity.

// eniHoldings counts the addresses and prefixes of one ENI.
type eniHoldings struct {
	privateIPs   int // primary included
	ipv6         int
	ipv4Prefixes int
	ipv6Prefixes int
}

// holdingsOf counts what DescribeNetworkInterfaces reports of an ENI.
func holdingsOf(e *ecs.NetworkInterfaceSet) eniHoldings {
	return eniHoldings{
		privateIPs:   len(cloud.PrivateIPs(e)),
		ipv6:         len(cloud.IPv6Addresses(e)),
		ipv4Prefixes: len(cloud.IPv4Prefixes(e)),
		ipv6Prefixes: len(e.Ipv6PrefixSets.Ipv6PrefixSet),
	}
}

// holdingsOfInstanceView counts what DescribeInstances reports of an ENI
// (with NETWORK_PRIMARY_ENI_IP): the fallback for an ENI the instance
// lists but DescribeNetworkInterfaces no longer found.
func holdingsOfInstanceView(ni *ecs.NetworkInterface) eniHoldings {
	ips := 0
	for _, s := range ni.PrivateIpSets.PrivateIpSet {
		if s.PrivateIpAddress != "" && s.PrivateIpAddress != ni.PrimaryIpAddress {
			ips++
		}
	}
	if ni.PrimaryIpAddress != "" {
		ips++
	}
	return eniHoldings{
		privateIPs:   ips,
		ipv6:         len(ni.Ipv6Sets.Ipv6Set),
		ipv4Prefixes: len(ni.Ipv4PrefixSets.Ipv4PrefixSet),
		ipv6Prefixes: len(ni.Ipv6PrefixSets.Ipv6PrefixSet),
	}
}

// ipv4Left is how many more private IPv4 addresses or IPv4 prefixes the
// ENI can take under perENI (EniPrivateIpAddressQuantity), never below 0.
func (h eniHoldings) ipv4Left(perENI int) int { return max(perENI-h.privateIPs-h.ipv4Prefixes, 0) }

// ipv6Left is how many more IPv6 addresses or IPv6 prefixes the ENI can
// take under perENI (EniIpv6AddressQuantity), never below 0.
func (h eniHoldings) ipv6Left(perENI int) int { return max(perENI-h.ipv6-h.ipv6Prefixes, 0) }
