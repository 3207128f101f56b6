package eni

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/openeni/terraform-provider-eni/internal/cloud"
	"github.com/openeni/terraform-provider-eni/internal/validate"
)

// Plan-time checks of the private addresses the whole plan adds to each
// vSwitch: an address claimed twice (primary_ip_address,
// secondary_private_ips, eni_private_ip.ip_address), an address another
// ENI holds already, and more addresses than the vSwitch has free.
//
// Why one of two conflicting claimants always gets the error, whatever
// order Terraform plans them in: each claim is recorded and the claims
// recorded before it are read in one step under the book's lock, so of two
// claims of one address the one recorded second sees the first. Capacity
// works the same way: every claim adds a non-negative count to its
// vSwitch's running total and reads the total in the same step, so the
// total only grows and the resource recorded last sees everything the
// plan adds there; if that exceeds the free addresses, it (at least) gets
// the error. Which resource that is, and the total the earlier ones saw,
// depend on Terraform's scheduling, so the error says "at least".
//
// What is caught only in the plan Terraform makes just before applying a
// resource (when every ID is known): addresses of an ENI or an
// eni_private_ip whose vSwitch is unknown at plan (a vSwitch created in
// the same apply, or an eni_private_ip on an ENI created in the same
// apply), and addresses released by other resources of the plan, which
// are not credited (Terraform does not order those releases before the
// additions). A replaced ENI is credited with the addresses of the ENI it
// replaces, since Terraform destroys the old one first (unless
// create_before_destroy is set).
//
// API cost per walk: the vSwitch (DescribeVSwitches, shared with the other
// checks), one DescribeNetworkInterfaces per vSwitch in which the plan
// claims an explicit address, and one more per address found taken, to
// confirm it with a fresh read before reporting it.

// fixedAddress is an explicit address a resource adds, and the argument
// that sets it.
type fixedAddress struct {
	attr string
	ip   string
}

// addressPlan is what one resource's plan adds to a vSwitch.
type addressPlan struct {
	vsw      *vpc.VSwitch
	who      string   // "a new ENI in vSwitch vsw-1", "network interface eni-1"
	selfIDs  []string // ENIs that may hold the addresses already: its own, or the one it replaces
	fixed    []fixedAddress
	adds     int    // addresses added in the vSwitch, fixed ones included
	countAt  string // the attribute a capacity error names
	creating bool   // the resource does not exist yet
	// alsoSelf prefixes the claims this resource made under another name:
	// with -replace, the first plan of a replacement may have claimed
	// addresses as an update of the ENI it replaces.
	alsoSelf string
}

// check records the plan's claims in the walk's book and reports the
// conflicts: the claims first (so the others see them as early as
// possible), then the look-ups.
func (a addressPlan) check(ctx context.Context, c *cloud.Client, plans *PlanRegistry, diags *diag.Diagnostics) {
	book := plans.addresses()
	vswID := a.vsw.VSwitchId
	twice := map[string]bool{}
	for _, f := range a.fixed {
		self := fmt.Sprintf("%s (%s)", a.who, f.attr)
		others := book.claim(vswID, f.ip, self)
		if a.alsoSelf != "" {
			others = slices.DeleteFunc(others, func(o string) bool { return strings.HasPrefix(o, a.alsoSelf) })
		}
		if e := validate.AddressClaimedOnce(f.ip, vswID, self, others); e != nil {
			twice[f.ip] = true
			diags.AddAttributeError(path.Root(f.attr), "Address claimed twice", validate.ForNewObject(e, a.creating).Error()+".")
		}
	}
	if a.adds > 0 {
		total := book.add(vswID, a.adds)
		if e := validate.VSwitchCapacity(vswID, int(a.vsw.AvailableIpAddressCount), total, a.adds, a.who); e != nil {
			diags.AddAttributeError(path.Root(a.countAt), "Not enough free addresses in vSwitch", validate.ForNewObject(e, a.creating).Error()+".")
		}
	}
	for _, f := range a.fixed {
		if twice[f.ip] {
			continue
		}
		holders, err := book.holders(ctx, c, a.vsw, f.ip)
		if err != nil {
			diags.AddAttributeWarning(path.Root(f.attr), "reading network interfaces",
				"Whether another ENI holds the address could not be checked: "+err.Error())
			return
		}
		holders = slices.DeleteFunc(holders, book.isManaged)
		self := fmt.Sprintf("%s (%s)", a.who, f.attr)
		if e := validate.AddressNotHeld(f.ip, vswID, self, a.selfIDs, holders); e != nil {
			diags.AddAttributeError(path.Root(f.attr), "Address already in use", validate.ForNewObject(e, a.creating).Error()+".")
		}
	}
}

