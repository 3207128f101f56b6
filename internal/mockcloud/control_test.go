package mockcloud

import (
	"bytes"
	"encoding/json"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"
)

func controlCall(t *testing.T, srv *Server, method, path, body string, out any) int {
	t.Helper()
	req, _ := http.NewRequest(method, srv.URL()+path, bytes.NewBufferString(body))
	resp, err := http.DefaultClient.Do(req)
	mustOK(t, err)
	defer resp.Body.Close()
	if out != nil {
		mustOK(t, json.NewDecoder(resp.Body).Decode(out))
	}
	return resp.StatusCode
}

func TestControlHealthAndStats(t *testing.T) {
	env := startEnv(t, nil)
	var health map[string]string
	if code := controlCall(t, env.srv, "GET", "/_mock/health", "", &health); code != 200 || health["status"] != "ok" {
		t.Fatalf("health: %d %v", code, health)
	}
	_, err := env.ecs.DescribeInstanceTypes(ecs.CreateDescribeInstanceTypesRequest())
	mustOK(t, err)
	_, err = env.vpc.ReleaseEipAddress(func() *vpc.ReleaseEipAddressRequest {
		r := vpc.CreateReleaseEipAddressRequest()
		r.AllocationId = "eip-nope"
		return r
	}())
	wantCode(t, err, "InvalidAllocationId.NotFound", 404)

	var st Stats
	controlCall(t, env.srv, "GET", "/_mock/stats", "", &st)
	if st.Total != 2 || st.Mutating != 1 || st.Actions["DescribeInstanceTypes"] != 1 || st.Actions["ReleaseEipAddress"] != 1 {
		t.Fatalf("stats after two calls: %+v", st)
	}
	st = Stats{} // decoding into a used map would keep its keys
	controlCall(t, env.srv, "POST", "/_mock/stats/reset", "", &st)
	st = Stats{}
	controlCall(t, env.srv, "GET", "/_mock/stats", "", &st)
	if st.Total != 0 || st.Mutating != 0 || len(st.Actions) != 0 {
		t.Fatalf("stats after reset: %+v", st)
	}
}

func TestControlRejectsBadInput(t *testing.T) {
	env := startEnv(t, nil)
	for _, body := range []string{`{"throttle_rate": 2}`, `{"nope": 1}`, `not json`, `{"latency_ms": -1}`} {
		if code := controlCall(t, env.srv, "PUT", "/_mock/faults", body, nil); code != 400 {
			t.Fatalf("PUT /_mock/faults %s: status %d, want 400", body, code)
		}
	}
	if code := controlCall(t, env.srv, "PUT", "/_mock/config", `{"transition_delay_ms": -5}`, nil); code != 400 {
		t.Fatalf("negative delay accepted: %d", code)
	}
	if code := controlCall(t, env.srv, "GET", "/_mock/nothing", "", nil); code != 404 {
		t.Fatalf("unknown control endpoint: %d", code)
	}
	var cfg controlConfig
	controlCall(t, env.srv, "PUT", "/_mock/config", `{"transition_delay_ms": 1500}`, &cfg)
	if cfg.TransitionDelayMS != 1500 {
		t.Fatalf("config: %+v", cfg)
	}
}

