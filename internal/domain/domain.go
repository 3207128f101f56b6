// Package domain holds the Alibaba Cloud ENI facts that both the provider's
// plan-time checks and the emulator enforce, so the two can never disagree.
// The source of each table is ../shared/docs/domain-rules.md; the value
// rules (names, descriptions, tags, ClientToken) follow the API reference,
// ../shared/docs/alibaba-api-reference.md.
package domain

import (
	"errors"
	"net/netip"
	"slices"
)

// ENI and instance status values as the ECS API reports them.
const (
	ENIStatusAvailable = "Available"
	ENIStatusAttaching = "Attaching"
	ENIStatusInUse     = "InUse"
	ENIStatusDetaching = "Detaching"
	ENIStatusDeleting  = "Deleting"

	ENITypePrimary   = "Primary"
	ENITypeSecondary = "Secondary"

	InstanceStatusPending  = "Pending"
	InstanceStatusRunning  = "Running"
	InstanceStatusStarting = "Starting"
	InstanceStatusStopping = "Stopping"
	InstanceStatusStopped  = "Stopped"

	EIPStatusAvailable     = "Available"
	EIPStatusAssociating   = "Associating"
	EIPStatusInUse         = "InUse"
	EIPStatusUnassociating = "Unassociating"

	EIPModeNAT         = "NAT"
	EIPModeMultiBinded = "MULTI_BINDED"
	EIPModeBinded      = "BINDED"
)

// EIPModes lists the association modes in the order the docs present them.
var EIPModes = []string{EIPModeNAT, EIPModeMultiBinded, EIPModeBinded}

// MaxEIPsPerENIMultiBinded is the multi-EIP-to-ENI ceiling (domain-rules.md,
// "EIP rules").
const MaxEIPsPerENIMultiBinded = 10

// MaxSecurityGroupsPerENI is how many security groups one ENI may belong to
// (ModifyNetworkInterfaceAttribute SecurityGroupId.N, N 1 to 5).
const MaxSecurityGroupsPerENI = 5

// MaxSecondaryIPsUnattached is how many secondary private IPs an ENI that is
// not bound to an instance may hold (AssignPrivateIpAddresses reference).
const MaxSecondaryIPsUnattached = 10

// nonHotSwapTypes are the instance types that accept attach/detach only
// while Stopped (domain-rules.md, "Binding rules", hot swap).
var nonHotSwapTypes = []string{
	"ecs.s6-c1m1.small", "ecs.s6-c1m2.large", "ecs.s6-c1m2.small", "ecs.s6-c1m4.large", "ecs.s6-c1m4.small",
	"ecs.e-c1m1.large", "ecs.e-c1m2.large", "ecs.e-c1m4.large",
	"ecs.t6-c1m1.large", "ecs.t6-c1m2.large", "ecs.t6-c1m4.large", "ecs.t6-c2m1.large", "ecs.t6-c4m1.large",
	"ecs.t5-c1m1.large", "ecs.t5-c1m2.large", "ecs.t5-c1m4.large", "ecs.t5-lc1m1.small", "ecs.t5-lc1m2.large",
	"ecs.t5-lc1m2.small", "ecs.t5-lc1m4.large", "ecs.t5-lc2m1.nano",
	"ecs.xn4.small", "ecs.n4.small", "ecs.n4.large", "ecs.mn4.small", "ecs.mn4.large", "ecs.e4.small", "ecs.e4.large",
}

// HotSwapSupported reports whether an instance type accepts ENI attach and
// detach while Running, according to the built-in table.
func HotSwapSupported(instanceType string) bool {
	return !slices.Contains(nonHotSwapTypes, instanceType)
}

// NonHotSwapTypes returns a copy of the built-in table.
func NonHotSwapTypes() []string { return slices.Clone(nonHotSwapTypes) }

