// Package matching ranks, for one listing, the listings on the other side
// of the market: offers for a request, requests for an offer. Candidates
// come from the search index (similar words, shared vocabulary concepts and
// NACE codes, in any language); matching then keeps the rules (never the
// same organisation, never unpublished or expired listings), favours
// partners across the German-Chinese border and fitting cooperation types,
// and explains every match with reasons in the reader's language.
package matching

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/isa-alliance/isa"
	"github.com/isa-alliance/isa/internal/search"
	"github.com/isa-alliance/isa/internal/textanalysis"
)

// Source is what matching reads of the database. isa.Store satisfies it.
type Source interface {
	Listing(ctx context.Context, ref string) (*isa.Listing, error)
	Organisation(ctx context.Context, ref string) (*isa.Organisation, error)
	City(ctx context.Context, slug string) (isa.City, error)
}

// Industries names NACE codes in a language; "" for an unknown code.
type Industries interface {
	Label(code string, lang isa.Lang) string
}

// Weights of the parts of a matching query and of the re-ranking. They
// were set on half of the development set's requests and checked on the
// other half (docs/search.md).
const (
	conceptWeight  = 2.0
	broaderFactor  = 0.5
	naceTermWeight = 0.6
	textWeight     = 1.0
	maxTextTerms   = 40
	bigramFactor   = 0.5
	candidates     = 200
	crossBorder    = 1.5 // bonus factor for a partner on the other side
	coopExact      = 0.25
	coopFitting    = 0.12
	DefaultLimit   = 10
	MaxLimit       = 100
)

// Matcher ranks partner listings.
type Matcher struct {
	idx  search.Index
	an   *textanalysis.Analyzer
	src  Source
	nace Industries
	now  func() time.Time
}

// New returns a matcher. nace may be nil (reasons then name codes only);
// now may be nil (time.Now).
func New(idx search.Index, an *textanalysis.Analyzer, src Source, nace Industries, now func() time.Time) *Matcher {
	if now == nil {
		now = time.Now
	}
	return &Matcher{idx: idx, an: an, src: src, nace: nace, now: now}
}

// Reason explains one side of a match as structured data and as text in
// the reader's language.
type Reason struct {
	Kind    string   `json:"kind"`              // concept, industry, cooperation, cross_border
	Concept string   `json:"concept,omitempty"` // vocabulary concept id
	Code    string   `json:"code,omitempty"`    // NACE code or cooperation type
	Labels  isa.Text `json:"labels,omitempty"`  // the concept, industry or type in de, zh, en
	Text    string   `json:"text"`              // rendered in the reader's language
}

// Match is one partner listing.
type Match struct {
	Ref     string          `json:"ref"`
	Score   float64         `json:"score"`
	Title   string          `json:"title"`
	Kind    isa.ListingKind `json:"kind"`
	Lang    isa.Lang        `json:"lang"`
	Org     string          `json:"org"`
	City    string          `json:"city"`
	Country string          `json:"country"`
	Reasons []Reason        `json:"reasons"`
}

// Result is the matches of one listing.
type Result struct {
	Ref     string  `json:"ref"`
	Matches []Match `json:"matches"`
}

// Matches returns the best partner listings for the listing ref, with
// reasons in the viewer's language (English when empty). The listing
// itself must exist; it need not be published (an author may look at the
// matches of a draft).
func (m *Matcher) Matches(ctx context.Context, ref string, viewer isa.Lang, limit int) (*Result, error) {
	if limit <= 0 {
		limit = DefaultLimit
	}
	limit = min(limit, MaxLimit)
	if !viewer.Valid() {
		viewer = isa.EN
	}
	l, err := m.src.Listing(ctx, ref)
	if err != nil {
		return nil, fmt.Errorf("matching: listing %s: %w", ref, err)
	}
	country, err := m.countryOf(ctx, l.Org)
	if err != nil {
		return nil, err
	}
	terms, err := m.query(ctx, l)
	if err != nil {
		return nil, err
	}
	today := isa.DateOf(m.now())
	cands, err := m.idx.Match(ctx, search.MatchQuery{
		Terms: terms, Kind: l.Kind.Opposite(), ExcludeOrg: l.Org, ExcludeRef: l.Ref, Today: today, Limit: candidates,
	})
	if err != nil {
		return nil, fmt.Errorf("matching: candidates of %s: %w", ref, err)
	}
	weight := make(map[string]float64, len(terms))
	for _, t := range terms {
		weight[t.Term] = t.Weight
	}
	res := &Result{Ref: ref, Matches: []Match{}}
	for _, c := range cands {
		// The index enforces these rules; checking again costs nothing and
		// keeps a faulty engine from breaking them.
		if c.Org == l.Org || c.Kind != l.Kind.Opposite() || c.Ref == l.Ref {
			continue
		}
		score := c.Score
		if country != "" && c.Country != "" && c.Country != country {
			score *= 1 + crossBorder
		}
		score *= 1 + coopBonus(l.Kind, l.Cooperation, c.Cooperation)
		res.Matches = append(res.Matches, Match{
			Ref: c.Ref, Score: math.Round(score*1000) / 1000, Title: c.Title, Kind: c.Kind, Lang: c.Lang,
			Org: c.Org, City: c.City, Country: c.Country,
			Reasons: m.reasons(l, country, c, viewer, weight),
		})
	}
	sort.SliceStable(res.Matches, func(i, j int) bool { return res.Matches[i].Score > res.Matches[j].Score })
	if len(res.Matches) > limit {
		res.Matches = res.Matches[:limit]
	}
	return res, nil
}

