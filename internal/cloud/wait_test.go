package cloud

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

// polled is the object sequence reports.
type polled struct{ Status string }

// sequence is a RefreshFunc that reports the given statuses in turn (the
// last one repeats); "-" means not found.
func sequence(statuses ...string) (RefreshFunc[polled], *int) {
	polls := 0
	return func(context.Context) (*polled, string, error) {
		s := statuses[min(polls, len(statuses)-1)]
		polls++
		if s == "-" {
			return nil, "", nil
		}
		return &polled{s}, s, nil
	}, &polls
}

func fastOpts(o WaitOpts) WaitOpts {
	o.Kind, o.ID = "network interface", "eni-1"
	o.MinInterval, o.MaxInterval = time.Millisecond, 2*time.Millisecond
	return o
}

func TestWaitForState_reachesTargetAfterPolls(t *testing.T) {
	refresh, polls := sequence("Attaching", "Attaching", "Attaching", "InUse")
	obj, err := WaitForState(context.Background(), fastOpts(WaitOpts{
		Pending: []string{"Attaching"}, Target: []string{"InUse"}, Timeout: time.Minute,
	}), refresh)
	if err != nil {
		t.Fatal(err)
	}
	if *polls != 4 {
		t.Errorf("polls = %d, want 4", *polls)
	}
	if obj.Status != "InUse" {
		t.Errorf("returned object %+v is not the last one read", obj)
	}
}

func TestWaitForState_timesOutWithClearError(t *testing.T) {
	refresh, _ := sequence("Attaching")
	start := time.Now()
	_, err := WaitForState(context.Background(), fastOpts(WaitOpts{
		Pending: []string{"Attaching"}, Target: []string{"InUse"}, Timeout: 50 * time.Millisecond,
	}), refresh)

	var te *WaitTimeoutError
	if !errors.As(err, &te) {
		t.Fatalf("error = %v, want *WaitTimeoutError", err)
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Error("timeout should satisfy errors.Is(err, context.DeadlineExceeded)")
	}
	for _, want := range []string{"network interface (eni-1)", `"InUse"`, `last state: "Attaching"`, "50ms"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	if elapsed := time.Since(start); elapsed > 5*time.Second {
		t.Errorf("took %s", elapsed)
	}
}

func TestWaitForState_parentContextDeadlineIsATimeoutToo(t *testing.T) {
	refresh, _ := sequence("Pending")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	_, err := WaitForState(ctx, fastOpts(WaitOpts{Pending: []string{"Pending"}, Target: []string{"Running"}}), refresh)
	var te *WaitTimeoutError
	if !errors.As(err, &te) {
		t.Fatalf("error = %v, want *WaitTimeoutError", err)
	}
}

func TestWaitForState_cancelled(t *testing.T) {
	refresh, _ := sequence("Pending")
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(20*time.Millisecond, cancel)
	_, err := WaitForState(ctx, fastOpts(WaitOpts{Pending: []string{"Pending"}, Target: []string{"Running"}}), refresh)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error = %v, want context.Canceled", err)
	}
}

func TestWaitForState_unexpectedStatus(t *testing.T) {
	refresh, polls := sequence("Creating", "CreateFailed", "Available")
	_, err := WaitForState(context.Background(), fastOpts(WaitOpts{
		Pending: []string{"Creating"}, Target: []string{"Available"}, Timeout: time.Minute,
	}), refresh)
	var ue *UnexpectedStateError
	if !errors.As(err, &ue) || ue.State != "CreateFailed" {
		t.Fatalf("error = %v, want *UnexpectedStateError for CreateFailed", err)
	}
	if !strings.Contains(err.Error(), `unexpected state "CreateFailed"`) {
		t.Errorf("error %q should name the status", err)
	}
	if *polls != 2 {
		t.Errorf("polls = %d, want 2", *polls)
	}
}

