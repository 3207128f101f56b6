package mockcloud

import (
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/openeni/terraform-provider-eni/internal/domain"
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

// Resource types the tag actions accept (ResourceType, lowercase as the
// real API spells them).
const (
	tagTypeENI      = "eni"
	tagTypeInstance = "instance"
)

// tagResourceType reads ResourceType: ENIs and instances carry tags here.
func tagResourceType(p params) (string, error) {
	switch rt := p.str("ResourceType"); rt {
	case "":
		return "", newErr(http.StatusNotFound, "MissingParameter.ResourceType", "The input parameter \"ResourceType\" that is mandatory for processing this request is not supplied.")
	case tagTypeENI, tagTypeInstance:
		return rt, nil
	default:
		return "", notFound("InvalidResourceType.NotFound", "The specified ResourceType %q is not supported; this endpoint tags %s and %s resources only.", rt, tagTypeENI, tagTypeInstance)
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

// The tag actions' parameters, as param field types (decode.go).
type (
	tagResourceTypeParam string    // ResourceType: tagResourceType
	tagResourceIDList    []string  // ResourceId.N: tagResourceIDs
	requestTagList       []tagPair // Tag.N: requestTags
	tagKeyList           []string  // TagKey.N: at most 20
	tagFilterList        []tagFilter
)

func (t *tagResourceTypeParam) decodeParam(c *call, _ string) error {
	rt, err := tagResourceType(c.p)
	*t = tagResourceTypeParam(rt)
	return err
}

func (l *tagResourceIDList) decodeParam(c *call, _ string) error {
	ids, err := tagResourceIDs(c.p)
	*l = ids
	return err
}

func (l *requestTagList) decodeParam(c *call, _ string) error {
	tags, err := requestTags(c.p)
	*l = tags
	return err
}

func (l *tagKeyList) decodeParam(c *call, _ string) error {
	keys, err := c.p.list("TagKey", indexCeiling)
	if err != nil {
		return err
	}
	if len(keys) > maxTagsPerRequest {
		return badRequest("NumberExceed.Tags", "At most %d TagKey.N values are allowed per request; %d were given.", maxTagsPerRequest, len(keys))
	}
	*l = keys
	return nil
}

func (l *tagFilterList) decodeParam(c *call, _ string) error {
	filters, err := c.p.tagFilters()
	*l = filters
	return err
}

// taggable is a resource that carries tags: its ID, its listing order
// and its tag list, which the tag actions change in place.
type taggable struct {
	id   string
	seq  int64
	tags *[]tagPair
}

func eniTaggable(e *eniObj) taggable { return taggable{id: e.ID, seq: e.Seq, tags: &e.Tags} }

func instanceTaggable(in *instanceObj) taggable {
	return taggable{id: in.ID, seq: in.Seq, tags: &in.Tags}
}

// taggableByID looks up one resource of type rt; ok is false when there is
// none.
func (s *state) taggableByID(rt, id string) (taggable, bool) {
	switch rt {
	case tagTypeENI:
		if e := s.ENIs[id]; e != nil {
			return eniTaggable(e), true
		}
	case tagTypeInstance:
		if in := s.Instances[id]; in != nil {
			return instanceTaggable(in), true
		}
	}
	return taggable{}, false
}

// taggedResources looks up every resource ID, refusing unknown ones.
func (s *state) taggedResources(rt string, ids []string) ([]taggable, error) {
	out := make([]taggable, 0, len(ids))
	for _, id := range ids {
		r, ok := s.taggableByID(rt, id)
		if !ok {
			return nil, notFound("InvalidResourceId.NotFound", "The specified ResourceId %q does not exist as a resource of type %s.", id, rt)
		}
		out = append(out, r)
	}
	return out, nil
}

// allTagged lists every resource of type rt that carries at least one tag.
func (s *state) allTagged(rt string) []taggable {
	var out []taggable
	switch rt {
	case tagTypeENI:
		for _, e := range s.ENIs {
			if len(e.Tags) > 0 {
				out = append(out, eniTaggable(e))
			}
		}
	case tagTypeInstance:
		for _, in := range s.Instances {
			if len(in.Tags) > 0 {
				out = append(out, instanceTaggable(in))
			}
		}
	}
	return out
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

type tagResourcesArgs struct {
	Type tagResourceTypeParam `param:"ResourceType"`
	IDs  tagResourceIDList    `param:"ResourceId.N,required"`
	Tags requestTagList       `param:"Tag.N"`
}

func (a *tagResourcesArgs) check(*call) error {
	if len(a.Tags) == 0 {
		return newErr(http.StatusNotFound, "MissingParameter.Tags", "The input parameter \"Tag.N\" that is mandatory for processing this request is not supplied.")
	}
	return nil
}

func tagResources(c *call) (object, error) {
	var a tagResourcesArgs
	if err := c.decode(&a); err != nil {
		return nil, err
	}
	resources, err := c.st.taggedResources(string(a.Type), a.IDs)
	if err != nil {
		return nil, err
	}
	merged := make([][]tagPair, len(resources))
	for i, r := range resources {
		merged[i] = mergeTags(*r.tags, a.Tags)
		if err := domain.TagCount(len(merged[i])); err != nil {
			return nil, forbidden("QuotaExceed.Tags", "The resource %q %s.", r.id, err)
		}
	}
	for i, r := range resources {
		*r.tags = merged[i]
	}
	return object{}, nil
}

// untagArgs: All takes effect only when no TagKey.N is given.
type untagArgs struct {
	Type tagResourceTypeParam `param:"ResourceType"`
	IDs  tagResourceIDList    `param:"ResourceId.N,required"`
	Keys tagKeyList           `param:"TagKey.N"`
	All  bool                 `param:"All"`
}

func (a *untagArgs) check(*call) error {
	if len(a.Keys) == 0 && !a.All {
		return errMissing("TagKey.1")
	}
	return nil
}

func untagResources(c *call) (object, error) {
	var a untagArgs
	if err := c.decode(&a); err != nil {
		return nil, err
	}
	resources, err := c.st.taggedResources(string(a.Type), a.IDs)
	if err != nil {
		return nil, err
	}
	for _, r := range resources {
		if len(a.Keys) == 0 {
			*r.tags = []tagPair{}
			continue
		}
		kept := make([]tagPair, 0, len(*r.tags))
		for _, t := range *r.tags {
			if !slices.Contains(a.Keys, t.Key) {
				kept = append(kept, t)
			}
		}
		*r.tags = kept
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

// listTagArgs are the selection and page of ListTagResources.
type listTagArgs struct {
	Type    tagResourceTypeParam `param:"ResourceType"`
	IDs     tagResourceIDList    `param:"ResourceId.N"`
	Tags    listTagFilterTags    `param:"Tag.N"`
	Filters tagFilterList        `param:"TagFilter.N,conflicts=Tag.N"`
	Offset  pageToken            `param:"NextToken"`
}

// listTagFilterTags is the Tag.N of ListTagResources: requestTags, and no
// value without its key.
type listTagFilterTags []tagPair

func (l *listTagFilterTags) decodeParam(c *call, _ string) error {
	for k, v := range c.p {
		if rest, ok := strings.CutPrefix(k, "Tag."); ok && strings.HasSuffix(rest, ".Value") && v != "" {
			if c.p[strings.TrimSuffix(k, ".Value")+".Key"] == "" {
				return badRequest("InvalidParameter.TagValue", "The parameter %s is given without its Tag.N.Key.", k)
			}
		}
	}
	tags, err := requestTags(c.p)
	*l = tags
	return err
}

// match reports whether a resource's tags pass the Tag.N and TagFilter.N
// selection.
func (a *listTagArgs) match(have []tagPair) bool {
	if !matchTags(have, a.Tags) {
		return false
	}
	for _, f := range a.Filters {
		if !f.match(have) {
			return false
		}
	}
	return true
}

// listTagResources lists the tags of the resources of one type selected
// by ResourceId.N and/or Tag.N (every given tag must be on the resource;
// an empty value matches any value) or TagFilter.N, one entry per tag, 50
// per page. Unknown resource IDs are left out rather than refused, like
// Describe calls.
func listTagResources(c *call) (object, error) {
	var a listTagArgs
	if err := c.decode(&a); err != nil {
		return nil, err
	}
	rt := string(a.Type)
	var resources []taggable
	if len(a.IDs) > 0 {
		for _, id := range a.IDs {
			if r, ok := c.st.taggableByID(rt, id); ok {
				resources = append(resources, r)
			}
		}
	} else {
		resources = c.st.allTagged(rt)
	}
	sort.Slice(resources, func(i, j int) bool { return resources[i].seq < resources[j].seq })
	var all []tagResourceView
	for _, r := range resources {
		if !a.match(*r.tags) {
			continue
		}
		for _, t := range *r.tags {
			all = append(all, tagResourceView{ResourceId: r.id, ResourceType: rt, TagKey: t.Key, TagValue: t.Value})
		}
	}
	offset := int(a.Offset)
	from, to := window(len(all), offset, listTagResourcePage)
	page := append(make([]tagResourceView, 0, to-from), all[from:to]...)
	return object{
		"NextToken":    nextToken(len(all), offset, listTagResourcePage),
		"TagResources": tagResourceList{TagResource: page},
	}, nil
}
