package mockcloud

import (
	"strings"
	"testing"
	"time"
)

// An assign or unassign takes effect after the transition delay; until
// then the ENI is busy and a second IP change on it is refused with
// Operation.Conflict (403), while other ENIs are not affected.
func TestENIIPChangeConflict(t *testing.T) {
	env := startEnv(t, nil, withDelay(time.Hour))
	id := niCreate(t, env).NetworkInterfaceId
	other := niCreate(t, env).NetworkInterfaceId
	used := niUsed(env, "vsw-mockh")

	got, err := niAssign(env, id, 0, "10.1.0.200")
	mustOK(t, err)
	if ips := got.AssignedPrivateIpAddressesSet.PrivateIpSet.PrivateIpAddress; len(ips) != 1 || ips[0] != "10.1.0.200" {
		t.Fatalf("assigned %v", ips)
	}
	// Taken from the vSwitch at once, shown on the ENI only when done.
	if niUsed(env, "vsw-mockh") != used+1 {
		t.Fatal("the address was not taken from the vSwitch")
	}
	if n := len(niIPs(niMustGet(t, env, id))); n != 1 {
		t.Fatalf("%d IPs while the assign is in progress, want 1", n)
	}
	_, err = niAssign(env, id, 1)
	wantCode(t, err, "Operation.Conflict", 403)
	niWantMsg(t, err, id)
	_, err = niAssign(env, id, 0, "10.1.0.200")
	wantCode(t, err, "InvalidIp.IpAssigned", 403)
	// The unbound limit counts the addresses on their way: 1 + 10 > 10.
	_, err = niAssign(env, id, 10)
	wantCode(t, err, "InvalidOperation.Ipv4CountExceeded", 403)
	_, err = niAssign(env, other, 1)
	mustOK(t, err)

	mustOK(t, env.srv.Settle())
	if ips := strings.Join(niIPs(niMustGet(t, env, id)), ","); !strings.HasSuffix(ips, ",10.1.0.200") {
		t.Fatalf("IPs after the assign completed: %s", ips)
	}
	mustOK(t, niUnassign(env, id, "10.1.0.200"))
	wantCode(t, niUnassign(env, id, "10.1.0.200"), "Operation.Conflict", 403)
	if n := len(niIPs(niMustGet(t, env, id))); n != 2 {
		t.Fatalf("%d IPs while the unassign is in progress, want 2", n)
	}
	mustOK(t, env.srv.Settle())
	if n := len(niIPs(niMustGet(t, env, id))); n != 1 {
		t.Fatalf("%d IPs after the unassign completed, want 1", n)
	}
	if niUsed(env, "vsw-mockh") != used+1 { // the other ENI's address
		t.Fatal("the unassigned address was not returned to the vSwitch")
	}
}

// Deleting an ENI while an assign is in progress returns the pending
// addresses to the vSwitch too.
func TestENIDeleteDuringIPChange(t *testing.T) {
	env := startEnv(t, nil, withDelay(time.Hour))
	used := niUsed(env, "vsw-mockh")
	id := niCreate(t, env).NetworkInterfaceId
	_, err := niAssign(env, id, 3)
	mustOK(t, err)
	mustOK(t, niDelete(env, id))
	mustOK(t, env.srv.Settle())
	if n := niUsed(env, "vsw-mockh"); n != used {
		t.Fatalf("vSwitch uses %d addresses after the delete, want %d", n, used)
	}
}
