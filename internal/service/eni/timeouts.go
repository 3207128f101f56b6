package eni

import (
	"context"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
)

// operationContext bounds ctx by one operation's timeout: read is that
// operation's entry of the timeouts block (plan.Timeouts.Create,
// state.Timeouts.Delete, ...), def the default when the block leaves it
// unset. When the block cannot be read, diags says why and ctx comes back
// unbounded with a no-op cancel; callers check diags.HasError() after
// deferring cancel.
func operationContext(ctx context.Context, read func(context.Context, time.Duration) (time.Duration, diag.Diagnostics),
	def time.Duration, diags *diag.Diagnostics) (context.Context, context.CancelFunc, time.Duration) {
	timeout, d := read(ctx, def)
	diags.Append(d...)
	if d.HasError() {
		return ctx, func() {}, timeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	return ctx, cancel, timeout
}
