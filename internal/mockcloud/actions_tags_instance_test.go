package mockcloud

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
)

func instTag(env *testEnv, ids []string, tags ...ecs.TagResourcesTag) error {
	return tagAs(env, "instance", ids, tags...)
}

func instUntag(env *testEnv, ids []string, all bool, keys ...string) error {
	return untagAs(env, "instance", ids, all, keys...)
}

func instListTags(t *testing.T, env *testEnv, mut func(*ecs.ListTagResourcesRequest)) []ecs.TagResource {
	t.Helper()
	req := ecs.CreateListTagResourcesRequest()
	req.ResourceType = "instance"
	mut(req)
	resp, err := env.ecs.ListTagResources(req)
	mustOK(t, err)
	for _, r := range resp.TagResources.TagResource {
		if r.ResourceType != "instance" {
			t.Fatalf("ResourceType %q in %+v", r.ResourceType, r)
		}
	}
	return resp.TagResources.TagResource
}

// instDescribedTags renders the Tags of an instance as DescribeInstances
// reports them, decoded by the SDK.
func instDescribedTags(t *testing.T, env *testEnv, id string) string {
	t.Helper()
	var out []string
	for _, tag := range getInstance(t, env, id).Tags.Tag {
		out = append(out, tag.TagKey+"="+tag.TagValue)
	}
	return strings.Join(out, " ")
}

// describeByTags lists the instance IDs DescribeInstances returns for a
// Tag.N filter.
func describeByTags(t *testing.T, env *testEnv, tags ...ecs.DescribeInstancesTag) []string {
	t.Helper()
	resp, err := env.ecs.DescribeInstances(describeInstancesReq(func(r *ecs.DescribeInstancesRequest) {
		r.Tag = &tags
		r.PageSize = requests.NewInteger(100)
	}))
	mustOK(t, err)
	if resp.TotalCount != len(resp.Instances.Instance) {
		t.Fatalf("TotalCount %d for %d instances", resp.TotalCount, len(resp.Instances.Instance))
	}
	return instanceIDs(resp.Instances.Instance)
}

func TestInstanceTagRoundTrip(t *testing.T) {
	env := startEnv(t, nil)
	web := []string{"i-mockweb1", "i-mockweb2"}
	mustOK(t, instTag(env, web, ecs.TagResourcesTag{Key: "env", Value: "prod"}, ecs.TagResourcesTag{Key: "owner"}))

	if got := instDescribedTags(t, env, "i-mockweb1"); got != "env=prod owner=" {
		t.Fatalf("DescribeInstances tags of web1: %q", got)
	}
	resp, err := env.ecs.DescribeInstances(describeInstancesReq(func(r *ecs.DescribeInstancesRequest) { r.InstanceIds = `["i-mockweb1"]` }))
	mustOK(t, err)
	if raw := resp.GetHttpContentString(); !strings.Contains(raw, `"Tags":{"Tag":[{"TagKey":"env","TagValue":"prod"},{"TagKey":"owner","TagValue":""}]}`) {
		t.Fatalf("wire shape of the tags: %s", raw)
	}
	if got := instDescribedTags(t, env, "i-mockdb1"); got != "" {
		t.Fatalf("an untagged instance has tags %q", got)
	}

	list := instListTags(t, env, func(r *ecs.ListTagResourcesRequest) { r.ResourceId = &[]string{"i-mockweb2", "i-nope"} })
	if got := niTagString(list); got != "i-mockweb2:env=prod i-mockweb2:owner=" {
		t.Fatalf("list by id: %q", got)
	}
	if got := niTagString(instListTags(t, env, func(*ecs.ListTagResourcesRequest) {})); got !=
		"i-mockweb1:env=prod i-mockweb1:owner= i-mockweb2:env=prod i-mockweb2:owner=" {
		t.Fatalf("list every tagged instance: %q", got)
	}
	// Tags of one resource type do not show under the other.
	eni := niCreate(t, env, func(r *ecs.CreateNetworkInterfaceRequest) {
		r.Tag = &[]ecs.CreateNetworkInterfaceTag{{Key: "env", Value: "prod"}}
	}).NetworkInterfaceId
	if got := niTagString(niListTags(t, env, func(*ecs.ListTagResourcesRequest) {}).TagResources.TagResource); got != eni+":env=prod" {
		t.Fatalf("ENI tag list: %q", got)
	}
	if got := instListTags(t, env, func(r *ecs.ListTagResourcesRequest) { r.ResourceId = &[]string{eni} }); len(got) != 0 {
		t.Fatalf("an ENI listed as an instance: %+v", got)
	}

	// Re-tagging replaces the value; filters as for ENIs.
	mustOK(t, instTag(env, []string{"i-mockweb2"}, ecs.TagResourcesTag{Key: "env", Value: "dev"}))
	if got := niTagString(instListTags(t, env, func(r *ecs.ListTagResourcesRequest) {
		r.Tag = &[]ecs.ListTagResourcesTag{{Key: "env", Value: "dev"}}
	})); got != "i-mockweb2:env=dev i-mockweb2:owner=" {
		t.Fatalf("list by tag: %q", got)
	}
	if got := instListTags(t, env, func(r *ecs.ListTagResourcesRequest) {
		r.TagFilter = &[]ecs.ListTagResourcesTagFilter{{TagKey: "env", TagValues: &[]string{"prod", "dev"}}}
	}); len(got) != 4 {
		t.Fatalf("list by TagFilter: %+v", got)
	}

	mustOK(t, instUntag(env, web, false, "owner", "absent"))
	if got := instDescribedTags(t, env, "i-mockweb2"); got != "env=dev" {
		t.Fatalf("after untag: %q", got)
	}
	mustOK(t, instUntag(env, web, true))
	if got := instDescribedTags(t, env, "i-mockweb1") + instDescribedTags(t, env, "i-mockweb2"); got != "" {
		t.Fatalf("after untag All: %q", got)
	}
	if got := instListTags(t, env, func(*ecs.ListTagResourcesRequest) {}); len(got) != 0 {
		t.Fatalf("tags left: %+v", got)
	}
	if got := niDescribedTags(t, env, eni); got != "env=prod" {
		t.Fatalf("untagging instances changed an ENI: %q", got)
	}
}

