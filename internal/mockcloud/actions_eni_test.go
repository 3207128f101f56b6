package mockcloud

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	sdkerrors "github.com/aliyun/alibaba-cloud-sdk-go/sdk/errors"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"

	"github.com/openeni/terraform-provider-eni/internal/domain"
)

// Helpers of this file are prefixed "ni" (network interface) so they do
// not collide with helpers of other test files in the package.

// niSeed is the default seed changed by mut.
func niSeed(mut func(*Seed)) *Seed {
	s := DefaultSeed()
	mut(s)
	return s
}

// niState runs fn on the emulator state under its lock, for setting up
// situations other actions would produce (EIP bindings, stopped instances).
func niState(env *testEnv, fn func(st *state)) {
	env.srv.mu.Lock()
	defer env.srv.mu.Unlock()
	fn(env.srv.st)
}

// niCreateReq is a valid CreateNetworkInterface request in vsw-mockh.
func niCreateReq(mut ...func(*ecs.CreateNetworkInterfaceRequest)) *ecs.CreateNetworkInterfaceRequest {
	req := ecs.CreateCreateNetworkInterfaceRequest()
	req.VSwitchId = "vsw-mockh"
	req.SecurityGroupId = "sg-mockweb"
	for _, m := range mut {
		m(req)
	}
	return req
}

func niCreate(t *testing.T, env *testEnv, mut ...func(*ecs.CreateNetworkInterfaceRequest)) *ecs.CreateNetworkInterfaceResponse {
	t.Helper()
	resp, err := env.ecs.CreateNetworkInterface(niCreateReq(mut...))
	mustOK(t, err)
	return resp
}

func niCreateErr(env *testEnv, mut ...func(*ecs.CreateNetworkInterfaceRequest)) error {
	_, err := env.ecs.CreateNetworkInterface(niCreateReq(mut...))
	return err
}

// niGet returns the ENI as DescribeNetworkInterfaces shows it, or nil.
func niGet(t *testing.T, env *testEnv, id string) *ecs.NetworkInterfaceSet {
	t.Helper()
	req := ecs.CreateDescribeNetworkInterfacesRequest()
	req.NetworkInterfaceId = &[]string{id}
	resp, err := env.ecs.DescribeNetworkInterfaces(req)
	mustOK(t, err)
	switch n := len(resp.NetworkInterfaceSets.NetworkInterfaceSet); n {
	case 0:
		return nil
	case 1:
		return &resp.NetworkInterfaceSets.NetworkInterfaceSet[0]
	default:
		t.Fatalf("describe %s: %d results", id, n)
	}
	return nil
}

func niMustGet(t *testing.T, env *testEnv, id string) *ecs.NetworkInterfaceSet {
	t.Helper()
	e := niGet(t, env, id)
	if e == nil {
		t.Fatalf("ENI %s not found", id)
	}
	return e
}

func niDescribe(t *testing.T, env *testEnv, mut func(*ecs.DescribeNetworkInterfacesRequest)) *ecs.DescribeNetworkInterfacesResponse {
	t.Helper()
	req := ecs.CreateDescribeNetworkInterfacesRequest()
	mut(req)
	resp, err := env.ecs.DescribeNetworkInterfaces(req)
	mustOK(t, err)
	return resp
}

func niIDs(resp *ecs.DescribeNetworkInterfacesResponse) []string {
	var out []string
	for _, e := range resp.NetworkInterfaceSets.NetworkInterfaceSet {
		out = append(out, e.NetworkInterfaceId)
	}
	return out
}

func niAttach(env *testEnv, eni, instance string) error {
	req := ecs.CreateAttachNetworkInterfaceRequest()
	req.NetworkInterfaceId, req.InstanceId = eni, instance
	_, err := env.ecs.AttachNetworkInterface(req)
	return err
}

func niDetach(env *testEnv, eni, instance string) error {
	req := ecs.CreateDetachNetworkInterfaceRequest()
	req.NetworkInterfaceId, req.InstanceId = eni, instance
	_, err := env.ecs.DetachNetworkInterface(req)
	return err
}

func niDelete(env *testEnv, eni string) error {
	req := ecs.CreateDeleteNetworkInterfaceRequest()
	req.NetworkInterfaceId = eni
	_, err := env.ecs.DeleteNetworkInterface(req)
	return err
}

func niAssign(env *testEnv, eni string, count int, ips ...string) (*ecs.AssignPrivateIpAddressesResponse, error) {
	req := ecs.CreateAssignPrivateIpAddressesRequest()
	req.NetworkInterfaceId = eni
	if count != 0 {
		req.SecondaryPrivateIpAddressCount = requests.NewInteger(count)
	}
	if len(ips) > 0 {
		req.PrivateIpAddress = &ips
	}
	return env.ecs.AssignPrivateIpAddresses(req)
}

func niUnassign(env *testEnv, eni string, ips ...string) error {
	req := ecs.CreateUnassignPrivateIpAddressesRequest()
	req.NetworkInterfaceId = eni
	if len(ips) > 0 {
		req.PrivateIpAddress = &ips
	}
	_, err := env.ecs.UnassignPrivateIpAddresses(req)
	return err
}

func niModify(env *testEnv, eni string, mut func(*ecs.ModifyNetworkInterfaceAttributeRequest)) error {
	req := ecs.CreateModifyNetworkInterfaceAttributeRequest()
	req.NetworkInterfaceId = eni
	mut(req)
	_, err := env.ecs.ModifyNetworkInterfaceAttribute(req)
	return err
}

// niMsg is the message of an SDK server error.
func niMsg(t *testing.T, err error) string {
	t.Helper()
	var se *sdkerrors.ServerError
	if !errors.As(err, &se) {
		t.Fatalf("want a server error, got %v", err)
	}
	return se.Message()
}

func niWantMsg(t *testing.T, err error, parts ...string) {
	t.Helper()
	msg := niMsg(t, err)
	for _, p := range parts {
		if !strings.Contains(msg, p) {
			t.Fatalf("message %q does not mention %q", msg, p)
		}
	}
}

// niBindEIP associates a seeded EIP with an ENI IP directly in the state,
// as AssociateEipAddress would.
func niBindEIP(env *testEnv, eip, eni, ip, mode string) {
	niState(env, func(st *state) {
		e := st.EIPs[eip]
		e.Status, e.InstanceID, e.InstanceType, e.PrivateIP, e.Mode = domain.EIPStatusInUse, eni, "NetworkInterface", ip, mode
	})
}

func niSetInstanceStatus(env *testEnv, id, status string) {
	niState(env, func(st *state) { st.Instances[id].Status = status })
}

func niUsed(env *testEnv, vsw string) int {
	n := 0
	niState(env, func(st *state) { n = len(st.VSwitches[vsw].Used) })
	return n
}

// niIPs lists the private IPs of an ENI view, primary first.
func niIPs(e *ecs.NetworkInterfaceSet) []string {
	var out []string
	for _, s := range e.PrivateIpSets.PrivateIpSet {
		out = append(out, s.PrivateIpAddress)
	}
	return out
}

// niNoNulls fails when a raw response has a null (a missing list wrapper
// or a nil slice), which consumers that type-assert would choke on.
func niNoNulls(t *testing.T, raw string) {
	t.Helper()
	if strings.Contains(raw, "null") {
		t.Fatalf("response contains null: %s", raw)
	}
}

// --- CreateNetworkInterface ---------------------------------------------

func TestENICreateWithCount(t *testing.T) {
	env := startEnv(t, nil)
	before := niUsed(env, "vsw-mockh")
	resp := niCreate(t, env, func(r *ecs.CreateNetworkInterfaceRequest) {
		r.NetworkInterfaceName = "web-eni"
		r.Description = "Failover interface"
		r.SecondaryPrivateIpAddressCount = requests.NewInteger(2)
		r.Tag = &[]ecs.CreateNetworkInterfaceTag{{Key: "env", Value: "prod"}, {Key: "team"}}
		r.ResourceGroupId = "rg-mock"
	})
	if !regexp.MustCompile(`^eni-[0-9a-z]{20}$`).MatchString(resp.NetworkInterfaceId) {
		t.Fatalf("ENI ID %q", resp.NetworkInterfaceId)
	}
	if resp.Status != "Available" || resp.Type != "Secondary" || resp.VpcId != "vpc-mock1" || resp.VSwitchId != "vsw-mockh" ||
		resp.ZoneId != "cn-hangzhou-h" || resp.NetworkInterfaceName != "web-eni" || resp.Description != "Failover interface" ||
		resp.ResourceGroupId != "rg-mock" || resp.OwnerId != "1234567890123456" || resp.ServiceManaged || resp.SourceDestCheck {
		t.Fatalf("create response: %+v", resp)
	}
	if !strings.HasPrefix(resp.MacAddress, "00:16:3e:") {
		t.Fatalf("MAC %q", resp.MacAddress)
	}
	if got := resp.SecurityGroupIds.SecurityGroupId; len(got) != 1 || got[0] != "sg-mockweb" {
		t.Fatalf("security groups %v", got)
	}
	ips := resp.PrivateIpSets.PrivateIpSet
	if len(ips) != 3 || !ips[0].Primary || ips[1].Primary || ips[0].PrivateIpAddress != resp.PrivateIpAddress {
		t.Fatalf("private IPs %+v", ips)
	}
	// The seed's three primary ENIs in vsw-mockh hold .1 to .3.
	if resp.PrivateIpAddress != "10.1.0.4" || ips[1].PrivateIpAddress != "10.1.0.5" || ips[2].PrivateIpAddress != "10.1.0.6" {
		t.Fatalf("addresses %+v", ips)
	}
	if tags := resp.Tags.Tag; len(tags) != 2 || tags[0].TagKey != "env" || tags[0].TagValue != "prod" || tags[1].TagKey != "team" {
		t.Fatalf("tags %+v", tags)
	}
	raw := resp.GetHttpContentString()
	niNoNulls(t, raw)
	for _, want := range []string{`"OwnerId":"1234567890123456"`, `"Ipv6Sets":{"Ipv6Set":[]}`, `"Ipv4PrefixSets":{"Ipv4PrefixSet":[]}`,
		`"Ipv6PrefixSets":{"Ipv6PrefixSet":[]}`, `"ServiceID":0`, `"RequestId":"`} {
		if !strings.Contains(raw, want) {
			t.Fatalf("create body lacks %s: %s", want, raw)
		}
	}
	if got := niUsed(env, "vsw-mockh"); got != before+3 {
		t.Fatalf("vsw-mockh used %d addresses, want %d", got, before+3)
	}

	e := niMustGet(t, env, resp.NetworkInterfaceId)
	if e.Status != "Available" || e.InstanceId != "" || !e.DeleteOnRelease || e.NetworkInterfaceTrafficMode != "Standard" ||
		e.QueueNumber != 0 || e.Attachment.InstanceId != "" || e.Attachment.AttachedTime != "" {
		t.Fatalf("described ENI %+v", e)
	}
	if _, err := time.Parse("2006-01-02T15:04:05Z", e.CreationTime); err != nil {
		t.Fatalf("CreationTime %q: %v", e.CreationTime, err)
	}
	if got := niIPs(e); strings.Join(got, ",") != "10.1.0.4,10.1.0.5,10.1.0.6" {
		t.Fatalf("described IPs %v", got)
	}
}

