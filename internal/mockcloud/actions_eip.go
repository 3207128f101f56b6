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

type allocateEIPArgs struct {
	Bandwidth  int    `param:"Bandwidth,default=5,min=1,max=200"`
	ChargeType string `param:"InternetChargeType,oneof=PayByBandwidth PayByTraffic,default=PayByBandwidth"`
	_          string `param:"InstanceChargeType,check=instanceChargeType"`
	_          string `param:"Netmode,oneof=public"`
	Name       string `param:"Name"`
}

// checkInstanceChargeType accepts PostPaid: subscription (PrePaid) EIPs
// need billing, and the emulator offers pay-as-you-go only.
func checkInstanceChargeType(_ *call, name, v string) error {
	switch v {
	case "PostPaid":
		return nil
	case "PrePaid":
		return errInvalid(name, "the emulator allocates PostPaid (pay-as-you-go) EIPs only")
	}
	return errInvalid(name, "it must be PostPaid or PrePaid")
}

func allocateEIP(c *call) (object, error) {
	var a allocateEIPArgs
	if err := c.decode(&a); err != nil {
		return nil, err
	}
	if len(a.Name) > 128 {
		return nil, errInvalid("Name", "it must be at most 128 characters")
	}
	if len(c.st.EIPs) >= c.st.Quotas.MaxEIPs {
		return nil, badRequest("QuotaExceeded.Eip", "The EIP quota of %d in region %s is used up; release an EIP first.", c.st.Quotas.MaxEIPs, c.st.Region)
	}
	e := &eipObj{ID: c.st.newID("eip"), Status: domain.EIPStatusAvailable, Name: a.Name,
		Bandwidth: strconv.Itoa(a.Bandwidth), ChargeTyp: a.ChargeType, CreatedAt: c.now}
	e.IP = c.st.nextEIPAddress()
	e.Seq = c.st.nextSeq()
	c.st.EIPs[e.ID] = e
	return object{"AllocationId": e.ID, "EipAddress": e.IP, "ResourceGroupId": "", "OrderId": 0}, nil
}

