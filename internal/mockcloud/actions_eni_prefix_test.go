package mockcloud

import (
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"
)

// Helpers of this file are prefixed "px".

// pxAssign calls AssignPrivateIpAddresses with IPv4 prefixes: a count or
// named prefixes, and a ClientToken when token is not empty.
func pxAssign(env *testEnv, eni, token string, count int, prefixes ...string) (*ecs.AssignPrivateIpAddressesResponse, error) {
	req := ecs.CreateAssignPrivateIpAddressesRequest()
	req.NetworkInterfaceId, req.ClientToken = eni, token
	if count != 0 {
		req.Ipv4PrefixCount = requests.NewInteger(count)
	}
	if len(prefixes) > 0 {
		req.Ipv4Prefix = &prefixes
	}
	return env.ecs.AssignPrivateIpAddresses(req)
}

func pxUnassign(env *testEnv, eni string, ips []string, prefixes ...string) error {
	req := ecs.CreateUnassignPrivateIpAddressesRequest()
	req.NetworkInterfaceId = eni
	if len(ips) > 0 {
		req.PrivateIpAddress = &ips
	}
	if len(prefixes) > 0 {
		req.Ipv4Prefix = &prefixes
	}
	_, err := env.ecs.UnassignPrivateIpAddresses(req)
	return err
}

// pxOf lists the IPv4 prefixes DescribeNetworkInterfaces reports.
func pxOf(t *testing.T, env *testEnv, eni string) []string {
	t.Helper()
	var out []string
	for _, s := range niMustGet(t, env, eni).Ipv4PrefixSets.Ipv4PrefixSet {
		out = append(out, s.Ipv4Prefix)
	}
	return out
}

// pxFree is the vSwitch's AvailableIpAddressCount as DescribeVSwitches
// reports it.
func pxFree(t *testing.T, env *testEnv, vsw string) int64 {
	t.Helper()
	req := vpc.CreateDescribeVSwitchesRequest()
	req.VSwitchId = vsw
	resp, err := env.vpc.DescribeVSwitches(req)
	mustOK(t, err)
	if len(resp.VSwitches.VSwitch) != 1 {
		t.Fatalf("vSwitch %s not listed", vsw)
	}
	return resp.VSwitches.VSwitch[0].AvailableIpAddressCount
}

// pxAligned checks that each prefix is a /28 on its boundary inside cidr
// and clear of the vSwitch's reserved first and last 16 addresses.
func pxAligned(t *testing.T, cidr string, prefixes []string) {
	t.Helper()
	v := netip.MustParsePrefix(cidr)
	for _, s := range prefixes {
		p, err := netip.ParsePrefix(s)
		if err != nil || p.Bits() != 28 || p != p.Masked() || !v.Contains(p.Addr()) ||
			p.Addr() == v.Addr() || p.Addr().As4()[3] == 240 {
			t.Fatalf("prefix %q is not a usable /28 of %s", s, cidr)
		}
	}
}

