package validate

import (
	"fmt"
	"slices"
	"strings"

	"github.com/openeni/terraform-provider-eni/internal/domain"
)

// The binding rules of eni_network_interface_attachment. The resource
// gathers the facts (from the API and from what the rest of the plan
// does); the functions below judge them. Errors say what to change;
// warnings are plain strings, empty when there is nothing to say.

// BindingENI is what the rules need to know of the ENI to bind.
type BindingENI struct {
	ID, Type          string
	ZoneID, VPCID     string
	VSwitchID         string
	InstanceID        string // the instance it is bound to now, or ""
	PrivateIPs        int    // primary included, each IPv4 prefix counting as one
	PlannedPrivateIPs int    // addresses other resources of the plan add
	IPv6Addresses     int
}

// BindingInstance is what the rules need to know of an instance and its
// type.
type BindingInstance struct {
	ID, Type, Status string
	ZoneID, VPCID    string
	// HotSwap: the type accepts attach and detach while Running.
	HotSwap bool
	// ENILimit is the type's EniQuantity, the primary ENI included.
	ENILimit int
	// IPsPerENI is the type's EniPrivateIpAddressQuantity, primary IP included.
	IPsPerENI int
	// IPv6PerENI is the type's EniIpv6AddressQuantity (0: no IPv6).
	IPv6PerENI int
	// NetworkCards is the type's NetworkCardQuantity (0: not reported).
	NetworkCards int
}

// ZoneAndVPC checks that the ENI and the instance share a zone and a VPC
// (the ENI's vSwitch may differ from the instance's).
func ZoneAndVPC(eni BindingENI, in BindingInstance) error {
	var problems []string
	if eni.ZoneID != in.ZoneID {
		problems = append(problems, fmt.Sprintf("network interface %s is in zone %s but instance %s is in zone %s",
			eni.ID, eni.ZoneID, in.ID, in.ZoneID))
	}
	if eni.VPCID != in.VPCID {
		problems = append(problems, fmt.Sprintf("network interface %s is in VPC %s but instance %s is in VPC %s",
			eni.ID, eni.VPCID, in.ID, in.VPCID))
	}
	if len(problems) == 0 {
		return nil
	}
	return fmt.Errorf("%s; an ENI can only be bound to an instance of its own VPC and zone: create the ENI in a "+
		"vSwitch of zone %s in VPC %s, or choose an instance there", strings.Join(problems, ", and "), in.ZoneID, in.VPCID)
}

// StopRequired reports whether attaching or detaching an ENI needs the
// instance stopped first: its type has no hot swap and it is Running.
// Transitional states are not included: they are waited out at apply.
func StopRequired(in BindingInstance) bool {
	return !in.HotSwap && in.Status == domain.InstanceStatusRunning
}

// HotSwap checks that the instance can take the attach or detach (verb)
// now: a Running instance of a type without hot swap must be stopped
// first, by the user or, with stop_instance_if_required, by the provider.
func HotSwap(in BindingInstance, verb string, stopIfRequired bool) error {
	if !StopRequired(in) || stopIfRequired {
		return nil
	}
	return fmt.Errorf("instance %s is Running, and its type %s cannot %s a secondary ENI while Running (no hot "+
		"swap): stop the instance first, or set stop_instance_if_required = true to let the provider stop it, %s "+
		"the ENI and start it again", in.ID, in.Type, verb, verb)
}

// StopWarning is the plan's notice that the provider will stop and start
// an instance to attach or detach (verb) an ENI, or "" when it will not.
// eniID may be "" (not known yet).
func StopWarning(in BindingInstance, verb, eniID string, stopIfRequired bool) string {
	if !StopRequired(in) || !stopIfRequired {
		return ""
	}
	what := "the network interface"
	if eniID != "" {
		what = "network interface " + eniID
	}
	return fmt.Sprintf("Instance %s (type %s, no hot swap) is Running: to %s %s, apply will stop the instance, %s "+
		"the ENI and start it again. Expect a short outage of that instance.", in.ID, in.Type, verb, what, verb)
}

