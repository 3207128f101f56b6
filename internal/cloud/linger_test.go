package cloud

import (
	"context"
	"errors"
	"net/url"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"
)

func TestCall_mutatingCallFinishesAfterCancel(t *testing.T) {
	f := newFakeCloud(t)
	released := make(chan struct{})
	f.onFunc("CreateNetworkInterface", func(url.Values) fakeReply {
		<-released // answer only after the caller has been cancelled
		return ok(map[string]any{"NetworkInterfaceId": "eni-kept"})
	})
	c := f.client(t)
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		for len(f.callsOf("CreateNetworkInterface")) == 0 {
			time.Sleep(time.Millisecond)
		}
		cancel()
		close(released)
	}()
	out, err := c.CreateNetworkInterface(ctx, ecs.CreateCreateNetworkInterfaceRequest())
	if err != nil {
		t.Fatalf("CreateNetworkInterface: %v; a request already sent must be finished", err)
	}
	if out.NetworkInterfaceId != "eni-kept" {
		t.Errorf("ID = %q, want eni-kept", out.NetworkInterfaceId)
	}
}

func TestCall_mutatingCallNotSentAfterCancel(t *testing.T) {
	f := newFakeCloud(t)
	f.on("AttachNetworkInterface", ok(nil))
	c := f.client(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := c.AttachNetworkInterface(ctx, ecs.CreateAttachNetworkInterfaceRequest())
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error = %v, want context.Canceled", err)
	}
	if n := len(f.callsOf("AttachNetworkInterface")); n != 0 {
		t.Errorf("%d attach requests sent after the context ended, want 0", n)
	}
}

func TestCall_unknownOutcomeIsRetriedAfterCancelUntilAnswered(t *testing.T) {
	f := newFakeCloud(t)
	ctx, cancel := context.WithCancel(context.Background())
	n := 0
	f.onFunc("AssignPrivateIpAddresses", func(url.Values) fakeReply {
		n++
		if n == 1 {
			cancel() // Ctrl-C while the first reply is lost
			return fakeReply{drop: true}
		}
		return ok(map[string]any{"AssignedPrivateIpAddressesSet": map[string]any{
			"PrivateIpSet": map[string]any{"PrivateIpAddress": []string{"192.168.0.20"}}}})
	})
	c := f.client(t)
	req := ecs.CreateAssignPrivateIpAddressesRequest()
	out, err := c.AssignPrivateIpAddresses(ctx, req)
	if err != nil {
		t.Fatalf("AssignPrivateIpAddresses: %v", err)
	}
	if got := out.AssignedPrivateIpAddressesSet.PrivateIpSet.PrivateIpAddress; len(got) != 1 {
		t.Errorf("addresses = %v, want the one the cloud assigned", got)
	}
	calls := f.callsOf("AssignPrivateIpAddresses")
	if len(calls) != 2 || calls[0].Params.Get("ClientToken") != calls[1].Params.Get("ClientToken") {
		t.Errorf("want 2 attempts with one ClientToken, got %d", len(calls))
	}
}

func TestCall_definiteAnswerAfterCancelStops(t *testing.T) {
	f := newFakeCloud(t)
	ctx, cancel := context.WithCancel(context.Background())
	f.onFunc("AttachNetworkInterface", func(url.Values) fakeReply {
		cancel()
		return apiErr(400, "Throttling.User", "slow down") // did nothing
	})
	c := f.client(t)
	_, err := c.AttachNetworkInterface(ctx, ecs.CreateAttachNetworkInterfaceRequest())
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error = %v, want context.Canceled", err)
	}
	if n := len(f.callsOf("AttachNetworkInterface")); n != 1 {
		t.Errorf("%d attempts, want 1: a throttled call did nothing and needs no confirmation", n)
	}
}

