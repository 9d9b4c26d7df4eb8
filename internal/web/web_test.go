package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/isa-alliance/isa"
	"github.com/isa-alliance/isa/internal/httpapi"
	"github.com/isa-alliance/isa/internal/search"
	"github.com/isa-alliance/isa/internal/storage/storagetest"
)

// now is the fixed day of the tests.
var now = time.Date(2026, time.November, 21, 9, 0, 0, 0, time.UTC)

// Personal data of the fixture's contact person: none of it may appear on
// any public page.
const (
	contactName  = "Jana Beispielfrau"
	contactEmail = "jana.beispielfrau@klingen.example"
	contactPhone = "+49 212 5550123"
)

// evilTitle is a listing title that would run a script if not escaped.
const evilTitle = `<script>alert("x")</script> Klingen`

type fixture struct {
	store isa.Store
	web   *Web
	srv   *httptest.Server
	logs  *bytes.Buffer
}

type options struct {
	search  Searcher
	matcher Matcher
	store   func(isa.Store) isa.Store
}

func newFixture(t *testing.T, opt options) *fixture {
	t.Helper()
	db := storagetest.OpenSQLite(t)
	seed(t, db)
	var store isa.Store = db
	if opt.store != nil {
		store = opt.store(db)
	}
	logs := &bytes.Buffer{}
	w, err := New(Deps{
		Store:      store,
		Logger:     slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Now:        func() time.Time { return now },
		Search:     opt.search,
		Matcher:    opt.matcher,
		Industries: fakeNACE{},
	})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	mux := http.NewServeMux()
	w.Register(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return &fixture{store: store, web: w, srv: srv, logs: logs}
}

func seed(t testing.TB, s isa.Store) {
	t.Helper()
	ctx := context.Background()
	orgs := []struct {
		o        *isa.Organisation
		contacts []isa.ContactPerson
	}{
		{&isa.Organisation{
			Ref: "de-klingen", Name: "Klingenwerk Solingen GmbH", Names: isa.Text{isa.ZH: "索林根刀具厂"},
			Kind: isa.Company, City: "solingen", Size: isa.Small, Founded: 1921, Website: "https://klingen.example",
			Industries: []string{"C25.71"}, About: isa.Text{isa.DE: "Schneidwaren seit 1921.", isa.EN: "Blades since 1921."},
			Verification: isa.Verification{State: isa.Verified, By: "Amt Solingen", At: time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC), Method: "visit"},
		}, []isa.ContactPerson{{Name: contactName, Role: "Vertrieb", Email: contactEmail, Phone: contactPhone, Langs: []isa.Lang{isa.DE, isa.EN}}}},
		{&isa.Organisation{
			Ref: "cn-foshan-mold", Name: "佛山精密模具有限公司", Names: isa.Text{isa.EN: "Foshan Precision Moulds", isa.DE: "Foshan Präzisionsformen"},
			Kind: isa.Company, City: "foshan", Size: isa.Medium, Industries: []string{"C22.29"},
		}, []isa.ContactPerson{{Name: "王小明", Email: "wang@mold.example"}}},
	}
	for _, o := range orgs {
		if _, err := s.UpsertOrganisation(ctx, o.o, o.contacts); err != nil {
			t.Fatalf("UpsertOrganisation(%s): %v", o.o.Ref, err)
		}
	}
	listings := []*isa.Listing{
		{Ref: "offer-blades", Org: "de-klingen", Kind: isa.Offer, Lang: isa.DE,
			Title: "Industrieklingen nach Zeichnung", Description: "Wir fertigen Klingen für Maschinen.\n\nKleinserien ab 100 Stück.",
			Translations: map[isa.Lang]isa.Translation{isa.EN: {Title: "Industrial blades to drawing", Description: "We make blades for machines."}},
			Cooperation:  []string{"supply", "manufacturing"}, Industries: []string{"C25.71"}, Keywords: []string{"Klinge", "blade & knife"},
			State: isa.Published, Published: "2026-10-01", Expires: "2027-10-01"},
		{Ref: "request-moulds", Org: "cn-foshan-mold", Kind: isa.Request, Lang: isa.ZH,
			Title: "寻求德国注塑模具合作伙伴", Description: "我们希望与德国企业合作开发注塑模具。",
			Translations: map[isa.Lang]isa.Translation{isa.DE: {Title: "Partner für Spritzgussformen gesucht", Description: "Wir suchen deutsche Partner."}},
			Cooperation:  []string{"research"}, Industries: []string{"C22.29"},
			State: isa.Published, Published: "2026-11-01", Expires: "2027-11-01"},
		{Ref: "offer-evil", Org: "de-klingen", Kind: isa.Offer, Lang: isa.DE,
			Title: evilTitle, Description: `<img src=x onerror=alert(1)>`,
			State: isa.Published, Published: "2026-09-01", Expires: "2027-09-01"},
		{Ref: "offer-draft", Org: "de-klingen", Kind: isa.Offer, Lang: isa.DE,
			Title: "Entwurf", Description: "Noch nicht fertig.", State: isa.Draft},
		{Ref: "offer-old", Org: "de-klingen", Kind: isa.Offer, Lang: isa.DE,
			Title: "Alte Scheren", Description: "Abverkauf.", State: isa.Published, Published: "2025-01-01", Expires: "2025-06-30"},
	}
	for _, l := range listings {
		if _, err := s.UpsertListing(ctx, l); err != nil {
			t.Fatalf("UpsertListing(%s): %v", l.Ref, err)
		}
	}
}

