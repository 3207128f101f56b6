package mockcloud

import "net/http"

// readRequest merges the query string and a form body, as the real gateway
// accepts both.
func readRequest(r *http.Request) (params, error) {
	if err := r.ParseForm(); err != nil {
		return nil, errInvalid("body", "the request parameters could not be decoded: "+err.Error())
	}
	p := make(params, len(r.Form))
	for k, vs := range r.Form {
		if len(vs) > 1 {
			return nil, errInvalid(k, "the parameter is given more than once")
		}
		p[k] = vs[0]
	}
	return p, nil
}