func TestCall_lingerIsBounded(t *testing.T) {
	f := newFakeCloud(t)
	f.on("DetachNetworkInterface", fakeReply{hang: true})
	c := f.client(t)
	c.CancelGrace = 200 * time.Millisecond
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.DetachNetworkInterface(ctx, ecs.CreateDetachNetworkInterfaceRequest())
	if err == nil {
		t.Fatal("a request that never answers succeeded")
	}
	if elapsed := time.Since(start); elapsed < 200*time.Millisecond || elapsed > 5*time.Second {
		t.Errorf("returned after %s, want the deadline plus the 200ms grace", elapsed)
	}
}

func TestCall_lostReplyThenAlreadyDoneIsSuccess(t *testing.T) {
	for _, tc := range []struct {
		name     string
		describe fakeReply
		wantErr  bool
	}{
		{"bound to the target", enisReply("", eniJSON("eni-1", "InUse", map[string]any{"InstanceId": "i-1"})), false},
		{"being bound to the target", enisReply("", eniJSON("eni-1", "Attaching", map[string]any{"InstanceId": "i-1"})), false},
		{"bound elsewhere", enisReply("", eniJSON("eni-1", "InUse", map[string]any{"InstanceId": "i-2"})), true},
		{"unbound", enisReply("", eniJSON("eni-1", "Available", nil)), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeCloud(t)
			f.on("AttachNetworkInterface", fakeReply{drop: true},
				apiErr(403, CodeInvalidEniState, "The ENI is InUse."))
			f.on("DescribeNetworkInterfaces", tc.describe)
			c := f.client(t)
			req := ecs.CreateAttachNetworkInterfaceRequest()
			req.NetworkInterfaceId, req.InstanceId = "eni-1", "i-1"
			out, err := c.AttachNetworkInterface(context.Background(), req)
			switch {
			case tc.wantErr && !IsCode(err, CodeInvalidEniState):
				t.Fatalf("error = %v, want the refusal", err)
			case !tc.wantErr && err != nil:
				t.Fatalf("AttachNetworkInterface: %v; the retry's refusal means the first attempt took effect", err)
			case !tc.wantErr && out == nil:
				t.Fatal("nil response for a confirmed call")
			}
		})
	}
}

