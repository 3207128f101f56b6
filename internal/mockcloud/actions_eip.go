package mockcloud

import (
	"cmp"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/openeni/terraform-provider-eni/internal/domain"
)

// eipActions lists the actions of this file: EIP allocation, release,
// association with an instance or an ENI private IP, and listing (VPC API).
func eipActions() []action {
	return []action{
		{Version: vpcVersion, Name: "AllocateEipAddress", Mutating: true, Token: true, Handle: allocateEIP},
		{Version: vpcVersion, Name: "ReleaseEipAddress", Mutating: true, Handle: releaseEIP},
		{Version: vpcVersion, Name: "AssociateEipAddress", Mutating: true, Token: true, Handle: associateEIP},
		{Version: vpcVersion, Name: "UnassociateEipAddress", Mutating: true, Token: true, Handle: unassociateEIP},
		{Version: vpcVersion, Name: "DescribeEipAddresses", Handle: describeEIPs},
	}
}

// EIP association target kinds (InstanceType / AssociatedInstanceType).
const (
	eipTargetECS = "EcsInstance"
	eipTargetENI = "NetworkInterface"
)

// eipTargetKinds are the values the real API knows; the emulator can only
// associate with the first two.
var eipTargetKinds = []string{eipTargetECS, eipTargetENI, "SlbInstance", "Nat", "HaVip", "IpAddress"}

// eipBound reports whether an EIP holds a binding: associating,
// associated or unassociating.
func eipBound(e *eipObj) bool {
	return e.InstanceID != "" && e.Status != domain.EIPStatusAvailable
}

// eipTarget resolves a bound EIP to the ENI and private IP it maps to. An
// EcsInstance binding maps to the instance's primary ENI and primary IP.
func (s *state) eipTarget(e *eipObj) (eniID, ip string) {
	if !eipBound(e) {
		return "", ""
	}
	switch e.InstanceType {
	case eipTargetENI:
		return e.InstanceID, e.PrivateIP
	case eipTargetECS:
		if in := s.Instances[e.InstanceID]; in != nil {
			return in.PrimaryENIID, e.PrivateIP
		}
	}
	return "", ""
}

// eipsOnENI returns the bound EIPs that map to an ENI, in any mode and by
// either kind of association, oldest first.
func (s *state) eipsOnENI(eniID string) []*eipObj {
	var out []*eipObj
	for _, e := range s.EIPs {
		if id, _ := s.eipTarget(e); id == eniID {
			out = append(out, e)
		}
	}
	slices.SortFunc(out, func(a, b *eipObj) int { return cmp.Compare(a.Seq, b.Seq) })
	return out
}

// instanceEIP is the EIP of an instance for DescribeInstances: one bound
// as EcsInstance, or one mapped to its primary ENI's primary IP.
func (s *state) instanceEIP(in *instanceObj) *eipObj {
	primary := s.ENIs[in.PrimaryENIID]
	for _, e := range s.eipsOnENI(in.PrimaryENIID) {
		if _, ip := s.eipTarget(e); primary != nil && ip == primary.PrimaryIP {
			return e
		}
	}
	return nil
}

// nextEIPAddress hands out the pool address and advances the pool past
// any address an existing EIP (seeded or allocated) already has.
func (s *state) nextEIPAddress() string {
	used := make(map[string]bool, len(s.EIPs))
	for _, e := range s.EIPs {
		used[e.IP] = true
	}
	a, err := netip.ParseAddr(s.EIPPool)
	if err != nil || !a.Is4() {
		a = netip.MustParseAddr("47.98.0.1")
	}
	for used[a.String()] {
		a = a.Next()
	}
	next := a.Next()
	if !next.IsValid() || !next.Is4() {
		next = netip.MustParseAddr("47.98.0.1")
	}
	s.EIPPool = next.String()
	return a.String()
}

