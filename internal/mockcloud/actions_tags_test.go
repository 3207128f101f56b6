package mockcloud

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
)

func niTag(env *testEnv, ids []string, tags ...ecs.TagResourcesTag) error {
	return tagAs(env, "eni", ids, tags...)
}

func niUntag(env *testEnv, ids []string, all bool, keys ...string) error {
	return untagAs(env, "eni", ids, all, keys...)
}

// tagAs calls TagResources for resources of a type ("eni", "instance").
func tagAs(env *testEnv, resourceType string, ids []string, tags ...ecs.TagResourcesTag) error {
	req := ecs.CreateTagResourcesRequest()
	req.ResourceType = resourceType
	req.ResourceId = &ids
	if len(tags) > 0 {
		req.Tag = &tags
	}
	_, err := env.ecs.TagResources(req)
	return err
}

// untagAs calls UntagResources for resources of a type.
func untagAs(env *testEnv, resourceType string, ids []string, all bool, keys ...string) error {
	req := ecs.CreateUntagResourcesRequest()
	req.ResourceType = resourceType
	req.ResourceId = &ids
	if len(keys) > 0 {
		req.TagKey = &keys
	}
	if all {
		req.All = "true"
	}
	_, err := env.ecs.UntagResources(req)
	return err
}

func niListTags(t *testing.T, env *testEnv, mut func(*ecs.ListTagResourcesRequest)) *ecs.ListTagResourcesResponse {
	t.Helper()
	req := ecs.CreateListTagResourcesRequest()
	req.ResourceType = "eni"
	mut(req)
	resp, err := env.ecs.ListTagResources(req)
	mustOK(t, err)
	return resp
}

// niTagString renders tag resources as "id:key=value" lines, sorted.
func niTagString(list []ecs.TagResource) string {
	var out []string
	for _, r := range list {
		out = append(out, r.ResourceId+":"+r.TagKey+"="+r.TagValue)
	}
	sort.Strings(out)
	return strings.Join(out, " ")
}

// niDescribedTags renders the Tags of an ENI as DescribeNetworkInterfaces
// shows them.
func niDescribedTags(t *testing.T, env *testEnv, id string) string {
	t.Helper()
	var out []string
	for _, tag := range niMustGet(t, env, id).Tags.Tag {
		out = append(out, tag.TagKey+"="+tag.TagValue)
	}
	return strings.Join(out, " ")
}

