package cloud

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-log/tflog"
	"github.com/hashicorp/terraform-plugin-log/tflogtest"
)

func TestParseEndpoint(t *testing.T) {
	tests := []struct {
		raw            string
		domain, scheme string
		wantErr        string // substring; "" means success
	}{
		{raw: "", domain: "", scheme: "HTTPS"},
		{raw: "http://127.0.0.1:8686", domain: "127.0.0.1:8686", scheme: "HTTP"},
		{raw: "http://127.0.0.1:8686/", domain: "127.0.0.1:8686", scheme: "HTTP"},
		{raw: "HTTP://LocalHost:80", domain: "LocalHost:80", scheme: "HTTP"},
		{raw: "https://ecs.example.com", domain: "ecs.example.com", scheme: "HTTPS"},
		{raw: "  https://ecs.example.com  ", domain: "ecs.example.com", scheme: "HTTPS"},
		{raw: "ecs.example.com", domain: "ecs.example.com", scheme: "HTTPS"},
		{raw: "ecs.example.com:8443", domain: "ecs.example.com:8443", scheme: "HTTPS"},
		{raw: "http://[::1]:8686", domain: "[::1]:8686", scheme: "HTTP"},
		{raw: "https://[::1]", domain: "[::1]", scheme: "HTTPS"},
		{raw: "ftp://ecs.example.com", wantErr: "scheme must be http or https"},
		{raw: "http://", wantErr: "host is empty"},
		{raw: "http://:8080", wantErr: "host is empty"},
		{raw: "https://ecs.example.com/api", wantErr: "path"},
		{raw: "https://ecs.example.com?x=1", wantErr: "query"},
		{raw: "https://ecs.example.com#frag", wantErr: "fragment"},
		{raw: "https://user:pw@ecs.example.com", wantErr: "credentials"},
		{raw: "http://127.0.0.1:99999", wantErr: "port"},
		{raw: "http://127.0.0.1:abc", wantErr: "port"},
		{raw: "http://127.0.0.1:", wantErr: "port"},
		{raw: "http://bad host", wantErr: "invalid"},
	}
	for _, tt := range tests {
		t.Run(tt.raw, func(t *testing.T) {
			got, err := parseEndpoint("ecs", tt.raw)
			if tt.wantErr != "" {
				var ee *EndpointError
				if !errors.As(err, &ee) {
					t.Fatalf("error = %v, want an *EndpointError", err)
				}
				if ee.Service != "ecs" || !strings.Contains(err.Error(), "ecs endpoint") || !strings.Contains(err.Error(), tt.wantErr) {
					t.Errorf("error = %q, want it to name the ecs endpoint and contain %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("error = %v", err)
			}
			if got.domain != tt.domain || got.scheme != tt.scheme {
				t.Errorf("got domain %q scheme %q, want %q %q", got.domain, got.scheme, tt.domain, tt.scheme)
			}
		})
	}
}

func TestNew(t *testing.T) {
	base := Config{Region: "cn-hangzhou", AccessKey: "ak", SecretKey: "sk"}
	tests := []struct {
		name    string
		mutate  func(*Config)
		wantErr string
	}{
		{name: "static keys", mutate: func(*Config) {}},
		{name: "sts token", mutate: func(c *Config) { c.SecurityToken = "tok" }},
		{name: "profile", mutate: func(c *Config) { c.AccessKey, c.SecretKey, c.Profile = "", "", "default" }},
		{name: "no region", mutate: func(c *Config) { c.Region = "" }, wantErr: "region is required"},
		{name: "bad region", mutate: func(c *Config) { c.Region = "cn hangzhou" }, wantErr: "invalid characters"},
		{name: "no credentials", mutate: func(c *Config) { c.AccessKey, c.SecretKey = "", "" }, wantErr: "no credentials"},
		{name: "half a key pair", mutate: func(c *Config) { c.SecretKey = "" }, wantErr: "set together"},
		{name: "bad ecs endpoint", mutate: func(c *Config) { c.ECSEndpoint = "ftp://x" }, wantErr: "invalid ecs endpoint"},
		{name: "bad vpc endpoint", mutate: func(c *Config) { c.VPCEndpoint = "http://x/path" }, wantErr: "invalid vpc endpoint"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := base
			tt.mutate(&cfg)
			c, err := New(cfg)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("New: %v", err)
			}
			if c.Region() != "cn-hangzhou" {
				t.Errorf("Region() = %q", c.Region())
			}
		})
	}
}

func TestNew_maxRetries(t *testing.T) {
	for in, want := range map[int]int{0: DefaultMaxRetries, 3: 3, -1: 0} {
		c, err := New(Config{Region: "cn-hangzhou", AccessKey: "ak", SecretKey: "sk", MaxRetries: in})
		if err != nil {
			t.Fatal(err)
		}
		if c.MaxRetries() != want {
			t.Errorf("MaxRetries %d → %d, want %d", in, c.MaxRetries(), want)
		}
	}
}

// Every log line written with LogContext masks both secrets, in message
// and fields, raw or encoded.
func TestLogContext_masksEveryEncoding(t *testing.T) {
	c, err := New(Config{Region: "cn-hangzhou", AccessKey: "ak", SecretKey: testSecretKey, SecurityToken: testSTSToken})
	if err != nil {
		t.Fatal(err)
	}
	for _, enc := range testEncodings {
		t.Run(enc.name, func(t *testing.T) {
			var buf bytes.Buffer
			ctx := c.LogContext(tflogtest.RootLogger(context.Background(), &buf))
			for _, s := range []string{testSecretKey, testSTSToken} {
				form := enc.encode(s)
				tflog.Debug(ctx, "message with "+form, map[string]any{"error": "field with " + form})
			}
			log := logText(t, &buf)
			if strings.Count(log, "with ***") < 4 {
				t.Errorf("the secrets are not masked in place:\n%s", log)
			}
			assertNoSecret(t, "the log", log, testSecretKey, testSTSToken)
		})
	}
}
