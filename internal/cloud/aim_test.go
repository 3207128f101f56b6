package cloud

import (
	"context"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"

	"github.com/openeni/terraform-provider-eni/internal/mockcloud"
)

func TestAimAt_roundsUpToTheTick(t *testing.T) {
	base := time.Date(2026, 12, 1, 6, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name      string
		due, want time.Duration // after base
		took      time.Duration
	}{
		{"on a tick", 330 * time.Millisecond, 330 * time.Millisecond, 300 * time.Millisecond},
		{"just after a tick", 301 * time.Millisecond, 330 * time.Millisecond, 300 * time.Millisecond},
		{"long transitions on the longest tick", 1010 * time.Millisecond, 1040 * time.Millisecond, 2 * time.Second},
		{"changes that show at once read on the shortest tick", 10 * time.Millisecond, minAimTick, 0},
		{"nearly at once too", 10 * time.Millisecond, minAimTick, minAimTick - time.Millisecond},
		{"short transitions on their own tick", 210 * time.Millisecond, 220 * time.Millisecond, 200 * time.Millisecond},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := aimAt(base.Add(tc.due), tc.took).Sub(base); got != tc.want {
				t.Errorf("aimAt(+%v, took %v) = +%v, want +%v", tc.due, tc.took, got, tc.want)
			}
		})
	}
}

func TestTransitions_expectTheShortestOfTheLast(t *testing.T) {
	var tr transitions
	if _, ok := tr.expect("DeleteNetworkInterface"); ok {
		t.Fatal("expected a duration before any was learned")
	}
	tr.learn("DeleteNetworkInterface", 3*time.Second)
	tr.learn("DeleteNetworkInterface", time.Second)
	tr.learn("DeleteNetworkInterface", 2*time.Second)
	tr.learn("DeleteNetworkInterface", -time.Second) // a clock step: ignored
	if got, _ := tr.expect("DeleteNetworkInterface"); got != time.Second {
		t.Errorf("expect = %v, want the shortest learned, 1s", got)
	}
	if _, ok := tr.expect("AttachNetworkInterface"); ok {
		t.Error("another action's duration was expected")
	}
	for range transitionMemory {
		tr.learn("DeleteNetworkInterface", 5*time.Second)
	}
	if got, _ := tr.expect("DeleteNetworkInterface"); got != 5*time.Second {
		t.Errorf("after %d slower changes expect = %v, want 5s: old durations are forgotten", transitionMemory, got)
	}
}

// Before the aim, only what a wake brings is judged: no read of the
// wait's own, a pending answer keeps the wait going, a done one ends it.
func TestWaitForState_aimJudgesOnlyWhatWakeBrings(t *testing.T) {
	wake := make(chan struct{}, 1)
	statuses := []string{"Pending", "Done"}
	reads := 0
	refresh := func(context.Context) (*string, string, error) {
		if reads >= len(statuses) {
			t.Fatal("a read of the wait's own before its aim")
		}
		st := statuses[reads]
		reads++
		if reads == 1 {
			wake <- struct{}{} // the next poll of another wait
		}
		return &st, st, nil
	}
	wake <- struct{}{}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err := WaitForState(ctx, WaitOpts{Pending: []string{"Pending"}, Target: []string{"Done"},
		MinInterval: time.Millisecond, Wake: wake, Aim: time.Hour}, refresh)
	if err != nil || reads != 2 {
		t.Fatalf("err %v after %d reads; want the target from the second answer a wake brought", err, reads)
	}
}

// An aim that passes brings the wait's own read, then the usual polls.
func TestWaitForState_readsAtTheAim(t *testing.T) {
	var at []time.Duration
	start := time.Now()
	refresh := func(context.Context) (*string, string, error) {
		at = append(at, time.Since(start))
		st := "Pending"
		if len(at) == 3 {
			st = "Done"
		}
		return &st, st, nil
	}
	const aim = 30 * time.Millisecond
	_, err := WaitForState(context.Background(), WaitOpts{Pending: []string{"Pending"}, Target: []string{"Done"},
		MinInterval: time.Millisecond, Wake: make(chan struct{}), Aim: aim}, refresh)
	if err != nil || len(at) != 3 {
		t.Fatalf("err %v after %d reads, want the target on the third", err, len(at))
	}
	if at[0] < aim {
		t.Errorf("first read %v after the start, before the aim %v", at[0], aim)
	}
}

// A wait that follows one of our changes aims its first read at when that
// kind of change took to show before: with 400 ms transitions the first
// delete's wait polls from 150 ms on (150, 450 ms: two reads); the second
// delete's wait reads once, when it is done.
func TestAim_aWaitAfterALearnedChangeReadsOnce(t *testing.T) {
	e := newEmulatorCallsWith(t, mockcloud.Options{Seed: mockcloud.DefaultSeed(), TransitionDelay: 400 * time.Millisecond})
	c := e.client(t)
	ctx := context.Background()
	ids := createENIs(t, c, "vsw-mockh", 2)
	for _, id := range ids {
		if _, err := c.WaitNetworkInterfaceAvailable(ctx, id, time.Minute); err != nil {
			t.Fatal(err)
		}
	}
	reads := make([]int, len(ids))
	for i, id := range ids {
		e.take("")
		del := ecs.CreateDeleteNetworkInterfaceRequest()
		del.NetworkInterfaceId = id
		if _, err := c.DeleteNetworkInterface(ctx, del); err != nil {
			t.Fatal(err)
		}
		if err := c.WaitNetworkInterfaceDeleted(ctx, id, time.Minute); err != nil {
			t.Fatal(err)
		}
		reads[i] = len(e.take("DescribeNetworkInterfaces"))
	}
	t.Logf("reads of the first delete's wait: %d, of the second's: %d", reads[0], reads[1])
	if reads[0] < 2 {
		t.Errorf("the first wait read %d times; with nothing learned it polls from 150 ms on, so at least twice", reads[0])
	}
	if reads[1] != 1 {
		t.Errorf("the second wait read %d times, want 1: aimed at when the first delete showed", reads[1])
	}
}
