package cloud

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"
)

// Every resource reads its own object, and every waiter polls its own
// object, so a walk of many resources asks the API about one object at a
// time. The coalescer below makes concurrent single-object reads of one
// kind share one call that names every ID (DescribeNetworkInterfaces with
// NetworkInterfaceId.N, DescribeInstances with InstanceIds,
// DescribeEipAddresses with AllocationId).
//
// A batch opens with its first read and collects the reads that arrive
// within Client.CoalesceWindow, or until it holds as many IDs as one call
// takes; then it is sent, and each caller picks its own object from the
// answer. A read joins only a batch that has not been sent, so it never
// sees a state older than its own start: a read after a write of the same
// walk sees the write. What a batch brings back is remembered for the
// walk (seen.go; served only while no change of ours can have made it
// stale) and handed to the waiters of the objects it named (watch.go).
//
// The call runs on a context of its own (the first caller's values, no
// caller's deadline or cancellation, coalesceCallTimeout at most) with the
// client's retries; a caller that gives up stops only its own wait, and
// the call is abandoned once every caller of the batch has given up.

// DefaultCoalesceWindow is how long a batch waits for more reads, and so
// the latency coalescing adds to a lone read: BenchmarkFindNetworkInterfaceByID
// measures the window plus about 0.5 ms (0.6 ms alone, 11 ms at 10 ms).
// Terraform does not start the reads of a walk at one instant: its
// refreshes of 30 resources (TestAccCoalesce_callCounts, 2 busy cores)
// took 21 calls at 3 ms, 7 at 10 ms and 6 at 25 ms, and the no-op plan
// was faster at 10 ms than at 3 ms, as fewer calls wait on one another.
// 10 ms is a fraction of one round trip to the real API (tens of
// milliseconds) and of the first poll interval (150 ms).
const DefaultCoalesceWindow = 10 * time.Millisecond

// IDs per call, the API reference's ceilings (and the emulator's).
const (
	instanceIDsPerRequest = 100 // DescribeInstances InstanceIds
	eipIDsPerRequest      = 50  // DescribeEipAddresses AllocationId
)

// coalesceCallTimeout bounds one batched call, which no single caller's
// context bounds.
const coalesceCallTimeout = memoLoadTimeout

// batchRead says how to read objects of one kind by ID in one call.
type batchRead[T any] struct {
	kind  string
	max   int                                                  // IDs per call
	fetch func(ctx context.Context, ids []string) ([]T, error) // one call, at most max IDs
	idOf  func(T) string

	// remember says the client serves one walk: what batches and listings
	// read is remembered, and fresh says which remembered answers our
	// changes made stale (seen.go).
	remember bool
	fresh    freshness
	// scopeOf and listPage, when set, let a walk list a VPC's objects a
	// page at a time (prefetch.go): scopeOf is an object's VPC, listPage
	// reads the page of scope that token names and returns the next token.
	scopeOf   func(T) string
	listPage  func(ctx context.Context, scope, token string) ([]T, string, error)
	listEvery int // reads one by one that pay for a page, see prefetch.go
	// relOf, when set, names the object an object is bound to (an ENI's
	// instance), which seen keeps for another kind's companions.
	relOf func(T) string
	// companions, when set, lists objects a walk is likely to read next
	// (the instances of the ENIs it read): a call that has room names
	// them too, at no extra call, and what it brings back is remembered.
	companions func() []string
}

// coalescer gathers the reads of one kind; its zero value is ready.
type coalescer[T any] struct {
	mu      sync.Mutex
	open    *batch[T] // collecting reads, not sent yet
	sending int       // batches whose call is under way

	seen  seen[T]     // what this walk has read, see seen.go
	watch watchers[T] // waits under way, see watch.go
	lists scopes      // listings by VPC, see prefetch.go
}

type batch[T any] struct {
	ids     []string // distinct, in arrival order
	r       batchRead[T]
	ctx     context.Context
	cancel  context.CancelFunc
	timer   *time.Timer     // nil while another batch's call is under way
	waiters int             // callers still waiting; guarded by coalescer.mu
	sent    bool            // guarded by coalescer.mu
	callers map[string]int  // callers of each ID; final once the batch is sent
	wanted  map[string]bool // IDs asked for by find
	polled  map[string]bool // IDs asked for by a waiter's poll
	done    chan struct{}

	// Set before done is closed.
	items []T
	errs  map[string]error // the error of each ID whose call failed
}

