package authz

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"strings"

	"github.com/isa-alliance/isa"
)

// ObjectKind says where the guard finds the object of a route.
type ObjectKind int

const (
	// NoObject: the action concerns nothing in particular.
	NoObject ObjectKind = iota
	// ListingRef: the path value "ref" names a listing.
	ListingRef
	// OrgRef: the path value "ref" names an organisation.
	OrgRef
	// OwnOrg: the object is the subject's own organisation (creating a
	// listing, the inbox); the handler checks the body's or thread's
	// organisation against it with Can.
	OwnOrg
)

// Rule is the action a route performs and where its object is.
type Rule struct {
	Action Action
	Object ObjectKind
}

// langPrefix stands for the /de, /zh and /en prefixes of the pages, which
// are registered literally but share one rule.
const langPrefix = "/{lang}"

// rules maps every route pattern of the server to its rule. A pattern the
// table does not know is refused by the guard and fails the route test:
// adding a route means deciding here who may use it.
var rules = map[string]Rule{
	// Pages and assets anyone reads.
	"GET /{$}":                           {ViewPublic, NoObject},
	"GET /static/{name}":                 {ViewPublic, NoObject},
	"GET /{lang}/{$}":                    {ViewPublic, NoObject},
	"GET /{lang}/":                       {ViewPublic, NoObject},
	"GET /{lang}/cities":                 {ViewPublic, NoObject},
	"GET /{lang}/cities/{slug}":          {ViewPublic, NoObject},
	"GET /{lang}/organisations/{ref}":    {ViewPublic, NoObject},
	"GET /{lang}/listings/{ref}":         {ViewListingDraft, ListingRef},
	"GET /{lang}/search":                 {ViewPublic, NoObject},
	"GET /healthz":                       {ViewPublic, NoObject},
	"GET /api/v1/openapi.json":           {ViewPublic, NoObject},
	"GET /api/v1/cities":                 {ViewPublic, NoObject},
	"GET /api/v1/cities/{slug}":          {ViewPublic, NoObject},
	"GET /api/v1/organisations":          {ViewPublic, NoObject},
	"GET /api/v1/organisations/{ref}":    {ViewPublic, NoObject},
	"GET /api/v1/listings":               {ViewPublic, NoObject},
	"GET /api/v1/listings/{ref}":         {ViewListingDraft, ListingRef},
	"GET /api/v1/listings/{ref}/matches": {ViewListingDraft, ListingRef},
	"GET /api/v1/search":                 {ViewPublic, NoObject},
	"/api/v1/":                           {ViewPublic, NoObject},
	"/":                                  {ViewPublic, NoObject},

	// The write side of the API (package listings and messages check the
	// objects a body or a thread names with Can as well).
	"PUT /api/v1/organisations/{ref}":      {EditOrg, OrgRef},
	"POST /api/v1/listings":                {EditListing, OwnOrg},
	"PUT /api/v1/listings/{ref}":           {EditListing, ListingRef},
	"POST /api/v1/listings/{ref}/renew":    {EditListing, ListingRef},
	"POST /api/v1/listings/{ref}/withdraw": {EditListing, ListingRef},
	"POST /api/v1/listings/{ref}/contact":  {ContactOrg, ListingRef},
	"GET /api/v1/messages":                 {ReadMessages, OwnOrg},
	"GET /api/v1/messages/{id}":            {ReadMessages, OwnOrg},
	"POST /api/v1/messages/{id}/accept":    {ReadMessages, OwnOrg},
	"POST /api/v1/messages/{id}/decline":   {ReadMessages, OwnOrg},
	"POST /api/v1/messages/{id}/replies":   {ReadMessages, OwnOrg},

	// Posting and contact pages (packages listings and messages check the
	// objects of forms and threads with Can as well).
	"GET /{lang}/listings/mine":             {EditListing, OwnOrg},
	"GET /{lang}/listings/new":              {EditListing, OwnOrg},
	"POST /{lang}/listings/new":             {EditListing, OwnOrg},
	"GET /{lang}/listings/{ref}/edit":       {EditListing, ListingRef},
	"POST /{lang}/listings/{ref}/edit":      {EditListing, ListingRef},
	"POST /{lang}/listings/{ref}/renew":     {EditListing, ListingRef},
	"POST /{lang}/listings/{ref}/withdraw":  {EditListing, ListingRef},
	"GET /{lang}/nace":                      {ViewPublic, NoObject},
	"GET /{lang}/organisations/{ref}/edit":  {EditOrg, OrgRef},
	"POST /{lang}/organisations/{ref}/edit": {EditOrg, OrgRef},
	"GET /{lang}/listings/{ref}/contact":    {ContactOrg, ListingRef},
	"POST /{lang}/listings/{ref}/contact":   {ContactOrg, ListingRef},
	"GET /{lang}/inbox":                     {ReadMessages, OwnOrg},
	"GET /{lang}/inbox/{id}":                {ReadMessages, OwnOrg},
	"POST /{lang}/inbox/{id}/accept":        {ReadMessages, OwnOrg},
	"POST /{lang}/inbox/{id}/decline":       {ReadMessages, OwnOrg},
	"POST /{lang}/inbox/{id}/reply":         {ReadMessages, OwnOrg},

	// Signing in, registering, confirming and resetting.
	"GET /{lang}/login":          {UseAnonymousForm, NoObject},
	"POST /{lang}/login":         {UseAnonymousForm, NoObject},
	"GET /{lang}/register":       {UseAnonymousForm, NoObject},
	"POST /{lang}/register":      {UseAnonymousForm, NoObject},
	"GET /{lang}/confirm":        {UseAnonymousForm, NoObject},
	"GET /{lang}/reset":          {UseAnonymousForm, NoObject},
	"POST /{lang}/reset":         {UseAnonymousForm, NoObject},
	"GET /{lang}/reset/confirm":  {UseAnonymousForm, NoObject},
	"POST /{lang}/reset/confirm": {UseAnonymousForm, NoObject},

	// The own account.
	"POST /{lang}/logout":                     {ManageOwnAccount, NoObject},
	"GET /{lang}/account":                     {ManageOwnAccount, NoObject},
	"POST /{lang}/account/tokens":             {ManageOwnAccount, NoObject},
	"POST /{lang}/account/tokens/{id}/revoke": {ManageOwnAccount, NoObject},

	// City officers.
	"GET /{lang}/review":                             {ViewReviewQueue, NoObject},
	"POST /{lang}/review/organisations/{ref}/verify": {VerifyOrg, OrgRef},
	"POST /{lang}/review/organisations/{ref}/return": {VerifyOrg, OrgRef},
	"POST /{lang}/review/listings/{ref}/publish":     {ReviewListing, ListingRef},
	"POST /{lang}/review/listings/{ref}/return":      {ReviewListing, ListingRef},

	// The secretariat.
	"GET /{lang}/admin/users":               {ManageUsers, NoObject},
	"POST /{lang}/admin/users/{id}/disable": {ManageUsers, NoObject},
	"GET /{lang}/admin/cities":              {ManageCities, NoObject},
	"POST /{lang}/admin/cities":             {ManageCities, NoObject},
	"POST /{lang}/admin/users/{id}/role":    {ManageUsers, NoObject},
}

