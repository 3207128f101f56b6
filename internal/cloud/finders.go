package cloud

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"
)

// Finders, layered as in the AWS provider: a list finder that pages, a
// by-ID finder that insists on exactly one matching result, and a typed
// *NotFoundError for "nothing there" whether the API said so with an empty
// list (Describe calls) or with a not-found code.

// Resource kinds used in NotFoundError.Kind.
const (
	KindNetworkInterface = "network interface"
	KindInstance         = "instance"
	KindInstanceType     = "instance type"
	KindVSwitch          = "vSwitch"
	KindVPC              = "VPC"
	KindSecurityGroup    = "security group"
	KindEIP              = "EIP"
)

const (
	eniPageSize      = 500 // DescribeNetworkInterfaces MaxResults ceiling
	eniIDsPerRequest = 100 // NetworkInterfaceId.N ceiling
	sgIDsPerRequest  = 100 // SecurityGroupIds array ceiling
	sgPageSize       = 100
)

// FindNetworkInterfaces returns every ENI matching req, following NextToken
// until it is empty. req is used for all pages (its NextToken and
// MaxResults are overwritten), so do not reuse it for other filters. A nil
// req lists every ENI of the region.
func (c *Client) FindNetworkInterfaces(ctx context.Context, req *ecs.DescribeNetworkInterfacesRequest) ([]ecs.NetworkInterfaceSet, error) {
	if req == nil {
		req = ecs.CreateDescribeNetworkInterfacesRequest()
	}
	req.MaxResults = requests.NewInteger(eniPageSize)
	req.NextToken = ""
	var out []ecs.NetworkInterfaceSet
	for {
		resp, err := c.DescribeNetworkInterfaces(ctx, req)
		if err != nil {
			return nil, err
		}
		out = append(out, resp.NetworkInterfaceSets.NetworkInterfaceSet...)
		next, err := nextToken(req.GetActionName(), req.NextToken, resp.NextToken)
		if err != nil || next == "" {
			return out, err
		}
		req.NextToken = next
	}
}

// nextToken guards against a server that hands back the token it was given,
// which would otherwise loop forever.
func nextToken(action, sent, got string) (string, error) {
	if got != "" && got == sent {
		return "", fmt.Errorf("%s: paging did not advance (NextToken %q returned twice)", action, got)
	}
	return got, nil
}

// FindNetworkInterfaceByID returns the ENI with this ID. The ID check
// matters: a filter the API ignored would otherwise return some other ENI.
// Concurrent calls share one DescribeNetworkInterfaces, and an answer the
// walk already has is served when no change of ours can have made it
// stale (coalesce.go).
func (c *Client) FindNetworkInterfaceByID(ctx context.Context, id string) (*ecs.NetworkInterfaceSet, error) {
	return c.reads.enis.find(ctx, c.CoalesceWindow, c.eniReads(), id)
}

// eniReads reads ENIs by ID (NetworkInterfaceId.N) and lists them by VPC.
func (c *Client) eniReads() batchRead[ecs.NetworkInterfaceSet] {
	return batchRead[ecs.NetworkInterfaceSet]{
		kind: KindNetworkInterface, max: eniIDsPerRequest, fetch: c.describeNetworkInterfacesByIDs,
		idOf:      func(e ecs.NetworkInterfaceSet) string { return e.NetworkInterfaceId },
		fresh:     freshness{writes: &c.writes},
		remember:  c.walk,
		scopeOf:   func(e ecs.NetworkInterfaceSet) string { return e.VpcId },
		listEvery: listEvery,
		relOf:     attachedInstanceOf,
		listPage: func(ctx context.Context, vpcID, token string) ([]ecs.NetworkInterfaceSet, string, error) {
			req := ecs.CreateDescribeNetworkInterfacesRequest()
			req.VpcId = vpcID
			req.MaxResults = requests.NewInteger(eniPageSize)
			req.NextToken = token
			resp, err := c.DescribeNetworkInterfaces(ctx, req)
			if err != nil {
				return nil, "", err
			}
			next, err := nextToken(req.GetActionName(), token, resp.NextToken)
			return resp.NetworkInterfaceSets.NetworkInterfaceSet, next, err
		},
	}
}

