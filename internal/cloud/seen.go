package cloud

import (
	"encoding/json"
	"sync"
	"time"
)

// Within one Terraform walk (one provider process) the same object is
// read again and again: a refresh reads an ENI for the ENI, again for
// each of its attachments and private IPs, and again for each plan-time
// check that looks at it. seen remembers every object a batched read or a
// listing brought back during the walk, so that later reads of the same
// object take the answer already had instead of calling the API.
//
// A remembered answer is served only when it cannot hide a change of
// ours: it was read after the last mutating call that named the object
// ended, and no such call is under way (writes.go). It is never served to
// a waiter, which polls for a change it expects (watch.go), and it is
// forgotten after seenMaxAge, so a long apply does not act on what it read
// minutes ago. Changes made outside Terraform during a walk show as they
// would in any refresh: at the next walk.

// seenMaxAge is how long a remembered answer is served. A refresh of
// thousands of resources fits in it (the 340-resource no-op plan of
// bench/refresh-calls.sh takes about 3 s); an apply that waits longer
// reads again.
const seenMaxAge = time.Minute

// seen holds the answers of one kind; its zero value is ready.
type seen[T any] struct {
	mu    sync.Mutex
	items map[string]seenItem
}

// seenItem is an object as JSON, so that each caller decodes a copy of
// its own, when the request that read it was sent, and the ID of the
// object it is bound to (an ENI's instance), if any.
type seenItem struct {
	raw  []byte
	at   time.Time
	rel  string
	used bool // handed to a reader (not only listed)
}

// encodeAll encodes items as JSON by ID, once per answer: seen keeps the
// encodings and watchers decode their copies from them. An item that does
// not encode is left out (it is read again next time).
func encodeAll[T any](items []T, idOf func(T) string) map[string][]byte {
	out := make(map[string][]byte, len(items))
	for _, it := range items {
		if raw, err := json.Marshal(it); err == nil {
			out[idOf(it)] = raw
		}
	}
	return out
}

// decodeCopy decodes an object of its own from raw.
func decodeCopy[T any](raw []byte) (*T, error) {
	obj := new(T)
	if err := json.Unmarshal(raw, obj); err != nil {
		return nil, err
	}
	return obj, nil
}

// put remembers items read by a request sent at at (encoded is
// encodeAll's answer for them), unless a later read of the same object is
// remembered already. relOf, when set, names the object each item is
// bound to.
func (s *seen[T]) put(items []T, encoded map[string][]byte, idOf, relOf func(T) string, at time.Time) {
	if len(encoded) == 0 {
		return
	}
	rel := map[string]string{}
	if relOf != nil {
		for _, it := range items {
			rel[idOf(it)] = relOf(it)
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.items == nil {
		s.items = map[string]seenItem{}
	}
	for id, raw := range encoded {
		if old, ok := s.items[id]; !ok || !old.at.After(at) {
			s.items[id] = seenItem{raw: raw, at: at, rel: rel[id]}
		}
	}
}

// get returns a copy of the remembered object id when it may be served:
// younger than seenMaxAge and unchanged by us since it was read.
func (s *seen[T]) get(id string, f freshness) (*T, bool) {
	s.mu.Lock()
	it, ok := s.items[id]
	ok = ok && it.servable(id, f)
	if ok && !it.used {
		it.used = true
		s.items[id] = it
	}
	s.mu.Unlock()
	if !ok {
		return nil, false
	}
	obj, err := decodeCopy[T](it.raw)
	return obj, err == nil
}

// freshness says when a remembered answer may be served: writes are our
// changes, ignoreBindings lets an instance's answer stand after attaches
// and detaches (writes.go). Without writes, any answer is served, however
// old: for facts that never change.
type freshness struct {
	writes         *writeLog
	ignoreBindings bool
}

func (it seenItem) servable(id string, f freshness) bool {
	if f.writes == nil {
		return true
	}
	return time.Since(it.at) <= seenMaxAge && f.writes.unchangedSince(id, it.at, f.ignoreBindings)
}

// has reports whether get would serve id.
func (s *seen[T]) has(id string, f freshness) bool {
	s.mu.Lock()
	it, ok := s.items[id]
	s.mu.Unlock()
	return ok && it.servable(id, f)
}

// markUsed records that ids were handed to readers.
func (s *seen[T]) markUsed(ids []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, id := range ids {
		if it, ok := s.items[id]; ok {
			it.used = true
			s.items[id] = it
		}
	}
}

// related lists the objects that the remembered ones handed to readers
// are bound to (the instances of the ENIs the walk read), each once; the
// rest of a listing does not count.
func (s *seen[T]) related() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	in := map[string]bool{}
	for _, it := range s.items {
		if it.used && it.rel != "" && !in[it.rel] && time.Since(it.at) <= seenMaxAge {
			in[it.rel] = true
			out = append(out, it.rel)
		}
	}
	return out
}