func TestConfirmers(t *testing.T) {
	eip := func(status, instance, ip string) fakeReply {
		return ok(map[string]any{"EipAddresses": map[string]any{"EipAddress": []any{map[string]any{
			"AllocationId": "eip-1", "Status": status, "InstanceId": instance, "PrivateIpAddress": ip}}}})
	}
	inst := func(status string) fakeReply {
		return ok(map[string]any{"Instances": map[string]any{"Instance": []any{map[string]any{
			"InstanceId": "i-1", "Status": status}}}})
	}
	gone := enisReply("")
	for _, tc := range []struct {
		name     string
		action   string
		refusal  fakeReply
		describe string
		state    fakeReply
		call     func(c *Client) error
		wantDone bool
	}{
		{"detach: now Available", "DetachNetworkInterface", apiErr(403, CodeInvalidEniState, "Available"),
			"DescribeNetworkInterfaces", enisReply("", eniJSON("eni-1", "Available", nil)), detachENI, true},
		{"detach: still InUse there", "DetachNetworkInterface", apiErr(403, "InvalidOperation.Conflict2", "x"),
			"DescribeNetworkInterfaces", enisReply("", eniJSON("eni-1", "InUse", map[string]any{"InstanceId": "i-1"})), detachENI, false},
		{"delete: Deleting", "DeleteNetworkInterface", apiErr(403, CodeInvalidEniState, "Deleting"),
			"DescribeNetworkInterfaces", enisReply("", eniJSON("eni-1", "Deleting", nil)), deleteENI, true},
		{"delete: gone", "DeleteNetworkInterface", apiErr(403, CodeInvalidEniState, "Deleting"),
			"DescribeNetworkInterfaces", gone, deleteENI, true},
		{"delete: InUse", "DeleteNetworkInterface", apiErr(403, CodeInvalidEniState, "InUse"),
			"DescribeNetworkInterfaces", enisReply("", eniJSON("eni-1", "InUse", map[string]any{"InstanceId": "i-1"})), deleteENI, false},
		{"unassign: address gone", "UnassignPrivateIpAddresses", apiErr(400, CodeIPUnassigned, "x"),
			"DescribeNetworkInterfaces", enisReply("", eniJSON("eni-1", "Available", nil)), unassignIP, true},
		{"unassign: address still there", "UnassignPrivateIpAddresses", apiErr(400, CodeIPUnassigned, "x"),
			"DescribeNetworkInterfaces", enisReply("", eniJSON("eni-1", "Available", map[string]any{"PrivateIpSets": map[string]any{"PrivateIpSet": []any{
				map[string]any{"PrivateIpAddress": "192.168.0.9", "Primary": true},
				map[string]any{"PrivateIpAddress": "192.168.0.30", "Primary": false}}}})), unassignIP, false},
		{"unassign IPv6: address gone", "UnassignIpv6Addresses", apiErr(400, CodeIPUnassigned, "x"),
			"DescribeNetworkInterfaces", enisReply("", eniJSON("eni-1", "Available", nil)), unassignIPv6, true},
		{"unassign IPv6: address still there", "UnassignIpv6Addresses", apiErr(400, CodeIPUnassigned, "x"),
			"DescribeNetworkInterfaces", enisReply("", eniJSON("eni-1", "Available", map[string]any{"Ipv6Sets": map[string]any{
				"Ipv6Set": []any{map[string]any{"Ipv6Address": "2001:db8::30"}}}})), unassignIPv6, false},
		{"unassign prefix: prefix gone", "UnassignPrivateIpAddresses", apiErr(400, CodeIPUnassigned, "x"),
			"DescribeNetworkInterfaces", enisReply("", eniJSON("eni-1", "Available", nil)), unassignPrefix, true},
		{"unassign prefix: prefix still there", "UnassignPrivateIpAddresses", apiErr(400, CodeIPUnassigned, "x"),
			"DescribeNetworkInterfaces", enisReply("", eniJSON("eni-1", "Available", map[string]any{"Ipv4PrefixSets": map[string]any{
				"Ipv4PrefixSet": []any{map[string]any{"Ipv4Prefix": "192.168.0.16/28"}}}})), unassignPrefix, false},
		{"start: Running", "StartInstance", apiErr(403, CodeIncorrectInstanceStatus, "x"), "DescribeInstances", inst("Running"), startInstance, true},
		{"start: Stopping", "StartInstance", apiErr(403, CodeIncorrectInstanceStatus, "x"), "DescribeInstances", inst("Stopping"), startInstance, false},
		{"stop: Stopped", "StopInstance", apiErr(403, CodeIncorrectInstanceStatus, "x"), "DescribeInstances", inst("Stopped"), stopInstance, true},
		{"stop: Starting", "StopInstance", apiErr(403, CodeIncorrectInstanceStatus, "x"), "DescribeInstances", inst("Starting"), stopInstance, false},
		{"associate: on the target", "AssociateEipAddress", apiErr(400, CodeIncorrectEipStatus, "x"),
			"DescribeEipAddresses", eip("InUse", "eni-1", "192.168.0.9"), associateEIP, true},
		{"associate: on another address", "AssociateEipAddress", apiErr(400, CodeIncorrectEipStatus, "x"),
			"DescribeEipAddresses", eip("InUse", "eni-1", "192.168.0.10"), associateEIP, false},
		{"associate: elsewhere", "AssociateEipAddress", apiErr(400, CodeIncorrectEipStatus, "x"),
			"DescribeEipAddresses", eip("InUse", "eni-2", "192.168.0.9"), associateEIP, false},
		{"unassociate: free", "UnassociateEipAddress", apiErr(400, CodeIncorrectEipStatus, "x"),
			"DescribeEipAddresses", eip("Available", "", ""), unassociateEIP, true},
		{"unassociate: still there", "UnassociateEipAddress", apiErr(400, "Forbidden", "x"),
			"DescribeEipAddresses", eip("InUse", "eni-1", "192.168.0.9"), unassociateEIP, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeCloud(t)
			f.on(tc.action, fakeReply{drop: true}, tc.refusal)
			f.on(tc.describe, tc.state)
			c := f.client(t)
			err := tc.call(c)
			if tc.wantDone && err != nil {
				t.Fatalf("%s: %v; the change was already made", tc.action, err)
			}
			if !tc.wantDone && err == nil {
				t.Fatalf("%s succeeded although the refusal means something else", tc.action)
			}
			if n := len(f.callsOf(tc.action)); n != 2 {
				t.Errorf("%d attempts, want 2 (lost reply, refused retry)", n)
			}
		})
	}
}

