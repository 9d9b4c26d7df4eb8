package nace

import (
	"slices"
	"strings"
	"testing"

	"github.com/isa-alliance/isa"
)

func TestSearchFindsAndRanks(t *testing.T) {
	tests := []struct {
		name    string
		query   string
		lang    isa.Lang
		first   []string // the results must start with these, in order
		include []string // and contain these somewhere
		exclude []string // and not these
	}{
		{name: "exact code comes first, then the codes below it",
			query: "C22.2", lang: isa.EN,
			first: []string{"C22.2", "C22.21", "C22.22", "C22.23", "C22.29"}},
		{name: "code without letter",
			query: "22.29", lang: isa.DE, first: []string{"C22.29"}},
		{name: "code without dot",
			query: "2229", lang: isa.ZH, first: []string{"C22.29"}},
		{name: "partial code is a prefix",
			query: "c2", lang: isa.EN,
			include: []string{"C20", "C29.32"}, exclude: []string{"C", "C10", "B"}},
		{name: "section letter",
			query: "D", lang: isa.EN, first: []string{"D", "D35", "D35.1"}},
		{name: "German word inside compounds, case-insensitive",
			query: "kunststoff", lang: isa.DE,
			include: []string{"C20.16", "C22", "C22.2", "C22.29", "C28.96"}, exclude: []string{"C23"}},
		{name: "German label prefix before word matches",
			query: "Herstellung von Kunststoffwaren", lang: isa.DE,
			first: []string{"C22.2"}},
		{name: "umlaut typed plain",
			query: "kalte", lang: isa.DE, include: []string{"C28.25", "D35.3"}},
		{name: "umlaut typed as ae",
			query: "Kaelte", lang: isa.DE, include: []string{"C28.25", "D35.3"}},
		{name: "umlaut typed as umlaut in capitals",
			query: "KÄLTE", lang: isa.DE, include: []string{"C28.25", "D35.3"}},
		{name: "sharp s typed as ss",
			query: "grosshandel", lang: isa.DE, include: []string{"G46", "G46.90"}},
		{name: "English several words in any order",
			query: "products plastic", lang: isa.EN,
			first: []string{"C22", "C22.2", "C22.29"}, exclude: []string{"C20.16"}},
		{name: "English word prefix",
			query: "machin", lang: isa.EN, include: []string{"C28", "C28.41", "G46.62", "C33.12"}},
		{name: "Chinese label prefix first",
			query: "塑料", lang: isa.ZH,
			first: []string{"C22.2", "C22.21"}, include: []string{"C22", "C22.29", "C20.16"}},
		{name: "Chinese substring",
			query: "软件", lang: isa.ZH, include: []string{"J58.2", "J58.29", "G46.51"}},
		{name: "full-width query",
			query: "ｐｌａｓｔｉｃ", lang: isa.EN, include: []string{"C22.2", "C22.29"}},
		{name: "asked language breaks ties: German",
			query: "glas", lang: isa.DE, first: []string{"C23", "C23.1"}},
		{name: "asked language breaks ties: English",
			query: "glas", lang: isa.EN, first: []string{"C23.1", "C23.11"}, include: []string{"C23"}},
		{name: "other languages are searched too",
			query: "Werkzeugmaschinen", lang: isa.EN, include: []string{"C28.4", "G46.62"}},
		{name: "punctuation is ignored",
			query: "a. n. g.", lang: isa.DE, include: []string{"C10.89", "C28.99"}},
	}
	c := Default()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := codes(c.Search(tt.query, tt.lang, 0))
			if len(got) < len(tt.first) || !slices.Equal(got[:len(tt.first)], tt.first) {
				t.Errorf("Search(%q, %s) starts %v, want %v", tt.query, tt.lang, head(got, 8), tt.first)
			}
			for _, code := range tt.include {
				if !slices.Contains(got, code) {
					t.Errorf("Search(%q, %s) lacks %s: %v", tt.query, tt.lang, code, head(got, 12))
				}
			}
			for _, code := range tt.exclude {
				if slices.Contains(got, code) {
					t.Errorf("Search(%q, %s) has %s", tt.query, tt.lang, code)
				}
			}
		})
	}
}

