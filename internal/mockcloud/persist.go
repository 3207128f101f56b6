package mockcloud

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// loadOrSeed reloads the state file when there is one, else builds the
// state from the seed (and writes it, so a restart finds it).
func (s *Server) loadOrSeed(seed *Seed) (*state, error) {
	if s.statePath != "" {
		b, err := os.ReadFile(s.statePath)
		switch {
		case err == nil:
			var st state
			if err := json.Unmarshal(b, &st); err != nil {
				return nil, fmt.Errorf("reading state file %s: %w", s.statePath, err)
			}
			if st.Region == "" || st.ENIs == nil {
				return nil, fmt.Errorf("state file %s is not an eni-mockcloud state", s.statePath)
			}
			return &st, nil
		case !errors.Is(err, fs.ErrNotExist):
			return nil, fmt.Errorf("reading state file: %w", err)
		}
	}
	if seed == nil {
		seed = DefaultSeed()
	}
	st, err := seed.build(s.now())
	if err != nil {
		return nil, err
	}
	s.st = st
	if err := s.persist(); err != nil {
		return nil, err
	}
	return st, nil
}

// persist writes the whole state atomically: a temporary file in the same
// directory, synced, then renamed over the old one. A kill at any moment
// leaves either the old or the new state, never a torn one. Callers hold
// s.mu.
func (s *Server) persist() error {
	if s.statePath == "" {
		return nil
	}
	b, err := json.Marshal(s.st)
	if err != nil {
		return err
	}
	dir := filepath.Dir(s.statePath)
	f, err := os.CreateTemp(dir, ".eni-mockcloud-state-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer os.Remove(tmp) // no-op after a successful rename
	if _, err := f.Write(b); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, s.statePath)
}
