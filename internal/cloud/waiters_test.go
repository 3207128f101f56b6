package cloud

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/openeni/terraform-provider-eni/internal/domain"
)

func TestWaitNetworkInterfaceInUse(t *testing.T) {
	f := newFakeCloud(t)
	attached := map[string]any{"InstanceId": "i-1"}
	f.on("DescribeNetworkInterfaces",
		enisReply("", eniJSON("eni-1", domain.ENIStatusAvailable, nil)), // stale, right after the call
		enisReply("", eniJSON("eni-1", domain.ENIStatusAttaching, nil)),
		enisReply("", eniJSON("eni-1", domain.ENIStatusInUse, attached)),
	)
	c := f.client(t)

	eni, err := c.WaitNetworkInterfaceInUse(context.Background(), "eni-1", "i-1", time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if eni.Status != domain.ENIStatusInUse || eni.InstanceId != "i-1" {
		t.Errorf("eni = %+v", eni)
	}
	if n := len(f.callsOf("DescribeNetworkInterfaces")); n != 3 {
		t.Errorf("polls = %d, want 3", n)
	}
}

func TestWaitNetworkInterfaceInUse_otherInstance(t *testing.T) {
	f := newFakeCloud(t)
	f.on("DescribeNetworkInterfaces", enisReply("", eniJSON("eni-1", domain.ENIStatusInUse, map[string]any{"InstanceId": "i-2"})))
	c := f.client(t)

	_, err := c.WaitNetworkInterfaceInUse(context.Background(), "eni-1", "i-1", time.Minute)
	if err == nil {
		t.Fatal("want an error for an ENI attached elsewhere")
	}
}

func TestWaitNetworkInterfaceAvailable_afterCreateNotYetVisible(t *testing.T) {
	f := newFakeCloud(t)
	f.on("DescribeNetworkInterfaces",
		enisReply(""), enisReply(""),
		enisReply("", eniJSON("eni-1", domain.ENIStatusAvailable, nil)),
	)
	c := f.client(t)

	if _, err := c.WaitNetworkInterfaceAvailable(context.Background(), "eni-1", time.Minute); err != nil {
		t.Fatal(err)
	}
}

func TestWaitNetworkInterfaceDeleted(t *testing.T) {
	f := newFakeCloud(t)
	f.on("DescribeNetworkInterfaces",
		enisReply("", eniJSON("eni-1", domain.ENIStatusAvailable, nil)),
		enisReply("", eniJSON("eni-1", domain.ENIStatusDeleting, nil)),
		enisReply(""),
	)
	c := f.client(t)

	if err := c.WaitNetworkInterfaceDeleted(context.Background(), "eni-1", time.Minute); err != nil {
		t.Fatal(err)
	}
}

func TestWaitNetworkInterfaceVisible_timesOut(t *testing.T) {
	f := newFakeCloud(t)
	f.on("DescribeNetworkInterfaces", enisReply(""))
	c := f.client(t)

	_, err := c.WaitNetworkInterfaceVisible(context.Background(), "eni-1", 100*time.Millisecond)
	var te *WaitTimeoutError
	if !errors.As(err, &te) || te.LastState != stateNotFound {
		t.Fatalf("error = %v, want a timeout with last state %q", err, stateNotFound)
	}
	if !IsNotFound(err) {
		t.Error("the timeout should carry the last not-found error")
	}
}

func TestWaitNetworkInterfacePrivateIPs(t *testing.T) {
	withIPs := func(ips ...string) map[string]any {
		var set []any
		for i, ip := range ips {
			set = append(set, map[string]any{"PrivateIpAddress": ip, "Primary": i == 0})
		}
		return eniJSON("eni-1", domain.ENIStatusAvailable, map[string]any{
			"PrivateIpAddress": ips[0],
			"PrivateIpSets":    map[string]any{"PrivateIpSet": set},
		})
	}
	f := newFakeCloud(t)
	f.on("DescribeNetworkInterfaces",
		enisReply("", withIPs("10.0.0.5", "10.0.0.6")),
		enisReply("", withIPs("10.0.0.5", "10.0.0.6", "10.0.0.7")),
		enisReply("", withIPs("10.0.0.5", "10.0.0.7")),
	)
	c := f.client(t)

	eni, err := c.WaitNetworkInterfacePrivateIPs(context.Background(), "eni-1", []string{"10.0.0.7"}, []string{"10.0.0.6"}, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if got := PrivateIPs(eni); len(got) != 2 || got[0] != "10.0.0.5" || got[1] != "10.0.0.7" {
		t.Errorf("PrivateIPs = %v", got)
	}
	if n := len(f.callsOf("DescribeNetworkInterfaces")); n != 3 {
		t.Errorf("polls = %d, want 3", n)
	}
}

func TestWaitInstanceStatus(t *testing.T) {
	inst := func(status string) fakeReply {
		return ok(map[string]any{"Instances": map[string]any{"Instance": []any{
			map[string]any{"InstanceId": "i-1", "Status": status},
		}}})
	}
	f := newFakeCloud(t)
	f.on("DescribeInstances", inst("Running"), inst("Stopping"), inst("Stopped"))
	c := f.client(t)

	got, err := c.WaitInstanceStatus(context.Background(), "i-1", domain.InstanceStatusStopped, time.Minute)
	if err != nil || got.Status != domain.InstanceStatusStopped {
		t.Fatalf("got %+v, %v", got, err)
	}
}

func TestWaitEIPStatus(t *testing.T) {
	eip := func(status string) fakeReply {
		return ok(map[string]any{"EipAddresses": map[string]any{"EipAddress": []any{
			map[string]any{"AllocationId": "eip-1", "Status": status},
		}}})
	}
	f := newFakeCloud(t)
	f.on("DescribeEipAddresses", eip("Associating"), eip("InUse"))
	c := f.client(t)

	got, err := c.WaitEIPStatus(context.Background(), "eip-1", domain.EIPStatusInUse, time.Minute)
	if err != nil || got.Status != domain.EIPStatusInUse {
		t.Fatalf("got %+v, %v", got, err)
	}
}
