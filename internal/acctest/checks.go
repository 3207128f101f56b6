package acctest

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/openeni/terraform-provider-eni/internal/domain"
	"github.com/openeni/terraform-provider-eni/internal/mockcloud"
)

// NewEmulatorBackend is NewBackend for tests that name objects of the
// emulator's seed topology: against the real cloud they are skipped.
func NewEmulatorBackend(t *testing.T, seed *mockcloud.Seed) *Backend {
	t.Helper()
	b := NewBackend(t, seed)
	if b.Mock == nil {
		t.Skip("needs the emulator's seed topology")
	}
	return b
}

// CheckActions compares the emulator's per-action call counts.
func (b *Backend) CheckActions(want map[string]int64) resource.TestCheckFunc {
	return func(*terraform.State) error {
		got := b.Mock.Stats().Actions
		var diffs []string
		for action, n := range want {
			if got[action] != n {
				diffs = append(diffs, fmt.Sprintf("%s: %d calls, want %d", action, got[action], n))
			}
		}
		if len(diffs) > 0 {
			slices.Sort(diffs)
			return fmt.Errorf("emulator counts: %s", strings.Join(diffs, "; "))
		}
		return nil
	}
}

// ExpectNoMutatingCalls fails the test, when it ends, if the backend
// counted any mutating API call from now on: what plan-time validation must
// never make. It is a cleanup rather than a CheckDestroy because a test
// whose steps all fail at plan leaves no state, and the testing framework
// skips CheckDestroy then. The real cloud counts nothing (-1 throughout).
func (b *Backend) ExpectNoMutatingCalls(t *testing.T) {
	t.Helper()
	before := b.MutatingCalls()
	t.Cleanup(func() {
		n := b.MutatingCalls() - before
		switch {
		case n == 0:
		case b.Mock == nil:
			t.Errorf("plan-time validation made %d mutating API calls", n)
		default:
			t.Errorf("plan-time validation made %d mutating API calls: %v", n, b.Mock.Stats().Actions)
		}
	})
}

// Seeded is what destroy must bring the backend back to.
type Seeded struct {
	enis         int
	available    map[string]int64             // vSwitch → AvailableIpAddressCount
	instances    map[string]string            // instance → status
	instanceTags map[string]map[string]string // instance → tags
	primaryIPs   map[string][]string          // instance → private IPs of its primary ENI, sorted
}

