package mockcloud

import (
	"net/url"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"

	"github.com/openeni/terraform-provider-eni/internal/domain"
)

// Attaches and detaches on one instance are not refused while another one
// is in progress there: each is accepted, its ENI goes Attaching or
// Detaching at once, and the instance completes them one after another.

const queueStep = time.Minute

// queueEnv is an emulator with a transition delay of queueStep and a clock
// the test moves (advance), on a seed with i-big (11 ENIs, the primary
// included) besides the default instances.
func queueEnv(t *testing.T) (env *testEnv, advance func(time.Duration)) {
	t.Helper()
	var shift atomic.Int64
	base := time.Now()
	seed := niSeed(func(s *Seed) {
		s.InstanceTypes = append(s.InstanceTypes,
			SeedInstanceType{InstanceTypeID: "ecs.g7.4xlarge", ENIQuantity: 11, ENIPrivateIPAddressQuantity: 20})
		s.Instances = append(s.Instances,
			SeedInstance{InstanceID: "i-big", InstanceType: "ecs.g7.4xlarge", VSwitchID: "vsw-mockh", SecurityGroupIDs: []string{"sg-mockweb"}, Status: "Running"},
			SeedInstance{InstanceID: "i-stopped", InstanceType: "ecs.g7.large", VSwitchID: "vsw-mockh", SecurityGroupIDs: []string{"sg-mockweb"}, Status: "Stopped"})
	})
	env = startEnv(t, seed, withDelay(queueStep), func(o *Options) {
		o.Now = func() time.Time { return base.Add(time.Duration(shift.Load())) }
	})
	return env, func(d time.Duration) { shift.Add(int64(d)) }
}

// queueClient is env with a fresh ECS client of its own.
func queueClient(t *testing.T, env *testEnv) *testEnv {
	t.Helper()
	u, _ := url.Parse(env.srv.URL())
	cfg := sdk.NewConfig().WithScheme("HTTP").WithAutoRetry(false).WithTimeout(10 * time.Second)
	c, err := ecs.NewClientWithOptions(env.srv.Region(), cfg, credentials.NewAccessKeyCredential("mock-key", "mock-secret"))
	if err != nil {
		t.Fatal(err)
	}
	c.Domain = u.Host
	return &testEnv{srv: env.srv, ecs: c, vpc: env.vpc}
}

// queueStatuses maps each ENI to its status as DescribeNetworkInterfaces
// shows it.
func queueStatuses(t *testing.T, env *testEnv, ids []string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, id := range ids {
		out[id] = niMustGet(t, env, id).Status
	}
	return out
}

func countStatus(m map[string]string, status string) int {
	n := 0
	for _, s := range m {
		if s == status {
			n++
		}
	}
	return n
}

// Ten attaches to one instance sent at once through the SDK (Terraform's
// default parallelism) all succeed, take distinct device indexes and
// complete one per transition delay; an eleventh is refused by the ENI
// limit, which counts the queued ones.
func TestENISwapQueueParallelAttaches(t *testing.T) {
	env, advance := queueEnv(t)
	ids := make([]string, 10)
	for i := range ids {
		ids[i] = niCreate(t, env).NetworkInterfaceId
	}
	// One SDK client per goroutine, as one per Terraform resource: the SDK
	// v1 client is not safe for concurrent calls (its timeout setting
	// races).
	clients := make([]*testEnv, len(ids))
	for i := range clients {
		clients[i] = queueClient(t, env)
	}
	errs := make([]error, len(ids))
	var wg sync.WaitGroup
	for i, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = niAttach(clients[i], id, "i-big")
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("attach %d of %s: %v", i, ids[i], err)
		}
	}
	var devs []int
	for _, id := range ids {
		e := niMustGet(t, env, id)
		if e.Status != domain.ENIStatusAttaching || e.InstanceId != "i-big" {
			t.Fatalf("%s right after the attach: %+v", id, e)
		}
		devs = append(devs, e.Attachment.DeviceIndex)
	}
	slices.Sort(devs)
	if want := []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}; !slices.Equal(devs, want) {
		t.Fatalf("device indexes %v, want %v", devs, want)
	}
	extra := niCreate(t, env).NetworkInterfaceId
	err := niAttach(env, extra, "i-big")
	wantCode(t, err, "EniPerInstanceLimitExceeded", 403)
	niWantMsg(t, err, "11")

	// One completes per delay, in the order they were accepted.
	var order []string
	niState(env, func(st *state) {
		var ops []pendingOp
		for _, op := range st.Pending {
			if op.Kind == opAttach {
				ops = append(ops, op)
			}
		}
		for i := 1; i < len(ops); i++ {
			if gap := ops[i].Until.Sub(ops[i-1].Until); gap < queueStep {
				t.Fatalf("attach %d completes %v after the one before, want at least %v", i, gap, queueStep)
			}
		}
		for _, op := range ops {
			order = append(order, op.ID)
		}
	})
	for step := 1; step <= len(ids); step++ {
		advance(queueStep)
		got := queueStatuses(t, env, ids)
		if n := countStatus(got, domain.ENIStatusInUse); n != step {
			t.Fatalf("after %d delays %d ENIs are InUse, want %d: %v", step, n, step, got)
		}
		if got[order[step-1]] != domain.ENIStatusInUse {
			t.Fatalf("after %d delays %s (accepted %d.) is %s", step, order[step-1], step, got[order[step-1]])
		}
	}
}

