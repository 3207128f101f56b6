package eni

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/openeni/terraform-provider-eni/internal/cloud"
)

// What every resource and data source shares, as AWS's framework
// resources embed a small base: a resource embeds resourceBase (type
// name, Configure, the timeouts of its operations), a data source
// dataSourceBase (type name, Configure), and a resource imported by its
// id alone importByID as well.

// providerData holds what the provider's Configure handed over. All its
// fields are nil until the provider is configured (Terraform validates and
// plans some configurations before that).
type providerData struct {
	meta   *Meta
	client *cloud.Client // meta.Client
	plans  *Walk         // meta.Plans
	tags   *TagConfig    // meta.Tags; its methods take nil as no tag settings
}

// configure takes the provider data. kind names the framework object in
// the error about a wrong type ("Resource", "Data Source"), as the
// scaffolding provider words it.
func (p *providerData) configure(data any, kind string, diags *diag.Diagnostics) {
	if data == nil {
		return
	}
	m, ok := data.(*Meta)
	if !ok {
		diags.AddError("Unexpected "+kind+" Configure Type",
			fmt.Sprintf("Expected *eni.Meta, got: %T. Please report this issue to the provider developers.", data))
		return
	}
	p.setMeta(m)
}

func (p *providerData) setMeta(m *Meta) {
	p.meta, p.client, p.plans, p.tags = m, m.Client, m.Plans, m.Tags
}

// operationTimeouts are a resource's default timeouts, used where its
// timeouts block leaves an operation unset.
type operationTimeouts struct {
	create, update, delete time.Duration
}

// resourceBase is embedded by every resource.
type resourceBase struct {
	providerData
	typeName string // after the provider's type name: "_network_interface"
	timeouts operationTimeouts
}

func (b *resourceBase) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + b.typeName
}

func (b *resourceBase) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	b.configure(req.ProviderData, "Resource", &resp.Diagnostics)
}

// createContext bounds ctx by the create timeout of t (the plan's timeouts
// block), or the resource's default. See operationContext: on an error in
// diags, ctx comes back unbounded with a no-op cancel.
func (b *resourceBase) createContext(ctx context.Context, t timeouts.Value, diags *diag.Diagnostics) (context.Context, context.CancelFunc, time.Duration) {
	return operationContext(ctx, t.Create, b.timeouts.create, diags)
}

// updateContext is createContext for an update.
func (b *resourceBase) updateContext(ctx context.Context, t timeouts.Value, diags *diag.Diagnostics) (context.Context, context.CancelFunc, time.Duration) {
	return operationContext(ctx, t.Update, b.timeouts.update, diags)
}

// deleteContext is createContext for a delete (t from the state).
func (b *resourceBase) deleteContext(ctx context.Context, t timeouts.Value, diags *diag.Diagnostics) (context.Context, context.CancelFunc, time.Duration) {
	return operationContext(ctx, t.Delete, b.timeouts.delete, diags)
}

// importByID is embedded by a resource imported by its id alone: an ID
// that starts with prefix goes to the id attribute as it is (Read fills
// in the rest); any other is refused with invalid, a detail in which %q
// stands for the ID.
type importByID struct {
	prefix  string
	invalid string
}

func (i importByID) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if !strings.HasPrefix(req.ID, i.prefix) {
		resp.Diagnostics.AddError("Invalid import ID", fmt.Sprintf(i.invalid, req.ID))
		return
	}
	resource.ImportStatePassthroughID(ctx, path.Root("id"), req, resp)
}

// dataSourceBase is embedded by every data source.
type dataSourceBase struct {
	providerData
	typeName string // after the provider's type name: "_network_interfaces"
}

func (b *dataSourceBase) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + b.typeName
}

func (b *dataSourceBase) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	b.configure(req.ProviderData, "Data Source", &resp.Diagnostics)
}
