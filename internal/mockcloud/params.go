package mockcloud

import (
	"cmp"
	"encoding/json"
	"maps"
	"net/netip"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/openeni/terraform-provider-eni/internal/domain"
)

// params are the merged query and form parameters of one request. Empty
// values are treated as absent, as the SDK never sends them.
type params map[string]string

func (p params) str(name string) string { return p[name] }

func (p params) has(name string) bool { return p[name] != "" }

func (p params) required(name string) (string, error) {
	v := p[name]
	if v == "" {
		return "", errMissing(name)
	}
	return v, nil
}

// integer parses an optional integer within [lo, hi]; def when absent.
func (p params) integer(name string, def, lo, hi int) (int, error) {
	v := p[name]
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, errInvalid(name, "it must be an integer")
	}
	if n < lo || n > hi {
		return 0, errInvalid(name, "it must be between "+strconv.Itoa(lo)+" and "+strconv.Itoa(hi))
	}
	return n, nil
}

// boolean parses an optional boolean; set reports whether it was given.
func (p params) boolean(name string) (value, set bool, err error) {
	switch strings.ToLower(p[name]) {
	case "":
		return false, false, nil
	case "true":
		return true, true, nil
	case "false":
		return false, true, nil
	}
	return false, false, errInvalid(name, "it must be true or false")
}

// list collects Name.1 … Name.N (1-based, as the SDK flattens repeated
// values), in index order, refusing indexes outside [1, limit]. Two spellings
// of one index (Name.1, Name.01) are both kept, in the order of their keys,
// so that a replayed call reads the same list.
func (p params) list(name string, limit int) ([]string, error) {
	prefix := name + "."
	type item struct {
		n    int
		k, v string
	}
	var items []item
	for k, v := range p {
		rest, ok := strings.CutPrefix(k, prefix)
		if !ok || strings.Contains(rest, ".") || v == "" {
			continue
		}
		n, err := strconv.Atoi(rest)
		if err != nil || n < 1 {
			return nil, errInvalid(k, "the index must be a positive integer")
		}
		if n > limit {
			return nil, errInvalid(name, "at most "+strconv.Itoa(limit)+" values are allowed")
		}
		items = append(items, item{n, k, v})
	}
	sort.Slice(items, func(i, j int) bool {
		return items[i].n < items[j].n || items[i].n == items[j].n && items[i].k < items[j].k
	})
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it.v
	}
	return out, nil
}

// tagPair is one Tag.N.Key / Tag.N.Value pair.
type tagPair struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// tags collects Name.N.Key / Name.N.Value pairs, at most 20, keys unique.
func (p params) tags(name string) ([]tagPair, error) {
	prefix := name + "."
	byIndex := map[int]*tagPair{}
	// Keys in order: Tag.1.Key and Tag.01.Key name the same tag, and the
	// one that wins must not depend on map order (the journal replays
	// calls and must get the same tags).
	for _, k := range slices.Sorted(maps.Keys(p)) {
		v := p[k]
		rest, ok := strings.CutPrefix(k, prefix)
		if !ok {
			continue
		}
		idx, field, ok := strings.Cut(rest, ".")
		if !ok || (field != "Key" && field != "Value") {
			continue
		}
		n, err := strconv.Atoi(idx)
		if err != nil || n < 1 || n > 20 {
			return nil, errInvalid(k, "the tag index must be between 1 and 20")
		}
		t := byIndex[n]
		if t == nil {
			t = &tagPair{}
			byIndex[n] = t
		}
		if field == "Key" {
			t.Key = v
		} else {
			t.Value = v
		}
	}
	idx := make([]int, 0, len(byIndex))
	for n := range byIndex {
		idx = append(idx, n)
	}
	sort.Ints(idx)
	seen := map[string]bool{}
	out := make([]tagPair, 0, len(idx))
	for _, n := range idx {
		t := byIndex[n]
		if err := validateTag(*t); err != nil {
			return nil, err
		}
		if seen[t.Key] {
			return nil, badRequest("Duplicate.TagKey", "The Tag.N.Key contains duplicate key %q.", t.Key)
		}
		seen[t.Key] = true
		out = append(out, *t)
	}
	return out, nil
}

