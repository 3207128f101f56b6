package mockcloud

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"github.com/openeni/terraform-provider-eni/internal/domain"
)

// ecsInstanceActions lists the actions of this file: the ECS instance,
// instance-type and security-group calls the provider needs around ENIs.
func ecsInstanceActions() []action {
	return []action{
		{Version: ecsVersion, Name: "DescribeInstances", Handle: describeInstances},
		{Version: ecsVersion, Name: "DescribeInstanceTypes", Handle: describeInstanceTypes},
		{Version: ecsVersion, Name: "StopInstance", Mutating: true, Handle: stopInstance},
		{Version: ecsVersion, Name: "StartInstance", Mutating: true, Handle: startInstance},
		{Version: ecsVersion, Name: "DescribeSecurityGroups", Handle: describeSecurityGroups},
	}
}

// Time layouts: ECS instances report minutes, other objects seconds.
const (
	instanceTimeLayout = "2006-01-02T15:04Z"
	apiTimeLayout      = "2006-01-02T15:04:05Z"
)

// additionalPrimaryENIIP is the DescribeInstances AdditionalAttributes
// value that fills NetworkInterfaces[].PrivateIpSets.
const additionalPrimaryENIIP = "NETWORK_PRIMARY_ENI_IP"

var instanceStatuses = []string{
	domain.InstanceStatusPending, domain.InstanceStatusRunning, domain.InstanceStatusStarting,
	domain.InstanceStatusStopping, domain.InstanceStatusStopped,
}

// errNoSuchInstance is the Start/Stop/EIP flavour of an unknown instance
// (the ENI actions use InvalidEcsId.NotFound instead).
func errNoSuchInstance(id string) *apiError {
	return notFound("InvalidInstanceId.NotFound", "The specified InstanceId %q does not exist.", id)
}

func errDryRun() *apiError {
	return badRequest("DryRunOperation", "Request validation has been passed with DryRun flag set.")
}

// listWindow applies either paging style to n sorted items and returns the
// window plus the paging fields of the response. NextToken/MaxResults is
// used when either is given (PageNumber/PageSize are then ignored, as the
// real service does); otherwise PageNumber/PageSize. The token is the
// offset of the next item, so it is returned in both styles and a client
// may switch to NextToken after a first numbered page.
func listWindow(p params, n, maxPageSize, maxResults int) (from, to int, meta object, err error) {
	if p.has("NextToken") || p.has("MaxResults") {
		offset, size, terr := p.tokenPage(maxResults)
		if terr != nil {
			return 0, 0, nil, terr
		}
		offset = min(offset, n) // a token past the end (or huge) is an empty page
		return offset, min(offset+size, n), object{"TotalCount": n, "PageNumber": offset/size + 1, "PageSize": size,
			"NextToken": nextToken(n, offset, size)}, nil
	}
	number, size, err := p.page(maxPageSize)
	if err != nil {
		return 0, 0, nil, err
	}
	from, to = pageSlice(n, number, size)
	return from, to, object{"TotalCount": n, "PageNumber": number, "PageSize": size,
		"NextToken": nextToken(n, from, to-from)}, nil
}

// globMatch matches a name filter where "*" stands for any run of
// characters (InstanceName, SecurityGroupName); without "*" it is exact.
func globMatch(pattern, s string) bool {
	if !strings.Contains(pattern, "*") {
		return pattern == s
	}
	parts := strings.Split(pattern, "*")
	if !strings.HasPrefix(s, parts[0]) {
		return false
	}
	s = s[len(parts[0]):]
	last := parts[len(parts)-1]
	for _, part := range parts[1 : len(parts)-1] {
		i := strings.Index(s, part)
		if i < 0 {
			return false
		}
		s = s[i+len(part):]
	}
	return strings.HasSuffix(s, last)
}

