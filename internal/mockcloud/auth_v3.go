package mockcloud

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// The V3 signature, which the current SDKs (darabonba-openapi) use by
// default: the request is described by a canonical request
//
//	METHOD \n URI \n QUERY \n HEADERS \n SIGNED-HEADERS \n HEX(SHA256(body))
//
// whose hash is signed: Authorization: ACS3-HMAC-SHA256
// Credential=<key>,SignedHeaders=<h1;h2>,Signature=hex(HMAC-SHA256(secret,
// "ACS3-HMAC-SHA256\n" + hex(sha256(canonical request)))). Action, Version,
// signing time and nonce travel in x-acs-* headers; the parameters stay in
// the query string or a form body.

// v3Algorithm is the only V3 algorithm the emulator verifies; the SDKs'
// ACS3-HMAC-SM3 and ACS3-RSA-SHA256 are refused with a clear error.
const v3Algorithm = "ACS3-HMAC-SHA256"

// Headers of a V3 request that carry signing data.
const (
	hdrDate          = "x-acs-date"
	hdrNonce         = "x-acs-signature-nonce"
	hdrContentSHA256 = "x-acs-content-sha256"
)

// v3Authorization is a parsed Authorization header.
type v3Authorization struct {
	keyID         string
	signedHeaders []string // lower-cased, sorted, without duplicates
	signature     string
}

// isV3Request reports whether r carries a V3 signature. It is asked before
// routing so that a client using an algorithm the emulator does not know
// hears about the algorithm, not about a missing Action.
func isV3Request(r *http.Request) (bool, error) {
	h := r.Header.Get("Authorization")
	if h == "" {
		return false, nil
	}
	alg, _, _ := strings.Cut(strings.TrimSpace(h), " ")
	if alg != v3Algorithm {
		return false, errInvalid("Authorization", "the signature algorithm "+strconv.Quote(alg)+
			" is not supported; sign with "+v3Algorithm+", or with the RPC signature (HMAC-SHA1) in the parameters")
	}
	return true, nil
}

// authenticateV3 verifies a V3 signature: the headers it needs, the
// signing time, the key, the body against its declared hash, the signature
// and last the nonce, so that a refused request does not use one up (the
// order of the V1 check).
func (s *Server) authenticateV3(r *http.Request) error {
	auth, err := parseV3Authorization(r.Header.Values("Authorization"))
	if err != nil {
		return err
	}
	if err := checkV3Headers(r, auth.signedHeaders); err != nil {
		return err
	}
	now := s.now()
	signedAt, err := signedTime(hdrDate, r.Header.Get(hdrDate), now)
	if err != nil {
		return err
	}
	secret, err := s.secretOf(auth.keyID, r.Header.Get("x-acs-security-token"), now)
	if err != nil {
		return err
	}
	body := bodyOf(r)
	// The server hashes the body it received, never trusting the header,
	// so a changed body cannot pass with the original signature.
	payloadHash := sha256Hex(body)
	canonical := v3CanonicalRequest(r, auth.signedHeaders, payloadHash)
	stringToSign := V3StringToSign(canonical)
	if declared := r.Header.Get(hdrContentSHA256); !strings.EqualFold(declared, payloadHash) {
		return badRequest("SignatureDoesNotMatch",
			"Specified signature is not matched with our calculation: the %s header %q is not the SHA-256 of the request body (%s). server string to sign is:%s",
			hdrContentSHA256, declared, payloadHash, stringToSign)
	}
	if !hmac.Equal([]byte(SignV3(stringToSign, secret)), []byte(strings.ToLower(auth.signature))) {
		return badRequest("SignatureDoesNotMatch",
			"Specified signature is not matched with our calculation. server canonical request is:%s server string to sign is:%s",
			canonical, stringToSign)
	}
	if !s.useNonce(r.Header.Get(hdrNonce), signedAt, now) {
		return badRequest("SignatureNonceUsed", "Specified signature nonce was used already.")
	}
	return nil
}

// parseV3Authorization splits "ACS3-HMAC-SHA256 Credential=..,
// SignedHeaders=..,Signature=..". A missing, empty, repeated or unknown
// part is IncompleteSignature, the code the gateway gives a signature it
// cannot read (as for a V1 request without Signature).
func parseV3Authorization(values []string) (v3Authorization, error) {
	var a v3Authorization
	if len(values) != 1 {
		return a, incompleteSignature("the Authorization header is given more than once")
	}
	_, rest, _ := strings.Cut(strings.TrimSpace(values[0]), " ")
	parts := map[string]string{}
	for _, part := range strings.Split(rest, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok || v == "" {
			return a, incompleteSignature("the Authorization part " + strconv.Quote(part) + " is not Name=Value")
		}
		if k != "Credential" && k != "SignedHeaders" && k != "Signature" {
			return a, incompleteSignature("the Authorization header has an unknown part " + strconv.Quote(k))
		}
		if _, dup := parts[k]; dup {
			return a, incompleteSignature("the Authorization part " + k + " is given more than once")
		}
		parts[k] = v
	}
	for _, k := range []string{"Credential", "SignedHeaders", "Signature"} {
		if parts[k] == "" {
			return a, incompleteSignature(k + " is missing from the Authorization header")
		}
	}
	a.keyID, a.signature = parts["Credential"], parts["Signature"]
	a.signedHeaders = normalizeHeaderList(parts["SignedHeaders"])
	return a, nil
}

