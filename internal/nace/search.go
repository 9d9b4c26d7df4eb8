package nace

import (
	"slices"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/isa-alliance/isa"
)

// searchEntry holds an entry's labels folded once at parse time, so that a
// keystroke in the picker costs only substring tests.
type searchEntry struct {
	code   string // canonical, upper case: C22.29
	digits string // the code without its letter: 22.29
	labels [3][]string
}

// langSlot fixes the order of searchEntry.labels.
var langSlot = map[isa.Lang]int{isa.DE: 0, isa.ZH: 1, isa.EN: 2}

func newSearchEntry(e Entry) searchEntry {
	s := searchEntry{code: e.Code, digits: e.Code[1:]}
	for l, i := range langSlot {
		// Each folded form starts with a space, so " term" finds a word start.
		forms := []string{" " + fold(e.Label[l])}
		if alt := " " + fold(expandUmlauts(e.Label[l])); alt != forms[0] {
			forms = append(forms, alt)
		}
		s.labels[i] = forms
	}
	return s
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

type hit struct {
	rank, other, pos int // other: 1 if the match is not in the asked language
}

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
	// Folded labels start with a space, so " word" finds a word start; the
	// spaced forms are built once, not per label.
	words := strings.Fields(q)
	spaced := make([]string, len(words))
	for i, w := range words {
		spaced[i] = " " + w
	}
	m := matcher{start: " " + q, words: words, spaced: spaced}
	exact, _ := c.Normalize(query)
	codeQ, digitsQ := codePrefix(query)
	asked, askedOK := langSlot[lang]

	var hits []hit
	for i := range c.search {
		se := &c.search[i]
		h := hit{rank: rankNone, pos: i}
		switch {
		case exact != "" && se.code == exact:
			h.rank = rankExactCode
		case codeQ != "" && strings.HasPrefix(se.code, codeQ),
			digitsQ != "" && strings.HasPrefix(se.digits, digitsQ):
			h.rank = rankCodePrefix
		}
		if h.rank == rankNone {
			for slot, forms := range se.labels {
				r := m.rank(forms)
				other := 1
				if askedOK && slot == asked {
					other = 0
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
	slices.SortFunc(hits, func(a, b hit) int {
		if a.rank != b.rank {
			return a.rank - b.rank
		}
		if a.other != b.other {
			return a.other - b.other
		}
		return a.pos - b.pos
	})
	if limit > 0 && len(hits) > limit {
		hits = hits[:limit]
	}
	out := make([]Entry, len(hits))
	for k, h := range hits {
		out[k] = c.entry(h.pos)
	}
	return out
}

// matcher holds a folded query in the shapes the label tests need.
type matcher struct {
	start  string   // " " + folded query
	words  []string // its words
	spaced []string // " " + each word
}

// rank returns the best rank at which the query matches one of the folded
// forms of a label.
func (m *matcher) rank(forms []string) int {
	best := rankNone
	for _, f := range forms {
		switch {
		case strings.HasPrefix(f, m.start):
			return rankLabelStart
		case containsAll(f, m.spaced):
			best = min(best, rankWordStart)
		case containsAll(f, m.words):
			best = min(best, rankSubstring)
		}
	}
	return best
}

func containsAll(f string, words []string) bool {
	for _, w := range words {
		if !strings.Contains(f, w) {
			return false
		}
	}
	return true
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
