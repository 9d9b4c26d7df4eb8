// Package i18n is the locale catalogue of the user interface: every text the
// pages show, in German, Chinese (Simplified) and English, loaded from
// embedded JSON files, with CLDR plural rules, per-locale formatting of
// numbers and dates, and negotiation of the language a browser asks for.
//
// A locale file maps keys to texts. A text may hold named placeholders such
// as {count}; a plural text is an object of CLDR categories ("one", "other")
// instead of a string. The files of the three languages must hold the same
// keys with the same placeholders; Load refuses a catalogue that does not.
package i18n

import (
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/number"

	"github.com/isa-alliance/isa"
)

//go:embed locales/*.json
var localeFiles embed.FS

// entry is one key's text: either a plain text or plural forms by category.
type entry struct {
	text   string
	plural map[string]string
}

// Catalog holds the texts of all three languages. It is read-only after
// Load and safe for concurrent use.
type Catalog struct {
	texts   map[isa.Lang]map[string]entry
	locales map[isa.Lang]*Locale
	matcher language.Matcher
	// offered is the order the matcher was built with; its index answers
	// Negotiate, because the matched tag itself carries extensions
	// (zh-Hans-u-rg-cnzzzz) that do not compare equal to our tags.
	offered []isa.Lang
}

// Load reads the embedded locale files.
func Load() (*Catalog, error) {
	sub, err := fs.Sub(localeFiles, "locales")
	if err != nil {
		return nil, fmt.Errorf("i18n: locale files: %w", err)
	}
	return LoadFS(sub)
}

// LoadFS reads de.json, zh.json and en.json from fsys and checks that they
// agree: same keys, same placeholders, the plural categories each language
// needs.
func LoadFS(fsys fs.FS) (*Catalog, error) {
	c := &Catalog{
		texts:   make(map[isa.Lang]map[string]entry, len(isa.Langs)),
		locales: make(map[isa.Lang]*Locale, len(isa.Langs)),
	}
	for _, l := range isa.Langs {
		name := string(l) + ".json"
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("i18n: read %s: %w", name, err)
		}
		texts, err := parse(l, data)
		if err != nil {
			return nil, fmt.Errorf("i18n: %s: %w", name, err)
		}
		c.texts[l] = texts
	}
	if err := c.check(); err != nil {
		return nil, fmt.Errorf("i18n: %w", err)
	}
	// English first: it is the answer for browsers that ask for none of our
	// languages, since a French or Russian visitor is likelier to read
	// English than German or Chinese.
	c.offered = []isa.Lang{isa.EN, isa.DE, isa.ZH}
	c.matcher = language.NewMatcher([]language.Tag{language.English, language.German, language.SimplifiedChinese})
	for _, l := range isa.Langs {
		c.locales[l] = &Locale{Lang: l, cat: c, printer: message.NewPrinter(tagOf(l))}
	}
	return c, nil
}

func tagOf(l isa.Lang) language.Tag {
	switch l {
	case isa.DE:
		return language.German
	case isa.ZH:
		return language.SimplifiedChinese
	default:
		return language.English
	}
}

func parse(l isa.Lang, data []byte) (map[string]entry, error) {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, err
	}
	out := make(map[string]entry, len(raw))
	for key, v := range raw {
		var s string
		if err := json.Unmarshal(v, &s); err == nil {
			out[key] = entry{text: s}
			continue
		}
		var forms map[string]string
		if err := json.Unmarshal(v, &forms); err != nil {
			return nil, fmt.Errorf("key %q: neither a text nor plural forms", key)
		}
		for _, cat := range pluralCategories(l) {
			if _, ok := forms[cat]; !ok {
				return nil, fmt.Errorf("key %q: plural form %q missing", key, cat)
			}
		}
		for cat := range forms {
			if !slices.Contains(pluralCategories(l), cat) {
				return nil, fmt.Errorf("key %q: plural form %q is not used in %s", key, cat, l)
			}
		}
		out[key] = entry{plural: forms}
	}
	return out, nil
}

// check makes sure every language has the same keys, each a plural in all
// or in none, with the same placeholders, so that no visitor meets a raw key
// or a text that drops a number.
func (c *Catalog) check() error {
	var errs []error
	ref := c.texts[isa.EN]
	for _, l := range isa.Langs {
		for key := range c.texts[l] {
			if _, ok := ref[key]; !ok && l != isa.EN {
				errs = append(errs, fmt.Errorf("%s has key %q that en lacks", l, key))
			}
		}
		if l == isa.EN {
			continue
		}
		for key, e := range ref {
			o, ok := c.texts[l][key]
			if !ok {
				errs = append(errs, fmt.Errorf("%s lacks key %q", l, key))
				continue
			}
			if (e.plural == nil) != (o.plural == nil) {
				errs = append(errs, fmt.Errorf("key %q is plural in one language and not in %s", key, l))
				continue
			}
			if want, got := e.placeholders(), o.placeholders(); !slices.Equal(want, got) {
				errs = append(errs, fmt.Errorf("key %q: %s has placeholders %v, en has %v", key, l, got, want))
			}
		}
	}
	return errors.Join(errs...)
}

var placeholderRE = regexp.MustCompile(`\{([a-z_]+)\}`)

