package cloud

// Code below is one thin method per ECS action; each goes through call.

import (
	"context"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"

	"github.com/openeni/terraform-provider-eni/internal/domain"
)

// CreateNetworkInterface creates a secondary ENI; retries reuse one ClientToken.
func (c *Client) CreateNetworkInterface(ctx context.Context, req *ecs.CreateNetworkInterfaceRequest, opts ...CallOption) (*ecs.CreateNetworkInterfaceResponse, error) {
	return callECS(ctx, c, opts, req, (*ecs.Client).CreateNetworkInterface)
}

// DeleteNetworkInterface deletes an ENI (asynchronous: wait with WaitNetworkInterfaceDeleted).
func (c *Client) DeleteNetworkInterface(ctx context.Context, req *ecs.DeleteNetworkInterfaceRequest, opts ...CallOption) (*ecs.DeleteNetworkInterfaceResponse, error) {
	return callECS(ctx, c, append(opts, confirmedBy(c.deleteDone(req))), req, (*ecs.Client).DeleteNetworkInterface)
}

// DescribeNetworkInterfaces lists ENIs, one page; FindNetworkInterfaces pages for you.
func (c *Client) DescribeNetworkInterfaces(ctx context.Context, req *ecs.DescribeNetworkInterfacesRequest, opts ...CallOption) (*ecs.DescribeNetworkInterfacesResponse, error) {
	return callECS(ctx, c, opts, req, (*ecs.Client).DescribeNetworkInterfaces)
}

// DescribeNetworkInterfaceAttribute reads one ENI with its extra attributes.
func (c *Client) DescribeNetworkInterfaceAttribute(ctx context.Context, req *ecs.DescribeNetworkInterfaceAttributeRequest, opts ...CallOption) (*ecs.DescribeNetworkInterfaceAttributeResponse, error) {
	return callECS(ctx, c, opts, req, (*ecs.Client).DescribeNetworkInterfaceAttribute)
}

// ModifyNetworkInterfaceAttribute changes name, description, security groups and flags of an ENI.
func (c *Client) ModifyNetworkInterfaceAttribute(ctx context.Context, req *ecs.ModifyNetworkInterfaceAttributeRequest, opts ...CallOption) (*ecs.ModifyNetworkInterfaceAttributeResponse, error) {
	return callECS(ctx, c, opts, req, (*ecs.Client).ModifyNetworkInterfaceAttribute)
}

// AttachNetworkInterface binds an ENI to an instance (asynchronous: wait with WaitNetworkInterfaceInUse).
func (c *Client) AttachNetworkInterface(ctx context.Context, req *ecs.AttachNetworkInterfaceRequest, opts ...CallOption) (*ecs.AttachNetworkInterfaceResponse, error) {
	return callECS(ctx, c, append(opts, confirmedBy(c.attachDone(req))), req, (*ecs.Client).AttachNetworkInterface)
}

// DetachNetworkInterface unbinds an ENI (asynchronous: wait with WaitNetworkInterfaceAvailable).
func (c *Client) DetachNetworkInterface(ctx context.Context, req *ecs.DetachNetworkInterfaceRequest, opts ...CallOption) (*ecs.DetachNetworkInterfaceResponse, error) {
	return callECS(ctx, c, append(opts, confirmedBy(c.detachDone(req))), req, (*ecs.Client).DetachNetworkInterface)
}

// AssignPrivateIpAddresses adds secondary private IPs or IPv4 prefixes; retries reuse one ClientToken.
func (c *Client) AssignPrivateIpAddresses(ctx context.Context, req *ecs.AssignPrivateIpAddressesRequest, opts ...CallOption) (*ecs.AssignPrivateIpAddressesResponse, error) {
	return callECS(ctx, c, opts, req, (*ecs.Client).AssignPrivateIpAddresses)
}

// UnassignPrivateIpAddresses removes secondary private IPs or IPv4 prefixes.
func (c *Client) UnassignPrivateIpAddresses(ctx context.Context, req *ecs.UnassignPrivateIpAddressesRequest, opts ...CallOption) (*ecs.UnassignPrivateIpAddressesResponse, error) {
	return callECS(ctx, c, append(opts, confirmedBy(c.unassignDone(req))), req, (*ecs.Client).UnassignPrivateIpAddresses)
}

