package validate

import (
	"strings"
	"testing"
)

func TestAddressInVSwitch(t *testing.T) {
	cases := []struct {
		ip, cidr string
		want     string // substring of the error; "" means valid
	}{
		{"10.1.0.20", "10.1.0.0/24", ""},
		{"10.1.0.1", "10.1.0.0/24", ""},
		{"10.1.0.252", "10.1.0.0/24", ""},
		{"10.1.0.0", "10.1.0.0/24", "reserved"},
		{"10.1.0.253", "10.1.0.0/24", "reserved"},
		{"10.1.0.255", "10.1.0.0/24", "reserved"},
		{"10.1.1.5", "10.1.0.0/24", "outside vSwitch vsw-1 (10.1.0.0/24)"},
		{"", "10.1.0.0/24", "empty"},
		{"10.1.0.300", "10.1.0.0/24", "not an IPv4"},
		{"fe80::1", "10.1.0.0/24", "not an IPv4"},
		{"10.1.0.20", "garbage", "cannot be parsed"},
	}
	for _, tc := range cases {
		err := AddressInVSwitch(tc.ip, "vsw-1", tc.cidr)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s in %s: unexpected %v", tc.ip, tc.cidr, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%s in %s: got %v, want %q", tc.ip, tc.cidr, err, tc.want)
		}
	}
}

func TestSecurityGroupInVPC(t *testing.T) {
	if err := SecurityGroupInVPC("sg-1", "vpc-a", "vsw-1", "vpc-a"); err != nil {
		t.Fatal(err)
	}
	err := SecurityGroupInVPC("sg-1", "vpc-b", "vsw-1", "vpc-a")
	if err == nil || !strings.Contains(err.Error(), "sg-1 is in vpc-b") || !strings.Contains(err.Error(), "vsw-1 is in vpc-a") {
		t.Fatalf("got %v", err)
	}
}