// placeholders returns the sorted, distinct placeholder names of all forms.
func (e entry) placeholders() []string {
	texts := []string{e.text}
	if e.plural != nil {
		texts = slices.Collect(maps.Values(e.plural))
	}
	var names []string
	for _, t := range texts {
		for _, m := range placeholderRE.FindAllStringSubmatch(t, -1) {
			names = append(names, m[1])
		}
	}
	slices.Sort(names)
	return slices.Compact(names)
}

// Keys returns the sorted keys of language l.
func (c *Catalog) Keys(l isa.Lang) []string {
	return slices.Sorted(maps.Keys(c.texts[l]))
}

// Has reports whether key exists in the catalogue.
func (c *Catalog) Has(key string) bool {
	_, ok := c.texts[isa.EN][key]
	return ok
}

// Locale returns the locale of l, English for a language we do not offer.
func (c *Catalog) Locale(l isa.Lang) *Locale {
	if loc, ok := c.locales[l]; ok {
		return loc
	}
	return c.locales[isa.EN]
}

// Negotiate picks the language for an Accept-Language header: the best of
// de, zh, en that the browser accepts, English when it accepts none of them
// or the header cannot be read. Traditional Chinese readers get Simplified
// Chinese, which they read more easily than a foreign language.
func (c *Catalog) Negotiate(acceptLanguage string) isa.Lang {
	tags, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil || len(tags) == 0 {
		return c.offered[0]
	}
	_, i, conf := c.matcher.Match(tags...)
	if conf == language.No || i < 0 || i >= len(c.offered) {
		return c.offered[0]
	}
	return c.offered[i]
}

// PluralCategory returns the CLDR plural category of the integer n in l:
// German and English distinguish "one" from "other", Chinese has only
// "other".
func PluralCategory(l isa.Lang, n int) string {
	if l == isa.ZH {
		return "other"
	}
	if n == 1 {
		return "one"
	}
	return "other"
}

func pluralCategories(l isa.Lang) []string {
	if l == isa.ZH {
		return []string{"other"}
	}
	return []string{"one", "other"}
}

// Locale translates and formats for one language.
type Locale struct {
	Lang    isa.Lang
	cat     *Catalog
	printer *message.Printer
}

// lookup finds key in the locale's language, then in English and German,
// so that a text missing in one file (which the tests forbid) still shows
// something readable rather than a key.
func (l *Locale) lookup(key string) (entry, bool) {
	for _, lang := range []isa.Lang{l.Lang, isa.EN, isa.DE} {
		if e, ok := l.cat.texts[lang][key]; ok {
			return e, true
		}
	}
	return entry{}, false
}

// T returns the text of key with placeholders filled from args, which
// alternate name and value: T("home.welcome", "city", "Foshan"). Numbers
// and dates among the values are formatted for the locale. An unknown key
// is returned as it is.
func (l *Locale) T(key string, args ...any) string {
	e, ok := l.lookup(key)
	if !ok {
		return key
	}
	text := e.text
	if e.plural != nil {
		text = e.plural["other"]
	}
	return l.fill(text, args)
}

// N returns the plural form of key for the count n, with {count} set to n
// formatted for the locale and further placeholders from args.
func (l *Locale) N(key string, n int, args ...any) string {
	e, ok := l.lookup(key)
	if !ok {
		return key
	}
	text := e.text
	if e.plural != nil {
		text = e.plural[PluralCategory(l.Lang, n)]
		if text == "" {
			text = e.plural["other"]
		}
	}
	return l.fill(text, append([]any{"count", n}, args...))
}

func (l *Locale) fill(text string, args []any) string {
	if len(args) < 2 || !strings.Contains(text, "{") {
		return text
	}
	pairs := make([]string, 0, len(args))
	for i := 0; i+1 < len(args); i += 2 {
		name, _ := args[i].(string)
		pairs = append(pairs, "{"+name+"}", l.format(args[i+1]))
	}
	return strings.NewReplacer(pairs...).Replace(text)
}

func (l *Locale) format(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case int:
		return l.Number(int64(v))
	case int64:
		return l.Number(v)
	case isa.Date:
		return l.Day(v)
	case time.Time:
		return l.Date(v)
	case fmt.Stringer:
		return v.String()
	default:
		return fmt.Sprint(v)
	}
}

// Compare returns a comparison of strings in the locale's alphabetical
// order (Göttingen before Hamburg in German, pinyin order in Chinese), for
// one sort: the collator behind it is not safe for concurrent use, so each
// call makes its own.
func (l *Locale) Compare() func(a, b string) int {
	c := collate.New(tagOf(l.Lang))
	return c.CompareString
}

// Number formats an integer with the locale's digit grouping: 12.345 in
// German, 12,345 in English and Chinese.
func (l *Locale) Number(n int64) string {
	return l.printer.Sprint(number.Decimal(n))
}

// Date formats the calendar day of t (in UTC) in the locale's long form:
// "21. November 2026", "21 November 2026", "2026年11月21日".
func (l *Locale) Date(t time.Time) string {
	t = t.UTC()
	return l.T("date.long",
		"day", strconv.Itoa(t.Day()),
		"month", l.T("date.month."+strconv.Itoa(int(t.Month()))),
		"year", strconv.Itoa(t.Year()))
}

// Day formats an isa.Date like Date; the empty Date gives "".
func (l *Locale) Day(d isa.Date) string {
	if d == "" {
		return ""
	}
	t := d.Time()
	if t.IsZero() {
		return string(d)
	}
	return l.Date(t)
}
