package cloud

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// RefreshFunc reads an object of type T and its status for WaitForState.
// It reports "the object is not there" by returning a nil obj with no
// error, or an error for which IsNotFound is true. Any other error ends the
// wait at once (the API calls inside already retried what was transient).
type RefreshFunc[T any] func(ctx context.Context) (obj *T, status string, err error)

// WaitOpts describes one wait.
type WaitOpts struct {
	// Kind and ID name the object in errors: "network interface", "eni-1".
	Kind, ID string

	// Pending statuses keep the wait going; reaching a Target status ends it.
	// An empty Target means "wait until the object is gone". Any other
	// status is an *UnexpectedStateError.
	Pending []string
	Target  []string

	// Timeout bounds the wait on top of ctx; 0 leaves it to ctx alone.
	Timeout time.Duration

	// NotFoundChecks is how many consecutive "not there" results are
	// tolerated while waiting for a Target (the API is eventually
	// consistent right after a create); 0 makes the first one final.
	NotFoundChecks int

	// Stale statuses are what the API may still report for a short while
	// right after a mutating call (Available just after AttachNetworkInterface).
	// They count as pending until a Pending or Target status has been seen,
	// at most StaleChecks times; after that they are unexpected.
	Stale       []string
	StaleChecks int

	// MinInterval is the first pause between polls, doubled after each
	// poll up to MaxInterval. Defaults: DefaultPollMinInterval and
	// DefaultPollMaxInterval.
	MinInterval, MaxInterval time.Duration

	// Wake, when set, signals that refresh has an answer ready that
	// another wait's poll brought (watch.go): the wait evaluates it at
	// once and starts its pause again, not doubled, as the answer cost it
	// no call. WaitFirst makes the first read wait for such an answer, or
	// MinInterval at most, instead of reading at once: set when other
	// waits are polling anyway. Without a wake, the polls then come when
	// they would have after a read at once.
	Wake      <-chan struct{}
	WaitFirst bool

	// Aim, when set, is when the wait's first read of its own is due
	// (aim.go); until then it judges only what Wake brings. It
	// supersedes WaitFirst.
	Aim time.Duration
}

// UnexpectedStateError says the object reached a status that is neither
// pending nor target, e.g. CreateFailed.
type UnexpectedStateError struct {
	Kind, ID string
	State    string
	Expected []string
}

func (e *UnexpectedStateError) Error() string {
	return fmt.Sprintf("%s: unexpected state %q, wanted %s", subject(e.Kind, e.ID), e.State, describeTarget(e.Expected))
}

// WaitTimeoutError says the wait ran out of time. errors.Is(err,
// context.DeadlineExceeded) holds.
type WaitTimeoutError struct {
	Kind, ID  string
	Target    []string
	LastState string // "" if never read; "not found" if absent
	Timeout   time.Duration
	LastErr   error
}

func (e *WaitTimeoutError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "timeout while waiting for %s to %s", subject(e.Kind, e.ID), describeGoal(e.Target))
	if e.Timeout > 0 {
		fmt.Fprintf(&b, " (timeout: %s)", e.Timeout)
	}
	if e.LastState != "" {
		fmt.Fprintf(&b, ", last state: %q", e.LastState)
	}
	if e.LastErr != nil {
		fmt.Fprintf(&b, ", last error: %v", e.LastErr)
	}
	return b.String()
}

func (e *WaitTimeoutError) Unwrap() []error {
	if e.LastErr != nil {
		return []error{context.DeadlineExceeded, e.LastErr}
	}
	return []error{context.DeadlineExceeded}
}

const stateNotFound = "not found"

