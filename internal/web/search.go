package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/isa-alliance/isa"
	"github.com/isa-alliance/isa/internal/i18n"
	"github.com/isa-alliance/isa/internal/search"
)

// pageSize is the number of results per search page.
const pageSize = 20

// facetFields are the filters of the search page, in the order shown, and
// their URL parameters.
var facetFields = []string{"kind", "country", "city", "coop", "industry"}

type searchData struct {
	Query   url.Values
	Text    string
	Engine  bool // a full-text engine answered
	Ignored bool // words were typed but there is no engine to search them
	Total   int  // -1 when unknown (store browsing)
	Results []card
	Facets  []facetView
	Active  []activeFilter
	// Sorts offers relevance and date ordering when words were searched.
	Sorts []sortLink
	Prev  string // query string of the previous page, "" on the first
	Next  string // query string of the next page, "" on the last
	From  int    // 1-based number of the first result shown
}

type sortLink struct {
	Label   string
	Href    string
	Current bool
}

type facetView struct {
	Field   string
	Heading string
	Open    bool // shown unfolded: short, or a value is chosen
	Values  []facetValueView
}

type facetValueView struct {
	Label    string
	Href     string
	Count    int
	HasCount bool
	Selected bool
}

type activeFilter struct {
	Label  string
	Remove string // query string without this filter
}

// searchParams are the checked parameters of a search request.
type searchParams struct {
	q                              search.Query
	page                           int
	after                          string
	kind, country, city, coop, ind string
}

func parseSearch(r *http.Request, l isa.Lang) (searchParams, error) {
	v := r.URL.Query()
	p := searchParams{page: 1, after: v.Get("after")}
	p.q.Text = strings.TrimSpace(v.Get("q"))
	if utf8.RuneCountInString(p.q.Text) > search.MaxQueryLen {
		return p, &isa.Error{Code: isa.CodeInvalid, Field: "q", Key: "error.query_too_long", Message: "the query is too long"}
	}
	p.kind, p.country, p.city, p.coop, p.ind = v.Get("kind"), v.Get("country"), v.Get("city"), v.Get("coop"), v.Get("industry")
	if p.kind != "" && p.kind != string(isa.Offer) && p.kind != string(isa.Request) {
		return p, &isa.Error{Code: isa.CodeInvalid, Field: "kind", Key: "error.bad_filter", Message: "unknown listing kind"}
	}
	if p.country != "" && p.country != isa.Germany && p.country != isa.China {
		return p, &isa.Error{Code: isa.CodeInvalid, Field: "country", Key: "error.bad_filter", Message: "unknown country"}
	}
	if p.coop != "" && !slices.Contains(isa.CooperationTypes, p.coop) {
		return p, &isa.Error{Code: isa.CodeInvalid, Field: "coop", Key: "error.bad_filter", Message: "unknown cooperation type"}
	}
	if len(p.city) > 100 || len(p.ind) > 10 {
		return p, &isa.Error{Code: isa.CodeInvalid, Key: "error.bad_filter", Message: "filter too long"}
	}
	switch v.Get("sort") {
	case "":
	case search.SortNewest:
		p.q.Sort = search.SortNewest
	default:
		return p, &isa.Error{Code: isa.CodeInvalid, Field: "sort", Key: "error.bad_filter", Message: "unknown sort order"}
	}
	if s := v.Get("page"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > search.MaxOffset/pageSize+1 {
			return p, &isa.Error{Code: isa.CodeInvalid, Field: "page", Key: "error.bad_filter", Message: "bad page number"}
		}
		p.page = n
	}
	p.q.Viewer = l
	p.q.Kind = isa.ListingKind(p.kind)
	p.q.Country, p.q.City, p.q.Cooperation, p.q.Industry = p.country, p.city, p.coop, p.ind
	p.q.Offset, p.q.Limit = (p.page-1)*pageSize, pageSize
	return p, nil
}

func (w *Web) searchPage(r *http.Request, l isa.Lang) (*view, error) {
	p, err := parseSearch(r, l)
	if err != nil {
		return nil, err
	}
	ctx, cancel := ctxTimeout(r)
	defer cancel()
	lk, err := w.lookups(ctx)
	if err != nil {
		return nil, err
	}
	loc := w.cat.Locale(l)
	query := r.URL.Query()
	d := searchData{Query: query, Text: p.q.Text, Total: -1}
	var counted map[string][]search.FacetCount
	if w.search != nil {
		d.Engine = true
		counted, err = w.searchEngine(ctx, lk, p, &d)
	} else {
		d.Ignored = p.q.Text != ""
		err = w.searchStore(ctx, lk, p, &d)
	}
	if err != nil {
		return nil, err
	}
	d.Facets = w.facets(loc, lk, query, counted)
	for _, f := range d.Facets {
		for _, v := range f.Values {
			if v.Selected {
				d.Active = append(d.Active, activeFilter{Label: f.Heading + ": " + v.Label, Remove: queryWith(query, f.Field, "")})
			}
		}
	}
	if d.Engine && p.q.Text != "" {
		d.Sorts = []sortLink{
			{Label: loc.T("search.sort_relevance"), Href: queryWith(query, "sort", ""), Current: p.q.Sort != search.SortNewest},
			{Label: loc.T("search.sort_newest"), Href: queryWith(query, "sort", search.SortNewest), Current: p.q.Sort == search.SortNewest},
		}
	}
	title := loc.T("search.title")
	if p.q.Text != "" {
		title = loc.T("search.title_query", "query", p.q.Text)
	}
	return &view{name: "search", title: title, nav: "search", data: d}, nil
}