func TestENICreateExplicitIPs(t *testing.T) {
	env := startEnv(t, nil)
	// PrivateIpAddress.N names the lowest free address while the primary
	// is automatic: the explicit one must not be handed to the primary.
	resp := niCreate(t, env, func(r *ecs.CreateNetworkInterfaceRequest) {
		r.PrivateIpAddress = &[]string{"10.1.0.4", "10.1.0.20"}
	})
	if resp.PrivateIpAddress != "10.1.0.5" {
		t.Fatalf("automatic primary %s, want 10.1.0.5", resp.PrivateIpAddress)
	}
	e := niMustGet(t, env, resp.NetworkInterfaceId)
	if got := strings.Join(niIPs(e), ","); got != "10.1.0.5,10.1.0.4,10.1.0.20" {
		t.Fatalf("IPs %s", got)
	}
	resp = niCreate(t, env, func(r *ecs.CreateNetworkInterfaceRequest) {
		r.PrimaryIpAddress = "10.1.0.100"
		r.PrivateIpAddress = &[]string{"10.1.0.101"}
	})
	if got := strings.Join(niIPs(niMustGet(t, env, resp.NetworkInterfaceId)), ","); got != "10.1.0.100,10.1.0.101" {
		t.Fatalf("IPs %s", got)
	}

	used := niUsed(env, "vsw-mockh")
	cases := []struct {
		name   string
		mut    func(*ecs.CreateNetworkInterfaceRequest)
		code   string
		status int
	}{
		{"malformed primary", func(r *ecs.CreateNetworkInterfaceRequest) { r.PrimaryIpAddress = "10.1.0" }, "InvalidIpAddress.Malformed", 400},
		{"malformed secondary", func(r *ecs.CreateNetworkInterfaceRequest) { r.PrivateIpAddress = &[]string{"x"} }, "InvalidIpAddress.Malformed", 400},
		{"outside CIDR", func(r *ecs.CreateNetworkInterfaceRequest) { r.PrimaryIpAddress = "10.2.0.9" }, "InvalidVSwitchId.IpInvalid", 403},
		{"network address", func(r *ecs.CreateNetworkInterfaceRequest) { r.PrimaryIpAddress = "10.1.0.0" }, "InvalidVSwitchId.IpInvalid", 403},
		{"last reserved", func(r *ecs.CreateNetworkInterfaceRequest) { r.PrivateIpAddress = &[]string{"10.1.0.253"} }, "InvalidVSwitchId.IpInvalid", 403},
		{"taken", func(r *ecs.CreateNetworkInterfaceRequest) { r.PrimaryIpAddress = "10.1.0.1" }, "InvalidPrivateIpAddress.Duplicated", 400},
		{"taken secondary", func(r *ecs.CreateNetworkInterfaceRequest) { r.PrivateIpAddress = &[]string{"10.1.0.50", "10.1.0.100"} }, "InvalidPrivateIpAddress.Duplicated", 400},
		{"repeated", func(r *ecs.CreateNetworkInterfaceRequest) { r.PrivateIpAddress = &[]string{"10.1.0.50", "10.1.0.50"} }, "InvalidIp.IpRepeated", 403},
		{"primary repeated", func(r *ecs.CreateNetworkInterfaceRequest) {
			r.PrimaryIpAddress = "10.1.0.50"
			r.PrivateIpAddress = &[]string{"10.1.0.50"}
		}, "InvalidIp.IpRepeated", 403},
		{"list and count", func(r *ecs.CreateNetworkInterfaceRequest) {
			r.PrivateIpAddress = &[]string{"10.1.0.50"}
			r.SecondaryPrivateIpAddressCount = requests.NewInteger(1)
		}, "InvalidParameter.Conflict", 400},
		{"count too high", func(r *ecs.CreateNetworkInterfaceRequest) { r.SecondaryPrivateIpAddressCount = requests.NewInteger(11) }, "InvalidParameter", 400},
		{"eleven addresses", func(r *ecs.CreateNetworkInterfaceRequest) {
			var l []string
			for i := 0; i < 11; i++ {
				l = append(l, fmt.Sprintf("10.1.0.%d", 150+i))
			}
			r.PrivateIpAddress = &l
		}, "InvalidParameter", 400},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			wantCode(t, niCreateErr(env, tc.mut), tc.code, tc.status)
		})
	}
	if got := niUsed(env, "vsw-mockh"); got != used {
		t.Fatalf("refused creates changed the used addresses: %d, want %d", got, used)
	}
}

// niOtherVPCSeed adds a second VPC with a vSwitch, a security group and a
// running instance, a stopped g7 instance, and an instance type with two
// network cards.
func niOtherVPCSeed() *Seed {
	return niSeed(func(s *Seed) {
		s.VPCs = append(s.VPCs, SeedVPC{VPCID: "vpc-mock2", CIDRBlock: "172.16.0.0/12"})
		s.VSwitches = append(s.VSwitches, SeedVSwitch{VSwitchID: "vsw-other", VPCID: "vpc-mock2", ZoneID: "cn-hangzhou-h", CIDRBlock: "172.16.0.0/24"})
		s.SecurityGroups = append(s.SecurityGroups, SeedSecurityGroup{SecurityGroupID: "sg-other", VPCID: "vpc-mock2"})
		s.InstanceTypes = append(s.InstanceTypes,
			SeedInstanceType{InstanceTypeID: "ecs.g7.8xlarge", ENIQuantity: 8, ENIPrivateIPAddressQuantity: 20, NetworkCardQuantity: 2},
			SeedInstanceType{InstanceTypeID: "ecs.g5.large", ENIQuantity: 2, ENIPrivateIPAddressQuantity: 6})
		s.Instances = append(s.Instances,
			SeedInstance{InstanceID: "i-other", InstanceType: "ecs.g7.large", VSwitchID: "vsw-other", SecurityGroupIDs: []string{"sg-other"}, Status: "Running"},
			SeedInstance{InstanceID: "i-stopped", InstanceType: "ecs.g7.large", VSwitchID: "vsw-mockh", SecurityGroupIDs: []string{"sg-mockweb"}, Status: "Stopped"},
			SeedInstance{InstanceID: "i-cards", InstanceType: "ecs.g7.8xlarge", VSwitchID: "vsw-mockh", SecurityGroupIDs: []string{"sg-mockweb"}, Status: "Running"},
			SeedInstance{InstanceID: "i-g5", InstanceType: "ecs.g5.large", VSwitchID: "vsw-mockh", SecurityGroupIDs: []string{"sg-mockweb"}, Status: "Running"})
	})
}

