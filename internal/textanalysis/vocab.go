package textanalysis

import (
	"fmt"

	"github.com/isa-alliance/isa/internal/vocab"
)

// FromVocabulary converts the vocabulary's concepts for New.
func FromVocabulary(v *vocab.Vocabulary) []Concept {
	var out []Concept
	for _, c := range v.Concepts() {
		out = append(out, Concept{ID: c.ID, Terms: c.Terms, NACE: c.NACE, Broader: c.Broader, Cooperation: c.Cooperation})
	}
	return out
}

// Default returns a new analyser over the vocabulary shipped with the
// program. Each call builds a new one: callers share the one they build.
func Default() (*Analyzer, error) {
	v, err := vocab.Default()
	if err != nil {
		return nil, fmt.Errorf("textanalysis: load vocabulary: %w", err)
	}
	return New(FromVocabulary(v))
}
