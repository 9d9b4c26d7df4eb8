package interchange

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/isa-alliance/isa"
	"github.com/isa-alliance/isa/internal/nace"
)

var testCities = []isa.City{
	{Slug: "bad-homburg", Country: isa.Germany, Names: isa.Text{isa.DE: "Bad Homburg vor der Höhe", isa.EN: "Bad Homburg", isa.ZH: "巴特洪堡"}},
	{Slug: "koeln", Country: isa.Germany, Names: isa.Text{isa.DE: "Köln", isa.EN: "Cologne", isa.ZH: "科隆"}},
	{Slug: "foshan", Country: isa.China, Names: isa.Text{isa.DE: "Foshan", isa.EN: "Foshan", isa.ZH: "佛山"}},
	{Slug: "oldtown", Country: isa.Germany, Names: isa.Text{isa.EN: "Oldtown"},
		Memberships: []isa.Membership{{Joined: "2019-04-01", Left: "2024-01-01"}}},
}

func testValidator() *validator {
	return newValidator(testCities, "2026-11-21", nace.Default(), guessLang)
}

func jsonRecord(t *testing.T, line string) fields {
	t.Helper()
	f, err := decodeJSON([]byte(line))
	if err != nil {
		t.Fatalf("test input: %v", err)
	}
	return f
}

// texts renders the problems of a check in English, without positions.
func texts(c check) []string {
	var out []string
	for _, p := range c.problems {
		out = append(out, p.Error())
	}
	return out
}

const validOrg = `{"type":"organisation","ref":"o1","name":"Müller GmbH","kind":"company","city":"bad-homburg"}`

// withField returns validOrg or validListing with one field set (or, for
// nil, removed).
func withField(t *testing.T, base, field string, v any) fields {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(base), &m); err != nil {
		t.Fatal(err)
	}
	if v == nil {
		delete(m, field)
	} else {
		m[field] = v
	}
	b, _ := json.Marshal(m)
	return jsonRecord(t, string(b))
}

func TestOrganisationProblems(t *testing.T) {
	tests := []struct {
		name  string
		field string
		value any
		want  string // one expected problem text; "" for none
	}{
		{"accepts a valid organisation", "ref", "o1", ""},
		{"names an unknown city with the fix", "city", "Berlin",
			`field "city": unknown member city "Berlin" (use a slug such as "bad-homburg" or a city name in German, English or Chinese)`},
		{"requires the ref", "ref", nil, `field "ref": missing, but required`},
		{"requires the name", "name", nil, `field "name": missing, but required`},
		{"requires the kind", "kind", nil, `field "kind": missing, but required`},
		{"requires the city", "city", nil, `field "city": missing, but required`},
		{"refuses a ref with spaces", "ref", "o 1", `field "ref": "o 1" is not a valid reference: 1 to 100 characters, without spaces or control characters`},
		{"lists the kinds", "kind", "firm", `field "kind": unknown value "firm": use one of "company", "research", "agency", "association"`},
		{"lists the sizes", "size", "huge", `field "size": unknown value "huge": use one of "micro", "small", "medium", "large"`},
		{"refuses a founding year in the future", "founded", 2031, `field "founded": 2031 is not a plausible founding year (between 1000 and 2026)`},
		{"refuses a founding year that is no number", "founded", "early", `field "founded": expected a year such as 1998`},
		{"refuses a fractional year", "founded", 1998.5, `field "founded": expected a year such as 1998`},
		{"refuses an invalid NACE code", "industries", []string{"C22.2", "Z99"}, `field "industries": "Z99" is not a valid NACE Rev. 2 code: The letter and digits of the NACE code do not match: the division belongs to another section (use a section, division, group or class such as "C", "C22", "C22.2" or "C22.29")`},
		{"refuses industries that are not a list", "industries", "C22", `field "industries": expected a list of texts such as ["a", "b"]`},
		{"refuses an unknown language in names", "names", map[string]string{"fr": "Meunier"}, `field "names": unknown language "fr": use "de", "zh" or "en"`},
		{"refuses about that is not an object", "about", "text", `field "about": expected an object of texts by language such as {"de": "...", "en": "..."}`},
		{"refuses a broken e-mail address", "email", "info(at)mueller.de", `field "email": not a valid e-mail address (expected: name@example.com)`},
		{"refuses a phone number with letters", "phone", "call me", `field "phone": not a valid phone number (expected digits with +, spaces, -, /, (), e.g. +49 6172 1234)`},
		{"refuses a website without a host", "website", "https://", `field "website": "https://" is not a valid web address (expected: https://www.example.com)`},
		{"warns about unknown fields and imports", "fax", "123", `warning: unknown fields are ignored: "fax"`},
		{"warns about a city that left the alliance", "city", "oldtown", `warning: field "city": "oldtown" is not a member of the alliance on 2026-11-21`},
		{"refuses an over-long name", "name", strings.Repeat("n", 301), `field "name": too long: 301 characters, at most 300 allowed`},
	}
	v := testValidator()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, _, c := v.organisation(withField(t, validOrg, tc.field, tc.value))
			got := texts(c)
			if tc.want == "" {
				if len(got) != 0 {
					t.Errorf("problems %q, want none", got)
				}
				return
			}
			if len(got) != 1 || got[0] != tc.want {
				t.Errorf("problems\n %q\nwant\n %q", got, tc.want)
			}
			if wantFail := !strings.HasPrefix(tc.want, "warning"); c.failed != wantFail {
				t.Errorf("failed = %v, want %v", c.failed, wantFail)
			}
		})
	}
}

