package eni

import (
	"slices"
	"testing"
)

func TestApplyRecord(t *testing.T) {
	var a ApplyRecord
	a.assignedAddress("eni-a", "10.0.0.9")
	a.assignedAddress("eni-a", "10.0.0.4")
	a.assignedAddress("eni-a", "10.0.0.9")
	if got := a.assignedTo("eni-a"); !slices.Equal(got, []string{"10.0.0.4", "10.0.0.9"}) {
		t.Fatalf("assignedTo(eni-a) = %v", got)
	}
	if a.assignedTo("eni-b") != nil {
		t.Fatal("addresses of another ENI")
	}
	a.createdENI("eni-a", "secondary_private_ips")
	a.createdENI("eni-b", "")
	if a.ownerOfCreated("eni-a") != "secondary_private_ips" || a.ownerOfCreated("eni-b") != "" || a.ownerOfCreated("eni-c") != "" {
		t.Fatal("owners of created ENIs mixed up")
	}
}
