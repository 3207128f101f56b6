// Command alicloudstub stands in for the official Alibaba Cloud provider
// in the acceptance tests of the `moved` blocks that take state from it.
// Terraform reads the source provider's schema to move a resource from
// it, so that provider must be installed; the tests build this program
// and have Terraform find it as registry.terraform.io/aliyun/alicloud
// through dev_overrides, with no registry download. It declares the
// schemas of the resources the moves accept (internal/alicloudschema)
// and nothing else: it has no configuration, and any operation on one of
// its resources fails, because a move never needs one.
package main

import (
	"context"
	"fmt"
	"log"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/openeni/terraform-provider-eni/internal/alicloudschema"
)

// Address is where Terraform looks for the official provider.
const Address = "registry.terraform.io/aliyun/alicloud"

func main() {
	// Protocol 5, as the real provider (terraform-plugin-sdk v2) speaks.
	if err := providerserver.Serve(context.Background(), func() provider.Provider { return stub{} },
		providerserver.ServeOpts{Address: Address, ProtocolVersion: 5}); err != nil {
		log.Fatal(err)
	}
}

type stub struct{}

func (stub) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "alicloud"
}

func (stub) Schema(context.Context, provider.SchemaRequest, *provider.SchemaResponse) {}

func (stub) Configure(context.Context, provider.ConfigureRequest, *provider.ConfigureResponse) {}

func (stub) DataSources(context.Context) []func() datasource.DataSource { return nil }

func (stub) Resources(context.Context) []func() resource.Resource {
	var out []func() resource.Resource
	for name := range alicloudschema.Schemas() {
		out = append(out, func() resource.Resource { return stubResource{name: name} })
	}
	return out
}

// stubResource declares one source schema; its operations fail.
type stubResource struct{ name string }

func (r stubResource) Metadata(_ context.Context, _ resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = r.name
}

func (r stubResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = alicloudschema.Schemas()[r.name]
	resp.Schema.Version = alicloudschema.Version
}

const refusal = "This is the test suite's stand-in for the alicloud provider: it only declares resource schemas, " +
	"so that Terraform can move state from them with `moved` blocks. Remove the %s from the configuration."

func (r stubResource) Create(_ context.Context, _ resource.CreateRequest, resp *resource.CreateResponse) {
	resp.Diagnostics.AddError("creating "+r.name+" with a stand-in provider", fmt.Sprintf(refusal, r.name))
}

func (r stubResource) Read(_ context.Context, _ resource.ReadRequest, resp *resource.ReadResponse) {
	resp.Diagnostics.AddError("reading "+r.name+" with a stand-in provider", fmt.Sprintf(refusal, r.name))
}

func (r stubResource) Update(_ context.Context, _ resource.UpdateRequest, resp *resource.UpdateResponse) {
	resp.Diagnostics.AddError("updating "+r.name+" with a stand-in provider", fmt.Sprintf(refusal, r.name))
}

func (r stubResource) Delete(_ context.Context, _ resource.DeleteRequest, resp *resource.DeleteResponse) {
	resp.Diagnostics.AddError("deleting "+r.name+" with a stand-in provider", fmt.Sprintf(refusal, r.name))
}
