package mockcloud

import (
	"sync"
	"time"
)

// useNonce records a request's nonce and reports whether it was fresh;
// signedAt is the request's own timestamp.
func (s *Server) useNonce(nonce string, signedAt, now time.Time) bool {
	return s.auth.use(nonce, now)
}

// nonceStore remembers the nonces seen within the timestamp window.
type nonceStore struct {
	mu    sync.Mutex
	seen  map[string]time.Time
	order []nonceAt
}

type nonceAt struct {
	nonce string
	at    time.Time
}

// use records a nonce and reports whether it was fresh.
func (n *nonceStore) use(nonce string, now time.Time) bool {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.seen == nil {
		n.seen = map[string]time.Time{}
	}
	// Forget nonces older than the window: a replay of those fails the
	// timestamp check instead.
	drop := 0
	for drop < len(n.order) && now.Sub(n.order[drop].at) > 2*timestampWindow {
		delete(n.seen, n.order[drop].nonce)
		drop++
	}
	if drop > 0 {
		n.order = append(n.order[:0], n.order[drop:]...)
	}
	if _, dup := n.seen[nonce]; dup {
		return false
	}
	n.seen[nonce] = now
	n.order = append(n.order, nonceAt{nonce, now})
	return true
}
