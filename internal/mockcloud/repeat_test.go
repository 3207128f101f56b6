package mockcloud

import (
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
)

// What a client that repeats an operation which is already done or under
// way gets back (a retry after a lost reply, for one): the answer of the
// API reference for a resource in that state, and no change.

func TestRepeatAttachDetachDelete(t *testing.T) {
	env := startEnv(t, nil, withDelay(time.Hour))
	id := niCreate(t, env).NetworkInterfaceId

	// Attach: the ENI must be Available (API reference, "Which operation
	// is refused in which state"), also when it is Attaching or InUse on
	// the very instance named.
	mustOK(t, niAttach(env, id, "i-mockweb1"))
	wantCode(t, niAttach(env, id, "i-mockweb1"), "InvalidOperation.InvalidEniState", 400) // Attaching
	mustOK(t, env.srv.Settle())
	wantCode(t, niAttach(env, id, "i-mockweb1"), "InvalidOperation.InvalidEniState", 400) // InUse
	if e := niMustGet(t, env, id); e.Status != "InUse" || e.Attachment.DeviceIndex != 1 {
		t.Fatalf("after repeated attaches: %s device %d", e.Status, e.Attachment.DeviceIndex)
	}
	// The ENI's own state is reported even while another attach is in
	// progress on the instance.
	other := niCreate(t, env).NetworkInterfaceId
	mustOK(t, niAttach(env, other, "i-mockweb1"))
	wantCode(t, niAttach(env, id, "i-mockweb1"), "InvalidOperation.InvalidEniState", 400)
	mustOK(t, env.srv.Settle())

	// Detach: InUse or Detaching is accepted, so repeating a detach under
	// way succeeds and changes nothing; an Available ENI is refused.
	mustOK(t, niDetach(env, id, "i-mockweb1"))
	mustOK(t, niDetach(env, id, "i-mockweb1")) // Detaching
	if e := niMustGet(t, env, id); e.Status != "Detaching" {
		t.Fatalf("after a repeated detach: %s", e.Status)
	}
	mustOK(t, env.srv.Settle())
	wantCode(t, niDetach(env, id, "i-mockweb1"), "InvalidOperation.InvalidEniState", 400) // Available

	// Delete: only an Available ENI; a Deleting one is refused, a gone one
	// is not found.
	mustOK(t, niDelete(env, id))
	wantCode(t, niDelete(env, id), "InvalidOperation.InvalidEniState", 400) // Deleting
	mustOK(t, env.srv.Settle())
	wantCode(t, niDelete(env, id), "InvalidEniId.NotFound", 404) // gone
}

func TestRepeatUnassign(t *testing.T) {
	env := startEnv(t, nil, withDelay(time.Hour))
	resp := niCreate(t, env, func(r *ecs.CreateNetworkInterfaceRequest) { r.SecondaryPrivateIpAddressCount = "2" })
	id := resp.NetworkInterfaceId
	ips := niIPs(niMustGet(t, env, id))
	mustOK(t, niUnassign(env, id, ips[1]))
	// While the unassign is under way the address is still on the ENI and
	// a change is in progress.
	wantCode(t, niUnassign(env, id, ips[1]), "Operation.Conflict", 403)
	mustOK(t, env.srv.Settle())
	wantCode(t, niUnassign(env, id, ips[1]), "InvalidIp.IpUnassigned", 403) // not on the ENI
	if got := niIPs(niMustGet(t, env, id)); len(got) != 2 || got[1] != ips[2] {
		t.Fatalf("IPs after the repeated unassign: %v (was %v)", got, ips)
	}
}

func TestRepeatEIPAssociation(t *testing.T) {
	env := startEnv(t, nil, withDelay(time.Hour))
	eni := niCreate(t, env).NetworkInterfaceId
	_, err := env.vpc.AssociateEipAddress(assoc("eip-mock1", eni, "NetworkInterface", "", ""))
	mustOK(t, err)
	// Associate: the EIP must be Available; Associating or InUse on the
	// same target is refused.
	_, err = env.vpc.AssociateEipAddress(assoc("eip-mock1", eni, "NetworkInterface", "", ""))
	wantCode(t, err, "IncorrectEipStatus", 400) // Associating
	mustOK(t, env.srv.Settle())
	_, err = env.vpc.AssociateEipAddress(assoc("eip-mock1", eni, "NetworkInterface", "", ""))
	wantCode(t, err, "IncorrectEipStatus", 400) // InUse

	// Unassociate: the EIP must be InUse.
	_, err = env.vpc.UnassociateEipAddress(unassoc("eip-mock1", eni))
	mustOK(t, err)
	_, err = env.vpc.UnassociateEipAddress(unassoc("eip-mock1", eni))
	wantCode(t, err, "IncorrectEipStatus", 400) // Unassociating
	mustOK(t, env.srv.Settle())
	_, err = env.vpc.UnassociateEipAddress(unassoc("eip-mock1", eni))
	wantCode(t, err, "IncorrectEipStatus", 400) // Available
	if e := getEIP(t, env, "eip-mock1"); e.Status != "Available" || e.InstanceId != "" {
		t.Fatalf("after the repeats: %s on %q", e.Status, e.InstanceId)
	}
}

func TestRepeatStopStart(t *testing.T) {
	env := startEnv(t, nil, withDelay(time.Hour))
	_, err := env.ecs.StartInstance(startReq("i-mockweb1"))
	wantCode(t, err, "IncorrectInstanceStatus", 403) // Running

	_, err = env.ecs.StopInstance(stopReq("i-mockweb1"))
	mustOK(t, err)
	_, err = env.ecs.StopInstance(stopReq("i-mockweb1"))
	wantCode(t, err, "IncorrectInstanceStatus", 403) // Stopping
	mustOK(t, env.srv.Settle())
	_, err = env.ecs.StopInstance(stopReq("i-mockweb1"))
	wantCode(t, err, "IncorrectInstanceStatus", 403) // Stopped

	_, err = env.ecs.StartInstance(startReq("i-mockweb1"))
	mustOK(t, err)
	_, err = env.ecs.StartInstance(startReq("i-mockweb1"))
	wantCode(t, err, "IncorrectInstanceStatus", 403) // Starting
	mustOK(t, env.srv.Settle())
	if s := getInstance(t, env, "i-mockweb1").Status; s != "Running" {
		t.Fatalf("after the repeats: %s", s)
	}
}
