package interchange

import (
	"bytes"
	"encoding/json"
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

// jsonFields is a JSON Lines record.
type jsonFields map[string]json.RawMessage

func isNull(v json.RawMessage) bool { return len(v) == 0 || string(v) == "null" }

func (f jsonFields) str(name string) (string, *Problem) {
	v, ok := f[name]
	if !ok || isNull(v) {
		return "", nil
	}
	var s string
	if err := json.Unmarshal(v, &s); err != nil {
		p := problem(name, "want.text")
		return "", &p
	}
	return s, nil
}

func (f jsonFields) year(name string) (string, *Problem) {
	v, ok := f[name]
	if !ok || isNull(v) {
		return "", nil
	}
	if v[0] == '"' {
		return f.str(name)
	}
	var n json.Number
	if err := json.Unmarshal(v, &n); err != nil {
		p := problem(name, "want.year")
		return "", &p
	}
	return n.String(), nil
}

func (f jsonFields) list(name string) ([]string, *Problem) {
	v, ok := f[name]
	if !ok || isNull(v) {
		return nil, nil
	}
	var l []string
	if err := json.Unmarshal(v, &l); err != nil {
		p := problem(name, "want.list")
		return nil, &p
	}
	return l, nil
}

func (f jsonFields) langText(name string) (map[string]string, *Problem) {
	v, ok := f[name]
	if !ok || isNull(v) {
		return nil, nil
	}
	var m map[string]string
	if err := json.Unmarshal(v, &m); err != nil {
		p := problem(name, "want.langtext")
		return nil, &p
	}
	return m, nil
}

func (f jsonFields) translations() (map[string]rawTranslation, *Problem) {
	v, ok := f["translations"]
	if !ok || isNull(v) {
		return nil, nil
	}
	var m map[string]struct {
		Title       string `json:"title"`
		Description string `json:"description"`
	}
	// Unknown keys inside a translation would vanish without a word, so
	// they are refused like a wrong shape.
	dec := json.NewDecoder(bytes.NewReader(v))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		p := problem("translations", "want.translations")
		return nil, &p
	}
	out := make(map[string]rawTranslation, len(m))
	for l, t := range m {
		out[l] = rawTranslation{t.Title, t.Description}
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