func TestENICreateValidation(t *testing.T) {
	env := startEnv(t, niOtherVPCSeed())
	long := strings.Repeat("a", 129)
	cases := []struct {
		name   string
		mut    func(*ecs.CreateNetworkInterfaceRequest)
		code   string
		status int
	}{
		{"no vswitch", func(r *ecs.CreateNetworkInterfaceRequest) { r.VSwitchId = "" }, "MissingParameter", 400},
		{"unknown vswitch", func(r *ecs.CreateNetworkInterfaceRequest) { r.VSwitchId = "vsw-nope" }, "InvalidVSwitchId.NotFound", 404},
		{"both group params", func(r *ecs.CreateNetworkInterfaceRequest) { r.SecurityGroupIds = &[]string{"sg-mockdb"} }, "InvalidParameter.Conflict", 400},
		{"no group", func(r *ecs.CreateNetworkInterfaceRequest) { r.SecurityGroupId = "" }, "MissingParameter", 400},
		{"six groups", func(r *ecs.CreateNetworkInterfaceRequest) {
			r.SecurityGroupId = ""
			r.SecurityGroupIds = &[]string{"sg-mockweb", "sg-mockdb", "sg-mockweb", "sg-mockdb", "sg-mockweb", "sg-mockdb"}
		}, "InvalidParameter", 400},
		{"unknown group", func(r *ecs.CreateNetworkInterfaceRequest) { r.SecurityGroupId = "sg-nope" }, "InvalidSecurityGroupId.NotFound", 404},
		{"unknown group in list", func(r *ecs.CreateNetworkInterfaceRequest) {
			r.SecurityGroupId = ""
			r.SecurityGroupIds = &[]string{"sg-mockweb", "sg-nope"}
		}, "InvalidSecurityGroupId.NotFound", 404},
		{"group of other VPC", func(r *ecs.CreateNetworkInterfaceRequest) { r.SecurityGroupId = "sg-other" }, "InvalidOperation.VpcMismatch", 403},
		{"name too short", func(r *ecs.CreateNetworkInterfaceRequest) { r.NetworkInterfaceName = "a" }, "InvalidNetworkInterfaceName.Malformed", 400},
		{"name too long", func(r *ecs.CreateNetworkInterfaceRequest) { r.NetworkInterfaceName = long }, "InvalidNetworkInterfaceName.Malformed", 400},
		{"name starts with digit", func(r *ecs.CreateNetworkInterfaceRequest) { r.NetworkInterfaceName = "1eni" }, "InvalidNetworkInterfaceName.Malformed", 400},
		{"name is a URL", func(r *ecs.CreateNetworkInterfaceRequest) { r.NetworkInterfaceName = "https://x" }, "InvalidNetworkInterfaceName.Malformed", 400},
		{"description too short", func(r *ecs.CreateNetworkInterfaceRequest) { r.Description = "d" }, "InvalidDescription.Malformed", 400},
		{"description too long", func(r *ecs.CreateNetworkInterfaceRequest) { r.Description = strings.Repeat("d", 257) }, "InvalidDescription.Malformed", 400},
		{"description is a URL", func(r *ecs.CreateNetworkInterfaceRequest) { r.Description = "http://example.com" }, "InvalidDescription.Malformed", 400},
		{"queue zero", func(r *ecs.CreateNetworkInterfaceRequest) { r.QueueNumber = "0" }, "InvalidParameter", 400},
		{"queue too high", func(r *ecs.CreateNetworkInterfaceRequest) { r.QueueNumber = "65" }, "InvalidParameter", 400},
		{"queue conflict", func(r *ecs.CreateNetworkInterfaceRequest) {
			r.QueueNumber = "2"
			r.NetworkInterfaceTrafficConfig.QueueNumber = "4"
		}, "InvalidParameter.Conflict", 400},
		{"bad traffic mode", func(r *ecs.CreateNetworkInterfaceRequest) { r.NetworkInterfaceTrafficMode = "Fast" }, "InvalidParameter", 400},
		{"bad traffic mode in config", func(r *ecs.CreateNetworkInterfaceRequest) {
			r.NetworkInterfaceTrafficConfig.NetworkInterfaceTrafficMode = "Fast"
		}, "InvalidParameter", 400},
		{"trunk", func(r *ecs.CreateNetworkInterfaceRequest) { r.InstanceType = "Trunk" }, "InvalidParameter", 400},
		{"bad DeleteOnRelease", func(r *ecs.CreateNetworkInterfaceRequest) { r.DeleteOnRelease = "maybe" }, "InvalidParameter", 400},
		{"bad tag key", func(r *ecs.CreateNetworkInterfaceRequest) {
			r.Tag = &[]ecs.CreateNetworkInterfaceTag{{Key: "aliyun:x", Value: "v"}}
		}, "InvalidTagKey.Malformed", 400},
		{"duplicate tag key", func(r *ecs.CreateNetworkInterfaceRequest) {
			r.Tag = &[]ecs.CreateNetworkInterfaceTag{{Key: "k", Value: "1"}, {Key: "k", Value: "2"}}
		}, "Duplicate.TagKey", 400},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			wantCode(t, niCreateErr(env, tc.mut), tc.code, tc.status)
		})
	}
	resp := niDescribe(t, env, func(r *ecs.DescribeNetworkInterfacesRequest) { r.Type = "Secondary" })
	if resp.TotalCount != 0 {
		t.Fatalf("refused creates left %d ENIs", resp.TotalCount)
	}

	// Valid variants: several groups, non-Latin name, every option.
	ok := niCreate(t, env, func(r *ecs.CreateNetworkInterfaceRequest) {
		r.SecurityGroupId = ""
		r.SecurityGroupIds = &[]string{"sg-mockweb", "sg-mockdb"}
		r.NetworkInterfaceName = "网卡-1"
		r.DeleteOnRelease = requests.NewBoolean(false)
		r.NetworkInterfaceTrafficConfig.QueueNumber = "4"
		r.NetworkInterfaceTrafficConfig.NetworkInterfaceTrafficMode = "HighPerformance"
		r.InstanceType = "Secondary"
	})
	e := niMustGet(t, env, ok.NetworkInterfaceId)
	if e.DeleteOnRelease || e.QueueNumber != 4 || e.NetworkInterfaceTrafficMode != "HighPerformance" ||
		e.NetworkInterfaceName != "网卡-1" || len(e.SecurityGroupIds.SecurityGroupId) != 2 {
		t.Fatalf("ENI %+v", e)
	}
	ok = niCreate(t, env, func(r *ecs.CreateNetworkInterfaceRequest) { r.QueueNumber = "8" })
	if e := niMustGet(t, env, ok.NetworkInterfaceId); e.QueueNumber != 8 || e.NetworkInterfaceTrafficMode != "Standard" {
		t.Fatalf("ENI %+v", e)
	}
}

func TestENICreateQuota(t *testing.T) {
	env := startEnv(t, niSeed(func(s *Seed) { s.Quotas.MaxNetworkInterfaces = 2 }))
	niCreate(t, env)
	niCreate(t, env)
	wantCode(t, niCreateErr(env), "MaxEniCountExceeded", 403)
}

func TestENICreateIPNotEnough(t *testing.T) {
	// A /29 has 8 addresses, 4 of them reserved.
	env := startEnv(t, niSeed(func(s *Seed) {
		s.VSwitches = append(s.VSwitches, SeedVSwitch{VSwitchID: "vsw-tiny", VPCID: "vpc-mock1", ZoneID: "cn-hangzhou-h", CIDRBlock: "10.3.0.0/29"})
	}))
	tiny := func(count int) func(*ecs.CreateNetworkInterfaceRequest) {
		return func(r *ecs.CreateNetworkInterfaceRequest) {
			r.VSwitchId = "vsw-tiny"
			if count > 0 {
				r.SecondaryPrivateIpAddressCount = requests.NewInteger(count)
			}
		}
	}
	wantCode(t, niCreateErr(env, tiny(4)), "InvalidVSwitchId.IpNotEnough", 403)
	if n := niUsed(env, "vsw-tiny"); n != 0 {
		t.Fatalf("a refused create allocated %d addresses", n)
	}
	resp := niCreate(t, env, tiny(3))
	if got := strings.Join(niIPs(niMustGet(t, env, resp.NetworkInterfaceId)), ","); got != "10.3.0.1,10.3.0.2,10.3.0.3,10.3.0.4" {
		t.Fatalf("IPs %s", got)
	}
	err := niCreateErr(env, tiny(0))
	wantCode(t, err, "InvalidVSwitchId.IpNotEnough", 403)
	niWantMsg(t, err, "vsw-tiny")
	// Deleting returns the addresses (the next call settles the delete).
	mustOK(t, niDelete(env, resp.NetworkInterfaceId))
	niGet(t, env, resp.NetworkInterfaceId)
	if n := niUsed(env, "vsw-tiny"); n != 0 {
		t.Fatalf("delete left %d addresses used", n)
	}
	niCreate(t, env, tiny(0))
}

func TestENIClientToken(t *testing.T) {
	env := startEnv(t, nil)
	withToken := func(name string) func(*ecs.CreateNetworkInterfaceRequest) {
		return func(r *ecs.CreateNetworkInterfaceRequest) {
			r.ClientToken = "token-123"
			r.NetworkInterfaceName = name
		}
	}
	first := niCreate(t, env, withToken("same"))
	again := niCreate(t, env, withToken("same"))
	if first.NetworkInterfaceId != again.NetworkInterfaceId || first.PrivateIpAddress != again.PrivateIpAddress {
		t.Fatalf("replay made %s, first %s", again.NetworkInterfaceId, first.NetworkInterfaceId)
	}
	if first.RequestId == again.RequestId {
		t.Fatal("a replayed response must carry a new RequestId")
	}
	resp := niDescribe(t, env, func(r *ecs.DescribeNetworkInterfacesRequest) { r.Type = "Secondary" })
	if resp.TotalCount != 1 {
		t.Fatalf("%d secondary ENIs after a replay, want 1", resp.TotalCount)
	}
	wantCode(t, niCreateErr(env, withToken("other")), "IdempotentParameterMismatch", 400)
	// A different token creates another ENI.
	other := niCreate(t, env, func(r *ecs.CreateNetworkInterfaceRequest) { r.ClientToken = "token-456" })
	if other.NetworkInterfaceId == first.NetworkInterfaceId {
		t.Fatal("a new token returned the old ENI")
	}
}

// --- DeleteNetworkInterface ---------------------------------------------

