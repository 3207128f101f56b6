package cloud

import (
	"context"
	"sync"
)

// KeyedLocks serialises work per key (an instance ID for attach and
// detach, an ENI ID for assigning and unassigning addresses), so that
// Terraform's parallel operations on one object never race each other
// into the API's conflict errors. Different keys never wait on each other.
type KeyedLocks struct {
	mu    sync.Mutex
	locks map[string]*keyedLock
}

type keyedLock struct {
	ch    chan struct{} // holds one token while locked
	users int
}

// Lock takes the lock of key, or gives up when ctx ends. The returned
// function releases it.
func (k *KeyedLocks) Lock(ctx context.Context, key string) (unlock func(), err error) {
	k.mu.Lock()
	if k.locks == nil {
		k.locks = map[string]*keyedLock{}
	}
	l := k.locks[key]
	if l == nil {
		l = &keyedLock{ch: make(chan struct{}, 1)}
		k.locks[key] = l
	}
	l.users++
	k.mu.Unlock()

	select {
	case l.ch <- struct{}{}:
		return func() { <-l.ch; k.release(key, l) }, nil
	case <-ctx.Done():
		k.release(key, l)
		return nil, ctx.Err()
	}
}

// release forgets a key nobody holds or waits for, so the map stays small.
func (k *KeyedLocks) release(key string, l *keyedLock) {
	k.mu.Lock()
	defer k.mu.Unlock()
	l.users--
	if l.users == 0 {
		delete(k.locks, key)
	}
}
