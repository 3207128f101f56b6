package domain

import "strconv"

// Per-request ceilings of the IPv6 and IPv4-prefix parameters: Ipv6Address.N
// and Ipv6AddressCount (CreateNetworkInterface, AssignIpv6Addresses),
// Ipv4Prefix.N and Ipv4PrefixCount (CreateNetworkInterface,
// AssignPrivateIpAddresses) each take 1 to 10 in the references.
const (
	MaxIPv6AddressesPerRequest = 10
	MaxIPv4PrefixesPerRequest  = 10
)

// MaxIPv6Unattached is how many IPv6 addresses an ENI bound to no instance
// may hold (AssignIpv6Addresses: "If the ENI is in the Available state, up
// to 10 IPv6 addresses can be assigned").
const MaxIPv6Unattached = 10

// ENILimit is how many addresses of one kind one ENI may hold, and whose
// limit that is.
type ENILimit struct {
	// Max is the ceiling. For IPv4 it counts the primary address and each
	// IPv4 prefix as one address.
	Max int
	// InstanceType is the type of the instance the ENI is bound to, whose
	// EniPrivateIpAddressQuantity or EniIpv6AddressQuantity Max is; "" for
	// an ENI bound to no instance.
	InstanceType string
}

// BoundIPv4Limit is the IPv4 limit of an ENI bound to an instance of type
// instanceType (DescribeInstanceTypes EniPrivateIpAddressQuantity, primary
// address included).
func BoundIPv4Limit(instanceType string, eniPrivateIPAddressQuantity int) ENILimit {
	return ENILimit{Max: eniPrivateIPAddressQuantity, InstanceType: instanceType}
}

// UnboundIPv4Limit is the IPv4 limit of an ENI bound to no instance: the
// primary address and MaxSecondaryIPsUnattached more. IPv4 prefixes share
// those 10 places with secondary addresses (each prefix counts as one
// address, as on a bound ENI). The current ECS pages allow 49 secondary
// addresses on an Available ENI; this project keeps the 10 of the
// reference it was built on (alibaba-api-reference.md, §3.6).
func UnboundIPv4Limit() ENILimit { return ENILimit{Max: 1 + MaxSecondaryIPsUnattached} }

// BoundIPv6Limit is the IPv6 limit of an ENI bound to an instance of type
// instanceType (DescribeInstanceTypes EniIpv6AddressQuantity; 0 means the
// type takes no IPv6 at all, see IPv6Supported).
func BoundIPv6Limit(instanceType string, eniIPv6AddressQuantity int) ENILimit {
	return ENILimit{Max: eniIPv6AddressQuantity, InstanceType: instanceType}
}

// UnboundIPv6Limit is the IPv6 limit of an ENI bound to no instance.
func UnboundIPv6Limit() ENILimit { return ENILimit{Max: MaxIPv6Unattached} }

// CheckIPv4Count checks the private IPv4 places an ENI would use: its
// primary address, secondaries secondary addresses and prefixes IPv4
// prefixes, each prefix counting as one address (ECS "IP prefixes" guide:
// an ecs.g7.large ENI, 6 addresses, takes 5 prefixes and no secondary
// address, one prefix fewer per secondary address).
func CheckIPv4Count(l ENILimit, secondaries, prefixes int) error {
	total := 1 + secondaries + prefixes
	if total <= l.Max {
		return nil
	}
	problem := "would hold " + strconv.Itoa(total) + " private IPv4 places (the primary address, " +
		plural(secondaries, "secondary address", "secondary addresses") + " and " +
		plural(prefixes, "prefix", "prefixes") + ")"
	if l.InstanceType == "" {
		return ruleError("an ENI bound to no instance holds at most "+strconv.Itoa(l.Max-1)+
			" secondary IPv4 addresses and IPv4 prefixes together; assign "+strconv.Itoa(total-l.Max)+
			" fewer, or bind it to an instance first (its type's limit then applies)", problem)
	}
	return ruleError("instance type "+l.InstanceType+" allows "+strconv.Itoa(l.Max)+
		" private IPv4 addresses per ENI, the primary address included and each IPv4 prefix counting as one; assign "+
		strconv.Itoa(total-l.Max)+" fewer", problem)
}

// IPv6Supported checks that an ENI under limit l can hold IPv6 addresses
// at all: an instance type whose EniIpv6AddressQuantity is 0 takes none
// (InvalidOperation.Ipv6NotSupport); an unbound ENI always can.
func IPv6Supported(l ENILimit) error {
	if l.InstanceType != "" && l.Max <= 0 {
		return ruleError("instance type "+l.InstanceType+" takes no IPv6 addresses (its EniIpv6AddressQuantity is 0); "+
			"bind the ENI to a type that supports IPv6, or give it no IPv6 addresses",
			"is bound to an instance of type "+l.InstanceType)
	}
	return nil
}

// CheckIPv6Count checks that an ENI under limit l can hold n IPv6
// addresses.
func CheckIPv6Count(l ENILimit, n int) error {
	if n <= l.Max {
		return nil
	}
	problem := "would hold " + plural(n, "IPv6 address", "IPv6 addresses")
	if l.InstanceType == "" {
		return ruleError("an ENI bound to no instance holds at most "+strconv.Itoa(l.Max)+
			" IPv6 addresses; assign "+strconv.Itoa(n-l.Max)+" fewer, or bind it to an instance first "+
			"(its type's limit then applies)", problem)
	}
	return ruleError("instance type "+l.InstanceType+" allows "+strconv.Itoa(l.Max)+
		" IPv6 addresses per ENI; assign "+strconv.Itoa(n-l.Max)+" fewer", problem)
}

// IPv6AddressesPerRequest and IPv4PrefixesPerRequest check how many
// addresses or prefixes one request adds (given or counted).
func IPv6AddressesPerRequest(n int) error {
	return perRequest(n, MaxIPv6AddressesPerRequest, "IPv6 address", "IPv6 addresses")
}

func IPv4PrefixesPerRequest(n int) error {
	return perRequest(n, MaxIPv4PrefixesPerRequest, "IPv4 prefix", "IPv4 prefixes")
}

func perRequest(n, limit int, one, many string) error {
	if n <= limit {
		return nil
	}
	return ruleError("one request adds at most "+strconv.Itoa(limit)+" "+many+"; split the change",
		"asks for "+plural(n, one, many)+" in one request")
}
