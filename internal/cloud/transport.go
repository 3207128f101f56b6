package cloud

import (
	"context"
	"io"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"
)

// Why a fresh SDK client per call: the SDK (v1.63.107) writes its shared
// http.Client timeout and, for an *http.Transport, the transport's dialer
// and TLS config on every request, which races when resources run in
// parallel, and it has no context support. A per-call client is cheap (no
// I/O), and giving it a RoundTripper that is not an *http.Transport keeps
// the SDK's hands off the connection pool shared by all calls.

func newBaseTransport() *http.Transport {
	var t *http.Transport
	if dt, ok := http.DefaultTransport.(*http.Transport); ok {
		t = dt.Clone()
	} else {
		// Something in the process replaced http.DefaultTransport: start
		// from the standard library's documented defaults instead.
		t = &http.Transport{
			Proxy:                 http.ProxyFromEnvironment,
			ForceAttemptHTTP2:     true,
			MaxIdleConns:          100,
			IdleConnTimeout:       90 * time.Second,
			TLSHandshakeTimeout:   10 * time.Second,
			ExpectContinueTimeout: 1 * time.Second,
		}
	}
	t.DialContext = (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext
	t.MaxIdleConnsPerHost = 16
	return t
}

// ctxTransport binds every HTTP request of one call to the call's context,
// so a cancelled or expired context aborts a request in flight, and fails
// a request to an endpoint found unreachable at once (failfast.go).
type ctxTransport struct {
	ctx    context.Context
	base   http.RoundTripper
	health *endpointHealth
}

func (t *ctxTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if t.health != nil {
		if err := t.health.check(req.URL.Host); err != nil {
			return nil, err
		}
	}
	// Keep the request's own context (it carries the SDK's read timeout)
	// and cancel it as well when the call's context ends.
	rctx, cancel := context.WithCancel(req.Context())
	stop := context.AfterFunc(t.ctx, cancel)
	release := func() { stop(); cancel() }
	resp, err := t.base.RoundTrip(req.WithContext(rctx))
	if t.health != nil && t.ctx.Err() == nil {
		t.health.observe(req.URL.Host, err)
	}
	if err != nil {
		release()
		return nil, err
	}
	resp.Body = &releasingBody{ReadCloser: resp.Body, release: release}
	return resp, nil
}

// releasingBody frees the per-request context once the SDK has read and
// closed the body.
type releasingBody struct {
	io.ReadCloser
	once    sync.Once
	release func()
}

func (b *releasingBody) Close() error {
	err := b.ReadCloser.Close()
	b.once.Do(b.release)
	return err
}

func (c *Client) ecsClient(ctx context.Context) (*ecs.Client, error) {
	rt := &ctxTransport{ctx: ctx, base: c.transport, health: &c.health}
	cl, err := ecs.NewClientWithOptions(c.region, c.sdkConfig(c.ecs, rt), c.credential)
	if err != nil {
		return nil, err
	}
	cl.Domain = c.ecs.domain
	return cl, nil
}

func (c *Client) vpcClient(ctx context.Context) (*vpc.Client, error) {
	rt := &ctxTransport{ctx: ctx, base: c.transport, health: &c.health}
	cl, err := vpc.NewClientWithOptions(c.region, c.sdkConfig(c.vpc, rt), c.credential)
	if err != nil {
		return nil, err
	}
	cl.Domain = c.vpc.domain
	return cl, nil
}