// Normalize turns a registered pattern into the form of the rule table:
// the language prefix of page routes becomes /{lang}.
func Normalize(pattern string) string {
	method, path, ok := strings.Cut(pattern, " ")
	if !ok {
		method, path = "", pattern
	}
	for _, l := range isa.Langs {
		p := "/" + string(l)
		if path == p || strings.HasPrefix(path, p+"/") {
			path = langPrefix + strings.TrimPrefix(path, p)
			break
		}
	}
	if method == "" {
		return path
	}
	return method + " " + path
}

// RuleFor returns the rule of a registered pattern.
func RuleFor(pattern string) (Rule, bool) {
	r, ok := rules[Normalize(pattern)]
	return r, ok
}

// Resolver finds the organisation and city an object of a route belongs
// to. A NotFound error lets the request through to its handler, which
// answers 404 the usual way.
type Resolver interface {
	ListingObject(ctx context.Context, ref string) (Object, error)
	OrgObject(ctx context.Context, ref string) (Object, error)
}

// StoreResolver resolves objects through the domain store.
type StoreResolver struct{ Store isa.Store }

func (s StoreResolver) ListingObject(ctx context.Context, ref string) (Object, error) {
	l, err := s.Store.Listing(ctx, ref)
	if err != nil {
		return Object{}, err
	}
	o, err := s.OrgObject(ctx, l.Org)
	if err != nil {
		return Object{}, err
	}
	o.Public = l.State == isa.Published || l.State == isa.Expired
	return o, nil
}

