package cloud

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestKeyedLocksSerialisePerKey(t *testing.T) {
	var locks KeyedLocks
	var inside, maxInside atomic.Int32
	var wg sync.WaitGroup
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			unlock, err := locks.Lock(context.Background(), "i-1")
			if err != nil {
				t.Error(err)
				return
			}
			n := inside.Add(1)
			for {
				m := maxInside.Load()
				if n <= m || maxInside.CompareAndSwap(m, n) {
					break
				}
			}
			inside.Add(-1)
			unlock()
		}()
	}
	wg.Wait()
	if maxInside.Load() != 1 {
		t.Fatalf("%d holders at once", maxInside.Load())
	}
	if len(locks.locks) != 0 {
		t.Fatalf("locks left behind: %d", len(locks.locks))
	}
}

func TestKeyedLocksOtherKeysAndCancel(t *testing.T) {
	var locks KeyedLocks
	unlock, _ := locks.Lock(context.Background(), "a")
	defer unlock()
	other, err := locks.Lock(context.Background(), "b")
	if err != nil {
		t.Fatal(err)
	}
	other()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := locks.Lock(ctx, "a"); err == nil {
		t.Fatal("a held lock was taken twice")
	}
}
