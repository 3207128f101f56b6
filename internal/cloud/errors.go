package cloud

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"

	sdkerrors "github.com/aliyun/alibaba-cloud-sdk-go/sdk/errors"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// Error codes resource code tests for (wire names from the API reference).
const (
	CodeInvalidEniState          = "InvalidOperation.InvalidEniState"
	CodeInvalidEcsState          = "InvalidOperation.InvalidEcsState"
	CodeInvalidEniType           = "InvalidOperation.InvalidEniType"
	CodeIncorrectInstanceStatus  = "IncorrectInstanceStatus"
	CodeIncorrectEipStatus       = "IncorrectEipStatus"
	CodeInvalidBindingStatus     = "InvalidBindingStatus"
	CodeEniPerInstanceLimit      = "EniPerInstanceLimitExceeded"
	CodeDetachPrimaryEni         = "InvalidOperation.DetachPrimaryEniNotAllowed"
	CodeIPUnassigned             = "InvalidIp.IpUnassigned"
	CodeEniNotFound              = "InvalidEniId.NotFound"
	CodeEcsNotFound              = "InvalidEcsId.NotFound"
	CodeInstanceNotFound         = "InvalidInstanceId.NotFound"
	CodeVSwitchNotFound          = "InvalidVSwitchId.NotFound"
	CodeSecurityGroupNotFound    = "InvalidSecurityGroupId.NotFound"
	CodeAllocationNotFound       = "InvalidAllocationId.NotFound"
	CodeIdempotentParamMismatch  = "IdempotentParameterMismatch"
	CodeEniStatusNotSupportedEIP = "InvalidStatus.EniStatusNotSupport"
)

// RetryOnInstanceTransition are the codes attach, detach and EIP calls may
// see while an instance or EIP is between states; pass them with RetryOn.
var RetryOnInstanceTransition = []string{
	CodeInvalidEcsState, CodeIncorrectInstanceStatus, CodeIncorrectEipStatus,
}

// notFoundCodes name an object that does not exist (the error catalogue of the API reference, plus the
// spelling variants the alicloud provider has met).
var notFoundCodes = []string{
	CodeEniNotFound, CodeEcsNotFound, CodeInstanceNotFound, "InvalidInstanceID.NotFound",
	"Forbidden.InstanceNotFound", "InvalidInstanId.NotFound",
	CodeVSwitchNotFound, "InvalidVswitchID.NotFound", CodeSecurityGroupNotFound,
	CodeAllocationNotFound, "Forbidden.VpcNotFound", "InvalidVpcID.NotFound",
}

// retryableCodes are transient on every action. Codes containing
// "Throttling" are retried as well.
var retryableCodes = []string{
	"ServiceUnavailable", "InternalError", "OperationConflict", "Operation.Conflict",
	"InvalidOperation.Conflict", "LastTokenProcessing", "OperationFailed.LastTokenProcessing",
	"TaskConflict", "SystemBusy", "IncorrectVSwitchStatus",
}

// APIError is an error the API answered with. It wraps the SDK's ServerError.
type APIError struct {
	Action     string
	Code       string
	Message    string
	RequestID  string
	HTTPStatus int

	err error
}

func (e *APIError) Error() string {
	var b strings.Builder
	b.WriteString(e.Action)
	b.WriteString(": ")
	if e.Code != "" {
		b.WriteString(e.Code)
	} else {
		fmt.Fprintf(&b, "HTTP %d", e.HTTPStatus)
	}
	if msg := truncate(e.Message, 300); msg != "" {
		b.WriteString(": ")
		b.WriteString(msg)
	}
	if e.RequestID != "" {
		fmt.Fprintf(&b, " (RequestId: %s)", e.RequestID)
	}
	return b.String()
}

func (e *APIError) Unwrap() error { return e.err }

// NotFoundError says a finder found nothing for an ID. Err is the API error
// when the API itself reported the absence.
type NotFoundError struct {
	Kind string // "network interface", "instance", ...
	ID   string
	Err  error
}

