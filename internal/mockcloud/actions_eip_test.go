package mockcloud

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	sdkerrors "github.com/aliyun/alibaba-cloud-sdk-go/sdk/errors"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"

	"github.com/openeni/terraform-provider-eni/internal/domain"
)

// shanghaiSeed is the default topology in cn-shanghai, a region that
// offers MULTI_BINDED, with room for many EIPs.
func shanghaiSeed() *Seed {
	s := DefaultSeed()
	s.RegionID = "cn-shanghai"
	for i := range s.VSwitches {
		s.VSwitches[i].ZoneID = strings.Replace(s.VSwitches[i].ZoneID, "cn-hangzhou", "cn-shanghai", 1)
	}
	s.Quotas.MaxEIPs = 40
	return s
}

func allocate(t *testing.T, env *testEnv) string {
	t.Helper()
	resp, err := env.vpc.AllocateEipAddress(vpc.CreateAllocateEipAddressRequest())
	mustOK(t, err)
	return resp.AllocationId
}

func getEIP(t *testing.T, env *testEnv, id string) vpc.EipAddress {
	t.Helper()
	r := vpc.CreateDescribeEipAddressesRequest()
	r.AllocationId = id
	resp, err := env.vpc.DescribeEipAddresses(r)
	mustOK(t, err)
	if len(resp.EipAddresses.EipAddress) != 1 {
		t.Fatalf("DescribeEipAddresses %s: %d results", id, len(resp.EipAddresses.EipAddress))
	}
	return resp.EipAddresses.EipAddress[0]
}

// assoc builds an AssociateEipAddress request; kind "" leaves the default.
func assoc(allocID, target, kind, mode, ip string) *vpc.AssociateEipAddressRequest {
	r := vpc.CreateAssociateEipAddressRequest()
	r.AllocationId, r.InstanceId, r.InstanceType, r.Mode, r.PrivateIpAddress = allocID, target, kind, mode, ip
	return r
}

func unassoc(allocID, target string) *vpc.UnassociateEipAddressRequest {
	r := vpc.CreateUnassociateEipAddressRequest()
	r.AllocationId, r.InstanceId = allocID, target
	return r
}

func eipCount(env *testEnv) int {
	env.srv.mu.Lock()
	defer env.srv.mu.Unlock()
	return len(env.srv.st.EIPs)
}

func wantMessage(t *testing.T, err error, parts ...string) {
	t.Helper()
	var se *sdkerrors.ServerError
	if !errors.As(err, &se) {
		t.Fatalf("not a server error: %v", err)
	}
	for _, p := range parts {
		if !strings.Contains(se.Message(), p) {
			t.Errorf("message %q lacks %q", se.Message(), p)
		}
	}
}

func TestEIPAllocateAndDescribe(t *testing.T) {
	seed := DefaultSeed()
	// The pool starts at 47.98.0.1; a seeded EIP already holds it.
	seed.EIPs = append(seed.EIPs, SeedEIP{AllocationID: "eip-pooltaken", IPAddress: "47.98.0.1"})
	env := startEnv(t, seed)

	resp, err := env.vpc.AllocateEipAddress(vpc.CreateAllocateEipAddressRequest())
	mustOK(t, err)
	if !strings.HasPrefix(resp.AllocationId, "eip-") || resp.EipAddress != "47.98.0.2" || resp.OrderId != 0 {
		t.Fatalf("allocate: %+v", resp)
	}
	raw := resp.GetHttpContentString()
	if !strings.Contains(raw, `"ResourceGroupId":""`) || !strings.Contains(raw, `"OrderId":0`) {
		t.Fatalf("allocate body: %s", raw)
	}
	e := getEIP(t, env, resp.AllocationId)
	if e.IpAddress != "47.98.0.2" || e.Status != "Available" || e.Bandwidth != "5" || e.EipBandwidth != "5" ||
		e.InternetChargeType != "PayByBandwidth" || e.ChargeType != "PostPaid" || e.InstanceId != "" || e.InstanceType != "" ||
		e.PrivateIpAddress != "" || e.Mode != "" || e.RegionId != "cn-hangzhou" || e.AllocationTime == "" ||
		!slices.Equal(e.AvailableRegions.AvailableRegion, []string{"cn-hangzhou"}) || e.BusinessStatus != "Normal" ||
		e.ServiceManaged != 0 || e.OperationLocks.LockReason == nil || e.Tags.Tag == nil {
		t.Fatalf("described: %+v", e)
	}

	r := vpc.CreateAllocateEipAddressRequest()
	r.Bandwidth = "200"
	r.InternetChargeType = "PayByTraffic"
	r.InstanceChargeType = "PostPaid"
	r.Name = "front"
	resp, err = env.vpc.AllocateEipAddress(r)
	mustOK(t, err)
	if resp.EipAddress != "47.98.0.3" {
		t.Fatalf("second address: %s", resp.EipAddress)
	}
	e = getEIP(t, env, resp.AllocationId)
	if e.Bandwidth != "200" || e.InternetChargeType != "PayByTraffic" || e.Name != "front" {
		t.Fatalf("described: %+v", e)
	}
	d := vpc.CreateDescribeEipAddressesRequest()
	d.AllocationId = resp.AllocationId
	dr, err := env.vpc.DescribeEipAddresses(d)
	mustOK(t, err)
	raw = dr.GetHttpContentString()
	for _, frag := range []string{`"Bandwidth":"200"`, `"ServiceManaged":0`, `"Descritpion":""`, `"Description":""`,
		`"SecurityProtectionTypes":{"SecurityProtectionType":[]}`, `"OperationLocks":{"LockReason":[]}`, `"Tags":{"Tag":[]}`,
		`"InstanceId":""`, `"Mode":""`} {
		if !strings.Contains(raw, frag) {
			t.Errorf("describe body lacks %s", frag)
		}
	}

	for _, bad := range []func(r *vpc.AllocateEipAddressRequest){
		func(r *vpc.AllocateEipAddressRequest) { r.Bandwidth = "0" },
		func(r *vpc.AllocateEipAddressRequest) { r.Bandwidth = "201" },
		func(r *vpc.AllocateEipAddressRequest) { r.Bandwidth = "fast" },
		func(r *vpc.AllocateEipAddressRequest) { r.InternetChargeType = "PayByMood" },
		func(r *vpc.AllocateEipAddressRequest) { r.InstanceChargeType = "PrePaid" },
	} {
		r := vpc.CreateAllocateEipAddressRequest()
		bad(r)
		_, err := env.vpc.AllocateEipAddress(r)
		wantCode(t, err, "InvalidParameter", 400)
	}
	if n := eipCount(env); n != 7 {
		t.Fatalf("refused allocations changed state: %d EIPs", n)
	}
}

