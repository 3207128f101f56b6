package validate

import (
	"strings"
	"testing"
)

func TestAddressFree(t *testing.T) {
	cases := []struct {
		name    string
		holders []string
		want    string
	}{
		{"free", nil, ""},
		{"other eni", []string{"eni-2"}, "already used by network interface eni-2"},
		{"this eni", []string{"eni-1"}, "already a private IP of network interface eni-1"},
		{"this and another", []string{"eni-1", "eni-2"}, "used by network interface eni-2"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			wantErr(t, AddressFree("10.1.0.5", "eni-1", tc.holders), tc.want)
		})
	}
	wantErr(t, AddressFree("10.1.0.5", "eni-1", []string{"eni-1"}), "terraform import <resource address> eni-1:10.1.0.5")
}

func TestAddressPlannedOnce(t *testing.T) {
	wantErr(t, AddressPlannedOnce("10.1.0.5", "eni-1", nil), "")
	wantErr(t, AddressPlannedOnce("10.1.0.5", "eni-1", []string{"10.1.0.4"}), "")
	wantErr(t, AddressPlannedOnce("10.1.0.5", "eni-1", []string{"10.1.0.5"}), "by two eni_private_ip resources")
}

func TestENIAddressesCount(t *testing.T) {
	cases := []struct {
		name         string
		a            ENIAddresses
		now, planned int
	}{
		{"nothing planned", ENIAddresses{Existing: []string{"p", "a"}}, 2, 0},
		{"named and anonymous", ENIAddresses{Existing: []string{"p"}, Named: []string{"a", "b"}, Anonymous: 3}, 1, 5},
		// Applied already: the named address is on the ENI, the anonymous
		// one was recorded as assigned.
		{"apply under way", ENIAddresses{Existing: []string{"p", "a", "x"}, Named: []string{"a", "b"}, Anonymous: 2, Assigned: []string{"x"}}, 3, 2},
		{"assigned but gone again", ENIAddresses{Existing: []string{"p"}, Anonymous: 1, Assigned: []string{"x"}}, 1, 1},
		{"released", ENIAddresses{Existing: []string{"p", "a", "b"}, Released: []string{"a", "gone"}}, 2, 0},
		{"released and re-added", ENIAddresses{Existing: []string{"p", "a"}, Named: []string{"a"}, Released: []string{"a"}}, 2, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			now, planned := tc.a.Count()
			if now != tc.now || planned != tc.planned {
				t.Fatalf("Count() = %d, %d; want %d, %d", now, planned, tc.now, tc.planned)
			}
		})
	}
}

func TestPrivateIPCount(t *testing.T) {
	cases := []struct {
		name         string
		now, planned int
		bound        bool
		perENI       int
		want         string
	}{
		{"unbound at the limit", 1, 10, false, 0, ""},
		{"unbound over", 3, 9, false, 0, "holds at most 10 secondary private IPs, but it would hold 11 (2 now, 9 more"},
		{"bound at the limit", 1, 20, true, 21, ""},
		{"bound over", 1, 10, true, 10, "would hold 11 private IPs (1 now, 10 more planned by eni_private_ip), but instance type ecs.g7.large allows 10"},
		{"bound over says by how much", 5, 10, true, 10, "plan 5 fewer"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			wantErr(t, PrivateIPCount("eni-1", tc.now, tc.planned, tc.bound, "ecs.g7.large", tc.perENI), tc.want)
		})
	}
}

func TestIPsOwnedElsewhere(t *testing.T) {
	err := IPsOwnedElsewhere("eni-1", "secondary_private_ip_count")
	wantErr(t, err, "eni_network_interface of eni-1 sets secondary_private_ip_count")
}

// wantErr checks err against a wanted substring; "" wants no error.
func wantErr(t *testing.T, err error, want string) {
	t.Helper()
	switch {
	case want == "" && err != nil:
		t.Fatalf("unexpected error: %v", err)
	case want != "" && err == nil:
		t.Fatalf("no error, want one containing %q", want)
	case want != "" && !strings.Contains(err.Error(), want):
		t.Fatalf("error %q does not contain %q", err, want)
	}
}
