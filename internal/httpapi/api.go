// Package httpapi is the read-only JSON API of the ISA Partner Database under
// /api/v1, with /healthz and the OpenAPI 3.1 document that describes it.
//
// It turns HTTP requests into calls on the domain stores and the search and
// matching services and their results into public views: contact persons,
// an organisation's e-mail and phone and the name of the officer who
// verified it never leave through this package. Errors of every layer are
// turned into an HTTP status and a JSON body with a message in the
// language of the request in one place (errors.go).
//
// Listings: the public routes show only published listings that have not
// passed their expiry day. A `state` filter other than `published` is
// refused with 403 until accounts exist.
package httpapi

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/isa-alliance/isa"
	"github.com/isa-alliance/isa/internal/listings"
	"github.com/isa-alliance/isa/internal/messages"
)

// Deps are what the API needs from the rest of the program. Store is
// required; Search and Matcher may be nil, and their routes then answer 503
// in the error format so that a server without a search index still serves
// the read API.
type Deps struct {
	Store   isa.Store
	Logger  *slog.Logger
	Now     func() time.Time
	Search  Searcher
	Matcher Matcher
	// Posting and Contacts serve the write side (write.go); with both
	// nil its routes are not mounted.
	Posting  *listings.Service
	Contacts *messages.Service
}

// API serves the JSON API. Create it with New and mount it with Register.
type API struct {
	store    isa.Store
	log      *slog.Logger
	now      func() time.Time
	search   Searcher
	matcher  Matcher
	post     *listings.Service
	contacts *messages.Service
	routes   []route
	openapi  []byte // the OpenAPI document, built once from the route table
}

// New returns an API over deps. A nil Logger discards logs; a nil Now is
// time.Now.
func New(deps Deps) *API {
	a := &API{
		store:    deps.Store,
		log:      deps.Logger,
		now:      deps.Now,
		search:   deps.Search,
		matcher:  deps.Matcher,
		post:     deps.Posting,
		contacts: deps.Contacts,
	}
	if a.log == nil {
		a.log = slog.New(slog.DiscardHandler)
	}
	if a.now == nil {
		a.now = time.Now
	}
	a.routes = a.routeTable()
	doc, err := buildOpenAPI(a.routes)
	if err != nil {
		// The document is built from static data; failing here is a
		// programming error that every test run would show.
		panic("httpapi: building the OpenAPI document: " + err.Error())
	}
	a.openapi = doc
	return a
}

// Prefix is the path under which the API lives.
const Prefix = "/api/v1"

// route is one entry of the route table. Register mounts exactly these
// routes and the OpenAPI document describes exactly these, so the two
// cannot drift apart.
type route struct {
	method   string
	path     string // ServeMux pattern path; also the OpenAPI path
	op       string // OpenAPI operationId
	tag      string
	summary  string
	params   []param // query parameters the handler accepts; others are refused
	response string  // schema name of the 200 response
	errors   []int   // error statuses the route documents besides 500
	handle   func(w http.ResponseWriter, r *http.Request, q query) error
	request  string // schema name of the JSON request body, if any
	status   int    // status of success when not 200 (201 for creates)
	auth     bool   // needs a signed-in user (bearer token or session)
}

// pattern returns the ServeMux pattern of the route.
func (rt route) pattern() string { return rt.method + " " + rt.path }