// The provider's use: mark an instance before stopping it, unmark it after
// starting it again; the mark is visible to a later run in between.
func TestInstanceTagMarksAStop(t *testing.T) {
	env := startEnv(t, nil, withDelay(time.Hour))
	mark := ecs.TagResourcesTag{Key: "eni:stopped-for-attach", Value: "run-1"}
	mustOK(t, instTag(env, []string{"i-mockburst"}, mark))
	_, err := env.ecs.StopInstance(stopReq("i-mockburst"))
	mustOK(t, err)
	if got := describeByTags(t, env, ecs.DescribeInstancesTag{Key: mark.Key}); !slices.Equal(got, []string{"i-mockburst"}) {
		t.Fatalf("marked instances while Stopping: %v", got)
	}
	mustOK(t, env.srv.Settle())
	_, err = env.ecs.StartInstance(startReq("i-mockburst"))
	mustOK(t, err)
	mustOK(t, env.srv.Settle())
	in := getInstance(t, env, "i-mockburst")
	if in.Status != "Running" || len(in.Tags.Tag) != 1 || in.Tags.Tag[0].TagValue != "run-1" {
		t.Fatalf("after start: %s %+v", in.Status, in.Tags.Tag)
	}
	mustOK(t, instUntag(env, []string{"i-mockburst"}, false, mark.Key))
	if got := describeByTags(t, env, ecs.DescribeInstancesTag{Key: mark.Key}); len(got) != 0 {
		t.Fatalf("marked instances after unmarking: %v", got)
	}
}

