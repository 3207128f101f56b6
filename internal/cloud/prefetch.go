package cloud

import (
	"context"
	"sync"
)

// Terraform runs at most -parallelism reads at once, so batching
// concurrent reads (coalesce.go) brings a refresh down to about one call
// per ten objects, not further. The rest comes from listing: once a
// walk has read enough objects of one VPC one by one, the next read that
// misses lists that VPC's objects a page at a time (500 ENIs or 100
// instances a call) into seen, and the reads after it find their objects
// there.
//
// The listings are paid for by the reads they replace: a VPC's next page
// is read only after listEvery more of its objects were read one by one
// (demand). A configuration of 3 ENIs in a VPC that holds 5,000 others
// never lists it; a large one lists at most one page per listEvery
// objects it read one by one, so it never makes more calls than reading
// them would have (plus a tenth), and usually one page serves them all.

// listEvery is how many ENIs of a VPC a walk reads one by one for each
// page of the VPC's listing it may read; instancesListEvery is the same
// for instances. Instances are read for checks, not as resources (an
// attachment reads its ENI and its instance), and a configuration rarely
// names more than a handful, so their listing is paid for sooner: a third
// more calls at worst, for a page of 100 instances, and still none for a
// configuration that names 3 instances of a VPC of thousands.
const (
	listEvery          = 10
	instancesListEvery = 3
)

// listCallTimeout bounds one listing page, which no caller's context bounds.
const listCallTimeout = memoLoadTimeout

// scopes tracks the listings of one kind; its zero value is ready.
type scopes struct {
	mu      sync.Mutex
	byScope map[string]*scopeState
	running chan struct{} // closed when the page being read is in; nil if none
}

type scopeState struct {
	demand map[string]bool // objects of the scope read one by one
	pages  int             // pages read (or tried)
	next   string          // NextToken of the next page
	done   bool            // every page read
}

// learn counts the objects that reads asked for one by one (wanted) and
// that turned out to be in scope.
func (s *scopes) learn(wanted map[string]bool, found map[string]string) {
	if len(wanted) == 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for id, scope := range found {
		if !wanted[id] || scope == "" {
			continue
		}
		if s.byScope == nil {
			s.byScope = map[string]*scopeState{}
		}
		st := s.byScope[scope]
		if st == nil {
			st = &scopeState{demand: map[string]bool{}}
			s.byScope[scope] = st
		}
		st.demand[id] = true
	}
}

// prefetch is called by a read that found nothing in seen. It waits for
// the page being read, if any, or reads the next page of the scope whose
// demand has paid for one; it reports whether it waited for a page (so
// seen is worth asking again). A caller that gives up stops only its own
// wait.
func (s *scopes) prefetch(ctx context.Context, every int, list func(ctx context.Context, scope, token string) (next string, err error)) bool {
	if list == nil {
		return false
	}
	s.mu.Lock()
	running := s.running
	if running == nil {
		scope, st := s.due(every)
		if st == nil {
			s.mu.Unlock()
			return false
		}
		running = make(chan struct{})
		s.running = running
		go s.read(ctx, scope, st, running, list)
	}
	s.mu.Unlock()
	select {
	case <-running:
		return true
	case <-ctx.Done():
		return false
	}
}

// due picks the scope with the most demand that has paid for its next
// page, every reads one by one a page; callers hold s.mu.
func (s *scopes) due(every int) (string, *scopeState) {
	var best string
	var pick *scopeState
	for scope, st := range s.byScope {
		if st.done || len(st.demand) < every*(st.pages+1) {
			continue
		}
		if pick == nil || len(st.demand) > len(pick.demand) {
			best, pick = scope, st
		}
	}
	return best, pick
}

// read reads one page of scope on a context of its own.
func (s *scopes) read(parent context.Context, scope string, st *scopeState, running chan struct{},
	list func(ctx context.Context, scope, token string) (string, error)) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(parent), listCallTimeout)
	defer cancel()
	s.mu.Lock()
	token := st.next
	s.mu.Unlock()
	next, err := list(ctx, scope, token)
	s.mu.Lock()
	st.pages++ // a failed page counts too: the budget bounds attempts
	if err == nil {
		st.next, st.done = next, next == ""
	}
	s.running = nil
	s.mu.Unlock()
	close(running)
}
