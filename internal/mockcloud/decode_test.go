package mockcloud

import (
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/openeni/terraform-provider-eni/internal/domain"
)

// decodeCase decodes params into a fresh value of the type of want (the
// table's type when want is nil) and expects either want or the error err.
type decodeCase struct {
	name   string
	params params
	want   any
	err    string // "Code: Message"; empty for success
	status int    // of err; 400 when zero
}

func runDecodeCases(t *testing.T, of any, cases []decodeCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := &call{p: tc.params, st: &state{Region: "cn-test", VPCs: map[string]*vpcObj{}, ENIs: map[string]*eniObj{}}}
			typ := reflect.TypeOf(of)
			if tc.want != nil {
				typ = reflect.TypeOf(tc.want)
			}
			got := reflect.New(typ)
			err := c.decode(got.Interface())
			if tc.err != "" {
				ae, ok := err.(*apiError)
				if !ok {
					t.Fatalf("got %v (%T), want the error %s", err, err, tc.err)
				}
				status := tc.status
				if status == 0 {
					status = http.StatusBadRequest
				}
				if ae.Error() != tc.err || ae.Status != status {
					t.Fatalf("got %d %s\nwant %d %s", ae.Status, ae.Error(), status, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("unexpected error %v", err)
			}
			if !reflect.DeepEqual(got.Elem().Interface(), tc.want) {
				t.Fatalf("got %#v\nwant %#v", got.Elem().Interface(), tc.want)
			}
		})
	}
}

func missingMsg(name string) string {
	return "MissingParameter: The input parameter \"" + name + "\" that is mandatory for processing this request is not supplied."
}

func invalidMsg(name, why string) string {
	return "InvalidParameter: The specified parameter \"" + name + "\" is not valid: " + why
}

func conflictMsg(a, b string) string {
	return "InvalidParameter.Conflict: The parameters \"" + a + "\" and \"" + b + "\" cannot be specified together."
}

type scalarArgs struct {
	ID    string `param:"Id,required"`
	Mode  string `param:"Mode,default=Standard,oneof=Standard Fast"`
	Count int    `param:"Count,default=3,min=1,max=10"`
	Size  *int   `param:"Size,max=5"`
	On    bool   `param:"On,default=true"`
	Force *bool  `param:"Force"`
	_     bool   `param:"DryRun"`
}

func TestDecodeScalars(t *testing.T) {
	five, yes, no := 5, true, false
	runDecodeCases(t, scalarArgs{}, []decodeCase{
		{name: "defaults", params: params{"Id": "x"},
			want: scalarArgs{ID: "x", Mode: "Standard", Count: 3, On: true}},
		{name: "all given", params: params{"Id": "x", "Mode": "Fast", "Count": "10", "Size": "5", "On": "FALSE", "Force": "True", "DryRun": "false"},
			want: scalarArgs{ID: "x", Mode: "Fast", Count: 10, Size: &five, On: false, Force: &yes}},
		{name: "pointer to false", params: params{"Id": "x", "Force": "false"},
			want: scalarArgs{ID: "x", Mode: "Standard", Count: 3, On: true, Force: &no}},
		{name: "an empty value is absent", params: params{"Id": "x", "Count": "", "Force": ""},
			want: scalarArgs{ID: "x", Mode: "Standard", Count: 3, On: true}},
		{name: "required", params: params{"Mode": "Fast"}, err: missingMsg("Id")},
		{name: "required, empty", params: params{"Id": ""}, err: missingMsg("Id")},
		{name: "oneof", params: params{"Id": "x", "Mode": "Slow"}, err: invalidMsg("Mode", "it must be Standard or Fast")},
		{name: "not an integer", params: params{"Id": "x", "Count": "1.5"}, err: invalidMsg("Count", "it must be an integer")},
		{name: "below min", params: params{"Id": "x", "Count": "0"}, err: invalidMsg("Count", "it must be between 1 and 10")},
		{name: "above max", params: params{"Id": "x", "Size": "6"}, err: invalidMsg("Size", "it must be between 0 and 5")},
		{name: "not a boolean", params: params{"Id": "x", "On": "yes"}, err: invalidMsg("On", "it must be true or false")},
		{name: "a blank field is checked", params: params{"Id": "x", "DryRun": "1"}, err: invalidMsg("DryRun", "it must be true or false")},
		{name: "fields are read in order", params: params{"Mode": "Slow", "Count": "x"}, err: missingMsg("Id")},
		{name: "the first invalid field is reported", params: params{"Id": "x", "Mode": "Slow", "Count": "x"},
			err: invalidMsg("Mode", "it must be Standard or Fast")},
	})
}

