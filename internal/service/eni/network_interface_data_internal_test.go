package eni

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// The data sources' filters travel to the API as request parameters, so
// the API filters instead of the provider paging through every ENI.
func TestDescribeRequestSendsFilters(t *testing.T) {
	var diags diag.Diagnostics
	tags := types.MapValueMust(types.StringType, map[string]attr.Value{"team": types.StringValue("net")})
	req := describeRequest(context.Background(), types.StringValue("vpc-1"), types.StringValue("vsw-1"),
		types.StringValue("i-1"), types.StringValue("InUse"), types.StringValue("Secondary"),
		types.StringValue("web"), types.StringValue("10.1.0.5"), tags, &diags)
	if diags.HasError() {
		t.Fatal(diags)
	}
	got := map[string]string{"VpcId": req.VpcId, "VSwitchId": req.VSwitchId, "InstanceId": req.InstanceId,
		"Status": req.Status, "Type": req.Type, "NetworkInterfaceName": req.NetworkInterfaceName,
		"PrimaryIpAddress": req.PrimaryIpAddress}
	want := map[string]string{"VpcId": "vpc-1", "VSwitchId": "vsw-1", "InstanceId": "i-1", "Status": "InUse",
		"Type": "Secondary", "NetworkInterfaceName": "web", "PrimaryIpAddress": "10.1.0.5"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}
	if req.Tag == nil || len(*req.Tag) != 1 || (*req.Tag)[0].Key != "team" || (*req.Tag)[0].Value != "net" {
		t.Errorf("tags not sent: %+v", req.Tag)
	}
	null := types.StringNull()
	empty := describeRequest(context.Background(), null, null, null, null, null, null, null, types.MapNull(types.StringType), &diags)
	if empty.VpcId != "" || empty.Tag != nil {
		t.Errorf("unset filters were sent: %+v", empty)
	}
}
