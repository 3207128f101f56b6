package eni

import "testing"

// An ENI whose ID is not known is its own case, never the ENI of another
// claim, and an unconfigured provider has no registry.
func TestENIRefAndWalk(t *testing.T) {
	if r := eniRefOf("eni-a"); !r.known || r.id != "eni-a" {
		t.Fatalf("eniRefOf(eni-a) = %+v", r)
	}
	if eniRefOf("") != unknownENI || unknownENI.known {
		t.Fatal("an empty ID is not the unknown ENI")
	}
	var w *Walk
	if w.registry() != nil {
		t.Fatal("a nil walk has a registry")
	}
	w = &Walk{}
	if w.registry() != &w.Claims {
		t.Fatal("the walk's registry is not its claims")
	}
}
