package cloud

import (
	"context"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"

	"github.com/openeni/terraform-provider-eni/internal/domain"
)

// DescribeEipAddresses leaves PrivateIpAddress empty when the association
// named no private IP (the official alicloud provider's acceptance test
// for an association without private_ip_address expects a clean second
// plan, which it gets only so). Such an EIP sits on the primary IP of the
// ENI (or of the instance's primary ENI) all the same. The finders of this
// package fill that address in (resolveEIPPrivateIPs), so that what reads
// an EIP compares real addresses: an empty one would match any address of
// the ENI and hide an EIP moved to the primary IP outside Terraform.

// eipPrimaryIPs caches the primary IP of each target during one find.
type eipPrimaryIPs map[string]string

// resolveEIPPrivateIPs fills PrivateIpAddress of each bound EIP whose
// association named none with the primary IP of what it is bound to. A
// target that is gone leaves the field empty.
func (c *Client) resolveEIPPrivateIPs(ctx context.Context, eips []vpc.EipAddress) error {
	var cache eipPrimaryIPs
	for i := range eips {
		e := &eips[i]
		if e.PrivateIpAddress != "" || e.InstanceId == "" || e.Status == domain.EIPStatusAvailable {
			continue
		}
		if cache == nil {
			cache = eipPrimaryIPs{}
		}
		ip, seen := cache[e.InstanceType+"/"+e.InstanceId]
		if !seen {
			var err error
			if ip, err = c.targetPrimaryIP(ctx, e.InstanceType, e.InstanceId); err != nil {
				return err
			}
			cache[e.InstanceType+"/"+e.InstanceId] = ip
		}
		e.PrivateIpAddress = ip
	}
	return nil
}

// targetPrimaryIP is the primary private IP of an ENI (kind
// NetworkInterface) or of an instance's primary ENI (kind EcsInstance),
// or "" when the target is gone or of another kind.
func (c *Client) targetPrimaryIP(ctx context.Context, kind, id string) (string, error) {
	switch kind {
	case EIPTargetNetworkInterface:
		eni, err := c.FindNetworkInterfaceByID(ctx, id)
		if IsNotFound(err) {
			return "", nil
		}
		if err != nil {
			return "", err
		}
		return eni.PrivateIpAddress, nil
	case EIPTargetEcsInstance:
		in, err := c.FindInstanceByID(ctx, id)
		if IsNotFound(err) {
			return "", nil
		}
		if err != nil {
			return "", err
		}
		return instancePrimaryIP(in), nil
	}
	return "", nil
}

// instancePrimaryIP is the primary IP of an instance's primary ENI.
func instancePrimaryIP(in *ecs.Instance) string {
	for _, n := range in.NetworkInterfaces.NetworkInterface {
		if n.Type == domain.ENITypePrimary && n.PrimaryIpAddress != "" {
			return n.PrimaryIpAddress
		}
	}
	if ips := in.VpcAttributes.PrivateIpAddress.IpAddress; len(ips) > 0 {
		return ips[0]
	}
	return ""
}
