package provider

import (
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/openeni/terraform-provider-eni/internal/cloud"
	"github.com/openeni/terraform-provider-eni/internal/domain"
)

// maxRetriesLimit is the schema's bound of max_retries, which the
// environment variables are held to as well.
const maxRetriesLimit = 100

// resolveMaxRetries is max_retries from the block, else from
// ALIBABA_CLOUD_MAX_RETRIES or ENI_MAX_RETRIES, else the default.
// cloud.Config reads 0 as the default, so an explicit 0 (no retries)
// becomes -1.
func resolveMaxRetries(v types.Int64, pick lookup, cfg *cloud.Config) diag.Diagnostics {
	var diags diag.Diagnostics
	n, set := int(v.ValueInt64()), !v.IsNull()
	if !set {
		if e := pick("", envMaxRetries); e != "" {
			parsed, err := strconv.Atoi(e)
			if err != nil || parsed < 0 || parsed > maxRetriesLimit {
				diags.AddAttributeError(path.Root("max_retries"), "Malformed max_retries in the environment",
					"ALIBABA_CLOUD_MAX_RETRIES or ENI_MAX_RETRIES is "+strconv.Quote(e)+": use a whole number from 0 to 100, "+
						"or set `max_retries` in the provider block.")
				return diags
			}
			n, set = parsed, true
		}
	}
	cfg.MaxRetries = n
	if set && n == 0 {
		cfg.MaxRetries = -1
	}
	return diags
}

// checkRegion refuses a missing or malformed region. A well-formed region
// the provider does not know is used, with a warning unless skip: new
// regions and the finance-cloud ones are not in the built-in list, and
// the API is the one to say whether a region exists.
func checkRegion(region string, skip bool) diag.Diagnostics {
	var diags diag.Diagnostics
	switch {
	case region == "":
		diags.AddAttributeError(path.Root("region"), "Missing region",
			"Set `region` in the provider block, or the ALIBABA_CLOUD_REGION_ID environment variable, "+
				"for example to \"cn-hangzhou\".")
	case !cloud.ValidRegionName(region):
		diags.AddAttributeError(path.Root("region"), "Malformed region",
			"The region "+strconv.Quote(region)+" is not a region ID: use letters, digits and hyphens, such as \"cn-hangzhou\".")
	case !skip && !domain.KnownRegion(region):
		diags.AddAttributeWarning(path.Root("region"), "Unknown region",
			"The region \""+region+"\" is not among the regions this provider knows ("+strings.Join(domain.Regions(), ", ")+
				"). It is used as given; if it does not exist, the first API call says so. Set "+
				"`skip_region_validation = true` to silence this warning for a region Alibaba Cloud added later "+
				"or a finance-cloud region.")
	}
	return diags
}