// instanceShape derives vCPUs and memory (GiB) from an instance type name,
// since the seed only carries the ENI limits: the size suffix gives the
// vCPUs (small 1, large 2, xlarge 4, Nxlarge 4N) and the family the GiB per
// vCPU (cXmY spells it out; c 2, g 4, r 8, others 4).
func instanceShape(typeID string) (cpu int, memGiB float64) {
	rest := strings.TrimPrefix(typeID, "ecs.")
	family, size := rest, ""
	if i := strings.LastIndex(rest, "."); i >= 0 {
		family, size = rest[:i], rest[i+1:]
	}
	switch {
	case size == "nano" || size == "micro" || size == "small" || size == "medium":
		cpu = 1
	case size == "large":
		cpu = 2
	case size == "xlarge":
		cpu = 4
	case strings.HasSuffix(size, "xlarge"):
		if n, err := strconv.Atoi(strings.TrimSuffix(size, "xlarge")); err == nil && n > 0 {
			cpu = 4 * n
		}
	}
	if cpu == 0 {
		cpu = 2
	}
	ratio := 4.0
	if _, spec, ok := strings.Cut(family, "-"); ok {
		spec = strings.TrimPrefix(spec, "l")
		if c, m, ok := strings.Cut(strings.TrimPrefix(spec, "c"), "m"); ok {
			cn, err1 := strconv.Atoi(c)
			mn, err2 := strconv.Atoi(m)
			if err1 == nil && err2 == nil && cn > 0 {
				ratio = float64(mn) / float64(cn)
			}
		}
	} else if family != "" {
		switch family[0] {
		case 'c':
			ratio = 2
		case 'r':
			ratio = 8
		}
	}
	return cpu, float64(cpu) * ratio
}

// instanceENIs returns every ENI bound to the instance (in any transition
// that keeps the binding), the primary first, then by device index.
func (s *state) instanceENIs(instanceID string) []*eniObj {
	var out []*eniObj
	for _, e := range s.ENIs {
		if e.InstanceID == instanceID {
			out = append(out, e)
		}
	}
	slices.SortFunc(out, func(a, b *eniObj) int {
		if pa, pb := a.Type == domain.ENITypePrimary, b.Type == domain.ENITypePrimary; pa != pb {
			if pa {
				return -1
			}
			return 1
		}
		return cmp.Or(cmp.Compare(a.DeviceIndex, b.DeviceIndex), cmp.Compare(a.Seq, b.Seq))
	})
	return out
}

// instanceFilter is the filter set of DescribeInstances (its paging is
// listWindow's).
type instanceFilter struct {
	IDs          []string          `param:"InstanceIds,json,max=100"`
	PrivateIPs   []string          `param:"PrivateIpAddresses,json,max=100"`
	Status       string            `param:"Status,check=instanceStatus"`
	Tags         instanceTagFilter `param:"Tag.N"`
	Attributes   []string          `param:"AdditionalAttributes.N,max=20"`
	_            bool              `param:"DryRun"`
	VPCID        string            `param:"VpcId"`
	VSwitchID    string            `param:"VSwitchId"`
	ZoneID       string            `param:"ZoneId"`
	InstanceType string            `param:"InstanceType"`
	Family       string            `param:"InstanceTypeFamily"`
	SGID         string            `param:"SecurityGroupId"`
	Name         string            `param:"InstanceName"`
}

func checkInstanceStatus(_ *call, name, v string) error {
	if !slices.Contains(instanceStatuses, v) {
		return notFound("InvalidStatus.NotFound", "The specified %s %q is not valid; use one of %s.", name, v, strings.Join(instanceStatuses, ", "))
	}
	return nil
}

func describeInstances(c *call) (object, error) {
	var f instanceFilter
	if err := c.decode(&f); err != nil {
		return nil, err
	}
	withIPs := slices.Contains(f.Attributes, additionalPrimaryENIIP)
	var matched []*instanceObj
	// InstanceIds='[]' is an explicit empty set, not "no filter".
	emptySet := c.p.has("InstanceIds") && len(f.IDs) == 0
	if !emptySet {
		for _, in := range c.st.Instances {
			if f.match(c.st, in) {
				matched = append(matched, in)
			}
		}
	}
	slices.SortFunc(matched, func(a, b *instanceObj) int { return cmp.Compare(a.Seq, b.Seq) })
	from, to, out, err := listWindow(c.p, len(matched), 100, 100)
	if err != nil {
		return nil, err
	}
	list := make([]object, 0, to-from)
	for _, in := range matched[from:to] {
		list = append(list, instanceView(c.st, in, withIPs))
	}
	out["Instances"] = object{"Instance": list}
	return out, nil
}

