// Package validate holds the plan-time rules as plain functions: they take
// facts already looked up and return a problem to report, or nil. The
// resources decide when the facts are known; these decide what is wrong.
package validate

import (
	"fmt"
	"net/netip"

	"github.com/openeni/terraform-provider-eni/internal/domain"
)

// IPv4 checks that s is a dotted-quad IPv4 address.
func IPv4(s string) error {
	if s == "" {
		return fmt.Errorf("the address is empty; give an IPv4 address such as 10.1.0.20")
	}
	a, err := netip.ParseAddr(s)
	if err != nil || !a.Is4() {
		return fmt.Errorf("%q is not an IPv4 address; give one such as 10.1.0.20", s)
	}
	return nil
}

// AddressInVSwitch checks that ip is a usable address of a vSwitch: an
// IPv4 address inside its CIDR that Alibaba does not reserve.
func AddressInVSwitch(ip, vswitchID, cidr string) error {
	if err := IPv4(ip); err != nil {
		return err
	}
	p, err := netip.ParsePrefix(cidr)
	if err != nil {
		return fmt.Errorf("vSwitch %s reports CIDR %q, which cannot be parsed", vswitchID, cidr)
	}
	switch err := domain.AddressUsable(p, netip.MustParseAddr(ip)); err {
	case domain.ErrOutsidePrefix:
		return fmt.Errorf("%s is outside vSwitch %s (%s); choose an address inside that CIDR", ip, vswitchID, p.Masked())
	case domain.ErrReservedAddress:
		return fmt.Errorf("%s is reserved by Alibaba Cloud in vSwitch %s (%s): the first address and the last three "+
			"cannot be assigned; choose another", ip, vswitchID, p.Masked())
	}
	return nil
}

// SecurityGroupInVPC checks that a security group belongs to the ENI's VPC.
func SecurityGroupInVPC(groupID, groupVPC, vswitchID, vswitchVPC string) error {
	if groupVPC != vswitchVPC {
		return fmt.Errorf("security group %s is in %s, but vSwitch %s is in %s; an ENI can only use security "+
			"groups of its own VPC", groupID, groupVPC, vswitchID, vswitchVPC)
	}
	return nil
}
