package eni

import (
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/openeni/terraform-provider-eni/internal/validate"
)

func TestPlanRegistryTargetsOf(t *testing.T) {
	var p PlanRegistry
	p.Add(claimAttach, "i-2", "eni-a")
	p.Add(claimAttach, "i-1", "eni-a")
	p.Add(claimAttach, "i-3", "eni-b")
	p.Add(claimDetach, "eni-a", "i-9")
	p.Add(claimAttach, "i-4", "")
	if got := p.targetsOf(claimAttach, "eni-a"); !slices.Equal(got, []string{"i-1", "i-2"}) {
		t.Fatalf("targets of eni-a: %v", got)
	}
	if got := p.targetsOf(claimAttach, "eni-c"); got != nil {
		t.Fatalf("targets of eni-c: %v", got)
	}
}

func TestClaimIPOwnership(t *testing.T) {
	var p PlanRegistry
	none := networkInterfaceModel{SecondaryPrivateIPCount: types.Int64Null(), SecondaryPrivateIPs: types.SetNull(types.StringType)}
	count := none
	count.SecondaryPrivateIPCount = types.Int64Value(2)
	ips := none
	ips.SecondaryPrivateIPs = types.SetUnknown(types.StringType)

	claimIPOwnership(&p, "eni-none", none)
	claimIPOwnership(&p, "eni-count", count)
	claimIPOwnership(&p, "eni-ips", ips)
	claimIPOwnership(nil, "eni-count", count) // no registry: nothing to do
	for eni, want := range map[string]string{"eni-none": "", "eni-count": "secondary_private_ip_count", "eni-ips": "secondary_private_ips"} {
		named, anon := p.Items(claimOwnsIPs, eni)
		if anon != 0 || (want == "" && named != nil) || (want != "" && !slices.Equal(named, []string{want})) {
			t.Errorf("%s: claims %v (+%d anonymous), want %q", eni, named, anon, want)
		}
	}
}

func TestOtherEIPs(t *testing.T) {
	existing := []validate.EIPBinding{
		{AllocationID: "eip-self", Mode: "NAT", PrivateIP: "10.0.0.1"},
		{AllocationID: "eip-on", Mode: "NAT", PrivateIP: "10.0.0.2"},
	}
	// eip-on was applied already in this apply: planned and on the ENI.
	planned := []string{"eip-on/NAT/10.0.0.2", "eip-self/NAT/10.0.0.1", "eip-new/MULTI_BINDED/", "eip-short"}
	got := otherEIPs("eip-self", existing, planned, 2)
	want := []validate.EIPBinding{
		{AllocationID: "eip-on", Mode: "NAT", PrivateIP: "10.0.0.2"},
		{AllocationID: "eip-new", Mode: "MULTI_BINDED"},
		{AllocationID: "eip-short"},
		{}, {},
	}
	if !slices.Equal(got, want) {
		t.Fatalf("otherEIPs = %+v\nwant %+v", got, want)
	}
}
