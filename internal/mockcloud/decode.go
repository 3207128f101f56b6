package mockcloud

import (
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
)

// A handler declares its parameters as a struct and reads them with one
// c.decode(&args). Each exported field carries a tag
//
//	param:"Name[|Alias],option,option=value,..."
//
// and the fields are read in declaration order, so the first invalid
// parameter in that order is the one reported. A field is read in four
// steps: every name is converted (and range-checked); two given names must
// agree (or, with exclusive, not both be given); required, conflicts,
// oneof and check then apply; a field none of whose names is given gets
// its default or its zero value.
//
// Field types and the parameters they read:
//
//	string          the value
//	int, *int       a decimal integer in [min, max] (max required)
//	bool, *bool     true or false, any case; a pointer stays nil when absent
//	[]string        Name.N: Name.1 … Name.N, indexes 1 to max (params.list);
//	                with comma: one comma-separated value (at most max items);
//	                with json: one JSON array of strings (at most max items);
//	                a plain name (an alias): a one-item list
//	[]tagPair       Tag.N: the Tag.N.Key / Tag.N.Value pairs (params.tags)
//	paramDecoder    the type reads itself (only required and conflicts apply)
//
// Options:
//
//	required        MissingParameter naming the first name (Name.N: Name.1)
//	default=V       the value when absent (string, int, bool)
//	min=N, max=N    the range of an int (min 0 unless given); max is the index or count ceiling of a list
//	oneof=A B C     InvalidParameter "it must be A" / "A or B" / "one of A, B, C"
//	check=hook      a hook of paramChecks, run on a given string value
//	conflicts=Other InvalidParameter.Conflict when this and the earlier field Other are both given
//	exclusive       with an alias: both names given is a conflict even when equal
//	comma, json     list encodings, as above
//
// A field named _ is read and checked but not kept. An untagged exported
// struct field is a group: its fields are read in place, then its check
// method (paramChecker), if it has one; the top-level struct's check runs
// last. Tags are parsed once per type; a malformed tag panics, and
// TestActionParamSpecs builds every handler's spec.

// paramDecoder is a field type that reads its own parameter.
type paramDecoder interface {
	decodeParam(c *call, name string) error
}

// paramChecker is an args struct or group with rules across its fields or
// against the state, run once its fields are read.
type paramChecker interface {
	check(c *call) error
}

// paramCheck is a check= hook: it sees the name the value came under.
type paramCheck func(c *call, name, v string) error

// decode reads c.p into the struct dst points to.
func (c *call) decode(dst any) error {
	v := reflect.ValueOf(dst).Elem()
	return specOf(v.Type()).decode(c, v)
}

var (
	decoderType = reflect.TypeFor[paramDecoder]()
	tagPairs    = reflect.TypeFor[[]tagPair]()
	stringList  = reflect.TypeFor[[]string]()
)

// fieldKind is how a field's names are converted.
type fieldKind int

const (
	kindString fieldKind = iota
	kindInt
	kindBool
	kindList // []string
	kindTags // []tagPair
	kindDecoder
	kindGroup
)

// paramField is one parsed field tag.
type paramField struct {
	index     int
	kind      fieldKind
	ptr       bool // *int, *bool
	names     []string
	required  bool
	exclusive bool
	comma     bool
	json      bool
	def       reflect.Value // invalid when no default
	min, max  int
	hasMax    bool
	oneof     []string
	check     paramCheck
	conflicts string
	group     *paramSpec
}

// paramSpec is the parsed form of one args struct type.
type paramSpec struct {
	fields []*paramField
}

var paramSpecs cache[reflect.Type, *paramSpec]

func specOf(t reflect.Type) *paramSpec {
	if s, ok := paramSpecs.load(t); ok {
		return s
	}
	s, err := buildSpec(t)
	if err != nil {
		panic("mockcloud: " + t.String() + ": " + err.Error())
	}
	paramSpecs.store(t, s)
	return s
}

func buildSpec(t reflect.Type) (*paramSpec, error) {
	s := &paramSpec{}
	declared := map[string]bool{}
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		tag, tagged := sf.Tag.Lookup("param")
		if !tagged {
			if sf.Type.Kind() != reflect.Struct || !sf.IsExported() || sf.Anonymous {
				continue // plain state of the handler's own
			}
			g, err := buildSpec(sf.Type)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", sf.Name, err)
			}
			s.fields = append(s.fields, &paramField{index: i, kind: kindGroup, group: g})
			continue
		}
		if !sf.IsExported() && sf.Name != "_" {
			return nil, fmt.Errorf("field %s: a param field must be exported or _", sf.Name)
		}
		f, err := parseField(i, sf.Type, tag)
		if err != nil {
			return nil, fmt.Errorf("field %s: %w", sf.Name, err)
		}
		if f.conflicts != "" && !declared[f.conflicts] {
			return nil, fmt.Errorf("field %s: conflicts=%s names no earlier field", sf.Name, f.conflicts)
		}
		for _, n := range f.names {
			declared[n] = true
		}
		s.fields = append(s.fields, f)
	}
	return s, nil
}

