package cloud

import (
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"syscall"
)

// Failing fast. Some transport errors can never go away by retrying: the
// host name does not resolve, or the endpoint speaks plain HTTP to an
// https:// URL (or the reverse). Those are not retried at all
// (permanentTransportError). An endpoint that refuses connections, or
// cannot be reached, may be coming back, so it is retried, but once
// unreachableAfter connection attempts in a row have failed the client
// marks it down: every later request to it fails at once with
// *EndpointUnreachableError, for the life of the client, which is one
// Terraform run (one Configure). A plan of 140 resources with the
// endpoint down then fails in about a second instead of retrying every
// resource's calls for minutes.

// unreachableAfter is how many failed connection attempts in a row mark an
// endpoint down. Concurrent calls count together, so a plan learns it
// from its first few calls.
const unreachableAfter = 3

// EndpointUnreachableError is the error of every request to an endpoint
// found unreachable earlier in the run.
type EndpointUnreachableError struct {
	Host string
	// Err is the connection error that marked it down.
	Err error
}

func (e *EndpointUnreachableError) Error() string {
	return fmt.Sprintf("the endpoint %s is unreachable (%v); this run does not try it again: check the endpoint "+
		"setting (endpoints in the provider block, ENI_ECS_ENDPOINT, ENI_VPC_ENDPOINT), the network and any proxy", e.Host, e.Err)
}

func (e *EndpointUnreachableError) Unwrap() error { return e.Err }

// endpointHealth counts failed connection attempts per host.
type endpointHealth struct {
	mu    sync.Mutex
	hosts map[string]*hostHealth
}

type hostHealth struct {
	failures int
	down     *EndpointUnreachableError
}

// check returns the error of a host marked down, else nil.
func (h *endpointHealth) check(host string) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if s := h.hosts[host]; s != nil && s.down != nil {
		return s.down
	}
	return nil
}

// observe records the outcome of one request to host: any answer resets
// the count, a failed connection attempt adds to it.
func (h *endpointHealth) observe(host string, err error) {
	if err != nil && !isConnectFailure(err) {
		return // failed after connecting: the endpoint is there
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.hosts == nil {
		h.hosts = map[string]*hostHealth{}
	}
	s := h.hosts[host]
	if s == nil {
		s = &hostHealth{}
		h.hosts[host] = s
	}
	if err == nil {
		s.failures = 0
		return
	}
	s.failures++
	if s.failures >= unreachableAfter && s.down == nil {
		s.down = &EndpointUnreachableError{Host: host, Err: err}
	}
}

// isConnectFailure reports whether err is a failure to open a connection:
// refused, no route, or a dial timeout. Nothing was sent, so nothing can
// have taken effect.
func isConnectFailure(err error) bool {
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return !isNoSuchHost(err)
	}
	return errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.EHOSTUNREACH) || errors.Is(err, syscall.ENETUNREACH)
}

func isNoSuchHost(err error) bool {
	var dns *net.DNSError
	return errors.As(err, &dns) && dns.IsNotFound
}

// permanentTransportError reports errors that the same request will meet
// again however often it is sent: an unknown host, a scheme or TLS
// mismatch, and an endpoint this run found unreachable.
func permanentTransportError(err error) bool {
	var down *EndpointUnreachableError
	var rec tls.RecordHeaderError
	if errors.As(err, &down) || isNoSuchHost(err) || errors.As(err, &rec) {
		return true
	}
	// net/http reports these as plain errors, at the end of the chain
	// (outer errors may show a masked text, see redact.go).
	for next := errors.Unwrap(err); next != nil; next = errors.Unwrap(err) {
		err = next
	}
	msg := err.Error()
	return strings.Contains(msg, "server gave HTTP response to HTTPS client") ||
		strings.Contains(msg, "first record does not look like a TLS handshake")
}
