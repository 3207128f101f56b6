package cloud

import (
	"reflect"
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
// Attaching or detaching an ENI changes the instance's list of ENIs and
// nothing else of it (status, type, tags); those calls record the
// instance as a binding change, which a read of the instance's status,
// type or tags may ignore (FindInstanceStatus).
type writeLog struct {
	mu  sync.Mutex
	ids map[string]*writeMark
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

// finish records that one call counted in c ended at now.
func (c *writeCount) finish(now time.Time) { c.inFlight--; c.ended = now }

// writeOp is one mutating call in flight; a nil *writeOp (a read) does
// nothing.
type writeOp struct {
	log      *writeLog
	all      []string
	bindings []string
}

// bindingActions change the ENI bindings of the instance they name.
var bindingActions = map[string]bool{"AttachNetworkInterface": true, "DetachNetworkInterface": true}

// begin records that a mutating call action naming the IDs in req is
// under way.
func (w *writeLog) begin(action string, req any) *writeOp {
	op := &writeOp{log: w}
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
	for _, nv := range named {
		op.log.mark(nv.value).all.inFlight++
		op.all = append(op.all, nv.value)
	}
}

// end records that the call is over, whatever its outcome: a refused or
// unanswered call may still have changed the object.
func (op *writeOp) end() {
	if op == nil {
		return
	}
	now := time.Now()
	op.log.mu.Lock()
	defer op.log.mu.Unlock()
	for _, id := range op.all {
		op.log.ids[id].all.finish(now)
	}
	for _, id := range op.bindings {
		op.log.ids[id].bindings.finish(now)
	}
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