func allocateEIP(c *call) (object, error) {
	p := c.p
	bw, err := p.integer("Bandwidth", 5, 1, 200)
	if err != nil {
		return nil, err
	}
	charge := p.str("InternetChargeType")
	switch charge {
	case "":
		charge = "PayByBandwidth"
	case "PayByBandwidth", "PayByTraffic":
	default:
		return nil, errInvalid("InternetChargeType", "it must be PayByBandwidth or PayByTraffic")
	}
	switch p.str("InstanceChargeType") {
	case "", "PostPaid":
	case "PrePaid":
		// Subscription EIPs need billing; the emulator offers pay-as-you-go only.
		return nil, errInvalid("InstanceChargeType", "the emulator allocates PostPaid (pay-as-you-go) EIPs only")
	default:
		return nil, errInvalid("InstanceChargeType", "it must be PostPaid or PrePaid")
	}
	if n := p.str("Netmode"); n != "" && n != "public" {
		return nil, errInvalid("Netmode", "it must be public")
	}
	name := p.str("Name")
	if len(name) > 128 {
		return nil, errInvalid("Name", "it must be at most 128 characters")
	}
	if len(c.st.EIPs) >= c.st.Quotas.MaxEIPs {
		return nil, badRequest("QuotaExceeded.Eip", "The EIP quota of %d in region %s is used up; release an EIP first.", c.st.Quotas.MaxEIPs, c.st.Region)
	}
	e := &eipObj{ID: c.st.newID("eip"), Status: domain.EIPStatusAvailable, Name: name,
		Bandwidth: strconv.Itoa(bw), ChargeTyp: charge, CreatedAt: c.now}
	e.IP = c.st.nextEIPAddress()
	e.Seq = c.st.nextSeq()
	c.st.EIPs[e.ID] = e
	return object{"AllocationId": e.ID, "EipAddress": e.IP, "ResourceGroupId": "", "OrderId": 0}, nil
}

func releaseEIP(c *call) (object, error) {
	id, err := c.p.required("AllocationId")
	if err != nil {
		return nil, err
	}
	e := c.st.EIPs[id]
	if e == nil {
		return nil, errEIPNotFound(id)
	}
	if e.Status != domain.EIPStatusAvailable {
		return nil, errIncorrectEIPStatus(e, "released")
	}
	delete(c.st.EIPs, id)
	return object{}, nil
}

func errIncorrectEIPStatus(e *eipObj, op string) *apiError {
	want := domain.EIPStatusAvailable
	if op == "unassociated" {
		want = domain.EIPStatusInUse
	}
	return badRequest("IncorrectEipStatus", "The EIP %s is %s; it can be %s only when %s.", e.ID, e.Status, op, want)
}

func errEIPDuplicated(format string, args ...any) *apiError {
	return badRequest("InvalidAssociation.Duplicated", format, args...)
}

func errENIStatusNotSupport(format string, args ...any) *apiError {
	return badRequest("InvalidStatus.EniStatusNotSupport", format, args...)
}

