package cloud

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"testing"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
)

func TestFindNetworkInterfaces_followsNextTokenAcrossPages(t *testing.T) {
	f := newFakeCloud(t)
	pages := map[string]fakeReply{
		"":   enisReply("t1", eniJSON("eni-1", "Available", nil), eniJSON("eni-2", "InUse", nil)),
		"t1": enisReply("t2", eniJSON("eni-3", "Available", nil)),
		"t2": enisReply("", eniJSON("eni-4", "Available", nil)),
	}
	f.onFunc("DescribeNetworkInterfaces", func(q url.Values) fakeReply {
		return pages[q.Get("NextToken")]
	})
	c := f.client(t)

	req := ecs.CreateDescribeNetworkInterfacesRequest()
	req.VpcId = "vpc-1"
	enis, err := c.FindNetworkInterfaces(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, e := range enis {
		ids = append(ids, e.NetworkInterfaceId)
	}
	if want := []string{"eni-1", "eni-2", "eni-3", "eni-4"}; !slices.Equal(ids, want) {
		t.Errorf("ids = %v, want %v", ids, want)
	}

	calls := f.callsOf("DescribeNetworkInterfaces")
	if len(calls) != 3 {
		t.Fatalf("pages requested = %d, want 3", len(calls))
	}
	for i, want := range []string{"", "t1", "t2"} {
		p := calls[i].Params
		if p.Get("NextToken") != want || p.Get("MaxResults") != "500" || p.Get("VpcId") != "vpc-1" {
			t.Errorf("page %d params NextToken=%q MaxResults=%q VpcId=%q", i+1, p.Get("NextToken"), p.Get("MaxResults"), p.Get("VpcId"))
		}
	}
}

func TestFindNetworkInterfaces_stopsWhenTokenRepeats(t *testing.T) {
	f := newFakeCloud(t)
	f.on("DescribeNetworkInterfaces", enisReply("same", eniJSON("eni-1", "Available", nil)))
	c := f.client(t)

	_, err := c.FindNetworkInterfaces(context.Background(), nil)
	if err == nil {
		t.Fatal("want an error for a NextToken that never advances")
	}
	if n := len(f.callsOf("DescribeNetworkInterfaces")); n != 2 {
		t.Errorf("pages requested = %d, want 2", n)
	}
}

func TestFindNetworkInterfaceByID(t *testing.T) {
	tests := []struct {
		name     string
		reply    fakeReply
		notFound bool
	}{
		{"found", enisReply("", eniJSON("eni-1", "Available", nil)), false},
		{"empty list", enisReply(""), true},
		{"other id returned", enisReply("", eniJSON("eni-other", "Available", nil)), true},
		{"api not-found code", apiErr(404, CodeEniNotFound, "The specified NetworkInterfaceId does not exist."), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeCloud(t)
			f.on("DescribeNetworkInterfaces", tt.reply)
			c := f.client(t)

			eni, err := c.FindNetworkInterfaceByID(context.Background(), "eni-1")
			if got := f.callsOf("DescribeNetworkInterfaces")[0].Params.Get("NetworkInterfaceId.1"); got != "eni-1" {
				t.Errorf("NetworkInterfaceId.1 = %q", got)
			}
			if tt.notFound {
				var nf *NotFoundError
				if !errors.As(err, &nf) || nf.Kind != KindNetworkInterface || nf.ID != "eni-1" {
					t.Fatalf("error = %v, want *NotFoundError for eni-1", err)
				}
				return
			}
			if err != nil || eni.NetworkInterfaceId != "eni-1" || eni.Status != "Available" {
				t.Fatalf("got %+v, %v", eni, err)
			}
		})
	}
}

func TestFindNetworkInterfacesByIDs_batchesOf100(t *testing.T) {
	f := newFakeCloud(t)
	f.onFunc("DescribeNetworkInterfaces", func(q url.Values) fakeReply {
		var enis []map[string]any
		for i := 1; q.Get(fmt.Sprintf("NetworkInterfaceId.%d", i)) != ""; i++ {
			id := q.Get(fmt.Sprintf("NetworkInterfaceId.%d", i))
			if id != "eni-missing" {
				enis = append(enis, eniJSON(id, "Available", nil))
			}
		}
		return enisReply("", enis...)
	})
	c := f.client(t)

	var ids []string
	for i := range 150 {
		ids = append(ids, fmt.Sprintf("eni-%03d", i))
	}
	ids = append(ids, "eni-missing")
	enis, err := c.FindNetworkInterfacesByIDs(context.Background(), ids)

	var nf *NotFoundError
	if !errors.As(err, &nf) || nf.ID != "eni-missing" {
		t.Fatalf("error = %v, want *NotFoundError naming eni-missing", err)
	}
	if len(enis) != 150 {
		t.Errorf("found %d, want 150", len(enis))
	}
	calls := f.callsOf("DescribeNetworkInterfaces")
	if len(calls) != 2 {
		t.Fatalf("requests = %d, want 2", len(calls))
	}
	if calls[0].Params.Get("NetworkInterfaceId.100") == "" || calls[0].Params.Get("NetworkInterfaceId.101") != "" {
		t.Error("first batch should hold exactly 100 IDs")
	}
	if calls[1].Params.Get("NetworkInterfaceId.51") == "" || calls[1].Params.Get("NetworkInterfaceId.52") != "" {
		t.Error("second batch should hold exactly 51 IDs")
	}
}

