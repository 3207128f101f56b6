// Package mockcloud is a stateful emulator of the Alibaba Cloud ECS
// (2014-05-26) and VPC (2016-04-28) RPC APIs for elastic network
// interfaces, their private IPs and EIPs. The official Go SDK talks to it
// unmodified except for the endpoint. Tests start it in-process with Start;
// cmd/eni-mockcloud serves the same handler as a program.
package mockcloud

import (
	"cmp"
	"compress/flate"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"time"
)

// Options configure an emulator.
type Options struct {
	// Seed is the starting topology; nil means DefaultSeed().
	Seed *Seed
	// TransitionDelay is how long asynchronous operations (attach, detach,
	// delete, stop, start, associate, unassociate, private IP changes)
	// stay in their transitional state. Zero completes them at once.
	TransitionDelay time.Duration
	// Faults are injected into API calls; the zero value injects none.
	Faults Faults
	// StatePath, when set, persists every change to this file and reloads
	// it at start (the seed is used only when the file does not exist).
	StatePath string
	// Now replaces the clock, for tests; nil means time.Now.
	Now func() time.Time
	// BodyReadTimeout bounds how long a client may take to send a request
	// body; zero means DefaultBodyReadTimeout.
	BodyReadTimeout time.Duration
	// TemporaryCredentialTTL, when set, is how long every key issued by
	// STS and the metadata service lasts, whatever DurationSeconds asked
	// (sts.go): tests make keys expire within a run.
	TemporaryCredentialTTL time.Duration
	// ECSRoleName is the RAM role the metadata service hands out keys of;
	// empty means DefaultECSRoleName.
	ECSRoleName string
}

// Server is one emulator instance. It is an http.Handler.
type Server struct {
	mu        sync.Mutex
	st        *state
	delay     time.Duration
	statePath string
	now       func() time.Time
	// bodyTimeout is Options.BodyReadTimeout with its default applied.
	bodyTimeout time.Duration
	actions     map[string]*action // key: Version + "/" + Action

	nonces nonceStore
	// jnl is the state file's journal; nil without a state file.
	jnl *journal
	// compactAt is the journal size that triggers a new snapshot.
	compactAt atomic.Int64
	// snapshots counts the snapshots written, for tests.
	snapshots atomic.Int64
	// tokenOrder lists the ClientToken records oldest first, for expiry.
	tokenOrder []tokenAt
	deflater   *flate.Writer // for token records; guarded by mu
	faults     faultInjector
	stats      statsCounter

	// Temporary keys (sts.go, metadata.go), guarded by mu.
	temp           map[string]tempKey
	tempIssued     int
	tempTTL        time.Duration
	ecsRole        string
	metadataTokens map[string]time.Time

	ts *httptest.Server
}

// New builds an emulator without starting a listener.
func New(opts Options) (*Server, error) {
	if opts.TransitionDelay < 0 || opts.TransitionDelay > MaxTransitionDelay {
		return nil, fmt.Errorf("transition delay %s: it must be between 0 and %s", opts.TransitionDelay, MaxTransitionDelay)
	}
	if opts.BodyReadTimeout < 0 {
		return nil, fmt.Errorf("body read timeout %s: it cannot be negative", opts.BodyReadTimeout)
	}
	if opts.TemporaryCredentialTTL < 0 {
		return nil, fmt.Errorf("temporary credential TTL %s: it cannot be negative", opts.TemporaryCredentialTTL)
	}
	s := &Server{delay: opts.TransitionDelay, statePath: opts.StatePath, now: opts.Now,
		tempTTL: opts.TemporaryCredentialTTL, ecsRole: cmp.Or(opts.ECSRoleName, DefaultECSRoleName)}
	if s.now == nil {
		s.now = time.Now
	}
	s.bodyTimeout = cmp.Or(opts.BodyReadTimeout, DefaultBodyReadTimeout)
	s.actions = map[string]*action{}
	for _, group := range [][]action{ecsENIActions(), ecsIPv6Actions(), ecsInstanceActions(), ecsTagActions(), vpcActions(), eipActions(), stsActions()} {
		for i := range group {
			a := &group[i]
			s.actions[a.Version+"/"+a.Name] = a
		}
	}
	if err := s.open(opts.Seed); err != nil {
		return nil, err
	}
	s.faults.set(opts.Faults)
	s.stats.reset()
	return s, nil
}

// Start builds an emulator and serves it on a loopback httptest listener.
func Start(opts Options) (*Server, error) {
	s, err := New(opts)
	if err != nil {
		return nil, err
	}
	s.ts = httptest.NewUnstartedServer(s)
	hs := s.HTTPServer()
	s.ts.Config.ReadHeaderTimeout, s.ts.Config.IdleTimeout, s.ts.Config.MaxHeaderBytes = hs.ReadHeaderTimeout, hs.IdleTimeout, hs.MaxHeaderBytes
	s.ts.Start()
	return s, nil
}

// URL is the base URL of a server made by Start.
func (s *Server) URL() string {
	if s.ts == nil {
		return ""
	}
	return s.ts.URL
}

// Close stops a server made by Start and closes its state file. A server
// made by New is closed after its listener stops.
func (s *Server) Close() {
	if s.ts != nil {
		s.ts.Close()
	}
	if s.jnl != nil {
		_ = s.jnl.close()
	}
}

// Region is the region the emulator serves.
func (s *Server) Region() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.st.Region
}

// SetTransitionDelay changes the delay of asynchronous operations started
// from now on.
func (s *Server) SetTransitionDelay(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.delay = d
}

// SetFaults replaces the fault settings.
func (s *Server) SetFaults(f Faults) { s.faults.set(f) }

// Stats returns the API call counters.
func (s *Server) Stats() Stats { return s.stats.snapshot() }

// ResetStats zeroes the API call counters.
func (s *Server) ResetStats() { s.stats.reset() }

// Settle completes every pending asynchronous transition at once, so tests
// can move past a long transition delay without waiting for it.
func (s *Server) Settle() error {
	s.mu.Lock()
	s.st.settle(time.Time{}, true)
	var seq uint64
	if s.jnl != nil {
		seq = s.jnl.append(entryForSettle(s.now()), true)
	}
	s.mu.Unlock()
	if seq == 0 {
		return nil
	}
	return s.jnl.wait(seq)
}

// ServeHTTP routes control endpoints under /_mock/ and everything else to
// the RPC API.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	defer func() {
		// A bug must never take the emulator down: answer like the real
		// service does when it fails internally.
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v) // a deliberately dropped reply (lost_reply_rate)
			}
			writeError(w, r, newErr(http.StatusInternalServerError, "InternalError",
				"The request processing has failed due to some unknown error, exception or failure. (%v)", v))
		}
	}()
	if err := s.readBody(w, r); err != nil {
		writeError(w, r, err)
		return
	}
	if isControlPath(r.URL.Path) {
		s.serveControl(w, r)
		return
	}
	if isMetadataPath(r.URL.Path) {
		s.serveMetadata(w, r)
		return
	}
	s.serveAPI(w, r)
}

func (s *Server) String() string { return fmt.Sprintf("mockcloud(%s)", s.URL()) }
