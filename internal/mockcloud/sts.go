package mockcloud

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"time"
)

// The STS API (2015-04-01) as far as credential providers use it:
// AssumeRole (signed by the caller's keys), AssumeRoleWithOIDC (not
// signed: the OIDC token is the proof) and GetCallerIdentity. The keys it
// issues live in memory only, like a session: they are not in the state
// file and a restarted emulator has forgotten them.

const stsVersion = "2015-04-01"

// MockAccountID is the account every identity of the emulator belongs to.
const MockAccountID = "1234567890123456"

// Limits of AssumeRole and AssumeRoleWithOIDC (STS API reference,
// request parameters).
const (
	stsMinDuration     = 900
	stsMaxDuration     = 43200
	stsDefaultDuration = 3600
	stsMaxPolicyLength = 2048
)

var (
	// roleARNPattern is acs:ram::<account>:role/<name>.
	roleARNPattern = regexp.MustCompile(`^acs:ram::[0-9]{1,32}:role/[A-Za-z0-9.@_-]{1,64}$`)
	// oidcProviderARNPattern is acs:ram::<account>:oidc-provider/<name>.
	oidcProviderARNPattern = regexp.MustCompile(`^acs:ram::[0-9]{1,32}:oidc-provider/[A-Za-z0-9._-]{1,128}$`)
	sessionNamePattern     = regexp.MustCompile(`^[A-Za-z0-9.@_-]{2,64}$`)
	externalIDPattern      = regexp.MustCompile(`^[A-Za-z0-9=,.@:/_-]+$`)
)

// tempKey is an access key issued by STS or the metadata service.
type tempKey struct {
	secret  string
	token   string
	expires time.Time
	// arn is the identity the key acts as: the assumed role's session.
	arn string
}

func stsActions() []action {
	return []action{
		{Version: stsVersion, Name: "AssumeRole", Handle: assumeRole},
		{Version: stsVersion, Name: "AssumeRoleWithOIDC", Anonymous: true, Handle: assumeRoleWithOIDC},
		{Version: stsVersion, Name: "GetCallerIdentity", Handle: getCallerIdentity},
	}
}

// roleRequest is what AssumeRole and AssumeRoleWithOIDC share.
type roleRequest struct {
	roleARN, session string
	duration         int
}

func readRoleRequest(p params) (roleRequest, error) {
	var r roleRequest
	var err error
	if r.roleARN, err = p.required("RoleArn"); err != nil {
		return r, err
	}
	if !roleARNPattern.MatchString(r.roleARN) {
		return r, errInvalid("RoleArn", "it must look like acs:ram::<account ID>:role/<role name>")
	}
	if r.session, err = p.required("RoleSessionName"); err != nil {
		return r, err
	}
	if !sessionNamePattern.MatchString(r.session) {
		return r, errInvalid("RoleSessionName", "it must be 2 to 64 letters, digits, periods (.), at signs (@), hyphens (-) or underscores (_)")
	}
	if r.duration, err = p.integer("DurationSeconds", stsDefaultDuration, stsMinDuration, stsMaxDuration); err != nil {
		return r, err
	}
	if pol := p.str("Policy"); pol != "" {
		if len(pol) > stsMaxPolicyLength {
			return r, errInvalid("Policy", "it is longer than 2048 characters")
		}
		if !json.Valid([]byte(pol)) {
			return r, badRequest("InvalidParameter.PolicyGrammar", "The parameter Policy has not a valid JSON format.")
		}
	}
	return r, nil
}

func assumeRole(c *call) (object, error) {
	r, err := readRoleRequest(c.p)
	if err != nil {
		return nil, err
	}
	if ext := c.p.str("ExternalId"); ext != "" && (len(ext) < 2 || len(ext) > 1224 || !externalIDPattern.MatchString(ext)) {
		return nil, errInvalid("ExternalId", "it must be 2 to 1224 letters, digits or =,.@:/-_ characters")
	}
	return c.srv.issueRoleKey(r, c.now), nil
}

func assumeRoleWithOIDC(c *call) (object, error) {
	r, err := readRoleRequest(c.p)
	if err != nil {
		return nil, err
	}
	providerARN, err := c.p.required("OIDCProviderArn")
	if err != nil {
		return nil, err
	}
	if !oidcProviderARNPattern.MatchString(providerARN) {
		return nil, errInvalid("OIDCProviderArn", "it must look like acs:ram::<account ID>:oidc-provider/<name>")
	}
	token, err := c.p.required("OIDCToken")
	if err != nil {
		return nil, err
	}
	// The emulator has no identity provider to verify a signature with;
	// it checks the shape of a JWT (three base64url parts) so that an
	// empty or truncated token file is caught as it would be.
	if parts := strings.Split(strings.TrimSpace(token), "."); len(parts) != 3 || parts[0] == "" || parts[1] == "" {
		return nil, badRequest("AuthenticationFail.OIDCToken.Invalid", "The OIDC token is not a well-formed JWT.")
	}
	out := c.srv.issueRoleKey(r, c.now)
	out["OIDCTokenInfo"] = object{"Issuer": "https://oidc.mockcloud.invalid", "Subject": "system:serviceaccount:default:eni"}
	return out, nil
}

