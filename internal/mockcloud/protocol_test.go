package mockcloud

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
)

// The vector from Alibaba's "Request signatures" page.
func TestSignatureMatchesPublishedVector(t *testing.T) {
	p := params{
		"AccessKeyId": "testid", "Action": "DescribeRegions", "Format": "XML",
		"SignatureMethod": "HMAC-SHA1", "SignatureNonce": "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf",
		"SignatureVersion": "1.0", "Timestamp": "2016-02-23T12:46:24Z", "Version": "2014-05-26",
	}
	sts := StringToSign("GET", p)
	want := "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26"
	if sts != want {
		t.Fatalf("string to sign:\n got %s\nwant %s", sts, want)
	}
	if got := Sign(sts, "testsecret"); got != "OLeaidS1JvxuMvnyHOwuJ+uX5qY=" {
		t.Fatalf("signature %s", got)
	}
}

// rawCall sends a hand-signed request and decodes the JSON answer.
func rawCall(t *testing.T, srv *Server, method string, p params, secret string) (int, map[string]any) {
	t.Helper()
	if secret != "" {
		p["Signature"] = Sign(StringToSign(method, p), secret)
	}
	q := url.Values{}
	for k, v := range p {
		q.Set(k, v)
	}
	var resp *http.Response
	var err error
	if method == http.MethodGet {
		resp, err = http.Get(srv.URL() + "/?" + q.Encode())
	} else {
		resp, err = http.Post(srv.URL()+"/", "application/x-www-form-urlencoded", strings.NewReader(q.Encode()))
	}
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var body map[string]any
	if err := json.Unmarshal(b, &body); err != nil {
		t.Fatalf("response is not JSON (%d): %s", resp.StatusCode, b)
	}
	if body["RequestId"] == "" || body["RequestId"] == nil {
		t.Fatalf("response without RequestId: %s", b)
	}
	return resp.StatusCode, body
}

func baseParams(action, version, nonce string) params {
	return params{
		"Action": action, "Version": version, "Format": "JSON", "AccessKeyId": "mock-key",
		"SignatureMethod": "HMAC-SHA1", "SignatureVersion": "1.0", "SignatureNonce": nonce,
		"Timestamp": time.Now().UTC().Format("2006-01-02T15:04:05Z"), "RegionId": "cn-hangzhou",
	}
}

func TestProtocolErrors(t *testing.T) {
	env := startEnv(t, nil)
	cases := []struct {
		name   string
		method string
		p      params
		secret string
		status int
		code   string
	}{
		{"GET signed query works", "GET", baseParams("DescribeInstanceTypes", ecsVersion, "n1"), "mock-secret", 200, ""},
		{"form body works", "POST", baseParams("DescribeVpcs", vpcVersion, "n2"), "mock-secret", 200, ""},
		{"wrong secret", "POST", baseParams("DescribeVpcs", vpcVersion, "n3"), "other", 400, "SignatureDoesNotMatch"},
		{"unknown key", "POST", func() params {
			p := baseParams("DescribeVpcs", vpcVersion, "n4")
			p["AccessKeyId"] = "nobody"
			return p
		}(), "mock-secret", 404, "InvalidAccessKeyId.NotFound"},
		{"reused nonce", "POST", baseParams("DescribeVpcs", vpcVersion, "n2"), "mock-secret", 400, "SignatureNonceUsed"},
		{"no signature", "POST", baseParams("DescribeVpcs", vpcVersion, "n5"), "", 400, "IncompleteSignature"},
		{"unknown action", "POST", baseParams("RebootTheWorld", ecsVersion, "n6"), "mock-secret", 404, "InvalidAction.NotFound"},
		{"VPC action under the ECS version", "POST", baseParams("DescribeVSwitches", ecsVersion, "n7"), "mock-secret", 404, "InvalidAction.NotFound"},
		{"unknown version", "POST", baseParams("DescribeVpcs", "2099-01-01", "n8"), "mock-secret", 400, "InvalidVersion"},
		{"stale timestamp", "POST", func() params {
			p := baseParams("DescribeVpcs", vpcVersion, "n9")
			p["Timestamp"] = "2016-02-23T12:46:24Z"
			return p
		}(), "mock-secret", 400, "IllegalTimestamp"},
		{"bad timestamp", "POST", func() params {
			p := baseParams("DescribeVpcs", vpcVersion, "n10")
			p["Timestamp"] = "yesterday"
			return p
		}(), "mock-secret", 400, "InvalidTimeStamp.Format"},
		{"missing action", "POST", func() params { p := baseParams("", vpcVersion, "n11"); delete(p, "Action"); return p }(), "mock-secret", 400, "MissingParameter"},
		{"other region", "POST", func() params {
			p := baseParams("DescribeVpcs", vpcVersion, "n12")
			p["RegionId"] = "us-west-1"
			return p
		}(), "mock-secret", 404, "InvalidRegionId.NotFound"},
		{"sha256 method", "POST", func() params {
			p := baseParams("DescribeVpcs", vpcVersion, "n13")
			p["SignatureMethod"] = "HMAC-SHA256"
			return p
		}(), "mock-secret", 400, "InvalidParameter"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, body := rawCall(t, env.srv, tc.method, tc.p, tc.secret)
			if status != tc.status {
				t.Fatalf("status %d, want %d: %v", status, tc.status, body)
			}
			if tc.code == "" {
				return
			}
			if body["Code"] != tc.code {
				t.Fatalf("code %v, want %s: %v", body["Code"], tc.code, body)
			}
			for _, k := range []string{"Message", "HostId", "Recommend"} {
				if s, _ := body[k].(string); s == "" {
					t.Fatalf("error body lacks %s: %v", k, body)
				}
			}
		})
	}
}

// The SDK's own signer and its diagnosis of a signature mismatch both work
// against the emulator.
func TestSDKSignatureMismatchIsDiagnosed(t *testing.T) {
	env := startEnv(t, nil)
	bad, err := ecs.NewClientWithOptions("cn-hangzhou", env.ecs.GetConfig(), credentials.NewAccessKeyCredential("mock-key", "wrong"))
	mustOK(t, err)
	bad.Domain = env.ecs.Domain
	_, err = bad.DescribeInstanceTypes(ecs.CreateDescribeInstanceTypesRequest())
	wantCode(t, err, "SignatureDoesNotMatch", 400)
	if !strings.Contains(err.Error(), "server string to sign is:POST&%2F&") {
		t.Fatalf("the SDK cannot diagnose the mismatch: %v", err)
	}
}

func TestUnsupportedMethod(t *testing.T) {
	env := startEnv(t, nil)
	req, _ := http.NewRequest(http.MethodDelete, env.srv.URL()+"/?Action=DescribeVpcs", nil)
	resp, err := http.DefaultClient.Do(req)
	mustOK(t, err)
	defer resp.Body.Close()
	var body map[string]string
	mustOK(t, json.NewDecoder(resp.Body).Decode(&body))
	if resp.StatusCode != 403 || body["Code"] != "UnsupportedHTTPMethod" {
		t.Fatalf("got %d %v", resp.StatusCode, body)
	}
}
