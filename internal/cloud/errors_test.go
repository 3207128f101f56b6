package cloud

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"testing"

	sdkerrors "github.com/aliyun/alibaba-cloud-sdk-go/sdk/errors"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
	"github.com/hashicorp/terraform-plugin-log/tflogtest"

	"github.com/openeni/terraform-provider-eni/internal/mockcloud"
)

// serverError builds the SDK's error the way the SDK does for an HTTP answer.
func serverError(status int, code string) error {
	body := fmt.Sprintf(`{"RequestId":"R-1","HostId":"ecs.aliyuncs.com","Code":%q,"Message":"m"}`, code)
	return wrapError("Act", sdkerrors.NewServerError(status, body, ""))
}

func TestErrorClassification(t *testing.T) {
	dialErr := &url.Error{Op: "Post", URL: "http://h/?AccessKeyId=x", Err: &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}}

	tests := []struct {
		name                string
		err                 error
		notFound, retryable bool
		code                string
	}{
		{"eni not found", serverError(404, "InvalidEniId.NotFound"), true, false, "InvalidEniId.NotFound"},
		{"ecs not found", serverError(404, "InvalidEcsId.NotFound"), true, false, "InvalidEcsId.NotFound"},
		{"instance not found", serverError(403, "InvalidInstanceId.NotFound"), true, false, "InvalidInstanceId.NotFound"},
		{"vswitch not found", serverError(404, "InvalidVSwitchId.NotFound"), true, false, "InvalidVSwitchId.NotFound"},
		{"sg not found", serverError(404, "InvalidSecurityGroupId.NotFound"), true, false, "InvalidSecurityGroupId.NotFound"},
		{"eip not found", serverError(404, "InvalidAllocationId.NotFound"), true, false, "InvalidAllocationId.NotFound"},
		{"vpc not found", serverError(400, "Forbidden.VpcNotFound"), true, false, "Forbidden.VpcNotFound"},
		{"vpc not found variant", serverError(404, "InvalidVpcID.NotFound"), true, false, "InvalidVpcID.NotFound"},
		{"finder not found", &NotFoundError{Kind: KindNetworkInterface, ID: "eni-1"}, true, false, ""},
		{"wrapped finder not found", fmt.Errorf("reading: %w", &NotFoundError{Kind: KindVSwitch, ID: "vsw-1"}), true, false, ""},
		{"throttling", serverError(400, "Throttling"), false, true, "Throttling"},
		{"throttling user", serverError(400, "Throttling.User"), false, true, "Throttling.User"},
		{"throttling api", serverError(400, "Throttling.Api"), false, true, "Throttling.Api"},
		{"service unavailable", serverError(503, "ServiceUnavailable"), false, true, "ServiceUnavailable"},
		{"internal error", serverError(500, "InternalError"), false, true, "InternalError"},
		{"operation conflict 409", serverError(409, "OperationConflict"), false, true, "OperationConflict"},
		{"operation.conflict", serverError(403, "Operation.Conflict"), false, true, "Operation.Conflict"},
		{"invalidoperation.conflict", serverError(400, "InvalidOperation.Conflict"), false, true, "InvalidOperation.Conflict"},
		{"last token", serverError(403, "LastTokenProcessing"), false, true, "LastTokenProcessing"},
		{"task conflict", serverError(400, "TaskConflict"), false, true, "TaskConflict"},
		{"system busy", serverError(400, "SystemBusy"), false, true, "SystemBusy"},
		{"vswitch status", serverError(400, "IncorrectVSwitchStatus"), false, true, "IncorrectVSwitchStatus"},
		{"any 5xx", serverError(502, "BadGateway"), false, true, "BadGateway"},
		{"5xx without JSON", wrapError("Act", sdkerrors.NewServerError(502, "<html>bad gateway</html>", "")), false, true, ""},
		{"ip not enough", serverError(403, "InvalidVSwitchId.IpNotEnough"), false, false, "InvalidVSwitchId.IpNotEnough"},
		{"eni state", serverError(400, CodeInvalidEniState), false, false, CodeInvalidEniState},
		{"idempotent mismatch", serverError(400, CodeIdempotentParamMismatch), false, false, CodeIdempotentParamMismatch},
		{"transport", wrapError("Act", dialErr), false, true, ""},
		{"sdk timeout", sdkerrors.NewClientError(sdkerrors.TimeoutErrorCode, "timed out", dialErr), false, true, ""},
		{"sdk decode", sdkerrors.NewClientError(sdkerrors.JsonUnmarshalErrorCode, "bad json", nil), false, false, ""},
		{"canceled", fmt.Errorf("x: %w", context.Canceled), false, false, ""},
		{"deadline", fmt.Errorf("x: %w", context.DeadlineExceeded), false, false, ""},
		{"plain", errors.New("boom"), false, false, ""},
		{"nil", nil, false, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := IsNotFound(tt.err); got != tt.notFound {
				t.Errorf("IsNotFound = %v, want %v", got, tt.notFound)
			}
			if got := IsRetryable(tt.err); got != tt.retryable {
				t.Errorf("IsRetryable = %v, want %v", got, tt.retryable)
			}
			if got := ErrorCode(tt.err); got != tt.code {
				t.Errorf("ErrorCode = %q, want %q", got, tt.code)
			}
		})
	}
}