func TestEIPQuota(t *testing.T) {
	seed := DefaultSeed()
	seed.Quotas.MaxEIPs = 5 // four are seeded
	env := startEnv(t, seed)
	id := allocate(t, env)
	_, err := env.vpc.AllocateEipAddress(vpc.CreateAllocateEipAddressRequest())
	wantCode(t, err, "QuotaExceeded.Eip", 400)

	rr := vpc.CreateReleaseEipAddressRequest()
	rr.AllocationId = id
	_, err = env.vpc.ReleaseEipAddress(rr)
	mustOK(t, err)
	allocate(t, env)
}

func TestEIPClientTokenReplay(t *testing.T) {
	env := startEnv(t, nil)
	before := eipCount(env)
	r := vpc.CreateAllocateEipAddressRequest()
	r.ClientToken = "alloc-1"
	r.Name = "once"
	first, err := env.vpc.AllocateEipAddress(r)
	mustOK(t, err)
	again, err := env.vpc.AllocateEipAddress(r)
	mustOK(t, err)
	if again.AllocationId != first.AllocationId || again.EipAddress != first.EipAddress {
		t.Fatalf("replay allocated anew: %s/%s then %s/%s", first.AllocationId, first.EipAddress, again.AllocationId, again.EipAddress)
	}
	if again.RequestId == first.RequestId {
		t.Fatal("replay reused the RequestId")
	}
	if n := eipCount(env); n != before+1 {
		t.Fatalf("%d EIPs allocated, want 1", n-before)
	}
	r.Name = "twice"
	_, err = env.vpc.AllocateEipAddress(r)
	wantCode(t, err, "IdempotentParameterMismatch", 400)
}

func TestEIPRelease(t *testing.T) {
	env := startEnv(t, nil)
	rr := vpc.CreateReleaseEipAddressRequest()
	_, err := env.vpc.ReleaseEipAddress(rr)
	wantCode(t, err, "MissingParameter", 400)
	rr.AllocationId = "eip-nope"
	_, err = env.vpc.ReleaseEipAddress(rr)
	wantCode(t, err, "InvalidAllocationId.NotFound", 404)

	_, err = env.vpc.AssociateEipAddress(assoc("eip-mock1", "i-mockweb1", "", "", ""))
	mustOK(t, err)
	rr.AllocationId = "eip-mock1"
	_, err = env.vpc.ReleaseEipAddress(rr)
	wantCode(t, err, "IncorrectEipStatus", 400)

	rr.AllocationId = "eip-mock2"
	_, err = env.vpc.ReleaseEipAddress(rr)
	mustOK(t, err)
	d := vpc.CreateDescribeEipAddressesRequest()
	d.AllocationId = "eip-mock2"
	resp, err := env.vpc.DescribeEipAddresses(d)
	mustOK(t, err)
	if len(resp.EipAddresses.EipAddress) != 0 || resp.TotalCount != 0 {
		t.Fatalf("released EIP still listed: %+v", resp.EipAddresses)
	}
	_, err = env.vpc.ReleaseEipAddress(rr)
	wantCode(t, err, "InvalidAllocationId.NotFound", 404)
}

