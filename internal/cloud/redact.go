package cloud

import (
	"net/url"
	"slices"
	"strings"
	"sync"
)

// mask is what a secret is replaced with, the same as tflog's masking.
const mask = "***"

// secretEncodings are the ways a secret is escaped on its way into text we
// did not write: a server message quoting a query, the SDK's string to sign
// (RPC encoding of the already RPC-encoded query, so the STS token appears
// encoded twice), a URL in a transport error.
var secretEncodings = []func(string) string{url.QueryEscape, rpcEncode, url.PathEscape}

// rpcEncode is Alibaba's RPC percent-encoding (RFC 3986): url.QueryEscape
// with "+" as %20, "*" as %2A and "~" left as it is.
func rpcEncode(s string) string { return rpcReplacer.Replace(url.QueryEscape(s)) }

var rpcReplacer = strings.NewReplacer("+", "%20", "*", "%2A", "%7E", "~")

// secretForms is every form of secret to mask: the raw value and the value
// encoded once or twice with any of secretEncodings, each also with its
// escapes in lower-case hex. Longest first, so that a longer form is masked
// whole before a shorter one could match inside it.
func secretForms(secret string) []string {
	if secret == "" {
		return nil
	}
	forms := []string{secret}
	for _, once := range secretEncodings {
		first := once(secret)
		forms = append(forms, first)
		for _, twice := range secretEncodings {
			forms = append(forms, twice(first))
		}
	}
	for _, f := range forms {
		forms = append(forms, lowerHexEscapes(f))
	}
	return longestFirst(forms)
}

// longestFirst sorts forms by decreasing length and drops duplicates.
func longestFirst(forms []string) []string {
	slices.SortFunc(forms, func(a, b string) int {
		if d := len(b) - len(a); d != 0 {
			return d
		}
		return strings.Compare(a, b)
	})
	return slices.Compact(forms)
}

// lowerHexEscapes writes the hex digits of every %XX escape in lower case.
func lowerHexEscapes(s string) string {
	b := []byte(s)
	for i := 0; i+2 < len(b); i++ {
		if b[i] == '%' && isHex(b[i+1]) && isHex(b[i+2]) {
			b[i+1], b[i+2] = toLowerASCII(b[i+1]), toLowerASCII(b[i+2])
			i += 2
		}
	}
	return string(b)
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func toLowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// redactor masks every form of a set of secrets in a string. Secrets are
// added as the credential chain hands out new temporary keys.
type redactor struct {
	mu       sync.RWMutex
	secrets  []string
	forms    []string // longest first
	replacer *strings.Replacer
}

func newRedactor(secrets []string) *redactor {
	r := &redactor{}
	r.add(secrets...)
	return r
}

// add masks these secrets too from now on.
func (r *redactor) add(secrets ...string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, s := range secrets {
		if s != "" && !slices.Contains(r.secrets, s) {
			r.secrets = append(r.secrets, s)
		}
	}
	var forms []string
	for _, s := range r.secrets {
		forms = append(forms, secretForms(s)...)
	}
	// Longest first across secrets too: at any position strings.Replacer
	// takes the first listed match.
	forms = longestFirst(forms)
	r.forms, r.replacer = forms, nil
	if len(forms) > 0 {
		pairs := make([]string, 0, 2*len(forms))
		for _, f := range forms {
			pairs = append(pairs, f, mask)
		}
		r.replacer = strings.NewReplacer(pairs...)
	}
}

// masked is every form masked so far, longest first.
func (r *redactor) masked() []string {
	if r == nil {
		return nil
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	return slices.Clone(r.forms)
}

// redact returns s with every form of every secret replaced by ***.
func (r *redactor) redact(s string) string {
	if r == nil || s == "" {
		return s
	}
	r.mu.RLock()
	rep := r.replacer
	r.mu.RUnlock()
	if rep == nil {
		return s
	}
	return rep.Replace(s)
}