func TestTagRoundTrip(t *testing.T) {
	env := startEnv(t, nil)
	a := niCreate(t, env, func(r *ecs.CreateNetworkInterfaceRequest) {
		r.Tag = &[]ecs.CreateNetworkInterfaceTag{{Key: "created", Value: "yes"}}
	}).NetworkInterfaceId
	b := niCreate(t, env).NetworkInterfaceId

	mustOK(t, niTag(env, []string{a, b}, ecs.TagResourcesTag{Key: "env", Value: "prod"}, ecs.TagResourcesTag{Key: "owner"}))
	if got := niDescribedTags(t, env, a); got != "created=yes env=prod owner=" {
		t.Fatalf("tags of a: %q", got)
	}
	resp := niListTags(t, env, func(r *ecs.ListTagResourcesRequest) { r.ResourceId = &[]string{a} })
	if got := niTagString(resp.TagResources.TagResource); got != a+":created=yes "+a+":env=prod "+a+":owner=" || resp.NextToken != "" {
		t.Fatalf("list by id: %q token %q", got, resp.NextToken)
	}
	for _, r := range resp.TagResources.TagResource {
		if r.ResourceType != "eni" {
			t.Fatalf("ResourceType %q", r.ResourceType)
		}
	}

	// Re-tagging replaces the value.
	mustOK(t, niTag(env, []string{a}, ecs.TagResourcesTag{Key: "env", Value: "dev"}))
	if got := niDescribedTags(t, env, a); got != "created=yes env=dev owner=" {
		t.Fatalf("after retag: %q", got)
	}
	// Filters: every Tag.N must be on the resource; empty value = any.
	resp = niListTags(t, env, func(r *ecs.ListTagResourcesRequest) {
		r.Tag = &[]ecs.ListTagResourcesTag{{Key: "env", Value: "prod"}}
	})
	if got := niTagString(resp.TagResources.TagResource); got != b+":env=prod "+b+":owner=" {
		t.Fatalf("list by tag: %q", got)
	}
	resp = niListTags(t, env, func(r *ecs.ListTagResourcesRequest) {
		r.Tag = &[]ecs.ListTagResourcesTag{{Key: "created"}, {Key: "owner"}}
	})
	if got := len(resp.TagResources.TagResource); got != 3 {
		t.Fatalf("list by two keys: %d entries, want the 3 tags of a", got)
	}
	resp = niListTags(t, env, func(r *ecs.ListTagResourcesRequest) {
		r.TagFilter = &[]ecs.ListTagResourcesTagFilter{{TagKey: "env", TagValues: &[]string{"dev", "test"}}}
	})
	if got := niTagString(resp.TagResources.TagResource); !strings.HasPrefix(got, a+":") || len(resp.TagResources.TagResource) != 3 {
		t.Fatalf("list by TagFilter: %q", got)
	}
	resp = niListTags(t, env, func(r *ecs.ListTagResourcesRequest) { r.ResourceId = &[]string{"eni-unknown"} })
	if len(resp.TagResources.TagResource) != 0 {
		t.Fatal("unknown resource listed tags")
	}
	niNoNulls(t, resp.GetHttpContentString())

	mustOK(t, niUntag(env, []string{a, b}, false, "owner", "absent"))
	if got := niDescribedTags(t, env, a); got != "created=yes env=dev" {
		t.Fatalf("after untag: %q", got)
	}
	// TagKey wins over All.
	mustOK(t, niUntag(env, []string{a}, true, "env"))
	if got := niDescribedTags(t, env, a); got != "created=yes" {
		t.Fatalf("after untag with key and All: %q", got)
	}
	mustOK(t, niUntag(env, []string{a, b}, true))
	if got := niDescribedTags(t, env, a) + niDescribedTags(t, env, b); got != "" {
		t.Fatalf("after untag All: %q", got)
	}
	resp = niListTags(t, env, func(r *ecs.ListTagResourcesRequest) { r.ResourceId = &[]string{a, b} })
	if len(resp.TagResources.TagResource) != 0 {
		t.Fatalf("tags left: %+v", resp.TagResources.TagResource)
	}
	if !strings.Contains(resp.GetHttpContentString(), `"TagResources":{"TagResource":[]}`) {
		t.Fatalf("empty list body %s", resp.GetHttpContentString())
	}

	// Primary ENIs carry tags too.
	prim := niDescribe(t, env, func(r *ecs.DescribeNetworkInterfacesRequest) { r.InstanceId = "i-mockweb1" }).NetworkInterfaceSets.NetworkInterfaceSet[0].NetworkInterfaceId
	mustOK(t, niTag(env, []string{prim}, ecs.TagResourcesTag{Key: "role", Value: "primary"}))
	if got := niDescribedTags(t, env, prim); got != "role=primary" {
		t.Fatalf("primary tags %q", got)
	}
}

