package domain

import (
	"strings"
	"testing"
)

func TestTagKey(t *testing.T) {
	runRule(t, TagKey, []ruleCase{
		{"one character", "k", true, ""},
		{"empty", "", false, "is empty"},
		{"128 characters", strings.Repeat("k", 128), true, ""},
		{"129 characters", strings.Repeat("k", 129), false, "is 129 characters long"},
		{"128 Chinese characters", strings.Repeat("键", 128), true, ""},
		{"129 Chinese characters", strings.Repeat("键", 129), false, "is 129 characters long"},
		{"aliyun prefix", "aliyun-x", false, "starts with aliyun, a prefix Alibaba Cloud reserves"},
		{"aliyun prefix in upper case", "ALIYUNx", false, "starts with aliyun"},
		{"acs: prefix", "acs:x", false, "starts with acs:"},
		{"acs: prefix in mixed case", "Acs:x", false, "starts with acs:"},
		{"acs without colon", "acsx", true, ""},
		{"aliyun later on", "my-aliyun", true, ""},
		{"http inside", "a-http://x", false, "contains http://"},
		{"https inside in upper case", "aHTTPS://x", false, "contains https://"},
		{"spaces and colons", "team: web", true, ""},
	})
}

func TestTagValue(t *testing.T) {
	runRule(t, TagValue, []ruleCase{
		{"empty", "", true, ""},
		{"128 characters", strings.Repeat("v", 128), true, ""},
		{"129 characters", strings.Repeat("v", 129), false, "is 129 characters long"},
		{"128 Chinese characters", strings.Repeat("值", 128), true, ""},
		{"129 Chinese characters", strings.Repeat("值", 129), false, "is 129 characters long"},
		{"aliyun prefix is allowed in values", "aliyun", true, ""},
		{"acs: prefix is allowed in values", "acs:x", true, ""},
		{"http inside", "see http://x", false, "contains http://"},
		{"https prefix in upper case", "HTTPS://x", false, "contains https://"},
	})
}

func TestTagCount(t *testing.T) {
	for n, ok := range map[int]bool{0: true, 1: true, 20: true, 21: false, 100: false} {
		if err := TagCount(n); (err == nil) != ok {
			t.Errorf("TagCount(%d) = %v", n, err)
		}
	}
	if err := TagCount(21); err == nil || err.Error() != "would carry 21 tags; "+TagCountRule {
		t.Errorf("TagCount(21) = %v", err)
	}
}

func TestClientToken(t *testing.T) {
	runRule(t, ClientToken, []ruleCase{
		{"empty", "", true, ""},
		{"UUID", "0f8fad5b-d9cb-469f-a165-70867728950e", true, ""},
		{"64 characters", strings.Repeat("t", 64), true, ""},
		{"65 characters", strings.Repeat("t", 65), false, "is 65 characters long"},
		{"not ASCII", "令牌", false, "not ASCII"},
		{"not ASCII and long", strings.Repeat("令", 30), false, "not ASCII"},
	})
}