func TestEIPDescribeFilters(t *testing.T) {
	env := startEnv(t, nil)
	eni := putENI(t, env, "vsw-mockh", "", 0)
	_, err := env.vpc.AssociateEipAddress(assoc("eip-mock2", "i-mockweb1", "", "", ""))
	mustOK(t, err)
	_, err = env.vpc.AssociateEipAddress(assoc("eip-mock3", eni.ID, "NetworkInterface", "", ""))
	mustOK(t, err)
	named := vpc.CreateAllocateEipAddressRequest()
	named.Name = "named"
	namedResp, err := env.vpc.AllocateEipAddress(named)
	mustOK(t, err)

	list := func(mutate func(r *vpc.DescribeEipAddressesRequest)) ([]string, *vpc.DescribeEipAddressesResponse) {
		t.Helper()
		r := vpc.CreateDescribeEipAddressesRequest()
		if mutate != nil {
			mutate(r)
		}
		resp, err := env.vpc.DescribeEipAddresses(r)
		mustOK(t, err)
		ids := []string{}
		for _, e := range resp.EipAddresses.EipAddress {
			ids = append(ids, e.AllocationId)
		}
		return ids, resp
	}
	for _, tc := range []struct {
		name   string
		mutate func(r *vpc.DescribeEipAddressesRequest)
		want   []string
	}{
		{"all", nil, []string{"eip-mock1", "eip-mock2", "eip-mock3", "eip-mock4", namedResp.AllocationId}},
		{"ids", func(r *vpc.DescribeEipAddressesRequest) { r.AllocationId = "eip-mock3,eip-nope,eip-mock1" }, []string{"eip-mock1", "eip-mock3"}},
		{"unknown id", func(r *vpc.DescribeEipAddressesRequest) { r.AllocationId = "eip-nope" }, []string{}},
		{"addresses", func(r *vpc.DescribeEipAddressesRequest) { r.EipAddress = "47.96.0.11,47.96.0.13" }, []string{"eip-mock2", "eip-mock4"}},
		{"in use", func(r *vpc.DescribeEipAddressesRequest) { r.Status = "InUse" }, []string{"eip-mock2", "eip-mock3"}},
		{"available", func(r *vpc.DescribeEipAddressesRequest) { r.Status = "Available" }, []string{"eip-mock1", "eip-mock4", namedResp.AllocationId}},
		{"on ENIs", func(r *vpc.DescribeEipAddressesRequest) { r.AssociatedInstanceType = "NetworkInterface" }, []string{"eip-mock3"}},
		{"on instances", func(r *vpc.DescribeEipAddressesRequest) { r.AssociatedInstanceType = "EcsInstance" }, []string{"eip-mock2"}},
		{"on SLB", func(r *vpc.DescribeEipAddressesRequest) { r.AssociatedInstanceType = "SlbInstance" }, []string{}},
		{"on one ENI", func(r *vpc.DescribeEipAddressesRequest) { r.AssociatedInstanceId = eni.ID }, []string{"eip-mock3"}},
		{"on one instance", func(r *vpc.DescribeEipAddressesRequest) {
			r.AssociatedInstanceType = "EcsInstance"
			r.AssociatedInstanceId = "i-mockweb1"
		}, []string{"eip-mock2"}},
		{"name", func(r *vpc.DescribeEipAddressesRequest) { r.EipName = "named" }, []string{namedResp.AllocationId}},
		{"page 2", func(r *vpc.DescribeEipAddressesRequest) {
			r.PageSize = requests.NewInteger(3)
			r.PageNumber = requests.NewInteger(2)
		}, []string{"eip-mock4", namedResp.AllocationId}},
	} {
		if ids, _ := list(tc.mutate); !slices.Equal(ids, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, ids, tc.want)
		}
	}
	_, resp := list(func(r *vpc.DescribeEipAddressesRequest) { r.PageSize = requests.NewInteger(3) })
	if resp.TotalCount != 5 || resp.PageSize != 3 || resp.PageNumber != 1 || len(resp.EipAddresses.EipAddress) != 3 {
		t.Fatalf("paging fields: total %d size %d number %d", resp.TotalCount, resp.PageSize, resp.PageNumber)
	}
	_, resp = list(func(r *vpc.DescribeEipAddressesRequest) { r.PageSize = requests.NewInteger(100) })
	if len(resp.EipAddresses.EipAddress) != 5 {
		t.Fatalf("page size 100: %d", len(resp.EipAddresses.EipAddress))
	}

	r := vpc.CreateDescribeEipAddressesRequest()
	r.AssociatedInstanceType = "Toaster"
	_, err = env.vpc.DescribeEipAddresses(r)
	wantCode(t, err, "InvalidIAssociatedInstanceType.ValueNotSupported", 400)
	r = vpc.CreateDescribeEipAddressesRequest()
	r.PageSize = requests.NewInteger(101)
	_, err = env.vpc.DescribeEipAddresses(r)
	wantCode(t, err, "InvalidParameter", 400)
	var many []string
	for i := 0; i < 51; i++ {
		many = append(many, fmt.Sprintf("eip-%d", i))
	}
	r = vpc.CreateDescribeEipAddressesRequest()
	r.AllocationId = strings.Join(many, ",")
	_, err = env.vpc.DescribeEipAddresses(r)
	wantCode(t, err, "InvalidParameter", 400)
	r.AllocationId = strings.Join(many[:50], ",")
	_, err = env.vpc.DescribeEipAddresses(r)
	mustOK(t, err)
	r = vpc.CreateDescribeEipAddressesRequest()
	r.EipAddress = strings.Join(many, ",")
	_, err = env.vpc.DescribeEipAddresses(r)
	wantCode(t, err, "InvalidParameter", 400)
}

