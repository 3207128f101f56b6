//go:build unix

package eni_test

import (
	"context"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/openeni/terraform-provider-eni/internal/acctest"
	"github.com/openeni/terraform-provider-eni/internal/cloud"
	"github.com/openeni/terraform-provider-eni/internal/domain"
	"github.com/openeni/terraform-provider-eni/internal/mockcloud"
)

// Interrupts lose nothing: a SIGINT (Ctrl-C) at any point of an apply or
// a destroy leaves no object in the cloud that state does not know, and
// one apply then converges without duplicates, a plan is clean and a
// destroy leaves the emulator as seeded.
//
// These tests drive the terraform binary as a user does (acctest's
// terraform CLI harness), against the provider built from this module and
// an emulator of their own. Each interrupts one run when the emulator
// sees a chosen API call: "received" sends SIGINT before the emulator
// handles the call, "handled" after it made its change and before the
// reply goes back, so the provider has sent the call and not heard the
// answer. During the interrupted run every call takes interruptLatency
// and every transition interruptDelay, so the interrupt lands while calls
// and waits are in flight; nothing sleeps.
//
// The cases are subtests of TestAccInterrupt that run interruptConcurrency
// at a time, whatever -parallel says: they spend their time waiting for
// terraform and the emulator's transitions, not computing, and one at a
// time per -parallel slot (two on a two-core machine) would take minutes.
// Run one with -run 'TestAccInterrupt/createReceived'.

const (
	interruptDelay   = 500 * time.Millisecond // transitions during the interrupted run
	interruptLatency = 50                     // ms added to every API call then
	convergeDelay    = 50 * time.Millisecond  // transitions during the runs after it

	interruptConcurrency = 5
)

// interruptCase is one interrupted run and the configuration it should
// converge to.
type interruptCase struct {
	name string
	// setup, when set, is applied first, without interruption.
	setup string
	// config is the configuration of the interrupted run (unless destroy)
	// and of the apply that converges.
	config string
	// destroy interrupts `terraform destroy` of config (setup must then
	// be config) instead of `terraform apply`.
	destroy bool
	// The interrupt: when the nth request for action is received or
	// handled.
	action string
	n      int
	phase  acctest.Phase
	// want is what config amounts to in the emulator.
	want interruptWant
	// afterInterrupt, when set, checks the emulator right after the
	// interrupted run (settled).
	afterInterrupt func(c *acctest.Census) error
	// kill sends SIGKILL instead of SIGINT: nothing is guaranteed about
	// state then, and the state check is skipped.
	kill bool
	// warn, when set, is a pattern (acctest.Wrapped) the plan right after
	// the interrupted run must show.
	warn string
}

// interruptWant is what a configuration amounts to in the emulator.
type interruptWant struct {
	enis  int            // secondary ENIs
	bound map[string]int // instance → secondary ENIs bound to it
	ips   int            // secondary private IPs on secondary ENIs
	eips  int            // EIPs bound to ENIs
	tag   string         // when set: the value of the "scenario" tag of every ENI
}

func (w interruptWant) check(c *acctest.Census) error {
	var problems []string
	if len(c.ENIs) != w.enis {
		problems = append(problems, fmt.Sprintf("%d ENIs, want %d (duplicates or leaks: %v)", len(c.ENIs), w.enis, c.ENIIDs()))
	}
	for _, id := range slices.Sorted(maps.Keys(c.Instances)) {
		if got := len(c.BoundTo(id)); got != w.bound[id] {
			problems = append(problems, fmt.Sprintf("%d ENIs bound to %s, want %d", got, id, w.bound[id]))
		}
		if c.Instances[id] != domain.InstanceStatusRunning {
			problems = append(problems, fmt.Sprintf("instance %s is %s, want Running", id, c.Instances[id]))
		}
	}
	if got := c.SecondaryIPs(); got != w.ips {
		problems = append(problems, fmt.Sprintf("%d secondary private IPs on the ENIs, want %d", got, w.ips))
	}
	if len(c.EIPs) != w.eips {
		problems = append(problems, fmt.Sprintf("%d EIPs bound, want %d", len(c.EIPs), w.eips))
	}
	for _, e := range c.EIPs {
		if e.Status != domain.EIPStatusInUse {
			problems = append(problems, fmt.Sprintf("EIP %s is %s", e.AllocationID, e.Status))
		}
	}
	for _, e := range c.ENIs {
		if e.Status != domain.ENIStatusAvailable && e.Status != domain.ENIStatusInUse {
			problems = append(problems, fmt.Sprintf("ENI %s is %s", e.ID, e.Status))
		}
		if w.tag != "" && e.Tags["scenario"] != w.tag {
			problems = append(problems, fmt.Sprintf("ENI %s has tags %v, want scenario = %q", e.ID, e.Tags, w.tag))
		}
	}
	for id, ips := range c.PrimaryIPs {
		problems = append(problems, fmt.Sprintf("the primary ENI of %s has secondary IPs %v", id, ips))
	}
	if len(problems) > 0 {
		return fmt.Errorf("%s\nthe emulator holds: %s", strings.Join(problems, "\n"), c)
	}
	return nil
}

