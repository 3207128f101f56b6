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

// unassignDone: none of the addresses or IPv4 prefixes is on the ENI any
// more (or the ENI is gone, and its addresses with it).
func (c *Client) unassignDone(req *ecs.UnassignPrivateIpAddressesRequest) Confirmer {
	return c.addressesGone(req.NetworkInterfaceId, func(eni *ecs.NetworkInterfaceSet) ([]string, []string) {
		return PrivateIPs(eni), deref(req.PrivateIpAddress)
	}, func(eni *ecs.NetworkInterfaceSet) ([]string, []string) {
		return IPv4Prefixes(eni), deref(req.Ipv4Prefix)
	})
}

// unassignIPv6Done: none of the IPv6 addresses is on the ENI any more (or
// the ENI is gone).
func (c *Client) unassignIPv6Done(req *ecs.UnassignIpv6AddressesRequest) Confirmer {
	return c.addressesGone(req.NetworkInterfaceId, func(eni *ecs.NetworkInterfaceSet) ([]string, []string) {
		return IPv6Addresses(eni), deref(req.Ipv6Address)
	})
}

// heldAndAsked gives, for one kind of address, what an ENI holds and what
// an unassign asked to remove.
type heldAndAsked func(eni *ecs.NetworkInterfaceSet) (held, asked []string)

// addressesGone confirms an unassign: it asked for something, and none of
// it is on the ENI (or the ENI is gone).
func (c *Client) addressesGone(eniID string, kinds ...heldAndAsked) Confirmer {
	return func(ctx context.Context, _ error) (bool, error) {
		eni, err := c.FindNetworkInterfaceByID(ctx, eniID)
		if IsNotFound(err) {
			return true, nil
		}
		if err != nil {
			return false, err
		}
		asked := false
		for _, kind := range kinds {
			held, want := kind(eni)
			asked = asked || len(want) > 0
			for _, a := range want {
				if slices.Contains(held, a) {
					return false, nil
				}
			}
		}
		return asked, nil
	}
}

// deref is the list a repeated parameter points to, or nil.
func deref(list *[]string) []string {
	if list == nil {
		return nil
	}
	return *list
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