func associateEIP(c *call) (object, error) {
	p := c.p
	allocID, err := p.required("AllocationId")
	if err != nil {
		return nil, err
	}
	targetID, err := p.required("InstanceId")
	if err != nil {
		return nil, err
	}
	kind := cmp.Or(p.str("InstanceType"), eipTargetECS)
	if kind != eipTargetECS && kind != eipTargetENI {
		return nil, badRequest("InvalidInstanceType.ValueNotSupported",
			"The specified InstanceType %q is not supported; use EcsInstance or NetworkInterface.", kind)
	}
	if r := p.str("InstanceRegionId"); r != "" && r != c.st.Region {
		return nil, badRequest("InvalidParameter.Mismatch",
			"The EIP is in region %s but InstanceRegionId is %s; an EIP can only be associated in its own region.", c.st.Region, r)
	}
	mode := cmp.Or(p.str("Mode"), domain.EIPModeNAT)
	if !slices.Contains(domain.EIPModes, mode) {
		return nil, errInvalid("Mode", "it must be one of "+strings.Join(domain.EIPModes, ", "))
	}
	if kind == eipTargetECS && mode != domain.EIPModeNAT {
		return nil, errInvalid("Mode", mode+" applies only to InstanceType NetworkInterface")
	}
	dryRun, _, err := p.boolean("DryRun")
	if err != nil {
		return nil, err
	}
	e := c.st.EIPs[allocID]
	if e == nil {
		return nil, errEIPNotFound(allocID)
	}
	if e.Status != domain.EIPStatusAvailable {
		return nil, errIncorrectEIPStatus(e, "associated")
	}

	var ip string
	if kind == eipTargetECS {
		in := c.st.Instances[targetID]
		if in == nil {
			return nil, errNoSuchInstance(targetID)
		}
		if in.Status != domain.InstanceStatusRunning && in.Status != domain.InstanceStatusStopped {
			return nil, badRequest("IncorrectInstanceStatus",
				"The instance %s is %s; an EIP can be associated only while it is Running or Stopped.", in.ID, in.Status)
		}
		primary := c.st.ENIs[in.PrimaryENIID]
		if primary == nil {
			return nil, errNoSuchInstance(targetID)
		}
		if pip := p.str("PrivateIpAddress"); pip != "" && pip != primary.PrimaryIP {
			return nil, badRequest("InvalidParams.NotFound",
				"%s is not the primary private IP of instance %s (%s); use InstanceType NetworkInterface to map an EIP to another private IP.",
				pip, in.ID, primary.PrimaryIP)
		}
		if other := c.st.instanceEIP(in); other != nil {
			return nil, errEIPDuplicated("The instance %s already has EIP %s (%s).", in.ID, other.ID, other.IP)
		}
		ip = primary.PrimaryIP
	} else {
		eni := c.st.ENIs[targetID]
		if eni == nil {
			return nil, errNoSuchInstance(targetID)
		}
		if ip, err = checkENIAssociation(c, eni, mode); err != nil {
			return nil, err
		}
	}
	if dryRun {
		return nil, errDryRun()
	}
	e.InstanceID, e.InstanceType, e.PrivateIP, e.Mode = targetID, kind, ip, mode
	e.PrivateIPImplicit = p.str("PrivateIpAddress") == ""
	e.Status = domain.EIPStatusAssociating
	c.st.schedule(opAssociate, e.ID, c.now, c.delay())
	return object{}, nil
}