type fakeNACE struct{}

func (fakeNACE) Label(code string, l isa.Lang) string {
	labels := map[string]isa.Text{
		"C25.71": {isa.DE: "Herstellung von Schneidwaren", isa.EN: "Manufacture of cutlery", isa.ZH: "刀具制造"},
		"C22.29": {isa.DE: "Herstellung von sonstigen Kunststoffwaren", isa.EN: "Manufacture of other plastic products", isa.ZH: "其他塑料制品制造"},
	}
	return labels[code][l]
}

type fakeMatcher struct {
	matches []Match
	err     error
}

func (m fakeMatcher) Matches(ctx context.Context, ref string, limit int) ([]Match, error) {
	return m.matches, m.err
}

type fakeSearch struct {
	res   *search.Result
	err   error
	calls []search.Query
}

func (s *fakeSearch) Search(ctx context.Context, q search.Query) (*search.Result, error) {
	s.calls = append(s.calls, q)
	return s.res, s.err
}

type response struct {
	status int
	header http.Header
	body   string
}

// get fetches path without following redirects.
func (f *fixture) get(t *testing.T, path string, header ...string) response {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, f.srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("GET %s: read body: %v", path, err)
	}
	return response{status: res.StatusCode, header: res.Header, body: string(body)}
}

// pages are the public pages with a text each language must show.
var pages = []struct {
	path string
	want map[isa.Lang]string
}{
	{"/", map[isa.Lang]string{isa.DE: "Neueste Angebote", isa.ZH: "最新供应", isa.EN: "Newest offers"}},
	{"/cities", map[isa.Lang]string{isa.DE: "Die Mitgliedsstädte", isa.ZH: "联盟成员城市", isa.EN: "The member cities"}},
	{"/cities/solingen", map[isa.Lang]string{isa.DE: "Klingenwerk Solingen GmbH", isa.ZH: "索林根刀具厂", isa.EN: "Klingenwerk Solingen GmbH"}},
	{"/cities/foshan", map[isa.Lang]string{isa.DE: "Foshan Präzisionsformen", isa.ZH: "佛山精密模具有限公司", isa.EN: "Foshan Precision Moulds"}},
	{"/organisations/de-klingen", map[isa.Lang]string{isa.DE: "Schneidwaren seit 1921.", isa.ZH: "Blades since 1921.", isa.EN: "Blades since 1921."}},
	{"/listings/offer-blades", map[isa.Lang]string{isa.DE: "Industrieklingen nach Zeichnung", isa.ZH: "Industrieklingen nach Zeichnung", isa.EN: "Industrial blades to drawing"}},
	{"/listings/request-moulds", map[isa.Lang]string{isa.DE: "Partner für Spritzgussformen gesucht", isa.ZH: "寻求德国注塑模具合作伙伴", isa.EN: "寻求德国注塑模具合作伙伴"}},
	{"/search", map[isa.Lang]string{isa.DE: "Angebote und Gesuche durchsuchen", isa.ZH: "搜索供需信息", isa.EN: "Search offers and requests"}},
	{"/search?kind=request&country=CN", map[isa.Lang]string{isa.DE: "Partner für Spritzgussformen gesucht", isa.ZH: "寻求德国注塑模具合作伙伴", isa.EN: "寻求德国注塑模具合作伙伴"}},
}