// ENICount checks the number of ENIs an instance would hold: the ENIs
// bound now and the ones attachments of this plan bind to it (planned,
// by ID; an ENI in both sets counts once), plus anonymous planned
// attachments whose ENI ID is not known yet. Its total is what the
// caller has seen of the plan so far; eni_network_interface_attachment
// judges each attachment with ENILimit instead, whose text does not
// depend on the order of planning.
func ENICount(in BindingInstance, bound, planned []string, anonymous int) error {
	if in.ENILimit <= 0 {
		return nil // the type does not say
	}
	all := slices.Clone(bound)
	added := 0
	for _, id := range planned {
		if !slices.Contains(all, id) {
			all = append(all, id)
			added++
		}
	}
	total := len(all) + anonymous
	if total <= in.ENILimit {
		return nil
	}
	return fmt.Errorf("instance %s (type %s) can hold at most %d ENIs, the primary ENI included, but would hold %d: "+
		"%d bound now and %d more attached by this plan. Remove %d attachment(s) to this instance, or use an instance "+
		"type with more ENIs", in.ID, in.Type, in.ENILimit, total, len(bound), added+anonymous, total-in.ENILimit)
}

// ENILimit judges one attachment to an instance against the type's ENI
// limit (the primary ENI included). bound are the ENIs on the instance
// that stay there (the plan does not detach them); before is how many
// other ENIs attachments of the plan bind to it and were judged before
// this one. The attachment is one too many when the instance would hold
// more than the limit with it.
//
// Terraform plans the attachments of one instance in an order of its
// own, and no attachment can see those planned after it, so which of
// them are "one too many" depends on that order; how many are (the
// planned attachments minus the room left), and what the error says, do
// not: the text names only the limit, the ENIs that stay bound and the
// room left, never a running total.
func ENILimit(in BindingInstance, bound []string, before int) error {
	if in.ENILimit <= 0 || len(bound)+before+1 <= in.ENILimit {
		return nil
	}
	room := max(in.ENILimit-len(bound), 0)
	head := fmt.Sprintf("instance %s (type %s) can hold at most %d ENIs, the primary ENI included, and %d are bound to "+
		"it and stay so in this plan (%s)", in.ID, in.Type, in.ENILimit, len(bound), strings.Join(bound, ", "))
	if room == 0 {
		return fmt.Errorf("%s, so no ENI can be attached to it. Detach one of those ENIs from the instance (one bound "+
			"outside this configuration, or one whose attachment you remove), remove this attachment, or use an instance "+
			"type with more ENIs", head)
	}
	return fmt.Errorf("%s, so this plan can attach %d more, and it attaches more than that. Every attachment beyond "+
		"those %d fails with this error: remove one attachment to this instance per such error, detach ENIs from the "+
		"instance, or use an instance type with more ENIs", head, room, room)
}

// DuplicateAttachment refuses an attachment of an ENI that other
// attachments of the plan bind as well: to others, the instances they
// bind it to (the same instance or another).
func DuplicateAttachment(eniID, instanceID string, others []string) error {
	if len(others) == 0 {
		return nil
	}
	where := make([]string, len(others))
	for i, o := range others {
		where[i] = "instance " + o
		if o == instanceID {
			where[i] += " as well"
		}
	}
	return fmt.Errorf("network_interface_id: network interface %s is bound to instance %s by this "+
		"eni_network_interface_attachment and to %s by another eni_network_interface_attachment of this "+
		"configuration. An ENI is bound to one instance at a time, by one attachment: remove all but one of the "+
		"attachments of %s (to move the ENI, change instance_id of the one you keep)",
		eniID, instanceID, strings.Join(where, " and "), eniID)
}

// ENIType refuses a primary ENI: it belongs to its instance for life.
func ENIType(eni BindingENI) error {
	if eni.Type != domain.ENITypePrimary {
		return nil
	}
	return fmt.Errorf("network interface %s is the primary ENI of instance %s; a primary ENI can never be detached "+
		"from its instance nor bound to another. Use a secondary ENI (eni_network_interface)", eni.ID, eni.InstanceID)
}