// validateTag applies the tag rules (domain.TagKey, domain.TagValue).
func validateTag(t tagPair) error {
	if err := domain.TagKey(t.Key); err != nil {
		return badRequest("InvalidTagKey.Malformed", "The specified Tag.N.Key %q %s.", t.Key, err)
	}
	if err := domain.TagValue(t.Value); err != nil {
		return badRequest("InvalidTagValue.Malformed", "The specified Tag.N.Value %q %s.", t.Value, err)
	}
	return nil
}

// jsonList parses a parameter holding a JSON array of strings, such as
// DescribeInstances InstanceIds='["i-a","i-b"]'.
func (p params) jsonList(name string, limit int) ([]string, error) {
	v := p[name]
	if v == "" {
		return nil, nil
	}
	var out []string
	if err := json.Unmarshal([]byte(v), &out); err != nil {
		return nil, errInvalid(name, "it must be a JSON array of strings, such as [\"id-1\",\"id-2\"]")
	}
	if len(out) > limit {
		return nil, errInvalid(name, "at most "+strconv.Itoa(limit)+" values are allowed")
	}
	return out, nil
}

// commaList splits a comma-separated parameter such as DescribeVpcs VpcId.
func (p params) commaList(name string, limit int) ([]string, error) {
	v := p[name]
	if v == "" {
		return nil, nil
	}
	var out []string
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	if len(out) > limit {
		return nil, errInvalid(name, "at most "+strconv.Itoa(limit)+" values are allowed")
	}
	return out, nil
}

// ipv4 parses an IPv4 address parameter value.
func parseIPv4(name, v string) (netip.Addr, error) {
	a, err := netip.ParseAddr(v)
	if err != nil || !a.Is4() {
		return netip.Addr{}, badRequest("InvalidIpAddress.Malformed", "The specified %s %q is not a valid IPv4 address.", name, v)
	}
	return a, nil
}

// page reads PageNumber/PageSize with the action's maximum page size.
func (p params) page(maxSize int) (number, size int, err error) {
	if number, err = p.integer("PageNumber", 1, 1, 1<<30); err != nil {
		return 0, 0, err
	}
	if size, err = p.integer("PageSize", 10, 1, maxSize); err != nil {
		return 0, 0, err
	}
	return number, size, nil
}

// pageSlice returns the window of n items for PageNumber/PageSize.
func pageSlice(n, number, size int) (from, to int) {
	from = (number - 1) * size
	if from > n {
		from = n
	}
	to = from + size
	if to > n {
		to = n
	}
	return from, to
}

// numberedPage sorts matched into creation order (seq) and returns the
// PageNumber/PageSize window of it, each item turned into its response
// object by view: the listing of the VPC API's Describe actions.
func numberedPage[T any](matched []T, seq func(T) int64, number, size int, view func(T) object) []object {
	slices.SortFunc(matched, func(a, b T) int { return cmp.Compare(seq(a), seq(b)) })
	from, to := pageSlice(len(matched), number, size)
	list := make([]object, 0, to-from)
	for _, v := range matched[from:to] {
		list = append(list, view(v))
	}
	return list
}

// tokenPage reads NextToken/MaxResults paging: the token is the offset of
// the next item, as an opaque decimal string.
func (p params) tokenPage(maxResults int) (offset, size int, err error) {
	if size, err = p.integer("MaxResults", 10, 1, maxResults); err != nil {
		return 0, 0, err
	}
	if offset, err = p.token("NextToken"); err != nil {
		return 0, 0, err
	}
	return offset, size, nil
}

// token reads an optional paging token: the offset of the next item, as
// an opaque decimal string; 0 when absent.
func (p params) token(name string) (int, error) {
	t := p[name]
	if t == "" {
		return 0, nil
	}
	offset, err := strconv.Atoi(t)
	if err != nil || offset < 0 {
		return 0, errInvalid(name, "it is not a token this API returned")
	}
	return offset, nil
}

// pageToken is a NextToken parameter (params.token).
type pageToken int

func (t *pageToken) decodeParam(c *call, name string) error {
	n, err := c.p.token(name)
	*t = pageToken(n)
	return err
}

// nextToken is the token for the page after [offset, offset+size) of n.
func nextToken(n, offset, size int) string {
	if offset+size >= n {
		return ""
	}
	return strconv.Itoa(offset + size)
}