func TestIsCode(t *testing.T) {
	err := fmt.Errorf("attaching: %w", serverError(400, CodeInvalidEcsState))
	if !IsCode(err, CodeInvalidEniState, CodeInvalidEcsState) {
		t.Error("IsCode should see a wrapped APIError's code")
	}
	if IsCode(err, CodeInvalidEniState) || IsCode(err) || IsCode(nil, "") {
		t.Error("IsCode matched what it should not")
	}
	if !retryable(err, []string{CodeInvalidEcsState}) {
		t.Error("extra retryable codes are ignored")
	}
}

func TestAPIErrorMessage(t *testing.T) {
	err := serverError(403, "InvalidVSwitchId.IpNotEnough")
	if got, want := err.Error(), "Act: InvalidVSwitchId.IpNotEnough: m (RequestId: R-1)"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	var se *sdkerrors.ServerError
	if !errors.As(err, &se) {
		t.Error("APIError should unwrap to the SDK's ServerError")
	}

	html := wrapError("Act", sdkerrors.NewServerError(502, strings.Repeat("x", 1000), ""))
	if got := html.Error(); !strings.HasPrefix(got, "Act: HTTP 502: xxx") || len(got) > 400 {
		t.Errorf("non-JSON error body should be shown truncated with the status, got %d chars: %.60q", len(got), got)
	}
}

func TestNotFoundErrorMessage(t *testing.T) {
	inner := serverError(404, CodeEniNotFound)
	err := &NotFoundError{Kind: KindNetworkInterface, ID: "eni-1", Err: inner}
	if got := err.Error(); !strings.HasPrefix(got, "network interface (eni-1) not found: Act: InvalidEniId.NotFound") {
		t.Errorf("Error() = %q", got)
	}
	if !IsCode(err, CodeEniNotFound) {
		t.Error("NotFoundError should unwrap to the API error")
	}
}

func TestRedactURL(t *testing.T) {
	got := redactURL("https://user:pw@ecs.aliyuncs.com/?AccessKeyId=AK&Signature=S&SecurityToken=T")
	if strings.Contains(got, "AK") || strings.Contains(got, "pw") || strings.Contains(got, "SecurityToken") {
		t.Errorf("redactURL kept secrets: %q", got)
	}
	if !strings.Contains(got, "ecs.aliyuncs.com") {
		t.Errorf("redactURL lost the host: %q", got)
	}
}