func (w *Web) searchEngine(ctx context.Context, lk *lookups, p searchParams, d *searchData) (map[string][]search.FacetCount, error) {
	p.q.Today = w.today()
	res, err := w.search.Search(ctx, p.q)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	today := w.today()
	for _, h := range res.Hits {
		c, ok, err := lk.hitCard(ctx, h.Ref, today)
		if err != nil {
			return nil, err
		}
		if !ok {
			continue
		}
		c.Snippet = h.Snippet
		c.SnippetLang = listingText(c.Listing, p.q.Viewer, false).Lang
		c.ViaMeaning = p.q.Text != "" && !slices.ContainsFunc(h.Snippet, func(f search.Fragment) bool { return f.Hit })
		d.Results = append(d.Results, c)
	}
	d.Total = res.Total
	d.From = p.q.Offset + 1
	if p.page > 1 {
		d.Prev = queryWith(d.Query, "page", strconv.Itoa(p.page-1))
		if p.page == 2 {
			d.Prev = queryWith(d.Query, "page", "")
		}
	}
	if p.q.Offset+pageSize < res.Total {
		d.Next = queryWith(d.Query, "page", strconv.Itoa(p.page+1))
	}
	// The engine counts industries by NACE section; the page filters by the
	// same parameter as industry links elsewhere, which takes any level.
	counted := map[string][]search.FacetCount{
		"kind":     res.Facets[search.FacetKind],
		"country":  res.Facets[search.FacetCountry],
		"city":     res.Facets[search.FacetCity],
		"coop":     res.Facets[search.FacetCooperation],
		"industry": res.Facets[search.FacetSection],
	}
	return counted, nil
}

// searchStore browses the published listings by the filters alone: what the
// page can offer while no search engine is configured.
func (w *Web) searchStore(ctx context.Context, lk *lookups, p searchParams, d *searchData) error {
	f := isa.ListingFilter{
		Kind: p.q.Kind, Country: p.country, City: p.city, Cooperation: p.coop,
		Industry: p.ind, State: isa.Published, After: p.after, Limit: pageSize,
	}
	pg, err := w.store.Listings(ctx, f)
	if err != nil {
		return fmt.Errorf("browse listings: %w", err)
	}
	items := live(pg.Items, w.today())
	if d.Results, err = lk.cards(ctx, items); err != nil {
		return err
	}
	if pg.Next != "" {
		d.Next = queryWith(d.Query, "after", pg.Next)
	}
	return nil
}

// facets builds the filter links: the engine's values with their counts
// when there is an engine, else every value the store can filter by.
func (w *Web) facets(loc *i18n.Locale, lk *lookups, q url.Values, counted map[string][]search.FacetCount) []facetView {
	static := map[string][]string{
		"kind":    {string(isa.Offer), string(isa.Request)},
		"country": {isa.Germany, isa.China},
		"coop":    isa.CooperationTypes,
	}
	var out []facetView
	for _, field := range facetFields {
		fv := facetView{Field: field, Heading: loc.T("search.facet." + field)}
		selected := q.Get(field)
		var values []search.FacetCount
		hasCount := counted != nil
		if hasCount {
			values = counted[field]
		} else if field == "city" {
			for _, c := range lk.cities {
				values = append(values, search.FacetCount{Value: c.Slug})
			}
			compare := loc.Compare()
			slices.SortFunc(values, func(a, b search.FacetCount) int {
				return compare(lk.cities[a.Value].Names.In(loc.Lang), lk.cities[b.Value].Names.In(loc.Lang))
			})
		} else {
			for _, s := range static[field] {
				values = append(values, search.FacetCount{Value: s})
			}
		}
		for _, v := range values {
			vv := facetValueView{
				Label:    w.facetLabel(loc, lk, field, v.Value),
				Count:    v.Count,
				HasCount: hasCount,
				Selected: v.Value == selected,
				Href:     queryWith(q, field, v.Value),
			}
			if vv.Selected {
				vv.Href = queryWith(q, field, "")
			}
			fv.Values = append(fv.Values, vv)
		}
		// A filter set by hand (an old link, a typed URL) still shows, so
		// that it can be removed.
		if selected != "" && !slices.ContainsFunc(fv.Values, func(v facetValueView) bool { return v.Selected }) {
			fv.Values = append(fv.Values, facetValueView{Label: w.facetLabel(loc, lk, field, selected), Selected: true, Href: queryWith(q, field, "")})
		}
		// Long lists (forty cities, every NACE section) start folded so that
		// the results are in view on a phone.
		fv.Open = len(fv.Values) <= 8 || selected != ""
		if len(fv.Values) > 0 {
			out = append(out, fv)
		}
	}
	return out
}

func (w *Web) facetLabel(loc *i18n.Locale, lk *lookups, field, value string) string {
	switch field {
	case "kind":
		return loc.T("kind." + value)
	case "country":
		return loc.T("country." + value)
	case "coop":
		return loc.T("coop." + value)
	case "city":
		if c := lk.cities[value]; c != nil {
			return c.Names.In(loc.Lang)
		}
	case "industry":
		if w.industries != nil {
			if lbl := w.industries.Label(value, loc.Lang); lbl != "" {
				return value + " " + lbl
			}
		}
	}
	return value
}