// AssignPrivateIpAddresses with Ipv4PrefixCount or Ipv4Prefix.N hands out
// /28s of the vSwitch, answers with AssignedPrivateIpAddressesSet
// .Ipv4PrefixSet, takes 16 addresses per prefix, and keeps secondary
// addresses out of them; UnassignPrivateIpAddresses takes prefixes back,
// alone or with addresses.
func TestENIPrefixAssignUnassign(t *testing.T) {
	env := startEnv(t, nil, withDelay(time.Hour))
	id := niCreate(t, env).NetworkInterfaceId
	free := pxFree(t, env, "vsw-mockh")
	resp, err := pxAssign(env, id, "", 2)
	mustOK(t, err)
	set := resp.AssignedPrivateIpAddressesSet
	got := set.Ipv4PrefixSet.Ipv4Prefixes
	if set.NetworkInterfaceId != id || len(got) != 2 || got[0] == got[1] || len(set.PrivateIpSet.PrivateIpAddress) != 0 {
		t.Fatalf("assign answer: %+v", set)
	}
	pxAligned(t, "10.1.0.0/24", got)
	raw := resp.GetHttpContentString()
	niNoNulls(t, raw)
	if !strings.Contains(raw, `"Ipv4PrefixSet":{"Ipv4Prefixes":["`) || !strings.Contains(raw, `"PrivateIpSet":{"PrivateIpAddress":[]}`) {
		t.Fatalf("assign answer JSON: %s", raw)
	}
	if n := pxFree(t, env, "vsw-mockh"); n != free-32 {
		t.Fatalf("free addresses %d after 2 prefixes, want %d", n, free-32)
	}
	if len(pxOf(t, env, id)) != 0 {
		t.Fatal("prefixes in flight are shown")
	}
	_, err = pxAssign(env, id, "", 1)
	wantCode(t, err, "Operation.Conflict", 403)
	mustOK(t, env.srv.Settle())
	if have := pxOf(t, env, id); !slices.Equal(have, got) {
		t.Fatalf("described %v, assigned %v", have, got)
	}

	named, err := pxAssign(env, id, "", 0, "10.1.0.160/28")
	mustOK(t, err)
	if p := named.AssignedPrivateIpAddressesSet.Ipv4PrefixSet.Ipv4Prefixes; len(p) != 1 || p[0] != "10.1.0.160/28" {
		t.Fatalf("named prefix answered as %v", p)
	}
	mustOK(t, env.srv.Settle())
	// No address of a prefix is handed out as a secondary address.
	_, err = niAssign(env, id, 0, "10.1.0.170")
	wantCode(t, err, "InvalidPrivateIpAddress.Duplicated", 400)
	ips, err := niAssign(env, id, 3)
	mustOK(t, err)
	mustOK(t, env.srv.Settle())
	held := pxOf(t, env, id)
	for _, ip := range ips.AssignedPrivateIpAddressesSet.PrivateIpSet.PrivateIpAddress {
		if inPrefixes(ip, held) {
			t.Fatalf("secondary address %s lies in a prefix of %v", ip, held)
		}
	}
	// The ENI holds both kinds; one unassign may name both.
	secondary := ips.AssignedPrivateIpAddressesSet.PrivateIpSet.PrivateIpAddress[0]
	mustOK(t, pxUnassign(env, id, []string{secondary}, got[0], "10.1.0.160/28"))
	wantCode(t, pxUnassign(env, id, nil, got[1]), "Operation.Conflict", 403)
	mustOK(t, env.srv.Settle())
	if have := pxOf(t, env, id); !slices.Equal(have, got[1:]) {
		t.Fatalf("prefixes after unassign: %v", have)
	}
	if n := pxFree(t, env, "vsw-mockh"); n != free-16-2 {
		t.Fatalf("free addresses %d, want %d (one prefix, two secondary addresses)", n, free-18)
	}
	mustOK(t, niDelete(env, id))
	mustOK(t, env.srv.Settle())
	if n := pxFree(t, env, "vsw-mockh"); n != free+1 { // the ENI's primary address too
		t.Fatalf("free addresses %d after the delete, want %d", n, free+1)
	}
}

// A retry with the same ClientToken answers the first call's prefixes
// and assigns nothing more.
func TestENIPrefixAssignIdempotent(t *testing.T) {
	env := startEnv(t, nil)
	id := niCreate(t, env).NetworkInterfaceId
	first, err := pxAssign(env, id, "tok-px", 2)
	mustOK(t, err)
	again, err := pxAssign(env, id, "tok-px", 2)
	mustOK(t, err)
	if a, b := first.AssignedPrivateIpAddressesSet.Ipv4PrefixSet.Ipv4Prefixes, again.AssignedPrivateIpAddressesSet.Ipv4PrefixSet.Ipv4Prefixes; !slices.Equal(a, b) {
		t.Fatalf("retry answered %v, first %v", b, a)
	}
	if n := len(pxOf(t, env, id)); n != 2 {
		t.Fatalf("%d prefixes after a retry, want 2", n)
	}
	_, err = pxAssign(env, id, "tok-px", 1)
	wantCode(t, err, "IdempotentParameterMismatch", 400)
}