func TestEIPAssociateInstance(t *testing.T) {
	env := startEnv(t, nil, withDelay(time.Hour))
	primaryID, primaryIP := primaryENI(env, "i-mockweb1")

	_, err := env.vpc.AssociateEipAddress(assoc("eip-mock1", "i-mockweb1", "", "", ""))
	mustOK(t, err)
	e := getEIP(t, env, "eip-mock1")
	if e.Status != "Associating" || e.InstanceId != "i-mockweb1" || e.InstanceType != "EcsInstance" {
		t.Fatalf("while associating: %+v", e)
	}
	// Only queries are allowed while associating.
	_, err = env.vpc.UnassociateEipAddress(unassoc("eip-mock1", ""))
	wantCode(t, err, "IncorrectEipStatus", 400)

	mustOK(t, env.srv.Settle())
	e = getEIP(t, env, "eip-mock1")
	// The association named no private IP: none is reported, though the
	// EIP sits on the primary IP (the instance and the ENI view show it).
	if e.Status != "InUse" || e.InstanceId != "i-mockweb1" || e.InstanceType != "EcsInstance" ||
		e.PrivateIpAddress != "" || e.Mode != "NAT" || e.InstanceRegionId != "cn-hangzhou" {
		t.Fatalf("associated: %+v", e)
	}
	if v := niMustGet(t, env, primaryID); v.AssociatedPublicIp.AllocationId != "eip-mock1" ||
		v.PrivateIpSets.PrivateIpSet[0].PrivateIpAddress != primaryIP || v.PrivateIpSets.PrivateIpSet[0].AssociatedPublicIp.AllocationId != "eip-mock1" {
		t.Fatalf("primary ENI view: %+v", v)
	}
	in := getInstance(t, env, "i-mockweb1")
	if in.EipAddress.AllocationId != "eip-mock1" || in.EipAddress.IpAddress != "47.96.0.10" || in.EipAddress.Bandwidth != 5 ||
		in.EipAddress.InternetChargeType != "PayByTraffic" {
		t.Fatalf("instance EipAddress: %+v", in.EipAddress)
	}

	// One EIP per instance, whichever way the primary IP is addressed.
	_, err = env.vpc.AssociateEipAddress(assoc("eip-mock2", "i-mockweb1", "EcsInstance", "", ""))
	wantCode(t, err, "InvalidAssociation.Duplicated", 400)
	_, err = env.vpc.AssociateEipAddress(assoc("eip-mock2", primaryID, "NetworkInterface", "", ""))
	wantCode(t, err, "InvalidAssociation.Duplicated", 400)
	_, err = env.vpc.AssociateEipAddress(assoc("eip-mock1", "i-mockweb2", "", "", ""))
	wantCode(t, err, "IncorrectEipStatus", 400)

	for _, tc := range []struct {
		name string
		req  *vpc.AssociateEipAddressRequest
		code string
		http int
	}{
		{"no allocation", assoc("", "i-mockweb2", "", "", ""), "MissingParameter", 400},
		{"no instance", assoc("eip-mock2", "", "", "", ""), "MissingParameter", 400},
		{"unknown allocation", assoc("eip-nope", "i-mockweb2", "", "", ""), "InvalidAllocationId.NotFound", 404},
		{"unknown instance", assoc("eip-mock2", "i-nope", "", "", ""), "InvalidInstanceId.NotFound", 404},
		{"unsupported type", assoc("eip-mock2", "lb-1", "SlbInstance", "", ""), "InvalidInstanceType.ValueNotSupported", 400},
		{"bad mode", assoc("eip-mock2", "i-mockweb2", "", "TUNNEL", ""), "InvalidParameter", 400},
		{"mode on instance", assoc("eip-mock2", "i-mockweb2", "", "BINDED", ""), "InvalidParameter", 400},
		{"not the primary IP", assoc("eip-mock2", "i-mockweb2", "", "", "10.1.0.200"), "InvalidParams.NotFound", 400},
	} {
		_, err := env.vpc.AssociateEipAddress(tc.req)
		t.Run(tc.name, func(t *testing.T) { wantCode(t, err, tc.code, tc.http) })
	}
	r := assoc("eip-mock2", "i-mockweb2", "", "", "")
	r.InstanceRegionId = "cn-beijing"
	_, err = env.vpc.AssociateEipAddress(r)
	wantCode(t, err, "InvalidParameter.Mismatch", 400)
	r.InstanceRegionId = "cn-hangzhou"
	r.DryRun = requests.NewBoolean(true)
	_, err = env.vpc.AssociateEipAddress(r)
	wantCode(t, err, "DryRunOperation", 400)
	if e := getEIP(t, env, "eip-mock2"); e.Status != "Available" || e.InstanceId != "" {
		t.Fatalf("dry run changed the EIP: %+v", e)
	}

	// An instance in transition cannot take an EIP.
	_, err = env.ecs.StopInstance(stopReq("i-mockweb2"))
	mustOK(t, err)
	_, err = env.vpc.AssociateEipAddress(assoc("eip-mock2", "i-mockweb2", "", "", ""))
	wantCode(t, err, "IncorrectInstanceStatus", 400)
	mustOK(t, env.srv.Settle())
	_, err = env.vpc.AssociateEipAddress(assoc("eip-mock2", "i-mockweb2", "", "", ""))
	mustOK(t, err)
}