func TestInstanceTagErrors(t *testing.T) {
	env := startEnv(t, nil)
	tag := ecs.TagResourcesTag{Key: "k", Value: "v"}
	wantCode(t, instTag(env, []string{"i-mockweb1", "i-nope"}, tag), "InvalidResourceId.NotFound", 404)
	if got := instDescribedTags(t, env, "i-mockweb1"); got != "" {
		t.Fatalf("a refused tag call tagged web1: %q", got)
	}
	eni := niCreate(t, env).NetworkInterfaceId
	wantCode(t, instTag(env, []string{eni}, tag), "InvalidResourceId.NotFound", 404)
	wantCode(t, niTag(env, []string{"i-mockweb1"}, tag), "InvalidResourceId.NotFound", 404)
	wantCode(t, instTag(env, nil, tag), "MissingParameter", 400)
	wantCode(t, instTag(env, []string{"i-mockweb1"}), "MissingParameter.Tags", 404)

	var tags21 []ecs.TagResourcesTag
	for i := 0; i < 21; i++ {
		tags21 = append(tags21, ecs.TagResourcesTag{Key: fmt.Sprintf("k%d", i), Value: "v"})
	}
	wantCode(t, instTag(env, []string{"i-mockweb1"}, tags21...), "NumberExceed.Tags", 400)
	wantCode(t, instTag(env, []string{"i-mockweb1"}, ecs.TagResourcesTag{Key: "aliyun-x"}), "InvalidTagKey.Malformed", 400)
	wantCode(t, instTag(env, []string{"i-mockweb1"}, ecs.TagResourcesTag{Key: strings.Repeat("k", 129)}), "InvalidTagKey.Malformed", 400)
	wantCode(t, instTag(env, []string{"i-mockweb1"}, ecs.TagResourcesTag{Key: "k", Value: "https://x"}), "InvalidTagValue.Malformed", 400)
	wantCode(t, instTag(env, []string{"i-mockweb1"}, tag, tag), "Duplicate.TagKey", 400)

	// 20 tags per instance at most, all or nothing across resources.
	mustOK(t, instTag(env, []string{"i-mockweb1"}, tags21[:20]...))
	err := instTag(env, []string{"i-mockweb2", "i-mockweb1"}, ecs.TagResourcesTag{Key: "one-more"})
	wantCode(t, err, "QuotaExceed.Tags", 403)
	niWantMsg(t, err, "i-mockweb1")
	if got := instDescribedTags(t, env, "i-mockweb2"); got != "" {
		t.Fatalf("a refused tag call tagged web2: %q", got)
	}
	if n := len(getInstance(t, env, "i-mockweb1").Tags.Tag); n != 20 {
		t.Fatalf("web1 has %d tags, want 20", n)
	}

	wantCode(t, instUntag(env, []string{"i-nope"}, true), "InvalidResourceId.NotFound", 404)
	wantCode(t, instUntag(env, []string{"i-mockweb1"}, false), "MissingParameter", 400)
}

func TestInstanceDescribeTagFilter(t *testing.T) {
	env := startEnv(t, nil)
	mustOK(t, instTag(env, []string{"i-mockweb1", "i-mockweb2"}, ecs.TagResourcesTag{Key: "role", Value: "web"}))
	mustOK(t, instTag(env, []string{"i-mockweb1", "i-mockdb1"}, ecs.TagResourcesTag{Key: "env", Value: "prod"}))
	mustOK(t, instTag(env, []string{"i-mockweb2"}, ecs.TagResourcesTag{Key: "env", Value: "dev"}))

	cases := []struct {
		name string
		tags []ecs.DescribeInstancesTag
		want []string
	}{
		{"key and value", []ecs.DescribeInstancesTag{{Key: "env", Value: "prod"}}, []string{"i-mockweb1", "i-mockdb1"}},
		{"key only matches any value", []ecs.DescribeInstancesTag{{Key: "env"}}, []string{"i-mockweb1", "i-mockweb2", "i-mockdb1"}},
		{"every tag must match", []ecs.DescribeInstancesTag{{Key: "role", Value: "web"}, {Key: "env", Value: "prod"}}, []string{"i-mockweb1"}},
		{"no such value", []ecs.DescribeInstancesTag{{Key: "env", Value: "test"}}, []string{}},
		{"no such key", []ecs.DescribeInstancesTag{{Key: "absent"}}, []string{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := describeByTags(t, env, tc.tags...); !slices.Equal(got, tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
		})
	}
	// Tag.N combines with the other filters.
	resp, err := env.ecs.DescribeInstances(describeInstancesReq(func(r *ecs.DescribeInstancesRequest) {
		r.Tag = &[]ecs.DescribeInstancesTag{{Key: "env"}}
		r.ZoneId = "cn-hangzhou-i"
	}))
	mustOK(t, err)
	if got := instanceIDs(resp.Instances.Instance); !slices.Equal(got, []string{"i-mockdb1"}) {
		t.Fatalf("tag and zone: %v", got)
	}

	_, err = env.ecs.DescribeInstances(describeInstancesReq(func(r *ecs.DescribeInstancesRequest) {
		r.Tag = &[]ecs.DescribeInstancesTag{{Value: "prod"}}
	}))
	wantCode(t, err, "InvalidTag.Mismatch", 400)
	var many []ecs.DescribeInstancesTag
	for i := 0; i < 21; i++ {
		many = append(many, ecs.DescribeInstancesTag{Key: fmt.Sprintf("k%d", i)})
	}
	_, err = env.ecs.DescribeInstances(describeInstancesReq(func(r *ecs.DescribeInstancesRequest) { r.Tag = &many }))
	wantCode(t, err, "InvalidTagCount", 400)
}

// Instance tags are part of the state file.
func TestInstanceTagsPersistAcrossRestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	env := startEnv(t, nil, func(o *Options) { o.StatePath = path })
	mustOK(t, instTag(env, []string{"i-mockweb1"}, ecs.TagResourcesTag{Key: "eni:stopped-for-attach", Value: "run-7"}))
	env.srv.Close()

	again := startEnv(t, nil, func(o *Options) { o.StatePath = path })
	if got := instDescribedTags(t, again, "i-mockweb1"); got != "eni:stopped-for-attach=run-7" {
		t.Fatalf("tags after restart: %q", got)
	}
	if got := niTagString(instListTags(t, again, func(*ecs.ListTagResourcesRequest) {})); got != "i-mockweb1:eni:stopped-for-attach=run-7" {
		t.Fatalf("listed after restart: %q", got)
	}
}

