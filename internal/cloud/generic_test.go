package cloud

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

// Tests of the generic helpers every finder, status function and waiter
// is built on: findByID, statusOf and WaitForState on a typed object.

type thing struct{ ID, Status string }

func thingID(t thing) string { return t.ID }

func listOf(items []thing, err error) func(context.Context) ([]thing, error) {
	return func(context.Context) ([]thing, error) { return items, err }
}

func TestFindByID(t *testing.T) {
	ctx := context.Background()
	t.Run("picks the item with the ID", func(t *testing.T) {
		got, err := findByID(ctx, "thing", "t-2", listOf([]thing{{ID: "t-1"}, {ID: "t-2", Status: "ok"}}, nil), thingID)
		if err != nil || got == nil || got.ID != "t-2" || got.Status != "ok" {
			t.Fatalf("got %+v, %v", got, err)
		}
	})
	t.Run("empty answer or only other IDs is not found", func(t *testing.T) {
		for _, items := range [][]thing{nil, {{ID: "t-9"}}} {
			got, err := findByID(ctx, "thing", "t-1", listOf(items, nil), thingID)
			var nf *NotFoundError
			if got != nil || !errors.As(err, &nf) || nf.Kind != "thing" || nf.ID != "t-1" || nf.Err != nil {
				t.Fatalf("items %v: got %+v, %v; want *NotFoundError for thing t-1", items, got, err)
			}
		}
	})
	t.Run("an API not-found code is a NotFoundError keeping the API error", func(t *testing.T) {
		apiErr := &APIError{Action: "DescribeThings", Code: CodeEniNotFound}
		_, err := findByID(ctx, "thing", "t-1", listOf(nil, apiErr), thingID)
		var nf *NotFoundError
		if !errors.As(err, &nf) || nf.Err != apiErr || !IsCode(err, CodeEniNotFound) {
			t.Fatalf("error = %#v, want *NotFoundError wrapping the API error", err)
		}
	})
	t.Run("other errors pass through", func(t *testing.T) {
		boom := &APIError{Action: "DescribeThings", Code: "Throttling"}
		_, err := findByID(ctx, "thing", "t-1", listOf(nil, boom), thingID)
		if err != boom {
			t.Fatalf("error = %v, want the API error itself", err)
		}
	})
	t.Run("the ID twice is an error, not a pick", func(t *testing.T) {
		_, err := findByID(ctx, "thing", "t-1", listOf([]thing{{ID: "t-1"}, {ID: "t-1"}}, nil), thingID)
		if err == nil || IsNotFound(err) || !strings.Contains(err.Error(), "more than once") {
			t.Fatalf("error = %v", err)
		}
	})
}

func TestStatusOf(t *testing.T) {
	ctx := context.Background()
	find := func(_ context.Context, id string) (*thing, error) {
		if id == "t-1" {
			return &thing{ID: id, Status: "Available"}, nil
		}
		return nil, &NotFoundError{Kind: "thing", ID: id}
	}
	status := func(t *thing) string { return t.Status }

	obj, st, err := statusOf("t-1", find, status)(ctx)
	if err != nil || obj == nil || obj.ID != "t-1" || st != "Available" {
		t.Fatalf("got %+v, %q, %v", obj, st, err)
	}
	obj, st, err = statusOf("t-2", find, status)(ctx)
	if obj != nil || st != "" || !IsNotFound(err) {
		t.Fatalf("missing: got %+v, %q, %v; want nil, \"\", not found", obj, st, err)
	}
}

// WaitForState on statusOf: the typed object comes back, a typed nil is
// "not there" (no reflection needed), the timeout is honoured.
func TestWaitForState_typed(t *testing.T) {
	ctx := context.Background()
	opts := WaitOpts{Kind: "thing", ID: "t-1", MinInterval: time.Millisecond, MaxInterval: 2 * time.Millisecond}

	statuses := []string{"Creating", "Creating", "Available"}
	polls := 0
	find := func(_ context.Context, id string) (*thing, error) {
		polls++
		return &thing{ID: id, Status: statuses[min(polls, len(statuses))-1]}, nil
	}
	o := opts
	o.Pending, o.Target, o.Timeout = []string{"Creating"}, []string{"Available"}, time.Minute
	got, err := WaitForState(ctx, o, statusOf("t-1", find, func(t *thing) string { return t.Status }))
	if err != nil || got == nil || got.Status != "Available" || polls != 3 {
		t.Fatalf("got %+v, %v after %d polls", got, err, polls)
	}

	gone := func(context.Context) (*thing, string, error) { return nil, "", nil }
	o = opts
	o.Pending = []string{"Deleting"}
	if got, err := WaitForState(ctx, o, gone); got != nil || err != nil {
		t.Fatalf("deleted: got %+v, %v; want nil, nil", got, err)
	}

	stuck := func(context.Context) (*thing, string, error) {
		return &thing{ID: "t-1", Status: "Creating"}, "Creating", nil
	}
	o = opts
	o.Pending, o.Target, o.Timeout = []string{"Creating"}, []string{"Available"}, 20*time.Millisecond
	got, err = WaitForState(ctx, o, stuck)
	var te *WaitTimeoutError
	if !errors.As(err, &te) || got == nil || got.Status != "Creating" {
		t.Fatalf("timeout: got %+v, %v; want the last object and *WaitTimeoutError", got, err)
	}
}