func TestCityResolvesByAnyName(t *testing.T) {
	v := testValidator()
	for _, name := range []string{"koeln", "Köln", "KÖLN", "Koeln", "Cologne", "科隆", "Bad Homburg", "bad homburg", "Bad Homburg vor der Höhe", "巴特洪堡", " foshan ", "佛山"} {
		o, _, c := v.organisation(withField(t, validOrg, "city", name))
		if c.failed || o.City == "" {
			t.Errorf("city %q: problems %q", name, texts(c))
		}
	}
}

func TestOrganisationNormalises(t *testing.T) {
	line := `{"type":"organisation","ref":" o1 ","name":" Müller GmbH ","names":{"EN":"Mueller Ltd","zh":""},"kind":"Company","city":"Köln",
	"size":"SMALL","founded":"1998","website":"www.mueller.example.de","email":"info@mueller.example.de","phone":"+49 221 1234-0",
	"industries":["c22.2","C22.2"," C28 "],"about":{"de":"Wir\r\nfertigen."}}`
	o, contacts, c := testValidator().organisation(jsonRecord(t, line))
	if c.failed || len(c.problems) > 0 {
		t.Fatalf("problems: %q", texts(c))
	}
	want := &isa.Organisation{Ref: "o1", Name: "Müller GmbH", Names: isa.Text{isa.EN: "Mueller Ltd"}, Kind: isa.Company, City: "koeln",
		Size: isa.Small, Founded: 1998, Website: "https://www.mueller.example.de", Industries: []string{"C22.2", "C28"},
		About: isa.Text{isa.DE: "Wir\nfertigen."}, Verification: isa.Verification{State: isa.Unverified}}
	if !reflect.DeepEqual(o, want) {
		t.Errorf("organisation\n %+v\nwant\n %+v", o, want)
	}
	wantC := []isa.ContactPerson{{Email: "info@mueller.example.de", Phone: "+49 221 1234-0"}}
	if !reflect.DeepEqual(contacts, wantC) {
		t.Errorf("contacts %+v, want %+v", contacts, wantC)
	}
}

func TestOrganisationWithoutContactClearsContacts(t *testing.T) {
	_, contacts, _ := testValidator().organisation(jsonRecord(t, validOrg))
	if contacts == nil || len(contacts) != 0 {
		t.Errorf("contacts = %#v, want an empty non-nil list so that the store removes old ones", contacts)
	}
}

const validListing = `{"type":"listing","ref":"l1","org":"o1","kind":"offer","lang":"de","title":"Zahnräder","description":"Wir fertigen Zahnräder."}`