func (e *NotFoundError) Error() string {
	s := fmt.Sprintf("%s (%s) not found", e.Kind, e.ID)
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *NotFoundError) Unwrap() error { return e.Err }

// Codes of requests the API refused for their credentials or signature
// (the signature section of the API reference); the SDK special-cases the
// first two.
const (
	CodeSignatureDoesNotMatch      = "SignatureDoesNotMatch"
	CodeIncompleteSignature        = "IncompleteSignature"
	CodeInvalidAccessKeyIDNotFound = "InvalidAccessKeyId.NotFound"
)

// wrapError is the client's one place where what the SDK returned becomes
// the error callers, diagnostics and logs see, and so the one place where
// the secret key and the security token are masked from errors, raw or
// encoded (see secretForms): in an APIError's Message, in the SDK error it
// wraps, and in the text of any other error. A refused signature's message
// quotes the server's string to sign, which holds the STS token encoded
// twice and means nothing to a user: it is replaced by advice, and the
// masked original goes to a DEBUG line only.
//
// logCtx is the call's context with the secrets masked (LogContext).
func (c *Client) wrapError(logCtx context.Context, action string, err error) error {
	wrapped := wrapError(action, err)
	if wrapped == nil {
		return nil
	}
	ae, ok := wrapped.(*APIError)
	if !ok {
		if text := c.redactor.redact(wrapped.Error()); text != wrapped.Error() {
			return &redactedError{text: text, err: wrapped}
		}
		return wrapped
	}
	ae.Message = c.redactor.redact(ae.Message)
	if advice := credentialAdvice(ae.Code, c.stsToken); advice != "" {
		tflog.Debug(logCtx, "Alibaba Cloud API refused the request's credentials", map[string]any{
			"action": action, "error_code": ae.Code, "request_id": ae.RequestID, "server_message": ae.Message,
		})
		ae.Message = advice
	}
	var se *sdkerrors.ServerError
	if errors.As(ae.err, &se) && (se.Message() != ae.Message || c.redactor.redact(se.Comment()) != se.Comment()) {
		ae.err = rebuildServerError(se, ae.Message, c.redactor.redact(se.Comment()))
	}
	return ae
}

// credentialAdvice replaces the message of an answer refusing the
// credentials; "" for any other code. It stays within what APIError.Error
// shows of a message (300 characters).
func credentialAdvice(code string, stsToken bool) string {
	switch code {
	case CodeSignatureDoesNotMatch, CodeIncompleteSignature:
		s := "The API rejected the request signature: check that `secret_key` (or ALIBABA_CLOUD_ACCESS_KEY_SECRET) is the secret of `access_key`, "
		if stsToken {
			s += "that `security_token` was issued with them, "
		}
		return s + "and that this machine's clock is right. The server's message is logged at DEBUG, secrets masked."
	case CodeInvalidAccessKeyIDNotFound:
		return "The API does not know this access key ID: check `access_key` (or ALIBABA_CLOUD_ACCESS_KEY_ID, or the profile)."
	}
	return ""
}

// rebuildServerError is se with another message and comment, so that the
// SDK error an APIError unwraps to shows no more than the APIError does.
func rebuildServerError(se *sdkerrors.ServerError, message, comment string) *sdkerrors.ServerError {
	body := map[string]any{
		"RequestId": se.RequestId(), "HostId": se.HostId(), "Code": se.ErrorCode(),
		"Recommend": se.Recommend(), "Message": message,
	}
	if d := se.AccessDeniedDetail(); d != nil {
		body["AccessDeniedDetail"] = d
	}
	raw, err := json.Marshal(body)
	if err != nil {
		raw, _ = json.Marshal(map[string]string{"RequestId": se.RequestId(), "Code": se.ErrorCode(), "Message": message})
	}
	out, _ := sdkerrors.NewServerError(se.HttpStatus(), string(raw), comment).(*sdkerrors.ServerError)
	out.RespHeaders = se.RespHeaders
	return out
}

