package mockcloud

import (
	"strings"
	"testing"
)

// The IPv6 blocks of a seed are checked like its IPv4 ones, with a
// message that names the entry.
func TestSeedIPv6Validation(t *testing.T) {
	bad := map[string]struct {
		mutate func(*Seed)
		want   string
	}{
		"vpc block is IPv4":  {func(s *Seed) { s.VPCs[0].IPv6CIDRBlock = "10.0.0.0/8" }, `vpc "vpc-mock1": ipv6_cidr_block`},
		"vpc block too long": {func(s *Seed) { s.VPCs[0].IPv6CIDRBlock = "2001:db8:10::/80" }, "at most /64"},
		"vswitch without vpc block": {func(s *Seed) { s.VPCs[0].IPv6CIDRBlock = "" },
			`vswitch "vsw-mockv6": ipv6_cidr_block needs an ipv6_cidr_block on vpc "vpc-mock1"`},
		"vswitch block not a /64": {func(s *Seed) { s.VSwitches[1].IPv6CIDRBlock = "2001:db8:10:4::/60" }, "is not an IPv6 /64"},
		"vswitch block outside the vpc's": {func(s *Seed) { s.VSwitches[1].IPv6CIDRBlock = "2001:db8:11:4::/64" },
			`is not inside vpc "vpc-mock1" (2001:db8:10::/56)`},
		"two vswitches share a block": {func(s *Seed) { s.VSwitches[0].IPv6CIDRBlock = "2001:db8:10:4::/64" },
			`overlaps vswitch "vsw-mockh"`},
		"two vpcs share a block": {func(s *Seed) {
			s.VPCs = append(s.VPCs, SeedVPC{VPCID: "vpc-two", CIDRBlock: "172.16.0.0/12", IPv6CIDRBlock: "2001:db8:10:80::/57"})
		}, `vpc "vpc-two": ipv6_cidr_block 2001:db8:10:80::/57 overlaps vpc "vpc-mock1"`},
	}
	for name, tc := range bad {
		t.Run(name, func(t *testing.T) {
			s := DefaultSeed()
			tc.mutate(s)
			_, err := New(Options{Seed: s})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want an error saying %q", err, tc.want)
			}
		})
	}
}

// The guide's example seed, which shows the IPv6 fields, is accepted.
func TestSeedGuideExample(t *testing.T) {
	s, err := LoadSeed("../../examples/guides/mock-cloud/seed.json")
	mustOK(t, err)
	srv, err := New(Options{Seed: s})
	mustOK(t, err)
	if v := srv.st.VSwitches["vsw-app-b"]; v == nil || v.IPv6CIDR != "2001:db8:20:1::/64" || srv.st.VSwitches["vsw-app-tiny"].IPv6CIDR != "" {
		t.Fatalf("vSwitches: %+v", srv.st.VSwitches)
	}
}