func TestListingProblems(t *testing.T) {
	tests := []struct {
		name  string
		field string
		value any
		want  string
	}{
		{"accepts a valid listing", "ref", "l1", ""},
		{"requires the org", "org", nil, `field "org": missing, but required`},
		{"requires the title", "title", nil, `field "title": missing, but required`},
		{"requires the description", "description", "  ", `field "description": missing, but required`},
		{"refuses an over-long title", "title", strings.Repeat("標", 201), `field "title": too long: 201 characters, at most 200 allowed`},
		{"refuses an over-long description", "description", strings.Repeat("d", 10001), `field "description": too long: 10001 characters, at most 10000 allowed`},
		{"lists the kinds", "kind", "sale", `field "kind": unknown value "sale": use one of "offer", "request"`},
		{"refuses an unknown language", "lang", "fr", `field "lang": unknown language "fr": use "de", "zh" or "en"`},
		{"refuses an invalid date", "published", "2026-13-01", `field "published": "2026-13-01" is not a date; write it as YYYY-MM-DD, e.g. 2026-11-21`},
		{"refuses a US date", "expires", "11/21/2027", `field "expires": "11/21/2027" is not a date; write it as YYYY-MM-DD, e.g. 2026-11-21`},
		{"refuses expiry before publication", "expires", "2025-01-01", `field "expires": the expiry day 2025-01-01 lies before the publication day 2026-11-21`},
		{"lists the cooperation types", "cooperation", []string{"supply", "barter"}, `field "cooperation": unknown value "barter": use one of "supply", "distribution", "manufacturing", "joint_venture", "licensing", "research", "investment", "services"`},
		{"refuses too many keywords", "keywords", manyKeywords(51), `field "keywords": too many entries: 51, at most 50 allowed`},
		{"refuses a keyword with a semicolon", "keywords", []string{"a;b"}, `field "keywords": "a;b" contains a semicolon, the list separator of CSV; split the entry`},
		{"refuses a translation into the own language", "translations", map[string]any{"de": map[string]string{"title": "Andere", "description": "x"}}, `field "translations": a translation into "de", the listing's own language: the original text belongs in title and description`},
		{"refuses a translation without title", "translations", map[string]any{"en": map[string]string{"description": "x"}}, `field "translations": the translation into "en" has no title`},
		{"refuses unknown keys in a translation", "translations", map[string]any{"en": map[string]string{"titel": "x"}}, `field "translations": expected an object by language such as {"en": {"title": "...", "description": "..."}}`},
		{"refuses a NUL character", "title", "Zahn\u0000rad", `field "title": contains invisible control characters (such as NUL) or invalid characters; remove them`},
		{"refuses a control character in a keyword", "keywords", []string{"ok", "a\u0007"}, `field "keywords": contains invisible control characters (such as NUL) or invalid characters; remove them`},
		{"refuses a replacement character from a broken encoding", "description", "K\ufffdln", `field "description": contains invisible control characters (such as NUL) or invalid characters; remove them`},
		{"warns about unknown fields", "state", "draft", `warning: unknown fields are ignored: "state"`},
	}
	v := testValidator()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, c := v.listing(withField(t, validListing, tc.field, tc.value))
			got := texts(c)
			if tc.want == "" {
				if len(got) != 0 {
					t.Errorf("problems %q, want none", got)
				}
				return
			}
			if len(got) != 1 || got[0] != tc.want {
				t.Errorf("problems\n %q\nwant\n %q", got, tc.want)
			}
		})
	}
}

// manyKeywords returns n distinct keywords (duplicates would collapse).
func manyKeywords(n int) []string {
	kw := make([]string, n)
	for i := range kw {
		kw[i] = "k" + strings.Repeat("x", i%90) + string(rune('a'+i/90))
	}
	return kw
}

