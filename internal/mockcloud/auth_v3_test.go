package mockcloud

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"

	openapiutil "github.com/alibabacloud-go/darabonba-openapi/v2/utils"
	ecs3 "github.com/alibabacloud-go/ecs-20140526/v7/client"
	"github.com/alibabacloud-go/tea/dara"
	"github.com/alibabacloud-go/tea/tea"
)

// A small V3 signer written from the published recipe, independent of the
// emulator's code, so a bug there cannot be mirrored here.
// TestV3TestSignerAgreesWithSDK pins it to the SDK's own signer.

// v3Request is a V3 request under construction: the headers the SDK sends
// and a form body, signed by sign.
type v3Request struct {
	method string
	query  url.Values
	body   string
	header http.Header
	host   string
}

// newV3Request is an unsigned V3 request of the VPC API's action.
func newV3Request(srv *Server, action string, query, form url.Values) *v3Request {
	u, _ := url.Parse(srv.URL())
	body := ""
	if form != nil {
		body = form.Encode()
	}
	h := http.Header{}
	h.Set("x-acs-action", action)
	h.Set("x-acs-version", vpcVersion)
	h.Set("x-acs-date", time.Now().UTC().Format("2006-01-02T15:04:05Z"))
	h.Set("x-acs-signature-nonce", randomNonce())
	h.Set("x-acs-content-sha256", hexSHA256(body))
	if body != "" {
		h.Set("content-type", "application/x-www-form-urlencoded")
	}
	return &v3Request{method: http.MethodPost, query: query, body: body, header: h, host: u.Host}
}

