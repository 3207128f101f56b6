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

// Limits of the ENI API that are not instance-type specific.
const (
	maxSecurityGroupsPerENI = domain.MaxSecurityGroupsPerENI
	maxIPsPerRequest        = 10 // PrivateIpAddress.N and SecondaryPrivateIpAddressCount
	maxDescribeENIIDs       = 100
	maxDescribeENIPageSize  = 100
	maxDescribeENIResults   = 500
	maxQueueNumber          = 64
)

// eniStatuses are the values the Status filter of DescribeNetworkInterfaces
// accepts.
var eniStatuses = map[string]bool{
	"Creating": true, domain.ENIStatusAvailable: true, domain.ENIStatusAttaching: true, domain.ENIStatusInUse: true,
	domain.ENIStatusDetaching: true, domain.ENIStatusDeleting: true, "CreateFailed": true,
}

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

// queueNumber reads QueueNumber and its alias
// NetworkInterfaceTrafficConfig.QueueNumber.
func queueNumber(p params) (n int, set bool, err error) {
	const alias = "NetworkInterfaceTrafficConfig.QueueNumber"
	a, err := p.integer("QueueNumber", 0, 1, maxQueueNumber)
	if err != nil {
		return 0, false, err
	}
	b, err := p.integer(alias, 0, 1, maxQueueNumber)
	if err != nil {
		return 0, false, err
	}
	switch {
	case p.has("QueueNumber") && p.has(alias) && a != b:
		return 0, false, errConflict("QueueNumber", alias)
	case p.has("QueueNumber"):
		return a, true, nil
	case p.has(alias):
		return b, true, nil
	}
	return 0, false, nil
}

