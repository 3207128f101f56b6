package eni

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/openeni/terraform-provider-eni/internal/domain"
)

// The tags of eni_network_interface with the provider's tag settings
// (TagConfig): tags is what the resource configures, tags_all what the
// ENI carries, default tags included, ignored keys left out. The plan
// predicts tags_all, so a change of default_tags alone shows as an
// in-place update of tags_all; apply sends the difference between the
// old and the new tags_all, so an ignored key is never set or removed.

// tagsAllAttribute is the schema of tags_all. It has no plan modifier:
// ModifyPlan (planTags) sets it.
func tagsAllAttribute() schema.MapAttribute {
	return schema.MapAttribute{
		Computed:    true,
		ElementType: types.StringType,
		MarkdownDescription: "Every tag of the ENI: the provider's `default_tags` with `tags` over them (a key set in " +
			"both takes the value of `tags`), without the keys of the provider's `ignore_tags`.",
	}
}

// planTags predicts tags_all from the configured tags and the provider's
// tag settings, and checks the tags the ENI would carry against the API's
// rules. It is unknown while the tags or the provider's settings are.
func (r *networkInterfaceResource) planTags(ctx context.Context, plan *networkInterfaceModel, diags *diag.Diagnostics) {
	if r.meta == nil || plan.Tags.IsUnknown() || !allKnown(slices.Collect(maps.Values(plan.Tags.Elements()))) {
		plan.TagsAll = types.MapUnknown(types.StringType)
		return
	}
	own := mapStrings(ctx, plan.Tags, diags)
	for _, k := range r.tags.ignoredIn(own) {
		diags.AddAttributeWarning(path.Root("tags").AtMapKey(k), "Tag key ignored by the provider",
			fmt.Sprintf("The provider's ignore_tags covers the key %q, so this ENI neither sets nor reads it, and "+
				"the value here has no effect. Remove the key from tags, or from ignore_tags.", k))
	}
	all := r.tags.merged(own)
	checkMergedTags(all, own, diags)
	plan.TagsAll = stringMap(ctx, all, diags)
}

// checkMergedTags applies the API's tag rules (internal/domain) to the
// tags an ENI would carry with the default tags: the tags validator has
// checked own alone and the provider's validator the default tags alone,
// but only together do they show the count. A problem is reported on
// tags when the resource's own tags take part in it, else on tags_all.
func checkMergedTags(all, own map[string]string, diags *diag.Diagnostics) {
	if err := domain.TagCount(len(all)); err != nil {
		fromDefaults := 0
		for k := range all {
			if _, ok := own[k]; !ok {
				fromDefaults++
			}
		}
		diags.AddAttributeError(path.Root("tags"), "Too many tags",
			fmt.Sprintf("With the provider's default_tags (%d of its keys not set here), the ENI %s. Remove %d "+
				"keys from tags, or from the provider's default_tags, or add keys to its ignore_tags.",
				fromDefaults, err, len(all)-domain.MaxTagsPerResource))
	}
	for k, v := range all {
		at, what := path.Root("tags").AtMapKey(k), "tag"
		if _, ok := own[k]; !ok {
			at, what = path.Root("tags_all").AtMapKey(k), "default tag (from the provider's default_tags)"
		}
		if err := domain.TagKey(k); err != nil {
			diags.AddAttributeError(at, "Invalid tag key", fmt.Sprintf("The key %q of a %s %s.", k, what, err))
		}
		if err := domain.TagValue(v); err != nil {
			diags.AddAttributeError(at, "Invalid tag value", fmt.Sprintf("The value %q of %s %q %s.", v, what, k, err))
		}
	}
}

// wantedTags is what apply makes the ENI carry: the planned tags_all, or,
// should the plan have left it unknown, the same merge done now.
func (r *networkInterfaceResource) wantedTags(ctx context.Context, plan networkInterfaceModel, diags *diag.Diagnostics) map[string]string {
	if known(plan.TagsAll) {
		return mapStrings(ctx, plan.TagsAll, diags)
	}
	return r.tags.merged(mapStrings(ctx, plan.Tags, diags))
}

// appliedTags is what the ENI carried before an update, as far as this
// provider manages it: tags_all of the state, or, in a state written
// before tags_all existed and not refreshed since, its tags.
func appliedTags(ctx context.Context, state networkInterfaceModel, diags *diag.Diagnostics) map[string]string {
	if known(state.TagsAll) {
		return mapStrings(ctx, state.TagsAll, diags)
	}
	return mapStrings(ctx, state.Tags, diags)
}

// fillTags records the tags the ENI carries (cloud) in the model, whose
// Tags still hold the configured or prior value.
func (r *networkInterfaceResource) fillTags(ctx context.Context, m *networkInterfaceModel, cloud map[string]string, diags *diag.Diagnostics) {
	prior := mapStrings(ctx, m.Tags, diags)
	m.TagsAll = stringMap(ctx, r.tags.visible(cloud, nil), diags)
	if own := r.tags.resourceTags(cloud, prior); own != nil {
		m.Tags = stringMap(ctx, own, diags)
	} else {
		m.Tags = types.MapNull(types.StringType)
	}
}

// keepPlannedTags keeps, after a create or an update, the planned tags and
// tags_all: apply made the ENI carry exactly them, and a tag another
// writer added meanwhile is for the next refresh to show.
func keepPlannedTags(m *networkInterfaceModel, planned networkInterfaceModel) {
	if !planned.Tags.IsUnknown() {
		m.Tags = planned.Tags
	}
	if known(planned.TagsAll) {
		m.TagsAll = planned.TagsAll
	}
}
