package cloud

import (
	"context"
	"slices"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
)

// The address waiters: assign and unassign calls may take effect after
// they answer, so each is followed by a wait until the ENI shows the
// change. The three kinds of address (private IPv4, IPv6, IPv4 prefix)
// share one wait, told how to list the kind it waits on.

// WaitNetworkInterfacePrivateIPs waits until the ENI holds every private
// IPv4 address in present and none in absent.
func (c *Client) WaitNetworkInterfacePrivateIPs(ctx context.Context, id string, present, absent []string, timeout time.Duration) (*ecs.NetworkInterfaceSet, error) {
	return c.waitAddresses(ctx, id, PrivateIPs, present, absent, timeout)
}

// WaitNetworkInterfaceIPv6Addresses waits until the ENI holds every IPv6
// address in present and none in absent.
func (c *Client) WaitNetworkInterfaceIPv6Addresses(ctx context.Context, id string, present, absent []string, timeout time.Duration) (*ecs.NetworkInterfaceSet, error) {
	return c.waitAddresses(ctx, id, IPv6Addresses, present, absent, timeout)
}

// WaitNetworkInterfaceIPv4Prefixes waits until the ENI holds every IPv4
// prefix in present and none in absent.
func (c *Client) WaitNetworkInterfaceIPv4Prefixes(ctx context.Context, id string, present, absent []string, timeout time.Duration) (*ecs.NetworkInterfaceSet, error) {
	return c.waitAddresses(ctx, id, IPv4Prefixes, present, absent, timeout)
}

// waitAddresses waits until have(eni) holds every item of present and
// none of absent.
func (c *Client) waitAddresses(ctx context.Context, id string, have func(*ecs.NetworkInterfaceSet) []string, present, absent []string, timeout time.Duration) (*ecs.NetworkInterfaceSet, error) {
	const pending, done = "AddressesPending", "AddressesMatch"
	byAddresses := func(status RefreshFunc[ecs.NetworkInterfaceSet]) RefreshFunc[ecs.NetworkInterfaceSet] {
		return func(ctx context.Context) (*ecs.NetworkInterfaceSet, string, error) {
			obj, _, err := status(ctx)
			if err != nil {
				return nil, "", err
			}
			held := have(obj)
			for _, a := range present {
				if !slices.Contains(held, a) {
					return obj, pending, nil
				}
			}
			for _, a := range absent {
				if slices.Contains(held, a) {
					return obj, pending, nil
				}
			}
			return obj, done, nil
		}
	}
	return waitOn(ctx, c, c.eniWait(), id, WaitOpts{
		Pending: []string{pending},
		Target:  []string{done},
		Timeout: timeout,
	}, byAddresses)
}

// PrivateIPs lists every private IPv4 of an ENI, primary first.
func PrivateIPs(eni *ecs.NetworkInterfaceSet) []string {
	var out []string
	if eni.PrivateIpAddress != "" {
		out = append(out, eni.PrivateIpAddress)
	}
	for _, s := range eni.PrivateIpSets.PrivateIpSet {
		if s.PrivateIpAddress != "" && !slices.Contains(out, s.PrivateIpAddress) {
			out = append(out, s.PrivateIpAddress)
		}
	}
	return out
}

// IPv6Addresses lists the IPv6 addresses of an ENI, in API order.
func IPv6Addresses(eni *ecs.NetworkInterfaceSet) []string {
	return distinct(eni.Ipv6Sets.Ipv6Set, func(s ecs.Ipv6Set) string { return s.Ipv6Address })
}

// IPv4Prefixes lists the IPv4 prefixes of an ENI, in API order.
func IPv4Prefixes(eni *ecs.NetworkInterfaceSet) []string {
	return distinct(eni.Ipv4PrefixSets.Ipv4PrefixSet, func(s ecs.Ipv4PrefixSet) string { return s.Ipv4Prefix })
}

// distinct lists the non-empty values of(item) of items, each once, in
// order; never nil.
func distinct[T any](items []T, of func(T) string) []string {
	out := []string{}
	for _, it := range items {
		if v := of(it); v != "" && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}
