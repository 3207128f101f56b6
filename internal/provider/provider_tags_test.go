package provider

import (
	"context"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

func TestTagConfig(t *testing.T) {
	ctx := context.Background()
	strSet := func(v ...string) types.Set {
		elems := make([]attr.Value, len(v))
		for i, s := range v {
			elems[i] = types.StringValue(s)
		}
		return types.SetValueMust(types.StringType, elems)
	}
	defaults := &defaultTagsModel{Tags: types.MapValueMust(types.StringType, map[string]attr.Value{
		"owner": types.StringValue("platform"), "policy:x": types.StringValue("1"),
	})}
	ignore := &ignoreTagsModel{Keys: strSet("managed-by"), KeyPrefixes: strSet("policy:")}

	c, diags := tagConfig(ctx, defaults, ignore)
	if diags.HasError() || c == nil {
		t.Fatalf("tagConfig: %v, %v", c, diags)
	}
	if !maps.Equal(c.Default, map[string]string{"owner": "platform", "policy:x": "1"}) ||
		!slices.Equal(c.IgnoreKeys, []string{"managed-by"}) || !slices.Equal(c.IgnorePrefixes, []string{"policy:"}) {
		t.Errorf("tagConfig = %+v", *c)
	}
	// The default tag under an ignored prefix has no effect: say so.
	if diags.WarningsCount() != 1 || !strings.Contains(diags.Warnings()[0].Detail(), `"policy:x"`) {
		t.Errorf("diagnostics %v, want one warning about policy:x", diags)
	}

	// No blocks, or blocks that set nothing: no settings at all.
	for _, tc := range []struct {
		name string
		d    *defaultTagsModel
		i    *ignoreTagsModel
	}{
		{"no blocks", nil, nil},
		{"empty blocks", &defaultTagsModel{Tags: types.MapNull(types.StringType)},
			&ignoreTagsModel{Keys: types.SetNull(types.StringType), KeyPrefixes: types.SetNull(types.StringType)}},
	} {
		if c, diags := tagConfig(ctx, tc.d, tc.i); c != nil || diags.HasError() {
			t.Errorf("%s: tagConfig = %v, %v; want nil", tc.name, c, diags)
		}
	}

	if !unknownTagSettings(&defaultTagsModel{Tags: types.MapUnknown(types.StringType)}, nil) ||
		!unknownTagSettings(nil, &ignoreTagsModel{Keys: types.SetUnknown(types.StringType), KeyPrefixes: types.SetNull(types.StringType)}) {
		t.Error("unknown tag settings not recognised")
	}
	if unknownTagSettings(defaults, ignore) {
		t.Error("known tag settings taken for unknown")
	}
}