// instanceTagFilter is the Tag.N.Key / Tag.N.Value filter of
// DescribeInstances: at most 20 tags (InvalidTagCount), a value only with
// its key (InvalidTag.Mismatch). An instance matches when it carries every
// given tag; a key given without a value matches any value of that key.
type instanceTagFilter []tagPair

func (t *instanceTagFilter) decodeParam(c *call, _ string) error {
	p := c.p
	keys := 0
	for k, v := range p {
		rest, ok := strings.CutPrefix(k, "Tag.")
		if !ok || v == "" {
			continue
		}
		if idx, ok := strings.CutSuffix(rest, ".Key"); ok && !strings.Contains(idx, ".") {
			keys++
		}
		if idx, ok := strings.CutSuffix(rest, ".Value"); ok && !strings.Contains(idx, ".") && p["Tag."+idx+".Key"] == "" {
			return badRequest("InvalidTag.Mismatch", "The specified %s is given without its Tag.%s.Key.", k, idx)
		}
	}
	if keys > maxTagsPerRequest {
		return badRequest("InvalidTagCount", "At most %d tags can be given as a filter; %d were given.", maxTagsPerRequest, keys)
	}
	tags, err := p.tags("Tag")
	*t = tags
	return err
}

// match applies the DescribeInstances filters.
func (f *instanceFilter) match(st *state, in *instanceObj) bool {
	if len(f.IDs) > 0 && !slices.Contains(f.IDs, in.ID) {
		return false
	}
	for _, m := range []struct{ want, value string }{
		{f.VPCID, in.VPCID}, {f.VSwitchID, in.VSwitchID}, {f.ZoneID, in.ZoneID},
		{f.InstanceType, in.Type}, {f.Family, domain.InstanceFamily(in.Type)}, {f.Status, in.Status},
	} {
		if m.want != "" && m.want != m.value {
			return false
		}
	}
	if f.SGID != "" && !slices.Contains(in.SecurityGroupIDs, f.SGID) {
		return false
	}
	if f.Name != "" && !globMatch(f.Name, in.Name) {
		return false
	}
	if len(f.PrivateIPs) > 0 {
		primary := st.ENIs[in.PrimaryENIID]
		if primary == nil || !slices.Contains(f.PrivateIPs, primary.PrimaryIP) {
			return false
		}
	}
	return matchTags(in.Tags, f.Tags)
}

// instanceView is one DescribeInstances item, typed as the SDK's Instance.
func instanceView(st *state, in *instanceObj, withIPs bool) object {
	cpu, mem := instanceShape(in.Type)
	stoppedMode := "Not-applicable"
	if in.Status == domain.InstanceStatusStopped {
		stoppedMode = "KeepCharging"
	}
	primaryIPs := []string{}
	if e := st.ENIs[in.PrimaryENIID]; e != nil {
		primaryIPs = append(primaryIPs, e.PrimaryIP)
	}
	eip := object{"AllocationId": "", "IpAddress": "", "Bandwidth": 0, "InternetChargeType": "", "IsSupportUnassociate": false}
	if e := st.instanceEIP(in); e != nil {
		bw, _ := strconv.Atoi(e.Bandwidth)
		eip = object{"AllocationId": e.ID, "IpAddress": e.IP, "Bandwidth": bw, "InternetChargeType": e.ChargeTyp, "IsSupportUnassociate": false}
	}
	return object{
		"InstanceId":          in.ID,
		"InstanceName":        in.Name,
		"HostName":            in.ID,
		"Description":         "",
		"InstanceType":        in.Type,
		"InstanceTypeFamily":  domain.InstanceFamily(in.Type),
		"Status":              in.Status,
		"ZoneId":              in.ZoneID,
		"RegionId":            st.Region,
		"InstanceNetworkType": "vpc",
		"InstanceChargeType":  "PostPaid",
		"CreationTime":        in.CreatedAt.UTC().Format(instanceTimeLayout),
		"StartTime":           in.CreatedAt.UTC().Format(instanceTimeLayout),
		"StoppedMode":         stoppedMode,
		"Cpu":                 cpu,
		"Memory":              int(mem * 1024),
		"IoOptimized":         true,
		"ResourceGroupId":     "",
		"VpcAttributes": object{"VpcId": in.VPCID, "VSwitchId": in.VSwitchID, "NatIpAddress": "",
			"PrivateIpAddress": object{"IpAddress": primaryIPs}},
		"SecurityGroupIds":  object{"SecurityGroupId": nonNil(in.SecurityGroupIDs)},
		"PublicIpAddress":   object{"IpAddress": []string{}},
		"InnerIpAddress":    object{"IpAddress": []string{}},
		"EipAddress":        eip,
		"NetworkInterfaces": object{"NetworkInterface": instanceENIViews(st, in, withIPs)},
		"Tags":              object{"Tag": tagViews(in.Tags)},
		"OperationLocks":    object{"LockReason": []object{}},
	}
}

