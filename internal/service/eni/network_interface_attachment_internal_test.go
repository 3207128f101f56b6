package eni

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"

	"github.com/openeni/terraform-provider-eni/internal/cloud"
	"github.com/openeni/terraform-provider-eni/internal/domain"
	"github.com/openeni/terraform-provider-eni/internal/mockcloud"
)

// The stop/start choreography of stop_instance_if_required, driven
// directly against the emulator: the failure paths cannot be provoked
// through Terraform, since the plan refuses every binding the API would.

func testAttachmentResource(t *testing.T) (*networkInterfaceAttachmentResource, *mockcloud.Server) {
	t.Helper()
	seed := mockcloud.DefaultSeed()
	srv, err := mockcloud.Start(mockcloud.Options{Seed: seed, TransitionDelay: 30 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	c, err := cloud.New(cloud.Config{Region: seed.RegionID, AccessKey: seed.Credentials[0].AccessKeyID,
		SecretKey: seed.Credentials[0].AccessKeySecret, ECSEndpoint: srv.URL(), VPCEndpoint: srv.URL()})
	if err != nil {
		t.Fatal(err)
	}
	c.RetryBaseDelay, c.PollMinInterval, c.PollMaxInterval = 10*time.Millisecond, 10*time.Millisecond, 50*time.Millisecond
	return &networkInterfaceAttachmentResource{meta: NewMeta(c)}, srv
}

func instanceStatus(t *testing.T, r *networkInterfaceAttachmentResource, id string) string {
	t.Helper()
	inst, err := r.meta.Client.FindInstanceByID(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return inst.Status
}

func TestAttachmentWithInstanceReady_restartsAfterFailure(t *testing.T) {
	r, srv := testAttachmentResource(t)
	seen := ""
	err := r.withInstanceReady(context.Background(), "i-mockburst", "attach", swapOpts{stop: true, timeout: time.Minute},
		func(context.Context, []cloud.CallOption) error {
			seen = instanceStatus(t, r, "i-mockburst")
			return errors.New("attach refused")
		})
	if err == nil || !strings.Contains(err.Error(), "attach refused") {
		t.Fatalf("err = %v, want the attach error", err)
	}
	if seen != domain.InstanceStatusStopped {
		t.Errorf("the attach ran while the instance was %s", seen)
	}
	if got := instanceStatus(t, r, "i-mockburst"); got != domain.InstanceStatusRunning {
		t.Errorf("instance left %s, want Running", got)
	}
	if a := srv.Stats().Actions; a["StopInstance"] != 1 || a["StartInstance"] != 1 {
		t.Errorf("stops %d, starts %d; want 1 and 1", a["StopInstance"], a["StartInstance"])
	}
}

// The restart has a context of its own: an operation that ran out of time
// still leaves the instance running.
func TestAttachmentWithInstanceReady_restartsAfterTimeout(t *testing.T) {
	r, _ := testAttachmentResource(t)
	ctx, cancel := context.WithCancel(context.Background())
	err := r.withInstanceReady(ctx, "i-mockburst", "detach", swapOpts{stop: true, timeout: time.Minute},
		func(ctx context.Context, _ []cloud.CallOption) error {
			cancel()
			return ctx.Err()
		})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	if got := instanceStatus(t, r, "i-mockburst"); got != domain.InstanceStatusRunning {
		t.Errorf("instance left %s, want Running", got)
	}
}

func TestAttachmentWithInstanceReady_refusesWithoutStop(t *testing.T) {
	r, srv := testAttachmentResource(t)
	err := r.withInstanceReady(context.Background(), "i-mockburst", "attach", swapOpts{timeout: time.Minute},
		func(context.Context, []cloud.CallOption) error {
			t.Error("the attach ran on a Running instance without hot swap")
			return nil
		})
	if err == nil || !strings.Contains(err.Error(), "set stop_instance_if_required = true") {
		t.Fatalf("err = %v", err)
	}
	if n := srv.Stats().Mutating; n != 0 {
		t.Errorf("%d mutating calls", n)
	}
}

// A transitional state is waited out, and the instance is left in the
// state it settles in.
func TestAttachmentWithInstanceReady_waitsOutTransition(t *testing.T) {
	r, srv := testAttachmentResource(t)
	stop := ecs.CreateStopInstanceRequest()
	stop.InstanceId = "i-mockweb1"
	if _, err := r.meta.Client.StopInstance(context.Background(), stop); err != nil {
		t.Fatal(err)
	}
	var seen string
	var opts int
	err := r.withInstanceReady(context.Background(), "i-mockweb1", "attach", swapOpts{timeout: time.Minute},
		func(_ context.Context, o []cloud.CallOption) error {
			seen, opts = instanceStatus(t, r, "i-mockweb1"), len(o)
			return nil
		})
	if err != nil {
		t.Fatal(err)
	}
	if seen != domain.InstanceStatusStopped || opts == 0 {
		t.Errorf("attach ran with the instance %s and %d call options; want Stopped and the transition codes retried", seen, opts)
	}
	if a := srv.Stats().Actions; a["StopInstance"] != 1 || a["StartInstance"] != 0 {
		t.Errorf("stops %d, starts %d; want 1 (the test's) and 0", a["StopInstance"], a["StartInstance"])
	}
}
