package cloud

import (
	"context"
	"errors"
	"runtime"
	"slices"
	"sync"
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

// Concurrent getMany callers that want the same keys share one batch: ten
// ENI plans looking up one security group make one call, not ten. A key
// the batch does not find is absent for every caller and not remembered;
// a caller that gives up does not fail the others.
func TestMemoGetMany_concurrentCallersShareOneBatch(t *testing.T) {
	var m memo[string]
	var mu sync.Mutex
	var batches [][]string
	release := make(chan struct{})
	load := func(_ context.Context, missing []string) (map[string]string, error) {
		mu.Lock()
		batches = append(batches, append([]string(nil), missing...))
		mu.Unlock()
		if slices.Contains(missing, "sg-err") {
			return nil, errors.New("the API failed")
		}
		<-release
		out := map[string]string{}
		for _, k := range missing {
			if k != "sg-gone" {
				out[k] = "vpc-of-" + k
			}
		}
		return out, nil
	}

	quitter, quit := context.WithCancel(context.Background())
	quitErr := make(chan error, 1)
	go func() {
		_, err := m.getMany(quitter, []string{"sg-1", "sg-gone"}, load)
		quitErr <- err
	}()
	// Wait until the first batch is in flight, then let nine more callers
	// ask for the same keys and one more.
	for {
		mu.Lock()
		n := len(batches)
		mu.Unlock()
		if n == 1 {
			break
		}
		runtime.Gosched()
	}
	var wg sync.WaitGroup
	results := make([]map[string]string, 9)
	errs := make([]error, 9)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i], errs[i] = m.getMany(context.Background(), []string{"sg-1", "sg-gone"}, load)
		}()
	}
	// Every caller is waiting on the batch before it is answered.
	for {
		m.mu.Lock()
		n := m.entries["sg-gone"].waiters
		m.mu.Unlock()
		if n == 10 {
			break
		}
		runtime.Gosched()
	}
	quit()
	if err := <-quitErr; !errors.Is(err, context.Canceled) {
		t.Fatalf("the caller that gave up got %v", err)
	}
	close(release)
	wg.Wait()
	for i := range results {
		if errs[i] != nil || results[i]["sg-1"] != "vpc-of-sg-1" || len(results[i]) != 1 {
			t.Fatalf("caller %d: %v %v", i, results[i], errs[i])
		}
	}
	if len(batches) != 1 {
		t.Fatalf("%d batches for ten callers of the same keys: %v", len(batches), batches)
	}
	// The found key is remembered, the absent one asked again.
	got, err := m.getMany(context.Background(), []string{"sg-1", "sg-gone"}, load)
	if err != nil || len(got) != 1 || len(batches) != 2 || len(batches[1]) != 1 || batches[1][0] != "sg-gone" {
		t.Fatalf("after the batch: %v %v, batches %v", got, err, batches)
	}
	// A failed batch fails its callers and is not remembered.
	for range 2 {
		if _, err := m.getMany(context.Background(), []string{"sg-1", "sg-err"}, load); err == nil {
			t.Fatal("a failed batch was answered as a success")
		}
	}
	if len(batches) != 4 {
		t.Fatalf("a failed key was remembered: batches %v", batches)
	}
}
