package mockcloud

import (
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/openeni/terraform-provider-eni/internal/domain"
)

// ecsENIActions lists the actions of this file.
func ecsENIActions() []action {
	return []action{
		{Version: ecsVersion, Name: "CreateNetworkInterface", Mutating: true, Token: true, Handle: createNetworkInterface},
		{Version: ecsVersion, Name: "DeleteNetworkInterface", Mutating: true, Handle: deleteNetworkInterface},
		{Version: ecsVersion, Name: "DescribeNetworkInterfaces", Handle: describeNetworkInterfaces},
		{Version: ecsVersion, Name: "DescribeNetworkInterfaceAttribute", Handle: describeNetworkInterfaceAttribute},
		{Version: ecsVersion, Name: "ModifyNetworkInterfaceAttribute", Mutating: true, Handle: modifyNetworkInterfaceAttribute},
		{Version: ecsVersion, Name: "AttachNetworkInterface", Mutating: true, Handle: attachNetworkInterface},
		{Version: ecsVersion, Name: "DetachNetworkInterface", Mutating: true, Handle: detachNetworkInterface},
		{Version: ecsVersion, Name: "AssignPrivateIpAddresses", Mutating: true, Token: true, Handle: assignPrivateIPAddresses},
		{Version: ecsVersion, Name: "UnassignPrivateIpAddresses", Mutating: true, Handle: unassignPrivateIPAddresses},
	}
}

// Limits of the ENI API that are not instance-type specific. The limits of
// single parameters are in the handlers' param tags: 5 security groups per
// ENI, 10 addresses per request (PrivateIpAddress.N or
// SecondaryPrivateIpAddressCount), 100 NetworkInterfaceId.N, QueueNumber
// 1 to 64.
const (
	maxDescribeENIPageSize = 100
	maxDescribeENIResults  = 500
)

func errConflict(a, b string) *apiError {
	return badRequest("InvalidParameter.Conflict", "The parameters %q and %q cannot be specified together.", a, b)
}

func errENIState(format string, args ...any) *apiError {
	return badRequest("InvalidOperation.InvalidEniState", format, args...)
}

func errECSState(format string, args ...any) *apiError {
	return badRequest("InvalidOperation.InvalidEcsState", format, args...)
}

func errIPv4Count(format string, args ...any) *apiError {
	return forbidden("InvalidOperation.Ipv4CountExceeded", format, args...)
}

// errIPChangeConflict refuses an assign or unassign while another one is
// in progress on the same ENI.
func errIPChangeConflict(eniID string) *apiError {
	return forbidden("Operation.Conflict",
		"The operation conflicts with a private IP change in progress on ENI %s; retry later.", eniID)
}

// --- parameter helpers ---------------------------------------------------

// eniName reads an optional NetworkInterfaceName (rule: domain.ENIName).
func eniName(p params) (string, error) {
	v := p.str("NetworkInterfaceName")
	if v == "" {
		return "", nil
	}
	if err := domain.ENIName(v); err != nil {
		return "", badRequest("InvalidNetworkInterfaceName.Malformed", "The specified NetworkInterfaceName %q %s.", v, err)
	}
	return v, nil
}

// eniDescription reads an optional Description (rule:
// domain.ENIDescription).
func eniDescription(p params) (string, error) {
	v := p.str("Description")
	if v == "" {
		return "", nil
	}
	if err := domain.ENIDescription(v); err != nil {
		return "", badRequest("InvalidDescription.Malformed", "The specified Description %q %s.", v, err)
	}
	return v, nil
}

