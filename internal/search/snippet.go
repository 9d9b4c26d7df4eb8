package search

import (
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/isa-alliance/isa"
	"github.com/isa-alliance/isa/internal/textanalysis"
)

// Snippet sizes in characters: long enough to show why a listing matched,
// short enough for a result list.
const (
	snippetLen    = 200
	snippetBefore = 50
)

type byteSpan struct{ start, end int }

// snippet cuts a passage around the matched words of the listing's
// description (or of the translation in the reader's language) and marks
// the words that matched the query, directly or through a concept.
func (m *Memory) snippet(t docText, lang isa.Lang, qa textanalysis.QueryAnalysis, viewer isa.Lang) []Fragment {
	type candidate struct {
		text string
		lang isa.Lang
	}
	cands := []candidate{{t.text, lang}}
	if tr, ok := t.trans[viewer]; ok && viewer != lang && tr.Description != "" {
		cands = append([]candidate{{tr.Description, viewer}}, cands...)
	}
	for l, tr := range t.trans {
		if l != viewer && tr.Description != "" {
			cands = append(cands, candidate{tr.Description, l})
		}
	}
	for _, c := range cands {
		var spans []byteSpan
		for _, sp := range m.an.Highlight(c.text, c.lang, qa) {
			spans = append(spans, byteSpan{sp.Start, sp.End})
		}
		if len(spans) > 0 {
			return fragments(c.text, mergeSpans(spans))
		}
	}
	return leadFragment(t.text)
}

// mergeSpans sorts spans and joins overlapping ones.
func mergeSpans(spans []byteSpan) []byteSpan {
	sort.Slice(spans, func(i, j int) bool { return spans[i].start < spans[j].start })
	out := spans[:1]
	for _, s := range spans[1:] {
		last := &out[len(out)-1]
		if s.start <= last.end {
			last.end = max(last.end, s.end)
			continue
		}
		out = append(out, s)
	}
	return out
}

// runeBack moves i back by n characters; runeForward forward.
func runeBack(s string, i, n int) int {
	for ; n > 0 && i > 0; n-- {
		_, size := utf8.DecodeLastRuneInString(s[:i])
		i -= size
	}
	return i
}

func runeForward(s string, i, n int) int {
	for ; n > 0 && i < len(s); n-- {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return i
}

// fragments cuts the window of text that starts a little before the first
// match and marks the matches inside it.
func fragments(text string, spans []byteSpan) []Fragment {
	from := runeBack(text, spans[0].start, snippetBefore)
	to := runeForward(text, from, snippetLen)
	var out []Fragment
	if from > 0 {
		out = append(out, Fragment{Text: "…"})
	}
	pos := from
	for _, s := range spans {
		if s.start >= to {
			break
		}
		if s.start > pos {
			out = append(out, Fragment{Text: text[pos:s.start]})
		}
		end := min(s.end, len(text))
		out = append(out, Fragment{Text: text[max(s.start, pos):end], Hit: true})
		pos = end
	}
	if pos < to {
		out = append(out, Fragment{Text: text[pos:to]})
	}
	if to < len(text) {
		out = append(out, Fragment{Text: "…"})
	}
	return joinPlain(out)
}

// joinPlain merges neighbouring unmarked fragments.
func joinPlain(fs []Fragment) []Fragment {
	var out []Fragment
	for _, f := range fs {
		if n := len(out); n > 0 && !out[n-1].Hit && !f.Hit {
			out[n-1].Text += f.Text
			continue
		}
		out = append(out, f)
	}
	return out
}

// leadFragment is the start of a text, for hits without marked words.
func leadFragment(text string) []Fragment {
	text = strings.TrimSpace(text)
	if text == "" {
		return nil
	}
	to := runeForward(text, 0, snippetLen)
	s := text[:to]
	if to < len(text) {
		s += "…"
	}
	return []Fragment{{Text: s}}
}

// SnippetHTML renders fragments as HTML: text escaped, matches in <mark>.
func SnippetHTML(fs []Fragment) string {
	var b strings.Builder
	for _, f := range fs {
		if f.Hit {
			b.WriteString("<mark>")
			b.WriteString(htmlEscape(f.Text))
			b.WriteString("</mark>")
			continue
		}
		b.WriteString(htmlEscape(f.Text))
	}
	return b.String()
}

var htmlReplacer = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;")

func htmlEscape(s string) string { return htmlReplacer.Replace(s) }
