// Package web serves the pages of the ISA Partner Database in German,
// Chinese and English: the home page, the member cities, organisations,
// listings and the search. Pages are rendered on the server from templates
// embedded in the binary; the one stylesheet and the small script are
// embedded too and served at checksum URLs, so that the site needs no host
// but its own, which matters to visitors in China.
//
// Every page lives under its language, /de/…, /zh/… or /en/…; the root
// redirects by the browser's Accept-Language. The routes are registered with
// a literal language prefix (not a {lang} wildcard) so that they cannot
// collide with other packages' patterns on the same ServeMux; routes added
// later (accounts, posting) should be registered the same way.
package web

import (
	"bytes"
	"context"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/isa-alliance/isa"
	"github.com/isa-alliance/isa/internal/accounts"
	"github.com/isa-alliance/isa/internal/i18n"
	"github.com/isa-alliance/isa/internal/listings"
	"github.com/isa-alliance/isa/internal/messages"
)

// Deps is what the pages need. Store is required; the rest may be nil.
type Deps struct {
	Store  isa.Store
	Logger *slog.Logger     // nil discards logs
	Now    func() time.Time // nil is time.Now
	// Search serves the search page; nil leaves the page with the filters
	// the store can answer and a notice that full-text search is off.
	Search Searcher
	// Matcher ranks a listing's partners; nil shows no matches.
	Matcher Matcher
	// Industries labels NACE codes; nil shows the codes alone.
	Industries Industries
	// Catalog is the locale catalogue; nil loads the embedded one.
	Catalog *i18n.Catalog
	// Session reads the visitor's session for the layout; nil uses
	// Accounts when set.
	Session SessionFunc
	// Accounts serves sign-in, registration, the account page, the
	// officers' review queue and the secretariat's users; nil leaves
	// these pages out.
	Accounts *accounts.Service
	// Posting serves the listing form (create, edit, renew, withdraw)
	// and Contacts the contact form, inbox and threads; nil leaves those
	// pages out.
	Posting  *listings.Service
	Contacts *messages.Service
}

// Web serves the pages. Create it with New and mount it with Register.
type Web struct {
	store      isa.Store
	log        *slog.Logger
	now        func() time.Time
	search     Searcher
	matcher    Matcher
	industries Industries
	cat        *i18n.Catalog
	session    SessionFunc
	accounts   *accounts.Service
	posting    *listings.Service
	contacts   *messages.Service
	routes     []string
	assets     *assets
	pages      map[isa.Lang]map[string]*template.Template

	countsMu sync.Mutex
	counts   counts

	citiesMu sync.Mutex
	cityList []isa.City
	citiesAt time.Time
}

// New checks deps and parses the templates of every language.
func New(deps Deps) (*Web, error) {
	if deps.Store == nil {
		return nil, fmt.Errorf("web: Deps.Store is required")
	}
	w := &Web{
		store:      deps.Store,
		log:        deps.Logger,
		now:        deps.Now,
		search:     deps.Search,
		matcher:    deps.Matcher,
		industries: deps.Industries,
		cat:        deps.Catalog,
		session:    deps.Session,
		accounts:   deps.Accounts,
		posting:    deps.Posting,
		contacts:   deps.Contacts,
	}
	if w.session == nil && w.accounts != nil {
		w.session = w.accountSession
	}
	if w.log == nil {
		w.log = slog.New(slog.DiscardHandler)
	}
	if w.now == nil {
		w.now = time.Now
	}
	if w.cat == nil {
		cat, err := i18n.Load()
		if err != nil {
			return nil, fmt.Errorf("web: %w", err)
		}
		w.cat = cat
	}
	a, err := loadAssets()
	if err != nil {
		return nil, fmt.Errorf("web: %w", err)
	}
	w.assets = a
	if err := w.parseTemplates(); err != nil {
		return nil, fmt.Errorf("web: %w", err)
	}
	return w, nil
}

// Register mounts the pages and assets on mux, with a translated
// not-found page for every path no other pattern claims.
func (w *Web) Register(mux *http.ServeMux) {
	// Every pattern is recorded, so that the authorisation test can check
	// each route against the rules of package authz.
	w.routes = w.routes[:0]
	handle := func(pattern string, h http.Handler) {
		w.routes = append(w.routes, pattern)
		mux.Handle(pattern, h)
	}
	handle("GET /{$}", w.wrap(w.redirectToLanguage))
	handle("/", w.wrap(w.notFound))
	handle("GET "+assetPrefix+"{name}", secure(http.HandlerFunc(w.assets.serve)))
	for _, l := range isa.Langs {
		p := "/" + string(l)
		handle("GET "+p+"/{$}", w.page(l, w.home))
		handle("GET "+p+"/cities", w.page(l, w.cities))
		handle("GET "+p+"/cities/{slug}", w.page(l, w.city))
		handle("GET "+p+"/organisations/{ref}", w.page(l, w.organisation))
		handle("GET "+p+"/listings/{ref}", w.page(l, w.listing))
		handle("GET "+p+"/search", w.page(l, w.searchPage))
		// Everything else under the language prefix gets the translated
		// not-found page rather than the mux's plain text.
		handle("GET "+p+"/", w.page(l, func(*http.Request, isa.Lang) (*view, error) {
			return nil, &isa.Error{Code: isa.CodeNotFound, Message: "no such page", Key: "error.page_not_found"}
		}))
		w.registerAccounts(handle, l)
		w.registerPosting(handle, l)
	}
}

// view is what a page handler returns: the template to render and its data.
type view struct {
	name   string // template name, e.g. "home"
	title  string // the page's own title, already translated
	nav    string // the navigation entry to mark as current
	status int    // 0 means 200
	data   any
}

