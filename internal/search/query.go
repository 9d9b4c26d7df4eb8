package search

import (
	"context"
	"fmt"
	"math"
	"math/bits"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/isa-alliance/isa"
	"github.com/isa-alliance/isa/internal/textanalysis"
)

// Coverage: a document that matches every word of a query ranks above one
// that matches only some, however often it repeats those.
const (
	coverageFloor = 0.35
	fuzzyWeight   = 0.7
)

// Search runs a query.
func (m *Memory) Search(ctx context.Context, q Query) (*Result, error) {
	if err := q.Normalize(isa.DateOf(m.now())); err != nil {
		return nil, err
	}
	var qa textanalysis.QueryAnalysis
	hasText := strings.TrimSpace(q.Text) != ""
	if hasText {
		var err error
		if qa, err = m.an.AnalyzeQuery(q.Text); err != nil {
			return nil, fmt.Errorf("search: analyse query: %w", err)
		}
	}
	m.mu.RLock()
	locked := true
	defer func() {
		if locked {
			m.mu.RUnlock()
		}
	}()
	f := m.compileFilter(q.Today, q.Kind, q.Country, q.City, q.Cooperation, q.Industry, q.Lang, q.OrgKind)
	h := &topK{newest: q.Sort == SortNewest}
	k := q.Offset + q.Limit
	fc := &facetCounter{city: make([]int, len(m.cities.values))}
	total := 0
	if !hasText {
		// Without words to rank by, the newest listings come first.
		h.newest = true
		for d := int32(0); d < int32(len(m.docs.ref)); d++ {
			if m.pass(&f, d) {
				total++
				fc.add(&m.docs, d)
				h.offer(scored{d: d, key: m.docs.published[d]}, k)
			}
		}
	} else {
		groups, words := m.queryGroups(qa)
		s := m.getScratch(len(m.docs.ref))
		for _, g := range groups {
			if err := ctx.Err(); err != nil {
				m.putScratch(s)
				return nil, err
			}
			m.accumulate(s, g)
		}
		all := bits.OnesCount32(words)
		m.expandLocked(s, &f, words, all)
		for _, d := range s.touched {
			if !m.pass(&f, d) {
				continue
			}
			score := s.acc[d]
			if all > 0 {
				frac := float32(bits.OnesCount32(s.cover[d]&words)) / float32(all)
				score *= coverageFloor + (1-coverageFloor)*frac
			}
			total++
			fc.add(&m.docs, d)
			h.offer(scored{d: d, score: score, key: m.docs.published[d]}, k)
		}
		m.putScratch(s)
	}
	res := &Result{Total: total, Hits: []Hit{}, Facets: m.facets(fc)}
	top := h.sorted()
	var texts []docText
	for i := q.Offset; i < len(top); i++ {
		d := top[i].d
		res.Hits = append(res.Hits, m.hitLocked(d, float64(top[i].score)))
		texts = append(texts, docText{text: m.docs.text[d], trans: m.docs.trans[d]})
	}
	// Snippets need no index: writers need not wait for them, nor for
	// the database when the texts are read from there.
	m.mu.RUnlock()
	locked = false
	for i := range res.Hits {
		h := &res.Hits[i]
		t := texts[i]
		if m.texts != nil {
			l, err := m.texts.Listing(ctx, h.Ref)
			if err != nil {
				// The listing changed after the search: its hit stays,
				// without a passage.
				continue
			}
			t = docText{text: l.Description, trans: l.Translations}
		}
		if hasText {
			h.Snippet = m.snippet(t, h.Lang, qa, q.Viewer)
		} else {
			h.Snippet = leadFragment(t.text)
		}
	}
	return res, nil
}

// docText is what snippets are cut from.
type docText struct {
	text  string
	trans map[isa.Lang]isa.Translation
}

func (m *Memory) hitLocked(d int32, score float64) Hit {
	t := &m.docs
	h := Hit{
		Ref:   t.ref[d],
		Score: math.Round(score*10000) / 10000,
		Title: t.title[d],
		Org:   m.orgs.values[t.org[d]],
		City:  m.cities.values[t.city[d]],
	}
	if c := t.lang[d]; c > 0 {
		h.Lang = langCodes[c-1]
	}
	if c := t.kind[d]; c > 0 {
		h.Kind = kindCodes[c-1]
	}
	if c := t.country[d]; c > 0 {
		h.Country = countryCodes[c-1]
	}
	if p := t.published[d]; p > 0 {
		h.Published = isa.Date(dayString(p))
	}
	return h
}