// maxPage is the weight budget of a page before images: HTML, CSS and JS.
const maxPage = 150 * 1024

func TestEveryPageRendersInAllThreeLanguages(t *testing.T) {
	t.Parallel()
	f := newFixture(t, options{})
	htmlLangs := map[isa.Lang]string{isa.DE: `<html lang="de">`, isa.ZH: `<html lang="zh-Hans">`, isa.EN: `<html lang="en">`}
	assetWeight := 0
	for _, a := range f.web.assets.byName {
		assetWeight += len(a.data)
	}
	for _, p := range pages {
		for _, l := range isa.Langs {
			path := "/" + string(l) + p.path
			t.Run(path, func(t *testing.T) {
				res := f.get(t, path)
				if res.status != http.StatusOK {
					t.Fatalf("status %d, want 200; body:\n%s", res.status, res.body)
				}
				if ct := res.header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
					t.Errorf("Content-Type %q", ct)
				}
				if !strings.Contains(res.body, htmlLangs[l]) {
					t.Errorf("page lacks %s", htmlLangs[l])
				}
				if !strings.Contains(res.body, p.want[l]) {
					t.Errorf("page lacks %q", p.want[l])
				}
				// The switcher offers the same page in every language.
				for _, other := range isa.Langs {
					want := `href="/` + string(other) + strings.ReplaceAll(p.path, "&", "&amp;") + `"`
					if p.path == "/" {
						want = `href="/` + string(other) + `/"`
					}
					if !strings.Contains(res.body, want) {
						t.Errorf("language switcher lacks %s", want)
					}
				}
				if n := strings.Count(res.body, "<h1"); n != 1 {
					t.Errorf("page has %d h1 headings, want 1", n)
				}
				if !strings.Contains(res.body, `<a class="skip" href="#main">`) || !strings.Contains(res.body, `<main id="main"`) {
					t.Error("page lacks the skip link or the main landmark")
				}
				if n := len(res.body) + assetWeight; n > maxPage {
					t.Errorf("page weighs %d bytes with its assets, budget %d", n, maxPage)
				}
				if m := regexp.MustCompile(`(?:src|href)="(?:https?:)?//`).FindString(res.body); m != "" && !strings.Contains(res.body, "https://klingen.example") {
					t.Errorf("page refers to another host: %s", m)
				}
				for _, raw := range []string{"{{", "{count}", "{date}", "search.total", "nav.home"} {
					if strings.Contains(res.body, raw) {
						t.Errorf("page shows raw template or key text %q", raw)
					}
				}
			})
		}
	}
}

func TestPagesSendSecurityHeaders(t *testing.T) {
	t.Parallel()
	f := newFixture(t, options{})
	for _, path := range []string{"/de/", "/en/no-such-page", "/", f.web.assets.urls["app.css"]} {
		res := f.get(t, path)
		want := map[string]string{
			"X-Content-Type-Options": "nosniff",
			"Referrer-Policy":        "strict-origin-when-cross-origin",
			"X-Frame-Options":        "DENY",
		}
		for k, v := range want {
			if got := res.header.Get(k); got != v {
				t.Errorf("%s: %s = %q, want %q", path, k, got, v)
			}
		}
		csp := res.header.Get("Content-Security-Policy")
		for _, part := range []string{"default-src 'self'", "frame-ancestors 'none'", "script-src 'self'"} {
			if !strings.Contains(csp, part) {
				t.Errorf("%s: CSP %q lacks %q", path, csp, part)
			}
		}
	}
}

func TestRootRedirectsByAcceptLanguage(t *testing.T) {
	t.Parallel()
	f := newFixture(t, options{})
	tests := []struct {
		accept string
		want   string
	}{
		{"de-DE,de;q=0.9", "/de/"},
		{"zh-CN,zh;q=0.9,en;q=0.8", "/zh/"},
		{"en-GB", "/en/"},
		{"fr-FR,fr;q=0.9", "/en/"},
		{"", "/en/"},
	}
	for _, tt := range tests {
		res := f.get(t, "/", "Accept-Language", tt.accept)
		if res.status != http.StatusFound || res.header.Get("Location") != tt.want {
			t.Errorf("Accept-Language %q: %d to %q, want 302 to %q", tt.accept, res.status, res.header.Get("Location"), tt.want)
		}
		if !strings.Contains(res.header.Get("Vary"), "Accept-Language") {
			t.Errorf("Accept-Language %q: no Vary: Accept-Language", tt.accept)
		}
	}
}

