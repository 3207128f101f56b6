package eni

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// pairValues are the two arguments of a pair in a configuration or state.
type pairValues struct {
	Count types.Int64 `tfsdk:"n"`
	List  types.Set   `tfsdk:"list"`
}

var pairSchema = schema.Schema{Attributes: map[string]schema.Attribute{
	"n":    schema.Int64Attribute{Optional: true, Computed: true},
	"list": schema.SetAttribute{Optional: true, Computed: true, ElementType: types.StringType},
}}

func pairRaw(t *testing.T, v pairValues) tftypes.Value {
	t.Helper()
	s := tfsdk.State{Schema: pairSchema, Raw: tftypes.NewValue(pairSchema.Type().TerraformType(context.Background()), nil)}
	if diags := s.Set(context.Background(), v); diags.HasError() {
		t.Fatal(diags)
	}
	return s.Raw
}

func TestPairUnchanged(t *testing.T) {
	null, two := types.Int64Null(), types.Int64Value(2)
	noList, ab, abc := types.SetNull(types.StringType), strs("a", "b"), strs("a", "b", "c")
	unknown := types.SetUnknown(types.StringType)
	for _, tc := range []struct {
		name          string
		config, state pairValues
		want          bool
	}{
		{"neither set, none in state", pairValues{null, noList}, pairValues{null, noList}, true},
		{"count as in state", pairValues{two, noList}, pairValues{two, noList}, true},
		{"count changes", pairValues{types.Int64Value(3), noList}, pairValues{two, noList}, false},
		{"list as in state", pairValues{null, ab}, pairValues{null, ab}, true},
		{"list changes", pairValues{null, abc}, pairValues{null, ab}, false},
		{"moved: list set, count kept beside it", pairValues{null, ab}, pairValues{two, ab}, true},
		{"moved: count set, list kept beside it", pairValues{two, noList}, pairValues{two, ab}, true},
		{"moved: count changes, list leaves", pairValues{types.Int64Value(3), noList}, pairValues{two, ab}, false},
		{"moved: neither set, both leave", pairValues{null, noList}, pairValues{two, ab}, false},
		{"switched from count to list", pairValues{null, ab}, pairValues{two, noList}, false},
		{"list not known yet", pairValues{null, unknown}, pairValues{null, ab}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			config := tfsdk.Config{Schema: pairSchema, Raw: pairRaw(t, tc.config)}
			state := tfsdk.State{Schema: pairSchema, Raw: pairRaw(t, tc.state)}
			var diags diag.Diagnostics
			if got := pairUnchanged(context.Background(), config, state, "n", "list", &diags); got != tc.want || diags.HasError() {
				t.Errorf("pairUnchanged = %v (%v), want %v", got, diags, tc.want)
			}
		})
	}
}
