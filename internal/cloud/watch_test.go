package cloud

import (
	"context"
	"fmt"
	"net/url"
	"sync"
	"testing"
	"time"
)

// Waiters poll together: every call names every watched ENI, and each
// waiter takes what another's poll read as a poll of its own. The fake
// reports an ENI Available once it has been asked about seenToBeReady
// times, so a waiter whose ENI is named by the others' polls is done in
// about as many calls as one waiter alone needs, whatever the number of
// waiters; polling apart, each would need that many calls of its own.
func TestWatch_waitersPollTogether(t *testing.T) {
	const waiters, seenToBeReady = 20, 5
	f := newFakeCloud(t)
	var mu sync.Mutex
	asked := map[string]int{}
	f.onFunc("DescribeNetworkInterfaces", func(q url.Values) fakeReply {
		mu.Lock()
		defer mu.Unlock()
		var out []map[string]any
		for _, id := range requestedENIs(q) {
			asked[id]++
			status := "Creating"
			if asked[id] >= seenToBeReady {
				status = "Available"
			}
			out = append(out, eniJSON(id, status, nil))
		}
		return enisReply("", out...)
	})
	c := f.client(t)
	c.CoalesceWindow = time.Millisecond
	c.PollMinInterval, c.PollMaxInterval = 20*time.Millisecond, 20*time.Millisecond

	var wg sync.WaitGroup
	errs := make([]error, waiters)
	for i := range waiters {
		wg.Go(func() {
			_, errs[i] = c.WaitNetworkInterfaceAvailable(context.Background(), fmt.Sprintf("eni-w%02d", i), time.Minute)
		})
		time.Sleep(3 * time.Millisecond) // the waits start one after another, as applies do
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("waiter %d: %v", i, err)
		}
	}
	calls := len(f.callsOf("DescribeNetworkInterfaces"))
	t.Logf("%d waiters, each ENI ready after %d reads: %d calls", waiters, seenToBeReady, calls)
	if limit := waiters/2 + 2*seenToBeReady; calls > limit {
		t.Errorf("%d waiters made %d calls, want at most %d (polling apart they make about %d)", waiters, calls, limit, waiters*seenToBeReady)
	}
}

// A wake ends the pause at once: with hour-long intervals, only the wake
// can bring the second read, and WaitFirst holds the first read back
// until one arrives.
func TestWaitForState_wakeEvaluatesAtOnce(t *testing.T) {
	for _, first := range []bool{false, true} {
		t.Run(fmt.Sprintf("WaitFirst=%v", first), func(t *testing.T) {
			wake := make(chan struct{}, 1)
			reads := 0
			woken := false
			refresh := func(context.Context) (*string, string, error) {
				reads++
				if first && !woken {
					t.Fatal("read before the wake")
				}
				st := "Pending"
				if reads == 2 {
					st = "Done"
				}
				if reads == 1 {
					wake <- struct{}{} // another wait's poll brings an answer
				}
				return &st, st, nil
			}
			if first {
				go func() { woken = true; wake <- struct{}{} }()
			}
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			_, err := WaitForState(ctx, WaitOpts{Pending: []string{"Pending"}, Target: []string{"Done"},
				MinInterval: time.Hour, MaxInterval: time.Hour, Wake: wake, WaitFirst: first}, refresh)
			if err != nil || reads != 2 {
				t.Fatalf("err %v after %d reads; want the target on the second read, which the wake brings", err, reads)
			}
		})
	}
}
