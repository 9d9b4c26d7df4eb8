package web

import (
	"fmt"
	"html/template"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/isa-alliance/isa"
)

func TestLangOfPath(t *testing.T) {
	t.Parallel()
	tests := []struct {
		path string
		want isa.Lang
	}{
		{"/de/", isa.DE}, {"/zh", isa.ZH}, {"/zh/cities/x", isa.ZH}, {"/en/search", isa.EN},
		{"/", isa.EN}, {"/dex/", isa.EN}, {"/fr/", isa.EN}, {"", isa.EN}, {"/static/app.css", isa.EN},
	}
	for _, tt := range tests {
		if got := langOfPath(tt.path); got != tt.want {
			t.Errorf("langOfPath(%q) = %s, want %s", tt.path, got, tt.want)
		}
	}
}

func TestPathInLanguage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		path string
		l    isa.Lang
		want string
	}{
		{"/de/", isa.DE, "/"}, {"/de", isa.DE, "/"}, {"/de/cities/koeln", isa.DE, "/cities/koeln"},
		{"/zh/listings/a%2Fb", isa.ZH, "/listings/a%2Fb"},
		{"/fr/accueil", isa.EN, "/"}, {"/english", isa.EN, "/"}, {"/", isa.EN, "/"},
	}
	for _, tt := range tests {
		if got := pathInLanguage(tt.path, tt.l); got != tt.want {
			t.Errorf("pathInLanguage(%q, %s) = %q, want %q", tt.path, tt.l, got, tt.want)
		}
	}
}

func TestQueryWithKeepsOtherFiltersAndResetsPaging(t *testing.T) {
	t.Parallel()
	q := url.Values{"q": {"注塑"}, "kind": {"offer"}, "page": {"3"}, "after": {"abc"}}
	tests := []struct {
		key, value, want string
	}{
		{"country", "CN", "?country=CN&kind=offer&q=%E6%B3%A8%E5%A1%91"},
		{"kind", "", "?q=%E6%B3%A8%E5%A1%91"},
		{"kind", "request", "?kind=request&q=%E6%B3%A8%E5%A1%91"},
		{"page", "4", "?kind=offer&page=4&q=%E6%B3%A8%E5%A1%91"},
	}
	for _, tt := range tests {
		if got := queryWith(q, tt.key, tt.value); got != tt.want {
			t.Errorf("queryWith(%s=%s) = %q, want %q", tt.key, tt.value, got, tt.want)
		}
	}
	if got := queryWith(url.Values{"kind": {"offer"}}, "kind", ""); got != "?" {
		t.Errorf("removing the last filter gave %q, want ?", got)
	}
}

func TestListingTextPrefersTheReadersLanguage(t *testing.T) {
	t.Parallel()
	li := &isa.Listing{Lang: isa.ZH, Title: "注塑模具", Description: "说明",
		Translations: map[isa.Lang]isa.Translation{isa.DE: {Title: "Spritzgussformen", Description: ""}}}
	tests := []struct {
		lang     isa.Lang
		title    bool
		want     string
		wantLang string
	}{
		{isa.ZH, true, "注塑模具", "zh-Hans"},
		{isa.DE, true, "Spritzgussformen", "de"},
		// The translation has no description: the original shows, marked Chinese.
		{isa.DE, false, "说明", "zh-Hans"},
		{isa.EN, true, "注塑模具", "zh-Hans"},
	}
	for _, tt := range tests {
		got := listingText(li, tt.lang, tt.title)
		if got.Text != tt.want || got.Lang != tt.wantLang {
			t.Errorf("listingText(%s, title=%v) = %+v, want %q in %s", tt.lang, tt.title, got, tt.want, tt.wantLang)
		}
	}
}