// AssignIpv6Addresses adds IPv6 addresses (or a count the cloud picks) to
// an ENI; retries reuse one ClientToken.
func (c *Client) AssignIpv6Addresses(ctx context.Context, req *ecs.AssignIpv6AddressesRequest, opts ...CallOption) (*ecs.AssignIpv6AddressesResponse, error) {
	return callECS(ctx, c, opts, req, (*ecs.Client).AssignIpv6Addresses)
}

// UnassignIpv6Addresses removes IPv6 addresses from an ENI.
func (c *Client) UnassignIpv6Addresses(ctx context.Context, req *ecs.UnassignIpv6AddressesRequest, opts ...CallOption) (*ecs.UnassignIpv6AddressesResponse, error) {
	return callECS(ctx, c, append(opts, confirmedBy(c.unassignIPv6Done(req))), req, (*ecs.Client).UnassignIpv6Addresses)
}

// DescribeInstances lists instances, one page.
func (c *Client) DescribeInstances(ctx context.Context, req *ecs.DescribeInstancesRequest, opts ...CallOption) (*ecs.DescribeInstancesResponse, error) {
	return callECS(ctx, c, opts, req, (*ecs.Client).DescribeInstances)
}

// DescribeInstanceTypes lists instance types with their ENI limits, one page.
func (c *Client) DescribeInstanceTypes(ctx context.Context, req *ecs.DescribeInstanceTypesRequest, opts ...CallOption) (*ecs.DescribeInstanceTypesResponse, error) {
	return callECS(ctx, c, opts, req, (*ecs.Client).DescribeInstanceTypes)
}

// StopInstance stops an instance (asynchronous: wait with WaitInstanceStatus).
func (c *Client) StopInstance(ctx context.Context, req *ecs.StopInstanceRequest, opts ...CallOption) (*ecs.StopInstanceResponse, error) {
	return callECS(ctx, c, append(opts, confirmedBy(c.instanceStatusDone(req.InstanceId, domain.InstanceStatusStopping, domain.InstanceStatusStopped))), req, (*ecs.Client).StopInstance)
}

// StartInstance starts an instance (asynchronous: wait with WaitInstanceStatus).
func (c *Client) StartInstance(ctx context.Context, req *ecs.StartInstanceRequest, opts ...CallOption) (*ecs.StartInstanceResponse, error) {
	return callECS(ctx, c, append(opts, confirmedBy(c.instanceStatusDone(req.InstanceId, domain.InstanceStatusStarting, domain.InstanceStatusRunning))), req, (*ecs.Client).StartInstance)
}

// DescribeSecurityGroups lists security groups, one page.
func (c *Client) DescribeSecurityGroups(ctx context.Context, req *ecs.DescribeSecurityGroupsRequest, opts ...CallOption) (*ecs.DescribeSecurityGroupsResponse, error) {
	return callECS(ctx, c, opts, req, (*ecs.Client).DescribeSecurityGroups)
}

// TagResources adds or overwrites tags.
func (c *Client) TagResources(ctx context.Context, req *ecs.TagResourcesRequest, opts ...CallOption) (*ecs.TagResourcesResponse, error) {
	return callECS(ctx, c, opts, req, (*ecs.Client).TagResources)
}

// UntagResources removes tags.
func (c *Client) UntagResources(ctx context.Context, req *ecs.UntagResourcesRequest, opts ...CallOption) (*ecs.UntagResourcesResponse, error) {
	return callECS(ctx, c, opts, req, (*ecs.Client).UntagResources)
}

// ListTagResources lists tags, one page; FindTags pages for you.
func (c *Client) ListTagResources(ctx context.Context, req *ecs.ListTagResourcesRequest, opts ...CallOption) (*ecs.ListTagResourcesResponse, error) {
	return callECS(ctx, c, opts, req, (*ecs.Client).ListTagResources)
}
