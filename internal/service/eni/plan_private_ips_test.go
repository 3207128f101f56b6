package eni

import (
	"slices"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"
)

func TestPrivateIPClaims(t *testing.T) {
	var p privateIPClaims
	if before := p.add("eni-a", "10.0.0.9"); before != nil {
		t.Fatalf("first add saw %v", before)
	}
	if before := p.add("eni-a", "10.0.0.5"); !slices.Equal(before, []string{"10.0.0.9"}) {
		t.Fatalf("second add saw %v", before)
	}
	if before := p.add("eni-a", "10.0.0.9"); !slices.Equal(before, []string{"10.0.0.5", "10.0.0.9"}) {
		t.Fatalf("the same address again saw %v", before)
	}
	p.addAny("eni-a")
	p.addAny("eni-a")
	p.release("eni-a", "10.0.0.7")
	p.release("eni-a", "") // not known: nothing to credit
	got := p.planned("eni-a")
	if !slices.Equal(got.added, []string{"10.0.0.5", "10.0.0.9"}) || got.anyAdded != 2 || !slices.Equal(got.released, []string{"10.0.0.7"}) {
		t.Fatalf("planned(eni-a) = %+v", got)
	}
	if p.planned("eni-b").added != nil || p.planned("eni-b").anyAdded != 0 {
		t.Fatal("another ENI has claims")
	}
	if !p.plans("eni-a", "10.0.0.5") || p.plans("eni-a", "10.0.0.7") || p.plans("eni-b", "10.0.0.5") {
		t.Fatal("plans mixes added, released or ENIs")
	}
}

// Of parallel eni_private_ip resources adding one address, all but the
// first see it planned already.
func TestPrivateIPClaimsParallelAdds(t *testing.T) {
	for range 50 {
		var p privateIPClaims
		var wg sync.WaitGroup
		var mu sync.Mutex
		twice := 0
		for range 6 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if slices.Contains(p.add("eni-a", "10.0.0.9"), "10.0.0.9") {
					mu.Lock()
					twice++
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		if twice != 5 {
			t.Fatalf("%d of 6 saw the address planned, want 5", twice)
		}
	}
}

// The argument recorded is ownsIPsArgument's: none when the resource
// leaves the addresses to eni_private_ip.
func TestPrivateIPClaimsOwner(t *testing.T) {
	var p privateIPClaims
	none := networkInterfaceModel{SecondaryPrivateIPCount: types.Int64Null(), SecondaryPrivateIPs: types.SetNull(types.StringType)}
	count := none
	count.SecondaryPrivateIPCount = types.Int64Value(2)
	ips := none
	ips.SecondaryPrivateIPs = types.SetUnknown(types.StringType)
	p.own("eni-none", ownsIPsArgument(none))
	p.own("eni-count", ownsIPsArgument(count))
	p.own("eni-ips", ownsIPsArgument(ips))
	for eni, want := range map[string]string{"eni-none": "", "eni-count": "secondary_private_ip_count", "eni-ips": "secondary_private_ips", "eni-x": ""} {
		if got := p.owner(eni); got != want {
			t.Errorf("owner(%s) = %q, want %q", eni, got, want)
		}
	}
}