func TestLayoutShowsSessionFlashesAndAccountLink(t *testing.T) {
	t.Parallel()
	f := newFixture(t, options{})
	f.web.session = func(http.ResponseWriter, *http.Request) Session {
		return Session{SignedIn: true, Name: "Jana", Flashes: []Flash{{Kind: "success", Message: "Gespeichert <ok>"}}}
	}
	res := f.get(t, "/de/cities")
	for _, w := range []string{`<div class="flashes" role="status">`, "Gespeichert &lt;ok&gt;", `href="/de/account"`, "Mein Konto"} {
		if !strings.Contains(res.body, w) {
			t.Errorf("page lacks %q", w)
		}
	}
	if strings.Contains(res.body, `href="/de/login"`) {
		t.Error("a signed-in visitor is offered the login link")
	}
	anon := newFixture(t, options{}).get(t, "/de/cities")
	if !strings.Contains(anon.body, `href="/de/login"`) || strings.Contains(anon.body, "flashes") {
		t.Error("an anonymous visitor gets no login link or an empty flash box")
	}
}

func TestCSRFHelperWritesAnEscapedTokenFieldOnlyWithAToken(t *testing.T) {
	t.Parallel()
	f := newFixture(t, options{})
	tmpl := template.Must(template.New("").Funcs(f.web.funcs(isa.DE)).Parse(`<form>{{csrf .}}</form>`))
	tests := []struct {
		s    Session
		want string
	}{
		{Session{}, "<form></form>"},
		{Session{CSRFToken: `a"b<c`}, `<form><input type="hidden" name="csrf_token" value="a&#34;b&lt;c"></form>`},
	}
	for _, tt := range tests {
		var b strings.Builder
		if err := tmpl.Execute(&b, tt.s); err != nil {
			t.Fatal(err)
		}
		if b.String() != tt.want {
			t.Errorf("csrf(%q) = %s, want %s", tt.s.CSRFToken, b.String(), tt.want)
		}
	}
}

func TestLanguageRootWithoutSlashRedirects(t *testing.T) {
	t.Parallel()
	f := newFixture(t, options{})
	res := f.get(t, "/zh")
	if res.status/100 != 3 || res.header.Get("Location") != "/zh/" {
		t.Errorf("/zh: %d to %q, want a redirect to /zh/", res.status, res.header.Get("Location"))
	}
}

func TestAPanicBecomesTheErrorPage(t *testing.T) {
	t.Parallel()
	f := newFixture(t, options{})
	h := f.web.page(isa.EN, func(*http.Request, isa.Lang) (*view, error) { panic("boom") })
	rec := httptestRecorder(t, h, "/en/boom")
	if rec.Code != http.StatusInternalServerError || !strings.Contains(rec.Body.String(), "Something went wrong") {
		t.Errorf("status %d, body lacks the error page", rec.Code)
	}
	if !strings.Contains(f.logs.String(), "boom") {
		t.Error("the panic was not logged")
	}
}

func TestPageWeightStaysUnderBudget(t *testing.T) {
	t.Parallel()
	f := newFixture(t, options{})
	seedBusyCity(t, f)
	assets := 0
	for _, a := range f.web.assets.byName {
		assets += len(a.data)
	}
	heaviest, path := 0, ""
	paths := []string{"/cities/wuppertal", "/search?city=wuppertal"}
	for _, p := range pages {
		paths = append(paths, p.path)
	}
	for _, p := range paths {
		for _, l := range isa.Langs {
			res := f.get(t, "/"+string(l)+p)
			if res.status != http.StatusOK {
				t.Fatalf("%s: status %d", p, res.status)
			}
			if n := len(res.body); n > heaviest {
				heaviest, path = n, "/"+string(l)+p
			}
		}
	}
	t.Logf("heaviest page %s: %d bytes HTML + %d bytes CSS, JS and icon", path, heaviest, assets)
	if heaviest+assets > maxPage {
		t.Errorf("heaviest page %s weighs %d bytes with assets, budget %d", path, heaviest+assets, maxPage)
	}
}

func httptestRecorder(t *testing.T, h http.Handler, path string) *httptest.ResponseRecorder {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	return rec
}