// redactedError shows an error's text with the secrets masked and unwraps
// to the error itself, so that classification (IsRetryable) still sees
// the transport or SDK error inside.
type redactedError struct {
	text string
	err  error
}

func (e *redactedError) Error() string { return e.text }
func (e *redactedError) Unwrap() error { return e.err }

// wrapError turns what the SDK returned into an *APIError for API answers and
// an action-prefixed error for everything else (transport, decoding).
func wrapError(action string, err error) error {
	if err == nil {
		return nil
	}
	var se *sdkerrors.ServerError
	if errors.As(err, &se) {
		return &APIError{
			Action:     action,
			Code:       se.ErrorCode(),
			Message:    se.Message(),
			RequestID:  se.RequestId(),
			HTTPStatus: se.HttpStatus(),
			err:        err,
		}
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		ue.URL = redactURL(ue.URL)
	}
	return fmt.Errorf("%s: %w", action, err)
}

// redactURL drops the query of a request URL: the SDK puts the AccessKeyId,
// the signature and any STS token there, and transport errors quote it.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(redacted URL)"
	}
	if u.RawQuery != "" {
		u.RawQuery = "(redacted)"
	}
	u.User = nil
	return u.String()
}

// ErrorCode is the API error code carried by err, or "".
func ErrorCode(err error) string {
	var ae *APIError
	if errors.As(err, &ae) {
		return ae.Code
	}
	var se *sdkerrors.ServerError
	if errors.As(err, &se) {
		return se.ErrorCode()
	}
	return ""
}

// IsCode reports whether err carries one of the API error codes.
func IsCode(err error, codes ...string) bool {
	code := ErrorCode(err)
	return code != "" && slices.Contains(codes, code)
}

// IsNotFound reports whether err says that an object does not exist: a
// finder's *NotFoundError or an API not-found code. Which object is missing
// depends on the call (attach may report the instance); use IsCode when it
// matters.
func IsNotFound(err error) bool {
	var nf *NotFoundError
	return errors.As(err, &nf) || IsCode(err, notFoundCodes...)
}

// IsRetryable reports whether err is transient on every action: throttling,
// busy or conflicting service, HTTP 5xx, or a transport failure.
func IsRetryable(err error) bool { return retryable(err, nil) }

func retryable(err error, extra []string) bool {
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	var ae *APIError
	if errors.As(err, &ae) {
		return strings.Contains(ae.Code, "Throttling") ||
			slices.Contains(retryableCodes, ae.Code) ||
			slices.Contains(extra, ae.Code) ||
			ae.HTTPStatus >= 500
	}
	if isCertificateError(err) || permanentTransportError(err) {
		return false
	}
	var ce *sdkerrors.ClientError
	if errors.As(err, &ce) {
		if ce.ErrorCode() == sdkerrors.TimeoutErrorCode {
			return true
		}
		if ce.OriginError() == nil {
			return false // SDK-side problem such as a response it cannot decode
		}
		return isTransportError(ce.OriginError())
	}
	return isTransportError(err)
}

// isTransportError covers what http.Client.Do returns for a failed exchange;
// with AutoRetry off the SDK passes it through unwrapped.
func isTransportError(err error) bool {
	var ue *url.Error
	var ne net.Error
	return errors.As(err, &ue) || errors.As(err, &ne)
}

func isCertificateError(err error) bool {
	var ua x509.UnknownAuthorityError
	var ci x509.CertificateInvalidError
	var he x509.HostnameError
	var cv *tls.CertificateVerificationError
	return errors.As(err, &ua) || errors.As(err, &ci) || errors.As(err, &he) || errors.As(err, &cv)
}

// truncate keeps an error readable when a proxy answers with a whole HTML
// page instead of the API's JSON.
func truncate(s string, n int) string {
	s = strings.TrimSpace(s)
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "..."
}
