package mockcloud

import (
	"reflect"
	"strings"
	"time"

	"github.com/openeni/terraform-provider-eni/internal/domain"
)

// ownerID is the account every emulated resource belongs to. The ENI
// APIs report it as a string.
const ownerID = "1234567890123456"

// apiTime formats a time the way the ECS API does: UTC, seconds, "Z".
func apiTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }

// eniView is one ENI as CreateNetworkInterface, DescribeNetworkInterfaces
// (one NetworkInterfaceSet item) and DescribeNetworkInterfaceAttribute
// show it. Field names and JSON types follow the SDK structs exactly; every
// list wrapper is present and every list is [] rather than null, because
// consumers type-assert them.
type eniView struct {
	NetworkInterfaceId          string           `json:"NetworkInterfaceId"`
	Status                      string           `json:"Status"`
	Type                        string           `json:"Type"`
	InstanceId                  string           `json:"InstanceId"`
	VpcId                       string           `json:"VpcId"`
	VSwitchId                   string           `json:"VSwitchId"`
	ZoneId                      string           `json:"ZoneId"`
	PrivateIpAddress            string           `json:"PrivateIpAddress"`
	MacAddress                  string           `json:"MacAddress"`
	NetworkInterfaceName        string           `json:"NetworkInterfaceName"`
	Description                 string           `json:"Description"`
	ResourceGroupId             string           `json:"ResourceGroupId"`
	CreationTime                string           `json:"CreationTime"`
	OwnerId                     string           `json:"OwnerId"`
	ServiceID                   int64            `json:"ServiceID"`
	ServiceManaged              bool             `json:"ServiceManaged"`
	DeleteOnRelease             bool             `json:"DeleteOnRelease"`
	SourceDestCheck             bool             `json:"SourceDestCheck"`
	QueueNumber                 int              `json:"QueueNumber"`
	QueuePairNumber             int              `json:"QueuePairNumber"`
	NetworkInterfaceTrafficMode string           `json:"NetworkInterfaceTrafficMode"`
	SecurityGroupIds            securityGroupIDs `json:"SecurityGroupIds"`
	AssociatedPublicIp          publicIPView     `json:"AssociatedPublicIp"`
	Attachment                  attachmentView   `json:"Attachment"`
	PrivateIpSets               privateIPSets    `json:"PrivateIpSets"`
	Ipv6Sets                    ipv6Sets         `json:"Ipv6Sets"`
	Ipv4PrefixSets              ipv4PrefixSets   `json:"Ipv4PrefixSets"`
	Ipv6PrefixSets              ipv6PrefixSets   `json:"Ipv6PrefixSets"`
	Tags                        tagsView         `json:"Tags"`
}

type securityGroupIDs struct {
	SecurityGroupId []string `json:"SecurityGroupId"`
}

type publicIPView struct {
	PublicIpAddress string `json:"PublicIpAddress"`
	AllocationId    string `json:"AllocationId"`
}

type attachmentView struct {
	InstanceId                string             `json:"InstanceId"`
	DeviceIndex               int                `json:"DeviceIndex"`
	NetworkCardIndex          int                `json:"NetworkCardIndex"`
	TrunkNetworkInterfaceId   string             `json:"TrunkNetworkInterfaceId"`
	AttachedTime              string             `json:"AttachedTime"`
	MemberNetworkInterfaceIds memberNetworkIfIDs `json:"MemberNetworkInterfaceIds"`
}

type memberNetworkIfIDs struct {
	MemberNetworkInterfaceId []string `json:"MemberNetworkInterfaceId"`
}

type privateIPSets struct {
	PrivateIpSet []privateIPView `json:"PrivateIpSet"`
}

type privateIPView struct {
	PrivateIpAddress   string       `json:"PrivateIpAddress"`
	Primary            bool         `json:"Primary"`
	PrivateDnsName     string       `json:"PrivateDnsName"`
	AssociatedPublicIp publicIPView `json:"AssociatedPublicIp"`
}

// ipv6Sets and ipv4PrefixSets list the IPv6 addresses and IPv4 prefixes
// of an ENI, one object per entry (the SDK's Ipv6Set and Ipv4PrefixSet).
type ipv6Sets struct {
	Ipv6Set []ipv6View `json:"Ipv6Set"`
}

type ipv6View struct {
	Ipv6Address string `json:"Ipv6Address"`
}

type ipv4PrefixSets struct {
	Ipv4PrefixSet []ipv4PrefixView `json:"Ipv4PrefixSet"`
}

type ipv4PrefixView struct {
	Ipv4Prefix string `json:"Ipv4Prefix"`
}

// IPv6 prefixes are not emulated: the list is always empty.
type ipv6PrefixSets struct {
	Ipv6PrefixSet []struct{} `json:"Ipv6PrefixSet"`
}

type tagsView struct {
	Tag []tagView `json:"Tag"`
}

