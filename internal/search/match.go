package search

import (
	"context"
	"sort"

	"github.com/isa-alliance/isa"
)

// Match scores listings against weighted terms: the candidates of partner
// matching. Scoring is BM25 with the query weights as boosts.
func (m *Memory) Match(ctx context.Context, q MatchQuery) ([]Candidate, error) {
	today := q.Today
	if today == "" {
		today = isa.DateOf(m.now())
	}
	limit := q.Limit
	if limit <= 0 {
		limit = DefaultLimit
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	f := m.compileFilter(today, q.Kind, "", "", "", "", "", "")
	if q.ExcludeOrg != "" {
		if id, ok := m.orgs.ids[q.ExcludeOrg]; ok {
			f.org = id
		}
	}
	if d, ok := m.byRef[q.ExcludeRef]; ok {
		f.ref = d
	}
	var ids []int32
	var groups []group
	for _, t := range q.Terms {
		if id, ok := m.termID[t.Term]; ok && t.Weight > 0 && !m.commonLocked(id) {
			groups = append(groups, group{ids: []int32{id}, weight: t.Weight})
			ids = append(ids, id)
		}
	}
	s := m.getScratch(len(m.docs.ref))
	for _, g := range groups {
		if err := ctx.Err(); err != nil {
			m.putScratch(s)
			return nil, err
		}
		m.accumulate(s, g)
	}
	h := &topK{}
	for _, d := range s.touched {
		if m.pass(&f, d) {
			h.offer(scored{d: d, score: s.acc[d]}, limit)
		}
	}
	m.putScratch(s)
	var out []Candidate
	for _, sc := range h.sorted() {
		d := sc.d
		hit := m.hitLocked(d, float64(sc.score))
		c := Candidate{
			Ref: hit.Ref, Score: hit.Score, Kind: hit.Kind, Lang: hit.Lang, Org: hit.Org,
			Country: hit.Country, City: hit.City, Title: hit.Title,
			Industries: m.docs.industries[d],
		}
		for i, t := range isa.CooperationTypes {
			if m.docs.coop[d]&(1<<i) != 0 {
				c.Cooperation = append(c.Cooperation, t)
			}
		}
		for _, id := range ids {
			p := m.postings[id].docs
			if i := sort.Search(len(p), func(i int) bool { return p[i] >= d }); i < len(p) && p[i] == d {
				c.Matched = append(c.Matched, m.terms[id])
			}
		}
		out = append(out, c)
	}
	return out, nil
}
