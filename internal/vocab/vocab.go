// Package vocab is the multilingual industrial vocabulary of the ISA Partner
// Database: concepts (heat pump, sheet-metal work, sea freight, joint
// venture, ...) each with German, Chinese and English terms and synonyms,
// NACE Rev. 2 codes and broader concepts. It is the language bridge of the
// product: without a multilingual embedding model, a German offer and a
// Chinese request find each other because both mention terms of the same
// concept. The data ships with the program as text files under data/ that
// city officers and translators can extend (see docs/vocabulary.md).
package vocab

import (
	"embed"
	"fmt"
	"io/fs"
	"slices"
	"sync"

	"github.com/isa-alliance/isa"
	"github.com/isa-alliance/isa/internal/nace"
)

// Concept is one idea of the vocabulary with its terms in de, zh and en.
type Concept struct {
	ID string
	// NACE holds the concept's NACE Rev. 2 codes; a concept that declares
	// none inherits the codes of its nearest broader concepts that have some.
	NACE []string
	// Broader names the concepts this one is a kind or part of.
	Broader []string
	// Terms per language; the first term is the preferred label. Terms are
	// kept as written (case, umlauts, hyphens); the analyser normalises.
	Terms map[isa.Lang][]string
	// Cooperation names the cooperation types (isa.CooperationTypes) that a
	// listing mentioning this concept is likely to ask for, if any.
	Cooperation []string
	// Source is "file:line" of the concept's header, for error messages and
	// for translators who look for a concept's definition.
	Source string
}

// TermEntry is one term of one language pointing to its concept; the
// analyser builds its matcher from these.
type TermEntry struct {
	Term      string
	ConceptID string
	// Ambiguous is set when the term was declared with the "~" marker: it
	// belongs to more than one concept (German "Lager": bearing and
	// warehouse), so a tagger should use context or tag all of them.
	Ambiguous bool
}

// Vocabulary is a loaded and validated set of concepts. It is immutable and
// safe for concurrent use.
type Vocabulary struct {
	concepts []Concept // sorted by ID
	byID     map[string]int
	narrower map[string][]string
	terms    map[isa.Lang][]TermEntry
}

// Stats counts what a vocabulary holds.
type Stats struct {
	Concepts int
	Terms    map[isa.Lang]int
	// TotalTerms is the sum over the languages.
	TotalTerms int
}

//go:embed data/*.txt
var embedded embed.FS

// defaultVocab parses the embedded data on first use only: most commands
// (import, export) never need it.
var defaultVocab = sync.OnceValues(func() (*Vocabulary, error) {
	sub, err := fs.Sub(embedded, "data")
	if err != nil {
		return nil, fmt.Errorf("vocab: embedded data: %w", err)
	}
	return Load(sub)
})

// Default returns the vocabulary that ships with the program, parsed once.
func Default() (*Vocabulary, error) { return defaultVocab() }

// Concepts returns all concepts ordered by ID. The slice is a copy; the
// concepts' maps and slices are shared and must not be modified.
func (v *Vocabulary) Concepts() []Concept { return slices.Clone(v.concepts) }

// Len returns the number of concepts.
func (v *Vocabulary) Len() int { return len(v.concepts) }

// Concept returns the concept with the id.
func (v *Vocabulary) Concept(id string) (Concept, bool) {
	i, ok := v.byID[id]
	if !ok {
		return Concept{}, false
	}
	return v.concepts[i], true
}

// Label returns the preferred term of the concept in lang, falling back to
// English, German and Chinese; "" for an unknown id.
func (v *Vocabulary) Label(id string, lang isa.Lang) string {
	c, ok := v.Concept(id)
	if !ok {
		return ""
	}
	if t := c.Terms[lang]; len(t) > 0 {
		return t[0]
	}
	for _, l := range []isa.Lang{isa.EN, isa.DE, isa.ZH} {
		if t := c.Terms[l]; len(t) > 0 {
			return t[0]
		}
	}
	return ""
}

// Broader returns the direct broader concepts of id.
func (v *Vocabulary) Broader(id string) []string {
	c, ok := v.Concept(id)
	if !ok {
		return nil
	}
	return slices.Clone(c.Broader)
}

// Narrower returns the concepts that name id as a direct broader concept,
// ordered by ID.
func (v *Vocabulary) Narrower(id string) []string { return slices.Clone(v.narrower[id]) }

// Ancestors returns all broader concepts of id, transitively, nearest first
// and each once. The loader rejects cycles, so this terminates.
func (v *Vocabulary) Ancestors(id string) []string {
	var out []string
	seen := map[string]bool{id: true}
	queue := v.Broader(id)
	for len(queue) > 0 {
		b := queue[0]
		queue = queue[1:]
		if seen[b] {
			continue
		}
		seen[b] = true
		out = append(out, b)
		queue = append(queue, v.Broader(b)...)
	}
	return out
}

// ByNACE returns the concepts, ordered by ID, with a NACE code (own or
// inherited) that equals code or lies below it: ByNACE("C28.1") finds the
// pumps (C28.13) and the bearings (C28.15). Search and matching use it to
// relate a listing's industry codes to vocabulary concepts. An unknown code
// finds nothing.
func (v *Vocabulary) ByNACE(code string) []string {
	cls := nace.Default()
	var out []string
	for _, c := range v.concepts {
		for _, n := range c.NACE {
			if cls.Within(n, code) {
				out = append(out, c.ID)
				break
			}
		}
	}
	return out
}

// Terms returns every term of lang with its concept, ordered by term and
// then concept ID. The slice is a copy.
func (v *Vocabulary) Terms(lang isa.Lang) []TermEntry { return slices.Clone(v.terms[lang]) }

// Stats counts concepts and terms.
func (v *Vocabulary) Stats() Stats {
	s := Stats{Concepts: len(v.concepts), Terms: map[isa.Lang]int{}}
	for _, l := range isa.Langs {
		s.Terms[l] = len(v.terms[l])
		s.TotalTerms += len(v.terms[l])
	}
	return s
}