func TestTagErrors(t *testing.T) {
	env := startEnv(t, nil)
	a := niCreate(t, env).NetworkInterfaceId
	b := niCreate(t, env).NetworkInterfaceId
	tag := ecs.TagResourcesTag{Key: "k", Value: "v"}

	withType := func(rt string) error {
		req := ecs.CreateTagResourcesRequest()
		req.ResourceType = rt
		req.ResourceId = &[]string{a}
		req.Tag = &[]ecs.TagResourcesTag{tag}
		_, err := env.ecs.TagResources(req)
		return err
	}
	wantCode(t, withType(""), "MissingParameter.ResourceType", 404)
	wantCode(t, withType("disk"), "InvalidResourceType.NotFound", 404)
	// instance is a supported type, but an ENI ID is not an instance.
	wantCode(t, withType("instance"), "InvalidResourceId.NotFound", 404)
	wantCode(t, withType("ENI"), "InvalidResourceType.NotFound", 404)

	wantCode(t, niTag(env, nil, tag), "MissingParameter", 400)
	wantCode(t, niTag(env, []string{a}), "MissingParameter.Tags", 404)
	wantCode(t, niTag(env, []string{a, "eni-unknown"}, tag), "InvalidResourceId.NotFound", 404)
	if got := niDescribedTags(t, env, a); got != "" {
		t.Fatalf("a refused tag call tagged a: %q", got)
	}
	var many []string
	for i := 0; i < 51; i++ {
		many = append(many, a)
	}
	wantCode(t, niTag(env, many, tag), "NumberExceed.ResourceIds", 400)
	var tags21 []ecs.TagResourcesTag
	for i := 0; i < 21; i++ {
		tags21 = append(tags21, ecs.TagResourcesTag{Key: fmt.Sprintf("k%d", i), Value: "v"})
	}
	wantCode(t, niTag(env, []string{a}, tags21...), "NumberExceed.Tags", 400)
	wantCode(t, niTag(env, []string{a}, ecs.TagResourcesTag{Key: "acs:x"}), "InvalidTagKey.Malformed", 400)
	wantCode(t, niTag(env, []string{a}, ecs.TagResourcesTag{Key: "k", Value: "http://x"}), "InvalidTagValue.Malformed", 400)
	wantCode(t, niTag(env, []string{a}, tag, tag), "Duplicate.TagKey", 400)

	// 20 tags per resource at most; all or nothing across resources.
	mustOK(t, niTag(env, []string{a}, tags21[:15]...))
	mustOK(t, niTag(env, []string{a}, tags21[:20]...)) // 5 new, 15 replaced
	err := niTag(env, []string{b, a}, ecs.TagResourcesTag{Key: "one-more"})
	wantCode(t, err, "QuotaExceed.Tags", 403)
	niWantMsg(t, err, a)
	if got := niDescribedTags(t, env, b); got != "" {
		t.Fatalf("a refused tag call tagged b: %q", got)
	}

	wantCode(t, niUntag(env, []string{a}, false), "MissingParameter", 400)
	wantCode(t, niUntag(env, []string{"eni-unknown"}, true), "InvalidResourceId.NotFound", 404)
	wantCode(t, niUntag(env, many, true), "NumberExceed.ResourceIds", 400)
	keys21 := make([]string, 21)
	for i := range keys21 {
		keys21[i] = fmt.Sprintf("k%d", i)
	}
	wantCode(t, niUntag(env, []string{a}, false, keys21...), "NumberExceed.Tags", 400)
	req := ecs.CreateUntagResourcesRequest()
	req.ResourceId = &[]string{a}
	req.All = "true"
	_, err = env.ecs.UntagResources(req)
	wantCode(t, err, "MissingParameter.ResourceType", 404)

	list := func(mut func(*ecs.ListTagResourcesRequest)) error {
		req := ecs.CreateListTagResourcesRequest()
		req.ResourceType = "eni"
		mut(req)
		_, err := env.ecs.ListTagResources(req)
		return err
	}
	wantCode(t, list(func(r *ecs.ListTagResourcesRequest) { r.ResourceType = "" }), "MissingParameter.ResourceType", 404)
	wantCode(t, list(func(r *ecs.ListTagResourcesRequest) { r.ResourceType = "disk" }), "InvalidResourceType.NotFound", 404)
	wantCode(t, list(func(r *ecs.ListTagResourcesRequest) { r.ResourceId = &many }), "NumberExceed.ResourceIds", 400)
	wantCode(t, list(func(r *ecs.ListTagResourcesRequest) {
		r.Tag = &[]ecs.ListTagResourcesTag{{Value: "v"}}
	}), "InvalidParameter.TagValue", 400)
	wantCode(t, list(func(r *ecs.ListTagResourcesRequest) {
		r.Tag = &[]ecs.ListTagResourcesTag{{Key: "k"}}
		r.TagFilter = &[]ecs.ListTagResourcesTagFilter{{TagKey: "k"}}
	}), "InvalidParameter.Conflict", 400)
	wantCode(t, list(func(r *ecs.ListTagResourcesRequest) { r.NextToken = "x" }), "InvalidParameter", 400)
}

func TestTagListPaging(t *testing.T) {
	env := startEnv(t, nil)
	var ids []string
	for i := 0; i < 3; i++ {
		ids = append(ids, niCreate(t, env).NetworkInterfaceId)
	}
	var tags []ecs.TagResourcesTag
	for i := 0; i < 20; i++ {
		tags = append(tags, ecs.TagResourcesTag{Key: fmt.Sprintf("key-%02d", i), Value: fmt.Sprint(i)})
	}
	mustOK(t, niTag(env, ids, tags...))

	var all []ecs.TagResource
	token, calls := "", 0
	for {
		resp := niListTags(t, env, func(r *ecs.ListTagResourcesRequest) {
			r.ResourceId = &ids
			r.NextToken = token
		})
		calls++
		if calls == 1 && len(resp.TagResources.TagResource) != 50 {
			t.Fatalf("first page has %d entries, want 50", len(resp.TagResources.TagResource))
		}
		all = append(all, resp.TagResources.TagResource...)
		if token = resp.NextToken; token == "" {
			break
		}
		if calls > 3 {
			t.Fatal("NextToken never ends")
		}
	}
	if calls != 2 || len(all) != 60 {
		t.Fatalf("%d calls, %d entries; want 2 and 60", calls, len(all))
	}
	// Creation order, then tag order.
	if all[0].ResourceId != ids[0] || all[0].TagKey != "key-00" || all[59].ResourceId != ids[2] || all[59].TagKey != "key-19" {
		t.Fatalf("order: first %+v last %+v", all[0], all[59])
	}
	// Without ResourceId every tagged ENI is listed.
	resp := niListTags(t, env, func(r *ecs.ListTagResourcesRequest) {})
	if len(resp.TagResources.TagResource) != 50 || resp.NextToken == "" {
		t.Fatalf("unfiltered list: %d entries, token %q", len(resp.TagResources.TagResource), resp.NextToken)
	}
}
