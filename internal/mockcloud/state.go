package mockcloud

import (
	"fmt"
	"hash/fnv"
	"net/netip"
	"slices"
	"time"

	"github.com/openeni/terraform-provider-eni/internal/domain"
)

// state is everything the emulator knows. It is guarded by Server.mu and
// serialised whole to the state file, so every field is exported for JSON.
type state struct {
	Region         string                    `json:"region"`
	Credentials    map[string]string         `json:"credentials"` // access key ID → secret
	VPCs           map[string]*vpcObj        `json:"vpcs"`
	VSwitches      map[string]*vswitchObj    `json:"vswitches"`
	SecurityGroups map[string]*securityGroup `json:"security_groups"`
	InstanceTypes  map[string]*instanceType  `json:"instance_types"`
	Instances      map[string]*instanceObj   `json:"instances"`
	ENIs           map[string]*eniObj        `json:"enis"`
	EIPs           map[string]*eipObj        `json:"eips"`
	Quotas         Quotas                    `json:"quotas"`
	Tokens         map[string]*tokenRecord   `json:"tokens"`
	Pending        []pendingOp               `json:"pending"`
	Seq            int64                     `json:"seq"`
	// EIPPool is the next public address AllocateEipAddress hands out.
	EIPPool string `json:"eip_pool"`
}

type vpcObj struct {
	ID   string `json:"id"`
	CIDR string `json:"cidr"`
	// IPv6CIDR is the VPC's IPv6 CIDR block; "" when IPv6 is off.
	IPv6CIDR  string    `json:"ipv6_cidr,omitempty"`
	Name      string    `json:"name"`
	CreatedAt time.Time `json:"created_at"`
	Seq       int64     `json:"seq"`
}

type vswitchObj struct {
	ID        string    `json:"id"`
	VPCID     string    `json:"vpc_id"`
	ZoneID    string    `json:"zone_id"`
	CIDR      string    `json:"cidr"`
	Name      string    `json:"name"`
	CreatedAt time.Time `json:"created_at"`
	Seq       int64     `json:"seq"`
	// Used maps every handed-out IPv4 address to the ENI that holds it;
	// the 16 addresses of an IPv4 prefix are each recorded.
	Used map[string]string `json:"used"`
	// IPv6CIDR is the vSwitch's IPv6 CIDR block (a /64); "" when IPv6 is
	// off. UsedIPv6 maps every handed-out IPv6 address to its ENI.
	IPv6CIDR string            `json:"ipv6_cidr,omitempty"`
	UsedIPv6 map[string]string `json:"used_ipv6,omitempty"`
}

func (v *vswitchObj) prefix() netip.Prefix { return netip.MustParsePrefix(v.CIDR) }

// available is the true AvailableIpAddressCount.
func (v *vswitchObj) available() int64 {
	return domain.UsableAddresses(v.prefix()) - int64(len(v.Used))
}

type securityGroup struct {
	ID        string    `json:"id"`
	VPCID     string    `json:"vpc_id"`
	Name      string    `json:"name"`
	CreatedAt time.Time `json:"created_at"`
	Seq       int64     `json:"seq"`
}

type instanceType struct {
	ID                  string `json:"id"`
	ENIQuantity         int    `json:"eni_quantity"`
	ENIPrivateIPs       int    `json:"eni_private_ip_address_quantity"`
	ENIIPv6             int    `json:"eni_ipv6_address_quantity"`
	NetworkCardQuantity int    `json:"network_card_quantity"`
	HotSwap             bool   `json:"hot_swap"`
}

