package textanalysis

import "github.com/isa-alliance/isa"

// QueryTerm is one unit of a query: a word with the index terms that count
// as it (German and English stems of the same typed word), and its weight.
type QueryTerm struct {
	Alternatives []string
	Weight       float32
	Start, End   int // byte span in the query
}

// QueryAnalysis is an analysed search query.
type QueryAnalysis struct {
	Lang     isa.Lang
	Terms    []QueryTerm
	Concepts []ConceptMatch
}

// AnalyzeQuery analyses a typed query. Its language is only a guess from a
// few words, so Latin words get both German and English stems, compounds
// are split in any language, and words naming no concept are matched to
// concepts with a small edit distance (typing errors).
func (a *Analyzer) AnalyzeQuery(text string) (QueryAnalysis, error) {
	lang := Detect(text)
	var an Analysis
	an.Lang = lang
	if err := a.run(text, lang, true, &an); err != nil {
		return QueryAnalysis{}, err
	}
	q := QueryAnalysis{Lang: lang, Concepts: an.Concepts}
	for _, t := range an.Tokens {
		// Tokens of the same word with the same weight are alternatives
		// (the two stemmings of one typed word).
		if n := len(q.Terms); n > 0 {
			last := &q.Terms[n-1]
			if last.Start == t.Start && last.End == t.End && last.Weight == t.Weight && t.Weight == WordWeight {
				if !contains(last.Alternatives, t.Term) {
					last.Alternatives = append(last.Alternatives, t.Term)
				}
				continue
			}
		}
		q.Terms = append(q.Terms, QueryTerm{Alternatives: []string{t.Term}, Weight: t.Weight, Start: t.Start, End: t.End})
	}
	return q, nil
}