func TestENIDelete(t *testing.T) {
	env := startEnv(t, nil)
	used := niUsed(env, "vsw-mockh")
	resp := niCreate(t, env, func(r *ecs.CreateNetworkInterfaceRequest) { r.SecondaryPrivateIpAddressCount = "2" })
	mustOK(t, niDelete(env, resp.NetworkInterfaceId))
	// Delay zero: the very next call finds it gone.
	if e := niGet(t, env, resp.NetworkInterfaceId); e != nil {
		t.Fatalf("deleted ENI still listed: %+v", e)
	}
	if got := niUsed(env, "vsw-mockh"); got != used {
		t.Fatalf("used addresses %d after delete, want %d", got, used)
	}
	wantCode(t, niDelete(env, resp.NetworkInterfaceId), "InvalidEniId.NotFound", 404)
	wantCode(t, niDelete(env, "i-mockweb1"), "InvalidParams.EniId", 400)
	wantCode(t, niDelete(env, ""), "MissingParameter", 400)

	primary := niDescribe(t, env, func(r *ecs.DescribeNetworkInterfacesRequest) { r.InstanceId = "i-mockweb1" })
	wantCode(t, niDelete(env, primary.NetworkInterfaceSets.NetworkInterfaceSet[0].NetworkInterfaceId), "InvalidOperation.InvalidEniType", 403)

	inUse := niCreate(t, env)
	mustOK(t, niAttach(env, inUse.NetworkInterfaceId, "i-mockweb1"))
	err := niDelete(env, inUse.NetworkInterfaceId)
	wantCode(t, err, "InvalidOperation.InvalidEniState", 400)
	niWantMsg(t, err, "i-mockweb1")

	withEIP := niCreate(t, env)
	niBindEIP(env, "eip-mock2", withEIP.NetworkInterfaceId, withEIP.PrivateIpAddress, domain.EIPModeNAT)
	err = niDelete(env, withEIP.NetworkInterfaceId)
	wantCode(t, err, "InvalidOperation.InvalidEniState", 400)
	niWantMsg(t, err, "eip-mock2")
}

func TestENIDeleteDelayed(t *testing.T) {
	env := startEnv(t, nil, withDelay(time.Hour))
	resp := niCreate(t, env)
	mustOK(t, niDelete(env, resp.NetworkInterfaceId))
	if e := niMustGet(t, env, resp.NetworkInterfaceId); e.Status != "Deleting" {
		t.Fatalf("status %s, want Deleting", e.Status)
	}
	wantCode(t, niDelete(env, resp.NetworkInterfaceId), "InvalidOperation.InvalidEniState", 400)
	wantCode(t, niAttach(env, resp.NetworkInterfaceId, "i-mockweb1"), "InvalidOperation.InvalidEniState", 400)
	mustOK(t, env.srv.Settle())
	if e := niGet(t, env, resp.NetworkInterfaceId); e != nil {
		t.Fatalf("ENI still listed after settle: %+v", e)
	}
}

// --- DescribeNetworkInterfaces ------------------------------------------

func TestENIDescribeFilters(t *testing.T) {
	env := startEnv(t, nil)
	a := niCreate(t, env, func(r *ecs.CreateNetworkInterfaceRequest) {
		r.NetworkInterfaceName = "alpha"
		r.SecondaryPrivateIpAddressCount = "1"
		r.Tag = &[]ecs.CreateNetworkInterfaceTag{{Key: "env", Value: "prod"}, {Key: "app", Value: "web"}}
		r.ResourceGroupId = "rg-a"
	})
	b := niCreate(t, env, func(r *ecs.CreateNetworkInterfaceRequest) {
		r.VSwitchId = "vsw-mocki"
		r.SecurityGroupId = "sg-mockdb"
		r.NetworkInterfaceName = "beta"
		r.Tag = &[]ecs.CreateNetworkInterfaceTag{{Key: "env", Value: "dev"}}
	})
	c := niCreate(t, env, func(r *ecs.CreateNetworkInterfaceRequest) { r.NetworkInterfaceName = "gamma" })
	mustOK(t, niAttach(env, c.NetworkInterfaceId, "i-mockweb1"))
	aSecondary := niMustGet(t, env, a.NetworkInterfaceId).PrivateIpSets.PrivateIpSet[1].PrivateIpAddress

	ids := func(mut func(*ecs.DescribeNetworkInterfacesRequest)) string {
		return strings.Join(niIDs(niDescribe(t, env, mut)), ",")
	}
	secondary := func(mut func(*ecs.DescribeNetworkInterfacesRequest)) func(*ecs.DescribeNetworkInterfacesRequest) {
		return func(r *ecs.DescribeNetworkInterfacesRequest) {
			r.Type = "Secondary"
			mut(r)
		}
	}
	join := func(l ...string) string { return strings.Join(l, ",") }
	A, B, C := a.NetworkInterfaceId, b.NetworkInterfaceId, c.NetworkInterfaceId

	checks := []struct {
		name string
		mut  func(*ecs.DescribeNetworkInterfacesRequest)
		want string
	}{
		{"ids in creation order", func(r *ecs.DescribeNetworkInterfacesRequest) {
			r.NetworkInterfaceId = &[]string{C, "eni-unknown", A, A}
		}, join(A, C)},
		{"unknown ids", func(r *ecs.DescribeNetworkInterfacesRequest) { r.NetworkInterfaceId = &[]string{"eni-unknown"} }, ""},
		{"all secondary", secondary(func(*ecs.DescribeNetworkInterfacesRequest) {}), join(A, B, C)},
		{"vswitch", secondary(func(r *ecs.DescribeNetworkInterfacesRequest) { r.VSwitchId = "vsw-mocki" }), B},
		{"vpc", secondary(func(r *ecs.DescribeNetworkInterfacesRequest) { r.VpcId = "vpc-mock1" }), join(A, B, C)},
		{"unknown vpc", func(r *ecs.DescribeNetworkInterfacesRequest) { r.VpcId = "vpc-nope" }, ""},
		{"security group", secondary(func(r *ecs.DescribeNetworkInterfacesRequest) { r.SecurityGroupId = "sg-mockdb" }), B},
		{"status", secondary(func(r *ecs.DescribeNetworkInterfacesRequest) { r.Status = "InUse" }), C},
		{"name", func(r *ecs.DescribeNetworkInterfacesRequest) { r.NetworkInterfaceName = "beta" }, B},
		{"primary ip", func(r *ecs.DescribeNetworkInterfacesRequest) { r.PrimaryIpAddress = a.PrivateIpAddress }, A},
		{"private ip (secondary)", func(r *ecs.DescribeNetworkInterfacesRequest) { r.PrivateIpAddress = &[]string{aSecondary, "10.9.9.9"} }, A},
		{"tag key only", func(r *ecs.DescribeNetworkInterfacesRequest) {
			r.Tag = &[]ecs.DescribeNetworkInterfacesTag{{Key: "env"}}
		}, join(A, B)},
		{"tag key and value", func(r *ecs.DescribeNetworkInterfacesRequest) {
			r.Tag = &[]ecs.DescribeNetworkInterfacesTag{{Key: "env", Value: "dev"}}
		}, B},
		{"every tag must match", func(r *ecs.DescribeNetworkInterfacesRequest) {
			r.Tag = &[]ecs.DescribeNetworkInterfacesTag{{Key: "env", Value: "prod"}, {Key: "app", Value: "db"}}
		}, ""},
		{"two tags match", func(r *ecs.DescribeNetworkInterfacesRequest) {
			r.Tag = &[]ecs.DescribeNetworkInterfacesTag{{Key: "env", Value: "prod"}, {Key: "app"}}
		}, A},
		{"resource group", func(r *ecs.DescribeNetworkInterfacesRequest) { r.ResourceGroupId = "rg-a" }, A},
	}
	for _, tc := range checks {
		t.Run(tc.name, func(t *testing.T) {
			if got := ids(tc.mut); got != tc.want {
				t.Fatalf("got %q, want %q", got, tc.want)
			}
		})
	}

	// InstanceId: the primary ENI and the attached one, primary first.
	got := niDescribe(t, env, func(r *ecs.DescribeNetworkInterfacesRequest) { r.InstanceId = "i-mockweb1" })
	if set := got.NetworkInterfaceSets.NetworkInterfaceSet; len(set) != 2 || set[0].Type != "Primary" || set[1].NetworkInterfaceId != C ||
		set[0].Attachment.DeviceIndex != 0 || set[1].Attachment.DeviceIndex != 1 || set[1].Attachment.InstanceId != "i-mockweb1" {
		t.Fatalf("by instance: %+v", set)
	}
	prim := niDescribe(t, env, func(r *ecs.DescribeNetworkInterfacesRequest) { r.Type = "Primary" })
	if prim.TotalCount != 4 {
		t.Fatalf("%d primary ENIs, want 4", prim.TotalCount)
	}
	for _, e := range prim.NetworkInterfaceSets.NetworkInterfaceSet {
		if e.Status != "InUse" || e.InstanceId == "" {
			t.Fatalf("primary ENI %+v", e)
		}
	}
	niNoNulls(t, got.GetHttpContentString())

	for _, mut := range []func(*ecs.DescribeNetworkInterfacesRequest){
		func(r *ecs.DescribeNetworkInterfacesRequest) { r.Type = "Trunk" },
		func(r *ecs.DescribeNetworkInterfacesRequest) { r.Status = "Gone" },
		func(r *ecs.DescribeNetworkInterfacesRequest) {
			l := make([]string, 101)
			for i := range l {
				l[i] = fmt.Sprintf("eni-%d", i)
			}
			r.NetworkInterfaceId = &l
		},
	} {
		req := ecs.CreateDescribeNetworkInterfacesRequest()
		mut(req)
		_, err := env.ecs.DescribeNetworkInterfaces(req)
		wantCode(t, err, "InvalidParameter", 400)
	}
}

