package demo

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/isa-alliance/isa"
	"github.com/isa-alliance/isa/internal/cities"
	"github.com/isa-alliance/isa/internal/interchange"
	"github.com/isa-alliance/isa/internal/nace"
	"github.com/isa-alliance/isa/internal/storage/storagetest"
)

// line is one record with the fields of both types, kept raw as well so
// that the test can see which fields the data uses.
type line struct {
	no     int
	fields map[string]json.RawMessage

	Type         string                     `json:"type"`
	Ref          string                     `json:"ref"`
	Name         string                     `json:"name"`
	Names        map[string]string          `json:"names"`
	Kind         string                     `json:"kind"`
	City         string                     `json:"city"`
	Size         string                     `json:"size"`
	Website      string                     `json:"website"`
	Email        string                     `json:"email"`
	Phone        string                     `json:"phone"`
	About        map[string]string          `json:"about"`
	Org          string                     `json:"org"`
	Lang         string                     `json:"lang"`
	Title        string                     `json:"title"`
	Description  string                     `json:"description"`
	Translations map[string]isa.Translation `json:"translations"`
	Cooperation  []string                   `json:"cooperation"`
	Industries   []string                   `json:"industries"`
	Keywords     []string                   `json:"keywords"`
	Published    isa.Date                   `json:"published"`
	Expires      isa.Date                   `json:"expires"`
}

func parse(t *testing.T) (orgs, listings []line) {
	t.Helper()
	data := JSONL()
	if !utf8.Valid(data) {
		t.Fatal("demo data is not UTF-8")
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<20)
	for no := 1; sc.Scan(); no++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "//") {
			continue
		}
		l := line{no: no}
		if err := json.Unmarshal([]byte(text), &l.fields); err != nil {
			t.Fatalf("line %d: %v", no, err)
		}
		if err := json.Unmarshal([]byte(text), &l); err != nil {
			t.Fatalf("line %d: %v", no, err)
		}
		switch l.Type {
		case "organisation":
			orgs = append(orgs, l)
		case "listing":
			listings = append(listings, l)
		default:
			t.Fatalf("line %d: type %q", no, l.Type)
		}
	}
	return orgs, listings
}

func TestRecordsAreWellFormedAndReferToEachOther(t *testing.T) {
	orgs, listings := parse(t)
	refs := map[string]bool{}
	orgLine := map[string]int{}
	for _, o := range append(slices.Clone(orgs), listings...) {
		if o.Ref == "" || refs[o.Ref] {
			t.Errorf("line %d: ref %q empty or used twice", o.no, o.Ref)
		}
		refs[o.Ref] = true
	}
	for _, o := range orgs {
		orgLine[o.Ref] = o.no
		if _, ok := cities.Resolve(o.City); !ok {
			t.Errorf("%s: city %q is not a member city", o.Ref, o.City)
		}
		if !slices.Contains(isa.OrgKinds, isa.OrgKind(o.Kind)) || o.Name == "" {
			t.Errorf("%s: kind %q, name %q", o.Ref, o.Kind, o.Name)
		}
		if o.Size != "" && !slices.Contains(isa.SizeClasses, isa.SizeClass(o.Size)) {
			t.Errorf("%s: size %q", o.Ref, o.Size)
		}
	}
	for _, l := range listings {
		n, ok := orgLine[l.Org]
		if !ok || n > l.no {
			t.Errorf("%s: organisation %q missing or after the listing", l.Ref, l.Org)
		}
		if l.Kind != "offer" && l.Kind != "request" {
			t.Errorf("%s: kind %q", l.Ref, l.Kind)
		}
		if l.Title == "" || utf8.RuneCountInString(l.Title) > isa.MaxTitle || l.Description == "" {
			t.Errorf("%s: title or description empty or too long", l.Ref)
		}
		for _, c := range l.Cooperation {
			if !slices.Contains(isa.CooperationTypes, c) {
				t.Errorf("%s: cooperation %q", l.Ref, c)
			}
		}
	}
}

