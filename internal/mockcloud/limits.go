package mockcloud

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"time"
)

// Request limits. Neither is documented for the real gateway; they are set
// far above any legitimate request of the emulated actions (the largest,
// a create with 50 tags and 10 addresses, is under 8 KiB) and low enough
// that a hostile client cannot hold memory or file descriptors for long.
const (
	// MaxRequestBytes caps a request body; a larger one gets 413.
	MaxRequestBytes = 1 << 20
	// MaxHeaderBytes caps the request line (with its query string) and
	// headers; Go's server answers 431 beyond it.
	MaxHeaderBytes = 1 << 20
	// DefaultBodyReadTimeout is how long a client may take to send a
	// body after its headers; a slower one gets 408 and its connection is
	// closed.
	DefaultBodyReadTimeout = 10 * time.Second
	// headerReadTimeout and idleTimeout bound connections that send no
	// complete headers, or nothing at all, in the same way.
	headerReadTimeout = 10 * time.Second
	idleTimeout       = 2 * time.Minute
)

// HTTPServer returns an http.Server for the emulator with the header and
// idle timeouts set; cmd/eni-mockcloud and Start both serve through it.
func (s *Server) HTTPServer() *http.Server {
	return &http.Server{
		Handler:           s,
		ReadHeaderTimeout: headerReadTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    MaxHeaderBytes,
	}
}

// readBody reads the whole body before anything else looks at it, within
// the size cap and the body deadline, and leaves it in the request as a
// heldBody. Reading it up front means no handler, and no lock, ever waits
// on a slow client.
func (s *Server) readBody(w http.ResponseWriter, r *http.Request) error {
	if r.Body == nil || r.Body == http.NoBody {
		return nil
	}
	rc := http.NewResponseController(w)
	// Not every ResponseWriter supports deadlines (httptest's recorder
	// does not); there the size cap still holds.
	deadlineSet := rc.SetReadDeadline(time.Now().Add(s.bodyTimeout)) == nil
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxRequestBytes))
	if err == nil && deadlineSet {
		_ = rc.SetReadDeadline(time.Time{})
	}
	// On an error the deadline stays: the server would otherwise wait for
	// the rest of a trickled body before it closes the connection.
	if err != nil {
		// The connection is in an unknown state: close it after answering.
		w.Header().Set("Connection", "close")
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return newErr(http.StatusRequestEntityTooLarge, "RequestTooLarge",
				"The request body exceeds the emulator's limit of %d bytes.", MaxRequestBytes)
		}
		return newErr(http.StatusRequestTimeout, "RequestTimeout",
			"The request body was not received completely within %s; the connection is closed. (%v)", s.bodyTimeout, err)
	}
	r.Body = holdBody(b)
	return nil
}

// heldBody is a request body already read into memory: it reads like the
// original and keeps the bytes for those that need them whole (the V3
// payload hash) after r.ParseForm has consumed the reader.
type heldBody struct {
	*bytes.Reader
	b []byte
}

func (heldBody) Close() error { return nil }

func holdBody(b []byte) heldBody { return heldBody{bytes.NewReader(b), b} }

// bodyOf is the request's whole body as readBody read it.
func bodyOf(r *http.Request) []byte {
	if h, ok := r.Body.(heldBody); ok {
		return h.b
	}
	return nil
}
