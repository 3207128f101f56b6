package eni_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/openeni/terraform-provider-eni/internal/acctest"
	"github.com/openeni/terraform-provider-eni/internal/cloud"
	"github.com/openeni/terraform-provider-eni/internal/domain"
	"github.com/openeni/terraform-provider-eni/internal/mockcloud"
)

// Fault acceptance tests: whole configurations applied, planned again and
// destroyed while the emulator throttles, fails, hides new ENIs and loses
// replies (the action takes full effect and the client gets no answer).
// A lost reply is not a failure: the retry of a mutating call that meets
// "already done" must converge. Every test asserts 0 failures, 0 leaks
// (CheckSeeded after destroy) and 0 duplicates (exactly the configured
// ENIs and addresses after apply).
//
// They name objects of the emulator's seed, so they run against the
// emulator only.

// faultsAll is the mix: 15% lost replies on top of the existing
// throttling, server errors and eventual consistency.
var faultsAll = mockcloud.Faults{
	LostReplyRate:          0.15,
	ThrottleRate:           0.2,
	ErrorRate:              0.05,
	InvisibleAfterCreateMS: 300,
}

// faultsLostOnly loses three replies in ten, and nothing else, so that
// most mutating actions of a small configuration meet a lost reply, on the
// first call or on a retry. (At one in two, runs of lost replies grow the
// client's exponential backoff to seconds too often for the time budget.)
var faultsLostOnly = mockcloud.Faults{LostReplyRate: 0.3}

// faultMaxRetries is the provider's max_retries in these tests. Under
// faultsAll about 35% of attempts fail (throttled, 5xx or reply lost): the
// default 8 retries would run out on about one call in 11,000, and with
// thousands of calls per run fail a run now and then for the fault rate
// alone, which is not what these tests are about. With 20 retries a call
// gives up about once in three billion.
const faultMaxRetries = 20

// faultEnv turns one test's faults on, and off around the test's own
// reads of the emulator, so that its checks see the cloud as it is (no
// hidden new ENIs, no spent retries) while Terraform's apply, plan,
// refresh and destroy all run under the faults.
type faultEnv struct {
	b      *acctest.Backend
	faults mockcloud.Faults
	quiets uint64
}

// newFaultEnv turns the faults on with seed; when the test ends it logs
// the calls the emulator counted, to show how many retries they took.
func newFaultEnv(t *testing.T, b *acctest.Backend, f mockcloud.Faults, seed uint64) *faultEnv {
	t.Helper()
	f.Seed = seed
	e := &faultEnv{b: b, faults: f}
	e.on()
	t.Cleanup(func() {
		st := b.Mock.Stats()
		var mutating []string
		for action, n := range st.Actions {
			if strings.HasPrefix(action, "Describe") || strings.HasPrefix(action, "List") {
				continue
			}
			mutating = append(mutating, fmt.Sprintf("%s %d", action, n))
		}
		slices.Sort(mutating)
		t.Logf("faults %+v: %d API calls, %d mutating: %s", f, st.Total, st.Mutating, strings.Join(mutating, ", "))
	})
	return e
}

func (e *faultEnv) on() { e.b.Mock.SetFaults(e.faults) }

// quiet runs checks with the faults off, then turns them back on with a
// fresh random sequence (a restart from the same seed would replay the
// same faults on the calls that follow).
func (e *faultEnv) quiet(checks ...resource.TestCheckFunc) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		e.b.Mock.SetFaults(mockcloud.Faults{})
		defer func() {
			e.quiets++
			f := e.faults
			f.Seed = e.faults.Seed*1_000_003 + e.quiets
			e.b.Mock.SetFaults(f)
		}()
		return resource.ComposeAggregateTestCheckFunc(checks...)(s)
	}
}

// config is the provider block with faultMaxRetries and the parts.
func (e *faultEnv) config(parts ...string) string {
	const open = "provider \"eni\" {\n"
	p := e.b.ProviderConfig()
	if !strings.HasPrefix(p, open) {
		panic("unexpected provider block: " + p)
	}
	p = open + fmt.Sprintf("  max_retries = %d\n", faultMaxRetries) + strings.TrimPrefix(p, open)
	return p + "\n" + strings.Join(parts, "\n")
}

