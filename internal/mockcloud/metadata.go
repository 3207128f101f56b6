package mockcloud

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// The ECS instance metadata service as the RAM role credential providers
// use it (http://100.100.100.200/latest/...), and a credentials URI
// (/credentials) in the shape ALIBABA_CLOUD_CREDENTIALS_URI points at.
// Both hand out temporary keys of the instance's RAM role that the API's
// signature check accepts until they expire.
//
// The SDKs call the metadata service at a fixed address; a client that
// sends those requests through the emulator as its HTTP proxy reaches
// these paths unchanged (the request line then holds the absolute URL,
// whose path is what routes).

// DefaultECSRoleName is the RAM role of the emulator's instance.
const DefaultECSRoleName = "EcsRamRoleMock"

const (
	metadataPrefix      = "/latest/"
	metadataTokenPath   = "/latest/api/token"
	metadataRolesPath   = "/latest/meta-data/ram/security-credentials/"
	credentialsURIPath  = "/credentials"
	metadataTokenHeader = "X-Aliyun-Ecs-Metadata-Token"
	metadataTTLHeader   = "X-Aliyun-Ecs-Metadata-Token-Ttl-Seconds"
	maxMetadataTokenTTL = 21600
	// metadataKeyLife is how long a role key lasts when no TTL is set:
	// the real service issues keys for about six hours.
	metadataKeyLife = 6 * time.Hour
)

// isMetadataPath reports whether a path belongs to the metadata service or
// the credentials URI rather than the RPC API.
func isMetadataPath(path string) bool {
	return strings.HasPrefix(path, metadataPrefix) || path == credentialsURIPath
}

func (s *Server) serveMetadata(w http.ResponseWriter, r *http.Request) {
	path := r.URL.Path
	switch {
	case path == metadataTokenPath:
		s.serveMetadataToken(w, r)
		return
	case r.Method != http.MethodGet:
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	if tok := r.Header.Get(metadataTokenHeader); tok != "" && !s.validMetadataToken(tok) {
		http.Error(w, "the metadata token is not valid or has expired", http.StatusUnauthorized)
		return
	}
	role := s.ecsRole
	switch path {
	case credentialsURIPath, metadataRolesPath + role:
		writeJSON(w, http.StatusOK, s.roleCredentials(role))
	case metadataRolesPath:
		w.Header().Set("Content-Type", "text/plain")
		_, _ = w.Write([]byte(role))
	default:
		http.NotFound(w, r)
	}
}

// serveMetadataToken issues an IMDSv2 session token (PUT /latest/api/token).
func (s *Server) serveMetadataToken(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPut {
		http.Error(w, "the token is requested with PUT", http.StatusMethodNotAllowed)
		return
	}
	ttl, err := strconv.Atoi(r.Header.Get(metadataTTLHeader))
	if err != nil || ttl < 1 || ttl > maxMetadataTokenTTL {
		http.Error(w, metadataTTLHeader+" must be a number of seconds from 1 to 21600", http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.metadataTokens == nil {
		s.metadataTokens = map[string]time.Time{}
	}
	now := s.now()
	for tok, exp := range s.metadataTokens {
		if !now.Before(exp) {
			delete(s.metadataTokens, tok)
		}
	}
	tok := randomHex(32)
	s.metadataTokens[tok] = now.Add(time.Duration(ttl) * time.Second)
	w.Header().Set("Content-Type", "text/plain")
	_, _ = w.Write([]byte(tok))
}

func (s *Server) validMetadataToken(tok string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	exp, ok := s.metadataTokens[tok]
	return ok && s.now().Before(exp)
}

// roleCredentials issues a key of the instance's role, in the metadata
// service's answer shape (which the credentials URI shares).
func (s *Server) roleCredentials(role string) object {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	life := metadataKeyLife
	if s.tempTTL > 0 {
		life = s.tempTTL
	}
	arn := "acs:ram::" + MockAccountID + ":assumed-role/" + role + "/instance"
	id, k := s.newTempKeyLocked(arn, now, life)
	return object{
		"Code": "Success", "AccessKeyId": id, "AccessKeySecret": k.secret, "SecurityToken": k.token,
		"Expiration": k.expires.UTC().Format(time.RFC3339), "LastUpdated": now.UTC().Format(time.RFC3339),
	}
}
