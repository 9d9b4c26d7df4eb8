package httpapi

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"unicode/utf8"

	"github.com/isa-alliance/isa"
)

// Searcher is what the search route needs of the search engine
// (internal/search). The program wires the engine in; nil leaves the route
// answering 503.
type Searcher interface {
	Search(ctx context.Context, q SearchQuery) (*SearchResult, error)
}

// Matcher is what the matches route needs of internal/matching.
type Matcher interface {
	Matches(ctx context.Context, q MatchQuery) (*MatchResult, error)
}

// SearchQuery is a search request: free text in any language and filters.
// Zero fields select everything.
type SearchQuery struct {
	Text        string
	Viewer      isa.Lang // the reader's language, for snippets and reasons
	Kind        isa.ListingKind
	Country     string
	City        string
	Cooperation string
	Industry    string
	Lang        isa.Lang // language the listing is written in
	OrgKind     isa.OrgKind
	Sort        string // "relevance" (default) or "newest"
	Offset      int
	Limit       int
}

// SearchResult is one page of hits with facet counts over all hits. Its
// JSON is that of `isa search --json`.
type SearchResult struct {
	Total  int                     `json:"total"`
	Hits   []SearchHit             `json:"hits"`
	Facets map[string][]FacetCount `json:"facets,omitempty"`
}

// SearchHit is one listing found.
type SearchHit struct {
	Ref     string          `json:"ref"`
	Score   float64         `json:"score"`
	Kind    isa.ListingKind `json:"kind,omitempty"`
	Lang    isa.Lang        `json:"lang,omitempty"`
	Title   string          `json:"title,omitempty"`
	Org     string          `json:"org,omitempty"`
	City    string          `json:"city,omitempty"`
	Snippet []Fragment      `json:"snippet,omitempty"`
	Reasons []Reason        `json:"reasons,omitempty"`
}

// Fragment is a piece of a snippet; Hit marks matched words. Marks are kept
// apart from the text so that clients escape the text like any other.
type Fragment struct {
	Text string `json:"text"`
	Hit  bool   `json:"hit,omitempty"`
}

// FacetCount is the number of hits with one value of a facet.
type FacetCount struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

// Reason explains a hit or a match: Code names its kind (concept,
// industry, cooperation, ...), Detail what it concerns, Text says it in the
// reader's language.
type Reason struct {
	Code   string `json:"code"`
	Detail string `json:"detail,omitempty"`
	Text   string `json:"text,omitempty"`
}

// MatchQuery asks for the partner listings of one listing.
type MatchQuery struct {
	Ref    string
	Viewer isa.Lang
	Limit  int
}

// MatchResult is the JSON line of `isa match --json` for one listing.
type MatchResult struct {
	Ref     string  `json:"ref"`
	Matches []Match `json:"matches"`
}

// Match is one partner listing with the reasons it was chosen.
type Match struct {
	Ref     string   `json:"ref"`
	Score   float64  `json:"score"`
	Reasons []Reason `json:"reasons"`
}

const (
	maxQueryRunes = 500
	maxOffset     = 10000
	maxSearchPage = 100
)

var searchParams = []param{
	{"q", "Free text in German, Chinese or English.", map[string]any{"type": "string", "maxLength": maxQueryRunes}},
	pListingKind, pCountry, pCity, pCooperation, pIndustry, pLang,
	{"org_kind", "Kind of the posting organisation.", map[string]any{"type": "string", "enum": stringsOf(isa.OrgKinds)}},
	{"sort", "relevance (default) or newest.", map[string]any{"type": "string", "enum": []string{"relevance", "newest"}, "default": "relevance"}},
	{"offset", "Number of hits to skip.", map[string]any{"type": "integer", "minimum": 0, "maximum": maxOffset, "default": 0}},
	{"limit", "Number of hits.", map[string]any{"type": "integer", "minimum": 1, "maximum": maxSearchPage, "default": 20}},
}

func (a *API) searchListings(w http.ResponseWriter, r *http.Request, q query) error {
	sq := SearchQuery{Text: q["q"], Viewer: requestLang(r), Sort: "relevance"}
	if utf8.RuneCountInString(sq.Text) > maxQueryRunes || !utf8.ValidString(sq.Text) {
		return invalid("q", keyBadQuery, "search text too long")
	}
	var err error
	if sq.Kind, err = q.listingKind(); err != nil {
		return err
	}
	if sq.Country, err = q.country(); err != nil {
		return err
	}
	if sq.Cooperation, err = q.cooperation(); err != nil {
		return err
	}
	if sq.Industry, err = q.industry(); err != nil {
		return err
	}
	if sq.Lang, err = q.lang(); err != nil {
		return err
	}
	if s, ok := q["org_kind"]; ok {
		if sq.OrgKind, err = (query{"kind": s}).orgKind(); err != nil {
			err.(*isa.Error).Field = "org_kind"
			return err
		}
	}
	if s, ok := q["sort"]; ok {
		if s != "relevance" && s != "newest" {
			return invalid("sort", keyBadSort, "must be relevance or newest")
		}
		sq.Sort = s
	}
	if sq.Offset, err = intParam(q, "offset", 0, maxOffset, 0); err != nil {
		return err
	}
	if sq.Limit, err = intParam(q, "limit", 1, maxSearchPage, 20); err != nil {
		return err
	}
	if sq.City, err = q.city(r.Context(), a.store); err != nil {
		return err
	}
	if a.search == nil {
		return &isa.Error{Code: codeUnavailable, Key: keyUnavailable, Message: "search is not available"}
	}
	res, err := a.search.Search(r.Context(), sq)
	if err != nil {
		return fmt.Errorf("searching: %w", err)
	}
	if res.Hits == nil {
		res.Hits = []SearchHit{}
	}
	return writeJSON(w, http.StatusOK, res)
}

func (a *API) getMatches(w http.ResponseWriter, r *http.Request, q query) error {
	limit, err := intParam(q, "limit", 1, 100, 10)
	if err != nil {
		return err
	}
	ref := r.PathValue("ref")
	// Matches of a listing the public cannot see would reveal it.
	if _, err := a.publicListing(r, ref); err != nil {
		return err
	}
	if a.matcher == nil {
		return &isa.Error{Code: codeUnavailable, Key: keyUnavailable, Message: "matching is not available"}
	}
	res, err := a.matcher.Matches(r.Context(), MatchQuery{Ref: ref, Viewer: requestLang(r), Limit: limit})
	if err != nil {
		return fmt.Errorf("matching %q: %w", ref, err)
	}
	if res.Matches == nil {
		res.Matches = []Match{}
	}
	return writeJSON(w, http.StatusOK, res)
}

// intParam reads an integer parameter in [lo, hi], def when absent.
func intParam(q query, name string, lo, hi, def int) (int, error) {
	s, ok := q[name]
	if !ok {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < lo || n > hi {
		return 0, invalid(name, keyBadParam, fmt.Sprintf("must be a whole number from %d to %d", lo, hi))
	}
	return n, nil
}
