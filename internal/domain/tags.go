package domain

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// Tag limits of the ECS tag API (CreateNetworkInterface Tag.N,
// TagResources), lengths in characters (runes).
const (
	MaxTagsPerResource = 20
	TagKeyMaxLength    = 128
	TagValueMaxLength  = 128
)

// TagKeyRule, TagValueRule and TagCountRule state the rules in one
// sentence, for schema descriptions and error messages.
const (
	TagKeyRule = "a tag key is 1 to 128 characters, does not start with aliyun or acs: " +
		"(a prefix Alibaba Cloud reserves) and does not contain http:// or https://"
	TagValueRule = "a tag value is at most 128 characters, may be empty and does not contain http:// or https://"
	TagCountRule = "a resource carries at most 20 tags"
)

// reservedTagPrefixes are the tag key prefixes Alibaba Cloud keeps for
// itself, matched without regard to case.
var reservedTagPrefixes = []string{"aliyun", "acs:"}

// TagKey checks a tag key.
func TagKey(key string) error {
	if key == "" {
		return ruleError(TagKeyRule, "is empty")
	}
	if n := utf8.RuneCountInString(key); n > TagKeyMaxLength {
		return ruleError(TagKeyRule, "is "+characters(n)+" long")
	}
	l := strings.ToLower(key)
	for _, p := range reservedTagPrefixes {
		if strings.HasPrefix(l, p) {
			return ruleError(TagKeyRule, "starts with "+p+", a prefix Alibaba Cloud reserves")
		}
	}
	if p := urlIn(key); p != "" {
		return ruleError(TagKeyRule, "contains "+p)
	}
	return nil
}

// TagValue checks a tag value; an empty value is valid.
func TagValue(value string) error {
	if n := utf8.RuneCountInString(value); n > TagValueMaxLength {
		return ruleError(TagValueRule, "is "+characters(n)+" long")
	}
	if p := urlIn(value); p != "" {
		return ruleError(TagValueRule, "contains "+p)
	}
	return nil
}

// TagCount checks how many tags one resource would carry; its message
// follows the resource ("would carry 21 tags; ...").
func TagCount(n int) error {
	if n > MaxTagsPerResource {
		return ruleError(TagCountRule, "would carry "+strconv.Itoa(n)+" tags")
	}
	return nil
}
