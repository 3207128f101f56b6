package mockcloud

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"
)

// twoVPCSeed is the default seed plus a second VPC with one vSwitch.
func twoVPCSeed() *Seed {
	s := DefaultSeed()
	s.VPCs = append(s.VPCs, SeedVPC{VPCID: "vpc-mock2", CIDRBlock: "172.16.0.0/12", Name: "second"})
	s.VSwitches = append(s.VSwitches, SeedVSwitch{VSwitchID: "vsw-mock2h", VPCID: "vpc-mock2", ZoneID: "cn-hangzhou-h", CIDRBlock: "172.16.0.0/28", Name: "tiny"})
	return s
}

func vpcIDs(list []vpc.Vpc) []string {
	out := []string{}
	for _, v := range list {
		out = append(out, v.VpcId)
	}
	return out
}

func vswitchIDs(list []vpc.VSwitch) []string {
	out := []string{}
	for _, v := range list {
		out = append(out, v.VSwitchId)
	}
	return out
}

func TestVPCDescribeVpcs(t *testing.T) {
	env := startEnv(t, twoVPCSeed())
	list := func(mutate func(r *vpc.DescribeVpcsRequest)) ([]string, *vpc.DescribeVpcsResponse) {
		t.Helper()
		r := vpc.CreateDescribeVpcsRequest()
		if mutate != nil {
			mutate(r)
		}
		resp, err := env.vpc.DescribeVpcs(r)
		mustOK(t, err)
		return vpcIDs(resp.Vpcs.Vpc), resp
	}
	ids, resp := list(func(r *vpc.DescribeVpcsRequest) { r.VpcId = "vpc-mock1" })
	if !slices.Equal(ids, []string{"vpc-mock1"}) || resp.TotalCount != 1 {
		t.Fatalf("by id: %v", ids)
	}
	v := resp.Vpcs.Vpc[0]
	if v.RegionId != "cn-hangzhou" || v.Status != "Available" || v.VpcName != "mock-vpc" || v.CidrBlock != "10.0.0.0/8" ||
		v.IsDefault || v.OwnerId != 1234567890123456 || !strings.HasPrefix(v.VRouterId, "vrt-") || v.CreationTime == "" ||
		!slices.Equal(v.VSwitchIds.VSwitchId, []string{"vsw-mockh", "vsw-mockv6", "vsw-mocki"}) ||
		v.Ipv6CidrBlock != "2001:db8:10::/56" || !v.EnabledIpv6 || len(v.Ipv6CidrBlocks.Ipv6CidrBlock) != 1 ||
		v.Ipv6CidrBlocks.Ipv6CidrBlock[0].Ipv6CidrBlock != "2001:db8:10::/56" ||
		len(v.RouterTableIds.RouterTableIds) != 1 || !strings.HasPrefix(v.RouterTableIds.RouterTableIds[0], "vtb-") ||
		v.NatGatewayIds.NatGatewayIds == nil || len(v.NatGatewayIds.NatGatewayIds) != 0 {
		t.Fatalf("vpc: %+v", v)
	}
	raw := resp.GetHttpContentString()
	for _, frag := range []string{`"NatGatewayIds":{"NatGatewayIds":[]}`, `"RouterTableIds":{"RouterTableIds":["vtb-`,
		`"OwnerId":1234567890123456`, `"UserCidrs":{"UserCidr":[]}`, `"SecondaryCidrBlocks":{"SecondaryCidrBlock":[]}`} {
		if !strings.Contains(raw, frag) {
			t.Errorf("response lacks %s", frag)
		}
	}

	for _, tc := range []struct {
		name   string
		mutate func(r *vpc.DescribeVpcsRequest)
		want   []string
	}{
		{"all", nil, []string{"vpc-mock1", "vpc-mock2"}},
		{"comma list", func(r *vpc.DescribeVpcsRequest) { r.VpcId = "vpc-mock2,vpc-nope,vpc-mock1" }, []string{"vpc-mock1", "vpc-mock2"}},
		{"unknown", func(r *vpc.DescribeVpcsRequest) { r.VpcId = "vpc-nope" }, []string{}},
		{"name", func(r *vpc.DescribeVpcsRequest) { r.VpcName = "second" }, []string{"vpc-mock2"}},
		{"IPv6 enabled", func(r *vpc.DescribeVpcsRequest) { r.EnableIpv6 = requests.NewBoolean(true) }, []string{"vpc-mock1"}},
		{"IPv6 disabled", func(r *vpc.DescribeVpcsRequest) { r.EnableIpv6 = requests.NewBoolean(false) }, []string{"vpc-mock2"}},
		{"default only", func(r *vpc.DescribeVpcsRequest) { r.IsDefault = requests.NewBoolean(true) }, []string{}},
		{"non-default", func(r *vpc.DescribeVpcsRequest) { r.IsDefault = requests.NewBoolean(false) }, []string{"vpc-mock1", "vpc-mock2"}},
		{"page 2", func(r *vpc.DescribeVpcsRequest) {
			r.PageSize = requests.NewInteger(1)
			r.PageNumber = requests.NewInteger(2)
		}, []string{"vpc-mock2"}},
	} {
		if ids, _ := list(tc.mutate); !slices.Equal(ids, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, ids, tc.want)
		}
	}
	_, resp = list(func(r *vpc.DescribeVpcsRequest) { r.PageSize = requests.NewInteger(1) })
	if resp.TotalCount != 2 || resp.PageSize != 1 || resp.PageNumber != 1 {
		t.Fatalf("paging fields: %+v", resp)
	}

	var many []string
	for i := 0; i < 21; i++ {
		many = append(many, fmt.Sprintf("vpc-%d", i))
	}
	r := vpc.CreateDescribeVpcsRequest()
	r.VpcId = strings.Join(many, ",")
	_, err := env.vpc.DescribeVpcs(r)
	wantCode(t, err, "InvalidParameter", 400)
	r.VpcId = strings.Join(many[:20], ",")
	_, err = env.vpc.DescribeVpcs(r)
	mustOK(t, err)
	r = vpc.CreateDescribeVpcsRequest()
	r.PageSize = requests.NewInteger(51)
	_, err = env.vpc.DescribeVpcs(r)
	wantCode(t, err, "InvalidParameter", 400)
}

