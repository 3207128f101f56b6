package mockcloud

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"

	"github.com/openeni/terraform-provider-eni/internal/domain"
)

// testENI is what putENI made, copied out of the locked state.
type testENI struct {
	ID, PrimaryIP string
	SecondaryIPs  []string
}

// putENI puts a secondary ENI with n secondary IPs straight into the
// state, as CreateNetworkInterface (and AttachNetworkInterface, when
// instanceID is set) would leave it, so these tests do not depend on the
// ENI actions.
func putENI(t *testing.T, env *testEnv, vswID, instanceID string, n int) testENI {
	t.Helper()
	env.srv.mu.Lock()
	defer env.srv.mu.Unlock()
	st := env.srv.st
	vsw := st.VSwitches[vswID]
	if vsw == nil {
		t.Fatalf("putENI: no vSwitch %s", vswID)
	}
	id := st.newID("eni")
	ip, err := st.allocateIP(vsw, id)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	e := &eniObj{ID: id, Type: domain.ENITypeSecondary, Status: domain.ENIStatusAvailable, VSwitchID: vsw.ID,
		VPCID: vsw.VPCID, ZoneID: vsw.ZoneID, MAC: st.newMAC(), SecurityGroupIDs: []string{"sg-mockweb"},
		PrimaryIP: ip, SecondaryIPs: []string{}, TrafficMode: "Standard", Tags: []tagPair{}, CreatedAt: now}
	for i := 0; i < n; i++ {
		ip, err := st.allocateIP(vsw, id)
		if err != nil {
			t.Fatal(err)
		}
		e.SecondaryIPs = append(e.SecondaryIPs, ip)
	}
	if instanceID != "" {
		e.InstanceID, e.Status, e.AttachedAt = instanceID, domain.ENIStatusInUse, now
		e.DeviceIndex = len(st.instanceENIs(instanceID))
	}
	e.Seq = st.nextSeq()
	st.ENIs[id] = e
	return testENI{ID: id, PrimaryIP: e.PrimaryIP, SecondaryIPs: slices.Clone(e.SecondaryIPs)}
}

// setENIStatus forces an ENI's status, to reach transitional states.
func setENIStatus(env *testEnv, id, status string) {
	env.srv.mu.Lock()
	defer env.srv.mu.Unlock()
	env.srv.st.ENIs[id].Status = status
}

// primaryENI returns the primary ENI ID and IP of a seeded instance.
func primaryENI(env *testEnv, instanceID string) (id, ip string) {
	env.srv.mu.Lock()
	defer env.srv.mu.Unlock()
	in := env.srv.st.Instances[instanceID]
	return in.PrimaryENIID, env.srv.st.ENIs[in.PrimaryENIID].PrimaryIP
}

func describeInstancesReq(mutate func(r *ecs.DescribeInstancesRequest)) *ecs.DescribeInstancesRequest {
	r := ecs.CreateDescribeInstancesRequest()
	if mutate != nil {
		mutate(r)
	}
	return r
}

func instanceIDs(list []ecs.Instance) []string {
	out := []string{}
	for _, in := range list {
		out = append(out, in.InstanceId)
	}
	return out
}

func getInstance(t *testing.T, env *testEnv, id string) ecs.Instance {
	t.Helper()
	resp, err := env.ecs.DescribeInstances(describeInstancesReq(func(r *ecs.DescribeInstancesRequest) {
		r.InstanceIds = `["` + id + `"]`
		r.AdditionalAttributes = &[]string{"NETWORK_PRIMARY_ENI_IP"}
	}))
	mustOK(t, err)
	if len(resp.Instances.Instance) != 1 {
		t.Fatalf("DescribeInstances %s: %d results", id, len(resp.Instances.Instance))
	}
	return resp.Instances.Instance[0]
}

