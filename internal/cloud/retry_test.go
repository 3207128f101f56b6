package cloud

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"
	"github.com/hashicorp/terraform-plugin-log/tflogtest"
)

func TestCall_retriesThrottlingWithOneClientToken(t *testing.T) {
	f := newFakeCloud(t)
	f.on("CreateNetworkInterface",
		apiErr(400, "Throttling.User", "Request was denied due to user flow control."),
		apiErr(503, "ServiceUnavailable", "The request has failed due to a temporary failure of the server."),
		ok(map[string]any{"NetworkInterfaceId": "eni-1", "Status": "Available"}),
	)
	c := f.client(t)

	req := ecs.CreateCreateNetworkInterfaceRequest()
	req.VSwitchId = "vsw-1"
	resp, err := c.CreateNetworkInterface(context.Background(), req)
	if err != nil {
		t.Fatalf("CreateNetworkInterface: %v", err)
	}
	if resp.NetworkInterfaceId != "eni-1" {
		t.Errorf("NetworkInterfaceId = %q, want eni-1", resp.NetworkInterfaceId)
	}

	calls := f.callsOf("CreateNetworkInterface")
	if len(calls) != 3 {
		t.Fatalf("attempts = %d, want 3", len(calls))
	}
	token := calls[0].Params.Get("ClientToken")
	if token == "" || len(token) > 64 {
		t.Fatalf("ClientToken %q: want 1-64 characters", token)
	}
	for i, call := range calls {
		if got := call.Params.Get("ClientToken"); got != token {
			t.Errorf("attempt %d ClientToken = %q, want %q (same on every retry)", i+1, got, token)
		}
		if got := call.Params.Get("RegionId"); got != "cn-hangzhou" {
			t.Errorf("attempt %d RegionId = %q, want cn-hangzhou", i+1, got)
		}
	}
	if req.RegionId != "cn-hangzhou" {
		t.Errorf("req.RegionId = %q, want it filled from the config", req.RegionId)
	}
}

func TestCall_callerClientTokenIsKept(t *testing.T) {
	f := newFakeCloud(t)
	f.on("AllocateEipAddress", ok(map[string]any{"AllocationId": "eip-1"}))
	c := f.client(t)

	req := vpc.CreateAllocateEipAddressRequest()
	req.ClientToken = "my-token"
	if _, err := c.AllocateEipAddress(context.Background(), req); err != nil {
		t.Fatal(err)
	}
	if got := f.callsOf("AllocateEipAddress")[0].Params.Get("ClientToken"); got != "my-token" {
		t.Errorf("ClientToken = %q, want my-token", got)
	}
}

func TestCall_failsFastOnNonRetryableCode(t *testing.T) {
	f := newFakeCloud(t)
	f.on("CreateNetworkInterface", apiErr(404, "InvalidVSwitchId.NotFound", "The specified VSwitchId does not exist."))
	c := f.client(t)

	_, err := c.CreateNetworkInterface(context.Background(), ecs.CreateCreateNetworkInterfaceRequest())
	if err == nil {
		t.Fatal("want an error")
	}
	if n := len(f.callsOf("CreateNetworkInterface")); n != 1 {
		t.Errorf("attempts = %d, want 1", n)
	}
	want := "CreateNetworkInterface: InvalidVSwitchId.NotFound: The specified VSwitchId does not exist. (RequestId: REQ-"
	if !strings.HasPrefix(err.Error(), want) {
		t.Errorf("error = %q, want prefix %q", err, want)
	}
	var ae *APIError
	if !errors.As(err, &ae) {
		t.Fatalf("error %T is not an *APIError", err)
	}
	if ae.Action != "CreateNetworkInterface" || ae.Code != "InvalidVSwitchId.NotFound" || ae.HTTPStatus != 404 || ae.RequestID == "" {
		t.Errorf("APIError = %+v", ae)
	}
	if !IsNotFound(err) || IsRetryable(err) {
		t.Errorf("IsNotFound = %v, IsRetryable = %v; want true, false", IsNotFound(err), IsRetryable(err))
	}
}

