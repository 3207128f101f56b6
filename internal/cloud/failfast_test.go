package cloud

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// countingTransport counts the requests that reach the network.
type countingTransport struct {
	base http.RoundTripper
	n    atomic.Int32
}

func (t *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	t.n.Add(1)
	return t.base.RoundTrip(r)
}

func failFastClient(t *testing.T, endpoint string, base http.RoundTripper) (*Client, *countingTransport) {
	t.Helper()
	c, err := New(Config{Region: "cn-hangzhou", AccessKey: "fail-fast-key", SecretKey: "fail-fast-secret", ECSEndpoint: endpoint, VPCEndpoint: endpoint})
	if err != nil {
		t.Fatal(err)
	}
	c.RetryBaseDelay, c.RetryMaxDelay = time.Millisecond, 5*time.Millisecond
	if base == nil {
		base = c.transport
	}
	ct := &countingTransport{base: base}
	c.transport = ct
	return c, ct
}

// A host name that does not resolve is tried once. The resolver is faked:
// tests never reach a DNS server.
func TestFailFast_noSuchHostNotRetried(t *testing.T) {
	noHost := &http.Transport{DialContext: func(_ context.Context, network, addr string) (net.Conn, error) {
		return nil, &net.OpError{Op: "dial", Net: network, Err: &net.DNSError{Err: "no such host", Name: "ecs.typo.example", IsNotFound: true}}
	}}
	c, ct := failFastClient(t, "https://ecs.typo.example", noHost)
	err := describeENIs(c)
	if err == nil || !strings.Contains(err.Error(), "no such host") {
		t.Fatalf("got %v, want the DNS error", err)
	}
	if n := ct.n.Load(); n != 1 {
		t.Fatalf("%d attempts, want 1", n)
	}
}

// An https:// URL of an endpoint that speaks plain HTTP is tried once.
func TestFailFast_schemeMismatchNotRetried(t *testing.T) {
	plain := httptest.NewServer(http.NotFoundHandler())
	t.Cleanup(plain.Close)
	c, ct := failFastClient(t, strings.Replace(plain.URL, "http://", "https://", 1), nil)
	err := describeENIs(c)
	if err == nil || !strings.Contains(err.Error(), "HTTP response to HTTPS client") {
		t.Fatalf("got %v, want the scheme mismatch", err)
	}
	if n := ct.n.Load(); n != 1 {
		t.Fatalf("%d attempts, want 1", n)
	}
}

// An endpoint that refuses connections is marked down after
// unreachableAfter attempts; every later call fails at once without a
// request, concurrent ones included.
func TestFailFast_unreachableLearnedOnce(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close() // nothing listens there now: connections are refused
	c, ct := failFastClient(t, "http://"+addr, nil)

	err = describeENIs(c)
	var down *EndpointUnreachableError
	if !errors.As(err, &down) || down.Host != addr {
		t.Fatalf("first call: %v, want EndpointUnreachableError for %s", err, addr)
	}
	if n := ct.n.Load(); n != unreachableAfter {
		t.Fatalf("first call: %d attempts, want %d", n, unreachableAfter)
	}
	if IsRetryable(err) {
		t.Fatal("the unreachable error is retryable")
	}

	start := time.Now()
	var wg sync.WaitGroup
	errs := make([]error, 50)
	for i := range errs {
		wg.Go(func() { errs[i] = describeENIs(c) })
	}
	wg.Wait()
	for i, err := range errs {
		if !errors.As(err, &down) {
			t.Fatalf("call %d: %v, want EndpointUnreachableError", i, err)
		}
	}
	if took := time.Since(start); took > time.Second {
		t.Fatalf("50 calls to a down endpoint took %s", took)
	}
	if n := ct.n.Load(); n != unreachableAfter {
		t.Fatalf("%d requests sent in all, want %d: the calls after the endpoint was marked down sent some", n, unreachableAfter)
	}
	if !strings.Contains(errs[0].Error(), "does not try it again") {
		t.Fatalf("message %q does not say the run gave up on the endpoint", errs[0])
	}
}

// An answer, even an error, resets the count: only failures in a row
// mark an endpoint down.
func TestFailFast_answerResetsCount(t *testing.T) {
	var h endpointHealth
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connect: connection refused")}
	for range unreachableAfter - 1 {
		h.observe("h:1", refused)
	}
	h.observe("h:1", nil)
	for range unreachableAfter - 1 {
		h.observe("h:1", refused)
	}
	if err := h.check("h:1"); err != nil {
		t.Fatalf("marked down after an answer between failures: %v", err)
	}
	h.observe("h:1", refused)
	if err := h.check("h:1"); err == nil {
		t.Fatalf("not marked down after %d failures in a row", unreachableAfter)
	}
	if err := h.check("other:1"); err != nil {
		t.Fatalf("another host is marked down: %v", err)
	}
}

// A refused signature, an unknown key and an expired token are answered
// once: retrying cannot change the answer.
func TestFailFast_credentialRefusalsNotRetried(t *testing.T) {
	srv := startCredentialsEmulator(t, 0)
	_, secret, _ := roleKey(t, srv)
	for _, tc := range []struct {
		name string
		cfg  Config
		code string
	}{
		{"wrong secret", Config{AccessKey: "mock-key", SecretKey: "not-the-secret"}, CodeSignatureDoesNotMatch},
		{"unknown key", Config{AccessKey: "no-such-key", SecretKey: "x-secret"}, CodeInvalidAccessKeyIDNotFound},
		{"unknown temporary key", Config{AccessKey: "STS.unknown", SecretKey: secret}, CodeInvalidAccessKeyIDNotFound},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := clientWith(t, srv, tc.cfg)
			srv.ResetStats()
			err := describeENIs(c)
			if !IsCode(err, tc.code) {
				t.Fatalf("got %v, want %s", err, tc.code)
			}
			if n := srv.Stats().Actions["DescribeNetworkInterfaces"]; n != 1 {
				t.Fatalf("%d attempts, want 1", n)
			}
		})
	}
	t.Run("expired token", func(t *testing.T) {
		id, secret, token := roleKey(t, srv)
		c := clientWith(t, srv, Config{AccessKey: id, SecretKey: secret, SecurityToken: token})
		srv.ExpireTemporaryCredentials()
		srv.ResetStats()
		if err := describeENIs(c); !IsCode(err, "InvalidSecurityToken.Expired") {
			t.Fatalf("got %v, want InvalidSecurityToken.Expired", err)
		}
		if n := srv.Stats().Actions["DescribeNetworkInterfaces"]; n != 1 {
			t.Fatalf("%d attempts, want 1", n)
		}
	})
}
