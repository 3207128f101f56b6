package mockcloud

import (
	"fmt"
	"net/http"
)

// apiError is an Alibaba-shaped error: HTTP status, Code and Message. The
// handlers return it; writeError turns it into the real JSON body.
type apiError struct {
	Status  int
	Code    string
	Message string
}

func (e *apiError) Error() string { return e.Code + ": " + e.Message }

func newErr(status int, code, format string, args ...any) *apiError {
	return &apiError{Status: status, Code: code, Message: fmt.Sprintf(format, args...)}
}

func badRequest(code, format string, args ...any) *apiError {
	return newErr(http.StatusBadRequest, code, format, args...)
}

func forbidden(code, format string, args ...any) *apiError {
	return newErr(http.StatusForbidden, code, format, args...)
}

func notFound(code, format string, args ...any) *apiError {
	return newErr(http.StatusNotFound, code, format, args...)
}

func errMissing(name string) *apiError {
	return badRequest("MissingParameter",
		"The input parameter %q that is mandatory for processing this request is not supplied.", name)
}

func errInvalid(name, why string) *apiError {
	return badRequest("InvalidParameter", "The specified parameter %q is not valid: %s", name, why)
}

// Not-found errors shared by several actions.
func errENINotFound(id string) *apiError {
	return notFound("InvalidEniId.NotFound", "The specified NetworkInterfaceId %q does not exist.", id)
}

func errInstanceNotFound(id string) *apiError {
	return notFound("InvalidEcsId.NotFound", "The specified InstanceId %q does not exist.", id)
}

func errVSwitchNotFound(id string) *apiError {
	return notFound("InvalidVSwitchId.NotFound", "The specified VSwitchId %q does not exist.", id)
}

func errSecurityGroupNotFound(id string) *apiError {
	return notFound("InvalidSecurityGroupId.NotFound", "The specified SecurityGroupId %q does not exist.", id)
}

func errEIPNotFound(id string) *apiError {
	return notFound("InvalidAllocationId.NotFound", "The specified AllocationId %q does not exist.", id)
}