func (a *API) routeTable() []route {
	rs := []route{
		{
			method: "GET", path: "/healthz", op: "health", tag: "system",
			summary:  "Liveness and readiness: checks that the database answers.",
			response: "Health",
			handle:   a.health,
		},
		{
			method: "GET", path: Prefix + "/openapi.json", op: "openapi", tag: "system",
			summary:  "This OpenAPI 3.1 document.",
			response: "",
			handle:   a.serveOpenAPI,
		},
		{
			method: "GET", path: Prefix + "/cities", op: "listCities", tag: "cities",
			summary:  "The member cities of the alliance, German and Chinese.",
			params:   []param{pCountry},
			response: "CityList",
			errors:   []int{400},
			handle:   a.listCities,
		},
		{
			method: "GET", path: Prefix + "/cities/{slug}", op: "getCity", tag: "cities",
			summary:  "One member city with its economic-development office and membership history.",
			response: "City",
			errors:   []int{404},
			handle:   a.getCity,
		},
		{
			method: "GET", path: Prefix + "/organisations", op: "listOrganisations", tag: "organisations",
			summary:  "Organisations of the member cities, in pages.",
			params:   []param{pCity, pCountry, pOrgKind, pAfter, pLimit},
			response: "OrganisationPage",
			errors:   []int{400},
			handle:   a.listOrganisations,
		},
		{
			method: "GET", path: Prefix + "/organisations/{ref}", op: "getOrganisation", tag: "organisations",
			summary:  "One organisation. Its contact persons are never part of it.",
			response: "Organisation",
			errors:   []int{404},
			handle:   a.getOrganisation,
		},
		{
			method: "GET", path: Prefix + "/listings", op: "listListings", tag: "listings",
			summary:  "Published offers and requests, in pages.",
			params:   []param{pListingKind, pCountry, pCity, pCooperation, pIndustry, pLang, pState, pOrg, pAfter, pLimit},
			response: "ListingPage",
			errors:   []int{400, 403},
			handle:   a.listListings,
		},
		{
			method: "GET", path: Prefix + "/listings/{ref}", op: "getListing", tag: "listings",
			summary:  "One published offer or request.",
			response: "Listing",
			errors:   []int{404},
			handle:   a.getListing,
		},
		{
			method: "GET", path: Prefix + "/listings/{ref}/matches", op: "getMatches", tag: "search",
			summary:  "Ranked partner listings on the other side, with the reasons for each match.",
			params:   []param{pMatchLimit},
			response: "Matches",
			errors:   []int{400, 404, 503},
			handle:   a.getMatches,
		},
		{
			method: "GET", path: Prefix + "/search", op: "search", tag: "search",
			summary:  "Free-text search in German, Chinese or English over published listings, with filters and facet counts.",
			params:   searchParams,
			response: "SearchResult",
			errors:   []int{400, 503},
			handle:   a.searchListings,
		},
	}
	// The write side is mounted (and documented) when its services are
	// configured: until package authz has rules for its routes, its guard
	// would refuse them anyway.
	if a.post != nil || a.contacts != nil {
		rs = append(rs, a.writeRoutes()...)
	}
	return rs
}

// Register mounts the API's routes on mux, each wrapped so that it answers
// with the API's security headers and its error format. A catch-all under
// the prefix answers unknown API paths with a JSON 404 (or 405) instead of
// the web pages' HTML.
func (a *API) Register(mux *http.ServeMux) {
	for _, rt := range a.routes {
		mux.Handle(rt.pattern(), a.wrap(rt))
	}
	mux.Handle(Prefix+"/", a.fallback(mux))
}

// wrap adapts a route's handler: headers, query checking, error writing and
// panic recovery, so that every route behaves alike.
func (a *API) wrap(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		setAPIHeaders(w.Header())
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				a.writeError(w, r, fmt.Errorf("panic in %s: %v", rt.op, p))
			}
		}()
		q, err := parseQuery(r, rt.params)
		if err == nil {
			err = rt.handle(w, r, q)
		}
		if err != nil {
			a.writeError(w, r, err)
		}
	})
}

// fallback answers paths under the prefix that no route matched. When the
// path exists for another method it answers 405 with Allow, as ServeMux
// would, but in the API's JSON format.
func (a *API) fallback(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		setAPIHeaders(w.Header())
		probe := r.Clone(r.Context())
		probe.Method = http.MethodGet
		if _, pattern := mux.Handler(probe); pattern != "" && pattern != Prefix+"/" && r.Method != http.MethodGet {
			w.Header().Set("Allow", "GET, HEAD")
			a.writeError(w, r, &isa.Error{Code: codeMethodNotAllowed, Key: keyMethodNotAllowed, Message: "method not allowed"})
			return
		}
		a.writeError(w, r, &isa.Error{Code: isa.CodeNotFound, Key: keyNoRoute, Message: "no such API path"})
	})
}

// health checks that the store answers within a short time; a load balancer
// takes the instance out on 503.
func (a *API) health(w http.ResponseWriter, r *http.Request, _ query) error {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if _, err := a.store.City(ctx, "aachen"); err != nil && !isa.IsNotFound(err) {
		a.log.ErrorContext(r.Context(), "health check: store does not answer", "err", err)
		w.Header().Set("Cache-Control", "no-store")
		return writeJSON(w, http.StatusServiceUnavailable, healthView{Status: "unavailable", Checks: map[string]string{"store": "unavailable"}})
	}
	w.Header().Set("Cache-Control", "no-store")
	return writeJSON(w, http.StatusOK, healthView{Status: "ok", Checks: map[string]string{"store": "ok"}})
}

func (a *API) serveOpenAPI(w http.ResponseWriter, _ *http.Request, _ query) error {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_, err := w.Write(a.openapi)
	return ignoreWriteErr(err)
}

// ignoreWriteErr drops errors of writing a response: the client has gone
// and there is nobody left to tell.
func ignoreWriteErr(error) error { return nil }