func TestEIPAssociateNAT(t *testing.T) {
	env := startEnv(t, nil)
	eni := putENI(t, env, "vsw-mockh", "", 2)
	bound := putENI(t, env, "vsw-mockh", "i-mockweb2", 0)

	_, err := env.vpc.AssociateEipAddress(assoc("eip-mock1", eni.ID, "NetworkInterface", "", ""))
	mustOK(t, err)
	_, err = env.vpc.AssociateEipAddress(assoc("eip-mock2", eni.ID, "NetworkInterface", "NAT", eni.SecondaryIPs[0]))
	mustOK(t, err)
	// NAT works on an ENI bound to an instance as well.
	_, err = env.vpc.AssociateEipAddress(assoc("eip-mock4", bound.ID, "NetworkInterface", "", ""))
	mustOK(t, err)

	e1, e2 := getEIP(t, env, "eip-mock1"), getEIP(t, env, "eip-mock2")
	// No private IP named: none reported (the EIP is on the primary IP).
	if e1.Status != "InUse" || e1.InstanceId != eni.ID || e1.InstanceType != "NetworkInterface" || e1.PrivateIpAddress != "" || e1.Mode != "NAT" {
		t.Fatalf("default IP: %+v", e1)
	}
	if e2.PrivateIpAddress != eni.SecondaryIPs[0] || e2.Mode != "NAT" {
		t.Fatalf("secondary IP: %+v", e2)
	}

	_, err = env.vpc.AssociateEipAddress(assoc("eip-mock3", eni.ID, "NetworkInterface", "NAT", eni.PrimaryIP))
	wantCode(t, err, "InvalidAssociation.Duplicated", 400)
	_, err = env.vpc.AssociateEipAddress(assoc("eip-mock3", eni.ID, "NetworkInterface", "", eni.SecondaryIPs[0]))
	wantCode(t, err, "InvalidAssociation.Duplicated", 400)
	_, err = env.vpc.AssociateEipAddress(assoc("eip-mock3", eni.ID, "NetworkInterface", "", "10.1.0.250"))
	wantCode(t, err, "InvalidParams.NotFound", 400)
	wantMessage(t, err, "10.1.0.250 is not a private IP of "+eni.ID)
	_, err = env.vpc.AssociateEipAddress(assoc("eip-mock3", "eni-nope", "NetworkInterface", "", ""))
	wantCode(t, err, "InvalidInstanceId.NotFound", 404)

	for _, status := range []string{domain.ENIStatusAttaching, domain.ENIStatusDetaching, domain.ENIStatusDeleting} {
		setENIStatus(env, eni.ID, status)
		_, err = env.vpc.AssociateEipAddress(assoc("eip-mock3", eni.ID, "NetworkInterface", "", eni.SecondaryIPs[1]))
		wantCode(t, err, "InvalidStatus.EniStatusNotSupport", 400)
	}
	setENIStatus(env, eni.ID, domain.ENIStatusAvailable)
	_, err = env.vpc.AssociateEipAddress(assoc("eip-mock3", eni.ID, "NetworkInterface", "", eni.SecondaryIPs[1]))
	mustOK(t, err)

	// The ENI view shows the EIPs on their private IPs.
	dr := ecs.CreateDescribeNetworkInterfacesRequest()
	dr.NetworkInterfaceId = &[]string{eni.ID}
	resp, err := env.ecs.DescribeNetworkInterfaces(dr)
	mustOK(t, err)
	sets := resp.NetworkInterfaceSets.NetworkInterfaceSet
	if len(sets) != 1 || sets[0].AssociatedPublicIp.AllocationId != "eip-mock1" {
		t.Fatalf("ENI view: %+v", sets)
	}
}

func TestEIPMultiBindedRegion(t *testing.T) {
	env := startEnv(t, nil)
	eni := putENI(t, env, "vsw-mockh", "", 0)
	_, err := env.vpc.AssociateEipAddress(assoc("eip-mock1", eni.ID, "NetworkInterface", "MULTI_BINDED", ""))
	wantCode(t, err, "OperationDenied", 400)
	wantMessage(t, err, "cn-hangzhou", "cn-shanghai", "cn-shenzhen")
}