func (m *Matcher) countryOf(ctx context.Context, orgRef string) (string, error) {
	o, err := m.src.Organisation(ctx, orgRef)
	if err != nil {
		return "", fmt.Errorf("matching: organisation %s: %w", orgRef, err)
	}
	c, err := m.src.City(ctx, o.City)
	if err != nil {
		return "", fmt.Errorf("matching: city of organisation %s: %w", orgRef, err)
	}
	return c.Country, nil
}

// query turns a listing into weighted index terms: all its concepts
// (the bridge to other languages), its NACE codes, and its most telling
// words by tf-idf (for partners who write in the same language).
func (m *Matcher) query(ctx context.Context, l *isa.Listing) ([]search.WeightedTerm, error) {
	tf, _, err := search.Analyse(m.an, l)
	if err != nil {
		return nil, fmt.Errorf("matching: analyse %s: %w", l.Ref, err)
	}
	var out []search.WeightedTerm
	var words []string
	for t, f := range tf {
		switch {
		case strings.HasPrefix(t, textanalysis.ConceptPrefix):
			w := conceptWeight * math.Sqrt(float64(f))
			if f < 1 {
				w = conceptWeight * broaderFactor * float64(f)
			}
			out = append(out, search.WeightedTerm{Term: t, Weight: w})
		case strings.HasPrefix(t, textanalysis.NACEPrefix):
			out = append(out, search.WeightedTerm{Term: t, Weight: naceTermWeight})
		default:
			words = append(words, t)
		}
	}
	idf, err := m.idx.IDF(ctx, words)
	if err != nil {
		return nil, fmt.Errorf("matching: term weights: %w", err)
	}
	type ws struct {
		term string
		tf   float64
		v    float64
	}
	var ranked []ws
	for i, w := range words {
		f := float64(tf[w])
		if strings.HasPrefix(w, textanalysis.BigramPrefix) {
			f *= bigramFactor
		}
		ranked = append(ranked, ws{w, f, f * idf[i]})
	}
	sort.Slice(ranked, func(i, j int) bool {
		if ranked[i].v != ranked[j].v {
			return ranked[i].v > ranked[j].v
		}
		return ranked[i].term < ranked[j].term
	})
	for i := 0; i < len(ranked) && i < maxTextTerms; i++ {
		if ranked[i].v <= 0 {
			break
		}
		out = append(out, search.WeightedTerm{Term: ranked[i].term, Weight: textWeight * math.Sqrt(ranked[i].tf)})
	}
	return out, nil
}

// fits says which cooperation types of the other side fit a type a
// listing names: the seeker of a supplier is served by a manufacturer too,
// an investor by a joint-venture partner.
var fits = map[string][]string{
	"supply":        {"supply", "manufacturing", "distribution"},
	"distribution":  {"distribution", "supply"},
	"manufacturing": {"manufacturing", "supply"},
	"joint_venture": {"joint_venture", "investment", "manufacturing"},
	"licensing":     {"licensing", "research"},
	"research":      {"research", "services", "licensing"},
	"investment":    {"investment", "joint_venture"},
	"services":      {"services"},
}

// coopBonus rewards a candidate whose cooperation types fit the listing's.
func coopBonus(kind isa.ListingKind, mine, theirs []string) float64 {
	best := 0.0
	for _, a := range mine {
		for _, b := range theirs {
			if a == b {
				return coopExact
			}
			if fitsType(a, b) || fitsType(b, a) {
				best = coopFitting
			}
		}
	}
	return best
}

func fitsType(a, b string) bool {
	for _, x := range fits[a] {
		if x == b {
			return true
		}
	}
	return false
}
