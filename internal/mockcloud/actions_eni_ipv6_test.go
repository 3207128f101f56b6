package mockcloud

import (
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
)

// Helpers of this file are prefixed "v6".

const v6VSwitch = "vsw-mockv6" // the default seed's dual-stack vSwitch

var v6Block = netip.MustParsePrefix("2001:db8:10:4::/64")

// v6ENI creates an ENI in the dual-stack vSwitch.
func v6ENI(t *testing.T, env *testEnv) string {
	t.Helper()
	return niCreate(t, env, func(r *ecs.CreateNetworkInterfaceRequest) { r.VSwitchId = v6VSwitch }).NetworkInterfaceId
}

// v6Assign calls AssignIpv6Addresses with a count or addresses, and a
// ClientToken when token is not empty.
func v6Assign(env *testEnv, eni, token string, count int, addrs ...string) (*ecs.AssignIpv6AddressesResponse, error) {
	req := ecs.CreateAssignIpv6AddressesRequest()
	req.NetworkInterfaceId, req.ClientToken = eni, token
	if count != 0 {
		req.Ipv6AddressCount = requests.NewInteger(count)
	}
	if len(addrs) > 0 {
		req.Ipv6Address = &addrs
	}
	return env.ecs.AssignIpv6Addresses(req)
}

func v6Unassign(env *testEnv, eni string, addrs ...string) error {
	req := ecs.CreateUnassignIpv6AddressesRequest()
	req.NetworkInterfaceId = eni
	if len(addrs) > 0 {
		req.Ipv6Address = &addrs
	}
	_, err := env.ecs.UnassignIpv6Addresses(req)
	return err
}

// v6Of lists the IPv6 addresses DescribeNetworkInterfaces reports.
func v6Of(t *testing.T, env *testEnv, eni string) []string {
	t.Helper()
	var out []string
	for _, s := range niMustGet(t, env, eni).Ipv6Sets.Ipv6Set {
		out = append(out, s.Ipv6Address)
	}
	return out
}

func v6Used(env *testEnv) int {
	n := 0
	niState(env, func(st *state) { n = len(st.VSwitches[v6VSwitch].UsedIPv6) })
	return n
}

func v6InBlock(t *testing.T, addrs []string) {
	t.Helper()
	for _, a := range addrs {
		if addr, err := netip.ParseAddr(a); err != nil || !v6Block.Contains(addr) || addr == v6Block.Addr() {
			t.Fatalf("address %q is not an interface address of %s", a, v6Block)
		}
	}
}

