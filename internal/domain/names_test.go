package domain

import (
	"strings"
	"testing"
)

// ruleCase is one input of a rule and whether the rule accepts it; want
// is a piece of the error text when it does not.
type ruleCase struct {
	name  string
	value string
	ok    bool
	want  string
}

func runRule(t *testing.T, rule func(string) error, cases []ruleCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := rule(tc.value)
			switch {
			case tc.ok && err != nil:
				t.Fatalf("%q refused: %v", tc.value, err)
			case !tc.ok && err == nil:
				t.Fatalf("%q accepted", tc.value)
			case !tc.ok && !strings.Contains(err.Error(), tc.want):
				t.Fatalf("%q: error %q does not say %q", tc.value, err, tc.want)
			}
		})
	}
}

func TestENIName(t *testing.T) {
	zh128 := strings.Repeat("网", 128) // 384 bytes, 128 characters
	runRule(t, ENIName, []ruleCase{
		{"two letters", "ab", true, ""},
		{"one letter", "a", false, "is 1 character long"},
		{"empty", "", false, "is 0 characters long"},
		{"128 characters", "a" + strings.Repeat("b", 127), true, ""},
		{"129 characters", strings.Repeat("a", 129), false, "is 129 characters long"},
		{"every allowed character", "web-eni_1.a:b", true, ""},
		{"upper case", "WebENI", true, ""},
		{"128 Chinese characters", zh128, true, ""},
		{"129 Chinese characters", zh128 + "网", false, "is 129 characters long"},
		{"Chinese with digits and hyphen", "网卡-1", true, ""},
		{"other script letters", "сеть-1", true, ""},
		{"two Chinese characters, six bytes", "网卡", true, ""},
		{"starts with a digit", "1eni", false, "starts with '1', not a letter"},
		{"starts with a hyphen", "-x", false, "starts with '-', not a letter"},
		{"starts with an underscore", "_x", false, "not a letter"},
		{"space", "web eni", false, "contains ' '"},
		{"slash", "web/eni", false, "contains '/'"},
		{"non-ASCII digit", "a١", false, "contains"},
		{"http prefix", "http://x", false, "starts with http://"},
		{"https prefix", "https://x", false, "starts with https://"},
		{"URL prefix in upper case", "HTTPS://x", false, "starts with https://"},
		{"http without slashes", "http:x", true, ""},
		{"invalid UTF-8", "a\xff", false, "invalid UTF-8"},
	})
}

func TestENIDescription(t *testing.T) {
	zh100 := strings.Repeat("描", 100) // 300 bytes, 100 characters
	runRule(t, ENIDescription, []ruleCase{
		{"two characters", "ab", true, ""},
		{"one character", "d", false, "is 1 character long"},
		{"empty", "", false, "is 0 characters long"},
		{"256 characters", strings.Repeat("d", 256), true, ""},
		{"257 characters", strings.Repeat("d", 257), false, "is 257 characters long"},
		{"100 Chinese characters", zh100, true, ""},
		{"256 Chinese characters", strings.Repeat("描", 256), true, ""},
		{"257 Chinese characters", strings.Repeat("描", 257), false, "is 257 characters long"},
		{"starts with a digit", "1 interface", true, ""},
		{"spaces and punctuation", "Failover interface, zone h / web.", true, ""},
		{"http prefix", "http://example.com", false, "starts with http://"},
		{"https prefix in mixed case", "Https://example.com", false, "starts with https://"},
		{"URL later on", "see https://example.com", true, ""},
	})
}

func TestRuleErrorText(t *testing.T) {
	err := ENIName("a")
	re, ok := err.(*RuleError)
	if !ok {
		t.Fatalf("%T, want *RuleError", err)
	}
	if re.Rule != ENINameRule || re.Problem != "is 1 character long" || err.Error() != re.Problem+"; "+ENINameRule {
		t.Fatalf("%+v", re)
	}
}