type tagView struct {
	TagKey   string `json:"TagKey"`
	TagValue string `json:"TagValue"`
}

// eniAttributeView is DescribeNetworkInterfaceAttribute's flat response:
// the ENI view plus the attribute-only objects.
type eniAttributeView struct {
	eniView
	TcpOptionAddressEnabled         string                 `json:"TcpOptionAddressEnabled"`
	NetworkInterfaceTrafficConfig   trafficConfigView      `json:"NetworkInterfaceTrafficConfig"`
	EnhancedNetwork                 enhancedNetworkView    `json:"EnhancedNetwork"`
	ConnectionTrackingConfiguration connTrackingView       `json:"ConnectionTrackingConfiguration"`
	BondInterfaceSpecification      bondInterfaceView      `json:"BondInterfaceSpecification"`
	SlaveInterfaceSpecification     slaveInterfaceSpecView `json:"SlaveInterfaceSpecification"`
}

type trafficConfigView struct {
	NetworkInterfaceTrafficMode string `json:"NetworkInterfaceTrafficMode"`
	QueueNumber                 int    `json:"QueueNumber"`
	QueuePairNumber             int    `json:"QueuePairNumber"`
}

type enhancedNetworkView struct {
	EnableSriov         bool `json:"EnableSriov"`
	SriovSupport        bool `json:"SriovSupport"`
	RssSupport          bool `json:"RssSupport"`
	VfQueueNumberPerEni int  `json:"VfQueueNumberPerEni"`
	EnableRss           bool `json:"EnableRss"`
}

type connTrackingView struct {
	TcpEstablishedTimeout       int `json:"TcpEstablishedTimeout"`
	TcpClosedAndTimeWaitTimeout int `json:"TcpClosedAndTimeWaitTimeout"`
	UdpTimeout                  int `json:"UdpTimeout"`
}

type bondInterfaceView struct {
	BondMode                    string                 `json:"BondMode"`
	SlaveInterfaceSpecification slaveInterfaceSetsView `json:"SlaveInterfaceSpecification"`
}

type slaveInterfaceSetsView struct {
	SlaveInterfaceSpecificationSet []struct{} `json:"SlaveInterfaceSpecificationSet"`
}

type slaveInterfaceSpecView struct {
	SlaveNetworkInterfaceId string `json:"SlaveNetworkInterfaceId"`
	BondNetworkInterfaceId  string `json:"BondNetworkInterfaceId"`
	WorkState               string `json:"WorkState"`
}

// Shared empty lists: they marshal as [] and are never appended to.
var (
	noStrings = []string{}
	noItems   = []struct{}{}
	noTags    = []tagView{}
)

// eipIndex maps an ENI ID to the EIPs bound (or binding, or unbinding) to
// its private IPs.
type eipIndex map[string][]*eipObj

// eniEIPs indexes the EIPs that are associated with an ENI. EIPs are few,
// so one pass per call is cheap, and the map is only made when an EIP is
// bound at all. An EIP associated with an instance (EcsInstance) sits on
// the primary IP of that instance's primary ENI.
func (s *state) eniEIPs() eipIndex {
	var idx eipIndex
	for _, e := range s.EIPs {
		if e.InstanceID == "" || e.Status == domain.EIPStatusAvailable {
			continue
		}
		owner := e.InstanceID
		if !strings.HasPrefix(owner, "eni-") {
			in := s.Instances[owner]
			if in == nil || in.PrimaryENIID == "" {
				continue
			}
			owner = in.PrimaryENIID
		}
		if idx == nil {
			idx = eipIndex{}
		}
		idx[owner] = append(idx[owner], e)
	}
	return idx
}

// publicIP is the EIP on one private IP of an ENI, or the empty view.
func (idx eipIndex) publicIP(e *eniObj, ip string) publicIPView {
	for _, eip := range idx[e.ID] {
		at := eip.PrivateIP
		if at == "" || !strings.HasPrefix(eip.InstanceID, "eni-") {
			// No private IP given, or an association with the instance:
			// the EIP sits on the primary IP.
			at = e.PrimaryIP
		}
		if at == ip {
			return publicIPView{PublicIpAddress: eip.IP, AllocationId: eip.ID}
		}
	}
	return publicIPView{}
}

