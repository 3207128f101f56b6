package eni

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/openeni/terraform-provider-eni/internal/alicloudschema"
)

const officialAlicloud = "registry.terraform.io/aliyun/alicloud"

// moveState runs the movers of target for a source state as the
// framework does: in order, each with the source decoded by its schema,
// until one sets the target state or fails.
func moveState(t *testing.T, target resource.Resource, sourceType, provider string, version int64, source any) (resource.MoveStateResponse, tfsdk.State) {
	t.Helper()
	ctx := context.Background()
	var schemaResp resource.SchemaResponse
	target.Schema(ctx, resource.SchemaRequest{}, &schemaResp)
	targetSchema := schemaResp.Schema
	movable, ok := target.(resource.ResourceWithMoveState)
	if !ok {
		t.Fatalf("%T has no state movers", target)
	}
	for _, mover := range movable.MoveState(ctx) {
		req := resource.MoveStateRequest{SourceTypeName: sourceType, SourceProviderAddress: provider, SourceSchemaVersion: version}
		if mover.SourceSchema != nil {
			src := tfsdk.State{Schema: *mover.SourceSchema, Raw: tftypes.NewValue(mover.SourceSchema.Type().TerraformType(ctx), nil)}
			if diags := src.Set(ctx, source); diags.HasError() {
				t.Fatalf("building the source state: %v", diags)
			}
			req.SourceState = &src
		}
		resp := resource.MoveStateResponse{TargetState: tfsdk.State{Schema: targetSchema,
			Raw: tftypes.NewValue(targetSchema.Type().TerraformType(ctx), nil)}}
		mover.StateMover(ctx, req, &resp)
		if resp.Diagnostics.HasError() || !resp.TargetState.Raw.IsNull() {
			return resp, resp.TargetState
		}
	}
	t.Fatal("no mover took the source")
	return resource.MoveStateResponse{}, tfsdk.State{}
}

func strs(items ...string) types.Set {
	var elems []attr.Value
	for _, s := range items {
		elems = append(elems, types.StringValue(s))
	}
	return types.SetValueMust(types.StringType, elems)
}

func sourceTimeouts(ops ...string) types.Object {
	attrTypes := map[string]attr.Type{}
	for _, op := range ops {
		attrTypes[op] = types.StringType
	}
	return types.ObjectNull(attrTypes)
}

// alicloudENI is a source ENI as an older alicloud version wrote it: the
// deprecated twins filled, the current attributes null.
func alicloudENI() alicloudENIModel {
	return alicloudENIModel{
		ID: types.StringValue("eni-1"), VSwitchID: types.StringValue("vsw-1"), Description: types.StringValue(""),
		MAC: types.StringValue("00:16:3e:00:00:01"), NetworkInterfaceName: types.StringNull(), Name: types.StringValue("old-name"),
		PrimaryIPAddress: types.StringNull(), PrivateIP: types.StringValue("10.0.0.5"),
		PrivateIPAddresses: types.SetNull(types.StringType), PrivateIPs: strs("10.0.0.6", "10.0.0.7"),
		SecondaryIPCount: types.Int64Null(), PrivateIPsCount: types.Int64Value(2), QueueNumber: types.Int64Value(0),
		ResourceGroupID: types.StringValue("rg-1"), SecurityGroupIDs: types.SetNull(types.StringType),
		SecurityGroups: strs("sg-1"), Status: types.StringValue("Available"), Tags: types.MapValueMust(types.StringType, nil),
		IPv6AddressCount: types.Int64Null(), IPv6Addresses: types.SetNull(types.StringType), IPv4PrefixCount: types.Int64Null(),
		IPv4Prefixes: types.SetNull(types.StringType), InstanceType: types.StringValue("Secondary"),
		TrafficMode: types.StringValue("Standard"), SourceDestCheck: types.BoolNull(),
		Timeouts: sourceTimeouts("create", "update", "delete"),
	}
}