func head(s []string, n int) []string { return s[:min(n, len(s))] }

func TestSearchReturnsNothingForNothing(t *testing.T) {
	c := Default()
	for _, q := range []string{"", "   ", "-.-", "xyzzyqq", "C22.27", strings.Repeat("kunststoff ", 200)} {
		if got := c.Search(q, isa.EN, 10); len(got) != 0 {
			t.Errorf("Search(%.20q) = %v, want none", q, codes(got))
		}
	}
}

func TestSearchHonoursLimit(t *testing.T) {
	c := Default()
	all := c.Search("herstellung", isa.DE, 0)
	if len(all) < 200 {
		t.Fatalf("Search(herstellung) found %d, want the manufacturing classes", len(all))
	}
	for _, limit := range []int{1, 5, 20} {
		got := c.Search("herstellung", isa.DE, limit)
		if !slices.Equal(codes(got), codes(all[:limit])) {
			t.Errorf("limit %d: %v, want the first %d of the unlimited result", limit, codes(got), limit)
		}
	}
}

// Every hit must match the query in some language: the picker shows why.
func TestSearchHitsMatchTheQuery(t *testing.T) {
	c := Default()
	for _, q := range []string{"metall", "transport", "software", "Dienstleistungen", "制造", "repair"} {
		for _, e := range c.Search(q, isa.EN, 0) {
			matched := false
			for _, l := range isa.Langs {
				if strings.Contains(fold(e.Label[l]), fold(q)) || strings.Contains(fold(expandUmlauts(e.Label[l])), fold(q)) {
					matched = true
				}
			}
			if !matched {
				t.Errorf("Search(%q) returned %s %v", q, e.Code, e.Label)
			}
		}
	}
}

func TestFold(t *testing.T) {
	tests := map[string]string{
		"Herstellung von Kälte- und Lufttechnik": "herstellung von kalte und lufttechnik",
		"Straße":                  "strasse",
		"  ÉCOLE  (Café) ":        "ecole cafe",
		"Ｃ２２":                     "c22",
		"塑料、橡胶（其他）":               "塑料 橡胶 其他",
		"a. n. g.":                "a n g",
		"":                        "",
		"Tätigkeiten; Webportale": "tatigkeiten webportale",
	}
	for in, want := range tests {
		if got := fold(in); got != want {
			t.Errorf("fold(%q) = %q, want %q", in, got, want)
		}
	}
}

func BenchmarkSearch(b *testing.B) {
	c := Default()
	for _, bc := range []struct {
		name, q string
		lang    isa.Lang
	}{
		{"code", "22.2", isa.EN},
		{"de-word", "kunststoff", isa.DE},
		{"de-typing-2", "ku", isa.DE},
		{"one-letter-worst-case", "a", isa.DE},
		{"en-two-words", "plastic products", isa.EN},
		{"zh", "塑料", isa.ZH},
	} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				c.Search(bc.q, bc.lang, 20)
			}
		})
	}
}

func BenchmarkDefaultParse(b *testing.B) {
	for b.Loop() {
		if _, err := Parse(strings.NewReader(string(embedded))); err != nil {
			b.Fatal(err)
		}
	}
}

