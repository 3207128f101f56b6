package cloud

import (
	"context"
	"testing"
)

func eipReply(items ...map[string]any) fakeReply {
	list := make([]any, 0, len(items))
	for _, i := range items {
		list = append(list, i)
	}
	return ok(map[string]any{"TotalCount": len(list), "EipAddresses": map[string]any{"EipAddress": list}})
}

// An EIP whose association named no private IP shows none; the finder
// fills in the primary IP it sits on, from the ENI or the instance.
func TestFindEIPByAllocationID_primaryIPFilledIn(t *testing.T) {
	f := newFakeCloud(t)
	f.on("DescribeEipAddresses",
		eipReply(map[string]any{"AllocationId": "eip-1", "Status": "InUse", "InstanceId": "eni-1", "InstanceType": "NetworkInterface"}),
		eipReply(map[string]any{"AllocationId": "eip-1", "Status": "InUse", "InstanceId": "i-1", "InstanceType": "EcsInstance"}),
		eipReply(map[string]any{"AllocationId": "eip-1", "Status": "InUse", "InstanceId": "eni-1", "InstanceType": "NetworkInterface", "PrivateIpAddress": "192.168.0.20"}),
		eipReply(map[string]any{"AllocationId": "eip-1", "Status": "Available"}),
		eipReply(map[string]any{"AllocationId": "eip-1", "Status": "InUse", "InstanceId": "eni-gone", "InstanceType": "NetworkInterface"}),
	)
	f.on("DescribeNetworkInterfaces", enisReply("", eniJSON("eni-1", "InUse", nil)), enisReply(""))
	f.on("DescribeInstances", ok(map[string]any{"Instances": map[string]any{"Instance": []any{map[string]any{
		"InstanceId": "i-1", "Status": "Running",
		"NetworkInterfaces": map[string]any{"NetworkInterface": []any{
			map[string]any{"NetworkInterfaceId": "eni-2", "Type": "Secondary", "PrimaryIpAddress": "192.168.0.30"},
			map[string]any{"NetworkInterfaceId": "eni-p", "Type": "Primary", "PrimaryIpAddress": "192.168.0.5"},
		}},
	}}}}))
	c := f.client(t)
	ctx := context.Background()
	for i, want := range []string{"192.168.0.9", "192.168.0.5", "192.168.0.20", "", ""} {
		eip, err := c.FindEIPByAllocationID(ctx, "eip-1")
		if err != nil {
			t.Fatalf("read %d: %v", i, err)
		}
		if eip.PrivateIpAddress != want {
			t.Errorf("read %d: PrivateIpAddress %q, want %q", i, eip.PrivateIpAddress, want)
		}
	}
	// Only the two empty bound EIPs and the one on a gone ENI were looked up.
	if n, m := len(f.callsOf("DescribeNetworkInterfaces")), len(f.callsOf("DescribeInstances")); n != 2 || m != 1 {
		t.Errorf("lookups: %d DescribeNetworkInterfaces, %d DescribeInstances; want 2 and 1", n, m)
	}
}

// The EIPs of one ENI: one lookup of the ENI serves all of them.
func TestFindEIPsByAssociatedInstance_primaryIPFilledIn(t *testing.T) {
	f := newFakeCloud(t)
	f.on("DescribeEipAddresses", eipReply(
		map[string]any{"AllocationId": "eip-1", "Status": "InUse", "InstanceId": "eni-1", "InstanceType": "NetworkInterface"},
		map[string]any{"AllocationId": "eip-2", "Status": "InUse", "InstanceId": "eni-1", "InstanceType": "NetworkInterface", "PrivateIpAddress": "192.168.0.20"},
		map[string]any{"AllocationId": "eip-3", "Status": "Associating", "InstanceId": "eni-1", "InstanceType": "NetworkInterface", "Mode": "MULTI_BINDED"},
	))
	f.on("DescribeNetworkInterfaces", enisReply("", eniJSON("eni-1", "Available", nil)))
	c := f.client(t)
	eips, err := c.FindEIPsByAssociatedInstance(context.Background(), EIPTargetNetworkInterface, "eni-1")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, e := range eips {
		got[e.AllocationId] = e.PrivateIpAddress
	}
	if got["eip-1"] != "192.168.0.9" || got["eip-2"] != "192.168.0.20" || got["eip-3"] != "192.168.0.9" {
		t.Errorf("private IPs %v", got)
	}
	if n := len(f.callsOf("DescribeNetworkInterfaces")); n != 1 {
		t.Errorf("%d ENI lookups, want 1", n)
	}
}

// A failed lookup fails the find rather than leaving an empty address
// that would match any address of the ENI.
func TestFindEIPByAllocationID_lookupError(t *testing.T) {
	f := newFakeCloud(t)
	f.on("DescribeEipAddresses", eipReply(map[string]any{"AllocationId": "eip-1", "Status": "InUse", "InstanceId": "eni-1", "InstanceType": "NetworkInterface"}))
	f.on("DescribeNetworkInterfaces", apiErr(403, "Forbidden.RAM", "denied"))
	c := f.client(t)
	if _, err := c.FindEIPByAllocationID(context.Background(), "eip-1"); err == nil {
		t.Fatal("want an error")
	}
}
