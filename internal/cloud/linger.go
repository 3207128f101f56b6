package cloud

import (
	"context"
	"errors"
	"strings"
	"sync"
	"time"
)

// DefaultCancelGrace bounds how long a mutating call goes on after
// Terraform cancels the operation (Ctrl-C) or its timeout ends.
const DefaultCancelGrace = time.Minute

// Why mutating calls outlive their context: when Terraform is
// interrupted it cancels every operation in flight. Aborting a request
// that the cloud has already received loses its answer (a new ENI's ID,
// an assigned address), so the object exists but never reaches state, and
// the next apply makes a duplicate. A mutating call therefore finishes
// what it has sent: its requests keep running for up to CancelGrace after
// the caller's context ends, and while the outcome of an attempt is
// unknown (no answer, or a 5xx) it retries until the cloud answers for
// sure. A call that has sent nothing yet is not started after the
// context ended.

// isMutating reports whether an API action changes anything; reads are
// Describe* and List*.
func isMutating(action string) bool {
	return !strings.HasPrefix(action, "Describe") && !strings.HasPrefix(action, "List")
}

// lingering returns a context that is not cancelled with parent but only
// grace after parent ends (a deadline or a cancellation); its values are
// parent's. cancel releases it at once.
func lingering(parent context.Context, grace time.Duration) (ctx context.Context, cancel context.CancelFunc) {
	ctx, cancelCtx := context.WithCancel(context.WithoutCancel(parent))
	var mu sync.Mutex
	var timer *time.Timer
	stop := context.AfterFunc(parent, func() {
		mu.Lock()
		defer mu.Unlock()
		if ctx.Err() == nil {
			timer = time.AfterFunc(grace, cancelCtx)
		}
	})
	return ctx, func() {
		stop()
		mu.Lock()
		if timer != nil {
			timer.Stop()
		}
		mu.Unlock()
		cancelCtx()
	}
}

// outcomeUnknown reports whether a failed attempt may still have taken
// effect: the request may have reached the cloud and no definite answer
// came back (a transport failure, a timeout, a 5xx).
func outcomeUnknown(err error) bool {
	if err == nil {
		return false
	}
	var ae *APIError
	if errors.As(err, &ae) {
		return ae.HTTPStatus >= 500
	}
	return true
}

func (c *Client) cancelGrace() time.Duration {
	if c.CancelGrace > 0 {
		return c.CancelGrace
	}
	return DefaultCancelGrace
}

// isThrottling reports whether the API refused a call for its rate: the
// call did nothing.
func isThrottling(err error) bool {
	var ae *APIError
	return errors.As(err, &ae) && strings.Contains(ae.Code, "Throttling")
}

// isRefusal reports whether the API answered with a definite no about
// the request (a 4xx other than throttling), as opposed to a failure to
// answer.
func isRefusal(err error) bool {
	var ae *APIError
	return errors.As(err, &ae) && ae.HTTPStatus < 500 && !isThrottling(err)
}