func TestEIPMultiBinded(t *testing.T) {
	env := startEnv(t, shanghaiSeed(), withDelay(time.Hour))
	eni := putENI(t, env, "vsw-mockh", "", 1)
	bound := putENI(t, env, "vsw-mockh", "i-mockweb1", 0)
	primaryID, _ := primaryENI(env, "i-mockweb2")

	// The ENI must be a secondary ENI that is not bound to an instance.
	_, err := env.vpc.AssociateEipAddress(assoc("eip-mock1", bound.ID, "NetworkInterface", "MULTI_BINDED", ""))
	wantCode(t, err, "InvalidStatus.EniStatusNotSupport", 400)
	_, err = env.vpc.AssociateEipAddress(assoc("eip-mock1", primaryID, "NetworkInterface", "MULTI_BINDED", ""))
	wantCode(t, err, "InvalidStatus.EniStatusNotSupport", 400)

	// Ten EIPs on one ENI, in any mode: one NAT, then nine MULTI_BINDED
	// (transitional states count as well).
	_, err = env.vpc.AssociateEipAddress(assoc("eip-mock1", eni.ID, "NetworkInterface", "NAT", eni.SecondaryIPs[0]))
	mustOK(t, err)
	var ids []string
	for i := 0; i < 9; i++ {
		id := allocate(t, env)
		ids = append(ids, id)
		_, err := env.vpc.AssociateEipAddress(assoc(id, eni.ID, "NetworkInterface", "MULTI_BINDED", ""))
		mustOK(t, err)
	}
	e := getEIP(t, env, ids[0])
	if e.Status != "Associating" || e.Mode != "MULTI_BINDED" || e.PrivateIpAddress != "" || e.InstanceId != eni.ID {
		t.Fatalf("multi-binded EIP: %+v", e)
	}
	extra := allocate(t, env)
	_, err = env.vpc.AssociateEipAddress(assoc(extra, eni.ID, "NetworkInterface", "MULTI_BINDED", ""))
	wantCode(t, err, "QuotaExceeded.Eip", 400)
	wantMessage(t, err, "at most 10")

	mustOK(t, env.srv.Settle())
	if e := getEIP(t, env, ids[8]); e.Status != "InUse" {
		t.Fatalf("after settle: %+v", e)
	}
	// Freeing one makes room again.
	_, err = env.vpc.UnassociateEipAddress(unassoc(ids[0], eni.ID))
	mustOK(t, err)
	mustOK(t, env.srv.Settle())
	_, err = env.vpc.AssociateEipAddress(assoc(extra, eni.ID, "NetworkInterface", "MULTI_BINDED", ""))
	mustOK(t, err)

	// MULTI_BINDED does not mix with BINDED.
	cut := putENI(t, env, "vsw-mocki", "", 0)
	_, err = env.vpc.AssociateEipAddress(assoc("eip-mock2", cut.ID, "NetworkInterface", "BINDED", ""))
	mustOK(t, err)
	_, err = env.vpc.AssociateEipAddress(assoc("eip-mock3", cut.ID, "NetworkInterface", "MULTI_BINDED", ""))
	wantCode(t, err, "InvalidAssociation.Duplicated", 400)
	_, err = env.vpc.AssociateEipAddress(assoc("eip-mock3", eni.ID, "NetworkInterface", "BINDED", ""))
	wantCode(t, err, "InvalidAssociation.Duplicated", 400)
}

func TestEIPBinded(t *testing.T) {
	env := startEnv(t, nil)
	eni := putENI(t, env, "vsw-mockh", "", 1)
	bound := putENI(t, env, "vsw-mockh", "i-mockweb1", 0)
	natENI := putENI(t, env, "vsw-mockh", "", 0)
	primaryID, _ := primaryENI(env, "i-mockweb2")

	_, err := env.vpc.AssociateEipAddress(assoc("eip-mock1", bound.ID, "NetworkInterface", "BINDED", ""))
	wantCode(t, err, "InvalidStatus.EniStatusNotSupport", 400)
	_, err = env.vpc.AssociateEipAddress(assoc("eip-mock1", primaryID, "NetworkInterface", "BINDED", ""))
	wantCode(t, err, "InvalidStatus.EniStatusNotSupport", 400)

	_, err = env.vpc.AssociateEipAddress(assoc("eip-mock1", eni.ID, "NetworkInterface", "BINDED", ""))
	mustOK(t, err)
	if e := getEIP(t, env, "eip-mock1"); e.Mode != "BINDED" || e.Status != "InUse" || e.PrivateIpAddress != "" {
		t.Fatalf("binded: %+v", e)
	}
	_, err = env.vpc.AssociateEipAddress(assoc("eip-mock2", eni.ID, "NetworkInterface", "BINDED", ""))
	wantCode(t, err, "InvalidAssociation.Duplicated", 400)
	_, err = env.vpc.AssociateEipAddress(assoc("eip-mock2", eni.ID, "NetworkInterface", "NAT", eni.SecondaryIPs[0]))
	wantCode(t, err, "InvalidAssociation.Duplicated", 400)

	// BINDED needs the ENI to have no EIP at all.
	_, err = env.vpc.AssociateEipAddress(assoc("eip-mock2", natENI.ID, "NetworkInterface", "", ""))
	mustOK(t, err)
	_, err = env.vpc.AssociateEipAddress(assoc("eip-mock3", natENI.ID, "NetworkInterface", "BINDED", ""))
	wantCode(t, err, "InvalidAssociation.Duplicated", 400)
}

