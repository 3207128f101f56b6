package cloud

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"testing"
)

func TestFindNetworkInterfacesByPrivateIP(t *testing.T) {
	f := newFakeCloud(t)
	withIP := func(id, ip string) map[string]any {
		return eniJSON(id, "InUse", map[string]any{"PrivateIpSets": map[string]any{"PrivateIpSet": []any{
			map[string]any{"PrivateIpAddress": "192.168.0.9", "Primary": true},
			map[string]any{"PrivateIpAddress": ip, "Primary": false},
		}}})
	}
	// The second ENI does not hold the address: a filter the API ignored.
	f.on("DescribeNetworkInterfaces", enisReply("", withIP("eni-1", "192.168.0.20"), withIP("eni-2", "192.168.0.21")))
	c := f.client(t)

	enis, err := c.FindNetworkInterfacesByPrivateIP(context.Background(), "vpc-1", "192.168.0.20")
	if err != nil {
		t.Fatal(err)
	}
	if len(enis) != 1 || enis[0].NetworkInterfaceId != "eni-1" {
		t.Fatalf("holders %v", enis)
	}
	p := f.callsOf("DescribeNetworkInterfaces")[0].Params
	if p.Get("VpcId") != "vpc-1" || p.Get("PrivateIpAddress.1") != "192.168.0.20" {
		t.Errorf("params %v", p)
	}
}

func TestFindEIPsByAssociatedInstance_pages(t *testing.T) {
	f := newFakeCloud(t)
	const total = 130
	f.onFunc("DescribeEipAddresses", func(q url.Values) fakeReply {
		page, _ := strconv.Atoi(q.Get("PageNumber"))
		size, _ := strconv.Atoi(q.Get("PageSize"))
		var items []any
		for i := (page - 1) * size; i < min(page*size, total); i++ {
			status := "InUse"
			if i == 0 {
				status = "Available" // left out
			}
			items = append(items, map[string]any{"AllocationId": fmt.Sprintf("eip-%d", i), "Status": status, "InstanceId": "eni-1"})
		}
		return ok(map[string]any{"TotalCount": total, "EipAddresses": map[string]any{"EipAddress": items}})
	})
	c := f.client(t)

	eips, err := c.FindEIPsByAssociatedInstance(context.Background(), EIPTargetNetworkInterface, "eni-1")
	if err != nil {
		t.Fatal(err)
	}
	if len(eips) != total-1 {
		t.Fatalf("got %d EIPs, want %d", len(eips), total-1)
	}
	calls := f.callsOf("DescribeEipAddresses")
	if len(calls) != 2 {
		t.Fatalf("pages requested = %d, want 2", len(calls))
	}
	if p := calls[1].Params; p.Get("AssociatedInstanceId") != "eni-1" || p.Get("AssociatedInstanceType") != "NetworkInterface" ||
		p.Get("PageNumber") != "2" || p.Get("PageSize") != "100" {
		t.Errorf("second page params %v", p)
	}
}