func TestLanguageFromURLWinsOverAcceptLanguage(t *testing.T) {
	t.Parallel()
	f := newFixture(t, options{})
	res := f.get(t, "/zh/cities", "Accept-Language", "de")
	if !strings.Contains(res.body, `<html lang="zh-Hans">`) || !strings.Contains(res.body, "联盟成员城市") {
		t.Error("/zh/ page not in Chinese for a German browser")
	}
}

func TestMissingThingsGetATranslatedNotFoundPage(t *testing.T) {
	t.Parallel()
	f := newFixture(t, options{})
	tests := []struct {
		path string
		want string
	}{
		{"/de/no-such-page", "Unter dieser Adresse gibt es keine Seite."},
		{"/zh/cities/atlantis", "未找到"},
		{"/en/organisations/nobody", "Not found"},
		{"/en/listings/nothing", "Not found"},
		{"/fr/accueil", "There is no page at this address."},
		{"/wp-login.php", "There is no page at this address."},
		// Drafts are not public: they answer like missing listings.
		{"/de/listings/offer-draft", "Nicht gefunden"},
	}
	for _, tt := range tests {
		res := f.get(t, tt.path)
		if res.status != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404", tt.path, res.status)
		}
		if !strings.Contains(res.body, tt.want) {
			t.Errorf("%s: page lacks %q", tt.path, tt.want)
		}
		if strings.Contains(res.body, "Entwurf") {
			t.Errorf("%s: draft title leaked", tt.path)
		}
	}
}

func TestOrganisationPagesShowNoContactPersons(t *testing.T) {
	t.Parallel()
	f := newFixture(t, options{})
	for _, l := range isa.Langs {
		for _, path := range []string{"/organisations/de-klingen", "/cities/solingen", "/listings/offer-blades", "/", "/search"} {
			res := f.get(t, "/"+string(l)+path)
			for _, personal := range []string{contactName, contactEmail, contactPhone, "Beispielfrau", "wang@mold.example", "王小明"} {
				if strings.Contains(res.body, personal) {
					t.Errorf("%s/%s shows personal data %q", l, path, personal)
				}
			}
		}
	}
}

func TestListingTextIsEscaped(t *testing.T) {
	t.Parallel()
	f := newFixture(t, options{})
	for _, path := range []string{"/de/listings/offer-evil", "/en/organisations/de-klingen", "/zh/cities/solingen", "/de/"} {
		res := f.get(t, path)
		if res.status != http.StatusOK {
			t.Fatalf("%s: status %d", path, res.status)
		}
		if strings.Contains(res.body, "<script>alert") || strings.Contains(res.body, "<img src=x") {
			t.Errorf("%s: listing markup reached the page unescaped", path)
		}
		if path == "/de/listings/offer-evil" && !strings.Contains(res.body, "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; Klingen") {
			t.Errorf("%s: escaped title missing", path)
		}
	}
}

func TestUnsafeWebsiteURLsAreNeutralised(t *testing.T) {
	t.Parallel()
	f := newFixture(t, options{})
	o := &isa.Organisation{Ref: "js-site", Name: "Skript AG", Kind: isa.Company, City: "mainz", Website: "javascript:alert(1)"}
	if _, err := f.store.UpsertOrganisation(t.Context(), o, nil); err != nil {
		t.Skipf("the store refuses the URL itself: %v", err)
	}
	res := f.get(t, "/de/organisations/js-site")
	if strings.Contains(res.body, `href="javascript:`) {
		t.Error("a javascript: URL became a link")
	}
}

func TestDatesAndNumbersFollowTheLocale(t *testing.T) {
	t.Parallel()
	f := newFixture(t, options{})
	tests := []struct {
		path string
		want []string
	}{
		{"/de/listings/offer-blades", []string{"1. Oktober 2026", "1. Oktober 2027"}},
		{"/en/listings/offer-blades", []string{"1 October 2026", "1 October 2027"}},
		{"/zh/listings/offer-blades", []string{"2026年10月1日", "2027年10月1日"}},
		{"/de/organisations/de-klingen", []string{"2. März 2026"}},
	}
	for _, tt := range tests {
		res := f.get(t, tt.path)
		for _, w := range tt.want {
			if !strings.Contains(res.body, w) {
				t.Errorf("%s lacks %q", tt.path, w)
			}
		}
	}
}

