package cloud

import (
	"context"
	"sync"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"
)

// Plan-time checks ask for the same facts again and again: every ENI of a
// configuration looks up its vSwitch, every attachment its instance type.
// The facts below never change for an existing object (a vSwitch's CIDR,
// VPC and zone; a security group's VPC; an instance type's limits), so the
// client remembers them for the life of the provider process, and
// concurrent callers of the same key share one API call. Errors are not
// remembered. Mutable facts (statuses, bindings) are always read afresh.

// memo is a concurrency-safe, call-sharing cache of one kind of fact.
type memo[T any] struct {
	mu      sync.Mutex
	entries map[string]*memoEntry[T]
}

type memoEntry[T any] struct {
	done    chan struct{}
	val     T
	err     error
	waiters int                // callers still waiting; guarded by memo.mu
	cancel  context.CancelFunc // ends the load; nil once the entry is finished
	absent  bool               // getMany: the batch did not find the key
}

// memoLoadTimeout bounds one shared load, which no single caller's
// context bounds.
const memoLoadTimeout = 2 * time.Minute

// get returns the value remembered for key, or loads it. Concurrent
// callers of one key share one load. The load runs on a context of its
// own (the first caller's values, none of its deadline or cancellation,
// memoLoadTimeout at most), so a caller that gives up stops only its own
// wait; the load is abandoned (and not remembered) once every caller has
// given up.
func (m *memo[T]) get(ctx context.Context, key string, load func(context.Context) (T, error)) (T, error) {
	m.mu.Lock()
	if m.entries == nil {
		m.entries = map[string]*memoEntry[T]{}
	}
	e, ok := m.entries[key]
	if ok && e.cancel == nil { // finished: val and err are final
		m.mu.Unlock()
		return e.val, e.err
	}
	if !ok {
		loadCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), memoLoadTimeout)
		e = &memoEntry[T]{done: make(chan struct{}), cancel: cancel}
		m.entries[key] = e
		go m.run(loadCtx, key, e, load)
	}
	e.waiters++
	m.mu.Unlock()

	select {
	case <-e.done:
		return e.val, e.err
	case <-ctx.Done():
		m.leave(key, e)
		var zero T
		return zero, ctx.Err()
	}
}

// run performs the shared load of e and wakes its waiters.
func (m *memo[T]) run(ctx context.Context, key string, e *memoEntry[T], load func(context.Context) (T, error)) {
	val, err := load(ctx)
	m.mu.Lock()
	e.val, e.err = val, err
	e.cancel()
	e.cancel = nil
	if err != nil && m.entries[key] == e {
		delete(m.entries, key) // the next caller tries again
	}
	m.mu.Unlock()
	close(e.done)
}

// leave is a waiter of e giving up. The last one to go abandons a load
// still running and forgets the entry, so that a later caller starts a
// fresh load instead of joining a cancelled one.
func (m *memo[T]) leave(key string, e *memoEntry[T]) {
	m.mu.Lock()
	defer m.mu.Unlock()
	e.waiters--
	if e.waiters > 0 || e.cancel == nil {
		return
	}
	e.cancel()
	if m.entries[key] == e {
		delete(m.entries, key)
	}
}

// peek returns a finished, successful entry without loading it.
func (m *memo[T]) peek(key string) (T, bool) {
	m.mu.Lock()
	e, ok := m.entries[key]
	m.mu.Unlock()
	var zero T
	if !ok {
		return zero, false
	}
	select {
	case <-e.done:
		return e.val, e.err == nil
	default:
		return zero, false
	}
}

