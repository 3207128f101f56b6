package validate

import "testing"

func TestEIPPrivateIP(t *testing.T) {
	on := []string{"10.1.0.5", "10.1.0.6"}
	wantErr(t, EIPPrivateIP("10.1.0.6", "eni-1", on, false), "")
	wantErr(t, EIPPrivateIP("10.1.0.7", "eni-1", on, true), "")
	wantErr(t, EIPPrivateIP("10.1.0.7", "eni-1", on, false), "10.1.0.7 is not a private IP of network interface eni-1 (it has 10.1.0.5, 10.1.0.6)")
}

func TestEIPAssociable(t *testing.T) {
	cases := []struct {
		name string
		eip  EIP
		ip   string
		want string
	}{
		{"available", EIP{Status: "Available", RegionID: "cn-hangzhou"}, "10.1.0.5", ""},
		{"other region", EIP{Status: "Available", RegionID: "cn-beijing"}, "10.1.0.5", "in region cn-beijing, but the provider"},
		{"bound here", EIP{Status: "InUse", InstanceID: "eni-1", InstanceType: "NetworkInterface", PrivateIP: "10.1.0.5"}, "10.1.0.5", ""},
		{"associating here, ip not known yet", EIP{Status: "Associating", InstanceID: "eni-1", PrivateIP: "10.1.0.5"}, "", ""},
		{"other ip of this eni", EIP{Status: "InUse", InstanceID: "eni-1", InstanceType: "NetworkInterface", PrivateIP: "10.1.0.6"},
			"10.1.0.5", "bound to NetworkInterface eni-1 (private IP 10.1.0.6)"},
		{"other eni", EIP{Status: "InUse", InstanceID: "eni-2", InstanceType: "NetworkInterface", PrivateIP: "10.1.0.9"}, "10.1.0.5", "eni-2"},
		{"instance", EIP{Status: "InUse", InstanceID: "i-1", InstanceType: "EcsInstance"}, "10.1.0.5", "EcsInstance i-1"},
		{"unassociating here", EIP{Status: "Unassociating", InstanceID: "eni-1"}, "10.1.0.5", "is Unassociating"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tc.eip.AllocationID, tc.eip.IPAddress = "eip-1", "47.96.0.10"
			wantErr(t, EIPAssociable(tc.eip, "cn-hangzhou", "eni-1", tc.ip), tc.want)
		})
	}
}

func TestEIPMode(t *testing.T) {
	unbound := ENIForEIP{ID: "eni-1", Type: "Secondary"}
	bound := ENIForEIP{ID: "eni-1", Type: "Secondary", InstanceID: "i-1"}
	primary := ENIForEIP{ID: "eni-p", Type: "Primary", InstanceID: "i-1"}
	nat := func(alloc, ip string) EIPBinding { return EIPBinding{AllocationID: alloc, Mode: "NAT", PrivateIP: ip} }
	multi := func(n int) []EIPBinding {
		out := make([]EIPBinding, n)
		for i := range out {
			out[i] = EIPBinding{Mode: "MULTI_BINDED"}
		}
		return out
	}
	cases := []struct {
		name   string
		region string
		eni    ENIForEIP
		self   EIPBinding
		others []EIPBinding
		want   string
	}{
		{"nat", "cn-hangzhou", bound, nat("eip-1", "10.1.0.5"), []EIPBinding{nat("eip-2", "10.1.0.6")}, ""},
		{"nat on the primary eni", "cn-hangzhou", primary, nat("eip-1", "10.1.0.5"), nil, ""},
		{"nat default mode", "cn-hangzhou", bound, EIPBinding{PrivateIP: "10.1.0.5"}, []EIPBinding{{AllocationID: "eip-2", PrivateIP: "10.1.0.5"}}, "already has EIP eip-2"},
		{"nat twice on one ip", "cn-hangzhou", bound, nat("eip-1", "10.1.0.5"), []EIPBinding{nat("eip-2", "10.1.0.5")}, "private IP 10.1.0.5 of network interface eni-1 already has EIP eip-2"},
		{"nat ip not known yet", "cn-hangzhou", bound, nat("eip-1", ""), []EIPBinding{nat("eip-2", "10.1.0.5")}, ""},
		{"nat beside binded", "cn-shanghai", unbound, nat("eip-1", "10.1.0.5"), []EIPBinding{{AllocationID: "eip-2", Mode: "BINDED"}}, "has EIP eip-2 in mode BINDED"},
		{"multi", "cn-shanghai", unbound, EIPBinding{Mode: "MULTI_BINDED"}, multi(9), ""},
		{"multi over ten", "cn-shanghai", unbound, EIPBinding{Mode: "MULTI_BINDED"}, multi(10), "would have 11 EIPs (10 associated or planned besides this one), but mode MULTI_BINDED allows at most 10"},
		{"multi region", "cn-hangzhou", unbound, EIPBinding{Mode: "MULTI_BINDED"}, nil, "not offered in region cn-hangzhou; it is offered in cn-shenzhen, cn-shanghai, cn-beijing"},
		{"multi bound", "cn-shanghai", bound, EIPBinding{Mode: "MULTI_BINDED"}, nil, "is bound to (or planned for) instance i-1"},
		{"multi primary", "cn-shanghai", primary, EIPBinding{Mode: "MULTI_BINDED"}, nil, "primary ENI of instance i-1"},
		{"multi beside binded", "cn-shanghai", unbound, EIPBinding{Mode: "MULTI_BINDED"}, []EIPBinding{{AllocationID: "eip-2", Mode: "BINDED"}}, "cannot be mixed"},
		{"binded alone", "cn-hangzhou", unbound, EIPBinding{Mode: "BINDED"}, nil, ""},
		{"binded second", "cn-hangzhou", unbound, EIPBinding{Mode: "BINDED"}, []EIPBinding{{}}, "already has an EIP planned in this configuration"},
		{"binded bound", "cn-hangzhou", bound, EIPBinding{Mode: "BINDED"}, nil, "not bound to an instance"},
		{"unknown mode", "cn-hangzhou", unbound, EIPBinding{Mode: "FULL"}, nil, `mode "FULL" is not one of`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			wantErr(t, EIPMode(tc.region, tc.eni, tc.self, tc.others), tc.want)
		})
	}
}

