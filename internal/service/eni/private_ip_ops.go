package eni

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"

	"github.com/openeni/terraform-provider-eni/internal/cloud"
)

// What eni_network_interface, eni_private_ip and eni_eip_association share
// about the addresses of one ENI.

// lockENI takes the provider-wide lock of an ENI. Assigning and
// unassigning its private IPs and (un)associating its EIPs hold it from
// the call until the change shows, so parallel resources never meet the
// API's Operation.Conflict. Unlock with the returned function.
func lockENI(ctx context.Context, c *cloud.Client, eniID string) (func(), error) {
	unlock, err := c.Locks.Lock(ctx, "eni:"+eniID)
	if err != nil {
		return nil, fmt.Errorf("waiting for other changes to network interface (%s): %w", eniID, err)
	}
	return unlock, nil
}

// retryWhileSwapping retries an address change refused because the ENI is
// being attached or detached (an attachment of the same apply) or its
// instance is between states.
var retryWhileSwapping = cloud.RetryOn(cloud.CodeInvalidEniState, cloud.CodeInvalidEcsState)

// assignPrivateIPs assigns the explicit addresses ips, or count addresses
// the cloud picks when ips is empty, and waits until the ENI shows them
// (addressKind.assign). The caller holds the ENI's lock.
func assignPrivateIPs(ctx context.Context, c *cloud.Client, eniID string, ips []string, count int, timeout time.Duration) ([]string, error) {
	return secondaryIPv4Kind.assign(ctx, c, eniID, ips, count, timeout)
}

// errWaitAfterChange marks an error of the wait that follows an accepted
// change: the change itself was made.
var errWaitAfterChange = errors.New("the change was accepted")

// unassignPrivateIPs removes addresses from the ENI and waits until they
// are gone (addressKind.unassign). The caller holds the ENI's lock.
func unassignPrivateIPs(ctx context.Context, c *cloud.Client, eniID string, ips []string, timeout time.Duration) error {
	return secondaryIPv4Kind.unassign(ctx, c, eniID, ips, timeout)
}

// instancesOf returns the instances whose limits apply to an ENI: the one
// it is bound to now and those an attachment planned in this walk binds
// it to.
func instancesOf(plans *PlanRegistry, eni *ecs.NetworkInterfaceSet) []string {
	var out []string
	if id := viewOf(eni).InstanceID; id != "" {
		out = append(out, id)
	}
	if plans != nil {
		for _, id := range plans.attachments.instancesOf(eni.NetworkInterfaceId) {
			if len(out) == 0 || out[0] != id {
				out = append(out, id)
			}
		}
	}
	return out
}
