package mockcloud

import (
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	sdkerrors "github.com/aliyun/alibaba-cloud-sdk-go/sdk/errors"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
)

// wantLostReply asserts that err is what an SDK client without retries
// sees when the reply is lost: a transport error, not an API answer.
func wantLostReply(t testing.TB, err error) {
	t.Helper()
	if err == nil {
		t.Fatal("want a lost reply (transport error), got a response")
	}
	var se *sdkerrors.ServerError
	if errors.As(err, &se) {
		t.Fatalf("want a lost reply (transport error), got the API answer %s (%d)", se.ErrorCode(), se.HttpStatus())
	}
	var ue *url.Error
	if !errors.As(err, &ue) {
		t.Fatalf("want a transport error (*url.Error), got %T: %v", err, err)
	}
}

// noSDKRetries makes sure the test clients do not retry on their own, so a
// test sees the raw failure of each single attempt.
func noSDKRetries(t testing.TB, env *testEnv) {
	t.Helper()
	if env.ecs.GetConfig().AutoRetry || env.vpc.GetConfig().AutoRetry {
		t.Fatal("the test SDK clients must have AutoRetry off")
	}
}

func secondaryENIIDs(t *testing.T, env *testEnv) []string {
	t.Helper()
	return niIDs(niDescribe(t, env, func(r *ecs.DescribeNetworkInterfacesRequest) { r.Type = "Secondary" }))
}

// A CreateNetworkInterface whose reply is lost has created the ENI; the
// client's retry with the same ClientToken is answered from the recorded
// response (the same ENI) and creates nothing more.
func TestLostReplyCreateWithClientToken(t *testing.T) {
	env := startEnv(t, nil)
	noSDKRetries(t, env)
	withToken := func(r *ecs.CreateNetworkInterfaceRequest) {
		r.ClientToken = "lost-reply-1"
		r.NetworkInterfaceName = "lost"
	}

	if code := controlCall(t, env.srv, "PUT", "/_mock/faults", `{"lost_reply_rate": 1}`, nil); code != 200 {
		t.Fatalf("PUT /_mock/faults lost_reply_rate 1: status %d", code)
	}
	wantLostReply(t, niCreateErr(env, withToken))

	env.srv.SetFaults(Faults{})
	ids := secondaryENIIDs(t, env)
	if len(ids) != 1 {
		t.Fatalf("after a lost reply: secondary ENIs %v, want the one created", ids)
	}
	created := niMustGet(t, env, ids[0])
	if created.NetworkInterfaceName != "lost" || created.Status != "Available" {
		t.Fatalf("the ENI of the lost reply: %+v", created)
	}

	again := niCreate(t, env, withToken)
	if again.NetworkInterfaceId != ids[0] || again.PrivateIpAddress != created.PrivateIpAddress {
		t.Fatalf("the retry returned %s (%s), want the ENI of the lost reply %s (%s)",
			again.NetworkInterfaceId, again.PrivateIpAddress, ids[0], created.PrivateIpAddress)
	}
	if got := secondaryENIIDs(t, env); len(got) != 1 {
		t.Fatalf("the retry created more: %v", got)
	}

	// Every attempt is counted, the lost one included.
	st := env.srv.Stats()
	if st.Actions["CreateNetworkInterface"] != 2 || st.Mutating != 2 {
		t.Fatalf("stats: %+v", st)
	}
}

// An AttachNetworkInterface whose reply is lost has bound the ENI; a retry
// is refused as the state it finds requires.
func TestLostReplyAttach(t *testing.T) {
	env := startEnv(t, nil, withDelay(time.Hour))
	noSDKRetries(t, env)
	id := niCreate(t, env).NetworkInterfaceId

	env.srv.SetFaults(Faults{LostReplyRate: 1})
	wantLostReply(t, niAttach(env, id, "i-mockweb1"))
	env.srv.SetFaults(Faults{})

	e := niMustGet(t, env, id)
	if e.Status != "Attaching" || e.InstanceId != "i-mockweb1" || e.Attachment.InstanceId != "i-mockweb1" {
		t.Fatalf("after the lost attach reply: %s on %q", e.Status, e.InstanceId)
	}
	// AttachNetworkInterface takes no ClientToken: the retry sees an ENI
	// that is not Available.
	wantCode(t, niAttach(env, id, "i-mockweb1"), "InvalidOperation.InvalidEniState", 400)
	mustOK(t, env.srv.Settle())
	if e := niMustGet(t, env, id); e.Status != "InUse" || e.InstanceId != "i-mockweb1" {
		t.Fatalf("after settle: %s on %q", e.Status, e.InstanceId)
	}
	wantCode(t, niAttach(env, id, "i-mockweb1"), "InvalidOperation.InvalidEniState", 400)

	st := env.srv.Stats()
	if st.Actions["AttachNetworkInterface"] != 3 {
		t.Fatalf("stats: %+v", st)
	}
}