func TestCall_maxRetriesBound(t *testing.T) {
	f := newFakeCloud(t)
	f.on("DescribeNetworkInterfaces", apiErr(503, "ServiceUnavailable", "busy"))
	c := f.client(t, func(cfg *Config) { cfg.MaxRetries = 3 })

	_, err := c.DescribeNetworkInterfaces(context.Background(), ecs.CreateDescribeNetworkInterfacesRequest())
	if !IsCode(err, "ServiceUnavailable") {
		t.Fatalf("error = %v, want ServiceUnavailable", err)
	}
	if n := len(f.callsOf("DescribeNetworkInterfaces")); n != 4 {
		t.Errorf("attempts = %d, want 4 (1 + MaxRetries 3)", n)
	}
	if !strings.Contains(err.Error(), "gave up after 4 attempts") {
		t.Errorf("error %q should say how many attempts were made", err)
	}
}

func TestCall_negativeMaxRetriesMeansOneAttempt(t *testing.T) {
	f := newFakeCloud(t)
	f.on("DescribeNetworkInterfaces", apiErr(400, "Throttling", "slow down"))
	c := f.client(t, func(cfg *Config) { cfg.MaxRetries = -1 })

	_, err := c.DescribeNetworkInterfaces(context.Background(), ecs.CreateDescribeNetworkInterfacesRequest())
	if !IsCode(err, "Throttling") {
		t.Fatalf("error = %v", err)
	}
	if n := len(f.callsOf("DescribeNetworkInterfaces")); n != 1 {
		t.Errorf("attempts = %d, want 1", n)
	}
}

func TestCall_stopsAtContextDeadlineInsteadOfSleepingPastIt(t *testing.T) {
	f := newFakeCloud(t)
	f.on("DescribeNetworkInterfaces", apiErr(400, "Throttling.User", "slow down"))
	c := f.client(t, func(cfg *Config) { cfg.MaxRetries = 50 })
	// Backoff far longer than the deadline: the first retry's sleep could
	// not finish in time, so call must give up instead of sleeping.
	c.RetryBaseDelay = 10 * time.Second
	c.RetryMaxDelay = time.Minute

	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.DescribeNetworkInterfaces(ctx, ecs.CreateDescribeNetworkInterfacesRequest())
	elapsed := time.Since(start)

	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("error = %v, want it to wrap context.DeadlineExceeded", err)
	}
	if !IsCode(err, "Throttling.User") {
		t.Errorf("error = %v, want the last API error kept", err)
	}
	if n := len(f.callsOf("DescribeNetworkInterfaces")); n >= 51 {
		t.Errorf("attempts = %d, want fewer than max", n)
	}
	if elapsed > 5*time.Second {
		t.Errorf("returned after %s; a backoff sleep was not cut short", elapsed)
	}
}

func TestCall_contextDeadlineAbortsRequestInFlight(t *testing.T) {
	f := newFakeCloud(t)
	f.on("DescribeInstances", fakeReply{hang: true})
	c := f.client(t)

	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.DescribeInstances(ctx, ecs.CreateDescribeInstancesRequest())
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("error = %v, want context.DeadlineExceeded", err)
	}
	if n := len(f.callsOf("DescribeInstances")); n != 1 {
		t.Errorf("attempts = %d, want 1", n)
	}
	// The SDK's own read timeout is 10s or more; returning earlier proves
	// the context reached the HTTP request.
	if elapsed := time.Since(start); elapsed > 5*time.Second {
		t.Errorf("returned after %s", elapsed)
	}
}