// AssignIpv6Addresses hands out addresses of the vSwitch's /64 (counted
// or named, named ones in any spelling), answers with Ipv6Sets, and
// DescribeNetworkInterfaces lists them once the change completes;
// UnassignIpv6Addresses returns them to the vSwitch.
func TestENIIPv6AssignUnassign(t *testing.T) {
	env := startEnv(t, nil, withDelay(time.Hour))
	id := v6ENI(t, env)
	resp, err := v6Assign(env, id, "", 2)
	mustOK(t, err)
	got := resp.Ipv6Sets.Ipv6Address
	if resp.NetworkInterfaceId != id || len(got) != 2 || got[0] == got[1] {
		t.Fatalf("assign answer: %+v", resp)
	}
	v6InBlock(t, got)
	if raw := resp.GetHttpContentString(); !strings.Contains(raw, `"Ipv6Sets":{"Ipv6Address":["`) ||
		!strings.Contains(raw, `"Ipv6PrefixSets":{"Ipv6Prefix":[]}`) {
		t.Fatalf("assign answer JSON: %s", raw)
	}
	// Taken from the vSwitch at once, shown on the ENI when done; the ENI
	// is busy until then.
	if v6Used(env) != 2 || len(v6Of(t, env, id)) != 0 {
		t.Fatal("addresses in flight are shown, or not taken")
	}
	_, err = v6Assign(env, id, "", 1)
	wantCode(t, err, "Operation.Conflict", 403)
	_, err = niAssign(env, id, 1)
	wantCode(t, err, "Operation.Conflict", 403)
	mustOK(t, env.srv.Settle())
	if have := v6Of(t, env, id); !slices.Equal(have, got) {
		t.Fatalf("described %v, assigned %v", have, got)
	}

	named, err := v6Assign(env, id, "", 0, "2001:DB8:10:4:0:0:0:ABCD")
	mustOK(t, err)
	if a := named.Ipv6Sets.Ipv6Address; len(a) != 1 || a[0] != "2001:db8:10:4::abcd" {
		t.Fatalf("named address answered as %v", a)
	}
	mustOK(t, env.srv.Settle())
	if have := v6Of(t, env, id); len(have) != 3 || have[2] != "2001:db8:10:4::abcd" {
		t.Fatalf("described %v", have)
	}
	// The Ipv6Address.N filter matches in any spelling.
	list := niDescribe(t, env, func(r *ecs.DescribeNetworkInterfacesRequest) {
		r.Ipv6Address = &[]string{"2001:db8:10:4:0::abcd"}
	})
	if ids := niIDs(list); !slices.Equal(ids, []string{id}) {
		t.Fatalf("Ipv6Address filter: %v", ids)
	}

	mustOK(t, v6Unassign(env, id, got[0], "2001:db8:10:4::abcd"))
	wantCode(t, v6Unassign(env, id, got[1]), "Operation.Conflict", 403)
	mustOK(t, env.srv.Settle())
	if have := v6Of(t, env, id); !slices.Equal(have, got[1:]) || v6Used(env) != 1 {
		t.Fatalf("after unassign: %v, %d used", have, v6Used(env))
	}
	mustOK(t, niDelete(env, id))
	mustOK(t, env.srv.Settle())
	if v6Used(env) != 0 {
		t.Fatal("deleting the ENI did not return its IPv6 addresses")
	}
}

// A retry with the same ClientToken answers the first call's addresses
// and assigns nothing more; other parameters with it are refused.
func TestENIIPv6AssignIdempotent(t *testing.T) {
	env := startEnv(t, nil)
	id := v6ENI(t, env)
	first, err := v6Assign(env, id, "tok-v6", 2)
	mustOK(t, err)
	again, err := v6Assign(env, id, "tok-v6", 2)
	mustOK(t, err)
	if !slices.Equal(first.Ipv6Sets.Ipv6Address, again.Ipv6Sets.Ipv6Address) {
		t.Fatalf("retry answered %v, first %v", again.Ipv6Sets.Ipv6Address, first.Ipv6Sets.Ipv6Address)
	}
	if n := len(v6Of(t, env, id)); n != 2 || v6Used(env) != 2 {
		t.Fatalf("%d addresses after a retry, want 2", n)
	}
	_, err = v6Assign(env, id, "tok-v6", 3)
	wantCode(t, err, "IdempotentParameterMismatch", 400)
}

