package cloud

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"

	"github.com/openeni/terraform-provider-eni/internal/mockcloud"
)

// testWindow is long enough that every goroutine a test starts together
// joins the first batch, even on a loaded machine.
const testWindow = 100 * time.Millisecond

// findENIsTogether calls FindNetworkInterfaceByID for every ID at once and
// returns each caller's result by ID.
func findENIsTogether(t *testing.T, c *Client, ids []string) (map[string]*ecs.NetworkInterfaceSet, map[string]error) {
	t.Helper()
	var mu sync.Mutex
	found, errs := map[string]*ecs.NetworkInterfaceSet{}, map[string]error{}
	var wg sync.WaitGroup
	for _, id := range ids {
		wg.Go(func() {
			eni, err := c.FindNetworkInterfaceByID(context.Background(), id)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs[id] = err
				return
			}
			found[id] = eni
		})
	}
	wg.Wait()
	return found, errs
}

func eniIDs(n int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("eni-%03d", i)
	}
	return ids
}

// echoENIs answers DescribeNetworkInterfaces with every requested ENI
// except those in gone.
func echoENIs(gone ...string) func(url.Values) fakeReply {
	return func(q url.Values) fakeReply {
		var out []map[string]any
		for _, id := range requestedENIs(q) {
			if !slices.Contains(gone, id) {
				out = append(out, eniJSON(id, "Available", nil))
			}
		}
		return enisReply("", out...)
	}
}

func checkEachFound(t *testing.T, ids []string, found map[string]*ecs.NetworkInterfaceSet, errs map[string]error) {
	t.Helper()
	for _, id := range ids {
		if errs[id] != nil {
			t.Errorf("%s: %v", id, errs[id])
		} else if found[id] == nil || found[id].NetworkInterfaceId != id {
			t.Errorf("%s: got %+v", id, found[id])
		}
	}
}

func TestCoalesce_concurrentReadsShareOneCall(t *testing.T) {
	f := newFakeCloud(t)
	f.onFunc("DescribeNetworkInterfaces", echoENIs())
	c := f.client(t)
	c.CoalesceWindow = testWindow

	ids := eniIDs(40)
	found, errs := findENIsTogether(t, c, append(ids, ids[0], ids[1])) // two IDs asked twice
	checkEachFound(t, ids, found, errs)
	calls := f.callsOf("DescribeNetworkInterfaces")
	if len(calls) != 1 {
		t.Fatalf("%d DescribeNetworkInterfaces calls, want 1", len(calls))
	}
	if got := requestedENIs(calls[0].Params); len(got) != 40 {
		t.Errorf("the call named %d IDs, want 40 distinct", len(got))
	}
}

func TestCoalesce_twoCallersOfOneIDGetTheirOwnCopy(t *testing.T) {
	f := newFakeCloud(t)
	f.onFunc("DescribeNetworkInterfaces", echoENIs())
	c := f.client(t)
	c.CoalesceWindow = testWindow

	got := make([]*ecs.NetworkInterfaceSet, 2)
	var wg sync.WaitGroup
	for i := range got {
		wg.Go(func() {
			eni, err := c.FindNetworkInterfaceByID(context.Background(), "eni-1")
			if err != nil {
				t.Error(err)
				return
			}
			// A caller may change what it got (the EIP finders fill in
			// a private IP) while the other's copy is being made: with
			// -race, a copy taken from a handed-out object fails here.
			eni.Description = fmt.Sprintf("caller %d", i)
			got[i] = eni
		})
	}
	wg.Wait()
	if got[0] == nil || got[1] == nil || got[0] == got[1] ||
		&got[0].PrivateIpSets.PrivateIpSet[0] == &got[1].PrivateIpSets.PrivateIpSet[0] {
		t.Fatal("two callers of one ID share one object")
	}
	for i, eni := range got {
		if want := fmt.Sprintf("caller %d", i); eni.Description != want {
			t.Errorf("caller %d sees description %q, want its own %q", i, eni.Description, want)
		}
	}
	if n := len(f.callsOf("DescribeNetworkInterfaces")); n != 1 {
		t.Errorf("%d calls, want 1", n)
	}
}

