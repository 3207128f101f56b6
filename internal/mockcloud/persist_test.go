package mockcloud

import (
	"encoding/json"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"
)

// testClock is a settable clock near real time (the SDK signs with the
// real one, so it must stay within the timestamp window).
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// stateJSON is the emulator's state with every transition due by the
// clock completed, so two states that differ only by lazy settling (a
// read settles in memory, the journal only replays mutations) compare
// equal.
func stateJSON(t *testing.T, srv *Server, at time.Time) string {
	t.Helper()
	srv.mu.Lock()
	defer srv.mu.Unlock()
	srv.st.settle(at, false)
	b, err := json.Marshal(srv.st)
	mustOK(t, err)
	return string(b)
}

// A random mix of every kind of mutation, reads, forced settles and
// snapshots taken mid-way leaves a state file that loads into exactly the
// state the emulator had in memory, ClientToken records included.
func TestJournalReplaysToTheSameState(t *testing.T) {
	old := compactMinBytes
	compactMinBytes = 16 << 10 // several snapshots during the run
	t.Cleanup(func() { compactMinBytes = old })

	path := filepath.Join(t.TempDir(), "state.json")
	clock := &testClock{t: time.Now()}
	env := startEnv(t, nil, withDelay(time.Second), func(o *Options) { o.StatePath, o.Now = path, clock.Now })
	rng := rand.New(rand.NewPCG(7, 7))
	instances := []string{"i-mockweb1", "i-mockweb2", "i-mockburst"}
	var enis, eips []string
	pick := func(list []string) string {
		if len(list) == 0 {
			return "missing"
		}
		return list[rng.IntN(len(list))]
	}
	mutations := 0
	for step := 0; step < 400; step++ {
		clock.Advance(time.Duration(rng.IntN(900)) * time.Millisecond)
		var err error
		switch rng.IntN(12) {
		case 0, 1:
			var resp *ecs.CreateNetworkInterfaceResponse
			resp, err = env.ecs.CreateNetworkInterface(niCreateReq(func(r *ecs.CreateNetworkInterfaceRequest) {
				r.SecondaryPrivateIpAddressCount = requests.NewInteger(rng.IntN(3))
				r.ClientToken = pick([]string{"tok-a", "tok-b", "", ""})
				r.Description = pick([]string{"desc-a", "desc-b"})
			}))
			if err == nil {
				enis = append(enis, resp.NetworkInterfaceId)
			}
		case 2:
			err = niAttach(env, pick(enis), pick(instances))
		case 3:
			err = niDetach(env, pick(enis), pick(instances))
		case 4:
			_, err = niAssign(env, pick(enis), 1+rng.IntN(2))
		case 5:
			if e := niGet(t, env, pick(enis)); e != nil && len(niIPs(e)) > 1 {
				err = niUnassign(env, e.NetworkInterfaceId, niIPs(e)[1])
			}
		case 6:
			err = niDelete(env, pick(enis))
		case 7:
			var resp *vpc.AllocateEipAddressResponse
			resp, err = env.vpc.AllocateEipAddress(vpc.CreateAllocateEipAddressRequest())
			if err == nil {
				eips = append(eips, resp.AllocationId)
			}
		case 8:
			req := vpc.CreateAssociateEipAddressRequest()
			req.AllocationId, req.InstanceId, req.InstanceType = pick(eips), pick(enis), "NetworkInterface"
			_, err = env.vpc.AssociateEipAddress(req)
		case 9:
			err = niTag(env, []string{pick(enis)}, ecs.TagResourcesTag{Key: pick([]string{"k1", "k2"}), Value: pick([]string{"v1", "v2"})})
		case 10:
			err = niModify(env, pick(enis), func(r *ecs.ModifyNetworkInterfaceAttributeRequest) {
				r.NetworkInterfaceName = pick([]string{"name-1", "name-2"})
			})
		case 11:
			if rng.IntN(4) == 0 {
				mustOK(t, env.srv.Settle())
			} else {
				niDescribe(t, env, func(*ecs.DescribeNetworkInterfacesRequest) {})
			}
			continue
		}
		if err == nil {
			mutations++
		}
	}
	if mutations < 100 || len(enis) < 20 {
		t.Fatalf("the workload did too little to test anything: %d mutations, %d ENIs", mutations, len(enis))
	}
	if n := env.srv.snapshots.Load(); n < 3 {
		t.Fatalf("%d snapshots; the run must compact the journal mid-way to test it", n)
	}
	now := clock.Now()
	want := stateJSON(t, env.srv, now)
	env.srv.Close()

	again, err := New(Options{StatePath: path, Now: clock.Now})
	mustOK(t, err)
	t.Cleanup(again.Close)
	if got := stateJSON(t, again, now); got != want {
		t.Fatalf("the reloaded state differs from the one in memory:\nmemory: %.2000s\nloaded: %.2000s", want, got)
	}
	info, err := os.Stat(path)
	mustOK(t, err)
	if info.Mode().Perm() != 0o600 {
		t.Fatalf("state file mode %v, want 0600 (it holds access key secrets)", info.Mode().Perm())
	}
}

