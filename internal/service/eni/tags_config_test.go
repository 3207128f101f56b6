package eni

import (
	"context"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
)

// tagSettings are the provider settings most cases below share: two
// default tags, an ignored key and an ignored prefix.
var tagSettings = &TagConfig{
	Default:        map[string]string{"owner": "platform", "cost": "cc-1"},
	IgnoreKeys:     []string{"managed-by"},
	IgnorePrefixes: []string{"policy:"},
}

func TestTagConfig_ignored(t *testing.T) {
	cases := map[string]bool{
		"managed-by":       true,  // exact key
		"managed-by-other": false, // a key is not a prefix
		"Managed-By":       false, // case-sensitive
		"policy:owner":     true,  // prefix
		"policy:":          true,  // the prefix itself
		"policy":           false,
		"owner":            false,
	}
	for key, want := range cases {
		if got := tagSettings.ignored(key); got != want {
			t.Errorf("ignored(%q) = %v, want %v", key, got, want)
		}
	}
	var none *TagConfig
	if none.ignored("anything") {
		t.Error("a provider without tag settings ignores a key")
	}
}

func TestTagConfig_merged(t *testing.T) {
	cases := []struct {
		name string
		c    *TagConfig
		own  map[string]string
		want map[string]string
	}{
		{"no settings, no tags", nil, nil, map[string]string{}},
		{"no settings", nil, map[string]string{"team": "web"}, map[string]string{"team": "web"}},
		{"defaults only", tagSettings, nil, map[string]string{"owner": "platform", "cost": "cc-1"}},
		{"own tags added to the defaults", tagSettings, map[string]string{"team": "web"},
			map[string]string{"owner": "platform", "cost": "cc-1", "team": "web"}},
		{"own value wins over the default", tagSettings, map[string]string{"owner": "web-team"},
			map[string]string{"owner": "web-team", "cost": "cc-1"}},
		{"same value as the default", tagSettings, map[string]string{"owner": "platform"},
			map[string]string{"owner": "platform", "cost": "cc-1"}},
		{"ignored keys are never set", tagSettings, map[string]string{"managed-by": "x", "policy:a": "y", "team": "web"},
			map[string]string{"owner": "platform", "cost": "cc-1", "team": "web"}},
		{"an ignored default is never set", &TagConfig{Default: map[string]string{"policy:x": "1", "a": "2"}, IgnorePrefixes: []string{"policy:"}},
			nil, map[string]string{"a": "2"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.c.merged(tc.own)
			if got == nil || !maps.Equal(got, tc.want) {
				t.Errorf("merged(%v) = %v, want %v", tc.own, got, tc.want)
			}
		})
	}
	// merged must not change the settings it merges from.
	before := maps.Clone(tagSettings.Default)
	tagSettings.merged(map[string]string{"owner": "someone"})
	if !maps.Equal(before, tagSettings.Default) {
		t.Errorf("merged changed the default tags to %v", tagSettings.Default)
	}
}

func TestTagConfig_visible(t *testing.T) {
	cloud := map[string]string{"owner": "platform", "managed-by": "policy-engine", "policy:x": "1", "team": "web"}
	got := tagSettings.visible(cloud, nil)
	want := map[string]string{"owner": "platform", "team": "web"}
	if !maps.Equal(got, want) {
		t.Errorf("visible = %v, want %v", got, want)
	}
	// An ignored key the configuration names is reported as configured,
	// whatever the cloud holds (or whether it holds it at all).
	got = tagSettings.visible(cloud, map[string]string{"managed-by": "me", "policy:new": "2", "team": "other"})
	want = map[string]string{"owner": "platform", "team": "web", "managed-by": "me", "policy:new": "2"}
	if !maps.Equal(got, want) {
		t.Errorf("visible with configured ignored keys = %v, want %v", got, want)
	}
	if got := tagSettings.visible(nil, nil); got == nil || len(got) != 0 {
		t.Errorf("visible of no tags = %#v, want an empty map", got)
	}
}