// faultsFullConfig has every resource type and two data sources:
//   - counted: secondary_private_ip_count = 2, attached to i-mockweb1
//     (hot swap), eip-mock1 on its primary IP;
//   - listed: fixed primary and secondary_private_ips, bound to
//     i-mockweb2 by its own attachment block;
//   - bare: no secondary IP arguments, attached to i-mockburst, whose type
//     has no hot swap (stop_instance_if_required), with an eni_private_ip
//     the cloud picks and eip-mock2 on it;
//   - pool: bare and unattached in the other zone, with a fixed
//     eni_private_ip and eip-mock3 on it.
const faultsFullConfig = `
resource "eni_network_interface" "counted" {
  vswitch_id                 = "vsw-mockh"
  security_group_ids         = ["sg-mockweb"]
  name                       = "faults-counted"
  secondary_private_ip_count = 2
  tags = {
    suite = "faults"
  }
}

resource "eni_network_interface" "listed" {
  vswitch_id            = "vsw-mockh"
  security_group_ids    = ["sg-mockweb"]
  primary_ip_address    = "10.1.0.150"
  secondary_private_ips = ["10.1.0.151", "10.1.0.152"]

  attachment {
    instance_id = "i-mockweb2"
  }
}

resource "eni_network_interface" "bare" {
  vswitch_id         = "vsw-mockh"
  security_group_ids = ["sg-mockweb"]
}

resource "eni_network_interface" "pool" {
  vswitch_id         = "vsw-mocki"
  security_group_ids = ["sg-mockdb"]
  description        = "Pool of the fault tests"
}

resource "eni_network_interface_attachment" "counted" {
  network_interface_id = eni_network_interface.counted.id
  instance_id          = "i-mockweb1"
}

resource "eni_network_interface_attachment" "bare" {
  network_interface_id      = eni_network_interface.bare.id
  instance_id               = "i-mockburst"
  stop_instance_if_required = true
}

resource "eni_private_ip" "auto" {
  network_interface_id = eni_network_interface.bare.id
}

resource "eni_private_ip" "fixed" {
  network_interface_id = eni_network_interface.pool.id
  ip_address           = "10.2.0.150"
}

resource "eni_eip_association" "primary" {
  allocation_id        = "eip-mock1"
  network_interface_id = eni_network_interface.counted.id
}

resource "eni_eip_association" "auto" {
  allocation_id        = "eip-mock2"
  network_interface_id = eni_network_interface.bare.id
  private_ip_address   = eni_private_ip.auto.ip_address
}

resource "eni_eip_association" "fixed" {
  allocation_id        = "eip-mock3"
  network_interface_id = eni_network_interface.pool.id
  private_ip_address   = eni_private_ip.fixed.ip_address
}

data "eni_instance_type" "burst" {
  instance_type_id = "ecs.t6-c1m2.large"
}

data "eni_network_interface" "web1_primary" {
  instance_id = "i-mockweb1"
  type        = "Primary"
}
`

// TestAccFaults_allResources applies faultsFullConfig, plans it again and
// destroys it under faultsAll, once per seed, the seeds in parallel. The
// clean plan is the testing framework's own check after every apply step:
// it plans from the state the apply left and again after a refresh, with
// the faults on, and fails on any change (ExpectNonEmptyPlan is false).
// A separate PlanOnly step would only repeat those two plans.
func TestAccFaults_allResources(t *testing.T) {
	t.Parallel()
	for seed := uint64(1); seed <= 3; seed++ {
		t.Run(fmt.Sprintf("seed%d", seed), func(t *testing.T) {
			b := acctest.NewEmulatorBackend(t, nil)
			seeded := b.SnapshotSeeded(t)
			free := faultFreeAddresses(t, b)
			e := newFaultEnv(t, b, faultsAll, seed)
			config := e.config(faultsFullConfig)
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.ProviderFactories,
				CheckDestroy: e.quiet(
					b.CheckSeeded(seeded),
					faultCheckInstancesRunning(b, "i-mockweb1", "i-mockweb2", "i-mockburst"),
				),
				Steps: []resource.TestStep{
					{
						Config: config,
						ConfigStateChecks: []statecheck.StateCheck{
							statecheck.ExpectKnownValue("data.eni_instance_type.burst", tfjsonpath.New("hot_swap_supported"), knownvalue.Bool(false)),
							statecheck.ExpectKnownValue("data.eni_network_interface.web1_primary", tfjsonpath.New("instance_id"), knownvalue.StringExact("i-mockweb1")),
							statecheck.ExpectKnownValue("eni_network_interface_attachment.bare", tfjsonpath.New("status"), knownvalue.StringExact("InUse")),
						},
						Check: e.quiet(
							faultCheckENICount(b, 4),
							faultCheckFreeAddresses(b, free, map[string]int64{"vsw-mockh": 8, "vsw-mocki": 2}),
							faultCheckENI(b, "eni_network_interface.counted", "i-mockweb1", 3),
							faultCheckENI(b, "eni_network_interface.listed", "i-mockweb2", 3, "10.1.0.150", "10.1.0.151", "10.1.0.152"),
							faultCheckENI(b, "eni_network_interface.bare", "i-mockburst", 2),
							faultCheckENI(b, "eni_network_interface.pool", "", 2, "10.2.0.150"),
							testAccCheckPrivateIPOnENI(b, "eni_private_ip.auto"),
							testAccCheckPrivateIPOnENI(b, "eni_private_ip.fixed"),
							faultCheckEIP(b, "eip-mock1", "eni_eip_association.primary"),
							faultCheckEIP(b, "eip-mock2", "eni_eip_association.auto"),
							faultCheckEIP(b, "eip-mock3", "eni_eip_association.fixed"),
							faultCheckEIPFree(b, "eip-mock4"),
							faultCheckInstancesRunning(b, "i-mockweb1", "i-mockweb2", "i-mockburst"),
						),
					},
				},
			})
		})
	}
}

