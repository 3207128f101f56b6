package eni

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

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
	return attachmentResourceWith(NewMeta(c)), srv
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

// --- plan-time checks of attachments planned in parallel ----------------

func testCreateENIs(t *testing.T, r *networkInterfaceAttachmentResource, n int) []string {
	t.Helper()
	var ids []string
	for range n {
		req := ecs.CreateCreateNetworkInterfaceRequest()
		req.VSwitchId, req.SecurityGroupId = "vsw-mockh", "sg-mockweb"
		out, err := r.meta.Client.CreateNetworkInterface(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := r.meta.Client.WaitNetworkInterfaceAvailable(context.Background(), out.NetworkInterfaceId, 0); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, out.NetworkInterfaceId)
	}
	return ids
}

func testPlannedAttachment(eniID, instanceID string) attachmentModel {
	return attachmentModel{
		NetworkInterfaceID: types.StringValue(eniID), InstanceID: types.StringValue(instanceID),
		NetworkCardIndex: types.Int64Null(), WaitForNetworkConfigurationReady: types.BoolNull(),
		StopInstanceIfRequired: types.BoolValue(false),
	}
}

// planInParallel plans the attachments at the same moment, as one walk
// (a fresh registry), and returns each one's diagnostics.
func planInParallel(r *networkInterfaceAttachmentResource, plans []attachmentModel) []diag.Diagnostics {
	r.meta = &Meta{Client: r.meta.Client, Plans: &Walk{}}
	out := make([]diag.Diagnostics, len(plans))
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i, p := range plans {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			r.planAttach(context.Background(), p, &out[i])
		}()
	}
	close(start)
	wg.Wait()
	return out
}

func errorDetails(all []diag.Diagnostics, summary string) []string {
	var out []string
	for _, d := range all {
		for _, e := range d.Errors() {
			if e.Summary() == summary {
				out = append(out, e.Detail())
			}
		}
	}
	return out
}

// Five attachments to an instance with room for two, planned at the same
// moment, again and again: every time exactly three fail, all with the
// same text, which says how to destroy anyway.
func TestAttachmentPlan_limitSameInEveryRun(t *testing.T) {
	r, srv := testAttachmentResource(t)
	enis := testCreateENIs(t, r, 5)
	srv.ResetStats()
	var plans []attachmentModel
	for _, id := range enis {
		plans = append(plans, testPlannedAttachment(id, "i-mockweb1"))
	}
	var first string
	for run := range 20 {
		errs := errorDetails(planInParallel(r, plans), "Too many network interfaces")
		if len(errs) != 3 {
			t.Fatalf("run %d: %d limit errors, want 3: %q", run, len(errs), errs)
		}
		for _, e := range errs {
			if first == "" {
				first = e
			}
			if e != first {
				t.Fatalf("run %d: the error text varies:\n%s\n%s", run, e, first)
			}
		}
	}
	for _, want := range []string{"at most 3 ENIs", "so this plan can attach 2 more", "terraform destroy -refresh=false"} {
		if !strings.Contains(first, want) {
			t.Errorf("error %q does not say %q", first, want)
		}
	}
	if n := srv.Stats().Mutating; n != 0 {
		t.Errorf("%d mutating calls at plan", n)
	}
}

// One ENI in two new attachments, to two instances or to one, planned at
// the same moment: exactly one of them fails, naming both instances.
func TestAttachmentPlan_duplicateInParallel(t *testing.T) {
	r, srv := testAttachmentResource(t)
	eni := testCreateENIs(t, r, 1)[0]
	srv.ResetStats()
	for _, tc := range []struct{ a, b, want string }{
		{"i-mockweb1", "i-mockweb2", `bound to instance i-mockweb[12] by this eni_network_interface_attachment and to instance i-mockweb[12] by another`},
		{"i-mockweb1", "i-mockweb1", `bound to instance i-mockweb1 by this eni_network_interface_attachment and to instance i-mockweb1 as well by another`},
	} {
		for run := range 10 {
			errs := errorDetails(planInParallel(r, []attachmentModel{testPlannedAttachment(eni, tc.a), testPlannedAttachment(eni, tc.b)}),
				"Network interface claimed by two attachments")
			if len(errs) != 1 || !regexp.MustCompile(tc.want).MatchString(errs[0]) || !strings.Contains(errs[0], "terraform destroy -refresh=false") {
				t.Fatalf("%s and %s, run %d: errors %q, want one matching %q", tc.a, tc.b, run, errs, tc.want)
			}
		}
	}
	if n := srv.Stats().Mutating; n != 0 {
		t.Errorf("%d mutating calls at plan", n)
	}
}

