package mockcloud

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"time"
)

// The state file is one snapshot line followed by journal lines (see
// journal.go). At start the emulator loads the snapshot, replays the
// journal and writes a fresh snapshot; while it runs, each change appends
// one line, and once the journal outgrows the snapshot
// (compactIfDue) a new snapshot replaces both. So a change costs a line
// and, under load, a share of one fsync, whatever the size of the state,
// and the file never holds more than about three times the state.
//
// The file holds the seed's access key secrets: it is created with mode
// 0600 and rewritten with it at every snapshot.

const snapshotFormat = "eni-mockcloud-state/2"

// compactMinBytes keeps small states from being rewritten too often.
var compactMinBytes int64 = 4 << 20

type snapshot struct {
	Format string        `json:"format"`
	State  *state        `json:"state"`
	Nonces []nonceBucket `json:"nonces,omitempty"`
}

type nonceBucket struct {
	Minute int64 `json:"expires_minute"`
	// Keys are the nonces' 16-byte hashes one after another (base64 in
	// JSON): one allocation per bucket, not one per nonce.
	Keys []byte `json:"keys"`
}

// open loads the state file when there is one, else builds the state from
// the seed, and (with a state file) starts the journal on a fresh
// snapshot.
func (s *Server) open(seed *Seed) error {
	if s.statePath != "" {
		b, err := os.ReadFile(s.statePath)
		switch {
		case err == nil:
			if err := s.load(b); err != nil {
				return fmt.Errorf("reading state file %s: %w", s.statePath, err)
			}
			s.indexTokens()
			return s.compact()
		case !errors.Is(err, fs.ErrNotExist):
			return fmt.Errorf("reading state file: %w", err)
		}
	}
	if seed == nil {
		seed = DefaultSeed()
	}
	st, err := seed.build(s.now())
	if err != nil {
		return err
	}
	s.st = st
	if s.statePath == "" {
		return nil
	}
	return s.compact()
}

// load reads a snapshot and replays the journal after it. A last line
// without its newline was cut short by a crash before it was written
// whole, so it was never acknowledged: it is dropped. A state file of
// the first format (the state alone, no journal) loads too.
func (s *Server) load(b []byte) error {
	first, rest, _ := bytes.Cut(b, []byte("\n"))
	var snap snapshot
	if err := json.Unmarshal(first, &snap); err != nil {
		return err
	}
	if snap.Format == "" {
		snap.State = new(state)
		if err := json.Unmarshal(first, snap.State); err != nil {
			return err
		}
	} else if snap.Format != snapshotFormat {
		return fmt.Errorf("unknown format %q", snap.Format)
	}
	if st := snap.State; st == nil || st.Region == "" || st.ENIs == nil {
		return errors.New("not an eni-mockcloud state")
	}
	s.st = snap.State
	if s.st.Tokens == nil {
		s.st.Tokens = map[string]*tokenRecord{}
	}
	now := s.now()
	for _, nb := range snap.Nonces {
		if len(nb.Keys)%len(nonceKey{}) != 0 {
			return fmt.Errorf("nonce bucket %d is not a list of hashes", nb.Minute)
		}
		for k := range slices.Chunk(nb.Keys, len(nonceKey{})) {
			s.nonces.add(nonceKey(k), nb.Minute, now)
		}
	}
	for n := 2; len(rest) > 0; n++ {
		line, more, complete := bytes.Cut(rest, []byte("\n"))
		rest = more
		if !complete {
			break // torn tail
		}
		if err := s.replay(line, now); err != nil {
			return fmt.Errorf("line %d: %w", n, err)
		}
	}
	return nil
}

// replay applies one journal line.
func (s *Server) replay(line []byte, now time.Time) error {
	var e journalEntry
	if err := json.Unmarshal(line, &e); err != nil {
		return err
	}
	switch {
	case e.Nonce != "":
		return s.restoreNonce(e.Nonce, e.Bucket, now)
	case e.Settle:
		s.st.settle(time.Time{}, true)
	case e.Action != "":
		a := s.actions[e.Action]
		if a == nil {
			return fmt.Errorf("unknown action %q", e.Action)
		}
		s.run(a, e.Params, e.Time, e.Delay)
	default:
		return errors.New("empty entry")
	}
	return nil
}

func (s *Server) restoreNonce(b64 string, minute int64, now time.Time) error {
	raw, err := base64.RawStdEncoding.DecodeString(b64)
	if err != nil || len(raw) != len(nonceKey{}) {
		return fmt.Errorf("bad nonce %q", b64)
	}
	s.nonces.add(nonceKey(raw), minute, now)
	return nil
}

// compactIfDue writes a new snapshot once the journal is larger than
// compactMinBytes and twice the last snapshot, so rewriting the state
// costs each change a constant share however large the state is.
func (s *Server) compactIfDue() {
	if s.jnl == nil || s.jnl.bytesSinceSnapshot() < s.compactAt.Load() {
		return
	}
	if err := s.compact(); err != nil {
		// The old snapshot and journal are still whole; try again after
		// as much journal again.
		s.compactAt.Add(s.compactAt.Load())
	}
}

// compact writes the state and the live nonces as a new snapshot next to
// the state file, syncs it, renames it over the file and continues the
// journal in it. A kill at any moment leaves either the old file or the
// new one, each whole.
func (s *Server) compact() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nonces.mu.Lock()
	defer s.nonces.mu.Unlock()
	if s.jnl != nil && s.jnl.bytesSinceSnapshot() < s.compactAt.Load() {
		return nil // another request compacted meanwhile
	}
	s.nonces.prune(s.now())
	f, size, err := writeSnapshot(s.statePath, snapshot{Format: snapshotFormat, State: s.st, Nonces: s.nonces.export()})
	if err != nil {
		return err
	}
	s.compactAt.Store(max(compactMinBytes, 2*size))
	s.snapshots.Add(1)
	if s.jnl == nil {
		s.jnl = newJournal(f)
	} else {
		s.jnl.restart(f)
	}
	return nil
}

// writeSnapshot encodes snap as one line into a new file (mode 0600, as
// os.CreateTemp makes it) straight from the encoder's buffer, syncs it and
// its directory around the rename, and returns it open for the journal to
// append to, with its size.
func writeSnapshot(path string, snap snapshot) (*os.File, int64, error) {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, ".eni-mockcloud-state-*")
	if err != nil {
		return nil, 0, err
	}
	tmp := f.Name()
	fail := func(err error) (*os.File, int64, error) {
		f.Close()
		os.Remove(tmp)
		return nil, 0, err
	}
	// Encode writes the line, newline included, in one write.
	if err := json.NewEncoder(f).Encode(snap); err != nil {
		return fail(err)
	}
	if err := f.Sync(); err != nil {
		return fail(err)
	}
	size, err := f.Seek(0, io.SeekCurrent)
	if err != nil {
		return fail(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fail(err)
	}
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync() // the rename itself survives a crash
		d.Close()
	}
	return f, size, nil
}

// export lists the live nonces by bucket. Callers hold n.mu.
func (n *nonceStore) export() []nonceBucket {
	out := make([]nonceBucket, 0, len(n.buckets))
	for minute, keys := range n.buckets {
		nb := nonceBucket{Minute: minute, Keys: make([]byte, 0, len(keys)*len(nonceKey{}))}
		for k := range keys {
			nb.Keys = append(nb.Keys, k[:]...)
		}
		out = append(out, nb)
	}
	return out
}
