package cloud

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"
)

// fakeCloud is a scripted stand-in for the ECS and VPC endpoints: each
// action answers from a queue of canned replies (the last one repeats) or
// from a function of the request parameters.
type fakeCloud struct {
	srv *httptest.Server

	mu      sync.Mutex
	calls   []fakeCall
	scripts map[string][]fakeReply
	funcs   map[string]func(q url.Values) fakeReply
}

type fakeCall struct {
	Action string
	Params url.Values
	Header http.Header
}

type fakeReply struct {
	status int
	body   string
	hang   bool // block until the client gives up
	drop   bool // close the connection without answering
}

func newFakeCloud(t testing.TB) *fakeCloud {
	t.Helper()
	f := &fakeCloud{scripts: map[string][]fakeReply{}, funcs: map[string]func(url.Values) fakeReply{}}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeCloud) serve(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm() // merges query and form body, as the real API reads both
	action := r.Form.Get("Action")

	f.mu.Lock()
	f.calls = append(f.calls, fakeCall{Action: action, Params: r.Form, Header: r.Header.Clone()})
	var reply fakeReply
	switch q := f.scripts[action]; {
	case f.funcs[action] != nil:
		fn := f.funcs[action]
		f.mu.Unlock()
		reply = fn(r.Form)
		f.mu.Lock()
	case len(q) > 0:
		reply = q[0]
		if len(q) > 1 {
			f.scripts[action] = q[1:]
		}
	default:
		reply = apiErr(404, "InvalidAction.NotFound", "no script for "+action)
	}
	f.mu.Unlock()

	switch {
	case reply.hang:
		<-r.Context().Done()
		return
	case reply.drop:
		hj, ok := w.(http.Hijacker)
		if !ok {
			// Not an HTTP/1 connection: aborting the handler also drops
			// the connection without an answer.
			panic(http.ErrAbortHandler)
		}
		conn, _, err := hj.Hijack()
		if err == nil {
			_ = conn.Close()
		}
		return
	}
	w.Header().Set("Content-Type", "application/json;charset=utf-8")
	w.WriteHeader(reply.status)
	_, _ = w.Write([]byte(reply.body))
}

// on queues replies for an action.
func (f *fakeCloud) on(action string, replies ...fakeReply) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.scripts[action] = append(f.scripts[action], replies...)
}

// onFunc answers an action from its parameters.
func (f *fakeCloud) onFunc(action string, fn func(q url.Values) fakeReply) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.funcs[action] = fn
}

func (f *fakeCloud) callsOf(action string) []fakeCall {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []fakeCall
	for _, c := range f.calls {
		if c.Action == action {
			out = append(out, c)
		}
	}
	return out
}

// client builds a Client aimed at the fake with millisecond backoff.
func (f *fakeCloud) client(t testing.TB, mutate ...func(*Config)) *Client {
	t.Helper()
	cfg := Config{
		Region:      "cn-hangzhou",
		AccessKey:   "test-ak",
		SecretKey:   "test-sk",
		ECSEndpoint: f.srv.URL,
		VPCEndpoint: f.srv.URL,
	}
	for _, m := range mutate {
		m(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	c.RetryBaseDelay = time.Millisecond
	c.RetryMaxDelay = 4 * time.Millisecond
	c.PollMinInterval = time.Millisecond
	c.PollMaxInterval = 4 * time.Millisecond
	return c
}

var requestSeq struct {
	sync.Mutex
	n int
}

func nextRequestID() string {
	requestSeq.Lock()
	defer requestSeq.Unlock()
	requestSeq.n++
	return fmt.Sprintf("REQ-%04d", requestSeq.n)
}

// ok is a 200 reply; fields are merged into a JSON object with a RequestId.
func ok(fields map[string]any) fakeReply {
	body := map[string]any{"RequestId": nextRequestID()}
	for k, v := range fields {
		body[k] = v
	}
	raw, _ := json.Marshal(body)
	return fakeReply{status: 200, body: string(raw)}
}

// apiErr is an error reply shaped like Alibaba's.
func apiErr(status int, code, message string) fakeReply {
	raw, _ := json.Marshal(map[string]string{
		"RequestId": nextRequestID(),
		"HostId":    "ecs.aliyuncs.com",
		"Code":      code,
		"Message":   message,
	})
	return fakeReply{status: status, body: string(raw)}
}

// eniJSON is one NetworkInterfaceSet item.
func eniJSON(id, status string, extra map[string]any) map[string]any {
	m := map[string]any{
		"NetworkInterfaceId": id,
		"Status":             status,
		"Type":               "Secondary",
		"PrivateIpAddress":   "192.168.0.9",
		"PrivateIpSets": map[string]any{"PrivateIpSet": []any{
			map[string]any{"PrivateIpAddress": "192.168.0.9", "Primary": true},
		}},
	}
	for k, v := range extra {
		m[k] = v
	}
	return m
}

// enisReply is a DescribeNetworkInterfaces page.
func enisReply(nextToken string, enis ...map[string]any) fakeReply {
	if enis == nil {
		enis = []map[string]any{}
	}
	return ok(map[string]any{
		"NextToken":            nextToken,
		"NetworkInterfaceSets": map[string]any{"NetworkInterfaceSet": enis},
	})
}

// requestedENIs lists the NetworkInterfaceId.N of a request, in order.
func requestedENIs(q url.Values) []string {
	var ids []string
	for i := 1; q.Has(fmt.Sprintf("NetworkInterfaceId.%d", i)); i++ {
		ids = append(ids, q.Get(fmt.Sprintf("NetworkInterfaceId.%d", i)))
	}
	return ids
}

// enisNamed is one ENI item in status for each NetworkInterfaceId.N of a
// request.
func enisNamed(q url.Values, status string) []map[string]any {
	var out []map[string]any
	for _, id := range requestedENIs(q) {
		out = append(out, eniJSON(id, status, nil))
	}
	return out
}
