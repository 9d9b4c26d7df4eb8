// Package searchtest is the conformance suite of search.Index: every
// engine (the in-memory default, and any engine on PostgreSQL or OpenSearch
// that replaces it) runs it, so that they agree on what a search returns.
package searchtest

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/isa-alliance/isa"
	"github.com/isa-alliance/isa/internal/search"
	"github.com/isa-alliance/isa/internal/textanalysis"
)

// Factory makes an empty engine that analyses with an and takes the day
// of queries without one from now.
type Factory func(t *testing.T, an *textanalysis.Analyzer, now func() time.Time) search.Index

// Today is the day the suite runs on.
var Today = time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)

// Concepts is the suite's own small vocabulary, so that the suite does not
// change when the shipped vocabulary grows.
var Concepts = []textanalysis.Concept{
	{ID: "heat_pump", Terms: map[isa.Lang][]string{isa.DE: {"Wärmepumpe"}, isa.ZH: {"热泵"}, isa.EN: {"heat pump"}}, NACE: []string{"C28.25"}},
	{ID: "gearbox", Terms: map[isa.Lang][]string{isa.DE: {"Getriebe", "Schneckengetriebe"}, isa.ZH: {"减速机", "蜗轮蜗杆减速机"}, isa.EN: {"gearbox", "worm gear"}}, NACE: []string{"C28.15"}},
	{ID: "laser_cutting", Terms: map[isa.Lang][]string{isa.DE: {"Laserschneiden"}, isa.ZH: {"激光切割"}, isa.EN: {"laser cutting"}}, NACE: []string{"C25.62"}},
}

var (
	anOnce sync.Once
	an     *textanalysis.Analyzer
	anErr  error
)

// Analyzer returns the suite's analyser, built once per test binary.
func Analyzer(t *testing.T) *textanalysis.Analyzer {
	t.Helper()
	anOnce.Do(func() { an, anErr = textanalysis.New(Concepts) })
	if anErr != nil {
		t.Fatal(anErr)
	}
	return an
}

// Fixture builds the suite's documents: German, Chinese and English
// listings of two organisations per country, one expired, one withdrawn.
func Fixture() []search.Document {
	l := func(ref, org string, kind isa.ListingKind, lang isa.Lang, title, desc string, published, expires isa.Date, coop []string, nace []string) *isa.Listing {
		return &isa.Listing{Ref: ref, Org: org, Kind: kind, Lang: lang, Title: title, Description: desc,
			Cooperation: coop, Industries: nace, State: isa.Published, Published: published, Expires: expires}
	}
	de := func(li *isa.Listing, city string, ok isa.OrgKind) search.Document {
		return search.Document{Listing: li, OrgKind: ok, Country: isa.Germany, City: city}
	}
	cn := func(li *isa.Listing, city string, ok isa.OrgKind) search.Document {
		return search.Document{Listing: li, OrgKind: ok, Country: isa.China, City: city}
	}
	return []search.Document{
		de(l("hp-de-req", "org-de-1", isa.Request, isa.DE, "Wärmepumpe für Altbauten gesucht",
			"Wir suchen einen Hersteller von Wärmepumpen für den Vertrieb in Deutschland.", "2026-03-01", "2027-03-01",
			[]string{"distribution"}, []string{"C28.25"}), "hamburg", isa.Company),
		cn(l("hp-zh-off", "org-cn-1", isa.Offer, isa.ZH, "空气源热泵 OEM 供应",
			"我司专业生产空气源热泵，诚寻德国经销商。", "2026-05-01", "2027-05-01",
			[]string{"supply", "distribution"}, []string{"C28.25"}), "foshan", isa.Company),
		cn(l("hp-en-off", "org-cn-2", isa.Offer, isa.EN, "Heat pumps for export",
			"We manufacture heat pumps and look for partners in Europe. <script>alert(1)</script> & more", "2026-06-01", "2027-06-01",
			[]string{"supply"}, []string{"C28.25"}), "taizhou", isa.Company),
		cn(l("hp-zh-expired", "org-cn-2", isa.Offer, isa.ZH, "热泵 清仓",
			"热泵库存清仓。", "2025-06-01", "2026-06-01",
			[]string{"supply"}, []string{"C28.25"}), "taizhou", isa.Company),
		de(l("gear-de-off", "org-de-2", isa.Offer, isa.DE, "Schneckengetriebe aus Bayern",
			"Wir fertigen Schneckengetriebe und Stirnradgetriebe für den Maschinenbau.", "2026-07-01", "",
			[]string{"supply"}, []string{"C28.15"}), "ingolstadt", isa.Company),
		cn(l("gear-zh-req", "org-cn-1", isa.Request, isa.ZH, "寻找德国蜗轮蜗杆减速机技术",
			"我司寻求德国减速机技术许可。", "2026-08-01", "2027-08-01",
			[]string{"licensing"}, []string{"C28.15"}), "foshan", isa.Company),
		de(l("laser-de-off", "org-de-3", isa.Offer, isa.DE, "Laserschneiden in Lohnfertigung",
			"Forschungsinstitut bietet Laserschneiden und Beratung.", "2026-09-01", "2027-09-01",
			[]string{"services", "research"}, []string{"C25.62"}), "aachen", isa.Research),
		de(l("withdrawn", "org-de-3", isa.Offer, isa.DE, "Wärmepumpe zurückgezogen",
			"Zurückgezogen.", "2026-09-02", "2027-09-02", nil, nil), "aachen", isa.Research),
	}
}

