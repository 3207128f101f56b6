package cloud

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"

	"github.com/openeni/terraform-provider-eni/internal/mockcloud"
)

// emulatorCalls is an emulator behind a recorder of every request's
// parameters, and a way to make clients of it (one per walk).
type emulatorCalls struct {
	srv  *mockcloud.Server
	url  string
	seed *mockcloud.Seed
	mu   sync.Mutex
	sent []url.Values
}

func newEmulatorCalls(t *testing.T, seed *mockcloud.Seed) *emulatorCalls {
	t.Helper()
	return newEmulatorCallsWith(t, mockcloud.Options{Seed: seed})
}

// newEmulatorCallsWith is newEmulatorCalls with the emulator's options
// (a transition delay); opts.Seed must be set.
func newEmulatorCallsWith(t *testing.T, opts mockcloud.Options) *emulatorCalls {
	t.Helper()
	srv, err := mockcloud.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	e := &emulatorCalls{srv: srv, seed: opts.Seed}
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err == nil {
			e.mu.Lock()
			e.sent = append(e.sent, r.Form)
			e.mu.Unlock()
		}
		srv.ServeHTTP(w, r)
	}))
	t.Cleanup(ts.Close)
	e.url = ts.URL
	return e
}

// client is a new walk's client.
func (e *emulatorCalls) client(t *testing.T) *Client {
	t.Helper()
	c, err := New(Config{Region: e.seed.RegionID, AccessKey: e.seed.Credentials[0].AccessKeyID,
		SecretKey: e.seed.Credentials[0].AccessKeySecret, ECSEndpoint: e.url, VPCEndpoint: e.url, WalkScoped: true})
	if err != nil {
		t.Fatal(err)
	}
	c.CoalesceWindow = 2 * 1e6 // 2 ms: reads made one after another do not share a batch
	return c
}

// calls returns the requests of action sent since the last reset, and resets.
func (e *emulatorCalls) take(action string) []url.Values {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []url.Values
	for _, q := range e.sent {
		if q.Get("Action") == action {
			out = append(out, q)
		}
	}
	e.sent = nil
	return out
}