func TestCall_retriesTransportErrors(t *testing.T) {
	f := newFakeCloud(t)
	f.on("DescribeVSwitches",
		fakeReply{drop: true},
		ok(map[string]any{"VSwitches": map[string]any{"VSwitch": []any{}}}),
	)
	c := f.client(t)

	if _, err := c.DescribeVSwitches(context.Background(), vpc.CreateDescribeVSwitchesRequest()); err != nil {
		t.Fatalf("DescribeVSwitches: %v", err)
	}
	if n := len(f.callsOf("DescribeVSwitches")); n != 2 {
		t.Errorf("attempts = %d, want 2", n)
	}
}

func TestCall_transportErrorHidesCredentials(t *testing.T) {
	f := newFakeCloud(t)
	f.on("DescribeVSwitches", fakeReply{drop: true})
	c := f.client(t, func(cfg *Config) {
		cfg.MaxRetries = 1
		cfg.SecurityToken = "secret-sts-token"
	})

	_, err := c.DescribeVSwitches(context.Background(), vpc.CreateDescribeVSwitchesRequest())
	if err == nil {
		t.Fatal("want an error")
	}
	if !IsRetryable(err) {
		t.Errorf("transport error %v should be retryable", err)
	}
	for _, leak := range []string{"secret-sts-token", "test-ak", "Signature"} {
		if strings.Contains(err.Error(), leak) {
			t.Errorf("error %q leaks %q", err, leak)
		}
	}
	if got := f.callsOf("DescribeVSwitches")[0].Params.Get("SecurityToken"); got != "secret-sts-token" {
		t.Errorf("SecurityToken sent = %q, want the STS token", got)
	}
}

func TestCall_extraRetryableCodesPerCall(t *testing.T) {
	f := newFakeCloud(t)
	busy := apiErr(400, CodeInvalidEcsState, "The instance is in a state that does not allow this operation.")
	f.on("AttachNetworkInterface", busy, busy, ok(nil))
	c := f.client(t)

	req := ecs.CreateAttachNetworkInterfaceRequest()
	req.NetworkInterfaceId, req.InstanceId = "eni-1", "i-1"
	if _, err := c.AttachNetworkInterface(context.Background(), req, RetryOn(RetryOnInstanceTransition...)); err != nil {
		t.Fatalf("AttachNetworkInterface with RetryOn: %v", err)
	}
	if n := len(f.callsOf("AttachNetworkInterface")); n != 3 {
		t.Errorf("attempts = %d, want 3", n)
	}

	// Without the option the same code fails at once.
	f.on("DetachNetworkInterface", busy)
	_, err := c.DetachNetworkInterface(context.Background(), ecs.CreateDetachNetworkInterfaceRequest())
	if !IsCode(err, CodeInvalidEcsState) {
		t.Fatalf("error = %v", err)
	}
	if n := len(f.callsOf("DetachNetworkInterface")); n != 1 {
		t.Errorf("attempts = %d, want 1", n)
	}
}

func TestCall_userAgent(t *testing.T) {
	f := newFakeCloud(t)
	f.on("DescribeVpcs", ok(map[string]any{"Vpcs": map[string]any{"Vpc": []any{}}}))
	c := f.client(t, func(cfg *Config) { cfg.UserAgent = "terraform-provider-eni/1.2.3" })

	if _, err := c.DescribeVpcs(context.Background(), vpc.CreateDescribeVpcsRequest()); err != nil {
		t.Fatal(err)
	}
	ua := f.callsOf("DescribeVpcs")[0].Header.Get("User-Agent")
	if !strings.Contains(ua, "terraform-provider-eni/1.2.3") {
		t.Errorf("User-Agent = %q", ua)
	}
}

func TestCall_rejectsUninitialisedRequest(t *testing.T) {
	f := newFakeCloud(t)
	c := f.client(t)
	_, err := c.DeleteNetworkInterface(context.Background(), &ecs.DeleteNetworkInterfaceRequest{})
	if err == nil || !strings.Contains(err.Error(), "Create...Request") {
		t.Errorf("error = %v", err)
	}
	_, err = c.DeleteNetworkInterface(context.Background(), nil)
	if err == nil {
		t.Error("nil request: want an error")
	}
}

