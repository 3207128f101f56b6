package validate

import (
	"regexp"
	"testing"
)

var (
	web = BindingInstance{ID: "i-web", Type: "ecs.g7.large", Status: "Running", ZoneID: "zone-h", VPCID: "vpc-1",
		HotSwap: true, ENILimit: 3, IPsPerENI: 10, NetworkCards: 1}
	burst = BindingInstance{ID: "i-burst", Type: "ecs.t6-c1m2.large", Status: "Running", ZoneID: "zone-h", VPCID: "vpc-1",
		HotSwap: false, ENILimit: 2, IPsPerENI: 2}
	eniH = BindingENI{ID: "eni-h", Type: "Secondary", ZoneID: "zone-h", VPCID: "vpc-1", VSwitchID: "vsw-h", PrivateIPs: 1}
)

// check compares an error with a pattern; "" means no error.
func check(t *testing.T, err error, want string) {
	t.Helper()
	switch {
	case want == "" && err != nil:
		t.Errorf("unexpected error: %v", err)
	case want != "" && err == nil:
		t.Errorf("no error, want one matching %q", want)
	case want != "" && !regexp.MustCompile(want).MatchString(err.Error()):
		t.Errorf("error %q does not match %q", err, want)
	}
}

func checkWarning(t *testing.T, got, want string) {
	t.Helper()
	if (want == "") != (got == "") || (want != "" && !regexp.MustCompile(want).MatchString(got)) {
		t.Errorf("warning %q, want %q", got, want)
	}
}

func TestZoneAndVPC(t *testing.T) {
	with := func(zone, vpc string) BindingENI { e := eniH; e.ZoneID, e.VPCID = zone, vpc; return e }
	for _, tc := range []struct {
		name string
		eni  BindingENI
		want string
	}{
		{"same", eniH, ""},
		{"zone", with("zone-i", "vpc-1"), `^network interface eni-h is in zone zone-i but instance i-web is in zone zone-h; .*zone zone-h in VPC vpc-1`},
		{"vpc", with("zone-h", "vpc-2"), `^network interface eni-h is in VPC vpc-2 but instance i-web is in VPC vpc-1;`},
		{"both", with("zone-i", "vpc-2"), `zone zone-i but .* zone zone-h, and network interface eni-h is in VPC vpc-2 but`},
	} {
		t.Run(tc.name, func(t *testing.T) { check(t, ZoneAndVPC(tc.eni, web), tc.want) })
	}
}

func TestHotSwap(t *testing.T) {
	status := func(in BindingInstance, s string) BindingInstance { in.Status = s; return in }
	for _, tc := range []struct {
		name     string
		in       BindingInstance
		stop     bool
		want     string
		wantWarn string
	}{
		{"hot swap running", web, false, "", ""},
		{"hot swap running with stop", web, true, "", ""},
		{"no hot swap running", burst, false, `instance i-burst is Running, and its type ecs.t6-c1m2.large cannot attach .*stop_instance_if_required = true`, ""},
		{"no hot swap running with stop", burst, true, "", `apply will stop the instance, attach the ENI and start it again`},
		{"no hot swap stopped", status(burst, "Stopped"), false, "", ""},
		{"no hot swap starting", status(burst, "Starting"), false, "", ""},
		{"no hot swap stopping", status(burst, "Stopping"), false, "", ""},
		{"no hot swap pending", status(burst, "Pending"), true, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			check(t, HotSwap(tc.in, "attach", tc.stop), tc.want)
			checkWarning(t, StopWarning(tc.in, "attach", "eni-h", tc.stop), tc.wantWarn)
			if tc.wantWarn != "" {
				checkWarning(t, StopWarning(tc.in, "attach", "", tc.stop), `to attach the network interface, apply will stop`)
			}
		})
	}
}

func TestENICount(t *testing.T) {
	for _, tc := range []struct {
		name      string
		bound     []string
		planned   []string
		anonymous int
		want      string
	}{
		{"room", []string{"eni-p"}, []string{"eni-1"}, 0, ""},
		{"full", []string{"eni-p"}, []string{"eni-1", "eni-2"}, 0, ""},
		{"one too many", []string{"eni-p", "eni-1"}, []string{"eni-2", "eni-3"}, 0,
			`at most 3 ENIs, the primary ENI included, but would hold 4: 2 bound now and 2 more attached by this plan\. Remove 1 `},
		// During apply an attachment already applied is both bound and planned.
		{"bound and planned count once", []string{"eni-p", "eni-1", "eni-2"}, []string{"eni-1", "eni-2"}, 0, ""},
		{"anonymous count", []string{"eni-p"}, []string{"eni-1"}, 1, ""},
		{"anonymous over", []string{"eni-p"}, nil, 3, `would hold 4: 1 bound now and 3 more attached by this plan`},
	} {
		t.Run(tc.name, func(t *testing.T) { check(t, ENICount(web, tc.bound, tc.planned, tc.anonymous), tc.want) })
	}
	if err := ENICount(BindingInstance{ID: "i-x"}, []string{"a", "b"}, nil, 5); err != nil {
		t.Errorf("a type without a limit: %v", err)
	}
}

