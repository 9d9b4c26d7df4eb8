package web

import (
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/url"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/isa-alliance/isa"
	"github.com/isa-alliance/isa/internal/i18n"
)

//go:embed templates
var templateFiles embed.FS

// shared are the templates every page is parsed with.
var shared = []string{"templates/layout.html", "templates/parts.html"}

// parseTemplates builds one template set per page and language. The
// functions are bound to the language, so that a template says
// {{t "nav.cities"}} and never has to pass the locale around.
func (w *Web) parseTemplates() error {
	pages, err := fs.Glob(templateFiles, "templates/page_*.html")
	if err != nil {
		return fmt.Errorf("templates: %w", err)
	}
	w.pages = make(map[isa.Lang]map[string]*template.Template, len(isa.Langs))
	for _, l := range isa.Langs {
		base, err := template.New("").Funcs(w.funcs(l)).ParseFS(templateFiles, shared...)
		if err != nil {
			return fmt.Errorf("templates: %w", err)
		}
		w.pages[l] = make(map[string]*template.Template, len(pages))
		for _, p := range pages {
			t, err := template.Must(base.Clone()).ParseFS(templateFiles, p)
			if err != nil {
				return fmt.Errorf("templates: %s: %w", p, err)
			}
			name := strings.TrimSuffix(strings.TrimPrefix(path.Base(p), "page_"), ".html")
			w.pages[l][name] = t
		}
	}
	return nil
}

// localized is a text with the language it is written in, so that the
// page can mark text in another language than its own (lang attribute):
// screen readers then pronounce it right and browsers pick the right font.
type localized struct {
	Text string
	Lang string
}

func (w *Web) funcs(l isa.Lang) template.FuncMap {
	loc := w.cat.Locale(l)
	return template.FuncMap{
		"t":  loc.T,
		"tn": loc.N,
		"num": func(n int) string {
			return loc.Number(int64(n))
		},
		"day":  loc.Day,
		"date": func(t time.Time) string { return loc.Date(t) },
		// text picks the language of a multilingual text.
		"text": func(t isa.Text) string { return t.In(l) },
		"htmlLang": func(x isa.Lang) string {
			return htmlLang(x)
		},
		"lang":  func() isa.Lang { return l },
		"langs": func() []isa.Lang { return isa.Langs },
		// href builds a path in the current language.
		"href": func(parts ...string) string {
			return "/" + string(l) + strings.Join(parts, "")
		},
		"cityHref":    func(slug string) string { return "/" + string(l) + "/cities/" + url.PathEscape(slug) },
		"orgHref":     func(ref string) string { return "/" + string(l) + "/organisations/" + url.PathEscape(ref) },
		"listingHref": func(ref string) string { return "/" + string(l) + "/listings/" + url.PathEscape(ref) },
		"searchHref": func(key, value string) string {
			return "/" + string(l) + "/search?" + url.Values{key: {value}}.Encode()
		},
		// switchHref is the same page in another language.
		"switchHref": func(to isa.Lang, p, rawQuery string) string {
			u := "/" + string(to) + p
			if rawQuery != "" {
				u += "?" + rawQuery
			}
			return u
		},
		"nace": func(code string) string {
			if w.industries == nil {
				return ""
			}
			return w.industries.Label(code, l)
		},
		"orgName":  func(o *isa.Organisation) string { return orgName(o, l) },
		"cityName": func(c *isa.City) string { return c.Names.In(l) },
		"title":    func(li *isa.Listing) localized { return listingText(li, l, true) },
		"desc":     func(li *isa.Listing) localized { return listingText(li, l, false) },
		"reason":   func(r Reason) string { return w.reasonText(loc, r) },
		"query":    queryWith,
		"csrf": func(s Session) template.HTML {
			if s.CSRFToken == "" {
				return ""
			}
			return template.HTML(`<input type="hidden" name="csrf_token" value="` +
				template.HTMLEscapeString(s.CSRFToken) + `">`)
		},
	}
}

// htmlLang is the BCP 47 tag of l for lang attributes: our Chinese is
// Simplified, which "zh" alone does not say.
func htmlLang(l isa.Lang) string {
	if l == isa.ZH {
		return "zh-Hans"
	}
	return string(l)
}

// orgName prefers the organisation's spelling in l (Names) over its own
// name, so that a Chinese visitor reads 索林根刀具 where one is recorded.
func orgName(o *isa.Organisation, l isa.Lang) string {
	if o == nil {
		return ""
	}
	if s := o.Names[l]; s != "" {
		return s
	}
	return o.Name
}

// listingText returns a listing's title or description in l: the original
// when it is written in l, else the author's translation into l, else the
// original in its own language.
func listingText(li *isa.Listing, l isa.Lang, title bool) localized {
	pick := func(t isa.Translation) string {
		if title {
			return t.Title
		}
		return t.Description
	}
	orig := isa.Translation{Title: li.Title, Description: li.Description}
	if li.Lang != l {
		if tr, ok := li.Translations[l]; ok && pick(tr) != "" {
			return localized{Text: pick(tr), Lang: htmlLang(l)}
		}
	}
	lang := li.Lang
	if !lang.Valid() {
		lang = l
	}
	return localized{Text: pick(orig), Lang: htmlLang(lang)}
}

func (w *Web) reasonText(loc *i18n.Locale, r Reason) string {
	key := "reason." + r.Code
	detail := r.Detail
	switch {
	case r.Code == "industry":
		lbl := r.Labels.In(loc.Lang)
		if lbl == "" && w.industries != nil {
			lbl = w.industries.Label(r.Detail, loc.Lang)
		}
		if lbl != "" {
			detail = r.Detail + " " + lbl
		}
	case r.Code == "cooperation" && w.cat.Has("coop."+r.Detail):
		detail = loc.T("coop." + r.Detail)
	case r.Code == "cross_border" && w.cat.Has("country."+r.Detail):
		detail = loc.T("country." + r.Detail)
	case r.Code == "concept" && len(r.Labels) > 0:
		// The concept in the reader's language and in the others: the
		// shared meaning is what bridges the two listings' languages.
		parts := []string{r.Labels.In(loc.Lang)}
		for _, l := range isa.Langs {
			if s := r.Labels[l]; s != "" && !slices.Contains(parts, s) {
				parts = append(parts, s)
			}
		}
		detail = strings.Join(parts, " / ")
	case len(r.Labels) > 0:
		detail = r.Labels.In(loc.Lang)
	}
	if !w.cat.Has(key) {
		return detail
	}
	return loc.T(key, "detail", detail)
}

// queryWith returns the query string q with key set to value (removed when
// value is empty) and the page reset, for facet links that keep the other
// filters.
func queryWith(q url.Values, key, value string) string {
	n := url.Values{}
	for k, v := range q {
		if k != key && k != "page" && k != "after" {
			n[k] = v
		}
	}
	if value != "" {
		n.Set(key, value)
	}
	if len(n) == 0 {
		return "?"
	}
	return "?" + n.Encode()
}