func TestBackoff_fullJitterWithinCap(t *testing.T) {
	c := &Client{RetryBaseDelay: 100 * time.Millisecond, RetryMaxDelay: time.Second}
	for attempt := 1; attempt <= 40; attempt++ {
		ceiling := min(time.Second, 100*time.Millisecond<<min(attempt-1, 20))
		for range 50 {
			if d := c.backoff(attempt); d < 0 || d > ceiling {
				t.Fatalf("backoff(%d) = %s, want within [0, %s]", attempt, d, ceiling)
			}
		}
	}
}

func TestNewClientToken(t *testing.T) {
	a, b := newClientToken(), newClientToken()
	if a == b {
		t.Error("two tokens are equal")
	}
	if len(a) != 36 || len(a) > 64 {
		t.Errorf("token %q has length %d", a, len(a))
	}
	for _, r := range a {
		if r > 127 {
			t.Errorf("token %q is not ASCII", a)
		}
	}
}

func TestCall_logsEveryAttemptWithoutSecrets(t *testing.T) {
	f := newFakeCloud(t)
	f.on("CreateNetworkInterface",
		apiErr(400, "Throttling.User", "slow down"),
		ok(map[string]any{"NetworkInterfaceId": "eni-1"}),
	)
	c := f.client(t, func(cfg *Config) { cfg.SecurityToken = "secret-sts-token" })

	var buf bytes.Buffer
	ctx := tflogtest.RootLogger(context.Background(), &buf)
	if _, err := c.CreateNetworkInterface(ctx, ecs.CreateCreateNetworkInterfaceRequest()); err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{"test-sk", "test-ak", "secret-sts-token", "Signature"} {
		if strings.Contains(buf.String(), secret) {
			t.Errorf("log contains %q", secret)
		}
	}
	entries, err := tflogtest.MultilineJSONDecode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 2 {
		t.Fatalf("log entries = %d, want 2: %v", len(entries), entries)
	}
	first, second := entries[0], entries[1]
	if first["action"] != "CreateNetworkInterface" || first["attempt"] != float64(1) ||
		first["error_code"] != "Throttling.User" || first["request_id"] == nil || first["@level"] != "debug" {
		t.Errorf("first attempt log = %v", first)
	}
	if second["attempt"] != float64(2) || second["request_id"] == nil || second["duration_ms"] == nil ||
		second["client_token"] != first["client_token"] {
		t.Errorf("second attempt log = %v", second)
	}
}

func TestClient_concurrentCalls(t *testing.T) {
	f := newFakeCloud(t)
	f.onFunc("DescribeNetworkInterfaces", func(q url.Values) fakeReply {
		return enisReply("", enisNamed(q, "Available")...)
	})
	c := f.client(t)

	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for i := range 20 {
		wg.Go(func() {
			id := fmt.Sprintf("eni-%d", i)
			eni, err := c.FindNetworkInterfaceByID(context.Background(), id)
			if err == nil && eni.NetworkInterfaceId != id {
				err = fmt.Errorf("asked %s, got %s", id, eni.NetworkInterfaceId)
			}
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
}

func TestCall_cancelDuringBackoffKeepsLastAPIError(t *testing.T) {
	f := newFakeCloud(t)
	f.on("DescribeNetworkInterfaces", apiErr(400, "Throttling", "slow down"))
	c := f.client(t)
	c.RetryBaseDelay, c.RetryMaxDelay = time.Hour, time.Hour // only cancellation ends the sleep

	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	_, err := c.DescribeNetworkInterfaces(ctx, ecs.CreateDescribeNetworkInterfacesRequest())
	if !errors.Is(err, context.Canceled) || !IsCode(err, "Throttling") {
		t.Fatalf("error = %v, want both context.Canceled and the Throttling API error", err)
	}
}