func TestEIPUnassociate(t *testing.T) {
	env := startEnv(t, nil, withDelay(time.Hour))
	eni := putENI(t, env, "vsw-mockh", "", 1)
	_, err := env.vpc.AssociateEipAddress(assoc("eip-mock1", eni.ID, "NetworkInterface", "", eni.SecondaryIPs[0]))
	mustOK(t, err)
	_, err = env.vpc.AssociateEipAddress(assoc("eip-mock2", "i-mockdb1", "", "", ""))
	mustOK(t, err)
	mustOK(t, env.srv.Settle())

	_, err = env.vpc.UnassociateEipAddress(unassoc("", ""))
	wantCode(t, err, "MissingParameter", 400)
	_, err = env.vpc.UnassociateEipAddress(unassoc("eip-nope", ""))
	wantCode(t, err, "InvalidAllocationId.NotFound", 404)
	_, err = env.vpc.UnassociateEipAddress(unassoc("eip-mock3", ""))
	wantCode(t, err, "IncorrectEipStatus", 400)
	_, err = env.vpc.UnassociateEipAddress(unassoc("eip-mock1", "i-mockweb1"))
	wantCode(t, err, "InvalidBindingStatus", 400)
	wantMessage(t, err, eni.ID)
	r := unassoc("eip-mock1", eni.ID)
	r.PrivateIpAddress = eni.PrimaryIP
	_, err = env.vpc.UnassociateEipAddress(r)
	wantCode(t, err, "InvalidBindingStatus", 400)
	r = unassoc("eip-mock1", "")
	r.InstanceType = "Toaster"
	_, err = env.vpc.UnassociateEipAddress(r)
	wantCode(t, err, "InvalidInstanceType.ValueNotSupported", 400)

	r = unassoc("eip-mock1", eni.ID)
	r.InstanceType = "NetworkInterface"
	r.PrivateIpAddress = eni.SecondaryIPs[0]
	_, err = env.vpc.UnassociateEipAddress(r)
	mustOK(t, err)
	e := getEIP(t, env, "eip-mock1")
	if e.Status != "Unassociating" || e.InstanceId != eni.ID {
		t.Fatalf("while unassociating: %+v", e)
	}
	_, err = env.vpc.UnassociateEipAddress(unassoc("eip-mock1", ""))
	wantCode(t, err, "IncorrectEipStatus", 400)
	_, err = env.vpc.AssociateEipAddress(assoc("eip-mock1", eni.ID, "NetworkInterface", "", ""))
	wantCode(t, err, "IncorrectEipStatus", 400)

	// Instance association, unassociated without naming the instance.
	_, err = env.vpc.UnassociateEipAddress(unassoc("eip-mock2", ""))
	mustOK(t, err)

	mustOK(t, env.srv.Settle())
	for _, id := range []string{"eip-mock1", "eip-mock2"} {
		e := getEIP(t, env, id)
		if e.Status != "Available" || e.InstanceId != "" || e.InstanceType != "" || e.PrivateIpAddress != "" || e.Mode != "" || e.InstanceRegionId != "" {
			t.Fatalf("after unassociation: %+v", e)
		}
	}
	if in := getInstance(t, env, "i-mockdb1"); in.EipAddress.AllocationId != "" {
		t.Fatalf("instance still shows the EIP: %+v", in.EipAddress)
	}
	// The private IP is free for a new EIP, and the EIP can be released.
	_, err = env.vpc.AssociateEipAddress(assoc("eip-mock3", eni.ID, "NetworkInterface", "", eni.SecondaryIPs[0]))
	mustOK(t, err)
	rr := vpc.CreateReleaseEipAddressRequest()
	rr.AllocationId = "eip-mock1"
	_, err = env.vpc.ReleaseEipAddress(rr)
	mustOK(t, err)
}