func TestENIDescribePaging(t *testing.T) {
	env := startEnv(t, nil)
	var created []string
	for i := 0; i < 25; i++ {
		created = append(created, niCreate(t, env).NetworkInterfaceId)
	}
	secondary := func(r *ecs.DescribeNetworkInterfacesRequest) { r.Type = "Secondary" }

	def := niDescribe(t, env, secondary)
	if def.TotalCount != 25 || def.PageNumber != 1 || def.PageSize != 10 || len(def.NetworkInterfaceSets.NetworkInterfaceSet) != 10 {
		t.Fatalf("default page: total %d number %d size %d items %d", def.TotalCount, def.PageNumber, def.PageSize, len(def.NetworkInterfaceSets.NetworkInterfaceSet))
	}
	var paged []string
	for page := 1; page <= 3; page++ {
		resp := niDescribe(t, env, func(r *ecs.DescribeNetworkInterfacesRequest) {
			secondary(r)
			r.PageNumber = requests.NewInteger(page)
			r.PageSize = "10"
		})
		want := []int{10, 10, 5}[page-1]
		if len(resp.NetworkInterfaceSets.NetworkInterfaceSet) != want || resp.TotalCount != 25 || resp.PageNumber != page || resp.NextToken != "" {
			t.Fatalf("page %d: %d items, total %d, number %d", page, len(resp.NetworkInterfaceSets.NetworkInterfaceSet), resp.TotalCount, resp.PageNumber)
		}
		paged = append(paged, niIDs(resp)...)
	}
	if strings.Join(paged, ",") != strings.Join(created, ",") {
		t.Fatal("page mode does not list in creation order")
	}
	beyond := niDescribe(t, env, func(r *ecs.DescribeNetworkInterfacesRequest) { secondary(r); r.PageNumber = "4" })
	if len(beyond.NetworkInterfaceSets.NetworkInterfaceSet) != 0 || beyond.TotalCount != 25 {
		t.Fatalf("page past the end: %+v", beyond)
	}
	niNoNulls(t, beyond.GetHttpContentString())

	var tokened []string
	token, calls := "", 0
	for {
		resp := niDescribe(t, env, func(r *ecs.DescribeNetworkInterfacesRequest) {
			secondary(r)
			r.MaxResults = "10"
			r.NextToken = token
		})
		calls++
		tokened = append(tokened, niIDs(resp)...)
		token = resp.NextToken
		if token == "" {
			break
		}
		if calls > 5 {
			t.Fatal("NextToken never ends")
		}
	}
	if calls != 3 || strings.Join(tokened, ",") != strings.Join(created, ",") {
		t.Fatalf("token mode: %d calls, %d items", calls, len(tokened))
	}
	// NextToken mode with a large page.
	all := niDescribe(t, env, func(r *ecs.DescribeNetworkInterfacesRequest) { r.MaxResults = "500" })
	if len(all.NetworkInterfaceSets.NetworkInterfaceSet) != 29 || all.NextToken != "" {
		t.Fatalf("MaxResults 500: %d items, token %q", len(all.NetworkInterfaceSets.NetworkInterfaceSet), all.NextToken)
	}
	for _, mut := range []func(*ecs.DescribeNetworkInterfacesRequest){
		func(r *ecs.DescribeNetworkInterfacesRequest) { r.PageSize = "101" },
		func(r *ecs.DescribeNetworkInterfacesRequest) { r.PageNumber = "0" },
		func(r *ecs.DescribeNetworkInterfacesRequest) { r.MaxResults = "501" },
		func(r *ecs.DescribeNetworkInterfacesRequest) { r.NextToken = "not-a-token" },
	} {
		req := ecs.CreateDescribeNetworkInterfacesRequest()
		mut(req)
		_, err := env.ecs.DescribeNetworkInterfaces(req)
		wantCode(t, err, "InvalidParameter", 400)
	}
}

func TestENIInvisibleAfterCreate(t *testing.T) {
	// The clock moves two minutes on after the seed is built, so the
	// seeded ENIs are older than the invisibility window.
	var shift atomic.Int64
	env := startEnv(t, nil, func(o *Options) {
		o.Now = func() time.Time { return time.Now().Add(time.Duration(shift.Load())) }
	})
	shift.Store(int64(2 * time.Minute))
	env.srv.SetFaults(Faults{InvisibleAfterCreateMS: 60000})
	resp := niCreate(t, env)
	if e := niGet(t, env, resp.NetworkInterfaceId); e != nil {
		t.Fatal("a just-created ENI is visible despite the fault")
	}
	all := niDescribe(t, env, func(r *ecs.DescribeNetworkInterfacesRequest) { r.PageSize = "100" })
	if all.TotalCount != 4 {
		t.Fatalf("%d ENIs listed, want the 4 seeded ones", all.TotalCount)
	}
	req := ecs.CreateDescribeNetworkInterfaceAttributeRequest()
	req.NetworkInterfaceId = resp.NetworkInterfaceId
	_, err := env.ecs.DescribeNetworkInterfaceAttribute(req)
	wantCode(t, err, "InvalidEniId.NotFound", 404)
	env.srv.SetFaults(Faults{})
	niMustGet(t, env, resp.NetworkInterfaceId)
}

// --- DescribeNetworkInterfaceAttribute ----------------------------------

func TestENIDescribeAttribute(t *testing.T) {
	env := startEnv(t, nil)
	resp := niCreate(t, env, func(r *ecs.CreateNetworkInterfaceRequest) {
		r.NetworkInterfaceName = "attr"
		r.QueueNumber = "2"
		r.SecondaryPrivateIpAddressCount = "1"
		r.Tag = &[]ecs.CreateNetworkInterfaceTag{{Key: "k", Value: "v"}}
	})
	mustOK(t, niAttach(env, resp.NetworkInterfaceId, "i-mockweb2"))
	niBindEIP(env, "eip-mock3", resp.NetworkInterfaceId, resp.PrivateIpSets.PrivateIpSet[1].PrivateIpAddress, domain.EIPModeNAT)

	req := ecs.CreateDescribeNetworkInterfaceAttributeRequest()
	req.NetworkInterfaceId = resp.NetworkInterfaceId
	req.Attribute = "attachment"
	a, err := env.ecs.DescribeNetworkInterfaceAttribute(req)
	mustOK(t, err)
	if a.NetworkInterfaceId != resp.NetworkInterfaceId || a.Status != "InUse" || a.InstanceId != "i-mockweb2" ||
		a.NetworkInterfaceName != "attr" || a.OwnerId != "1234567890123456" || a.QueueNumber != 2 ||
		a.NetworkInterfaceTrafficConfig.QueueNumber != 2 || a.NetworkInterfaceTrafficConfig.NetworkInterfaceTrafficMode != "Standard" ||
		a.Attachment.InstanceId != "i-mockweb2" || a.Attachment.DeviceIndex != 1 || a.Attachment.AttachedTime == "" ||
		len(a.Tags.Tag) != 1 || a.Tags.Tag[0].TagKey != "k" {
		t.Fatalf("attribute %+v", a)
	}
	if a.AssociatedPublicIp.AllocationId != "" {
		t.Fatalf("primary IP has no EIP, got %+v", a.AssociatedPublicIp)
	}
	if pub := a.PrivateIpSets.PrivateIpSet[1].AssociatedPublicIp; pub.AllocationId != "eip-mock3" || pub.PublicIpAddress != "47.96.0.12" {
		t.Fatalf("secondary IP EIP %+v", pub)
	}
	raw := a.GetHttpContentString()
	niNoNulls(t, raw)
	var m map[string]any
	if err := json.Unmarshal([]byte(raw), &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"NetworkInterfaceTrafficConfig", "EnhancedNetwork", "ConnectionTrackingConfiguration", "Attachment",
		"SecurityGroupIds", "PrivateIpSets", "Ipv6Sets", "Ipv4PrefixSets", "Ipv6PrefixSets", "Tags", "AssociatedPublicIp", "RequestId"} {
		if _, ok := m[k]; !ok {
			t.Fatalf("attribute body lacks %s", k)
		}
	}
	att, ok := m["Attachment"].(map[string]any)
	if !ok {
		t.Fatalf("Attachment is %T, not an object", m["Attachment"])
	}
	ids, ok := att["MemberNetworkInterfaceIds"].(map[string]any)
	if !ok {
		t.Fatalf("Attachment.MemberNetworkInterfaceIds is %T, not an object", att["MemberNetworkInterfaceIds"])
	}
	if ids["MemberNetworkInterfaceId"] == nil {
		t.Fatal("MemberNetworkInterfaceIds.MemberNetworkInterfaceId missing")
	}

	req = ecs.CreateDescribeNetworkInterfaceAttributeRequest()
	req.NetworkInterfaceId = "eni-unknown"
	_, err = env.ecs.DescribeNetworkInterfaceAttribute(req)
	wantCode(t, err, "InvalidEniId.NotFound", 404)
	req = ecs.CreateDescribeNetworkInterfaceAttributeRequest()
	_, err = env.ecs.DescribeNetworkInterfaceAttribute(req)
	wantCode(t, err, "MissingParameter", 400)
}

func TestENIAssociatedPublicIP(t *testing.T) {
	env := startEnv(t, nil)
	resp := niCreate(t, env)
	niBindEIP(env, "eip-mock1", resp.NetworkInterfaceId, resp.PrivateIpAddress, domain.EIPModeNAT)
	e := niMustGet(t, env, resp.NetworkInterfaceId)
	if e.AssociatedPublicIp.AllocationId != "eip-mock1" || e.AssociatedPublicIp.PublicIpAddress != "47.96.0.10" ||
		e.PrivateIpSets.PrivateIpSet[0].AssociatedPublicIp.AllocationId != "eip-mock1" {
		t.Fatalf("ENI view %+v", e)
	}
	// An EIP on the instance shows on its primary ENI's primary IP.
	niState(env, func(st *state) {
		eip := st.EIPs["eip-mock2"]
		eip.Status, eip.InstanceID, eip.InstanceType = domain.EIPStatusInUse, "i-mockweb1", "EcsInstance"
	})
	prim := niDescribe(t, env, func(r *ecs.DescribeNetworkInterfacesRequest) { r.InstanceId = "i-mockweb1" })
	if pub := prim.NetworkInterfaceSets.NetworkInterfaceSet[0].AssociatedPublicIp; pub.AllocationId != "eip-mock2" {
		t.Fatalf("primary ENI public IP %+v", pub)
	}
	// Available EIPs are not shown.
	niState(env, func(st *state) { st.EIPs["eip-mock1"].Status = domain.EIPStatusAvailable })
	if e := niMustGet(t, env, resp.NetworkInterfaceId); e.AssociatedPublicIp.AllocationId != "" {
		t.Fatalf("available EIP still shown: %+v", e.AssociatedPublicIp)
	}
}

