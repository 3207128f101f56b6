package cloud

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
)

// EndpointError reports an endpoint override that cannot be used. Service is
// "ecs" or "vpc" so the provider can point at the right setting.
type EndpointError struct {
	Service string
	Value   string
	Err     error
}

func (e *EndpointError) Error() string {
	return fmt.Sprintf("invalid %s endpoint %q: %v", e.Service, e.Value, e.Err)
}

func (e *EndpointError) Unwrap() error { return e.Err }

// parseEndpoint turns an override into the SDK's Domain (host[:port]) and
// Scheme. Without an override the scheme is HTTPS, not the SDK's HTTP
// default, because real endpoints should not be called in clear text.
func parseEndpoint(service, raw string) (sdkTarget, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return sdkTarget{scheme: "HTTPS"}, nil
	}
	fail := func(format string, args ...any) (sdkTarget, error) {
		return sdkTarget{}, &EndpointError{Service: service, Value: raw, Err: fmt.Errorf(format, args...)}
	}

	scheme := "https"
	rest := raw
	if i := strings.Index(raw, "://"); i >= 0 {
		scheme = strings.ToLower(raw[:i])
		rest = raw[i+3:]
	}
	if scheme != "http" && scheme != "https" {
		return fail("scheme must be http or https, not %q", scheme)
	}
	// Parse through net/url so that userinfo, paths and queries are
	// recognised and refused: the SDK always requests "/" on a bare host.
	u, err := url.Parse(scheme + "://" + rest)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return fail("%v", err)
	}
	switch {
	case u.User != nil:
		return fail("credentials in the URL are not allowed")
	case u.Path != "" && u.Path != "/":
		return fail("a path (%q) is not allowed; give only scheme, host and port", u.Path)
	case u.RawQuery != "" || u.ForceQuery:
		return fail("a query string is not allowed")
	case u.Fragment != "":
		return fail("a fragment is not allowed")
	}
	host := u.Hostname()
	if host == "" {
		return fail("host is empty")
	}
	if strings.ContainsAny(host, " \t/\\") {
		return fail("host %q is not valid", host)
	}
	domain := host
	if strings.Contains(host, ":") { // IPv6 literal keeps its brackets
		domain = "[" + host + "]"
	}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return fail("port %q is not in 1-65535", p)
		}
		domain = net.JoinHostPort(host, p)
	} else if strings.HasSuffix(u.Host, ":") {
		return fail("port is empty")
	}
	return sdkTarget{domain: domain, scheme: strings.ToUpper(scheme)}, nil
}
