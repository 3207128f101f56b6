package eni

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/openeni/terraform-provider-eni/internal/cloud"
)

// The kinds of address an eni_network_interface converges in place:
// secondary private IPv4 addresses, IPv6 addresses and IPv4 prefixes.
// Each kind has a pair of conflicting arguments (a count the cloud fills,
// or the exact list) and a computed set of what the ENI holds; leaving
// both arguments unset leaves those addresses alone. The kinds differ
// only in their API calls and their names, so the resource handles them
// with one code path (network_interface_update.go, address_plan_kinds.go).

// addressKind is one kind of address.
type addressKind struct {
	// countArg, listArg and assignedAttr are the attribute names.
	countArg, listArg, assignedAttr string
	// noun names the addresses in messages ("IPv6 addresses").
	noun string
	// fields points at the kind's attributes in a model.
	fields func(m *networkInterfaceModel) addressFields
	// held lists what the ENI holds of the kind (the primary IPv4 is
	// not a secondary IP).
	held func(v eniView) []string
	// add assigns items, or count the cloud picks when items is empty,
	// and returns what the API says it assigned.
	add func(ctx context.Context, c *cloud.Client, eniID string, items []string, count int) ([]string, error)
	// remove unassigns items.
	remove func(ctx context.Context, c *cloud.Client, eniID string, items []string) error
	// wait waits until the ENI holds present and none of absent.
	wait func(c *cloud.Client) func(ctx context.Context, id string, present, absent []string, timeout time.Duration) (*ecs.NetworkInterfaceSet, error)
	// surplus picks n addresses to give up when the count shrinks.
	surplus func(eni *ecs.NetworkInterfaceSet, n int) []string
}

// addressFields are a kind's attributes in one model.
type addressFields struct {
	count    *types.Int64
	list     *types.Set
	assigned *types.Set
}

// perCall is how many addresses of any kind one assign or unassign call
// carries (the API takes N from 1 to 10 for each kind).
const perCall = 10

var (
	secondaryIPv4Kind = addressKind{
		countArg: "secondary_private_ip_count", listArg: "secondary_private_ips", assignedAttr: "private_ips",
		noun: "secondary private IPs",
		fields: func(m *networkInterfaceModel) addressFields {
			return addressFields{&m.SecondaryPrivateIPCount, &m.SecondaryPrivateIPs, &m.PrivateIPs}
		},
		held: func(v eniView) []string { return v.SecondaryIPs },
		add: func(ctx context.Context, c *cloud.Client, eniID string, items []string, count int) ([]string, error) {
			req := ecs.CreateAssignPrivateIpAddressesRequest()
			req.NetworkInterfaceId = eniID
			if len(items) > 0 {
				req.PrivateIpAddress = &items
			} else {
				req.SecondaryPrivateIpAddressCount = requests.NewInteger(count)
			}
			out, err := c.AssignPrivateIpAddresses(ctx, req, retryWhileSwapping)
			if err != nil {
				return nil, err
			}
			return out.AssignedPrivateIpAddressesSet.PrivateIpSet.PrivateIpAddress, nil
		},
		remove: func(ctx context.Context, c *cloud.Client, eniID string, items []string) error {
			req := ecs.CreateUnassignPrivateIpAddressesRequest()
			req.NetworkInterfaceId = eniID
			req.PrivateIpAddress = &items
			_, err := c.UnassignPrivateIpAddresses(ctx, req, retryWhileSwapping)
			return err
		},
		wait:    func(c *cloud.Client) waitFunc { return c.WaitNetworkInterfacePrivateIPs },
		surplus: surplusIPs,
	}
	ipv6Kind = addressKind{
		countArg: "ipv6_address_count", listArg: "ipv6_addresses", assignedAttr: "assigned_ipv6_addresses",
		noun: "IPv6 addresses",
		fields: func(m *networkInterfaceModel) addressFields {
			return addressFields{&m.IPv6AddressCount, &m.IPv6Addresses, &m.AssignedIPv6Addresses}
		},
		held: func(v eniView) []string { return v.IPv6Addresses },
		add: func(ctx context.Context, c *cloud.Client, eniID string, items []string, count int) ([]string, error) {
			req := ecs.CreateAssignIpv6AddressesRequest()
			req.NetworkInterfaceId = eniID
			if len(items) > 0 {
				req.Ipv6Address = &items
			} else {
				req.Ipv6AddressCount = requests.NewInteger(count)
			}
			out, err := c.AssignIpv6Addresses(ctx, req, retryWhileSwapping)
			if err != nil {
				return nil, err
			}
			return out.Ipv6Sets.Ipv6Address, nil
		},
		remove: func(ctx context.Context, c *cloud.Client, eniID string, items []string) error {
			req := ecs.CreateUnassignIpv6AddressesRequest()
			req.NetworkInterfaceId = eniID
			req.Ipv6Address = &items
			_, err := c.UnassignIpv6Addresses(ctx, req, retryWhileSwapping)
			return err
		},
		wait:    func(c *cloud.Client) waitFunc { return c.WaitNetworkInterfaceIPv6Addresses },
		surplus: latestOf(cloud.IPv6Addresses),
	}
	ipv4PrefixKind = addressKind{
		countArg: "ipv4_prefix_count", listArg: "ipv4_prefixes", assignedAttr: "assigned_ipv4_prefixes",
		noun: "IPv4 prefixes",
		fields: func(m *networkInterfaceModel) addressFields {
			return addressFields{&m.IPv4PrefixCount, &m.IPv4Prefixes, &m.AssignedIPv4Prefixes}
		},
		held: func(v eniView) []string { return v.IPv4Prefixes },
		add: func(ctx context.Context, c *cloud.Client, eniID string, items []string, count int) ([]string, error) {
			req := ecs.CreateAssignPrivateIpAddressesRequest()
			req.NetworkInterfaceId = eniID
			if len(items) > 0 {
				req.Ipv4Prefix = &items
			} else {
				req.Ipv4PrefixCount = requests.NewInteger(count)
			}
			out, err := c.AssignPrivateIpAddresses(ctx, req, retryWhileSwapping)
			if err != nil {
				return nil, err
			}
			return out.AssignedPrivateIpAddressesSet.Ipv4PrefixSet.Ipv4Prefixes, nil
		},
		remove: func(ctx context.Context, c *cloud.Client, eniID string, items []string) error {
			req := ecs.CreateUnassignPrivateIpAddressesRequest()
			req.NetworkInterfaceId = eniID
			req.Ipv4Prefix = &items
			_, err := c.UnassignPrivateIpAddresses(ctx, req, retryWhileSwapping)
			return err
		},
		wait:    func(c *cloud.Client) waitFunc { return c.WaitNetworkInterfaceIPv4Prefixes },
		surplus: latestOf(cloud.IPv4Prefixes),
	}
)