func TestCityPageNamesWhereTheCityJoined(t *testing.T) {
	t.Parallel()
	f := newFixture(t, options{})
	res := f.get(t, "/de/cities/bad-homburg")
	// The day was not recorded: the event stands in for it.
	if !strings.Contains(res.body, "Mitglied seit Hannover Messe 2019") {
		t.Error("Bad Homburg's page does not say it joined at Hannover Messe 2019")
	}
}

func TestHomeCountsLiveListingsAndMemberCities(t *testing.T) {
	t.Parallel()
	f := newFixture(t, options{})
	res := f.get(t, "/en/")
	// Two organisations; offers: blades and evil (draft and expired left
	// out); one request; 40 member cities.
	for _, w := range []string{"<strong>2</strong> organisations", "<strong>2</strong> current offers", "<strong>1</strong> current request<", "<strong>40</strong> member cities"} {
		if !strings.Contains(res.body, w) {
			t.Errorf("home lacks %q", w)
		}
	}
	if strings.Contains(res.body, "Alte Scheren") {
		t.Error("home shows an expired listing")
	}
}

func TestListingPageShowsTranslationsIndustriesAndCooperation(t *testing.T) {
	t.Parallel()
	f := newFixture(t, options{})
	res := f.get(t, "/en/listings/offer-blades")
	for _, w := range []string{
		`<h1 id="listing-h" lang="en">Industrial blades to drawing</h1>`,
		`lang="de"`, "Industrieklingen nach Zeichnung", // the original, marked German
		"Manufacture of cutlery", "Contract manufacturing", "Supply",
		"Translated by the organisation; the original in German is below.",
		`href="/en/search?q=blade&#43;%26&#43;knife"`,
	} {
		if !strings.Contains(res.body, w) {
			t.Errorf("listing page lacks %q", w)
		}
	}
	res = f.get(t, "/de/listings/offer-old")
	if res.status != http.StatusOK || !strings.Contains(res.body, "Dieser Eintrag ist abgelaufen") {
		t.Errorf("expired listing: status %d, notice missing", res.status)
	}
}

func TestListingPageExplainsMatches(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		matcher Matcher
		want    []string
	}{
		{"no matcher", nil, []string{"Partner suggestions are not available"}},
		{"matcher fails", fakeMatcher{err: errors.New("index down")}, []string{"could not be worked out"}},
		{"matches with reasons", fakeMatcher{matches: []Match{
			{Ref: "request-moulds", Score: 0.8, Reasons: []Reason{{Code: "industry", Detail: "C22.29"}, {Code: "cooperation", Detail: "research"}, {Code: "mystery", Detail: "raw detail"},
				{Code: "concept", Detail: "injection_moulding", Labels: isa.Text{isa.DE: "Spritzguss", isa.ZH: "注塑", isa.EN: "injection moulding"}},
				{Code: "cross_border", Detail: "CN"}}},
			{Ref: "offer-draft"}, // not public: left out
			{Ref: "gone"},        // deleted since indexing: left out
		}}, []string{"寻求德国注塑模具合作伙伴", "same industry: C22.29 Manufacture of other plastic products", "same kind of cooperation: Research and development", "raw detail",
			"same subject: injection moulding / Spritzguss / 注塑", "partner across the border: China"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, options{matcher: tt.matcher})
			res := f.get(t, "/en/listings/offer-blades")
			if res.status != http.StatusOK {
				t.Fatalf("status %d", res.status)
			}
			for _, w := range tt.want {
				if !strings.Contains(res.body, w) {
					t.Errorf("page lacks %q", w)
				}
			}
			if strings.Contains(res.body, "Entwurf") {
				t.Error("a draft was suggested as a match")
			}
		})
	}
}

func TestSearchWithoutEngineBrowsesByFilterAndSaysSo(t *testing.T) {
	t.Parallel()
	f := newFixture(t, options{})
	res := f.get(t, "/en/search?q=Klingen&kind=offer")
	if res.status != http.StatusOK {
		t.Fatalf("status %d", res.status)
	}
	for _, w := range []string{"your words were not searched", "Industrial blades to drawing", `aria-current="true" class="selected">Offer`} {
		if !strings.Contains(res.body, w) {
			t.Errorf("page lacks %q", w)
		}
	}
	if strings.Contains(res.body, "寻求德国注塑模具合作伙伴") {
		t.Error("kind=offer still shows a request")
	}
}