// Each refusal of the prefix parameters, with its code.
func TestENIPrefixRefusals(t *testing.T) {
	env := startEnv(t, nil)
	id := niCreate(t, env).NetworkInterfaceId
	other := niCreate(t, env).NetworkInterfaceId
	_, err := pxAssign(env, other, "", 0, "10.1.0.96/28")
	mustOK(t, err)
	_, err = niAssign(env, other, 0, "10.1.0.150")
	mustOK(t, err)

	cases := []struct {
		name     string
		count    int
		prefixes []string
		code     string
		status   int
		msg      string
	}{
		{"a /24", 0, []string{"10.1.0.0/24"}, "InvalidParameter", 400, "is a /24, not a /28"},
		{"off the boundary", 0, []string{"10.1.0.20/28"}, "InvalidParameter", 400, "10.1.0.16/28 is"},
		{"not a CIDR block", 0, []string{"10.1.0.16"}, "InvalidParameter", 400, "Ipv4Prefix.1"},
		{"outside the vSwitch", 0, []string{"10.2.0.16/28"}, "InvalidVSwitchId.IpInvalid", 403, "outside the vSwitch CIDR block 10.1.0.0/24"},
		{"holding the network address", 0, []string{"10.1.0.0/28"}, "InvalidVSwitchId.IpInvalid", 403, "reserves"},
		{"holding the last three", 0, []string{"10.1.0.240/28"}, "InvalidVSwitchId.IpInvalid", 403, "reserves"},
		{"another ENI's prefix", 0, []string{"10.1.0.96/28"}, "InvalidPrivateIpAddress.Duplicated", 400, other},
		{"over an address in use", 0, []string{"10.1.0.144/28"}, "InvalidPrivateIpAddress.Duplicated", 400, "overlaps address 10.1.0.150"},
		{"repeated", 0, []string{"10.1.0.128/28", "10.1.0.128/28"}, "InvalidIp.IpRepeated", 403, "more than once"},
		{"count and prefixes", 1, []string{"10.1.0.128/28"}, "InvalidParameter.Conflict", 400, "Ipv4PrefixCount"},
		{"11 in one request", 11, nil, "InvalidParameter", 400, "Ipv4PrefixCount"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := pxAssign(env, id, "", tc.count, tc.prefixes...)
			wantCode(t, err, tc.code, tc.status)
			niWantMsg(t, err, tc.msg)
		})
	}
	_, err = pxAssign(env, other, "", 0, "10.1.0.96/28")
	wantCode(t, err, "InvalidIp.IpAssigned", 403)

	// One request carries addresses or prefixes, not both.
	req := ecs.CreateAssignPrivateIpAddressesRequest()
	req.NetworkInterfaceId, req.SecondaryPrivateIpAddressCount, req.Ipv4PrefixCount = id, "1", "1"
	_, err = env.ecs.AssignPrivateIpAddresses(req)
	wantCode(t, err, "InvalidParameter.Conflict", 400)
	niWantMsg(t, err, "asks for 1 secondary address and 1 prefix in one request")

	// Unbound: 10 secondary addresses and prefixes together.
	_, err = niAssign(env, id, 4)
	mustOK(t, err)
	_, err = pxAssign(env, id, "", 7)
	wantCode(t, err, "InvalidOperation.Ipv4CountExceeded", 403)
	niWantMsg(t, err, "4 secondary addresses and 7 prefixes", "holds at most 10 secondary IPv4 addresses and IPv4 prefixes together")
	_, err = pxAssign(env, id, "", 6)
	mustOK(t, err)

	wantCode(t, pxUnassign(env, id, nil, "10.1.0.96/28"), "InvalidIp.IpUnassigned", 403)
	wantCode(t, pxUnassign(env, id, nil, "10.1.0.97/28"), "InvalidParameter", 400)
	wantCode(t, pxUnassign(env, id, nil), "MissingParameter", 400)
	if n := len(pxOf(t, env, id)); n != 6 {
		t.Fatalf("refusals changed the ENI: %d prefixes", n)
	}
}