func TestSizeAndLanguageSpread(t *testing.T) {
	orgs, listings := parse(t)
	if len(orgs) < 55 || len(orgs) > 70 {
		t.Errorf("%d organisations, want about 60", len(orgs))
	}
	if len(listings) < 95 || len(listings) > 110 {
		t.Errorf("%d listings, want about 100", len(listings))
	}
	byLang := map[string]int{}
	byKind := map[string]int{}
	for _, l := range listings {
		byLang[l.Lang]++
		byKind[l.Kind]++
		// The declared language must be the one written: Chinese text
		// has Han characters, German and English ones have none.
		han := strings.ContainsFunc(l.Title, func(r rune) bool { return unicode.Is(unicode.Han, r) })
		if han != (l.Lang == "zh") {
			t.Errorf("%s: lang %s but title %q", l.Ref, l.Lang, l.Title)
		}
	}
	for _, tt := range []struct {
		lang     string
		min, max float64
	}{{"de", 0.35, 0.45}, {"zh", 0.35, 0.45}, {"en", 0.15, 0.25}} {
		if s := float64(byLang[tt.lang]) / float64(len(listings)); s < tt.min || s > tt.max {
			t.Errorf("%s: %.2f of listings, want %.2f..%.2f", tt.lang, s, tt.min, tt.max)
		}
	}
	if byKind["offer"] < len(listings)/3 || byKind["request"] < len(listings)/3 {
		t.Errorf("kinds %v: want offers and requests in number", byKind)
	}
	seen := map[string]bool{}
	for _, o := range orgs {
		s, _ := cities.Resolve(o.City)
		seen[s] = true
	}
	for _, c := range cities.All() {
		if !seen[c.Slug] {
			t.Errorf("no demo organisation in %s", c.Slug)
		}
	}
}

func TestDatesAreRelativeToToday(t *testing.T) {
	_, listings := parse(t)
	oldest := Today.AddMonths(-10)
	expired := 0
	for _, l := range listings {
		if l.Expires != l.Published.AddMonths(12) {
			t.Errorf("%s: published %s, expires %s: want 12 months later", l.Ref, l.Published, l.Expires)
		}
		if Today.Before(l.Published) {
			t.Errorf("%s: published %s, after %s", l.Ref, l.Published, Today)
		}
		if l.Expires.Before(Today) {
			expired++
		} else if l.Published.Before(oldest) {
			t.Errorf("%s: published %s, more than ten months before %s", l.Ref, l.Published, Today)
		}
	}
	if expired < 2 || expired > 5 {
		t.Errorf("%d listings expired on %s, want a couple", expired, Today)
	}
}

var (
	domainPattern = regexp.MustCompile(`^https://www\.[a-z0-9-]+\.example\.(com|cn)$`)
	emailPattern  = regexp.MustCompile(`^info@[a-z0-9-]+\.example\.(com|cn)$`)
	phonePattern  = regexp.MustCompile(`\+\d{2}[\d \-/()]{6,}|\b0\d{2,4}[ /-]\d{3,}`)
)

func TestNoRealContactsOrPersonalData(t *testing.T) {
	orgs, listings := parse(t)
	for _, o := range orgs {
		if o.Website != "" && !domainPattern.MatchString(o.Website) {
			t.Errorf("%s: website %q is not on an example domain", o.Ref, o.Website)
		}
		if o.Email != "" && !emailPattern.MatchString(o.Email) {
			t.Errorf("%s: e-mail %q is not a generic info@ address on an example domain", o.Ref, o.Email)
		}
		if o.Phone != "" {
			t.Errorf("%s: phone number in demo data", o.Ref)
		}
	}
	for _, l := range listings {
		text := l.Title + " " + l.Description
		for _, tr := range l.Translations {
			text += " " + tr.Title + " " + tr.Description
		}
		if strings.Contains(text, "@") || phonePattern.MatchString(text) {
			t.Errorf("%s: contact details in the text", l.Ref)
		}
	}
}

