package gen

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"runtime"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/isa-alliance/isa"
	"github.com/isa-alliance/isa/internal/cities"
	"github.com/isa-alliance/isa/internal/vocab"
)

const today isa.Date = "2026-11-21"

// record is the union of both record types as the interchange format
// names their fields.
type record struct {
	Type         string                     `json:"type"`
	Ref          string                     `json:"ref"`
	Name         string                     `json:"name"`
	Names        map[string]string          `json:"names"`
	Kind         string                     `json:"kind"`
	City         string                     `json:"city"`
	Size         string                     `json:"size"`
	Founded      int                        `json:"founded"`
	Website      string                     `json:"website"`
	Email        string                     `json:"email"`
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

func generate(t *testing.T, opts Options) ([]record, Stats, []byte) {
	t.Helper()
	var buf bytes.Buffer
	st, err := Write(&buf, opts)
	if err != nil {
		t.Fatal(err)
	}
	var recs []record
	sc := bufio.NewScanner(bytes.NewReader(buf.Bytes()))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for line := 1; sc.Scan(); line++ {
		dec := json.NewDecoder(bytes.NewReader(sc.Bytes()))
		dec.DisallowUnknownFields()
		var r record
		if err := dec.Decode(&r); err != nil {
			t.Fatalf("line %d: %v\n%s", line, err, sc.Bytes())
		}
		recs = append(recs, r)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return recs, st, buf.Bytes()
}

func TestOutputFollowsTheInterchangeFormat(t *testing.T) {
	recs, st, out := generate(t, Options{Listings: 3000, Seed: 7, Today: today})
	if !utf8.Valid(out) {
		t.Fatal("output is not UTF-8")
	}
	if st.Orgs != 600 || st.Listings != 3000 {
		t.Fatalf("stats %+v, want 600 organisations (listings/5) and 3000 listings", st)
	}
	if st.Bytes != int64(len(out)) {
		t.Errorf("stats count %d bytes, wrote %d", st.Bytes, len(out))
	}
	refs := map[string]bool{}
	orgs := map[string]bool{}
	var nOrgs, nListings, translated, noLang int
	for i, r := range recs {
		if r.Ref == "" || refs[r.Ref] {
			t.Fatalf("record %d: ref %q empty or repeated", i+1, r.Ref)
		}
		refs[r.Ref] = true
		for _, code := range r.Industries {
			if !validNACE(code) {
				t.Errorf("%s: industry %q is not a NACE code", r.Ref, code)
			}
		}
		switch r.Type {
		case "organisation":
			nOrgs++
			orgs[r.Ref] = true
			if nListings > 0 {
				t.Fatalf("%s: organisation after the first listing", r.Ref)
			}
			if r.Name == "" || !slices.Contains(isa.OrgKinds, isa.OrgKind(r.Kind)) {
				t.Errorf("%s: name %q kind %q", r.Ref, r.Name, r.Kind)
			}
			if _, ok := cities.Resolve(r.City); !ok {
				t.Errorf("%s: city %q is not a member city", r.Ref, r.City)
			}
			if r.Size != "" && !slices.Contains(isa.SizeClasses, isa.SizeClass(r.Size)) {
				t.Errorf("%s: size %q", r.Ref, r.Size)
			}
			for _, u := range []string{r.Website, r.Email} {
				if u != "" && !strings.HasSuffix(u, ".example.com") && !strings.HasSuffix(u, ".example.cn") {
					t.Errorf("%s: %q is not on an example domain", r.Ref, u)
				}
			}
			if len(r.About) == 0 {
				t.Errorf("%s: no about text", r.Ref)
			}
		case "listing":
			nListings++
			if !orgs[r.Org] {
				t.Fatalf("%s: organisation %q does not precede it", r.Ref, r.Org)
			}
			if r.Kind != "offer" && r.Kind != "request" {
				t.Errorf("%s: kind %q", r.Ref, r.Kind)
			}
			if r.Lang == "" {
				noLang++
			} else if !isa.Lang(r.Lang).Valid() {
				t.Errorf("%s: lang %q", r.Ref, r.Lang)
			}
			if r.Title == "" || utf8.RuneCountInString(r.Title) > isa.MaxTitle || r.Description == "" {
				t.Errorf("%s: title %q or description empty or too long", r.Ref, r.Title)
			}
			if strings.ContainsAny(r.Title+r.Description, "{}") {
				t.Errorf("%s: unrendered placeholder in %q", r.Ref, r.Title+r.Description)
			}
			for _, c := range r.Cooperation {
				if !slices.Contains(isa.CooperationTypes, c) {
					t.Errorf("%s: cooperation %q", r.Ref, c)
				}
			}
			if len(r.Keywords) == 0 || len(r.Keywords) > isa.MaxKeywords {
				t.Errorf("%s: %d keywords", r.Ref, len(r.Keywords))
			}
			for l, tr := range r.Translations {
				translated++
				if l == r.Lang || tr.Title == "" || tr.Description == "" {
					t.Errorf("%s: translation %s %+v", r.Ref, l, tr)
				}
			}
			if r.Expires != r.Published.AddMonths(12) {
				t.Errorf("%s: published %s, expires %s: want 12 months later", r.Ref, r.Published, r.Expires)
			}
			if today.Before(r.Published) || r.Published.Before(today.AddMonths(-15)) {
				t.Errorf("%s: published %s, too far from %s", r.Ref, r.Published, today)
			}
		default:
			t.Fatalf("record %d: type %q", i+1, r.Type)
		}
	}
	if nOrgs != st.Orgs || nListings != st.Listings {
		t.Errorf("counted %d/%d records, stats say %d/%d", nOrgs, nListings, st.Orgs, st.Listings)
	}
	// Optional fields must show up, or the data set does not exercise them.
	if translated == 0 || noLang == 0 {
		t.Errorf("%d translations, %d listings without lang: want some of each", translated, noLang)
	}
}

// validNACE checks the shape of a code: section letter, then division,
// group and class digits.
func validNACE(code string) bool {
	if len(code) == 0 || code[0] < 'A' || code[0] > 'U' {
		return false
	}
	rest := code[1:]
	for i, c := range []byte(rest) {
		if i == 2 {
			if c != '.' {
				return false
			}
			continue
		}
		if c < '0' || c > '9' {
			return false
		}
	}
	return len(rest) == 0 || len(rest) == 2 || len(rest) == 4 || len(rest) == 5
}

func TestLanguageMixAndExpiry(t *testing.T) {
	recs, st, _ := generate(t, Options{Listings: 10000, Seed: 3, Today: today})
	share := func(l isa.Lang) float64 { return float64(st.Langs[l]) / float64(st.Listings) }
	for _, tt := range []struct {
		lang     isa.Lang
		min, max float64
	}{
		{isa.DE, 0.36, 0.45},
		{isa.ZH, 0.36, 0.45},
		{isa.EN, 0.15, 0.24},
	} {
		if s := share(tt.lang); s < tt.min || s > tt.max {
			t.Errorf("%s share %.2f, want %.2f..%.2f", tt.lang, s, tt.min, tt.max)
		}
	}
	expired := 0
	var kinds = map[string]int{}
	for _, r := range recs {
		if r.Type == "listing" {
			kinds[r.Kind]++
			if r.Expires.Before(today) {
				expired++
			}
		}
	}
	if expired != st.Expired {
		t.Errorf("counted %d expired, stats say %d", expired, st.Expired)
	}
	if p := float64(expired) / float64(st.Listings); p < 0.01 || p > 0.10 {
		t.Errorf("%.3f of listings expired, want a few percent", p)
	}
	if kinds["offer"] < st.Listings/3 || kinds["request"] < st.Listings/3 {
		t.Errorf("kinds %v: want both offers and requests in number", kinds)
	}
}

func TestSameOptionsGiveSameBytes(t *testing.T) {
	opts := Options{Listings: 2000, Orgs: 150, Seed: 42, Today: today}
	_, _, a := generate(t, opts)
	_, _, b := generate(t, opts)
	if !bytes.Equal(a, b) {
		t.Fatal("two runs with equal options differ")
	}
	opts.Seed = 43
	_, _, c := generate(t, opts)
	if bytes.Equal(a, c) {
		t.Fatal("another seed gave the same data")
	}
}

func TestListingsSpreadOverOrganisationsAndCities(t *testing.T) {
	recs, _, _ := generate(t, Options{Listings: 5000, Orgs: 500, Seed: 9, Today: today})
	usedOrgs := map[string]bool{}
	citySlugs := map[string]bool{}
	for _, r := range recs {
		switch r.Type {
		case "listing":
			usedOrgs[r.Org] = true
		case "organisation":
			s, _ := cities.Resolve(r.City)
			citySlugs[s] = true
		}
	}
	if len(usedOrgs) < 450 {
		t.Errorf("only %d of 500 organisations have listings", len(usedOrgs))
	}
	if len(citySlugs) != len(cities.All()) {
		t.Errorf("organisations in %d cities, want all %d", len(citySlugs), len(cities.All()))
	}
}

func TestInvalidOptionsAreRejected(t *testing.T) {
	for _, tt := range []struct {
		name string
		opts Options
	}{
		{"no listings", Options{}},
		{"negative orgs", Options{Listings: 1, Orgs: -1}},
		{"bad day", Options{Listings: 1, Today: "21.11.2026"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Write(io.Discard, tt.opts)
			if isa.ErrorCode(err) != isa.CodeInvalid {
				t.Fatalf("err = %v, want an invalid error", err)
			}
		})
	}
}

type stubVocab []vocab.Concept

func (s stubVocab) Concepts() []vocab.Concept { return s }

func TestSmallVocabularyIsFilledFromBuiltinConcepts(t *testing.T) {
	v := stubVocab{
		{ID: "role_only", Cooperation: []string{"distribution"}, Terms: map[isa.Lang][]string{isa.DE: {"Vertrieb"}, isa.ZH: {"经销"}, isa.EN: {"distribution"}}},
		{ID: "valves", NACE: []string{"C28.14"}, Terms: map[isa.Lang][]string{isa.DE: {"Armaturen"}, isa.ZH: {"阀门"}, isa.EN: {"valves"}}},
	}
	recs, _, _ := generate(t, Options{Listings: 2000, Seed: 1, Today: today, Vocab: v})
	sawValves, sawBuiltin := false, false
	for _, r := range recs {
		if r.Type != "listing" {
			continue
		}
		if strings.Contains(r.Title+r.Description, "Vertrieb ") && slices.Contains(r.Keywords, "Vertrieb") {
			t.Errorf("%s: a concept without NACE code was used as a product", r.Ref)
		}
		sawValves = sawValves || slices.Contains(r.Industries, "C28.14")
		sawBuiltin = sawBuiltin || slices.Contains(r.Keywords, "Kunststoffspritzguss") || slices.Contains(r.Keywords, "注塑件")
	}
	if !sawValves || !sawBuiltin {
		t.Errorf("vocabulary concept used %v, built-in concepts used %v: want both", sawValves, sawBuiltin)
	}
}

func TestAppendStringEscapesForJSON(t *testing.T) {
	for _, s := range []string{"plain", `quote " and \ backslash`, "tab\tnew\nline\x01", "Größe 尺寸 „Zitat“"} {
		b := appendString(nil, s)
		var got string
		if err := json.Unmarshal(b, &got); err != nil || got != s {
			t.Errorf("appendString(%q) = %s: %v", s, b, err)
		}
	}
}

// heapProbe samples the live heap while Write streams into it.
type heapProbe struct {
	n, max uint64
}

func (h *heapProbe) Write(p []byte) (int, error) {
	h.n++
	if h.n%32 == 0 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		h.max = max(h.max, m.HeapAlloc)
	}
	return len(p), nil
}

func TestMemoryStaysFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 100,000 listings")
	}
	var h heapProbe
	if _, err := Write(&h, Options{Listings: 100_000, Seed: 1, Today: today}); err != nil {
		t.Fatal(err)
	}
	// 100k listings are about 50 MB of JSON; the heap must not grow with it.
	if h.max > 32<<20 {
		t.Errorf("live heap reached %d MiB while streaming", h.max>>20)
	}
	t.Logf("max live heap %.1f MiB over %d writes", float64(h.max)/(1<<20), h.n)
}

