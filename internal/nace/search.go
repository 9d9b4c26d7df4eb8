package nace

import (
	"slices"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/isa-alliance/isa"
)

// labelIndex holds the labels of one language, folded once at parse time
// and laid end to end in one string, so that finding a term in all of them
// is one strings.Index pass instead of a thousand small ones.
type labelIndex struct {
	hay    string // formSep + form, for every form; each form starts with a space
	starts []int  // offset of each form's formSep in hay, ascending
	entry  []int  // position of each form's entry
	buf    []byte // hay while parsing
}

// formSep starts every form in a labelIndex; folding never produces it, so
// no match crosses from one label into the next.
const formSep = "\x00"

// langSlot fixes the order of Classification.labels.
var langSlot = map[isa.Lang]int{isa.DE: 0, isa.ZH: 1, isa.EN: 2}

// indexLabels adds the folded forms of entry i's labels: the plain folding
// and, where it differs, the one with umlauts spelt out.
func (c *Classification) indexLabels(i int, e Entry) {
	for l, slot := range langSlot {
		ix := &c.labels[slot]
		plain := " " + fold(e.Label[l])
		forms := []string{plain}
		if alt := " " + fold(expandUmlauts(e.Label[l])); alt != plain {
			forms = append(forms, alt)
		}
		for _, f := range forms {
			ix.starts = append(ix.starts, len(ix.buf))
			ix.entry = append(ix.entry, i)
			ix.buf = append(ix.buf, formSep...)
			ix.buf = append(ix.buf, f...)
		}
	}
}

func (c *Classification) finishLabels() {
	for slot := range c.labels {
		ix := &c.labels[slot]
		ix.hay, ix.buf = string(ix.buf), nil
	}
}

// formMatches is the scratch space of labelIndex.match, reused across
// languages.
type formMatches struct {
	rank              []int8 // best rank per form
	anyCount, wsCount []int  // query words found anywhere / at a word start
	anyLast, wsLast   []int  // index of the last word counted, per form
}

func (m *formMatches) reset(n int) {
	grow := func(s []int, v int) []int {
		s = slices.Grow(s[:0], n)[:n]
		for i := range s {
			s[i] = v
		}
		return s
	}
	m.rank = slices.Grow(m.rank[:0], n)[:n]
	for i := range m.rank {
		m.rank[i] = rankNone
	}
	m.anyCount, m.wsCount = grow(m.anyCount, 0), grow(m.wsCount, 0)
	m.anyLast, m.wsLast = grow(m.anyLast, -1), grow(m.wsLast, -1)
}

// match ranks every form against the folded query q and its words. It makes
// one pass over the labels per word: an occurrence preceded by a space
// starts a word, one right after the form's start begins the label.
func (ix *labelIndex) match(q string, words []string, m *formMatches) {
	m.reset(len(ix.starts))
	for wi, w := range words {
		for pos := 0; pos < len(ix.hay); {
			i := strings.Index(ix.hay[pos:], w)
			if i < 0 {
				break
			}
			at := pos + i
			form, _ := slices.BinarySearch(ix.starts, at+1)
			form-- // the last form starting at or before the match
			if m.anyLast[form] != wi {
				m.anyLast[form] = wi
				m.anyCount[form]++
			}
			// Every form starts with formSep and a space, and words hold
			// neither, so at >= 2.
			if ix.hay[at-1] == ' ' && m.wsLast[form] != wi {
				m.wsLast[form] = wi
				m.wsCount[form]++
			}
			// Words hold no space, so an occurrence that starts a word cannot
			// overlap the previous one: skipping the word's length is safe.
			pos = at + len(w)
		}
	}
	n, start := len(words), " "+q
	for form := range m.rank {
		switch {
		case m.wsCount[form] == n && strings.HasPrefix(ix.hay[ix.starts[form]+len(formSep):], start):
			m.rank[form] = rankLabelStart
		case m.wsCount[form] == n:
			m.rank[form] = rankWordStart
		case m.anyCount[form] == n:
			m.rank[form] = rankSubstring
		}
	}
}

// fold lowers case, removes accents and compatibility forms (full-width
// letters and digits become ASCII) and turns every run of characters that
// are neither letters nor digits into one space. Han characters pass
// unchanged, so Chinese matches by substring.
func fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := true // no leading space
	for _, r := range norm.NFKD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case r == 'ß' || r == 'ẞ':
			b.WriteString("ss")
			space = false
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(unicode.ToLower(r))
			space = false
		case !space:
			b.WriteByte(' ')
			space = true
		}
	}
	return strings.TrimSuffix(b.String(), " ")
}

