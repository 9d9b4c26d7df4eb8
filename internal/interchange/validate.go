package interchange

import (
	"errors"
	"net/mail"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/isa-alliance/isa"
	"github.com/isa-alliance/isa/internal/nace"
)

// NACE checks and normalises NACE Rev. 2 codes; package nace provides it
// (nace.Default()).
type NACE interface {
	Normalize(code string) (string, error)
}

// naceReason is why package nace refused a code (malformed, unknown, letter
// and digits disagree), in the three languages; empty for other checkers.
func naceReason(err error) isa.Text {
	var e *isa.Error
	if errors.As(err, &e) {
		if t, ok := nace.Messages()[e.Key]; ok {
			return t
		}
	}
	return isa.Text{isa.EN: err.Error()}
}

// Limits the format sets beyond those of the domain.
const (
	maxRef      = 100
	maxName     = 300
	maxAbout    = 10000
	maxURL      = 500
	minFounded  = 1000
	maxListItem = 100
)

// validator turns raw records into domain objects. It knows the member
// cities under every name, today's date and how to tell a text's language.
type validator struct {
	today  isa.Date
	cities map[string]*isa.City // by folded slug and folded names
	nace   NACE
	detect func(string) isa.Lang
}

func newValidator(cities []isa.City, today isa.Date, nace NACE, detect func(string) isa.Lang) *validator {
	v := &validator{today: today, cities: make(map[string]*isa.City, len(cities)*4), nace: nace, detect: detect}
	for i := range cities {
		c := &cities[i]
		v.cities[foldCity(c.Slug)] = c
		for _, n := range c.Names {
			if n != "" {
				v.cities[foldCity(n)] = c
			}
		}
	}
	return v
}

// foldCity makes city names comparable the way people type them: case,
// umlauts written out (Köln, Koeln), spaces or hyphens (Bad Homburg,
// bad-homburg).
func foldCity(s string) string {
	return cityFolder.Replace(strings.ToLower(strings.TrimSpace(s)))
}

// Replacers are immutable and safe for concurrent use; building one costs
// more than using it, so they are built once.
var (
	cityFolder        = strings.NewReplacer("ä", "ae", "ö", "oe", "ü", "ue", "ß", "ss", " ", "-", "_", "-")
	cooperationFolder = strings.NewReplacer(" ", "_", "-", "_")
)

// check collects the findings of one record.
type check struct {
	problems []Problem
	failed   bool
}

func (c *check) add(p Problem) {
	c.problems = append(c.problems, p)
	if p.Severity == Error {
		c.failed = true
	}
}

func (c *check) addp(p *Problem) {
	if p != nil {
		c.add(*p)
	}
}

// text reads a single-line or multi-line text, trimmed, with Windows line
// ends unified so that JSON and CSV give the same text.
func (c *check) text(f fields, name string) string {
	s, p := f.str(name)
	c.addp(p)
	return c.clean(name, s)
}

// clean trims a text and unifies line ends. Control characters other than
// tab and line break are refused: they are invisible in every editor, and
// PostgreSQL cannot store NUL at all, which would stop the whole import.
func (c *check) clean(name, s string) string {
	s = strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n"))
	if strings.IndexFunc(s, badControl) >= 0 {
		c.add(problem(name, "control"))
	}
	return s
}

func badControl(r rune) bool {
	return r != '\n' && r != '\t' && (unicode.IsControl(r) || r == utf8.RuneError)
}

func (c *check) required(name, v string) {
	if v == "" {
		c.add(problem(name, "field.required"))
	}
}

func (c *check) maxLen(name, v string, limit int) {
	if n := utf8.RuneCountInString(v); n > limit {
		c.add(problem(name, "toolong", n, limit))
	}
}

func (c *check) ref(name, v string) {
	if v == "" {
		c.required(name, v)
		return
	}
	bad := utf8.RuneCountInString(v) > maxRef || strings.IndexFunc(v, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsControl(r)
	}) >= 0
	if bad {
		c.add(problem(name, "ref", v, maxRef))
	}
}

// enum checks a value against its allowed values, case-insensitively.
func enum[T ~string](c *check, name, v string, allowed []T) T {
	v = strings.ToLower(v)
	for _, a := range allowed {
		if string(a) == v {
			return a
		}
	}
	names := make([]string, len(allowed))
	for i, a := range allowed {
		names[i] = string(a)
	}
	c.add(problem(name, "enum", v, quoted(names)))
	return ""
}

