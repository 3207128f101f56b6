package cloud

import (
	"slices"
	"sync"
	"time"
)

// Waits aim their first poll. A wait that follows one of our own changes
// (an attach, a delete: writes.go says which change is under way on the
// object) first reads the object when changes of that kind took to show
// before, in this walk, instead of polling from 150 ms on with doubling
// pauses. With the cloud's transitions taking a second, the doubling
// schedule polls at 0.15, 0.45 and 1.05 s: two of three polls are wasted,
// and shared polls (watch.go) cannot save them when Terraform starts the
// waits at different times. An aimed wait still takes what other waits'
// polls show meanwhile, so it ends no later than it would have once
// another poll sees its object done; and when the aim was early, it polls
// on as before (from the shortest pause, doubling).
//
// What changes took to show is learned per API action: the time from the
// call's answer to the sending of the read that ended the wait (an upper
// bound of the transition). The aim is the shortest of the last few:
// durations shrink as soon as any read sees a change done sooner, and
// grow once every remembered one was slower.

// transitionMemory is how many durations of each action are remembered.
const transitionMemory = 8

// transitions are the durations learned per action.
type transitions struct {
	mu   sync.Mutex
	took map[string][]time.Duration
}

// expect returns how long a change by action is expected to take to
// show, once one has been seen.
func (t *transitions) expect(action string) (time.Duration, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	took := t.took[action]
	if len(took) == 0 {
		return 0, false
	}
	return slices.Min(took), true
}

// learn records that a change by action showed d after its answer.
func (t *transitions) learn(action string, d time.Duration) {
	if d < 0 {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.took == nil {
		t.took = map[string][]time.Duration{}
	}
	took := append(t.took[action], d)
	if len(took) > transitionMemory {
		took = took[len(took)-transitionMemory:]
	}
	t.took[action] = took
}

// aimTicks is how many ticks of the aim's clock a transition lasts: aims
// are rounded up to a tick, so waits whose changes are due at about the
// same time read together, in one call, and the next changes Terraform
// starts when they end are due together again. The cost is half a tick
// of latency on average, which the waits of one instance (serialised by
// its lock) pay one after another: so a tick is at most maxAimTick (with
// 100 ms ticks at 1 s transitions, destroying 40 attachments and 100 ENIs
// took 23.0 s against 21.7 s polling alone; with 40 ms, 20.7 against
// 20.8). Changes that show at once or nearly (a create) read on ticks of
// minAimTick, so that they still read together: their read is the whole
// wait, and apply spends fewer calls on it.
const (
	aimTicks   = 10
	maxAimTick = 40 * time.Millisecond
	minAimTick = 75 * time.Millisecond
)

// aimAt rounds due up to the clock of changes that take took.
func aimAt(due time.Time, took time.Duration) time.Time {
	tick := min(took/aimTicks, maxAimTick)
	if took < minAimTick {
		tick = minAimTick
	}
	if t := due.Truncate(tick); t.Before(due) {
		return t.Add(tick)
	}
	return due
}
