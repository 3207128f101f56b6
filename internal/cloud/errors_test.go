package cloud

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"testing"

	sdkerrors "github.com/aliyun/alibaba-cloud-sdk-go/sdk/errors"
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
