package textanalysis

import (
	"strings"
	"unicode/utf8"

	"github.com/isa-alliance/isa"
)

// Span is a byte range of a text.
type Span struct{ Start, End int }

// Highlight returns the spans of text that match a query: words with a
// query term's stem, Chinese substrings equal to a query word, and terms of
// the concepts the query names. It needs no Chinese segmentation, so
// snippets of a page of hits cost little.
func (a *Analyzer) Highlight(text string, lang isa.Lang, q QueryAnalysis) []Span {
	if !lang.Valid() {
		lang = Detect(text)
	}
	want := map[string]bool{}
	hanMax := 0
	for _, t := range q.Terms {
		for _, alt := range t.Alternatives {
			alt = strings.TrimPrefix(alt, BigramPrefix)
			want[alt] = true
			if r, _ := utf8.DecodeRuneInString(alt); isHan(r) {
				hanMax = max(hanMax, utf8.RuneCountInString(alt))
			}
		}
	}
	concepts := map[int32]bool{}
	for _, c := range q.Concepts {
		if c.Start >= 0 {
			concepts[c.Concept] = true
		}
	}
	hanMax = max(hanMax, a.maxHan)
	stemLang := latinStemLang(lang)
	var spans []Span
	var words []latinWord
	pos := 0
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		switch {
		case isHan(r):
			j := runEnd(text, i, isHan)
			spans = a.highlightHan(text, i, j, hanMax, want, concepts, spans)
			pos++
			i = j
		case isWordRune(r):
			j := runEnd(text, i, isWordRune)
			f := Fold(text[i:j])
			if n := utf8.RuneCountInString(f); (n > 1 || hasDigit(f)) && !stopwords[f] {
				s := Stem(f, stemLang)
				if want[s] {
					spans = append(spans, Span{i, j})
				}
				words = append(words, latinWord{start: i, end: j, pos: pos, folded: f, stems: []string{s}})
			}
			pos++
			i = j
		default:
			i += size
		}
	}
	if len(concepts) > 0 {
		var an Analysis
		a.tagLatin(words, false, &an)
		for _, c := range an.Concepts {
			if concepts[c.Concept] {
				spans = append(spans, Span{c.Start, c.End})
			}
		}
	}
	return spans
}

func (a *Analyzer) highlightHan(text string, i, j, maxLen int, want map[string]bool, concepts map[int32]bool, spans []Span) []Span {
	runes, offs := runeOffsets(text, i, j)
	for k := 0; k < len(runes); {
		found := 0
		for n := min(maxLen, len(runes)-k); n >= 2 && found == 0; n-- {
			s := string(runes[k : k+n])
			if want[s] {
				found = n
				break
			}
			for _, id := range a.hanKeys[s] {
				if concepts[id] {
					found = n
					break
				}
			}
		}
		if found > 0 {
			spans = append(spans, Span{offs[k], offs[k+found]})
			k += found
		} else {
			k++
		}
	}
	return spans
}