func TestOneOfText(t *testing.T) {
	for _, tc := range []struct {
		values []string
		want   string
	}{
		{[]string{"public"}, "public"},
		{[]string{"A", "B"}, "A or B"},
		{[]string{"A", "B", "C"}, "one of A, B, C"},
	} {
		if got := oneOfText(tc.values); got != tc.want {
			t.Errorf("oneOfText(%q) = %q, want %q", tc.values, got, tc.want)
		}
	}
}

type listArgs struct {
	IDs   []string `param:"Id.N,max=3"`
	Names []string `param:"Names,comma,max=2"`
	JSON  []string `param:"Json,json,max=2"`
}

type requiredListArgs struct {
	IDs []string `param:"Id.N,required,max=3"`
}

func TestDecodeLists(t *testing.T) {
	runDecodeCases(t, listArgs{}, []decodeCase{
		{name: "absent", params: params{}, want: listArgs{}},
		{name: "in index order", params: params{"Id.3": "c", "Id.1": "a", "Id.2": "b"},
			want: listArgs{IDs: []string{"a", "b", "c"}}},
		{name: "gaps and empty values", params: params{"Id.3": "c", "Id.2": ""}, want: listArgs{IDs: []string{"c"}}},
		{name: "deeper keys are not items", params: params{"Id.1.Key": "k", "Id.1": "a"}, want: listArgs{IDs: []string{"a"}}},
		{name: "two spellings of one index: both, in key order", params: params{"Id.1": "b", "Id.01": "a", "Id.2": "c"},
			want: listArgs{IDs: []string{"a", "b", "c"}}},
		{name: "unknown index", params: params{"Id.x": "a"}, err: invalidMsg("Id.x", "the index must be a positive integer")},
		{name: "index zero", params: params{"Id.0": "a"}, err: invalidMsg("Id.0", "the index must be a positive integer")},
		{name: "index above max", params: params{"Id.4": "a"}, err: invalidMsg("Id", "at most 3 values are allowed")},
		{name: "required list", params: params{}, want: requiredListArgs{}, err: missingMsg("Id.1")},
		{name: "comma list", params: params{"Names": " a, ,b "}, want: listArgs{Names: []string{"a", "b"}}},
		{name: "comma list too long", params: params{"Names": "a,b,c"}, err: invalidMsg("Names", "at most 2 values are allowed")},
		{name: "json list", params: params{"Json": `["a","b"]`}, want: listArgs{JSON: []string{"a", "b"}}},
		{name: "empty json list", params: params{"Json": `[]`}, want: listArgs{JSON: []string{}}},
		{name: "json list too long", params: params{"Json": `["a","b","c"]`}, err: invalidMsg("Json", "at most 2 values are allowed")},
		{name: "malformed json list", params: params{"Json": `[a]`},
			err: invalidMsg("Json", "it must be a JSON array of strings, such as [\"id-1\",\"id-2\"]")},
	})
}

type tagArgs struct {
	Tags []tagPair `param:"Tag.N"`
}

func TestDecodeTags(t *testing.T) {
	runDecodeCases(t, tagArgs{}, []decodeCase{
		{name: "absent", params: params{}, want: tagArgs{}},
		{name: "pairs in index order", params: params{"Tag.2.Key": "b", "Tag.1.Key": "a", "Tag.1.Value": "1"},
			want: tagArgs{Tags: []tagPair{{"a", "1"}, {"b", ""}}}},
		{name: "index above 20", params: params{"Tag.21.Key": "a"}, err: invalidMsg("Tag.21.Key", "the tag index must be between 1 and 20")},
		{name: "duplicate key", params: params{"Tag.1.Key": "a", "Tag.2.Key": "a"},
			err: `Duplicate.TagKey: The Tag.N.Key contains duplicate key "a".`},
	})
}

type aliasArgs struct {
	Queue *int     `param:"QueueNumber|Config.QueueNumber,min=1,max=8"`
	Mode  string   `param:"Mode|Config.Mode,oneof=Standard Fast"`
	SGs   []string `param:"SecurityGroupId|SecurityGroupIds.N,exclusive,max=2"`
}

type requiredAliasArgs struct {
	SGs []string `param:"SecurityGroupId|SecurityGroupIds.N,required,exclusive,max=2"`
}

