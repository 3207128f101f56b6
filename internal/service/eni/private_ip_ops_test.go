package eni

import (
	"slices"
	"testing"

	"github.com/openeni/terraform-provider-eni/internal/validate"
)

func TestOtherEIPs(t *testing.T) {
	existing := []validate.EIPBinding{
		{AllocationID: "eip-self", Mode: "NAT", PrivateIP: "10.0.0.1"},
		{AllocationID: "eip-on", Mode: "NAT", PrivateIP: "10.0.0.2"},
	}
	// eip-on was applied already in this apply: planned and on the ENI.
	planned := plannedEIPs{known: []validate.EIPBinding{
		{AllocationID: "eip-on", Mode: "NAT", PrivateIP: "10.0.0.2"},
		{AllocationID: "eip-self", Mode: "NAT", PrivateIP: "10.0.0.1"},
		{AllocationID: "eip-new", Mode: "MULTI_BINDED"},
	}, unknown: 2}
	got := otherEIPs("eip-self", existing, planned)
	want := []validate.EIPBinding{
		{AllocationID: "eip-on", Mode: "NAT", PrivateIP: "10.0.0.2"},
		{AllocationID: "eip-new", Mode: "MULTI_BINDED"},
		{}, {},
	}
	if !slices.Equal(got, want) {
		t.Fatalf("otherEIPs = %+v\nwant %+v", got, want)
	}
}
