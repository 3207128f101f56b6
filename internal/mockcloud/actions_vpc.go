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

func describeVPCs(c *call) (object, error) {
	p := c.p
	ids, err := p.commaList("VpcId", 20)
	if err != nil {
		return nil, err
	}
	isDefault, isDefaultSet, err := p.boolean("IsDefault")
	if err != nil {
		return nil, err
	}
	tags, err := p.tags("Tag")
	if err != nil {
		return nil, err
	}
	if _, _, err := p.boolean("DryRun"); err != nil {
		return nil, err
	}
	number, size, err := p.page(50)
	if err != nil {
		return nil, err
	}
	var matched []*vpcObj
	// Unknown IDs are simply not listed (200 with an empty list), like
	// every Describe call. Seeded VPCs are never the default VPC and carry
	// no tags.
	if !(isDefaultSet && isDefault) && len(tags) == 0 {
		for _, v := range c.st.VPCs {
			if (len(ids) > 0 && !slices.Contains(ids, v.ID)) || (p.has("VpcName") && p.str("VpcName") != v.Name) {
				continue
			}
			matched = append(matched, v)
		}
	}
	list := numberedPage(matched, func(v *vpcObj) int64 { return v.Seq }, number, size,
		func(v *vpcObj) object { return vpcView(c.st, v) })
	return object{"TotalCount": len(matched), "PageNumber": number, "PageSize": size,
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
		"Ipv6CidrBlock":       "",
		"VRouterId":           "vrt-" + vpcSuffix(v.ID),
		"Description":         "",
		"IsDefault":           false,
		"CreationTime":        v.CreatedAt.UTC().Format(apiTimeLayout),
		"ResourceGroupId":     "",
		"OwnerId":             vpcOwnerID,
		"EnabledIpv6":         false,
		"VSwitchIds":          object{"VSwitchId": vsws},
		"UserCidrs":           object{"UserCidr": []string{}},
		"NatGatewayIds":       object{"NatGatewayIds": []string{}},
		"RouterTableIds":      object{"RouterTableIds": []string{"vtb-" + vpcSuffix(v.ID)}},
		"SecondaryCidrBlocks": object{"SecondaryCidrBlock": []string{}},
		"Ipv6CidrBlocks":      object{"Ipv6CidrBlock": []object{}},
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
	p := c.p
	vpcID := p.str("VpcId")
	if vpcID != "" && c.st.VPCs[vpcID] == nil {
		return nil, badRequest("Forbidden.VpcNotFound", "The specified VPC %q does not exist.", vpcID)
	}
	isDefault, isDefaultSet, err := p.boolean("IsDefault")
	if err != nil {
		return nil, err
	}
	tags, err := p.tags("Tag")
	if err != nil {
		return nil, err
	}
	if _, _, err := p.boolean("DryRun"); err != nil {
		return nil, err
	}
	number, size, err := p.page(50)
	if err != nil {
		return nil, err
	}
	var matched []*vswitchObj
	if !(isDefaultSet && isDefault) && len(tags) == 0 {
		for _, v := range c.st.VSwitches {
			switch {
			case vpcID != "" && v.VPCID != vpcID,
				p.has("VSwitchId") && p.str("VSwitchId") != v.ID,
				p.has("ZoneId") && p.str("ZoneId") != v.ZoneID,
				p.has("VSwitchName") && p.str("VSwitchName") != v.Name,
				p.has("RouteTableId") && p.str("RouteTableId") != "vtb-"+vpcSuffix(v.VPCID):
				continue
			}
			matched = append(matched, v)
		}
	}
	list := numberedPage(matched, func(v *vswitchObj) int64 { return v.Seq }, number, size, func(v *vswitchObj) object {
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
			"Ipv6CidrBlock":           "",
			"EnabledIpv6":             false,
			"NetworkAclId":            "",
			"OwnerId":                 vpcOwnerID,
			"ShareType":               "",
			"RouteTable":              object{"RouteTableId": "vtb-" + vpcSuffix(v.VPCID), "RouteTableType": "System"},
			"Tags":                    object{"Tag": []object{}},
		}
	})
	return object{"TotalCount": len(matched), "PageNumber": number, "PageSize": size,
		"VSwitches": object{"VSwitch": list}}, nil
}
