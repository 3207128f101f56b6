package mockcloud

import (
	"cmp"
	"slices"
	"strings"
)

// vpcActions lists the actions of this file: the read-only VPC and vSwitch
// listings (VPC API). Both topologies come from the seed.
func vpcActions() []action {
	return []action{
		{Version: vpcVersion, Name: "DescribeVpcs", Handle: describeVPCs},
		{Version: vpcVersion, Name: "DescribeVSwitches", Handle: describeVSwitches},
	}
}

// vpcOwnerID is the account the emulated VPCs and vSwitches belong to
// (an int64 in the VPC API).
const vpcOwnerID int64 = 1234567890123456

// vpcSuffix derives the IDs of a VPC's router and system route table from
// the VPC ID, so they are stable without being stored.
func vpcSuffix(vpcID string) string { return strings.TrimPrefix(vpcID, "vpc-") }

type vpcFilter struct {
	IDs        []string  `param:"VpcId,comma,max=20"`
	IsDefault  bool      `param:"IsDefault"`
	Tags       []tagPair `param:"Tag.N"`
	_          bool      `param:"DryRun"`
	PageNumber int       `param:"PageNumber,default=1,min=1,max=1073741824"`
	PageSize   int       `param:"PageSize,default=10,min=1,max=50"`
	Name       string    `param:"VpcName"`
	IPv6       string    `param:"EnableIpv6,oneof=true false"`
}

func describeVPCs(c *call) (object, error) {
	var f vpcFilter
	if err := c.decode(&f); err != nil {
		return nil, err
	}
	var matched []*vpcObj
	// Unknown IDs are simply not listed (200 with an empty list), like
	// every Describe call. Seeded VPCs are never the default VPC and carry
	// no tags.
	if !f.IsDefault && len(f.Tags) == 0 {
		for _, v := range c.st.VPCs {
			if (len(f.IDs) > 0 && !slices.Contains(f.IDs, v.ID)) || (f.Name != "" && f.Name != v.Name) ||
				!ipv6Matches(f.IPv6, v.IPv6CIDR) {
				continue
			}
			matched = append(matched, v)
		}
	}
	list := numberedPage(matched, func(v *vpcObj) int64 { return v.Seq }, f.PageNumber, f.PageSize,
		func(v *vpcObj) object { return vpcView(c.st, v) })
	return object{"TotalCount": len(matched), "PageNumber": f.PageNumber, "PageSize": f.PageSize,
		"Vpcs": object{"Vpc": list}}, nil
}

// vswitchesOf returns a VPC's vSwitches in creation order.
func (s *state) vswitchesOf(vpcID string) []*vswitchObj {
	var out []*vswitchObj
	for _, v := range s.VSwitches {
		if v.VPCID == vpcID {
			out = append(out, v)
		}
	}
	slices.SortFunc(out, func(a, b *vswitchObj) int { return cmp.Compare(a.Seq, b.Seq) })
	return out
}

func vpcView(st *state, v *vpcObj) object {
	ipv6Blocks := []object{}
	if v.IPv6CIDR != "" {
		// The seed gives a VPC one block, of Alibaba's BGP (multi-line)
		// IPv6 service.
		ipv6Blocks = append(ipv6Blocks, object{"Ipv6CidrBlock": v.IPv6CIDR, "Ipv6Isp": "BGP"})
	}
	vsws := []string{}
	for _, w := range st.vswitchesOf(v.ID) {
		vsws = append(vsws, w.ID)
	}
	return object{
		"VpcId":               v.ID,
		"RegionId":            st.Region,
		"Status":              "Available",
		"VpcName":             v.Name,
		"CidrBlock":           v.CIDR,
		"Ipv6CidrBlock":       v.IPv6CIDR,
		"VRouterId":           "vrt-" + vpcSuffix(v.ID),
		"Description":         "",
		"IsDefault":           false,
		"CreationTime":        v.CreatedAt.UTC().Format(apiTimeLayout),
		"ResourceGroupId":     "",
		"OwnerId":             vpcOwnerID,
		"EnabledIpv6":         v.IPv6CIDR != "",
		"VSwitchIds":          object{"VSwitchId": vsws},
		"UserCidrs":           object{"UserCidr": []string{}},
		"NatGatewayIds":       object{"NatGatewayIds": []string{}},
		"RouterTableIds":      object{"RouterTableIds": []string{"vtb-" + vpcSuffix(v.ID)}},
		"SecondaryCidrBlocks": object{"SecondaryCidrBlock": []string{}},
		"Ipv6CidrBlocks":      object{"Ipv6CidrBlock": ipv6Blocks},
		"Tags":                object{"Tag": []object{}},
	}
}