// BoundElsewhere judges an ENI that is bound to another instance than the
// target. keptThere says an unchanged attachment of this plan keeps it
// there: two attachments claim one ENI, an error. Otherwise the attach
// moves the ENI (apply detaches it first) and the warning says so.
func BoundElsewhere(eni BindingENI, targetID string, keptThere bool) (warning string, err error) {
	if eni.InstanceID == "" || eni.InstanceID == targetID {
		return "", nil
	}
	if keptThere {
		return "", fmt.Errorf("network interface %s is bound to instance %s, and another eni_network_interface_attachment "+
			"of this configuration keeps it there, so it cannot also be attached to %s. An ENI is bound to one instance "+
			"at a time: remove one of the two attachments, or change the other one's instance_id to move the ENI",
			eni.ID, eni.InstanceID, targetID)
	}
	return fmt.Sprintf("Network interface %s is bound to instance %s now. Apply will detach it from %s first and then "+
		"attach it to %s; its private IPs and EIPs stay with the ENI.", eni.ID, eni.InstanceID, eni.InstanceID, targetID), nil
}

// MovedAway refuses an unchanged attachment that keeps an ENI on an
// instance while another attachment of the plan takes it away.
func MovedAway(eniID, instanceID string) error {
	return fmt.Errorf("this attachment keeps network interface %s on instance %s, but another "+
		"eni_network_interface_attachment of this configuration attaches the ENI to a different instance. An ENI is "+
		"bound to one instance at a time: remove one of the two attachments", eniID, instanceID)
}

// PrivateIPsPerENI checks that the ENI's private IPs (primary included,
// plus those planned by eni_private_ip) fit the instance type's per-ENI
// limit; the API refuses the attach otherwise.
func PrivateIPsPerENI(eni BindingENI, in BindingInstance) error {
	n := eni.PrivateIPs + eni.PlannedPrivateIPs
	if in.IPsPerENI <= 0 || n <= in.IPsPerENI {
		return nil
	}
	return fmt.Errorf("network interface %s will hold %d private IPs (primary included), but instance type %s allows "+
		"at most %d per ENI; remove %d secondary private IP(s) or IPv4 prefix(es) (each prefix counts as one), or "+
		"choose an instance type that allows more", eni.ID, n, in.Type, in.IPsPerENI, n-in.IPsPerENI)
}

// IPv6PerENI checks that the ENI's IPv6 addresses fit the instance type:
// a type whose EniIpv6AddressQuantity is 0 takes none, others that many
// per ENI; the API refuses the attach otherwise.
func IPv6PerENI(eni BindingENI, in BindingInstance) error {
	if eni.IPv6Addresses == 0 {
		return nil
	}
	limit := domain.BoundIPv6Limit(in.Type, in.IPv6PerENI)
	err := domain.IPv6Supported(limit)
	if err == nil {
		err = domain.CheckIPv6Count(limit, eni.IPv6Addresses)
	}
	if err != nil {
		return fmt.Errorf("network interface %s, with its %d IPv6 address(es), cannot be bound to instance %s: it %w; "+
			"or choose an instance of another type", eni.ID, eni.IPv6Addresses, in.ID, err)
	}
	return nil
}

// NetworkCardIndex checks network_card_index against the instance type's
// number of network cards, when the type reports it.
func NetworkCardIndex(index int64, in BindingInstance) error {
	if in.NetworkCards <= 0 || index < int64(in.NetworkCards) {
		return nil
	}
	return fmt.Errorf("network_card_index is %d, but instance type %s of instance %s has %d network card(s), "+
		"numbered from 0; use an index below %d or leave it unset", index, in.Type, in.ID, in.NetworkCards, in.NetworkCards)
}

// SameVSwitch warns when ENIs of the ENI's vSwitch are on the instance
// already (or planned to it): several ENIs of one subnet on one instance
// are allowed but can route replies out of another interface than the
// request came in (asymmetric routing). others maps ENI ID → vSwitch ID.
func SameVSwitch(eni BindingENI, instanceID string, others map[string]string) string {
	var same []string
	for id, vsw := range others {
		if id != eni.ID && vsw == eni.VSwitchID {
			same = append(same, id)
		}
	}
	if len(same) == 0 {
		return ""
	}
	slices.Sort(same)
	return fmt.Sprintf("Network interface %s is in vSwitch %s, like %s on instance %s. Several ENIs of one vSwitch "+
		"on one instance are allowed but can cause asymmetric routing: configure policy routing in the guest OS, or "+
		"use ENIs of different vSwitches. (Said once per vSwitch and instance in each plan and each apply.)",
		eni.ID, eni.VSwitchID, strings.Join(same, ", "), instanceID)
}