// multiEIPRegions are the regions that offer MULTI_BINDED association.
var multiEIPRegions = []string{
	"cn-shenzhen", "cn-shanghai", "cn-beijing", "cn-zhangjiakou", "cn-chengdu",
	"ap-southeast-1", "eu-central-1", "ap-south-1", "us-east-1", "eu-west-1",
}

// MultiEIPRegionSupported reports whether MULTI_BINDED mode is offered in region.
func MultiEIPRegionSupported(region string) bool { return slices.Contains(multiEIPRegions, region) }

// MultiEIPRegions returns a copy of the region list.
func MultiEIPRegions() []string { return slices.Clone(multiEIPRegions) }

// multiEIPFamilies are the instance families an ENI with MULTI_BINDED EIPs
// may later be bound to.
var multiEIPFamilies = []string{
	"ecs.d1ne", "ecs.ebmc4", "ecs.ebmg5", "ecs.ebmhfg5", "ecs.f1", "ecs.gn5i", "ecs.gn6v", "ecs.i2", "ecs.r1",
	"ecs.re4", "ecs.re4e", "ecs.sccg5", "ecs.sccgn6", "ecs.scch5", "ecs.g5", "ecs.c5", "ecs.r5", "ecs.t5",
	"ecs.sn2ne", "ecs.se1ne", "ecs.sn1ne",
}

// InstanceFamily returns the family of an instance type: "ecs.g7" for
// "ecs.g7.large", "ecs.t5" for "ecs.t5-lc1m2.small".
func InstanceFamily(instanceType string) string {
	first := -1
	for i, c := range instanceType {
		if c == '.' && first < 0 {
			first = i
			continue
		}
		if first >= 0 && (c == '.' || c == '-') {
			return instanceType[:i]
		}
	}
	return instanceType
}

// MultiEIPFamilySupported reports whether an ENI carrying MULTI_BINDED EIPs
// may be bound to an instance of this type.
func MultiEIPFamilySupported(instanceType string) bool {
	return slices.Contains(multiEIPFamilies, InstanceFamily(instanceType))
}

// ReservedInPrefix reports whether Alibaba reserves addr in the vSwitch
// prefix: the first address and the last three are never handed out.
func ReservedInPrefix(prefix netip.Prefix, addr netip.Addr) bool {
	prefix = prefix.Masked()
	first := prefix.Addr()
	if addr == first {
		return true
	}
	last := LastAddr(prefix)
	for i := 0; i < 3; i++ {
		if addr == last {
			return true
		}
		last = last.Prev()
	}
	return false
}

// ErrOutsidePrefix and ErrReservedAddress are what AddressUsable finds
// wrong with an address.
var (
	ErrOutsidePrefix   = errors.New("is outside the vSwitch CIDR")
	ErrReservedAddress = errors.New("is reserved: the first address and the last three of a vSwitch CIDR cannot be assigned")
)

// AddressUsable checks that addr may be handed out by a vSwitch of the
// given prefix: inside it and not reserved (ReservedInPrefix). The error is
// ErrOutsidePrefix or ErrReservedAddress.
func AddressUsable(prefix netip.Prefix, addr netip.Addr) error {
	switch {
	case !prefix.Masked().Contains(addr):
		return ErrOutsidePrefix
	case ReservedInPrefix(prefix, addr):
		return ErrReservedAddress
	}
	return nil
}

// LastAddr returns the broadcast-style last address of an IPv4 prefix.
func LastAddr(prefix netip.Prefix) netip.Addr {
	a := prefix.Masked().Addr().As4()
	host := 32 - prefix.Bits()
	v := uint32(a[0])<<24 | uint32(a[1])<<16 | uint32(a[2])<<8 | uint32(a[3])
	if host >= 32 {
		v = 0xffffffff
	} else {
		v |= (1 << host) - 1
	}
	return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)})
}

// UsableAddresses is the number of addresses a vSwitch prefix can hand out.
func UsableAddresses(prefix netip.Prefix) int64 {
	host := 32 - prefix.Bits()
	n := int64(1) << host
	if n <= 4 {
		return 0
	}
	return n - 4
}