func TestListingDefaultsAndState(t *testing.T) {
	tests := []struct {
		name               string
		published, expires any
		wantPub, wantExp   isa.Date
		wantState          isa.ListingState
	}{
		{"publishes today and expires in twelve months by default", nil, nil, "2026-11-21", "2027-11-21", isa.Published},
		{"expires twelve months after a given publication day", "2026-02-28", nil, "2026-02-28", "2027-02-28", isa.Published},
		{"imports a listing past its expiry as expired", "2025-01-10", "2026-08-31", "2025-01-10", "2026-08-31", isa.Expired},
		{"keeps a listing expiring today published", "2026-01-01", "2026-11-21", "2026-01-01", "2026-11-21", isa.Published},
		{"accepts the German date form Excel writes", "1.2.2026", "31.01.2027", "2026-02-01", "2027-01-31", isa.Published},
	}
	v := testValidator()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := withField(t, validListing, "published", tc.published)
			b, _ := json.Marshal(f)
			f = withField(t, string(b), "expires", tc.expires)
			l, c := v.listing(f)
			if c.failed {
				t.Fatalf("problems %q", texts(c))
			}
			if l.Published != tc.wantPub || l.Expires != tc.wantExp || l.State != tc.wantState {
				t.Errorf("published %s expires %s state %s; want %s %s %s", l.Published, l.Expires, l.State, tc.wantPub, tc.wantExp, tc.wantState)
			}
		})
	}
}

func TestListingLanguageIsDetectedWhenAbsent(t *testing.T) {
	tests := []struct {
		title, desc string
		want        isa.Lang
	}{
		{"Zahnräder für Getriebe", "Wir fertigen Zahnräder und Wellen für den Maschinenbau.", isa.DE},
		{"齿轮加工", "我司专业生产各类齿轮，诚寻德国合作伙伴。", isa.ZH},
		{"Gears for gearboxes", "We make gears and shafts for machine builders.", isa.EN},
	}
	v := testValidator()
	for _, tc := range tests {
		f := withField(t, validListing, "lang", nil)
		b, _ := json.Marshal(f)
		f = withField(t, string(b), "title", tc.title)
		b, _ = json.Marshal(f)
		f = withField(t, string(b), "description", tc.desc)
		l, c := v.listing(f)
		if c.failed || l.Lang != tc.want {
			t.Errorf("%q: lang %q, want %q (problems %q)", tc.title, l.Lang, tc.want, texts(c))
		}
	}
	// The option replaces the built-in guess.
	v.detect = func(string) isa.Lang { return isa.ZH }
	l, _ := v.listing(withField(t, validListing, "lang", nil))
	if l.Lang != isa.ZH {
		t.Errorf("lang %q, want the detector's answer zh", l.Lang)
	}
}

func TestCSVRowValidation(t *testing.T) {
	f := csvFields{"ref": "l1", "org": "o1", "kind": "Angebot", "lang": "de", "title": "Zahnräder", "description": "Wir fertigen.",
		"title_en": "Gears", "description_en": "We make gears.", "title_de": "Zahnräder", "cooperation": "Supply;joint venture",
		"keywords": "Getriebe; Zahnrad;;", "about": "x"}
	l, c := testValidator().listing(f)
	if c.failed {
		t.Fatalf("problems %q", texts(c))
	}
	if got := texts(c); len(got) != 1 || !strings.Contains(got[0], `unknown fields are ignored: "about"`) {
		t.Errorf("problems %q, want a warning about the column about", got)
	}
	want := map[isa.Lang]isa.Translation{isa.EN: {Title: "Gears", Description: "We make gears."}}
	if !reflect.DeepEqual(l.Translations, want) || l.Kind != isa.Offer ||
		!reflect.DeepEqual(l.Cooperation, []string{"supply", "joint_venture"}) || !reflect.DeepEqual(l.Keywords, []string{"Getriebe", "Zahnrad"}) {
		t.Errorf("listing %+v", l)
	}
	o, _, c := testValidator().organisation(csvFields{"ref": "o1", "name": "A", "kind": "company", "city": "佛山", "about": "x", "names_en": "A Ltd"})
	if got := texts(c); c.failed || len(got) != 1 || !strings.Contains(got[0], `"about" is ignored: in CSV it needs a language, e.g. "about_en"`) {
		t.Errorf("problems %q, want a hint to about_en", got)
	}
	if o.Names[isa.EN] != "A Ltd" || o.City != "foshan" {
		t.Errorf("organisation %+v", o)
	}
}