// startEmulator runs the emulator in-process with one access key whose
// secret is secret, and returns a client aimed at it that does not retry.
func startEmulator(t *testing.T, secret string, mutate func(*Config)) *Client {
	t.Helper()
	seed := mockcloud.DefaultSeed()
	seed.Credentials = []mockcloud.SeedCredential{{AccessKeyID: "redact-test-key", AccessKeySecret: secret}}
	srv, err := mockcloud.Start(mockcloud.Options{Seed: seed})
	if err != nil {
		t.Fatalf("starting the emulator: %v", err)
	}
	t.Cleanup(srv.Close)
	cfg := Config{Region: seed.RegionID, AccessKey: "redact-test-key", SecretKey: secret,
		ECSEndpoint: srv.URL(), VPCEndpoint: srv.URL(), MaxRetries: -1}
	if mutate != nil {
		mutate(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c
}

// logTo gives ctx a JSON root logger writing to buf, as the provider's
// per-request context has.
func logTo(t *testing.T, _ *Client, buf *bytes.Buffer) context.Context {
	t.Helper()
	return tflogtest.RootLogger(context.Background(), buf)
}

// logText is the log with JSON escapes undone, so that a secret escaped by
// the JSON encoding is still found.
func logText(t *testing.T, buf *bytes.Buffer) string {
	t.Helper()
	entries, err := tflogtest.MultilineJSONDecode(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatalf("decoding the log: %v", err)
	}
	var b strings.Builder
	for _, e := range entries {
		fmt.Fprintln(&b, e)
	}
	return buf.String() + "\n" + b.String()
}

// A wrong secret key with an STS token: the emulator answers
// SignatureDoesNotMatch quoting its string to sign, which holds the token
// RPC-encoded twice. Users see advice instead, the masked message is kept
// for DEBUG, and no form of either secret reaches error or log.
func TestClientWrapError_signatureDoesNotMatch(t *testing.T) {
	c := startEmulator(t, "the-right-secret", func(cfg *Config) {
		cfg.SecretKey, cfg.SecurityToken = testSecretKey, testSTSToken
	})
	var buf bytes.Buffer
	ctx := logTo(t, c, &buf)

	_, err := c.DescribeNetworkInterfaces(ctx, ecs.CreateDescribeNetworkInterfacesRequest())
	var ae *APIError
	if !errors.As(err, &ae) || ae.Code != CodeSignatureDoesNotMatch {
		t.Fatalf("error = %v, want an APIError %s", err, CodeSignatureDoesNotMatch)
	}
	msg := err.Error()
	for _, want := range []string{"`secret_key`", "`security_token`", "clock", "DEBUG"} {
		if !strings.Contains(msg, want) {
			t.Errorf("the error does not mention %s: %q", want, msg)
		}
	}
	if strings.Contains(msg, "string to sign") || strings.Contains(msg, "SecurityToken") || strings.HasSuffix(ae.Message, "...") {
		t.Errorf("the error shows the string to sign or is cut short: %q", msg)
	}
	var se *sdkerrors.ServerError
	if !errors.As(err, &se) || se.ErrorCode() != CodeSignatureDoesNotMatch {
		t.Fatalf("the error should still unwrap to the SDK's ServerError, got %#v", se)
	}

	log := logText(t, &buf)
	// The test proves something only if the server's message, with the
	// token where it stood, reached the DEBUG log.
	if !strings.Contains(log, "server string to sign is:") || !strings.Contains(log, "SecurityToken%3D***") {
		t.Fatalf("the DEBUG log does not show the masked string to sign:\n%s", log)
	}
	for _, enc := range testEncodings {
		t.Run(enc.name, func(t *testing.T) {
			for what, text := range map[string]string{
				"Error()": msg, "%+v": fmt.Sprintf("%+v", err), "the SDK error": se.Error(), "the log": log,
			} {
				for _, s := range []string{testSecretKey, testSTSToken} {
					if form := enc.encode(s); strings.Contains(text, form) {
						t.Errorf("%s holds %q", what, form)
					}
				}
			}
		})
	}
}

// The API may quote what it was sent in any encoding; here the emulator
// echoes an unknown ENI ID that is a secret, encoded each way.
func TestClientWrapError_echoedSecrets(t *testing.T) {
	c := startEmulator(t, testSecretKey, func(cfg *Config) { cfg.SecurityToken = testSTSToken })
	for _, secret := range []struct{ name, value string }{{"secret key", testSecretKey}, {"security token", testSTSToken}} {
		for _, enc := range testEncodings {
			t.Run(secret.name+"/"+enc.name, func(t *testing.T) {
				var buf bytes.Buffer
				ctx := logTo(t, c, &buf)
				req := ecs.CreateDescribeNetworkInterfaceAttributeRequest()
				req.NetworkInterfaceId = enc.encode(secret.value)
				_, err := c.DescribeNetworkInterfaceAttribute(ctx, req)
				if !IsCode(err, CodeEniNotFound) {
					t.Fatalf("error = %v, want %s", err, CodeEniNotFound)
				}
				if !strings.Contains(err.Error(), `NetworkInterfaceId "***" does not exist`) {
					t.Errorf("the echoed ID is not masked in place: %q", err)
				}
				var se *sdkerrors.ServerError
				errors.As(err, &se)
				assertNoSecret(t, "Error()", err.Error(), testSecretKey, testSTSToken)
				assertNoSecret(t, "the SDK error", se.Error(), testSecretKey, testSTSToken)
				assertNoSecret(t, "the log", logText(t, &buf), testSecretKey, testSTSToken)
			})
		}
	}
}

// Errors that are not API answers (transport, SDK) are masked as well, and
// still classified by what they wrap.
func TestClientWrapError_otherErrors(t *testing.T) {
	c, err := New(Config{Region: "cn-hangzhou", AccessKey: "ak", SecretKey: testSecretKey, SecurityToken: testSTSToken})
	if err != nil {
		t.Fatal(err)
	}
	for _, enc := range testEncodings {
		t.Run(enc.name, func(t *testing.T) {
			for _, s := range []string{testSecretKey, testSTSToken} {
				dial := &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("refused near " + enc.encode(s))}
				err := c.wrapError(context.Background(), "Act", sdkerrors.NewClientError("SDK.Whatever", "sending "+enc.encode(s), dial))
				assertNoSecret(t, "Error()", err.Error(), s)
				if !strings.HasPrefix(err.Error(), "Act: ") || !strings.Contains(err.Error(), "***") {
					t.Errorf("Error() = %q, want the action and the mask", err)
				}
				if !IsRetryable(err) {
					t.Error("masking hid the transport error from IsRetryable")
				}
			}
		})
	}
	plain := errors.New("no secret")
	if got := c.wrapError(context.Background(), "Act", plain); got.Error() != "Act: no secret" || !errors.Is(got, plain) {
		t.Errorf("an error without secrets: %v", got)
	}
	if c.wrapError(context.Background(), "Act", nil) != nil {
		t.Error("nil error wrapped")
	}
}

// The advice replaces the message whole, within what Error() shows.
func TestCredentialAdvice(t *testing.T) {
	for _, code := range []string{CodeSignatureDoesNotMatch, CodeIncompleteSignature, CodeInvalidAccessKeyIDNotFound} {
		for _, sts := range []bool{false, true} {
			advice := credentialAdvice(code, sts)
			if advice == "" || len(advice) > 300 {
				t.Errorf("%s (sts %v): advice of %d characters", code, sts, len(advice))
			}
			if strings.Contains(advice, "security_token") != (sts && code != CodeInvalidAccessKeyIDNotFound) {
				t.Errorf("%s (sts %v): security_token mentioned wrongly: %q", code, sts, advice)
			}
		}
	}
	if credentialAdvice(CodeEniNotFound, true) != "" {
		t.Error("advice for an unrelated code")
	}
}

// The emulator's other signature answer: an unknown access key ID.
func TestClientWrapError_unknownAccessKey(t *testing.T) {
	c := startEmulator(t, testSecretKey, func(cfg *Config) { cfg.AccessKey = "no-such-key" })
	_, err := c.DescribeNetworkInterfaces(context.Background(), ecs.CreateDescribeNetworkInterfacesRequest())
	if !IsCode(err, CodeInvalidAccessKeyIDNotFound) || !strings.Contains(err.Error(), "check `access_key`") {
		t.Errorf("error = %v, want %s with advice", err, CodeInvalidAccessKeyIDNotFound)
	}
}