func TestCoalesce_moreThanOneCallFullSplitsAt100(t *testing.T) {
	f := newFakeCloud(t)
	f.onFunc("DescribeNetworkInterfaces", echoENIs())
	c := f.client(t)
	c.CoalesceWindow = testWindow

	ids := eniIDs(150)
	found, errs := findENIsTogether(t, c, ids)
	checkEachFound(t, ids, found, errs)
	calls := f.callsOf("DescribeNetworkInterfaces")
	var sizes []int
	for _, call := range calls {
		sizes = append(sizes, len(requestedENIs(call.Params)))
	}
	slices.Sort(sizes)
	if !slices.Equal(sizes, []int{50, 100}) {
		t.Errorf("calls named %v IDs, want [50 100]", sizes)
	}
}

func TestCoalesce_notFoundIsPerID(t *testing.T) {
	f := newFakeCloud(t)
	f.onFunc("DescribeNetworkInterfaces", echoENIs("eni-003", "eni-007"))
	c := f.client(t)
	c.CoalesceWindow = testWindow

	ids := eniIDs(10)
	found, errs := findENIsTogether(t, c, ids)
	for _, id := range ids {
		gone := id == "eni-003" || id == "eni-007"
		var nf *NotFoundError
		switch {
		case gone && (!errors.As(errs[id], &nf) || nf.ID != id || nf.Kind != KindNetworkInterface):
			t.Errorf("%s: error %v, want a NotFoundError for it", id, errs[id])
		case !gone && (errs[id] != nil || found[id].NetworkInterfaceId != id):
			t.Errorf("%s: %v", id, errs[id])
		}
	}
	if n := len(f.callsOf("DescribeNetworkInterfaces")); n != 1 {
		t.Errorf("%d calls, want 1", n)
	}
}

func TestCoalesce_wholeCallFailureReachesEveryCaller(t *testing.T) {
	f := newFakeCloud(t)
	f.on("DescribeNetworkInterfaces", apiErr(403, "Forbidden.RAM", "not allowed"))
	c := f.client(t)
	c.CoalesceWindow = testWindow

	ids := eniIDs(5)
	_, errs := findENIsTogether(t, c, ids)
	for _, id := range ids {
		if !IsCode(errs[id], "Forbidden.RAM") || IsNotFound(errs[id]) {
			t.Errorf("%s: error %v, want the API's Forbidden.RAM", id, errs[id])
		}
	}
	if n := len(f.callsOf("DescribeNetworkInterfaces")); n != 1 {
		t.Errorf("%d calls, want 1 (an error no ID causes is not split)", n)
	}
}

// A call refused because of one ID is asked again in halves, so the other
// IDs are read and only the bad one gets the error, the same error as if
// it had been asked alone.
func TestCoalesce_oneBadIDFailsOnlyItself(t *testing.T) {
	for _, tt := range []struct {
		code     string
		status   int
		notFound bool
	}{
		{"InvalidEniId.Malformed", 400, false},
		{CodeEniNotFound, 404, true},
	} {
		t.Run(tt.code, func(t *testing.T) {
			f := newFakeCloud(t)
			echo := echoENIs()
			f.onFunc("DescribeNetworkInterfaces", func(q url.Values) fakeReply {
				if slices.Contains(requestedENIs(q), "eni-bad") {
					return apiErr(tt.status, tt.code, "The specified NetworkInterfaceId is not valid.")
				}
				return echo(q)
			})
			c := f.client(t)
			c.CoalesceWindow = testWindow

			ids := eniIDs(15)
			found, errs := findENIsTogether(t, c, append(slices.Clone(ids), "eni-bad"))
			checkEachFound(t, ids, found, errs)
			if err := errs["eni-bad"]; !IsCode(err, tt.code) || IsNotFound(err) != tt.notFound {
				t.Errorf("eni-bad: error %v, want %s (not found: %v)", err, tt.code, tt.notFound)
			}
			// 1 + 2 per level of halving (16 → 8 → 4 → 2 → 1).
			if n := len(f.callsOf("DescribeNetworkInterfaces")); n > 9 {
				t.Errorf("%d calls, want at most 9", n)
			}
		})
	}
}