func TestVPCDescribeVSwitches(t *testing.T) {
	env := startEnv(t, twoVPCSeed())
	list := func(mutate func(r *vpc.DescribeVSwitchesRequest)) ([]string, *vpc.DescribeVSwitchesResponse) {
		t.Helper()
		r := vpc.CreateDescribeVSwitchesRequest()
		if mutate != nil {
			mutate(r)
		}
		resp, err := env.vpc.DescribeVSwitches(r)
		mustOK(t, err)
		return vswitchIDs(resp.VSwitches.VSwitch), resp
	}
	ids, resp := list(func(r *vpc.DescribeVSwitchesRequest) { r.VSwitchId = "vsw-mockh" })
	if !slices.Equal(ids, []string{"vsw-mockh"}) {
		t.Fatalf("by id: %v", ids)
	}
	v := resp.VSwitches.VSwitch[0]
	// 256 addresses, 4 reserved, 3 primary ENIs of the seeded instances.
	if v.VpcId != "vpc-mock1" || v.Status != "Available" || v.CidrBlock != "10.1.0.0/24" || v.ZoneId != "cn-hangzhou-h" ||
		v.AvailableIpAddressCount != 249 || v.VSwitchName != "zone-h" || v.OwnerId != 1234567890123456 ||
		v.RouteTable.RouteTableType != "System" || !strings.HasPrefix(v.RouteTable.RouteTableId, "vtb-") ||
		v.IsDefault || v.CreationTime == "" || v.Tags.Tag == nil || v.Ipv6CidrBlock != "" || v.EnabledIpv6 {
		t.Fatalf("vswitch: %+v", v)
	}
	_, resp = list(func(r *vpc.DescribeVSwitchesRequest) { r.VSwitchId = "vsw-mockv6" })
	if v := resp.VSwitches.VSwitch[0]; v.Ipv6CidrBlock != "2001:db8:10:4::/64" || !v.EnabledIpv6 || v.AvailableIpAddressCount != 252 {
		t.Fatalf("dual-stack vswitch: %+v", v)
	}
	if raw := resp.GetHttpContentString(); !strings.Contains(raw, `"Ipv6CidrBlock":"2001:db8:10:4::/64"`) ||
		!strings.Contains(raw, `"EnabledIpv6":true`) {
		t.Fatalf("dual-stack vswitch JSON: %s", raw)
	}

	for _, tc := range []struct {
		name   string
		mutate func(r *vpc.DescribeVSwitchesRequest)
		want   []string
	}{
		{"all", nil, []string{"vsw-mockh", "vsw-mockv6", "vsw-mocki", "vsw-mock2h"}},
		{"vpc", func(r *vpc.DescribeVSwitchesRequest) { r.VpcId = "vpc-mock1" }, []string{"vsw-mockh", "vsw-mockv6", "vsw-mocki"}},
		{"zone", func(r *vpc.DescribeVSwitchesRequest) { r.ZoneId = "cn-hangzhou-h" }, []string{"vsw-mockh", "vsw-mockv6", "vsw-mock2h"}},
		{"IPv6 enabled", func(r *vpc.DescribeVSwitchesRequest) { r.EnableIpv6 = requests.NewBoolean(true) }, []string{"vsw-mockv6"}},
		{"IPv6 disabled", func(r *vpc.DescribeVSwitchesRequest) { r.EnableIpv6 = requests.NewBoolean(false) },
			[]string{"vsw-mockh", "vsw-mocki", "vsw-mock2h"}},
		{"vpc and zone", func(r *vpc.DescribeVSwitchesRequest) { r.VpcId = "vpc-mock2"; r.ZoneId = "cn-hangzhou-h" }, []string{"vsw-mock2h"}},
		{"name", func(r *vpc.DescribeVSwitchesRequest) { r.VSwitchName = "zone-i" }, []string{"vsw-mocki"}},
		{"unknown vswitch", func(r *vpc.DescribeVSwitchesRequest) { r.VSwitchId = "vsw-nope" }, []string{}},
		{"page 2", func(r *vpc.DescribeVSwitchesRequest) {
			r.PageSize = requests.NewInteger(3)
			r.PageNumber = requests.NewInteger(2)
		}, []string{"vsw-mock2h"}},
	} {
		if ids, _ := list(tc.mutate); !slices.Equal(ids, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, ids, tc.want)
		}
	}
	_, resp = list(func(r *vpc.DescribeVSwitchesRequest) { r.VSwitchId = "vsw-mock2h" })
	if n := resp.VSwitches.VSwitch[0].AvailableIpAddressCount; n != 12 {
		t.Fatalf("a /28 offers %d addresses, want 12", n)
	}

	r := vpc.CreateDescribeVSwitchesRequest()
	r.VpcId = "vpc-nope"
	_, err := env.vpc.DescribeVSwitches(r)
	wantCode(t, err, "Forbidden.VpcNotFound", 400)
	r = vpc.CreateDescribeVSwitchesRequest()
	r.PageSize = requests.NewInteger(51)
	_, err = env.vpc.DescribeVSwitches(r)
	wantCode(t, err, "InvalidParameter", 400)
}

