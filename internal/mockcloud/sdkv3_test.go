package mockcloud

import (
	"net/url"
	"slices"
	"strings"
	"testing"

	openapiutil "github.com/alibabacloud-go/darabonba-openapi/v2/utils"
	ecs3 "github.com/alibabacloud-go/ecs-20140526/v7/client"
	"github.com/alibabacloud-go/tea/dara"
	vpc3 "github.com/alibabacloud-go/vpc-20160428/v6/client"
)

// These tests drive every action the provider uses through the current
// official SDKs (darabonba-openapi), which sign with V3
// (ACS3-HMAC-SHA256) by default. The clients are configured as a user
// would: endpoint, protocol, access key and region, nothing else.

// v3Env is an emulator with V3-signing SDK clients pointed at it.
type v3Env struct {
	srv    *Server
	region string
	ecs    *ecs3.Client
	vpc    *vpc3.Client
}

func startV3Env(t *testing.T) *v3Env {
	t.Helper()
	srv, err := Start(Options{TransitionDelay: 0})
	if err != nil {
		t.Fatalf("starting emulator: %v", err)
	}
	t.Cleanup(srv.Close)
	u, _ := url.Parse(srv.URL())
	cfg := &openapiutil.Config{
		AccessKeyId:     dara.String("mock-key"),
		AccessKeySecret: dara.String("mock-secret"),
		RegionId:        dara.String(srv.Region()),
		Endpoint:        dara.String(u.Host),
		Protocol:        dara.String("http"),
	}
	e, err := ecs3.NewClient(cfg)
	mustOK(t, err)
	v, err := vpc3.NewClient(cfg)
	mustOK(t, err)
	return &v3Env{srv: srv, region: srv.Region(), ecs: e, vpc: v}
}

// settle completes pending transitions, so statuses can be asserted.
func (e *v3Env) settle(t *testing.T) {
	t.Helper()
	mustOK(t, e.srv.Settle())
}

// createENI creates an ENI on the seeded zone-h vSwitch.
func (e *v3Env) createENI(t *testing.T, token string) string {
	t.Helper()
	req := &ecs3.CreateNetworkInterfaceRequest{
		RegionId:             dara.String(e.region),
		VSwitchId:            dara.String("vsw-mockh"),
		SecurityGroupId:      dara.String("sg-mockweb"),
		NetworkInterfaceName: dara.String("v3-eni"),
		Description:          dara.String("made by the V3 SDK"),
		Tag:                  []*ecs3.CreateNetworkInterfaceRequestTag{{Key: dara.String("team"), Value: dara.String("net")}},
	}
	if token != "" {
		req.ClientToken = dara.String(token)
	}
	resp, err := e.ecs.CreateNetworkInterface(req)
	mustOK(t, err)
	id := dara.StringValue(resp.Body.NetworkInterfaceId)
	if !strings.HasPrefix(id, "eni-") {
		t.Fatalf("CreateNetworkInterface returned ID %q", id)
	}
	return id
}

// eniAttribute reads one ENI with DescribeNetworkInterfaceAttribute.
func (e *v3Env) eniAttribute(t *testing.T, id string) *ecs3.DescribeNetworkInterfaceAttributeResponseBody {
	t.Helper()
	resp, err := e.ecs.DescribeNetworkInterfaceAttribute(&ecs3.DescribeNetworkInterfaceAttributeRequest{
		RegionId: dara.String(e.region), NetworkInterfaceId: dara.String(id),
	})
	mustOK(t, err)
	return resp.Body
}

// eniIPs are the private IPs DescribeNetworkInterfaces lists for one ENI.
func (e *v3Env) eniIPs(t *testing.T, id string) []string {
	t.Helper()
	resp, err := e.ecs.DescribeNetworkInterfaces(&ecs3.DescribeNetworkInterfacesRequest{
		RegionId: dara.String(e.region), NetworkInterfaceId: []*string{dara.String(id)},
	})
	mustOK(t, err)
	sets := resp.Body.NetworkInterfaceSets.NetworkInterfaceSet
	if len(sets) != 1 || dara.StringValue(sets[0].NetworkInterfaceId) != id {
		t.Fatalf("DescribeNetworkInterfaces(%s) listed %d ENIs", id, len(sets))
	}
	var ips []string
	for _, p := range sets[0].PrivateIpSets.PrivateIpSet {
		ips = append(ips, dara.StringValue(p.PrivateIpAddress))
	}
	slices.Sort(ips)
	return ips
}