// find reads the object id: from what the walk has read already when
// that may be served (seen.go), else through a batch, or alone when
// window is zero (coalescing off): then it is one call, as findByID makes.
func (co *coalescer[T]) find(ctx context.Context, window time.Duration, r batchRead[T], id string) (*T, error) {
	if window <= 0 || !r.remember {
		return co.poll(ctx, window, r, id)
	}
	if obj, ok := co.seen.get(id, r.fresh); ok {
		return obj, nil
	}
	if co.lists.prefetch(ctx, r.listEvery, co.lister(r)) {
		if obj, ok := co.seen.get(id, r.fresh); ok {
			return obj, nil
		}
	}
	return co.read(ctx, window, r, id, true)
}

// poll reads the object id afresh, through a batch unless window is zero;
// waiters poll, as they wait for a change that nothing remembered shows.
func (co *coalescer[T]) poll(ctx context.Context, window time.Duration, r batchRead[T], id string) (*T, error) {
	if window <= 0 {
		return findByID(ctx, r.kind, id, func(ctx context.Context) ([]T, error) {
			return r.fetch(ctx, []string{id})
		}, r.idOf)
	}
	return co.read(ctx, window, r, id, false)
}

// lister reads one listing page into seen, for prefetch.
func (co *coalescer[T]) lister(r batchRead[T]) func(ctx context.Context, scope, token string) (string, error) {
	if r.listPage == nil {
		return nil
	}
	return func(ctx context.Context, scope, token string) (string, error) {
		at := time.Now()
		items, next, err := r.listPage(ctx, scope, token)
		co.seen.put(items, encodeAll(items, r.idOf), r.idOf, r.relOf, at)
		return next, err
	}
}

// withCompanions adds to ids, up to r.max, the companions that seen
// cannot serve.
func (co *coalescer[T]) withCompanions(ids []string, r batchRead[T]) []string {
	for _, id := range r.companions() {
		if len(ids) >= r.max {
			break
		}
		if !slices.Contains(ids, id) && !co.seen.has(id, r.fresh) {
			ids = append(ids, id)
		}
	}
	return ids
}

// read reads id through a batch; wanted says a find asked (see prefetch.go).
func (co *coalescer[T]) read(ctx context.Context, window time.Duration, r batchRead[T], id string, wanted bool) (*T, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	b := co.join(ctx, window, r, id, wanted)
	select {
	case <-b.done:
	case <-ctx.Done():
		co.leave(b)
		return nil, ctx.Err()
	}
	if err := b.errs[id]; err != nil {
		return nil, asNotFound(r.kind, id, err)
	}
	found, err := exactlyOne(b.items, r.kind, id, r.idOf)
	if err != nil {
		return nil, err
	}
	return b.claim(id, found)
}

// join adds id to the open batch, opening one if there is none, and
// sends the batch at once when it is full. A batch opened while another
// batch's call is under way waits for that call to end instead of the
// window (see sent): a burst of reads makes one call in flight and one
// collecting, not a call per window, and the answer in flight may serve
// the next batch's reads from seen or pay for a listing.
func (co *coalescer[T]) join(ctx context.Context, window time.Duration, r batchRead[T], id string, wanted bool) *batch[T] {
	co.mu.Lock()
	defer co.mu.Unlock()
	b := co.open
	if b == nil {
		callCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), coalesceCallTimeout)
		b = &batch[T]{r: r, ctx: callCtx, cancel: cancel, done: make(chan struct{}),
			callers: map[string]int{}, wanted: map[string]bool{}, polled: map[string]bool{}}
		if co.sending == 0 {
			b.timer = time.AfterFunc(window, func() { co.send(b) })
		}
		co.open = b
	}
	if wanted {
		b.wanted[id] = true
	} else {
		b.polled[id] = true
	}
	if b.callers[id] == 0 {
		b.ids = append(b.ids, id)
	}
	b.callers[id]++
	b.waiters++
	if len(b.ids) >= r.max {
		co.open = nil
		if b.timer != nil {
			b.timer.Stop()
		}
		go co.send(b)
	}
	return b
}

// send closes b to new reads and makes its call, unless every caller has
// given up already.
func (co *coalescer[T]) send(b *batch[T]) {
	co.mu.Lock()
	if co.open == b {
		co.open = nil
	}
	if b.sent {
		co.mu.Unlock()
		return
	}
	b.sent = true
	abandoned := b.waiters == 0
	co.sending++
	co.mu.Unlock()

	defer co.sent()
	defer close(b.done)
	defer b.cancel()
	b.errs = map[string]error{}
	if abandoned {
		return
	}
	co.call(b)
}

