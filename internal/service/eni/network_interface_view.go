package eni

import (
	"context"
	"sort"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/openeni/terraform-provider-eni/internal/cloud"
)

// eniView is what the API says of one ENI, in the provider's vocabulary.
// The resource and both data sources are filled from it.
type eniView struct {
	ID, Name, Description, VSwitchID, VPCID, ZoneID string
	MAC, Status, Type, InstanceID, PrimaryIP        string
	ResourceGroupID, TrafficMode                    string
	QueueNumber                                     int64
	DeleteOnRelease                                 bool
	SecurityGroupIDs, SecondaryIPs                  []string
	IPv6Addresses, IPv4Prefixes                     []string
	Tags                                            map[string]string
}

func viewOf(e *ecs.NetworkInterfaceSet) eniView {
	v := eniView{
		ID: e.NetworkInterfaceId, Name: e.NetworkInterfaceName, Description: e.Description,
		VSwitchID: e.VSwitchId, VPCID: e.VpcId, ZoneID: e.ZoneId, MAC: e.MacAddress, Status: e.Status,
		Type: e.Type, InstanceID: e.InstanceId, PrimaryIP: e.PrivateIpAddress,
		ResourceGroupID: e.ResourceGroupId, TrafficMode: e.NetworkInterfaceTrafficMode,
		QueueNumber: int64(e.QueueNumber), DeleteOnRelease: e.DeleteOnRelease,
		SecurityGroupIDs: append([]string{}, e.SecurityGroupIds.SecurityGroupId...),
		SecondaryIPs:     []string{},
		IPv6Addresses:    cloud.IPv6Addresses(e),
		IPv4Prefixes:     cloud.IPv4Prefixes(e),
		Tags:             map[string]string{},
	}
	if v.InstanceID == "" {
		v.InstanceID = e.Attachment.InstanceId
	}
	for _, ip := range e.PrivateIpSets.PrivateIpSet {
		if !ip.Primary {
			v.SecondaryIPs = append(v.SecondaryIPs, ip.PrivateIpAddress)
		}
	}
	for _, t := range e.Tags.Tag {
		k, val := t.TagKey, t.TagValue
		if k == "" {
			k, val = t.Key, t.Value
		}
		if k != "" {
			v.Tags[k] = val
		}
	}
	sort.Strings(v.SecurityGroupIDs)
	return v
}

func stringSet(ctx context.Context, items []string, diags *diag.Diagnostics) types.Set {
	s, d := types.SetValueFrom(ctx, types.StringType, items)
	diags.Append(d...)
	return s
}

func stringMap(ctx context.Context, m map[string]string, diags *diag.Diagnostics) types.Map {
	v, d := types.MapValueFrom(ctx, types.StringType, m)
	diags.Append(d...)
	return v
}

// setStrings reads a known set of strings; null or unknown gives nil.
func setStrings(ctx context.Context, s types.Set, diags *diag.Diagnostics) []string {
	if s.IsNull() || s.IsUnknown() {
		return nil
	}
	var out []string
	diags.Append(s.ElementsAs(ctx, &out, false)...)
	return out
}

// mapStrings reads a known map of strings; null or unknown gives nil.
func mapStrings(ctx context.Context, m types.Map, diags *diag.Diagnostics) map[string]string {
	if m.IsNull() || m.IsUnknown() {
		return nil
	}
	out := map[string]string{}
	diags.Append(m.ElementsAs(ctx, &out, false)...)
	return out
}

// allKnown reports whether every element of a collection is known.
func allKnown(elems []attr.Value) bool {
	for _, e := range elems {
		if e.IsUnknown() {
			return false
		}
	}
	return true
}