func TestSDKV3ENILifecycle(t *testing.T) {
	env := startV3Env(t)
	id := env.createENI(t, "")
	env.settle(t)

	attr := env.eniAttribute(t, id)
	if got := dara.StringValue(attr.Status); got != "Available" {
		t.Fatalf("new ENI status %q, want Available", got)
	}
	if dara.StringValue(attr.VSwitchId) != "vsw-mockh" || dara.StringValue(attr.Description) != "made by the V3 SDK" {
		t.Fatalf("new ENI: vSwitch %q, description %q", dara.StringValue(attr.VSwitchId), dara.StringValue(attr.Description))
	}

	_, err := env.ecs.ModifyNetworkInterfaceAttribute(&ecs3.ModifyNetworkInterfaceAttributeRequest{
		RegionId: dara.String(env.region), NetworkInterfaceId: dara.String(id),
		Description: dara.String("renamed"), SecurityGroupId: []*string{dara.String("sg-mockweb"), dara.String("sg-mockdb")},
	})
	mustOK(t, err)
	attr = env.eniAttribute(t, id)
	groups := dara.StringSliceValue(attr.SecurityGroupIds.SecurityGroupId)
	slices.Sort(groups)
	if dara.StringValue(attr.Description) != "renamed" || !slices.Equal(groups, []string{"sg-mockdb", "sg-mockweb"}) {
		t.Fatalf("after modify: description %q, groups %v", dara.StringValue(attr.Description), groups)
	}

	assigned, err := env.ecs.AssignPrivateIpAddresses(&ecs3.AssignPrivateIpAddressesRequest{
		RegionId: dara.String(env.region), NetworkInterfaceId: dara.String(id),
		SecondaryPrivateIpAddressCount: dara.Int32(2),
	})
	mustOK(t, err)
	newIPs := dara.StringSliceValue(assigned.Body.AssignedPrivateIpAddressesSet.PrivateIpSet.PrivateIpAddress)
	if len(newIPs) != 2 {
		t.Fatalf("AssignPrivateIpAddresses returned %v, want 2 addresses", newIPs)
	}
	env.settle(t)
	if ips := env.eniIPs(t, id); len(ips) != 3 || !slices.Contains(ips, newIPs[0]) || !slices.Contains(ips, newIPs[1]) {
		t.Fatalf("after assign the ENI has %v, want the primary and %v", ips, newIPs)
	}

	_, err = env.ecs.UnassignPrivateIpAddresses(&ecs3.UnassignPrivateIpAddressesRequest{
		RegionId: dara.String(env.region), NetworkInterfaceId: dara.String(id),
		PrivateIpAddress: []*string{dara.String(newIPs[0])},
	})
	mustOK(t, err)
	env.settle(t)
	if ips := env.eniIPs(t, id); len(ips) != 2 || slices.Contains(ips, newIPs[0]) {
		t.Fatalf("after unassigning %s the ENI has %v", newIPs[0], ips)
	}

	_, err = env.ecs.AttachNetworkInterface(&ecs3.AttachNetworkInterfaceRequest{
		RegionId: dara.String(env.region), NetworkInterfaceId: dara.String(id), InstanceId: dara.String("i-mockweb1"),
	})
	mustOK(t, err)
	env.settle(t)
	attr = env.eniAttribute(t, id)
	if dara.StringValue(attr.Status) != "InUse" || dara.StringValue(attr.InstanceId) != "i-mockweb1" {
		t.Fatalf("after attach: status %q, instance %q", dara.StringValue(attr.Status), dara.StringValue(attr.InstanceId))
	}

	_, err = env.ecs.DetachNetworkInterface(&ecs3.DetachNetworkInterfaceRequest{
		RegionId: dara.String(env.region), NetworkInterfaceId: dara.String(id), InstanceId: dara.String("i-mockweb1"),
	})
	mustOK(t, err)
	env.settle(t)
	attr = env.eniAttribute(t, id)
	if dara.StringValue(attr.Status) != "Available" || dara.StringValue(attr.InstanceId) != "" {
		t.Fatalf("after detach: status %q, instance %q", dara.StringValue(attr.Status), dara.StringValue(attr.InstanceId))
	}

	_, err = env.ecs.DeleteNetworkInterface(&ecs3.DeleteNetworkInterfaceRequest{
		RegionId: dara.String(env.region), NetworkInterfaceId: dara.String(id),
	})
	mustOK(t, err)
	env.settle(t)
	gone, err := env.ecs.DescribeNetworkInterfaces(&ecs3.DescribeNetworkInterfacesRequest{
		RegionId: dara.String(env.region), NetworkInterfaceId: []*string{dara.String(id)},
	})
	mustOK(t, err)
	if n := len(gone.Body.NetworkInterfaceSets.NetworkInterfaceSet); n != 0 {
		t.Fatalf("deleted ENI still listed (%d)", n)
	}
}