// getMany returns the values of keys that exist. Keys remembered already
// are answered at once; keys another caller is loading are waited for;
// the rest are asked of loadMissing in one batch, which the callers that
// want those keys meanwhile share. loadMissing returns what it found: a
// key it leaves out does not exist, is absent from the result and is not
// remembered. The batch runs on a context of its own, as get's load does,
// so a caller that gives up stops only its own wait.
func (m *memo[T]) getMany(ctx context.Context, keys []string, loadMissing func(ctx context.Context, missing []string) (map[string]T, error)) (map[string]T, error) {
	out := map[string]T{}
	var mine []string
	pending := map[string]*memoEntry[T]{}
	m.mu.Lock()
	if m.entries == nil {
		m.entries = map[string]*memoEntry[T]{}
	}
	for _, k := range keys {
		if _, seen := pending[k]; seen {
			continue
		}
		e, ok := m.entries[k]
		switch {
		case ok && e.cancel == nil: // finished: only successes stay
			out[k] = e.val
			continue
		case !ok:
			e = &memoEntry[T]{done: make(chan struct{}), cancel: func() {}}
			m.entries[k] = e
			mine = append(mine, k)
		}
		e.waiters++
		pending[k] = e
	}
	m.mu.Unlock()
	if len(mine) > 0 {
		loadCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), memoLoadTimeout)
		go m.runMany(loadCtx, cancel, mine, pending, loadMissing)
	}
	for k, e := range pending {
		select {
		case <-e.done:
		case <-ctx.Done():
			m.leaveMany(pending)
			return nil, ctx.Err()
		}
		if e.err != nil {
			return nil, e.err
		}
		if !e.absent {
			out[k] = e.val
		}
	}
	return out, nil
}

// runMany loads the keys one getMany call owns and wakes their waiters.
// Errors and absent keys are forgotten, so the next caller asks again.
func (m *memo[T]) runMany(ctx context.Context, cancel context.CancelFunc, keys []string, entries map[string]*memoEntry[T],
	loadMissing func(context.Context, []string) (map[string]T, error)) {
	defer cancel()
	found, err := loadMissing(ctx, keys)
	m.mu.Lock()
	for _, k := range keys {
		e := entries[k]
		v, ok := found[k]
		e.val, e.err, e.absent, e.cancel = v, err, err == nil && !ok, nil
		if (err != nil || !ok) && m.entries[k] == e {
			delete(m.entries, k)
		}
	}
	m.mu.Unlock()
	for _, k := range keys {
		close(entries[k].done)
	}
}

// leaveMany is a getMany caller giving up on its keys. Unlike get's loads,
// a batch runs to its end (bounded by memoLoadTimeout): other callers may
// be waiting on some of its keys.
func (m *memo[T]) leaveMany(entries map[string]*memoEntry[T]) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, e := range entries {
		e.waiters--
	}
}

// lookups holds the memos of one Client.
type lookups struct {
	vswitches      memo[*vpc.VSwitch]
	securityGroups memo[*ecs.SecurityGroup]
	instanceTypes  memo[*ecs.InstanceType]
	eniVSwitches   memo[string] // ENI ID → vSwitch ID, see instance.go
}

// LookupVSwitch returns a vSwitch's stable facts (ID, VPC, zone, CIDR).
// Do not read AvailableIpAddressCount from it: that may be stale.
func (c *Client) LookupVSwitch(ctx context.Context, id string) (*vpc.VSwitch, error) {
	return c.lookups.vswitches.get(ctx, id, func(ctx context.Context) (*vpc.VSwitch, error) {
		return c.FindVSwitchByID(ctx, id)
	})
}

// LookupSecurityGroups returns the security groups found among ids, keyed
// by ID. Missing groups are absent from the map, not an error.
func (c *Client) LookupSecurityGroups(ctx context.Context, ids []string) (map[string]*ecs.SecurityGroup, error) {
	return c.lookups.securityGroups.getMany(ctx, ids, func(ctx context.Context, missing []string) (map[string]*ecs.SecurityGroup, error) {
		found, err := c.FindSecurityGroupsByIDs(ctx, missing)
		if err != nil && !IsNotFound(err) {
			return nil, err
		}
		out := make(map[string]*ecs.SecurityGroup, len(found))
		for i := range found {
			out[found[i].SecurityGroupId] = &found[i]
		}
		return out, nil
	})
}

// LookupInstanceType returns an instance type's limits.
func (c *Client) LookupInstanceType(ctx context.Context, id string) (*ecs.InstanceType, error) {
	return c.lookups.instanceTypes.get(ctx, id, func(ctx context.Context) (*ecs.InstanceType, error) {
		return c.FindInstanceTypeByID(ctx, id)
	})
}