func refs(hits []search.Hit) []string {
	var out []string
	for _, h := range hits {
		out = append(out, h.Ref)
	}
	return out
}

// Run runs the suite against engines made by newIndex.
func Run(t *testing.T, newIndex Factory) {
	ctx := context.Background()
	setup := func(t *testing.T) search.Index {
		t.Helper()
		idx := newIndex(t, Analyzer(t), func() time.Time { return Today })
		docs := Fixture()
		docs[len(docs)-1].Listing.State = isa.Withdrawn
		if err := idx.Put(ctx, docs...); err != nil {
			t.Fatal(err)
		}
		return idx
	}
	do := func(t *testing.T, idx search.Index, q search.Query) *search.Result {
		t.Helper()
		res, err := idx.Search(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}

	t.Run("only published listings are indexed", func(t *testing.T) {
		idx := setup(t)
		if got := idx.Len(); got != 7 {
			t.Errorf("Len = %d, want 7 (the withdrawn listing left out)", got)
		}
		if r := do(t, idx, search.Query{Text: "zurückgezogen"}); r.Total != 0 {
			t.Errorf("withdrawn listing found: %v", refs(r.Hits))
		}
	})

	t.Run("expired listings are never returned", func(t *testing.T) {
		idx := setup(t)
		for _, q := range []search.Query{{Text: "热泵"}, {Text: "清仓"}, {}, {Text: "heat pump", Sort: search.SortNewest}} {
			r := do(t, idx, q)
			if slices.Contains(refs(r.Hits), "hp-zh-expired") {
				t.Errorf("query %+v returned the expired listing", q)
			}
		}
		// A listing live when indexed expires while the index runs.
		r := do(t, idx, search.Query{Text: "热泵", Today: "2027-05-02"})
		if slices.Contains(refs(r.Hits), "hp-zh-off") {
			t.Errorf("listing expired on 2027-05-01 returned on 2027-05-02")
		}
		cands, err := idx.Match(ctx, search.MatchQuery{Terms: []search.WeightedTerm{{Term: "热泵", Weight: 1}}, Kind: isa.Offer, Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cands {
			if c.Ref == "hp-zh-expired" {
				t.Errorf("Match returned the expired listing")
			}
		}
	})

	t.Run("a German query finds Chinese and English listings", func(t *testing.T) {
		idx := setup(t)
		got := refs(do(t, idx, search.Query{Text: "Wärmepumpe"}).Hits)
		for _, want := range []string{"hp-de-req", "hp-zh-off", "hp-en-off"} {
			if !slices.Contains(got, want) {
				t.Errorf("Wärmepumpe: hits %v lack %s", got, want)
			}
		}
		got = refs(do(t, idx, search.Query{Text: "Waermepumpe"}).Hits)
		if !slices.Contains(got, "hp-zh-off") {
			t.Errorf("spelling without umlaut: hits %v lack hp-zh-off", got)
		}
		got = refs(do(t, idx, search.Query{Text: "worm gear"}).Hits)
		if len(got) < 2 || !slices.Contains(got[:2], "gear-de-off") || !slices.Contains(got[:2], "gear-zh-req") {
			t.Errorf("worm gear: hits %v, want the German offer and the Chinese request first", got)
		}
	})

	t.Run("filters", func(t *testing.T) {
		idx := setup(t)
		tests := []struct {
			name string
			q    search.Query
			want []string
		}{
			{"kind", search.Query{Kind: isa.Request}, []string{"gear-zh-req", "hp-de-req"}},
			{"country", search.Query{Text: "heat pump", Country: isa.Germany}, []string{"hp-de-req"}},
			{"city", search.Query{City: "foshan"}, []string{"gear-zh-req", "hp-zh-off"}},
			{"unknown city", search.Query{City: "atlantis"}, nil},
			{"industry prefix", search.Query{Industry: "C28"}, []string{"gear-de-off", "gear-zh-req", "hp-de-req", "hp-en-off", "hp-zh-off"}},
			{"industry class", search.Query{Industry: "C28.15"}, []string{"gear-de-off", "gear-zh-req"}},
			{"industry written loosely", search.Query{Industry: "28.15"}, []string{"gear-de-off", "gear-zh-req"}},
			{"cooperation", search.Query{Cooperation: "licensing"}, []string{"gear-zh-req"}},
			{"language", search.Query{Lang: isa.EN}, []string{"hp-en-off"}},
			{"organisation kind", search.Query{OrgKind: isa.Research}, []string{"laser-de-off"}},
			{"text and kind", search.Query{Text: "热泵", Kind: isa.Offer}, []string{"hp-en-off", "hp-zh-off"}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				r := do(t, idx, tt.q)
				got := refs(r.Hits)
				slices.Sort(got)
				if !slices.Equal(got, tt.want) {
					t.Errorf("hits %v, want %v", got, tt.want)
				}
				if r.Total != len(tt.want) {
					t.Errorf("total %d, want %d", r.Total, len(tt.want))
				}
			})
		}
	})

	t.Run("facet counts cover all hits", func(t *testing.T) {
		idx := setup(t)
		r := do(t, idx, search.Query{Limit: 1})
		if r.Total != 6 || len(r.Hits) != 1 {
			t.Fatalf("total %d hits %d, want 6 and 1", r.Total, len(r.Hits))
		}
		count := func(facet, value string) int {
			for _, fc := range r.Facets[facet] {
				if fc.Value == value {
					return fc.Count
				}
			}
			return 0
		}
		tests := []struct {
			facet, value string
			want         int
		}{
			{search.FacetKind, "offer", 4}, {search.FacetKind, "request", 2},
			{search.FacetCountry, "DE", 3}, {search.FacetCountry, "CN", 3},
			{search.FacetCity, "foshan", 2}, {search.FacetSection, "C", 6},
			{search.FacetCooperation, "supply", 3}, {search.FacetLang, "zh", 2},
			{search.FacetOrgKind, "research", 1},
		}
		for _, tt := range tests {
			if got := count(tt.facet, tt.value); got != tt.want {
				t.Errorf("facet %s=%s: %d, want %d", tt.facet, tt.value, got, tt.want)
			}
		}
	})

	t.Run("pages do not overlap and cover all hits", func(t *testing.T) {
		idx := setup(t)
		var all []string
		for off := 0; off < 10; off += 2 {
			r := do(t, idx, search.Query{Offset: off, Limit: 2})
			if r.Total != 6 {
				t.Fatalf("total %d on page at %d", r.Total, off)
			}
			all = append(all, refs(r.Hits)...)
		}
		sorted := slices.Clone(all)
		slices.Sort(sorted)
		if len(all) != 6 || len(slices.Compact(sorted)) != 6 {
			t.Errorf("pages gave %v, want 6 distinct listings", all)
		}
	})

	t.Run("newest first", func(t *testing.T) {
		idx := setup(t)
		r := do(t, idx, search.Query{Text: "heat pump", Sort: search.SortNewest})
		if got := refs(r.Hits); !slices.Equal(got, []string{"hp-en-off", "hp-zh-off", "hp-de-req"}) {
			t.Errorf("newest order %v", got)
		}
	})

	t.Run("snippets mark matches and keep markup out", func(t *testing.T) {
		idx := setup(t)
		r := do(t, idx, search.Query{Text: "heat pumps", Lang: isa.EN})
		if len(r.Hits) != 1 {
			t.Fatalf("hits %v", refs(r.Hits))
		}
		marked := false
		for _, f := range r.Hits[0].Snippet {
			marked = marked || (f.Hit && strings.Contains(strings.ToLower(f.Text), "heat"))
		}
		if !marked {
			t.Errorf("snippet %+v marks no match", r.Hits[0].Snippet)
		}
		html := search.SnippetHTML(r.Hits[0].Snippet)
		if strings.Contains(html, "<script>") || !strings.Contains(html, "&lt;script&gt;") || !strings.Contains(html, "<mark>") {
			t.Errorf("snippet HTML %q", html)
		}
	})

	t.Run("replacing and removing a listing", func(t *testing.T) {
		idx := setup(t)
		docs := Fixture()
		d := docs[4] // gear-de-off
		changed := *d.Listing
		changed.Title, changed.Description = "Zahnstangen aus Franken", "Nur noch Zahnstangen."
		d.Listing = &changed
		if err := idx.Put(ctx, d); err != nil {
			t.Fatal(err)
		}
		if got := refs(do(t, idx, search.Query{Text: "Bayern"}).Hits); slices.Contains(got, "gear-de-off") {
			t.Errorf("old text still found: %v", got)
		}
		if got := refs(do(t, idx, search.Query{Text: "Franken"}).Hits); !slices.Equal(got, []string{"gear-de-off"}) {
			t.Errorf("new text: %v", got)
		}
		if err := idx.Remove(ctx, "gear-de-off"); err != nil {
			t.Fatal(err)
		}
		if got := refs(do(t, idx, search.Query{Text: "Franken"}).Hits); len(got) != 0 {
			t.Errorf("removed listing found: %v", got)
		}
		if idx.Len() != 6 {
			t.Errorf("Len %d after remove, want 6", idx.Len())
		}
	})

	t.Run("match keeps kind and excludes the organisation", func(t *testing.T) {
		idx := setup(t)
		cands, err := idx.Match(ctx, search.MatchQuery{
			Terms:      []search.WeightedTerm{{Term: textanalysis.ConceptPrefix + "heat_pump", Weight: 2}},
			Kind:       isa.Offer,
			ExcludeOrg: "org-cn-1",
			Limit:      10,
		})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, c := range cands {
			got = append(got, c.Ref)
			if c.Kind != isa.Offer || c.Org == "org-cn-1" {
				t.Errorf("candidate %s kind %s org %s", c.Ref, c.Kind, c.Org)
			}
			if !slices.Contains(c.Matched, textanalysis.ConceptPrefix+"heat_pump") {
				t.Errorf("candidate %s: matched %v lacks the concept", c.Ref, c.Matched)
			}
		}
		if !slices.Equal(got, []string{"hp-en-off"}) {
			t.Errorf("candidates %v, want [hp-en-off]", got)
		}
	})

	t.Run("bad queries are invalid", func(t *testing.T) {
		idx := setup(t)
		for _, q := range []search.Query{{Kind: "barter"}, {Sort: "random"}, {Industry: "Z99"}, {Country: "FR"}, {Offset: -1}, {Text: strings.Repeat("x", 501)}} {
			_, err := idx.Search(ctx, q)
			if isa.ErrorCode(err) != isa.CodeInvalid {
				t.Errorf("query %+v: error %v, want invalid", q, err)
			}
		}
	})
}

// Seed writes documents into a store: their organisations (named after
// their refs, in the documents' cities) and the listings as they are.
func Seed(t testing.TB, st isa.Store, docs []search.Document) {
	t.Helper()
	ctx := context.Background()
	seen := map[string]bool{}
	for _, d := range docs {
		if seen[d.Listing.Org] {
			continue
		}
		seen[d.Listing.Org] = true
		o := &isa.Organisation{Ref: d.Listing.Org, Name: "Organisation " + d.Listing.Org, Kind: d.OrgKind, City: d.City,
			Verification: isa.Verification{State: isa.Unverified}}
		if _, err := st.UpsertOrganisation(ctx, o, nil); err != nil {
			t.Fatalf("seed organisation %s: %v", o.Ref, err)
		}
	}
	for _, d := range docs {
		l := *d.Listing
		if _, err := st.UpsertListing(ctx, &l); err != nil {
			t.Fatalf("seed listing %s: %v", l.Ref, err)
		}
	}
}
