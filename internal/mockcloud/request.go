package mockcloud

import "net/http"

// readRequest merges the query string and a form body, as the real gateway
// accepts both. A request signed with V3 (an Authorization header) names
// its action and version in x-acs-* headers instead of parameters; they
// are copied into the parameters so routing, the handlers and the
// ClientToken fingerprint see a V3 request exactly like an RPC (V1) one.
func readRequest(r *http.Request) (params, error) {
	v3, err := isV3Request(r)
	if err != nil {
		return nil, err
	}
	body := bodyOf(r)
	if err := r.ParseForm(); err != nil {
		return nil, errInvalid("body", "the request parameters could not be decoded: "+err.Error())
	}
	// ParseForm consumed the reader; the V3 payload hash reads it later.
	r.Body = holdBody(body)
	p := make(params, len(r.Form))
	for k, vs := range r.Form {
		if len(vs) > 1 {
			return nil, errInvalid(k, "the parameter is given more than once")
		}
		p[k] = vs[0]
	}
	if v3 {
		if err := routeFromHeaders(r, p); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// routeFromHeaders sets Action and Version of a V3 request from its
// x-acs-action and x-acs-version headers. A query or form value that
// disagrees is refused: the request would otherwise mean two things.
func routeFromHeaders(r *http.Request, p params) error {
	for _, f := range []struct{ header, param string }{
		{"x-acs-action", "Action"},
		{"x-acs-version", "Version"},
	} {
		v := r.Header.Get(f.header)
		if v == "" {
			return errMissing(f.header)
		}
		if old := p[f.param]; old != "" && old != v {
			return errInvalid(f.param, "it differs from the "+f.header+" header ("+v+")")
		}
		p[f.param] = v
	}
	return nil
}
