package eni

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/openeni/terraform-provider-eni/internal/validate"
)

// However Terraform schedules the plans, every claim of an address but
// the first sees an earlier one, so a duplicate is always reported.
func TestAddressBookClaimsUnderParallelPlans(t *testing.T) {
	for range 50 {
		var p PlanRegistry
		book := p.addresses()
		var wg sync.WaitGroup
		var mu sync.Mutex
		errs := 0
		for i := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				self := fmt.Sprintf("claimant %d (primary_ip_address)", i)
				if validate.AddressClaimedOnce("10.1.0.9", "vsw-1", self, book.claim("vsw-1", "10.1.0.9", self)) != nil {
					mu.Lock()
					errs++
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		if errs != 7 {
			t.Fatalf("%d of 8 claims reported, want 7", errs)
		}
	}
}

// The running total only grows, so the claim recorded last sees all that
// the plan adds: a plan over the free count always gets an error.
func TestAddressBookCapacityUnderParallelPlans(t *testing.T) {
	for range 50 {
		var p PlanRegistry
		book := p.addresses()
		var wg sync.WaitGroup
		var mu sync.Mutex
		errs, maxSeen := 0, 0
		for range 10 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				total := book.add("vsw-1", 3)
				mu.Lock()
				defer mu.Unlock()
				maxSeen = max(maxSeen, total)
				if validate.VSwitchCapacity("vsw-1", 28, total, 3, "a new ENI") != nil {
					errs++
				}
			}()
		}
		wg.Wait()
		if maxSeen != 30 || errs != 1 {
			t.Fatalf("largest total %d, %d errors; want 30 and 1", maxSeen, errs)
		}
		if book.add("vsw-2", -4) != 0 {
			t.Fatal("a negative count (a replacement with fewer addresses) lowered a total")
		}
	}
}

// A replacement's create plan gets the replaced ENI from the private data
// of the first plan, and leaves nothing of it behind.
func TestReplacedENIPrivateData(t *testing.T) {
	ctx := context.Background()
	var diags diag.Diagnostics
	data := &fakePrivate{}
	storeReplaced(ctx, data, replacedENI{ID: "eni-old", Addresses: 3}, &diags)
	got := takeReplaced(ctx, data, data, &diags)
	if diags.HasError() || got == nil || got.ID != "eni-old" || got.Addresses != 3 {
		t.Fatalf("got %+v, %v", got, diags)
	}
	if again := takeReplaced(ctx, data, data, &diags); again != nil {
		t.Fatalf("the key was left behind: %+v", again)
	}
	if takeReplaced(ctx, nil, nil, &diags) != nil {
		t.Fatal("no private data, yet a replaced ENI")
	}
}

type fakePrivate struct{ m map[string][]byte }

func (f *fakePrivate) GetKey(_ context.Context, key string) ([]byte, diag.Diagnostics) {
	return f.m[key], nil
}

func (f *fakePrivate) SetKey(_ context.Context, key string, value []byte) diag.Diagnostics {
	if f.m == nil {
		f.m = map[string][]byte{}
	}
	if len(value) == 0 {
		delete(f.m, key)
	} else {
		f.m[key] = value
	}
	return nil
}

// An ENI in state claims the addresses it holds, so a new claim of one of
// them meets it in either order; its own claims (a replacement, an
// update) do not count against it.
func TestKeepAddresses(t *testing.T) {
	state := networkInterfaceModel{
		ID: types.StringValue("eni-a"), VSwitchID: types.StringValue("vsw-1"),
		PrimaryIPAddress: types.StringValue("10.1.0.5"),
		PrivateIPs:       types.SetValueMust(types.StringType, []attr.Value{types.StringValue("10.1.0.6")}),
	}
	newClaim := `a new ENI in vSwitch vsw-1 (primary_ip_address)`

	var p PlanRegistry
	var diags diag.Diagnostics
	keepAddresses(&p, state, &diags)
	if diags.HasError() {
		t.Fatal(diags)
	}
	others := p.addresses().claim("vsw-1", "10.1.0.6", newClaim)
	if len(others) != 1 || others[0] != "network interface eni-a (private_ips, held now)" {
		t.Fatalf("claims before: %v", others)
	}

	var q PlanRegistry
	q.addresses().claim("vsw-1", "10.1.0.5", newClaim)
	q.addresses().claim("vsw-1", "10.1.0.6", "network interface eni-a (secondary_private_ips)")
	keepAddresses(&q, state, &diags)
	if len(diags) != 1 || !strings.Contains(diags[0].Detail(), "by network interface eni-a (primary_ip_address, held now) and by "+newClaim) {
		t.Fatalf("diagnostics: %v", diags)
	}

	var m PlanRegistry
	m.addresses().noteManaged("eni-a")
	if !m.addresses().isManaged("eni-a") || m.addresses().isManaged("eni-b") {
		t.Fatal("managed ENIs mixed up")
	}
}
