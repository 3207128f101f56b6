package eni

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// Read must not rely on validation having refused a name_regex that does
// not compile: it reports it on the attribute instead of panicking (and
// before any API call: the data source has no client here).
func TestNetworkInterfacesDataSourceRead_badNameRegex(t *testing.T) {
	ctx := context.Background()
	d := newNetworkInterfacesDataSource()
	var sr datasource.SchemaResponse
	d.Schema(ctx, datasource.SchemaRequest{}, &sr)
	typ, ok := sr.Schema.Type().TerraformType(ctx).(tftypes.Object)
	if !ok {
		t.Fatalf("schema type is %T, not an object", sr.Schema.Type().TerraformType(ctx))
	}
	vals := map[string]tftypes.Value{}
	for name, at := range typ.AttributeTypes {
		vals[name] = tftypes.NewValue(at, nil)
	}
	vals["name_regex"] = tftypes.NewValue(tftypes.String, "web-(")
	cfg := tfsdk.Config{Schema: sr.Schema, Raw: tftypes.NewValue(typ, vals)}
	resp := datasource.ReadResponse{State: tfsdk.State{Schema: sr.Schema, Raw: tftypes.NewValue(typ, nil)}}

	func() {
		defer func() {
			if p := recover(); p != nil {
				t.Fatalf("Read panicked on a name_regex that does not compile: %v", p)
			}
		}()
		d.Read(ctx, datasource.ReadRequest{Config: cfg}, &resp)
	}()

	if resp.Diagnostics.ErrorsCount() != 1 {
		t.Fatalf("diagnostics %v, want one error", resp.Diagnostics)
	}
	e := resp.Diagnostics.Errors()[0]
	withPath, ok := e.(interface{ Path() path.Path })
	if !ok || !withPath.Path().Equal(path.Root("name_regex")) {
		t.Errorf("error %q is not on the name_regex attribute", e.Summary())
	}
	if !strings.Contains(e.Detail(), "name_regex") {
		t.Errorf("detail %q does not name name_regex", e.Detail())
	}
}
