package mockcloud

import "sync"

// cache is a concurrency-safe memo from K to V, for what the package
// derives once per Go type by reflection. Unlike a sync.Map it is typed,
// so a lookup needs no type assertion.
type cache[K comparable, V any] struct {
	mu sync.RWMutex
	m  map[K]V
}

func (c *cache[K, V]) load(k K) (V, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	v, ok := c.m[k]
	return v, ok
}

// store records v for k. The caller builds v without the lock held (a
// build may itself consult the cache), so two builders may race: the last
// store wins, as with sync.Map.Store, and both values are equivalent.
func (c *cache[K, V]) store(k K, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[K]V{}
	}
	c.m[k] = v
}