func TestTagConfig_resourceTags(t *testing.T) {
	cases := []struct {
		name         string
		cloud, prior map[string]string
		want         map[string]string // nil: the tags argument stays null
	}{
		{"untagged ENI without tags argument", nil, nil, nil},
		{"only default tags: tags stays null", map[string]string{"owner": "platform", "cost": "cc-1"}, nil, nil},
		{"an empty tags argument stays empty", map[string]string{"owner": "platform"}, map[string]string{}, map[string]string{}},
		{"own tags beside the defaults", map[string]string{"owner": "platform", "team": "web"}, map[string]string{"team": "web"},
			map[string]string{"team": "web"}},
		{"own key that overrides a default", map[string]string{"owner": "web-team", "cost": "cc-1"},
			map[string]string{"owner": "web-team"}, map[string]string{"owner": "web-team"}},
		{"own key equal to a default stays (no perpetual difference)", map[string]string{"owner": "platform", "cost": "cc-1"},
			map[string]string{"owner": "platform"}, map[string]string{"owner": "platform"}},
		{"a tag added outside Terraform shows in tags (a difference to remove)", map[string]string{"team": "web", "extra": "1"},
			map[string]string{"team": "web"}, map[string]string{"team": "web", "extra": "1"}},
		{"a tag removed outside Terraform is gone from tags (a difference to add back)", map[string]string{},
			map[string]string{"team": "web"}, map[string]string{}},
		{"a default changed outside Terraform stays out of tags (tags_all shows it)", map[string]string{"owner": "intruder"},
			nil, nil},
		{"ignored keys in the cloud never show", map[string]string{"managed-by": "engine", "policy:x": "1"}, nil, nil},
		{"a configured ignored key keeps its configured value", map[string]string{"managed-by": "engine"},
			map[string]string{"managed-by": "me"}, map[string]string{"managed-by": "me"}},
		{"import: no prior, defaults left out, the rest adopted", map[string]string{"owner": "platform", "team": "web", "policy:y": "2"},
			nil, map[string]string{"team": "web"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := tagSettings.resourceTags(tc.cloud, tc.prior)
			if (got == nil) != (tc.want == nil) || !maps.Equal(got, tc.want) {
				t.Errorf("resourceTags(%v, %v) = %#v, want %#v", tc.cloud, tc.prior, got, tc.want)
			}
		})
	}
}

func TestTagConfig_ignoredDefaults(t *testing.T) {
	c := &TagConfig{Default: map[string]string{"b": "1", "policy:a": "2", "managed-by": "3"},
		IgnoreKeys: []string{"managed-by"}, IgnorePrefixes: []string{"policy:"}}
	if got, want := c.IgnoredDefaults(), []string{"managed-by", "policy:a"}; !slices.Equal(got, want) {
		t.Errorf("IgnoredDefaults = %v, want %v", got, want)
	}
	var none *TagConfig
	if got := none.IgnoredDefaults(); got != nil {
		t.Errorf("IgnoredDefaults of no settings = %v", got)
	}
}

