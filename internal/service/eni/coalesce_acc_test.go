package eni_test

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/openeni/terraform-provider-eni/internal/acctest"
	"github.com/openeni/terraform-provider-eni/internal/mockcloud"
)

// testAccCoalesceConfig is 20 ENIs, the first 10 attached two to an
// instance of testAccCoalesceSeed.
const testAccCoalesceConfig = `
locals {
  instances = ["i-co1", "i-co2", "i-co3", "i-co4", "i-co5"]
}

resource "eni_network_interface" "test" {
  count              = 20
  vswitch_id         = "vsw-mockh"
  security_group_ids = ["sg-mockweb"]
}

resource "eni_network_interface_attachment" "test" {
  count                = 10
  network_interface_id = eni_network_interface.test[count.index].id
  instance_id          = local.instances[count.index % 5]
}
`

// testAccCoalesceResources is how many resources the configuration has.
const testAccCoalesceResources = 30

// testAccCoalesceSeed adds five instances with room for three secondary
// ENIs each.
func testAccCoalesceSeed() *mockcloud.Seed {
	s := mockcloud.DefaultSeed()
	for i := 1; i <= 5; i++ {
		s.Instances = append(s.Instances, mockcloud.SeedInstance{
			InstanceID: fmt.Sprintf("i-co%d", i), InstanceType: "ecs.g7.xlarge", VSwitchID: "vsw-mockh",
			SecurityGroupIDs: []string{"sg-mockweb"}, Status: "Running",
		})
	}
	return s
}

// The reads of a walk share batched calls: a no-op plan of 30 resources
// makes a handful of DescribeNetworkInterfaces calls with coalescing on,
// one per resource with it off (ENI_COALESCE_READS=false). The calls of
// each phase are logged, on and off, for the figures of issue 12.
func TestAccCoalesce_callCounts(t *testing.T) {
	acctest.PrepareTerraformCLI(t)
	plans := map[string]mockcloud.Stats{}
	for _, mode := range []string{"on", "off"} {
		t.Run(mode, func(t *testing.T) {
			b, _ := acctest.NewCLIBackend(t, acctest.CLIOptions{Seed: testAccCoalesceSeed(), TransitionDelay: testAccCoalesceDelay})
			tf := acctest.NewTerraform(t, b, testAccCoalesceConfig)
			if mode == "off" {
				tf.Setenv("ENI_COALESCE_READS", "false")
			}
			phase := func(name string, run func() *acctest.Run, wantExit int) mockcloud.Stats {
				b.Mock.ResetStats()
				r := run()
				if r.Err != nil || r.ExitCode != wantExit {
					t.Fatalf("%s: %s", name, r)
				}
				st := b.Mock.Stats()
				t.Logf("coalescing %s, %s: %d calls (%.2f per resource), %d mutating, %s: %s", mode, name, st.Total,
					float64(st.Total)/testAccCoalesceResources, st.Mutating, r.Duration.Round(10*time.Millisecond), testAccFormatActions(st.Actions))
				return st
			}
			phase("apply", tf.Apply, 0)
			plans[mode] = phase("no-op plan", tf.Plan, 0)
			phase("destroy", tf.Destroy, 0)
		})
	}
	on, off := plans["on"], plans["off"]
	if t.Failed() {
		return
	}
	// Terraform refreshes 10 resources at a time (its default parallelism).
	// The first reads share batches; once 10 ENIs of the VPC were read
	// one by one, one listing serves the rest, and every later read of
	// the walk (attachments, plan checks) is served from what was read.
	// 5 calls measured on an idle machine; the worst case, every read
	// before the listing alone (10) plus one per instance (5) plus the
	// listing, is 16. One call per resource, the regression this guards
	// against, is 40.
	const maxOn = 16
	if got := on.Actions["DescribeNetworkInterfaces"]; on.Total > maxOn {
		t.Errorf("coalescing on: a no-op plan of %d resources made %d calls, %d of them DescribeNetworkInterfaces; want at most %d",
			testAccCoalesceResources, on.Total, got, maxOn)
	}
	if got := off.Actions["DescribeNetworkInterfaces"]; got < testAccCoalesceResources {
		t.Errorf("coalescing off: a no-op plan made %d DescribeNetworkInterfaces calls, want one per resource (%d)", got, testAccCoalesceResources)
	}
}

// testAccCoalesceDelay is the emulator's transition delay in
// TestAccCoalesce_callCounts: long enough that waiters poll.
const testAccCoalesceDelay = 200 * time.Millisecond