// umlauts spells German umlauts the way a keyboard without them does, so
// that "Kaelte" finds "Kälte" as well as "Kalte" does.
var umlauts = strings.NewReplacer("ä", "ae", "ö", "oe", "ü", "ue", "Ä", "Ae", "Ö", "Oe", "Ü", "Ue")

func expandUmlauts(s string) string { return umlauts.Replace(s) }

// Ranks of a search hit, best first.
const (
	rankExactCode  = iota // the query is the entry's code
	rankCodePrefix        // the entry's code starts with the query
	rankLabelStart        // a label starts with the query
	rankWordStart         // every query word starts a word of one label
	rankSubstring         // every query word occurs in one label
	rankNone
)

// maxQuery bounds the query in bytes; no label is that long, so a longer
// query cannot match and is not folded at all.
const maxQuery = 1000

// Search finds entries for a NACE picker. It matches the query against the
// code (exact or prefix: "22", "C22.2", "2229") and, ignoring case and
// accents, against the labels in all three languages (Chinese by substring).
// Results are ranked: exact code, code prefix, label starting with the
// query, every query word starting a word of a label, every query word
// anywhere in a label; within a rank, matches in lang come first, then
// classification order (parents before their children). limit <= 0 returns
// every hit. A blank query returns nothing; Children("") lists the sections.
func (c *Classification) Search(query string, lang isa.Lang, limit int) []Entry {
	if len(query) > maxQuery { // longer than any label: nothing to find
		return nil
	}
	q := fold(query)
	if q == "" {
		return nil
	}
	rank := make([]int8, len(c.entries))
	other := make([]int8, len(c.entries)) // 1 if the best match is not in lang
	for i := range rank {
		rank[i] = rankNone
	}
	c.rankCodes(query, rank)

	words := strings.Fields(q)
	asked, askedOK := langSlot[lang]
	var m formMatches
	for slot := range c.labels {
		ix := &c.labels[slot]
		var o int8 = 1
		if askedOK && slot == asked {
			o = 0
		}
		ix.match(q, words, &m)
		for form, r := range m.rank {
			e := ix.entry[form]
			if r < rank[e] || (r == rank[e] && o < other[e]) {
				rank[e], other[e] = r, o
			}
		}
	}

	var hits []int
	for i, r := range rank {
		if r != rankNone {
			hits = append(hits, i)
		}
	}
	slices.SortStableFunc(hits, func(a, b int) int {
		if rank[a] != rank[b] {
			return int(rank[a]) - int(rank[b])
		}
		return int(other[a]) - int(other[b])
	})
	if limit > 0 && len(hits) > limit {
		hits = hits[:limit]
	}
	out := make([]Entry, len(hits))
	for k, i := range hits {
		out[k] = c.entry(i)
	}
	return out
}

// rankCodes ranks the entries whose code is the query or starts with it.
func (c *Classification) rankCodes(query string, rank []int8) {
	exact, _ := c.Normalize(query)
	codeQ, digitsQ := codePrefix(query)
	if exact == "" && codeQ == "" && digitsQ == "" {
		return
	}
	for i, e := range c.entries {
		switch {
		case e.Code == exact:
			rank[i] = rankExactCode
		case codeQ != "" && strings.HasPrefix(e.Code, codeQ),
			digitsQ != "" && strings.HasPrefix(e.Code[1:], digitsQ):
			rank[i] = rankCodePrefix
		}
	}
}

// codePrefix reads a query that looks like the start of a code. It returns
// a prefix of canonical codes ("C2", "C22.2") when the query has a letter,
// or a prefix of the codes' digits ("22", "22.2") when it has none; both
// empty when the query is not code-like.
func codePrefix(query string) (code, digitPart string) {
	s, ok := clean(query)
	if !ok {
		return "", ""
	}
	letter := ""
	if s[0] >= 'A' && s[0] <= 'Z' {
		letter, s = s[:1], s[1:]
		if len(s) > 1 && (s[0] == '.' || s[0] == '-') {
			s = s[1:]
		}
	}
	d, ok := digitPrefix(s)
	if !ok {
		return "", ""
	}
	if letter != "" {
		return letter + d, ""
	}
	if d == "" {
		return "", ""
	}
	return "", d
}

// digitPrefix turns the digit part of a partial code into the canonical
// spelling: "222" and "22.2" both become "22.2".
func digitPrefix(s string) (string, bool) {
	if s == "" {
		return "", true
	}
	if i := strings.IndexByte(s, '.'); i >= 0 {
		if i != 2 || len(s) > 5 || !digits(s[:2]) || (len(s) > 3 && !digits(s[3:])) {
			return "", false
		}
		return s, true
	}
	if len(s) > 4 || !digits(s) {
		return "", false
	}
	if len(s) > 2 {
		return s[:2] + "." + s[2:], true
	}
	return s, true
}