func TestInstanceSeedTags(t *testing.T) {
	seed := DefaultSeed()
	seed.Instances[0].Tags = map[string]string{"team": "web", "env": "prod", "empty": ""}
	env := startEnv(t, seed)
	if got := instDescribedTags(t, env, "i-mockweb1"); got != "empty= env=prod team=web" {
		t.Fatalf("seeded tags, sorted by key: %q", got)
	}
	if got := describeByTags(t, env, ecs.DescribeInstancesTag{Key: "team", Value: "web"}); !slices.Equal(got, []string{"i-mockweb1"}) {
		t.Fatalf("filter on a seeded tag: %v", got)
	}
	if got := instDescribedTags(t, env, "i-mockweb2"); got != "" {
		t.Fatalf("an instance without seed tags: %q", got)
	}

	s, err := ParseSeed([]byte(`{"region_id": "cn-hangzhou",
	  "credentials": [{"access_key_id": "k", "access_key_secret": "s"}],
	  "vpcs": [{"vpc_id": "vpc-a", "cidr_block": "10.0.0.0/8"}],
	  "vswitches": [{"vswitch_id": "vsw-a", "vpc_id": "vpc-a", "zone_id": "cn-hangzhou-h", "cidr_block": "10.1.0.0/24"}],
	  "security_groups": [{"security_group_id": "sg-a", "vpc_id": "vpc-a"}],
	  "instance_types": [{"instance_type_id": "ecs.g7.large", "eni_quantity": 3, "eni_private_ip_address_quantity": 10, "eni_ipv6_address_quantity": 10}],
	  "instances": [{"instance_id": "i-a", "instance_type": "ecs.g7.large", "vswitch_id": "vsw-a", "security_group_ids": ["sg-a"],
	                 "status": "Running", "tags": {"env": "prod"}}]}`))
	mustOK(t, err)
	if s.Instances[0].Tags["env"] != "prod" {
		t.Fatalf("parsed seed tags: %+v", s.Instances[0].Tags)
	}

	tooMany := map[string]string{}
	for i := 0; i < 21; i++ {
		tooMany[fmt.Sprintf("k%d", i)] = "v"
	}
	for name, tags := range map[string]map[string]string{
		"reserved prefix": {"acs:owner": "x"},
		"empty key":       {"": "x"},
		"url value":       {"k": "http://x"},
		"21 tags":         tooMany,
	} {
		t.Run(name, func(t *testing.T) {
			s := DefaultSeed()
			s.Instances[1].Tags = tags
			_, err := New(Options{Seed: s})
			if err == nil {
				t.Fatal("seed accepted")
			}
			if !strings.Contains(err.Error(), `instance "i-mockweb2"`) {
				t.Fatalf("the error does not name the instance: %v", err)
			}
		})
	}
}