func testAccFormatActions(actions map[string]int64) string {
	var parts []string
	for _, a := range slices.Sorted(maps.Keys(actions)) {
		parts = append(parts, fmt.Sprintf("%s=%d", a, actions[a]))
	}
	return strings.Join(parts, " ")
}

// testAccScaleConfig is issue 12's configuration B: 100 ENIs, their 200
// secondary IPs as eni_private_ip, and 40 attachments over 10 instances.
const testAccScaleConfig = `
resource "eni_network_interface" "test" {
  count              = 100
  vswitch_id         = "vsw-scale"
  security_group_ids = ["sg-scale"]
}

resource "eni_private_ip" "test" {
  count                = 200
  network_interface_id = eni_network_interface.test[floor(count.index / 2)].id
}

resource "eni_network_interface_attachment" "test" {
  count                = 40
  network_interface_id = eni_network_interface.test[count.index].id
  instance_id          = format("i-scale%02d", count.index % 10)
}
`

const testAccScaleResources = 340

// testAccScaleSeed is a VPC of its own with a /20 vSwitch and 10 instances
// of a hot-swap type with room for 5 secondary ENIs each.
func testAccScaleSeed() *mockcloud.Seed {
	s := mockcloud.DefaultSeed()
	hot := true
	s.VPCs = append(s.VPCs, mockcloud.SeedVPC{VPCID: "vpc-scale", CIDRBlock: "172.16.0.0/12"})
	s.VSwitches = append(s.VSwitches, mockcloud.SeedVSwitch{VSwitchID: "vsw-scale", VPCID: "vpc-scale",
		ZoneID: "cn-hangzhou-h", CIDRBlock: "172.16.0.0/20"})
	s.SecurityGroups = append(s.SecurityGroups, mockcloud.SeedSecurityGroup{SecurityGroupID: "sg-scale", VPCID: "vpc-scale"})
	s.InstanceTypes = append(s.InstanceTypes, mockcloud.SeedInstanceType{InstanceTypeID: "ecs.scale.hot",
		ENIQuantity: 6, ENIPrivateIPAddressQuantity: 10, HotSwap: &hot})
	for i := range 10 {
		s.Instances = append(s.Instances, mockcloud.SeedInstance{InstanceID: fmt.Sprintf("i-scale%02d", i),
			InstanceType: "ecs.scale.hot", VSwitchID: "vsw-scale", SecurityGroupIDs: []string{"sg-scale"}, Status: "Running"})
	}
	s.Quotas.MaxNetworkInterfaces = 1000
	return s
}

// Issue 12's bounds at scale, through the real terraform binary: a no-op
// plan of 340 resources makes at most 0.05 calls per resource (17), at
// Terraform's default parallelism and at 50, and apply and destroy at
// most 1.5 calls per resource, mutating calls included. Transitions take
// testAccCoalesceDelay, as in bench/refresh-calls.sh, so that waiters
// poll: the bench measured 1.36 and 1.30 calls per resource for apply and
// destroy (1.44 and 1.46 with transitions that take no time, where every
// wait ends at its first poll and fewer share one).
func TestAccCoalesce_refreshAtScale(t *testing.T) {
	acctest.PrepareTerraformCLI(t)
	b, _ := acctest.NewCLIBackend(t, acctest.CLIOptions{Seed: testAccScaleSeed(), TransitionDelay: testAccCoalesceDelay})
	tf := acctest.NewTerraform(t, b, testAccScaleConfig)
	phase := func(name string, limit float64, wantExit int, args ...string) {
		b.Mock.ResetStats()
		r := tf.Run(args...)
		if r.Err != nil || r.ExitCode != wantExit {
			t.Fatalf("%s: %s", name, r)
		}
		st := b.Mock.Stats()
		perResource := float64(st.Total) / testAccScaleResources
		t.Logf("%s: %d calls (%.3f per resource), %d mutating, %s: %s", name, st.Total, perResource, st.Mutating,
			r.Duration.Round(10*time.Millisecond), testAccFormatActions(st.Actions))
		if perResource > limit {
			t.Errorf("%s: %d calls for %d resources, %.3f per resource; want at most %.2f",
				name, st.Total, testAccScaleResources, perResource, limit)
		}
	}
	phase("apply", 1.5, 0, "apply", "-auto-approve", "-input=false", "-no-color")
	phase("no-op plan", 0.05, 0, "plan", "-detailed-exitcode", "-input=false", "-no-color")
	phase("no-op plan -parallelism=50", 0.05, 0, "plan", "-detailed-exitcode", "-input=false", "-no-color", "-parallelism=50")
	phase("destroy", 1.5, 0, "destroy", "-auto-approve", "-input=false", "-no-color")
}