func TestSearchWithEngineHighlightsAndCountsFacets(t *testing.T) {
	t.Parallel()
	s := &fakeSearch{res: &search.Result{
		Total: 1,
		Hits: []search.Hit{
			{Ref: "request-moulds", Snippet: []search.Fragment{{Text: "寻求德国"}, {Text: "注塑", Hit: true}, {Text: "<b>模具</b>"}}},
			{Ref: "offer-draft"},
			{Ref: "offer-blades", Snippet: []search.Fragment{{Text: "Wir fertigen Klingen"}}},
		},
		Facets: map[string][]search.FacetCount{
			search.FacetKind:    {{Value: "request", Count: 1}},
			search.FacetSection: {{Value: "C", Count: 1}},
		},
	}}
	f := newFixture(t, options{search: s})
	res := f.get(t, "/zh/search?q=%E6%B3%A8%E5%A1%91&country=CN")
	if res.status != http.StatusOK {
		t.Fatalf("status %d", res.status)
	}
	for _, w := range []string{"<mark>注塑</mark>", "&lt;b&gt;模具&lt;/b&gt;", `<p class="snippet" lang="zh-Hans">`,
		`<p class="snippet" lang="de">Wir fertigen Klingen</p>`, "按语义找到", "找到1条信息", `<span class="count">(1)</span>`, `value="注塑"`} {
		if !strings.Contains(res.body, w) {
			t.Errorf("page lacks %q", w)
		}
	}
	if n := strings.Count(res.body, "按语义找到"); n != 1 {
		t.Errorf("%d hits say they were found by meaning, want 1 (the one without highlights)", n)
	}
	if strings.Contains(res.body, "未配置全文搜索") {
		t.Error("page says there is no engine")
	}
	var q search.Query
	for _, c := range s.calls {
		if c.Text != "" {
			q = c
		}
	}
	if q.Text != "注塑" || q.Country != "CN" || q.Viewer != isa.ZH || q.Today != "2026-11-21" || q.Limit != pageSize {
		t.Errorf("engine got %+v", q)
	}
	if !strings.Contains(res.body, `aria-current="true" class="selected">最相关</a>`) || !strings.Contains(res.body, "sort=newest") {
		t.Error("no choice of order, or relevance not marked as current")
	}
	f.get(t, "/zh/search?q=x&sort=newest")
	if last := s.calls[len(s.calls)-1]; last.Sort != search.SortNewest {
		t.Errorf("sort=newest reached the engine as %q", last.Sort)
	}
}

func TestSearchRefusesBadInputWithATranslatedMessage(t *testing.T) {
	t.Parallel()
	f := newFixture(t, options{})
	tests := []struct {
		path string
		want string
	}{
		{"/de/search?kind=gift", "Ein Filter in der Adresse ist ungültig"},
		{"/en/search?country=FR", "A filter in the address is not valid"},
		{"/en/search?page=-1", "A filter in the address is not valid"},
		{"/en/search?page=9000000000000000000", "A filter in the address is not valid"},
		{"/en/search?q=x&sort=random", "A filter in the address is not valid"},
		{"/zh/search?q=" + strings.Repeat("x", 501), "搜索内容过长"},
	}
	for _, tt := range tests {
		res := f.get(t, tt.path)
		if res.status != http.StatusBadRequest || !strings.Contains(res.body, tt.want) {
			t.Errorf("%s: status %d, want 400 with %q", tt.path, res.status, tt.want)
		}
	}
}

// failingStore fails every read after the cities, as a broken database
// would.
type failingStore struct{ isa.Store }

func (failingStore) Listing(ctx context.Context, ref string) (*isa.Listing, error) {
	return nil, fmt.Errorf("sqlite: disk I/O error at /var/lib/isa/secret.db")
}

func TestInternalErrorsShowAGenericPageAndAreLogged(t *testing.T) {
	t.Parallel()
	f := newFixture(t, options{store: func(s isa.Store) isa.Store { return failingStore{s} }})
	res := f.get(t, "/de/listings/offer-blades")
	if res.status != http.StatusInternalServerError {
		t.Fatalf("status %d, want 500", res.status)
	}
	if strings.Contains(res.body, "secret.db") || strings.Contains(res.body, "sqlite") {
		t.Error("driver error reached the visitor")
	}
	if !strings.Contains(res.body, "Etwas ist schiefgelaufen") {
		t.Error("no translated error heading")
	}
	if !strings.Contains(f.logs.String(), "secret.db") {
		t.Error("the cause was not logged")
	}
}