// --- ModifyNetworkInterfaceAttribute ------------------------------------

func TestENIModify(t *testing.T) {
	env := startEnv(t, niOtherVPCSeed(), withDelay(time.Hour))
	id := niCreate(t, env).NetworkInterfaceId
	mustOK(t, niModify(env, id, func(r *ecs.ModifyNetworkInterfaceAttributeRequest) {
		r.SecurityGroupId = &[]string{"sg-mockdb", "sg-mockweb"}
		r.NetworkInterfaceName = "renamed"
		r.Description = "New description"
		r.DeleteOnRelease = requests.NewBoolean(false)
		r.QueueNumber = "4"
		r.NetworkInterfaceTrafficConfig.NetworkInterfaceTrafficMode = "HighPerformance"
	}))
	e := niMustGet(t, env, id)
	if strings.Join(e.SecurityGroupIds.SecurityGroupId, ",") != "sg-mockdb,sg-mockweb" || e.NetworkInterfaceName != "renamed" ||
		e.Description != "New description" || e.DeleteOnRelease || e.QueueNumber != 4 || e.NetworkInterfaceTrafficMode != "HighPerformance" {
		t.Fatalf("modified ENI %+v", e)
	}
	mustOK(t, niModify(env, id, func(r *ecs.ModifyNetworkInterfaceAttributeRequest) {
		r.NetworkInterfaceTrafficConfig.QueueNumber = "6"
	}))
	if e := niMustGet(t, env, id); e.QueueNumber != 6 || e.NetworkInterfaceName != "renamed" {
		t.Fatalf("queue alias: %+v", e)
	}

	cases := []struct {
		name   string
		mut    func(*ecs.ModifyNetworkInterfaceAttributeRequest)
		code   string
		status int
	}{
		{"unknown group", func(r *ecs.ModifyNetworkInterfaceAttributeRequest) {
			r.NetworkInterfaceName = "ignored"
			r.SecurityGroupId = &[]string{"sg-nope"}
		}, "InvalidSecurityGroupId.NotFound", 404},
		{"group of other VPC", func(r *ecs.ModifyNetworkInterfaceAttributeRequest) {
			r.SecurityGroupId = &[]string{"sg-other"}
		}, "InvalidOperation.VpcMismatch", 403},
		{"six groups", func(r *ecs.ModifyNetworkInterfaceAttributeRequest) {
			r.SecurityGroupId = &[]string{"sg-mockweb", "sg-mockweb", "sg-mockweb", "sg-mockweb", "sg-mockweb", "sg-mockweb"}
		}, "InvalidParameter", 400},
		{"bad name", func(r *ecs.ModifyNetworkInterfaceAttributeRequest) { r.NetworkInterfaceName = "-x" }, "InvalidNetworkInterfaceName.Malformed", 400},
		{"bad description", func(r *ecs.ModifyNetworkInterfaceAttributeRequest) { r.Description = "https://x" }, "InvalidDescription.Malformed", 400},
		{"bad queue", func(r *ecs.ModifyNetworkInterfaceAttributeRequest) { r.QueueNumber = "100" }, "InvalidParameter", 400},
		{"bad mode", func(r *ecs.ModifyNetworkInterfaceAttributeRequest) {
			r.NetworkInterfaceTrafficConfig.NetworkInterfaceTrafficMode = "Turbo"
		}, "InvalidParameter", 400},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			wantCode(t, niModify(env, id, tc.mut), tc.code, tc.status)
		})
	}
	if e := niMustGet(t, env, id); e.NetworkInterfaceName != "renamed" {
		t.Fatal("a refused modify changed the name")
	}
	wantCode(t, niModify(env, "eni-unknown", func(r *ecs.ModifyNetworkInterfaceAttributeRequest) { r.Description = "Abc" }), "InvalidEniId.NotFound", 404)

	// Queue settings: primary ENI refused; bound to a Running instance
	// refused; bound to a Stopped instance allowed.
	prim := niDescribe(t, env, func(r *ecs.DescribeNetworkInterfacesRequest) { r.InstanceId = "i-mockweb1" }).NetworkInterfaceSets.NetworkInterfaceSet[0]
	wantCode(t, niModify(env, prim.NetworkInterfaceId, func(r *ecs.ModifyNetworkInterfaceAttributeRequest) { r.QueueNumber = "2" }),
		"InvalidOperation.InvalidEniState", 400)
	mustOK(t, niModify(env, prim.NetworkInterfaceId, func(r *ecs.ModifyNetworkInterfaceAttributeRequest) { r.Description = "Primary one" }))

	mustOK(t, niAttach(env, id, "i-mockweb1"))
	wantCode(t, niModify(env, id, func(r *ecs.ModifyNetworkInterfaceAttributeRequest) { r.QueueNumber = "2" }),
		"InvalidOperation.InvalidEniState", 400) // Attaching
	mustOK(t, env.srv.Settle())
	err := niModify(env, id, func(r *ecs.ModifyNetworkInterfaceAttributeRequest) { r.QueueNumber = "2" })
	wantCode(t, err, "InvalidOperation.InvalidEcsState", 400)
	niWantMsg(t, err, "i-mockweb1")
	mustOK(t, niModify(env, id, func(r *ecs.ModifyNetworkInterfaceAttributeRequest) { r.DeleteOnRelease = "true" }))

	stopped := niCreate(t, env).NetworkInterfaceId
	mustOK(t, niAttach(env, stopped, "i-stopped"))
	mustOK(t, env.srv.Settle())
	mustOK(t, niModify(env, stopped, func(r *ecs.ModifyNetworkInterfaceAttributeRequest) { r.QueueNumber = "3" }))
	if e := niMustGet(t, env, stopped); e.QueueNumber != 3 || e.Status != "InUse" {
		t.Fatalf("queue on stopped instance: %+v", e)
	}

	gone := niCreate(t, env).NetworkInterfaceId
	mustOK(t, niDelete(env, gone))
	wantCode(t, niModify(env, gone, func(r *ecs.ModifyNetworkInterfaceAttributeRequest) { r.Description = "Abc" }),
		"InvalidOperation.InvalidEniState", 400)
}

// --- AttachNetworkInterface / DetachNetworkInterface --------------------

func TestENIAttachDetachLifecycle(t *testing.T) {
	env := startEnv(t, nil, withDelay(time.Hour))
	a := niCreate(t, env).NetworkInterfaceId
	b := niCreate(t, env).NetworkInterfaceId

	mustOK(t, niAttach(env, a, "i-mockweb1"))
	e := niMustGet(t, env, a)
	if e.Status != "Attaching" || e.InstanceId != "i-mockweb1" || e.Attachment.DeviceIndex != 1 {
		t.Fatalf("after attach: %+v", e)
	}
	// Another attach to the same instance is queued, not refused; one to
	// another instance has its own queue.
	mustOK(t, niAttach(env, b, "i-mockweb2"))
	wantCode(t, niDetach(env, a, "i-mockweb1"), "InvalidOperation.InvalidEniState", 400)

	mustOK(t, env.srv.Settle())
	if e := niMustGet(t, env, a); e.Status != "InUse" {
		t.Fatalf("after settle: %s", e.Status)
	}
	wantCode(t, niAttach(env, a, "i-mockweb2"), "InvalidOperation.InvalidEniState", 400)

	mustOK(t, niDetach(env, a, "i-mockweb1"))
	if e := niMustGet(t, env, a); e.Status != "Detaching" || e.InstanceId != "i-mockweb1" {
		t.Fatalf("after detach: %+v", e)
	}
	mustOK(t, niDetach(env, a, "i-mockweb1")) // re-issue allowed
	// An attach during the detach is queued behind it; the detaching ENI
	// keeps its device index until it has left.
	c := niCreate(t, env).NetworkInterfaceId
	mustOK(t, niAttach(env, c, "i-mockweb1"))
	if e := niMustGet(t, env, c); e.Status != "Attaching" || e.Attachment.DeviceIndex != 2 {
		t.Fatalf("attach queued behind a detach: %+v", e)
	}
	mustOK(t, env.srv.Settle())
	e = niMustGet(t, env, a)
	if e.Status != "Available" || e.InstanceId != "" || e.Attachment.InstanceId != "" || e.Attachment.DeviceIndex != 0 {
		t.Fatalf("after detach settles: %+v", e)
	}
	if e := niMustGet(t, env, c); e.Status != "InUse" || e.InstanceId != "i-mockweb1" {
		t.Fatalf("queued attach after settle: %+v", e)
	}
}

