package mockcloud

import (
	"context"
	"math/rand/v2"
	"net/http"
	"sync"
	"time"
)

// Faults are the injected failures. Zero turns a fault off. A throttled or
// failed request did nothing; a request whose reply is lost (LostReplyRate)
// did everything, and only its answer is missing.
type Faults struct {
	// ThrottleRate is the share of API calls refused with Throttling.User.
	ThrottleRate float64 `json:"throttle_rate"`
	// ErrorRate is the share of API calls failing with ServiceUnavailable
	// (503) or InternalError (500).
	ErrorRate float64 `json:"error_rate"`
	// LatencyMS is added to every API call.
	LatencyMS int `json:"latency_ms"`
	// LostReplyRate is the share of API calls that take full effect and
	// then get no answer: the connection is closed before a response is
	// written, as when a reply is lost on the network.
	LostReplyRate float64 `json:"lost_reply_rate"`
	// InvisibleAfterCreateMS hides a new ENI from Describe results for
	// this long after it was created (eventual consistency).
	InvisibleAfterCreateMS int `json:"invisible_after_create_ms"`
	// Seed makes the random choices repeatable.
	Seed uint64 `json:"seed"`
}

// Validate reports a setting outside its range.
func (f Faults) Validate() error {
	switch {
	case f.ThrottleRate < 0 || f.ThrottleRate > 1:
		return errInvalid("throttle_rate", "it must be between 0 and 1")
	case f.ErrorRate < 0 || f.ErrorRate > 1:
		return errInvalid("error_rate", "it must be between 0 and 1")
	case f.LostReplyRate < 0 || f.LostReplyRate > 1:
		return errInvalid("lost_reply_rate", "it must be between 0 and 1")
	case f.LatencyMS < 0 || f.LatencyMS > 60_000:
		return errInvalid("latency_ms", "it must be between 0 and 60000")
	case f.InvisibleAfterCreateMS < 0 || f.InvisibleAfterCreateMS > 600_000:
		return errInvalid("invisible_after_create_ms", "it must be between 0 and 600000")
	}
	return nil
}

type faultInjector struct {
	mu  sync.Mutex
	f   Faults
	rng *rand.Rand
}

func (fi *faultInjector) set(f Faults) {
	fi.mu.Lock()
	defer fi.mu.Unlock()
	fi.f = f
	fi.rng = rand.New(rand.NewPCG(f.Seed, f.Seed^0x9e3779b97f4a7c15))
}

func (fi *faultInjector) get() Faults {
	fi.mu.Lock()
	defer fi.mu.Unlock()
	return fi.f
}

// inject applies latency, then maybe refuses the call.
func (fi *faultInjector) inject(ctx context.Context) error {
	fi.mu.Lock()
	f := fi.f
	var throttle, fail, internal bool
	if f.ThrottleRate > 0 {
		throttle = fi.rng.Float64() < f.ThrottleRate
	}
	if !throttle && f.ErrorRate > 0 {
		fail = fi.rng.Float64() < f.ErrorRate
		internal = fi.rng.IntN(2) == 0
	}
	fi.mu.Unlock()

	if f.LatencyMS > 0 {
		t := time.NewTimer(time.Duration(f.LatencyMS) * time.Millisecond)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
		}
	}
	switch {
	case throttle:
		return badRequest("Throttling.User", "Request was denied due to user flow control.")
	case fail && internal:
		return newErr(http.StatusInternalServerError, "InternalError",
			"The request processing has failed due to some unknown error, exception or failure.")
	case fail:
		return newErr(http.StatusServiceUnavailable, "ServiceUnavailable",
			"The request has failed due to a temporary failure of the server.")
	}
	return nil
}

// loseReply reports whether the reply to a call that was just executed
// is to be lost.
func (fi *faultInjector) loseReply() bool {
	fi.mu.Lock()
	defer fi.mu.Unlock()
	return fi.f.LostReplyRate > 0 && fi.rng.Float64() < fi.f.LostReplyRate
}

// dropConnection closes the client's connection without an answer. When
// the connection cannot be taken over (HTTP/2), the handler aborts
// instead, which resets the stream: the client sees no reply either way.
func dropConnection(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			_ = conn.Close()
			return
		}
	}
	panic(http.ErrAbortHandler)
}

// invisible reports whether an object created at created is still hidden
// from Describe results by the eventual-consistency fault.
func (c *call) invisible(created time.Time) bool {
	ms := c.srv.faults.get().InvisibleAfterCreateMS
	return ms > 0 && c.now.Before(created.Add(time.Duration(ms)*time.Millisecond))
}