func TestInstanceDescribeShape(t *testing.T) {
	env := startEnv(t, nil)
	primaryID, primaryIP := primaryENI(env, "i-mockweb1")
	sec := putENI(t, env, "vsw-mockh", "i-mockweb1", 2)

	in := getInstance(t, env, "i-mockweb1")
	want := map[string]bool{
		"InstanceId": in.InstanceId == "i-mockweb1", "InstanceName": in.InstanceName == "web-1",
		"InstanceType": in.InstanceType == "ecs.g7.large", "InstanceTypeFamily": in.InstanceTypeFamily == "ecs.g7",
		"Status": in.Status == "Running", "ZoneId": in.ZoneId == "cn-hangzhou-h", "RegionId": in.RegionId == "cn-hangzhou",
		"InstanceNetworkType": in.InstanceNetworkType == "vpc", "StoppedMode": in.StoppedMode == "Not-applicable",
		"Cpu": in.Cpu == 2, "Memory": in.Memory == 8192, "IoOptimized": in.IoOptimized,
		"CreationTime": len(in.CreationTime) == len("2006-01-02T15:04Z"), "StartTime": in.StartTime != "",
		"VpcId": in.VpcAttributes.VpcId == "vpc-mock1", "VSwitchId": in.VpcAttributes.VSwitchId == "vsw-mockh",
		"PrivateIpAddress": slices.Equal(in.VpcAttributes.PrivateIpAddress.IpAddress, []string{primaryIP}),
		"SecurityGroupIds": slices.Equal(in.SecurityGroupIds.SecurityGroupId, []string{"sg-mockweb"}),
		"EipAddress":       in.EipAddress.AllocationId == "" && in.EipAddress.Bandwidth == 0,
	}
	for name, ok := range want {
		if !ok {
			t.Errorf("field %s wrong: %+v", name, in)
		}
	}
	nics := in.NetworkInterfaces.NetworkInterface
	if len(nics) != 2 {
		t.Fatalf("NetworkInterfaces: %+v", nics)
	}
	p, s := nics[0], nics[1]
	if p.NetworkInterfaceId != primaryID || p.Type != "Primary" || p.PrimaryIpAddress != primaryIP ||
		!strings.HasPrefix(p.MacAddress, "00:16:3e:") || p.VSwitchId != "vsw-mockh" {
		t.Errorf("primary ENI: %+v", p)
	}
	if len(p.PrivateIpSets.PrivateIpSet) != 1 || !p.PrivateIpSets.PrivateIpSet[0].Primary ||
		p.PrivateIpSets.PrivateIpSet[0].PrivateIpAddress != primaryIP {
		t.Errorf("primary ENI IPs: %+v", p.PrivateIpSets)
	}
	if s.NetworkInterfaceId != sec.ID || s.Type != "Secondary" || s.VSwitchId != "vsw-mockh" || s.PrimaryIpAddress != sec.PrimaryIP {
		t.Errorf("secondary ENI: %+v", s)
	}
	var ips []string
	for _, set := range s.PrivateIpSets.PrivateIpSet {
		ips = append(ips, fmt.Sprintf("%s/%v", set.PrivateIpAddress, set.Primary))
	}
	wantIPs := []string{sec.PrimaryIP + "/true", sec.SecondaryIPs[0] + "/false", sec.SecondaryIPs[1] + "/false"}
	if !slices.Equal(ips, wantIPs) {
		t.Errorf("secondary ENI IPs: %v, want %v", ips, wantIPs)
	}

	// Without NETWORK_PRIMARY_ENI_IP the wrappers are there, empty.
	resp, err := env.ecs.DescribeInstances(describeInstancesReq(func(r *ecs.DescribeInstancesRequest) {
		r.InstanceIds = `["i-mockweb1"]`
	}))
	mustOK(t, err)
	if n := len(resp.Instances.Instance[0].NetworkInterfaces.NetworkInterface[0].PrivateIpSets.PrivateIpSet); n != 0 {
		t.Errorf("PrivateIpSets filled without the attribute: %d", n)
	}
	raw := resp.GetHttpContentString()
	for _, frag := range []string{
		`"PrivateIpSets":{"PrivateIpSet":[]}`, `"Ipv6Sets":{"Ipv6Set":[]}`, `"Tags":{"Tag":[]}`,
		`"OperationLocks":{"LockReason":[]}`, `"PublicIpAddress":{"IpAddress":[]}`, `"InnerIpAddress":{"IpAddress":[]}`,
		`"NatIpAddress":""`, `"IsSupportUnassociate":false`,
	} {
		if !strings.Contains(raw, frag) {
			t.Errorf("response lacks %s", frag)
		}
	}
	var generic map[string]any
	if err := json.Unmarshal([]byte(raw), &generic); err != nil || generic["TotalCount"] != float64(1) {
		t.Errorf("TotalCount: %v %v", generic["TotalCount"], err)
	}

	// A stopped instance reports KeepCharging; burst is a t6 with 2 vCPUs
	// and 4 GiB (c1m2).
	burst := getInstance(t, env, "i-mockburst")
	if burst.Cpu != 2 || burst.Memory != 4096 || burst.InstanceTypeFamily != "ecs.t6" {
		t.Errorf("burst shape: cpu %d mem %d family %s", burst.Cpu, burst.Memory, burst.InstanceTypeFamily)
	}
}