// A crash can cut the last journal line short; such a line was never
// acknowledged and is dropped, while a damaged line before the end is
// an error, not a silent loss.
func TestJournalTornTail(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	env := startEnv(t, nil, func(o *Options) { o.StatePath = path })
	resp, err := env.vpc.AllocateEipAddress(vpc.CreateAllocateEipAddressRequest())
	mustOK(t, err)
	env.srv.Close()

	b, err := os.ReadFile(path)
	mustOK(t, err)
	torn := append(append([]byte{}, b...), []byte(`{"t":"2026-01-01T00:00:00Z","a":"2016-04-28/AllocateEipAdd`)...)
	mustOK(t, os.WriteFile(path, torn, 0o600))
	again := startEnv(t, nil, func(o *Options) { o.StatePath = path })
	if n := eipCount(again); n != eipCount(startEnv(t, nil))+1 {
		t.Fatalf("after a torn tail: %d EIPs", n)
	}
	req := vpc.CreateDescribeEipAddressesRequest()
	req.AllocationId = resp.AllocationId
	got, err := again.vpc.DescribeEipAddresses(req)
	mustOK(t, err)
	if len(got.EipAddresses.EipAddress) != 1 {
		t.Fatal("the acknowledged EIP was lost")
	}
	again.srv.Close()

	b, err = os.ReadFile(path)
	mustOK(t, err)
	mustOK(t, os.WriteFile(path, append(b, []byte("not json\n{\"n\":\"x\"}\n")...), 0o600))
	if _, err := New(Options{StatePath: path}); err == nil {
		t.Fatal("a damaged journal line before the end was ignored")
	}
}

// ClientToken records expire after TokenTTL and never number more than
// MaxTokens, oldest dropped first; a live record still answers a retry.
func TestTokenRecordsBounded(t *testing.T) {
	srv, err := New(Options{})
	mustOK(t, err)
	srv.mu.Lock()
	defer srv.mu.Unlock()
	t0 := time.Now()
	for i := 0; i < MaxTokens+500; i++ {
		srv.rememberToken("CreateNetworkInterface/"+string(rune('a'+i%26))+time.Duration(i).String(), "fp", emptyBody, t0)
	}
	if n := len(srv.st.Tokens); n != MaxTokens || len(srv.tokenOrder) != MaxTokens {
		t.Fatalf("%d records (%d ordered), want %d", n, len(srv.tokenOrder), MaxTokens)
	}
	srv.rememberToken("AttachNetworkInterface/late", "fp2", []byte(`{"x":1}`), t0.Add(time.Hour))
	if _, _, ok := srv.replayToken("AttachNetworkInterface/late", "fp2", t0.Add(TokenTTL)); !ok {
		t.Fatal("a record younger than TokenTTL was dropped")
	}
	if _, _, ok := srv.replayToken("AttachNetworkInterface/late", "fp2", t0.Add(time.Hour+TokenTTL+time.Second)); ok {
		t.Fatal("a record older than TokenTTL still answers")
	}
	if len(srv.st.Tokens) != 0 || len(srv.tokenOrder) != 0 {
		t.Fatalf("expired records kept: %d", len(srv.st.Tokens))
	}
}

// Nonces are kept only while their request's timestamp is still valid.
func TestNoncesBoundedByTheWindow(t *testing.T) {
	srv, err := New(Options{})
	mustOK(t, err)
	t0 := time.Now()
	for i := 0; i < 1000; i++ {
		if !srv.useNonce(time.Duration(i).String(), t0, t0) {
			t.Fatal("a fresh nonce was refused")
		}
	}
	if srv.useNonce(time.Duration(5).String(), t0, t0.Add(time.Minute)) {
		t.Fatal("a reused nonce was accepted")
	}
	later := t0.Add(timestampWindow + 2*time.Minute)
	if !srv.useNonce("new", later, later) {
		t.Fatal("a fresh nonce was refused")
	}
	if n := srv.nonces.count(); n != 1 {
		t.Fatalf("%d nonces kept after their window passed, want 1", n)
	}
}

// Two spellings of one tag index (Tag.1 and Tag.01) give the same tags on
// every call, as replaying the journal needs.
func TestTagSpellingsDeterministic(t *testing.T) {
	p := params{"Tag.1.Key": "first", "Tag.01.Key": "second", "Tag.1.Value": "v"}
	want, err := p.tags("Tag")
	mustOK(t, err)
	for i := 0; i < 200; i++ {
		got, err := p.tags("Tag")
		mustOK(t, err)
		if len(got) != len(want) || got[0] != want[0] {
			t.Fatalf("call %d: %v, first call %v", i, got, want)
		}
	}
}
