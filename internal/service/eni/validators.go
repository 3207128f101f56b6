package eni

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/openeni/terraform-provider-eni/internal/domain"
	"github.com/openeni/terraform-provider-eni/internal/validate"
)

// apiRule checks a string attribute with one of the API's value rules in
// internal/domain: the same function the emulator applies to the request,
// so plan refuses exactly what the API would.
type apiRule struct {
	summary string             // diagnostic summary, "Invalid ENI name"
	rule    string             // the rule in words, such as domain.ENINameRule
	check   func(string) error // the rule, such as domain.ENIName
}

var (
	eniNameRule        = apiRule{summary: "Invalid ENI name", rule: domain.ENINameRule, check: domain.ENIName}
	eniDescriptionRule = apiRule{summary: "Invalid ENI description", rule: domain.ENIDescriptionRule, check: domain.ENIDescription}
)

func (v apiRule) Description(context.Context) string { return v.rule }

func (v apiRule) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v apiRule) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	s := req.ConfigValue.ValueString()
	if err := v.check(s); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, v.summary, fmt.Sprintf("%s %q %s.", req.Path, s, err))
	}
}

// tagsValidator applies Alibaba's tag rules (domain.TagCount, TagKey and
// TagValue): at most 20 tags, keys of 1 to 128 characters not starting
// with aliyun or acs:, values of at most 128 characters, neither
// containing http:// or https://.
type tagsValidator struct{}

func (tagsValidator) Description(context.Context) string {
	return domain.TagCountRule + "; " + domain.TagKeyRule + "; " + domain.TagValueRule
}

func (v tagsValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (tagsValidator) ValidateMap(ctx context.Context, req validator.MapRequest, resp *validator.MapResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	elems := req.ConfigValue.Elements()
	if err := domain.TagCount(len(elems)); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Too many tags",
			fmt.Sprintf("The resource %s. Remove %d.", err, len(elems)-domain.MaxTagsPerResource))
	}
	for k, val := range elems {
		if err := domain.TagKey(k); err != nil {
			resp.Diagnostics.AddAttributeError(req.Path.AtMapKey(k), "Invalid tag key", fmt.Sprintf("Tag key %q %s.", k, err))
		}
		s, ok := val.(types.String)
		if !ok || s.IsNull() || s.IsUnknown() {
			continue
		}
		if err := domain.TagValue(s.ValueString()); err != nil {
			resp.Diagnostics.AddAttributeError(req.Path.AtMapKey(k), "Invalid tag value",
				fmt.Sprintf("The value %q of tag %q %s.", s.ValueString(), k, err))
		}
	}
}

// addressForm refuses a string that is not an address of one form, with
// one of internal/validate's checks.
type addressForm struct {
	summary     string             // diagnostic summary, "Invalid IPv4 address"
	description string             // the form wanted, for the docs
	check       func(string) error // such as validate.IPv4
}

var (
	// ipv4Address refuses anything but a dotted-quad IPv4 address.
	ipv4Address = addressForm{summary: "Invalid IPv4 address",
		description: "must be an IPv4 address such as 10.1.0.20", check: validate.IPv4}
	// ipv6Address refuses anything but an IPv6 address in canonical form.
	ipv6Address = addressForm{summary: "Invalid IPv6 address",
		description: "must be an IPv6 address in canonical form, such as 2408:4005:3a0:ab00::10", check: validate.IPv6Address}
	// ipv4Prefix refuses anything but a /28 IPv4 prefix on its boundary.
	ipv4Prefix = addressForm{summary: "Invalid IPv4 prefix", description: domain.IPv4PrefixRule, check: validate.IPv4Prefix}
)

func (v addressForm) Description(context.Context) string { return v.description }

func (v addressForm) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v addressForm) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if err := v.check(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, v.summary, err.Error()+".")
	}
}
