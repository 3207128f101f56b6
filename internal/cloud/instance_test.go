package cloud

import (
	"context"
	"net/url"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"

	"github.com/openeni/terraform-provider-eni/internal/domain"
)

func TestWaitInstanceSettled(t *testing.T) {
	inst := func(status string) fakeReply {
		return ok(map[string]any{"Instances": map[string]any{"Instance": []any{
			map[string]any{"InstanceId": "i-1", "Status": status},
		}}})
	}
	for _, tc := range []struct {
		name    string
		replies []fakeReply
		want    string
		polls   int
	}{
		{"already running", []fakeReply{inst("Running")}, domain.InstanceStatusRunning, 1},
		{"stopping", []fakeReply{inst("Stopping"), inst("Stopping"), inst("Stopped")}, domain.InstanceStatusStopped, 3},
		{"starting", []fakeReply{inst("Starting"), inst("Running")}, domain.InstanceStatusRunning, 2},
		{"pending", []fakeReply{inst("Pending"), inst("Stopped")}, domain.InstanceStatusStopped, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeCloud(t)
			f.on("DescribeInstances", tc.replies...)
			got, err := f.client(t).WaitInstanceSettled(context.Background(), "i-1", time.Minute)
			if err != nil || got.Status != tc.want {
				t.Fatalf("got %+v, %v; want %s", got, err, tc.want)
			}
			if n := len(f.callsOf("DescribeInstances")); n != tc.polls {
				t.Errorf("polls = %d, want %d", n, tc.polls)
			}
		})
	}
	if !InstanceInTransition("Stopping") || InstanceInTransition("Running") || InstanceInTransition("Stopped") {
		t.Error("InstanceInTransition")
	}
}

func TestInstanceNetworkInterfaceIDs(t *testing.T) {
	var inst ecs.Instance
	inst.NetworkInterfaces.NetworkInterface = []ecs.NetworkInterface{
		{NetworkInterfaceId: "eni-p", Type: "Primary"}, {NetworkInterfaceId: "eni-2"}, {NetworkInterfaceId: "eni-2"}, {},
	}
	if got := InstanceNetworkInterfaceIDs(&inst); !slices.Equal(got, []string{"eni-p", "eni-2"}) {
		t.Errorf("got %v", got)
	}
}

func TestLookupNetworkInterfaceVSwitches(t *testing.T) {
	f := newFakeCloud(t)
	f.onFunc("DescribeNetworkInterfaces", func(q url.Values) fakeReply {
		var enis []map[string]any
		for i := 1; ; i++ {
			id := q.Get("NetworkInterfaceId." + strconv.Itoa(i))
			if id == "" {
				break
			}
			if id != "eni-gone" {
				enis = append(enis, eniJSON(id, "InUse", map[string]any{"VSwitchId": "vsw-" + id}))
			}
		}
		return enisReply("", enis...)
	})
	c := f.client(t)
	got, err := c.LookupNetworkInterfaceVSwitches(context.Background(), []string{"eni-a", "eni-b", "eni-gone", "eni-a"})
	if err != nil || len(got) != 2 || got["eni-a"] != "vsw-eni-a" || got["eni-b"] != "vsw-eni-b" {
		t.Fatalf("got %v, %v", got, err)
	}
	// Known ENIs are not asked for again; only the new one is.
	got, err = c.LookupNetworkInterfaceVSwitches(context.Background(), []string{"eni-b", "eni-c"})
	if err != nil || got["eni-b"] != "vsw-eni-b" || got["eni-c"] != "vsw-eni-c" {
		t.Fatalf("got %v, %v", got, err)
	}
	calls := f.callsOf("DescribeNetworkInterfaces")
	if len(calls) != 2 || calls[1].Params.Get("NetworkInterfaceId.1") != "eni-c" || calls[1].Params.Get("NetworkInterfaceId.2") != "" {
		t.Errorf("calls: %d, second asked for %v", len(calls), calls[len(calls)-1].Params)
	}
	if _, err := c.LookupNetworkInterfaceVSwitches(context.Background(), []string{"eni-a", "eni-c"}); err != nil || len(f.callsOf("DescribeNetworkInterfaces")) != 2 {
		t.Errorf("a fully cached look-up called the API: %v", err)
	}
}

func TestWaitNetworkInterfaceDetached(t *testing.T) {
	on := func(status, instance string) fakeReply {
		return enisReply("", eniJSON("eni-1", status, map[string]any{"InstanceId": instance}))
	}
	for _, tc := range []struct {
		name    string
		replies []fakeReply
		polls   int
		wantErr bool
	}{
		{"stale then available", []fakeReply{on("InUse", "i-1"), on("Detaching", "i-1"), on("Available", "")}, 3, false},
		{"moved on to another instance", []fakeReply{on("Detaching", "i-1"), on("Attaching", "i-2")}, 2, false},
		{"gone", []fakeReply{on("Detaching", "i-1"), enisReply("")}, 2, false},
		{"attaching to the same instance again", []fakeReply{on("Detaching", "i-1"), on("Attaching", "i-1")}, 2, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeCloud(t)
			f.on("DescribeNetworkInterfaces", tc.replies...)
			err := f.client(t).WaitNetworkInterfaceDetached(context.Background(), "eni-1", "i-1", time.Minute)
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v, want error %t", err, tc.wantErr)
			}
			if n := len(f.callsOf("DescribeNetworkInterfaces")); n != tc.polls {
				t.Errorf("polls = %d, want %d", n, tc.polls)
			}
		})
	}
}