// describeNetworkInterfacesByIDs reads at most eniIDsPerRequest ENIs in one call.
func (c *Client) describeNetworkInterfacesByIDs(ctx context.Context, ids []string) ([]ecs.NetworkInterfaceSet, error) {
	req := ecs.CreateDescribeNetworkInterfacesRequest()
	req.NetworkInterfaceId = &ids
	return c.FindNetworkInterfaces(ctx, req)
}

// FindNetworkInterfacesByIDs returns the ENIs with these IDs, asking for at
// most 100 per request. If some are missing, the ones found are returned
// together with a *NotFoundError listing the missing IDs.
func (c *Client) FindNetworkInterfacesByIDs(ctx context.Context, ids []string) ([]ecs.NetworkInterfaceSet, error) {
	var out []ecs.NetworkInterfaceSet
	for batch := range slices.Chunk(ids, eniIDsPerRequest) {
		// A fresh request per batch: the SDK keeps flattened parameters,
		// so a shorter batch would still carry the tail of a longer one.
		req := ecs.CreateDescribeNetworkInterfacesRequest()
		req.NetworkInterfaceId = &batch
		enis, err := c.FindNetworkInterfaces(ctx, req)
		if err != nil {
			return nil, err
		}
		out = append(out, enis...)
	}
	return out, missing(KindNetworkInterface, ids, out, func(e ecs.NetworkInterfaceSet) string { return e.NetworkInterfaceId })
}

// FindInstanceByID returns the instance with this ID, including the
// private IPs of its ENIs (AdditionalAttributes NETWORK_PRIMARY_ENI_IP).
// Concurrent calls share one DescribeInstances, and an answer the walk
// already has is served when no change of ours can have made it stale
// (coalesce.go).
func (c *Client) FindInstanceByID(ctx context.Context, id string) (*ecs.Instance, error) {
	return c.reads.instances.find(ctx, c.CoalesceWindow, c.instanceReads(), id)
}

// FindInstanceStatus is FindInstanceByID for a caller that reads only the
// instance's status, type and tags, or that accounts for the walk's own
// bindings itself: an answer the walk has is served even after our
// attaches and detaches, which change its ENIs and nothing else
// (writes.go). Its NetworkInterfaces may miss those changes.
func (c *Client) FindInstanceStatus(ctx context.Context, id string) (*ecs.Instance, error) {
	r := c.instanceReads()
	r.fresh.ignoreBindings = true
	return c.reads.instances.find(ctx, c.CoalesceWindow, r, id)
}

// instanceReads reads instances by ID (InstanceIds) and lists them by VPC.
func (c *Client) instanceReads() batchRead[ecs.Instance] {
	return batchRead[ecs.Instance]{
		kind: KindInstance, max: instanceIDsPerRequest, fetch: c.describeInstancesByIDs,
		idOf:      func(i ecs.Instance) string { return i.InstanceId },
		fresh:     freshness{writes: &c.writes},
		remember:  c.walk,
		scopeOf:   func(i ecs.Instance) string { return i.VpcAttributes.VpcId },
		listEvery: instancesListEvery,
		// Attachments and their checks read the instances of the ENIs
		// a walk read: ask for those along with any instance read.
		companions: c.reads.enis.seen.related,
		listPage: func(ctx context.Context, vpcID, token string) ([]ecs.Instance, string, error) {
			req := newDescribeInstancesRequest()
			req.VpcId = vpcID
			req.NextToken = token
			resp, err := c.DescribeInstances(ctx, req)
			if err != nil {
				return nil, "", err
			}
			next, err := nextToken(req.GetActionName(), token, resp.NextToken)
			return resp.Instances.Instance, next, err
		},
	}
}

// newDescribeInstancesRequest asks for a page of instanceIDsPerRequest
// instances with the private IPs of their ENIs.
func newDescribeInstancesRequest() *ecs.DescribeInstancesRequest {
	req := ecs.CreateDescribeInstancesRequest()
	req.AdditionalAttributes = &[]string{"NETWORK_PRIMARY_ENI_IP"}
	req.MaxResults = requests.NewInteger(instanceIDsPerRequest)
	return req
}