func TestENILimit(t *testing.T) {
	for _, tc := range []struct {
		name   string
		bound  []string
		before int
		want   string
	}{
		{"room", []string{"eni-p"}, 0, ""},
		{"last slot", []string{"eni-p"}, 1, ""},
		{"one too many", []string{"eni-p"}, 2,
			`^instance i-web \(type ecs.g7.large\) can hold at most 3 ENIs, the primary ENI included, and 1 are bound to it and stay so in this plan \(eni-p\), so this plan can attach 2 more, and it attaches more than that\. Every attachment beyond those 2 fails with this error: remove one attachment to this instance per such error`},
		// The text is the same for every attachment beyond the limit,
		// whatever the order of planning.
		{"two too many", []string{"eni-p"}, 3, `, so this plan can attach 2 more, and it attaches more than that\. Every attachment beyond those 2`},
		{"full", []string{"eni-p", "eni-a", "eni-b"}, 0,
			`and 3 are bound to it and stay so in this plan \(eni-p, eni-a, eni-b\), so no ENI can be attached to it\. Detach one of those ENIs .*remove this attachment`},
		{"over full", []string{"eni-p", "eni-a", "eni-b", "eni-c"}, 0, `so no ENI can be attached to it`},
	} {
		t.Run(tc.name, func(t *testing.T) { check(t, ENILimit(web, tc.bound, tc.before), tc.want) })
	}
	a, b := ENILimit(web, []string{"eni-p"}, 2), ENILimit(web, []string{"eni-p"}, 4)
	if a.Error() != b.Error() {
		t.Errorf("the text depends on the order of planning:\n%v\n%v", a, b)
	}
	if err := ENILimit(BindingInstance{ID: "i-x"}, []string{"a", "b"}, 5); err != nil {
		t.Errorf("a type without a limit: %v", err)
	}
}

func TestDuplicateAttachment(t *testing.T) {
	for _, tc := range []struct {
		name   string
		others []string
		want   string
	}{
		{"alone", nil, ""},
		{"other instance", []string{"i-db"},
			`^network_interface_id: network interface eni-h is bound to instance i-web by this eni_network_interface_attachment and to instance i-db by another .* remove all but one of the attachments of eni-h`},
		{"same instance", []string{"i-web"}, `bound to instance i-web by this eni_network_interface_attachment and to instance i-web as well by another`},
		{"three", []string{"i-db", "i-web"}, `to instance i-db and instance i-web as well by another`},
	} {
		t.Run(tc.name, func(t *testing.T) { check(t, DuplicateAttachment("eni-h", "i-web", tc.others), tc.want) })
	}
}

func TestENIType(t *testing.T) {
	check(t, ENIType(eniH), "")
	primary := eniH
	primary.Type, primary.InstanceID = "Primary", "i-db"
	check(t, ENIType(primary), `^network interface eni-h is the primary ENI of instance i-db; .*never be detached`)
}

func TestBoundElsewhere(t *testing.T) {
	on := func(id string) BindingENI { e := eniH; e.InstanceID = id; return e }
	for _, tc := range []struct {
		name     string
		eni      BindingENI
		kept     bool
		wantWarn string
		want     string
	}{
		{"unbound", on(""), false, "", ""},
		{"bound to the target", on("i-web"), true, "", ""},
		{"bound elsewhere, moved", on("i-old"), false, `bound to instance i-old now\. Apply will detach it from i-old first and then attach it to i-web`, ""},
		{"bound elsewhere, kept", on("i-old"), true, "", `bound to instance i-old, and another eni_network_interface_attachment .* keeps it there, so it cannot also be attached to i-web`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			warn, err := BoundElsewhere(tc.eni, "i-web", tc.kept)
			check(t, err, tc.want)
			checkWarning(t, warn, tc.wantWarn)
		})
	}
	check(t, MovedAway("eni-h", "i-old"), `keeps network interface eni-h on instance i-old, but another`)
}

func TestPrivateIPsPerENI(t *testing.T) {
	with := func(n, planned int) BindingENI { e := eniH; e.PrivateIPs, e.PlannedPrivateIPs = n, planned; return e }
	check(t, PrivateIPsPerENI(with(2, 0), burst), "")
	check(t, PrivateIPsPerENI(with(3, 0), burst), `will hold 3 private IPs .* allows at most 2 per ENI; remove 1`)
	check(t, PrivateIPsPerENI(with(1, 2), burst), `will hold 3 private IPs`)
	check(t, PrivateIPsPerENI(with(50, 0), BindingInstance{ID: "i-x"}), "")
}

func TestIPv6PerENI(t *testing.T) {
	with := func(n int) BindingENI { e := eniH; e.IPv6Addresses = n; return e }
	g7 := BindingInstance{ID: "i-g7", Type: "ecs.g7.large", IPv6PerENI: 3}
	check(t, IPv6PerENI(with(0), burst), "")
	check(t, IPv6PerENI(with(3), g7), "")
	check(t, IPv6PerENI(with(4), g7), `network interface eni-h, with its 4 IPv6 address\(es\), cannot be bound to instance `+
		`i-g7: it would hold 4 IPv6 addresses; instance type ecs.g7.large allows 3 IPv6 addresses per ENI; assign 1 fewer`)
	check(t, IPv6PerENI(with(1), burst), `instance type ecs.t6-c1m2.large takes no IPv6 addresses`)
}

func TestNetworkCardIndex(t *testing.T) {
	check(t, NetworkCardIndex(0, web), "")
	check(t, NetworkCardIndex(1, web), `network_card_index is 1, but instance type ecs.g7.large of instance i-web has 1 network card\(s\)`)
	check(t, NetworkCardIndex(7, burst), "") // not reported: the API decides
}

func TestSameVSwitch(t *testing.T) {
	checkWarning(t, SameVSwitch(eniH, "i-web", map[string]string{"eni-h": "vsw-h", "eni-p": "vsw-i"}), "")
	checkWarning(t, SameVSwitch(eniH, "i-web", map[string]string{"eni-p": "vsw-h", "eni-2": "vsw-h", "eni-3": "vsw-i"}),
		`eni-h is in vSwitch vsw-h, like eni-2, eni-p on instance i-web\. .*asymmetric routing.*once per vSwitch and instance`)
}
