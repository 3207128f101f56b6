package mockcloud

import (
	"encoding/json"
	"fmt"
	"net/netip"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/openeni/terraform-provider-eni/internal/domain"
)

// Seed is the starting topology, in the JSON shape documented in
// docs/guides/mock-cloud.md.
type Seed struct {
	RegionID       string              `json:"region_id"`
	Credentials    []SeedCredential    `json:"credentials"`
	VPCs           []SeedVPC           `json:"vpcs"`
	VSwitches      []SeedVSwitch       `json:"vswitches"`
	SecurityGroups []SeedSecurityGroup `json:"security_groups"`
	InstanceTypes  []SeedInstanceType  `json:"instance_types"`
	Instances      []SeedInstance      `json:"instances"`
	EIPs           []SeedEIP           `json:"eips"`
	Quotas         Quotas              `json:"quotas"`
}

type SeedCredential struct {
	AccessKeyID     string `json:"access_key_id"`
	AccessKeySecret string `json:"access_key_secret"`
}

type SeedVPC struct {
	VPCID     string `json:"vpc_id"`
	CIDRBlock string `json:"cidr_block"`
	Name      string `json:"name,omitempty"`
	// IPv6CIDRBlock enables IPv6 on the VPC: its IPv6 CIDR block (Alibaba
	// allocates a /56), which its vSwitches' IPv6 blocks lie in.
	IPv6CIDRBlock string `json:"ipv6_cidr_block,omitempty"`
}

type SeedVSwitch struct {
	VSwitchID string `json:"vswitch_id"`
	VPCID     string `json:"vpc_id"`
	ZoneID    string `json:"zone_id"`
	CIDRBlock string `json:"cidr_block"`
	Name      string `json:"name,omitempty"`
	// IPv6CIDRBlock enables IPv6 on the vSwitch: a /64 inside its VPC's
	// IPv6 CIDR block, which ENIs in the vSwitch take IPv6 addresses from.
	IPv6CIDRBlock string `json:"ipv6_cidr_block,omitempty"`
}

type SeedSecurityGroup struct {
	SecurityGroupID string `json:"security_group_id"`
	VPCID           string `json:"vpc_id"`
	Name            string `json:"name,omitempty"`
}

type SeedInstanceType struct {
	InstanceTypeID              string `json:"instance_type_id"`
	ENIQuantity                 int    `json:"eni_quantity"`
	ENIPrivateIPAddressQuantity int    `json:"eni_private_ip_address_quantity"`
	ENIIPv6AddressQuantity      int    `json:"eni_ipv6_address_quantity"`
	NetworkCardQuantity         int    `json:"network_card_quantity,omitempty"`
	// HotSwap overrides the built-in non-hot-swap table when set.
	HotSwap *bool `json:"hot_swap,omitempty"`
}

type SeedInstance struct {
	InstanceID       string   `json:"instance_id"`
	InstanceType     string   `json:"instance_type"`
	VSwitchID        string   `json:"vswitch_id"`
	SecurityGroupIDs []string `json:"security_group_ids"`
	Status           string   `json:"status"`
	Name             string   `json:"name,omitempty"`
	// Tags are the instance's tags, key to value (at most 20; keys follow
	// the TagResources rules). They are reported sorted by key.
	Tags map[string]string `json:"tags,omitempty"`
}

type SeedEIP struct {
	AllocationID string `json:"allocation_id"`
	IPAddress    string `json:"ip_address"`
}

// LoadSeed reads a seed file; unknown fields are refused so a typo in a
// name is reported instead of silently ignored.
func LoadSeed(path string) (*Seed, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading seed: %w", err)
	}
	return ParseSeed(b)
}

// ParseSeed decodes a seed document.
func ParseSeed(b []byte) (*Seed, error) {
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	var s Seed
	if err := dec.Decode(&s); err != nil {
		return nil, fmt.Errorf("parsing seed: %w", err)
	}
	return &s, nil
}