func detachENI(c *Client) error {
	req := ecs.CreateDetachNetworkInterfaceRequest()
	req.NetworkInterfaceId, req.InstanceId = "eni-1", "i-1"
	_, err := c.DetachNetworkInterface(context.Background(), req)
	return err
}

func deleteENI(c *Client) error {
	req := ecs.CreateDeleteNetworkInterfaceRequest()
	req.NetworkInterfaceId = "eni-1"
	_, err := c.DeleteNetworkInterface(context.Background(), req)
	return err
}

func unassignIP(c *Client) error {
	req := ecs.CreateUnassignPrivateIpAddressesRequest()
	req.NetworkInterfaceId = "eni-1"
	req.PrivateIpAddress = &[]string{"192.168.0.30"}
	_, err := c.UnassignPrivateIpAddresses(context.Background(), req)
	return err
}

func unassignIPv6(c *Client) error {
	req := ecs.CreateUnassignIpv6AddressesRequest()
	req.NetworkInterfaceId = "eni-1"
	req.Ipv6Address = &[]string{"2001:db8::30"}
	_, err := c.UnassignIpv6Addresses(context.Background(), req)
	return err
}

func unassignPrefix(c *Client) error {
	req := ecs.CreateUnassignPrivateIpAddressesRequest()
	req.NetworkInterfaceId = "eni-1"
	req.Ipv4Prefix = &[]string{"192.168.0.16/28"}
	_, err := c.UnassignPrivateIpAddresses(context.Background(), req)
	return err
}

func startInstance(c *Client) error {
	req := ecs.CreateStartInstanceRequest()
	req.InstanceId = "i-1"
	_, err := c.StartInstance(context.Background(), req)
	return err
}

func stopInstance(c *Client) error {
	req := ecs.CreateStopInstanceRequest()
	req.InstanceId = "i-1"
	_, err := c.StopInstance(context.Background(), req)
	return err
}

func associateEIP(c *Client) error {
	req := vpc.CreateAssociateEipAddressRequest()
	req.AllocationId, req.InstanceId, req.PrivateIpAddress = "eip-1", "eni-1", "192.168.0.9"
	_, err := c.AssociateEipAddress(context.Background(), req)
	return err
}

func unassociateEIP(c *Client) error {
	req := vpc.CreateUnassociateEipAddressRequest()
	req.AllocationId, req.InstanceId = "eip-1", "eni-1"
	_, err := c.UnassociateEipAddress(context.Background(), req)
	return err
}

// A cancel during the backoff after a definite answer (throttled: nothing
// was done) ends the call at once; no new attempt is sent.
func TestCall_cancelDuringBackoffSendsNothingMore(t *testing.T) {
	f := newFakeCloud(t)
	f.on("AttachNetworkInterface", apiErr(400, "Throttling.User", "slow down"))
	c := f.client(t)
	c.RetryBaseDelay, c.RetryMaxDelay = time.Hour, time.Hour // only cancellation ends the sleep
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	start := time.Now()
	_, err := c.AttachNetworkInterface(ctx, ecs.CreateAttachNetworkInterfaceRequest())
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error = %v, want context.Canceled", err)
	}
	if n := len(f.callsOf("AttachNetworkInterface")); n != 1 {
		t.Errorf("%d attempts, want 1", n)
	}
	if elapsed := time.Since(start); elapsed > 5*time.Second {
		t.Errorf("returned after %s; the backoff outlived the cancel", elapsed)
	}
}