// Prefixes count against the instance type's EniPrivateIpAddressQuantity
// (ecs.g7.large: 10, the primary address included) on attach and once
// bound; a vSwitch without a free /28 is full.
func TestENIPrefixLimitsAndFullVSwitch(t *testing.T) {
	env := startEnv(t, niSeed(func(s *Seed) {
		s.VSwitches = append(s.VSwitches,
			SeedVSwitch{VSwitchID: "vsw-px27", VPCID: "vpc-mock1", ZoneID: "cn-hangzhou-h", CIDRBlock: "10.7.0.0/27"},
			SeedVSwitch{VSwitchID: "vsw-px26", VPCID: "vpc-mock1", ZoneID: "cn-hangzhou-h", CIDRBlock: "10.7.1.0/26"})
	}))
	id := niCreate(t, env).NetworkInterfaceId
	_, err := pxAssign(env, id, "", 10)
	mustOK(t, err)
	err = niAttach(env, id, "i-mockweb1")
	wantCode(t, err, "InvalidOperation.Ipv4CountExceeded", 403)
	niWantMsg(t, err, "instance type ecs.g7.large allows 10 private IPv4 addresses per ENI")

	bound := v6ENI(t, env) // another vSwitch of zone h: vsw-mockh has 4 free /28s left
	mustOK(t, niAttach(env, bound, "i-mockweb1"))
	mustOK(t, env.srv.Settle())
	_, err = niAssign(env, bound, 2)
	mustOK(t, err)
	// 1 + 2 + 8 > 10; 1 + 2 + 7 fits.
	_, err = pxAssign(env, bound, "", 8)
	wantCode(t, err, "InvalidOperation.Ipv4CountExceeded", 403)
	niWantMsg(t, err, "would hold 11 private IPv4 places", "assign 1 fewer")
	_, err = pxAssign(env, bound, "", 7)
	mustOK(t, err)

	// Both /28s of a /27 hold reserved addresses; a /26 has two usable ones.
	small := niCreate(t, env, func(r *ecs.CreateNetworkInterfaceRequest) { r.VSwitchId = "vsw-px27" }).NetworkInterfaceId
	_, err = pxAssign(env, small, "", 1)
	wantCode(t, err, "InvalidVSwitchId.IpNotEnough", 403)
	mid := niCreate(t, env, func(r *ecs.CreateNetworkInterfaceRequest) { r.VSwitchId = "vsw-px26" }).NetworkInterfaceId
	resp, err := pxAssign(env, mid, "", 2)
	mustOK(t, err)
	if p := resp.AssignedPrivateIpAddressesSet.Ipv4PrefixSet.Ipv4Prefixes; !slices.Equal(p, []string{"10.7.1.16/28", "10.7.1.32/28"}) {
		t.Fatalf("prefixes of the /26: %v", p)
	}
	_, err = pxAssign(env, mid, "", 1)
	wantCode(t, err, "InvalidVSwitchId.IpNotEnough", 403)
	if n := pxFree(t, env, "vsw-px26"); n != 64-4-1-32 {
		t.Fatalf("free addresses of the /26: %d", n)
	}
}