// langKeys checks the languages of a text object and drops empty texts.
func (c *check) langText(f fields, name string, limit int) isa.Text {
	m, p := f.langText(name)
	c.addp(p)
	if len(m) == 0 {
		return nil
	}
	out := make(isa.Text, len(m))
	for k, s := range m {
		l := isa.Lang(strings.ToLower(k))
		if !l.Valid() {
			c.add(problem(name, "lang", k))
			continue
		}
		s = c.clean(csvName(f, name, l), s)
		if s == "" {
			continue
		}
		c.maxLen(csvName(f, name, l), s, limit)
		out[l] = s
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// csvName names a per-language field as the file does: names_en in CSV,
// names in JSON.
func csvName(f fields, name string, l isa.Lang) string {
	if isCSV(f) {
		return name + "_" + string(l)
	}
	return name
}

func isCSV(f fields) bool {
	switch f.(type) {
	case csvFields, csvWithWarnings:
		return true
	}
	return false
}

// list reads a list, trims and de-duplicates its items and drops empty ones;
// items may not hold ";" because CSV separates list items with it.
func (c *check) list(f fields, name string) []string {
	l, p := f.list(name)
	c.addp(p)
	var out []string
	for _, s := range l {
		s = c.clean(name, s)
		if s == "" || slices.Contains(out, s) {
			continue
		}
		if strings.Contains(s, ";") {
			c.add(problem(name, "semicolon", s))
			continue
		}
		c.maxLen(name, s, maxListItem)
		out = append(out, s)
	}
	return out
}

func (c *check) industries(f fields, nace NACE) []string {
	codes := c.list(f, "industries")
	var out []string
	for _, code := range codes {
		n, err := nace.Normalize(code)
		if err != nil {
			c.add(problem("industries", "nace", code, naceReason(err)))
			continue
		}
		if !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out
}

func (c *check) date(f fields, name string) isa.Date {
	s := c.text(f, name)
	if s == "" {
		return ""
	}
	d, err := isa.ParseDate(s)
	if err != nil {
		if g, ok := germanDate(s); ok {
			return g
		}
		c.add(problem(name, "date", s))
		return ""
	}
	return d
}

// germanDate accepts DD.MM.YYYY, the form German Excel turns ISO dates into
// when it saves a CSV; it is unambiguous, unlike 01/02/2026.
func germanDate(s string) (isa.Date, bool) {
	d, m, ok := strings.Cut(s, ".")
	if !ok {
		return "", false
	}
	m, y, ok := strings.Cut(m, ".")
	if !ok || len(y) != 4 || len(d) < 1 || len(d) > 2 || len(m) < 1 || len(m) > 2 {
		return "", false
	}
	iso := y + "-" + pad2(m) + "-" + pad2(d)
	out, err := isa.ParseDate(iso)
	return out, err == nil
}

func pad2(s string) string {
	if len(s) == 1 {
		return "0" + s
	}
	return s
}

// organisation validates an organisation record in full.
func (v *validator) organisation(f fields) (*isa.Organisation, []isa.ContactPerson, check) {
	var c check
	for _, p := range f.unknown(typeOrganisation) {
		c.add(p)
	}
	o := &isa.Organisation{Verification: isa.Verification{State: isa.Unverified}}
	o.Ref = c.text(f, "ref")
	c.ref("ref", o.Ref)
	o.Name = c.text(f, "name")
	c.required("name", o.Name)
	c.maxLen("name", o.Name, maxName)
	o.Names = c.langText(f, "names", maxName)
	if kind := c.text(f, "kind"); kind == "" {
		c.required("kind", kind)
	} else {
		o.Kind = enum(&c, "kind", kind, isa.OrgKinds)
	}
	if city := c.text(f, "city"); city == "" {
		c.required("city", city)
	} else if ct := v.cities[foldCity(city)]; ct == nil {
		c.add(problem("city", "city.unknown", city))
	} else {
		o.City = ct.Slug
		if len(ct.Memberships) > 0 && !ct.Member(v.today) {
			c.add(warning("city", "city.member", ct.Slug, string(v.today)))
		}
	}
	if size := c.text(f, "size"); size != "" {
		o.Size = enum(&c, "size", size, isa.SizeClasses)
	}
	year, p := f.year("founded")
	c.addp(p)
	if year = strings.TrimSpace(year); year != "" {
		n, err := strconv.Atoi(year)
		switch {
		case err != nil:
			c.add(problem("founded", "want.year"))
		case n < minFounded || n > v.today.Time().Year():
			c.add(problem("founded", "founded", n, minFounded, v.today.Time().Year()))
		default:
			o.Founded = n
		}
	}
	o.Website = v.website(&c, c.text(f, "website"))
	o.Industries = c.industries(f, v.nace)
	o.About = c.langText(f, "about", maxAbout)

	// The e-mail address and phone number are the organisation's general
	// contact; they may name a person, so they are kept apart as a contact
	// person. An empty, non-nil list clears a contact removed from the file.
	contacts := []isa.ContactPerson{}
	email := c.text(f, "email")
	if email != "" {
		if a, err := mail.ParseAddress(email); err != nil || a.Address != email || a.Name != "" {
			c.add(problem("email", "email"))
		}
	}
	phone := c.text(f, "phone")
	if phone != "" && !validPhone(phone) {
		c.add(problem("phone", "phone"))
	}
	if email != "" || phone != "" {
		contacts = append(contacts, isa.ContactPerson{Email: email, Phone: phone})
	}
	return o, contacts, c
}

func (v *validator) website(c *check, s string) string {
	if s == "" {
		return ""
	}
	// People write www.example.de; a browser would add the scheme too.
	if !strings.Contains(s, "://") {
		s = "https://" + s
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || !strings.Contains(u.Host, ".") || len(s) > maxURL {
		c.add(problem("website", "website", s))
		return ""
	}
	return s
}

// validPhone accepts what people write on business cards: digits with +,
// spaces, hyphens, slashes, dots and parentheses, at least five digits.
func validPhone(s string) bool {
	digits := 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case strings.ContainsRune("+ -/().", r):
		default:
			return false
		}
	}
	return digits >= 5 && digits <= 20
}

// listingKinds accepts the German and Chinese words city offices use in
// their spreadsheets besides the format's own values.
var listingKinds = map[string]isa.ListingKind{
	"offer": isa.Offer, "angebot": isa.Offer, "供应": isa.Offer, "合作提供": isa.Offer,
	"request": isa.Request, "gesuch": isa.Request, "需求": isa.Request,
}

// listing validates a listing record in full, except whether its
// organisation exists, which the import decides.
func (v *validator) listing(f fields) (*isa.Listing, check) {
	var c check
	for _, p := range f.unknown(typeListing) {
		c.add(p)
	}
	l := &isa.Listing{}
	l.Ref = c.text(f, "ref")
	c.ref("ref", l.Ref)
	l.Org = c.text(f, "org")
	c.ref("org", l.Org)
	if kind := c.text(f, "kind"); kind == "" {
		c.required("kind", kind)
	} else if k, ok := listingKinds[strings.ToLower(kind)]; ok {
		l.Kind = k
	} else {
		c.add(problem("kind", "enum", kind, quoted([]string{"offer", "request"})))
	}
	l.Title = c.text(f, "title")
	c.required("title", l.Title)
	c.maxLen("title", l.Title, isa.MaxTitle)
	l.Description = c.text(f, "description")
	c.required("description", l.Description)
	c.maxLen("description", l.Description, isa.MaxDescription)
	if lang := c.text(f, "lang"); lang != "" {
		l.Lang = isa.Lang(strings.ToLower(lang))
		if !l.Lang.Valid() {
			c.add(problem("lang", "lang", lang))
		}
	} else if l.Title != "" || l.Description != "" {
		l.Lang = v.detect(l.Title + "\n" + l.Description)
	}
	l.Translations = v.translations(&c, f, l)
	for _, co := range c.list(f, "cooperation") {
		co = cooperationFolder.Replace(strings.ToLower(co))
		if !slices.Contains(isa.CooperationTypes, co) {
			c.add(problem("cooperation", "enum", co, quoted(isa.CooperationTypes)))
			continue
		}
		if !slices.Contains(l.Cooperation, co) {
			l.Cooperation = append(l.Cooperation, co)
		}
	}
	l.Industries = c.industries(f, v.nace)
	l.Keywords = c.list(f, "keywords")
	if len(l.Keywords) > isa.MaxKeywords {
		c.add(problem("keywords", "toomany", len(l.Keywords), isa.MaxKeywords))
	}
	l.Published = c.date(f, "published")
	if l.Published == "" {
		l.Published = v.today
	}
	l.Expires = c.date(f, "expires")
	if l.Expires == "" {
		l.Expires = l.Published.AddMonths(12)
	}
	if l.Expires.Before(l.Published) {
		c.add(problem("expires", "date.order", string(l.Expires), string(l.Published)))
	}
	l.State = isa.Published
	if l.Expires.Before(v.today) {
		l.State = isa.Expired
	}
	return l, c
}

func (v *validator) translations(c *check, f fields, l *isa.Listing) map[isa.Lang]isa.Translation {
	raw, p := f.translations()
	c.addp(p)
	if len(raw) == 0 {
		return nil
	}
	name := func(field string, lang isa.Lang) string {
		if isCSV(f) {
			return field + "_" + string(lang)
		}
		return "translations"
	}
	out := make(map[isa.Lang]isa.Translation, len(raw))
	for k, t := range raw {
		lang := isa.Lang(strings.ToLower(k))
		if !lang.Valid() {
			c.add(problem("translations", "lang", k))
			continue
		}
		tr := isa.Translation{Title: c.clean(name("title", lang), t.title), Description: c.clean(name("description", lang), t.description)}
		if tr == (isa.Translation{}) {
			continue
		}
		if lang == l.Lang {
			// A spreadsheet may repeat the original in its own language's
			// columns; only a different text is a mistake.
			if tr.Title == l.Title && (tr.Description == "" || tr.Description == l.Description) {
				continue
			}
			c.add(problem(name("title", lang), "tr.ownlang", string(lang)))
			continue
		}
		if tr.Title == "" {
			c.add(problem(name("title", lang), "tr.title", string(lang)))
			continue
		}
		c.maxLen(name("title", lang), tr.Title, isa.MaxTitle)
		c.maxLen(name("description", lang), tr.Description, isa.MaxDescription)
		out[lang] = tr
	}
	if len(out) == 0 {
		return nil
	}
	return out
}