type instanceObj struct {
	ID               string   `json:"id"`
	Name             string   `json:"name"`
	Type             string   `json:"type"`
	VSwitchID        string   `json:"vswitch_id"`
	VPCID            string   `json:"vpc_id"`
	ZoneID           string   `json:"zone_id"`
	SecurityGroupIDs []string `json:"security_group_ids"`
	Status           string   `json:"status"`
	PrimaryENIID     string   `json:"primary_eni_id"`
	// Tags are set by TagResources with ResourceType instance (or the
	// seed). A state file written before instances had tags has none.
	Tags      []tagPair `json:"tags,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	Seq       int64     `json:"seq"`
}

type eniObj struct {
	ID               string    `json:"id"`
	Name             string    `json:"name"`
	Description      string    `json:"description"`
	Type             string    `json:"type"`
	Status           string    `json:"status"`
	VSwitchID        string    `json:"vswitch_id"`
	VPCID            string    `json:"vpc_id"`
	ZoneID           string    `json:"zone_id"`
	MAC              string    `json:"mac"`
	SecurityGroupIDs []string  `json:"security_group_ids"`
	PrimaryIP        string    `json:"primary_ip"`
	SecondaryIPs     []string  `json:"secondary_ips"`
	InstanceID       string    `json:"instance_id"`
	DeviceIndex      int       `json:"device_index"`
	NetworkCardIndex int       `json:"network_card_index"`
	AttachedAt       time.Time `json:"attached_at"`
	QueueNumber      int       `json:"queue_number"`
	TrafficMode      string    `json:"traffic_mode"`
	DeleteOnRelease  bool      `json:"delete_on_release"`
	ResourceGroupID  string    `json:"resource_group_id"`
	Tags             []tagPair `json:"tags"`
	CreatedAt        time.Time `json:"created_at"`
	Seq              int64     `json:"seq"`
	// An assign or unassign takes effect after the transition delay
	// (opIPs); until then the addresses wait here, the ENI is busy and
	// another IP change on it is refused with Operation.Conflict.
	PendingAdd    []string `json:"pending_add,omitempty"`
	PendingRemove []string `json:"pending_remove,omitempty"`
	// IPv4Prefixes (CIDR text) and IPv6Addresses (canonical text) the ENI
	// holds, in the order they were assigned. Their assigns and unassigns
	// wait in the Pending lists like those of the private IPv4 addresses
	// and hold the same lock (ipsBusy).
	IPv4Prefixes          []string `json:"ipv4_prefixes,omitempty"`
	IPv6Addresses         []string `json:"ipv6_addresses,omitempty"`
	PendingAddPrefixes    []string `json:"pending_add_prefixes,omitempty"`
	PendingRemovePrefixes []string `json:"pending_remove_prefixes,omitempty"`
	PendingAddIPv6        []string `json:"pending_add_ipv6,omitempty"`
	PendingRemoveIPv6     []string `json:"pending_remove_ipv6,omitempty"`
}

// secondaryCount, prefixCount and ipv6Count count what the ENI holds and
// what an assign in progress adds.
func (e *eniObj) secondaryCount() int { return len(e.SecondaryIPs) + len(e.PendingAdd) }
func (e *eniObj) prefixCount() int    { return len(e.IPv4Prefixes) + len(e.PendingAddPrefixes) }
func (e *eniObj) ipv6Count() int      { return len(e.IPv6Addresses) + len(e.PendingAddIPv6) }

// ipsBusy reports whether an assign or unassign of any kind of address is
// in progress.
func (e *eniObj) ipsBusy() bool {
	return len(e.PendingAdd) > 0 || len(e.PendingRemove) > 0 ||
		len(e.PendingAddPrefixes) > 0 || len(e.PendingRemovePrefixes) > 0 ||
		len(e.PendingAddIPv6) > 0 || len(e.PendingRemoveIPv6) > 0
}

func (e *eniObj) hasIP(ip string) bool {
	if e.PrimaryIP == ip {
		return true
	}
	for _, s := range e.SecondaryIPs {
		if s == ip {
			return true
		}
	}
	return false
}

// hasIPv6 reports whether the ENI holds the IPv6 address a, in any
// spelling.
func (e *eniObj) hasIPv6(a string) bool {
	addr, err := netip.ParseAddr(a)
	return err == nil && slices.Contains(e.IPv6Addresses, addr.String())
}

type eipObj struct {
	ID        string    `json:"id"`
	IP        string    `json:"ip"`
	Status    string    `json:"status"`
	Name      string    `json:"name"`
	Bandwidth string    `json:"bandwidth"`
	ChargeTyp string    `json:"internet_charge_type"`
	CreatedAt time.Time `json:"created_at"`
	Seq       int64     `json:"seq"`
	// Binding, set while associating, associated or unassociating.
	InstanceID   string `json:"instance_id"`
	InstanceType string `json:"instance_type"`
	PrivateIP    string `json:"private_ip"`
	Mode         string `json:"mode"`
	// PrivateIPImplicit: the association named no PrivateIpAddress. The
	// EIP maps to the primary IP all the same (PrivateIP holds it, and
	// the rules that protect that address apply), but DescribeEipAddresses
	// reports no PrivateIpAddress, as the real API does for such an
	// association. Cleared when the EIP is unassociated; a state file
	// written before the field reports the address as before.
	PrivateIPImplicit bool `json:"private_ip_implicit,omitempty"`
}

// Quotas are the account limits the seed can set.
type Quotas struct {
	MaxNetworkInterfaces int `json:"max_network_interfaces"`
	MaxEIPs              int `json:"max_eips"`
}

// pendingOp is an asynchronous transition that completes at Until.
type pendingOp struct {
	Kind  string    `json:"kind"` // see the op* constants
	ID    string    `json:"id"`
	Until time.Time `json:"until"`
}

const (
	opAttach      = "eni-attach"
	opDetach      = "eni-detach"
	opDelete      = "eni-delete"
	opStop        = "instance-stop"
	opStart       = "instance-start"
	opAssociate   = "eip-associate"
	opUnassociate = "eip-unassociate"
	opIPs         = "eni-ips"
)

// nextSeq returns a new sequence number; objects are listed in this order.
func (s *state) nextSeq() int64 {
	s.Seq++
	return s.Seq
}

const idAlphabet = "0123456789abcdefghijklmnopqrstuvwxyz"

// newID returns a fresh, deterministic ID such as eni-bp1k7x0f2mhv3c9yq8ra.
func (s *state) newID(prefix string) string {
	for {
		seq := s.nextSeq()
		h := fnv.New64a()
		fmt.Fprintf(h, "%s/%d", prefix, seq)
		v := h.Sum64()
		b := []byte("bp")
		for i := 0; i < 18; i++ {
			b = append(b, idAlphabet[v%36])
			v /= 36
			if v == 0 {
				v = uint64(seq)*2654435761 + uint64(i)
			}
		}
		id := prefix + "-" + string(b)
		if !s.idTaken(id) {
			return id
		}
	}
}

func (s *state) idTaken(id string) bool {
	_, a := s.ENIs[id]
	_, b := s.EIPs[id]
	_, c := s.Instances[id]
	return a || b || c
}

// newMAC returns a MAC in Alibaba's 00:16:3e OUI.
func (s *state) newMAC() string {
	n := s.nextSeq()
	return fmt.Sprintf("00:16:3e:%02x:%02x:%02x", byte(n>>16), byte(n>>8), byte(n))
}

// schedule records an asynchronous transition that completes after delay.
func (s *state) schedule(kind, id string, now time.Time, delay time.Duration) {
	s.Pending = append(s.Pending, pendingOp{Kind: kind, ID: id, Until: now.Add(delay)})
}

// allocateIP hands out the lowest free, non-reserved address of a vSwitch
// to owner, or reports that the vSwitch is full.
func (s *state) allocateIP(vsw *vswitchObj, owner string) (string, error) {
	p := vsw.prefix().Masked()
	last := domain.LastAddr(p)
	for a := p.Addr().Next(); a.IsValid() && a.Compare(last) <= 0; a = a.Next() {
		if domain.ReservedInPrefix(p, a) {
			continue
		}
		if _, used := vsw.Used[a.String()]; !used {
			vsw.Used[a.String()] = owner
			return a.String(), nil
		}
	}
	return "", errIPNotEnough(vsw.ID)
}

func errIPNotEnough(vswID string) *apiError {
	return forbidden("InvalidVSwitchId.IpNotEnough", "The specified VSwitch %q has not enough IpAddress.", vswID)
}

// claimIP checks that ip may be taken from the vSwitch (valid, inside the
// CIDR, not reserved, free) without taking it.
func claimableIP(vsw *vswitchObj, name, ip string) error {
	a, err := parseIPv4(name, ip)
	if err != nil {
		return err
	}
	p := vsw.prefix().Masked()
	if domain.AddressUsable(p, a) != nil {
		return forbidden("InvalidVSwitchId.IpInvalid",
			"The specified %s %q is not a usable address of VSwitch %q (%s); the first address and the last three are reserved.",
			name, ip, vsw.ID, vsw.CIDR)
	}
	if owner, used := vsw.Used[a.String()]; used {
		return badRequest("InvalidPrivateIpAddress.Duplicated",
			"The specified %s %q is already in use by %s.", name, ip, owner)
	}
	return nil
}

func (s *state) releaseIP(vswID, ip string) {
	if vsw := s.VSwitches[vswID]; vsw != nil {
		delete(vsw.Used, ip)
	}
}
