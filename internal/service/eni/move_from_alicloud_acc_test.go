//go:build unix

package eni_test

import (
	"cmp"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"

	"github.com/openeni/terraform-provider-eni/internal/acctest"
	"github.com/openeni/terraform-provider-eni/internal/cloud"
	"github.com/openeni/terraform-provider-eni/internal/domain"
)

// Moving from the official alicloud provider with `moved` blocks, through
// the terraform binary: objects made in the emulator, a prior state in
// that provider's format, and a configuration that moves them to eni_*.

// alicloudProvider is how that provider's resources name it in state.
const alicloudProvider = `provider["registry.terraform.io/aliyun/alicloud"]`

// alicloudResource is one resource of a prior state written by the
// alicloud provider (terraform-plugin-sdk v2, schema version 0).
type alicloudResource struct {
	Type, Name string
	Provider   string // alicloudProvider when empty
	Version    int
	Attributes map[string]any
}

// alicloudState is a terraform.tfstate (format 4) holding resources.
func alicloudState(t *testing.T, resources ...alicloudResource) []byte {
	t.Helper()
	// What terraform-plugin-sdk keeps in private: the timeouts and the
	// schema version.
	private := base64.StdEncoding.EncodeToString([]byte(`{"e2bfb730-ecaa-11e6-8f88-34363bc7c4c0":{"create":120000000000,"delete":60000000000},"schema_version":"0"}`))
	var list []map[string]any
	for _, r := range resources {
		provider := cmp.Or(r.Provider, alicloudProvider)
		attrs := map[string]any{"timeouts": nil}
		for k, v := range r.Attributes {
			attrs[k] = v
		}
		list = append(list, map[string]any{
			"mode": "managed", "type": r.Type, "name": r.Name, "provider": provider,
			"instances": []map[string]any{{"schema_version": r.Version, "attributes": attrs,
				"sensitive_attributes": []any{}, "private": private}},
		})
	}
	b, err := json.MarshalIndent(map[string]any{"version": 4, "terraform_version": "1.11.0", "serial": 7,
		"lineage": "5b0b7c0e-2d4e-4f36-9d3c-7a1e8c0f1a2b", "outputs": map[string]any{}, "resources": list,
		"check_results": nil}, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// alicloudENIAttributes are the attributes the alicloud provider's Read
// records for an ENI: every one, deprecated twins included, and both the
// secondary IP count and the addresses.
func alicloudENIAttributes(t *testing.T, b *acctest.Backend, id string) map[string]any {
	t.Helper()
	e, err := b.Client.FindNetworkInterfaceByID(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	secondary := []string{}
	for _, s := range e.PrivateIpSets.PrivateIpSet {
		if !s.Primary {
			secondary = append(secondary, s.PrivateIpAddress)
		}
	}
	tags := map[string]string{}
	for _, tag := range e.Tags.Tag {
		tags[tag.TagKey] = tag.TagValue
	}
	ipv6, prefixes := []string{}, []string{}
	for _, s := range e.Ipv6Sets.Ipv6Set {
		ipv6 = append(ipv6, s.Ipv6Address)
	}
	for _, s := range e.Ipv4PrefixSets.Ipv4PrefixSet {
		prefixes = append(prefixes, s.Ipv4Prefix)
	}
	groups := e.SecurityGroupIds.SecurityGroupId
	return map[string]any{
		"id": e.NetworkInterfaceId, "vswitch_id": e.VSwitchId, "description": e.Description, "mac": e.MacAddress,
		"network_interface_name": e.NetworkInterfaceName, "name": e.NetworkInterfaceName,
		"primary_ip_address": e.PrivateIpAddress, "private_ip": e.PrivateIpAddress,
		"private_ip_addresses": secondary, "private_ips": secondary,
		"secondary_private_ip_address_count": len(secondary), "private_ips_count": len(secondary),
		"queue_number": e.QueueNumber, "resource_group_id": e.ResourceGroupId,
		"security_group_ids": groups, "security_groups": groups, "status": e.Status, "tags": tags,
		"ipv6_addresses": ipv6, "ipv6_address_count": len(ipv6), "ipv4_prefixes": prefixes, "ipv4_prefix_count": len(prefixes),
		"instance_type": e.Type, "network_interface_traffic_mode": e.NetworkInterfaceTrafficMode,
		"source_dest_check": false,
	}
}

// newMoveTerraform is a working directory with the alicloud stand-in
// installed and state as that provider left it.
func newMoveTerraform(t *testing.T, b *acctest.Backend, stub, config string, state []byte) *acctest.Terraform {
	t.Helper()
	tf := acctest.NewTerraform(t, b, config)
	tf.UseAlicloudStub(stub)
	tf.WriteState(state)
	return tf
}

// expectOnlyMoves checks a plan that moves resources and changes nothing
// else: exit code 2 (a move changes state), each move listed, no action.
func expectOnlyMoves(t *testing.T, run *acctest.Run, moves ...string) {
	t.Helper()
	if run.ExitCode != 2 {
		t.Fatalf("the plan of the moves should exit 2 (changes: the moves only):\n%s", run)
	}
	out := run.Output()
	for _, m := range moves {
		from, to, _ := strings.Cut(m, " -> ")
		if !strings.Contains(out, fmt.Sprintf("# %s has moved to %s", from, to)) {
			t.Errorf("the plan does not show %s moving to %s", from, to)
		}
	}
	if !strings.Contains(out, "0 to add, 0 to change, 0 to destroy") {
		t.Errorf("the plan should only move resources:\n%s", run)
	}
	for _, action := range []string{"will be updated", "will be created", "will be destroyed", "must be replaced"} {
		if strings.Contains(out, action) {
			t.Errorf("the plan shows a resource that %s:\n%s", action, run)
		}
	}
}

const testAccMoveConfig = `
moved {
  from = alicloud_ecs_network_interface.web
  to   = eni_network_interface.web
}

moved {
  from = alicloud_network_interface.legacy
  to   = eni_network_interface.legacy
}

moved {
  from = alicloud_ecs_network_interface.dual
  to   = eni_network_interface.dual
}

moved {
  from = alicloud_ecs_network_interface_attachment.web
  to   = eni_network_interface_attachment.web
}

moved {
  from = alicloud_network_interface_attachment.legacy
  to   = eni_network_interface_attachment.legacy
}

moved {
  from = alicloud_eip_association.web
  to   = eni_eip_association.web
}

# Configured with its addresses (private_ip_addresses in alicloud).
resource "eni_network_interface" "web" {
  vswitch_id            = "vsw-mockh"
  security_group_ids    = ["sg-mockweb", "sg-mockdb"]
  name                  = "web-eni"
  description           = "moved from alicloud"
  secondary_private_ips = [%s]
  tags = {
    team = "web"
  }
}

# Configured with a count (secondary_private_ip_address_count in alicloud).
resource "eni_network_interface" "legacy" {
  vswitch_id                 = "vsw-mockh"
  security_group_ids         = ["sg-mockweb"]
  name                       = "legacy-eni"
  secondary_private_ip_count = 2
  queue_number               = 2
}

# Dual-stack, with IPv6 addresses listed and IPv4 prefixes counted.
resource "eni_network_interface" "dual" {
  vswitch_id         = "vsw-mockv6"
  security_group_ids = ["sg-mockweb"]
  ipv6_addresses     = [%s]
  ipv4_prefix_count  = 1
}

resource "eni_network_interface_attachment" "web" {
  network_interface_id = eni_network_interface.web.id
  instance_id          = "i-mockweb1"
}

resource "eni_network_interface_attachment" "legacy" {
  network_interface_id = eni_network_interface.legacy.id
  instance_id          = "i-mockweb2"
}

resource "eni_eip_association" "web" {
  allocation_id        = "eip-mock1"
  network_interface_id = eni_network_interface.web.id
  private_ip_address   = "%s"
}
`

// TestAccMoveFromAlicloud_all moves the five alicloud resource types to
// ours in one plan: two ENIs (one under each name, one configured with
// addresses and one with a count), their attachments and an EIP
// association. The plan only moves; applying it calls nothing; the next
// plan has no changes; the resources then work as ours.
func TestAccMoveFromAlicloud_all(t *testing.T) {
	b, _ := acctest.NewCLIBackend(t, acctest.CLIOptions{})
	web := b.CreateENI(t, "vsw-mockh", "sg-mockweb", func(r *ecs.CreateNetworkInterfaceRequest) {
		r.SecurityGroupIds = &[]string{"sg-mockweb", "sg-mockdb"}
		r.SecurityGroupId = ""
		r.NetworkInterfaceName, r.Description = "web-eni", "moved from alicloud"
		r.SecondaryPrivateIpAddressCount = requests.NewInteger(2)
		r.Tag = &[]ecs.CreateNetworkInterfaceTag{{Key: "team", Value: "web"}}
	})
	legacy := b.CreateENI(t, "vsw-mockh", "sg-mockweb", func(r *ecs.CreateNetworkInterfaceRequest) {
		r.NetworkInterfaceName = "legacy-eni"
		r.SecondaryPrivateIpAddressCount = requests.NewInteger(2)
		r.QueueNumber = requests.NewInteger(2)
	})
	for eni, instance := range map[string]string{web: "i-mockweb1", legacy: "i-mockweb2"} {
		if err := b.AttachENI(eni, instance); err != nil {
			t.Fatal(err)
		}
	}
	dual := b.CreateENI(t, "vsw-mockv6", "sg-mockweb", func(r *ecs.CreateNetworkInterfaceRequest) {
		r.Ipv6AddressCount = requests.NewInteger(2)
		r.Ipv4PrefixCount = requests.NewInteger(1)
	})
	dualAttrs := alicloudENIAttributes(t, b, dual)
	dualIPv6, _ := dualAttrs["ipv6_addresses"].([]string)
	dualPrefixes, _ := dualAttrs["ipv4_prefixes"].([]string)
	if len(dualIPv6) != 2 || len(dualPrefixes) != 1 {
		t.Fatalf("the dual-stack ENI holds %v and %v", dualIPv6, dualPrefixes)
	}
	webAttrs := alicloudENIAttributes(t, b, web)
	webIPs, _ := webAttrs["private_ip_addresses"].([]string)
	if err := b.AssociateEIP("eip-mock1", web, webIPs[0], ""); err != nil {
		t.Fatal(err)
	}
	state := alicloudState(t,
		alicloudResource{Type: "alicloud_ecs_network_interface", Name: "web", Attributes: webAttrs},
		alicloudResource{Type: "alicloud_ecs_network_interface", Name: "dual", Attributes: dualAttrs},
		alicloudResource{Type: "alicloud_network_interface", Name: "legacy", Attributes: alicloudENIAttributes(t, b, legacy)},
		alicloudResource{Type: "alicloud_ecs_network_interface_attachment", Name: "web", Attributes: map[string]any{
			"id": web + ":i-mockweb1", "network_interface_id": web, "instance_id": "i-mockweb1",
			"trunk_network_instance_id": nil, "network_card_index": nil, "wait_for_network_configuration_ready": nil}},
		alicloudResource{Type: "alicloud_network_interface_attachment", Name: "legacy", Attributes: map[string]any{
			"id": legacy + ":i-mockweb2", "network_interface_id": legacy, "instance_id": "i-mockweb2",
			"trunk_network_instance_id": "", "network_card_index": 0, "wait_for_network_configuration_ready": nil}},
		alicloudResource{Type: "alicloud_eip_association", Name: "web", Attributes: map[string]any{
			"id": "eip-mock1:" + web, "allocation_id": "eip-mock1", "instance_id": web, "instance_type": "NetworkInterface",
			"mode": "NAT", "private_ip_address": webIPs[0], "vpc_id": "", "force": nil}},
	)
	config := fmt.Sprintf(testAccMoveConfig, `"`+strings.Join(webIPs, `", "`)+`"`, `"`+strings.Join(dualIPv6, `", "`)+`"`, webIPs[0])
	tf := newMoveTerraform(t, b, acctest.BuildAlicloudStub(t), config, state)
	before := b.MutatingCalls()

	expectOnlyMoves(t, tf.Plan(),
		"alicloud_ecs_network_interface.web -> eni_network_interface.web",
		"alicloud_network_interface.legacy -> eni_network_interface.legacy",
		"alicloud_ecs_network_interface.dual -> eni_network_interface.dual",
		"alicloud_ecs_network_interface_attachment.web -> eni_network_interface_attachment.web",
		"alicloud_network_interface_attachment.legacy -> eni_network_interface_attachment.legacy",
		"alicloud_eip_association.web -> eni_eip_association.web")
	if run := tf.Apply(); run.Failed() {
		t.Fatalf("applying the moves: %s", run)
	}
	if run := tf.Plan(); run.ExitCode != 0 {
		t.Fatalf("the plan after the moves should have no changes (exit 0):\n%s", run)
	}
	if n := b.MutatingCalls() - before; n != 0 {
		t.Errorf("moving made %d mutating calls, want 0", n)
	}

	s, err := tf.State()
	if err != nil {
		t.Fatal(err)
	}
	for _, typ := range []string{"alicloud_ecs_network_interface", "alicloud_network_interface",
		"alicloud_ecs_network_interface_attachment", "alicloud_network_interface_attachment", "alicloud_eip_association"} {
		if left := s.Managed(typ); len(left) > 0 {
			t.Errorf("%s is still in state after the move", left[0].Address)
		}
	}
	enis := map[string]acctest.StateInstance{}
	for _, in := range s.Managed("eni_network_interface") {
		enis[in.Address] = in
	}
	w, l := enis["eni_network_interface.web"], enis["eni_network_interface.legacy"]
	if w.String("id") != web || l.String("id") != legacy {
		t.Fatalf("moved ENIs in state: %v", enis)
	}
	got := w.Strings("private_ips")
	slices.Sort(got)
	slices.Sort(webIPs)
	if !slices.Equal(got, webIPs) || w.String("name") != "web-eni" || w.String("instance_id") != "i-mockweb1" ||
		w.String("vpc_id") != "vpc-mock1" || fmt.Sprint(w.Attributes["tags"]) != "map[team:web]" ||
		len(w.Strings("security_group_ids")) != 2 {
		t.Errorf("eni_network_interface.web after the move: %v", w.Attributes)
	}
	if a := s.Managed("eni_eip_association"); len(a) != 1 || a[0].String("id") != "eip-mock1:"+web ||
		a[0].String("ip_address") != "47.96.0.10" || a[0].String("mode") != domain.EIPModeNAT {
		t.Errorf("eni_eip_association after the move: %v", a)
	}
	census, err := b.TakeCensus()
	if err != nil {
		t.Fatal(err)
	}
	if err := acctest.CheckStateKnowsCloud(census, s); err != nil {
		t.Error(err)
	}

	// The moved resources are ours: a change of addresses converges, and
	// the argument the configuration leaves unset leaves state.
	config = strings.Replace(config, "secondary_private_ip_count = 2", "secondary_private_ip_count = 3", 1)
	tf.SetConfig(b, config)
	if run := tf.Apply(); run.Failed() {
		t.Fatalf("adding an address to the moved ENI: %s", run)
	}
	e, err := b.Client.FindNetworkInterfaceByID(context.Background(), legacy)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(e.PrivateIpSets.PrivateIpSet); n != 4 {
		t.Errorf("ENI %s holds %d private IPs after secondary_private_ip_count = 3, want 4", legacy, n)
	}
	if s, err = tf.State(); err != nil {
		t.Fatal(err)
	}
	for _, in := range s.Managed("eni_network_interface") {
		if in.Address == "eni_network_interface.legacy" && in.Set("secondary_private_ips") {
			t.Errorf("secondary_private_ips stays in state after the count changed: %v", in.Attributes["secondary_private_ips"])
		}
	}
	if run := tf.Plan(); run.ExitCode != 0 {
		t.Fatalf("the plan after the update should have no changes:\n%s", run)
	}
}

// TestAccMoveFromAlicloud_refused: what cannot map fails the plan with a
// message that says why, and changes neither state nor the cloud.
func TestAccMoveFromAlicloud_refused(t *testing.T) {
	b, _ := acctest.NewCLIBackend(t, acctest.CLIOptions{})
	acctest.PrepareTerraformCLI(t)
	stub := acctest.BuildAlicloudStub(t)
	eni := b.CreateENI(t, "vsw-mockh", "sg-mockweb")
	req := vpc.CreateAssociateEipAddressRequest()
	req.AllocationId, req.InstanceId, req.InstanceType = "eip-mock2", "i-mockweb1", cloud.EIPTargetEcsInstance
	if _, err := b.Client.AssociateEipAddress(context.Background(), req); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Client.WaitEIPStatus(context.Background(), "eip-mock2", domain.EIPStatusInUse, 0); err != nil {
		t.Fatal(err)
	}
	eniAttrs := alicloudENIAttributes(t, b, eni)

	cases := []struct {
		name, config, want string
		resource           alicloudResource
	}{{
		name: "EIP on an instance",
		resource: alicloudResource{Type: "alicloud_eip_association", Name: "x", Attributes: map[string]any{
			"id": "eip-mock2:i-mockweb1", "allocation_id": "eip-mock2", "instance_id": "i-mockweb1",
			"instance_type": "EcsInstance", "mode": "NAT", "private_ip_address": nil, "vpc_id": nil, "force": nil}},
		config: `
moved {
  from = alicloud_eip_association.x
  to   = eni_eip_association.x
}

resource "eni_eip_association" "x" {
  allocation_id        = "eip-mock2"
  network_interface_id = "` + eni + `"
}
`,
		want: `EIP eip-mock2 is associated with EcsInstance i-mockweb1, not with a network interface`,
	}, {
		name: "trunk attachment",
		resource: alicloudResource{Type: "alicloud_ecs_network_interface_attachment", Name: "x", Attributes: map[string]any{
			"id": eni + ":i-mockweb1", "network_interface_id": eni, "instance_id": "i-mockweb1",
			"trunk_network_instance_id": "eni-trunk1", "network_card_index": nil, "wait_for_network_configuration_ready": nil}},
		config: `
moved {
  from = alicloud_ecs_network_interface_attachment.x
  to   = eni_network_interface_attachment.x
}

resource "eni_network_interface_attachment" "x" {
  network_interface_id = "` + eni + `"
  instance_id          = "i-mockweb1"
}
`,
		want: `through the trunk ENI eni-trunk1`,
	}, {
		name:     "unknown schema version",
		resource: alicloudResource{Type: "alicloud_ecs_network_interface", Name: "x", Version: 1, Attributes: eniAttrs},
		config:   testAccMoveENIOnly,
		want:     `schema version 1`,
	}, {
		name:     "another provider",
		resource: alicloudResource{Type: "alicloud_ecs_network_interface", Name: "x", Provider: `provider["registry.terraform.io/example/alicloud"]`, Attributes: eniAttrs},
		config:   testAccMoveENIOnly,
		want:     `belongs to provider registry.terraform.io/example/alicloud`,
	}}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			state := alicloudState(t, tc.resource)
			tf := newMoveTerraform(t, b, stub, tc.config, state)
			if strings.Contains(tc.name, "another provider") {
				tf.OverrideProviderLike("registry.terraform.io/example/alicloud", "registry.terraform.io/aliyun/alicloud")
			}
			before := b.MutatingCalls()
			run := tf.Plan()
			if run.ExitCode != 1 {
				t.Fatalf("the plan should fail:\n%s", run)
			}
			if !regexp.MustCompile(acctest.Wrapped(regexp.QuoteMeta(tc.want))).MatchString(run.Output()) {
				t.Errorf("the plan's error should say %q:\n%s", tc.want, run)
			}
			if run := tf.Apply(); run.ExitCode != 1 {
				t.Errorf("apply should fail as the plan did:\n%s", run)
			}
			after, err := os.ReadFile(filepath.Join(tf.Dir, "terraform.tfstate"))
			if err != nil || string(after) != string(state) {
				t.Errorf("the refused move changed terraform.tfstate (%v)", err)
			}
			if n := b.MutatingCalls() - before; n != 0 {
				t.Errorf("the refused move made %d mutating calls", n)
			}
		})
	}
}