func (s StoreResolver) OrgObject(ctx context.Context, ref string) (Object, error) {
	o, err := s.Store.Organisation(ctx, ref)
	if err != nil {
		return Object{}, err
	}
	return Object{Org: o.Ref, City: o.City, Public: true}, nil
}

// Guard checks every request against the rule of the pattern the mux
// routes it to, before the handler runs. Handlers check again with Can
// where they act on objects the route does not name (a form's fields).
type Guard struct {
	Mux      *http.ServeMux
	Resolver Resolver
	// Subject returns who makes the request (from the session or token
	// the authentication middleware put into the context).
	Subject func(r *http.Request) Subject
	// Deny answers a refused request; err is an *isa.Error.
	Deny   func(w http.ResponseWriter, r *http.Request, err error)
	Logger *slog.Logger
}

func (g *Guard) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	_, pattern := g.Mux.Handler(r)
	if pattern == "" {
		// No route: the mux answers 404 or 405 itself.
		g.Mux.ServeHTTP(w, r)
		return
	}
	rule, ok := RuleFor(pattern)
	if !ok {
		// Deny by default: a route nobody decided on is nobody's.
		if g.Logger != nil {
			g.Logger.Error("authz: route without rule", "pattern", pattern)
		}
		g.Deny(w, r, forbidden(KeyForbidden, "no rule for this route"))
		return
	}
	if err := g.check(r, rule, pattern); err != nil {
		g.Deny(w, r, err)
		return
	}
	g.Mux.ServeHTTP(w, r)
}

func (g *Guard) check(r *http.Request, rule Rule, pattern string) error {
	obj := Object{}
	subject := g.Subject(r)
	if rule.Object == OwnOrg {
		return Can(subject, rule.Action, Object{Org: subject.Org})
	}
	if rule.Object != NoObject {
		ref, ok := pathValue(pattern, r.URL.EscapedPath(), "ref")
		var err error
		switch {
		case !ok:
			err = isa.NotFound("object", "")
		case rule.Object == ListingRef:
			obj, err = g.Resolver.ListingObject(r.Context(), ref)
		case rule.Object == OrgRef:
			obj, err = g.Resolver.OrgObject(r.Context(), ref)
		}
		if isa.IsNotFound(err) {
			// The handler answers a missing public object with 404;
			// anything else on a missing object is refused, which
			// tells a stranger nothing about what exists.
			if rule.Action == ViewListingDraft {
				return nil
			}
			obj = Object{}
		} else if err != nil {
			return err
		}
	}
	return Can(subject, rule.Action, obj)
}

// pathValue reads the wildcard {name} of pattern from path. The mux sets
// path values only when it serves, and the guard must decide before that.
func pathValue(pattern, path, name string) (string, bool) {
	_, pp, ok := strings.Cut(pattern, " ")
	if !ok {
		pp = pattern
	}
	ps := strings.Split(strings.Trim(pp, "/"), "/")
	xs := strings.Split(strings.Trim(path, "/"), "/")
	for i, seg := range ps {
		if seg == "{"+name+"}" && i < len(xs) {
			v, err := url.PathUnescape(xs[i])
			return v, err == nil
		}
	}
	return "", false
}
