package mockcloud

import (
	"slices"
	"strconv"
)

// ecsIPv6Actions are the IPv6 actions of ENIs. Their errors follow the
// AssignIpv6Addresses reference: InvalidVSwitch.Ipv6NotTurnOn,
// InvalidIp.Address, InvalidIp.IpRepeated, InvalidOperation.Ipv6CountExceeded,
// InvalidOperation.Ipv6NotSupport (403 each), and the ENI state codes of
// the private IPv4 actions. UnassignIpv6Addresses has no ClientToken.
func ecsIPv6Actions() []action {
	return []action{
		{Version: ecsVersion, Name: "AssignIpv6Addresses", Mutating: true, Token: true, Handle: assignIPv6Addresses},
		{Version: ecsVersion, Name: "UnassignIpv6Addresses", Mutating: true, Handle: unassignIPv6Addresses},
	}
}

type assignIPv6Args struct {
	ENI       eniRef `param:"NetworkInterfaceId"`
	Addresses ipv6Args
}

func (a *assignIPv6Args) check(*call) error {
	if a.Addresses.requested() == 0 {
		return errMissing("Ipv6AddressCount")
	}
	return nil
}

// ipv6SetsAssigned is the Ipv6Sets of the AssignIpv6Addresses answer (a
// list of strings, unlike the Ipv6Sets of an ENI view).
type ipv6SetsAssigned struct {
	Ipv6Address []string `json:"Ipv6Address"`
}

type ipv6PrefixSetsAssigned struct {
	Ipv6Prefix []string `json:"Ipv6Prefix"`
}

func assignIPv6Addresses(c *call) (object, error) {
	var a assignIPv6Args
	if err := c.decode(&a); err != nil {
		return nil, err
	}
	st, e := c.st, a.ENI.eniObj
	if err := st.checkIPChangeState(e); err != nil {
		return nil, err
	}
	vsw := st.VSwitches[e.VSwitchID]
	if vsw == nil {
		return nil, errVSwitchNotFound(e.VSwitchID)
	}
	if err := a.Addresses.checkFor(vsw, e, eniWho(e.ID), st.ipv6Limit(e), e.ipv6Count()); err != nil {
		return nil, err
	}
	if e.ipsBusy() {
		return nil, errIPChangeConflict(e.ID)
	}
	added, err := a.Addresses.claim(vsw, e.ID)
	if err != nil {
		return nil, err
	}
	e.PendingAddIPv6 = added
	st.schedule(opIPs, e.ID, c.now, c.delay())
	return object{
		"NetworkInterfaceId": e.ID,
		"Ipv6Sets":           ipv6SetsAssigned{Ipv6Address: added},
		"Ipv6PrefixSets":     ipv6PrefixSetsAssigned{Ipv6Prefix: noStrings},
	}, nil
}

func unassignIPv6Addresses(c *call) (object, error) {
	var a struct {
		ENI       eniRef   `param:"NetworkInterfaceId"`
		Addresses []string `param:"Ipv6Address.N,required,max=10"`
		Prefixes  []string `param:"Ipv6Prefix.N,max=10"`
	}
	if err := c.decode(&a); err != nil {
		return nil, err
	}
	if len(a.Prefixes) > 0 {
		return nil, errInvalid("Ipv6Prefix.1", "IPv6 prefixes are not supported by this endpoint")
	}
	st, e := c.st, a.ENI.eniObj
	if err := st.checkIPChangeState(e); err != nil {
		return nil, err
	}
	addrs, err := requestedIPv6(a.Addresses)
	if err != nil {
		return nil, err
	}
	for i, addr := range addrs {
		if !slices.Contains(e.IPv6Addresses, addr) {
			return nil, forbidden("InvalidIp.IpUnassigned",
				"The specified Ipv6Address.%s %q is not assigned to ENI %q.", strconv.Itoa(i+1), addr, e.ID)
		}
	}
	if e.ipsBusy() {
		return nil, errIPChangeConflict(e.ID)
	}
	e.PendingRemoveIPv6 = addrs
	st.schedule(opIPs, e.ID, c.now, c.delay())
	return object{}, nil
}
