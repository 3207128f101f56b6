package cloud

import (
	"reflect"
	"slices"
	"sync"
	"time"
)

// A read remembered for the rest of the walk (seen.go) must never hide a
// change we made: once a mutating call names an object, what was read of
// it before that call ended is out of date. writeLog records, for every
// ID a mutating call named (in its request or its answer, such as the ID
// of a new ENI), how many such calls are under way and when the last one
// ended. A remembered read is served only when no call naming the object
// is under way and the read was sent after the last one ended.
//
// Every string an API call names is recorded, whatever it is (a region,
// a status); only IDs are ever looked up, so the others cost a map entry.
//
// Most changes take effect after the call returns: an attach, an
// unassociate or a delete goes on in the cloud while the provider waits
// for it, and what is read meanwhile (the ENI still showing the EIP being
// unassociated) is out of date as soon as it is read. So such a call
// (asyncActions) that succeeded stays under way, pending, until a wait on
// one of the objects it named ends: then it counts as ended when the read
// that ended the wait was sent (settled). One that no wait follows stays
// under way for the rest of the walk: its objects are read afresh every
// time.
//
// Attaching or detaching an ENI changes the instance's list of ENIs and
// nothing else of it (status, type, tags); those calls record the
// instance as a binding change, which a read of the instance's status,
// type or tags may ignore (FindInstanceStatus).
type writeLog struct {
	mu      sync.Mutex
	ids     map[string]*writeMark
	pending []*writeOp // succeeded, waiting for a wait to end (settled)
}

// writeMark is what our calls did to one ID: any change (all), or a
// change of its ENI bindings only (bindings).
type writeMark struct {
	all, bindings writeCount
}

type writeCount struct {
	inFlight int
	ended    time.Time
}

func (c writeCount) before(at time.Time) bool { return c.inFlight == 0 && at.After(c.ended) }

// finish records that one call counted in c ended at t.
func (c *writeCount) finish(t time.Time) {
	c.inFlight--
	if t.After(c.ended) {
		c.ended = t
	}
}

// writeOp is one mutating call in flight; a nil *writeOp (a read) does
// nothing.
type writeOp struct {
	log        *writeLog
	action     string
	answeredAt time.Time // when an async call that succeeded ended
	all        []string
	bindings   []string
	async      bool // asyncActions
	succeeded  bool
}

// asyncActions are the mutating calls whose change goes on after their
// answer (the API reference: each has a transitional status to wait out).
// The others (Modify*, TagResources, UntagResources, AllocateEipAddress)
// are done when they answer.
var asyncActions = map[string]bool{
	"CreateNetworkInterface": true, "DeleteNetworkInterface": true,
	"AttachNetworkInterface": true, "DetachNetworkInterface": true,
	"AssignPrivateIpAddresses": true, "UnassignPrivateIpAddresses": true,
	"AssignIpv6Addresses": true, "UnassignIpv6Addresses": true,
	"StopInstance": true, "StartInstance": true,
	"AssociateEipAddress": true, "UnassociateEipAddress": true, "ReleaseEipAddress": true,
}

// bindingActions change the ENI bindings of the instance they name.
var bindingActions = map[string]bool{"AttachNetworkInterface": true, "DetachNetworkInterface": true}