func TestDecodeAliases(t *testing.T) {
	two := 2
	runDecodeCases(t, aliasArgs{}, []decodeCase{
		{name: "first name", params: params{"QueueNumber": "2"}, want: aliasArgs{Queue: &two}},
		{name: "second name", params: params{"Config.QueueNumber": "2"}, want: aliasArgs{Queue: &two}},
		{name: "both, the same value", params: params{"QueueNumber": "2", "Config.QueueNumber": "02"}, want: aliasArgs{Queue: &two}},
		{name: "both, different values", params: params{"QueueNumber": "2", "Config.QueueNumber": "3"},
			err: conflictMsg("QueueNumber", "Config.QueueNumber")},
		{name: "each name is converted first", params: params{"QueueNumber": "2", "Config.QueueNumber": "9"},
			err: invalidMsg("Config.QueueNumber", "it must be between 1 and 8")},
		{name: "strings differ before oneof", params: params{"Mode": "Slow", "Config.Mode": "Fast"},
			err: conflictMsg("Mode", "Config.Mode")},
		{name: "oneof names the name given", params: params{"Config.Mode": "Slow"},
			err: invalidMsg("Config.Mode", "it must be Standard or Fast")},
		{name: "a plain name into a list", params: params{"SecurityGroupId": "sg-1"}, want: aliasArgs{SGs: []string{"sg-1"}}},
		{name: "the list name", params: params{"SecurityGroupIds.2": "sg-2", "SecurityGroupIds.1": "sg-1"},
			want: aliasArgs{SGs: []string{"sg-1", "sg-2"}}},
		{name: "exclusive: both given even when equal", params: params{"SecurityGroupId": "sg-1", "SecurityGroupIds.1": "sg-1"},
			err: conflictMsg("SecurityGroupId", "SecurityGroupIds.N")},
		{name: "the list is read before the conflict", params: params{"SecurityGroupId": "sg-1", "SecurityGroupIds.3": "sg-1"},
			err: invalidMsg("SecurityGroupIds", "at most 2 values are allowed")},
		{name: "required names the first name", params: params{}, want: requiredAliasArgs{}, err: missingMsg("SecurityGroupId")},
	})
}

type conflictArgs struct {
	IPs   []string `param:"PrivateIpAddress.N,max=10"`
	Count int      `param:"Count,max=10,conflicts=PrivateIpAddress.N"`
}

func TestDecodeConflicts(t *testing.T) {
	runDecodeCases(t, conflictArgs{}, []decodeCase{
		{name: "one", params: params{"Count": "0"}, want: conflictArgs{}},
		{name: "the other", params: params{"PrivateIpAddress.1": "10.0.0.1"}, want: conflictArgs{IPs: []string{"10.0.0.1"}}},
		{name: "both", params: params{"PrivateIpAddress.1": "10.0.0.1", "Count": "0"},
			err: conflictMsg("PrivateIpAddress.N", "Count")},
		{name: "the field is converted first", params: params{"PrivateIpAddress.1": "10.0.0.1", "Count": "x"},
			err: invalidMsg("Count", "it must be an integer")},
	})
}

type hookArgs struct {
	ID     string `param:"NetworkInterfaceId,check=eniIDFormat"`
	Region string `param:"InstanceRegionId,check=sameRegion"`
}

func TestDecodeCheckHooks(t *testing.T) {
	runDecodeCases(t, hookArgs{}, []decodeCase{
		{name: "absent values are not checked", params: params{}, want: hookArgs{}},
		{name: "passes", params: params{"NetworkInterfaceId": "eni-1", "InstanceRegionId": "cn-test"},
			want: hookArgs{ID: "eni-1", Region: "cn-test"}},
		{name: "hook error", params: params{"NetworkInterfaceId": "i-1"},
			err: `InvalidParams.EniId: The specified NetworkInterfaceId "i-1" is not a valid ENI ID (eni-...).`},
		{name: "hook sees the state", params: params{"InstanceRegionId": "cn-other"},
			err: "InvalidParameter.Mismatch: The EIP is in region cn-test but InstanceRegionId is cn-other; an EIP can only be associated in its own region."},
	})
}

// testRef is a self-decoding field: it accepts only values starting with
// "ok".
type testRef string

func (r *testRef) decodeParam(c *call, name string) error {
	v := c.p.str(name)
	if v != "" && !strings.HasPrefix(v, "ok") {
		return notFound("Test.NotFound", "%s %q", name, v)
	}
	*r = testRef(v)
	return nil
}

