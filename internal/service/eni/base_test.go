package eni

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/openeni/terraform-provider-eni/internal/cloud"
)

// configurable is what resourceBase and dataSourceBase give every
// resource and data source, seen the same way for both.
type configurable struct {
	name      string
	typeName  func() string
	configure func(data any) diag.Diagnostics
	data      func() *providerData
}

func everyConfigurable(t *testing.T) []configurable {
	t.Helper()
	var out []configurable
	for _, newR := range Resources() {
		r := newR()
		rc, ok := r.(resource.ResourceWithConfigure)
		if !ok {
			t.Fatalf("resource %T has no Configure", r)
		}
		rb, ok := r.(interface{ base() *resourceBase })
		if !ok {
			t.Fatalf("resource %T does not embed resourceBase", r)
		}
		out = append(out, configurable{
			typeName: func() string {
				var resp resource.MetadataResponse
				r.Metadata(context.Background(), resource.MetadataRequest{ProviderTypeName: "eni"}, &resp)
				return resp.TypeName
			},
			configure: func(data any) diag.Diagnostics {
				var resp resource.ConfigureResponse
				rc.Configure(context.Background(), resource.ConfigureRequest{ProviderData: data}, &resp)
				return resp.Diagnostics
			},
			data: func() *providerData { return &rb.base().providerData },
			name: "Resource",
		})
	}
	for _, newD := range DataSources() {
		d := newD()
		dc, ok := d.(datasource.DataSourceWithConfigure)
		if !ok {
			t.Fatalf("data source %T has no Configure", d)
		}
		db, ok := d.(interface{ base() *dataSourceBase })
		if !ok {
			t.Fatalf("data source %T does not embed dataSourceBase", d)
		}
		out = append(out, configurable{
			typeName: func() string {
				var resp datasource.MetadataResponse
				d.Metadata(context.Background(), datasource.MetadataRequest{ProviderTypeName: "eni"}, &resp)
				return resp.TypeName
			},
			configure: func(data any) diag.Diagnostics {
				var resp datasource.ConfigureResponse
				dc.Configure(context.Background(), datasource.ConfigureRequest{ProviderData: data}, &resp)
				return resp.Diagnostics
			},
			data: func() *providerData { return &db.base().providerData },
			name: "Data Source",
		})
	}
	return out
}

func (b *resourceBase) base() *resourceBase     { return b }
func (b *dataSourceBase) base() *dataSourceBase { return b }

func TestBase_typeNames(t *testing.T) {
	var got []string
	for _, c := range everyConfigurable(t) {
		got = append(got, c.typeName())
	}
	want := "eni_network_interface eni_network_interface_attachment eni_private_ip eni_eip_association " +
		"eni_network_interface eni_network_interfaces eni_instance_type eni_instance"
	if strings.Join(got, " ") != want {
		t.Fatalf("type names %v, want %s", got, want)
	}
}

func TestBase_configureWrongTypeIsAnError(t *testing.T) {
	for _, c := range everyConfigurable(t) {
		diags := c.configure(cloud.Client{})
		if diags.ErrorsCount() != 1 {
			t.Fatalf("%s: diagnostics %v, want one error", c.typeName(), diags)
		}
		d := diags.Errors()[0]
		if want := "Unexpected " + c.name + " Configure Type"; d.Summary() != want {
			t.Errorf("%s: summary %q, want %q", c.typeName(), d.Summary(), want)
		}
		if want := "Expected *eni.Meta, got: cloud.Client. Please report this issue to the provider developers."; d.Detail() != want {
			t.Errorf("%s: detail %q, want %q", c.typeName(), d.Detail(), want)
		}
		if p := c.data(); p.meta != nil || p.client != nil || p.plans != nil {
			t.Errorf("%s: kept something of the wrong provider data: %+v", c.typeName(), p)
		}
	}
}

// Terraform validates (and may plan) before the provider is configured:
// nil provider data is no error and leaves everything nil.
func TestBase_configureNilIsFine(t *testing.T) {
	for _, c := range everyConfigurable(t) {
		if diags := c.configure(nil); diags.HasError() {
			t.Fatalf("%s: %v", c.typeName(), diags)
		}
		if p := c.data(); p.meta != nil || p.client != nil || p.plans != nil {
			t.Errorf("%s: %+v, want nothing set", c.typeName(), p)
		}
	}
}

func TestBase_configureTakesTheMeta(t *testing.T) {
	m := NewMeta(&cloud.Client{})
	for _, c := range everyConfigurable(t) {
		if diags := c.configure(m); diags.HasError() {
			t.Fatalf("%s: %v", c.typeName(), diags)
		}
		if p := c.data(); p.meta != m || p.client != m.Client || p.plans != m.Plans {
			t.Errorf("%s: %+v, want the Meta, its client and its registry", c.typeName(), p)
		}
	}
}

// A timeouts block that leaves an operation unset gets the resource's
// default for that operation.
func TestBase_operationContextsUseTheDefaults(t *testing.T) {
	b := resourceBase{timeouts: operationTimeouts{create: time.Hour, update: 2 * time.Hour, delete: 3 * time.Hour}}
	for name, op := range map[string]struct {
		ctx  func(context.Context, timeouts.Value, *diag.Diagnostics) (context.Context, context.CancelFunc, time.Duration)
		want time.Duration
	}{
		"create": {b.createContext, time.Hour},
		"update": {b.updateContext, 2 * time.Hour},
		"delete": {b.deleteContext, 3 * time.Hour},
	} {
		var diags diag.Diagnostics
		start := time.Now()
		ctx, cancel, timeout := op.ctx(context.Background(), timeouts.Value{}, &diags)
		if diags.HasError() || timeout != op.want {
			cancel()
			t.Fatalf("%s: timeout %s, %v; want %s", name, timeout, diags, op.want)
		}
		deadline, ok := ctx.Deadline()
		cancel()
		if !ok || deadline.Before(start.Add(op.want)) || deadline.After(time.Now().Add(op.want)) {
			t.Errorf("%s: deadline %v (set: %v), want %s from now", name, deadline, ok, op.want)
		}
	}
}

func TestImportByID(t *testing.T) {
	r, ok := newNetworkInterfaceResource().(resource.ResourceWithImportState)
	if !ok {
		t.Fatal("the network interface resource has no ImportState")
	}
	var sr resource.SchemaResponse
	r.Schema(context.Background(), resource.SchemaRequest{}, &sr)
	importID := func(id string) resource.ImportStateResponse {
		resp := resource.ImportStateResponse{State: tfsdk.State{
			Schema: sr.Schema, Raw: tftypes.NewValue(sr.Schema.Type().TerraformType(context.Background()), nil),
		}}
		r.ImportState(context.Background(), resource.ImportStateRequest{ID: id}, &resp)
		return resp
	}

	resp := importID("eni-123")
	if resp.Diagnostics.HasError() {
		t.Fatal(resp.Diagnostics)
	}
	var id string
	resp.State.GetAttribute(context.Background(), path.Root("id"), &id)
	if id != "eni-123" {
		t.Errorf("id = %q, want eni-123", id)
	}

	resp = importID("i-123")
	if resp.Diagnostics.ErrorsCount() != 1 || resp.Diagnostics.Errors()[0].Summary() != "Invalid import ID" ||
		resp.Diagnostics.Errors()[0].Detail() != `"i-123" is not an ENI ID; import with the ID of the network interface, such as eni-bp1234567890abcdef.` {
		t.Fatalf("diagnostics %v", resp.Diagnostics)
	}
}
