package cloud

import (
	"context"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"

	"github.com/openeni/terraform-provider-eni/internal/domain"
)

// Finders for the plan-time checks of eni_private_ip and
// eni_eip_association: who holds an address, which EIPs sit on an ENI.

// eipPageSize is the DescribeEipAddresses PageSize ceiling.
const eipPageSize = 100

// EIP association target kinds (AssociateEipAddress InstanceType).
const (
	EIPTargetNetworkInterface = "NetworkInterface"
	EIPTargetEcsInstance      = "EcsInstance"
)

// FindNetworkInterfacesByPrivateIP returns the ENIs of a VPC that hold ip,
// as primary or secondary address. The result is checked on the client
// side too, so a filter the API ignored cannot report a false holder.
func (c *Client) FindNetworkInterfacesByPrivateIP(ctx context.Context, vpcID, ip string) ([]ecs.NetworkInterfaceSet, error) {
	req := ecs.CreateDescribeNetworkInterfacesRequest()
	req.VpcId = vpcID
	req.PrivateIpAddress = &[]string{ip}
	enis, err := c.FindNetworkInterfaces(ctx, req)
	if err != nil {
		return nil, err
	}
	var out []ecs.NetworkInterfaceSet
	for _, e := range enis {
		for _, have := range PrivateIPs(&e) {
			if have == ip {
				out = append(out, e)
				break
			}
		}
	}
	return out, nil
}

// FindEIPsByAssociatedInstance returns the EIPs associated with an
// instance or ENI (kind EIPTargetEcsInstance or EIPTargetNetworkInterface),
// following the pages. EIPs that are Available are left out, whatever the
// API answered. An EIP whose association named no private IP gets the
// primary IP it sits on as PrivateIpAddress (resolveEIPPrivateIPs).
func (c *Client) FindEIPsByAssociatedInstance(ctx context.Context, kind, id string) ([]vpc.EipAddress, error) {
	var out []vpc.EipAddress
	for page := 1; ; page++ {
		// A fresh request per page: the SDK keeps what it flattened.
		req := vpc.CreateDescribeEipAddressesRequest()
		req.AssociatedInstanceType = kind
		req.AssociatedInstanceId = id
		req.PageNumber = requests.NewInteger(page)
		req.PageSize = requests.NewInteger(eipPageSize)
		resp, err := c.DescribeEipAddresses(ctx, req)
		if err != nil {
			return nil, err
		}
		items := resp.EipAddresses.EipAddress
		for _, e := range items {
			if e.InstanceId == id && e.Status != domain.EIPStatusAvailable {
				out = append(out, e)
			}
		}
		if len(items) < eipPageSize || page*eipPageSize >= resp.TotalCount {
			if err := c.resolveEIPPrivateIPs(ctx, out); err != nil {
				return nil, err
			}
			return out, nil
		}
	}
}
