package mockcloud

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/http"
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
	Token bool
	// Anonymous actions are not signed (STS AssumeRoleWithOIDC).
	Anonymous bool
	Handle    func(c *call) (object, error)
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
	// delayed is the transition delay in force for this call.
	delayed time.Duration
}

// delay is the transition delay for asynchronous operations.
func (c *call) delay() time.Duration { return c.delayed }

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
	if a == nil || !a.Anonymous {
		if err := s.authenticate(r, p); err != nil {
			writeError(w, r, err)
			return
		}
	}
	if a == nil {
		if version != ecsVersion && version != vpcVersion && version != stsVersion {
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
	defer s.compactIfDue()
	if s.faults.loseReply() {
		dropConnection(w)
		return
	}
	writeBody(w, r, status, body)
}

// execute runs a handler under the state lock and returns the encoded
// response. A mutating call is in the journal, on disk, before its answer
// is returned; the wait for the disk happens after the lock is released.
func (s *Server) execute(a *action, p params) (int, []byte) {
	s.mu.Lock()
	now := s.now()
	status, body, ran := s.run(a, p, now, s.delay)
	var seq uint64
	if ran && a.Mutating && s.jnl != nil {
		seq = s.jnl.append(entryForCall(a, p, now, s.delay), true)
	}
	s.mu.Unlock()
	if seq != 0 {
		if err := s.jnl.wait(seq); err != nil {
			return encodeError(newErr(http.StatusInternalServerError, "InternalError", "The state could not be saved: %v", err))
		}
	}
	return status, body
}

// run is one call against the state at now with the given transition
// delay: what execute does live and what loading the journal does again.
// ran reports whether the handler ran (and so may have changed the
// state); a refused region or a ClientToken retry changes nothing.
// Callers hold s.mu.
func (s *Server) run(a *action, p params, now time.Time, delay time.Duration) (status int, body []byte, ran bool) {
	s.st.settle(now, false)
	if region := p["RegionId"]; region != "" && region != s.st.Region {
		status, body = encodeError(notFound("InvalidRegionId.NotFound", "The specified RegionId %q does not exist; this endpoint serves %s.", region, s.st.Region))
		return status, body, false
	}
	key, err := tokenKey(a, p)
	if err != nil {
		status, body = encodeError(err)
		return status, body, false
	}
	var fingerprint string
	if key != "" {
		fingerprint = paramFingerprint(p)
		if status, body, ok := s.replayToken(key, fingerprint, now); ok {
			return status, body, false
		}
	}
	obj, err := a.Handle(&call{srv: s, st: s.st, p: p, now: now, delayed: delay})
	if err != nil {
		status, body = encodeError(err)
		return status, body, true
	}
	body = encodeObject(obj)
	if key != "" && a.Mutating {
		s.rememberToken(key, fingerprint, body, now)
	}
	return http.StatusOK, body, true
}

// signatureParams change on every attempt and are not part of a request's
// identity.
var signatureParams = map[string]bool{
	"Signature": true, "SignatureNonce": true, "Timestamp": true, "SignatureMethod": true,
	"SignatureVersion": true, "SignatureType": true, "AccessKeyId": true, "SecurityToken": true, "Format": true,
}

// withoutSignature is a request's business parameters: what identifies it
// for a ClientToken retry and what the journal keeps (never a credential).
func (p params) withoutSignature() params {
	kept := make(params, len(p))
	for k, v := range p {
		if !signatureParams[k] {
			kept[k] = v
		}
	}
	return kept
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