func releaseEIP(c *call) (object, error) {
	var a struct {
		ID string `param:"AllocationId,required"`
	}
	if err := c.decode(&a); err != nil {
		return nil, err
	}
	id := a.ID
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

// eipTargetArgs name the EIP, its target and the association mode; check
// refuses a mode the kind of target cannot take.
type eipTargetArgs struct {
	AllocationID string `param:"AllocationId,required"`
	TargetID     string `param:"InstanceId,required"`
	Kind         string `param:"InstanceType,default=EcsInstance,check=eipTargetKind"`
	_            string `param:"InstanceRegionId,check=sameRegion"`
	Mode         string `param:"Mode,default=NAT,check=eipMode"`
}

func (a *eipTargetArgs) check(*call) error {
	if a.Kind == eipTargetECS && a.Mode != domain.EIPModeNAT {
		return errInvalid("Mode", a.Mode+" applies only to InstanceType NetworkInterface")
	}
	return nil
}

type associateEIPArgs struct {
	Target    eipTargetArgs
	DryRun    bool   `param:"DryRun"`
	PrivateIP string `param:"PrivateIpAddress"`
}

// checkEIPTargetKind accepts the targets the emulator can associate an
// EIP with.
func checkEIPTargetKind(_ *call, name, v string) error {
	if v != eipTargetECS && v != eipTargetENI {
		return badRequest("InvalidInstanceType.ValueNotSupported",
			"The specified %s %q is not supported; use EcsInstance or NetworkInterface.", name, v)
	}
	return nil
}

// checkSameRegion refuses an InstanceRegionId other than the endpoint's.
func checkSameRegion(c *call, name, v string) error {
	if v != c.st.Region {
		return badRequest("InvalidParameter.Mismatch",
			"The EIP is in region %s but %s is %s; an EIP can only be associated in its own region.", c.st.Region, name, v)
	}
	return nil
}

func checkEIPMode(_ *call, name, v string) error {
	if !slices.Contains(domain.EIPModes, v) {
		return errInvalid(name, "it must be "+oneOfText(domain.EIPModes))
	}
	return nil
}

func associateEIP(c *call) (object, error) {
	var a associateEIPArgs
	if err := c.decode(&a); err != nil {
		return nil, err
	}
	t := a.Target
	e := c.st.EIPs[t.AllocationID]
	if e == nil {
		return nil, errEIPNotFound(t.AllocationID)
	}
	if e.Status != domain.EIPStatusAvailable {
		return nil, errIncorrectEIPStatus(e, "associated")
	}
	var ip string
	var err error
	if t.Kind == eipTargetECS {
		ip, err = instanceAssociation(c, t.TargetID, a.PrivateIP)
	} else if eni := c.st.ENIs[t.TargetID]; eni == nil {
		err = errNoSuchInstance(t.TargetID)
	} else {
		ip, err = checkENIAssociation(c, eni, t.Mode, a.PrivateIP)
	}
	if err != nil {
		return nil, err
	}
	if a.DryRun {
		return nil, errDryRun()
	}
	e.InstanceID, e.InstanceType, e.PrivateIP, e.Mode = t.TargetID, t.Kind, ip, t.Mode
	e.PrivateIPImplicit = a.PrivateIP == ""
	e.Status = domain.EIPStatusAssociating
	c.st.schedule(opAssociate, e.ID, c.now, c.delay())
	return object{}, nil
}

// instanceAssociation checks an association with instance id (given the
// PrivateIpAddress pip, which must be its primary IP when given) and
// returns the private IP the EIP will map to.
func instanceAssociation(c *call, id, pip string) (string, error) {
	in := c.st.Instances[id]
	if in == nil {
		return "", errNoSuchInstance(id)
	}
	if in.Status != domain.InstanceStatusRunning && in.Status != domain.InstanceStatusStopped {
		return "", badRequest("IncorrectInstanceStatus",
			"The instance %s is %s; an EIP can be associated only while it is Running or Stopped.", in.ID, in.Status)
	}
	primary := c.st.ENIs[in.PrimaryENIID]
	if primary == nil {
		return "", errNoSuchInstance(id)
	}
	if pip != "" && pip != primary.PrimaryIP {
		return "", badRequest("InvalidParams.NotFound",
			"%s is not the primary private IP of instance %s (%s); use InstanceType NetworkInterface to map an EIP to another private IP.",
			pip, in.ID, primary.PrimaryIP)
	}
	if other := c.st.instanceEIP(in); other != nil {
		return "", errEIPDuplicated("The instance %s already has EIP %s (%s).", in.ID, other.ID, other.IP)
	}
	return primary.PrimaryIP, nil
}

// checkENIAssociation applies the per-mode rules of associating an EIP
// with an ENI (at PrivateIpAddress pip, the primary IP when empty) and
// returns the private IP the EIP will map to.
func checkENIAssociation(c *call, eni *eniObj, mode, pip string) (string, error) {
	if eni.Status != domain.ENIStatusAvailable && eni.Status != domain.ENIStatusInUse {
		return "", errENIStatusNotSupport("The ENI %s is %s; an EIP can be associated only while it is Available or InUse.", eni.ID, eni.Status)
	}
	ip := cmp.Or(pip, eni.PrimaryIP)
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

// checkEIPKnownKind accepts the target kinds the real API knows.
func checkEIPKnownKind(_ *call, name, v string) error {
	if !slices.Contains(eipTargetKinds, v) {
		return badRequest("InvalidInstanceType.ValueNotSupported", "The specified %s %q is not supported.", name, v)
	}
	return nil
}

func unassociateEIP(c *call) (object, error) {
	var a struct {
		ID string `param:"AllocationId,required"`
		_  string `param:"InstanceType,check=eipKnownKind"`
		_  bool   `param:"Force"`
	}
	if err := c.decode(&a); err != nil {
		return nil, err
	}
	e := c.st.EIPs[a.ID]
	if e == nil {
		return nil, errEIPNotFound(a.ID)
	}
	if e.Status != domain.EIPStatusInUse {
		return nil, errIncorrectEIPStatus(e, "unassociated")
	}
	for _, f := range []struct{ param, bound string }{
		{"InstanceId", e.InstanceID}, {"InstanceType", e.InstanceType}, {"PrivateIpAddress", e.PrivateIP},
	} {
		if v := c.p.str(f.param); v != "" && v != f.bound {
			return nil, badRequest("InvalidBindingStatus",
				"The EIP %s is bound to %s %s (private IP %s), not to the given %s %q.",
				e.ID, e.InstanceType, e.InstanceID, e.PrivateIP, f.param, v)
		}
	}
	e.Status = domain.EIPStatusUnassociating
	c.st.schedule(opUnassociate, e.ID, c.now, c.delay())
	return object{}, nil
}

// eipFilter is the filter set and page of DescribeEipAddresses.
type eipFilter struct {
	IDs        []string  `param:"AllocationId,comma,max=50"`
	Addresses  []string  `param:"EipAddress,comma,max=50"`
	Kind       string    `param:"AssociatedInstanceType,check=eipAssociatedKind"`
	ChargeType string    `param:"ChargeType,check=eipChargeType"`
	LockReason string    `param:"LockReason,check=eipLockReason"`
	Tags       []tagPair `param:"Tag.N"`
	_          bool      `param:"DryRun"`
	PageNumber int       `param:"PageNumber,default=1,min=1,max=1073741824"`
	PageSize   int       `param:"PageSize,default=10,min=1,max=100"`
	Status     string    `param:"Status"`
	InstanceID string    `param:"AssociatedInstanceId"`
	Name       string    `param:"EipName"`
}

func (f *eipFilter) match(e *eipObj) bool {
	switch {
	case len(f.IDs) > 0 && !slices.Contains(f.IDs, e.ID),
		len(f.Addresses) > 0 && !slices.Contains(f.Addresses, e.IP),
		f.Status != "" && f.Status != e.Status,
		f.Kind != "" && f.Kind != e.InstanceType,
		f.InstanceID != "" && f.InstanceID != e.InstanceID,
		f.Name != "" && f.Name != e.Name:
		return false
	}
	return true
}

func checkEIPAssociatedKind(_ *call, name, v string) error {
	if !slices.Contains(eipTargetKinds, v) {
		return badRequest("InvalidIAssociatedInstanceType.ValueNotSupported", "The specified %s %q is not supported.", name, v)
	}
	return nil
}

func checkEIPChargeType(_ *call, name, v string) error {
	if v != "PostPaid" && v != "PrePaid" {
		return badRequest("InvalidChargeType.ValueNotSupported", "The specified %s %q is not supported; use PostPaid or PrePaid.", name, v)
	}
	return nil
}

func checkEIPLockReason(_ *call, name, v string) error {
	if v != "financial" && v != "security" {
		return notFound("InvalidLockReason.NotFound", "The specified %s %q does not exist; use financial or security.", name, v)
	}
	return nil
}

func describeEIPs(c *call) (object, error) {
	var f eipFilter
	if err := c.decode(&f); err != nil {
		return nil, err
	}
	var matched []*eipObj
	// EIPs here are pay-as-you-go, unlocked and untagged: those filters
	// can only match nothing.
	if f.ChargeType != "PrePaid" && f.LockReason == "" && len(f.Tags) == 0 {
		for _, e := range c.st.EIPs {
			if f.match(e) {
				matched = append(matched, e)
			}
		}
	}
	list := numberedPage(matched, func(e *eipObj) int64 { return e.Seq }, f.PageNumber, f.PageSize,
		func(e *eipObj) object { return eipView(c.st, e) })
	return object{"TotalCount": len(matched), "PageNumber": f.PageNumber, "PageSize": f.PageSize,
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
