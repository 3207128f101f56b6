package validate

import (
	"errors"
	"strings"
	"testing"
)

func TestForNewObject(t *testing.T) {
	if ForNewObject(nil, true) != nil {
		t.Fatal("nil error grew a hint")
	}
	base := errors.New("broken")
	if got := ForNewObject(base, false); got != base {
		t.Fatalf("existing object: %v", got)
	}
	got := ForNewObject(base, true)
	if !strings.HasPrefix(got.Error(), "broken. ") || !strings.Contains(got.Error(), "`terraform destroy -refresh=false`") {
		t.Fatalf("new object: %v", got)
	}
	if !errors.Is(got, base) {
		t.Fatal("hint does not wrap the error")
	}
}

func TestAddressClaimedOnce(t *testing.T) {
	cases := []struct {
		name   string
		others []string
		want   string
	}{
		{"first claim", nil, ""},
		{"second claim", []string{"a new ENI in vSwitch vsw-1 (primary_ip_address)"},
			"10.1.0.9 of vSwitch vsw-1 is claimed twice in this plan: by network interface eni-1 (secondary_private_ips) and by a new ENI in vSwitch vsw-1 (primary_ip_address)"},
		{"third claim names both", []string{"x (ip_address)", "y (ip_address)"}, "by x (ip_address) and by y (ip_address)"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			wantErr(t, AddressClaimedOnce("10.1.0.9", "vsw-1", "network interface eni-1 (secondary_private_ips)", tc.others), tc.want)
		})
	}
}

func TestAddressNotHeld(t *testing.T) {
	cases := []struct {
		name             string
		selfIDs, holders []string
		want             string
	}{
		{"free", nil, nil, ""},
		{"held by itself", []string{"eni-1"}, []string{"eni-1"}, ""},
		{"held by the ENI it replaces", []string{"eni-old"}, []string{"eni-old"}, ""},
		{"held by another", []string{"eni-1"}, []string{"eni-2"},
			"10.1.0.9 of vSwitch vsw-1, claimed by a new ENI in vSwitch vsw-1 (primary_ip_address), is already used by network interface eni-2"},
		{"new ENI, held", nil, []string{"eni-2"}, "apply the removal first"},
		{"itself and another", []string{"eni-1"}, []string{"eni-1", "eni-3"}, "used by network interface eni-3"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			wantErr(t, AddressNotHeld("10.1.0.9", "vsw-1", "a new ENI in vSwitch vsw-1 (primary_ip_address)", tc.selfIDs, tc.holders), tc.want)
		})
	}
}

func TestVSwitchCapacity(t *testing.T) {
	cases := []struct {
		name                string
		free, planned, adds int
		want                string
	}{
		{"room left", 10, 9, 3, ""},
		{"exactly full", 10, 10, 3, ""},
		{"one over", 10, 11, 3, "vSwitch vsw-1 has 10 free addresses, and this plan adds more than that there: a new ENI in vSwitch vsw-1 adds 3 beyond"},
		{"no running total", 249, 300, 3, "vSwitch vsw-1 has 249 free addresses, and this plan adds more than that there: a new ENI in vSwitch vsw-1 adds 3 beyond what the resources planned before it take"},
		{"nothing free", 0, 1, 1, "has 0 free addresses"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			wantErr(t, VSwitchCapacity("vsw-1", tc.free, tc.planned, tc.adds, "a new ENI in vSwitch vsw-1"), tc.want)
		})
	}
}

func TestIPsOwnedByNewENI(t *testing.T) {
	cases := []struct {
		name string
		n    NewENIs
		want string
	}{
		{"no new ENI", NewENIs{}, ""},
		{"only ENIs that leave addresses to eni_private_ip", NewENIs{Other: 2}, ""},
		{"mixed: its ENI may be one that does not own", NewENIs{Owning: 3, Argument: "secondary_private_ip_count", Other: 1}, ""},
		{"all own", NewENIs{Owning: 2, Argument: "secondary_private_ips"},
			"every eni_network_interface this plan creates before it (2) sets secondary_private_ips, so it owns every secondary private IP"},
		{"says the way out", NewENIs{Owning: 1, Argument: "secondary_private_ip_count"}, "terraform apply -target"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			wantErr(t, IPsOwnedByNewENI(tc.n), tc.want)
		})
	}
}