// describeInstancesByIDs reads at most instanceIDsPerRequest instances,
// one page of MaxResults as many.
func (c *Client) describeInstancesByIDs(ctx context.Context, ids []string) ([]ecs.Instance, error) {
	raw, err := json.Marshal(ids)
	if err != nil {
		return nil, err
	}
	req := newDescribeInstancesRequest()
	req.InstanceIds = string(raw)
	resp, err := c.DescribeInstances(ctx, req)
	if err != nil {
		return nil, err
	}
	return resp.Instances.Instance, nil
}

// FindInstanceTypeByID returns an instance type with its ENI limits
// (EniQuantity, EniPrivateIpAddressQuantity).
func (c *Client) FindInstanceTypeByID(ctx context.Context, id string) (*ecs.InstanceType, error) {
	return findByID(ctx, KindInstanceType, id, func(ctx context.Context) ([]ecs.InstanceType, error) {
		req := ecs.CreateDescribeInstanceTypesRequest()
		req.InstanceTypes = &[]string{id}
		resp, err := c.DescribeInstanceTypes(ctx, req)
		if err != nil {
			return nil, err
		}
		return resp.InstanceTypes.InstanceType, nil
	}, func(t ecs.InstanceType) string { return t.InstanceTypeId })
}

// FindVSwitchByID returns the vSwitch with this ID.
func (c *Client) FindVSwitchByID(ctx context.Context, id string) (*vpc.VSwitch, error) {
	return findByID(ctx, KindVSwitch, id, func(ctx context.Context) ([]vpc.VSwitch, error) {
		req := vpc.CreateDescribeVSwitchesRequest()
		req.VSwitchId = id
		resp, err := c.DescribeVSwitches(ctx, req)
		if err != nil {
			return nil, err
		}
		return resp.VSwitches.VSwitch, nil
	}, func(v vpc.VSwitch) string { return v.VSwitchId })
}

// FindVPCByID returns the VPC with this ID.
func (c *Client) FindVPCByID(ctx context.Context, id string) (*vpc.Vpc, error) {
	return findByID(ctx, KindVPC, id, func(ctx context.Context) ([]vpc.Vpc, error) {
		req := vpc.CreateDescribeVpcsRequest()
		req.VpcId = id
		resp, err := c.DescribeVpcs(ctx, req)
		if err != nil {
			return nil, err
		}
		return resp.Vpcs.Vpc, nil
	}, func(v vpc.Vpc) string { return v.VpcId })
}

// FindSecurityGroupsByIDs returns the security groups with these IDs
// (SecurityGroupIds is a JSON array in one parameter). If some are missing,
// the ones found are returned together with a *NotFoundError listing them.
func (c *Client) FindSecurityGroupsByIDs(ctx context.Context, ids []string) ([]ecs.SecurityGroup, error) {
	var out []ecs.SecurityGroup
	for batch := range slices.Chunk(ids, sgIDsPerRequest) {
		raw, err := json.Marshal(batch)
		if err != nil {
			return nil, err
		}
		req := ecs.CreateDescribeSecurityGroupsRequest()
		req.SecurityGroupIds = string(raw)
		req.MaxResults = requests.NewInteger(sgPageSize)
		for {
			resp, err := c.DescribeSecurityGroups(ctx, req)
			if err != nil {
				return nil, err
			}
			out = append(out, resp.SecurityGroups.SecurityGroup...)
			next, err := nextToken(req.GetActionName(), req.NextToken, resp.NextToken)
			if err != nil {
				return nil, err
			}
			if next == "" {
				break
			}
			req.NextToken = next
		}
	}
	return out, missing(KindSecurityGroup, ids, out, func(g ecs.SecurityGroup) string { return g.SecurityGroupId })
}

// FindEIPByAllocationID returns the EIP with this allocation ID. A bound
// EIP whose association named no private IP gets the primary IP it sits
// on as PrivateIpAddress (resolveEIPPrivateIPs). Concurrent calls share
// one DescribeEipAddresses, and an answer the walk already has is served
// when no change of ours can have made it stale (coalesce.go).
func (c *Client) FindEIPByAllocationID(ctx context.Context, id string) (*vpc.EipAddress, error) {
	eip, err := c.reads.eips.find(ctx, c.CoalesceWindow, c.eipReads(), id)
	if err != nil {
		return nil, err
	}
	return c.withEIPPrivateIP(ctx, eip)
}

