package eni

import (
	"sync"
	"testing"
)

func TestPlanRegistry(t *testing.T) {
	var p PlanRegistry
	var wg sync.WaitGroup
	for _, eni := range []string{"eni-b", "eni-a", "eni-a", "", ""} {
		wg.Add(1)
		go func() { defer wg.Done(); p.Add(claimAttach, "i-1", eni) }()
	}
	wg.Wait()
	named, anon := p.Items(claimAttach, "i-1")
	if len(named) != 2 || named[0] != "eni-a" || named[1] != "eni-b" || anon != 2 {
		t.Fatalf("named %v, anonymous %d", named, anon)
	}
	if !p.Has(claimAttach, "i-1", "eni-a") || p.Has(claimAttach, "i-2", "eni-a") || p.Has(claimDetach, "i-1", "eni-a") {
		t.Fatal("Has mixes kinds or targets")
	}
	if n, a := p.Items(claimPrivateIP, "eni-a"); n != nil || a != 0 {
		t.Fatal("empty kind not empty")
	}
}
