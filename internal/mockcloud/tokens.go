package mockcloud

import (
	"bytes"
	"compress/flate"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"sort"
	"time"

	"github.com/openeni/terraform-provider-eni/internal/domain"
)

// ClientToken records are what idempotency needs and no more: a short
// fingerprint of the first request's parameters, when it was made, and the
// body only when it says more than its RequestId (a create's new IDs, an
// assign's addresses), deflated (a create's 1.2 KB answer keeps in about
// 400 bytes).
//
// The real API documents no expiry. A retry with the same token belongs
// to one call of one client, which gives up within its own timeout: the
// SDKs within seconds, this provider within an operation's timeout (10
// minutes by default) plus its minute of grace after Ctrl-C. So a record
// lives TokenTTL, an hour, well past any of those; and there are never
// more than MaxTokens, oldest dropped first, so memory stays bounded at
// any request rate (about 6 MB). At the provider's few mutations a second
// the count never binds; at the emulator's full speed (about 2,500
// token-carrying calls a second) the window is still seconds, longer
// than a retry takes.
const (
	TokenTTL  = time.Hour
	MaxTokens = 10_000
)

// tokenRecord remembers the first successful result of a mutating call
// made with a ClientToken, so a retry with the same token changes nothing
// more and gets the same answer.
type tokenRecord struct {
	Fingerprint string    `json:"fingerprint"`
	At          time.Time `json:"at"`
	// Body is the success body, deflated; nil stands for one with only
	// RequestId.
	Body []byte `json:"body,omitempty"`
}

// emptyBody is the encoded success body with nothing but a RequestId.
var emptyBody = encodeObject(nil)

// tokenAt orders the records for expiry; Server.tokenOrder holds them
// oldest first.
type tokenAt struct {
	key string
	at  time.Time
}

// tokenKey is the key of a call's ClientToken record, or "" when the
// action takes no token or the call sent none. A malformed token is an
// error.
func tokenKey(a *action, p params) (string, error) {
	tok := p["ClientToken"]
	if !a.Token || tok == "" {
		return "", nil
	}
	if domain.ClientToken(tok) != nil {
		return "", errInvalid("ClientToken", domain.ClientTokenRule)
	}
	return a.Name + "/" + tok, nil
}

// replayToken answers a retry from its record: the first answer again, or
// IdempotentParameterMismatch when the parameters differ. ok is false when
// there is no live record. Callers hold s.mu.
func (s *Server) replayToken(key, fingerprint string, now time.Time) (status int, body []byte, ok bool) {
	s.expireTokens(now)
	rec := s.st.Tokens[key]
	if rec == nil {
		return 0, nil, false
	}
	if rec.Fingerprint != fingerprint {
		status, body = encodeError(badRequest("IdempotentParameterMismatch",
			"The request uses the same ClientToken as a previous, but non-identical request."))
		return status, body, true
	}
	if rec.Body == nil {
		return http.StatusOK, emptyBody, true
	}
	body, err := inflate(rec.Body)
	if err != nil { // cannot happen: the emulator deflated it
		status, body = encodeError(err)
		return status, body, true
	}
	return http.StatusOK, body, true
}

// rememberToken records a successful call's answer. Callers hold s.mu.
func (s *Server) rememberToken(key, fingerprint string, body []byte, now time.Time) {
	rec := &tokenRecord{Fingerprint: fingerprint, At: now}
	if !bytes.Equal(body, emptyBody) {
		rec.Body = s.deflate(body)
	}
	s.st.Tokens[key] = rec
	s.tokenOrder = append(s.tokenOrder, tokenAt{key, now})
	s.expireTokens(now)
}

// expireTokens drops records older than TokenTTL, and the oldest beyond
// MaxTokens. Records are added in time order, so the oldest are first.
func (s *Server) expireTokens(now time.Time) {
	drop := 0
	for drop < len(s.tokenOrder) {
		t := s.tokenOrder[drop]
		if len(s.tokenOrder)-drop <= MaxTokens && now.Sub(t.at) <= TokenTTL {
			break
		}
		// A key re-recorded later (after its record expired) is newer
		// than this entry; keep that record.
		if rec := s.st.Tokens[t.key]; rec != nil && rec.At.Equal(t.at) {
			delete(s.st.Tokens, t.key)
		}
		drop++
	}
	if drop > 0 {
		// Reuse the array; it shrinks once most of it is dead.
		s.tokenOrder = s.tokenOrder[drop:]
		if cap(s.tokenOrder) > 2*len(s.tokenOrder)+1024 {
			s.tokenOrder = slices.Clone(s.tokenOrder)
		}
	}
}

// indexTokens rebuilds the expiry order after the state was loaded.
func (s *Server) indexTokens() {
	s.tokenOrder = s.tokenOrder[:0]
	for k, rec := range s.st.Tokens {
		s.tokenOrder = append(s.tokenOrder, tokenAt{k, rec.At})
	}
	sort.Slice(s.tokenOrder, func(i, j int) bool { return s.tokenOrder[i].at.Before(s.tokenOrder[j].at) })
}

// paramFingerprint identifies a request's business parameters, so the
// same ClientToken with different parameters can be refused. 128 bits of
// SHA-256 are plenty to tell requests apart and half the size.
func paramFingerprint(p params) string {
	kept := p.withoutSignature()
	h := sha256.New()
	for _, k := range slices.Sorted(maps.Keys(kept)) {
		fmt.Fprintf(h, "%s=%s\n", k, kept[k])
	}
	return base64.RawStdEncoding.EncodeToString(h.Sum(nil)[:16])
}

// deflate compresses a body with one writer kept on the server (a flate
// writer is large to make). Callers hold s.mu.
func (s *Server) deflate(b []byte) []byte {
	var out bytes.Buffer
	if s.deflater == nil {
		s.deflater, _ = flate.NewWriter(&out, flate.BestSpeed)
	} else {
		s.deflater.Reset(&out)
	}
	_, _ = s.deflater.Write(b)
	_ = s.deflater.Close()
	return bytes.Clone(out.Bytes())
}

func inflate(b []byte) ([]byte, error) {
	r := flate.NewReader(bytes.NewReader(b))
	defer r.Close()
	return io.ReadAll(r)
}