// handlerFunc renders a page in language l or fails with an error that
// the error page turns into a status and a translated message.
type handlerFunc func(r *http.Request, l isa.Lang) (*view, error)

func (w *Web) page(l isa.Lang, h handlerFunc) http.Handler {
	return w.wrap(func(rw http.ResponseWriter, r *http.Request) {
		v, err := h(r, l)
		if err != nil {
			w.renderError(rw, r, l, err)
			return
		}
		w.render(rw, r, l, v)
	})
}

// wrap adds the security headers and turns a panic into the error page.
func (w *Web) wrap(h http.HandlerFunc) http.Handler {
	return secure(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				w.renderError(rw, r, langOfPath(r.URL.Path), fmt.Errorf("panic: %v", p))
			}
		}()
		h(rw, r)
	}))
}

// csp allows nothing from other hosts: no CDN, fonts or analytics, which
// would also be slow or blocked in China. Inline scripts and styles are
// refused too, so an injection that slipped past escaping cannot run.
const csp = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; " +
	"object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"

func secure(h http.Handler) http.Handler {
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		hd := rw.Header()
		hd.Set("Content-Security-Policy", csp)
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("X-Frame-Options", "DENY")
		hd.Set("Referrer-Policy", "strict-origin-when-cross-origin")
		hd.Set("Cross-Origin-Opener-Policy", "same-origin")
		hd.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()")
		h.ServeHTTP(rw, r)
	})
}

// redirectToLanguage sends / to the language the browser prefers. Vary
// tells caches that the answer depends on Accept-Language.
func (w *Web) redirectToLanguage(rw http.ResponseWriter, r *http.Request) {
	l := w.cat.Negotiate(r.Header.Get("Accept-Language"))
	rw.Header().Set("Vary", "Accept-Language")
	http.Redirect(rw, r, "/"+string(l)+"/", http.StatusFound)
}

// notFound answers paths outside the language prefixes (/fr/, /wp-admin)
// in the language the browser prefers.
func (w *Web) notFound(rw http.ResponseWriter, r *http.Request) {
	l := w.cat.Negotiate(r.Header.Get("Accept-Language"))
	rw.Header().Set("Vary", "Accept-Language")
	w.renderError(rw, r, l, &isa.Error{Code: isa.CodeNotFound, Message: "no such page", Key: "error.page_not_found"})
}

// langOfPath returns the language prefix of path, English if there is none.
func langOfPath(path string) isa.Lang {
	if len(path) >= 3 && path[0] == '/' && (len(path) == 3 || path[3] == '/') {
		if l := isa.Lang(path[1:3]); l.Valid() {
			return l
		}
	}
	return isa.EN
}

// pathInLanguage is the part of path after the language prefix, which the
// switcher puts behind the other languages' prefixes; "/" for a path
// outside l's prefix, whose counterpart in another language is its home.
func pathInLanguage(path string, l isa.Lang) string {
	p := "/" + string(l)
	if path == p {
		return "/"
	}
	if rest, ok := strings.CutPrefix(path, p+"/"); ok {
		return "/" + rest
	}
	return "/"
}

// layout is the data every page template gets.
type layout struct {
	Lang      isa.Lang
	Title     string
	Nav       string
	Path      string // the path after the language prefix, for the switcher
	Query     string // the raw query, kept by the switcher
	Session   Session
	Assets    map[string]string
	Canonical string
	Data      any
}

func (w *Web) render(rw http.ResponseWriter, r *http.Request, l isa.Lang, v *view) {
	t := w.pages[l][v.name]
	if t == nil {
		if v.name == "error" {
			http.Error(rw, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
			return
		}
		w.renderError(rw, r, l, fmt.Errorf("no template %q", v.name))
		return
	}
	var sess Session
	if w.session != nil {
		sess = w.session(rw, r)
	}
	data := layout{
		Lang:    l,
		Title:   v.title,
		Nav:     v.nav,
		Path:    pathInLanguage(r.URL.EscapedPath(), l),
		Query:   r.URL.RawQuery,
		Session: sess,
		Assets:  w.assets.urls,
		Data:    v.data,
	}
	// Rendering into a buffer first means a template error becomes a clean
	// error page instead of half a page with status 200.
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", data); err != nil {
		if v.name == "error" {
			// The error page itself failed: plain text is all that is left.
			w.log.Error("web: rendering the error page", "err", err)
			http.Error(rw, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
			return
		}
		w.renderError(rw, r, l, fmt.Errorf("render %s: %w", v.name, err))
		return
	}
	hd := rw.Header()
	hd.Set("Content-Type", "text/html; charset=utf-8")
	hd.Set("Content-Language", htmlLang(l))
	// Pages show live data. A signed-in visitor's pages carry personal
	// data (names, contact persons, a new API token's secret), which no
	// cache may keep; a handler that chose a stricter policy keeps it.
	if hd.Get("Cache-Control") == "" {
		if sess.SignedIn {
			hd.Set("Cache-Control", "private, no-store")
		} else {
			hd.Set("Cache-Control", "no-cache")
		}
	}
	status := v.status
	if status == 0 {
		status = http.StatusOK
	}
	rw.WriteHeader(status)
	if r.Method != http.MethodHead {
		rw.Write(buf.Bytes())
	}
}

// today is the calendar day the pages work with.
func (w *Web) today() isa.Date { return isa.DateOf(w.now()) }

// ctxTimeout bounds the store and search calls of one page, so that a slow
// database shows an error page rather than hanging the visitor.
func ctxTimeout(r *http.Request) (context.Context, context.CancelFunc) {
	return context.WithTimeout(r.Context(), 10*time.Second)
}