// Each refusal of AssignIpv6Addresses and UnassignIpv6Addresses, with
// the code of the AssignIpv6Addresses reference.
func TestENIIPv6Refusals(t *testing.T) {
	env := startEnv(t, nil)
	id := v6ENI(t, env)
	other := v6ENI(t, env)
	v4only := niCreate(t, env).NetworkInterfaceId
	_, err := v6Assign(env, other, "", 0, "2001:db8:10:4::99")
	mustOK(t, err)

	cases := []struct {
		name   string
		eni    string
		count  int
		addrs  []string
		code   string
		status int
		msg    string
	}{
		{"vSwitch without IPv6", v4only, 1, nil, "InvalidVSwitch.Ipv6NotTurnOn", 403, "has no IPv6 CIDR block"},
		{"outside the /64", id, 0, []string{"2001:db8:10:5::1"}, "InvalidIp.Address", 403, "outside the vSwitch IPv6 CIDR block"},
		{"first address of the /64", id, 0, []string{"2001:db8:10:4::"}, "InvalidIp.Address", 403, "first address"},
		{"not an address", id, 0, []string{"2001:db8::g"}, "InvalidIp.Address", 403, "is not an IPv6 address"},
		{"an IPv4 address", id, 0, []string{"10.4.0.9"}, "InvalidIp.Address", 403, "is an IPv4 address"},
		{"repeated", id, 0, []string{"2001:db8:10:4::7", "2001:db8:10:4:0::7"}, "InvalidIp.IpRepeated", 403, "more than once"},
		{"held by another ENI", id, 0, []string{"2001:db8:10:4::99"}, "InvalidIp.IpAssigned", 403, other},
		{"count and addresses", id, 1, []string{"2001:db8:10:4::7"}, "InvalidParameter.Conflict", 400, "Ipv6AddressCount"},
		{"nothing asked", id, 0, nil, "MissingParameter", 400, "Ipv6AddressCount"},
		{"11 in one request", id, 11, nil, "InvalidParameter", 400, "Ipv6AddressCount"},
		{"unknown ENI", "eni-nope", 1, nil, "InvalidEniId.NotFound", 404, "eni-nope"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := v6Assign(env, tc.eni, "", tc.count, tc.addrs...)
			wantCode(t, err, tc.code, tc.status)
			niWantMsg(t, err, tc.msg)
		})
	}
	// Already on the ENI.
	_, err = v6Assign(env, other, "", 0, "2001:db8:10:4::99")
	wantCode(t, err, "InvalidIp.IpAssigned", 403)
	niWantMsg(t, err, "already assigned to ENI")
	// IPv6 prefixes are refused rather than ignored.
	req := ecs.CreateAssignIpv6AddressesRequest()
	req.NetworkInterfaceId, req.Ipv6PrefixCount = id, requests.NewInteger(1)
	_, err = env.ecs.AssignIpv6Addresses(req)
	wantCode(t, err, "InvalidParameter", 400)

	// An ENI bound to no instance takes 10.
	_, err = v6Assign(env, id, "", 10)
	mustOK(t, err)
	_, err = v6Assign(env, id, "", 1)
	wantCode(t, err, "InvalidOperation.Ipv6CountExceeded", 403)
	niWantMsg(t, err, "would hold 11 IPv6 addresses", "bound to no instance holds at most 10")

	wantCode(t, v6Unassign(env, id, "2001:db8:10:4::99"), "InvalidIp.IpUnassigned", 403)
	wantCode(t, v6Unassign(env, id, "nope"), "InvalidIp.Address", 403)
	wantCode(t, v6Unassign(env, id), "MissingParameter", 400)
	if n := len(v6Of(t, env, id)); n != 10 {
		t.Fatalf("refusals changed the ENI: %d addresses", n)
	}
}

// The limits of the instance type apply once the ENI is bound: an ENI
// with more IPv6 addresses than the type allows, or with any when the
// type takes none, cannot be attached; a bound ENI takes no more than
// the type's EniIpv6AddressQuantity.
func TestENIIPv6InstanceLimits(t *testing.T) {
	env := startEnv(t, niSeed(func(s *Seed) {
		for i := range s.InstanceTypes {
			if s.InstanceTypes[i].InstanceTypeID == "ecs.g7.large" {
				s.InstanceTypes[i].ENIIPv6AddressQuantity = 3
			}
		}
	}))
	id := v6ENI(t, env)
	_, err := v6Assign(env, id, "", 4)
	mustOK(t, err)
	err = niAttach(env, id, "i-mockweb1")
	wantCode(t, err, "InvalidOperation.Ipv6CountExceeded", 403)
	niWantMsg(t, err, "instance type ecs.g7.large allows 3 IPv6 addresses per ENI")

	// ecs.t6-c1m2.large takes no IPv6 (and no hot swap: stop it first).
	niSetInstanceStatus(env, "i-mockburst", "Stopped")
	err = niAttach(env, id, "i-mockburst")
	wantCode(t, err, "InvalidOperation.Ipv6NotSupport", 403)
	niWantMsg(t, err, "takes no IPv6 addresses")

	bound := v6ENI(t, env)
	mustOK(t, niAttach(env, bound, "i-mockweb1"))
	mustOK(t, env.srv.Settle())
	_, err = v6Assign(env, bound, "", 3)
	mustOK(t, err)
	_, err = v6Assign(env, bound, "", 1)
	wantCode(t, err, "InvalidOperation.Ipv6CountExceeded", 403)
	niWantMsg(t, err, "instance type ecs.g7.large allows 3")

	// DescribeInstances lists them with the instance's ENIs.
	mustOK(t, env.srv.Settle())
	for _, n := range getInstance(t, env, "i-mockweb1").NetworkInterfaces.NetworkInterface {
		if n.NetworkInterfaceId == bound {
			if len(n.Ipv6Sets.Ipv6Set) != 3 || !slices.Equal([]string{n.Ipv6Sets.Ipv6Set[0].Ipv6Address}, v6Of(t, env, bound)[:1]) {
				t.Fatalf("DescribeInstances lists IPv6 %+v", n.Ipv6Sets)
			}
			return
		}
	}
	t.Fatal("DescribeInstances does not list the bound ENI")
}

