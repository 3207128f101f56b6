package mockcloud

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"
)

// timestampWindow is how far a request's Timestamp may be from the
// server's clock; a nonce only needs remembering for that long.
const timestampWindow = 15 * time.Minute

// authenticate verifies a request's signature against the seeded access
// keys and refuses reused nonces. An Authorization header means the V3
// signature (ACS3-HMAC-SHA256, auth_v3.go); otherwise the request carries
// the RPC signature (V1) in its parameters.
func (s *Server) authenticate(r *http.Request, p params) error {
	if r.Header.Get("Authorization") != "" {
		return s.authenticateV3(r)
	}
	return s.authenticateV1(r, p)
}

// authenticateV1 verifies the RPC signature (version 1.0, HMAC-SHA1).
func (s *Server) authenticateV1(r *http.Request, p params) error {
	method := r.Method
	for _, name := range []string{"AccessKeyId", "Signature", "SignatureMethod", "SignatureVersion", "SignatureNonce", "Timestamp"} {
		if p[name] == "" {
			if name == "Signature" || name == "SignatureNonce" {
				return badRequest("IncompleteSignature", "The request signature does not conform to Aliyun standards: %s is missing.", name)
			}
			return errMissing(name)
		}
	}
	if p["SignatureMethod"] != "HMAC-SHA1" {
		return badRequest("InvalidParameter", "The specified parameter \"SignatureMethod\" is not valid: only HMAC-SHA1 is supported.")
	}
	if p["SignatureVersion"] != "1.0" {
		return badRequest("InvalidParameter", "The specified parameter \"SignatureVersion\" is not valid: only 1.0 is supported.")
	}
	now := s.now()
	ts, err := signedTime("Timestamp", p["Timestamp"], now)
	if err != nil {
		return err
	}
	secret, err := s.secretOf(p["AccessKeyId"], p["SecurityToken"], now)
	if err != nil {
		return err
	}
	stringToSign := StringToSign(method, p)
	if !hmac.Equal([]byte(Sign(stringToSign, secret)), []byte(p["Signature"])) {
		return badRequest("SignatureDoesNotMatch",
			"Specified signature is not matched with our calculation. server string to sign is:%s", stringToSign)
	}
	if !s.useNonce(p["SignatureNonce"], ts, now) {
		return badRequest("SignatureNonceUsed", "Specified signature nonce was used already.")
	}
	return nil
}

// signedTime parses a request's signing time (the V1 Timestamp parameter
// or the V3 x-acs-date header, both yyyy-MM-ddTHH:mm:ssZ) and refuses one
// outside the window, which bounds how long a nonce must be remembered.
func signedTime(name, value string, now time.Time) (time.Time, error) {
	ts, err := time.Parse("2006-01-02T15:04:05Z", value)
	if err != nil {
		return ts, badRequest("InvalidTimeStamp.Format", "The specified %s %q is not in the format yyyy-MM-ddTHH:mm:ssZ (UTC).", name, value)
	}
	if d := now.Sub(ts); d > timestampWindow || d < -timestampWindow {
		return ts, badRequest("IllegalTimestamp", "The input parameter %q that is mandatory for processing this request is not supplied or is more than 15 minutes from the server time.", name)
	}
	return ts, nil
}

// secretOf is the secret of a seeded access key, or of a temporary one
// (sts.go) given with its unexpired security token.
func (s *Server) secretOf(keyID, token string, now time.Time) (string, error) {
	s.mu.Lock()
	secret, ok := s.st.Credentials[keyID]
	if !ok {
		var err error
		if secret, ok, err = s.tempSecretOf(keyID, token, now); err != nil {
			s.mu.Unlock()
			return "", err
		}
	}
	s.mu.Unlock()
	if !ok {
		return "", notFound("InvalidAccessKeyId.NotFound", "Specified access key is not found.")
	}
	return secret, nil
}

// StringToSign builds the canonical string of an RPC request: every
// parameter but Signature, sorted, percent-encoded per RFC 3986.
func StringToSign(method string, p params) string {
	keys := make([]string, 0, len(p))
	for k := range p {
		if k != "Signature" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var b strings.Builder
	for i, k := range keys {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(percentEncode(k))
		b.WriteByte('=')
		b.WriteString(percentEncode(p[k]))
	}
	return method + "&%2F&" + percentEncode(b.String())
}

// Sign is base64(HMAC-SHA1(secret + "&", stringToSign)).
func Sign(stringToSign, secret string) string {
	mac := hmac.New(sha1.New, []byte(secret+"&"))
	mac.Write([]byte(stringToSign))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

var rfc3986 = strings.NewReplacer("+", "%20", "*", "%2A", "%7E", "~")

func percentEncode(s string) string { return rfc3986.Replace(url.QueryEscape(s)) }

// SignV1 returns p with the V1 signature parameters added, signed for
// method with the given key: what tools and tests that talk to the
// emulator without an SDK send. p must hold Action and Version.
func SignV1(method string, p map[string]string, keyID, secret, nonce string, at time.Time) url.Values {
	all := params{
		"AccessKeyId": keyID, "SignatureMethod": "HMAC-SHA1", "SignatureVersion": "1.0",
		"SignatureNonce": nonce, "Timestamp": at.UTC().Format("2006-01-02T15:04:05Z"), "Format": "JSON",
	}
	for k, v := range p {
		all[k] = v
	}
	q := url.Values{}
	for k, v := range all {
		q.Set(k, v)
	}
	q.Set("Signature", Sign(StringToSign(method, all), secret))
	return q
}