// eipReads reads EIPs by allocation ID (AllocationId, comma-separated).
func (c *Client) eipReads() batchRead[vpc.EipAddress] {
	return batchRead[vpc.EipAddress]{
		kind: KindEIP, max: eipIDsPerRequest, fetch: c.describeEIPsByAllocationIDs,
		idOf:     func(e vpc.EipAddress) string { return e.AllocationId },
		fresh:    freshness{writes: &c.writes},
		remember: c.walk,
	}
}

// withEIPPrivateIP fills in the private IP of an EIP whose association
// named none (resolveEIPPrivateIPs).
func (c *Client) withEIPPrivateIP(ctx context.Context, eip *vpc.EipAddress) (*vpc.EipAddress, error) {
	one := []vpc.EipAddress{*eip}
	if err := c.resolveEIPPrivateIPs(ctx, one); err != nil {
		return nil, err
	}
	return &one[0], nil
}

// describeEIPsByAllocationIDs reads at most eipIDsPerRequest EIPs, one page.
func (c *Client) describeEIPsByAllocationIDs(ctx context.Context, ids []string) ([]vpc.EipAddress, error) {
	req := vpc.CreateDescribeEipAddressesRequest()
	req.AllocationId = strings.Join(ids, ",")
	req.PageSize = requests.NewInteger(eipPageSize)
	resp, err := c.DescribeEipAddresses(ctx, req)
	if err != nil {
		return nil, err
	}
	return resp.EipAddresses.EipAddress, nil
}

// FindTags returns the tags of an ENI as key → value, following NextToken.
// No tags is an empty map, not an error.
func (c *Client) FindTags(ctx context.Context, eniID string) (map[string]string, error) {
	req := ecs.CreateListTagResourcesRequest()
	req.ResourceType = "eni"
	req.ResourceId = &[]string{eniID}
	tags := map[string]string{}
	for {
		resp, err := c.ListTagResources(ctx, req)
		if err != nil {
			return nil, asNotFound(KindNetworkInterface, eniID, err)
		}
		for _, t := range resp.TagResources.TagResource {
			if t.ResourceId == "" || t.ResourceId == eniID {
				tags[t.TagKey] = t.TagValue
			}
		}
		next, err := nextToken(req.GetActionName(), req.NextToken, resp.NextToken)
		if err != nil || next == "" {
			return tags, err
		}
		req.NextToken = next
	}
}

// findByID is the shape of every Find*ByID: list asks the API for the
// one ID (an API not-found code becomes a *NotFoundError that keeps the API
// error inside) and exactlyOne picks the item whose idOf is id from the
// answer (none is a *NotFoundError, several an error).
func findByID[T any](ctx context.Context, kind, id string, list func(context.Context) ([]T, error), idOf func(T) string) (*T, error) {
	items, err := list(ctx)
	if err != nil {
		return nil, asNotFound(kind, id, err)
	}
	return exactlyOne(items, kind, id, idOf)
}

// exactlyOne picks the item whose ID matches; none is a *NotFoundError and
// several matches are an error (the API broke its own contract).
func exactlyOne[T any](items []T, kind, id string, idOf func(T) string) (*T, error) {
	var found *T
	for i := range items {
		if idOf(items[i]) != id {
			continue
		}
		if found != nil {
			return nil, fmt.Errorf("%s (%s): the API returned it more than once", kind, id)
		}
		found = &items[i]
	}
	if found == nil {
		return nil, &NotFoundError{Kind: kind, ID: id}
	}
	return found, nil
}

// missing reports the requested IDs absent from found.
func missing[T any](kind string, want []string, found []T, idOf func(T) string) error {
	have := make(map[string]bool, len(found))
	for _, f := range found {
		have[idOf(f)] = true
	}
	var absent []string
	for _, id := range want {
		if !have[id] && !slices.Contains(absent, id) {
			absent = append(absent, id)
		}
	}
	if len(absent) == 0 {
		return nil
	}
	return &NotFoundError{Kind: kind, ID: strings.Join(absent, ", ")}
}

// asNotFound turns an API not-found code into the finder's *NotFoundError
// (keeping the API error inside) and leaves other errors alone.
func asNotFound(kind, id string, err error) error {
	if IsCode(err, notFoundCodes...) {
		return &NotFoundError{Kind: kind, ID: id, Err: err}
	}
	return err
}