// CreateNetworkInterface takes Ipv6Address.N or Ipv6AddressCount and
// answers with the ENI's Ipv6Sets; an ENI without IPv6 shows empty lists.
func TestENICreateWithIPv6(t *testing.T) {
	env := startEnv(t, nil)
	resp := niCreate(t, env, func(r *ecs.CreateNetworkInterfaceRequest) {
		r.VSwitchId = v6VSwitch
		r.Ipv6AddressCount = requests.NewInteger(2)
	})
	var got []string
	for _, s := range resp.Ipv6Sets.Ipv6Set {
		got = append(got, s.Ipv6Address)
	}
	if len(got) != 2 {
		t.Fatalf("create answered Ipv6Sets %+v", resp.Ipv6Sets)
	}
	v6InBlock(t, got)
	if have := v6Of(t, env, resp.NetworkInterfaceId); !slices.Equal(have, got) {
		t.Fatalf("described %v, created with %v", have, got)
	}
	named := niCreate(t, env, func(r *ecs.CreateNetworkInterfaceRequest) {
		r.VSwitchId = v6VSwitch
		r.Ipv6Address = &[]string{"2001:db8:10:4::42"}
	})
	if s := named.Ipv6Sets.Ipv6Set; len(s) != 1 || s[0].Ipv6Address != "2001:db8:10:4::42" {
		t.Fatalf("named: %+v", s)
	}
	wantCode(t, niCreateErr(env, func(r *ecs.CreateNetworkInterfaceRequest) {
		r.VSwitchId = v6VSwitch
		r.Ipv6Address = &[]string{"2001:db8:10:4::42"}
	}), "InvalidIp.IpAssigned", 403)
	before := niUsed(env, "vsw-mockh")
	wantCode(t, niCreateErr(env, func(r *ecs.CreateNetworkInterfaceRequest) {
		r.Ipv6AddressCount = requests.NewInteger(1)
	}), "InvalidVSwitch.Ipv6NotTurnOn", 403)
	if niUsed(env, "vsw-mockh") != before {
		t.Fatal("a refused create took addresses")
	}

	plain := niCreate(t, env)
	raw := plain.GetHttpContentString()
	niNoNulls(t, raw)
	for _, frag := range []string{`"Ipv6Sets":{"Ipv6Set":[]}`, `"Ipv4PrefixSets":{"Ipv4PrefixSet":[]}`} {
		if !strings.Contains(raw, frag) {
			t.Fatalf("create answer lacks %s: %s", frag, raw)
		}
	}
	req := ecs.CreateDescribeNetworkInterfacesRequest()
	req.NetworkInterfaceId = &[]string{resp.NetworkInterfaceId}
	list, err := env.ecs.DescribeNetworkInterfaces(req)
	mustOK(t, err)
	if raw := list.GetHttpContentString(); !strings.Contains(raw, `"Ipv6Sets":{"Ipv6Set":[{"Ipv6Address":"`+got[0]+`"},`) {
		t.Fatalf("DescribeNetworkInterfaces JSON: %s", raw)
	}
}