// sent ends a batch's call; the batch that collected reads meanwhile goes
// now.
func (co *coalescer[T]) sent() {
	co.mu.Lock()
	co.sending--
	next := co.open
	waiting := next != nil && next.timer == nil && co.sending == 0
	co.mu.Unlock()
	if waiting {
		go co.send(next)
	}
}

// call reads what b asks for. A batch that waited for another's call may
// find some of its reads answered by now (what that call or a listing it
// paid for brought back): a find takes them from seen, as it would have
// had it started later; a waiter's poll always goes to the API.
func (co *coalescer[T]) call(b *batch[T]) {
	r := b.r
	ask := b.ids
	if r.remember {
		co.lists.prefetch(b.ctx, r.listEvery, co.lister(r))
		ask = nil
		strict := freshness{writes: r.fresh.writes}
		for _, id := range b.ids {
			if b.wanted[id] && !b.polled[id] {
				if obj, ok := co.seen.get(id, strict); ok {
					b.items = append(b.items, *obj)
					continue
				}
			}
			ask = append(ask, id)
		}
		if len(ask) == 0 {
			return
		}
	}
	// The call names the watched objects too: their waiters take the
	// answer as a poll (watch.go).
	ids := co.watch.extend(slices.Clone(ask), r.max)
	if r.companions != nil && r.remember {
		ids = co.withCompanions(ids, r)
	}
	at := time.Now()
	fetched := loadSplitting(b.ctx, r, ids, b.errs)
	b.items = append(b.items, fetched...)
	encoded := encodeAll(fetched, r.idOf)
	co.watch.deliver(ids, encoded, b.errs, at)
	if !r.remember {
		return
	}
	co.seen.put(fetched, encoded, r.idOf, r.relOf, at)
	co.seen.markUsed(b.ids)
	if r.scopeOf != nil {
		scopeOf := make(map[string]string, len(fetched))
		for _, it := range fetched {
			scopeOf[r.idOf(it)] = r.scopeOf(it)
		}
		co.lists.learn(b.wanted, scopeOf)
	}
}

// leave is a caller of b giving up; the last one abandons the call.
func (co *coalescer[T]) leave(b *batch[T]) {
	co.mu.Lock()
	defer co.mu.Unlock()
	b.waiters--
	if b.waiters == 0 && b.sent {
		b.cancel()
	}
}

// claim hands found to a caller. An ID with one caller gets the object
// itself; when several callers asked for it, each gets its own copy of
// the untouched original, so none sees (or races with) what another does
// to its object. The count is final: reads join only batches not sent.
func (b *batch[T]) claim(id string, found *T) (*T, error) {
	if b.callers[id] == 1 {
		return found, nil
	}
	raw, err := json.Marshal(found)
	if err != nil {
		return nil, err
	}
	return decodeCopy[T](raw)
}

// loadSplitting makes the call for ids. When it fails as a whole with an
// error that one bad ID could cause, it asks again for each half, down
// to single IDs, so that the error lands on the IDs that cause it and the
// others are read; any other error is every ID's error, as if each had
// called alone.
func loadSplitting[T any](ctx context.Context, r batchRead[T], ids []string, errs map[string]error) []T {
	items, err := r.fetch(ctx, ids)
	if err == nil {
		return items
	}
	if len(ids) == 1 || !blamesOneID(err) {
		for _, id := range ids {
			errs[id] = err
		}
		return nil
	}
	half := len(ids) / 2
	return append(loadSplitting(ctx, r, ids[:half], errs), loadSplitting(ctx, r, ids[half:], errs)...)
}

// blamesOneID reports whether a refused call could be the fault of one of
// the IDs it named: a not-found code, or an invalid or malformed ID or
// parameter (InvalidInstanceIds.Malformed, InvalidParameter). Credential,
// throttling and server errors are not.
func blamesOneID(err error) bool {
	code := ErrorCode(err)
	switch {
	case code == "", code == CodeInvalidAccessKeyIDNotFound, !isRefusal(err):
		return false
	case IsCode(err, notFoundCodes...):
		return true
	}
	return strings.HasPrefix(code, "Invalid") &&
		(strings.Contains(code, "Id") || strings.Contains(code, "Malformed") || strings.HasPrefix(code, "InvalidParameter"))
}

// coalescers holds the batched reads of one Client.
type coalescers struct {
	enis      coalescer[ecs.NetworkInterfaceSet]
	instances coalescer[ecs.Instance]
	eips      coalescer[vpc.EipAddress]
}
