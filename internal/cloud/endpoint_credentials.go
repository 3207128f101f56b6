package cloud

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// stsTarget is where STS requests go: host is what the credential
// providers take (they always speak HTTPS), sdk what the SDK's STS client
// takes. An empty host leaves the choice to the providers
// (ALIBABA_CLOUD_STS_REGION, else sts.aliyuncs.com).
type stsTarget struct {
	host string
	sdk  sdkTarget
}

// defaultSTSHost is the central STS endpoint, the providers' default.
const defaultSTSHost = "sts.aliyuncs.com"

// parseSTSEndpoint reads an STS endpoint override: a host[:port] or an
// https:// URL. Plain HTTP is refused because the credential providers of
// the SDK would call it over HTTPS anyway.
func parseSTSEndpoint(raw string) (stsTarget, error) {
	if strings.TrimSpace(raw) == "" {
		return stsTarget{sdk: sdkTarget{domain: defaultSTSHost, scheme: "HTTPS"}}, nil
	}
	t, err := parseEndpoint("sts", raw)
	if err != nil {
		return stsTarget{}, err
	}
	if t.scheme != "HTTPS" {
		return stsTarget{}, &EndpointError{Service: "sts", Value: raw,
			Err: errors.New("STS is called over HTTPS only (the SDK's credential providers have no other scheme); use https:// or a bare host")}
	}
	return stsTarget{host: t.domain, sdk: t}, nil
}

// parseMetadataEndpoint reads the ECS metadata endpoint override, an
// http:// URL with no path. The credential providers call the metadata
// service at its fixed address, http://100.100.100.200; the override is
// given to them as their HTTP proxy, which forwards those requests
// unchanged (eni-mockcloud answers them).
func parseMetadataEndpoint(raw string) (string, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return "", nil
	}
	fail := func(why string) (string, error) {
		return "", &EndpointError{Service: "ECS metadata", Value: raw, Err: errors.New(why)}
	}
	u, err := url.Parse(raw)
	switch {
	case err != nil:
		return fail(err.Error())
	case u.Scheme != "http":
		return fail("use an http:// URL, as the metadata service speaks plain HTTP")
	case u.Host == "" || u.Hostname() == "":
		return fail("host is empty")
	case u.User != nil:
		return fail("credentials in the URL are not allowed")
	case u.Path != "" && u.Path != "/", u.RawQuery != "", u.Fragment != "":
		return fail("give only scheme, host and port")
	}
	return fmt.Sprintf("http://%s", u.Host), nil
}

// CheckSTSEndpoint and CheckMetadataEndpoint report why an override
// cannot be used, for the provider to name the setting. Empty is valid.
func CheckSTSEndpoint(raw string) error { return unwrapEndpointError(parseSTSEndpointErr(raw)) }

func CheckMetadataEndpoint(raw string) error {
	_, err := parseMetadataEndpoint(raw)
	return unwrapEndpointError(err)
}

func parseSTSEndpointErr(raw string) error {
	_, err := parseSTSEndpoint(raw)
	return err
}

func unwrapEndpointError(err error) error {
	var ee *EndpointError
	if errors.As(err, &ee) {
		return ee.Err
	}
	return err
}