func TestENIAttachImmediate(t *testing.T) {
	env := startEnv(t, niOtherVPCSeed())
	x := niCreate(t, env).NetworkInterfaceId
	y := niCreate(t, env).NetworkInterfaceId
	mustOK(t, niAttach(env, x, "i-mockweb1"))
	if e := niMustGet(t, env, x); e.Status != "InUse" {
		t.Fatalf("delay 0: status %s", e.Status)
	}
	mustOK(t, niAttach(env, y, "i-mockweb1"))
	if e := niMustGet(t, env, y); e.Attachment.DeviceIndex != 2 {
		t.Fatalf("second device index %d", e.Attachment.DeviceIndex)
	}
	// i-mockweb1 (ecs.g7.large) holds 3 ENIs now.
	z := niCreate(t, env).NetworkInterfaceId
	err := niAttach(env, z, "i-mockweb1")
	wantCode(t, err, "EniPerInstanceLimitExceeded", 403)
	niWantMsg(t, err, "3")
	// Freed device indexes are reused.
	mustOK(t, niDetach(env, x, "i-mockweb1"))
	mustOK(t, niAttach(env, z, "i-mockweb1"))
	if e := niMustGet(t, env, z); e.Attachment.DeviceIndex != 1 {
		t.Fatalf("reused device index %d", e.Attachment.DeviceIndex)
	}
	// Failover: the detached ENI goes to another instance of the zone.
	mustOK(t, niAttach(env, x, "i-mockweb2"))

	// Network cards: i-cards has two.
	cardENI := niCreate(t, env).NetworkInterfaceId
	req := ecs.CreateAttachNetworkInterfaceRequest()
	req.NetworkInterfaceId, req.InstanceId, req.NetworkCardIndex = cardENI, "i-mockweb2", "1"
	_, err = env.ecs.AttachNetworkInterface(req)
	wantCode(t, err, "InvalidParameter", 400)
	niWantMsg(t, err, "NetworkCardIndex")
	req = ecs.CreateAttachNetworkInterfaceRequest()
	req.NetworkInterfaceId, req.InstanceId, req.NetworkCardIndex = cardENI, "i-cards", "1"
	req.WaitForNetworkConfigurationReady = "true"
	_, err = env.ecs.AttachNetworkInterface(req)
	mustOK(t, err)
	if e := niMustGet(t, env, cardENI); e.Attachment.NetworkCardIndex != 1 {
		t.Fatalf("network card index %d", e.Attachment.NetworkCardIndex)
	}
}

func TestENIAttachErrors(t *testing.T) {
	seed := niOtherVPCSeed()
	env := startEnv(t, seed)
	eni := niCreate(t, env).NetworkInterfaceId
	prim := niDescribe(t, env, func(r *ecs.DescribeNetworkInterfacesRequest) { r.InstanceId = "i-mockweb2" }).NetworkInterfaceSets.NetworkInterfaceSet[0].NetworkInterfaceId

	wantCode(t, niAttach(env, "", "i-mockweb1"), "MissingParameter", 400)
	wantCode(t, niAttach(env, eni, ""), "MissingParameter", 400)
	wantCode(t, niAttach(env, "eni-unknown", "i-mockweb1"), "InvalidEniId.NotFound", 404)
	wantCode(t, niAttach(env, eni, "i-unknown"), "InvalidEcsId.NotFound", 404)
	wantCode(t, niAttach(env, prim, "i-mockweb1"), "InvalidOperation.InvalidEniType", 403)

	err := niAttach(env, eni, "i-mockburst")
	wantCode(t, err, "InvalidOperation.InvalidEcsState", 400)
	niWantMsg(t, err, "Stopped", "ecs.t6-c1m2.large")

	err = niAttach(env, eni, "i-mockdb1")
	wantCode(t, err, "InvalidOperation.AvailabilityZoneMismatch", 403)
	niWantMsg(t, err, "cn-hangzhou-h", "cn-hangzhou-i")

	wantCode(t, niAttach(env, eni, "i-other"), "InvalidOperation.VpcMismatch", 403)

	for _, status := range []string{"Stopping", "Starting", "Pending"} {
		niSetInstanceStatus(env, "i-mockweb1", status)
		wantCode(t, niAttach(env, eni, "i-mockweb1"), "InvalidOperation.InvalidEcsState", 400)
	}
	niSetInstanceStatus(env, "i-mockweb1", "Running")

	// MULTI_BINDED EIPs: only the listed families (g5 yes, g7 no).
	multi := niCreate(t, env).NetworkInterfaceId
	niBindEIP(env, "eip-mock1", multi, "", domain.EIPModeMultiBinded)
	err = niAttach(env, multi, "i-mockweb1")
	wantCode(t, err, "InvalidOperation.InstanceTypeNotSupport", 403)
	niWantMsg(t, err, "ecs.g7")
	mustOK(t, niAttach(env, multi, "i-g5"))

	// A cut-through (BINDED) ENI cannot be bound.
	binded := niCreate(t, env).NetworkInterfaceId
	niBindEIP(env, "eip-mock2", binded, "", domain.EIPModeBinded)
	wantCode(t, niAttach(env, binded, "i-mockweb1"), "InvalidOperation.InvalidEniState", 400)

	// NAT EIPs do not prevent binding.
	nat := niCreate(t, env)
	niBindEIP(env, "eip-mock3", nat.NetworkInterfaceId, nat.PrivateIpAddress, domain.EIPModeNAT)
	mustOK(t, niAttach(env, nat.NetworkInterfaceId, "i-mockweb1"))
}

func TestENIAttachLimitsOnStoppedBurst(t *testing.T) {
	// i-mockburst is of a non-hot-swap type: attach works once Stopped.
	// ecs.t6-c1m2.large: 2 ENIs (primary included), 2 IPs per ENI.
	env := startEnv(t, nil)
	niSetInstanceStatus(env, "i-mockburst", "Stopped")
	big := niCreate(t, env, func(r *ecs.CreateNetworkInterfaceRequest) { r.SecondaryPrivateIpAddressCount = "2" }).NetworkInterfaceId
	err := niAttach(env, big, "i-mockburst")
	wantCode(t, err, "InvalidOperation.Ipv4CountExceeded", 403)
	niWantMsg(t, err, "2")

	first := niCreate(t, env, func(r *ecs.CreateNetworkInterfaceRequest) { r.SecondaryPrivateIpAddressCount = "1" }).NetworkInterfaceId
	mustOK(t, niAttach(env, first, "i-mockburst"))
	second := niCreate(t, env).NetworkInterfaceId
	err = niAttach(env, second, "i-mockburst")
	wantCode(t, err, "EniPerInstanceLimitExceeded", 403)
	niWantMsg(t, err, "at most 2")

	// Bound to the stopped instance, the ENI cannot exceed 2 IPs.
	_, err = niAssign(env, first, 1)
	wantCode(t, err, "InvalidOperation.Ipv4CountExceeded", 403)

	// Running again: detach is refused for this type.
	niSetInstanceStatus(env, "i-mockburst", "Running")
	err = niDetach(env, first, "i-mockburst")
	wantCode(t, err, "InvalidOperation.InvalidEcsState", 400)
	niWantMsg(t, err, "Stopped")
	niSetInstanceStatus(env, "i-mockburst", "Stopped")
	mustOK(t, niDetach(env, first, "i-mockburst"))
}

func TestENIDetachErrors(t *testing.T) {
	env := startEnv(t, nil, withDelay(time.Hour))
	prim := niDescribe(t, env, func(r *ecs.DescribeNetworkInterfacesRequest) { r.InstanceId = "i-mockweb1" }).NetworkInterfaceSets.NetworkInterfaceSet[0].NetworkInterfaceId
	wantCode(t, niDetach(env, prim, "i-mockweb1"), "InvalidOperation.DetachPrimaryEniNotAllowed", 400)

	a := niCreate(t, env).NetworkInterfaceId
	wantCode(t, niDetach(env, "", "i-mockweb1"), "MissingParameter", 400)
	wantCode(t, niDetach(env, a, ""), "MissingParameter", 400)
	wantCode(t, niDetach(env, "eni-unknown", "i-mockweb1"), "InvalidEniId.NotFound", 404)
	wantCode(t, niDetach(env, a, "i-unknown"), "InvalidEcsId.NotFound", 404)
	wantCode(t, niDetach(env, a, "i-mockweb1"), "InvalidOperation.InvalidEniState", 400)

	mustOK(t, niAttach(env, a, "i-mockweb1"))
	mustOK(t, env.srv.Settle())
	err := niDetach(env, a, "i-mockweb2")
	wantCode(t, err, "InvalidOperation.InvalidEniState", 400)
	niWantMsg(t, err, "i-mockweb1")

	// A detach while another ENI attaches to the instance is queued
	// behind the attach (TestENISwapQueue).
	b := niCreate(t, env).NetworkInterfaceId
	mustOK(t, niAttach(env, b, "i-mockweb1"))
	mustOK(t, niDetach(env, a, "i-mockweb1"))
	mustOK(t, env.srv.Settle())
	mustOK(t, niAttach(env, a, "i-mockweb1"))
	mustOK(t, env.srv.Settle())

	niSetInstanceStatus(env, "i-mockweb1", "Stopping")
	wantCode(t, niDetach(env, a, "i-mockweb1"), "InvalidOperation.InvalidEcsState", 400)
	niSetInstanceStatus(env, "i-mockweb1", "Stopped")
	mustOK(t, niDetach(env, a, "i-mockweb1"))
}

// --- AssignPrivateIpAddresses / UnassignPrivateIpAddresses ---------------

