package eni

import (
	"slices"
	"sync"
	"testing"
)

// bind counts what the instance holds and the walk binds there before it:
// an ENI once however many bindings name it, an unknown ENI each time,
// a detached one not at all.
func TestAttachmentClaimsBind(t *testing.T) {
	var a attachmentClaims
	a.release("eni-old", "i-1")
	onInstance := []string{"eni-primary", "eni-old"}

	first := a.bind("i-1", eniRefOf("eni-a"), onInstance)
	if !slices.Equal(first.bound, []string{"eni-primary"}) || first.before != 0 || first.counted || len(first.duplicates) != 0 {
		t.Fatalf("first binding: %+v", first)
	}
	a.bind("i-1", unknownENI, onInstance)
	a.bind("i-1", unknownENI, onInstance)
	again := a.bind("i-1", eniRefOf("eni-a"), onInstance)
	if again.before != 3 || !again.counted || !slices.Equal(again.duplicates, []string{"i-1"}) {
		t.Fatalf("eni-a bound again: %+v", again)
	}
	bound := a.bind("i-1", eniRefOf("eni-primary"), onInstance)
	if !bound.counted || bound.before != 3 {
		t.Fatalf("an ENI on the instance: %+v", bound)
	}
	if onInstance[1] != "eni-old" {
		t.Fatal("bind changed the caller's list")
	}
	if got := a.boundTo("i-1"); !slices.Equal(got, []string{"eni-a", "eni-primary"}) {
		t.Fatalf("boundTo(i-1) = %v", got)
	}
	if a.boundTo("i-2") != nil {
		t.Fatal("boundTo of another instance")
	}
}

// A binding to a missing instance counts there, and for instancesOf, but
// is no duplicate of the ENI's other bindings.
func TestAttachmentClaimsMissingInstance(t *testing.T) {
	var a attachmentClaims
	a.bindToMissingInstance("i-gone", eniRefOf("eni-a"))
	if got := a.bind("i-gone", unknownENI, nil); got.before != 1 {
		t.Fatalf("on the missing instance: %+v", got)
	}
	if got := a.bind("i-2", eniRefOf("eni-a"), nil); len(got.duplicates) != 0 {
		t.Fatalf("duplicates %v", got.duplicates)
	}
	a.bind("i-1", eniRefOf("eni-a"), nil)
	if got := a.instancesOf("eni-a"); !slices.Equal(got, []string{"i-1", "i-2", "i-gone"}) {
		t.Fatalf("instancesOf(eni-a) = %v", got)
	}
	if a.instancesOf("eni-b") != nil {
		t.Fatal("instancesOf of an ENI nothing binds")
	}
}

// keep and release see each other in either order, and a kept binding
// is a duplicate of a new binding of the same ENI and instance.
func TestAttachmentClaimsKeepAndRelease(t *testing.T) {
	var a attachmentClaims
	if kept := a.release("eni-a", "i-1"); kept {
		t.Fatal("released before any keep, yet kept")
	}
	if again, released := a.keep("eni-a", "i-1"); again || !released {
		t.Fatalf("keep after release: again %v, released %v", again, released)
	}
	if kept := a.release("eni-a", "i-1"); !kept {
		t.Fatal("release after keep does not see it")
	}

	var b attachmentClaims
	b.keep("eni-b", "i-1")
	if got := b.bind("i-1", eniRefOf("eni-b"), []string{"eni-b"}); !slices.Equal(got.duplicates, []string{"i-1"}) {
		t.Fatalf("bind after keep: %+v", got)
	}
	if again, released := b.keep("eni-b", "i-1"); !again || released {
		t.Fatalf("keep after bind: again %v, released %v", again, released)
	}
	if got := b.bind("i-2", eniRefOf("eni-b"), nil); !slices.Equal(got.duplicates, []string{"i-1"}) {
		t.Fatalf("to another instance: %+v", got)
	}
}

// However Terraform schedules them, each of n bindings sees a different
// number of earlier ones, 0 to n-1: the number beyond a limit is fixed.
func TestAttachmentClaimsParallelBinds(t *testing.T) {
	for range 50 {
		var a attachmentClaims
		var wg sync.WaitGroup
		seen := make([]int, 8)
		for i := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				seen[i] = a.bind("i-1", unknownENI, []string{"eni-primary"}).before
			}()
		}
		wg.Wait()
		slices.Sort(seen)
		if !slices.Equal(seen, []int{0, 1, 2, 3, 4, 5, 6, 7}) {
			t.Fatalf("earlier bindings seen: %v", seen)
		}
	}
}

func TestAttachmentClaimsSameVSwitchWarning(t *testing.T) {
	var a attachmentClaims
	if a.sameVSwitchWarned("vsw-1", "i-1") || !a.warnSameVSwitchOnce("vsw-1", "i-1") {
		t.Fatal("first warning refused")
	}
	if !a.sameVSwitchWarned("vsw-1", "i-1") || a.warnSameVSwitchOnce("vsw-1", "i-1") {
		t.Fatal("warning given twice")
	}
	if !a.warnSameVSwitchOnce("vsw-1", "i-2") || !a.warnSameVSwitchOnce("vsw-2", "i-1") {
		t.Fatal("one warning covers another instance or vSwitch")
	}
}