// queryGroups turns an analysed query into scoring groups and the bit set
// of its words.
func (m *Memory) queryGroups(qa textanalysis.QueryAnalysis) ([]group, uint32) {
	type span struct{ start, end int }
	var units []span
	for _, t := range qa.Terms {
		if t.Weight != textanalysis.WordWeight || len(units) >= 32 {
			continue
		}
		sp := span{t.Start, t.End}
		found := false
		for _, u := range units {
			found = found || u == sp
		}
		if !found {
			units = append(units, sp)
		}
	}
	cover := func(start, end int) uint32 {
		var b uint32
		for i, u := range units {
			if u.start < end && start < u.end {
				b |= 1 << i
			}
		}
		return b
	}
	var words uint32
	for i := range units {
		words |= 1 << i
	}
	var groups []group
	for _, t := range qa.Terms {
		g := group{weight: float64(t.Weight), words: cover(t.Start, t.End)}
		for _, alt := range t.Alternatives {
			if id, ok := m.termID[alt]; ok {
				g.ids = append(g.ids, id)
			}
		}
		if len(g.ids) == 0 && t.Weight == textanalysis.WordWeight {
			g.ids = m.fuzzyLocked(t.Alternatives)
			g.weight *= fuzzyWeight
		}
		if len(g.ids) > 0 && (t.Weight == textanalysis.WordWeight || !m.commonLocked(g.ids[0])) {
			groups = append(groups, g)
		}
	}
	concepts := map[int32]float32{}
	spans := map[int32]uint32{}
	for _, c := range qa.Concepts {
		if c.Weight > concepts[c.Concept] {
			concepts[c.Concept] = c.Weight
		}
		if c.Start >= 0 {
			spans[c.Concept] |= cover(c.Start, c.End)
		}
	}
	nace := map[string]bool{}
	all := m.an.Concepts()
	ids := make([]int32, 0, len(concepts))
	for c := range concepts {
		ids = append(ids, c)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	for _, c := range ids {
		w := concepts[c]
		if id, ok := m.termID[textanalysis.ConceptPrefix+all[c].ID]; ok && (w >= 0.8 || !m.commonLocked(id)) {
			groups = append(groups, group{ids: []int32{id}, weight: conceptBoost * float64(w), words: spans[c]})
		}
		if w >= 0.8 {
			for _, code := range all[c].NACE {
				nace[code] = true
			}
		}
	}
	for code := range nace {
		if id, ok := m.termID[textanalysis.NACEPrefix+strings.ToUpper(code)]; ok && !m.commonLocked(id) {
			groups = append(groups, group{ids: []int32{id}, weight: naceWeight})
		}
	}
	return groups, words
}

// fuzzyLocked finds index terms within a small edit distance of a query
// word that the index does not know (swich → switch). Only terms of about
// the same length and the same first letter are compared: typing errors
// rarely hit the first letter, and this keeps the scan short at a million
// listings.
func (m *Memory) fuzzyLocked(alts []string) []int32 {
	var out []int32
	best := 3
	for _, a := range alts {
		n := utf8.RuneCountInString(a)
		if n < 4 || !isPlainLatin(a) {
			continue
		}
		maxDist := 1
		if n >= 8 {
			maxDist = 2
		}
		for l := n - maxDist; l <= n+maxDist; l++ {
			for _, id := range m.byLen[l] {
				term := m.terms[id]
				if term[0] != a[0] {
					continue
				}
				d := textanalysis.EditDistance(a, term, maxDist)
				if d > maxDist || d > best {
					continue
				}
				if d < best {
					best, out = d, out[:0]
				}
				if len(out) < 4 {
					out = append(out, id)
				}
			}
		}
	}
	return out
}

func dayString(days int32) string {
	return string(isa.DateOf(unixDay(days)))
}

// Pseudo-relevance feedback: a query whose words the vocabulary does not
// know can only find listings in its own language. The concepts that the
// best few listings share are added to the query with a low weight, which
// carries it across the language border. Measured with half of the
// vocabulary removed, it lifts search nDCG@10 from 0.806 to 0.824, and
// with the full vocabulary from 0.930 to 0.937 (docs/search.md).
const (
	feedbackDocs   = 3
	feedbackMin    = 2 // a concept must be in this many of the best listings
	feedbackTerms  = 3
	feedbackWeight = 0.5
)

func (m *Memory) expandLocked(s *scratch, f *filter, words uint32, all int) {
	h := &topK{}
	for _, d := range s.touched {
		if !m.pass(f, d) {
			continue
		}
		score := s.acc[d]
		if all > 0 {
			score *= coverageFloor + (1-coverageFloor)*float32(bits.OnesCount32(s.cover[d]&words))/float32(all)
		}
		h.offer(scored{d: d, score: score}, feedbackDocs)
	}
	if len(h.items) < feedbackMin {
		return
	}
	count := map[int32]int{}
	for _, sc := range h.items {
		for _, id := range m.docs.concepts[sc.d] {
			count[id]++
		}
	}
	var pick []int32
	for id, n := range count {
		if n >= feedbackMin {
			pick = append(pick, id)
		}
	}
	// The rarest shared concepts are the most specific ones.
	sort.Slice(pick, func(i, j int) bool {
		a, b := len(m.postings[pick[i]].docs), len(m.postings[pick[j]].docs)
		if a != b {
			return a < b
		}
		return pick[i] < pick[j]
	})
	if len(pick) > feedbackTerms {
		pick = pick[:feedbackTerms]
	}
	for _, id := range pick {
		if !m.commonLocked(id) {
			m.accumulate(s, group{ids: []int32{id}, weight: conceptBoost * feedbackWeight})
		}
	}
}
