package mockcloud

import (
	"slices"
	"testing"

	ecs3 "github.com/alibabacloud-go/ecs-20140526/v7/client"
	"github.com/alibabacloud-go/tea/dara"
	vpc3 "github.com/alibabacloud-go/vpc-20160428/v6/client"
)

// The IPv6 and IPv4-prefix calls through the current official SDKs (V3
// signatures): the dual-stack vSwitch as DescribeVSwitches shows it, a
// create with both kinds, AssignIpv6Addresses, AssignPrivateIpAddresses
// with prefixes, the Describe lists, and both unassigns.
func TestSDKV3IPv6AndPrefixes(t *testing.T) {
	env := startV3Env(t)
	vsws, err := env.vpc.DescribeVSwitches(&vpc3.DescribeVSwitchesRequest{
		RegionId: dara.String(env.region), VSwitchId: dara.String(v6VSwitch),
	})
	mustOK(t, err)
	if l := vsws.Body.VSwitches.VSwitch; len(l) != 1 || dara.StringValue(l[0].Ipv6CidrBlock) != v6Block.String() ||
		!dara.BoolValue(l[0].EnabledIpv6) {
		t.Fatalf("DescribeVSwitches: %v", l)
	}

	created, err := env.ecs.CreateNetworkInterface(&ecs3.CreateNetworkInterfaceRequest{
		RegionId: dara.String(env.region), VSwitchId: dara.String(v6VSwitch), SecurityGroupId: dara.String("sg-mockweb"),
		Ipv6AddressCount: dara.Int32(1), Ipv4Prefix: []*string{dara.String("10.4.0.32/28")},
	})
	mustOK(t, err)
	id := dara.StringValue(created.Body.NetworkInterfaceId)
	if s := created.Body.Ipv4PrefixSets.Ipv4PrefixSet; len(s) != 1 || dara.StringValue(s[0].Ipv4Prefix) != "10.4.0.32/28" ||
		len(created.Body.Ipv6Sets.Ipv6Set) != 1 {
		t.Fatalf("create answered %v and %v", created.Body.Ipv4PrefixSets, created.Body.Ipv6Sets)
	}

	v6, err := env.ecs.AssignIpv6Addresses(&ecs3.AssignIpv6AddressesRequest{
		RegionId: dara.String(env.region), NetworkInterfaceId: dara.String(id), Ipv6AddressCount: dara.Int32(2),
	})
	mustOK(t, err)
	added := dara.StringSliceValue(v6.Body.Ipv6Sets.Ipv6Address)
	if len(added) != 2 || dara.StringValue(v6.Body.NetworkInterfaceId) != id {
		t.Fatalf("AssignIpv6Addresses answered %v", v6.Body)
	}
	env.settle(t)
	px, err := env.ecs.AssignPrivateIpAddresses(&ecs3.AssignPrivateIpAddressesRequest{
		RegionId: dara.String(env.region), NetworkInterfaceId: dara.String(id), Ipv4PrefixCount: dara.Int32(1),
	})
	mustOK(t, err)
	prefixes := dara.StringSliceValue(px.Body.AssignedPrivateIpAddressesSet.Ipv4PrefixSet.Ipv4Prefixes)
	if len(prefixes) != 1 {
		t.Fatalf("AssignPrivateIpAddresses answered prefixes %v", prefixes)
	}
	env.settle(t)

	attr := env.eniAttribute(t, id)
	var haveV6, havePx []string
	for _, s := range attr.Ipv6Sets.Ipv6Set {
		haveV6 = append(haveV6, dara.StringValue(s.Ipv6Address))
	}
	for _, s := range attr.Ipv4PrefixSets.Ipv4PrefixSet {
		havePx = append(havePx, dara.StringValue(s.Ipv4Prefix))
	}
	if len(haveV6) != 3 || !slices.Contains(haveV6, added[1]) || !slices.Equal(havePx, []string{"10.4.0.32/28", prefixes[0]}) {
		t.Fatalf("DescribeNetworkInterfaceAttribute: IPv6 %v, prefixes %v", haveV6, havePx)
	}

	_, err = env.ecs.UnassignIpv6Addresses(&ecs3.UnassignIpv6AddressesRequest{
		RegionId: dara.String(env.region), NetworkInterfaceId: dara.String(id), Ipv6Address: []*string{dara.String(added[0])},
	})
	mustOK(t, err)
	env.settle(t)
	_, err = env.ecs.UnassignPrivateIpAddresses(&ecs3.UnassignPrivateIpAddressesRequest{
		RegionId: dara.String(env.region), NetworkInterfaceId: dara.String(id), Ipv4Prefix: []*string{dara.String("10.4.0.32/28")},
	})
	mustOK(t, err)
	env.settle(t)
	resp, err := env.ecs.DescribeNetworkInterfaces(&ecs3.DescribeNetworkInterfacesRequest{
		RegionId: dara.String(env.region), NetworkInterfaceId: []*string{dara.String(id)},
	})
	mustOK(t, err)
	e := resp.Body.NetworkInterfaceSets.NetworkInterfaceSet[0]
	if len(e.Ipv6Sets.Ipv6Set) != 2 || len(e.Ipv4PrefixSets.Ipv4PrefixSet) != 1 ||
		dara.StringValue(e.Ipv4PrefixSets.Ipv4PrefixSet[0].Ipv4Prefix) != prefixes[0] {
		t.Fatalf("after the unassigns: %v %v", e.Ipv6Sets, e.Ipv4PrefixSets)
	}
}
