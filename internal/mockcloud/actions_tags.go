package mockcloud

import (
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// ecsTagActions lists the actions of this file.
func ecsTagActions() []action {
	return []action{
		{Version: ecsVersion, Name: "TagResources", Mutating: true, Handle: tagResources},
		{Version: ecsVersion, Name: "UntagResources", Mutating: true, Handle: untagResources},
		{Version: ecsVersion, Name: "ListTagResources", Handle: listTagResources},
	}
}

// Limits of the ECS tag API (TagResources reference).
const (
	maxTagResourceIDs   = 50
	maxTagsPerRequest   = 20
	maxTagFilters       = 5
	listTagResourcePage = 50
	// indexCeiling bounds the N of ResourceId.N / TagKey.N so that the
	// count checks below see every value and junk indexes are refused.
	indexCeiling = 1000
)

// tagResourceType checks ResourceType; only ENIs carry tags here.
func tagResourceType(p params) error {
	switch rt := p.str("ResourceType"); rt {
	case "":
		return newErr(http.StatusNotFound, "MissingParameter.ResourceType", "The input parameter \"ResourceType\" that is mandatory for processing this request is not supplied.")
	case "eni":
		return nil
	default:
		return notFound("InvalidResourceType.NotFound", "The specified ResourceType %q is not supported; this endpoint tags eni resources only.", rt)
	}
}

// tagResourceIDs reads ResourceId.N (at most 50), without repeats.
func tagResourceIDs(p params) ([]string, error) {
	ids, err := p.list("ResourceId", indexCeiling)
	if err != nil {
		return nil, err
	}
	if len(ids) > maxTagResourceIDs {
		return nil, badRequest("NumberExceed.ResourceIds", "At most %d ResourceId.N values are allowed; %d were given.", maxTagResourceIDs, len(ids))
	}
	out := ids[:0]
	for i, id := range ids {
		if !slices.Contains(ids[:i], id) {
			out = append(out, id)
		}
	}
	return out, nil
}

// requestTags reads Tag.N.Key/Value (at most 20).
func requestTags(p params) ([]tagPair, error) {
	n := 0
	for k := range p {
		if rest, ok := strings.CutPrefix(k, "Tag."); ok && strings.HasSuffix(rest, ".Key") {
			n++
		}
	}
	if n > maxTagsPerRequest {
		return nil, badRequest("NumberExceed.Tags", "At most %d tags are allowed per request; %d were given.", maxTagsPerRequest, n)
	}
	return p.tags("Tag")
}

// taggedENIs looks up every resource ID, refusing unknown ones.
func (s *state) taggedENIs(ids []string) ([]*eniObj, error) {
	out := make([]*eniObj, 0, len(ids))
	for _, id := range ids {
		e := s.ENIs[id]
		if e == nil {
			return nil, notFound("InvalidResourceId.NotFound", "The specified ResourceId %q does not exist.", id)
		}
		out = append(out, e)
	}
	return out, nil
}

// mergeTags returns have with set applied (values of existing keys are
// replaced, new keys appended).
func mergeTags(have, set []tagPair) []tagPair {
	out := append(make([]tagPair, 0, len(have)+len(set)), have...)
	for _, t := range set {
		found := false
		for i := range out {
			if out[i].Key == t.Key {
				out[i].Value = t.Value
				found = true
				break
			}
		}
		if !found {
			out = append(out, t)
		}
	}
	return out
}

func tagResources(c *call) (object, error) {
	p := c.p
	if err := tagResourceType(p); err != nil {
		return nil, err
	}
	ids, err := tagResourceIDs(p)
	if err != nil {
		return nil, err
	}
	if len(ids) == 0 {
		return nil, errMissing("ResourceId.1")
	}
	tags, err := requestTags(p)
	if err != nil {
		return nil, err
	}
	if len(tags) == 0 {
		return nil, newErr(http.StatusNotFound, "MissingParameter.Tags", "The input parameter \"Tag.N\" that is mandatory for processing this request is not supplied.")
	}
	enis, err := c.st.taggedENIs(ids)
	if err != nil {
		return nil, err
	}
	merged := make([][]tagPair, len(enis))
	for i, e := range enis {
		merged[i] = mergeTags(e.Tags, tags)
		if len(merged[i]) > maxTagsPerResource {
			return nil, forbidden("QuotaExceed.Tags",
				"The resource %q would carry %d tags; at most %d tags are allowed per resource.", e.ID, len(merged[i]), maxTagsPerResource)
		}
	}
	for i, e := range enis {
		e.Tags = merged[i]
	}
	return object{}, nil
}

func untagResources(c *call) (object, error) {
	p := c.p
	if err := tagResourceType(p); err != nil {
		return nil, err
	}
	ids, err := tagResourceIDs(p)
	if err != nil {
		return nil, err
	}
	if len(ids) == 0 {
		return nil, errMissing("ResourceId.1")
	}
	keys, err := p.list("TagKey", indexCeiling)
	if err != nil {
		return nil, err
	}
	if len(keys) > maxTagsPerRequest {
		return nil, badRequest("NumberExceed.Tags", "At most %d TagKey.N values are allowed per request; %d were given.", maxTagsPerRequest, len(keys))
	}
	all, _, err := p.boolean("All")
	if err != nil {
		return nil, err
	}
	// All takes effect only when no TagKey.N is given.
	if len(keys) == 0 && !all {
		return nil, errMissing("TagKey.1")
	}
	enis, err := c.st.taggedENIs(ids)
	if err != nil {
		return nil, err
	}
	for _, e := range enis {
		if len(keys) == 0 {
			e.Tags = []tagPair{}
			continue
		}
		kept := make([]tagPair, 0, len(e.Tags))
		for _, t := range e.Tags {
			if !slices.Contains(keys, t.Key) {
				kept = append(kept, t)
			}
		}
		e.Tags = kept
	}
	return object{}, nil
}

// tagFilter is one TagFilter.N of ListTagResources: the key, and any of
// the values (none: any value).
type tagFilter struct {
	key    string
	values []string
}

func (p params) tagFilters() ([]tagFilter, error) {
	byIndex := map[int]*tagFilter{}
	for k, v := range p {
		rest, ok := strings.CutPrefix(k, "TagFilter.")
		if !ok || v == "" {
			continue
		}
		idx, field, _ := strings.Cut(rest, ".")
		n, err := strconv.Atoi(idx)
		if err != nil || n < 1 || n > maxTagFilters {
			return nil, errInvalid(k, "the TagFilter index must be between 1 and "+strconv.Itoa(maxTagFilters))
		}
		f := byIndex[n]
		if f == nil {
			f = &tagFilter{}
			byIndex[n] = f
		}
		switch {
		case field == "TagKey":
			f.key = v
		case strings.HasPrefix(field, "TagValues."):
			f.values = append(f.values, v)
		default:
			return nil, errInvalid(k, "only TagFilter.N.TagKey and TagFilter.N.TagValues.N are accepted")
		}
	}
	out := make([]tagFilter, 0, len(byIndex))
	for n := 1; n <= maxTagFilters; n++ {
		if f := byIndex[n]; f != nil {
			if f.key == "" {
				return nil, errMissing("TagFilter." + strconv.Itoa(n) + ".TagKey")
			}
			out = append(out, *f)
		}
	}
	return out, nil
}

func (f tagFilter) match(tags []tagPair) bool {
	for _, t := range tags {
		if t.Key == f.key && (len(f.values) == 0 || slices.Contains(f.values, t.Value)) {
			return true
		}
	}
	return false
}

type tagResourceView struct {
	ResourceId   string `json:"ResourceId"`
	ResourceType string `json:"ResourceType"`
	TagKey       string `json:"TagKey"`
	TagValue     string `json:"TagValue"`
}

type tagResourceList struct {
	TagResource []tagResourceView `json:"TagResource"`
}

// listTagResources lists the tags of the ENIs selected by ResourceId.N
// and/or Tag.N (every given tag must be on the ENI; an empty value matches
// any value) or TagFilter.N, one entry per tag, 50 per page. Unknown
// resource IDs are left out rather than refused, like Describe calls.
func listTagResources(c *call) (object, error) {
	p, st := c.p, c.st
	if err := tagResourceType(p); err != nil {
		return nil, err
	}
	ids, err := tagResourceIDs(p)
	if err != nil {
		return nil, err
	}
	for k, v := range p {
		if rest, ok := strings.CutPrefix(k, "Tag."); ok && strings.HasSuffix(rest, ".Value") && v != "" {
			if p[strings.TrimSuffix(k, ".Value")+".Key"] == "" {
				return nil, badRequest("InvalidParameter.TagValue", "The parameter %s is given without its Tag.N.Key.", k)
			}
		}
	}
	tags, err := requestTags(p)
	if err != nil {
		return nil, err
	}
	filters, err := p.tagFilters()
	if err != nil {
		return nil, err
	}
	if len(tags) > 0 && len(filters) > 0 {
		return nil, errConflict("Tag.N", "TagFilter.N")
	}
	offset := 0
	if t := p.str("NextToken"); t != "" {
		if offset, err = strconv.Atoi(t); err != nil || offset < 0 {
			return nil, errInvalid("NextToken", "it is not a token this API returned")
		}
	}

	var enis []*eniObj
	if len(ids) > 0 {
		for _, id := range ids {
			if e := st.ENIs[id]; e != nil {
				enis = append(enis, e)
			}
		}
	} else {
		for _, e := range st.ENIs {
			if len(e.Tags) > 0 {
				enis = append(enis, e)
			}
		}
	}
	sort.Slice(enis, func(i, j int) bool { return enis[i].Seq < enis[j].Seq })
	var all []tagResourceView
	for _, e := range enis {
		if !matchTags(e.Tags, tags) {
			continue
		}
		ok := true
		for _, f := range filters {
			ok = ok && f.match(e.Tags)
		}
		if !ok {
			continue
		}
		for _, t := range e.Tags {
			all = append(all, tagResourceView{ResourceId: e.ID, ResourceType: "eni", TagKey: t.Key, TagValue: t.Value})
		}
	}
	from, to := window(len(all), offset, listTagResourcePage)
	page := append(make([]tagResourceView, 0, to-from), all[from:to]...)
	return object{
		"NextToken":    nextToken(len(all), offset, listTagResourcePage),
		"TagResources": tagResourceList{TagResource: page},
	}, nil
}