func createENIs(t *testing.T, c *Client, vswitch string, n int) []string {
	t.Helper()
	sg := "sg-mockweb"
	if vswitch == "vsw-big" {
		sg = "sg-big"
	}
	ids := make([]string, n)
	for i := range ids {
		req := ecs.CreateCreateNetworkInterfaceRequest()
		req.VSwitchId, req.SecurityGroupId = vswitch, sg
		resp, err := c.CreateNetworkInterface(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		ids[i] = resp.NetworkInterfaceId
	}
	return ids
}

// A read that the walk has answered already costs no call, until a
// mutating call of ours names the object: the next read asks again and
// sees the change.
func TestSeen_servedUntilOurOwnWrite(t *testing.T) {
	e := newEmulatorCalls(t, mockcloud.DefaultSeed())
	ctx := context.Background()
	id := createENIs(t, e.client(t), "vsw-mockh", 1)[0]
	c := e.client(t)
	e.take("")

	for range 3 {
		if _, err := c.FindNetworkInterfaceByID(ctx, id); err != nil {
			t.Fatal(err)
		}
	}
	if got := len(e.take("DescribeNetworkInterfaces")); got != 1 {
		t.Fatalf("three reads of one ENI made %d calls, want 1", got)
	}

	req := ecs.CreateModifyNetworkInterfaceAttributeRequest()
	req.NetworkInterfaceId, req.Description = id, "changed"
	if _, err := c.ModifyNetworkInterfaceAttribute(ctx, req); err != nil {
		t.Fatal(err)
	}
	eni, err := c.FindNetworkInterfaceByID(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if eni.Description != "changed" {
		t.Fatalf("read after our write saw description %q", eni.Description)
	}
	if got := len(e.take("DescribeNetworkInterfaces")); got != 1 {
		t.Fatalf("the read after the write made %d calls, want 1", got)
	}
	// Served again now: it was read after the write ended.
	if _, err := c.FindNetworkInterfaceByID(ctx, id); err != nil {
		t.Fatal(err)
	}
	if got := len(e.take("DescribeNetworkInterfaces")); got != 0 {
		t.Fatalf("a read after the fresh one made %d calls, want 0", got)
	}
}

// An attach changes the instance's ENIs: FindInstanceByID reads again and
// sees the new ENI, while FindInstanceStatus, which only needs status, type
// and tags, may keep its answer.
func TestSeen_attachChangesTheInstancesBindingsOnly(t *testing.T) {
	e := newEmulatorCalls(t, mockcloud.DefaultSeed())
	ctx := context.Background()
	id := createENIs(t, e.client(t), "vsw-mockh", 1)[0]
	c := e.client(t)
	const instance = "i-mockweb1"
	if _, err := c.FindInstanceByID(ctx, instance); err != nil {
		t.Fatal(err)
	}
	e.take("")

	req := ecs.CreateAttachNetworkInterfaceRequest()
	req.NetworkInterfaceId, req.InstanceId = id, instance
	if _, err := c.AttachNetworkInterface(ctx, req); err != nil {
		t.Fatal(err)
	}
	if _, err := c.FindInstanceStatus(ctx, instance); err != nil {
		t.Fatal(err)
	}
	if got := len(e.take("DescribeInstances")); got != 0 {
		t.Fatalf("FindInstanceStatus after an attach made %d calls, want 0", got)
	}
	inst, err := c.FindInstanceByID(ctx, instance)
	if err != nil {
		t.Fatal(err)
	}
	if got := len(e.take("DescribeInstances")); got != 1 {
		t.Fatalf("FindInstanceByID after an attach made %d calls, want 1", got)
	}
	if ids := InstanceNetworkInterfaceIDs(inst); !strings.Contains(strings.Join(ids, ","), id) {
		t.Fatalf("the instance read after the attach lists ENIs %v, without %s", ids, id)
	}
}

// bigVPCSeed adds a VPC whose vSwitch holds the primary ENIs of n
// instances the configuration does not manage.
func bigVPCSeed(n int) *mockcloud.Seed {
	s := mockcloud.DefaultSeed()
	s.VPCs = append(s.VPCs, mockcloud.SeedVPC{VPCID: "vpc-big", CIDRBlock: "172.16.0.0/12"})
	s.VSwitches = append(s.VSwitches, mockcloud.SeedVSwitch{VSwitchID: "vsw-big", VPCID: "vpc-big", ZoneID: "cn-hangzhou-h", CIDRBlock: "172.16.0.0/16"})
	s.SecurityGroups = append(s.SecurityGroups, mockcloud.SeedSecurityGroup{SecurityGroupID: "sg-big", VPCID: "vpc-big"})
	for i := range n {
		s.Instances = append(s.Instances, mockcloud.SeedInstance{InstanceID: fmt.Sprintf("i-big%05d", i),
			InstanceType: "ecs.g7.large", VSwitchID: "vsw-big", SecurityGroupIDs: []string{"sg-big"}, Status: "Running"})
	}
	return s
}

func listings(calls []url.Values) (n int) {
	for _, q := range calls {
		if q.Get("VpcId") != "" {
			n++
		}
	}
	return n
}

// The worst case of the prefetch: 3 ENIs in a VPC of 5,000 others. Read
// one after another (the fewest a batch can share), they make no more
// calls than one each, and the VPC is never listed.
func TestPrefetch_fewENIsInABigVPCNeverList(t *testing.T) {
	e := newEmulatorCalls(t, bigVPCSeed(5000))
	ids := createENIs(t, e.client(t), "vsw-big", 3)
	for _, ids := range [][]string{ids, append(append(ids, ids...), ids...)} {
		c := e.client(t)
		e.take("")
		for _, id := range ids {
			if _, err := c.FindNetworkInterfaceByID(context.Background(), id); err != nil {
				t.Fatal(err)
			}
		}
		calls := e.take("DescribeNetworkInterfaces")
		if len(calls) > 3 || listings(calls) > 0 {
			t.Fatalf("%d reads of 3 ENIs made %d calls, %d of them listings; want at most 3 and no listing", len(ids), len(calls), listings(calls))
		}
	}
}

// Many ENIs of one VPC read one by one: after listEvery of them, a miss
// lists the VPC, and the reads after it are served from the listing.
func TestPrefetch_manyENIsListTheirVPC(t *testing.T) {
	e := newEmulatorCalls(t, bigVPCSeed(20))
	ids := createENIs(t, e.client(t), "vsw-big", 60)
	c := e.client(t)
	e.take("")
	for _, id := range ids {
		eni, err := c.FindNetworkInterfaceByID(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if eni.NetworkInterfaceId != id {
			t.Fatalf("asked for %s, got %s", id, eni.NetworkInterfaceId)
		}
	}
	calls := e.take("DescribeNetworkInterfaces")
	// listEvery reads one by one, then one page of 80 ENIs serves the rest.
	if len(calls) != listEvery+1 || listings(calls) != 1 {
		t.Fatalf("60 reads made %d calls (%d listings), want %d (1 listing)", len(calls), listings(calls), listEvery+1)
	}
}

// Attachments and their checks read the instances of the ENIs a walk
// read: the first instance read names them all, and the reads of the
// others are served from its answer.
func TestCompanions_instanceReadNamesTheInstancesOfTheENIsRead(t *testing.T) {
	e := newEmulatorCalls(t, bigVPCSeed(10))
	setup := e.client(t)
	ids := createENIs(t, setup, "vsw-big", 10)
	for i, id := range ids {
		req := ecs.CreateAttachNetworkInterfaceRequest()
		req.NetworkInterfaceId, req.InstanceId = id, fmt.Sprintf("i-big%05d", i)
		if _, err := setup.AttachNetworkInterface(context.Background(), req); err != nil {
			t.Fatal(err)
		}
	}
	c := e.client(t)
	for _, id := range ids {
		if _, err := c.FindNetworkInterfaceByID(context.Background(), id); err != nil {
			t.Fatal(err)
		}
	}
	e.take("")
	for i := range ids {
		inst, err := c.FindInstanceByID(context.Background(), fmt.Sprintf("i-big%05d", i))
		if err != nil {
			t.Fatal(err)
		}
		if got := InstanceNetworkInterfaceIDs(inst); !strings.Contains(strings.Join(got, ","), ids[i]) {
			t.Fatalf("instance %d lists ENIs %v, without %s", i, got, ids[i])
		}
	}
	if calls := e.take("DescribeInstances"); len(calls) != 1 {
		t.Fatalf("reading the 10 instances of 10 ENIs read made %d calls, want 1", len(calls))
	}
}

// Instances are listed sooner than ENIs: after instancesListEvery of a
// VPC's instances were read one by one, one page serves the rest.
func TestPrefetch_instancesListTheirVPC(t *testing.T) {
	e := newEmulatorCalls(t, bigVPCSeed(30))
	c := e.client(t)
	for i := range 30 {
		id := fmt.Sprintf("i-big%05d", i)
		inst, err := c.FindInstanceByID(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if inst.InstanceId != id {
			t.Fatalf("asked for %s, got %s", id, inst.InstanceId)
		}
	}
	calls := e.take("DescribeInstances")
	if len(calls) != instancesListEvery+1 || listings(calls) != 1 {
		t.Fatalf("30 reads made %d calls (%d listings), want %d (1 listing)", len(calls), listings(calls), instancesListEvery+1)
	}
}

// A client that is not scoped to one walk (the one acceptance tests check
// the cloud with) remembers nothing: every read asks.
func TestSeen_aClientOutsideAWalkReadsAfresh(t *testing.T) {
	e := newEmulatorCalls(t, mockcloud.DefaultSeed())
	id := createENIs(t, e.client(t), "vsw-mockh", 1)[0]
	c, err := New(Config{Region: e.seed.RegionID, AccessKey: e.seed.Credentials[0].AccessKeyID,
		SecretKey: e.seed.Credentials[0].AccessKeySecret, ECSEndpoint: e.url, VPCEndpoint: e.url})
	if err != nil {
		t.Fatal(err)
	}
	e.take("")
	for range 3 {
		if _, err := c.FindNetworkInterfaceByID(context.Background(), id); err != nil {
			t.Fatal(err)
		}
	}
	if got := len(e.take("DescribeNetworkInterfaces")); got != 3 {
		t.Fatalf("three reads made %d calls, want 3", got)
	}
}

// A change that goes on after its answer (unassociating an EIP) makes
// what is read meanwhile out of date: a read of the ENI while the EIP is
// still unassociating is not served once the wait has seen it leave.
func TestSeen_readDuringATransitionIsNotServedAfterIt(t *testing.T) {
	seed := mockcloud.DefaultSeed()
	srv, err := mockcloud.New(mockcloud.Options{Seed: seed, TransitionDelay: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	c, err := New(Config{Region: seed.RegionID, AccessKey: seed.Credentials[0].AccessKeyID,
		SecretKey: seed.Credentials[0].AccessKeySecret, ECSEndpoint: ts.URL, VPCEndpoint: ts.URL, WalkScoped: true})
	if err != nil {
		t.Fatal(err)
	}
	c.CoalesceWindow = time.Millisecond
	ctx := context.Background()
	id := createENIs(t, c, "vsw-mockh", 1)[0]
	if _, err := c.WaitNetworkInterfaceAvailable(ctx, id, time.Minute); err != nil {
		t.Fatal(err)
	}
	eip := seed.EIPs[0].AllocationID
	assoc := vpc.CreateAssociateEipAddressRequest()
	assoc.AllocationId, assoc.InstanceId, assoc.InstanceType = eip, id, "NetworkInterface"
	if _, err := c.AssociateEipAddress(ctx, assoc); err != nil {
		t.Fatal(err)
	}
	if _, err := c.WaitEIPStatus(ctx, eip, "InUse", time.Minute); err != nil {
		t.Fatal(err)
	}

	unassoc := vpc.CreateUnassociateEipAddressRequest()
	unassoc.AllocationId, unassoc.InstanceId, unassoc.InstanceType = eip, id, "NetworkInterface"
	if _, err := c.UnassociateEipAddress(ctx, unassoc); err != nil {
		t.Fatal(err)
	}
	during, err := c.FindNetworkInterfaceByID(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.WaitEIPLeft(ctx, eip, id, time.Minute); err != nil {
		t.Fatal(err)
	}
	after, err := c.FindNetworkInterfaceByID(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if got := after.AssociatedPublicIp.AllocationId; got != "" {
		t.Fatalf("after the EIP left: ENI still shows EIP %s (the read while it was leaving showed %q)",
			got, during.AssociatedPublicIp.AllocationId)
	}
}