// Two ENIs of vSwitch vsw-mockh (that of the instance's primary ENI) to
// one instance: the warning is given once in the walk.
func TestAttachmentPlan_sameVSwitchWarnedOnce(t *testing.T) {
	r, _ := testAttachmentResource(t)
	enis := testCreateENIs(t, r, 2)
	var plans []attachmentModel
	for _, id := range enis {
		plans = append(plans, testPlannedAttachment(id, "i-mockweb1"))
	}
	warnings := 0
	for _, d := range planInParallel(r, plans) {
		if d.HasError() {
			t.Fatalf("errors: %v", d.Errors())
		}
		for _, w := range d.Warnings() {
			if strings.HasPrefix(w.Summary(), "Several network interfaces of vSwitch vsw-mockh on instance i-mockweb1") {
				warnings++
			}
		}
	}
	if warnings != 1 {
		t.Errorf("%d warnings about vsw-mockh on i-mockweb1, want 1", warnings)
	}
}

// The instance is gone: the detach of a destroy succeeds without a call,
// and the destroy's plan has nothing to say.
func TestAttachmentDelete_instanceGone(t *testing.T) {
	r, srv := testAttachmentResource(t)
	eni := testCreateENIs(t, r, 1)[0]
	srv.ResetStats()
	if err := r.detach(context.Background(), eni, "i-gone", swapOpts{eniID: eni, timeout: time.Minute}); err != nil {
		t.Errorf("detach: %v", err)
	}
	var diags diag.Diagnostics
	r.planDetach(context.Background(), testPlannedAttachment(eni, "i-gone"), &diags)
	if len(diags) != 0 {
		t.Errorf("destroy plan: %v", diags)
	}
	if n := srv.Stats().Mutating; n != 0 {
		t.Errorf("%d mutating calls", n)
	}
}

// A run was killed while the instance was stopped for a detach, after the
// detach took effect: the destroy that follows finds nothing to detach
// and starts the instance again.
func TestAttachmentDetach_nothingToDoRestartsMarkedInstance(t *testing.T) {
	r, _ := testAttachmentResource(t)
	eni := testCreateENIs(t, r, 1)[0]
	ctx := context.Background()
	if err := r.meta.Client.MarkStopped(ctx, "i-mockburst", "detach "+eni); err != nil {
		t.Fatal(err)
	}
	stop := ecs.CreateStopInstanceRequest()
	stop.InstanceId = "i-mockburst"
	if _, err := r.meta.Client.StopInstance(ctx, stop); err != nil {
		t.Fatal(err)
	}
	if _, err := r.meta.Client.WaitInstanceStatus(ctx, "i-mockburst", domain.InstanceStatusStopped, time.Minute); err != nil {
		t.Fatal(err)
	}
	if err := r.detach(ctx, eni, "i-mockburst", swapOpts{eniID: eni, stop: true, timeout: time.Minute}); err != nil {
		t.Fatal(err)
	}
	inst, err := r.meta.Client.FindInstanceByID(ctx, "i-mockburst")
	if err != nil {
		t.Fatal(err)
	}
	if _, marked := cloud.StopMark(inst); inst.Status != domain.InstanceStatusRunning || marked {
		t.Errorf("instance %s, marked %v; want Running without the marker", inst.Status, marked)
	}
}