func TestWaitForState_notFound(t *testing.T) {
	t.Run("tolerated up to NotFoundChecks", func(t *testing.T) {
		refresh, polls := sequence("-", "-", "Available")
		if _, err := WaitForState(context.Background(), fastOpts(WaitOpts{
			Target: []string{"Available"}, NotFoundChecks: 2, Timeout: time.Minute,
		}), refresh); err != nil {
			t.Fatal(err)
		}
		if *polls != 3 {
			t.Errorf("polls = %d, want 3", *polls)
		}
	})
	t.Run("beyond NotFoundChecks", func(t *testing.T) {
		refresh, polls := sequence("-")
		_, err := WaitForState(context.Background(), fastOpts(WaitOpts{
			Target: []string{"Available"}, NotFoundChecks: 2, Timeout: time.Minute,
		}), refresh)
		if !IsNotFound(err) {
			t.Fatalf("error = %v, want not found", err)
		}
		if *polls != 3 {
			t.Errorf("polls = %d, want 3", *polls)
		}
	})
	t.Run("NotFoundError from refresh", func(t *testing.T) {
		refresh := func(context.Context) (*polled, string, error) {
			return nil, "", &NotFoundError{Kind: KindNetworkInterface, ID: "eni-1"}
		}
		_, err := WaitForState(context.Background(), fastOpts(WaitOpts{Target: []string{"Available"}}), refresh)
		if !IsNotFound(err) {
			t.Fatalf("error = %v, want not found", err)
		}
	})
	t.Run("no target means wait for deletion", func(t *testing.T) {
		refresh, polls := sequence("Deleting", "Deleting", "-")
		obj, err := WaitForState(context.Background(), fastOpts(WaitOpts{Pending: []string{"Deleting"}, Timeout: time.Minute}), refresh)
		if err != nil || obj != nil {
			t.Fatalf("got %v, %v", obj, err)
		}
		if *polls != 3 {
			t.Errorf("polls = %d, want 3", *polls)
		}
	})
}

func TestWaitForState_staleStatuses(t *testing.T) {
	opts := fastOpts(WaitOpts{
		Pending: []string{"Attaching"}, Target: []string{"InUse"},
		Stale: []string{"Available"}, StaleChecks: 3, Timeout: time.Minute,
	})
	t.Run("stale right after the call", func(t *testing.T) {
		refresh, _ := sequence("Available", "Available", "Attaching", "InUse")
		if _, err := WaitForState(context.Background(), opts, refresh); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("stale for too long", func(t *testing.T) {
		refresh, polls := sequence("Available")
		_, err := WaitForState(context.Background(), opts, refresh)
		var ue *UnexpectedStateError
		if !errors.As(err, &ue) || ue.State != "Available" {
			t.Fatalf("error = %v", err)
		}
		if *polls != 4 {
			t.Errorf("polls = %d, want 4 (3 tolerated)", *polls)
		}
	})
	t.Run("back to the old status after progress is a failure", func(t *testing.T) {
		refresh, _ := sequence("Attaching", "Available")
		_, err := WaitForState(context.Background(), opts, refresh)
		var ue *UnexpectedStateError
		if !errors.As(err, &ue) {
			t.Fatalf("error = %v, want *UnexpectedStateError", err)
		}
	})
}

func TestWaitForState_refreshErrorEndsWait(t *testing.T) {
	boom := errors.New("boom")
	_, err := WaitForState(context.Background(), fastOpts(WaitOpts{Target: []string{"x"}}),
		func(context.Context) (*polled, string, error) { return nil, "", boom })
	if !errors.Is(err, boom) || !strings.Contains(err.Error(), "waiting for network interface (eni-1)") {
		t.Fatalf("error = %v", err)
	}
}

func TestWaitForState_intervalGrowsAndIsCapped(t *testing.T) {
	var stamps []time.Time
	refresh := func(context.Context) (*polled, string, error) {
		stamps = append(stamps, time.Now())
		if len(stamps) == 6 {
			return &polled{"done"}, "done", nil
		}
		return &polled{"pending"}, "pending", nil
	}
	_, err := WaitForState(context.Background(), WaitOpts{
		Pending: []string{"pending"}, Target: []string{"done"},
		MinInterval: 10 * time.Millisecond, MaxInterval: 40 * time.Millisecond,
	}, refresh)
	if err != nil {
		t.Fatal(err)
	}
	// Pauses are 10, 20, 40, 40, 40 ms: at least 150 ms in total, and the
	// first pause is no shorter than MinInterval.
	if total := stamps[5].Sub(stamps[0]); total < 150*time.Millisecond {
		t.Errorf("total wait %s, want ≥ 150ms", total)
	}
	if first := stamps[1].Sub(stamps[0]); first < 10*time.Millisecond {
		t.Errorf("first pause %s, want ≥ 10ms", first)
	}
}
