package interchange

import (
	"bytes"
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"strings"
)

// Record types of format version 1.
const (
	typeOrganisation = "organisation"
	typeListing      = "listing"
)

// rawRecord is one record as read, before validation: its position, its
// type and its fields in the shape of the file it came from.
type rawRecord struct {
	pos    Position
	typ    string
	fields fields
}

// rawTranslation is a translation as read, not yet checked.
type rawTranslation struct{ title, description string }

// fields gives the validator typed access to a record's fields whatever the
// file format: JSON values or CSV cells. A getter returns a Problem when the
// value has the wrong shape; absent fields are the zero value.
type fields interface {
	str(name string) (string, *Problem)
	// year accepts a number or text holding digits, returned as text.
	year(name string) (string, *Problem)
	list(name string) ([]string, *Problem)
	// langText reads texts by language: a JSON object {"de": ...} or the
	// CSV columns name_de, name_zh, name_en.
	langText(name string) (map[string]string, *Problem)
	translations() (map[string]rawTranslation, *Problem)
	// unknown returns the names of fields the record type does not know,
	// with hints for some (a CSV column "about" that lacks its language).
	unknown(typ string) []Problem
}

// known lists the fields of each record type in the order of the format.
var known = map[string][]string{
	typeOrganisation: {"type", "ref", "name", "names", "kind", "city", "size", "founded", "website", "email", "phone", "industries", "about"},
	typeListing:      {"type", "ref", "org", "kind", "lang", "title", "description", "translations", "cooperation", "industries", "keywords", "published", "expires"},
}

// langFields are the fields CSV spreads over one column per language.
var langFields = map[string][]string{
	typeOrganisation: {"names", "about"},
	typeListing:      {"title", "description"},
}

// jsonFields is a JSON Lines record, decoded once into generic values
// (numbers as json.Number) so that each getter only checks a type instead
// of parsing the text again.
type jsonFields map[string]any

// decodeJSON parses one line into a record. A line holding anything after
// the object is refused like any other syntax error.
func decodeJSON(line []byte) (jsonFields, error) {
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if dec.InputOffset() != int64(len(line)) {
		if _, err := dec.Token(); err != nil {
			return nil, err
		}
		return nil, &json.SyntaxError{Offset: dec.InputOffset()}
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, errNotObject
	}
	return jsonFields(m), nil
}

var errNotObject = errors.New("not a JSON object")

func (f jsonFields) str(name string) (string, *Problem) {
	switch v := f[name].(type) {
	case nil:
		return "", nil
	case string:
		return v, nil
	}
	p := problem(name, "want.text")
	return "", &p
}

func (f jsonFields) year(name string) (string, *Problem) {
	switch v := f[name].(type) {
	case nil:
		return "", nil
	case string:
		return v, nil
	case json.Number:
		return v.String(), nil
	}
	p := problem(name, "want.year")
	return "", &p
}

func (f jsonFields) list(name string) ([]string, *Problem) {
	switch v := f[name].(type) {
	case nil:
		return nil, nil
	case []any:
		out := make([]string, 0, len(v))
		for _, item := range v {
			switch s := item.(type) {
			case nil:
			case string:
				out = append(out, s)
			default:
				p := problem(name, "want.list")
				return nil, &p
			}
		}
		return out, nil
	}
	p := problem(name, "want.list")
	return nil, &p
}

// textMap reads an object of texts; nil values count as absent.
func textMap(v any) (map[string]string, bool) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, false
	}
	out := make(map[string]string, len(m))
	for k, item := range m {
		switch s := item.(type) {
		case nil:
		case string:
			out[k] = s
		default:
			return nil, false
		}
	}
	return out, true
}

func (f jsonFields) langText(name string) (map[string]string, *Problem) {
	v := f[name]
	if v == nil {
		return nil, nil
	}
	m, ok := textMap(v)
	if !ok {
		p := problem(name, "want.langtext")
		return nil, &p
	}
	return m, nil
}

func (f jsonFields) translations() (map[string]rawTranslation, *Problem) {
	v := f["translations"]
	if v == nil {
		return nil, nil
	}
	bad := func() (map[string]rawTranslation, *Problem) {
		p := problem("translations", "want.translations")
		return nil, &p
	}
	m, ok := v.(map[string]any)
	if !ok {
		return bad()
	}
	out := make(map[string]rawTranslation, len(m))
	for l, item := range m {
		if item == nil {
			continue
		}
		t, ok := textMap(item)
		if !ok {
			return bad()
		}
		// Unknown keys inside a translation would vanish without a word,
		// so they are refused like a wrong shape.
		for k := range t {
			if k != "title" && k != "description" {
				return bad()
			}
		}
		out[l] = rawTranslation{t["title"], t["description"]}
	}
	return out, nil
}

func (f jsonFields) unknown(typ string) []Problem {
	var names []string
	for k := range f {
		if !slices.Contains(known[typ], k) {
			names = append(names, k)
		}
	}
	if len(names) == 0 {
		return nil
	}
	slices.Sort(names)
	return []Problem{warning("", "field.unknown", quoted(names))}
}

// csvFields is a CSV row: the non-empty cells by lower-case column name.
type csvFields map[string]string

func (f csvFields) str(name string) (string, *Problem) { return f[name], nil }

func (f csvFields) year(name string) (string, *Problem) { return f[name], nil }

func (f csvFields) list(name string) ([]string, *Problem) {
	v := f[name]
	if v == "" {
		return nil, nil
	}
	return strings.Split(v, ";"), nil
}

func (f csvFields) langText(name string) (map[string]string, *Problem) {
	var m map[string]string
	for _, l := range []string{"de", "zh", "en"} {
		if v := f[name+"_"+l]; v != "" {
			if m == nil {
				m = make(map[string]string, 3)
			}
			m[l] = v
		}
	}
	return m, nil
}

func (f csvFields) translations() (map[string]rawTranslation, *Problem) {
	var m map[string]rawTranslation
	for _, l := range []string{"de", "zh", "en"} {
		t := rawTranslation{f["title_"+l], f["description_"+l]}
		if t != (rawTranslation{}) {
			if m == nil {
				m = make(map[string]rawTranslation, 3)
			}
			m[l] = t
		}
	}
	return m, nil
}

// csvKnown tells whether column belongs to the record type, with the
// per-language columns that CSV uses instead of JSON objects.
func csvKnown(typ, column string) bool {
	if column == "names" || column == "about" || column == "translations" {
		return false
	}
	if slices.Contains(known[typ], column) {
		return true
	}
	base, lang, ok := strings.Cut(column, "_")
	return ok && (lang == "de" || lang == "zh" || lang == "en") && slices.Contains(langFields[typ], base)
}

func (f csvFields) unknown(typ string) []Problem {
	var names []string
	var out []Problem
	for k := range f {
		if csvKnown(typ, k) {
			continue
		}
		if slices.Contains(langFields[typ], k) || (typ == typeListing && k == "translations") {
			base := k
			if k == "translations" {
				base = "title"
			}
			out = append(out, warning("", "field.needlang", k, strconv.Quote(base+"_en")))
			continue
		}
		names = append(names, k)
	}
	if len(names) > 0 {
		slices.Sort(names)
		out = append(out, warning("", "field.unknown", quoted(names)))
	}
	return out
}