// A throttled or failed request changes nothing: with every call refused,
// no EIP is allocated; the counters still see each attempt.
func TestFaultsNeverChangeState(t *testing.T) {
	env := startEnv(t, nil)
	controlCall(t, env.srv, "PUT", "/_mock/faults", `{"throttle_rate": 1}`, nil)
	_, err := env.vpc.AllocateEipAddress(vpc.CreateAllocateEipAddressRequest())
	wantCode(t, err, "Throttling.User", 400)

	env.srv.SetFaults(Faults{ErrorRate: 1, Seed: 7})
	seen := map[string]bool{}
	for i := 0; i < 20; i++ {
		_, err := env.vpc.AllocateEipAddress(vpc.CreateAllocateEipAddressRequest())
		if err == nil {
			t.Fatal("a failing call succeeded")
		}
		seen[err.Error()[:40]] = true
	}
	env.srv.SetFaults(Faults{})
	resp, err := env.vpc.DescribeEipAddresses(func() *vpc.DescribeEipAddressesRequest {
		r := vpc.CreateDescribeEipAddressesRequest()
		r.PageSize = "100"
		return r
	}())
	mustOK(t, err)
	if n := len(resp.EipAddresses.EipAddress); n != len(DefaultSeed().EIPs) {
		t.Fatalf("faulted calls changed state: %d EIPs", n)
	}
	st := env.srv.Stats()
	if st.Actions["AllocateEipAddress"] != 21 {
		t.Fatalf("attempts counted: %+v", st)
	}
}

func TestFaultsErrorCodes(t *testing.T) {
	env := startEnv(t, nil)
	env.srv.SetFaults(Faults{ErrorRate: 1, Seed: 1})
	codes := map[string]bool{}
	for i := 0; i < 30; i++ {
		_, err := env.ecs.DescribeInstanceTypes(ecs.CreateDescribeInstanceTypesRequest())
		if err == nil {
			t.Fatal("error_rate 1 let a call through")
		}
		codes[serverCode(err)] = true
	}
	if !codes["ServiceUnavailable"] || !codes["InternalError"] || len(codes) != 2 {
		t.Fatalf("codes seen: %v", codes)
	}
}

// Every acknowledged change survives a restart from the state file.
func TestStateFilePersistsAcrossRestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	env := startEnv(t, nil, func(o *Options) { o.StatePath = path })
	resp, err := env.vpc.AllocateEipAddress(vpc.CreateAllocateEipAddressRequest())
	mustOK(t, err)
	env.srv.Close()

	again := startEnv(t, nil, func(o *Options) { o.StatePath = path })
	got, err := again.vpc.DescribeEipAddresses(func() *vpc.DescribeEipAddressesRequest {
		r := vpc.CreateDescribeEipAddressesRequest()
		r.AllocationId = resp.AllocationId
		return r
	}())
	mustOK(t, err)
	if len(got.EipAddresses.EipAddress) != 1 || got.EipAddresses.EipAddress[0].IpAddress != resp.EipAddress {
		t.Fatalf("after restart: %+v", got.EipAddresses)
	}
}

func TestSeedValidation(t *testing.T) {
	bad := map[string]func(*Seed){
		"unknown vswitch":    func(s *Seed) { s.Instances[0].VSwitchID = "vsw-ghost" },
		"overlapping vsw":    func(s *Seed) { s.VSwitches[1].CIDRBlock = "10.1.0.0/25" },
		"vsw outside vpc":    func(s *Seed) { s.VSwitches[1].CIDRBlock = "192.168.0.0/24" },
		"unknown type":       func(s *Seed) { s.Instances[0].InstanceType = "ecs.nope" },
		"sg in other vpc":    func(s *Seed) { s.SecurityGroups[0].VPCID = "vpc-ghost" },
		"bad status":         func(s *Seed) { s.Instances[0].Status = "Starting" },
		"duplicate eip ip":   func(s *Seed) { s.EIPs[1].IPAddress = s.EIPs[0].IPAddress },
		"no credentials":     func(s *Seed) { s.Credentials = nil },
		"zero eni quantity":  func(s *Seed) { s.InstanceTypes[0].ENIQuantity = 0 },
		"duplicate instance": func(s *Seed) { s.Instances[1].InstanceID = s.Instances[0].InstanceID },
	}
	for name, mutate := range bad {
		t.Run(name, func(t *testing.T) {
			s := DefaultSeed()
			mutate(s)
			if _, err := New(Options{Seed: s}); err == nil {
				t.Fatal("seed accepted")
			}
		})
	}
	if _, err := ParseSeed([]byte(`{"region_id":"x","typo_field":1}`)); err == nil {
		t.Fatal("unknown seed field accepted")
	}
	doc := []byte(`{
	  "region_id": "cn-hangzhou",
	  "credentials": [{"access_key_id": "mock-key", "access_key_secret": "mock-secret"}],
	  "vpcs": [{"vpc_id": "vpc-a", "cidr_block": "10.0.0.0/8"}],
	  "vswitches": [{"vswitch_id": "vsw-a", "vpc_id": "vpc-a", "zone_id": "cn-hangzhou-h", "cidr_block": "10.1.0.0/24"}],
	  "security_groups": [{"security_group_id": "sg-a", "vpc_id": "vpc-a"}],
	  "instance_types": [{"instance_type_id": "ecs.g7.large", "eni_quantity": 3, "eni_private_ip_address_quantity": 10, "eni_ipv6_address_quantity": 10}],
	  "instances": [{"instance_id": "i-a", "instance_type": "ecs.g7.large", "vswitch_id": "vsw-a", "security_group_ids": ["sg-a"], "status": "Running"}],
	  "eips": [{"allocation_id": "eip-a", "ip_address": "47.96.0.10"}],
	  "quotas": {"max_network_interfaces": 100}
	}`)
	s, err := ParseSeed(doc)
	mustOK(t, err)
	if _, err := New(Options{Seed: s}); err != nil {
		t.Fatalf("the documented seed is refused: %v", err)
	}
}