func TestInstanceDescribeFilters(t *testing.T) {
	env := startEnv(t, nil)
	all := []string{"i-mockweb1", "i-mockweb2", "i-mockdb1", "i-mockburst"}
	_, web2IP := primaryENI(env, "i-mockweb2")
	cases := []struct {
		name   string
		mutate func(r *ecs.DescribeInstancesRequest)
		want   []string
	}{
		{"none", nil, all},
		{"ids", func(r *ecs.DescribeInstancesRequest) { r.InstanceIds = `["i-mockdb1","i-nope","i-mockweb1"]` }, []string{"i-mockweb1", "i-mockdb1"}},
		{"empty ids", func(r *ecs.DescribeInstancesRequest) { r.InstanceIds = `[]` }, []string{}},
		{"unknown id", func(r *ecs.DescribeInstancesRequest) { r.InstanceIds = `["i-nope"]` }, []string{}},
		{"vpc", func(r *ecs.DescribeInstancesRequest) { r.VpcId = "vpc-mock1" }, all},
		{"other vpc", func(r *ecs.DescribeInstancesRequest) { r.VpcId = "vpc-other" }, []string{}},
		{"vswitch", func(r *ecs.DescribeInstancesRequest) { r.VSwitchId = "vsw-mockh" }, []string{"i-mockweb1", "i-mockweb2", "i-mockburst"}},
		{"zone", func(r *ecs.DescribeInstancesRequest) { r.ZoneId = "cn-hangzhou-i" }, []string{"i-mockdb1"}},
		{"sg", func(r *ecs.DescribeInstancesRequest) { r.SecurityGroupId = "sg-mockdb" }, []string{"i-mockdb1"}},
		{"name", func(r *ecs.DescribeInstancesRequest) { r.InstanceName = "web-2" }, []string{"i-mockweb2"}},
		{"name glob", func(r *ecs.DescribeInstancesRequest) { r.InstanceName = "web-*" }, []string{"i-mockweb1", "i-mockweb2"}},
		{"type", func(r *ecs.DescribeInstancesRequest) { r.InstanceType = "ecs.g7.large" }, []string{"i-mockweb1", "i-mockweb2"}},
		{"family", func(r *ecs.DescribeInstancesRequest) { r.InstanceTypeFamily = "ecs.g7" }, []string{"i-mockweb1", "i-mockweb2", "i-mockdb1"}},
		{"family t6", func(r *ecs.DescribeInstancesRequest) { r.InstanceTypeFamily = "ecs.t6" }, []string{"i-mockburst"}},
		{"status running", func(r *ecs.DescribeInstancesRequest) { r.Status = "Running" }, all},
		{"status stopped", func(r *ecs.DescribeInstancesRequest) { r.Status = "Stopped" }, []string{}},
		{"private ip", func(r *ecs.DescribeInstancesRequest) { r.PrivateIpAddresses = `["` + web2IP + `"]` }, []string{"i-mockweb2"}},
		{"tag", func(r *ecs.DescribeInstancesRequest) {
			r.Tag = &[]ecs.DescribeInstancesTag{{Key: "env", Value: "prod"}}
		}, []string{}},
		{"combined", func(r *ecs.DescribeInstancesRequest) { r.VSwitchId = "vsw-mockh"; r.InstanceTypeFamily = "ecs.g7" }, []string{"i-mockweb1", "i-mockweb2"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := describeInstancesReq(tc.mutate)
			r.PageSize = requests.NewInteger(100)
			resp, err := env.ecs.DescribeInstances(r)
			mustOK(t, err)
			if got := instanceIDs(resp.Instances.Instance); !slices.Equal(got, tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
			if resp.TotalCount != len(tc.want) {
				t.Fatalf("TotalCount %d", resp.TotalCount)
			}
		})
	}

	_, err := env.ecs.DescribeInstances(describeInstancesReq(func(r *ecs.DescribeInstancesRequest) { r.Status = "Sleeping" }))
	wantCode(t, err, "InvalidStatus.NotFound", 404)
	_, err = env.ecs.DescribeInstances(describeInstancesReq(func(r *ecs.DescribeInstancesRequest) { r.InstanceIds = `["i-mockweb1"` }))
	wantCode(t, err, "InvalidParameter", 400)
	many := make([]string, 101)
	for i := range many {
		many[i] = fmt.Sprintf("i-%d", i)
	}
	b, _ := json.Marshal(many)
	_, err = env.ecs.DescribeInstances(describeInstancesReq(func(r *ecs.DescribeInstancesRequest) { r.InstanceIds = string(b) }))
	wantCode(t, err, "InvalidParameter", 400)
	b, _ = json.Marshal(many[:100])
	_, err = env.ecs.DescribeInstances(describeInstancesReq(func(r *ecs.DescribeInstancesRequest) { r.InstanceIds = string(b) }))
	mustOK(t, err)
}

func TestInstanceDescribePaging(t *testing.T) {
	env := startEnv(t, nil)
	all := []string{"i-mockweb1", "i-mockweb2", "i-mockdb1", "i-mockburst"}

	// PageNumber / PageSize.
	var got []string
	for page := 1; page <= 2; page++ {
		resp, err := env.ecs.DescribeInstances(describeInstancesReq(func(r *ecs.DescribeInstancesRequest) {
			r.PageNumber = requests.NewInteger(page)
			r.PageSize = requests.NewInteger(3)
		}))
		mustOK(t, err)
		if resp.TotalCount != 4 || resp.PageNumber != page || resp.PageSize != 3 {
			t.Fatalf("page %d: total %d number %d size %d", page, resp.TotalCount, resp.PageNumber, resp.PageSize)
		}
		got = append(got, instanceIDs(resp.Instances.Instance)...)
	}
	if !slices.Equal(got, all) {
		t.Fatalf("paged: %v", got)
	}
	resp, err := env.ecs.DescribeInstances(describeInstancesReq(func(r *ecs.DescribeInstancesRequest) {
		r.PageNumber = requests.NewInteger(3)
		r.PageSize = requests.NewInteger(3)
	}))
	mustOK(t, err)
	if len(resp.Instances.Instance) != 0 {
		t.Fatalf("page past the end: %v", instanceIDs(resp.Instances.Instance))
	}
	resp, err = env.ecs.DescribeInstances(describeInstancesReq(nil))
	mustOK(t, err)
	if resp.PageSize != 10 || resp.PageNumber != 1 || len(resp.Instances.Instance) != 4 {
		t.Fatalf("defaults: %+v", resp)
	}

	// NextToken / MaxResults.
	got = nil
	token, calls := "", 0
	for {
		resp, err := env.ecs.DescribeInstances(describeInstancesReq(func(r *ecs.DescribeInstancesRequest) {
			r.MaxResults = requests.NewInteger(3)
			r.NextToken = token
		}))
		mustOK(t, err)
		got = append(got, instanceIDs(resp.Instances.Instance)...)
		calls++
		if token = resp.NextToken; token == "" {
			break
		}
	}
	if !slices.Equal(got, all) || calls != 2 {
		t.Fatalf("token paging: %v in %d calls", got, calls)
	}

	// A token past the end, however large, is an empty last page.
	for _, tok := range []string{"4", "9223372036854775807"} {
		resp, err := env.ecs.DescribeInstances(describeInstancesReq(func(r *ecs.DescribeInstancesRequest) { r.NextToken = tok }))
		mustOK(t, err)
		if len(resp.Instances.Instance) != 0 || resp.NextToken != "" {
			t.Fatalf("token %s: %v next %q", tok, instanceIDs(resp.Instances.Instance), resp.NextToken)
		}
	}
	it := ecs.CreateDescribeInstanceTypesRequest()
	it.NextToken = "9223372036854775807"
	itResp, err := env.ecs.DescribeInstanceTypes(it)
	mustOK(t, err)
	if len(itResp.InstanceTypes.InstanceType) != 0 || itResp.NextToken != "" {
		t.Fatalf("huge instance-type token: %+v", itResp.InstanceTypes)
	}

	for _, bad := range []func(r *ecs.DescribeInstancesRequest){
		func(r *ecs.DescribeInstancesRequest) { r.PageSize = requests.NewInteger(101) },
		func(r *ecs.DescribeInstancesRequest) { r.PageNumber = requests.NewInteger(0) },
		func(r *ecs.DescribeInstancesRequest) { r.MaxResults = requests.NewInteger(101) },
		func(r *ecs.DescribeInstancesRequest) { r.NextToken = "not-a-token" },
	} {
		_, err := env.ecs.DescribeInstances(describeInstancesReq(bad))
		wantCode(t, err, "InvalidParameter", 400)
	}
	resp, err = env.ecs.DescribeInstances(describeInstancesReq(func(r *ecs.DescribeInstancesRequest) {
		r.PageSize = requests.NewInteger(100)
		r.MaxResults = requests.NewInteger(100)
	}))
	mustOK(t, err)
	if len(resp.Instances.Instance) != 4 {
		t.Fatalf("maximum page sizes: %d", len(resp.Instances.Instance))
	}
}

func stopReq(id string) *ecs.StopInstanceRequest {
	r := ecs.CreateStopInstanceRequest()
	r.InstanceId = id
	return r
}

func startReq(id string) *ecs.StartInstanceRequest {
	r := ecs.CreateStartInstanceRequest()
	r.InstanceId = id
	return r
}

func TestInstanceStopStart(t *testing.T) {
	env := startEnv(t, nil, withDelay(time.Hour))
	status := func() string { return getInstance(t, env, "i-mockweb1").Status }

	r := stopReq("i-mockweb1")
	r.ForceStop = requests.NewBoolean(true)
	r.ConfirmStop = requests.NewBoolean(true)
	r.StoppedMode = "KeepCharging"
	_, err := env.ecs.StopInstance(r)
	mustOK(t, err)
	if s := status(); s != "Stopping" {
		t.Fatalf("after StopInstance: %s", s)
	}
	_, err = env.ecs.StopInstance(stopReq("i-mockweb1"))
	wantCode(t, err, "IncorrectInstanceStatus", 403)
	_, err = env.ecs.StartInstance(startReq("i-mockweb1"))
	wantCode(t, err, "IncorrectInstanceStatus", 403)

	mustOK(t, env.srv.Settle())
	in := getInstance(t, env, "i-mockweb1")
	if in.Status != "Stopped" || in.StoppedMode != "KeepCharging" {
		t.Fatalf("after settle: %s %s", in.Status, in.StoppedMode)
	}
	_, err = env.ecs.StopInstance(stopReq("i-mockweb1"))
	wantCode(t, err, "IncorrectInstanceStatus", 403)

	_, err = env.ecs.StartInstance(startReq("i-mockweb1"))
	mustOK(t, err)
	if s := status(); s != "Starting" {
		t.Fatalf("after StartInstance: %s", s)
	}
	_, err = env.ecs.StartInstance(startReq("i-mockweb1"))
	wantCode(t, err, "IncorrectInstanceStatus", 403)
	mustOK(t, env.srv.Settle())
	if in := getInstance(t, env, "i-mockweb1"); in.Status != "Running" || in.StoppedMode != "Not-applicable" {
		t.Fatalf("after settle: %s %s", in.Status, in.StoppedMode)
	}

	// Other instances were never touched.
	resp, err := env.ecs.DescribeInstances(describeInstancesReq(func(r *ecs.DescribeInstancesRequest) { r.Status = "Running" }))
	mustOK(t, err)
	if resp.TotalCount != 4 {
		t.Fatalf("running: %d", resp.TotalCount)
	}

	_, err = env.ecs.StopInstance(stopReq("i-nope"))
	wantCode(t, err, "InvalidInstanceId.NotFound", 404)
	_, err = env.ecs.StartInstance(startReq("i-nope"))
	wantCode(t, err, "InvalidInstanceId.NotFound", 404)
	_, err = env.ecs.StopInstance(stopReq(""))
	wantCode(t, err, "MissingParameter", 400)
	r = stopReq("i-mockweb1")
	r.StoppedMode = "Frozen"
	_, err = env.ecs.StopInstance(r)
	wantCode(t, err, "InvalidParameter", 400)
}

// With no transition delay the stop completes before the next request.
func TestInstanceStopWithoutDelay(t *testing.T) {
	env := startEnv(t, nil)
	_, err := env.ecs.StopInstance(stopReq("i-mockdb1"))
	mustOK(t, err)
	if s := getInstance(t, env, "i-mockdb1").Status; s != "Stopped" {
		t.Fatalf("status %s", s)
	}
	_, err = env.ecs.StartInstance(startReq("i-mockdb1"))
	mustOK(t, err)
	if s := getInstance(t, env, "i-mockdb1").Status; s != "Running" {
		t.Fatalf("status %s", s)
	}
}

func TestInstanceDryRun(t *testing.T) {
	env := startEnv(t, nil, withDelay(time.Hour))
	r := stopReq("i-mockweb2")
	r.DryRun = requests.NewBoolean(true)
	_, err := env.ecs.StopInstance(r)
	wantCode(t, err, "DryRunOperation", 400)
	if s := getInstance(t, env, "i-mockweb2").Status; s != "Running" {
		t.Fatalf("dry run changed the status: %s", s)
	}
	// Validation comes first: a dry run of an impossible call fails as the
	// real call would.
	sr := startReq("i-mockweb2")
	sr.DryRun = requests.NewBoolean(true)
	_, err = env.ecs.StartInstance(sr)
	wantCode(t, err, "IncorrectInstanceStatus", 403)
	r = stopReq("i-nope")
	r.DryRun = requests.NewBoolean(true)
	_, err = env.ecs.StopInstance(r)
	wantCode(t, err, "InvalidInstanceId.NotFound", 404)

	_, err = env.ecs.StopInstance(stopReq("i-mockweb2"))
	mustOK(t, err)
	mustOK(t, env.srv.Settle())
	_, err = env.ecs.StartInstance(sr)
	wantCode(t, err, "DryRunOperation", 400)
	if s := getInstance(t, env, "i-mockweb2").Status; s != "Stopped" {
		t.Fatalf("dry run changed the status: %s", s)
	}
	if st := env.srv.Stats(); st.Actions["StopInstance"] != 3 || st.Actions["StartInstance"] != 2 {
		t.Fatalf("stats: %+v", st)
	}
}

func TestInstanceTypes(t *testing.T) {
	env := startEnv(t, nil)
	list := func(mutate func(r *ecs.DescribeInstanceTypesRequest)) ([]string, *ecs.DescribeInstanceTypesResponse) {
		t.Helper()
		r := ecs.CreateDescribeInstanceTypesRequest()
		if mutate != nil {
			mutate(r)
		}
		resp, err := env.ecs.DescribeInstanceTypes(r)
		mustOK(t, err)
		ids := []string{}
		for _, it := range resp.InstanceTypes.InstanceType {
			ids = append(ids, it.InstanceTypeId)
		}
		return ids, resp
	}
	ids, resp := list(nil)
	if !slices.Equal(ids, []string{"ecs.g7.large", "ecs.g7.xlarge", "ecs.t6-c1m2.large"}) || resp.NextToken != "" {
		t.Fatalf("all types: %v next %q", ids, resp.NextToken)
	}
	if strings.Contains(strings.ToLower(resp.GetHttpContentString()), "hotswap") {
		t.Fatal("hot-swap support leaked into the API response")
	}

	_, resp = list(func(r *ecs.DescribeInstanceTypesRequest) { r.InstanceTypes = &[]string{"ecs.g7.xlarge"} })
	if len(resp.InstanceTypes.InstanceType) != 1 {
		t.Fatalf("by id: %+v", resp.InstanceTypes)
	}
	it := resp.InstanceTypes.InstanceType[0]
	if it.InstanceTypeId != "ecs.g7.xlarge" || it.InstanceTypeFamily != "ecs.g7" || it.EniQuantity != 4 ||
		it.EniPrivateIpAddressQuantity != 15 || it.EniIpv6AddressQuantity != 15 || it.EniTotalQuantity != 4 ||
		it.EniTrunkSupported || it.NetworkCardQuantity != 1 || len(it.NetworkCards.NetworkCardInfo) != 1 ||
		it.NetworkCards.NetworkCardInfo[0].NetworkCardIndex != 0 || it.CpuCoreCount != 4 || it.MemorySize != 16 {
		t.Fatalf("ecs.g7.xlarge: %+v", it)
	}

	for _, tc := range []struct {
		name   string
		mutate func(r *ecs.DescribeInstanceTypesRequest)
		want   []string
	}{
		{"family", func(r *ecs.DescribeInstanceTypesRequest) { r.InstanceTypeFamily = "ecs.g7" }, []string{"ecs.g7.large", "ecs.g7.xlarge"}},
		{"families", func(r *ecs.DescribeInstanceTypesRequest) { r.InstanceTypeFamilies = &[]string{"ecs.t6"} }, []string{"ecs.t6-c1m2.large"}},
		{"min eni", func(r *ecs.DescribeInstanceTypesRequest) { r.MinimumEniQuantity = requests.NewInteger(3) }, []string{"ecs.g7.large", "ecs.g7.xlarge"}},
		{"min ips", func(r *ecs.DescribeInstanceTypesRequest) {
			r.MinimumEniPrivateIpAddressQuantity = requests.NewInteger(11)
		}, []string{"ecs.g7.xlarge"}},
		{"unknown", func(r *ecs.DescribeInstanceTypesRequest) { r.InstanceTypes = &[]string{"ecs.nope.large"} }, []string{}},
		{"ids and family", func(r *ecs.DescribeInstanceTypesRequest) {
			r.InstanceTypes = &[]string{"ecs.g7.large", "ecs.t6-c1m2.large"}
			r.InstanceTypeFamily = "ecs.t6"
		}, []string{"ecs.t6-c1m2.large"}},
	} {
		if ids, _ := list(tc.mutate); !slices.Equal(ids, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, ids, tc.want)
		}
	}

	// NextToken / MaxResults.
	var got []string
	token := ""
	for i := 0; i < 5; i++ {
		ids, resp := list(func(r *ecs.DescribeInstanceTypesRequest) {
			r.MaxResults = requests.NewInteger(2)
			r.NextToken = token
		})
		got = append(got, ids...)
		if token = resp.NextToken; token == "" {
			break
		}
	}
	if len(got) != 3 || token != "" {
		t.Fatalf("token paging: %v", got)
	}

	// Up to 100 InstanceTypes.N are accepted; 101 are not.
	names := make([]string, 101)
	for i := range names {
		names[i] = fmt.Sprintf("ecs.x%d.large", i)
	}
	names[99] = "ecs.g7.large"
	first100 := names[:100]
	if ids, _ := list(func(r *ecs.DescribeInstanceTypesRequest) { r.InstanceTypes = &first100 }); !slices.Equal(ids, []string{"ecs.g7.large"}) {
		t.Fatalf("100 types: %v", ids)
	}
	r := ecs.CreateDescribeInstanceTypesRequest()
	r.InstanceTypes = &names
	_, err := env.ecs.DescribeInstanceTypes(r)
	wantCode(t, err, "InvalidParameter", 400)
	r = ecs.CreateDescribeInstanceTypesRequest()
	r.MaxResults = requests.NewInteger(101)
	_, err = env.ecs.DescribeInstanceTypes(r)
	wantCode(t, err, "InvalidParameter", 400)
}

