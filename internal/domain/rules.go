package domain

import (
	"strconv"
	"strings"
)

// RuleError is a value that breaks one of the API's rules. Its text is a
// predicate meant to follow the value: `"a" is 1 character long; an ENI
// name is 2 to 128 characters`. The provider puts it in a diagnostic on the
// attribute; the emulator puts it in the message of its Alibaba error code.
type RuleError struct {
	// Problem says what is wrong with the value ("is 1 character long").
	Problem string
	// Rule is the rule it breaks, which is also how to fix it ("an ENI
	// name is 2 to 128 characters").
	Rule string
}

func (e *RuleError) Error() string { return e.Problem + "; " + e.Rule }

func ruleError(rule, problem string) *RuleError { return &RuleError{Problem: problem, Rule: rule} }

// urlPrefixes are the prefixes the API refuses in names, descriptions and
// tags. They are matched without regard to case: the references do not
// say, and the provider and the emulator both did so before this rule was
// shared.
var urlPrefixes = []string{"http://", "https://"}

// urlPrefix returns the URL prefix s starts with, or "".
func urlPrefix(s string) string { return findURL(s, strings.HasPrefix) }

// urlIn returns the URL prefix s contains anywhere, or "".
func urlIn(s string) string { return findURL(s, strings.Contains) }

func findURL(s string, match func(s, p string) bool) string {
	l := strings.ToLower(s)
	for _, p := range urlPrefixes {
		if match(l, p) {
			return p
		}
	}
	return ""
}

// characters is "1 character" or "n characters".
func characters(n int) string {
	if n == 1 {
		return "1 character"
	}
	return strconv.Itoa(n) + " characters"
}