// checkENIAssociation applies the per-mode rules of associating an EIP
// with an ENI and returns the private IP the EIP will map to.
func checkENIAssociation(c *call, eni *eniObj, mode string) (string, error) {
	if eni.Status != domain.ENIStatusAvailable && eni.Status != domain.ENIStatusInUse {
		return "", errENIStatusNotSupport("The ENI %s is %s; an EIP can be associated only while it is Available or InUse.", eni.ID, eni.Status)
	}
	ip := cmp.Or(c.p.str("PrivateIpAddress"), eni.PrimaryIP)
	if !eni.hasIP(ip) {
		return "", badRequest("InvalidParams.NotFound", "%s is not a private IP of %s.", ip, eni.ID)
	}
	existing := c.st.eipsOnENI(eni.ID)
	hasMode := func(m string) *eipObj {
		for _, o := range existing {
			if o.Mode == m {
				return o
			}
		}
		return nil
	}
	if mode != domain.EIPModeNAT {
		if eni.Type != domain.ENITypeSecondary || eni.InstanceID != "" {
			what := "a primary ENI"
			if eni.Type == domain.ENITypeSecondary {
				what = "bound to instance " + eni.InstanceID
			}
			return "", errENIStatusNotSupport("Mode %s needs a secondary ENI that is not bound to an instance; %s is %s.", mode, eni.ID, what)
		}
	}
	switch mode {
	case domain.EIPModeNAT:
		if o := hasMode(domain.EIPModeBinded); o != nil {
			return "", errEIPDuplicated("The ENI %s already has EIP %s in BINDED mode, which allows no other EIP.", eni.ID, o.ID)
		}
		for _, o := range existing {
			if _, oip := c.st.eipTarget(o); oip == ip && o.Mode == domain.EIPModeNAT {
				return "", errEIPDuplicated("The private IP %s of %s already has EIP %s; NAT mode maps one EIP per private IP.", ip, eni.ID, o.ID)
			}
		}
	case domain.EIPModeMultiBinded:
		if !domain.MultiEIPRegionSupported(c.st.Region) {
			return "", badRequest("OperationDenied",
				"Multi-EIP-to-ENI mode (MULTI_BINDED) is not offered in region %s; it is offered in %s.",
				c.st.Region, strings.Join(domain.MultiEIPRegions(), ", "))
		}
		if o := hasMode(domain.EIPModeBinded); o != nil {
			return "", errEIPDuplicated("The ENI %s already has EIP %s in BINDED mode, which cannot be mixed with MULTI_BINDED.", eni.ID, o.ID)
		}
		if len(existing) >= domain.MaxEIPsPerENIMultiBinded {
			return "", badRequest("QuotaExceeded.Eip",
				"The ENI %s already has %d EIPs; at most %d EIPs can be associated with one ENI in MULTI_BINDED mode.",
				eni.ID, len(existing), domain.MaxEIPsPerENIMultiBinded)
		}
	case domain.EIPModeBinded:
		if len(existing) > 0 {
			return "", errEIPDuplicated("The ENI %s already has EIP %s; BINDED (cut-through) mode allows exactly one EIP per ENI.", eni.ID, existing[0].ID)
		}
	}
	return ip, nil
}

func unassociateEIP(c *call) (object, error) {
	p := c.p
	id, err := p.required("AllocationId")
	if err != nil {
		return nil, err
	}
	if k := p.str("InstanceType"); k != "" && !slices.Contains(eipTargetKinds, k) {
		return nil, badRequest("InvalidInstanceType.ValueNotSupported", "The specified InstanceType %q is not supported.", k)
	}
	if _, _, err := p.boolean("Force"); err != nil {
		return nil, err
	}
	e := c.st.EIPs[id]
	if e == nil {
		return nil, errEIPNotFound(id)
	}
	if e.Status != domain.EIPStatusInUse {
		return nil, errIncorrectEIPStatus(e, "unassociated")
	}
	for _, f := range []struct{ param, bound string }{
		{"InstanceId", e.InstanceID}, {"InstanceType", e.InstanceType}, {"PrivateIpAddress", e.PrivateIP},
	} {
		if v := p.str(f.param); v != "" && v != f.bound {
			return nil, badRequest("InvalidBindingStatus",
				"The EIP %s is bound to %s %s (private IP %s), not to the given %s %q.",
				e.ID, e.InstanceType, e.InstanceID, e.PrivateIP, f.param, v)
		}
	}
	e.Status = domain.EIPStatusUnassociating
	c.st.schedule(opUnassociate, e.ID, c.now, c.delay())
	return object{}, nil
}