// A sequence on one instance: attaches queue, a detach queues behind an
// attach, the ENIs in the queue cannot be deleted or detached yet, the
// ENIs of another instance are not held up, and Settle completes them all.
func TestENISwapQueue(t *testing.T) {
	env, advance := queueEnv(t)
	a := niCreate(t, env).NetworkInterfaceId
	b := niCreate(t, env).NetworkInterfaceId
	other := niCreate(t, env).NetworkInterfaceId

	mustOK(t, niAttach(env, a, "i-mockweb1")) // done at +1
	mustOK(t, niAttach(env, b, "i-mockweb1")) // done at +2
	mustOK(t, niAttach(env, other, "i-mockweb2"))
	if e := niMustGet(t, env, b); e.Status != domain.ENIStatusAttaching || e.Attachment.DeviceIndex != 2 {
		t.Fatalf("queued attach: %+v", e)
	}
	// i-mockweb1 (ecs.g7.large, 3 ENIs) is full with the queued ones.
	wantCode(t, niAttach(env, niCreate(t, env).NetworkInterfaceId, "i-mockweb1"), "EniPerInstanceLimitExceeded", 403)
	// Queued ENIs are Attaching: not deletable, not detachable, no IP change.
	wantCode(t, niDelete(env, b), "InvalidOperation.InvalidEniState", 400)
	wantCode(t, niDetach(env, b, "i-mockweb1"), "InvalidOperation.InvalidEniState", 400)
	_, err := niAssign(env, b, 1)
	wantCode(t, err, "InvalidOperation.InvalidEniState", 400)

	advance(queueStep + queueStep/2) // +1.5
	got := queueStatuses(t, env, []string{a, b, other})
	if got[a] != domain.ENIStatusInUse || got[b] != domain.ENIStatusAttaching || got[other] != domain.ENIStatusInUse {
		t.Fatalf("at +1.5: %v", got)
	}
	// A detach queued behind b's attach: done at +3, not at +2.5.
	mustOK(t, niDetach(env, a, "i-mockweb1"))
	mustOK(t, niDetach(env, a, "i-mockweb1")) // re-issue while queued
	advance(queueStep)                        // +2.5
	got = queueStatuses(t, env, []string{a, b})
	if got[a] != domain.ENIStatusDetaching || got[b] != domain.ENIStatusInUse {
		t.Fatalf("at +2.5: %v", got)
	}
	// Still counted while detaching.
	wantCode(t, niAttach(env, niCreate(t, env).NetworkInterfaceId, "i-mockweb1"), "EniPerInstanceLimitExceeded", 403)
	advance(queueStep) // +3.5
	if e := niMustGet(t, env, a); e.Status != domain.ENIStatusAvailable || e.InstanceId != "" || e.Attachment.DeviceIndex != 0 {
		t.Fatalf("at +3.5: %+v", e)
	}
	mustOK(t, niDelete(env, a))

	// An idle instance does not wait for old completions: the next attach
	// takes one delay from now.
	c := niCreate(t, env).NetworkInterfaceId
	mustOK(t, niAttach(env, c, "i-mockweb1"))
	advance(queueStep + queueStep/2)
	if e := niMustGet(t, env, c); e.Status != domain.ENIStatusInUse || e.Attachment.DeviceIndex != 1 {
		t.Fatalf("attach on an idle instance: %+v", e)
	}

	// Settle completes every queued transition.
	mustOK(t, niDetach(env, c, "i-mockweb1"))
	mustOK(t, niDetach(env, b, "i-mockweb1"))
	mustOK(t, env.srv.Settle())
	got = queueStatuses(t, env, []string{b, c})
	if countStatus(got, domain.ENIStatusAvailable) != 2 {
		t.Fatalf("after Settle: %v", got)
	}
	niState(env, func(st *state) {
		if len(st.Pending) != 0 {
			t.Fatalf("pending after Settle: %+v", st.Pending)
		}
	})
}