func TestCoalesce_cancelledCallerLeavesTheOthers(t *testing.T) {
	f := newFakeCloud(t)
	release := make(chan struct{})
	echo := echoENIs()
	f.onFunc("DescribeNetworkInterfaces", func(q url.Values) fakeReply {
		<-release
		return echo(q)
	})
	c := f.client(t)
	c.CoalesceWindow = 20 * time.Millisecond

	// The first caller opens the batch (its context is the one the call
	// inherits values from) and gives up while the call is in flight.
	ctx, cancel := context.WithCancel(context.Background())
	first := make(chan error, 1)
	go func() {
		_, err := c.FindNetworkInterfaceByID(ctx, "eni-1")
		first <- err
	}()
	time.Sleep(5 * time.Millisecond)
	second := make(chan error, 1)
	go func() {
		eni, err := c.FindNetworkInterfaceByID(context.Background(), "eni-2")
		if err == nil && eni.NetworkInterfaceId != "eni-2" {
			err = fmt.Errorf("got %s", eni.NetworkInterfaceId)
		}
		second <- err
	}()
	for len(f.callsOf("DescribeNetworkInterfaces")) == 0 {
		time.Sleep(time.Millisecond)
	}
	cancel()
	select {
	case err := <-first:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("cancelled caller: %v, want context.Canceled", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the cancelled caller is still waiting for the call")
	}
	close(release)
	if err := <-second; err != nil {
		t.Errorf("the other caller: %v", err)
	}
	if n := len(f.callsOf("DescribeNetworkInterfaces")); n != 1 {
		t.Errorf("%d calls, want 1", n)
	}
}

func TestCoalesce_everyCallerGoneBeforeSendingMakesNoCall(t *testing.T) {
	f := newFakeCloud(t)
	f.onFunc("DescribeNetworkInterfaces", echoENIs())
	c := f.client(t)
	c.CoalesceWindow = 50 * time.Millisecond

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Millisecond)
	defer cancel()
	if _, err := c.FindNetworkInterfaceByID(ctx, "eni-1"); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("error %v, want context.DeadlineExceeded", err)
	}
	time.Sleep(100 * time.Millisecond)
	if n := len(f.callsOf("DescribeNetworkInterfaces")); n != 0 {
		t.Errorf("%d calls for a batch every caller left, want 0", n)
	}
	// A later read opens a batch of its own.
	if _, err := c.FindNetworkInterfaceByID(context.Background(), "eni-1"); err != nil {
		t.Fatal(err)
	}
}

func TestCoalesce_offMakesOneCallPerRead(t *testing.T) {
	f := newFakeCloud(t)
	f.onFunc("DescribeNetworkInterfaces", echoENIs())
	c := f.client(t, func(cfg *Config) { cfg.SingleReads = true })
	if c.CoalesceWindow != 0 {
		t.Fatalf("CoalesceWindow = %v with SingleReads", c.CoalesceWindow)
	}
	ids := eniIDs(12)
	found, errs := findENIsTogether(t, c, ids)
	checkEachFound(t, ids, found, errs)
	calls := f.callsOf("DescribeNetworkInterfaces")
	if len(calls) != 12 {
		t.Fatalf("%d calls, want 12", len(calls))
	}
	for _, call := range calls {
		if n := len(requestedENIs(call.Params)); n != 1 {
			t.Errorf("a call named %d IDs, want 1", n)
		}
	}
}

func TestCoalesce_instancesAndEIPs(t *testing.T) {
	f := newFakeCloud(t)
	f.onFunc("DescribeInstances", func(q url.Values) fakeReply {
		var ids []string
		if err := json.Unmarshal([]byte(q.Get("InstanceIds")), &ids); err != nil {
			return apiErr(400, "InvalidInstanceIds.Malformed", err.Error())
		}
		var out []map[string]any
		for _, id := range ids {
			out = append(out, map[string]any{"InstanceId": id, "Status": "Running"})
		}
		return ok(map[string]any{"Instances": map[string]any{"Instance": out}})
	})
	f.onFunc("DescribeEipAddresses", func(q url.Values) fakeReply {
		var out []map[string]any
		for _, id := range strings.Split(q.Get("AllocationId"), ",") {
			out = append(out, map[string]any{"AllocationId": id, "Status": "Available"})
		}
		return ok(map[string]any{"EipAddresses": map[string]any{"EipAddress": out}})
	})
	c := f.client(t)
	c.CoalesceWindow = testWindow

	var wg sync.WaitGroup
	for i := range 30 {
		wg.Go(func() {
			id := fmt.Sprintf("i-%d", i)
			if in, err := c.FindInstanceByID(context.Background(), id); err != nil || in.InstanceId != id {
				t.Errorf("%s: %v", id, err)
			}
		})
	}
	for i := range 60 {
		wg.Go(func() {
			id := fmt.Sprintf("eip-%d", i)
			if e, err := c.FindEIPByAllocationID(context.Background(), id); err != nil || e.AllocationId != id {
				t.Errorf("%s: %v", id, err)
			}
		})
	}
	wg.Wait()
	if calls := f.callsOf("DescribeInstances"); len(calls) != 1 || calls[0].Params.Get("MaxResults") != "100" {
		t.Errorf("DescribeInstances: %d calls, want 1 with MaxResults 100", len(calls))
	}
	var sizes []int
	for _, call := range f.callsOf("DescribeEipAddresses") {
		sizes = append(sizes, len(strings.Split(call.Params.Get("AllocationId"), ",")))
	}
	slices.Sort(sizes)
	if !slices.Equal(sizes, []int{10, 50}) {
		t.Errorf("DescribeEipAddresses calls named %v IDs, want [10 50]", sizes)
	}
}