func parseField(index int, t reflect.Type, tag string) (*paramField, error) {
	opts := strings.Split(tag, ",")
	f := &paramField{index: index, names: strings.Split(opts[0], "|")}
	if err := f.setKind(t); err != nil {
		return nil, err
	}
	for _, o := range opts[1:] {
		if err := f.setOption(t, o); err != nil {
			return nil, err
		}
	}
	return f, f.validate()
}

func (f *paramField) setKind(t reflect.Type) error {
	switch {
	case reflect.PointerTo(t).Implements(decoderType):
		f.kind = kindDecoder
	case t == tagPairs:
		f.kind = kindTags
	case t == stringList:
		f.kind = kindList
	case t.Kind() == reflect.Pointer:
		f.ptr = true
		return f.setScalarKind(t.Elem())
	default:
		return f.setScalarKind(t)
	}
	return nil
}

func (f *paramField) setScalarKind(t reflect.Type) error {
	switch t.Kind() {
	case reflect.String:
		f.kind = kindString
	case reflect.Int:
		f.kind = kindInt
	case reflect.Bool:
		f.kind = kindBool
	default:
		return fmt.Errorf("unsupported type %s", t)
	}
	if f.ptr && f.kind == kindString {
		return fmt.Errorf("use string, not *string: an empty value is absent")
	}
	return nil
}

func (f *paramField) setOption(t reflect.Type, o string) error {
	key, val, _ := strings.Cut(o, "=")
	var err error
	switch key {
	case "required":
		f.required = true
	case "exclusive":
		f.exclusive = true
	case "comma":
		f.comma = true
	case "json":
		f.json = true
	case "min":
		f.min, err = strconv.Atoi(val)
	case "max":
		f.max, err = strconv.Atoi(val)
		f.hasMax = true
	case "oneof":
		f.oneof = strings.Fields(val)
	case "conflicts":
		f.conflicts = val
	case "check":
		if f.check = paramChecks[val]; f.check == nil {
			err = fmt.Errorf("no check hook %q", val)
		}
	case "default":
		f.def, err = parseDefault(t, val)
	default:
		err = fmt.Errorf("unknown option %q", o)
	}
	return err
}

func parseDefault(t reflect.Type, s string) (reflect.Value, error) {
	v := reflect.New(t).Elem()
	var err error
	switch t.Kind() {
	case reflect.String:
		v.SetString(s)
	case reflect.Int:
		var n int
		n, err = strconv.Atoi(s)
		v.SetInt(int64(n))
	case reflect.Bool:
		var b bool
		b, err = strconv.ParseBool(s)
		v.SetBool(b)
	default:
		err = fmt.Errorf("no default for type %s", t)
	}
	return v, err
}

// validate refuses option combinations that would mean nothing.
func (f *paramField) validate() error {
	list := f.kind == kindList && (f.comma || f.json || slices.ContainsFunc(f.names, isIndexed))
	switch {
	case len(f.names) > 2 || slices.Contains(f.names, ""):
		return fmt.Errorf("one or two names, not empty")
	case f.kind == kindDecoder && (len(f.names) > 1 || f.def.IsValid() || f.hasMax || f.oneof != nil || f.check != nil):
		return fmt.Errorf("a paramDecoder takes only required and conflicts")
	case (f.kind == kindInt || list) && !f.hasMax:
		return fmt.Errorf("max is required")
	case (f.oneof != nil || f.check != nil) && f.kind != kindString:
		return fmt.Errorf("oneof and check apply to strings")
	case f.kind == kindTags && !strings.HasSuffix(f.names[0], ".N"):
		return fmt.Errorf("a tag list is named Tag.N")
	}
	return nil
}

// decode reads the fields of v (an addressable struct of the spec's type)
// in order, then runs the struct's check if its pointer is a paramChecker.
func (s *paramSpec) decode(c *call, v reflect.Value) error {
	given := map[string]bool{}
	for _, f := range s.fields {
		fv := v.Field(f.index)
		if f.kind == kindGroup {
			if err := f.group.decode(c, fv); err != nil {
				return err
			}
			continue
		}
		if !fv.CanSet() { // a _ field: read and checked, then dropped
			fv = reflect.New(fv.Type()).Elem()
		}
		ok, err := f.decode(c, fv, given)
		if err != nil {
			return err
		}
		for _, n := range f.names {
			given[n] = ok
		}
	}
	if chk, ok := v.Addr().Interface().(paramChecker); ok {
		return chk.check(c)
	}
	return nil
}