// The API's tag rules apply to the merged set, each problem reported on
// the attribute the user must change.
func TestCheckMergedTags(t *testing.T) {
	many := func(prefix string, n int) map[string]string {
		m := map[string]string{}
		for i := range n {
			m[prefix+strings.Repeat("k", i+1)] = "v"
		}
		return m
	}
	t.Run("count over the limit only together", func(t *testing.T) {
		own := many("own-", 12)
		c := &TagConfig{Default: many("default-", 10)}
		var diags diag.Diagnostics
		checkMergedTags(c.merged(own), own, &diags)
		e := onlyError(t, diags)
		if !pathOf(e).Equal(path.Root("tags")) {
			t.Errorf("error on %v, want tags", pathOf(e))
		}
		for _, want := range []string{"default_tags", "22 tags", "Remove 2"} {
			if !strings.Contains(e.Detail(), want) {
				t.Errorf("detail %q lacks %q", e.Detail(), want)
			}
		}
	})
	t.Run("an override does not count twice", func(t *testing.T) {
		own := many("own-", 10)
		c := &TagConfig{Default: many("own-", 10)} // the same 10 keys
		var diags diag.Diagnostics
		checkMergedTags(c.merged(own), own, &diags)
		if diags.HasError() {
			t.Errorf("10 tags overriding 10 defaults refused: %v", diags)
		}
	})
	t.Run("ignored defaults do not count", func(t *testing.T) {
		own := many("own-", 15)
		c := &TagConfig{Default: many("x-", 10), IgnorePrefixes: []string{"x-"}}
		var diags diag.Diagnostics
		checkMergedTags(c.merged(own), own, &diags)
		if diags.HasError() {
			t.Errorf("ignored default tags counted: %v", diags)
		}
	})
	t.Run("a bad default key is reported on tags_all", func(t *testing.T) {
		own := map[string]string{"team": "web"}
		all := map[string]string{"team": "web", "aliyun:x": "1"}
		var diags diag.Diagnostics
		checkMergedTags(all, own, &diags)
		e := onlyError(t, diags)
		if !pathOf(e).Equal(path.Root("tags_all").AtMapKey("aliyun:x")) || !strings.Contains(e.Detail(), "default_tags") {
			t.Errorf("error %q on %v, want one naming default_tags on tags_all[\"aliyun:x\"]", e.Detail(), pathOf(e))
		}
	})
	t.Run("a bad own value is reported on tags", func(t *testing.T) {
		own := map[string]string{"site": "https://example.com"}
		var diags diag.Diagnostics
		checkMergedTags(own, own, &diags)
		e := onlyError(t, diags)
		if !pathOf(e).Equal(path.Root("tags").AtMapKey("site")) {
			t.Errorf("error on %v, want tags[\"site\"]", pathOf(e))
		}
	})
}

func onlyError(t *testing.T, diags diag.Diagnostics) diag.Diagnostic {
	t.Helper()
	if diags.ErrorsCount() != 1 {
		t.Fatalf("diagnostics %v, want exactly one error", diags)
	}
	return diags.Errors()[0]
}

func pathOf(d diag.Diagnostic) path.Path {
	if p, ok := d.(interface{ Path() path.Path }); ok {
		return p.Path()
	}
	return path.Empty()
}

// planTags predicts tags_all from the configured tags and the provider's
// settings, warns about a configured key the provider ignores, and
// leaves tags_all unknown while the provider is not configured.
func TestPlanTags(t *testing.T) {
	ctx := context.Background()
	r, ok := newNetworkInterfaceResource().(*networkInterfaceResource)
	if !ok {
		t.Fatal("newNetworkInterfaceResource is not a *networkInterfaceResource")
	}
	var diags diag.Diagnostics
	plan := networkInterfaceModel{Tags: stringMap(ctx, map[string]string{"team": "web", "managed-by": "me"}, &diags)}

	r.planTags(ctx, &plan, &diags)
	if !plan.TagsAll.IsUnknown() || diags.HasError() {
		t.Errorf("without provider settings: tags_all %v, diagnostics %v; want unknown and no error", plan.TagsAll, diags)
	}

	r.setMeta(&Meta{Tags: tagSettings})
	r.planTags(ctx, &plan, &diags)
	want := map[string]string{"owner": "platform", "cost": "cc-1", "team": "web"}
	if got := mapStrings(ctx, plan.TagsAll, &diags); !maps.Equal(got, want) {
		t.Errorf("tags_all = %v, want %v", got, want)
	}
	if diags.HasError() || diags.WarningsCount() != 1 {
		t.Fatalf("diagnostics %v, want one warning", diags)
	}
	w := diags.Warnings()[0]
	if !pathOf(w).Equal(path.Root("tags").AtMapKey("managed-by")) || !strings.Contains(w.Detail(), "ignore_tags") {
		t.Errorf("warning %q on %v, want one naming ignore_tags on tags[\"managed-by\"]", w.Detail(), pathOf(w))
	}
}
