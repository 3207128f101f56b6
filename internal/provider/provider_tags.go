package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/openeni/terraform-provider-eni/internal/service/eni"
)

// The provider's tag settings: default_tags and ignore_tags, as users of
// the AWS provider know them. They become one eni.TagConfig in the Meta;
// the resources apply it (internal/service/eni/tags_*.go).

// defaultTagsModel is the default_tags block.
type defaultTagsModel struct {
	Tags types.Map `tfsdk:"tags"`
}

// ignoreTagsModel is the ignore_tags block.
type ignoreTagsModel struct {
	Keys        types.Set `tfsdk:"keys"`
	KeyPrefixes types.Set `tfsdk:"key_prefixes"`
}

func defaultTagsBlock() schema.SingleNestedBlock {
	return schema.SingleNestedBlock{
		MarkdownDescription: "Tags every taggable resource of this provider carries (today `eni_network_interface`), " +
			"for example ownership and cost tags. A resource's own `tags` take precedence over a default tag " +
			"with the same key. The resource's `tags_all` shows the result; a change here shows as an in-place " +
			"update of `tags_all`. The data sources report an ENI's tags as the cloud holds them, default ones included.",
		Attributes: map[string]schema.Attribute{
			"tags": schema.MapAttribute{
				Optional:    true,
				ElementType: types.StringType,
				Validators:  []validator.Map{eni.TagsValidator()},
				MarkdownDescription: "The default tags. The API's rules apply: at most 20 tags per resource, " +
					"counted together with the resource's own; keys of 1 to 128 characters that do not start with " +
					"`aliyun` or `acs:`.",
			},
		},
	}
}

func ignoreTagsBlock() schema.SingleNestedBlock {
	nonEmpty := []validator.Set{setvalidator.ValueStringsAre(stringvalidator.LengthAtLeast(1))}
	return schema.SingleNestedBlock{
		MarkdownDescription: "Tag keys this provider neither reads nor writes, for tags that something else manages " +
			"(a tag policy, another tool). They never show as a difference, are never removed, and are left out " +
			"of `tags`, `tags_all` and the data sources' `tags`. A key set in a resource's `tags` that is ignored " +
			"here has no effect (the plan warns).",
		Attributes: map[string]schema.Attribute{
			"keys": schema.SetAttribute{
				Optional:            true,
				ElementType:         types.StringType,
				Validators:          nonEmpty,
				MarkdownDescription: "Exact tag keys to ignore (case-sensitive).",
			},
			"key_prefixes": schema.SetAttribute{
				Optional:            true,
				ElementType:         types.StringType,
				Validators:          nonEmpty,
				MarkdownDescription: "Tag key prefixes to ignore: every key that starts with one (case-sensitive).",
			},
		},
	}
}

// unknownTagSettings reports whether a tag setting is computed from
// another resource; Terraform configures the provider again once known.
func unknownTagSettings(d *defaultTagsModel, i *ignoreTagsModel) bool {
	if d != nil && (d.Tags.IsUnknown() || !allElementsKnown(d.Tags.Elements())) {
		return true
	}
	return i != nil && (i.Keys.IsUnknown() || i.KeyPrefixes.IsUnknown())
}

func allElementsKnown[K comparable, V interface{ IsUnknown() bool }](elems map[K]V) bool {
	for _, e := range elems {
		if e.IsUnknown() {
			return false
		}
	}
	return true
}

// tagConfig turns the two blocks into the resources' eni.TagConfig, nil
// when neither sets anything. A default tag whose key is ignored is
// reported: ignore_tags wins, so the default has no effect.
func tagConfig(ctx context.Context, d *defaultTagsModel, i *ignoreTagsModel) (*eni.TagConfig, diag.Diagnostics) {
	var diags diag.Diagnostics
	c := &eni.TagConfig{}
	if d != nil && !d.Tags.IsNull() {
		c.Default = map[string]string{}
		diags.Append(d.Tags.ElementsAs(ctx, &c.Default, false)...)
	}
	if i != nil {
		if !i.Keys.IsNull() {
			diags.Append(i.Keys.ElementsAs(ctx, &c.IgnoreKeys, false)...)
		}
		if !i.KeyPrefixes.IsNull() {
			diags.Append(i.KeyPrefixes.ElementsAs(ctx, &c.IgnorePrefixes, false)...)
		}
	}
	if diags.HasError() {
		return nil, diags
	}
	for _, k := range c.IgnoredDefaults() {
		diags.AddAttributeWarning(path.Root("default_tags").AtName("tags").AtMapKey(k), "Default tag ignored",
			fmt.Sprintf("ignore_tags covers the key %q, so no resource gets this default tag. Remove the key from "+
				"default_tags, or from ignore_tags.", k))
	}
	if len(c.Default) == 0 && len(c.IgnoreKeys) == 0 && len(c.IgnorePrefixes) == 0 {
		return nil, diags
	}
	return c, diags
}
