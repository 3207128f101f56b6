package mockcloud

import (
	"errors"
	"net/url"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
	sdkerrors "github.com/aliyun/alibaba-cloud-sdk-go/sdk/errors"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"
)

// testEnv is one in-process emulator with real SDK clients pointed at it.
type testEnv struct {
	srv *Server
	ecs *ecs.Client
	vpc *vpc.Client
}

// startEnv starts an emulator with the given seed (nil: the default) and
// zero transition delay unless opts says otherwise.
func startEnv(t testing.TB, seed *Seed, mutate ...func(*Options)) *testEnv {
	t.Helper()
	opts := Options{Seed: seed}
	for _, m := range mutate {
		m(&opts)
	}
	srv, err := Start(opts)
	if err != nil {
		t.Fatalf("starting emulator: %v", err)
	}
	t.Cleanup(srv.Close)
	key, secret := "mock-key", "mock-secret"
	if seed != nil {
		key, secret = seed.Credentials[0].AccessKeyID, seed.Credentials[0].AccessKeySecret
	}
	region := srv.Region()
	u, _ := url.Parse(srv.URL())
	cfg := sdk.NewConfig().WithScheme("HTTP").WithAutoRetry(false).WithTimeout(10 * time.Second)
	cred := credentials.NewAccessKeyCredential(key, secret)
	e, err := ecs.NewClientWithOptions(region, cfg, cred)
	if err != nil {
		t.Fatal(err)
	}
	e.Domain = u.Host
	v, err := vpc.NewClientWithOptions(region, cfg, cred)
	if err != nil {
		t.Fatal(err)
	}
	v.Domain = u.Host
	return &testEnv{srv: srv, ecs: e, vpc: v}
}

// withDelay sets the transition delay.
func withDelay(d time.Duration) func(*Options) { return func(o *Options) { o.TransitionDelay = d } }

// wantCode asserts that err is an SDK server error with code and status.
func wantCode(t testing.TB, err error, code string, status int) {
	t.Helper()
	if err == nil {
		t.Fatalf("want error %s (%d), got success", code, status)
	}
	var se *sdkerrors.ServerError
	if !errors.As(err, &se) {
		t.Fatalf("want server error %s, got %T: %v", code, err, err)
	}
	if se.ErrorCode() != code || se.HttpStatus() != status {
		t.Fatalf("want %s (%d), got %s (%d): %s", code, status, se.ErrorCode(), se.HttpStatus(), se.Message())
	}
	if se.RequestId() == "" {
		t.Fatalf("error %s has no RequestId", code)
	}
}

// mustOK fails the test on an error.
func mustOK(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("unexpected error: %v", err)
	}
}

// serverCode is the API error code of err, or "".
func serverCode(err error) string {
	var se *sdkerrors.ServerError
	if errors.As(err, &se) {
		return se.ErrorCode()
	}
	return ""
}