// describeVSwitches lists vSwitches. An unknown VpcId is refused with
// Forbidden.VpcNotFound (400), the error the VPC reference documents for
// this action. An unknown VSwitchId is not an error: the reference also
// lists InvalidVSwitchId.NotFound, but a filter that matches nothing
// returns 200 with an empty list like every other Describe call here, and
// that is how clients (the provider's finders, terway) detect "gone".
func describeVSwitches(c *call) (object, error) {
	var f vswitchFilter
	if err := c.decode(&f); err != nil {
		return nil, err
	}
	var matched []*vswitchObj
	if !f.IsDefault && len(f.Tags) == 0 {
		for _, v := range c.st.VSwitches {
			if f.match(v) {
				matched = append(matched, v)
			}
		}
	}
	list := numberedPage(matched, func(v *vswitchObj) int64 { return v.Seq }, f.PageNumber, f.PageSize, vswitchView)
	return object{"TotalCount": len(matched), "PageNumber": f.PageNumber, "PageSize": f.PageSize,
		"VSwitches": object{"VSwitch": list}}, nil
}

type vswitchFilter struct {
	VPCID      string    `param:"VpcId,check=vpcExists"`
	IsDefault  bool      `param:"IsDefault"`
	Tags       []tagPair `param:"Tag.N"`
	_          bool      `param:"DryRun"`
	PageNumber int       `param:"PageNumber,default=1,min=1,max=1073741824"`
	PageSize   int       `param:"PageSize,default=10,min=1,max=50"`
	ID         string    `param:"VSwitchId"`
	ZoneID     string    `param:"ZoneId"`
	Name       string    `param:"VSwitchName"`
	RouteTable string    `param:"RouteTableId"`
	IPv6       string    `param:"EnableIpv6,oneof=true false"`
}

func (f *vswitchFilter) match(v *vswitchObj) bool {
	switch {
	case f.VPCID != "" && v.VPCID != f.VPCID,
		f.ID != "" && f.ID != v.ID,
		f.ZoneID != "" && f.ZoneID != v.ZoneID,
		f.Name != "" && f.Name != v.Name,
		f.RouteTable != "" && f.RouteTable != "vtb-"+vpcSuffix(v.VPCID),
		!ipv6Matches(f.IPv6, v.IPv6CIDR):
		return false
	}
	return true
}

// ipv6Matches applies an EnableIpv6 filter ("true", "false" or not given)
// to an object with IPv6 CIDR block cidr ("" when IPv6 is off).
func ipv6Matches(filter, cidr string) bool {
	return filter == "" || (filter == "true") == (cidr != "")
}

// checkVPCExists refuses an unknown VpcId with Forbidden.VpcNotFound (see
// describeVSwitches).
func checkVPCExists(c *call, _, v string) error {
	if c.st.VPCs[v] == nil {
		return badRequest("Forbidden.VpcNotFound", "The specified VPC %q does not exist.", v)
	}
	return nil
}

func vswitchView(v *vswitchObj) object {
	return object{
		"VSwitchId":               v.ID,
		"VpcId":                   v.VPCID,
		"Status":                  "Available",
		"CidrBlock":               v.CIDR,
		"ZoneId":                  v.ZoneID,
		"AvailableIpAddressCount": v.available(),
		"VSwitchName":             v.Name,
		"Description":             "",
		"CreationTime":            v.CreatedAt.UTC().Format(apiTimeLayout),
		"IsDefault":               false,
		"ResourceGroupId":         "",
		"Ipv6CidrBlock":           v.IPv6CIDR,
		"EnabledIpv6":             v.IPv6CIDR != "",
		"NetworkAclId":            "",
		"OwnerId":                 vpcOwnerID,
		"ShareType":               "",
		"RouteTable":              object{"RouteTableId": "vtb-" + vpcSuffix(v.VPCID), "RouteTableType": "System"},
		"Tags":                    object{"Tag": []object{}},
	}
}
