package textanalysis

import (
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/isa-alliance/isa"
)

// testConcepts is a small vocabulary of its own, so that these tests do not
// depend on the shipped vocabulary's content.
var testConcepts = []Concept{
	{ID: "heat-pump", Terms: map[isa.Lang][]string{isa.DE: {"Wärmepumpe"}, isa.ZH: {"热泵"}, isa.EN: {"heat pump"}}, Broader: []string{"hvac"}},
	{ID: "hvac", Terms: map[isa.Lang][]string{isa.DE: {"Heizungstechnik"}, isa.ZH: {"暖通"}, isa.EN: {"HVAC"}}},
	{ID: "injection-mould", Terms: map[isa.Lang][]string{isa.DE: {"Spritzgießwerkzeug", "Spritzgussform"}, isa.ZH: {"注塑模具"}, isa.EN: {"injection mould"}}},
	{ID: "tool", Terms: map[isa.Lang][]string{isa.DE: {"Werkzeug"}, isa.ZH: {"工具"}, isa.EN: {"tool"}}},
	{ID: "fume-extractor", Terms: map[isa.Lang][]string{isa.DE: {"Schweißrauchabsaugung"}, isa.ZH: {"焊烟净化器"}, isa.EN: {"welding fume extractor"}}},
	{ID: "dental-implant", Terms: map[isa.Lang][]string{isa.DE: {"Zahnimplantat"}, isa.ZH: {"种植体", "牙种植体"}, isa.EN: {"dental implant"}}},
	{ID: "planting", Terms: map[isa.Lang][]string{isa.DE: {"Pflanzung"}, isa.ZH: {"种植"}, isa.EN: {"planting"}}},
	{ID: "switch", Terms: map[isa.Lang][]string{isa.DE: {"Schalter"}, isa.ZH: {"开关"}, isa.EN: {"switch"}}},
	{ID: "bearing", Terms: map[isa.Lang][]string{isa.DE: {"Wälzlager"}, isa.ZH: {"滚动轴承"}, isa.EN: {"rolling bearing"}}},
}

var (
	sharedOnce sync.Once
	shared     *Analyzer
	sharedErr  error
)

// newTest returns one analyser shared by the tests: loading the Chinese
// dictionary takes a second, and Learn only ever adds words.
func newTest(t *testing.T) *Analyzer {
	t.Helper()
	sharedOnce.Do(func() { shared, sharedErr = New(testConcepts) })
	if sharedErr != nil {
		t.Fatal(sharedErr)
	}
	return shared
}

func conceptIDs(a *Analyzer, ms []ConceptMatch, minWeight float32) []string {
	var ids []string
	for _, m := range ms {
		if m.Weight >= minWeight {
			ids = append(ids, a.Concepts()[m.Concept].ID)
		}
	}
	slices.Sort(ids)
	return slices.Compact(ids)
}

func terms(an Analysis) []string {
	var out []string
	for _, t := range an.Tokens {
		out = append(out, t.Term)
	}
	return out
}

func TestFoldMakesUmlautSpellingsMeet(t *testing.T) {
	tests := []struct{ a, b string }{
		{"Wälzlager", "Waelzlager"},
		{"Wälzlager", "Walzlager"},
		{"Weißbier", "Weissbier"},
		{"Näherungsschalter", "Naeherungsschalter"},
		{"KÜCHENMASCHINE", "Kuchenmaschine"},
		{"Schweißrauchabsaugung", "Schweissrauchabsaugung"},
	}
	for _, tt := range tests {
		if fa, fb := Fold(tt.a), Fold(tt.b); fa != fb {
			t.Errorf("Fold(%q)=%q, Fold(%q)=%q: want equal", tt.a, fa, tt.b, fb)
		}
	}
}

