package eni

import (
	"github.com/openeni/terraform-provider-eni/internal/cloud"
)

// Meta is what the provider hands every resource: the one API client and
// what the resources of this Terraform walk share.
type Meta struct {
	Client *cloud.Client
	Plans  *Walk
	Tags   *TagConfig // default_tags and ignore_tags; nil: neither is set
}

// Walk is what the resources of one Terraform walk (plan, or apply)
// share: what the walk plans, and what its applies have done so far. They
// are two things because they answer two questions: the claims say what
// the configuration asks for, the apply record what already happened in
// the cloud, which a plan must not count a second time.
type Walk struct {
	Claims  PlanRegistry // plan_registry.go and plan_*.go
	Applied ApplyRecord  // apply_record.go
}

// NewMeta is called by the provider's Configure. Terraform configures the
// provider once per walk (plan, apply), so each walk gets a fresh Walk.
func NewMeta(c *cloud.Client) *Meta { return &Meta{Client: c, Plans: &Walk{}} }

// registry is the walk's plan registry, nil when the provider is not
// configured yet.
func (w *Walk) registry() *PlanRegistry {
	if w == nil {
		return nil
	}
	return &w.Claims
}

// PlanRegistry lets one resource's plan-time checks see what the other
// resources of the same walk plan: Terraform plans every resource of a
// walk in this one provider process, so a check can count the ENIs planned
// onto an instance or the addresses planned for an ENI. Each family of
// claims has its own type and lock; a check reads the claims recorded
// before its own and records its own in one step, so of two resources
// planned at the same moment the second always sees the first.
//
// What it can know, and what it cannot:
//   - Only the resources of this walk that Terraform has planned so far.
//     Terraform plans in dependency order (an ENI before the attachment
//     that references it) and plans independent resources in any order,
//     in parallel. So a rule between two resources is checked by the one
//     planned second, whichever that is: every method that records a
//     claim returns what was claimed before it.
//   - IDs that are unknown at plan (an ENI created in the same apply) are
//     claims of their own kind (eniRef, associateUnknown, addAnyAddress):
//     each counts as one more object, never as the same object as another
//     claim. The plan Terraform makes just before applying a resource, in
//     the apply walk, sees the IDs and checks again.
//   - Nothing of other walks (each Configure makes a new registry), of
//     resources outside the configuration, or of what an apply has done:
//     the cloud says that, and ApplyRecord says what this apply changed
//     that a plan would otherwise count twice.
//
// Counts do not depend on Terraform's scheduling where the API's do not:
// an ENI counts once per instance however many claims name it, an address
// once per ENI or vSwitch, and the errors a limit produces name the limit
// and what is there now, not a running total. How many resources get the
// error is the number beyond the limit, in any order (each one judged
// sees every claim judged before it); which of them get it depends on the
// order, as it would in the API, where the attach that comes last fails.
type PlanRegistry struct {
	attachments attachmentClaims // plan_attachments.go
	privateIPs  privateIPClaims  // plan_private_ips.go
	eips        eipClaims        // plan_eips.go
	book        addressBook      // plan_address_book.go
}

// eniRef names the ENI of a claim: one with an ID, or one created in the
// same apply whose ID is not known at plan.
type eniRef struct {
	id    string
	known bool
}

// eniRefOf is the ENI of a plan value: known when id is not empty (the
// plan code keeps an unknown network_interface_id as "").
func eniRefOf(id string) eniRef { return eniRef{id: id, known: id != ""} }

// unknownENI is an ENI whose ID is not known yet.
var unknownENI = eniRef{}

// The claim types are ready to use as zero values: their maps are made on
// first use by these two.

// put sets (*m)[k] = v.
func put[K comparable, V any](m *map[K]V, k K, v V) {
	if *m == nil {
		*m = map[K]V{}
	}
	(*m)[k] = v
}

// entry returns (*m)[k], adding a zero V first when there is none.
func entry[V any](m *map[string]*V, k string) *V {
	if (*m)[k] == nil {
		put(m, k, new(V))
	}
	return (*m)[k]
}