// keepAddresses claims, for an eni_network_interface in state, the
// addresses its ENI holds and keeps (or releases: Terraform does not order
// a release before another resource's addition). It matters for ENIs the
// holder check skips (noteManaged): a new claim of one of these addresses
// then meets this one, and the claim recorded second gets the error.
func keepAddresses(plans *PlanRegistry, state networkInterfaceModel, diags *diag.Diagnostics) {
	if plans == nil || !known(state.VSwitchID) || !known(state.ID) {
		return
	}
	book := plans.addresses()
	vswID, who := state.VSwitchID.ValueString(), "network interface "+state.ID.ValueString()
	var held []fixedAddress
	if known(state.PrimaryIPAddress) {
		held = append(held, fixedAddress{"primary_ip_address", state.PrimaryIPAddress.ValueString()})
	}
	for _, v := range state.PrivateIPs.Elements() {
		if s, ok := v.(basetypes.StringValue); ok && known(s) {
			held = append(held, fixedAddress{"private_ips", s.ValueString()})
		}
	}
	for _, f := range held {
		self := fmt.Sprintf("%s (%s, held now)", who, f.attr)
		others := slices.DeleteFunc(book.claim(vswID, f.ip, self), func(o string) bool { return strings.HasPrefix(o, who+" (") })
		if e := validate.AddressClaimedOnce(f.ip, vswID, self, others); e != nil {
			diags.AddAttributeError(path.Root(f.attr), "Address claimed twice", e.Error()+".")
		}
	}
}

// replacedENI is what the first plan of a replacement hands the second
// (the create) in private state: the ENI being replaced.
type replacedENI struct {
	ID        string `json:"id"`
	Addresses int    `json:"addresses"` // primary included
}

const privateReplaces = "replaces"

type privateData interface {
	GetKey(ctx context.Context, key string) ([]byte, diag.Diagnostics)
	SetKey(ctx context.Context, key string, value []byte) diag.Diagnostics
}

// storeReplaced records the ENI being replaced for the create plan that
// follows. Terraform hands the private data of the first plan of a
// replacement to the second one.
func storeReplaced(ctx context.Context, p privateData, r replacedENI, diags *diag.Diagnostics) {
	b, err := json.Marshal(r)
	if err != nil {
		diags.AddError("recording the replaced network interface", err.Error())
		return
	}
	diags.Append(p.SetKey(ctx, privateReplaces, b)...)
}

// takeReplaced reads what storeReplaced recorded and removes it, so that
// it does not reach the new ENI's state.
func takeReplaced(ctx context.Context, in, out privateData, diags *diag.Diagnostics) *replacedENI {
	if in == nil {
		return nil
	}
	b, d := in.GetKey(ctx, privateReplaces)
	diags.Append(d...)
	if len(b) == 0 {
		return nil
	}
	if out != nil {
		diags.Append(out.SetKey(ctx, privateReplaces, nil)...)
	}
	var r replacedENI
	if err := json.Unmarshal(b, &r); err != nil || r.ID == "" {
		return nil
	}
	return &r
}
