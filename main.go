// Command terraform-provider-eni serves the eni provider to Terraform.
package main

import (
	"context"
	"flag"
	"log"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/openeni/terraform-provider-eni/internal/provider"
)

// version is set by goreleaser at release time.
var version = "dev"

func main() {
	debug := flag.Bool("debug", false, "run the provider with support for debuggers like delve")
	flag.Parse()
	err := providerserver.Serve(context.Background(), provider.New(version), providerserver.ServeOpts{
		Address: "registry.terraform.io/openeni/eni",
		Debug:   *debug,
	})
	if err != nil {
		log.Fatal(err.Error())
	}
}