func TestMoveNetworkInterface_mapping(t *testing.T) {
	ctx := context.Background()
	resp, state := moveState(t, newNetworkInterfaceResource(), alicloudschema.NetworkInterface,
		"registry.terraform.io/hashicorp/alicloud", 0, alicloudENI())
	if resp.Diagnostics.HasError() {
		t.Fatal(resp.Diagnostics)
	}
	var m networkInterfaceModel
	if diags := state.Get(ctx, &m); diags.HasError() {
		t.Fatal(diags)
	}
	for name, c := range map[string]struct{ got, want attr.Value }{
		"id (same)":                     {m.ID, types.StringValue("eni-1")},
		"name (from name)":              {m.Name, types.StringValue("old-name")},
		"primary_ip_address":            {m.PrimaryIPAddress, types.StringValue("10.0.0.5")},
		"security_group_ids":            {m.SecurityGroupIDs, strs("sg-1")},
		"secondary_private_ips (both)":  {m.SecondaryPrivateIPs, strs("10.0.0.6", "10.0.0.7")},
		"secondary_private_ip_count":    {m.SecondaryPrivateIPCount, types.Int64Value(2)},
		"private_ips":                   {m.PrivateIPs, strs("10.0.0.6", "10.0.0.7")},
		"queue_number (0 is unset)":     {m.QueueNumber, types.Int64Null()},
		"tags (empty is unset)":         {m.Tags, types.MapNull(types.StringType)},
		"type":                          {m.Type, types.StringValue("Secondary")},
		"mac_address":                   {m.MACAddress, types.StringValue("00:16:3e:00:00:01")},
		"traffic_mode":                  {m.TrafficMode, types.StringValue("Standard")},
		"resource_group_id":             {m.ResourceGroupID, types.StringValue("rg-1")},
		"vpc_id (read by the refresh)":  {m.VPCID, types.StringNull()},
		"instance_id (read by refresh)": {m.InstanceID, types.StringNull()},
	} {
		if !c.got.Equal(c.want) {
			t.Errorf("%s: got %s, want %s", name, c.got, c.want)
		}
	}
}

func TestMoveNetworkInterface_noSecondaryIPs(t *testing.T) {
	src := alicloudENI()
	src.PrivateIPs, src.PrivateIPsCount = strs(), types.Int64Value(0)
	src.PrivateIPAddresses, src.SecondaryIPCount = strs(), types.Int64Value(0)
	src.Tags = types.MapValueMust(types.StringType, map[string]attr.Value{"team": types.StringValue("web")})
	src.SourceDestCheck = types.BoolValue(true)
	resp, state := moveState(t, newNetworkInterfaceResource(), alicloudschema.ECSNetworkInterface, officialAlicloud, 0, src)
	if resp.Diagnostics.HasError() || resp.Diagnostics.WarningsCount() != 1 {
		t.Fatalf("want one warning (source_dest_check), got %v", resp.Diagnostics)
	}
	var m networkInterfaceModel
	if diags := state.Get(context.Background(), &m); diags.HasError() {
		t.Fatal(diags)
	}
	if !m.SecondaryPrivateIPCount.IsNull() || !m.SecondaryPrivateIPs.IsNull() {
		t.Errorf("an ENI without secondary IPs should move with neither argument: %s, %s", m.SecondaryPrivateIPCount, m.SecondaryPrivateIPs)
	}
	if len(m.Tags.Elements()) != 1 || !m.TagsAll.Equal(m.Tags) {
		t.Errorf("tags should carry over: %s, tags_all %s", m.Tags, m.TagsAll)
	}
}

func TestMoveNetworkInterfaceAttachment_mapping(t *testing.T) {
	for _, tc := range []struct {
		index int64
		want  types.Int64
	}{{0, types.Int64Null()}, {1, types.Int64Value(1)}} {
		src := alicloudAttachmentModel{
			ID: types.StringValue("eni-1:i-1"), NetworkInterfaceID: types.StringValue("eni-1"), InstanceID: types.StringValue("i-1"),
			TrunkNetworkInstanceID: types.StringNull(), NetworkCardIndex: types.Int64Value(tc.index),
			WaitForNetworkConfigurationReady: types.BoolValue(true), Timeouts: sourceTimeouts("create", "delete"),
		}
		resp, state := moveState(t, newNetworkInterfaceAttachmentResource(), alicloudschema.ECSNetworkInterfaceAttachment, officialAlicloud, 0, src)
		if resp.Diagnostics.HasError() {
			t.Fatal(resp.Diagnostics)
		}
		var m attachmentModel
		if diags := state.Get(context.Background(), &m); diags.HasError() {
			t.Fatal(diags)
		}
		if m.ID.ValueString() != "eni-1:i-1" || !m.NetworkCardIndex.Equal(tc.want) || !m.WaitForNetworkConfigurationReady.ValueBool() ||
			m.StopInstanceIfRequired.ValueBool() {
			t.Errorf("network_card_index %d: moved to %+v", tc.index, m)
		}
	}
}