// Against the emulator: a read that starts after a write of the same
// object sees the write, even while other reads of it keep a batch in
// flight nearly all the time. Answers to Describe calls are held 30 ms
// after the emulator made them (the write is not), so a read that joined
// a batch already sent would see the name from before the write.
func TestCoalesce_readAfterWriteSeesTheWrite(t *testing.T) {
	srv, err := mockcloud.New(mockcloud.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		form, _ := url.ParseQuery(string(body))
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, r)
		if strings.HasPrefix(form.Get("Action")+r.URL.Query().Get("Action"), "Describe") {
			time.Sleep(30 * time.Millisecond)
		}
		maps.Copy(w.Header(), rec.Header())
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes())
	}))
	t.Cleanup(slow.Close)
	seed := mockcloud.DefaultSeed()
	c, err := New(Config{Region: seed.RegionID, AccessKey: seed.Credentials[0].AccessKeyID,
		SecretKey: seed.Credentials[0].AccessKeySecret, ECSEndpoint: slow.URL, VPCEndpoint: slow.URL})
	if err != nil {
		t.Fatal(err)
	}
	c.CoalesceWindow = 2 * time.Millisecond
	ctx := context.Background()
	var ids []string
	for range 3 {
		req := ecs.CreateCreateNetworkInterfaceRequest()
		req.VSwitchId, req.SecurityGroupId = "vsw-mockh", "sg-mockweb"
		resp, err := c.CreateNetworkInterface(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, resp.NetworkInterfaceId)
	}

	// Background readers of every ENI, so that a batch is always open or
	// in flight when the test reads.
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for i := range 6 {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				if _, err := c.FindNetworkInterfaceByID(ctx, ids[i%len(ids)]); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	defer func() { close(stop); wg.Wait() }()

	for round := range 15 {
		// Out of step with the readers, whose batches this read's batch
		// just ended: the write and read land while one is in flight.
		time.Sleep(time.Duration(5+round%4*6) * time.Millisecond)
		name := fmt.Sprintf("round-%d", round)
		req := ecs.CreateModifyNetworkInterfaceAttributeRequest()
		req.NetworkInterfaceId, req.NetworkInterfaceName = ids[0], name
		if _, err := c.ModifyNetworkInterfaceAttribute(ctx, req); err != nil {
			t.Fatal(err)
		}
		eni, err := c.FindNetworkInterfaceByID(ctx, ids[0])
		if err != nil {
			t.Fatal(err)
		}
		if eni.NetworkInterfaceName != name {
			t.Fatalf("round %d: read after the write saw name %q, want %q", round, eni.NetworkInterfaceName, name)
		}
	}
	st := srv.Stats()
	if reads := st.Actions["DescribeNetworkInterfaces"]; reads == 0 {
		t.Fatal("no DescribeNetworkInterfaces on the emulator")
	}
}

// The latency coalescing adds to a read nobody else makes at the same
// time: the window, plus a timer's wake-up.
func BenchmarkFindNetworkInterfaceByID(b *testing.B) {
	for _, window := range []time.Duration{0, 3 * time.Millisecond, DefaultCoalesceWindow, 25 * time.Millisecond} {
		b.Run("window="+window.String(), func(b *testing.B) {
			f := newFakeCloud(b)
			f.onFunc("DescribeNetworkInterfaces", echoENIs())
			c := f.client(b)
			c.CoalesceWindow = window
			for b.Loop() {
				if _, err := c.FindNetworkInterfaceByID(context.Background(), "eni-1"); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