// begin records that a mutating call action naming the IDs in req is
// under way.
func (w *writeLog) begin(action string, req any) *writeOp {
	op := &writeOp{log: w, action: action, async: asyncActions[action]}
	for _, nv := range namedStrings(req) {
		if bindingActions[action] && nv.field == "InstanceId" {
			op.bindings = append(op.bindings, nv.value)
		} else {
			op.all = append(op.all, nv.value)
		}
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, id := range op.all {
		w.mark(id).all.inFlight++
	}
	for _, id := range op.bindings {
		w.mark(id).bindings.inFlight++
	}
	return op
}

// mark returns id's mark, adding one; callers hold w.mu.
func (w *writeLog) mark(id string) *writeMark {
	if w.ids == nil {
		w.ids = map[string]*writeMark{}
	}
	m := w.ids[id]
	if m == nil {
		m = &writeMark{}
		w.ids[id] = m
	}
	return m
}

// answered adds the IDs an answer names (a created object's ID) to the
// call, as under way until it ends.
func (op *writeOp) answered(resp any) {
	if op == nil {
		return
	}
	named := namedStrings(resp)
	op.log.mu.Lock()
	defer op.log.mu.Unlock()
	op.succeeded = true
	for _, nv := range named {
		op.log.mark(nv.value).all.inFlight++
		op.all = append(op.all, nv.value)
	}
}

// end records that the call is over, whatever its outcome: a refused or
// unanswered call may still have changed the object, and is over now; a
// call of asyncActions that succeeded is pending until a wait settles it.
func (op *writeOp) end() {
	if op == nil {
		return
	}
	op.log.mu.Lock()
	defer op.log.mu.Unlock()
	if op.async && op.succeeded {
		op.answeredAt = time.Now()
		op.log.pending = append(op.log.pending, op)
		return
	}
	op.finish(time.Now())
}

// finish ends op's marks at t; callers hold the log's lock.
func (op *writeOp) finish(t time.Time) {
	for _, id := range op.all {
		op.log.ids[id].all.finish(t)
	}
	for _, id := range op.bindings {
		op.log.ids[id].bindings.finish(t)
	}
}

// settled records that a wait on id ended, on what a read sent at readAt
// showed: the pending calls that named id took effect before that read.
func (w *writeLog) settled(id string, readAt time.Time) {
	w.mu.Lock()
	defer w.mu.Unlock()
	keep := w.pending[:0]
	for _, op := range w.pending {
		if slices.Contains(op.all, id) || slices.Contains(op.bindings, id) {
			op.finish(readAt.Add(-time.Nanosecond))
			continue
		}
		keep = append(keep, op)
	}
	clear(w.pending[len(keep):])
	w.pending = keep
}

// underWay returns the latest call of asyncActions naming id that
// succeeded and that no wait has settled yet, and when it answered: the
// change a wait on id is most likely waiting out (aim.go).
func (w *writeLog) underWay(id string) (action string, since time.Time, ok bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for i := len(w.pending) - 1; i >= 0; i-- {
		if op := w.pending[i]; slices.Contains(op.all, id) {
			return op.action, op.answeredAt, true
		}
	}
	return "", time.Time{}, false
}

// unchangedSince reports whether a read of id sent at readAt still holds
// every change we made to the object, or every change but those of its
// ENI bindings when ignoreBindings.
func (w *writeLog) unchangedSince(id string, readAt time.Time, ignoreBindings bool) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	m := w.ids[id]
	return m == nil || (m.all.before(readAt) && (ignoreBindings || m.bindings.before(readAt)))
}

// namedValue is a string a request or response names, and its field.
type namedValue struct{ field, value string }

// namedStrings lists the non-empty string values of a request or
// response struct's own fields, including string lists (ResourceId.N,
// NetworkInterfaceId.N); embedded SDK plumbing is skipped.
func namedStrings(v any) []namedValue {
	rv := reflect.ValueOf(v)
	for rv.Kind() == reflect.Pointer {
		if rv.IsNil() {
			return nil
		}
		rv = rv.Elem()
	}
	if rv.Kind() != reflect.Struct {
		return nil
	}
	var out []namedValue
	t := rv.Type()
	for i := range t.NumField() {
		f := t.Field(i)
		if f.Anonymous || !f.IsExported() {
			continue
		}
		out = appendStrings(out, f.Name, rv.Field(i))
	}
	return out
}

func appendStrings(out []namedValue, field string, v reflect.Value) []namedValue {
	switch v.Kind() {
	case reflect.String:
		if s := v.String(); s != "" {
			out = append(out, namedValue{field, s})
		}
	case reflect.Pointer:
		if !v.IsNil() {
			out = appendStrings(out, field, v.Elem())
		}
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.String {
			for i := range v.Len() {
				out = appendStrings(out, field, v.Index(i))
			}
		}
	}
	return out
}