func alicloudEIP(instanceID, kind, mode string) alicloudEIPAssociationModel {
	return alicloudEIPAssociationModel{
		ID: types.StringValue("eip-1:" + instanceID), AllocationID: types.StringValue("eip-1"), InstanceID: types.StringValue(instanceID),
		InstanceType: types.StringValue(kind), Mode: types.StringValue(mode), PrivateIPAddress: types.StringValue(""),
		VPCID: types.StringNull(), Force: types.BoolNull(), Timeouts: sourceTimeouts("create", "update", "delete"),
	}
}

func TestMoveEIPAssociation(t *testing.T) {
	for _, tc := range []struct {
		name     string
		src      alicloudEIPAssociationModel
		wantErr  string
		wantMode string
	}{
		{name: "ENI", src: alicloudEIP("eni-1", "NetworkInterface", "MULTI_BINDED"), wantMode: "MULTI_BINDED"},
		{name: "ENI, older state without type or mode", src: alicloudEIP("eni-1", "", ""), wantMode: "NAT"},
		{name: "instance", src: alicloudEIP("i-1", "EcsInstance", "NAT"), wantErr: "associated with EcsInstance i-1, not with a network interface"},
		{name: "instance, older state", src: alicloudEIP("i-1", "", ""), wantErr: "associated with instance i-1"},
		{name: "load balancer", src: alicloudEIP("lb-1", "SlbInstance", ""), wantErr: "associated with SlbInstance lb-1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, state := moveState(t, newEIPAssociationResource(), alicloudschema.EIPAssociation, officialAlicloud, 0, tc.src)
			if tc.wantErr != "" {
				if !resp.Diagnostics.HasError() || !strings.Contains(resp.Diagnostics.Errors()[0].Detail(), tc.wantErr) {
					t.Fatalf("want an error saying %q, got %v", tc.wantErr, resp.Diagnostics)
				}
				return
			}
			var m eipAssociationModel
			if diags := state.Get(context.Background(), &m); diags.HasError() || resp.Diagnostics.HasError() {
				t.Fatal(diags, resp.Diagnostics)
			}
			if m.ID.ValueString() != "eip-1:eni-1" || m.NetworkInterfaceID.ValueString() != "eni-1" ||
				m.Mode.ValueString() != tc.wantMode || !m.PrivateIPAddress.IsNull() {
				t.Errorf("moved to %+v", m)
			}
		})
	}
}

func TestMoveState_refusals(t *testing.T) {
	for _, tc := range []struct {
		name, sourceType, provider string
		version                    int64
		wantErr                    string
	}{
		{"another provider", alicloudschema.ECSNetworkInterface, "registry.terraform.io/example/alicloud", 0, "belongs to provider registry.terraform.io/example/alicloud"},
		{"a newer schema", alicloudschema.ECSNetworkInterface, officialAlicloud, 1, "schema version 1"},
		{"another type", "alicloud_instance", officialAlicloud, 0, "takes state only from alicloud_ecs_network_interface or alicloud_network_interface"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, _ := moveState(t, newNetworkInterfaceResource(), tc.sourceType, tc.provider, tc.version, alicloudENI())
			if !resp.Diagnostics.HasError() || !strings.Contains(resp.Diagnostics.Errors()[0].Detail(), tc.wantErr) {
				t.Fatalf("want an error saying %q, got %v", tc.wantErr, resp.Diagnostics)
			}
		})
	}
}

func TestFromAlicloudProvider(t *testing.T) {
	for addr, want := range map[string]bool{
		"registry.terraform.io/aliyun/alicloud":    true,
		"registry.terraform.io/hashicorp/alicloud": true,
		"registry.opentofu.org/aliyun/alicloud":    true,
		"registry.terraform.io/aliyun/alibaba":     false,
		"registry.terraform.io/example/alicloud":   false,
		"aliyun/alicloud":                          false,
	} {
		if got := fromAlicloudProvider(addr); got != want {
			t.Errorf("fromAlicloudProvider(%q) = %v, want %v", addr, got, want)
		}
	}
}
