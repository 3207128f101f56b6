//go:build unix

package acctest

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
)

// The hooks fire at the nth request of an action counted from when they
// were set, before the handler (Received) or after it and before the
// client has the reply (Handled); the action is read from the query
// string or a form body, which the handler still sees.
func TestActionHooks(t *testing.T) {
	var handled atomic.Int32
	h := NewActionHooks(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			t.Error(err)
		}
		handled.Add(1)
		_, _ = io.WriteString(w, "reply to "+r.Form.Get("Action"))
	}))
	srv := httptest.NewServer(h)
	defer srv.Close()
	get := func(action string) {
		resp, err := http.Get(srv.URL + "/?Action=" + action)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		_, _ = io.Copy(io.Discard, resp.Body)
	}
	post := func(action string) string {
		resp, err := http.PostForm(srv.URL+"/", url.Values{"Action": {action}})
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return string(b)
	}

	get("CreateNetworkInterface") // before the hooks: not counted for them
	var seen []string
	h.On("CreateNetworkInterface", 2, Received, func() {
		seen = append(seen, "received")
		if n := handled.Load(); n != 3 {
			t.Errorf("Received hook: %d requests handled, want 3 (not this one)", n)
		}
	})
	h.On("CreateNetworkInterface", 2, Handled, func() {
		seen = append(seen, "handled")
		if n := handled.Load(); n != 4 {
			t.Errorf("Handled hook: %d requests handled, want 4 (this one too)", n)
		}
	})
	if got := post("CreateNetworkInterface"); got != "reply to CreateNetworkInterface" {
		t.Errorf("reply %q", got)
	}
	if len(seen) != 0 || len(h.Pending()) != 2 {
		t.Errorf("hooks fired at the first request: %v, pending %v", seen, h.Pending())
	}
	post("DescribeNetworkInterfaces")
	if got := post("CreateNetworkInterface"); got != "reply to CreateNetworkInterface" {
		t.Errorf("reply after the hooks %q", got)
	}
	if strings.Join(seen, ",") != "received,handled" || len(h.Pending()) != 0 {
		t.Errorf("hooks fired %v, pending %v", seen, h.Pending())
	}
	get("CreateNetworkInterface")
	if len(seen) != 2 {
		t.Errorf("a hook fired twice: %v", seen)
	}
	if n := h.Count("CreateNetworkInterface"); n != 4 {
		t.Errorf("Count = %d, want 4", n)
	}
}