// testAccInterrupt runs one case: the interrupted run, then apply, plan
// and destroy, with the checks after each.
func testAccInterrupt(t *testing.T, tc interruptCase) {
	b, hooks := acctest.NewCLIBackend(t, acctest.CLIOptions{TransitionDelay: convergeDelay})
	seeded := b.SnapshotSeeded(t)
	first := tc.config
	if tc.setup != "" {
		first = tc.setup
	}
	tf := acctest.NewTerraform(t, b, first)

	if tc.setup != "" {
		if run := tf.Apply(); run.Failed() {
			t.Fatalf("the set-up apply failed:\n%s", run)
		}
		tf.SetConfig(b, tc.config)
	}

	// The interrupted run.
	b.Mock.SetTransitionDelay(interruptDelay)
	b.Mock.SetFaults(mockcloud.Faults{LatencyMS: interruptLatency})
	if tc.kill {
		tf.KillAt(hooks, tc.action, tc.n, tc.phase)
	} else {
		tf.InterruptAt(hooks, tc.action, tc.n, tc.phase)
	}
	var run *acctest.Run
	if tc.destroy {
		run = tf.Destroy()
	} else {
		run = tf.Apply()
	}
	b.Mock.SetFaults(mockcloud.Faults{})
	b.Mock.SetTransitionDelay(convergeDelay)
	switch {
	case !run.Interrupted() && !run.Killed():
		t.Fatalf("the interrupt never fired: waiting for %v\n%s", hooks.Pending(), run)
	case run.Err != nil:
		t.Fatalf("the interrupted run: %v\n%s", run.Err, run)
	case run.ExitCode == 0:
		t.Errorf("the interrupted run exited 0: the interrupt came after the work was done\n%s", run)
	}
	// What the cloud accepted is done: complete the transitions in
	// flight, then everything in the cloud must be in state.
	if err := b.Mock.Settle(); err != nil {
		t.Fatal(err)
	}
	c, err := b.TakeCensus()
	if err != nil {
		t.Fatal(err)
	}
	st, err := tf.State()
	if err != nil {
		t.Fatal(err)
	}
	if err := acctest.CheckStateKnowsCloud(c, st); err != nil && !tc.kill {
		t.Errorf("after the interrupted run, the emulator holds what state does not know:\n%v\n%s", err, run)
	}
	if err := checkStateKnowsIPv6(b, st); err != nil && !tc.kill {
		t.Errorf("after the interrupted run: %v\n%s", err, run)
	}
	if tc.afterInterrupt != nil {
		if err := tc.afterInterrupt(c); err != nil {
			t.Errorf("after the interrupted run: %v\n%s", err, run)
		}
	}
	if tc.warn != "" {
		run := tf.Plan()
		if run.Err != nil || run.ExitCode == 1 || !regexp.MustCompile(acctest.Wrapped(tc.warn)).MatchString(run.Output()) {
			t.Errorf("the plan after the interrupted run does not say %q:\n%s", tc.warn, run)
		}
	}

	// One apply converges, with no duplicate.
	if run := tf.Apply(); run.Failed() {
		t.Errorf("the apply after the interrupt failed:\n%s", run)
	} else if c, err := b.TakeCensus(); err != nil {
		t.Error(err)
	} else if err := tc.want.check(c); err != nil {
		t.Errorf("after the apply that follows the interrupt:\n%v\n%s", err, run)
	}
	if run := tf.Plan(); run.ExitCode != 0 {
		t.Errorf("the plan after the apply is not clean:\n%s", run)
	}

	// One destroy leaves the emulator as seeded.
	if run := tf.Destroy(); run.Failed() {
		t.Errorf("the destroy failed:\n%s", run)
	}
	if err := b.CheckSeeded(seeded)(nil); err != nil {
		c, _ := b.TakeCensus()
		t.Errorf("after the destroy, the emulator is not as seeded: %v\nit holds: %s", err, c)
	}
}