// AvailableIpAddressCount follows ENIs and their IPs as they come and go,
// through the ENI actions.
func TestVPCAvailableIpAddressCount(t *testing.T) {
	env := startEnv(t, nil)
	count := func() int64 {
		t.Helper()
		r := vpc.CreateDescribeVSwitchesRequest()
		r.VSwitchId = "vsw-mocki"
		resp, err := env.vpc.DescribeVSwitches(r)
		mustOK(t, err)
		return resp.VSwitches.VSwitch[0].AvailableIpAddressCount
	}
	start := count()
	if start != 251 {
		t.Fatalf("start: %d", start)
	}

	cr := ecs.CreateCreateNetworkInterfaceRequest()
	cr.VSwitchId = "vsw-mocki"
	cr.SecurityGroupId = "sg-mockdb"
	cr.SecondaryPrivateIpAddressCount = requests.NewInteger(2)
	created, err := env.ecs.CreateNetworkInterface(cr)
	mustOK(t, err)
	if n := count(); n != start-3 {
		t.Fatalf("after creating an ENI with 3 IPs: %d, want %d", n, start-3)
	}

	ar := ecs.CreateAssignPrivateIpAddressesRequest()
	ar.NetworkInterfaceId = created.NetworkInterfaceId
	ar.SecondaryPrivateIpAddressCount = requests.NewInteger(4)
	assigned, err := env.ecs.AssignPrivateIpAddresses(ar)
	mustOK(t, err)
	if n := count(); n != start-7 {
		t.Fatalf("after assigning 4 IPs: %d, want %d", n, start-7)
	}

	ur := ecs.CreateUnassignPrivateIpAddressesRequest()
	ur.NetworkInterfaceId = created.NetworkInterfaceId
	ur.PrivateIpAddress = &[]string{assigned.AssignedPrivateIpAddressesSet.PrivateIpSet.PrivateIpAddress[0]}
	_, err = env.ecs.UnassignPrivateIpAddresses(ur)
	mustOK(t, err)
	if n := count(); n != start-6 {
		t.Fatalf("after unassigning 1 IP: %d, want %d", n, start-6)
	}

	// And without the ENI actions: straight state changes show too.
	eni := putENI(t, env, "vsw-mocki", "", 1)
	if n := count(); n != start-8 {
		t.Fatalf("after a state-level ENI with 2 IPs: %d, want %d", n, start-8)
	}
	env.srv.mu.Lock()
	st := env.srv.st
	for _, ip := range append([]string{eni.PrimaryIP}, eni.SecondaryIPs...) {
		st.releaseIP("vsw-mocki", ip)
	}
	delete(st.ENIs, eni.ID)
	env.srv.mu.Unlock()

	dr := ecs.CreateDeleteNetworkInterfaceRequest()
	dr.NetworkInterfaceId = created.NetworkInterfaceId
	_, err = env.ecs.DeleteNetworkInterface(dr)
	mustOK(t, err)
	mustOK(t, env.srv.Settle())
	if n := count(); n != start {
		t.Fatalf("after deleting everything: %d, want %d", n, start)
	}
}