const testAccMoveENIOnly = `
moved {
  from = alicloud_ecs_network_interface.x
  to   = eni_network_interface.x
}

resource "eni_network_interface" "x" {
  vswitch_id         = "vsw-mockh"
  security_group_ids = ["sg-mockweb"]
}
`

const testAccMoveUnsetConfig = `
moved {
  from = alicloud_ecs_network_interface.bare
  to   = eni_network_interface.bare
}

moved {
  from = alicloud_ecs_network_interface.shared
  to   = eni_network_interface.shared
}

# No secondary IPs: neither argument.
resource "eni_network_interface" "bare" {
  vswitch_id         = "vsw-mockh"
  security_group_ids = ["sg-mockweb"]
}

# Addresses left to eni_private_ip from now on: neither argument either.
resource "eni_network_interface" "shared" {
  vswitch_id         = "vsw-mockh"
  security_group_ids = ["sg-mockweb"]
}
`

// TestAccMoveFromAlicloud_neitherIPArgument: an ENI without secondary IPs
// moves with neither argument and plans no change; one with addresses
// whose new configuration sets neither argument plans one update that
// drops both from state and calls nothing. The source names the provider
// by its older address, hashicorp/alicloud.
func TestAccMoveFromAlicloud_neitherIPArgument(t *testing.T) {
	b, _ := acctest.NewCLIBackend(t, acctest.CLIOptions{})
	bare := b.CreateENI(t, "vsw-mockh", "sg-mockweb")
	shared := b.CreateENI(t, "vsw-mockh", "sg-mockweb", func(r *ecs.CreateNetworkInterfaceRequest) {
		r.SecondaryPrivateIpAddressCount = requests.NewInteger(2)
	})
	older := `provider["registry.terraform.io/hashicorp/alicloud"]`
	state := alicloudState(t,
		alicloudResource{Type: "alicloud_ecs_network_interface", Name: "bare", Provider: older, Attributes: alicloudENIAttributes(t, b, bare)},
		alicloudResource{Type: "alicloud_ecs_network_interface", Name: "shared", Provider: older, Attributes: alicloudENIAttributes(t, b, shared)},
	)
	tf := newMoveTerraform(t, b, acctest.BuildAlicloudStub(t), testAccMoveUnsetConfig, state)
	tf.OverrideProviderLike("registry.terraform.io/hashicorp/alicloud", "registry.terraform.io/aliyun/alicloud")
	before := b.MutatingCalls()

	run := tf.Plan()
	out := run.Output()
	if run.ExitCode != 2 || !strings.Contains(out, "0 to add, 1 to change, 0 to destroy") ||
		!strings.Contains(out, "# alicloud_ecs_network_interface.bare has moved to eni_network_interface.bare") ||
		!regexp.MustCompile(`# eni_network_interface.shared will be updated in-place\s+# \(moved from alicloud_ecs_network_interface.shared\)`).MatchString(out) ||
		!regexp.MustCompile(`- secondary_private_ip_count = 2 -> null`).MatchString(out) {
		t.Fatalf("want the bare ENI only moved, the shared one moved and updated:\n%s", run)
	}
	if run := tf.Apply(); run.Failed() {
		t.Fatalf("applying: %s", run)
	}
	if run := tf.Plan(); run.ExitCode != 0 {
		t.Fatalf("the plan after the move should have no changes:\n%s", run)
	}
	if n := b.MutatingCalls() - before; n != 0 {
		t.Errorf("the move and the update made %d mutating calls, want 0", n)
	}
	s, err := tf.State()
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range s.Managed("eni_network_interface") {
		if in.Set("secondary_private_ip_count") || in.Set("secondary_private_ips") {
			t.Errorf("%s keeps a secondary IP argument in state: %v", in.Address, in.Attributes)
		}
		if in.String("id") == shared && len(in.Strings("private_ips")) != 2 {
			t.Errorf("%s should still report its 2 addresses in private_ips: %v", in.Address, in.Attributes["private_ips"])
		}
	}
}
