package cloud

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"

	"github.com/openeni/terraform-provider-eni/internal/mockcloud"
)

// The credential sources the emulator can serve without TLS: CLI
// profiles (AK, StsToken, External), the ECS RAM role through the
// metadata service and a credentials URI. Assumed roles and OIDC go to
// STS, which the providers call over HTTPS only; the provider package
// tests them against the emulator's HTTPS listener.

func startCredentialsEmulator(t *testing.T, ttl time.Duration) *mockcloud.Server {
	t.Helper()
	srv, err := mockcloud.Start(mockcloud.Options{TemporaryCredentialTTL: ttl})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	return srv
}

// clientWith is a client of the emulator with the given credential
// settings; the CLI profile of the machine running the test is never read.
func clientWith(t *testing.T, srv *mockcloud.Server, cfg Config) *Client {
	t.Helper()
	t.Setenv("ALIBABA_CLOUD_CONFIG_FILE", filepath.Join(t.TempDir(), "absent.json"))
	cfg.Region, cfg.ECSEndpoint, cfg.VPCEndpoint = srv.Region(), srv.URL(), srv.URL()
	c, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	c.RetryBaseDelay = time.Millisecond
	return c
}

func describeENIs(c *Client) error {
	_, err := c.DescribeNetworkInterfaces(context.Background(), ecs.CreateDescribeNetworkInterfacesRequest())
	return err
}

// writeCLIConfig writes an Alibaba Cloud CLI configuration file.
func writeCLIConfig(t *testing.T, current string, profiles ...map[string]any) string {
	t.Helper()
	raw, err := json.Marshal(map[string]any{"current": current, "profiles": profiles})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "config.json")
	if err := os.WriteFile(path, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// roleKey fetches a temporary key of the emulator's instance role, as
// something outside the provider (a CLI login, a sidecar) would.
func roleKey(t *testing.T, srv *mockcloud.Server) (id, secret, token string) {
	t.Helper()
	resp, err := http.Get(srv.URL() + "/credentials")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var c struct{ AccessKeyId, AccessKeySecret, SecurityToken string }
	if err := json.NewDecoder(resp.Body).Decode(&c); err != nil {
		t.Fatal(err)
	}
	return c.AccessKeyId, c.AccessKeySecret, c.SecurityToken
}

func TestCredentials_cliProfileModes(t *testing.T) {
	srv := startCredentialsEmulator(t, 0)
	id, secret, token := roleKey(t, srv)
	script := filepath.Join(t.TempDir(), "external.sh")
	out, _ := json.Marshal(map[string]string{"mode": "StsToken", "access_key_id": id, "access_key_secret": secret, "sts_token": token})
	if err := os.WriteFile(script, []byte("#!/bin/sh\necho '"+string(out)+"'\n"), 0o700); err != nil {
		t.Fatal(err)
	}
	file := writeCLIConfig(t, "keys",
		map[string]any{"name": "keys", "mode": "AK", "access_key_id": "mock-key", "access_key_secret": "mock-secret"},
		map[string]any{"name": "sts", "mode": "StsToken", "access_key_id": id, "access_key_secret": secret, "sts_token": token},
		map[string]any{"name": "sts-wrong", "mode": "StsToken", "access_key_id": id, "access_key_secret": secret, "sts_token": "CAISwrong"},
		map[string]any{"name": "external", "mode": "External", "process_command": script},
	)
	for _, tc := range []struct{ profile, wantCode string }{
		{"", ""}, // the current profile
		{"keys", ""},
		{"sts", ""},
		{"external", ""},
		{"sts-wrong", "InvalidSecurityToken.MismatchWithAccessKey"},
	} {
		t.Run("profile="+tc.profile, func(t *testing.T) {
			c := clientWith(t, srv, Config{Profile: tc.profile, ProfileFile: file})
			err := describeENIs(c)
			if got := ErrorCode(err); got != tc.wantCode {
				t.Fatalf("DescribeNetworkInterfaces with profile %q: code %q (%v), want %q", tc.profile, got, err, tc.wantCode)
			}
			if !strings.Contains(c.CredentialSource(), "Alibaba Cloud CLI") {
				t.Fatalf("source %q, want a CLI profile", c.CredentialSource())
			}
		})
	}
	t.Run("unknown profile", func(t *testing.T) {
		err := describeENIs(clientWith(t, srv, Config{Profile: "nope", ProfileFile: file}))
		var ce *CredentialsError
		if !errors.As(err, &ce) || !strings.Contains(err.Error(), "nope") {
			t.Fatalf("got %v, want a CredentialsError naming the profile", err)
		}
	})
}

// The ECS RAM role's keys come from the metadata service, reached through
// ECSMetadataEndpoint; the credentials URI's from any URL.
func TestCredentials_ecsRoleAndURI(t *testing.T) {
	srv := startCredentialsEmulator(t, 0)
	for name, cfg := range map[string]Config{
		"ecs role":        {ECSRoleName: mockcloud.DefaultECSRoleName, ECSMetadataEndpoint: srv.URL()},
		"credentials URI": {CredentialsURI: srv.URL() + "/credentials"},
	} {
		t.Run(name, func(t *testing.T) {
			before := srv.TemporaryCredentialsIssued()
			c := clientWith(t, srv, cfg)
			for range 3 {
				if err := describeENIs(c); err != nil {
					t.Fatal(err)
				}
			}
			if n := srv.TemporaryCredentialsIssued() - before; n != 1 {
				t.Fatalf("%d keys issued for 3 calls, want 1 (cached until near its expiry)", n)
			}
		})
	}
	t.Run("wrong role", func(t *testing.T) {
		err := describeENIs(clientWith(t, srv, Config{ECSRoleName: "OtherRole", ECSMetadataEndpoint: srv.URL()}))
		var ce *CredentialsError
		if !errors.As(err, &ce) || !strings.Contains(err.Error(), "ECS RAM role OtherRole") {
			t.Fatalf("got %v, want a CredentialsError naming the role", err)
		}
	})
}

// Temporary keys are replaced before they expire: the providers fetch new
// keys once the old ones have 180 seconds or less to live. With keys that
// live 120 seconds every call gets fresh ones, so expiring all issued
// keys between calls (what time passing does) never fails a call; keys
// living an hour are reused, and expiring them shows the emulator refuses
// them then.
func TestCredentials_refreshedBeforeExpiry(t *testing.T) {
	for _, tc := range []struct {
		ttl      time.Duration
		wantCode string
	}{
		{120 * time.Second, ""},
		{time.Hour, "InvalidSecurityToken.Expired"},
	} {
		t.Run(tc.ttl.String(), func(t *testing.T) {
			srv := startCredentialsEmulator(t, tc.ttl)
			c := clientWith(t, srv, Config{CredentialsURI: srv.URL() + "/credentials"})
			if err := describeENIs(c); err != nil {
				t.Fatal(err)
			}
			srv.ExpireTemporaryCredentials()
			err := describeENIs(c)
			if got := ErrorCode(err); got != tc.wantCode {
				t.Fatalf("after the keys expired: code %q (%v), want %q", got, err, tc.wantCode)
			}
		})
	}
}

// A source that cannot give keys is asked once: the calls that follow
// within credentialFailureMemory get its error at once.
func TestCredentials_failureRemembered(t *testing.T) {
	srv := startCredentialsEmulator(t, 0)
	var asked atomic.Int32
	broken := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		asked.Add(1)
		http.Error(w, "no role here", http.StatusInternalServerError)
	}))
	t.Cleanup(broken.Close)
	c := clientWith(t, srv, Config{CredentialsURI: broken.URL})
	for i := range 5 {
		err := describeENIs(c)
		var ce *CredentialsError
		if !errors.As(err, &ce) || ce.Source != "credentials URI" {
			t.Fatalf("call %d: %v, want a CredentialsError of the credentials URI", i, err)
		}
	}
	if n := asked.Load(); n != 1 {
		t.Fatalf("the source was asked %d times for 5 calls, want 1", n)
	}
}

