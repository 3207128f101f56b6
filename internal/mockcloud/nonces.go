package mockcloud

import (
	"hash/fnv"
	"sync"
	"time"
)

// A request is accepted only within timestampWindow of the time it was
// signed, so its nonce needs remembering only until then: a replay after
// that fails the timestamp check instead. The store keeps each nonce in a
// bucket by the minute its request stops being valid and drops whole
// buckets once they are past, so it holds at most the nonces of the last
// 2 × timestampWindow of signing times, however fast requests come. It keeps a
// 128-bit hash of each nonce, not the nonce: 16 bytes whatever the client
// sends. With a state file, every nonce is written to the journal before
// its request is answered, so a replay after any restart is refused too.
type nonceStore struct {
	mu      sync.Mutex
	buckets map[int64]map[nonceKey]struct{} // key: Unix minute of expiry
}

type nonceKey [16]byte

func hashNonce(nonce string) nonceKey {
	h := fnv.New128a()
	h.Write([]byte(nonce))
	var k nonceKey
	h.Sum(k[:0])
	return k
}

// expiryBucket is the minute, rounded up, after which a request signed
// at signedAt is refused for its timestamp.
func expiryBucket(signedAt time.Time) int64 {
	return (signedAt.Add(timestampWindow).Unix() + 59) / 60
}

// seen reports whether k is in a live bucket. Callers hold n.mu.
func (n *nonceStore) seen(k nonceKey) bool {
	for _, b := range n.buckets {
		if _, dup := b[k]; dup {
			return true
		}
	}
	return false
}

// add records k in bucket and forgets buckets wholly past now. Callers
// hold n.mu.
func (n *nonceStore) add(k nonceKey, bucket int64, now time.Time) {
	if n.buckets == nil {
		n.buckets = map[int64]map[nonceKey]struct{}{}
	}
	n.prune(now)
	b := n.buckets[bucket]
	if b == nil {
		b = map[nonceKey]struct{}{}
		n.buckets[bucket] = b
	}
	b[k] = struct{}{}
}

func (n *nonceStore) prune(now time.Time) {
	for minute := range n.buckets {
		if minute*60 < now.Unix() {
			delete(n.buckets, minute)
		}
	}
}

// count is the number of nonces held, for tests and the benchmark.
func (n *nonceStore) count() int {
	n.mu.Lock()
	defer n.mu.Unlock()
	total := 0
	for _, b := range n.buckets {
		total += len(b)
	}
	return total
}

// useNonce records a request's nonce and reports whether it was fresh;
// signedAt is the request's own timestamp, already checked to be within
// the window. With a state file the nonce is on disk before this returns
// true.
func (s *Server) useNonce(nonce string, signedAt, now time.Time) bool {
	k := hashNonce(nonce)
	bucket := expiryBucket(signedAt)
	s.nonces.mu.Lock()
	if s.nonces.seen(k) {
		s.nonces.mu.Unlock()
		return false
	}
	s.nonces.add(k, bucket, now)
	var seq uint64
	if s.jnl != nil {
		seq = s.jnl.append(entryForNonce(k, bucket), false)
	}
	s.nonces.mu.Unlock()
	if seq != 0 {
		// A failed write is sticky: every mutation from now on reports it
		// as InternalError, which is where it matters.
		_ = s.jnl.wait(seq)
	}
	return true
}