// normalizeHeaderList lower-cases, sorts and de-duplicates a SignedHeaders
// list: the canonical request is defined over that form, so a client that
// signed another order gets SignatureDoesNotMatch with the server's view.
func normalizeHeaderList(list string) []string {
	var names []string
	for _, n := range strings.Split(list, ";") {
		if n = strings.ToLower(strings.TrimSpace(n)); n != "" {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	return slices.Compact(names)
}

// checkV3Headers requires the signing headers and that every x-acs-*
// header and host is signed, as the V3 rules demand: an unsigned one could
// be changed on the way (a security token, the action) without the
// signature noticing. content-type may go unsigned; the body it describes
// is covered by the payload hash.
func checkV3Headers(r *http.Request, signed []string) error {
	if r.Header.Get(hdrDate) == "" {
		return errMissing(hdrDate) // as V1's missing Timestamp
	}
	for _, h := range []string{hdrNonce, hdrContentSHA256} {
		if r.Header.Get(h) == "" {
			return incompleteSignature(h + " is missing")
		}
	}
	mustSign := []string{"host"}
	for name := range r.Header {
		if lower := strings.ToLower(name); strings.HasPrefix(lower, "x-acs-") {
			mustSign = append(mustSign, lower)
		}
	}
	slices.Sort(mustSign)
	for _, name := range mustSign {
		if _, found := slices.BinarySearch(signed, name); !found {
			return incompleteSignature("the header " + name + " is not in SignedHeaders")
		}
	}
	return nil
}

// v3CanonicalRequest is the server's canonical form of r.
func v3CanonicalRequest(r *http.Request, signed []string, payloadHash string) string {
	return strings.Join([]string{
		r.Method,
		v3CanonicalURI(r),
		v3CanonicalQuery(r.URL.RawQuery),
		v3CanonicalHeaders(r, signed),
		strings.Join(signed, ";"),
		payloadHash,
	}, "\n")
}

// v3CanonicalURI is the escaped path; RPC calls always use "/".
func v3CanonicalURI(r *http.Request) string {
	if p := r.URL.EscapedPath(); p != "" {
		return p
	}
	return "/"
}

// v3CanonicalQuery sorts the query by name and percent-encodes names and
// values per RFC 3986 (the same encoding as V1). Form-body parameters are
// not part of it: the payload hash covers them.
func v3CanonicalQuery(rawQuery string) string {
	q, _ := url.ParseQuery(rawQuery) // a malformed query was refused by readRequest
	names := make([]string, 0, len(q))
	for k := range q {
		names = append(names, k)
	}
	slices.Sort(names)
	var pairs []string
	for _, k := range names {
		vs := slices.Clone(q[k])
		slices.Sort(vs)
		for _, v := range vs {
			pairs = append(pairs, percentEncode(k)+"="+percentEncode(v))
		}
	}
	return strings.Join(pairs, "&")
}

// v3CanonicalHeaders lists each signed header as "name:value\n", values
// trimmed, several values sorted and joined by commas. Go's server keeps
// the Host header in r.Host, not in r.Header.
func v3CanonicalHeaders(r *http.Request, signed []string) string {
	var b strings.Builder
	for _, name := range signed {
		var vs []string
		if name == "host" {
			vs = []string{r.Host}
		} else {
			for _, v := range r.Header.Values(name) {
				vs = append(vs, strings.TrimSpace(v))
			}
			slices.Sort(vs)
		}
		b.WriteString(name + ":" + strings.Join(vs, ",") + "\n")
	}
	return b.String()
}

// V3StringToSign is "ACS3-HMAC-SHA256\n" + hex(sha256(canonical request)).
func V3StringToSign(canonicalRequest string) string {
	return v3Algorithm + "\n" + sha256Hex([]byte(canonicalRequest))
}

// SignV3 is hex(HMAC-SHA256(secret, stringToSign)); unlike V1 the key is
// the bare secret, without a trailing "&".
func SignV3(stringToSign, secret string) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(stringToSign))
	return hex.EncodeToString(mac.Sum(nil))
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func incompleteSignature(why string) *apiError {
	return badRequest("IncompleteSignature", "The request signature does not conform to Aliyun standards: %s.", why)
}