// instanceENIViews are the NetworkInterfaces of a DescribeInstances item;
// withIPs fills their PrivateIpSets, Ipv6Sets and Ipv4PrefixSets
// (AdditionalAttributes NETWORK_PRIMARY_ENI_IP).
func instanceENIViews(st *state, in *instanceObj, withIPs bool) []object {
	enis := []object{}
	for _, e := range st.instanceENIs(in.ID) {
		ipSets := []object{}
		ipv6, prefixes := ipv6Sets{Ipv6Set: []ipv6View{}}, ipv4PrefixSets{Ipv4PrefixSet: []ipv4PrefixView{}}
		if withIPs {
			ipv6, prefixes = e.ipv6Sets(), e.ipv4PrefixSets()
			ipSets = append(ipSets, object{"PrivateIpAddress": e.PrimaryIP, "Primary": true})
			for _, ip := range e.SecondaryIPs {
				ipSets = append(ipSets, object{"PrivateIpAddress": ip, "Primary": false})
			}
		}
		enis = append(enis, object{
			"NetworkInterfaceId":          e.ID,
			"Type":                        e.Type,
			"MacAddress":                  e.MAC,
			"PrimaryIpAddress":            e.PrimaryIP,
			"VSwitchId":                   e.VSwitchID,
			"NetworkInterfaceName":        e.Name,
			"Description":                 e.Description,
			"DeleteOnRelease":             e.DeleteOnRelease,
			"NetworkInterfaceTrafficMode": e.TrafficMode,
			"SecurityGroupIds":            object{"SecurityGroupId": nonNil(e.SecurityGroupIDs)},
			"PrivateIpSets":               object{"PrivateIpSet": ipSets},
			"Ipv6Sets":                    ipv6,
			"Ipv4PrefixSets":              prefixes,
			"Ipv6PrefixSets":              object{"Ipv6PrefixSet": []object{}},
		})
	}
	return enis
}