// decode reads one field into fv and reports whether it was given.
func (f *paramField) decode(c *call, fv reflect.Value, given map[string]bool) (bool, error) {
	val, name, ok, err := f.read(c, fv.Type())
	if err != nil {
		return false, err
	}
	if f.conflicts != "" && ok && given[f.conflicts] {
		return false, errConflict(f.conflicts, f.names[0])
	}
	if f.required && !ok {
		return false, errMissing(missingName(f.names[0]))
	}
	if ok && f.kind == kindString {
		if err := f.checkString(c, name, val.String()); err != nil {
			return false, err
		}
	}
	switch {
	case ok:
		fv.Set(val)
	case f.def.IsValid():
		fv.Set(f.def)
	}
	return ok, nil
}

// read converts every name of the field and settles aliases: it returns
// the value of the first given name, that name, and whether any was.
func (f *paramField) read(c *call, t reflect.Type) (val reflect.Value, name string, ok bool, err error) {
	if f.kind == kindDecoder {
		v := reflect.New(t)
		d, ok := v.Interface().(paramDecoder)
		if !ok {
			panic("mockcloud: " + t.String() + ": setKind chose kindDecoder only for a type whose pointer implements paramDecoder")
		}
		if err := d.decodeParam(c, f.names[0]); err != nil {
			return val, "", false, err
		}
		return v.Elem(), f.names[0], isGiven(v.Elem()), nil
	}
	vals := make([]reflect.Value, len(f.names))
	for i, n := range f.names {
		if vals[i], err = f.convert(c.p, n, t); err != nil {
			return val, "", false, err
		}
	}
	if len(vals) == 2 && vals[0].IsValid() && vals[1].IsValid() &&
		(f.exclusive || !reflect.DeepEqual(vals[0].Interface(), vals[1].Interface())) {
		return val, "", false, errConflict(f.names[0], f.names[1])
	}
	for i, v := range vals {
		if v.IsValid() {
			return v, f.names[i], true, nil
		}
	}
	return val, "", false, nil
}

func isGiven(v reflect.Value) bool {
	if v.Kind() == reflect.Slice {
		return v.Len() > 0
	}
	return !v.IsZero()
}

// convert reads one name; the value is invalid when the name is absent.
func (f *paramField) convert(p params, name string, t reflect.Type) (reflect.Value, error) {
	base, isN := strings.CutSuffix(name, ".N")
	var v any
	var err error
	switch {
	case f.kind == kindTags:
		var tags []tagPair
		if tags, err = p.tags(base); len(tags) > 0 {
			v = tags
		}
	case f.kind == kindList && isN:
		var list []string
		if list, err = p.list(base, f.max); len(list) > 0 {
			v = list
		}
	case !p.has(name):
		return reflect.Value{}, nil
	case f.kind == kindList:
		v, err = f.convertList(p, name)
	case f.kind == kindInt:
		v, err = p.integer(name, 0, f.min, f.max)
	case f.kind == kindBool:
		v, _, err = p.boolean(name)
	default:
		v = p.str(name)
	}
	if err != nil || v == nil {
		return reflect.Value{}, err
	}
	rv := reflect.ValueOf(v)
	if f.ptr {
		ptr := reflect.New(rv.Type())
		ptr.Elem().Set(rv)
		rv = ptr
	}
	return rv.Convert(t), nil
}

func (f *paramField) convertList(p params, name string) ([]string, error) {
	switch {
	case f.comma:
		return p.commaList(name, f.max)
	case f.json:
		return p.jsonList(name, f.max)
	}
	return []string{p.str(name)}, nil
}

func (f *paramField) checkString(c *call, name, v string) error {
	if f.oneof != nil && !slices.Contains(f.oneof, v) {
		return errInvalid(name, "it must be "+oneOfText(f.oneof))
	}
	if f.check != nil {
		return f.check(c, name, v)
	}
	return nil
}

// oneOfText words a set of allowed values: "A", "A or B", "one of A, B, C".
func oneOfText(values []string) string {
	switch len(values) {
	case 1:
		return values[0]
	case 2:
		return values[0] + " or " + values[1]
	}
	return "one of " + strings.Join(values, ", ")
}

func isIndexed(name string) bool { return strings.HasSuffix(name, ".N") }

// missingName is the name a MissingParameter error gives: Name.N asks for
// Name.1.
func missingName(name string) string {
	if base, ok := strings.CutSuffix(name, ".N"); ok {
		return base + ".1"
	}
	return name
}