func TestFoldKeepsDiphthongsAndAcronyms(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Feuer", "feuer"},
		{"OEM", "oem"},
		{"Wärme", "warme"},
	}
	for _, tt := range tests {
		if got := Fold(tt.in); got != tt.want {
			t.Errorf("Fold(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestDetect(t *testing.T) {
	tests := []struct {
		text string
		want isa.Lang
	}{
		{"我司专业生产热泵，诚寻德国合作伙伴", isa.ZH},
		{"IO-Link 接近开关 供应", isa.ZH},
		{"Wir suchen einen Lieferanten für Wälzlager und Getriebe", isa.DE},
		{"Lohnfertigung von Blechteilen mit Laserschneiden", isa.DE},
		{"We are looking for a distribution partner for our heat pumps", isa.EN},
		{"Our company offers laser cutting services with high quality", isa.EN},
		{"", isa.EN},
	}
	for _, tt := range tests {
		if got := Detect(tt.text); got != tt.want {
			t.Errorf("Detect(%q) = %s, want %s", tt.text, got, tt.want)
		}
	}
}

func TestStemmingMergesInflections(t *testing.T) {
	tests := []struct {
		lang string
		a, b string
	}{
		{"de", "getriebe", "getrieben"},
		{"de", "maschine", "maschinen"},
		{"en", "pumps", "pump"},
		{"en", "cutting", "cut"},
	}
	for _, tt := range tests {
		if sa, sb := Stem(tt.a, tt.lang), Stem(tt.b, tt.lang); sa != sb {
			t.Errorf("%s: Stem(%q)=%q, Stem(%q)=%q", tt.lang, tt.a, sa, tt.b, sb)
		}
	}
	if got := Stem("ie3", "en"); got != "ie3" {
		t.Errorf("tokens with digits must not be stemmed, got %q", got)
	}
}

func TestCompoundSplitting(t *testing.T) {
	a := newTest(t)
	a.Learn("Laser schneiden Lohn Fertigung Holz Bearbeitung Maschinen Unternehmen Nachfolge")
	tests := []struct {
		word string
		want []string
	}{
		{"spritzgiesswerkzeug", []string{"spritzgiess", "werkzeug"}},
		{"laserschneiden", []string{"laser", "schneiden"}},
		{"lohnfertigung", []string{"lohn", "fertigung"}},
		{"holzbearbeitungsmaschinen", []string{"holz", "bearbeitung", "maschinen"}},
		{"unternehmensnachfolge", []string{"unternehmen", "nachfolge"}},
		{"maschinen", nil},
		{"qwertzuiop", nil},
	}
	for _, tt := range tests {
		if got := a.split(tt.word); !slices.Equal(got, tt.want) {
			t.Errorf("split(%q) = %q, want %q", tt.word, got, tt.want)
		}
	}
}

func TestAnalyzeGermanIndexesCompoundParts(t *testing.T) {
	a := newTest(t)
	an, err := a.Analyze("Hersteller von Spritzgießwerkzeugen", isa.DE)
	if err != nil {
		t.Fatal(err)
	}
	got := terms(an)
	for _, want := range []string{Stem("werkzeug", "de"), Stem("spritzgiesswerkzeug", "de")} {
		if !slices.Contains(got, want) {
			t.Errorf("terms %q lack %q", got, want)
		}
	}
}

func TestConceptTaggingBridgesLanguages(t *testing.T) {
	a := newTest(t)
	a.Learn("Hersteller")
	tests := []struct {
		name string
		text string
		lang isa.Lang
		want []string
	}{
		{"German word", "Wir suchen eine Wärmepumpe für Altbauten", isa.DE, []string{"heat-pump"}},
		{"German typed without umlaut", "Waermepumpe gesucht", isa.DE, []string{"heat-pump"}},
		{"German inflected in compound", "Hersteller von Luft-Wasser-Wärmepumpen", isa.DE, []string{"heat-pump"}},
		{"Chinese word in sentence", "我司专业生产空气源热泵", isa.ZH, []string{"heat-pump"}},
		{"English phrase, plural", "we sell heat pumps", isa.EN, []string{"heat-pump"}},
		{"compound names the concept through its parts", "Spritzgießwerkzeughersteller", isa.DE, []string{"injection-mould"}},
		{"longest Chinese term wins", "寻找牙种植体代理", isa.ZH, []string{"dental-implant"}},
		{"farming sense stays apart", "果树种植基地", isa.ZH, []string{"planting"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			an, err := a.Analyze(tt.text, tt.lang)
			if err != nil {
				t.Fatal(err)
			}
			if got := conceptIDs(a, an.Concepts, 1); !slices.Equal(got, tt.want) {
				t.Errorf("concepts %q, want %q", got, tt.want)
			}
		})
	}
}

func TestBroaderConceptIsWeaker(t *testing.T) {
	a := newTest(t)
	an, _ := a.Analyze("热泵", isa.ZH)
	if got := conceptIDs(a, an.Concepts, 0); !slices.Equal(got, []string{"heat-pump", "hvac"}) {
		t.Fatalf("concepts %q", got)
	}
	for _, c := range an.Concepts {
		if a.Concepts()[c.Concept].ID == "hvac" && c.Weight >= 1 {
			t.Errorf("broader concept weight %v, want < 1", c.Weight)
		}
	}
}

func TestQueryTypoTolerance(t *testing.T) {
	a := newTest(t)
	tests := []struct {
		query string
		want  string
	}{
		{"swich", "switch"},
		{"heatpump", "heat-pump"},
		{"Warmepumpe", "heat-pump"},
		{"焊烟静化器", "fume-extractor"},
		{"焊烟静化器热泵", "fume-extractor"},
		{"Schweissrauchabsaugung", "fume-extractor"},
	}
	for _, tt := range tests {
		q, err := a.AnalyzeQuery(tt.query)
		if err != nil {
			t.Fatal(err)
		}
		if got := conceptIDs(a, q.Concepts, 0); !slices.Contains(got, tt.want) {
			t.Errorf("AnalyzeQuery(%q) concepts %q, want %q", tt.query, got, tt.want)
		}
	}
}

func TestQueryGivesBothStemsAsAlternatives(t *testing.T) {
	a := newTest(t)
	q, err := a.AnalyzeQuery("laser")
	if err != nil {
		t.Fatal(err)
	}
	if len(q.Terms) != 1 {
		t.Fatalf("terms %+v, want one group", q.Terms)
	}
	alts := q.Terms[0].Alternatives
	if !slices.Contains(alts, Stem("laser", "de")) || !slices.Contains(alts, Stem("laser", "en")) {
		t.Errorf("alternatives %q lack a stemming", alts)
	}
}

func TestChineseSegmentationAndBigrams(t *testing.T) {
	a := newTest(t)
	an, err := a.Analyze("专业生产注塑模具", isa.ZH)
	if err != nil {
		t.Fatal(err)
	}
	got := terms(an)
	if !slices.Contains(got, "注塑模具") {
		t.Errorf("vocabulary term not kept whole: %q", got)
	}
	if !slices.Contains(got, BigramPrefix+"模具") {
		t.Errorf("bigrams missing: %q", got)
	}
	for _, tok := range an.Tokens {
		if !strings.HasPrefix(tok.Term, BigramPrefix) && "专业生产注塑模具"[tok.Start:tok.End] != tok.Term {
			t.Errorf("token %q has span %q", tok.Term, "专业生产注塑模具"[tok.Start:tok.End])
		}
	}
}

func TestEditDistance(t *testing.T) {
	tests := []struct {
		a, b string
		max  int
		want int
	}{
		{"swich", "switch", 2, 1},
		{"abc", "acb", 2, 1},
		{"kitten", "sitting", 2, 3},
		{"same", "same", 1, 0},
	}
	for _, tt := range tests {
		if got := EditDistance(tt.a, tt.b, tt.max); got != tt.want {
			t.Errorf("EditDistance(%q,%q,%d) = %d, want %d", tt.a, tt.b, tt.max, got, tt.want)
		}
	}
}

func TestDuplicateConceptIsRejected(t *testing.T) {
	_, err := New([]Concept{{ID: "x"}, {ID: "x"}})
	if err == nil {
		t.Fatal("want error for duplicate id")
	}
}
