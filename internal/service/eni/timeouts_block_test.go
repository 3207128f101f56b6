package eni

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
)

// Each timeouts attribute states its default, and only the operations
// with a default have one.
func TestOperationTimeoutsBlock(t *testing.T) {
	b, ok := operationTimeouts{create: 10 * time.Minute, delete: 90 * time.Second}.block(context.Background()).(schema.SingleNestedBlock)
	if !ok {
		t.Fatal("the timeouts block is not a single nested block")
	}
	want := map[string]string{"create": "Defaults to `10m`.", "delete": "Defaults to `1m30s`."}
	if len(b.Attributes) != len(want) {
		t.Errorf("attributes %v, want create and delete only", b.Attributes)
	}
	for name, suffix := range want {
		a, ok := b.Attributes[name]
		if !ok {
			t.Errorf("no %s timeout", name)
			continue
		}
		if d := a.GetDescription(); !strings.HasSuffix(d, suffix) {
			t.Errorf("%s: description %q does not end with %q", name, d, suffix)
		}
	}
	for d, want := range map[time.Duration]string{time.Hour: "1h", 20 * time.Minute: "20m", 45 * time.Second: "45s"} {
		if got := shortDuration(d); got != want {
			t.Errorf("shortDuration(%s) = %s, want %s", d, got, want)
		}
	}
}