// WaitForState polls refresh until the object reaches a Target status (or,
// with no Target, disappears). The first poll is immediate; later ones back
// off from MinInterval, doubling up to MaxInterval. It returns the last
// object read (nil when the object is gone or was never read).
func WaitForState[T any](ctx context.Context, opts WaitOpts, refresh RefreshFunc[T]) (*T, error) {
	if opts.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, opts.Timeout)
		defer cancel()
	}
	interval, maxInterval := opts.MinInterval, opts.MaxInterval
	if interval <= 0 {
		interval = DefaultPollMinInterval
	}
	if maxInterval <= 0 {
		maxInterval = DefaultPollMaxInterval
	}
	maxInterval = max(maxInterval, interval)

	var (
		last       *T
		lastState  string
		lastErr    error
		notFound   int
		staleSeen  int
		progressed bool // a Pending or Target status has been seen
	)
	ended := func() error {
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return &WaitTimeoutError{Kind: opts.Kind, ID: opts.ID, Target: opts.Target,
				LastState: lastState, Timeout: opts.Timeout, LastErr: lastErr}
		}
		return fmt.Errorf("waiting for %s to %s: %w", subject(opts.Kind, opts.ID), describeGoal(opts.Target), ctx.Err())
	}

	// step reads the object and judges what it read; end says the wait
	// is over, with obj and err as its result.
	step := func() (obj *T, end bool, err error) {
		obj, status, err := refresh(ctx)
		if ctx.Err() != nil {
			return last, true, ended()
		}
		switch {
		case err != nil && !IsNotFound(err):
			return last, true, fmt.Errorf("waiting for %s to %s: %w", subject(opts.Kind, opts.ID), describeGoal(opts.Target), err)

		case err != nil || obj == nil:
			if len(opts.Target) == 0 {
				return nil, true, nil
			}
			lastState = stateNotFound
			if err == nil {
				err = &NotFoundError{Kind: kindOrObject(opts.Kind), ID: opts.ID}
			}
			lastErr = err
			notFound++
			if notFound > opts.NotFoundChecks {
				return nil, true, fmt.Errorf("waiting for %s to %s: %w", subject(opts.Kind, opts.ID), describeGoal(opts.Target), err)
			}

		default:
			last, lastState, lastErr, notFound = obj, status, nil, 0
			switch {
			case slices.Contains(opts.Target, status):
				return obj, true, nil
			case slices.Contains(opts.Pending, status):
				progressed = true
			case !progressed && staleSeen < opts.StaleChecks && slices.Contains(opts.Stale, status):
				staleSeen++
			default:
				return obj, true, &UnexpectedStateError{Kind: opts.Kind, ID: opts.ID, State: status, Expected: opts.Target}
			}
		}
		return nil, false, nil
	}

	switch {
	case opts.Aim > 0:
		// Until the aimed read, only what other reads bring is judged.
		due := time.Now().Add(opts.Aim)
		for {
			woke, err := pause(ctx, time.Until(due), opts.Wake)
			if err != nil {
				return last, ended()
			}
			if !woke {
				break
			}
			if obj, end, err := step(); end {
				return obj, err
			}
		}
	case opts.WaitFirst:
		woke, err := pause(ctx, interval, opts.Wake)
		if err != nil {
			return nil, ended()
		}
		if !woke {
			// The pause stood for the read at once that it replaced: the
			// polls go on as they would have after it (MinInterval, then
			// doubling), not a pause later.
			interval = min(interval*2, maxInterval)
		}
	}
	for {
		if obj, end, err := step(); end {
			return obj, err
		}
		woke, err := pause(ctx, interval, opts.Wake)
		if err != nil {
			return last, ended()
		}
		if !woke {
			interval = min(interval*2, maxInterval)
		}
	}
}

// pause waits d, or less when wake is signalled (woke is then true).
func pause(ctx context.Context, d time.Duration, wake <-chan struct{}) (woke bool, err error) {
	if wake == nil {
		return false, sleep(ctx, d)
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false, ctx.Err()
	case <-t.C:
		return false, nil
	case <-wake:
		return true, nil
	}
}

func kindOrObject(kind string) string {
	if kind == "" {
		return "object"
	}
	return kind
}

func subject(kind, id string) string {
	if id == "" {
		return kindOrObject(kind)
	}
	return fmt.Sprintf("%s (%s)", kindOrObject(kind), id)
}

func describeTarget(target []string) string {
	if len(target) == 0 {
		return "the object to be gone"
	}
	return strings.Join(quoteAll(target), " or ")
}

func describeGoal(target []string) string {
	if len(target) == 0 {
		return "be deleted"
	}
	return "become " + strings.Join(quoteAll(target), " or ")
}

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = fmt.Sprintf("%q", s)
	}
	return out
}
