// Package eni holds the provider's resources and data sources, one file
// each with its test beside it. They talk to the cloud only through
// internal/cloud and never know whether it is Alibaba Cloud or the
// emulator behind it.
package eni

import (
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/resource"
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
		newInstanceDataSource,
	}
}