// SnapshotSeeded records the backend as the test starts.
func (b *Backend) SnapshotSeeded(t *testing.T) *Seeded {
	t.Helper()
	s, err := b.readSeeded()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func (b *Backend) readSeeded() (*Seeded, error) {
	ctx := context.Background()
	enis, err := b.Client.FindNetworkInterfaces(ctx, nil)
	if err != nil {
		return nil, err
	}
	req := vpc.CreateDescribeVSwitchesRequest()
	req.PageSize = "50"
	resp, err := b.Client.DescribeVSwitches(ctx, req)
	if err != nil {
		return nil, err
	}
	instances, tags, err := b.instances(ctx)
	if err != nil {
		return nil, err
	}
	s := &Seeded{enis: len(enis), available: map[string]int64{}, instances: instances, instanceTags: tags,
		primaryIPs: map[string][]string{}}
	for _, v := range resp.VSwitches.VSwitch {
		s.available[v.VSwitchId] = v.AvailableIpAddressCount
	}
	for _, e := range enis {
		if e.Type == domain.ENITypePrimary {
			s.primaryIPs[e.InstanceId] = privateIPs(e, true)
		}
	}
	return s, nil
}

// CheckSeeded checks that the backend is back where the test started: as
// many ENIs (the instances' primaries), every EIP Available, every vSwitch
// with as many free addresses, every instance in the status it had (a
// Running instance stopped for an attach is Running again) and with the
// tags it had (no stop marker left), and no private IP added to or taken
// from an instance's primary ENI.
func (b *Backend) CheckSeeded(want *Seeded) resource.TestCheckFunc {
	return func(*terraform.State) error {
		got, err := b.readSeeded()
		if err != nil {
			return err
		}
		var problems []string
		if got.enis != want.enis {
			problems = append(problems, fmt.Sprintf("%d network interfaces left, want %d", got.enis, want.enis))
		}
		for _, id := range slices.Sorted(maps.Keys(want.available)) {
			if n := want.available[id]; got.available[id] != n {
				problems = append(problems, fmt.Sprintf("vSwitch %s has %d free addresses, want %d", id, got.available[id], n))
			}
		}
		for _, id := range slices.Sorted(maps.Keys(want.instances)) {
			if status := want.instances[id]; got.instances[id] != status {
				problems = append(problems, fmt.Sprintf("instance %s is %s, want %s", id, got.instances[id], status))
			}
		}
		for _, id := range slices.Sorted(maps.Keys(want.instanceTags)) {
			if tags := want.instanceTags[id]; !maps.Equal(got.instanceTags[id], tags) {
				problems = append(problems, fmt.Sprintf("instance %s has tags %v, want %v", id, got.instanceTags[id], tags))
			}
		}
		for _, id := range slices.Sorted(maps.Keys(want.primaryIPs)) {
			if ips := want.primaryIPs[id]; !slices.Equal(got.primaryIPs[id], ips) {
				problems = append(problems, fmt.Sprintf("the primary ENI of %s has private IPs %v, want %v", id, got.primaryIPs[id], ips))
			}
		}
		eips, err := b.eips(context.Background())
		if err != nil {
			return err
		}
		for _, e := range eips {
			if e.Status != domain.EIPStatusAvailable {
				problems = append(problems, fmt.Sprintf("EIP %s is %s on %s, want Available", e.AllocationId, e.Status, e.InstanceId))
			}
		}
		if len(problems) > 0 {
			return errors.New(strings.Join(problems, "; "))
		}
		return nil
	}
}

// instances maps every instance of the region to its status and to its
// tags.
func (b *Backend) instances(ctx context.Context) (statuses map[string]string, tags map[string]map[string]string, err error) {
	statuses, tags = map[string]string{}, map[string]map[string]string{}
	req := ecs.CreateDescribeInstancesRequest()
	req.MaxResults = requests.NewInteger(100)
	for {
		resp, err := b.Client.DescribeInstances(ctx, req)
		if err != nil {
			return nil, nil, err
		}
		for _, in := range resp.Instances.Instance {
			statuses[in.InstanceId] = in.Status
			tags[in.InstanceId] = map[string]string{}
			for _, t := range in.Tags.Tag {
				tags[in.InstanceId][t.TagKey] = t.TagValue
			}
		}
		if resp.NextToken == "" || resp.NextToken == req.NextToken {
			return statuses, tags, nil
		}
		req.NextToken = resp.NextToken
	}
}

// eips lists every EIP of the region.
func (b *Backend) eips(ctx context.Context) ([]vpc.EipAddress, error) {
	var out []vpc.EipAddress
	for page := 1; ; page++ {
		req := vpc.CreateDescribeEipAddressesRequest()
		req.PageSize = "100"
		req.PageNumber = requests.NewInteger(page)
		resp, err := b.Client.DescribeEipAddresses(ctx, req)
		if err != nil {
			return nil, err
		}
		out = append(out, resp.EipAddresses.EipAddress...)
		if len(resp.EipAddresses.EipAddress) == 0 || len(out) >= resp.TotalCount {
			return out, nil
		}
	}
}

// privateIPs lists the private IPs of an ENI, sorted: all of them, or
// only the secondary ones.
func privateIPs(e ecs.NetworkInterfaceSet, withPrimary bool) []string {
	var out []string
	for _, ip := range e.PrivateIpSets.PrivateIpSet {
		if withPrimary || !ip.Primary {
			out = append(out, ip.PrivateIpAddress)
		}
	}
	slices.Sort(out)
	return out
}

// Census is what the backend holds beyond its fixed topology: the
// secondary ENIs with their secondary private IPs and bindings, the EIPs
// that are not Available, the status of every instance and the secondary
// private IPs of the instances' primary ENIs. Tests compare it with their
// configuration to find leaks and duplicates.
type Census struct {
	ENIs         []CensusENI                  // secondary ENIs, in API order
	EIPs         []CensusEIP                  // EIPs bound or in transition
	Instances    map[string]string            // instance → status
	InstanceTags map[string]map[string]string // instance → tags
	PrimaryIPs   map[string][]string          // instance → secondary private IPs of its primary ENI
	PrimaryENI   map[string]string            // instance → ID of its primary ENI
}

// CensusENI is a secondary ENI.
type CensusENI struct {
	ID, Status, InstanceID string
	SecondaryIPs           []string // sorted
	Tags                   map[string]string
}

// CensusEIP is an EIP that is not Available.
type CensusEIP struct {
	AllocationID, Status, InstanceType, InstanceID, PrivateIP string
}

// TakeCensus reads the backend.
func (b *Backend) TakeCensus() (*Census, error) {
	ctx := context.Background()
	enis, err := b.Client.FindNetworkInterfaces(ctx, nil)
	if err != nil {
		return nil, err
	}
	c := &Census{PrimaryIPs: map[string][]string{}, PrimaryENI: map[string]string{}}
	for _, e := range enis {
		if e.Type == domain.ENITypePrimary {
			c.PrimaryENI[e.InstanceId] = e.NetworkInterfaceId
			if ips := privateIPs(e, false); len(ips) > 0 {
				c.PrimaryIPs[e.InstanceId] = ips
			}
			continue
		}
		tags := map[string]string{}
		for _, tag := range e.Tags.Tag {
			tags[tag.TagKey] = tag.TagValue
		}
		c.ENIs = append(c.ENIs, CensusENI{ID: e.NetworkInterfaceId, Status: e.Status, InstanceID: e.InstanceId,
			SecondaryIPs: privateIPs(e, false), Tags: tags})
	}
	eips, err := b.eips(ctx)
	if err != nil {
		return nil, err
	}
	for _, e := range eips {
		if e.Status != domain.EIPStatusAvailable {
			c.EIPs = append(c.EIPs, CensusEIP{AllocationID: e.AllocationId, Status: e.Status,
				InstanceType: e.InstanceType, InstanceID: e.InstanceId, PrivateIP: e.PrivateIpAddress})
		}
	}
	if c.Instances, c.InstanceTags, err = b.instances(ctx); err != nil {
		return nil, err
	}
	return c, nil
}

// ENIIDs lists the IDs of the secondary ENIs.
func (c *Census) ENIIDs() []string {
	out := make([]string, 0, len(c.ENIs))
	for _, e := range c.ENIs {
		out = append(out, e.ID)
	}
	return out
}

// SecondaryIPs is the number of secondary private IPs on secondary ENIs.
func (c *Census) SecondaryIPs() int {
	n := 0
	for _, e := range c.ENIs {
		n += len(e.SecondaryIPs)
	}
	return n
}

// BoundTo lists the secondary ENIs bound to an instance (in any status).
func (c *Census) BoundTo(instanceID string) []string {
	var out []string
	for _, e := range c.ENIs {
		if e.InstanceID == instanceID {
			out = append(out, e.ID)
		}
	}
	return out
}

// String summarises the census for failure messages.
func (c *Census) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d secondary ENIs", len(c.ENIs))
	for _, e := range c.ENIs {
		fmt.Fprintf(&b, "\n  %s %s", e.ID, e.Status)
		if e.InstanceID != "" {
			fmt.Fprintf(&b, " on %s", e.InstanceID)
		}
		if len(e.SecondaryIPs) > 0 {
			fmt.Fprintf(&b, " secondary IPs %v", e.SecondaryIPs)
		}
	}
	for _, e := range c.EIPs {
		fmt.Fprintf(&b, "\n  EIP %s %s on %s %s (%s)", e.AllocationID, e.Status, e.InstanceType, e.InstanceID, e.PrivateIP)
	}
	for _, id := range slices.Sorted(maps.Keys(c.PrimaryIPs)) {
		fmt.Fprintf(&b, "\n  primary ENI of %s: secondary IPs %v", id, c.PrimaryIPs[id])
	}
	for _, id := range slices.Sorted(maps.Keys(c.Instances)) {
		fmt.Fprintf(&b, "\n  instance %s %s", id, c.Instances[id])
		if len(c.InstanceTags[id]) > 0 {
			fmt.Fprintf(&b, " tags %v", c.InstanceTags[id])
		}
	}
	return b.String()
}

// CallsMark remembers the backend's mutating-call count at a point of a
// test, so that a later step can check that the refused plans between
// made no mutating call.
type CallsMark struct {
	b  *Backend
	t  *testing.T
	at int64
}

// MarkCalls returns a mark to Record (or use as a step's Check) and then
// to ExpectNone (a later step's PreConfig).
func (b *Backend) MarkCalls(t *testing.T) *CallsMark { return &CallsMark{b: b, t: t} }

// Record sets the mark at the current count.
func (m *CallsMark) Record() { m.at = m.b.MutatingCalls() }

// Check is Record as a step's check.
func (m *CallsMark) Check(*terraform.State) error {
	m.Record()
	return nil
}

// ExpectNone fails the test if a mutating call was made since the mark.
func (m *CallsMark) ExpectNone() {
	if n := m.b.MutatingCalls(); n != m.at {
		m.t.Errorf("the refused plan made %d mutating calls", n-m.at)
	}
}
