package domain

import (
	"unicode"
	"unicode/utf8"
)

// Limits of ENI names and descriptions, in characters (runes), as the
// CreateNetworkInterface and ModifyNetworkInterfaceAttribute references
// count them: a Chinese character is one character, not three bytes.
const (
	ENINameMinLength        = 2
	ENINameMaxLength        = 128
	ENIDescriptionMinLength = 2
	ENIDescriptionMaxLength = 256
)

// ENINameRule and ENIDescriptionRule state the rules in one sentence, for
// schema descriptions and error messages.
const (
	ENINameRule = "an ENI name is 2 to 128 characters, starts with a letter, holds only letters, digits, " +
		"'.', '_', ':' and '-', and does not start with http:// or https://"
	ENIDescriptionRule = "an ENI description is 2 to 256 characters and does not start with http:// or https://"
)

// ENIName checks an ENI name (NetworkInterfaceName).
//
// The provider and the emulator disagreed here: the provider allowed only
// letters, digits, '.', '_', ':' and '-' after the first letter, the
// emulator any character. The ModifyNetworkInterfaceAttribute and
// CreateNetworkInterface references ("The name can contain letters,
// digits, colons (:), underscores (_), periods (.), and hyphens (-)";
// letters are Unicode letters, Chinese included) side with the provider,
// so that is the rule. Digits are ASCII digits. The http:// and https://
// prefixes are refused by the character set already; they are checked
// first so the message names them.
func ENIName(name string) error {
	if p := urlPrefix(name); p != "" {
		return ruleError(ENINameRule, "starts with "+p)
	}
	if n := utf8.RuneCountInString(name); n < ENINameMinLength || n > ENINameMaxLength {
		return ruleError(ENINameRule, "is "+characters(n)+" long")
	}
	for i, r := range name {
		switch {
		case i == 0 && !unicode.IsLetter(r):
			return ruleError(ENINameRule, "starts with "+quoteRune(r)+", not a letter")
		case !nameRune(r):
			return ruleError(ENINameRule, "contains "+quoteRune(r))
		}
	}
	return nil
}

// nameRune reports whether r may appear in an ENI name.
func nameRune(r rune) bool {
	switch {
	case unicode.IsLetter(r), r >= '0' && r <= '9':
		return true
	case r == '.', r == '_', r == ':', r == '-':
		return true
	}
	return false
}

// ENIDescription checks an ENI description (Description). Both sides
// already agreed on the rule; the provider counted bytes, which refused a
// 100-character Chinese description the API accepts.
func ENIDescription(desc string) error {
	if n := utf8.RuneCountInString(desc); n < ENIDescriptionMinLength || n > ENIDescriptionMaxLength {
		return ruleError(ENIDescriptionRule, "is "+characters(n)+" long")
	}
	if p := urlPrefix(desc); p != "" {
		return ruleError(ENIDescriptionRule, "starts with "+p)
	}
	return nil
}

// quoteRune quotes a character for a message: "' '" for a space.
func quoteRune(r rune) string {
	if r == utf8.RuneError {
		return "an invalid UTF-8 byte"
	}
	return "'" + string(r) + "'"
}