// naiveSearch is Search written the plain way, one label at a time: the
// reference the indexed implementation must agree with.
func naiveSearch(c *Classification, forms map[isa.Lang][][2]string, query string, lang isa.Lang) []string {
	q := fold(query)
	if q == "" || len(query) > maxQuery {
		return nil
	}
	words := strings.Fields(q)
	exact, _ := c.Normalize(query)
	codeQ, digitsQ := codePrefix(query)
	type hit struct{ rank, other, pos int }
	var hits []hit
	for i, e := range c.entries {
		h := hit{rank: rankNone, pos: i}
		switch {
		case exact != "" && e.Code == exact:
			h.rank = rankExactCode
		case codeQ != "" && strings.HasPrefix(e.Code, codeQ), digitsQ != "" && strings.HasPrefix(e.Code[1:], digitsQ):
			h.rank = rankCodePrefix
		}
		for _, l := range isa.Langs {
			other := 1
			if l == lang {
				other = 0
			}
			for _, f := range forms[l][i] {
				r := rankNone
				all := func(prefix string) bool {
					for _, w := range words {
						if !strings.Contains(f, prefix+w) {
							return false
						}
					}
					return true
				}
				switch {
				case strings.HasPrefix(f, " "+q):
					r = rankLabelStart
				case all(" "):
					r = rankWordStart
				case all(""):
					r = rankSubstring
				}
				if r < h.rank || (r == h.rank && other < h.other) {
					h.rank, h.other = r, other
				}
			}
		}
		if h.rank != rankNone {
			hits = append(hits, h)
		}
	}
	slices.SortStableFunc(hits, func(a, b hit) int {
		if a.rank != b.rank {
			return a.rank - b.rank
		}
		return a.other - b.other
	})
	out := make([]string, len(hits))
	for i, h := range hits {
		out[i] = c.entries[h.pos].Code
	}
	return out
}

func TestSearchAgreesWithTheNaiveReference(t *testing.T) {
	c := Default()
	queries := []string{"22", "c2", "C22.2", "2229", "1.1", "D", "a", "ss", "strasse", "kaelte", "Kälte", "und", "von a", "塑料 制造", "制造 其他", "products plastic", "of", "a. n. g.", "n.e.c."}
	for i, e := range c.All() {
		if i%13 != 0 {
			continue
		}
		for _, l := range isa.Langs {
			label := e.Label[l]
			if l == isa.ZH {
				r := []rune(label)
				queries = append(queries, string(r[:min(2, len(r))]), string(r[len(r)/2:min(len(r)/2+2, len(r))]))
				continue
			}
			f := strings.Fields(label)
			queries = append(queries, f[len(f)-1], f[0][:min(3, len(f[0]))], strings.Join(f[:min(2, len(f))], " "))
			if len(f) > 2 {
				queries = append(queries, f[2]+" "+f[0])
			}
		}
	}
	forms := map[isa.Lang][][2]string{}
	for _, e := range c.All() {
		for _, l := range isa.Langs {
			forms[l] = append(forms[l], [2]string{" " + fold(e.Label[l]), " " + fold(expandUmlauts(e.Label[l]))})
		}
	}
	for _, q := range queries {
		for _, l := range isa.Langs {
			got, want := codes(c.Search(q, l, 0)), naiveSearch(c, forms, q, l)
			if !slices.Equal(got, want) {
				t.Errorf("Search(%q, %s):\n got  %v\n want %v", q, l, head(got, 10), head(want, 10))
			}
		}
	}
	t.Logf("%d queries in 3 languages", len(queries))
}

func FuzzSearch(f *testing.F) {
	for _, s := range []string{"kunststoff", "C22.2", "2229", "塑料 制造", "Kälte", "a. n. g.", "ss", " ", "\x00", "\xff"} {
		f.Add(s)
	}
	c := Default()
	forms := map[isa.Lang][][2]string{}
	for _, e := range c.All() {
		for _, l := range isa.Langs {
			forms[l] = append(forms[l], [2]string{" " + fold(e.Label[l]), " " + fold(expandUmlauts(e.Label[l]))})
		}
	}
	f.Fuzz(func(t *testing.T, q string) {
		got, want := codes(c.Search(q, isa.DE, 0)), naiveSearch(c, forms, q, isa.DE)
		if !slices.Equal(got, want) {
			t.Fatalf("Search(%q):\n got  %v\n want %v", q, head(got, 10), head(want, 10))
		}
	})
}
