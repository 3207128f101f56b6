package eni

import (
	"slices"
	"testing"

	"github.com/openeni/terraform-provider-eni/internal/validate"
)

// Each association sees those planned onto the ENI before it: a known
// EIP once, an unknown one each time.
func TestEIPClaimsAssociate(t *testing.T) {
	var e eipClaims
	nat := validate.EIPBinding{AllocationID: "eip-b", Mode: "NAT", PrivateIP: "10.0.0.1"}
	multi := validate.EIPBinding{AllocationID: "eip-a", Mode: "MULTI_BINDED"}
	if got := e.associate("eni-1", nat); got.known != nil || got.unknown != 0 {
		t.Fatalf("first association saw %+v", got)
	}
	e.associateUnknown("eni-1")
	e.associate("eni-1", multi)
	e.associate("eni-1", nat)
	got := e.associateUnknown("eni-1")
	if !slices.Equal(got.known, []validate.EIPBinding{multi, nat}) || got.unknown != 1 {
		t.Fatalf("last association saw %+v", got)
	}
	if got := e.associate("eni-2", nat); got.known != nil || got.unknown != 0 {
		t.Fatalf("another ENI saw %+v", got)
	}
}

// hold and release see each other in either order; holders come sorted
// by ENI and private IP.
func TestEIPClaimsHoldAndRelease(t *testing.T) {
	var e eipClaims
	b := validate.EIPClaim{NetworkInterfaceID: "eni-b", PrivateIP: "10.0.0.2"}
	a := validate.EIPClaim{NetworkInterfaceID: "eni-a"}
	if holders, released := e.hold("eip-1", b); holders != nil || released != nil {
		t.Fatalf("first holder saw %v, %v", holders, released)
	}
	e.hold("eip-1", a)
	if holders := e.release("eip-1", b); !slices.Equal(holders, []validate.EIPClaim{a, b}) {
		t.Fatalf("release saw holders %v", holders)
	}
	holders, released := e.hold("eip-1", b)
	if !slices.Equal(holders, []validate.EIPClaim{a, b}) || !slices.Equal(released, []validate.EIPClaim{b}) {
		t.Fatalf("third holder saw %v, released %v", holders, released)
	}
	if holders, released := e.hold("eip-2", a); holders != nil || released != nil {
		t.Fatal("claims of another EIP")
	}
}

// freedFor lists where in-place replacements have the EIP now, for the
// target they plan it at.
func TestEIPClaimsReplace(t *testing.T) {
	var e eipClaims
	from := validate.EIPClaim{NetworkInterfaceID: "eni-old", PrivateIP: "10.0.0.1"}
	to := validate.EIPClaim{NetworkInterfaceID: "eni-new"}
	e.replace("eip-1", from, to)
	e.replace("eip-1", from, to)
	if got := e.freedFor("eip-1", to); !slices.Equal(got, []validate.EIPClaim{from}) {
		t.Fatalf("freedFor = %v", got)
	}
	if e.freedFor("eip-1", validate.EIPClaim{NetworkInterfaceID: "eni-new", PrivateIP: "10.0.0.5"}) != nil ||
		e.freedFor("eip-2", to) != nil {
		t.Fatal("freed for another target or EIP")
	}
}
