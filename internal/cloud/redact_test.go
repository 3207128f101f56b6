package cloud

import (
	"net/url"
	"strings"
	"testing"
)

// Test secrets hold characters that every encoding treats differently
// ("+", "/", "=", "*", "~", space), so that each encoding gives its own
// form; none of them is one that JSON log output would escape.
const (
	testSecretKey = "Wr0ng+Secret/Key=with*star~tilde space"
	testSTSToken  = "CAIS+sts/Token=with*star~tilde space"
)

type secretEncoding struct {
	name   string
	encode func(string) string
}

// testEncodings are the encodings every secret must be masked in.
var testEncodings = []secretEncoding{
	{"raw", func(s string) string { return s }},
	{"QueryEscape", url.QueryEscape},
	{"QueryEscape twice", func(s string) string { return url.QueryEscape(url.QueryEscape(s)) }},
	{"RPC percent-encoding", testRPCEncode},
	{"RPC percent-encoding twice", func(s string) string { return testRPCEncode(testRPCEncode(s)) }},
	{"PathEscape", url.PathEscape},
	{"PathEscape twice", func(s string) string { return url.PathEscape(url.PathEscape(s)) }},
}

// testRPCEncode is written out again here, as the API reference gives it
// (§1.5), rather than taken from the code under test.
func testRPCEncode(s string) string {
	s = url.QueryEscape(s)
	s = strings.ReplaceAll(s, "+", "%20")
	s = strings.ReplaceAll(s, "*", "%2A")
	return strings.ReplaceAll(s, "%7E", "~")
}

// assertNoSecret fails when text holds a secret in any of testEncodings.
func assertNoSecret(t *testing.T, what, text string, secrets ...string) {
	t.Helper()
	for _, s := range secrets {
		for _, enc := range testEncodings {
			form := enc.encode(s)
			if i := strings.Index(text, form); i >= 0 {
				t.Errorf("%s holds a secret (%s): ...%s...", what, enc.name, text[max(0, i-80):min(len(text), i+len(form)+20)])
			}
		}
	}
}

func TestTestSecretsExerciseEveryEncoding(t *testing.T) {
	for _, s := range []string{testSecretKey, testSTSToken} {
		seen := map[string]string{}
		for _, enc := range testEncodings {
			form := enc.encode(s)
			if other, dup := seen[form]; dup {
				t.Errorf("%q: %s and %s give the same form %q; the test secret proves too little", s, enc.name, other, form)
			}
			seen[form] = enc.name
		}
	}
}

func TestSecretForms(t *testing.T) {
	forms := secretForms(testSTSToken)
	for _, enc := range testEncodings {
		want := enc.encode(testSTSToken)
		found := false
		for _, f := range forms {
			found = found || f == want
		}
		if !found {
			t.Errorf("secretForms misses the %s form %q", enc.name, want)
		}
	}
	for i := 1; i < len(forms); i++ {
		if len(forms[i]) > len(forms[i-1]) || forms[i] == forms[i-1] {
			t.Fatalf("forms are not longest first without duplicates: %q", forms)
		}
	}
	if secretForms("") != nil {
		t.Error("an empty secret has forms")
	}
	if got := secretForms("plain"); len(got) != 1 || got[0] != "plain" {
		t.Errorf("a secret no encoding changes has forms %q, want just itself", got)
	}
}

func TestRedactor(t *testing.T) {
	r := newRedactor([]string{testSecretKey, testSTSToken})
	for _, s := range []string{testSecretKey, testSTSToken} {
		for _, enc := range testEncodings {
			t.Run(s[:4]+"/"+enc.name, func(t *testing.T) {
				form := enc.encode(s)
				if got := r.redact("before " + form + " after"); got != "before *** after" {
					t.Errorf("redact = %q, want the whole form masked", got)
				}
				if lower := lowerHexEscapes(form); lower != form {
					if got := r.redact("<" + lower + ">"); got != "<***>" {
						t.Errorf("lower-case hex form: redact = %q", got)
					}
				}
			})
		}
	}
	if got := r.redact("nothing secret here"); got != "nothing secret here" {
		t.Errorf("redact changed a text without secrets: %q", got)
	}
	var none *redactor
	if got := none.redact("x"); got != "x" {
		t.Errorf("nil redactor: %q", got)
	}
	if got := newRedactor(nil).redact("x"); got != "x" {
		t.Errorf("empty redactor: %q", got)
	}
}

func TestLowerHexEscapes(t *testing.T) {
	if got, want := lowerHexEscapes("A%2Fb%3D%25%ZZ%A"), "A%2fb%3d%25%ZZ%A"; got != want {
		t.Errorf("lowerHexEscapes = %q, want %q", got, want)
	}
}