func TestSDKV3Instances(t *testing.T) {
	env := startV3Env(t)
	resp, err := env.ecs.DescribeInstances(&ecs3.DescribeInstancesRequest{
		RegionId: dara.String(env.region), InstanceIds: dara.String(`["i-mockweb1","i-mockburst"]`),
	})
	mustOK(t, err)
	var ids []string
	for _, in := range resp.Body.Instances.Instance {
		ids = append(ids, dara.StringValue(in.InstanceId))
		if dara.StringValue(in.Status) != "Running" {
			t.Fatalf("seeded instance %s is %q", dara.StringValue(in.InstanceId), dara.StringValue(in.Status))
		}
	}
	slices.Sort(ids)
	if !slices.Equal(ids, []string{"i-mockburst", "i-mockweb1"}) {
		t.Fatalf("DescribeInstances listed %v", ids)
	}

	types, err := env.ecs.DescribeInstanceTypes(&ecs3.DescribeInstanceTypesRequest{
		InstanceTypes: []*string{dara.String("ecs.g7.xlarge")},
	})
	mustOK(t, err)
	tl := types.Body.InstanceTypes.InstanceType
	if len(tl) != 1 || dara.StringValue(tl[0].InstanceTypeId) != "ecs.g7.xlarge" || dara.Int32Value(tl[0].EniQuantity) != 4 {
		t.Fatalf("DescribeInstanceTypes(ecs.g7.xlarge) = %v", tl)
	}

	groups, err := env.ecs.DescribeSecurityGroups(&ecs3.DescribeSecurityGroupsRequest{
		RegionId: dara.String(env.region), VpcId: dara.String("vpc-mock1"),
	})
	mustOK(t, err)
	var gids []string
	for _, g := range groups.Body.SecurityGroups.SecurityGroup {
		gids = append(gids, dara.StringValue(g.SecurityGroupId))
	}
	slices.Sort(gids)
	if !slices.Equal(gids, []string{"sg-mockdb", "sg-mockweb"}) {
		t.Fatalf("DescribeSecurityGroups listed %v", gids)
	}

	_, err = env.ecs.StopInstance(&ecs3.StopInstanceRequest{InstanceId: dara.String("i-mockburst")})
	mustOK(t, err)
	env.settle(t)
	env.wantInstanceStatus(t, "i-mockburst", "Stopped")
	_, err = env.ecs.StartInstance(&ecs3.StartInstanceRequest{InstanceId: dara.String("i-mockburst")})
	mustOK(t, err)
	env.settle(t)
	env.wantInstanceStatus(t, "i-mockburst", "Running")
}

func (e *v3Env) wantInstanceStatus(t *testing.T, id, want string) {
	t.Helper()
	resp, err := e.ecs.DescribeInstances(&ecs3.DescribeInstancesRequest{
		RegionId: dara.String(e.region), InstanceIds: dara.String(`["` + id + `"]`),
	})
	mustOK(t, err)
	list := resp.Body.Instances.Instance
	if len(list) != 1 || dara.StringValue(list[0].Status) != want {
		t.Fatalf("instance %s: want status %s, got %d instances", id, want, len(list))
	}
}

func TestSDKV3Tags(t *testing.T) {
	env := startV3Env(t)
	id := env.createENI(t, "")
	_, err := env.ecs.TagResources(&ecs3.TagResourcesRequest{
		RegionId: dara.String(env.region), ResourceType: dara.String("eni"), ResourceId: []*string{dara.String(id)},
		Tag: []*ecs3.TagResourcesRequestTag{{Key: dara.String("env"), Value: dara.String("prod")}},
	})
	mustOK(t, err)
	if got := env.tagsOf(t, id); got != "env=prod,team=net" {
		t.Fatalf("after TagResources the ENI has tags %s", got)
	}
	_, err = env.ecs.UntagResources(&ecs3.UntagResourcesRequest{
		RegionId: dara.String(env.region), ResourceType: dara.String("eni"), ResourceId: []*string{dara.String(id)},
		TagKey: []*string{dara.String("team")},
	})
	mustOK(t, err)
	if got := env.tagsOf(t, id); got != "env=prod" {
		t.Fatalf("after UntagResources the ENI has tags %s", got)
	}
}

