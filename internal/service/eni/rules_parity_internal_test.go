package eni

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
	sdkerrors "github.com/aliyun/alibaba-cloud-sdk-go/sdk/errors"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/openeni/terraform-provider-eni/internal/mockcloud"
	"github.com/openeni/terraform-provider-eni/internal/validate"
)

// The provider's plan and the emulator must accept and refuse the same
// values. Each input below goes through the eni_network_interface schema's
// validators, called as the framework calls them, and through a real SDK
// CreateNetworkInterface (or TagResources) against an in-process emulator;
// the test fails when one side accepts what the other refuses, or when the
// emulator refuses for another reason than the rule under test.
//
// The empty string is left out of the name and description inputs: the
// SDK does not send empty parameters, so the API never sees one, while the
// schema refuses it (an empty name is not a name).

// parityEmulator is an emulator with an SDK ECS client pointed at it.
type parityEmulator struct {
	ecs *ecs.Client
}

func startParityEmulator(t *testing.T) *parityEmulator {
	t.Helper()
	seed := mockcloud.DefaultSeed()
	srv, err := mockcloud.Start(mockcloud.Options{Seed: seed})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	u, err := url.Parse(srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	cfg := sdk.NewConfig().WithScheme("HTTP").WithAutoRetry(false).WithTimeout(10 * time.Second)
	cred := credentials.NewAccessKeyCredential(seed.Credentials[0].AccessKeyID, seed.Credentials[0].AccessKeySecret)
	c, err := ecs.NewClientWithOptions(seed.RegionID, cfg, cred)
	if err != nil {
		t.Fatal(err)
	}
	c.Domain = u.Host
	return &parityEmulator{ecs: c}
}

// create calls CreateNetworkInterface in vsw-mockh with the changes of
// mut and deletes what it made; it returns the API's error code, "" when
// the ENI was created.
func (e *parityEmulator) create(t *testing.T, mut func(*ecs.CreateNetworkInterfaceRequest)) string {
	t.Helper()
	req := ecs.CreateCreateNetworkInterfaceRequest()
	req.VSwitchId, req.SecurityGroupId = "vsw-mockh", "sg-mockweb"
	mut(req)
	resp, err := e.ecs.CreateNetworkInterface(req)
	if err != nil {
		return errorCode(t, err)
	}
	del := ecs.CreateDeleteNetworkInterfaceRequest()
	del.NetworkInterfaceId = resp.NetworkInterfaceId
	if _, err := e.ecs.DeleteNetworkInterface(del); err != nil {
		t.Fatalf("deleting %s: %v", resp.NetworkInterfaceId, err)
	}
	return ""
}

func errorCode(t *testing.T, err error) string {
	t.Helper()
	var se *sdkerrors.ServerError
	if !errors.As(err, &se) {
		t.Fatalf("not an API error: %v", err)
	}
	return se.ErrorCode()
}

// parityResourceSchema is the eni_network_interface schema.
func parityResourceSchema(t *testing.T) schema.Schema {
	t.Helper()
	var resp resource.SchemaResponse
	(&networkInterfaceResource{}).Schema(context.Background(), resource.SchemaRequest{}, &resp)
	if resp.Diagnostics.HasError() {
		t.Fatal(resp.Diagnostics)
	}
	return resp.Schema
}

// planRefusesString runs the validators of a string attribute on v and
// returns their errors, "" when they accept it.
func planRefusesString(t *testing.T, s schema.Schema, name, v string) string {
	t.Helper()
	a, ok := s.Attributes[name].(schema.StringAttribute)
	if !ok || len(a.Validators) == 0 {
		t.Fatalf("attribute %s is not a string attribute with validators", name)
	}
	req := validator.StringRequest{Path: path.Root(name), PathExpression: path.MatchRoot(name), ConfigValue: types.StringValue(v)}
	var resp validator.StringResponse
	for _, val := range a.Validators {
		val.ValidateString(context.Background(), req, &resp)
	}
	return fmt.Sprint(resp.Diagnostics.Errors())
}

// planRefusesTags runs the validators of the tags attribute on tags.
func planRefusesTags(t *testing.T, s schema.Schema, tags map[string]string) string {
	t.Helper()
	a, ok := s.Attributes["tags"].(schema.MapAttribute)
	if !ok || len(a.Validators) == 0 {
		t.Fatal("attribute tags is not a map attribute with validators")
	}
	elems := make(map[string]attr.Value, len(tags))
	for k, v := range tags {
		elems[k] = types.StringValue(v)
	}
	req := validator.MapRequest{Path: path.Root("tags"), PathExpression: path.MatchRoot("tags"),
		ConfigValue: types.MapValueMust(types.StringType, elems)}
	var resp validator.MapResponse
	for _, val := range a.Validators {
		val.ValidateMap(context.Background(), req, &resp)
	}
	return fmt.Sprint(resp.Diagnostics.Errors())
}

// show quotes an input for a message, shortening a long one.
func show(v string) string {
	if r := []rune(v); len(r) > 16 {
		return fmt.Sprintf("%q… (%d characters)", string(r[:8]), len(r))
	}
	return fmt.Sprintf("%q", v)
}

// compare fails when the plan's verdict (refused: its errors, "[]" when
// none) and the emulator's (code, "" when accepted) differ, or when the
// emulator refuses with another code than want ("": it must accept).
func compare(t *testing.T, input, refused, code, want string) {
	t.Helper()
	planOK, apiOK := refused == "[]", code == ""
	switch {
	case planOK && !apiOK:
		t.Errorf("%s: plan accepts, the emulator refuses with %s", input, code)
	case !planOK && apiOK:
		t.Errorf("%s: the emulator accepts, plan refuses: %s", input, refused)
	case !apiOK && code != want:
		t.Errorf("%s: the emulator refuses with %s, want %q", input, code, want)
	}
}

func TestRulesParity_nameAndDescription(t *testing.T) {
	s := parityResourceSchema(t)
	emu := startParityEmulator(t)
	names := []string{
		"ab", "a", "web-eni_1.a:b", strings.Repeat("a", 128), strings.Repeat("a", 129),
		strings.Repeat("网", 128), strings.Repeat("网", 129), "网卡-1", "сеть", "1eni", "-x", "_x",
		"web eni", "web/eni", "a\tb", "a١", "https://x", "HTTP://x", "http:x",
	}
	for _, v := range names {
		code := emu.create(t, func(r *ecs.CreateNetworkInterfaceRequest) { r.NetworkInterfaceName = v })
		compare(t, "name "+show(v), planRefusesString(t, s, "name", v), code, "InvalidNetworkInterfaceName.Malformed")
	}
	descriptions := []string{
		"ab", "d", strings.Repeat("描", 100), strings.Repeat("描", 256), strings.Repeat("描", 257),
		strings.Repeat("d", 256), strings.Repeat("d", 257), "1 interface, zone h / web.",
		"http://example.com", "Https://x", "see https://example.com",
	}
	for _, v := range descriptions {
		code := emu.create(t, func(r *ecs.CreateNetworkInterfaceRequest) { r.Description = v })
		compare(t, "description "+show(v), planRefusesString(t, s, "description", v), code, "InvalidDescription.Malformed")
	}
}

func TestRulesParity_tags(t *testing.T) {
	s := parityResourceSchema(t)
	emu := startParityEmulator(t)
	cases := []struct {
		key, value, want string
	}{
		{"k", "v", ""},
		{"k", "", ""},
		{strings.Repeat("键", 128), strings.Repeat("值", 128), ""},
		{strings.Repeat("键", 129), "v", "InvalidTagKey.Malformed"},
		{strings.Repeat("k", 129), "v", "InvalidTagKey.Malformed"},
		{"k", strings.Repeat("值", 129), "InvalidTagValue.Malformed"},
		{"aliyun:x", "1", "InvalidTagKey.Malformed"},
		{"ALIYUN", "1", "InvalidTagKey.Malformed"},
		{"acs:x", "1", "InvalidTagKey.Malformed"},
		{"Acs:y", "1", "InvalidTagKey.Malformed"},
		{"acsx", "1", ""},
		{"my-aliyun", "1", ""},
		{"a-https://x", "1", "InvalidTagKey.Malformed"},
		{"k", "see HTTP://x", "InvalidTagValue.Malformed"},
		{"k", "acs:x", ""},
		{"team: web", "a b", ""},
	}
	for _, tc := range cases {
		code := emu.create(t, func(r *ecs.CreateNetworkInterfaceRequest) {
			r.Tag = &[]ecs.CreateNetworkInterfaceTag{{Key: tc.key, Value: tc.value}}
		})
		compare(t, "tag "+show(tc.key)+" = "+show(tc.value), planRefusesTags(t, s, map[string]string{tc.key: tc.value}), code, tc.want)
	}

	// The count: 20 tags are created; a 21st is refused by TagResources.
	twenty := make(map[string]string, 20)
	list := make([]ecs.CreateNetworkInterfaceTag, 0, 20)
	for i := range 20 {
		k := fmt.Sprintf("k%02d", i)
		twenty[k] = "v"
		list = append(list, ecs.CreateNetworkInterfaceTag{Key: k, Value: "v"})
	}
	req := ecs.CreateCreateNetworkInterfaceRequest()
	req.VSwitchId, req.SecurityGroupId, req.Tag = "vsw-mockh", "sg-mockweb", &list
	resp, err := emu.ecs.CreateNetworkInterface(req)
	code := ""
	if err != nil {
		code = errorCode(t, err)
	}
	compare(t, "20 tags", planRefusesTags(t, s, twenty), code, "")
	if err != nil {
		return
	}
	tag := ecs.CreateTagResourcesRequest()
	tag.ResourceType, tag.ResourceId = "eni", &[]string{resp.NetworkInterfaceId}
	tag.Tag = &[]ecs.TagResourcesTag{{Key: "k20", Value: "v"}}
	code = ""
	if _, err := emu.ecs.TagResources(tag); err != nil {
		code = errorCode(t, err)
	}
	twenty["k20"] = "v"
	compare(t, "21 tags", planRefusesTags(t, s, twenty), code, "QuotaExceed.Tags")
}

// The usable addresses of a vSwitch: plan judges them with
// validate.AddressInVSwitch, the emulator when it hands one out.
func TestRulesParity_addresses(t *testing.T) {
	emu := startParityEmulator(t)
	for _, ip := range []string{"10.1.0.0", "10.1.0.100", "10.1.0.252", "10.1.0.253", "10.1.0.254", "10.1.0.255", "10.2.0.5", "10.1.1.1"} {
		code := emu.create(t, func(r *ecs.CreateNetworkInterfaceRequest) { r.PrimaryIpAddress = ip })
		refused := "[]"
		if err := validate.AddressInVSwitch(ip, "vsw-mockh", "10.1.0.0/24"); err != nil {
			refused = err.Error()
		}
		compare(t, "primary address "+ip, refused, code, "InvalidVSwitchId.IpInvalid")
	}
}

// IPv4 prefixes and IPv6 addresses: the schema's form validators plus the
// plan's vSwitch checks refuse what the emulator refuses. IPv6 addresses
// in another spelling than the canonical one are left out: the emulator
// takes them (the API does too, and reports the canonical form), while
// plan asks for the canonical form so that state and configuration agree.
func TestRulesParity_prefixesAndIPv6(t *testing.T) {
	s := parityResourceSchema(t)
	emu := startParityEmulator(t)
	planRefusesElement := func(name, v string, inVSwitch func() error) string {
		a, ok := s.Attributes[name].(schema.SetAttribute)
		if !ok {
			t.Fatalf("attribute %s is not a set attribute", name)
		}
		var resp validator.SetResponse
		req := validator.SetRequest{Path: path.Root(name), PathExpression: path.MatchRoot(name),
			ConfigValue: types.SetValueMust(types.StringType, []attr.Value{types.StringValue(v)})}
		for _, val := range a.Validators {
			val.ValidateSet(context.Background(), req, &resp)
		}
		if !resp.Diagnostics.HasError() {
			if err := inVSwitch(); err != nil {
				return err.Error()
			}
		}
		return fmt.Sprint(resp.Diagnostics.Errors())
	}
	for p, code := range map[string]string{
		"10.1.0.16/28": "", "10.1.0.224/28": "", "10.1.0.0/28": "InvalidVSwitchId.IpInvalid",
		"10.1.0.240/28": "InvalidVSwitchId.IpInvalid", "10.1.1.16/28": "InvalidVSwitchId.IpInvalid",
		"10.1.0.20/28": "InvalidParameter", "10.1.0.0/27": "InvalidParameter", "10.1.0.16": "InvalidParameter",
	} {
		got := emu.create(t, func(r *ecs.CreateNetworkInterfaceRequest) { r.Ipv4Prefix = &[]string{p} })
		refused := planRefusesElement("ipv4_prefixes", p, func() error { return validate.IPv4PrefixInVSwitch(p, "vsw-mockh", "10.1.0.0/24") })
		compare(t, "prefix "+p, refused, got, code)
	}
	for a, code := range map[string]string{
		"2001:db8:10:4::10": "", "2001:db8:10:4:ffff:ffff:ffff:ffff": "", "2001:db8:10:4::": "InvalidIp.Address",
		"2001:db8:10:5::10": "InvalidIp.Address", "10.4.0.5": "InvalidIp.Address", "::ffff:10.4.0.5": "InvalidIp.Address",
	} {
		got := emu.create(t, func(r *ecs.CreateNetworkInterfaceRequest) {
			r.VSwitchId, r.Ipv6Address = "vsw-mockv6", &[]string{a}
		})
		refused := planRefusesElement("ipv6_addresses", a, func() error {
			v6, err := validate.VSwitchIPv6("vsw-mockv6", "2001:db8:10:4::/64", "ipv6_addresses")
			if err != nil {
				return err
			}
			return validate.IPv6InVSwitch(a, "vsw-mockv6", v6)
		})
		compare(t, "IPv6 address "+a, refused, got, code)
	}
}
