// Package search finds listings for free text in German, Chinese or English
// with filters, facet counts, sorting, pagination and highlighted snippets,
// and scores candidate partners for matching. Engines sit behind the Index
// interface so that an engine backed by PostgreSQL or OpenSearch can
// replace the default one; package searchtest holds the conformance suite
// every engine runs.
//
// The default engine (Memory) is an in-memory inverted index rebuilt from
// the database on start and kept current by following the database's
// change feed (Follow), so the database stays the one truth and a crash can
// never leave the index out of step with it.
package search

import (
	"context"

	"github.com/isa-alliance/isa"
	"github.com/isa-alliance/isa/internal/nace"
)

// Document is what an engine indexes of one listing: the listing itself
// and the attributes of its organisation that search filters on.
type Document struct {
	Listing *isa.Listing
	OrgKind isa.OrgKind
	Country string // DE or CN, of the organisation's city
	City    string // slug of the organisation's city
}

// Sort orders.
const (
	SortRelevance = "relevance"
	SortNewest    = "newest"
)

// Facet names, as in Result.Facets and the JSON.
const (
	FacetKind        = "kind"
	FacetCountry     = "country"
	FacetCity        = "city"
	FacetSection     = "section"
	FacetCooperation = "cooperation"
	FacetLang        = "lang"
	FacetOrgKind     = "org_kind"
)

// Query is a search: free text in any language (empty: everything) and
// filters; zero fields select everything.
type Query struct {
	Text        string
	Viewer      isa.Lang // the reader's language; picks the snippet's language when the listing has several
	Kind        isa.ListingKind
	Country     string
	City        string
	Industry    string // NACE code at any level: the code and everything below it
	Cooperation string
	Lang        isa.Lang // the language the listing is written in
	OrgKind     isa.OrgKind
	Sort        string // SortRelevance (default) or SortNewest
	Offset      int
	Limit       int      // 0: DefaultLimit; capped at MaxLimit
	Today       isa.Date // listings that expired before this day are never returned; zero: today (UTC)
}

// Limits of a page of results.
const (
	DefaultLimit = 20
	MaxLimit     = 100
	MaxOffset    = 10000
	MaxQueryLen  = 500
)

// Result is one page of hits and the facet counts over all hits.
type Result struct {
	Total  int                     `json:"total"`
	Hits   []Hit                   `json:"hits"`
	Facets map[string][]FacetCount `json:"facets,omitempty"`
}

// Hit is one listing found.
type Hit struct {
	Ref       string          `json:"ref"`
	Score     float64         `json:"score"`
	Title     string          `json:"title"`
	Lang      isa.Lang        `json:"lang"`
	Kind      isa.ListingKind `json:"kind"`
	Org       string          `json:"org"`
	City      string          `json:"city"`
	Country   string          `json:"country"`
	Published isa.Date        `json:"published,omitempty"`
	Snippet   []Fragment      `json:"snippet,omitempty"`
}

// Fragment is a piece of a snippet; Hit marks matched words. The marks are
// kept apart from the text, so a client escapes the text like any other
// and a listing cannot smuggle markup into a result page.
type Fragment struct {
	Text string `json:"text"`
	Hit  bool   `json:"hit,omitempty"`
}

// FacetCount is the number of hits with one value of a facet.
type FacetCount struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

// WeightedTerm is one term of a matching query with its weight. Terms are
// index terms as the analyser makes them (textanalysis prefixes concepts,
// NACE codes and bigrams).
type WeightedTerm struct {
	Term   string
	Weight float64
}

// MatchQuery asks for the listings most similar to a set of weighted
// terms: the candidates of partner matching.
type MatchQuery struct {
	Terms      []WeightedTerm
	Kind       isa.ListingKind // only listings of this kind
	ExcludeOrg string          // never listings of this organisation
	ExcludeRef string
	Today      isa.Date
	Limit      int
}

// Candidate is a listing scored for a MatchQuery, with the query terms it
// contains (for the reasons of a match) and the attributes that matching
// re-ranks by.
type Candidate struct {
	Ref         string
	Score       float64
	Kind        isa.ListingKind
	Lang        isa.Lang
	Org         string
	Country     string
	City        string
	Title       string
	Cooperation []string
	Industries  []string
	Matched     []string // the query terms the listing contains
}

// Index is a search engine over listings. Implementations keep only
// published listings that have not expired; Search and Match check expiry
// again on the day of the query.
type Index interface {
	// Put adds or replaces listings (by ref). A listing that is not
	// published is removed instead.
	Put(ctx context.Context, docs ...Document) error
	// Remove drops listings by ref; unknown refs are ignored.
	Remove(ctx context.Context, refs ...string) error
	Search(ctx context.Context, q Query) (*Result, error)
	Match(ctx context.Context, q MatchQuery) ([]Candidate, error)
	// IDF returns the inverse document frequency of index terms, for
	// weighting the terms of a matching query; 0 for unknown terms.
	IDF(ctx context.Context, terms []string) ([]float64, error)
	// Len is the number of listings indexed.
	Len() int
}

// Normalize checks a query and fills in defaults; it returns an
// *isa.Error for bad input.
func (q *Query) Normalize(today isa.Date) error {
	if len([]rune(q.Text)) > MaxQueryLen {
		return isa.Invalid("q", "the query is longer than %d characters", MaxQueryLen)
	}
	if q.Kind != "" && q.Kind != isa.Offer && q.Kind != isa.Request {
		return isa.Invalid("kind", "unknown listing kind %q", q.Kind)
	}
	if q.Country != "" && q.Country != isa.Germany && q.Country != isa.China {
		return isa.Invalid("country", "unknown country %q (DE or CN)", q.Country)
	}
	if q.Lang != "" && !q.Lang.Valid() {
		return isa.Invalid("lang", "unknown language %q (de, zh or en)", q.Lang)
	}
	if q.OrgKind != "" {
		ok := false
		for _, k := range isa.OrgKinds {
			ok = ok || k == q.OrgKind
		}
		if !ok {
			return isa.Invalid("org_kind", "unknown organisation kind %q", q.OrgKind)
		}
	}
	if q.Cooperation != "" {
		ok := false
		for _, c := range isa.CooperationTypes {
			ok = ok || c == q.Cooperation
		}
		if !ok {
			return isa.Invalid("cooperation", "unknown cooperation type %q", q.Cooperation)
		}
	}
	if q.Industry != "" {
		code, err := nace.Default().Normalize(q.Industry)
		if err != nil {
			return isa.Invalid("industry", "unknown NACE code %q", q.Industry)
		}
		q.Industry = code
	}
	switch q.Sort {
	case "":
		q.Sort = SortRelevance
	case SortRelevance, SortNewest:
	default:
		return isa.Invalid("sort", "unknown sort order %q (relevance or newest)", q.Sort)
	}
	if q.Offset < 0 || q.Offset > MaxOffset {
		return isa.Invalid("page", "the page lies beyond the results that can be shown")
	}
	if q.Limit <= 0 {
		q.Limit = DefaultLimit
	}
	q.Limit = min(q.Limit, MaxLimit)
	if q.Today == "" {
		q.Today = today
	}
	return nil
}