// DefaultSeed is the built-in topology: one region, two zones, one VPC
// with a vSwitch per zone and a dual-stack (IPv4 and IPv6) vSwitch in zone
// h, two security groups, four running instances (one of a non-hot-swap
// type, instances in both zones) and four EIPs. The dual-stack vSwitch
// sits between the other two, so the first and the last vSwitch are
// still those of zones h and i.
func DefaultSeed() *Seed {
	return &Seed{
		RegionID:    "cn-hangzhou",
		Credentials: []SeedCredential{{AccessKeyID: "mock-key", AccessKeySecret: "mock-secret"}},
		VPCs: []SeedVPC{{VPCID: "vpc-mock1", CIDRBlock: "10.0.0.0/8", Name: "mock-vpc",
			IPv6CIDRBlock: "2001:db8:10::/56"}},
		VSwitches: []SeedVSwitch{
			{VSwitchID: "vsw-mockh", VPCID: "vpc-mock1", ZoneID: "cn-hangzhou-h", CIDRBlock: "10.1.0.0/24", Name: "zone-h"},
			{VSwitchID: "vsw-mockv6", VPCID: "vpc-mock1", ZoneID: "cn-hangzhou-h", CIDRBlock: "10.4.0.0/24", Name: "dual-stack-h",
				IPv6CIDRBlock: "2001:db8:10:4::/64"},
			{VSwitchID: "vsw-mocki", VPCID: "vpc-mock1", ZoneID: "cn-hangzhou-i", CIDRBlock: "10.2.0.0/24", Name: "zone-i"},
		},
		SecurityGroups: []SeedSecurityGroup{
			{SecurityGroupID: "sg-mockweb", VPCID: "vpc-mock1", Name: "web"},
			{SecurityGroupID: "sg-mockdb", VPCID: "vpc-mock1", Name: "db"},
		},
		InstanceTypes: []SeedInstanceType{
			{InstanceTypeID: "ecs.g7.large", ENIQuantity: 3, ENIPrivateIPAddressQuantity: 10, ENIIPv6AddressQuantity: 10},
			{InstanceTypeID: "ecs.g7.xlarge", ENIQuantity: 4, ENIPrivateIPAddressQuantity: 15, ENIIPv6AddressQuantity: 15},
			{InstanceTypeID: "ecs.t6-c1m2.large", ENIQuantity: 2, ENIPrivateIPAddressQuantity: 2, ENIIPv6AddressQuantity: 0},
		},
		Instances: []SeedInstance{
			{InstanceID: "i-mockweb1", Name: "web-1", InstanceType: "ecs.g7.large", VSwitchID: "vsw-mockh", SecurityGroupIDs: []string{"sg-mockweb"}, Status: "Running"},
			{InstanceID: "i-mockweb2", Name: "web-2", InstanceType: "ecs.g7.large", VSwitchID: "vsw-mockh", SecurityGroupIDs: []string{"sg-mockweb"}, Status: "Running"},
			{InstanceID: "i-mockdb1", Name: "db-1", InstanceType: "ecs.g7.xlarge", VSwitchID: "vsw-mocki", SecurityGroupIDs: []string{"sg-mockdb"}, Status: "Running"},
			{InstanceID: "i-mockburst", Name: "burst-1", InstanceType: "ecs.t6-c1m2.large", VSwitchID: "vsw-mockh", SecurityGroupIDs: []string{"sg-mockweb"}, Status: "Running"},
		},
		EIPs: []SeedEIP{
			{AllocationID: "eip-mock1", IPAddress: "47.96.0.10"},
			{AllocationID: "eip-mock2", IPAddress: "47.96.0.11"},
			{AllocationID: "eip-mock3", IPAddress: "47.96.0.12"},
			{AllocationID: "eip-mock4", IPAddress: "47.96.0.13"},
		},
		Quotas: Quotas{MaxNetworkInterfaces: 100, MaxEIPs: 20},
	}
}

