package vocab

import (
	"io/fs"
	"testing"

	"github.com/isa-alliance/isa"
)

// The shipped vocabulary must stay large enough to bridge real listings;
// these floors catch a data file that was dropped or truncated.
const (
	minConcepts     = 1200
	minTermsTotal   = 15000
	minTermsPerLang = 4500
)

func TestEmbeddedVocabularyLoadsCleanly(t *testing.T) {
	v, err := Default()
	if err != nil {
		t.Fatalf("embedded vocabulary: %v", err)
	}
	s := v.Stats()
	t.Logf("concepts %d, terms %d (de %d, zh %d, en %d)", s.Concepts, s.TotalTerms, s.Terms[isa.DE], s.Terms[isa.ZH], s.Terms[isa.EN])
	if s.Concepts < minConcepts {
		t.Errorf("%d concepts, want at least %d", s.Concepts, minConcepts)
	}
	if s.TotalTerms < minTermsTotal {
		t.Errorf("%d terms, want at least %d", s.TotalTerms, minTermsTotal)
	}
	for _, l := range isa.Langs {
		if s.Terms[l] < minTermsPerLang {
			t.Errorf("%d %s terms, want at least %d", s.Terms[l], l, minTermsPerLang)
		}
	}
}

func TestEmbeddedConceptsHaveIndustryOrRole(t *testing.T) {
	v, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	// A concept without NACE codes only makes sense for business roles
	// (distribution, licensing, ...), which carry a cooperation type instead
	// or descend from one that does.
	for _, c := range v.Concepts() {
		if len(c.NACE) > 0 || len(c.Cooperation) > 0 {
			continue
		}
		hasRole := false
		for _, a := range v.Ancestors(c.ID) {
			if b, _ := v.Concept(a); len(b.Cooperation) > 0 {
				hasRole = true
			}
		}
		if !hasRole {
			t.Errorf("%s (%s) has neither NACE codes nor a cooperation type", c.ID, c.Source)
		}
	}
}

func TestDefaultIsLoadedOnce(t *testing.T) {
	a, errA := Default()
	b, errB := Default()
	if errA != nil || errB != nil {
		t.Fatal(errA, errB)
	}
	if a != b {
		t.Error("Default returned two different vocabularies")
	}
}

func BenchmarkLoadEmbedded(b *testing.B) {
	sub, err := fs.Sub(embedded, "data")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := Load(sub); err != nil {
			b.Fatal(err)
		}
	}
}