// New temporary secrets and tokens are masked from errors as they arrive.
func TestCredentials_newSecretsMasked(t *testing.T) {
	srv := startCredentialsEmulator(t, 0)
	c := clientWith(t, srv, Config{CredentialsURI: srv.URL() + "/credentials"})
	if err := describeENIs(c); err != nil {
		t.Fatal(err)
	}
	masked := c.redactor.masked()
	if len(masked) == 0 {
		t.Fatal("no secret is masked after temporary keys were fetched")
	}
	for _, f := range masked {
		if got := c.redactor.redact("x" + f + "x"); got != "x***x" {
			t.Fatalf("redact(%q) = %q", f, got)
		}
	}
}

func TestCredentials_noSource(t *testing.T) {
	t.Setenv("ALIBABA_CLOUD_CONFIG_FILE", filepath.Join(t.TempDir(), "absent.json"))
	_, err := New(Config{Region: "cn-hangzhou"})
	if err == nil || !strings.Contains(err.Error(), "no credentials") {
		t.Fatalf("New without any source: %v, want the no-credentials error", err)
	}
	_, err = New(Config{Region: "cn-hangzhou", AccessKey: "k", SecretKey: "s", STSEndpoint: "http://127.0.0.1:1"})
	if err == nil || !strings.Contains(err.Error(), "HTTPS") {
		t.Fatalf("an http STS endpoint: %v, want it refused for not being HTTPS", err)
	}
	_, err = New(Config{Region: "cn-hangzhou", AccessKey: "k", SecretKey: "s", ECSMetadataEndpoint: "https://x/y"})
	if err == nil {
		t.Fatal("an https metadata endpoint with a path was accepted")
	}
}