// build turns a seed into a fresh state, refusing a seed that breaks its
// own rules with a message that names the offending entry. The steps run
// in this order because each refers to what the ones before it built, and
// sequence numbers follow it.
func (sd *Seed) build(now time.Time) (*state, error) {
	s, err := sd.newState()
	if err != nil {
		return nil, err
	}
	for _, step := range []func(*state, time.Time) error{
		sd.addVPCs, sd.addVSwitches, sd.addSecurityGroups, sd.addInstanceTypes, sd.addInstances, sd.addEIPs,
	} {
		if err := step(s, now); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// newState is the empty state of the seed's region, quotas and
// credentials.
func (sd *Seed) newState() (*state, error) {
	s := &state{
		Region:         sd.RegionID,
		Credentials:    map[string]string{},
		VPCs:           map[string]*vpcObj{},
		VSwitches:      map[string]*vswitchObj{},
		SecurityGroups: map[string]*securityGroup{},
		InstanceTypes:  map[string]*instanceType{},
		Instances:      map[string]*instanceObj{},
		ENIs:           map[string]*eniObj{},
		EIPs:           map[string]*eipObj{},
		Tokens:         map[string]*tokenRecord{},
		Quotas:         sd.Quotas,
		EIPPool:        "47.98.0.1",
	}
	if s.Region == "" {
		return nil, fmt.Errorf("seed: region_id is required")
	}
	if s.Quotas.MaxNetworkInterfaces == 0 {
		s.Quotas.MaxNetworkInterfaces = 100
	}
	if s.Quotas.MaxEIPs == 0 {
		s.Quotas.MaxEIPs = 20
	}
	if len(sd.Credentials) == 0 {
		return nil, fmt.Errorf("seed: at least one entry in credentials is required")
	}
	for i, c := range sd.Credentials {
		if c.AccessKeyID == "" || c.AccessKeySecret == "" {
			return nil, fmt.Errorf("seed: credentials[%d] needs access_key_id and access_key_secret", i)
		}
		s.Credentials[c.AccessKeyID] = c.AccessKeySecret
	}
	return s, nil
}

func (sd *Seed) addVPCs(s *state, now time.Time) error {
	var vpcPrefixes []netip.Prefix
	for i, v := range sd.VPCs {
		p, err := netip.ParsePrefix(v.CIDRBlock)
		switch {
		case v.VPCID == "":
			return fmt.Errorf("seed: vpcs[%d] has no vpc_id", i)
		case s.VPCs[v.VPCID] != nil:
			return fmt.Errorf("seed: vpcs[%d]: duplicate vpc_id %q", i, v.VPCID)
		case err != nil || !p.Addr().Is4():
			return fmt.Errorf("seed: vpc %q: cidr_block %q is not an IPv4 CIDR", v.VPCID, v.CIDRBlock)
		}
		for j, q := range vpcPrefixes {
			if p.Overlaps(q) {
				return fmt.Errorf("seed: vpc %q: cidr_block %s overlaps vpc %q", v.VPCID, v.CIDRBlock, sd.VPCs[j].VPCID)
			}
		}
		vpcPrefixes = append(vpcPrefixes, p.Masked())
		ipv6, err := seedVPCIPv6(s, v)
		if err != nil {
			return err
		}
		s.VPCs[v.VPCID] = &vpcObj{ID: v.VPCID, CIDR: p.Masked().String(), IPv6CIDR: ipv6, Name: v.Name, CreatedAt: now, Seq: s.nextSeq()}
	}
	return nil
}

// seedVPCIPv6 checks a VPC's IPv6 CIDR block: an IPv6 block no longer
// than a vSwitch's /64, overlapping no other VPC's. It returns it masked,
// or "".
func seedVPCIPv6(s *state, v SeedVPC) (string, error) {
	if v.IPv6CIDRBlock == "" {
		return "", nil
	}
	p, err := netip.ParsePrefix(v.IPv6CIDRBlock)
	if err != nil || !p.Addr().Is6() || p.Addr().Is4In6() || p.Bits() > domain.VSwitchIPv6Bits {
		return "", fmt.Errorf("seed: vpc %q: ipv6_cidr_block %q is not an IPv6 CIDR block of at most /%d (Alibaba gives a VPC a /%d)",
			v.VPCID, v.IPv6CIDRBlock, domain.VSwitchIPv6Bits, domain.VPCIPv6Bits)
	}
	for _, o := range s.VPCs {
		if o.IPv6CIDR != "" && netip.MustParsePrefix(o.IPv6CIDR).Overlaps(p) {
			return "", fmt.Errorf("seed: vpc %q: ipv6_cidr_block %s overlaps vpc %q (%s)", v.VPCID, v.IPv6CIDRBlock, o.ID, o.IPv6CIDR)
		}
	}
	return p.Masked().String(), nil
}

// seedVSwitchIPv6 checks a vSwitch's IPv6 CIDR block: a /64 inside its
// VPC's IPv6 block, overlapping no other vSwitch's. It returns it masked,
// or "".
func seedVSwitchIPv6(s *state, vpc *vpcObj, v SeedVSwitch) (string, error) {
	if v.IPv6CIDRBlock == "" {
		return "", nil
	}
	if vpc.IPv6CIDR == "" {
		return "", fmt.Errorf("seed: vswitch %q: ipv6_cidr_block needs an ipv6_cidr_block on vpc %q", v.VSwitchID, vpc.ID)
	}
	p, err := netip.ParsePrefix(v.IPv6CIDRBlock)
	switch {
	case err != nil || !p.Addr().Is6() || p.Addr().Is4In6() || p.Bits() != domain.VSwitchIPv6Bits:
		return "", fmt.Errorf("seed: vswitch %q: ipv6_cidr_block %q is not an IPv6 /%d", v.VSwitchID, v.IPv6CIDRBlock, domain.VSwitchIPv6Bits)
	case !netip.MustParsePrefix(vpc.IPv6CIDR).Contains(p.Addr()):
		return "", fmt.Errorf("seed: vswitch %q: ipv6_cidr_block %s is not inside vpc %q (%s)", v.VSwitchID, v.IPv6CIDRBlock, vpc.ID, vpc.IPv6CIDR)
	}
	for _, o := range s.VSwitches {
		if o.IPv6CIDR != "" && netip.MustParsePrefix(o.IPv6CIDR).Overlaps(p) {
			return "", fmt.Errorf("seed: vswitch %q: ipv6_cidr_block %s overlaps vswitch %q (%s)", v.VSwitchID, v.IPv6CIDRBlock, o.ID, o.IPv6CIDR)
		}
	}
	return p.Masked().String(), nil
}

func (sd *Seed) addVSwitches(s *state, now time.Time) error {
	for i, v := range sd.VSwitches {
		p, err := netip.ParsePrefix(v.CIDRBlock)
		vpc := s.VPCs[v.VPCID]
		switch {
		case v.VSwitchID == "":
			return fmt.Errorf("seed: vswitches[%d] has no vswitch_id", i)
		case s.VSwitches[v.VSwitchID] != nil:
			return fmt.Errorf("seed: vswitches[%d]: duplicate vswitch_id %q", i, v.VSwitchID)
		case vpc == nil:
			return fmt.Errorf("seed: vswitch %q: unknown vpc_id %q", v.VSwitchID, v.VPCID)
		case v.ZoneID == "":
			return fmt.Errorf("seed: vswitch %q: zone_id is required", v.VSwitchID)
		case err != nil || !p.Addr().Is4():
			return fmt.Errorf("seed: vswitch %q: cidr_block %q is not an IPv4 CIDR", v.VSwitchID, v.CIDRBlock)
		case p.Bits() > 29 || p.Bits() < 8:
			return fmt.Errorf("seed: vswitch %q: cidr_block %s must be between /8 and /29", v.VSwitchID, v.CIDRBlock)
		case !netip.MustParsePrefix(vpc.CIDR).Contains(p.Addr()) || p.Bits() < netip.MustParsePrefix(vpc.CIDR).Bits():
			return fmt.Errorf("seed: vswitch %q: cidr_block %s is not inside vpc %q (%s)", v.VSwitchID, v.CIDRBlock, v.VPCID, vpc.CIDR)
		}
		for _, o := range s.VSwitches {
			if o.VPCID == v.VPCID && o.prefix().Overlaps(p) {
				return fmt.Errorf("seed: vswitch %q: cidr_block %s overlaps vswitch %q (%s)", v.VSwitchID, v.CIDRBlock, o.ID, o.CIDR)
			}
		}
		ipv6, err := seedVSwitchIPv6(s, vpc, v)
		if err != nil {
			return err
		}
		s.VSwitches[v.VSwitchID] = &vswitchObj{ID: v.VSwitchID, VPCID: v.VPCID, ZoneID: v.ZoneID,
			CIDR: p.Masked().String(), IPv6CIDR: ipv6, Name: v.Name, CreatedAt: now, Seq: s.nextSeq(),
			Used: map[string]string{}, UsedIPv6: map[string]string{}}
	}
	return nil
}

func (sd *Seed) addSecurityGroups(s *state, now time.Time) error {
	for i, g := range sd.SecurityGroups {
		switch {
		case g.SecurityGroupID == "":
			return fmt.Errorf("seed: security_groups[%d] has no security_group_id", i)
		case s.SecurityGroups[g.SecurityGroupID] != nil:
			return fmt.Errorf("seed: security_groups[%d]: duplicate security_group_id %q", i, g.SecurityGroupID)
		case s.VPCs[g.VPCID] == nil:
			return fmt.Errorf("seed: security group %q: unknown vpc_id %q", g.SecurityGroupID, g.VPCID)
		}
		s.SecurityGroups[g.SecurityGroupID] = &securityGroup{ID: g.SecurityGroupID, VPCID: g.VPCID, Name: g.Name, CreatedAt: now, Seq: s.nextSeq()}
	}
	return nil
}

func (sd *Seed) addInstanceTypes(s *state, _ time.Time) error {
	for i, t := range sd.InstanceTypes {
		switch {
		case t.InstanceTypeID == "":
			return fmt.Errorf("seed: instance_types[%d] has no instance_type_id", i)
		case s.InstanceTypes[t.InstanceTypeID] != nil:
			return fmt.Errorf("seed: instance_types[%d]: duplicate instance_type_id %q", i, t.InstanceTypeID)
		case t.ENIQuantity < 1:
			return fmt.Errorf("seed: instance type %q: eni_quantity must be at least 1 (it counts the primary ENI)", t.InstanceTypeID)
		case t.ENIPrivateIPAddressQuantity < 1:
			return fmt.Errorf("seed: instance type %q: eni_private_ip_address_quantity must be at least 1 (it counts the primary IP)", t.InstanceTypeID)
		case t.ENIIPv6AddressQuantity < 0 || t.NetworkCardQuantity < 0:
			return fmt.Errorf("seed: instance type %q: quantities cannot be negative", t.InstanceTypeID)
		}
		hot := domain.HotSwapSupported(t.InstanceTypeID)
		if t.HotSwap != nil {
			hot = *t.HotSwap
		}
		cards := t.NetworkCardQuantity
		if cards == 0 {
			cards = 1
		}
		s.InstanceTypes[t.InstanceTypeID] = &instanceType{ID: t.InstanceTypeID, ENIQuantity: t.ENIQuantity,
			ENIPrivateIPs: t.ENIPrivateIPAddressQuantity, ENIIPv6: t.ENIIPv6AddressQuantity, NetworkCardQuantity: cards, HotSwap: hot}
	}
	return nil
}

func (sd *Seed) addInstances(s *state, now time.Time) error {
	for i, in := range sd.Instances {
		vsw, err := s.checkSeedInstance(i, in)
		if err != nil {
			return err
		}
		tags, err := seedTags(in.Tags)
		if err != nil {
			return fmt.Errorf("seed: instance %q: %w", in.InstanceID, err)
		}
		inst := &instanceObj{ID: in.InstanceID, Name: in.Name, Type: in.InstanceType, VSwitchID: vsw.ID, VPCID: vsw.VPCID,
			ZoneID: vsw.ZoneID, SecurityGroupIDs: append([]string(nil), in.SecurityGroupIDs...), Status: in.Status,
			Tags: tags, CreatedAt: now, Seq: s.nextSeq()}
		eniID := s.newID("eni")
		ip, err := s.allocateIP(vsw, eniID)
		if err != nil {
			return fmt.Errorf("seed: instance %q: vswitch %q has no free address for its primary ENI", in.InstanceID, vsw.ID)
		}
		s.ENIs[eniID] = &eniObj{ID: eniID, Type: domain.ENITypePrimary, Status: domain.ENIStatusInUse, VSwitchID: vsw.ID,
			VPCID: vsw.VPCID, ZoneID: vsw.ZoneID, MAC: s.newMAC(), SecurityGroupIDs: append([]string(nil), in.SecurityGroupIDs...),
			PrimaryIP: ip, SecondaryIPs: []string{}, InstanceID: inst.ID, AttachedAt: now, DeleteOnRelease: true,
			TrafficMode: "Standard", Tags: []tagPair{}, CreatedAt: now, Seq: s.nextSeq()}
		inst.PrimaryENIID = eniID
		s.Instances[inst.ID] = inst
	}
	return nil
}

// checkSeedInstance checks instances[i] against what the seed built so
// far and returns its vSwitch.
func (s *state) checkSeedInstance(i int, in SeedInstance) (*vswitchObj, error) {
	vsw := s.VSwitches[in.VSwitchID]
	switch {
	case in.InstanceID == "":
		return nil, fmt.Errorf("seed: instances[%d] has no instance_id", i)
	case s.Instances[in.InstanceID] != nil:
		return nil, fmt.Errorf("seed: instances[%d]: duplicate instance_id %q", i, in.InstanceID)
	case s.InstanceTypes[in.InstanceType] == nil:
		return nil, fmt.Errorf("seed: instance %q: unknown instance_type %q (add it to instance_types)", in.InstanceID, in.InstanceType)
	case vsw == nil:
		return nil, fmt.Errorf("seed: instance %q: unknown vswitch_id %q", in.InstanceID, in.VSwitchID)
	case in.Status != domain.InstanceStatusRunning && in.Status != domain.InstanceStatusStopped:
		return nil, fmt.Errorf("seed: instance %q: status %q must be Running or Stopped", in.InstanceID, in.Status)
	case len(in.SecurityGroupIDs) == 0:
		return nil, fmt.Errorf("seed: instance %q: at least one security group is required", in.InstanceID)
	}
	for _, g := range in.SecurityGroupIDs {
		sg := s.SecurityGroups[g]
		if sg == nil {
			return nil, fmt.Errorf("seed: instance %q: unknown security group %q", in.InstanceID, g)
		}
		if sg.VPCID != vsw.VPCID {
			return nil, fmt.Errorf("seed: instance %q: security group %q is in vpc %q, not the instance's vpc %q", in.InstanceID, g, sg.VPCID, vsw.VPCID)
		}
	}
	return vsw, nil
}

func (sd *Seed) addEIPs(s *state, now time.Time) error {
	for i, e := range sd.EIPs {
		a, err := netip.ParseAddr(e.IPAddress)
		switch {
		case e.AllocationID == "":
			return fmt.Errorf("seed: eips[%d] has no allocation_id", i)
		case s.EIPs[e.AllocationID] != nil:
			return fmt.Errorf("seed: eips[%d]: duplicate allocation_id %q", i, e.AllocationID)
		case err != nil || !a.Is4():
			return fmt.Errorf("seed: eip %q: ip_address %q is not an IPv4 address", e.AllocationID, e.IPAddress)
		}
		for _, o := range s.EIPs {
			if o.IP == a.String() {
				return fmt.Errorf("seed: eip %q: ip_address %s is also used by eip %q", e.AllocationID, e.IPAddress, o.ID)
			}
		}
		s.EIPs[e.AllocationID] = &eipObj{ID: e.AllocationID, IP: a.String(), Status: domain.EIPStatusAvailable,
			Bandwidth: "5", ChargeTyp: "PayByTraffic", CreatedAt: now, Seq: s.nextSeq()}
	}
	return nil
}

// seedTags turns the tags of a seed entry into a tag list sorted by key,
// refusing what TagResources would refuse.
func seedTags(m map[string]string) ([]tagPair, error) {
	if err := domain.TagCount(len(m)); err != nil {
		return nil, fmt.Errorf("it %w", err)
	}
	out := make([]tagPair, 0, len(m))
	for k, v := range m {
		t := tagPair{Key: k, Value: v}
		if err := validateTag(t); err != nil {
			return nil, fmt.Errorf("tag %q: %w", k, err)
		}
		out = append(out, t)
	}
	slices.SortFunc(out, func(a, b tagPair) int { return strings.Compare(a.Key, b.Key) })
	return out, nil
}