func testAccInterruptENIs(n int, scenario string) string {
	return fmt.Sprintf(`
resource "eni_network_interface" "test" {
  count              = %d
  vswitch_id         = "vsw-mockh"
  security_group_ids = ["sg-mockweb"]
  tags = {
    scenario = %q
  }
}
`, n, scenario)
}

// testAccInterruptCount is an ENI of vSwitch vsw whose count argument
// (secondary_private_ip_count, ipv6_address_count) is n.
func testAccInterruptCount(vsw, argument string, n int) string {
	return fmt.Sprintf(`
resource "eni_network_interface" "test" {
  vswitch_id         = %q
  security_group_ids = ["sg-mockweb"]
  %s = %d
}
`, vsw, argument, n)
}

// checkStateKnowsIPv6 checks, for every eni_network_interface in state
// that records its IPv6 addresses, that they are those the ENI holds.
func checkStateKnowsIPv6(b *acctest.Backend, st *acctest.State) error {
	for _, in := range st.Managed("eni_network_interface") {
		if !in.Set("assigned_ipv6_addresses") {
			continue // a tainted ENI whose create was interrupted
		}
		eni, err := b.Client.FindNetworkInterfaceByID(context.Background(), in.String("id"))
		if cloud.IsNotFound(err) {
			continue
		}
		if err != nil {
			return err
		}
		held, recorded := cloud.IPv6Addresses(eni), in.Strings("assigned_ipv6_addresses")
		slices.Sort(held)
		slices.Sort(recorded)
		if !slices.Equal(held, recorded) {
			return fmt.Errorf("%s holds the IPv6 addresses %v, state records %v", in.Address, held, recorded)
		}
	}
	return nil
}

// testAccInterruptFull is an ENI bound to i-mockweb1 with two
// eni_private_ip and an EIP on its primary IP: its destroy detaches,
// unassigns and unassociates.
var testAccInterruptFull = testAccInterruptENIs(1, "full") + `
resource "eni_network_interface_attachment" "test" {
  network_interface_id = eni_network_interface.test[0].id
  instance_id          = "i-mockweb1"
}

resource "eni_private_ip" "test" {
  count                = 2
  network_interface_id = eni_network_interface.test[0].id
}

resource "eni_eip_association" "test" {
  allocation_id        = "eip-mock1"
  network_interface_id = eni_network_interface.test[0].id
}
`

var testAccInterruptFullWant = interruptWant{enis: 1, bound: map[string]int{"i-mockweb1": 1}, ips: 2, eips: 1, tag: "full"}

// testAccInterruptBurst is an ENI attached to i-mockburst, whose type has
// no ENI hot swap: the attach (and the detach of destroy) stops the
// instance, attaches (detaches) and starts it again.
var testAccInterruptBurst = testAccInterruptENIs(1, "stop") + `
resource "eni_network_interface_attachment" "test" {
  network_interface_id      = eni_network_interface.test[0].id
  instance_id               = "i-mockburst"
  stop_instance_if_required = true
}
`

var testAccInterruptBurstWant = interruptWant{enis: 1, bound: map[string]int{"i-mockburst": 1}, tag: "stop"}

// testAccInterruptBurstRunning: an interrupted run starts again the
// instance it stopped.
func testAccInterruptBurstRunning(c *acctest.Census) error {
	if s := c.Instances["i-mockburst"]; s != domain.InstanceStatusRunning {
		return fmt.Errorf("i-mockburst is %s: the interrupted run did not start it again", s)
	}
	return nil
}

