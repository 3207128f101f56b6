package eni

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
)

// block is a resource's timeouts block: one attribute per operation with
// a default, whose description states that default, so that the docs
// tell what an unset timeout means.
func (t operationTimeouts) block(ctx context.Context) schema.Block {
	return timeouts.Block(ctx, timeouts.Opts{
		Create: t.create > 0, CreateDescription: timeoutDescription("create", t.create),
		Update: t.update > 0, UpdateDescription: timeoutDescription("update in place", t.update),
		Delete: t.delete > 0, DeleteDescription: timeoutDescription("destroy", t.delete),
	})
}

// timeoutDescription describes the timeout of one operation.
func timeoutDescription(operation string, def time.Duration) string {
	return fmt.Sprintf("How long a %s may take, waits and retries included: a "+
		"[duration](https://pkg.go.dev/time#ParseDuration) such as `30s`, `5m` or `1h`. Defaults to `%s`.",
		operation, shortDuration(def))
}

// shortDuration writes a duration as a user writes it: 10m, not 10m0s.
func shortDuration(d time.Duration) string {
	switch {
	case d > 0 && d%time.Hour == 0:
		return fmt.Sprintf("%dh", d/time.Hour)
	case d > 0 && d%time.Minute == 0:
		return fmt.Sprintf("%dm", d/time.Minute)
	}
	return d.String()
}