// CreateNetworkInterface takes Ipv4Prefix.N or Ipv4PrefixCount and
// answers with Ipv4PrefixSets; addresses and prefixes do not mix in one
// create, and a prefix cannot hold an address the request names.
func TestENICreateWithPrefixes(t *testing.T) {
	env := startEnv(t, nil)
	resp := niCreate(t, env, func(r *ecs.CreateNetworkInterfaceRequest) {
		r.VSwitchId = v6VSwitch
		r.Ipv4PrefixCount = requests.NewInteger(2)
		r.Ipv6AddressCount = requests.NewInteger(1)
	})
	var got []string
	for _, s := range resp.Ipv4PrefixSets.Ipv4PrefixSet {
		got = append(got, s.Ipv4Prefix)
	}
	pxAligned(t, "10.4.0.0/24", got)
	if len(got) != 2 || len(resp.Ipv6Sets.Ipv6Set) != 1 {
		t.Fatalf("create answered %+v and %+v", resp.Ipv4PrefixSets, resp.Ipv6Sets)
	}
	if inPrefixes(resp.PrivateIpAddress, got) {
		t.Fatalf("primary %s lies in a prefix", resp.PrivateIpAddress)
	}
	if have := pxOf(t, env, resp.NetworkInterfaceId); !slices.Equal(have, got) {
		t.Fatalf("described %v, created with %v", have, got)
	}
	named := niCreate(t, env, func(r *ecs.CreateNetworkInterfaceRequest) { r.Ipv4Prefix = &[]string{"10.1.0.48/28"} })
	if s := named.Ipv4PrefixSets.Ipv4PrefixSet; len(s) != 1 || s[0].Ipv4Prefix != "10.1.0.48/28" {
		t.Fatalf("named: %+v", s)
	}

	before := pxFree(t, env, "vsw-mockh")
	for name, tc := range map[string]struct {
		mut  func(*ecs.CreateNetworkInterfaceRequest)
		code string
	}{
		"addresses and prefixes": {func(r *ecs.CreateNetworkInterfaceRequest) {
			r.SecondaryPrivateIpAddressCount, r.Ipv4PrefixCount = "1", "1"
		}, "InvalidParameter.Conflict"},
		"primary inside the prefix": {func(r *ecs.CreateNetworkInterfaceRequest) {
			r.PrimaryIpAddress, r.Ipv4Prefix = "10.1.0.200", &[]string{"10.1.0.192/28"}
		}, "InvalidPrivateIpAddress.Duplicated"},
		"prefix taken": {func(r *ecs.CreateNetworkInterfaceRequest) {
			r.Ipv4Prefix = &[]string{"10.1.0.48/28"}
		}, "InvalidPrivateIpAddress.Duplicated"},
		"count and prefixes": {func(r *ecs.CreateNetworkInterfaceRequest) {
			r.Ipv4PrefixCount, r.Ipv4Prefix = "1", &[]string{"10.1.0.64/28"}
		}, "InvalidParameter.Conflict"},
		"IPv6 prefixes": {func(r *ecs.CreateNetworkInterfaceRequest) {
			r.VSwitchId, r.Ipv6PrefixCount = v6VSwitch, "1"
		}, "InvalidParameter"},
	} {
		err := niCreateErr(env, tc.mut)
		if serverCode(err) != tc.code {
			t.Errorf("%s: %v, want %s", name, err, tc.code)
		}
	}
	if n := pxFree(t, env, "vsw-mockh"); n != before {
		t.Fatalf("refused creates took %d addresses", before-n)
	}
}

// The state file keeps prefixes and IPv6 addresses, and the vSwitch
// records of both, across a restart.
func TestENIAddressesPersist(t *testing.T) {
	path := t.TempDir() + "/state"
	env := startEnv(t, nil, func(o *Options) { o.StatePath = path })
	id := v6ENI(t, env)
	_, err := pxAssign(env, id, "", 1)
	mustOK(t, err)
	_, err = v6Assign(env, id, "", 2)
	mustOK(t, err)
	prefixes, addrs := pxOf(t, env, id), v6Of(t, env, id)
	env.srv.Close()

	again := startEnv(t, nil, func(o *Options) { o.StatePath = path })
	if p, a := pxOf(t, again, id), v6Of(t, again, id); !slices.Equal(p, prefixes) || !slices.Equal(a, addrs) || len(p) != 1 || len(a) != 2 {
		t.Fatalf("after restart: %v %v, before %v %v", p, a, prefixes, addrs)
	}
	_, err = pxAssign(again, niCreate(t, again, func(r *ecs.CreateNetworkInterfaceRequest) { r.VSwitchId = v6VSwitch }).NetworkInterfaceId,
		"", 0, prefixes[0])
	wantCode(t, err, "InvalidPrivateIpAddress.Duplicated", 400)
	again.srv.mu.Lock()
	err = again.srv.st.check()
	again.srv.mu.Unlock()
	mustOK(t, err)
}