// view builds the API view of an ENI. idx comes from s.eniEIPs(), made
// once per call.
func (e *eniObj) view(idx eipIndex) eniView {
	sgs := e.SecurityGroupIDs
	if sgs == nil {
		sgs = noStrings
	}
	tags := noTags
	if len(e.Tags) > 0 {
		tags = make([]tagView, len(e.Tags))
		for i, t := range e.Tags {
			tags[i] = tagView{TagKey: t.Key, TagValue: t.Value}
		}
	}
	ips := make([]privateIPView, 0, 1+len(e.SecondaryIPs))
	primaryPub := idx.publicIP(e, e.PrimaryIP)
	ips = append(ips, privateIPView{PrivateIpAddress: e.PrimaryIP, Primary: true, AssociatedPublicIp: primaryPub})
	for _, ip := range e.SecondaryIPs {
		ips = append(ips, privateIPView{PrivateIpAddress: ip, AssociatedPublicIp: idx.publicIP(e, ip)})
	}
	att := attachmentView{MemberNetworkInterfaceIds: memberNetworkIfIDs{MemberNetworkInterfaceId: noStrings}}
	if e.InstanceID != "" {
		att.InstanceId = e.InstanceID
		att.DeviceIndex = e.DeviceIndex
		att.NetworkCardIndex = e.NetworkCardIndex
		if !e.AttachedAt.IsZero() {
			att.AttachedTime = apiTime(e.AttachedAt)
		}
	}
	return eniView{
		NetworkInterfaceId:          e.ID,
		Status:                      e.Status,
		Type:                        e.Type,
		InstanceId:                  e.InstanceID,
		VpcId:                       e.VPCID,
		VSwitchId:                   e.VSwitchID,
		ZoneId:                      e.ZoneID,
		PrivateIpAddress:            e.PrimaryIP,
		MacAddress:                  e.MAC,
		NetworkInterfaceName:        e.Name,
		Description:                 e.Description,
		ResourceGroupId:             e.ResourceGroupID,
		CreationTime:                apiTime(e.CreatedAt),
		OwnerId:                     ownerID,
		DeleteOnRelease:             e.DeleteOnRelease,
		QueueNumber:                 e.QueueNumber,
		NetworkInterfaceTrafficMode: e.TrafficMode,
		SecurityGroupIds:            securityGroupIDs{SecurityGroupId: sgs},
		AssociatedPublicIp:          primaryPub,
		Attachment:                  att,
		PrivateIpSets:               privateIPSets{PrivateIpSet: ips},
		Ipv6Sets:                    e.ipv6Sets(),
		Ipv4PrefixSets:              e.ipv4PrefixSets(),
		Ipv6PrefixSets:              ipv6PrefixSets{Ipv6PrefixSet: noItems},
		Tags:                        tagsView{Tag: tags},
	}
}

// ipv6Sets and ipv4PrefixSets are the ENI's IPv6 addresses and IPv4
// prefixes as its views list them: those it holds, not those an assign in
// progress adds; [] when there are none.
func (e *eniObj) ipv6Sets() ipv6Sets {
	out := make([]ipv6View, len(e.IPv6Addresses))
	for i, a := range e.IPv6Addresses {
		out[i] = ipv6View{Ipv6Address: a}
	}
	return ipv6Sets{Ipv6Set: out}
}

func (e *eniObj) ipv4PrefixSets() ipv4PrefixSets {
	out := make([]ipv4PrefixView, len(e.IPv4Prefixes))
	for i, p := range e.IPv4Prefixes {
		out[i] = ipv4PrefixView{Ipv4Prefix: p}
	}
	return ipv4PrefixSets{Ipv4PrefixSet: out}
}

// attributeView is the DescribeNetworkInterfaceAttribute body.
func (e *eniObj) attributeView(idx eipIndex) eniAttributeView {
	return eniAttributeView{
		eniView: e.view(idx),
		NetworkInterfaceTrafficConfig: trafficConfigView{
			NetworkInterfaceTrafficMode: e.TrafficMode,
			QueueNumber:                 e.QueueNumber,
		},
		BondInterfaceSpecification: bondInterfaceView{
			SlaveInterfaceSpecification: slaveInterfaceSetsView{SlaveInterfaceSpecificationSet: noItems},
		},
	}
}

// flatten turns a view struct into a top-level response object: one key
// per JSON field, embedded structs inlined, as the flat responses of
// CreateNetworkInterface and DescribeNetworkInterfaceAttribute need. The
// values keep their Go types, so nested objects marshal as structs.
func flatten(v any) object {
	rv := reflect.ValueOf(v)
	fields := jsonFields(rv.Type())
	o := make(object, len(fields)+1)
	for _, f := range fields {
		o[f.name] = rv.FieldByIndex(f.index).Interface()
	}
	return o
}

type jsonField struct {
	name  string
	index []int
}

var jsonFieldCache cache[reflect.Type, []jsonField]

func jsonFields(t reflect.Type) []jsonField {
	if v, ok := jsonFieldCache.load(t); ok {
		return v
	}
	var out []jsonField
	var walk func(t reflect.Type, prefix []int)
	walk = func(t reflect.Type, prefix []int) {
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			index := append(append([]int(nil), prefix...), i)
			if f.Anonymous && f.Type.Kind() == reflect.Struct {
				walk(f.Type, index)
				continue
			}
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "" || name == "-" || !f.IsExported() {
				continue
			}
			out = append(out, jsonField{name: name, index: index})
		}
	}
	walk(t, nil)
	jsonFieldCache.store(t, out)
	return out
}
