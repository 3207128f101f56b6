package mockcloud

import (
	"net/netip"
	"strconv"

	"github.com/openeni/terraform-provider-eni/internal/domain"
)

// prefixArgs are the IPv4 prefixes a CreateNetworkInterface or an
// AssignPrivateIpAddresses request asks for: given (Ipv4Prefix.N) or
// counted (Ipv4PrefixCount), 1 to 10 either way
// (domain.MaxIPv4PrefixesPerRequest).
type prefixArgs struct {
	List     []string `param:"Ipv4Prefix.N,max=10"`
	Count    int      `param:"Ipv4PrefixCount,min=1,max=10,conflicts=Ipv4Prefix.N"`
	prefixes []netip.Prefix
}

func (a *prefixArgs) check(*call) (err error) {
	a.prefixes, err = requestedPrefixes(a.List)
	return err
}

// requested is how many prefixes the request adds.
func (a *prefixArgs) requested() int { return len(a.prefixes) + a.Count }

// ipv6Args are the IPv6 addresses a CreateNetworkInterface or an
// AssignIpv6Addresses request asks for: given (Ipv6Address.N) or counted
// (Ipv6AddressCount), 1 to 10 either way
// (domain.MaxIPv6AddressesPerRequest). IPv6 prefixes are not emulated and
// are refused rather than ignored.
type ipv6Args struct {
	List        []string `param:"Ipv6Address.N,max=10"`
	Count       int      `param:"Ipv6AddressCount,min=1,max=10,conflicts=Ipv6Address.N"`
	Prefixes    []string `param:"Ipv6Prefix.N,max=10"`
	PrefixCount int      `param:"Ipv6PrefixCount,max=10"`
	addresses   []string
}

func (a *ipv6Args) check(*call) (err error) {
	if len(a.Prefixes) > 0 || a.PrefixCount > 0 {
		return errInvalid("Ipv6Prefix", "IPv6 prefixes are not supported by this endpoint; assign IPv6 addresses")
	}
	a.addresses, err = requestedIPv6(a.List)
	return err
}

// requested is how many IPv6 addresses the request adds.
func (a *ipv6Args) requested() int { return len(a.addresses) + a.Count }

// checkFor checks the requested IPv6 addresses against vsw and the limit
// l of ENI owner (nil while it is being created; who names it in
// messages) holding n already.
func (a *ipv6Args) checkFor(vsw *vswitchObj, owner *eniObj, who string, l domain.ENILimit, n int) error {
	p, err := vswitchIPv6(vsw)
	if err != nil {
		return err
	}
	if err := checkIPv6Places(who, l, n+a.requested()); err != nil {
		return err
	}
	for i, addr := range a.addresses {
		if err := claimableIPv6(vsw, p, owner, "Ipv6Address."+strconv.Itoa(i+1), addr); err != nil {
			return err
		}
	}
	return nil
}

// claim takes the requested IPv6 addresses of vsw for owner; nothing when
// none is requested.
func (a *ipv6Args) claim(vsw *vswitchObj, owner string) ([]string, error) {
	if a.requested() == 0 {
		return []string{}, nil
	}
	p, err := vswitchIPv6(vsw)
	if err != nil {
		return nil, err
	}
	return claimIPv6(vsw, p, owner, a.addresses, a.Count)
}

// placeENIExtras checks the IPv4 prefixes and IPv6 addresses a new ENI in
// vsw asks for: prefixes inside the vSwitch, free and clear of the
// addresses the request names; the limits of an ENI bound to no instance;
// IPv6 only on a vSwitch that has it.
func placeENIExtras(vsw *vswitchObj, args *createENIArgs) error {
	a := &args.Addresses
	for i, p := range args.Prefixes.prefixes {
		name := "Ipv4Prefix." + strconv.Itoa(i+1)
		if err := claimablePrefix(vsw, nil, name, p); err != nil {
			return err
		}
		for _, ip := range a.explicit {
			if p.Contains(netip.MustParseAddr(ip)) {
				return badRequest("InvalidPrivateIpAddress.Duplicated",
					"The specified %s %q holds the address %s the request also names.", name, p, ip)
			}
		}
	}
	secondaries := len(a.explicit) + a.Count - primaryGiven(a)
	if err := checkIPv4Places("new ENI", domain.UnboundIPv4Limit(), secondaries, args.Prefixes.requested()); err != nil {
		return err
	}
	if args.IPv6.requested() > 0 {
		if err := args.IPv6.checkFor(vsw, nil, "new ENI", domain.UnboundIPv6Limit(), 0); err != nil {
			return err
		}
	}
	return nil
}

// releaseOwner returns to vsw every address owner holds there, IPv4 and
// IPv6: the undoing of a create that failed half-way.
func releaseOwner(vsw *vswitchObj, owner string) {
	for ip, o := range vsw.Used {
		if o == owner {
			delete(vsw.Used, ip)
		}
	}
	for ip, o := range vsw.UsedIPv6 {
		if o == owner {
			delete(vsw.UsedIPv6, ip)
		}
	}
}