// The focused tests: one small configuration per resource type under
// faultsLostOnly, created, changed where the resource changes in place,
// planned again (the framework's check after each apply) and destroyed.

// An ENI with a secondary IP count and one with a list of addresses,
// created, then updated in place: an address assigned by count, one
// assigned by address and one unassigned, and a new name.
func TestAccFaults_lostReplyNetworkInterface(t *testing.T) {
	b := acctest.NewEmulatorBackend(t, nil)
	seeded := b.SnapshotSeeded(t)
	free := faultFreeAddresses(t, b)
	e := newFaultEnv(t, b, faultsLostOnly, 11)
	config := func(name string, count int, ips string) string {
		return e.config(fmt.Sprintf(`
resource "eni_network_interface" "counted" {
  vswitch_id                 = "vsw-mockh"
  security_group_ids         = ["sg-mockweb"]
  name                       = %q
  secondary_private_ip_count = %d
}

resource "eni_network_interface" "listed" {
  vswitch_id            = "vsw-mockh"
  security_group_ids    = ["sg-mockweb"]
  secondary_private_ips = [%s]
}
`, name, count, ips))
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             e.quiet(b.CheckSeeded(seeded)),
		Steps: []resource.TestStep{
			{
				Config: config("lost-a", 2, `"10.1.0.160", "10.1.0.161"`),
				Check: e.quiet(
					faultCheckENICount(b, 2),
					faultCheckFreeAddresses(b, free, map[string]int64{"vsw-mockh": 6}),
					faultCheckENI(b, "eni_network_interface.counted", "", 3),
					faultCheckENI(b, "eni_network_interface.listed", "", 3, "10.1.0.160", "10.1.0.161"),
				),
			},
			{
				Config: config("lost-b", 3, `"10.1.0.161", "10.1.0.162"`),
				Check: e.quiet(
					faultCheckENICount(b, 2),
					faultCheckFreeAddresses(b, free, map[string]int64{"vsw-mockh": 7}),
					faultCheckENI(b, "eni_network_interface.counted", "", 4),
					faultCheckENI(b, "eni_network_interface.listed", "", 3, "10.1.0.161", "10.1.0.162"),
					resource.TestCheckResourceAttr("eni_network_interface.counted", "name", "lost-b"),
				),
			},
		},
	})
}

// Attach and detach with hot swap, a move between instances, and attach
// and detach on an instance that must be stopped and started again.
func TestAccFaults_lostReplyAttachment(t *testing.T) {
	b := acctest.NewEmulatorBackend(t, nil)
	seeded := b.SnapshotSeeded(t)
	e := newFaultEnv(t, b, faultsLostOnly, 12)
	config := func(instance string) string {
		return e.config(fmt.Sprintf(`
resource "eni_network_interface" "hot" {
  vswitch_id         = "vsw-mockh"
  security_group_ids = ["sg-mockweb"]
}

resource "eni_network_interface" "cold" {
  vswitch_id         = "vsw-mockh"
  security_group_ids = ["sg-mockweb"]
}

resource "eni_network_interface_attachment" "hot" {
  network_interface_id = eni_network_interface.hot.id
  instance_id          = %q
}

resource "eni_network_interface_attachment" "cold" {
  network_interface_id      = eni_network_interface.cold.id
  instance_id               = "i-mockburst"
  stop_instance_if_required = true
}
`, instance))
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy: e.quiet(
			b.CheckSeeded(seeded),
			faultCheckInstancesRunning(b, "i-mockweb1", "i-mockweb2", "i-mockburst"),
		),
		Steps: []resource.TestStep{
			{
				Config: config("i-mockweb1"),
				Check: e.quiet(
					faultCheckENICount(b, 2),
					faultCheckENI(b, "eni_network_interface.hot", "i-mockweb1", 1),
					faultCheckENI(b, "eni_network_interface.cold", "i-mockburst", 1),
					faultCheckInstancesRunning(b, "i-mockburst"),
				),
			},
			{
				Config: config("i-mockweb2"),
				Check: e.quiet(
					faultCheckENICount(b, 2),
					faultCheckENI(b, "eni_network_interface.hot", "i-mockweb2", 1),
					faultCheckENI(b, "eni_network_interface.cold", "i-mockburst", 1),
				),
			},
		},
	})
}