// TestEveryFieldIsUsed keeps the demo data useful as a showcase of the
// format: every optional field appears somewhere.
func TestEveryFieldIsUsed(t *testing.T) {
	orgs, listings := parse(t)
	want := map[string][]string{
		"organisation": {"ref", "name", "names", "kind", "city", "size", "founded", "website", "email", "industries", "about"},
		"listing":      {"ref", "org", "kind", "lang", "title", "description", "translations", "cooperation", "industries", "keywords", "published", "expires"},
	}
	for typ, recs := range map[string][]line{"organisation": orgs, "listing": listings} {
		for _, f := range want[typ] {
			if !slices.ContainsFunc(recs, func(l line) bool { _, ok := l.fields[f]; return ok }) {
				t.Errorf("no %s uses field %q", typ, f)
			}
		}
	}
	kinds := map[string]bool{}
	levels := map[int]bool{}
	aboutLangs := 0
	for _, o := range orgs {
		kinds[o.Kind] = true
		if len(o.About) > 1 {
			aboutLangs++
		}
	}
	for _, l := range append(slices.Clone(orgs), listings...) {
		for _, code := range l.Industries {
			levels[len(code)] = true // C, C28, C28.1, C28.15
		}
	}
	for _, k := range isa.OrgKinds {
		if !kinds[string(k)] {
			t.Errorf("no organisation of kind %s", k)
		}
	}
	if aboutLangs < 10 {
		t.Errorf("%d organisations describe themselves in more than one language, want several", aboutLangs)
	}
	// Section (C), division (C28), group (C28.1) and class (C28.15).
	for _, n := range []int{1, 3, 5, 6} {
		if !levels[n] {
			t.Errorf("no industry code of length %d: want every NACE level", n)
		}
	}
}

// TestImportsCleanly runs the data through the real importer, with the
// full NACE check, into a fresh SQLite store: nothing rejected, no
// warnings, everything created.
func TestImportsCleanly(t *testing.T) {
	orgs, listings := parse(t)
	st := storagetest.OpenSQLite(t)
	ctx := context.Background()
	var problems []string
	opts := interchange.Options{Atomic: true, Today: Today, NACE: nace.Default(), OnProblem: func(p interchange.Problem) {
		problems = append(problems, p.Text(isa.EN))
	}}
	sum, err := interchange.Import(ctx, st, opts, interchange.Source{Name: FileName, R: Reader()})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Error(p)
	}
	if sum.Rejected != 0 || sum.Warnings != 0 || sum.Created != len(orgs)+len(listings) {
		t.Fatalf("summary %s", sum)
	}
	// A second import changes nothing, as the format promises.
	sum, err = interchange.Import(ctx, st, opts, interchange.Source{Name: FileName, R: Reader()})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Unchanged != len(orgs)+len(listings) {
		t.Errorf("second import: %s", sum)
	}
	page, err := st.Listings(ctx, isa.ListingFilter{Lang: isa.ZH, Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Items) == 0 {
		t.Error("no Chinese listings in the store after import")
	}
}

func TestJSONLAsOfKeepsTheAgesOfListings(t *testing.T) {
	_, listings := parse(t)
	if n := len(datePair.FindAll(JSONL(), -1)); n != len(listings) {
		t.Fatalf("%d listings have their dates side by side, want all %d", n, len(listings))
	}
	if !bytes.Equal(JSONLAsOf(Today), JSONL()) || !bytes.Equal(JSONLAsOf(""), JSONL()) {
		t.Error("JSONLAsOf changed the data for its own day or an empty day")
	}
	expiredOn := func(data []byte, day isa.Date) (expired int) {
		for _, m := range datePair.FindAllSubmatch(data, -1) {
			pub := isa.Date(m[1])
			exp := isa.Date(m[0][len(m[0])-11 : len(m[0])-1])
			if exp != pub.AddMonths(12) {
				t.Errorf("published %s, expires %s", pub, exp)
			}
			if day.Before(pub) {
				t.Errorf("published %s, after %s", pub, day)
			}
			if exp.Before(day) {
				expired++
			}
		}
		return expired
	}
	want := expiredOn(JSONL(), Today)
	for _, day := range []isa.Date{"2027-06-15", "2029-02-28", "2026-03-01"} {
		if got := expiredOn(JSONLAsOf(day), day); got != want {
			t.Errorf("on %s: %d expired, want %d as on %s", day, got, want, Today)
		}
	}
}