// addressKinds lists every kind, in the order updates handle them.
var addressKinds = []addressKind{secondaryIPv4Kind, ipv4PrefixKind, ipv6Kind}

type waitFunc = func(ctx context.Context, id string, present, absent []string, timeout time.Duration) (*ecs.NetworkInterfaceSet, error)

// managed reports whether the model sets one of the kind's arguments;
// when neither is set, the ENI leaves those addresses alone.
func (k addressKind) managed(m *networkInterfaceModel) bool {
	f := k.fields(m)
	return !f.count.IsNull() || !f.list.IsNull()
}

// assign assigns items, or count addresses the cloud picks when items is
// empty, and waits until the ENI shows them. It returns the addresses
// assigned, also when only the wait failed. The caller holds the ENI's
// lock.
func (k addressKind) assign(ctx context.Context, c *cloud.Client, eniID string, items []string, count int, timeout time.Duration) ([]string, error) {
	got, err := k.add(ctx, c, eniID, items, count)
	if err != nil {
		return nil, err
	}
	if len(got) == 0 {
		got = items
	}
	if len(items) == 0 && len(got) != count {
		return got, fmt.Errorf("the API reported %d %s assigned, not the %d asked for", len(got), k.noun, count)
	}
	if _, err := k.wait(c)(ctx, eniID, got, nil, timeout); err != nil {
		return got, fmt.Errorf("waiting for %s to show on network interface (%s): %w", strings.Join(got, ", "), eniID, err)
	}
	return got, nil
}

// unassign removes items from the ENI and waits until they are gone. An
// error of the wait wraps errWaitAfterChange: the change itself was made.
// The caller holds the ENI's lock.
func (k addressKind) unassign(ctx context.Context, c *cloud.Client, eniID string, items []string, timeout time.Duration) error {
	if err := k.remove(ctx, c, eniID, items); err != nil {
		return err
	}
	if _, err := k.wait(c)(ctx, eniID, nil, items, timeout); err != nil {
		return fmt.Errorf("waiting for %s to leave network interface (%s): %w: %w", strings.Join(items, ", "), eniID, errWaitAfterChange, err)
	}
	return nil
}

// latestOf picks the n most recently assigned items of a list in API
// order (the API lists them in the order they were assigned).
func latestOf(list func(*ecs.NetworkInterfaceSet) []string) func(eni *ecs.NetworkInterfaceSet, n int) []string {
	return func(eni *ecs.NetworkInterfaceSet, n int) []string {
		all := list(eni)
		out := make([]string, 0, n)
		for i := len(all) - 1; i >= 0 && len(out) < n; i-- {
			out = append(out, all[i])
		}
		return out
	}
}