// eni_private_ip, one fixed and one picked by the cloud, and
// eni_eip_association on the ENI's primary IP and on the picked address.
func TestAccFaults_lostReplyPrivateIPAndEIP(t *testing.T) {
	b := acctest.NewEmulatorBackend(t, nil)
	seeded := b.SnapshotSeeded(t)
	free := faultFreeAddresses(t, b)
	e := newFaultEnv(t, b, faultsLostOnly, 13)
	config := e.config(`
resource "eni_network_interface" "test" {
  vswitch_id         = "vsw-mockh"
  security_group_ids = ["sg-mockweb"]
}

resource "eni_private_ip" "fixed" {
  network_interface_id = eni_network_interface.test.id
  ip_address           = "10.1.0.170"
}

resource "eni_private_ip" "auto" {
  network_interface_id = eni_network_interface.test.id
}

resource "eni_eip_association" "primary" {
  allocation_id        = "eip-mock1"
  network_interface_id = eni_network_interface.test.id
}

resource "eni_eip_association" "secondary" {
  allocation_id        = "eip-mock2"
  network_interface_id = eni_network_interface.test.id
  private_ip_address   = eni_private_ip.auto.ip_address
}
`)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             e.quiet(b.CheckSeeded(seeded)),
		Steps: []resource.TestStep{{
			Config: config,
			Check: e.quiet(
				faultCheckENICount(b, 1),
				faultCheckFreeAddresses(b, free, map[string]int64{"vsw-mockh": 3}),
				faultCheckENI(b, eniAddr, "", 3, "10.1.0.170"),
				testAccCheckPrivateIPOnENI(b, "eni_private_ip.fixed"),
				testAccCheckPrivateIPOnENI(b, "eni_private_ip.auto"),
				faultCheckEIP(b, "eip-mock1", "eni_eip_association.primary"),
				faultCheckEIP(b, "eip-mock2", "eni_eip_association.secondary"),
				faultCheckEIPFree(b, "eip-mock3"),
			),
		}},
	})
}

// --- checks ---------------------------------------------------------------

// faultFreeAddresses reads each vSwitch's free address count.
func faultFreeAddresses(t *testing.T, b *acctest.Backend) map[string]int64 {
	t.Helper()
	free, err := faultReadFree(b)
	if err != nil {
		t.Fatal(err)
	}
	return free
}

func faultReadFree(b *acctest.Backend) (map[string]int64, error) {
	req := vpc.CreateDescribeVSwitchesRequest()
	req.PageSize = "50"
	resp, err := b.Client.DescribeVSwitches(context.Background(), req)
	if err != nil {
		return nil, err
	}
	free := map[string]int64{}
	for _, v := range resp.VSwitches.VSwitch {
		free[v.VSwitchId] = v.AvailableIpAddressCount
	}
	return free, nil
}

// faultCheckFreeAddresses checks that exactly used addresses of each
// vSwitch are taken since before: none leaked, none assigned twice.
func faultCheckFreeAddresses(b *acctest.Backend, before, used map[string]int64) resource.TestCheckFunc {
	return func(*terraform.State) error {
		now, err := faultReadFree(b)
		if err != nil {
			return err
		}
		for id, n := range before {
			if got := before[id] - now[id]; got != used[id] {
				return fmt.Errorf("vSwitch %s: %d addresses taken since the start (%d free, %d before), want %d", id, got, now[id], n, used[id])
			}
		}
		return nil
	}
}

