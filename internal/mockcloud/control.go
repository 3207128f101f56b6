package mockcloud

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
)

const controlPrefix = "/_mock/"

func isControlPath(path string) bool { return strings.HasPrefix(path, controlPrefix) }

// serveControl answers the emulator's own endpoints, which are not part of
// the Alibaba API: health, call statistics, faults, transition settings.
func (s *Server) serveControl(w http.ResponseWriter, r *http.Request) {
	route := r.Method + " " + strings.TrimSuffix(r.URL.Path, "/")
	switch route {
	case "GET /_mock/health":
		writeJSON(w, http.StatusOK, map[string]any{"status": "ok", "region": s.Region()})
	case "GET /_mock/stats":
		writeJSON(w, http.StatusOK, s.Stats())
	case "POST /_mock/stats/reset":
		s.ResetStats()
		writeJSON(w, http.StatusOK, s.Stats())
	case "GET /_mock/faults":
		writeJSON(w, http.StatusOK, s.faults.get())
	case "PUT /_mock/faults":
		var f Faults
		if err := decodeStrict(r, &f); err != nil {
			writeControlError(w, err)
			return
		}
		if err := f.Validate(); err != nil {
			writeControlError(w, err)
			return
		}
		s.SetFaults(f)
		writeJSON(w, http.StatusOK, f)
	case "GET /_mock/config":
		writeJSON(w, http.StatusOK, s.config())
	case "PUT /_mock/config":
		var c controlConfig
		if err := decodeStrict(r, &c); err != nil {
			writeControlError(w, err)
			return
		}
		if err := c.Validate(); err != nil {
			writeControlError(w, err)
			return
		}
		s.SetTransitionDelay(time.Duration(c.TransitionDelayMS) * time.Millisecond)
		writeJSON(w, http.StatusOK, s.config())
	case "POST /_mock/settle":
		if err := s.Settle(); err != nil {
			writeControlError(w, err)
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"status": "settled"})
	default:
		writeJSON(w, http.StatusNotFound, map[string]any{"error": "unknown control endpoint " + route,
			"endpoints": []string{"GET /_mock/health", "GET /_mock/stats", "POST /_mock/stats/reset",
				"GET|PUT /_mock/faults", "GET|PUT /_mock/config", "POST /_mock/settle"}})
	}
}

// controlConfig is the body of /_mock/config.
type controlConfig struct {
	TransitionDelayMS int64 `json:"transition_delay_ms"`
}

// MaxTransitionDelay is the longest transition delay the emulator takes:
// an hour is far beyond any real transition and keeps every deadline the
// emulator computes from it far from overflow.
const MaxTransitionDelay = time.Hour

// Validate refuses a delay outside [0, MaxTransitionDelay].
func (c controlConfig) Validate() error {
	if c.TransitionDelayMS < 0 || c.TransitionDelayMS > MaxTransitionDelay.Milliseconds() {
		return errInvalid("transition_delay_ms", fmt.Sprintf("it is in milliseconds and must be between 0 and %d (%s)",
			MaxTransitionDelay.Milliseconds(), MaxTransitionDelay))
	}
	return nil
}

func (s *Server) config() controlConfig {
	s.mu.Lock()
	defer s.mu.Unlock()
	return controlConfig{TransitionDelayMS: s.delay.Milliseconds()}
}

// decodeStrict decodes one JSON object with only known fields. A value of
// the wrong type or out of its type's range (an integer that overflows,
// a negative seed) is reported under the field's own name.
func decodeStrict(r *http.Request, v any) error {
	dec := json.NewDecoder(r.Body) // already read and capped by readBody
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil && dec.More() {
		err = errors.New("only one JSON object is allowed")
	}
	var typeErr *json.UnmarshalTypeError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &typeErr) && typeErr.Field != "":
		return errInvalid(typeErr.Field, fmt.Sprintf("%s is not a valid %s here (wrong type, or out of range)", typeErr.Value, typeErr.Type))
	}
	return errInvalid("body", "it must be one JSON object with the documented fields: "+err.Error())
}

func writeControlError(w http.ResponseWriter, err error) {
	status := http.StatusBadRequest
	if ae, ok := err.(*apiError); ok {
		status = ae.Status
	}
	writeJSON(w, status, map[string]any{"error": err.Error()})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