// tagViews is a tag list as DescribeInstances reports it: TagKey and
// TagValue (the SDK's ecs.Tag), never null.
func tagViews(tags []tagPair) []tagView {
	out := make([]tagView, len(tags))
	for i, t := range tags {
		out[i] = tagView{TagKey: t.Key, TagValue: t.Value}
	}
	return out
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

type instanceTypeFilter struct {
	IDs      []string `param:"InstanceTypes.N,max=100"`
	Families []string `param:"InstanceTypeFamilies.N,max=10"`
	MinENIs  int      `param:"MinimumEniQuantity,max=1048576"`
	MinIPs   int      `param:"MinimumEniPrivateIpAddressQuantity,max=1048576"`
	MinIPv6  int      `param:"MinimumEniIpv6AddressQuantity,max=1048576"`
	// Without MaxResults the first 100 entries are returned.
	MaxResults int       `param:"MaxResults,default=100,min=1,max=100"`
	Offset     pageToken `param:"NextToken"`
	Family     string    `param:"InstanceTypeFamily"`
}

func (f *instanceTypeFilter) match(t *instanceType) bool {
	family := domain.InstanceFamily(t.ID)
	switch {
	case len(f.IDs) > 0 && !slices.Contains(f.IDs, t.ID),
		f.Family != "" && family != f.Family,
		len(f.Families) > 0 && !slices.Contains(f.Families, family),
		t.ENIQuantity < f.MinENIs, t.ENIPrivateIPs < f.MinIPs, t.ENIIPv6 < f.MinIPv6:
		return false
	}
	return true
}

func describeInstanceTypes(c *call) (object, error) {
	var f instanceTypeFilter
	if err := c.decode(&f); err != nil {
		return nil, err
	}
	var matched []*instanceType
	for _, t := range c.st.InstanceTypes {
		if f.match(t) {
			matched = append(matched, t)
		}
	}
	slices.SortFunc(matched, func(a, b *instanceType) int { return strings.Compare(a.ID, b.ID) })
	size := f.MaxResults
	offset := min(int(f.Offset), len(matched))
	to := min(offset+size, len(matched))
	list := make([]object, 0, to-offset)
	for _, t := range matched[offset:to] {
		list = append(list, instanceTypeView(t))
	}
	return object{"NextToken": nextToken(len(matched), offset, size), "InstanceTypes": object{"InstanceType": list}}, nil
}

// instanceTypeView is one DescribeInstanceTypes item. Hot-swap support is
// not an API field, so it is not reported here.
func instanceTypeView(t *instanceType) object {
	cpu, mem := instanceShape(t.ID)
	cards := make([]object, 0, t.NetworkCardQuantity)
	for i := 0; i < t.NetworkCardQuantity; i++ {
		cards = append(cards, object{"NetworkCardIndex": i})
	}
	return object{
		"InstanceTypeId":              t.ID,
		"InstanceTypeFamily":          domain.InstanceFamily(t.ID),
		"EniQuantity":                 t.ENIQuantity,
		"EniPrivateIpAddressQuantity": t.ENIPrivateIPs,
		"EniIpv6AddressQuantity":      t.ENIIPv6,
		"EniTotalQuantity":            t.ENIQuantity,
		"EniTrunkSupported":           false,
		"NetworkCardQuantity":         t.NetworkCardQuantity,
		"NetworkCards":                object{"NetworkCardInfo": cards},
		"CpuCoreCount":                cpu,
		"MemorySize":                  mem,
		"CpuArchitecture":             "X86",
		"InstanceCategory":            "General-purpose",
		"InstanceFamilyLevel":         "EnterpriseLevel",
		"SupportIoOptimized":          "optimized",
		"MaximumQueueNumberPerEni":    0,
		"PrimaryEniQueueNumber":       0,
		"SecondaryEniQueueNumber":     0,
		"TotalEniQueueQuantity":       0,
	}
}

// stopTarget is the instance and the flags of StopInstance; check looks
// the instance up.
type stopTarget struct {
	InstanceID string `param:"InstanceId,required"`
	_          bool   `param:"ForceStop"`
	_          bool   `param:"ConfirmStop"`
	_          bool   `param:"Hibernate"`
	DryRun     bool   `param:"DryRun"`
	in         *instanceObj
}

func (a *stopTarget) check(c *call) (err error) {
	a.in, err = c.st.startStopInstance(a.InstanceID)
	return err
}

type stopArgs struct {
	Target stopTarget
	_      string `param:"StoppedMode,oneof=KeepCharging StopCharging"`
}

// startArgs is the instance and the flags of StartInstance; check looks
// the instance up.
type startArgs struct {
	InstanceID string `param:"InstanceId,required"`
	_          bool   `param:"InitLocalDisk"`
	DryRun     bool   `param:"DryRun"`
	in         *instanceObj
}

func (a *startArgs) check(c *call) (err error) {
	a.in, err = c.st.startStopInstance(a.InstanceID)
	return err
}

// startStopInstance is the instance a StartInstance or StopInstance names.
func (s *state) startStopInstance(id string) (*instanceObj, error) {
	in := s.Instances[id]
	if in == nil {
		return nil, errNoSuchInstance(id)
	}
	return in, nil
}

func errIncorrectInstanceStatus(in *instanceObj, op, want string) *apiError {
	return forbidden("IncorrectInstanceStatus",
		"The current status of the resource does not support this operation: %s cannot be %s while %s (it must be %s).",
		in.ID, op, in.Status, want)
}

func stopInstance(c *call) (object, error) {
	var a stopArgs
	if err := c.decode(&a); err != nil {
		return nil, err
	}
	in, dryRun := a.Target.in, a.Target.DryRun
	if in.Status != domain.InstanceStatusRunning {
		return nil, errIncorrectInstanceStatus(in, "stopped", domain.InstanceStatusRunning)
	}
	if dryRun {
		return nil, errDryRun()
	}
	in.Status = domain.InstanceStatusStopping
	c.st.schedule(opStop, in.ID, c.now, c.delay())
	return object{}, nil
}

func startInstance(c *call) (object, error) {
	var a startArgs
	if err := c.decode(&a); err != nil {
		return nil, err
	}
	in, dryRun := a.in, a.DryRun
	if in.Status != domain.InstanceStatusStopped {
		return nil, errIncorrectInstanceStatus(in, "started", domain.InstanceStatusStopped)
	}
	if dryRun {
		return nil, errDryRun()
	}
	in.Status = domain.InstanceStatusStarting
	c.st.schedule(opStart, in.ID, c.now, c.delay())
	return object{}, nil
}

type securityGroupFilter struct {
	IDs   []string  `param:"SecurityGroupIds,json,max=100"`
	Tags  []tagPair `param:"Tag.N"`
	_     bool      `param:"DryRun"`
	Type  string    `param:"SecurityGroupType,oneof=normal enterprise"`
	ID    string    `param:"SecurityGroupId"`
	VPCID string    `param:"VpcId"`
	Name  string    `param:"SecurityGroupName"`
}

func (f *securityGroupFilter) match(g *securityGroup) bool {
	switch {
	case len(f.IDs) > 0 && !slices.Contains(f.IDs, g.ID),
		f.ID != "" && f.ID != g.ID,
		f.VPCID != "" && f.VPCID != g.VPCID,
		f.Name != "" && !globMatch(f.Name, g.Name):
		return false
	}
	return true
}

func describeSecurityGroups(c *call) (object, error) {
	var f securityGroupFilter
	if err := c.decode(&f); err != nil {
		return nil, err
	}
	var matched []*securityGroup
	// Security groups carry no tags; SecurityGroupIds='[]' matches nothing;
	// seeded groups are all of type normal.
	emptySet := c.p.has("SecurityGroupIds") && len(f.IDs) == 0
	if !emptySet && len(f.Tags) == 0 && f.Type != "enterprise" {
		for _, g := range c.st.SecurityGroups {
			if f.match(g) {
				matched = append(matched, g)
			}
		}
	}
	slices.SortFunc(matched, func(a, b *securityGroup) int { return cmp.Compare(a.Seq, b.Seq) })
	from, to, out, err := listWindow(c.p, len(matched), 50, 100)
	if err != nil {
		return nil, err
	}
	list := make([]object, 0, to-from)
	for _, g := range matched[from:to] {
		list = append(list, object{
			"SecurityGroupId":   g.ID,
			"SecurityGroupName": g.Name,
			"Description":       "",
			"VpcId":             g.VPCID,
			"SecurityGroupType": "normal",
			"CreationTime":      g.CreatedAt.UTC().Format(apiTimeLayout),
			"ResourceGroupId":   "",
			"ServiceManaged":    false,
			"Tags":              object{"Tag": []object{}},
		})
	}
	out["RegionId"] = c.st.Region
	out["SecurityGroups"] = object{"SecurityGroup": list}
	return out, nil
}