type testGroup struct {
	A     string `param:"A"`
	B     string `param:"B"`
	joint string
}

func (g *testGroup) check(*call) error {
	if g.A != "" && g.B == "" {
		return badRequest("Test.Group", "A wants B")
	}
	g.joint = g.A + g.B
	return nil
}

type groupArgs struct {
	Ref   testRef `param:"Ref,required"`
	Group testGroup
	C     int `param:"C,max=1"`
	seen  string
}

func (a *groupArgs) check(*call) error {
	a.seen = a.Group.joint
	if a.C == 1 && a.seen == "" {
		return badRequest("Test.Top", "C wants A and B")
	}
	return nil
}

func TestDecodeGroupsAndDecoders(t *testing.T) {
	runDecodeCases(t, groupArgs{}, []decodeCase{
		{name: "all read", params: params{"Ref": "ok1", "A": "a", "B": "b", "C": "1"},
			want: groupArgs{Ref: "ok1", Group: testGroup{A: "a", B: "b", joint: "ab"}, C: 1, seen: "ab"}},
		{name: "a decoder's own error", params: params{"Ref": "bad"}, status: http.StatusNotFound, err: `Test.NotFound: Ref "bad"`},
		{name: "required on a decoder", params: params{"A": "a"}, err: missingMsg("Ref")},
		{name: "the group's check runs before the fields after it", params: params{"Ref": "ok", "A": "a", "C": "2"},
			err: "Test.Group: A wants B"},
		{name: "the top check runs last", params: params{"Ref": "ok", "C": "1"}, err: "Test.Top: C wants A and B"},
		{name: "the top check after every field", params: params{"Ref": "ok", "C": "2"},
			err: invalidMsg("C", "it must be between 0 and 1")},
	})
}

func TestDecodeRefusesMalformedTags(t *testing.T) {
	for name, v := range map[string]any{
		"unknown option": &struct {
			A string `param:"A,requird"`
		}{},
		"int without max": &struct {
			A int `param:"A"`
		}{},
		"list without max": &struct {
			A []string `param:"A.N"`
		}{},
		"oneof on an int": &struct {
			A int `param:"A,max=1,oneof=1 2"`
		}{},
		"unknown hook": &struct {
			A string `param:"A,check=nope"`
		}{},
		"bad int default": &struct {
			A int `param:"A,max=1,default=x"`
		}{},
		"unsupported type": &struct {
			A float64 `param:"A"`
		}{},
		"*string": &struct {
			A *string `param:"A"`
		}{},
		"three names": &struct {
			A string `param:"A|B|C"`
		}{},
		"conflicts, unknown": &struct {
			A string `param:"A,conflicts=B"`
		}{},
		"unexported field": &struct {
			a string `param:"A"`
		}{},
		"options on decoder": &struct {
			A testRef `param:"A,default=x"`
		}{},
		"tags not Tag.N": &struct {
			A []tagPair `param:"Tag"`
		}{},
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Fatal("no panic")
				}
			}()
			_ = (&call{p: params{}}).decode(v)
		})
	}
}

// TestActionParamSpecs runs every handler once with no parameters, which
// builds the spec of every args type it declares: a malformed param tag
// panics here rather than on the first request that reaches it.
func TestActionParamSpecs(t *testing.T) {
	srv, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	for key, a := range srv.actions {
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Errorf("%s: %v", key, r)
				}
			}()
			srv.mu.Lock()
			defer srv.mu.Unlock()
			_, _ = a.Handle(&call{srv: srv, st: srv.st, p: params{}, now: time.Now()})
		}()
	}
}

// The emulator's per-request ENI limits that are API rules come from
// internal/domain, like the provider's: a tag that drifts from the domain
// constant fails here.
func TestENIParamLimitsFollowDomain(t *testing.T) {
	for _, c := range []struct {
		typ   any
		field string
	}{{eniAddressArgs{}, "SecurityGroups"}, {modifyENIArgs{}, "SecurityGroups"}} {
		f, ok := reflect.TypeOf(c.typ).FieldByName(c.field)
		if !ok {
			t.Fatalf("%T has no field %s", c.typ, c.field)
		}
		want := "max=" + strconv.Itoa(domain.MaxSecurityGroupsPerENI)
		if !strings.Contains(f.Tag.Get("param"), want) {
			t.Errorf("%T.%s: tag %q, want %s", c.typ, c.field, f.Tag.Get("param"), want)
		}
	}
}
