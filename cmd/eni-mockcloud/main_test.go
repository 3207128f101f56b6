package main

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// The program prints its base URL first, serves the API and the control
// endpoints, and exits 0 on SIGTERM.
func TestBinaryServesAndStopsCleanly(t *testing.T) {
	bin := buildBinary(t)
	seed := filepath.Join(t.TempDir(), "seed.json")
	if err := os.WriteFile(seed, []byte(`{"region_id":"cn-shanghai","credentials":[{"access_key_id":"k","access_key_secret":"s"}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	proc := startProcess(t, bin, "-seed", seed, "-state", filepath.Join(t.TempDir(), "state.json"))
	cmd, base := proc.cmd, proc.base
	if !strings.HasPrefix(base, "http://127.0.0.1:") {
		t.Fatalf("first line %q is not the base URL", base)
	}
	resp, err := http.Get(base + "/_mock/health")
	if err != nil {
		t.Fatal(err)
	}
	var health map[string]string
	_ = json.NewDecoder(resp.Body).Decode(&health)
	resp.Body.Close()
	if health["status"] != "ok" || health["region"] != "cn-shanghai" {
		t.Fatalf("health %v: the seed was not used", health)
	}
	resp, err = http.Get(base + "/?Action=DescribeVpcs&Version=2016-04-28")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 400 {
		t.Fatalf("unsigned API call answered %d, want 400", resp.StatusCode)
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("exit after SIGTERM: %v", err)
	}
}

func TestBadFlagsAndSeeds(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	_ = os.WriteFile(bad, []byte(`{"region_id":"cn-hangzhou","credentials":[{"access_key_id":"k","access_key_secret":"s"}],"instances":[{"instance_id":"i-1","instance_type":"x","vswitch_id":"vsw-ghost"}]}`), 0o600)
	for _, args := range [][]string{
		{"-seed", filepath.Join(dir, "missing.json")},
		{"-seed", bad},
		{"-throttle-rate", "3"},
		{"-listen", "not-an-address"},
		{"extra"},
		{"-temporary-credential-ttl", "-1s"},
		{"-tls-listen", "127.0.0.1:0"},
		{"-tls-cert", "c.pem", "-tls-key", "k.pem"},
		{"-listen", "127.0.0.1:0", "-tls-listen", "127.0.0.1:0", "-tls-cert", filepath.Join(dir, "missing.pem"), "-tls-key", filepath.Join(dir, "missing.pem")},
	} {
		var out, errOut strings.Builder
		if err := run(t.Context(), args, &out, &errOut); err == nil {
			t.Fatalf("%v accepted", args)
		}
	}
}