// faultCheckENICount checks that the cloud holds exactly the seed's
// primary ENIs and the want ENIs in state: a create whose reply was lost
// was not made twice.
func faultCheckENICount(b *acctest.Backend, want int) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		enis, err := b.Client.FindNetworkInterfaces(context.Background(), nil)
		if err != nil {
			return err
		}
		var primaries int
		var secondary, inState []string
		for _, eni := range enis {
			if eni.Type == domain.ENITypePrimary {
				primaries++
			} else {
				secondary = append(secondary, eni.NetworkInterfaceId)
			}
		}
		for key, rs := range s.RootModule().Resources {
			if rs.Type == "eni_network_interface" && !strings.HasPrefix(key, "data.") {
				inState = append(inState, rs.Primary.ID)
			}
		}
		slices.Sort(secondary)
		slices.Sort(inState)
		if len(inState) != want || !slices.Equal(secondary, inState) {
			return fmt.Errorf("the cloud holds %d secondary network interfaces %v, want the %d of the configuration, in state %v",
				len(secondary), secondary, want, inState)
		}
		if seeded := len(mockcloud.DefaultSeed().Instances); primaries != seeded || len(enis) != seeded+want {
			return fmt.Errorf("the cloud holds %d network interfaces, %d of them primary; want %d and %d", len(enis), primaries, seeded+want, seeded)
		}
		return nil
	}
}

// faultCheckENI reads the ENI of addr: bound to instanceID (or Available
// and unbound when it is ""), holding exactly ips private IPs, among them
// the given ones.
func faultCheckENI(b *acctest.Backend, addr, instanceID string, ips int, has ...string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		rs, ok := s.RootModule().Resources[addr]
		if !ok {
			return fmt.Errorf("%s not in state", addr)
		}
		eni, err := b.Client.FindNetworkInterfaceByID(context.Background(), rs.Primary.ID)
		if err != nil {
			return err
		}
		want := domain.ENIStatusInUse
		if instanceID == "" {
			want = domain.ENIStatusAvailable
		}
		if got := cloud.AttachedInstanceID(eni); got != instanceID || eni.Status != want {
			return fmt.Errorf("%s (%s) is %s on %q, want %s on %q", addr, eni.NetworkInterfaceId, eni.Status, got, want, instanceID)
		}
		got := cloud.PrivateIPs(eni)
		if len(got) != ips {
			return fmt.Errorf("%s (%s) holds private IPs %v, want %d", addr, eni.NetworkInterfaceId, got, ips)
		}
		for _, ip := range has {
			if !slices.Contains(got, ip) {
				return fmt.Errorf("%s (%s) holds private IPs %v, without %s", addr, eni.NetworkInterfaceId, got, ip)
			}
		}
		return nil
	}
}

// faultCheckEIP checks that an EIP is InUse exactly where the association
// in state says.
func faultCheckEIP(b *acctest.Backend, allocationID, addr string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		rs, ok := s.RootModule().Resources[addr]
		if !ok {
			return fmt.Errorf("%s not in state", addr)
		}
		attrs := rs.Primary.Attributes
		eip, err := b.Client.FindEIPByAllocationID(context.Background(), allocationID)
		if err != nil {
			return err
		}
		if eip.Status != domain.EIPStatusInUse || eip.InstanceType != cloud.EIPTargetNetworkInterface ||
			eip.InstanceId != attrs["network_interface_id"] || eip.PrivateIpAddress != attrs["private_ip_address"] {
			return fmt.Errorf("EIP %s is %s on %s %s (%s), want InUse on NetworkInterface %s (%s)", allocationID,
				eip.Status, eip.InstanceType, eip.InstanceId, eip.PrivateIpAddress, attrs["network_interface_id"], attrs["private_ip_address"])
		}
		if rs.Primary.ID != allocationID+":"+attrs["network_interface_id"] {
			return fmt.Errorf("%s has ID %q", addr, rs.Primary.ID)
		}
		return nil
	}
}

func faultCheckEIPFree(b *acctest.Backend, allocationID string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		eip, err := b.Client.FindEIPByAllocationID(context.Background(), allocationID)
		if err != nil {
			return err
		}
		if eip.Status != domain.EIPStatusAvailable {
			return fmt.Errorf("EIP %s is %s on %q, want Available", allocationID, eip.Status, eip.InstanceId)
		}
		return nil
	}
}

// faultCheckInstancesRunning checks that every instance is Running: a
// stop or start whose reply was lost left none Stopped.
func faultCheckInstancesRunning(b *acctest.Backend, instanceIDs ...string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		for _, id := range instanceIDs {
			inst, err := b.Client.FindInstanceByID(context.Background(), id)
			if err != nil {
				return err
			}
			if inst.Status != domain.InstanceStatusRunning {
				return fmt.Errorf("instance %s is %s, want Running", id, inst.Status)
			}
		}
		return nil
	}
}