func TestEIPClaimedOnce(t *testing.T) {
	a := EIPClaim{NetworkInterfaceID: "eni-a", PrivateIP: "10.1.0.5"}
	b := EIPClaim{NetworkInterfaceID: "eni-b", PrivateIP: "10.1.0.9"}
	unknown := EIPClaim{}
	cases := []struct {
		name   string
		self   EIPClaim
		others []EIPClaim
		want   string
	}{
		{"alone", a, nil, ""},
		{"two enis", a, []EIPClaim{b}, `allocation_id eip-1 is set in 2 eni_eip_association resources of this configuration: ` +
			`one associates it with network interface eni-a (private IP 10.1.0.5), another with network interface eni-b (private IP 10.1.0.9). ` +
			`An EIP is associated with one private IP at a time; keep one of these resources, or set allocation_id of the others to other EIPs`},
		{"same target twice", a, []EIPClaim{a}, `both associate it with network interface eni-a (private IP 10.1.0.5)`},
		{"new enis", unknown, []EIPClaim{unknown}, `both associate it with a network interface created in this configuration`},
		{"three", a, []EIPClaim{b, unknown}, `eni-b (private IP 10.1.0.9) (and 1 more claim it)`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			wantErr(t, EIPClaimedOnce("eip-1", tc.self, tc.others), tc.want)
		})
	}
}

func TestEIPFreedByReplacement(t *testing.T) {
	onB := EIP{AllocationID: "eip-1", Status: "InUse", InstanceID: "eni-b", InstanceType: "NetworkInterface", PrivateIP: "10.1.0.9"}
	cases := []struct {
		name  string
		eip   EIP
		freed []EIPClaim
		want  bool
	}{
		{"nothing replaced", onB, nil, false},
		{"replaced there", onB, []EIPClaim{{NetworkInterfaceID: "eni-b", PrivateIP: "10.1.0.9"}}, true},
		{"replaced on that eni, ip not recorded", onB, []EIPClaim{{NetworkInterfaceID: "eni-b"}}, true},
		{"replaced on another ip", onB, []EIPClaim{{NetworkInterfaceID: "eni-b", PrivateIP: "10.1.0.8"}}, false},
		{"replaced elsewhere", onB, []EIPClaim{{NetworkInterfaceID: "eni-c", PrivateIP: "10.1.0.9"}}, false},
		{"on an instance", EIP{Status: "InUse", InstanceID: "i-1", InstanceType: "EcsInstance"}, []EIPClaim{{NetworkInterfaceID: "i-1"}}, true},
		{"unassociating", EIP{Status: "Unassociating", InstanceID: "eni-b"}, []EIPClaim{{NetworkInterfaceID: "eni-b"}}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := EIPFreedByReplacement(tc.eip, tc.freed); got != tc.want {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestEIPNotTakenFromHolder(t *testing.T) {
	at := EIPClaim{NetworkInterfaceID: "eni-a", PrivateIP: "10.1.0.5"}
	cases := []struct {
		name    string
		holders []EIPClaim
		want    string
	}{
		{"no holder", nil, ""},
		{"holder elsewhere", []EIPClaim{{NetworkInterfaceID: "eni-b", PrivateIP: "10.1.0.5"}}, ""},
		{"holder on another ip", []EIPClaim{{NetworkInterfaceID: "eni-a", PrivateIP: "10.1.0.6"}}, ""},
		{"holder of a new eni", []EIPClaim{{}}, ""},
		{"holder there", []EIPClaim{at}, "EIP eip-1 is associated with network interface eni-a (private IP 10.1.0.5) by an " +
			"eni_eip_association that this plan destroys or replaces, and another eni_eip_association of the configuration " +
			"holds it there (network interface eni-a (private IP 10.1.0.5)); destroying the first would unassociate the EIP " +
			"from under the second. Keep the first instead (a moved block renames it), or remove it in one apply and add the second in the next"},
		{"holder there, ip not known", []EIPClaim{{NetworkInterfaceID: "eni-a"}}, "from under the second"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			wantErr(t, EIPNotTakenFromHolder("eip-1", at, tc.holders), tc.want)
		})
	}
}
