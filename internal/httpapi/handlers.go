package httpapi

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/isa-alliance/isa"
)

func (a *API) today() isa.Date { return isa.DateOf(a.now()) }

func (a *API) listCities(w http.ResponseWriter, r *http.Request, q query) error {
	country, err := q.country()
	if err != nil {
		return err
	}
	cities, err := a.store.Cities(r.Context())
	if err != nil {
		return fmt.Errorf("listing cities: %w", err)
	}
	today := a.today()
	out := cityList{Items: make([]cityView, 0, len(cities))}
	for _, c := range cities {
		if country == "" || c.Country == country {
			out.Items = append(out.Items, viewCity(c, today))
		}
	}
	return writeJSON(w, http.StatusOK, out)
}

func (a *API) getCity(w http.ResponseWriter, r *http.Request, _ query) error {
	slug := r.PathValue("slug")
	if !slugRE.MatchString(slug) || len(slug) > 64 {
		return notFound(keyCityNotFound, "city", slug)
	}
	c, err := a.store.City(r.Context(), slug)
	if isa.IsNotFound(err) {
		return notFound(keyCityNotFound, "city", slug)
	}
	if err != nil {
		return fmt.Errorf("reading city: %w", err)
	}
	return writeJSON(w, http.StatusOK, viewCity(c, a.today()))
}

func (a *API) listOrganisations(w http.ResponseWriter, r *http.Request, q query) error {
	var f isa.OrgFilter
	var err error
	if f.Country, err = q.country(); err != nil {
		return err
	}
	if f.Kind, err = q.orgKind(); err != nil {
		return err
	}
	if f.After, err = q.after(); err != nil {
		return err
	}
	if f.Limit, err = q.limit(maxLimit); err != nil {
		return err
	}
	if f.City, err = q.city(r.Context(), a.store); err != nil {
		return err
	}
	page, err := a.store.Organisations(r.Context(), f)
	if err != nil {
		return storeListError(err, f.After, "listing organisations")
	}
	out := orgPage{Items: make([]orgView, 0, len(page.Items)), Next: page.Next}
	for i := range page.Items {
		out.Items = append(out.Items, viewOrg(&page.Items[i]))
	}
	return writeJSON(w, http.StatusOK, out)
}

func (a *API) getOrganisation(w http.ResponseWriter, r *http.Request, _ query) error {
	ref := r.PathValue("ref")
	if !validRef(ref) {
		return notFound(keyOrgNotFound, "organisation", ref)
	}
	o, err := a.store.Organisation(r.Context(), ref)
	if isa.IsNotFound(err) {
		return notFound(keyOrgNotFound, "organisation", ref)
	}
	if err != nil {
		return fmt.Errorf("reading organisation: %w", err)
	}
	return writeJSON(w, http.StatusOK, viewOrg(o))
}

func (a *API) listListings(w http.ResponseWriter, r *http.Request, q query) error {
	var f isa.ListingFilter
	var err error
	if f.Kind, err = q.listingKind(); err != nil {
		return err
	}
	if f.Country, err = q.country(); err != nil {
		return err
	}
	if f.Cooperation, err = q.cooperation(); err != nil {
		return err
	}
	if f.Industry, err = q.industry(); err != nil {
		return err
	}
	if f.Lang, err = q.lang(); err != nil {
		return err
	}
	if f.After, err = q.after(); err != nil {
		return err
	}
	if f.Limit, err = q.limit(maxLimit); err != nil {
		return err
	}
	if org, ok := q["org"]; ok {
		if !validRef(org) {
			return invalid("org", keyBadRef, "not an organisation reference")
		}
		f.Org = org
	}
	// The state check comes after the syntax checks so that a request with a
	// typo gets the more useful 400, and before the store is asked.
	if f.State, err = q.state(); err != nil {
		return err
	}
	if f.City, err = q.city(r.Context(), a.store); err != nil {
		return err
	}
	page, err := a.store.Listings(r.Context(), f)
	if err != nil {
		return storeListError(err, f.After, "listing listings")
	}
	// A listing past its expiry day stays published until the daily expiry
	// run moves it; it must not be shown in between. The page may then be
	// shorter than the limit, which the cursor contract allows.
	today := a.today()
	out := listingPage{Items: make([]listingView, 0, len(page.Items)), Next: page.Next}
	for i := range page.Items {
		if page.Items[i].Live(today) {
			out.Items = append(out.Items, viewListing(&page.Items[i]))
		}
	}
	return writeJSON(w, http.StatusOK, out)
}

func (a *API) getListing(w http.ResponseWriter, r *http.Request, _ query) error {
	ref := r.PathValue("ref")
	l, err := a.publicListing(r, ref)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, viewListing(l))
}

// publicListing reads a listing that the public may see. Drafts, listings in
// review, withdrawn and expired ones answer 404 exactly like missing ones,
// so that the API does not reveal that they exist.
func (a *API) publicListing(r *http.Request, ref string) (*isa.Listing, error) {
	if !validRef(ref) {
		return nil, notFound(keyListingNotFound, "listing", ref)
	}
	l, err := a.store.Listing(r.Context(), ref)
	if isa.IsNotFound(err) {
		return nil, notFound(keyListingNotFound, "listing", ref)
	}
	if err != nil {
		return nil, fmt.Errorf("reading listing: %w", err)
	}
	if !l.Live(a.today()) {
		return nil, notFound(keyListingNotFound, "listing", ref)
	}
	return l, nil
}

func notFound(key, kind, ref string) *isa.Error {
	e := isa.NotFound(kind, ref)
	e.Key = key
	return e
}

// storeListError passes the store's own invalid-input errors on as 400; one
// about the cursor (the only input the store interprets itself) gets the
// API's translated cursor message. Everything else is wrapped and becomes a 500.
func storeListError(err error, after, doing string) error {
	var e *isa.Error
	if errors.As(err, &e) && e.Code == isa.CodeInvalid {
		if e.Field == "after" || (e.Field == "" && after != "") {
			return &isa.Error{Code: isa.CodeInvalid, Field: "after", Key: keyBadCursor, Message: "not a cursor returned by this API", Err: err}
		}
		return e
	}
	return fmt.Errorf("%s: %w", doing, err)
}
