package acctest

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

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
	enis      int
	available map[string]int64 // vSwitch → AvailableIpAddressCount
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
	s := &Seeded{enis: len(enis), available: map[string]int64{}}
	for _, v := range resp.VSwitches.VSwitch {
		s.available[v.VSwitchId] = v.AvailableIpAddressCount
	}
	return s, nil
}

// CheckSeeded checks that the backend is back where the test started: as
// many ENIs (the instances' primaries), every EIP Available, every vSwitch
// with as many free addresses.
func (b *Backend) CheckSeeded(want *Seeded) resource.TestCheckFunc {
	return func(*terraform.State) error {
		got, err := b.readSeeded()
		if err != nil {
			return err
		}
		if got.enis != want.enis {
			return fmt.Errorf("%d network interfaces left, want %d", got.enis, want.enis)
		}
		for id, n := range want.available {
			if got.available[id] != n {
				return fmt.Errorf("vSwitch %s has %d free addresses, want %d", id, got.available[id], n)
			}
		}
		req := vpc.CreateDescribeEipAddressesRequest()
		req.PageSize = "100"
		resp, err := b.Client.DescribeEipAddresses(context.Background(), req)
		if err != nil {
			return err
		}
		for _, e := range resp.EipAddresses.EipAddress {
			if e.Status != domain.EIPStatusAvailable {
				return fmt.Errorf("EIP %s is %s on %s, want Available", e.AllocationId, e.Status, e.InstanceId)
			}
		}
		return nil
	}
}
