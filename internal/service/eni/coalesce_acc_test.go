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
	// Terraform refreshes 10 resources at a time (its default parallelism):
	// 30 reads in a few batches. How the reads fall into 10 ms windows
	// depends on the machine: 7 calls measured on an idle one, 15 while
	// another Terraform run loaded both cores. One call per resource, the
	// regression this guards against, is 40; the bound sits between.
	const maxOn = 20
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
