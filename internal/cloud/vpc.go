package cloud

// Code below is one thin method per VPC action; each goes through call.

import (
	"context"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"
)

// DescribeVpcs lists VPCs, one page.
func (c *Client) DescribeVpcs(ctx context.Context, req *vpc.DescribeVpcsRequest, opts ...CallOption) (*vpc.DescribeVpcsResponse, error) {
	return callVPC(ctx, c, opts, req, (*vpc.Client).DescribeVpcs)
}

// DescribeVSwitches lists vSwitches, one page.
func (c *Client) DescribeVSwitches(ctx context.Context, req *vpc.DescribeVSwitchesRequest, opts ...CallOption) (*vpc.DescribeVSwitchesResponse, error) {
	return callVPC(ctx, c, opts, req, (*vpc.Client).DescribeVSwitches)
}

// AllocateEipAddress allocates an EIP; retries reuse one ClientToken.
func (c *Client) AllocateEipAddress(ctx context.Context, req *vpc.AllocateEipAddressRequest, opts ...CallOption) (*vpc.AllocateEipAddressResponse, error) {
	return callVPC(ctx, c, opts, req, (*vpc.Client).AllocateEipAddress)
}

// ReleaseEipAddress releases an EIP.
func (c *Client) ReleaseEipAddress(ctx context.Context, req *vpc.ReleaseEipAddressRequest, opts ...CallOption) (*vpc.ReleaseEipAddressResponse, error) {
	return callVPC(ctx, c, opts, req, (*vpc.Client).ReleaseEipAddress)
}

// AssociateEipAddress associates an EIP (asynchronous: wait with WaitEIPStatus); retries reuse one ClientToken.
func (c *Client) AssociateEipAddress(ctx context.Context, req *vpc.AssociateEipAddressRequest, opts ...CallOption) (*vpc.AssociateEipAddressResponse, error) {
	return callVPC(ctx, c, append(opts, confirmedBy(c.associateDone(req))), req, (*vpc.Client).AssociateEipAddress)
}

// UnassociateEipAddress unassociates an EIP (asynchronous: wait with WaitEIPStatus); retries reuse one ClientToken.
func (c *Client) UnassociateEipAddress(ctx context.Context, req *vpc.UnassociateEipAddressRequest, opts ...CallOption) (*vpc.UnassociateEipAddressResponse, error) {
	return callVPC(ctx, c, append(opts, confirmedBy(c.unassociateDone(req))), req, (*vpc.Client).UnassociateEipAddress)
}

// DescribeEipAddresses lists EIPs, one page.
func (c *Client) DescribeEipAddresses(ctx context.Context, req *vpc.DescribeEipAddressesRequest, opts ...CallOption) (*vpc.DescribeEipAddressesResponse, error) {
	return callVPC(ctx, c, opts, req, (*vpc.Client).DescribeEipAddresses)
}