// Every control setting is range-checked, and a value that does not fit
// its type (an overflowing integer, a negative seed, a string) is refused
// with a 400 that names the field instead of wrapping around.
func TestControlNamesTheBadField(t *testing.T) {
	env := startEnv(t, nil)
	cases := []struct{ path, body, field string }{
		{"/_mock/config", `{"transition_delay_ms": 9223372036854775807}`, "transition_delay_ms"},
		{"/_mock/config", `{"transition_delay_ms": 99999999999999999999}`, "transition_delay_ms"},
		{"/_mock/config", `{"transition_delay_ms": 3600001}`, "transition_delay_ms"},
		{"/_mock/config", `{"transition_delay_ms": -1}`, "transition_delay_ms"},
		{"/_mock/config", `{"transition_delay_ms": 1.5}`, "transition_delay_ms"},
		{"/_mock/config", `{"transition_delay_ms": "10s"}`, "transition_delay_ms"},
		{"/_mock/config", `{"transition_delay_ms": 5} {"transition_delay_ms": 6}`, "body"},
		{"/_mock/faults", `{"latency_ms": 9223372036854775807}`, "latency_ms"},
		{"/_mock/faults", `{"latency_ms": 60001}`, "latency_ms"},
		{"/_mock/faults", `{"seed": -1}`, "seed"},
		{"/_mock/faults", `{"throttle_rate": 1e400}`, "throttle_rate"},
		{"/_mock/faults", `{"error_rate": -0.1}`, "error_rate"},
		{"/_mock/faults", `{"lost_reply_rate": 1.01}`, "lost_reply_rate"},
		{"/_mock/faults", `{"invisible_after_create_ms": 600001}`, "invisible_after_create_ms"},
	}
	for _, c := range cases {
		var out map[string]string
		code := controlCall(t, env.srv, "PUT", c.path, c.body, &out)
		if code != 400 || !strings.Contains(out["error"], `"`+c.field+`"`) {
			t.Errorf("PUT %s %s: %d %q, want 400 naming %q", c.path, c.body, code, out["error"], c.field)
		}
	}
	var cfg controlConfig
	controlCall(t, env.srv, "GET", "/_mock/config", "", &cfg)
	if cfg.TransitionDelayMS != 0 {
		t.Fatalf("a refused setting changed the delay: %+v", cfg)
	}
	controlCall(t, env.srv, "PUT", "/_mock/config", `{"transition_delay_ms": 3600000}`, &cfg)
	if cfg.TransitionDelayMS != 3600000 {
		t.Fatalf("the largest delay was not taken: %+v", cfg)
	}
}
