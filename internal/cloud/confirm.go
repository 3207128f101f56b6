package cloud

// Confirmers: what each mutating action's "already done" looks like. A
// reply can be lost after the cloud made the change (a dropped connection,
// a timeout, a 5xx from a proxy); the retry is then refused because of
// the very state the first attempt produced. Each confirmer reads that
// state and reports success only when it is the one the call asked for,
// so a refusal that means something else still fails. Actions that take
// a ClientToken (create, assign) are answered from the API's record of
// the token instead and need none.

import (
	"context"
	"slices"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"

	"github.com/openeni/terraform-provider-eni/internal/domain"
)

// attachDone: the ENI is bound, or being bound, to the instance asked for.
func (c *Client) attachDone(req *ecs.AttachNetworkInterfaceRequest) Confirmer {
	return func(ctx context.Context, _ error) (bool, error) {
		eni, err := c.FindNetworkInterfaceByID(ctx, req.NetworkInterfaceId)
		if err != nil {
			return false, err
		}
		bound := eni.Status == domain.ENIStatusInUse || eni.Status == domain.ENIStatusAttaching
		return bound && attachedInstance(eni) == req.InstanceId, nil
	}
}

// detachDone: the ENI has left the instance, is leaving it, or is gone.
func (c *Client) detachDone(req *ecs.DetachNetworkInterfaceRequest) Confirmer {
	return func(ctx context.Context, _ error) (bool, error) {
		eni, err := c.FindNetworkInterfaceByID(ctx, req.NetworkInterfaceId)
		if IsNotFound(err) {
			return true, nil
		}
		if err != nil {
			return false, err
		}
		return eni.Status == domain.ENIStatusDetaching || attachedInstance(eni) != req.InstanceId, nil
	}
}

// deleteDone: the ENI is being deleted or is gone.
func (c *Client) deleteDone(req *ecs.DeleteNetworkInterfaceRequest) Confirmer {
	return func(ctx context.Context, err error) (bool, error) {
		if IsCode(err, CodeEniNotFound) {
			return true, nil
		}
		eni, ferr := c.FindNetworkInterfaceByID(ctx, req.NetworkInterfaceId)
		if IsNotFound(ferr) {
			return true, nil
		}
		if ferr != nil {
			return false, ferr
		}
		return eni.Status == domain.ENIStatusDeleting, nil
	}
}

// unassignDone: none of the addresses is on the ENI any more (or the ENI
// is gone, and its addresses with it).
func (c *Client) unassignDone(req *ecs.UnassignPrivateIpAddressesRequest) Confirmer {
	return func(ctx context.Context, _ error) (bool, error) {
		if req.PrivateIpAddress == nil {
			return false, nil
		}
		eni, err := c.FindNetworkInterfaceByID(ctx, req.NetworkInterfaceId)
		if IsNotFound(err) {
			return true, nil
		}
		if err != nil {
			return false, err
		}
		held := PrivateIPs(eni)
		for _, ip := range *req.PrivateIpAddress {
			if slices.Contains(held, ip) {
				return false, nil
			}
		}
		return true, nil
	}
}

// instanceStatusDone: the instance is in the state the call leads to, or
// on its way there.
func (c *Client) instanceStatusDone(id string, statuses ...string) Confirmer {
	return func(ctx context.Context, _ error) (bool, error) {
		inst, err := c.FindInstanceByID(ctx, id)
		if err != nil {
			return false, err
		}
		return slices.Contains(statuses, inst.Status), nil
	}
}

// associateDone: the EIP is associated, or associating, with the target
// asked for (at the private IP asked for, when one was).
func (c *Client) associateDone(req *vpc.AssociateEipAddressRequest) Confirmer {
	return func(ctx context.Context, _ error) (bool, error) {
		eip, err := c.FindEIPByAllocationID(ctx, req.AllocationId)
		if err != nil {
			return false, err
		}
		bound := eip.Status == domain.EIPStatusInUse || eip.Status == domain.EIPStatusAssociating
		ipMatches := req.PrivateIpAddress == "" || eip.PrivateIpAddress == "" || eip.PrivateIpAddress == req.PrivateIpAddress
		return bound && eip.InstanceId == req.InstanceId && ipMatches, nil
	}
}

// unassociateDone: the EIP is free, leaving the target, elsewhere, or gone.
func (c *Client) unassociateDone(req *vpc.UnassociateEipAddressRequest) Confirmer {
	return func(ctx context.Context, _ error) (bool, error) {
		eip, err := c.FindEIPByAllocationID(ctx, req.AllocationId)
		if IsNotFound(err) {
			return true, nil
		}
		if err != nil {
			return false, err
		}
		return eip.Status == domain.EIPStatusAvailable || eip.Status == domain.EIPStatusUnassociating ||
			eip.InstanceId != req.InstanceId, nil
	}
}
