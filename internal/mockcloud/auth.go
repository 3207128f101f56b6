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

// authenticate verifies the RPC signature (version 1.0, HMAC-SHA1) against
// the seeded access keys and refuses reused nonces.
func (s *Server) authenticate(r *http.Request, p params) error {
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
	ts, err := time.Parse("2006-01-02T15:04:05Z", p["Timestamp"])
	if err != nil {
		return badRequest("InvalidTimeStamp.Format", "The specified Timestamp %q is not in the format yyyy-MM-ddTHH:mm:ssZ (UTC).", p["Timestamp"])
	}
	now := s.now()
	if d := now.Sub(ts); d > timestampWindow || d < -timestampWindow {
		return badRequest("IllegalTimestamp", "The input parameter \"Timestamp\" that is mandatory for processing this request is not supplied or is more than 15 minutes from the server time.")
	}
	s.mu.Lock()
	secret, ok := s.st.Credentials[p["AccessKeyId"]]
	s.mu.Unlock()
	if !ok {
		return notFound("InvalidAccessKeyId.NotFound", "Specified access key is not found.")
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
