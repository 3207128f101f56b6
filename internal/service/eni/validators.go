package eni

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/openeni/terraform-provider-eni/internal/validate"
)

// noURLs refuses values that start with http:// or https://, as the API
// does for names and descriptions.
type noURLs struct{}

func (noURLs) Description(context.Context) string { return "must not start with http:// or https://" }

func (v noURLs) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v noURLs) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if s := strings.ToLower(req.ConfigValue.ValueString()); strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://") {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid value",
			fmt.Sprintf("%s must not start with http:// or https:// (Alibaba Cloud refuses it); start it with other text.", req.Path))
	}
}

// tagsValidator applies Alibaba's tag rules: at most 20 tags, keys of 1 to
// 128 characters not starting with aliyun or acs:, values of at most 128
// characters, neither containing http:// or https://.
type tagsValidator struct{}

func (tagsValidator) Description(context.Context) string {
	return "at most 20 tags; keys 1-128 characters, not starting with aliyun or acs:; values at most 128 characters"
}

func (v tagsValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (tagsValidator) ValidateMap(ctx context.Context, req validator.MapRequest, resp *validator.MapResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	elems := req.ConfigValue.Elements()
	if len(elems) > 20 {
		resp.Diagnostics.AddAttributeError(req.Path, "Too many tags",
			fmt.Sprintf("%d tags are set; Alibaba Cloud allows at most 20 per resource. Remove %d.", len(elems), len(elems)-20))
	}
	for k, val := range elems {
		lk := strings.ToLower(k)
		switch {
		case k == "" || len(k) > 128:
			resp.Diagnostics.AddAttributeError(req.Path.AtMapKey(k), "Invalid tag key", "A tag key is 1 to 128 characters long.")
		case strings.HasPrefix(lk, "aliyun") || strings.HasPrefix(lk, "acs:"):
			resp.Diagnostics.AddAttributeError(req.Path.AtMapKey(k), "Invalid tag key",
				fmt.Sprintf("Tag key %q starts with a prefix Alibaba Cloud reserves (aliyun, acs:); rename it.", k))
		case strings.Contains(lk, "http://") || strings.Contains(lk, "https://"):
			resp.Diagnostics.AddAttributeError(req.Path.AtMapKey(k), "Invalid tag key",
				fmt.Sprintf("Tag key %q contains a URL, which Alibaba Cloud refuses.", k))
		}
		s, ok := val.(types.String)
		if !ok || s.IsNull() || s.IsUnknown() {
			continue
		}
		if ls := strings.ToLower(s.ValueString()); len(ls) > 128 || strings.Contains(ls, "http://") || strings.Contains(ls, "https://") {
			resp.Diagnostics.AddAttributeError(req.Path.AtMapKey(k), "Invalid tag value",
				fmt.Sprintf("The value of tag %q must be at most 128 characters and contain no URL.", k))
		}
	}
}

// ipv4Address refuses anything but a dotted-quad IPv4 address.
type ipv4Address struct{}

func (ipv4Address) Description(context.Context) string {
	return "must be an IPv4 address such as 10.1.0.20"
}

func (v ipv4Address) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (ipv4Address) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if err := validate.IPv4(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid IPv4 address", err.Error()+".")
	}
}