// The instance may stop or start while attaches are queued: the queued
// transitions complete all the same (as a single one did before), and a
// new attach is judged by the instance's state then.
func TestENISwapQueueStopStart(t *testing.T) {
	env, advance := queueEnv(t)
	a := niCreate(t, env).NetworkInterfaceId
	b := niCreate(t, env).NetworkInterfaceId
	mustOK(t, niAttach(env, a, "i-mockweb1"))
	mustOK(t, niAttach(env, b, "i-mockweb1"))
	_, err := env.ecs.StopInstance(stopReq("i-mockweb1"))
	mustOK(t, err)
	c := niCreate(t, env).NetworkInterfaceId
	wantCode(t, niAttach(env, c, "i-mockweb1"), "InvalidOperation.InvalidEcsState", 400) // Stopping
	advance(2*queueStep + queueStep/2)
	got := queueStatuses(t, env, []string{a, b})
	if countStatus(got, domain.ENIStatusInUse) != 2 {
		t.Fatalf("queued attaches across a stop: %v", got)
	}
	if in := getInstance(t, env, "i-mockweb1"); in.Status != domain.InstanceStatusStopped {
		t.Fatalf("instance: %s", in.Status)
	}

	// Attaches queued on a Stopped instance, then a start.
	x := niCreate(t, env).NetworkInterfaceId
	y := niCreate(t, env).NetworkInterfaceId
	mustOK(t, niAttach(env, x, "i-stopped"))
	mustOK(t, niAttach(env, y, "i-stopped"))
	_, err = env.ecs.StartInstance(startReq("i-stopped"))
	mustOK(t, err)
	advance(2*queueStep + queueStep/2)
	got = queueStatuses(t, env, []string{x, y})
	if countStatus(got, domain.ENIStatusInUse) != 2 {
		t.Fatalf("queued attaches across a start: %v", got)
	}
	if in := getInstance(t, env, "i-stopped"); in.Status != domain.InstanceStatusRunning {
		t.Fatalf("instance: %s", in.Status)
	}
}

// Device indexes stay unique with detaches in the queue: an index is
// free again only once its ENI has left.
func TestENISwapQueueDeviceIndexes(t *testing.T) {
	env, _ := queueEnv(t)
	ids := make([]string, 4)
	for i := range ids {
		ids[i] = niCreate(t, env).NetworkInterfaceId
		mustOK(t, niAttach(env, ids[i], "i-big"))
	}
	mustOK(t, env.srv.Settle())
	mustOK(t, niDetach(env, ids[0], "i-big"))
	mustOK(t, niDetach(env, ids[2], "i-big"))
	n := niCreate(t, env).NetworkInterfaceId
	mustOK(t, niAttach(env, n, "i-big"))
	if e := niMustGet(t, env, n); e.Attachment.DeviceIndex != 5 {
		t.Fatalf("device index while the others detach: %d", e.Attachment.DeviceIndex)
	}
	mustOK(t, env.srv.Settle())
	m := niCreate(t, env).NetworkInterfaceId
	mustOK(t, niAttach(env, m, "i-big"))
	if e := niMustGet(t, env, m); e.Attachment.DeviceIndex != 1 {
		t.Fatalf("device index after the detaches: %d", e.Attachment.DeviceIndex)
	}
}