// An association that names no PrivateIpAddress shows none in
// DescribeEipAddresses (the official provider's own acceptance test for
// that case expects a clean second plan, which it gets only then), but the
// EIP sits on the primary IP all the same: the ENI view shows it there and
// the rules that protect that address apply. An association that names an
// address, the primary one included, shows it.
func TestEIPAssociateImplicitPrivateIP(t *testing.T) {
	env := startEnv(t, nil, withDelay(time.Hour))
	eni := putENI(t, env, "vsw-mockh", "", 1)
	named := putENI(t, env, "vsw-mockh", "", 0)

	_, err := env.vpc.AssociateEipAddress(assoc("eip-mock1", eni.ID, "NetworkInterface", "", ""))
	mustOK(t, err)
	_, err = env.vpc.AssociateEipAddress(assoc("eip-mock2", named.ID, "NetworkInterface", "", named.PrimaryIP))
	mustOK(t, err)
	if e := getEIP(t, env, "eip-mock1"); e.Status != "Associating" || e.PrivateIpAddress != "" || e.InstanceId != eni.ID {
		t.Fatalf("associating, no IP named: %+v", e)
	}
	mustOK(t, env.srv.Settle())
	if e := getEIP(t, env, "eip-mock1"); e.Status != "InUse" || e.PrivateIpAddress != "" {
		t.Fatalf("associated, no IP named: %+v", e)
	}
	if e := getEIP(t, env, "eip-mock2"); e.PrivateIpAddress != named.PrimaryIP {
		t.Fatalf("associated, primary IP named: %+v", e)
	}
	// The filters find it as before.
	r := vpc.CreateDescribeEipAddressesRequest()
	r.AssociatedInstanceType, r.AssociatedInstanceId = "NetworkInterface", eni.ID
	resp, err := env.vpc.DescribeEipAddresses(r)
	mustOK(t, err)
	if l := resp.EipAddresses.EipAddress; len(l) != 1 || l[0].AllocationId != "eip-mock1" || l[0].PrivateIpAddress != "" {
		t.Fatalf("by associated instance: %+v", l)
	}

	// On the primary IP: the ENI view shows it there.
	v := niMustGet(t, env, eni.ID)
	if v.AssociatedPublicIp.AllocationId != "eip-mock1" || v.PrivateIpSets.PrivateIpSet[0].AssociatedPublicIp.AllocationId != "eip-mock1" ||
		v.PrivateIpSets.PrivateIpSet[1].AssociatedPublicIp.AllocationId != "" {
		t.Fatalf("ENI view: %+v", v)
	}
	// NAT: the primary IP holds an EIP, so naming it for another is refused;
	// the secondary IP is free.
	_, err = env.vpc.AssociateEipAddress(assoc("eip-mock3", eni.ID, "NetworkInterface", "", eni.PrimaryIP))
	wantCode(t, err, "InvalidAssociation.Duplicated", 400)
	wantMessage(t, err, eni.PrimaryIP, "eip-mock1")
	_, err = env.vpc.AssociateEipAddress(assoc("eip-mock3", eni.ID, "NetworkInterface", "", ""))
	wantCode(t, err, "InvalidAssociation.Duplicated", 400)
	// The primary IP cannot be unassigned; the ENI cannot be deleted.
	wantCode(t, niUnassign(env, eni.ID, eni.PrimaryIP), "InvalidIp.IpUnassigned", 403)
	err = niDelete(env, eni.ID)
	wantCode(t, err, "InvalidOperation.InvalidEniState", 400)
	wantMessage(t, err, "eip-mock1", eni.PrimaryIP)

	// Unassociate: naming the primary IP is accepted (the EIP is on it),
	// naming another address is not.
	u := unassoc("eip-mock1", eni.ID)
	u.PrivateIpAddress = eni.SecondaryIPs[0]
	_, err = env.vpc.UnassociateEipAddress(u)
	wantCode(t, err, "InvalidBindingStatus", 400)
	u.PrivateIpAddress = eni.PrimaryIP
	_, err = env.vpc.UnassociateEipAddress(u)
	mustOK(t, err)
	mustOK(t, env.srv.Settle())
	if e := getEIP(t, env, "eip-mock1"); e.Status != "Available" || e.PrivateIpAddress != "" || e.InstanceId != "" {
		t.Fatalf("unassociated: %+v", e)
	}
	// Associated again naming the address, it shows it.
	_, err = env.vpc.AssociateEipAddress(assoc("eip-mock1", eni.ID, "NetworkInterface", "", eni.PrimaryIP))
	mustOK(t, err)
	mustOK(t, env.srv.Settle())
	if e := getEIP(t, env, "eip-mock1"); e.PrivateIpAddress != eni.PrimaryIP {
		t.Fatalf("associated again, IP named: %+v", e)
	}

	// With an instance: none named, none shown; the instance shows its EIP.
	_, err = env.vpc.AssociateEipAddress(assoc("eip-mock4", "i-mockweb2", "", "", ""))
	mustOK(t, err)
	mustOK(t, env.srv.Settle())
	if e := getEIP(t, env, "eip-mock4"); e.PrivateIpAddress != "" || e.InstanceType != "EcsInstance" {
		t.Fatalf("instance association: %+v", e)
	}
	if in := getInstance(t, env, "i-mockweb2"); in.EipAddress.AllocationId != "eip-mock4" {
		t.Fatalf("instance EipAddress: %+v", in.EipAddress)
	}
}

// A state file written before eipObj had PrivateIPImplicit shows the
// stored address, as the emulator did then.
func TestEIPImplicitPrivateIPOldState(t *testing.T) {
	var e eipObj
	if err := json.Unmarshal([]byte(`{"id":"eip-x","status":"InUse","instance_id":"eni-x","instance_type":"NetworkInterface","private_ip":"10.1.0.5","mode":"NAT"}`), &e); err != nil {
		t.Fatal(err)
	}
	if got := reportedPrivateIP(&e); got != "10.1.0.5" {
		t.Fatalf("reported %q", got)
	}
	e.PrivateIPImplicit = true
	b, err := json.Marshal(&e)
	if err != nil || !strings.Contains(string(b), `"private_ip_implicit":true`) {
		t.Fatalf("marshalled %s (%v)", b, err)
	}
}