// A lost reply to a call that failed loses the error too; nothing changed.
func TestLostReplyOfARefusedCall(t *testing.T) {
	env := startEnv(t, nil)
	env.srv.SetFaults(Faults{LostReplyRate: 1})
	wantLostReply(t, niAttach(env, "eni-unknown", "i-mockweb1"))
	env.srv.SetFaults(Faults{})
	if got := secondaryENIIDs(t, env); len(got) != 0 {
		t.Fatalf("ENIs: %v", got)
	}
}

func TestLostReplyRateValidation(t *testing.T) {
	env := startEnv(t, nil)
	for _, body := range []string{`{"lost_reply_rate": -0.1}`, `{"lost_reply_rate": 1.5}`, `{"lost_reply_rate": -1}`} {
		var out map[string]string
		if code := controlCall(t, env.srv, "PUT", "/_mock/faults", body, &out); code != 400 {
			t.Fatalf("PUT /_mock/faults %s: status %d, want 400", body, code)
		}
		if msg := out["error"]; !strings.Contains(msg, "lost_reply_rate") || !strings.Contains(msg, "between 0 and 1") {
			t.Fatalf("PUT /_mock/faults %s: error %q does not name the field and its range", body, msg)
		}
	}
	if f := env.srv.faults.get(); f.LostReplyRate != 0 {
		t.Fatalf("a refused setting was applied: %+v", f)
	}
	var f Faults
	if code := controlCall(t, env.srv, "PUT", "/_mock/faults", `{"lost_reply_rate": 0.25, "seed": 3}`, &f); code != 200 || f.LostReplyRate != 0.25 {
		t.Fatalf("PUT lost_reply_rate 0.25: %d %+v", code, f)
	}
	f = Faults{}
	controlCall(t, env.srv, "GET", "/_mock/faults", "", &f)
	if f.LostReplyRate != 0.25 || f.Seed != 3 {
		t.Fatalf("GET /_mock/faults: %+v", f)
	}
	if err := (Faults{LostReplyRate: 1}).Validate(); err != nil {
		t.Fatalf("rate 1 refused: %v", err)
	}
}

// The same seed loses the same replies in the same sequence of calls.
func TestLostReplyRateIsReproducible(t *testing.T) {
	env := startEnv(t, nil)
	noSDKRetries(t, env)
	pattern := func() string {
		var b strings.Builder
		for i := 0; i < 40; i++ {
			_, err := env.ecs.DescribeInstanceTypes(ecs.CreateDescribeInstanceTypesRequest())
			if err != nil {
				wantLostReply(t, err)
				b.WriteByte('x')
				continue
			}
			b.WriteByte('.')
		}
		return b.String()
	}
	controlCall(t, env.srv, "PUT", "/_mock/faults", `{"lost_reply_rate": 0.5, "seed": 42}`, nil)
	first := pattern()
	controlCall(t, env.srv, "PUT", "/_mock/faults", `{"lost_reply_rate": 0.5, "seed": 42}`, nil)
	second := pattern()
	if first != second {
		t.Fatalf("same seed, different losses:\n%s\n%s", first, second)
	}
	if !strings.Contains(first, "x") || !strings.Contains(first, ".") {
		t.Fatalf("rate 0.5 lost all or nothing: %s", first)
	}
	env.srv.SetFaults(Faults{LostReplyRate: 0.5, Seed: 43})
	if other := pattern(); other == first {
		t.Fatalf("another seed gave the same losses: %s", other)
	}
	if st := env.srv.Stats(); st.Actions["DescribeInstanceTypes"] != 120 {
		t.Fatalf("stats: %+v", st)
	}
}
