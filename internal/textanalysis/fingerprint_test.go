package textanalysis

import (
	"testing"

	"github.com/isa-alliance/isa"
)

func fingerprintConcepts() []Concept {
	return []Concept{
		{ID: "heat_pump", Terms: map[isa.Lang][]string{isa.DE: {"Wärmepumpe"}, isa.ZH: {"热泵"}, isa.EN: {"heat pump"}}, NACE: []string{"C28.25"}},
		{ID: "gearbox", Terms: map[isa.Lang][]string{isa.DE: {"Getriebe"}, isa.EN: {"gearbox"}}, Broader: []string{"heat_pump"}},
	}
}

// TestFingerprintNamesTheVocabularyNotTheCorpus: equal vocabularies give
// equal fingerprints in every analyser, whatever the corpus taught its
// lexicon (that part is checked per listing through Splits); any change
// of a concept changes it.
func TestFingerprintNamesTheVocabularyNotTheCorpus(t *testing.T) {
	build := func(cs []Concept) *Analyzer {
		a, err := New(cs)
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	a := build(fingerprintConcepts())
	fp := a.Fingerprint()
	if got := build(fingerprintConcepts()).Fingerprint(); got != fp {
		t.Fatalf("two analysers of one vocabulary: %s, %s", fp, got)
	}
	a.Learn("Kältemaschinen Rad Räder Werkzeugbau Ofen Teile Stahl Autos")
	if got := a.Fingerprint(); got != fp {
		t.Errorf("learning a corpus changed the fingerprint: %s, %s", fp, got)
	}
	changes := map[string]func(cs []Concept){
		"term":       func(cs []Concept) { cs[0].Terms[isa.DE] = []string{"Waermepumpe"} },
		"term added": func(cs []Concept) { cs[1].Terms[isa.ZH] = []string{"减速机"} },
		"nace":       func(cs []Concept) { cs[0].NACE = []string{"C28.2"} },
		"broader":    func(cs []Concept) { cs[1].Broader = nil },
		"coop":       func(cs []Concept) { cs[1].Cooperation = []string{"supply"} },
		"id":         func(cs []Concept) { cs[1].ID = "gear" },
		"order":      func(cs []Concept) { cs[0], cs[1] = cs[1], cs[0] },
	}
	for name, change := range changes {
		cs := fingerprintConcepts()
		change(cs)
		if got := build(cs).Fingerprint(); got == fp {
			t.Errorf("%s changed and the fingerprint did not", name)
		}
	}
}

// TestSplitsReportsCompoundsAsTheLexiconSplitsThem: Splits gives the
// parts split would give, for long words only, and follows the lexicon.
func TestSplitsReportsCompoundsAsTheLexiconSplitsThem(t *testing.T) {
	a, err := New(fingerprintConcepts())
	if err != nil {
		t.Fatal(err)
	}
	collect := func(text string) map[string][]string {
		out := map[string][]string{}
		a.Splits(text, func(w string, parts []string) { out[w] = append([]string(nil), parts...) })
		return out
	}
	text := "Kühlaggregatbau, Rad und IE3-Motoren für Größenänderung"
	before := collect(text)
	for _, w := range []string{"rad", "und", "ie3"} {
		if _, ok := before[w]; ok {
			t.Errorf("short word or number %q reported", w)
		}
	}
	if _, ok := before["kuhlaggregatbau"]; !ok {
		t.Fatalf("compound not reported: %v", before)
	}
	a.Learn("Kühl Aggregat Bau")
	after := collect(text)
	if got := after["kuhlaggregatbau"]; len(got) < 2 {
		t.Errorf("after learning its parts: %v", got)
	}
	for w, parts := range after {
		if want := a.split(w); len(want) != len(parts) {
			t.Errorf("%s: Splits %v, split %v", w, parts, want)
		}
	}
}
