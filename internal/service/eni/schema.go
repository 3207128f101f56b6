package eni

import (
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// Attribute shapes that several resources share.

// requiredReplaceString is a required, non-empty string, such as the ID of
// the object a resource builds on; changing it replaces the resource.
func requiredReplaceString(desc string) schema.StringAttribute {
	return schema.StringAttribute{
		Required:            true,
		Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
		PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
		MarkdownDescription: desc,
	}
}

// optionalReplaceIPv4 is an IPv4 address that the cloud picks when it is
// omitted; configuring another one replaces the resource.
func optionalReplaceIPv4(desc string) schema.StringAttribute {
	return schema.StringAttribute{
		Optional:   true,
		Computed:   true,
		Validators: []validator.String{ipv4Address{}},
		PlanModifiers: []planmodifier.String{
			stringplanmodifier.RequiresReplaceIfConfigured(),
			stringplanmodifier.UseStateForUnknown(),
		},
		MarkdownDescription: desc,
	}
}

// computedString is a string only the API sets; stable ones keep their
// value from state in a plan (UseStateForUnknown).
func computedString(desc string, stable bool) schema.StringAttribute {
	a := schema.StringAttribute{Computed: true, MarkdownDescription: desc}
	if stable {
		a.PlanModifiers = []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
	}
	return a
}