// tagsOf lists an ENI's tags with ListTagResources, as "k=v,..." sorted.
func (e *v3Env) tagsOf(t *testing.T, id string) string {
	t.Helper()
	resp, err := e.ecs.ListTagResources(&ecs3.ListTagResourcesRequest{
		RegionId: dara.String(e.region), ResourceType: dara.String("eni"), ResourceId: []*string{dara.String(id)},
	})
	mustOK(t, err)
	var tags []string
	for _, tr := range resp.Body.TagResources.TagResource {
		if dara.StringValue(tr.ResourceId) != id {
			t.Fatalf("ListTagResources(%s) returned a tag of %s", id, dara.StringValue(tr.ResourceId))
		}
		tags = append(tags, dara.StringValue(tr.TagKey)+"="+dara.StringValue(tr.TagValue))
	}
	slices.Sort(tags)
	return strings.Join(tags, ",")
}

func TestSDKV3VPC(t *testing.T) {
	env := startV3Env(t)
	vpcs, err := env.vpc.DescribeVpcs(&vpc3.DescribeVpcsRequest{RegionId: dara.String(env.region)})
	mustOK(t, err)
	vl := vpcs.Body.Vpcs.Vpc
	if len(vl) != 1 || dara.StringValue(vl[0].VpcId) != "vpc-mock1" || dara.StringValue(vl[0].CidrBlock) != "10.0.0.0/8" {
		t.Fatalf("DescribeVpcs = %v", vl)
	}
	sw, err := env.vpc.DescribeVSwitches(&vpc3.DescribeVSwitchesRequest{
		RegionId: dara.String(env.region), VSwitchId: dara.String("vsw-mocki"),
	})
	mustOK(t, err)
	sl := sw.Body.VSwitches.VSwitch
	if len(sl) != 1 || dara.StringValue(sl[0].ZoneId) != "cn-hangzhou-i" || dara.Int64Value(sl[0].AvailableIpAddressCount) <= 0 {
		t.Fatalf("DescribeVSwitches(vsw-mocki) = %v", sl)
	}
}

func TestSDKV3EIPLifecycle(t *testing.T) {
	env := startV3Env(t)
	eni := env.createENI(t, "")
	env.settle(t)

	alloc, err := env.vpc.AllocateEipAddress(&vpc3.AllocateEipAddressRequest{
		RegionId: dara.String(env.region), ClientToken: dara.String("v3-eip-1"),
	})
	mustOK(t, err)
	eip := dara.StringValue(alloc.Body.AllocationId)
	if !strings.HasPrefix(eip, "eip-") || dara.StringValue(alloc.Body.EipAddress) == "" {
		t.Fatalf("AllocateEipAddress returned %q / %q", eip, dara.StringValue(alloc.Body.EipAddress))
	}
	env.wantEIP(t, eip, "Available", "")

	_, err = env.vpc.AssociateEipAddress(&vpc3.AssociateEipAddressRequest{
		RegionId: dara.String(env.region), AllocationId: dara.String(eip),
		InstanceId: dara.String(eni), InstanceType: dara.String("NetworkInterface"),
	})
	mustOK(t, err)
	env.settle(t)
	env.wantEIP(t, eip, "InUse", eni)

	_, err = env.vpc.UnassociateEipAddress(&vpc3.UnassociateEipAddressRequest{
		RegionId: dara.String(env.region), AllocationId: dara.String(eip),
		InstanceId: dara.String(eni), InstanceType: dara.String("NetworkInterface"),
	})
	mustOK(t, err)
	env.settle(t)
	env.wantEIP(t, eip, "Available", "")

	_, err = env.vpc.ReleaseEipAddress(&vpc3.ReleaseEipAddressRequest{
		RegionId: dara.String(env.region), AllocationId: dara.String(eip),
	})
	mustOK(t, err)
	env.settle(t)
	resp, err := env.vpc.DescribeEipAddresses(&vpc3.DescribeEipAddressesRequest{
		RegionId: dara.String(env.region), AllocationId: dara.String(eip),
	})
	mustOK(t, err)
	if n := len(resp.Body.EipAddresses.EipAddress); n != 0 {
		t.Fatalf("released EIP still listed (%d)", n)
	}
}

// wantEIP asserts an EIP's status and the ENI it is bound to ("" none).
func (e *v3Env) wantEIP(t *testing.T, id, status, eni string) {
	t.Helper()
	resp, err := e.vpc.DescribeEipAddresses(&vpc3.DescribeEipAddressesRequest{
		RegionId: dara.String(e.region), AllocationId: dara.String(id),
	})
	mustOK(t, err)
	list := resp.Body.EipAddresses.EipAddress
	if len(list) != 1 {
		t.Fatalf("DescribeEipAddresses(%s) listed %d", id, len(list))
	}
	got := list[0]
	if dara.StringValue(got.Status) != status || dara.StringValue(got.InstanceId) != eni {
		t.Fatalf("EIP %s: status %q bound to %q, want %q bound to %q", id,
			dara.StringValue(got.Status), dara.StringValue(got.InstanceId), status, eni)
	}
}
