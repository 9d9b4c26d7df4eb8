package e2e

import (
	"strings"
	"testing"
)

// publicPages are the main pages anyone sees, with the demo data loaded.
// The search queries are in the page's language and must find something.
var publicPages = []struct {
	name, path string
	query      map[string]string // search page only: q per language
}{
	{name: "home", path: "/"},
	{name: "cities", path: "/cities"},
	{name: "city", path: "/cities/bad-homburg"},
	{name: "organisation", path: "/organisations/demo-o-kurpark"},
	{name: "listing", path: "/listings/demo-l-034"},
	{name: "search", path: "/search", query: map[string]string{"de": "Spritzguss", "zh": "注塑", "en": "injection moulding"}},
	{name: "login", path: "/login"},
	{name: "register", path: "/register"},
}

var htmlLangs = map[string]string{"de": "de", "zh": "zh-Hans", "en": "en"}

// TestPublicPagesInEveryLanguage opens the main pages in German, Chinese
// and English and holds each to the rules of issue 4: served in its
// language with a switcher, no request to another host, under 150 KB
// before images, no serious or critical axe-core finding, no sideways
// scrolling on a phone; screenshots at both widths are the artefacts.
func TestPublicPagesInEveryLanguage(t *testing.T) {
	srv := startServer(t, serverOptions{demo: true})
	br := startBrowser(t, srv)
	tb := br.newTab(t, "visitor")
	for _, lang := range []string{"de", "zh", "en"} {
		for _, p := range publicPages {
			t.Run(lang+"/"+p.name, func(t *testing.T) {
				path := "/" + lang + p.path
				if p.path == "/" {
					path = "/" + lang + "/"
				}
				if q := p.query[lang]; q != "" {
					path += "?q=" + q
				}
				tb.open(t, path, 200)
				if got := tb.lang(t); got != htmlLangs[lang] {
					t.Errorf("%s is served with lang=%q, want %q", path, got, htmlLangs[lang])
				}
				switcher := tb.attrs(t, "nav.langs a[hreflang]", "hreflang")
				if strings.Join(switcher, " ") != "de zh-Hans en" {
					t.Errorf("%s: language switcher offers %v, want de zh-Hans en", path, switcher)
				}
				if p.query != nil {
					if hits := tb.attrs(t, ".results .card h3 a", "href"); len(hits) == 0 {
						t.Errorf("search for %q in %s found nothing in the demo data", p.query[lang], lang)
					}
				}
				tb.inspect(t, lang+"-"+p.name)
			})
		}
	}
}
