package httpapi

import (
	"context"
	"fmt"
	"net/http"
	"strconv"

	"github.com/isa-alliance/isa"
	"github.com/isa-alliance/isa/internal/matching"
	"github.com/isa-alliance/isa/internal/search"
)

// Searcher is what the search route needs of the search engine; any
// search.Index satisfies it. The result is encoded as it is, so the route
// answers the same JSON as `isa search --json`.
type Searcher interface {
	Search(ctx context.Context, q search.Query) (*search.Result, error)
}

// Matcher is what the matches route needs of partner matching;
// *matching.Matcher satisfies it. Its result is the JSON line of
// `isa match --json`.
type Matcher interface {
	Matches(ctx context.Context, ref string, viewer isa.Lang, limit int) (*matching.Result, error)
}

var searchParams = []param{
	{"q", "Free text in German, Chinese or English; empty lists every live listing.",
		map[string]any{"type": "string", "maxLength": search.MaxQueryLen}},
	pListingKind, pCountry, pCity, pCooperation, pIndustry, pLang,
	{"org_kind", "Kind of the posting organisation.",
		map[string]any{"type": "string", "enum": stringsOf(isa.OrgKinds)}},
	{"sort", "relevance (default) or newest.",
		map[string]any{"type": "string", "enum": []string{search.SortRelevance, search.SortNewest}, "default": search.SortRelevance}},
	{"offset", "Number of hits to skip.",
		map[string]any{"type": "integer", "minimum": 0, "maximum": search.MaxOffset, "default": 0}},
	{"limit", "Number of hits.",
		map[string]any{"type": "integer", "minimum": 1, "maximum": search.MaxLimit, "default": search.DefaultLimit}},
}

// searchListings checks every parameter here, so that a bad one is a 400
// naming it in the reader's language, and then lets the engine normalise
// the query exactly as the command line does.
func (a *API) searchListings(w http.ResponseWriter, r *http.Request, q query) error {
	sq := search.Query{Text: q["q"], Viewer: requestLang(r), Sort: search.SortRelevance}
	if len([]rune(sq.Text)) > search.MaxQueryLen {
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
		k, err := (query{"kind": s}).orgKind()
		if err != nil {
			return invalid("org_kind", keyBadOrgKind, "unknown organisation kind")
		}
		sq.OrgKind = k
	}
	if s, ok := q["sort"]; ok {
		if s != search.SortRelevance && s != search.SortNewest {
			return invalid("sort", keyBadSort, "must be relevance or newest")
		}
		sq.Sort = s
	}
	if sq.Offset, err = intParam(q, "offset", 0, search.MaxOffset, 0); err != nil {
		return err
	}
	if sq.Limit, err = intParam(q, "limit", 1, search.MaxLimit, search.DefaultLimit); err != nil {
		return err
	}
	if sq.City, err = q.city(r.Context(), a.store); err != nil {
		return err
	}
	if err := sq.Normalize(a.today()); err != nil {
		return err
	}
	if a.search == nil {
		return &isa.Error{Code: codeUnavailable, Key: keyUnavailable, Message: "search is not available"}
	}
	// Snippets are picked in the reader's language.
	varyLanguage(w.Header())
	res, err := a.search.Search(r.Context(), sq)
	if err != nil {
		return fmt.Errorf("searching: %w", err)
	}
	if res.Hits == nil {
		res.Hits = []search.Hit{}
	}
	return writeJSON(w, http.StatusOK, res)
}

func (a *API) getMatches(w http.ResponseWriter, r *http.Request, q query) error {
	limit, err := intParam(q, "limit", 1, matching.MaxLimit, matching.DefaultLimit)
	if err != nil {
		return err
	}
	ref := r.PathValue("ref")
	// Matching would also rank a draft (its author may look); the public
	// API must not, or it would reveal that the draft exists.
	if _, err := a.publicListing(r, ref); err != nil {
		return err
	}
	if a.matcher == nil {
		return &isa.Error{Code: codeUnavailable, Key: keyUnavailable, Message: "matching is not available"}
	}
	// Reasons are written in the reader's language.
	varyLanguage(w.Header())
	res, err := a.matcher.Matches(r.Context(), ref, requestLang(r), limit)
	if isa.IsNotFound(err) {
		// Gone between the check above and the matcher's own read.
		return notFound(keyListingNotFound, "listing", ref)
	}
	if err != nil {
		return fmt.Errorf("matching %q: %w", ref, err)
	}
	if res.Matches == nil {
		res.Matches = []matching.Match{}
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