// trafficMode reads NetworkInterfaceTrafficMode and its alias
// NetworkInterfaceTrafficConfig.NetworkInterfaceTrafficMode.
func trafficMode(p params) (string, error) {
	const name, alias = "NetworkInterfaceTrafficMode", "NetworkInterfaceTrafficConfig.NetworkInterfaceTrafficMode"
	a, b := p.str(name), p.str(alias)
	if a != "" && b != "" && a != b {
		return "", errConflict(name, alias)
	}
	v, n := a, name
	if v == "" {
		v, n = b, alias
	}
	switch v {
	case "", "Standard", "HighPerformance":
		return v, nil
	}
	return "", errInvalid(n, "it must be Standard or HighPerformance")
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

// eni finds an ENI by the required NetworkInterfaceId parameter.
func (c *call) eni() (*eniObj, error) {
	id, err := c.p.required("NetworkInterfaceId")
	if err != nil {
		return nil, err
	}
	e := c.st.ENIs[id]
	if e == nil {
		return nil, errENINotFound(id)
	}
	return e, nil
}

// instance finds an instance by the required InstanceId parameter.
func (c *call) instance() (*instanceObj, error) {
	id, err := c.p.required("InstanceId")
	if err != nil {
		return nil, err
	}
	in := c.st.Instances[id]
	if in == nil {
		return nil, errInstanceNotFound(id)
	}
	return in, nil
}

// typeOf is the instance type of in. An instance of a type the catalogue
// does not know is not limited, and hot swap follows the built-in table.
func (s *state) typeOf(in *instanceObj) *instanceType {
	if t := s.InstanceTypes[in.Type]; t != nil {
		return t
	}
	return &instanceType{ID: in.Type, ENIQuantity: 1 << 30, ENIPrivateIPs: 1 << 30, NetworkCardQuantity: 1,
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

func createNetworkInterface(c *call) (object, error) {
	p, st := c.p, c.st
	vswID, err := p.required("VSwitchId")
	if err != nil {
		return nil, err
	}
	sgList, err := p.list("SecurityGroupIds", maxSecurityGroupsPerENI)
	if err != nil {
		return nil, err
	}
	switch {
	case p.has("SecurityGroupId") && len(sgList) > 0:
		return nil, errConflict("SecurityGroupId", "SecurityGroupIds.N")
	case p.has("SecurityGroupId"):
		sgList = []string{p.str("SecurityGroupId")}
	case len(sgList) == 0:
		return nil, errMissing("SecurityGroupId")
	}
	ipList, err := p.list("PrivateIpAddress", maxIPsPerRequest)
	if err != nil {
		return nil, err
	}
	count, err := p.integer("SecondaryPrivateIpAddressCount", 0, 0, maxIPsPerRequest)
	if err != nil {
		return nil, err
	}
	if len(ipList) > 0 && p.has("SecondaryPrivateIpAddressCount") {
		return nil, errConflict("PrivateIpAddress.N", "SecondaryPrivateIpAddressCount")
	}
	explicit, err := requestedIPs(p.str("PrimaryIpAddress"), ipList)
	if err != nil {
		return nil, err
	}
	name, err := eniName(p)
	if err != nil {
		return nil, err
	}
	desc, err := eniDescription(p)
	if err != nil {
		return nil, err
	}
	tags, err := p.tags("Tag")
	if err != nil {
		return nil, err
	}
	queue, _, err := queueNumber(p)
	if err != nil {
		return nil, err
	}
	mode, err := trafficMode(p)
	if err != nil {
		return nil, err
	}
	if mode == "" {
		mode = "Standard"
	}
	switch t := p.str("InstanceType"); t {
	case "", domain.ENITypeSecondary:
	case "Trunk":
		return nil, errInvalid("InstanceType", "trunk ENIs are not supported by this endpoint; use Secondary")
	default:
		return nil, errInvalid("InstanceType", "it must be Secondary")
	}
	// Release with instance is on by default, as Alibaba's ENI
	// documentation says ("Release with instance" in domain-rules.md).
	deleteOnRelease, set, err := p.boolean("DeleteOnRelease")
	if err != nil {
		return nil, err
	}
	if !set {
		deleteOnRelease = true
	}
	if _, _, err := p.boolean("SourceDestCheck"); err != nil {
		return nil, err
	}

	vsw := st.VSwitches[vswID]
	if vsw == nil {
		return nil, errVSwitchNotFound(vswID)
	}
	sgs, err := st.checkSecurityGroups(sgList, vsw.VPCID)
	if err != nil {
		return nil, err
	}
	secondaries := 0
	for _, e := range st.ENIs {
		if e.Type == domain.ENITypeSecondary {
			secondaries++
		}
	}
	if secondaries >= st.Quotas.MaxNetworkInterfaces {
		return nil, forbidden("MaxEniCountExceeded",
			"The maximum number of ENIs in region %s (%d) has been reached.", st.Region, st.Quotas.MaxNetworkInterfaces)
	}
	for i, ip := range explicit {
		label := "PrivateIpAddress"
		if i == 0 && p.has("PrimaryIpAddress") {
			label = "PrimaryIpAddress"
		}
		if err := claimableIP(vsw, label, ip); err != nil {
			return nil, err
		}
	}
	hasPrimary := p.has("PrimaryIpAddress")
	needed := len(explicit) + count
	if !hasPrimary {
		needed++
	}
	if vsw.available() < int64(needed) {
		return nil, errIPNotEnough(vsw.ID)
	}

	id := st.newID("eni")
	// Explicit addresses are claimed first so that automatic ones cannot
	// take an address the request names.
	for _, ip := range explicit {
		vsw.Used[ip] = id
	}
	var primary string
	secondary := make([]string, 0, len(explicit)+count)
	if hasPrimary {
		primary = explicit[0]
		secondary = append(secondary, explicit[1:]...)
	} else {
		secondary = append(secondary, explicit...)
	}
	auto := count
	if !hasPrimary {
		auto++
	}
	got := make([]string, 0, auto)
	for i := 0; i < auto; i++ {
		ip, err := st.allocateIP(vsw, id)
		if err != nil { // cannot happen after the count check; undo anyway
			for _, a := range append(got, explicit...) {
				delete(vsw.Used, a)
			}
			return nil, err
		}
		got = append(got, ip)
	}
	if !hasPrimary {
		primary, got = got[0], got[1:]
	}
	secondary = append(secondary, got...)
	if tags == nil {
		tags = []tagPair{}
	}
	e := &eniObj{
		ID: id, Name: name, Description: desc, Type: domain.ENITypeSecondary, Status: domain.ENIStatusAvailable,
		VSwitchID: vsw.ID, VPCID: vsw.VPCID, ZoneID: vsw.ZoneID, MAC: st.newMAC(), SecurityGroupIDs: sgs,
		PrimaryIP: primary, SecondaryIPs: secondary, QueueNumber: queue, TrafficMode: mode,
		DeleteOnRelease: deleteOnRelease, ResourceGroupID: p.str("ResourceGroupId"), Tags: tags,
		CreatedAt: c.now, Seq: st.nextSeq(),
	}
	st.ENIs[id] = e
	return flatten(e.view(st.eniEIPs())), nil
}

// --- DeleteNetworkInterface ---------------------------------------------

func deleteNetworkInterface(c *call) (object, error) {
	id, err := c.p.required("NetworkInterfaceId")
	if err != nil {
		return nil, err
	}
	if !strings.HasPrefix(id, "eni-") {
		return nil, badRequest("InvalidParams.EniId", "The specified NetworkInterfaceId %q is not a valid ENI ID (eni-...).", id)
	}
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

// eniFilter is the parsed filter set of DescribeNetworkInterfaces.
type eniFilter struct {
	instanceID, vpcID, vswitchID, sgID, typ, status, name, primaryIP, resourceGroup string
	privateIPs                                                                      []string
	tags                                                                            []tagPair
}

func (f *eniFilter) match(e *eniObj) bool {
	switch {
	case f.instanceID != "" && e.InstanceID != f.instanceID,
		f.vpcID != "" && e.VPCID != f.vpcID,
		f.vswitchID != "" && e.VSwitchID != f.vswitchID,
		f.typ != "" && e.Type != f.typ,
		f.status != "" && e.Status != f.status,
		f.name != "" && e.Name != f.name,
		f.primaryIP != "" && e.PrimaryIP != f.primaryIP,
		f.resourceGroup != "" && e.ResourceGroupID != f.resourceGroup:
		return false
	}
	if f.sgID != "" && !slices.Contains(e.SecurityGroupIDs, f.sgID) {
		return false
	}
	if len(f.privateIPs) > 0 && !slices.ContainsFunc(f.privateIPs, e.hasIP) {
		return false
	}
	return matchTags(e.Tags, f.tags)
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
	p, st := c.p, c.st
	ids, err := p.list("NetworkInterfaceId", maxDescribeENIIDs)
	if err != nil {
		return nil, err
	}
	f := eniFilter{
		instanceID: p.str("InstanceId"), vpcID: p.str("VpcId"), vswitchID: p.str("VSwitchId"),
		sgID: p.str("SecurityGroupId"), typ: p.str("Type"), status: p.str("Status"),
		name: p.str("NetworkInterfaceName"), primaryIP: p.str("PrimaryIpAddress"), resourceGroup: p.str("ResourceGroupId"),
	}
	if f.typ != "" && f.typ != domain.ENITypePrimary && f.typ != domain.ENITypeSecondary {
		return nil, errInvalid("Type", "it must be Primary or Secondary")
	}
	if f.status != "" && !eniStatuses[f.status] {
		return nil, errInvalid("Status", "it must be one of Creating, Available, Attaching, InUse, Detaching, Deleting, CreateFailed")
	}
	if f.privateIPs, err = p.list("PrivateIpAddress", 100); err != nil {
		return nil, err
	}
	if f.tags, err = p.tags("Tag"); err != nil {
		return nil, err
	}
	tokenMode := p.has("NextToken") || p.has("MaxResults")
	var offset, size, number int
	if tokenMode {
		offset, size, err = p.tokenPage(maxDescribeENIResults)
	} else {
		number, size, err = p.page(maxDescribeENIPageSize)
		offset = (number - 1) * size
	}
	if err != nil {
		return nil, err
	}

	// Filter first on the stored objects; views are built for the page
	// only. A lookup by ID touches only the named ENIs.
	hide := c.srv.faults.get().InvisibleAfterCreateMS > 0
	var matched []*eniObj
	keep := func(e *eniObj) {
		if e != nil && f.match(e) && !(hide && c.invisible(e.CreatedAt)) {
			matched = append(matched, e)
		}
	}
	if len(ids) > 0 {
		for i, id := range ids {
			if dup := slices.Contains(ids[:i], id); !dup {
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
	from, to := window(total, offset, size)
	views := make([]eniView, 0, to-from)
	if to > from {
		idx := st.eniEIPs()
		for _, e := range matched[from:to] {
			views = append(views, e.view(idx))
		}
	}
	out := object{"TotalCount": total, "NetworkInterfaceSets": eniSets{NetworkInterfaceSet: views}}
	if tokenMode {
		out["NextToken"] = nextToken(total, offset, size)
	} else {
		out["NextToken"] = ""
		out["PageNumber"] = number
		out["PageSize"] = size
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
	e, err := c.eni()
	if err != nil {
		return nil, err
	}
	if c.invisible(e.CreatedAt) {
		return nil, errENINotFound(e.ID)
	}
	return flatten(e.attributeView(c.st.eniEIPs())), nil
}

// --- ModifyNetworkInterfaceAttribute ------------------------------------

func modifyNetworkInterfaceAttribute(c *call) (object, error) {
	p, st := c.p, c.st
	e, err := c.eni()
	if err != nil {
		return nil, err
	}
	sgList, err := p.list("SecurityGroupId", maxSecurityGroupsPerENI)
	if err != nil {
		return nil, err
	}
	name, err := eniName(p)
	if err != nil {
		return nil, err
	}
	desc, err := eniDescription(p)
	if err != nil {
		return nil, err
	}
	queue, queueSet, err := queueNumber(p)
	if err != nil {
		return nil, err
	}
	mode, err := trafficMode(p)
	if err != nil {
		return nil, err
	}
	deleteOnRelease, dorSet, err := p.boolean("DeleteOnRelease")
	if err != nil {
		return nil, err
	}
	if _, _, err := p.boolean("SourceDestCheck"); err != nil {
		return nil, err
	}
	if e.Status == domain.ENIStatusDeleting {
		return nil, errENIState("The ENI %q is being deleted.", e.ID)
	}
	var sgs []string
	if len(sgList) > 0 {
		if sgs, err = st.checkSecurityGroups(sgList, e.VPCID); err != nil {
			return nil, err
		}
	}
	if queueSet || mode != "" {
		// Queue settings change only on a secondary ENI that is Available
		// or bound to a Stopped instance.
		switch {
		case e.Type != domain.ENITypeSecondary:
			return nil, errENIState("The queue settings of the primary ENI %q cannot be modified.", e.ID)
		case e.Status == domain.ENIStatusInUse:
			if in := st.Instances[e.InstanceID]; in != nil && in.Status != domain.InstanceStatusStopped {
				return nil, errECSState("The ENI %q is bound to instance %q, which is %s; stop the instance to change queue settings.",
					e.ID, in.ID, in.Status)
			}
		case e.Status != domain.ENIStatusAvailable:
			return nil, errENIState("The ENI %q is %s; queue settings change only when it is Available or bound to a Stopped instance.",
				e.ID, e.Status)
		}
	}
	// Everything is valid: apply.
	if sgs != nil {
		e.SecurityGroupIDs = sgs
	}
	if name != "" {
		e.Name = name
	}
	if desc != "" {
		e.Description = desc
	}
	if queueSet {
		e.QueueNumber = queue
	}
	if mode != "" {
		e.TrafficMode = mode
	}
	if dorSet {
		e.DeleteOnRelease = deleteOnRelease
	}
	return object{}, nil
}

// --- AttachNetworkInterface ---------------------------------------------

func attachNetworkInterface(c *call) (object, error) {
	p, st := c.p, c.st
	if _, err := p.required("NetworkInterfaceId"); err != nil {
		return nil, err
	}
	if _, err := p.required("InstanceId"); err != nil {
		return nil, err
	}
	card, err := p.integer("NetworkCardIndex", 0, 0, 1<<20)
	if err != nil {
		return nil, err
	}
	// WaitForNetworkConfigurationReady is no longer used by the service;
	// it is accepted and ignored.
	e, err := c.eni()
	if err != nil {
		return nil, err
	}
	in, err := c.instance()
	if err != nil {
		return nil, err
	}
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
	if e.VPCID != in.VPCID {
		return nil, forbidden("InvalidOperation.VpcMismatch",
			"The ENI %q is in VPC %q but instance %q is in VPC %q.", e.ID, e.VPCID, in.ID, in.VPCID)
	}
	if e.ZoneID != in.ZoneID {
		return nil, forbidden("InvalidOperation.AvailabilityZoneMismatch",
			"The ENI %q is in zone %q but instance %q is in zone %q.", e.ID, e.ZoneID, in.ID, in.ZoneID)
	}
	typ := st.typeOf(in)
	if len(bound) >= typ.ENIQuantity {
		return nil, forbidden("EniPerInstanceLimitExceeded",
			"The instance %q already holds %d ENIs; instance type %s allows at most %d, the primary ENI included.",
			in.ID, len(bound), in.Type, typ.ENIQuantity)
	}
	if e.ipCount() > typ.ENIPrivateIPs {
		return nil, errIPv4Count("The ENI %q has %d private IPv4 addresses; instance type %s allows at most %d per ENI.",
			e.ID, e.ipCount(), in.Type, typ.ENIPrivateIPs)
	}
	if card >= typ.NetworkCardQuantity {
		return nil, errInvalid("NetworkCardIndex",
			"instance type "+in.Type+" has "+strconv.Itoa(typ.NetworkCardQuantity)+" network card(s); the index must be below that")
	}
	for _, eip := range st.eipsOn(e.ID) {
		switch eip.Mode {
		case domain.EIPModeMultiBinded:
			if !domain.MultiEIPFamilySupported(in.Type) {
				return nil, forbidden("InvalidOperation.InstanceTypeNotSupport",
					"The ENI %q has EIPs in MULTI_BINDED mode (%s); instance family %s cannot take such an ENI.",
					e.ID, eip.ID, domain.InstanceFamily(in.Type))
			}
		case domain.EIPModeBinded:
			return nil, errENIState("The ENI %q has EIP %s associated in cut-through (BINDED) mode and cannot be bound to an instance.",
				e.ID, eip.ID)
		}
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
	e.InstanceID, e.DeviceIndex, e.NetworkCardIndex, e.AttachedAt = in.ID, dev, card, c.now
	e.Status = domain.ENIStatusAttaching
	st.scheduleAt(opAttach, e.ID, until)
	return object{}, nil
}

// --- DetachNetworkInterface ---------------------------------------------

func detachNetworkInterface(c *call) (object, error) {
	p, st := c.p, c.st
	if _, err := p.required("NetworkInterfaceId"); err != nil {
		return nil, err
	}
	if _, err := p.required("InstanceId"); err != nil {
		return nil, err
	}
	e, err := c.eni()
	if err != nil {
		return nil, err
	}
	in, err := c.instance()
	if err != nil {
		return nil, err
	}
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

func assignPrivateIPAddresses(c *call) (object, error) {
	p, st := c.p, c.st
	e, err := c.eni()
	if err != nil {
		return nil, err
	}
	ipList, err := p.list("PrivateIpAddress", maxIPsPerRequest)
	if err != nil {
		return nil, err
	}
	count, err := p.integer("SecondaryPrivateIpAddressCount", 0, 1, maxIPsPerRequest)
	if err != nil {
		return nil, err
	}
	switch {
	case len(ipList) > 0 && p.has("SecondaryPrivateIpAddressCount"):
		return nil, errConflict("PrivateIpAddress.N", "SecondaryPrivateIpAddressCount")
	case len(ipList) == 0 && count == 0:
		return nil, errMissing("SecondaryPrivateIpAddressCount")
	}
	explicit, err := requestedIPs("", ipList)
	if err != nil {
		return nil, err
	}
	if err := st.checkIPChangeState(e); err != nil {
		return nil, err
	}
	n := len(explicit) + count
	if e.InstanceID != "" {
		if in := st.Instances[e.InstanceID]; in != nil {
			limit := st.typeOf(in).ENIPrivateIPs
			if e.ipCount()+n > limit {
				return nil, errIPv4Count("The ENI %q has %d private IPv4 addresses; adding %d exceeds the limit of %d of instance type %s (primary IP included).",
					e.ID, e.ipCount(), n, limit, in.Type)
			}
		}
	} else if secondaries := e.ipCount() - 1; secondaries+n > domain.MaxSecondaryIPsUnattached {
		return nil, errIPv4Count("The ENI %q has %d secondary private IPv4 addresses; adding %d exceeds the limit of %d for an ENI not bound to an instance.",
			e.ID, secondaries, n, domain.MaxSecondaryIPsUnattached)
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
	added := append([]string{}, explicit...)
	for i := 0; i < count; i++ {
		ip, err := st.allocateIP(vsw, e.ID)
		if err != nil { // cannot happen after the count check; undo anyway
			for _, a := range added {
				delete(vsw.Used, a)
			}
			return nil, err
		}
		added = append(added, ip)
	}
	// The addresses are taken from the vSwitch now and show on the ENI
	// when the change completes.
	e.PendingAdd = added
	st.schedule(opIPs, e.ID, c.now, c.delay())
	return object{"AssignedPrivateIpAddressesSet": assignedSet{
		NetworkInterfaceId: e.ID,
		PrivateIpSet:       assignedIPs{PrivateIpAddress: added},
		Ipv4PrefixSet:      assignedPrefix{Ipv4Prefixes: noStrings},
	}}, nil
}

func unassignPrivateIPAddresses(c *call) (object, error) {
	p, st := c.p, c.st
	e, err := c.eni()
	if err != nil {
		return nil, err
	}
	ipList, err := p.list("PrivateIpAddress", maxIPsPerRequest)
	if err != nil {
		return nil, err
	}
	if len(ipList) == 0 {
		return nil, errMissing("PrivateIpAddress.1")
	}
	if err := st.checkIPChangeState(e); err != nil {
		return nil, err
	}
	remove := make(map[string]bool, len(ipList))
	for i, v := range ipList {
		a, err := parseIPv4("PrivateIpAddress."+strconv.Itoa(i+1), v)
		if err != nil {
			return nil, err
		}
		ip := a.String()
		if ip == e.PrimaryIP || !e.hasIP(ip) {
			return nil, forbidden("InvalidIp.IpUnassigned",
				"The address %q is not a secondary private IP of ENI %q.", ip, e.ID)
		}
		remove[ip] = true
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
	st.schedule(opIPs, e.ID, c.now, c.delay())
	return object{}, nil
}
