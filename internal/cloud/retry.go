package cloud

import (
	"context"
	cryptorand "crypto/rand"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// CallOption adjusts one API call.
type CallOption func(*callOpts)

type callOpts struct {
	retryOn []string
	done    Confirmer
}

// RetryOn makes these API error codes retryable for this call only, e.g.
// InvalidOperation.InvalidEcsState on an attach while the instance is busy.
func RetryOn(codes ...string) CallOption {
	return func(o *callOpts) { o.retryOn = append(o.retryOn, codes...) }
}

// A Confirmer decides whether a refusal means the change is already made:
// the API refused the call (err) because of the state the object is in,
// and the confirmer reads that state. It is how a retry after a lost
// reply, whose first attempt did take effect, ends in success.
type Confirmer func(ctx context.Context, err error) (done bool, cerr error)

// confirmedBy sets the call's Confirmer; the client's action methods set
// it for the actions that have one (confirm.go).
func confirmedBy(f Confirmer) CallOption {
	return func(o *callOpts) { o.done = f }
}

// call runs one API action with retries. Before the first attempt it fills
// an empty RegionId from the client and an empty ClientToken with a fresh
// token, and every retry reuses that token so a retried create is
// deduplicated by the API instead of creating twice. Retryable errors are
// retried with full-jitter exponential backoff, at most c.maxRetries times
// and never past the context deadline; anything else is returned at once.
// A refusal that the call's Confirmer finds already done is success, with
// an empty response. A mutating call outlives ctx as linger.go explains.
// req is modified (RegionId, ClientToken, and whatever the SDK sets).
func call[Req requests.AcsRequest, Resp any](ctx context.Context, c *Client, opts []CallOption, req Req, do func(context.Context, Req) (Resp, error)) (Resp, error) {
	var zero Resp
	if err := checkRequest(req); err != nil {
		return zero, err
	}
	var o callOpts
	for _, opt := range opts {
		opt(&o)
	}
	action := req.GetActionName()
	if err := ctx.Err(); err != nil {
		return zero, fmt.Errorf("%s not sent: %w", action, err)
	}
	token := prepareRequest(req, c.region)
	sendCtx, mutating := ctx, isMutating(action)
	var write *writeOp // what this call names, see writes.go
	if mutating {
		var cancel context.CancelFunc
		sendCtx, cancel = lingering(ctx, c.cancelGrace())
		defer cancel()
		if c.walk { // only a walk's client remembers reads (seen.go)
			write = c.writes.begin(action, req)
			defer write.end()
		}
	}

	logCtx := c.LogContext(ctx)
	unknown := false // an attempt may have taken effect without a definite answer since
	for attempt := 1; ; attempt++ {
		start := time.Now()
		resp, err := do(sendCtx, req)
		err = c.wrapError(logCtx, action, err)
		logAttempt(logCtx, action, attempt, time.Since(start), token, resp, err)
		if err == nil {
			write.answered(resp)
			return resp, nil
		}
		if o.done != nil && isRefusal(err) {
			done, cerr := o.done(sendCtx, err)
			if cerr == nil && done {
				tflog.Debug(logCtx, "API refusal means the change is already made", map[string]any{
					"action": action, "error_code": ErrorCode(err)})
				return newResponse[Resp](), nil
			}
		}
		switch {
		case !mutating:
		case outcomeUnknown(err):
			unknown = true
		case !isThrottling(err):
			unknown = false // a definite answer
		}
		if ctxErr := ctx.Err(); ctxErr != nil && !unknown {
			return zero, stopped(err, attempt, ctxErr)
		}
		if !retryable(err, o.retryOn) {
			return zero, err
		}
		if attempt > c.maxRetries {
			if attempt == 1 {
				return zero, err
			}
			return zero, fmt.Errorf("%w (gave up after %s)", err, plural(attempt, "attempt"))
		}
		delay := c.backoff(attempt)
		if deadline, ok := ctx.Deadline(); ok && !unknown && time.Until(deadline) <= delay {
			// Sleeping would outlast the caller; report now what we know.
			return zero, stopped(err, attempt, context.DeadlineExceeded)
		}
		// Only an unknown outcome outlives ctx: after a definite answer
		// nothing is pending, and nothing new is sent once ctx has ended.
		waitCtx := ctx
		if unknown {
			waitCtx = sendCtx
		}
		if ctxErr := sleep(waitCtx, delay); ctxErr != nil {
			if unknown {
				return zero, fmt.Errorf("%w (stopped after %s, %s after the operation ended, not knowing whether it took effect: %w)",
					err, plural(attempt, "attempt"), c.cancelGrace(), ctxErr)
			}
			return zero, stopped(err, attempt, ctxErr)
		}
	}
}

// callECS and callVPC give call a per-attempt SDK client bound to the
// attempt's context (see transport.go for why per call); do is a method
// expression such as (*ecs.Client).CreateNetworkInterface.
func callECS[Req requests.AcsRequest, Resp any](ctx context.Context, c *Client, opts []CallOption, req Req, do func(*ecs.Client, Req) (Resp, error)) (Resp, error) {
	return call(ctx, c, opts, req, func(ctx context.Context, r Req) (Resp, error) {
		cl, err := c.ecsClient(ctx)
		if err != nil {
			var zero Resp
			return zero, fmt.Errorf("building ECS client: %w", err)
		}
		return do(cl, r)
	})
}

func callVPC[Req requests.AcsRequest, Resp any](ctx context.Context, c *Client, opts []CallOption, req Req, do func(*vpc.Client, Req) (Resp, error)) (Resp, error) {
	return call(ctx, c, opts, req, func(ctx context.Context, r Req) (Resp, error) {
		cl, err := c.vpcClient(ctx)
		if err != nil {
			var zero Resp
			return zero, fmt.Errorf("building VPC client: %w", err)
		}
		return do(cl, r)
	})
}

// newResponse is an empty response of a pointer response type, for a call
// whose change was found already made.
func newResponse[Resp any]() Resp {
	var zero Resp
	t := reflect.TypeOf(zero)
	if t == nil || t.Kind() != reflect.Pointer {
		return zero
	}
	reflect.ValueOf(&zero).Elem().Set(reflect.New(t.Elem()))
	return zero
}

// checkRequest refuses a nil request or one not made by the SDK's
// Create...Request constructor, which would panic inside the SDK.
func checkRequest(req any) error {
	v := reflect.ValueOf(req)
	if !v.IsValid() || (v.Kind() == reflect.Pointer && v.IsNil()) {
		return errors.New("nil API request")
	}
	if v.Kind() == reflect.Pointer && v.Elem().Kind() == reflect.Struct {
		if f := v.Elem().FieldByName("RpcRequest"); f.IsValid() && f.Kind() == reflect.Pointer && f.IsNil() {
			return fmt.Errorf("%T was not built with its Create...Request function", req)
		}
	}
	return nil
}

// stopped reports the last API error together with the context error that
// ended the retries, so both errors.Is(err, context.DeadlineExceeded) and
// errors.As(err, **APIError) hold.
func stopped(last error, attempts int, ctxErr error) error {
	return fmt.Errorf("%w (stopped after %s: %w)", last, plural(attempts, "attempt"), ctxErr)
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// backoff is the delay before retry number attempt (1-based): uniformly
// random in [0, min(max, base*2^(attempt-1))] ("full jitter"), which spreads
// out the retries of parallel resources hitting the same throttle.
func (c *Client) backoff(attempt int) time.Duration {
	ceiling := c.RetryMaxDelay
	if shift := attempt - 1; shift < 32 {
		if d := c.RetryBaseDelay << shift; d > 0 && d < ceiling {
			ceiling = d
		}
	}
	if ceiling <= 0 {
		return 0
	}
	return rand.N(ceiling + 1)
}

// sleep waits for d or until ctx ends, whichever is first.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// prepareRequest fills RegionId and ClientToken when the request type has
// them and they are empty; it returns the ClientToken in use ("" if none).
// Reflection keeps this in one place instead of in every API method.
func prepareRequest(req any, region string) string {
	v := reflect.ValueOf(req)
	if v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.Struct {
		return ""
	}
	s := v.Elem()
	if f := s.FieldByName("RegionId"); f.IsValid() && f.Kind() == reflect.String && f.CanSet() && f.String() == "" {
		f.SetString(region)
	}
	f := s.FieldByName("ClientToken")
	if !f.IsValid() || f.Kind() != reflect.String || !f.CanSet() {
		return ""
	}
	if f.String() == "" {
		f.SetString(newClientToken())
	}
	return f.String()
}

// newClientToken returns a random UUID (version 4 layout): 36 ASCII
// characters, within the API's 64-character limit.
func newClientToken() string {
	var b [16]byte
	_, _ = cryptorand.Read(b[:]) // never fails on supported platforms
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// logAttempt records one attempt at DEBUG. Requests are never logged
// wholesale: the SDK keeps the AccessKeyId and signature in them.
func logAttempt(ctx context.Context, action string, attempt int, took time.Duration, token string, resp any, err error) {
	fields := map[string]any{
		"action":      action,
		"attempt":     attempt,
		"duration_ms": took.Milliseconds(),
	}
	if token != "" {
		fields["client_token"] = token
	}
	if err != nil {
		fields["error"] = err.Error()
		var ae *APIError
		if errors.As(err, &ae) {
			fields["error_code"] = ae.Code
			fields["http_status"] = ae.HTTPStatus
			fields["request_id"] = ae.RequestID
		}
	} else if id := requestID(resp); id != "" {
		fields["request_id"] = id
	}
	tflog.Debug(ctx, "Alibaba Cloud API call", fields)
}

// requestID reads the RequestId field every SDK response struct has.
func requestID(resp any) string {
	v := reflect.ValueOf(resp)
	if v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.Struct {
		return ""
	}
	if f := v.Elem().FieldByName("RequestId"); f.IsValid() && f.Kind() == reflect.String {
		return f.String()
	}
	return ""
}