func BenchmarkWrite(b *testing.B) {
	const n = 100_000
	if _, err := vocab.Default(); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	var bytes int64
	for b.Loop() {
		st, err := Write(io.Discard, Options{Listings: n, Seed: 1, Today: today})
		if err != nil {
			b.Fatal(err)
		}
		bytes = st.Bytes
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "listings/s")
	b.SetBytes(bytes)
}

func TestServiceSectorIndexesPointAtTheirSectors(t *testing.T) {
	for idx, want := range map[int]string{sectorLogistics: "Logistics", sectorSoftware: "Software", sectorConsulting: "Consulting"} {
		if got := sectors[idx].name[iEN]; got != want {
			t.Errorf("sectors[%d] is %q, want %q", idx, got, want)
		}
	}
}

// termVocab adds the optional term listing with ambiguity marks.
type termVocab struct {
	stubVocab
	terms map[isa.Lang][]vocab.TermEntry
}

func (v termVocab) Terms(l isa.Lang) []vocab.TermEntry { return v.terms[l] }

func TestAmbiguousTermsAreNotUsed(t *testing.T) {
	terms := func(de, zh, en []string) map[isa.Lang][]string {
		return map[isa.Lang][]string{isa.DE: de, isa.ZH: zh, isa.EN: en}
	}
	v := termVocab{
		stubVocab: stubVocab{
			{ID: "bearing", NACE: []string{"C28.15"}, Terms: terms([]string{"Lager", "Wälzlager"}, []string{"轴承"}, []string{"bearing"})},
			{ID: "warehouse", NACE: []string{"H52.10"}, Terms: terms([]string{"Lager", "Lagerhaus"}, []string{"仓库"}, []string{"warehouse"})},
		},
		terms: map[isa.Lang][]vocab.TermEntry{isa.DE: {
			{Term: "Lager", ConceptID: "bearing", Ambiguous: true},
			{Term: "Lager", ConceptID: "warehouse", Ambiguous: true},
		}},
	}
	recs, _, _ := generate(t, Options{Listings: 3000, Seed: 2, Today: today, Vocab: v})
	sawBearing := false
	for _, r := range recs {
		if r.Type != "listing" || r.Lang != "de" {
			continue
		}
		if slices.Contains(r.Keywords, "Lager") || strings.Contains(r.Title, "Lager ") || strings.HasSuffix(r.Title, "Lager") {
			t.Fatalf("%s uses the ambiguous term: %q %v", r.Ref, r.Title, r.Keywords)
		}
		sawBearing = sawBearing || slices.Contains(r.Keywords, "Wälzlager")
	}
	if !sawBearing {
		t.Error("the concept's unambiguous term was not used either")
	}
}