// The interrupted runs: during ENI creation, attach, assign (eni_private_ip
// and an ENI's own secondary IPs), EIP associate, the detach, unassign and
// unassociate of a destroy, and while an instance is stopped for a
// non-hot-swap attach or detach.
var interruptCases = []interruptCase{
	// Six ENIs are created at once (parallelism 10); the interrupt comes
	// when the third CreateNetworkInterface arrives, with the others in
	// flight.
	{
		name:   "createReceived",
		config: testAccInterruptENIs(6, "create"),
		action: "CreateNetworkInterface", n: 3, phase: acctest.Received,
		want: interruptWant{enis: 6, tag: "create"},
	},
	// The third ENI exists in the cloud and its ID is on the way back.
	{
		name:   "createHandled",
		config: testAccInterruptENIs(6, "create"),
		action: "CreateNetworkInterface", n: 3, phase: acctest.Handled,
		want: interruptWant{enis: 6, tag: "create"},
	},
	// The first attach has started (the ENI is Attaching) and the provider
	// has not heard back; the second waits for the instance's lock.
	{
		name: "attach",
		config: testAccInterruptENIs(2, "attach") + `
resource "eni_network_interface_attachment" "test" {
  count                = 2
  network_interface_id = eni_network_interface.test[count.index].id
  instance_id          = "i-mockweb1"
}
`,
		action: "AttachNetworkInterface", n: 1, phase: acctest.Handled,
		want: interruptWant{enis: 2, bound: map[string]int{"i-mockweb1": 2}, tag: "attach"},
	},
	// Two ENIs created and bound by their attachment block; the first
	// attach has been made, its reply not heard; one of them is bound to
	// the non-hot-swap instance, stopped for it.
	{
		name: "inlineAttach",
		config: `
resource "eni_network_interface" "test" {
  count              = 2
  vswitch_id         = "vsw-mockh"
  security_group_ids = ["sg-mockweb"]
  tags = {
    scenario = "inline"
  }
  attachment {
    instance_id               = count.index == 0 ? "i-mockweb1" : "i-mockburst"
    stop_instance_if_required = true
  }
}
`,
		action: "AttachNetworkInterface", n: 1, phase: acctest.Handled,
		want: interruptWant{enis: 2, bound: map[string]int{"i-mockweb1": 1, "i-mockburst": 1}, tag: "inline"},
	},
	// Four eni_private_ip on one ENI; the second assign has been made.
	{
		name: "assignPrivateIP",
		config: testAccInterruptENIs(1, "assign") + `
resource "eni_private_ip" "test" {
  count                = 4
  network_interface_id = eni_network_interface.test[0].id
}
`,
		action: "AssignPrivateIpAddresses", n: 2, phase: acctest.Handled,
		want: interruptWant{enis: 1, ips: 4, tag: "assign"},
	},
	// An ENI that owns its addresses goes from 1 to 4 secondary IPs in
	// place; the assign has been made.
	{
		name:   "assignCount",
		setup:  testAccInterruptCount("vsw-mockh", "secondary_private_ip_count", 1),
		config: testAccInterruptCount("vsw-mockh", "secondary_private_ip_count", 4),
		action: "AssignPrivateIpAddresses", n: 1, phase: acctest.Handled,
		want: interruptWant{enis: 1, ips: 4},
	},
	// The same with IPv6 addresses, 1 to 4 in place on the dual-stack
	// vSwitch; the assign has been made, and state must record the
	// addresses it took (checkStateKnowsIPv6).
	{
		name:   "assignIPv6Count",
		setup:  testAccInterruptCount("vsw-mockv6", "ipv6_address_count", 1),
		config: testAccInterruptCount("vsw-mockv6", "ipv6_address_count", 4),
		action: "AssignIpv6Addresses", n: 1, phase: acctest.Handled,
		want: interruptWant{enis: 1},
	},
	// Two ENIs, each with an EIP on its primary IP; the first associate has
	// been made (the EIP is Associating).
	{
		name: "associate",
		config: testAccInterruptENIs(2, "associate") + `
resource "eni_eip_association" "test" {
  count                = 2
  allocation_id        = "eip-mock${count.index + 1}"
  network_interface_id = eni_network_interface.test[count.index].id
}
`,
		action: "AssociateEipAddress", n: 1, phase: acctest.Handled,
		want: interruptWant{enis: 2, eips: 2, tag: "associate"},
	},
	// The destroy of testAccInterruptFull: the detach has been made (the
	// ENI is Detaching) ...
	{
		name:  "destroyDetach",
		setup: testAccInterruptFull, config: testAccInterruptFull, destroy: true,
		action: "DetachNetworkInterface", n: 1, phase: acctest.Handled,
		want: testAccInterruptFullWant,
	},
	// ... an unassign has been made (the address goes when the
	// transition ends) ...
	{
		name:  "destroyUnassign",
		setup: testAccInterruptFull, config: testAccInterruptFull, destroy: true,
		action: "UnassignPrivateIpAddresses", n: 1, phase: acctest.Handled,
		want: testAccInterruptFullWant,
	},
	// ... the unassociate has been made (the EIP is Unassociating).
	{
		name:  "destroyUnassociate",
		setup: testAccInterruptFull, config: testAccInterruptFull, destroy: true,
		action: "UnassociateEipAddress", n: 1, phase: acctest.Handled,
		want: testAccInterruptFullWant,
	},
	// i-mockburst's type has no ENI hot swap: the attach stops it, attaches
	// and starts it again. The interrupt comes while it is Stopped, as the
	// attach arrives; the interrupted run must start it again.
	{
		name:   "stoppedForAttach",
		config: testAccInterruptBurst,
		action: "AttachNetworkInterface", n: 1, phase: acctest.Received,
		want:           testAccInterruptBurstWant,
		afterInterrupt: testAccInterruptBurstRunning,
	},
	// The stop has been made (the instance is Stopping).
	{
		name:   "stopping",
		config: testAccInterruptBurst,
		action: "StopInstance", n: 1, phase: acctest.Handled,
		want:           testAccInterruptBurstWant,
		afterInterrupt: testAccInterruptBurstRunning,
	},
	// The destroy stops the instance to detach: the interrupt comes while
	// it is Stopped, as the detach arrives.
	{
		name:  "stoppedForDetach",
		setup: testAccInterruptBurst, config: testAccInterruptBurst, destroy: true,
		action: "DetachNetworkInterface", n: 1, phase: acctest.Received,
		want:           testAccInterruptBurstWant,
		afterInterrupt: testAccInterruptBurstRunning,
	},
	// Killed (SIGKILL: no guarantee) while i-mockburst is stopped for an
	// attach, which the emulator still makes: the stop marker stays on
	// the instance, the next plan warns about it and the next apply
	// starts the instance and takes over the attachment.
	{
		name:  "killedWhileStopped",
		setup: testAccInterruptENIs(1, "stop"), config: testAccInterruptBurst, kill: true,
		action: "AttachNetworkInterface", n: 1, phase: acctest.Received,
		want: testAccInterruptBurstWant,
		afterInterrupt: func(c *acctest.Census) error {
			if s := c.Instances["i-mockburst"]; s != domain.InstanceStatusStopped {
				return fmt.Errorf("i-mockburst is %s, want Stopped: no run was left to start it", s)
			}
			if _, ok := c.InstanceTags["i-mockburst"][cloud.StopMarkKey]; !ok {
				return fmt.Errorf("i-mockburst has no stop marker (%s): tags %v", cloud.StopMarkKey, c.InstanceTags["i-mockburst"])
			}
			return nil
		},
		warn: "Instance i-mockburst was left stopped by an interrupted run",
	},
}

func TestAccInterrupt(t *testing.T) {
	acctest.PrepareTerraformCLI(t)
	t.Parallel()
	slots := make(chan struct{}, interruptConcurrency)
	var wg sync.WaitGroup
	for _, tc := range interruptCases {
		wg.Add(1)
		go func() {
			defer wg.Done()
			slots <- struct{}{}
			defer func() { <-slots }()
			t.Run(tc.name, func(t *testing.T) { testAccInterrupt(t, tc) })
		}()
	}
	wg.Wait()
}