// seedBusyCity adds 60 organisations with a listing each to Wuppertal:
// more than a city page lists, with titles and names at their longest.
func seedBusyCity(t *testing.T, f *fixture) {
	t.Helper()
	ctx := t.Context()
	long := strings.Repeat("Präzisionsdrehteile 精密车削件 ", 7)[:isa.MaxTitle]
	for i := range 60 {
		ref := fmt.Sprintf("busy-%02d", i)
		o := &isa.Organisation{Ref: ref, Name: fmt.Sprintf("%02d %s", i, long), Kind: isa.Company, City: "wuppertal"}
		if _, err := f.store.UpsertOrganisation(ctx, o, nil); err != nil {
			t.Fatal(err)
		}
		l := &isa.Listing{Ref: ref, Org: ref, Kind: isa.Offer, Lang: isa.DE, Title: long, Description: long,
			State: isa.Published, Published: "2026-11-01", Expires: "2027-11-01"}
		if _, err := f.store.UpsertListing(ctx, l); err != nil {
			t.Fatal(err)
		}
	}
}

func TestCityPagePagesThroughItsOrganisations(t *testing.T) {
	t.Parallel()
	f := newFixture(t, options{})
	seedBusyCity(t, f)
	first := f.get(t, "/de/cities/wuppertal")
	m := regexp.MustCompile(`<a href="(\?orgs=[^"#]+)#orgs-h" rel="next">Weitere Organisationen</a>`).FindStringSubmatch(first.body)
	if m == nil {
		t.Fatal("first page has no link to more organisations")
	}
	next := f.get(t, "/de/cities/wuppertal"+strings.ReplaceAll(m[1], "&amp;", "&"))
	if next.status != http.StatusOK {
		t.Fatalf("second page: status %d", next.status)
	}
	count := func(body string) int { return strings.Count(body, `href="/de/organisations/busy-`) }
	// Listing cards link organisations too; count the list rows only.
	rows := func(body string) int {
		i := strings.Index(body, `id="orgs-h"`)
		j := strings.Index(body, `id="listings-h"`)
		return count(body[i:j])
	}
	if a, b := rows(first.body), rows(next.body); a != listLimit || a+b != 60 {
		t.Errorf("pages list %d and %d organisations, want %d and %d", a, b, listLimit, 60-listLimit)
	}
	if strings.Contains(next.body, "Weitere Organisationen") {
		t.Error("the last page links to more")
	}
	if res := f.get(t, "/de/cities/wuppertal?orgs=garbage"); res.status != http.StatusBadRequest {
		t.Errorf("a forged cursor: status %d, want 400", res.status)
	}
}

func TestSignInGoesOnlyToPathsOfThisSite(t *testing.T) {
	tests := []struct{ name, next, want string }{
		{"a page of the site", "/de/listings/l-1/contact?x=1", "/de/listings/l-1/contact?x=1"},
		{"nothing", "", "/zh/account"},
		{"another site", "https://evil.example/", "/zh/account"},
		{"protocol-relative", "//evil.example", "/zh/account"},
		{"backslash read as slash", "/\\evil.example", "/zh/account"},
		{"tab dropped by browsers", "/\t/evil.example", "/zh/account"},
		{"line break dropped by browsers", "/\n/evil.example", "/zh/account"},
		{"space", "/ /evil.example", "/zh/account"},
		{"relative path", "evil.example", "/zh/account"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := localNext(isa.ZH, tt.next); got != tt.want {
				t.Errorf("localNext(%q) = %q, want %q", tt.next, got, tt.want)
			}
		})
	}
}

func TestRefusalsAreShownInTheVisitorsLanguageNeverInTheDomainsEnglish(t *testing.T) {
	t.Parallel()
	f := newFixture(t, options{})
	tests := []struct {
		name string
		l    isa.Lang
		e    *isa.Error
		want string
	}{
		{"known key", isa.DE, &isa.Error{Code: isa.CodeInvalid, Key: "posting.error.website", Message: "a web address starting with https://"}, "Bitte geben Sie eine Webadresse an, die mit https:// beginnt."},
		{"unknown key", isa.DE, &isa.Error{Code: isa.CodeInvalid, Key: "posting.error.nonexistent", Message: "english only"}, f.web.cat.Locale(isa.DE).T("error.invalid.text")},
		{"no key", isa.ZH, &isa.Error{Code: isa.CodeConflict, Message: "english only"}, f.web.cat.Locale(isa.ZH).T("error.conflict.text")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := f.web.errorText(tt.l, tt.e)
			if got != tt.want || strings.Contains(got, "english only") || got == "" {
				t.Errorf("errorText = %q, want %q", got, tt.want)
			}
		})
	}
}
