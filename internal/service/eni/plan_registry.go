package eni

import (
	"fmt"
	"sort"
	"sync"

	"github.com/openeni/terraform-provider-eni/internal/cloud"
)

// Meta is what the provider hands every resource: the one API client and
// the registry of what this Terraform walk plans.
type Meta struct {
	Client *cloud.Client
	Plans  *PlanRegistry
}

// NewMeta is called by the provider's Configure. Terraform configures the
// provider once per walk (plan, apply), so each walk gets a fresh registry.
func NewMeta(c *cloud.Client) *Meta { return &Meta{Client: c, Plans: &PlanRegistry{}} }

// Kinds of plan claims.
const (
	// claimAttach: target instance, item ENI — an attachment will bind it.
	claimAttach = "attach"
	// claimDetach: target ENI, item instance — the ENI will leave it.
	claimDetach = "detach"
	// claimKeep: target ENI, item instance — an unchanged attachment keeps it.
	claimKeep = "keep"
	// claimPrivateIP: target ENI, item address — an eni_private_ip adds it.
	claimPrivateIP = "private-ip"
	// claimPrivateIPAssigned: target ENI, item address — an eni_private_ip
	// without ip_address got it in this apply (so it is counted once).
	claimPrivateIPAssigned = "private-ip-assigned"
	// claimPrivateIPRelease: target ENI, item address — an eni_private_ip
	// removes it.
	claimPrivateIPRelease = "private-ip-release"
	// claimOwnsIPs: target ENI, item argument name — its
	// eni_network_interface sets secondary_private_ip_count or
	// secondary_private_ips and so owns every secondary IP.
	claimOwnsIPs = "owns-ips"
	// claimEIP: target ENI, item "allocation/mode/private IP" (parts not
	// known yet are empty) — an association adds it.
	claimEIP = "eip"
)

// PlanRegistry lets one resource's plan-time checks see what the other
// resources of the same plan will do: Terraform plans every resource in
// this one provider process, so a check can count the attachments planned
// to an instance or the addresses planned for an ENI. Items not known yet
// (an ENI created in the same apply) are anonymous: each counts once.
type PlanRegistry struct {
	mu     sync.Mutex
	claims map[string]map[string]bool // kind/target → item set
	anon   int

	book addressBook // the walk's addresses, see address_plan.go
}

// Add records a claim; an empty item is anonymous.
func (p *PlanRegistry) Add(kind, target, item string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.claims == nil {
		p.claims = map[string]map[string]bool{}
	}
	key := kind + "/" + target
	if p.claims[key] == nil {
		p.claims[key] = map[string]bool{}
	}
	if item == "" {
		p.anon++
		item = fmt.Sprintf("\x00unknown-%d", p.anon)
	}
	p.claims[key][item] = true
}

// Items returns the named items claimed for kind/target, sorted, and how
// many anonymous ones there are.
func (p *PlanRegistry) Items(kind, target string) (named []string, anonymous int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for item := range p.claims[kind+"/"+target] {
		if len(item) > 0 && item[0] == 0 {
			anonymous++
		} else {
			named = append(named, item)
		}
	}
	sort.Strings(named)
	return named, anonymous
}

// Has reports whether item is claimed for kind/target.
func (p *PlanRegistry) Has(kind, target, item string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.claims[kind+"/"+target][item]
}
