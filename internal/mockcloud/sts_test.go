package mockcloud

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/sts"
)

const testRoleARN = "acs:ram::" + MockAccountID + ":role/eni-deployer"

// stsClient is the SDK's STS client pointed at the emulator.
func stsClient(t *testing.T, srv *Server, cred auth.Credential) *sts.Client {
	t.Helper()
	u, _ := url.Parse(srv.URL())
	cfg := sdk.NewConfig().WithScheme("HTTP").WithAutoRetry(false).WithTimeout(10 * time.Second)
	c, err := sts.NewClientWithOptions(srv.Region(), cfg, cred)
	if err != nil {
		t.Fatal(err)
	}
	c.Domain = u.Host
	return c
}

func ecsClientWith(t *testing.T, srv *Server, cred auth.Credential) *ecs.Client {
	t.Helper()
	u, _ := url.Parse(srv.URL())
	cfg := sdk.NewConfig().WithScheme("HTTP").WithAutoRetry(false).WithTimeout(10 * time.Second)
	c, err := ecs.NewClientWithOptions(srv.Region(), cfg, cred)
	if err != nil {
		t.Fatal(err)
	}
	c.Domain = u.Host
	return c
}

func assumeTestRole(t *testing.T, env *testEnv) *sts.Credentials {
	t.Helper()
	req := sts.CreateAssumeRoleRequest()
	req.RoleArn, req.RoleSessionName = testRoleARN, "terraform"
	resp, err := stsClient(t, env.srv, credentials.NewAccessKeyCredential("mock-key", "mock-secret")).AssumeRole(req)
	mustOK(t, err)
	if resp.Credentials.SecurityToken == "" || !strings.HasPrefix(resp.Credentials.AccessKeyId, "STS.") {
		t.Fatalf("AssumeRole answered %+v: want an STS key with a security token", resp.Credentials)
	}
	return &resp.Credentials
}

// A key from AssumeRole signs ECS calls with its token, acts as the role's
// session, and stops working once expired or without its own token.
func TestSTS_assumeRoleKeysSignUntilExpired(t *testing.T) {
	env := startEnv(t, nil)
	c := assumeTestRole(t, env)
	exp, err := time.Parse(time.RFC3339, c.Expiration)
	if err != nil || time.Until(exp) < 55*time.Minute || time.Until(exp) > 61*time.Minute {
		t.Fatalf("Expiration %q: want about an hour from now (the default DurationSeconds)", c.Expiration)
	}
	temp := credentials.NewStsTokenCredential(c.AccessKeyId, c.AccessKeySecret, c.SecurityToken)

	_, err = ecsClientWith(t, env.srv, temp).DescribeNetworkInterfaces(ecs.CreateDescribeNetworkInterfacesRequest())
	mustOK(t, err)
	id, err := stsClient(t, env.srv, temp).GetCallerIdentity(sts.CreateGetCallerIdentityRequest())
	mustOK(t, err)
	if want := "acs:ram::" + MockAccountID + ":assumed-role/eni-deployer/terraform"; id.Arn != want || id.IdentityType != "AssumedRoleUser" {
		t.Fatalf("GetCallerIdentity = %s (%s), want %s (AssumedRoleUser)", id.Arn, id.IdentityType, want)
	}

	wrong := credentials.NewStsTokenCredential(c.AccessKeyId, c.AccessKeySecret, "CAISnot-the-token")
	_, err = ecsClientWith(t, env.srv, wrong).DescribeNetworkInterfaces(ecs.CreateDescribeNetworkInterfacesRequest())
	wantCode(t, err, "InvalidSecurityToken.MismatchWithAccessKey", http.StatusBadRequest)

	env.srv.ExpireTemporaryCredentials()
	_, err = ecsClientWith(t, env.srv, temp).DescribeNetworkInterfaces(ecs.CreateDescribeNetworkInterfacesRequest())
	wantCode(t, err, "InvalidSecurityToken.Expired", http.StatusBadRequest)
}

// Options.TemporaryCredentialTTL overrides DurationSeconds, so a test can
// ask for keys that expire within its run.
func TestSTS_ttlOption(t *testing.T) {
	env := startEnv(t, nil, func(o *Options) { o.TemporaryCredentialTTL = 90 * time.Second })
	c := assumeTestRole(t, env)
	exp, err := time.Parse(time.RFC3339, c.Expiration)
	if err != nil || time.Until(exp) > 91*time.Second {
		t.Fatalf("Expiration %q: want at most 90 s from now", c.Expiration)
	}
	if n := env.srv.TemporaryCredentialsIssued(); n != 1 {
		t.Fatalf("TemporaryCredentialsIssued = %d, want 1", n)
	}
}

