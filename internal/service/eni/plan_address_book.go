package eni

import (
	"context"
	"slices"
	"sync"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"

	"github.com/openeni/terraform-provider-eni/internal/cloud"
	"github.com/openeni/terraform-provider-eni/internal/validate"
)

// The address family of the plan registry: the addresses the walk's
// plans claim in each vSwitch (see address_plan.go for the checks and
// why they hold whatever order Terraform plans in), the new ENIs it
// creates, the ENIs its refresh read, and the walk's list of each
// vSwitch's ENIs (a read shared by the checks, not a claim).

// addressBook is what one walk's plan claims, per vSwitch.
type addressBook struct {
	mu      sync.Mutex
	claims  map[string][]string // vSwitch/address → claimants, in order
	added   map[string]int      // vSwitch → addresses the plan adds
	newENIs validate.NewENIs
	lists   map[string]*vswitchENIs
	managed map[string]bool // ENIs read by their eni_network_interface in this walk
}

type vswitchENIs struct {
	done chan struct{}
	enis []ecs.NetworkInterfaceSet
	err  error
}

// addresses returns the address book of this walk (the registry is made
// afresh by each Configure).
func (p *PlanRegistry) addresses() *addressBook { return &p.book }

// claim records that who wants ip of vSwitch vswID and returns the claims
// of the same address recorded before.
func (b *addressBook) claim(vswID, ip, who string) []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.claims == nil {
		b.claims = map[string][]string{}
	}
	key := vswID + "/" + ip
	before := slices.Clone(b.claims[key])
	b.claims[key] = append(b.claims[key], who)
	return before
}

// add records n more addresses in vSwitch vswID and returns the total.
func (b *addressBook) add(vswID string, n int) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.added == nil {
		b.added = map[string]int{}
	}
	b.added[vswID] += max(0, n)
	return b.added[vswID]
}

// noteManaged records that an eni_network_interface of this walk read
// the ENI (its refresh). Such an ENI's plan also claims the addresses it
// keeps (keepAddresses), so the claims judge who holds what, and the
// holder check skips it. That is what lets the create of a tainted ENI
// (planned with no prior state, right after its refresh) take the
// addresses of the tainted ENI it replaces. The resource's Read calls it.
func (b *addressBook) noteManaged(eniID string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.managed == nil {
		b.managed = map[string]bool{}
	}
	b.managed[eniID] = true
}

func (b *addressBook) isManaged(eniID string) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.managed[eniID]
}

// noteNewENI records an eni_network_interface the plan creates; argument
// is the one by which it owns its secondary IPs, or empty; bound says
// whether its attachment block binds it.
func (b *addressBook) noteNewENI(argument string, bound bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if bound {
		b.newENIs.Bound++
	}
	if argument == "" {
		b.newENIs.Other++
		return
	}
	b.newENIs.Owning++
	switch b.newENIs.Argument {
	case "":
		b.newENIs.Argument = argument
	case argument:
	default:
		b.newENIs.Argument = "secondary_private_ip_count or secondary_private_ips"
	}
}

func (b *addressBook) newENIsSoFar() validate.NewENIs {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.newENIs
}

// vswitchENIs lists the ENIs of a vSwitch once per walk; concurrent
// callers share the call, errors are not remembered.
func (b *addressBook) vswitchENIs(ctx context.Context, c *cloud.Client, vswID string) ([]ecs.NetworkInterfaceSet, error) {
	b.mu.Lock()
	if b.lists == nil {
		b.lists = map[string]*vswitchENIs{}
	}
	if e, ok := b.lists[vswID]; ok {
		b.mu.Unlock()
		select {
		case <-e.done:
			return e.enis, e.err
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	e := &vswitchENIs{done: make(chan struct{})}
	b.lists[vswID] = e
	b.mu.Unlock()

	req := ecs.CreateDescribeNetworkInterfacesRequest()
	req.VSwitchId = vswID
	e.enis, e.err = c.FindNetworkInterfaces(ctx, req)
	if e.err != nil {
		b.mu.Lock()
		delete(b.lists, vswID)
		b.mu.Unlock()
	}
	close(e.done)
	return e.enis, e.err
}

// holders returns the ENIs that hold ip in the vSwitch. The walk's list
// may be older than a release made in this apply, so a hit is confirmed
// with a fresh look-up before it is reported.
func (b *addressBook) holders(ctx context.Context, c *cloud.Client, vsw *vpc.VSwitch, ip string) ([]string, error) {
	enis, err := b.vswitchENIs(ctx, c, vsw.VSwitchId)
	if err != nil {
		return nil, err
	}
	hit := false
	for i := range enis {
		if slices.Contains(cloud.PrivateIPs(&enis[i]), ip) {
			hit = true
			break
		}
	}
	if !hit {
		return nil, nil
	}
	now, err := c.FindNetworkInterfacesByPrivateIP(ctx, vsw.VpcId, ip)
	if err != nil {
		return nil, err
	}
	ids := make([]string, 0, len(now))
	for _, e := range now {
		ids = append(ids, e.NetworkInterfaceId)
	}
	return ids, nil
}
