package mockcloud

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"
)

const (
	ecsVersion = "2014-05-26"
	vpcVersion = "2016-04-28"
)

// action is one API operation.
type action struct {
	Version string
	Name    string
	// Mutating actions are counted as such in /_mock/stats and persisted.
	Mutating bool
	// Token: the action accepts ClientToken and is idempotent on it.
	Token  bool
	Handle func(c *call) (object, error)
}

// object is a JSON response body; the server adds RequestId.
type object map[string]any

// call is what a handler sees: the locked state, the parameters and the
// request time.
type call struct {
	srv *Server
	st  *state
	p   params
	now time.Time
}

// delay is the transition delay for asynchronous operations.
func (c *call) delay() time.Duration { return c.srv.delay }

func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		writeError(w, r, forbidden("UnsupportedHTTPMethod", "This http method %q is not supported; use GET or POST.", r.Method))
		return
	}
	p, err := readRequest(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	name, version := p["Action"], p["Version"]
	a := s.actions[version+"/"+name]
	if a != nil {
		s.stats.count(name, a.Mutating)
	} else {
		// Unknown names are pooled so that junk input cannot grow the map.
		s.stats.count("(unknown)", false)
	}
	if name == "" {
		writeError(w, r, errMissing("Action"))
		return
	}
	if version == "" {
		writeError(w, r, errMissing("Version"))
		return
	}
	if err := s.authenticate(r, p); err != nil {
		writeError(w, r, err)
		return
	}
	if a == nil {
		if version != ecsVersion && version != vpcVersion {
			writeError(w, r, badRequest("InvalidVersion", "Specified parameter Version %q is not valid; use %s (ECS) or %s (VPC).", version, ecsVersion, vpcVersion))
			return
		}
		writeError(w, r, notFound("InvalidAction.NotFound", "Specified api %q is not found for version %s, please check your url and method.", name, version))
		return
	}
	if err := s.faults.inject(r.Context()); err != nil {
		writeError(w, r, err)
		return
	}
	status, body := s.execute(a, p)
	if s.faults.loseReply() {
		dropConnection(w)
		return
	}
	writeBody(w, r, status, body)
}

// execute runs a handler under the state lock and returns the encoded
// response. Mutations are persisted before the response is sent.
func (s *Server) execute(a *action, p params) (int, []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	s.st.settle(now, false)

	if region := p["RegionId"]; region != "" && region != s.st.Region {
		return encodeError(notFound("InvalidRegionId.NotFound", "The specified RegionId %q does not exist; this endpoint serves %s.", region, s.st.Region))
	}
	var tokenKey, fingerprint string
	if a.Token && p["ClientToken"] != "" {
		tok := p["ClientToken"]
		if len(tok) > 64 || !isASCII(tok) {
			return encodeError(errInvalid("ClientToken", "it must be at most 64 ASCII characters"))
		}
		tokenKey = a.Name + "/" + tok
		fingerprint = paramFingerprint(p)
		if rec := s.st.Tokens[tokenKey]; rec != nil {
			if rec.Fingerprint != fingerprint {
				return encodeError(badRequest("IdempotentParameterMismatch",
					"The request uses the same ClientToken as a previous, but non-identical request."))
			}
			return rec.Status, rec.Body
		}
	}
	c := &call{srv: s, st: s.st, p: p, now: now}
	obj, err := a.Handle(c)
	var status int
	var body []byte
	if err != nil {
		status, body = encodeError(err)
	} else {
		status, body = http.StatusOK, encodeObject(obj)
	}
	if !a.Mutating {
		return status, body
	}
	if tokenKey != "" && status == http.StatusOK {
		s.st.Tokens[tokenKey] = &tokenRecord{Fingerprint: fingerprint, Status: status, Body: body}
	}
	if err == nil {
		if perr := s.persist(); perr != nil {
			return encodeError(newErr(http.StatusInternalServerError, "InternalError", "The state could not be saved: %v", perr))
		}
	}
	return status, body
}

// paramFingerprint identifies a request's business parameters, so the
// same ClientToken with different parameters can be refused.
func paramFingerprint(p params) string {
	keys := make([]string, 0, len(p))
	for k := range p {
		if !signatureParams[k] {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	h := sha256.New()
	for _, k := range keys {
		fmt.Fprintf(h, "%s=%s\n", k, p[k])
	}
	return hex.EncodeToString(h.Sum(nil))
}

// signatureParams change on every attempt and are not part of a request's
// identity.
var signatureParams = map[string]bool{
	"Signature": true, "SignatureNonce": true, "Timestamp": true, "SignatureMethod": true,
	"SignatureVersion": true, "SignatureType": true, "AccessKeyId": true, "SecurityToken": true, "Format": true,
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] > 127 {
			return false
		}
	}
	return true
}

func newRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	h := strings.ToUpper(hex.EncodeToString(b[:]))
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

const requestIDPlaceholder = "\x00REQUESTID\x00"

// encodeObject marshals a success body with a placeholder RequestId that
// writeBody replaces, so a replayed idempotent response gets a new one.
func encodeObject(obj object) []byte {
	if obj == nil {
		obj = object{}
	}
	obj["RequestId"] = requestIDPlaceholder
	b, err := json.Marshal(obj)
	if err != nil {
		_, b = encodeError(newErr(http.StatusInternalServerError, "InternalError", "encoding the response failed: %v", err))
	}
	return b
}

func encodeError(err error) (int, []byte) {
	ae, ok := err.(*apiError)
	if !ok {
		ae = newErr(http.StatusInternalServerError, "InternalError", "%v", err)
	}
	b, _ := json.Marshal(map[string]string{
		"RequestId": requestIDPlaceholder,
		"HostId":    "ecs.aliyuncs.com",
		"Code":      ae.Code,
		"Message":   ae.Message,
		"Recommend": "https://api.aliyun.com/troubleshoot?q=" + ae.Code,
	})
	return ae.Status, b
}

var placeholderJSON = mustJSON(requestIDPlaceholder)

func mustJSON(s string) []byte {
	b, _ := json.Marshal(s)
	return b
}

func withFreshRequestID(body []byte) []byte {
	return []byte(strings.Replace(string(body), string(placeholderJSON), `"`+newRequestID()+`"`, 1))
}

func writeBody(w http.ResponseWriter, r *http.Request, status int, body []byte) {
	body = withFreshRequestID(body)
	if host := r.Host; host != "" {
		// HostId names the endpoint the client called, as the real one does.
		body = []byte(strings.Replace(string(body), `"HostId":"ecs.aliyuncs.com"`, `"HostId":`+string(mustJSON(host)), 1))
	}
	w.Header().Set("Content-Type", "application/json;charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

func writeError(w http.ResponseWriter, r *http.Request, err error) {
	status, body := encodeError(err)
	writeBody(w, r, status, body)
}
