package cloud

import (
	"context"
	"errors"
	"testing"
	"time"
)

// A caller that gives up while the shared load runs must not fail the
// others waiting for the same key: they get the value the load finds.
func TestMemoGet_cancelledCallerDoesNotFailTheOthers(t *testing.T) {
	var m memo[string]
	started, release := make(chan struct{}), make(chan struct{})
	load := func(ctx context.Context) (string, error) {
		close(started)
		select {
		case <-release:
			return "vsw-1", nil
		case <-ctx.Done():
			return "", ctx.Err()
		}
	}

	first, cancelFirst := context.WithCancel(context.Background())
	firstErr := make(chan error, 1)
	go func() {
		_, err := m.get(first, "k", load)
		firstErr <- err
	}()
	<-started

	type result struct {
		v   string
		err error
	}
	second := make(chan result, 1)
	go func() {
		v, err := m.get(context.Background(), "k", func(context.Context) (string, error) {
			t.Error("the second caller loaded again instead of sharing the load")
			return "", nil
		})
		second <- result{v, err}
	}()
	time.Sleep(20 * time.Millisecond) // the second caller is waiting

	cancelFirst()
	select {
	case err := <-firstErr:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("first caller: error = %v, want context.Canceled", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the cancelled caller did not stop waiting")
	}
	close(release)
	select {
	case r := <-second:
		if r.err != nil || r.v != "vsw-1" {
			t.Fatalf("second caller got %q, %v; want vsw-1 (the first caller's cancellation leaked into the shared load)", r.v, r.err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the second caller never got an answer")
	}
	if v, ok := m.peek("k"); !ok || v != "vsw-1" {
		t.Errorf("peek = %q, %v; the value should be remembered", v, ok)
	}
}

// When every caller has gone, the load is abandoned and not remembered:
// the next caller loads afresh.
func TestMemoGet_loadAbandonedWhenEveryCallerLeft(t *testing.T) {
	var m memo[string]
	stopped := make(chan struct{})
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		time.Sleep(10 * time.Millisecond)
		cancel()
	}()
	_, err := m.get(ctx, "k", func(ctx context.Context) (string, error) {
		<-ctx.Done()
		close(stopped)
		return "", ctx.Err()
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error = %v, want context.Canceled", err)
	}
	select {
	case <-stopped:
	case <-time.After(5 * time.Second):
		t.Fatal("the load went on after its only caller left")
	}
	v, err := m.get(context.Background(), "k", func(context.Context) (string, error) { return "fresh", nil })
	if err != nil || v != "fresh" {
		t.Fatalf("next caller got %q, %v; want a fresh load", v, err)
	}
}

// An error is handed to every waiter and not remembered.
func TestMemoGet_errorNotRemembered(t *testing.T) {
	var m memo[int]
	boom := errors.New("boom")
	if _, err := m.get(context.Background(), "k", func(context.Context) (int, error) { return 0, boom }); !errors.Is(err, boom) {
		t.Fatalf("error = %v, want boom", err)
	}
	v, err := m.get(context.Background(), "k", func(context.Context) (int, error) { return 7, nil })
	if err != nil || v != 7 {
		t.Fatalf("got %d, %v; want 7", v, err)
	}
}
