// Package eni holds the provider's resources and data sources, one file
// each with its test beside it. They talk to the cloud only through
// internal/cloud and never know whether it is Alibaba Cloud or the
// emulator behind it.
package eni

import (
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/openeni/terraform-provider-eni/internal/cloud"
)

// Resources lists the resource constructors the provider serves.
func Resources() []func() resource.Resource {
	return []func() resource.Resource{
		newNetworkInterfaceResource,
		newNetworkInterfaceAttachmentResource,
		newPrivateIPResource,
		newEIPAssociationResource,
	}
}

// DataSources lists the data source constructors the provider serves.
func DataSources() []func() datasource.DataSource {
	return []func() datasource.DataSource{
		newNetworkInterfaceDataSource,
		newNetworkInterfacesDataSource,
		newInstanceTypeDataSource,
	}
}

// metaFrom takes what the provider's Configure handed over. It is nil
// while the provider is not configured yet (early validation).
func metaFrom(providerData any, diags *diag.Diagnostics) *Meta {
	if providerData == nil {
		return nil
	}
	m, ok := providerData.(*Meta)
	if !ok {
		diags.AddError("Unexpected provider data",
			fmt.Sprintf("Expected *eni.Meta, got %T. This is a bug in the provider; please report it.", providerData))
		return nil
	}
	return m
}

// clientFrom is metaFrom for the resources that need only the client.
func clientFrom(providerData any, diags *diag.Diagnostics) *cloud.Client {
	if m := metaFrom(providerData, diags); m != nil {
		return m.Client
	}
	return nil
}
