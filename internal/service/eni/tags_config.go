package eni

import (
	"maps"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// TagConfig is the provider's tag settings, handed to every resource and
// data source with the Meta: the default_tags block (tags every taggable
// resource carries unless it sets the key itself) and the ignore_tags
// block (keys this provider neither reads nor writes, such as the tags an
// organisation's policy or another tool puts on every resource).
//
// The methods hold the rules, so the resource and the data sources apply
// the same ones; a nil *TagConfig is a provider without either block.
type TagConfig struct {
	Default        map[string]string
	IgnoreKeys     []string
	IgnorePrefixes []string
}

// ignored reports whether ignore_tags covers a key: an exact key, or a
// key starting with one of the prefixes. Both are case-sensitive, as tag
// keys are.
func (c *TagConfig) ignored(key string) bool {
	if c == nil {
		return false
	}
	for _, k := range c.IgnoreKeys {
		if key == k {
			return true
		}
	}
	for _, p := range c.IgnorePrefixes {
		if strings.HasPrefix(key, p) {
			return true
		}
	}
	return false
}

// defaultValue is the default tag of a key, if there is one.
func (c *TagConfig) defaultValue(key string) (string, bool) {
	if c == nil {
		return "", false
	}
	v, ok := c.Default[key]
	return v, ok
}

// merged is what a resource configured with tags carries: the default
// tags, overridden key by key by its own, without the ignored keys (which
// this provider never sets). It is never nil.
func (c *TagConfig) merged(tags map[string]string) map[string]string {
	out := map[string]string{}
	if c != nil {
		maps.Copy(out, c.Default)
	}
	maps.Copy(out, tags)
	maps.DeleteFunc(out, func(k, _ string) bool { return c.ignored(k) })
	return out
}

// visible is what a read reports of the tags the cloud holds: every key
// but the ignored ones, so that a tag someone else manages never shows as
// a change. An ignored key the configuration names (configured) is
// reported with its configured value, as it was never read: no
// difference is shown for it either. It is never nil.
func (c *TagConfig) visible(cloud, configured map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range cloud {
		if !c.ignored(k) {
			out[k] = v
		}
	}
	for k, v := range configured {
		if c.ignored(k) {
			out[k] = v
		}
	}
	return out
}

// resourceTags is the tags argument a read records: what the cloud holds
// (as visible reports it) less the keys that come from default_tags,
// which show in tags_all alone. A key the configuration sets (prior: the
// tags argument before the read) stays in tags although default_tags has
// it too, since the resource's own value wins; a default key whose value
// changed outside Terraform shows as a difference of tags_all. A null
// argument (prior nil) stays null when nothing else is left, so that a
// resource without tags shows no change from null to {}.
func (c *TagConfig) resourceTags(cloud, prior map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range c.visible(cloud, prior) {
		_, configured := prior[k]
		if _, isDefault := c.defaultValue(k); isDefault && !configured {
			continue
		}
		out[k] = v
	}
	if len(out) == 0 && prior == nil {
		return nil
	}
	return out
}

// ignoredIn lists the keys of tags that ignore_tags covers, sorted.
func (c *TagConfig) ignoredIn(tags map[string]string) []string {
	var out []string
	for k := range tags {
		if c.ignored(k) {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

// TagsValidator applies the API's tag rules to a map of tags; the
// provider checks default_tags with it, as the resource checks tags.
func TagsValidator() validator.Map { return tagsValidator{} }

// IgnoredDefaults lists the keys of the default tags that ignore_tags
// covers, sorted: such a default has no effect.
func (c *TagConfig) IgnoredDefaults() []string {
	if c == nil {
		return nil
	}
	return c.ignoredIn(c.Default)
}