func TestSTS_assumeRoleRefusesBadInput(t *testing.T) {
	env := startEnv(t, nil)
	cl := stsClient(t, env.srv, credentials.NewAccessKeyCredential("mock-key", "mock-secret"))
	for _, tc := range []struct {
		name   string
		change func(*sts.AssumeRoleRequest)
		code   string
	}{
		{"malformed ARN", func(r *sts.AssumeRoleRequest) { r.RoleArn = "role/eni" }, "InvalidParameter"},
		{"short session", func(r *sts.AssumeRoleRequest) { r.RoleSessionName = "x" }, "InvalidParameter"},
		{"duration too short", func(r *sts.AssumeRoleRequest) { r.DurationSeconds = "60" }, "InvalidParameter"},
		{"policy not JSON", func(r *sts.AssumeRoleRequest) { r.Policy = "{" }, "InvalidParameter.PolicyGrammar"},
		{"missing ARN", func(r *sts.AssumeRoleRequest) { r.RoleArn = "" }, "MissingParameter"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := sts.CreateAssumeRoleRequest()
			req.RoleArn, req.RoleSessionName = testRoleARN, "terraform"
			tc.change(req)
			_, err := cl.AssumeRole(req)
			if got := serverCode(err); got != tc.code {
				t.Fatalf("code %q (%v), want %q", got, err, tc.code)
			}
		})
	}
	_, err := stsClient(t, env.srv, credentials.NewAccessKeyCredential("nobody", "x")).AssumeRole(sts.CreateAssumeRoleRequest())
	wantCode(t, err, "InvalidAccessKeyId.NotFound", http.StatusNotFound)
}

// AssumeRoleWithOIDC needs no signature, only a token shaped like a JWT.
func TestSTS_assumeRoleWithOIDCIsUnsigned(t *testing.T) {
	env := startEnv(t, nil)
	post := func(token string) (int, map[string]any) {
		form := url.Values{
			"Action": {"AssumeRoleWithOIDC"}, "Version": {stsVersion}, "Format": {"JSON"},
			"RoleArn": {testRoleARN}, "RoleSessionName": {"ci-job"},
			"OIDCProviderArn": {"acs:ram::" + MockAccountID + ":oidc-provider/ack"}, "OIDCToken": {token},
		}
		resp, err := http.PostForm(env.srv.URL()+"/", form)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		var out map[string]any
		if err := json.Unmarshal(raw, &out); err != nil {
			t.Fatalf("answer %q is not JSON: %v", raw, err)
		}
		return resp.StatusCode, out
	}
	status, out := post("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJjaSJ9.c2ln")
	creds, _ := out["Credentials"].(map[string]any)
	if status != http.StatusOK || creds["SecurityToken"] == nil {
		t.Fatalf("AssumeRoleWithOIDC: %d %v, want 200 with credentials", status, out)
	}
	if status, out = post("not-a-jwt"); status != http.StatusBadRequest || out["Code"] != "AuthenticationFail.OIDCToken.Invalid" {
		t.Fatalf("a malformed token: %d %v, want 400 AuthenticationFail.OIDCToken.Invalid", status, out)
	}
}

// The metadata service hands out the instance role's keys, IMDSv2 token
// or not, also to a client that uses the emulator as its HTTP proxy for
// the fixed metadata address.
func TestMetadata_roleCredentials(t *testing.T) {
	env := startEnv(t, nil)
	proxy, _ := url.Parse(env.srv.URL())
	hc := &http.Client{Transport: &http.Transport{Proxy: http.ProxyURL(proxy)}}
	get := func(path, token string) (int, string) {
		req, _ := http.NewRequest(http.MethodGet, "http://100.100.100.200"+path, nil)
		if token != "" {
			req.Header.Set("X-aliyun-ecs-metadata-token", token)
		}
		resp, err := hc.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(raw)
	}
	req, _ := http.NewRequest(http.MethodPut, "http://100.100.100.200/latest/api/token", nil)
	req.Header.Set("X-aliyun-ecs-metadata-token-ttl-seconds", "60")
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	tok, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || len(tok) == 0 {
		t.Fatalf("token: %d %q", resp.StatusCode, tok)
	}
	if code, body := get("/latest/meta-data/ram/security-credentials/", string(tok)); code != 200 || body != DefaultECSRoleName {
		t.Fatalf("role name: %d %q", code, body)
	}
	code, body := get("/latest/meta-data/ram/security-credentials/"+DefaultECSRoleName, "")
	var c struct{ Code, AccessKeyId, AccessKeySecret, SecurityToken string }
	if err := json.Unmarshal([]byte(body), &c); err != nil || code != 200 || c.Code != "Success" {
		t.Fatalf("credentials: %d %q", code, body)
	}
	_, err = ecsClientWith(t, env.srv, credentials.NewStsTokenCredential(c.AccessKeyId, c.AccessKeySecret, c.SecurityToken)).
		DescribeNetworkInterfaces(ecs.CreateDescribeNetworkInterfacesRequest())
	mustOK(t, err)
	if code, _ := get("/latest/meta-data/ram/security-credentials/OtherRole", ""); code != http.StatusNotFound {
		t.Fatalf("another role: %d, want 404", code)
	}
	if code, _ := get("/latest/meta-data/ram/security-credentials/", "forged"); code != http.StatusUnauthorized {
		t.Fatalf("a forged metadata token: %d, want 401", code)
	}
}