func describeEIPs(c *call) (object, error) {
	p := c.p
	ids, err := p.commaList("AllocationId", 50)
	if err != nil {
		return nil, err
	}
	addrs, err := p.commaList("EipAddress", 50)
	if err != nil {
		return nil, err
	}
	kind := p.str("AssociatedInstanceType")
	if kind != "" && !slices.Contains(eipTargetKinds, kind) {
		return nil, badRequest("InvalidIAssociatedInstanceType.ValueNotSupported",
			"The specified AssociatedInstanceType %q is not supported.", kind)
	}
	charge := p.str("ChargeType")
	if charge != "" && charge != "PostPaid" && charge != "PrePaid" {
		return nil, badRequest("InvalidChargeType.ValueNotSupported", "The specified ChargeType %q is not supported; use PostPaid or PrePaid.", charge)
	}
	lock := p.str("LockReason")
	if lock != "" && lock != "financial" && lock != "security" {
		return nil, notFound("InvalidLockReason.NotFound", "The specified LockReason %q does not exist; use financial or security.", lock)
	}
	tags, err := p.tags("Tag")
	if err != nil {
		return nil, err
	}
	if _, _, err := p.boolean("DryRun"); err != nil {
		return nil, err
	}
	number, size, err := p.page(100)
	if err != nil {
		return nil, err
	}
	var matched []*eipObj
	// EIPs here are pay-as-you-go, unlocked and untagged: those filters
	// can only match nothing.
	if charge != "PrePaid" && lock == "" && len(tags) == 0 {
		for _, e := range c.st.EIPs {
			switch {
			case len(ids) > 0 && !slices.Contains(ids, e.ID),
				len(addrs) > 0 && !slices.Contains(addrs, e.IP),
				p.has("Status") && p.str("Status") != e.Status,
				kind != "" && kind != e.InstanceType,
				p.has("AssociatedInstanceId") && p.str("AssociatedInstanceId") != e.InstanceID,
				p.has("EipName") && p.str("EipName") != e.Name:
				continue
			}
			matched = append(matched, e)
		}
	}
	list := numberedPage(matched, func(e *eipObj) int64 { return e.Seq }, number, size,
		func(e *eipObj) object { return eipView(c.st, e) })
	return object{"TotalCount": len(matched), "PageNumber": number, "PageSize": size,
		"EipAddresses": object{"EipAddress": list}}, nil
}

// reportedPrivateIP is the PrivateIpAddress DescribeEipAddresses shows:
// the address the association named, and none when it named none (the
// EIP then maps to the primary IP without the API saying so).
func reportedPrivateIP(e *eipObj) string {
	if e.PrivateIPImplicit {
		return ""
	}
	return e.PrivateIP
}

// eipView is one DescribeEipAddresses item, typed as the SDK's EipAddress
// (Bandwidth a string, ServiceManaged an int, Descritpion sic).
func eipView(st *state, e *eipObj) object {
	instanceRegion := ""
	if e.InstanceID != "" {
		instanceRegion = st.Region
	}
	return object{
		"AllocationId":              e.ID,
		"IpAddress":                 e.IP,
		"Status":                    e.Status,
		"InstanceId":                e.InstanceID,
		"InstanceType":              e.InstanceType,
		"InstanceRegionId":          instanceRegion,
		"PrivateIpAddress":          reportedPrivateIP(e),
		"Mode":                      e.Mode,
		"VpcId":                     "",
		"RegionId":                  st.Region,
		"Bandwidth":                 e.Bandwidth,
		"EipBandwidth":              e.Bandwidth,
		"InternetChargeType":        e.ChargeTyp,
		"ChargeType":                "PostPaid",
		"AllocationTime":            e.CreatedAt.UTC().Format(apiTimeLayout),
		"ExpiredTime":               "",
		"Name":                      e.Name,
		"Description":               "",
		"Descritpion":               "",
		"ISP":                       "BGP",
		"Netmode":                   "public",
		"BusinessStatus":            "Normal",
		"ResourceGroupId":           "",
		"DeletionProtection":        false,
		"SecondLimited":             false,
		"ServiceManaged":            0,
		"HDMonitorStatus":           "false",
		"HasReservationData":        "false",
		"BandwidthPackageId":        "",
		"BandwidthPackageBandwidth": "",
		"BandwidthPackageType":      "",
		"AvailableRegions":          object{"AvailableRegion": []string{st.Region}},
		"OperationLocks":            object{"LockReason": []object{}},
		"SecurityProtectionTypes":   object{"SecurityProtectionType": []string{}},
		"Tags":                      object{"Tag": []object{}},
	}
}