func TestFindInstanceByID(t *testing.T) {
	f := newFakeCloud(t)
	f.on("DescribeInstances", ok(map[string]any{"Instances": map[string]any{"Instance": []any{
		map[string]any{"InstanceId": "i-1", "Status": "Running", "InstanceType": "ecs.g6.large"},
	}}}))
	c := f.client(t)

	inst, err := c.FindInstanceByID(context.Background(), "i-1")
	if err != nil || inst.InstanceType != "ecs.g6.large" {
		t.Fatalf("got %+v, %v", inst, err)
	}
	p := f.callsOf("DescribeInstances")[0].Params
	if p.Get("InstanceIds") != `["i-1"]` || p.Get("AdditionalAttributes.1") != "NETWORK_PRIMARY_ENI_IP" {
		t.Errorf("InstanceIds=%q AdditionalAttributes.1=%q", p.Get("InstanceIds"), p.Get("AdditionalAttributes.1"))
	}

	f.on("DescribeInstances", ok(map[string]any{"Instances": map[string]any{"Instance": []any{}}}))
	_, err = c.FindInstanceByID(context.Background(), "i-2")
	if !IsNotFound(err) {
		t.Errorf("empty list: error = %v, want not found", err)
	}
}

func TestFindOtherObjects(t *testing.T) {
	f := newFakeCloud(t)
	f.on("DescribeInstanceTypes", ok(map[string]any{"InstanceTypes": map[string]any{"InstanceType": []any{
		map[string]any{"InstanceTypeId": "ecs.g6.large", "EniQuantity": 2, "EniPrivateIpAddressQuantity": 6},
	}}}))
	f.on("DescribeVSwitches", ok(map[string]any{"VSwitches": map[string]any{"VSwitch": []any{
		map[string]any{"VSwitchId": "vsw-1", "VpcId": "vpc-1", "ZoneId": "cn-hangzhou-g", "CidrBlock": "192.168.0.0/24"},
	}}}))
	f.on("DescribeVpcs", ok(map[string]any{"Vpcs": map[string]any{"Vpc": []any{}}}))
	f.on("DescribeEipAddresses", ok(map[string]any{"EipAddresses": map[string]any{"EipAddress": []any{
		map[string]any{"AllocationId": "eip-1", "Status": "Available", "IpAddress": "47.1.2.3"},
	}}}))
	f.on("DescribeSecurityGroups", ok(map[string]any{"SecurityGroups": map[string]any{"SecurityGroup": []any{
		map[string]any{"SecurityGroupId": "sg-1", "VpcId": "vpc-1"},
	}}}))
	c := f.client(t)
	ctx := context.Background()

	it, err := c.FindInstanceTypeByID(ctx, "ecs.g6.large")
	if err != nil || it.EniQuantity != 2 || it.EniPrivateIpAddressQuantity != 6 {
		t.Errorf("FindInstanceTypeByID = %+v, %v", it, err)
	}
	if got := f.callsOf("DescribeInstanceTypes")[0].Params.Get("InstanceTypes.1"); got != "ecs.g6.large" {
		t.Errorf("InstanceTypes.1 = %q", got)
	}

	vsw, err := c.FindVSwitchByID(ctx, "vsw-1")
	if err != nil || vsw.ZoneId != "cn-hangzhou-g" {
		t.Errorf("FindVSwitchByID = %+v, %v", vsw, err)
	}

	if _, err := c.FindVPCByID(ctx, "vpc-1"); !IsNotFound(err) {
		t.Errorf("FindVPCByID on empty list: %v, want not found", err)
	}
	if got := f.callsOf("DescribeVpcs")[0].Params.Get("VpcId"); got != "vpc-1" {
		t.Errorf("VpcId = %q", got)
	}

	eip, err := c.FindEIPByAllocationID(ctx, "eip-1")
	if err != nil || eip.IpAddress != "47.1.2.3" {
		t.Errorf("FindEIPByAllocationID = %+v, %v", eip, err)
	}
	if got := f.callsOf("DescribeEipAddresses")[0].Params.Get("AllocationId"); got != "eip-1" {
		t.Errorf("AllocationId = %q", got)
	}

	sgs, err := c.FindSecurityGroupsByIDs(ctx, []string{"sg-1", "sg-2"})
	var nf *NotFoundError
	if !errors.As(err, &nf) || nf.ID != "sg-2" || len(sgs) != 1 {
		t.Errorf("FindSecurityGroupsByIDs = %d groups, %v; want sg-1 and not-found sg-2", len(sgs), err)
	}
	if got := f.callsOf("DescribeSecurityGroups")[0].Params.Get("SecurityGroupIds"); got != `["sg-1","sg-2"]` {
		t.Errorf("SecurityGroupIds = %q", got)
	}
}

func TestFindTags(t *testing.T) {
	f := newFakeCloud(t)
	tag := func(k, v string) map[string]any {
		return map[string]any{"ResourceId": "eni-1", "ResourceType": "eni", "TagKey": k, "TagValue": v}
	}
	f.onFunc("ListTagResources", func(q url.Values) fakeReply {
		if q.Get("NextToken") == "" {
			return ok(map[string]any{"NextToken": "n1", "TagResources": map[string]any{"TagResource": []any{tag("a", "1")}}})
		}
		return ok(map[string]any{"NextToken": "", "TagResources": map[string]any{"TagResource": []any{tag("b", "")}}})
	})
	c := f.client(t)

	tags, err := c.FindTags(context.Background(), "eni-1")
	if err != nil {
		t.Fatal(err)
	}
	if len(tags) != 2 || tags["a"] != "1" || tags["b"] != "" {
		t.Errorf("tags = %v", tags)
	}
	p := f.callsOf("ListTagResources")[0].Params
	if p.Get("ResourceType") != "eni" || p.Get("ResourceId.1") != "eni-1" {
		t.Errorf("ResourceType=%q ResourceId.1=%q", p.Get("ResourceType"), p.Get("ResourceId.1"))
	}
}