func TestInstanceShape(t *testing.T) {
	for _, tc := range []struct {
		typ string
		cpu int
		mem float64
	}{
		{"ecs.g7.large", 2, 8}, {"ecs.c6.xlarge", 4, 8}, {"ecs.r7.2xlarge", 8, 64},
		{"ecs.t6-c1m2.large", 2, 4}, {"ecs.t6-c4m1.large", 2, 0.5}, {"ecs.t5-lc2m1.nano", 1, 0.5},
		{"ecs.s6-c1m1.small", 1, 1}, {"odd", 2, 8},
	} {
		if cpu, mem := instanceShape(tc.typ); cpu != tc.cpu || mem != tc.mem {
			t.Errorf("%s: %d vCPU %.1f GiB, want %d %.1f", tc.typ, cpu, mem, tc.cpu, tc.mem)
		}
	}
}

func TestInstanceSecurityGroups(t *testing.T) {
	env := startEnv(t, nil)
	list := func(mutate func(r *ecs.DescribeSecurityGroupsRequest)) ([]string, *ecs.DescribeSecurityGroupsResponse) {
		t.Helper()
		r := ecs.CreateDescribeSecurityGroupsRequest()
		if mutate != nil {
			mutate(r)
		}
		resp, err := env.ecs.DescribeSecurityGroups(r)
		mustOK(t, err)
		ids := []string{}
		for _, g := range resp.SecurityGroups.SecurityGroup {
			ids = append(ids, g.SecurityGroupId)
		}
		return ids, resp
	}
	ids, resp := list(func(r *ecs.DescribeSecurityGroupsRequest) { r.SecurityGroupIds = `["sg-mockdb","sg-nope"]` })
	if !slices.Equal(ids, []string{"sg-mockdb"}) || resp.TotalCount != 1 || resp.RegionId != "cn-hangzhou" {
		t.Fatalf("by JSON ids: %v %+v", ids, resp)
	}
	g := resp.SecurityGroups.SecurityGroup[0]
	if g.SecurityGroupName != "db" || g.VpcId != "vpc-mock1" || g.SecurityGroupType != "normal" || g.CreationTime == "" ||
		g.ServiceManaged || g.Tags.Tag == nil {
		t.Fatalf("group: %+v", g)
	}
	for _, tc := range []struct {
		name   string
		mutate func(r *ecs.DescribeSecurityGroupsRequest)
		want   []string
	}{
		{"all", nil, []string{"sg-mockweb", "sg-mockdb"}},
		{"vpc", func(r *ecs.DescribeSecurityGroupsRequest) { r.VpcId = "vpc-mock1" }, []string{"sg-mockweb", "sg-mockdb"}},
		{"other vpc", func(r *ecs.DescribeSecurityGroupsRequest) { r.VpcId = "vpc-nope" }, []string{}},
		{"id", func(r *ecs.DescribeSecurityGroupsRequest) { r.SecurityGroupId = "sg-mockweb" }, []string{"sg-mockweb"}},
		{"name", func(r *ecs.DescribeSecurityGroupsRequest) { r.SecurityGroupName = "web" }, []string{"sg-mockweb"}},
		{"empty ids", func(r *ecs.DescribeSecurityGroupsRequest) { r.SecurityGroupIds = `[]` }, []string{}},
	} {
		if ids, _ := list(tc.mutate); !slices.Equal(ids, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, ids, tc.want)
		}
	}
	ids, resp = list(func(r *ecs.DescribeSecurityGroupsRequest) {
		r.PageSize = requests.NewInteger(1)
		r.PageNumber = requests.NewInteger(2)
	})
	if !slices.Equal(ids, []string{"sg-mockdb"}) || resp.TotalCount != 2 || resp.PageNumber != 2 {
		t.Fatalf("page 2: %v %+v", ids, resp)
	}
	ids, resp = list(func(r *ecs.DescribeSecurityGroupsRequest) { r.MaxResults = requests.NewInteger(1) })
	if !slices.Equal(ids, []string{"sg-mockweb"}) || resp.NextToken == "" {
		t.Fatalf("token page 1: %v %q", ids, resp.NextToken)
	}
	ids, resp = list(func(r *ecs.DescribeSecurityGroupsRequest) {
		r.MaxResults = requests.NewInteger(1)
		r.NextToken = resp.NextToken
	})
	if !slices.Equal(ids, []string{"sg-mockdb"}) || resp.NextToken != "" {
		t.Fatalf("token page 2: %v %q", ids, resp.NextToken)
	}
	r := ecs.CreateDescribeSecurityGroupsRequest()
	r.PageSize = requests.NewInteger(51)
	_, err := env.ecs.DescribeSecurityGroups(r)
	wantCode(t, err, "InvalidParameter", 400)
	r = ecs.CreateDescribeSecurityGroupsRequest()
	r.SecurityGroupIds = "sg-mockweb"
	_, err = env.ecs.DescribeSecurityGroups(r)
	wantCode(t, err, "InvalidParameter", 400)
}
