package web

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"time"

	"github.com/isa-alliance/isa"
	"github.com/isa-alliance/isa/internal/search"
)

// card is a listing as the lists show it: with its organisation and city,
// and on the search page the passage that matched and why.
type card struct {
	Listing *isa.Listing
	Org     *isa.Organisation
	City    *isa.City
	Snippet []search.Fragment
	// SnippetLang is the language of the snippet, which the engine takes
	// from the reader's translation where there is one.
	SnippetLang string
	// ViaMeaning marks a hit none of whose words were typed: it was found
	// through a concept or another language, and the page says so.
	ViaMeaning bool
	Reasons    []Reason
}

// lookups caches organisations and cities during one request, since a list
// of twenty listings often names the same organisation several times.
type lookups struct {
	w      *Web
	orgs   map[string]*isa.Organisation
	cities map[string]*isa.City
}

func (w *Web) lookups(ctx context.Context) (*lookups, error) {
	cs, err := w.allCities(ctx)
	if err != nil {
		return nil, err
	}
	lk := &lookups{w: w, orgs: map[string]*isa.Organisation{}, cities: make(map[string]*isa.City, len(cs))}
	for i := range cs {
		lk.cities[cs[i].Slug] = &cs[i]
	}
	return lk, nil
}

func (lk *lookups) org(ctx context.Context, ref string) (*isa.Organisation, error) {
	if o, ok := lk.orgs[ref]; ok {
		return o, nil
	}
	o, err := lk.w.store.Organisation(ctx, ref)
	if isa.IsNotFound(err) {
		// A listing whose organisation is gone is a fault of the data, not
		// a page the visitor asked for that does not exist: it must not
		// turn the page into a 404.
		return nil, &isa.Error{Code: isa.CodeInternal, Message: "organisation of a listing missing", Err: fmt.Errorf("organisation %s: %w", ref, err)}
	}
	if err != nil {
		return nil, fmt.Errorf("organisation %s: %w", ref, err)
	}
	lk.orgs[ref] = o
	return o, nil
}

func (lk *lookups) card(ctx context.Context, l *isa.Listing) (card, error) {
	o, err := lk.org(ctx, l.Org)
	if err != nil {
		return card{}, err
	}
	return card{Listing: l, Org: o, City: lk.cities[o.City]}, nil
}

// hitCard is the card of a search hit or match by ref; ok is false when
// the hit is to be left out: the index trails the database by a moment
// (gone, no longer live), or the data has a fault (no organisation),
// which should not take the other hits down.
func (lk *lookups) hitCard(ctx context.Context, ref string, today isa.Date) (c card, ok bool, err error) {
	li, err := lk.w.store.Listing(ctx, ref)
	if isa.IsNotFound(err) {
		return card{}, false, nil
	}
	if err != nil {
		return card{}, false, fmt.Errorf("hit %s: %w", ref, err)
	}
	if !li.Live(today) {
		return card{}, false, nil
	}
	c, err = lk.card(ctx, li)
	if lk.missingOrg(err) {
		lk.w.log.Warn("web: listing without organisation left out", "listing", li.Ref, "org", li.Org)
		return card{}, false, nil
	}
	if err != nil {
		return card{}, false, err
	}
	return c, true, nil
}