// issueRoleKey makes a temporary key acting as the role's session and
// answers with it in the shape AssumeRole returns. Callers hold s.mu.
func (s *Server) issueRoleKey(r roleRequest, now time.Time) object {
	life := time.Duration(r.duration) * time.Second
	if s.tempTTL > 0 {
		life = s.tempTTL
	}
	roleName := r.roleARN[strings.LastIndex(r.roleARN, "/")+1:]
	arn := "acs:ram::" + MockAccountID + ":assumed-role/" + roleName + "/" + r.session
	id, k := s.newTempKeyLocked(arn, now, life)
	return object{
		"Credentials": object{
			"AccessKeyId": id, "AccessKeySecret": k.secret, "SecurityToken": k.token,
			"Expiration": k.expires.UTC().Format(time.RFC3339),
		},
		"AssumedRoleUser": object{"Arn": arn, "AssumedRoleId": "3" + randomDigits(17) + ":" + r.session},
	}
}

// newTempKeyLocked records a new temporary key. Callers hold s.mu.
func (s *Server) newTempKeyLocked(arn string, now time.Time, life time.Duration) (string, tempKey) {
	if s.temp == nil {
		s.temp = map[string]tempKey{}
	}
	s.dropExpiredKeysLocked(now)
	id := "STS.mock" + randomHex(10)
	k := tempKey{secret: randomHex(20), token: "CAIS" + randomHex(48), expires: now.Add(life).Truncate(time.Second), arn: arn}
	s.temp[id] = k
	s.tempIssued++
	return id, k
}

// dropExpiredKeysLocked forgets keys expired for a day, so that a
// long-running emulator does not grow; a key used a little after expiry
// still gets the expired error rather than an unknown key.
func (s *Server) dropExpiredKeysLocked(now time.Time) {
	for id, k := range s.temp {
		if now.Sub(k.expires) > 24*time.Hour {
			delete(s.temp, id)
		}
	}
}

func getCallerIdentity(c *call) (object, error) {
	keyID := c.p.str("AccessKeyId")
	if k, ok := c.srv.temp[keyID]; ok {
		return object{
			"AccountId": MockAccountID, "Arn": k.arn, "IdentityType": "AssumedRoleUser",
			"PrincipalId": keyID, "RoleId": "3" + randomDigits(17),
		}, nil
	}
	return object{
		"AccountId": MockAccountID, "Arn": "acs:ram::" + MockAccountID + ":user/" + keyID,
		"IdentityType": "RAMUser", "PrincipalId": keyID, "UserId": keyID,
	}, nil
}

// tempSecretOf checks a temporary key and the token that must come with
// it. ok is false for a key that is not temporary. Callers hold s.mu.
func (s *Server) tempSecretOf(keyID, token string, now time.Time) (secret string, ok bool, err error) {
	k, ok := s.temp[keyID]
	if !ok {
		return "", false, nil
	}
	switch {
	case token == "":
		return "", true, badRequest("InvalidSecurityToken.Missing", "The access key %q is temporary: the request needs the SecurityToken issued with it.", keyID)
	case token != k.token:
		return "", true, badRequest("InvalidSecurityToken.MismatchWithAccessKey", "The SecurityToken does not belong to the access key %q.", keyID)
	case !now.Before(k.expires):
		return "", true, badRequest("InvalidSecurityToken.Expired", "The SecurityToken expired at %s.", k.expires.UTC().Format(time.RFC3339))
	}
	return k.secret, true, nil
}

// ExpireTemporaryCredentials makes the keys named by their access key
// IDs, or with none named every key STS and the metadata service have
// issued so far, expire now, as time passing would: tests move past an
// expiry without waiting for it.
func (s *Server) ExpireTemporaryCredentials(keyIDs ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	for id, k := range s.temp {
		if len(keyIDs) > 0 && !slices.Contains(keyIDs, id) {
			continue
		}
		if k.expires.After(now) {
			k.expires = now
			s.temp[id] = k
		}
	}
}

// TemporaryCredentialsIssued counts the keys STS and the metadata service
// have issued since the start.
func (s *Server) TemporaryCredentialsIssued() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tempIssued
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // never fails on supported platforms
	return hex.EncodeToString(b)[:n]
}

func randomDigits(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = '0' + b[i]%10
	}
	return string(b)
}