func TestENIAssign(t *testing.T) {
	env := startEnv(t, nil)
	resp := niCreate(t, env)
	id := resp.NetworkInterfaceId
	used := niUsed(env, "vsw-mockh")

	got, err := niAssign(env, id, 2)
	mustOK(t, err)
	set := got.AssignedPrivateIpAddressesSet
	if set.NetworkInterfaceId != id || len(set.PrivateIpSet.PrivateIpAddress) != 2 {
		t.Fatalf("assigned %+v", set)
	}
	raw := got.GetHttpContentString()
	if !strings.Contains(raw, `"Ipv4PrefixSet":{"Ipv4Prefixes":[]}`) || !strings.Contains(raw, `"PrivateIpSet":{"PrivateIpAddress":["`) {
		t.Fatalf("assign body %s", raw)
	}
	if niUsed(env, "vsw-mockh") != used+2 {
		t.Fatal("used addresses did not grow by 2")
	}
	got, err = niAssign(env, id, 0, "10.1.0.200", "10.1.0.201")
	mustOK(t, err)
	if strings.Join(got.AssignedPrivateIpAddressesSet.PrivateIpSet.PrivateIpAddress, ",") != "10.1.0.200,10.1.0.201" {
		t.Fatalf("explicit assign %+v", got.AssignedPrivateIpAddressesSet)
	}
	e := niMustGet(t, env, id)
	ips := niIPs(e)
	if len(ips) != 5 || ips[0] != resp.PrivateIpAddress || ips[3] != "10.1.0.200" || e.PrivateIpSets.PrivateIpSet[3].Primary {
		t.Fatalf("IPs after assign %v", ips)
	}

	other := niCreate(t, env)
	cases := []struct {
		name   string
		count  int
		ips    []string
		code   string
		status int
	}{
		{"nothing", 0, nil, "MissingParameter", 400},
		{"both", 1, []string{"10.1.0.210"}, "InvalidParameter.Conflict", 400},
		{"count too high", 11, nil, "InvalidParameter", 400},
		{"repeated", 0, []string{"10.1.0.210", "10.1.0.210"}, "InvalidIp.IpRepeated", 403},
		{"own address", 0, []string{"10.1.0.200"}, "InvalidIp.IpAssigned", 403},
		{"taken by another ENI", 0, []string{other.PrivateIpAddress}, "InvalidPrivateIpAddress.Duplicated", 400},
		{"outside", 0, []string{"10.2.0.10"}, "InvalidVSwitchId.IpInvalid", 403},
		{"malformed", 0, []string{"10.1.0.300"}, "InvalidIpAddress.Malformed", 400},
		// 4 secondaries + 7 = 11 > 10 on an unbound ENI.
		{"unbound limit", 7, nil, "InvalidOperation.Ipv4CountExceeded", 403},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := niAssign(env, id, tc.count, tc.ips...)
			wantCode(t, err, tc.code, tc.status)
		})
	}
	// SecondaryPrivateIpAddressCount=0 is sent and refused.
	req := ecs.CreateAssignPrivateIpAddressesRequest()
	req.NetworkInterfaceId, req.SecondaryPrivateIpAddressCount = id, "0"
	_, err = env.ecs.AssignPrivateIpAddresses(req)
	wantCode(t, err, "InvalidParameter", 400)
	_, err = niAssign(env, "eni-unknown", 1)
	wantCode(t, err, "InvalidEniId.NotFound", 404)

	_, err = niAssign(env, id, 6) // exactly 10 secondaries
	mustOK(t, err)
	_, err = niAssign(env, id, 1)
	wantCode(t, err, "InvalidOperation.Ipv4CountExceeded", 403)
	niWantMsg(t, err, "10")
}

func TestENIAssignBoundAndState(t *testing.T) {
	env := startEnv(t, niSeed(func(s *Seed) {
		s.VSwitches = append(s.VSwitches, SeedVSwitch{VSwitchID: "vsw-tiny", VPCID: "vpc-mock1", ZoneID: "cn-hangzhou-h", CIDRBlock: "10.3.0.0/29"})
	}), withDelay(time.Hour))
	id := niCreate(t, env).NetworkInterfaceId
	mustOK(t, niAttach(env, id, "i-mockweb1"))
	_, err := niAssign(env, id, 1)
	wantCode(t, err, "InvalidOperation.InvalidEniState", 400) // Attaching
	mustOK(t, env.srv.Settle())
	// ecs.g7.large: 10 IPs per ENI, primary included.
	_, err = niAssign(env, id, 9)
	mustOK(t, err)
	_, err = niAssign(env, id, 1)
	wantCode(t, err, "InvalidOperation.Ipv4CountExceeded", 403)
	niWantMsg(t, err, "10", "ecs.g7.large")

	// The primary ENI takes addresses too, within the same limit.
	prim := niDescribe(t, env, func(r *ecs.DescribeNetworkInterfacesRequest) { r.InstanceId = "i-mockweb2" }).NetworkInterfaceSets.NetworkInterfaceSet[0].NetworkInterfaceId
	_, err = niAssign(env, prim, 2)
	mustOK(t, err)
	niSetInstanceStatus(env, "i-mockweb2", "Stopping")
	_, err = niAssign(env, prim, 1)
	wantCode(t, err, "InvalidOperation.InvalidEcsState", 400)

	// A full vSwitch: nothing is allocated.
	tiny := niCreate(t, env, func(r *ecs.CreateNetworkInterfaceRequest) { r.VSwitchId = "vsw-tiny" }).NetworkInterfaceId
	_, err = niAssign(env, tiny, 4)
	wantCode(t, err, "InvalidVSwitchId.IpNotEnough", 403)
	if n := niUsed(env, "vsw-tiny"); n != 1 {
		t.Fatalf("vsw-tiny uses %d addresses, want 1", n)
	}
	_, err = niAssign(env, tiny, 3)
	mustOK(t, err)
}

func TestENIAssignClientToken(t *testing.T) {
	env := startEnv(t, nil)
	id := niCreate(t, env).NetworkInterfaceId
	assign := func(count int) (*ecs.AssignPrivateIpAddressesResponse, error) {
		req := ecs.CreateAssignPrivateIpAddressesRequest()
		req.NetworkInterfaceId, req.ClientToken = id, "assign-1"
		req.SecondaryPrivateIpAddressCount = requests.NewInteger(count)
		return env.ecs.AssignPrivateIpAddresses(req)
	}
	first, err := assign(2)
	mustOK(t, err)
	again, err := assign(2)
	mustOK(t, err)
	if strings.Join(first.AssignedPrivateIpAddressesSet.PrivateIpSet.PrivateIpAddress, ",") !=
		strings.Join(again.AssignedPrivateIpAddressesSet.PrivateIpSet.PrivateIpAddress, ",") {
		t.Fatal("replay returned other addresses")
	}
	if n := len(niMustGet(t, env, id).PrivateIpSets.PrivateIpSet); n != 3 {
		t.Fatalf("%d IPs after a replay, want 3", n)
	}
	_, err = assign(3)
	wantCode(t, err, "IdempotentParameterMismatch", 400)
}

func TestENIUnassign(t *testing.T) {
	env := startEnv(t, nil)
	resp := niCreate(t, env, func(r *ecs.CreateNetworkInterfaceRequest) {
		r.PrivateIpAddress = &[]string{"10.1.0.50", "10.1.0.51", "10.1.0.52"}
	})
	id := resp.NetworkInterfaceId
	used := niUsed(env, "vsw-mockh")

	wantCode(t, niUnassign(env, id), "MissingParameter", 400)
	wantCode(t, niUnassign(env, "eni-unknown", "10.1.0.50"), "InvalidEniId.NotFound", 404)
	wantCode(t, niUnassign(env, id, resp.PrivateIpAddress), "InvalidIp.IpUnassigned", 403)
	wantCode(t, niUnassign(env, id, "10.1.0.99"), "InvalidIp.IpUnassigned", 403)
	// All or nothing: one bad address refuses the whole call.
	wantCode(t, niUnassign(env, id, "10.1.0.50", "10.1.0.99"), "InvalidIp.IpUnassigned", 403)
	if n := len(niMustGet(t, env, id).PrivateIpSets.PrivateIpSet); n != 4 {
		t.Fatalf("%d IPs after a refused unassign, want 4", n)
	}

	niBindEIP(env, "eip-mock4", id, "10.1.0.51", domain.EIPModeNAT)
	err := niUnassign(env, id, "10.1.0.50", "10.1.0.51")
	wantCode(t, err, "InvalidOperation.EipAssociated", 403)
	niWantMsg(t, err, "eip-mock4", "47.96.0.13")

	mustOK(t, niUnassign(env, id, "10.1.0.50", "10.1.0.52"))
	if got := strings.Join(niIPs(niMustGet(t, env, id)), ","); got != resp.PrivateIpAddress+",10.1.0.51" {
		t.Fatalf("IPs after unassign %s", got)
	}
	if niUsed(env, "vsw-mockh") != used-2 {
		t.Fatal("unassigned addresses were not released")
	}
	// The address is free for others again.
	niCreate(t, env, func(r *ecs.CreateNetworkInterfaceRequest) { r.PrimaryIpAddress = "10.1.0.50" })
}

// TestENIErrorBodies checks that the errors of this file come through the
// SDK with a RequestId and the HTTP status the reference gives.
func TestENIErrorBodies(t *testing.T) {
	env := startEnv(t, nil)
	err := niDelete(env, "eni-missing")
	var se *sdkerrors.ServerError
	if !errors.As(err, &se) || se.HttpStatus() != http.StatusNotFound || se.RequestId() == "" {
		t.Fatalf("error %v", err)
	}
}

// BenchmarkENIDescribeByID measures the hot path of the provider and the
// benchmark: DescribeNetworkInterfaces by NetworkInterfaceId.1 among
// 1,000 ENIs, through the SDK.
func BenchmarkENIDescribeByID(b *testing.B) {
	env := startEnv(b, niSeed(func(s *Seed) {
		s.VSwitches = append(s.VSwitches, SeedVSwitch{VSwitchID: "vsw-big", VPCID: "vpc-mock1", ZoneID: "cn-hangzhou-h", CIDRBlock: "10.16.0.0/20"})
		s.Quotas.MaxNetworkInterfaces = 2000
	}))
	var ids []string
	for i := 0; i < 1000; i++ {
		req := niCreateReq(func(r *ecs.CreateNetworkInterfaceRequest) { r.VSwitchId = "vsw-big" })
		resp, err := env.ecs.CreateNetworkInterface(req)
		if err != nil {
			b.Fatal(err)
		}
		ids = append(ids, resp.NetworkInterfaceId)
	}
	var n atomic.Int64
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			id := ids[int(n.Add(1))%len(ids)]
			req := ecs.CreateDescribeNetworkInterfacesRequest()
			req.NetworkInterfaceId = &[]string{id}
			resp, err := env.ecs.DescribeNetworkInterfaces(req)
			if err != nil || len(resp.NetworkInterfaceSets.NetworkInterfaceSet) != 1 {
				b.Fatalf("describe %s: %v", id, err)
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "calls/s")
}