func (lk *lookups) cards(ctx context.Context, ls []isa.Listing) ([]card, error) {
	out := make([]card, 0, len(ls))
	for i := range ls {
		c, err := lk.card(ctx, &ls[i])
		if lk.missingOrg(err) {
			// One broken listing should not take a whole list down.
			lk.w.log.Warn("web: listing without organisation left out", "listing", ls[i].Ref, "org", ls[i].Org)
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// missingOrg reports whether err is lookups.org's report of a missing
// organisation.
func (lk *lookups) missingOrg(err error) bool {
	var e *isa.Error
	return errors.As(err, &e) && e.Code == isa.CodeInternal && isa.IsNotFound(e.Err)
}

// live keeps the listings that may be shown publicly today.
func live(ls []isa.Listing, today isa.Date) []isa.Listing {
	return slices.DeleteFunc(ls, func(l isa.Listing) bool { return !l.Live(today) })
}

// newestFirst orders listings by publication day, newest first, ref as
// tie-break so that the order is stable.
func newestFirst(ls []isa.Listing) {
	slices.SortFunc(ls, func(a, b isa.Listing) int {
		if c := cmp.Compare(b.Published, a.Published); c != 0 {
			return c
		}
		return cmp.Compare(a.Ref, b.Ref)
	})
}

// members splits the cities that are members on day d by country, sorted
// by name in language l; former members come last.
func members(cs []isa.City, d isa.Date, l isa.Lang, compare func(a, b string) int) (german, chinese, former []isa.City) {
	for _, c := range cs {
		switch {
		case !c.Member(d):
			former = append(former, c)
		case c.Country == isa.Germany:
			german = append(german, c)
		case c.Country == isa.China:
			chinese = append(chinese, c)
		default:
			former = append(former, c)
		}
	}
	byName := func(a, b isa.City) int { return compare(a.Names.In(l), b.Names.In(l)) }
	slices.SortFunc(german, byName)
	slices.SortFunc(chinese, byName)
	slices.SortFunc(former, byName)
	return german, chinese, former
}

// since is the day a city joined in its current membership, "" if unknown.
func since(c isa.City, d isa.Date) isa.Date { return current(c, d).Joined }

// current is the membership period of c that includes day d, zero if none.
func current(c isa.City, d isa.Date) isa.Membership {
	var out isa.Membership
	for _, m := range c.Memberships {
		if (m.Joined == "" || m.Joined <= d) && (m.Left == "" || d < m.Left) {
			out = m
		}
	}
	return out
}

type homeData struct {
	Counts      counts
	NewOffers   []card
	NewRequests []card
	German      []isa.City
	Chinese     []isa.City
}

// newest is how many offers and requests the home page shows.
const newest = 5

func (w *Web) home(r *http.Request, l isa.Lang) (*view, error) {
	ctx, cancel := ctxTimeout(r)
	defer cancel()
	lk, err := w.lookups(ctx)
	if err != nil {
		return nil, err
	}
	d := homeData{}
	if d.Counts, err = w.liveCounts(ctx); err != nil {
		return nil, err
	}
	today := w.today()
	for _, k := range []isa.ListingKind{isa.Offer, isa.Request} {
		ls, err := w.newest(ctx, k, l, today)
		if err != nil {
			return nil, err
		}
		cs, err := lk.cards(ctx, ls)
		if err != nil {
			return nil, err
		}
		if k == isa.Offer {
			d.NewOffers = cs
		} else {
			d.NewRequests = cs
		}
	}
	all := make([]isa.City, 0, len(lk.cities))
	for _, c := range lk.cities {
		all = append(all, *c)
	}
	d.German, d.Chinese, _ = members(all, today, l, w.cat.Locale(l).Compare())
	return &view{name: "home", title: w.cat.Locale(l).T("home.title"), nav: "home", data: d}, nil
}

// newest returns the latest live listings of kind k. The search engine
// sorts by publication day over everything; without one, the newest are
// picked from the store's first page, which is exact for a small database.
func (w *Web) newest(ctx context.Context, k isa.ListingKind, l isa.Lang, today isa.Date) ([]isa.Listing, error) {
	if w.search != nil {
		res, err := w.search.Search(ctx, search.Query{Kind: k, Viewer: l, Sort: search.SortNewest, Limit: newest, Today: today})
		if err != nil {
			return nil, fmt.Errorf("newest %ss: %w", k, err)
		}
		var out []isa.Listing
		for _, h := range res.Hits {
			li, err := w.store.Listing(ctx, h.Ref)
			if isa.IsNotFound(err) {
				continue // the index trails the database by a moment
			}
			if err != nil {
				return nil, fmt.Errorf("newest %s %s: %w", k, h.Ref, err)
			}
			if li.Live(today) {
				out = append(out, *li)
			}
		}
		return out, nil
	}
	p, err := w.store.Listings(ctx, isa.ListingFilter{Kind: k, State: isa.Published, Limit: 500})
	if err != nil {
		return nil, fmt.Errorf("newest %ss: %w", k, err)
	}
	ls := live(p.Items, today)
	newestFirst(ls)
	return ls[:min(newest, len(ls))], nil
}

type citiesData struct {
	German, Chinese, Former []cityRow
}

type cityRow struct {
	City  isa.City
	Since isa.Date
}

func (w *Web) cities(r *http.Request, l isa.Lang) (*view, error) {
	ctx, cancel := ctxTimeout(r)
	defer cancel()
	cs, err := w.allCities(ctx)
	if err != nil {
		return nil, err
	}
	today := w.today()
	de, cn, former := members(cs, today, l, w.cat.Locale(l).Compare())
	rows := func(cs []isa.City) []cityRow {
		out := make([]cityRow, len(cs))
		for i, c := range cs {
			out[i] = cityRow{City: c, Since: since(c, today)}
		}
		return out
	}
	d := citiesData{German: rows(de), Chinese: rows(cn), Former: rows(former)}
	return &view{name: "cities", title: w.cat.Locale(l).T("cities.title"), nav: "cities", data: d}, nil
}

// listLimit is how many organisations and listings a city or organisation
// page lists; the search page goes further.
const listLimit = 50

type cityData struct {
	City     isa.City
	Member   bool
	Since    isa.Date
	Event    string // where it joined, e.g. "Hannover Messe 2019"
	Orgs     []isa.Organisation
	MoreOrgs string // query string of the next organisations, "" on the last
	Listings []card
}

func (w *Web) city(r *http.Request, l isa.Lang) (*view, error) {
	ctx, cancel := ctxTimeout(r)
	defer cancel()
	c, err := w.store.City(ctx, r.PathValue("slug"))
	if err != nil {
		return nil, err
	}
	today := w.today()
	m := current(c, today)
	d := cityData{City: c, Member: c.Member(today), Since: m.Joined, Event: m.Event}
	after := r.URL.Query().Get("orgs")
	orgs, err := w.store.Organisations(ctx, isa.OrgFilter{City: c.Slug, Limit: listLimit, After: after})
	if isa.ErrorCode(err) == isa.CodeInvalid && after != "" {
		return nil, &isa.Error{Code: isa.CodeInvalid, Key: "error.bad_filter", Message: "bad cursor", Err: err}
	}
	if err != nil {
		return nil, fmt.Errorf("organisations of %s: %w", c.Slug, err)
	}
	d.Orgs = orgs.Items
	if orgs.Next != "" {
		d.MoreOrgs = "?" + url.Values{"orgs": {orgs.Next}}.Encode() + "#orgs-h"
	}
	compare := w.cat.Locale(l).Compare()
	slices.SortFunc(d.Orgs, func(a, b isa.Organisation) int { return compare(orgName(&a, l), orgName(&b, l)) })
	ls, err := w.store.Listings(ctx, isa.ListingFilter{City: c.Slug, State: isa.Published, Limit: listLimit})
	if err != nil {
		return nil, fmt.Errorf("listings of %s: %w", c.Slug, err)
	}
	items := live(ls.Items, today)
	newestFirst(items)
	lk, err := w.lookups(ctx)
	if err != nil {
		return nil, err
	}
	if d.Listings, err = lk.cards(ctx, items); err != nil {
		return nil, err
	}
	return &view{name: "city", title: c.Names.In(l), nav: "cities", data: d}, nil
}

type orgData struct {
	Org      *isa.Organisation
	City     *isa.City
	Listings []card
}

// organisation shows the public record of an organisation. It never reads
// the contact persons: they are personal data, for accepted partners only.
func (w *Web) organisation(r *http.Request, l isa.Lang) (*view, error) {
	ctx, cancel := ctxTimeout(r)
	defer cancel()
	o, err := w.store.Organisation(ctx, r.PathValue("ref"))
	if err != nil {
		return nil, err
	}
	lk, err := w.lookups(ctx)
	if err != nil {
		return nil, err
	}
	lk.orgs[o.Ref] = o
	ls, err := w.store.Listings(ctx, isa.ListingFilter{Org: o.Ref, State: isa.Published, Limit: listLimit})
	if err != nil {
		return nil, fmt.Errorf("listings of %s: %w", o.Ref, err)
	}
	items := live(ls.Items, w.today())
	newestFirst(items)
	d := orgData{Org: o, City: lk.cities[o.City]}
	if d.Listings, err = lk.cards(ctx, items); err != nil {
		return nil, err
	}
	return &view{name: "organisation", title: orgName(o, l), nav: "cities", data: d}, nil
}

type listingData struct {
	card
	Expired bool
	// TranslatedFrom is the original language when the page shows the
	// author's translation at the top.
	TranslatedFrom isa.Lang
	Translations   []translationView
	Matches        []card
	MatchesOff     bool // no matcher configured
	MatchesError   bool // the matcher failed; the page still shows
}

// translationView is the listing's text in a language other than the one
// shown at the top of the page.
type translationView struct {
	Lang        isa.Lang
	Original    bool
	Title       string
	Description string
}

// matchLimit is how many partner listings the listing page suggests.
const matchLimit = 5

func (w *Web) listing(r *http.Request, l isa.Lang) (*view, error) {
	ctx, cancel := ctxTimeout(r)
	defer cancel()
	li, err := w.store.Listing(ctx, r.PathValue("ref"))
	if err != nil {
		return nil, err
	}
	// Drafts, listings in review and withdrawn ones are not public: they
	// answer as if they did not exist, so that their refs leak nothing.
	if li.State != isa.Published && li.State != isa.Expired {
		return nil, isa.NotFound("listing", li.Ref)
	}
	lk, err := w.lookups(ctx)
	if err != nil {
		return nil, err
	}
	c, err := lk.card(ctx, li)
	if err != nil {
		return nil, err
	}
	today := w.today()
	d := listingData{card: c, Expired: !li.Live(today)}
	shown := listingText(li, l, true).Lang
	if shown != htmlLang(li.Lang) {
		d.TranslatedFrom = li.Lang
	}
	for _, tl := range isa.Langs {
		tv := translationView{Lang: tl}
		if tl == li.Lang {
			tv.Original, tv.Title, tv.Description = true, li.Title, li.Description
		} else if tr, ok := li.Translations[tl]; ok && (tr.Title != "" || tr.Description != "") {
			tv.Title, tv.Description = tr.Title, tr.Description
		} else {
			continue
		}
		if htmlLang(tl) == shown {
			continue
		}
		d.Translations = append(d.Translations, tv)
	}
	switch {
	case w.matcher == nil:
		d.MatchesOff = true
	case d.Expired:
	default:
		d.Matches, err = w.matches(ctx, lk, li.Ref, today)
		if err != nil {
			// Matches are a suggestion: the listing itself is still worth
			// showing when the matcher fails.
			w.log.Warn("web: matches failed", "listing", li.Ref, "err", err)
			d.MatchesError = true
		}
	}
	return &view{name: "listing", title: listingText(li, l, true).Text, nav: "search", data: d}, nil
}

func (w *Web) matches(ctx context.Context, lk *lookups, ref string, today isa.Date) ([]card, error) {
	ms, err := w.matcher.Matches(ctx, ref, matchLimit)
	if err != nil {
		return nil, fmt.Errorf("matches of %s: %w", ref, err)
	}
	var out []card
	for _, m := range ms {
		c, ok, err := lk.hitCard(ctx, m.Ref, today)
		if err != nil {
			return nil, err
		}
		if !ok {
			continue
		}
		c.Reasons = m.Reasons
		out = append(out, c)
	}
	return out, nil
}

// citiesTTL is how long the list of cities is reused. Every page names
// cities, the list changes only with a release (migrations seed it), and
// decoding it on every request was the largest cost of a page.
const citiesTTL = time.Minute

// allCities returns the member cities, from a copy at most citiesTTL old.
// Callers must not change the cities: the slice is shared.
func (w *Web) allCities(ctx context.Context) ([]isa.City, error) {
	w.citiesMu.Lock()
	defer w.citiesMu.Unlock()
	now := w.now()
	if w.cityList != nil && now.Sub(w.citiesAt) < citiesTTL && !now.Before(w.citiesAt) {
		return w.cityList, nil
	}
	cs, err := w.store.Cities(ctx)
	if err != nil {
		return nil, fmt.Errorf("cities: %w", err)
	}
	w.cityList, w.citiesAt = cs, now
	return cs, nil
}

// counts are the live figures of the home page.
type counts struct {
	Orgs, Offers, Requests, Cities int
	at                             time.Time
}

// countsTTL is how long the home page figures are reused: they change
// slowly, and counting a large database on every visit would not do.
const countsTTL = time.Minute

// counter is what a store can offer to count without reading every row.
// The storage package may implement it; until then the pages count by
// paging, which is fine for a city-sized database.
type counter interface {
	CountOrganisations(ctx context.Context, f isa.OrgFilter) (int, error)
	CountListings(ctx context.Context, f isa.ListingFilter) (int, error)
}

func (w *Web) liveCounts(ctx context.Context) (counts, error) {
	w.countsMu.Lock()
	defer w.countsMu.Unlock()
	now := w.now()
	if !w.counts.at.IsZero() && now.Sub(w.counts.at) < countsTTL && !now.Before(w.counts.at) {
		return w.counts, nil
	}
	var c counts
	var err error
	if c.Orgs, err = w.countOrgs(ctx); err != nil {
		return counts{}, err
	}
	if c.Offers, err = w.countListings(ctx, isa.Offer); err != nil {
		return counts{}, err
	}
	if c.Requests, err = w.countListings(ctx, isa.Request); err != nil {
		return counts{}, err
	}
	cs, err := w.allCities(ctx)
	if err != nil {
		return counts{}, err
	}
	today := isa.DateOf(now)
	for _, city := range cs {
		if city.Member(today) {
			c.Cities++
		}
	}
	c.at = now
	w.counts = c
	return c, nil
}

func (w *Web) countOrgs(ctx context.Context) (int, error) {
	if c, ok := w.store.(counter); ok {
		n, err := c.CountOrganisations(ctx, isa.OrgFilter{})
		if err != nil {
			return 0, fmt.Errorf("count organisations: %w", err)
		}
		return n, nil
	}
	n, after := 0, ""
	for {
		p, err := w.store.Organisations(ctx, isa.OrgFilter{After: after, Limit: 500})
		if err != nil {
			return 0, fmt.Errorf("count organisations: %w", err)
		}
		n += len(p.Items)
		if p.Next == "" {
			return n, nil
		}
		after = p.Next
	}
}

func (w *Web) countListings(ctx context.Context, k isa.ListingKind) (int, error) {
	if w.search != nil {
		// The engine holds exactly the live listings and counts them
		// without reading the database.
		res, err := w.search.Search(ctx, search.Query{Kind: k, Limit: 1, Today: w.today()})
		if err != nil {
			return 0, fmt.Errorf("count %ss: %w", k, err)
		}
		return res.Total, nil
	}
	f := isa.ListingFilter{Kind: k, State: isa.Published}
	if c, ok := w.store.(counter); ok {
		n, err := c.CountListings(ctx, f)
		if err != nil {
			return 0, fmt.Errorf("count %ss: %w", k, err)
		}
		return n, nil
	}
	today := w.today()
	n := 0
	f.Limit = 500
	for {
		p, err := w.store.Listings(ctx, f)
		if err != nil {
			return 0, fmt.Errorf("count %ss: %w", k, err)
		}
		n += len(live(p.Items, today))
		if p.Next == "" {
			return n, nil
		}
		f.After = p.Next
	}
}