// orphanStore has lost the Foshan organisation: its listing dangles.
type orphanStore struct{ isa.Store }

func (s orphanStore) Organisation(ctx context.Context, ref string) (*isa.Organisation, error) {
	if ref == "cn-foshan-mold" {
		return nil, isa.NotFound("organisation", ref)
	}
	return s.Store.Organisation(ctx, ref)
}

func TestAListingWithoutOrganisationDoesNotBreakLists(t *testing.T) {
	t.Parallel()
	f := newFixture(t, options{store: func(s isa.Store) isa.Store { return orphanStore{s} }})
	home := f.get(t, "/en/")
	if home.status != http.StatusOK || strings.Contains(home.body, "寻求德国注塑模具合作伙伴") || !strings.Contains(home.body, "Industrial blades to drawing") {
		t.Errorf("home: status %d; want 200 without the dangling listing and with the others", home.status)
	}
	if !strings.Contains(f.logs.String(), "listing without organisation") {
		t.Error("the dangling listing was not logged")
	}
	s := &fakeSearch{res: &search.Result{Total: 2, Hits: []search.Hit{{Ref: "request-moulds"}, {Ref: "offer-blades"}}}}
	f.web.search = s
	if res := f.get(t, "/en/search?q=x"); res.status != http.StatusOK || !strings.Contains(res.body, "Industrial blades to drawing") {
		t.Errorf("search with a dangling hit: status %d, want 200 with the other hit", res.status)
	}
	f.web.search = nil
	// Its own page is a fault of the data, not a missing page.
	if res := f.get(t, "/en/listings/request-moulds"); res.status != http.StatusInternalServerError {
		t.Errorf("dangling listing page: status %d, want 500", res.status)
	}
}

func TestEveryErrorCodeHasAStatusAndTexts(t *testing.T) {
	t.Parallel()
	f := newFixture(t, options{})
	codes := []isa.Code{isa.CodeNotFound, isa.CodeInvalid, isa.CodeForbidden, isa.CodeConflict, isa.CodeUnauth, isa.CodeRateLimit, isa.CodeInternal}
	for _, c := range codes {
		if statusOf[c] == 0 {
			t.Errorf("no status for %s", c)
		}
		for _, k := range []string{"error." + string(c) + ".title", "error." + string(c) + ".text"} {
			if !f.web.cat.Has(k) {
				t.Errorf("no text %q", k)
			}
		}
	}
}

func TestStaticAssetsAreServedAtChecksumURLs(t *testing.T) {
	t.Parallel()
	f := newFixture(t, options{})
	css := f.web.assets.urls["app.css"]
	if !regexp.MustCompile(`^/static/app\.[0-9a-f]{10}\.css$`).MatchString(css) {
		t.Fatalf("css URL %q has no checksum", css)
	}
	res := f.get(t, css)
	if res.status != http.StatusOK || !strings.HasPrefix(res.header.Get("Content-Type"), "text/css") {
		t.Fatalf("css: status %d, type %q", res.status, res.header.Get("Content-Type"))
	}
	if cc := res.header.Get("Cache-Control"); !strings.Contains(cc, "max-age=31536000") || !strings.Contains(cc, "immutable") {
		t.Errorf("css Cache-Control %q", cc)
	}
	home := f.get(t, "/de/")
	if !strings.Contains(home.body, `href="`+css+`"`) {
		t.Error("pages do not link the checksum URL")
	}
	for _, bad := range []string{"/static/app.css", "/static/app.0000000000.css", "/static/..%2fweb.go"} {
		if res := f.get(t, bad); res.status != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404", bad, res.status)
		}
	}
}

func TestRegisterCoexistsWithTheJSONAPI(t *testing.T) {
	t.Parallel()
	f := newFixture(t, options{})
	mux := http.NewServeMux()
	f.web.Register(mux)
	httpapi.New(httpapi.Deps{Store: f.store}).Register(mux)
	for path, want := range map[string]int{"/de/cities": 200, "/api/v1/cities": 200, "/en/nothing": 404} {
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		if rec.Code != want {
			t.Errorf("%s: status %d, want %d", path, rec.Code, want)
		}
	}
}

func TestNewRequiresAStore(t *testing.T) {
	t.Parallel()
	if _, err := New(Deps{}); err == nil {
		t.Error("New without a store succeeded")
	}
}