// requestedIPs parses explicit addresses given as PrivateIpAddress.N (and
// the primary one, when given) and refuses repeats inside the request.
func requestedIPs(primary string, list []string) ([]string, error) {
	out := make([]string, 0, len(list)+1)
	seen := make(map[string]bool, len(list)+1)
	add := func(name, v string) error {
		a, err := parseIPv4(name, v)
		if err != nil {
			return err
		}
		ip := a.String()
		if seen[ip] {
			return forbidden("InvalidIp.IpRepeated", "The address %q is given more than once in the request.", ip)
		}
		seen[ip] = true
		out = append(out, ip)
		return nil
	}
	if primary != "" {
		if err := add("PrimaryIpAddress", primary); err != nil {
			return nil, err
		}
	}
	for i, v := range list {
		if err := add("PrivateIpAddress."+strconv.Itoa(i+1), v); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// checkSecurityGroups makes sure every group exists and lies in vpcID,
// and returns the list without repeats.
func (s *state) checkSecurityGroups(ids []string, vpcID string) ([]string, error) {
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		sg := s.SecurityGroups[id]
		if sg == nil {
			return nil, errSecurityGroupNotFound(id)
		}
		if sg.VPCID != vpcID {
			return nil, forbidden("InvalidOperation.VpcMismatch",
				"The security group %q is in VPC %q, not in the ENI's VPC %q.", id, sg.VPCID, vpcID)
		}
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out, nil
}

// --- state helpers -------------------------------------------------------

// eni finds an ENI by the required parameter name.
func (c *call) eni(name string) (*eniObj, error) {
	id, err := c.p.required(name)
	if err != nil {
		return nil, err
	}
	e := c.st.ENIs[id]
	if e == nil {
		return nil, errENINotFound(id)
	}
	return e, nil
}

// instance finds an instance by the required parameter name.
func (c *call) instance(name string) (*instanceObj, error) {
	id, err := c.p.required(name)
	if err != nil {
		return nil, err
	}
	in := c.st.Instances[id]
	if in == nil {
		return nil, errInstanceNotFound(id)
	}
	return in, nil
}

// eniRef is a parameter naming an existing ENI: MissingParameter without
// it, InvalidEniId.NotFound for an unknown one.
type eniRef struct{ *eniObj }

func (r *eniRef) decodeParam(c *call, name string) (err error) {
	r.eniObj, err = c.eni(name)
	return err
}

// bindingArgs name the ENI and the instance of an attach or detach; check
// looks both up once every parameter is read.
type bindingArgs struct {
	ENIID      string `param:"NetworkInterfaceId,required"`
	InstanceID string `param:"InstanceId,required"`
	eni        *eniObj
	in         *instanceObj
}

func (a *bindingArgs) check(c *call) (err error) {
	a.eni, a.in, err = c.binding()
	return err
}

// binding looks up the NetworkInterfaceId and the InstanceId of an attach
// or detach.
func (c *call) binding() (*eniObj, *instanceObj, error) {
	e, err := c.eni("NetworkInterfaceId")
	if err != nil {
		return nil, nil, err
	}
	in, err := c.instance("InstanceId")
	if err != nil {
		return nil, nil, err
	}
	return e, in, nil
}

// typeOf is the instance type of in. An instance of a type the catalogue
// does not know is not limited, and hot swap follows the built-in table.
func (s *state) typeOf(in *instanceObj) *instanceType {
	if t := s.InstanceTypes[in.Type]; t != nil {
		return t
	}
	return &instanceType{ID: in.Type, ENIQuantity: 1 << 30, ENIPrivateIPs: 1 << 30, ENIIPv6: 1 << 30, NetworkCardQuantity: 1,
		HotSwap: domain.HotSwapSupported(in.Type)}
}

// boundENIs are the ENIs bound to an instance, the primary included,
// whatever their status.
func (s *state) boundENIs(instanceID string) []*eniObj {
	var out []*eniObj
	for _, e := range s.ENIs {
		if e.InstanceID == instanceID {
			out = append(out, e)
		}
	}
	return out
}

// checkInstanceForSwap refuses an instance that cannot take an attach or
// detach now: it must be Running or Stopped, and Stopped when its type
// does not support hot swap.
func (s *state) checkInstanceForSwap(in *instanceObj) error {
	if in.Status != domain.InstanceStatusRunning && in.Status != domain.InstanceStatusStopped {
		return errECSState("The instance %q is %s; it must be Running or Stopped to attach or detach an ENI.", in.ID, in.Status)
	}
	if in.Status == domain.InstanceStatusRunning && !s.typeOf(in).HotSwap {
		return errECSState("The instance type %s does not support hot-swapping ENIs: instance %q must be Stopped to attach or detach a secondary ENI.",
			in.Type, in.ID)
	}
	return nil
}

// eipsOn lists the EIPs associated (in any state but Available) with an
// ENI.
func (s *state) eipsOn(eniID string) []*eipObj {
	var out []*eipObj
	for _, e := range s.EIPs {
		if e.InstanceID == eniID && e.Status != domain.EIPStatusAvailable {
			out = append(out, e)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Seq < out[j].Seq })
	return out
}

// --- CreateNetworkInterface ---------------------------------------------

// eniAddressArgs are the vSwitch, security groups and addresses a new ENI
// asks for; check parses the explicit addresses (PrimaryIpAddress first).
type eniAddressArgs struct {
	VSwitchID      string   `param:"VSwitchId,required"`
	SecurityGroups []string `param:"SecurityGroupId|SecurityGroupIds.N,required,exclusive,max=5"`
	IPs            []string `param:"PrivateIpAddress.N,max=10"`
	Count          int      `param:"SecondaryPrivateIpAddressCount,max=10,conflicts=PrivateIpAddress.N"`
	Primary        string   `param:"PrimaryIpAddress"`
	explicit       []string
}

func (a *eniAddressArgs) check(*call) (err error) {
	a.explicit, err = requestedIPs(a.Primary, a.IPs)
	return err
}

type createENIArgs struct {
	Addresses   eniAddressArgs
	Prefixes    prefixArgs
	IPv6        ipv6Args
	Name        string    `param:"NetworkInterfaceName,check=eniName"`
	Description string    `param:"Description,check=eniDescription"`
	Tags        []tagPair `param:"Tag.N"`
	QueueNumber int       `param:"QueueNumber|NetworkInterfaceTrafficConfig.QueueNumber,min=1,max=64"`
	TrafficMode string    `param:"NetworkInterfaceTrafficMode|NetworkInterfaceTrafficConfig.NetworkInterfaceTrafficMode,oneof=Standard HighPerformance,default=Standard"`
	_           string    `param:"InstanceType,check=eniInstanceType"`
	// Release with instance is on by default, as Alibaba's ENI
	// documentation says ("Release with instance" in domain-rules.md).
	DeleteOnRelease bool   `param:"DeleteOnRelease,default=true"`
	_               bool   `param:"SourceDestCheck"`
	ResourceGroupID string `param:"ResourceGroupId"`
}

// check refuses secondary addresses and IPv4 prefixes in one request.
func (a *createENIArgs) check(*call) error {
	return checkIPv4Mix(len(a.Addresses.explicit)+a.Addresses.Count-primaryGiven(&a.Addresses), a.Prefixes.requested())
}

// primaryGiven is 1 when the request names the primary address, which
// explicit holds first.
func primaryGiven(a *eniAddressArgs) int {
	if a.Primary != "" {
		return 1
	}
	return 0
}

// checkENIInstanceType accepts the InstanceType of CreateNetworkInterface:
// Secondary (the default); trunk ENIs are not emulated.
func checkENIInstanceType(_ *call, name, v string) error {
	switch v {
	case domain.ENITypeSecondary:
		return nil
	case "Trunk":
		return errInvalid(name, "trunk ENIs are not supported by this endpoint; use Secondary")
	}
	return errInvalid(name, "it must be Secondary")
}

func createNetworkInterface(c *call) (object, error) {
	var a createENIArgs
	if err := c.decode(&a); err != nil {
		return nil, err
	}
	st := c.st
	vsw, sgs, err := st.placeENI(&a)
	if err != nil {
		return nil, err
	}
	id := st.newID("eni")
	primary, secondary, prefixes, ipv6, err := st.claimENIAddresses(vsw, id, &a)
	if err != nil {
		return nil, err
	}
	tags := a.Tags
	if tags == nil {
		tags = []tagPair{}
	}
	e := &eniObj{
		ID: id, Name: a.Name, Description: a.Description, Type: domain.ENITypeSecondary, Status: domain.ENIStatusAvailable,
		VSwitchID: vsw.ID, VPCID: vsw.VPCID, ZoneID: vsw.ZoneID, MAC: st.newMAC(), SecurityGroupIDs: sgs,
		PrimaryIP: primary, SecondaryIPs: secondary, IPv4Prefixes: prefixes, IPv6Addresses: ipv6, QueueNumber: a.QueueNumber, TrafficMode: a.TrafficMode,
		DeleteOnRelease: a.DeleteOnRelease, ResourceGroupID: a.ResourceGroupID, Tags: tags,
		CreatedAt: c.now, Seq: st.nextSeq(),
	}
	st.ENIs[id] = e
	return flatten(e.view(st.eniEIPs())), nil
}

// placeENI finds the vSwitch of a new ENI and checks its security groups,
// the region's ENI quota and the addresses it asks for.
func (s *state) placeENI(args *createENIArgs) (*vswitchObj, []string, error) {
	a := &args.Addresses
	vsw := s.VSwitches[a.VSwitchID]
	if vsw == nil {
		return nil, nil, errVSwitchNotFound(a.VSwitchID)
	}
	sgs, err := s.checkSecurityGroups(a.SecurityGroups, vsw.VPCID)
	if err != nil {
		return nil, nil, err
	}
	secondaries := 0
	for _, e := range s.ENIs {
		if e.Type == domain.ENITypeSecondary {
			secondaries++
		}
	}
	if secondaries >= s.Quotas.MaxNetworkInterfaces {
		return nil, nil, forbidden("MaxEniCountExceeded",
			"The maximum number of ENIs in region %s (%d) has been reached.", s.Region, s.Quotas.MaxNetworkInterfaces)
	}
	for i, ip := range a.explicit {
		label := "PrivateIpAddress"
		if i == 0 && a.Primary != "" {
			label = "PrimaryIpAddress"
		}
		if err := claimableIP(vsw, label, ip); err != nil {
			return nil, nil, err
		}
	}
	if err := placeENIExtras(vsw, args); err != nil {
		return nil, nil, err
	}
	needed := len(a.explicit) + a.Count + domain.IPv4PrefixSize*args.Prefixes.requested()
	if a.Primary == "" {
		needed++
	}
	if vsw.available() < int64(needed) {
		return nil, nil, errIPNotEnough(vsw.ID)
	}
	return vsw, sgs, nil
}

// claimENIAddresses takes the addresses of a new ENI from its vSwitch:
// the explicit ones first, so that automatic ones cannot take an address
// the request names, then the automatic ones (the primary among them
// when none was named), then its IPv4 prefixes and IPv6 addresses. On a
// failure everything the new ENI took is returned.
func (s *state) claimENIAddresses(vsw *vswitchObj, id string, args *createENIArgs) (primary string, secondary, prefixes, ipv6 []string, err error) {
	a := &args.Addresses
	for _, ip := range a.explicit {
		vsw.Used[ip] = id
	}
	for _, p := range args.Prefixes.prefixes {
		takePrefix(vsw, id, p)
	}
	secondary = make([]string, 0, len(a.explicit)+a.Count)
	auto := a.Count
	if a.Primary != "" {
		primary = a.explicit[0]
		secondary = append(secondary, a.explicit[1:]...)
	} else {
		secondary = append(secondary, a.explicit...)
		auto++
	}
	got, err := s.allocateIPs(vsw, id, auto, a.explicit)
	if err == nil {
		prefixes, err = claimPrefixes(vsw, id, args.Prefixes.prefixes, args.Prefixes.Count)
	}
	if err == nil {
		ipv6, err = args.IPv6.claim(vsw, id)
	}
	if err != nil {
		releaseOwner(vsw, id)
		return "", nil, nil, nil, err
	}
	if a.Primary == "" {
		primary, got = got[0], got[1:]
	}
	return primary, append(secondary, got...), prefixes, ipv6, nil
}

// allocateIPs takes n free addresses of vsw for owner. On failure (which
// the callers' count checks rule out) it returns what it took, and the
// addresses of also, to the vSwitch.
func (s *state) allocateIPs(vsw *vswitchObj, owner string, n int, also []string) ([]string, error) {
	got := make([]string, 0, n)
	for i := 0; i < n; i++ {
		ip, err := s.allocateIP(vsw, owner)
		if err != nil {
			for _, a := range append(got, also...) {
				delete(vsw.Used, a)
			}
			return nil, err
		}
		got = append(got, ip)
	}
	return got, nil
}

// --- DeleteNetworkInterface ---------------------------------------------

// checkENIIDFormat refuses a NetworkInterfaceId that is not an ENI ID.
func checkENIIDFormat(_ *call, name, v string) error {
	if !strings.HasPrefix(v, "eni-") {
		return badRequest("InvalidParams.EniId", "The specified %s %q is not a valid ENI ID (eni-...).", name, v)
	}
	return nil
}

func deleteNetworkInterface(c *call) (object, error) {
	var a struct {
		ID string `param:"NetworkInterfaceId,required,check=eniIDFormat"`
	}
	if err := c.decode(&a); err != nil {
		return nil, err
	}
	id := a.ID
	e := c.st.ENIs[id]
	if e == nil {
		return nil, errENINotFound(id)
	}
	if e.Type == domain.ENITypePrimary {
		return nil, forbidden("InvalidOperation.InvalidEniType",
			"The ENI %q is the primary ENI of instance %q; it is released with the instance only.", id, e.InstanceID)
	}
	if e.Status != domain.ENIStatusAvailable {
		if e.InstanceID != "" {
			return nil, errENIState("The ENI %q is %s on instance %q; detach it before deleting it.", id, e.Status, e.InstanceID)
		}
		return nil, errENIState("The ENI %q is %s; only an Available ENI can be deleted.", id, e.Status)
	}
	if eips := c.st.eipsOn(id); len(eips) > 0 {
		eip := eips[0]
		return nil, errENIState("The ENI %q still has EIP %s (%s) associated with %s; unassociate the EIP first.",
			id, eip.ID, eip.IP, eip.PrivateIP)
	}
	e.Status = domain.ENIStatusDeleting
	c.st.schedule(opDelete, id, c.now, c.delay())
	return object{}, nil
}

// --- DescribeNetworkInterfaces ------------------------------------------

// eniFilter is the parsed filter set of DescribeNetworkInterfaces, with
// its paging, either style (check).
type eniFilter struct {
	IDs           []string  `param:"NetworkInterfaceId.N,max=100"`
	InstanceID    string    `param:"InstanceId"`
	VPCID         string    `param:"VpcId"`
	VSwitchID     string    `param:"VSwitchId"`
	SGID          string    `param:"SecurityGroupId"`
	Type          string    `param:"Type,oneof=Primary Secondary"`
	Status        string    `param:"Status,oneof=Creating Available Attaching InUse Detaching Deleting CreateFailed"`
	Name          string    `param:"NetworkInterfaceName"`
	PrimaryIP     string    `param:"PrimaryIpAddress"`
	ResourceGroup string    `param:"ResourceGroupId"`
	PrivateIPs    []string  `param:"PrivateIpAddress.N,max=100"`
	IPv6          []string  `param:"Ipv6Address.N,max=100"`
	Tags          []tagPair `param:"Tag.N"`
	// NextToken/MaxResults paging when either is given, else
	// PageNumber/PageSize.
	tokenMode            bool
	offset, size, number int
}

func (f *eniFilter) check(c *call) (err error) {
	f.tokenMode = c.p.has("NextToken") || c.p.has("MaxResults")
	if f.tokenMode {
		f.offset, f.size, err = c.p.tokenPage(maxDescribeENIResults)
		return err
	}
	f.number, f.size, err = c.p.page(maxDescribeENIPageSize)
	f.offset = (f.number - 1) * f.size
	return err
}

func (f *eniFilter) match(e *eniObj) bool {
	switch {
	case f.InstanceID != "" && e.InstanceID != f.InstanceID,
		f.VPCID != "" && e.VPCID != f.VPCID,
		f.VSwitchID != "" && e.VSwitchID != f.VSwitchID,
		f.Type != "" && e.Type != f.Type,
		f.Status != "" && e.Status != f.Status,
		f.Name != "" && e.Name != f.Name,
		f.PrimaryIP != "" && e.PrimaryIP != f.PrimaryIP,
		f.ResourceGroup != "" && e.ResourceGroupID != f.ResourceGroup:
		return false
	}
	if f.SGID != "" && !slices.Contains(e.SecurityGroupIDs, f.SGID) {
		return false
	}
	if len(f.PrivateIPs) > 0 && !slices.ContainsFunc(f.PrivateIPs, e.hasIP) {
		return false
	}
	if len(f.IPv6) > 0 && !slices.ContainsFunc(f.IPv6, e.hasIPv6) {
		return false
	}
	return matchTags(e.Tags, f.Tags)
}

// matchTags reports whether every wanted tag is present; an empty wanted
// value matches any value of the key.
func matchTags(have, want []tagPair) bool {
	for _, w := range want {
		found := false
		for _, h := range have {
			if h.Key == w.Key && (w.Value == "" || h.Value == w.Value) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

type eniSets struct {
	NetworkInterfaceSet []eniView `json:"NetworkInterfaceSet"`
}

func describeNetworkInterfaces(c *call) (object, error) {
	var f eniFilter
	if err := c.decode(&f); err != nil {
		return nil, err
	}
	st := c.st
	// Filter first on the stored objects; views are built for the page
	// only. A lookup by ID touches only the named ENIs.
	hide := c.srv.faults.get().InvisibleAfterCreateMS > 0
	var matched []*eniObj
	keep := func(e *eniObj) {
		if e != nil && f.match(e) && (!hide || !c.invisible(e.CreatedAt)) {
			matched = append(matched, e)
		}
	}
	if len(f.IDs) > 0 {
		for i, id := range f.IDs {
			if dup := slices.Contains(f.IDs[:i], id); !dup {
				keep(st.ENIs[id])
			}
		}
	} else {
		matched = make([]*eniObj, 0, len(st.ENIs))
		for _, e := range st.ENIs {
			keep(e)
		}
	}
	if len(matched) > 1 {
		sort.Slice(matched, func(i, j int) bool { return matched[i].Seq < matched[j].Seq })
	}
	total := len(matched)
	from, to := window(total, f.offset, f.size)
	views := make([]eniView, 0, to-from)
	if to > from {
		idx := st.eniEIPs()
		for _, e := range matched[from:to] {
			views = append(views, e.view(idx))
		}
	}
	out := object{"TotalCount": total, "NetworkInterfaceSets": eniSets{NetworkInterfaceSet: views}}
	if f.tokenMode {
		out["NextToken"] = nextToken(total, f.offset, f.size)
	} else {
		out["NextToken"] = ""
		out["PageNumber"] = f.number
		out["PageSize"] = f.size
	}
	return out, nil
}

// window clamps [offset, offset+size) to n items.
func window(n, offset, size int) (from, to int) {
	from, to = min(offset, n), min(offset+size, n)
	return from, to
}

// --- DescribeNetworkInterfaceAttribute ----------------------------------

func describeNetworkInterfaceAttribute(c *call) (object, error) {
	var a struct {
		ENI eniRef `param:"NetworkInterfaceId"`
	}
	if err := c.decode(&a); err != nil {
		return nil, err
	}
	if e := a.ENI.eniObj; c.invisible(e.CreatedAt) {
		return nil, errENINotFound(e.ID)
	}
	return flatten(a.ENI.attributeView(c.st.eniEIPs())), nil
}

// --- ModifyNetworkInterfaceAttribute ------------------------------------

type modifyENIArgs struct {
	ENI             eniRef   `param:"NetworkInterfaceId"`
	SecurityGroups  []string `param:"SecurityGroupId.N,max=5"`
	Name            string   `param:"NetworkInterfaceName,check=eniName"`
	Description     string   `param:"Description,check=eniDescription"`
	QueueNumber     *int     `param:"QueueNumber|NetworkInterfaceTrafficConfig.QueueNumber,min=1,max=64"`
	TrafficMode     string   `param:"NetworkInterfaceTrafficMode|NetworkInterfaceTrafficConfig.NetworkInterfaceTrafficMode,oneof=Standard HighPerformance"`
	DeleteOnRelease *bool    `param:"DeleteOnRelease"`
	_               bool     `param:"SourceDestCheck"`
}

func modifyNetworkInterfaceAttribute(c *call) (object, error) {
	var a modifyENIArgs
	if err := c.decode(&a); err != nil {
		return nil, err
	}
	st, e := c.st, a.ENI.eniObj
	if e.Status == domain.ENIStatusDeleting {
		return nil, errENIState("The ENI %q is being deleted.", e.ID)
	}
	var sgs []string
	if len(a.SecurityGroups) > 0 {
		var err error
		if sgs, err = st.checkSecurityGroups(a.SecurityGroups, e.VPCID); err != nil {
			return nil, err
		}
	}
	if a.QueueNumber != nil || a.TrafficMode != "" {
		if err := st.checkQueueChange(e); err != nil {
			return nil, err
		}
	}
	// Everything is valid: apply.
	if sgs != nil {
		e.SecurityGroupIDs = sgs
	}
	if a.Name != "" {
		e.Name = a.Name
	}
	if a.Description != "" {
		e.Description = a.Description
	}
	if a.QueueNumber != nil {
		e.QueueNumber = *a.QueueNumber
	}
	if a.TrafficMode != "" {
		e.TrafficMode = a.TrafficMode
	}
	if a.DeleteOnRelease != nil {
		e.DeleteOnRelease = *a.DeleteOnRelease
	}
	return object{}, nil
}

// checkQueueChange refuses a change of queue settings unless the ENI is a
// secondary one that is Available or bound to a Stopped instance.
func (s *state) checkQueueChange(e *eniObj) error {
	switch {
	case e.Type != domain.ENITypeSecondary:
		return errENIState("The queue settings of the primary ENI %q cannot be modified.", e.ID)
	case e.Status == domain.ENIStatusInUse:
		if in := s.Instances[e.InstanceID]; in != nil && in.Status != domain.InstanceStatusStopped {
			return errECSState("The ENI %q is bound to instance %q, which is %s; stop the instance to change queue settings.",
				e.ID, in.ID, in.Status)
		}
	case e.Status != domain.ENIStatusAvailable:
		return errENIState("The ENI %q is %s; queue settings change only when it is Available or bound to a Stopped instance.",
			e.ID, e.Status)
	}
	return nil
}

// --- AttachNetworkInterface ---------------------------------------------

// WaitForNetworkConfigurationReady is no longer used by the service; it is
// accepted and ignored.
type attachArgs struct {
	ENIID      string `param:"NetworkInterfaceId,required"`
	InstanceID string `param:"InstanceId,required"`
	Card       int    `param:"NetworkCardIndex,max=1048576"`
	eni        *eniObj
	in         *instanceObj
}

func (a *attachArgs) check(c *call) (err error) {
	a.eni, a.in, err = c.binding()
	return err
}

func attachNetworkInterface(c *call) (object, error) {
	var a attachArgs
	if err := c.decode(&a); err != nil {
		return nil, err
	}
	st, e, in := c.st, a.eni, a.in
	if e.Type == domain.ENITypePrimary {
		return nil, forbidden("InvalidOperation.InvalidEniType",
			"The ENI %q is the primary ENI of instance %q and cannot be attached elsewhere.", e.ID, e.InstanceID)
	}
	// An ENI already Attaching or InUse (on this instance or another) is
	// refused with InvalidEniState, as the reference maps the Available
	// precondition.
	if e.Status != domain.ENIStatusAvailable {
		if e.InstanceID != "" {
			return nil, errENIState("The ENI %q is %s on instance %q; only an Available ENI can be attached.", e.ID, e.Status, e.InstanceID)
		}
		return nil, errENIState("The ENI %q is %s; only an Available ENI can be attached.", e.ID, e.Status)
	}
	// Other attaches and detaches in progress on the instance do not
	// refuse this one: it is queued behind them (swapDoneAt). The ENIs
	// they move count towards the limit and keep their device indexes.
	bound := st.boundENIs(in.ID)
	if err := st.checkInstanceForSwap(in); err != nil {
		return nil, err
	}
	if err := st.checkAttachTarget(e, in, a.Card, len(bound)); err != nil {
		return nil, err
	}
	used := map[int]bool{}
	for _, b := range bound {
		used[b.DeviceIndex] = true
	}
	dev := 1
	for used[dev] {
		dev++
	}
	until := st.swapDoneAt(in.ID, c.now, c.delay())
	e.InstanceID, e.DeviceIndex, e.NetworkCardIndex, e.AttachedAt = in.ID, dev, a.Card, c.now
	e.Status = domain.ENIStatusAttaching
	st.scheduleAt(opAttach, e.ID, until)
	return object{}, nil
}

// checkAttachTarget checks that instance in can take ENI e on network
// card card while it holds bound ENIs: same VPC and zone, the limits of
// its type, and EIP modes the instance can carry.
func (s *state) checkAttachTarget(e *eniObj, in *instanceObj, card, bound int) error {
	if e.VPCID != in.VPCID {
		return forbidden("InvalidOperation.VpcMismatch",
			"The ENI %q is in VPC %q but instance %q is in VPC %q.", e.ID, e.VPCID, in.ID, in.VPCID)
	}
	if e.ZoneID != in.ZoneID {
		return forbidden("InvalidOperation.AvailabilityZoneMismatch",
			"The ENI %q is in zone %q but instance %q is in zone %q.", e.ID, e.ZoneID, in.ID, in.ZoneID)
	}
	typ := s.typeOf(in)
	if bound >= typ.ENIQuantity {
		return forbidden("EniPerInstanceLimitExceeded",
			"The instance %q already holds %d ENIs; instance type %s allows at most %d, the primary ENI included.",
			in.ID, bound, in.Type, typ.ENIQuantity)
	}
	who := eniWho(e.ID)
	if err := checkIPv4Places(who, domain.BoundIPv4Limit(in.Type, typ.ENIPrivateIPs), e.secondaryCount(), e.prefixCount()); err != nil {
		return err
	}
	if err := checkIPv6Places(who, domain.BoundIPv6Limit(in.Type, typ.ENIIPv6), e.ipv6Count()); err != nil {
		return err
	}
	if card >= typ.NetworkCardQuantity {
		return errInvalid("NetworkCardIndex",
			"instance type "+in.Type+" has "+strconv.Itoa(typ.NetworkCardQuantity)+" network card(s); the index must be below that")
	}
	for _, eip := range s.eipsOn(e.ID) {
		switch eip.Mode {
		case domain.EIPModeMultiBinded:
			if !domain.MultiEIPFamilySupported(in.Type) {
				return forbidden("InvalidOperation.InstanceTypeNotSupport",
					"The ENI %q has EIPs in MULTI_BINDED mode (%s); instance family %s cannot take such an ENI.",
					e.ID, eip.ID, domain.InstanceFamily(in.Type))
			}
		case domain.EIPModeBinded:
			return errENIState("The ENI %q has EIP %s associated in cut-through (BINDED) mode and cannot be bound to an instance.",
				e.ID, eip.ID)
		}
	}
	return nil
}

// --- DetachNetworkInterface ---------------------------------------------

func detachNetworkInterface(c *call) (object, error) {
	var a bindingArgs
	if err := c.decode(&a); err != nil {
		return nil, err
	}
	st, e, in := c.st, a.eni, a.in
	if e.Type == domain.ENITypePrimary {
		return nil, badRequest("InvalidOperation.DetachPrimaryEniNotAllowed",
			"The ENI %q is the primary ENI of instance %q and cannot be detached.", e.ID, e.InstanceID)
	}
	if e.Status == domain.ENIStatusDetaching && e.InstanceID == in.ID {
		return object{}, nil // already on its way; re-issuing is allowed
	}
	switch {
	case e.InstanceID == "":
		return nil, errENIState("The ENI %q is %s and not bound to any instance.", e.ID, e.Status)
	case e.InstanceID != in.ID:
		return nil, errENIState("The ENI %q is bound to instance %q, not to %q.", e.ID, e.InstanceID, in.ID)
	case e.Status != domain.ENIStatusInUse:
		return nil, errENIState("The ENI %q is %s on instance %q; only an InUse ENI can be detached.", e.ID, e.Status, in.ID)
	}
	if err := st.checkInstanceForSwap(in); err != nil {
		return nil, err
	}
	// Queued behind the instance's attaches and detaches in progress.
	until := st.swapDoneAt(in.ID, c.now, c.delay())
	e.Status = domain.ENIStatusDetaching
	st.scheduleAt(opDetach, e.ID, until)
	return object{}, nil
}

// --- AssignPrivateIpAddresses / UnassignPrivateIpAddresses ---------------

type assignedSet struct {
	NetworkInterfaceId string         `json:"NetworkInterfaceId"`
	PrivateIpSet       assignedIPs    `json:"PrivateIpSet"`
	Ipv4PrefixSet      assignedPrefix `json:"Ipv4PrefixSet"`
}

type assignedIPs struct {
	PrivateIpAddress []string `json:"PrivateIpAddress"`
}

type assignedPrefix struct {
	Ipv4Prefixes []string `json:"Ipv4Prefixes"`
}

// checkIPChangeState refuses IP changes on an ENI in transition, and on a
// primary ENI whose instance is not Running or Stopped.
func (s *state) checkIPChangeState(e *eniObj) error {
	if e.Status != domain.ENIStatusAvailable && e.Status != domain.ENIStatusInUse {
		return errENIState("The ENI %q is %s; private IPs change only when it is Available or InUse.", e.ID, e.Status)
	}
	if e.Type == domain.ENITypePrimary {
		if in := s.Instances[e.InstanceID]; in != nil &&
			in.Status != domain.InstanceStatusRunning && in.Status != domain.InstanceStatusStopped {
			return errECSState("The instance %q of primary ENI %q is %s; it must be Running or Stopped.", in.ID, e.ID, in.Status)
		}
	}
	return nil
}

type assignIPArgs struct {
	ENI      eniRef   `param:"NetworkInterfaceId"`
	IPs      []string `param:"PrivateIpAddress.N,max=10"`
	Count    int      `param:"SecondaryPrivateIpAddressCount,min=1,max=10,conflicts=PrivateIpAddress.N"`
	Prefixes prefixArgs
	explicit []string
}

// check asks for addresses, prefixes or a count of either, but not both
// kinds, and parses the addresses.
func (a *assignIPArgs) check(*call) (err error) {
	if len(a.IPs) == 0 && a.Count == 0 && a.Prefixes.requested() == 0 {
		return errMissing("SecondaryPrivateIpAddressCount")
	}
	if a.explicit, err = requestedIPs("", a.IPs); err != nil {
		return err
	}
	return checkIPv4Mix(len(a.explicit)+a.Count, a.Prefixes.requested())
}

func assignPrivateIPAddresses(c *call) (object, error) {
	var a assignIPArgs
	if err := c.decode(&a); err != nil {
		return nil, err
	}
	st, e, explicit := c.st, a.ENI.eniObj, a.explicit
	if err := st.checkIPChangeState(e); err != nil {
		return nil, err
	}
	if a.Prefixes.requested() > 0 {
		return st.assignPrefixes(c, e, &a.Prefixes)
	}
	n := len(explicit) + a.Count
	if err := st.checkIPRoom(e, n, 0); err != nil {
		return nil, err
	}
	vsw := st.VSwitches[e.VSwitchID]
	if vsw == nil {
		return nil, errVSwitchNotFound(e.VSwitchID)
	}
	for i, ip := range explicit {
		if e.hasIP(ip) || slices.Contains(e.PendingAdd, ip) {
			return nil, forbidden("InvalidIp.IpAssigned", "The address %q is already assigned to ENI %q.", ip, e.ID)
		}
		if err := claimableIP(vsw, "PrivateIpAddress."+strconv.Itoa(i+1), ip); err != nil {
			return nil, err
		}
	}
	if vsw.available() < int64(n) {
		return nil, errIPNotEnough(vsw.ID)
	}
	if e.ipsBusy() {
		return nil, errIPChangeConflict(e.ID)
	}
	for _, ip := range explicit {
		vsw.Used[ip] = e.ID
	}
	got, err := st.allocateIPs(vsw, e.ID, a.Count, explicit)
	if err != nil {
		return nil, err
	}
	added := append(append([]string{}, explicit...), got...)
	// The addresses are taken from the vSwitch now and show on the ENI
	// when the change completes.
	e.PendingAdd = added
	st.schedule(opIPs, e.ID, c.now, c.delay())
	return assignedAnswer(e.ID, added, noStrings), nil
}

// assignedAnswer is the AssignPrivateIpAddresses answer: the addresses or
// the prefixes the call added (the other list empty).
func assignedAnswer(eniID string, ips, prefixes []string) object {
	return object{"AssignedPrivateIpAddressesSet": assignedSet{
		NetworkInterfaceId: eniID,
		PrivateIpSet:       assignedIPs{PrivateIpAddress: ips},
		Ipv4PrefixSet:      assignedPrefix{Ipv4Prefixes: prefixes},
	}}
}

// unassignIPArgs name secondary addresses, IPv4 prefixes or both to
// take off an ENI.
type unassignIPArgs struct {
	ENI      eniRef   `param:"NetworkInterfaceId"`
	IPs      []string `param:"PrivateIpAddress.N,max=10"`
	Prefixes []string `param:"Ipv4Prefix.N,max=10"`
}

func (a *unassignIPArgs) check(*call) error {
	if len(a.IPs) == 0 && len(a.Prefixes) == 0 {
		return errMissing("PrivateIpAddress.1")
	}
	return nil
}

func unassignPrivateIPAddresses(c *call) (object, error) {
	var a unassignIPArgs
	if err := c.decode(&a); err != nil {
		return nil, err
	}
	st, e := c.st, a.ENI.eniObj
	if err := st.checkIPChangeState(e); err != nil {
		return nil, err
	}
	remove := make(map[string]bool, len(a.IPs))
	for i, v := range a.IPs {
		addr, err := parseIPv4("PrivateIpAddress."+strconv.Itoa(i+1), v)
		if err != nil {
			return nil, err
		}
		ip := addr.String()
		if ip == e.PrimaryIP || !e.hasIP(ip) {
			return nil, forbidden("InvalidIp.IpUnassigned",
				"The address %q is not a secondary private IP of ENI %q.", ip, e.ID)
		}
		remove[ip] = true
	}
	prefixes, err := heldPrefixes(e, a.Prefixes)
	if err != nil {
		return nil, err
	}
	for _, eip := range st.eipsOn(e.ID) {
		at := eip.PrivateIP
		if remove[at] {
			return nil, forbidden("InvalidOperation.EipAssociated",
				"The address %q of ENI %q has EIP %s (%s) associated; unassociate the EIP first.", at, e.ID, eip.ID, eip.IP)
		}
	}
	if e.ipsBusy() {
		return nil, errIPChangeConflict(e.ID)
	}
	// The addresses leave the ENI (and return to the vSwitch) when the
	// change completes.
	for ip := range remove {
		e.PendingRemove = append(e.PendingRemove, ip)
	}
	sort.Strings(e.PendingRemove)
	e.PendingRemovePrefixes = prefixes
	st.schedule(opIPs, e.ID, c.now, c.delay())
	return object{}, nil
}