func randomNonce() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func hexSHA256(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// rfc3986 encodes like the SDK: url.QueryEscape with %20, %2A and ~.
func rfc3986Escape(s string) string {
	return strings.NewReplacer("+", "%20", "*", "%2A", "%7E", "~").Replace(url.QueryEscape(s))
}

// canonical builds the canonical request over every x-acs-* header, host
// and content-type, and returns it with the SignedHeaders list.
func (q *v3Request) canonical() (string, string) {
	values := map[string]string{"host": q.host}
	for name := range q.header {
		lower := strings.ToLower(name)
		if strings.HasPrefix(lower, "x-acs-") || lower == "content-type" {
			values[lower] = strings.TrimSpace(q.header.Get(name))
		}
	}
	names := make([]string, 0, len(values))
	for n := range values {
		names = append(names, n)
	}
	sort.Strings(names)
	var headers strings.Builder
	for _, n := range names {
		headers.WriteString(n + ":" + values[n] + "\n")
	}
	keys := make([]string, 0, len(q.query))
	for k := range q.query {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var pairs []string
	for _, k := range keys {
		pairs = append(pairs, rfc3986Escape(k)+"="+rfc3986Escape(q.query.Get(k)))
	}
	signed := strings.Join(names, ";")
	cr := strings.Join([]string{q.method, "/", strings.Join(pairs, "&"), headers.String(), signed,
		q.header.Get("x-acs-content-sha256")}, "\n")
	return cr, signed
}

// sign sets Authorization for key and secret.
func (q *v3Request) sign(key, secret string) {
	cr, signed := q.canonical()
	sts := "ACS3-HMAC-SHA256\n" + hexSHA256(cr)
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(sts))
	q.header.Set("Authorization", "ACS3-HMAC-SHA256 Credential="+key+",SignedHeaders="+signed+
		",Signature="+hex.EncodeToString(mac.Sum(nil)))
}

// send posts the request (it may be sent again, to test nonce reuse) and
// decodes the JSON answer.
func (q *v3Request) send(t *testing.T) (int, map[string]any) {
	t.Helper()
	u := "http://" + q.host + "/"
	if len(q.query) > 0 {
		u += "?" + q.query.Encode()
	}
	req, err := http.NewRequest(q.method, u, strings.NewReader(q.body))
	mustOK(t, err)
	req.Header = q.header.Clone()
	resp, err := http.DefaultClient.Do(req)
	mustOK(t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var body map[string]any
	if err := json.Unmarshal(b, &body); err != nil {
		t.Fatalf("response is not JSON (%d): %s", resp.StatusCode, b)
	}
	if s, _ := body["RequestId"].(string); s == "" {
		t.Fatalf("response without RequestId: %s", b)
	}
	return resp.StatusCode, body
}

// wantAnswer asserts the status and, for an error, the code.
func wantAnswer(t *testing.T, status int, body map[string]any, wantStatus int, wantCode string) {
	t.Helper()
	if status != wantStatus {
		t.Fatalf("status %d, want %d: %v", status, wantStatus, body)
	}
	if wantCode != "" && body["Code"] != wantCode {
		t.Fatalf("code %v, want %s: %v", body["Code"], wantCode, body)
	}
}

func regionQuery() url.Values { return url.Values{"RegionId": {"cn-hangzhou"}} }

// The test signer and the SDK's exported signer produce the same
// Authorization for the same request.
func TestV3TestSignerAgreesWithSDK(t *testing.T) {
	srv, err := Start(Options{})
	mustOK(t, err)
	defer srv.Close()
	q := newV3Request(srv, "DescribeVSwitches",
		url.Values{"RegionId": {"cn-hangzhou"}, "Tag.1.Key": {"a b*~"}}, url.Values{"VpcId": {"vpc-mock1"}})
	q.sign("mock-key", "mock-secret")

	sdkReq := dara.NewRequest()
	sdkReq.Method = dara.String(q.method)
	sdkReq.Pathname = dara.String("/")
	for k := range q.query {
		sdkReq.Query[k] = dara.String(q.query.Get(k))
	}
	sdkReq.Headers["host"] = dara.String(q.host)
	for name := range q.header {
		if name != "Authorization" {
			sdkReq.Headers[strings.ToLower(name)] = dara.String(q.header.Get(name))
		}
	}
	want := openapiutil.GetAuthorization(sdkReq, dara.String("ACS3-HMAC-SHA256"),
		dara.String(q.header.Get("x-acs-content-sha256")), dara.String("mock-key"), dara.String("mock-secret"))
	if got := q.header.Get("Authorization"); got != dara.StringValue(want) {
		t.Fatalf("test signer:\n%s\nSDK signer:\n%s", got, dara.StringValue(want))
	}
}

// The emulator's exported helpers give the SDK's signature for the same
// canonical request.
func TestV3SignMatchesSDK(t *testing.T) {
	cr := "POST\n/\nRegionId=cn-hangzhou\nhost:ecs.aliyuncs.com\nx-acs-action:DescribeInstances\n\nhost;x-acs-action\n" + hexSHA256("")
	sts := V3StringToSign(cr)
	want := hex.EncodeToString(openapiutil.SignatureMethod("secret", sts, "ACS3-HMAC-SHA256"))
	if got := SignV3(sts, "secret"); got != want {
		t.Fatalf("SignV3 = %s, SDK = %s", got, want)
	}
}

func TestV3RawRequestsServed(t *testing.T) {
	srv, err := Start(Options{})
	mustOK(t, err)
	defer srv.Close()

	// Parameters in the query string.
	q := newV3Request(srv, "DescribeVpcs", regionQuery(), nil)
	q.sign("mock-key", "mock-secret")
	status, body := q.send(t)
	wantAnswer(t, status, body, 200, "")
	if vpcs, _ := body["Vpcs"].(map[string]any); vpcs == nil {
		t.Fatalf("DescribeVpcs answer without Vpcs: %v", body)
	}

	// Parameters in a form body, covered by the payload hash only.
	q = newV3Request(srv, "DescribeVSwitches", regionQuery(), url.Values{"VSwitchId": {"vsw-mocki"}})
	q.sign("mock-key", "mock-secret")
	status, body = q.send(t)
	wantAnswer(t, status, body, 200, "")
	vsws, _ := body["VSwitches"].(map[string]any)
	list, ok := vsws["VSwitch"].([]any)
	if !ok {
		t.Fatalf("DescribeVSwitches answer without a VSwitches.VSwitch list: %v", body)
	}
	if len(list) != 1 {
		t.Fatalf("the body's VSwitchId filter was not applied: %v", list)
	}
	if vsw, _ := list[0].(map[string]any); vsw["VSwitchId"] != "vsw-mocki" {
		t.Fatalf("the body's VSwitchId filter was not applied: %v", list)
	}
}

func TestV3RawErrors(t *testing.T) {
	srv, err := Start(Options{})
	mustOK(t, err)
	defer srv.Close()
	fresh := func() *v3Request { return newV3Request(srv, "DescribeVpcs", regionQuery(), nil) }
	signed := func(edit func(q *v3Request)) func() *v3Request {
		return func() *v3Request {
			q := fresh()
			edit(q)
			q.sign("mock-key", "mock-secret")
			return q
		}
	}
	thenTamper := func(edit func(q *v3Request)) func() *v3Request {
		return func() *v3Request {
			q := fresh()
			q.sign("mock-key", "mock-secret")
			edit(q)
			return q
		}
	}
	cases := []struct {
		name    string
		build   func() *v3Request
		status  int
		code    string
		message string // a part of the message, when it matters
	}{
		{"bad signature", func() *v3Request { q := fresh(); q.sign("mock-key", "wrong"); return q },
			400, "SignatureDoesNotMatch", "server string to sign is:ACS3-HMAC-SHA256\n"},
		{"query changed after signing", thenTamper(func(q *v3Request) { q.query.Set("PageSize", "50") }),
			400, "SignatureDoesNotMatch", "PageSize=50"},
		{"stale x-acs-date", signed(func(q *v3Request) {
			q.header.Set("x-acs-date", time.Now().UTC().Add(-16*time.Minute).Format("2006-01-02T15:04:05Z"))
		}), 400, "IllegalTimestamp", "x-acs-date"},
		{"future x-acs-date", signed(func(q *v3Request) {
			q.header.Set("x-acs-date", time.Now().UTC().Add(16*time.Minute).Format("2006-01-02T15:04:05Z"))
		}), 400, "IllegalTimestamp", ""},
		{"malformed x-acs-date", signed(func(q *v3Request) { q.header.Set("x-acs-date", "Tue, 20 Dec 2022 08:48:18 GMT") }),
			400, "InvalidTimeStamp.Format", ""},
		{"unknown key", func() *v3Request { q := fresh(); q.sign("nobody", "mock-secret"); return q },
			404, "InvalidAccessKeyId.NotFound", ""},
		{"body changed after signing", thenTamper(func(q *v3Request) {
			q.body = "VpcId=vpc-other"
			q.header.Set("content-type", "application/x-www-form-urlencoded")
		}), 400, "SignatureDoesNotMatch", "x-acs-content-sha256"},
		{"declared payload hash is not the body's", signed(func(q *v3Request) {
			q.body = "VpcId=vpc-mock1"
			q.header.Set("content-type", "application/x-www-form-urlencoded")
		}), 400, "SignatureDoesNotMatch", hexSHA256("VpcId=vpc-mock1")},
		{"no x-acs-signature-nonce", signed(func(q *v3Request) { q.header.Del("x-acs-signature-nonce") }),
			400, "IncompleteSignature", "x-acs-signature-nonce"},
		{"no x-acs-content-sha256", signed(func(q *v3Request) { q.header.Del("x-acs-content-sha256") }),
			400, "IncompleteSignature", "x-acs-content-sha256"},
		{"no x-acs-date", signed(func(q *v3Request) { q.header.Del("x-acs-date") }),
			400, "MissingParameter", "x-acs-date"},
		{"no x-acs-action", signed(func(q *v3Request) { q.header.Del("x-acs-action") }),
			400, "MissingParameter", "x-acs-action"},
		{"no x-acs-version", signed(func(q *v3Request) { q.header.Del("x-acs-version") }),
			400, "MissingParameter", "x-acs-version"},
		{"unsigned x-acs header", thenTamper(func(q *v3Request) { q.header.Set("x-acs-security-token", "smuggled") }),
			400, "IncompleteSignature", "x-acs-security-token"},
		{"host not signed", thenTamper(func(q *v3Request) {
			auth := q.header.Get("Authorization")
			q.header.Set("Authorization", strings.Replace(auth, "SignedHeaders=host;", "SignedHeaders=", 1))
		}), 400, "IncompleteSignature", "host"},
		{"Authorization without Signature", thenTamper(func(q *v3Request) {
			auth := q.header.Get("Authorization")
			q.header.Set("Authorization", auth[:strings.Index(auth, ",Signature=")])
		}), 400, "IncompleteSignature", "Signature is missing"},
		{"Authorization without Credential", thenTamper(func(q *v3Request) {
			q.header.Set("Authorization", "ACS3-HMAC-SHA256 SignedHeaders=host,Signature=00")
		}), 400, "IncompleteSignature", "Credential is missing"},
		{"unknown algorithm", thenTamper(func(q *v3Request) {
			auth := q.header.Get("Authorization")
			q.header.Set("Authorization", strings.Replace(auth, "ACS3-HMAC-SHA256", "ACS3-HMAC-SM3", 1))
		}), 400, "InvalidParameter", `"ACS3-HMAC-SM3" is not supported`},
		{"another scheme", thenTamper(func(q *v3Request) { q.header.Set("Authorization", "Bearer abc") }),
			400, "InvalidParameter", `"Bearer" is not supported`},
		{"Action in the query disagrees with the header", signed(func(q *v3Request) { q.query.Set("Action", "DeleteVpc") }),
			400, "InvalidParameter", "x-acs-action"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, body := tc.build().send(t)
			wantAnswer(t, status, body, tc.status, tc.code)
			if msg, _ := body["Message"].(string); !strings.Contains(msg, tc.message) {
				t.Fatalf("message %q lacks %q", msg, tc.message)
			}
		})
	}
}

// A nonce is single-use across V3 requests and shared with V1.
func TestV3RawNonceReuse(t *testing.T) {
	srv, err := Start(Options{})
	mustOK(t, err)
	defer srv.Close()
	q := newV3Request(srv, "DescribeVpcs", regionQuery(), nil)
	q.sign("mock-key", "mock-secret")
	status, body := q.send(t)
	wantAnswer(t, status, body, 200, "")
	status, body = q.send(t)
	wantAnswer(t, status, body, 400, "SignatureNonceUsed")

	// The same nonce in a V1 request is refused too: one store.
	v1 := baseParams("DescribeVpcs", vpcVersion, q.header.Get("x-acs-signature-nonce"))
	status, body = rawCall(t, srv, http.MethodPost, v1, "mock-secret")
	wantAnswer(t, status, body, 400, "SignatureNonceUsed")
}

// V1 keeps working beside V3 on the same server.
func TestV3AndV1Together(t *testing.T) {
	srv, err := Start(Options{})
	mustOK(t, err)
	defer srv.Close()
	status, body := rawCall(t, srv, http.MethodPost, baseParams("DescribeVpcs", vpcVersion, randomNonce()), "mock-secret")
	wantAnswer(t, status, body, 200, "")
	q := newV3Request(srv, "DescribeVpcs", regionQuery(), nil)
	q.sign("mock-key", "mock-secret")
	status, body = q.send(t)
	wantAnswer(t, status, body, 200, "")
}

// A ClientToken retry is recognised whichever signature each attempt
// used: signature data is never part of a request's identity.
func TestV3ClientTokenRetry(t *testing.T) {
	env := startV3Env(t)
	const token = "v3-retry-token"
	// The first attempt, V1 signed, with the parameters createENI sends.
	p := baseParams("CreateNetworkInterface", ecsVersion, randomNonce())
	for k, v := range map[string]string{
		"VSwitchId": "vsw-mockh", "SecurityGroupId": "sg-mockweb", "NetworkInterfaceName": "v3-eni",
		"Description": "made by the V3 SDK", "Tag.1.Key": "team", "Tag.1.Value": "net", "ClientToken": token,
	} {
		p[k] = v
	}
	status, body := rawCall(t, env.srv, http.MethodPost, p, "mock-secret")
	wantAnswer(t, status, body, 200, "")
	first, _ := body["NetworkInterfaceId"].(string)

	// Two retries through the V3 SDK.
	for i := 0; i < 2; i++ {
		if got := env.createENI(t, token); got != first {
			t.Fatalf("V3 retry %d created %s, the first attempt %s", i+1, got, first)
		}
	}
	resp, err := env.ecs.DescribeNetworkInterfaces(&ecs3.DescribeNetworkInterfacesRequest{
		RegionId: dara.String(env.region), VSwitchId: dara.String("vsw-mockh"), Type: dara.String("Secondary"),
	})
	mustOK(t, err)
	if n := len(resp.Body.NetworkInterfaceSets.NetworkInterfaceSet); n != 1 {
		t.Fatalf("%d secondary ENIs after the retries, want 1", n)
	}

	// The same token with other parameters is still refused.
	_, err = env.ecs.CreateNetworkInterface(&ecs3.CreateNetworkInterfaceRequest{
		RegionId: dara.String(env.region), VSwitchId: dara.String("vsw-mockh"),
		SecurityGroupId: dara.String("sg-mockdb"), ClientToken: dara.String(token),
	})
	if code := v3ErrorCode(err); code != "IdempotentParameterMismatch" {
		t.Fatalf("reused token with other parameters: %v", err)
	}
}

// The V3 SDK reports a signature mismatch, and the emulator shows it the
// V3 string to sign, which proves the SDK really signed with V3.
func TestSDKV3SignatureMismatch(t *testing.T) {
	env := startV3Env(t)
	u, _ := url.Parse(env.srv.URL())
	bad, err := ecs3.NewClient(&openapiutil.Config{
		AccessKeyId: dara.String("mock-key"), AccessKeySecret: dara.String("wrong"),
		RegionId: dara.String(env.region), Endpoint: dara.String(u.Host), Protocol: dara.String("http"),
	})
	mustOK(t, err)
	_, err = bad.DescribeInstanceTypes(&ecs3.DescribeInstanceTypesRequest{})
	if code := v3ErrorCode(err); code != "SignatureDoesNotMatch" {
		t.Fatalf("want SignatureDoesNotMatch, got %v", err)
	}
	if !strings.Contains(err.Error(), "server string to sign is:ACS3-HMAC-SHA256") {
		t.Fatalf("the message lacks the V3 string to sign: %v", err)
	}
}

// v3ErrorCode is the API error code of an error from the V3 SDK, or "".
func v3ErrorCode(err error) string {
	var se *tea.SDKError
	if errors.As(err, &se) {
		return dara.StringValue(se.Code)
	}
	return ""
}
