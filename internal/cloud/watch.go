package cloud

import (
	"context"
	"sync"
	"time"
)

// Waiters of one walk poll together. Every waiter registers a watcher for
// the object it waits on; every batched read of that kind also names the
// watched objects (up to the call's ceiling) and hands each watcher what
// it read, as an observation. A waiter takes an observation as a poll of
// its own: it evaluates it at once (finishing as soon as any poll shows
// its target) and restarts its pause without polling. So while objects
// are waiting, one DescribeNetworkInterfaces every poll interval serves
// them all, and no waiter sees its object less often than its own polls
// would show it.

// watchers are the waits under way on objects of one kind.
type watchers[T any] struct {
	mu   sync.Mutex
	byID map[string][]*watcher[T]
	n    int
}

// watcher is one wait's mailbox: the latest observation not taken yet.
type watcher[T any] struct {
	id   string
	wake chan struct{} // signalled when an observation arrives

	mu  sync.Mutex
	has bool
	obj *T // nil: the object was not there
	at  time.Time
}

// add registers a watcher for id and says how many other waits of this
// kind are under way (their polls will observe id as well).
func (ws *watchers[T]) add(id string) (w *watcher[T], others int) {
	w = &watcher[T]{id: id, wake: make(chan struct{}, 1)}
	ws.mu.Lock()
	defer ws.mu.Unlock()
	if ws.byID == nil {
		ws.byID = map[string][]*watcher[T]{}
	}
	others = ws.n
	ws.byID[id] = append(ws.byID[id], w)
	ws.n++
	return w, others
}

func (ws *watchers[T]) remove(w *watcher[T]) {
	ws.mu.Lock()
	defer ws.mu.Unlock()
	list := ws.byID[w.id]
	for i, x := range list {
		if x == w {
			list = append(list[:i], list[i+1:]...)
			ws.n--
			break
		}
	}
	if len(list) == 0 {
		delete(ws.byID, w.id)
	} else {
		ws.byID[w.id] = list
	}
}

// extend adds the watched IDs missing from ids, up to limit IDs in all.
func (ws *watchers[T]) extend(ids []string, limit int) []string {
	ws.mu.Lock()
	defer ws.mu.Unlock()
	if len(ws.byID) == 0 || len(ids) >= limit {
		return ids
	}
	in := make(map[string]bool, len(ids))
	for _, id := range ids {
		in[id] = true
	}
	out := ids
	for id := range ws.byID {
		if len(out) >= limit {
			break
		}
		if !in[id] {
			out = append(out, id)
		}
	}
	return out
}

// deliver hands what a call sent at at read of ids (encoded as
// encodeAll made it) to their watchers: the object, or its absence. An ID
// whose call failed is left alone; its waiter polls for itself.
func (ws *watchers[T]) deliver(ids []string, encoded map[string][]byte, errs map[string]error, at time.Time) {
	ws.mu.Lock()
	var targets []*watcher[T]
	for _, id := range ids {
		targets = append(targets, ws.byID[id]...)
	}
	ws.mu.Unlock()
	for _, w := range targets {
		if err := errs[w.id]; err != nil && !IsNotFound(err) {
			continue
		}
		var obj *T
		if raw, ok := encoded[w.id]; ok {
			var err error
			if obj, err = decodeCopy[T](raw); err != nil {
				continue
			}
		}
		w.offer(obj, at)
	}
}

// offer keeps obs if it is newer than the one waiting, and wakes the wait.
func (w *watcher[T]) offer(obj *T, at time.Time) {
	w.mu.Lock()
	if w.has && w.at.After(at) {
		w.mu.Unlock()
		return
	}
	w.has, w.obj, w.at = true, obj, at
	w.mu.Unlock()
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// take returns the waiting observation, if any, and when its read was
// sent, and clears it.
func (w *watcher[T]) take() (obj *T, at time.Time, ok bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	obj, at, ok = w.obj, w.at, w.has
	w.has, w.obj = false, nil
	return obj, at, ok
}

// next is the wait's read: the waiting observation when there is one,
// else a poll of its own. What that poll's batch delivered to this
// watcher is the poll's own answer, so it is dropped.
// It also says when the read it returns was sent, or at the latest.
func (w *watcher[T]) next(ctx context.Context, kind string, poll func(context.Context) (*T, error)) (*T, time.Time, error) {
	if obj, at, ok := w.take(); ok {
		// The observation's wake may not have been taken (it came while
		// the wait was not pausing): the wait is not to wake for it again.
		select {
		case <-w.wake:
		default:
		}
		if obj == nil {
			return nil, at, &NotFoundError{Kind: kind, ID: w.id}
		}
		return obj, at, nil
	}
	sent := time.Now() // the batch goes no sooner
	obj, err := poll(ctx)
	w.take()
	select {
	case <-w.wake:
	default:
	}
	return obj, sent, err
}
