package mockcloud

import "sync"

// Stats counts API calls since start or the last reset.
type Stats struct {
	Total    int64            `json:"total"`
	Mutating int64            `json:"mutating"`
	Actions  map[string]int64 `json:"actions"`
}

type statsCounter struct {
	mu sync.Mutex
	s  Stats
}

func (c *statsCounter) count(action string, mutating bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.s.Total++
	if mutating {
		c.s.Mutating++
	}
	if action != "" {
		c.s.Actions[action]++
	}
}

func (c *statsCounter) reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.s = Stats{Actions: map[string]int64{}}
}

func (c *statsCounter) snapshot() Stats {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := Stats{Total: c.s.Total, Mutating: c.s.Mutating, Actions: make(map[string]int64, len(c.s.Actions))}
	for k, v := range c.s.Actions {
		out.Actions[k] = v
	}
	return out
}
