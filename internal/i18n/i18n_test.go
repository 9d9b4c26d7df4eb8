package i18n

import (
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/isa-alliance/isa"
)

func mustLoad(t *testing.T) *Catalog {
	t.Helper()
	c, err := Load()
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return c
}

func TestEveryKeyExistsInAllThreeLanguagesAndNoFileHasExtraKeys(t *testing.T) {
	c := mustLoad(t)
	en := c.Keys(isa.EN)
	if len(en) < 50 {
		t.Fatalf("only %d keys in en.json: the embedded files were not read", len(en))
	}
	for _, l := range isa.Langs {
		got := c.Keys(l)
		for _, k := range en {
			if _, ok := slices.BinarySearch(got, k); !ok {
				t.Errorf("%s.json lacks %q", l, k)
			}
		}
		for _, k := range got {
			if _, ok := slices.BinarySearch(en, k); !ok {
				t.Errorf("%s.json has extra key %q", l, k)
			}
		}
	}
}

func TestNoTextIsEmpty(t *testing.T) {
	c := mustLoad(t)
	for _, l := range isa.Langs {
		for k, e := range c.texts[l] {
			if e.plural == nil && strings.TrimSpace(e.text) == "" {
				t.Errorf("%s: %q is empty", l, k)
			}
			for cat, s := range e.plural {
				if strings.TrimSpace(s) == "" {
					t.Errorf("%s: %q form %q is empty", l, k, cat)
				}
			}
		}
	}
}

func TestLoadRefusesCataloguesThatDisagree(t *testing.T) {
	good := map[string]string{
		"de.json": `{"a": "A {n}", "p": {"one": "ein", "other": "viele"}}`,
		"zh.json": `{"a": "甲 {n}", "p": {"other": "个"}}`,
		"en.json": `{"a": "A {n}", "p": {"one": "one", "other": "many"}}`,
	}
	tests := []struct {
		name    string
		replace map[string]string
		wantErr string
	}{
		{"consistent files load", nil, ""},
		{"a key missing in one language", map[string]string{"zh.json": `{"p": {"other": "个"}}`}, `zh lacks key "a"`},
		{"an extra key in one language", map[string]string{"de.json": `{"a": "A {n}", "b": "B", "p": {"one": "ein", "other": "viele"}}`}, `de has key "b" that en lacks`},
		{"a placeholder dropped", map[string]string{"de.json": `{"a": "A", "p": {"one": "ein", "other": "viele"}}`}, "placeholders"},
		{"a plural form missing in German", map[string]string{"de.json": `{"a": "A {n}", "p": {"other": "viele"}}`}, `plural form "one" missing`},
		{"a plural form Chinese does not use", map[string]string{"zh.json": `{"a": "甲 {n}", "p": {"one": "一", "other": "个"}}`}, `plural form "one" is not used`},
		{"plural in one language only", map[string]string{"zh.json": `{"a": "甲 {n}", "p": "个"}`}, "plural in one language"},
		{"broken JSON", map[string]string{"en.json": `{"a": `}, "en.json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			for name, data := range good {
				fsys[name] = &fstest.MapFile{Data: []byte(data)}
			}
			for name, data := range tt.replace {
				fsys[name] = &fstest.MapFile{Data: []byte(data)}
			}
			_, err := LoadFS(fsys)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("LoadFS: %v", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Fatalf("LoadFS error = %v, want one mentioning %q", err, tt.wantErr)
			}
		})
	}
}

func TestPluralCategoryFollowsCLDR(t *testing.T) {
	tests := []struct {
		lang isa.Lang
		n    int
		want string
	}{
		{isa.DE, 0, "other"}, {isa.DE, 1, "one"}, {isa.DE, 2, "other"}, {isa.DE, 21, "other"},
		{isa.EN, 0, "other"}, {isa.EN, 1, "one"}, {isa.EN, 11, "other"}, {isa.EN, 101, "other"},
		{isa.ZH, 0, "other"}, {isa.ZH, 1, "other"}, {isa.ZH, 2, "other"},
	}
	for _, tt := range tests {
		if got := PluralCategory(tt.lang, tt.n); got != tt.want {
			t.Errorf("PluralCategory(%s, %d) = %q, want %q", tt.lang, tt.n, got, tt.want)
		}
	}
}

func TestNChoosesThePluralFormAndFormatsTheCount(t *testing.T) {
	c := mustLoad(t)
	tests := []struct {
		lang isa.Lang
		n    int
		want string
	}{
		{isa.EN, 1, "1 listing found"},
		{isa.EN, 0, "0 listings found"},
		{isa.EN, 12345, "12,345 listings found"},
		{isa.DE, 1, "1 Eintrag gefunden"},
		{isa.DE, 12345, "12.345 Einträge gefunden"},
		{isa.ZH, 1, "找到1条信息"},
		{isa.ZH, 12345, "找到12,345条信息"},
	}
	for _, tt := range tests {
		if got := c.Locale(tt.lang).N("search.total", tt.n); got != tt.want {
			t.Errorf("%s N(search.total, %d) = %q, want %q", tt.lang, tt.n, got, tt.want)
		}
	}
}

func TestNumberAndDateAreFormattedPerLocale(t *testing.T) {
	c := mustLoad(t)
	day := time.Date(2026, time.March, 5, 23, 30, 0, 0, time.UTC)
	tests := []struct {
		lang     isa.Lang
		number   string
		date     string
		isaDate  string
		emptyDay string
	}{
		{isa.DE, "1.234.567", "5. März 2026", "5. März 2026", ""},
		{isa.EN, "1,234,567", "5 March 2026", "5 March 2026", ""},
		{isa.ZH, "1,234,567", "2026年3月5日", "2026年3月5日", ""},
	}
	for _, tt := range tests {
		loc := c.Locale(tt.lang)
		if got := loc.Number(1234567); got != tt.number {
			t.Errorf("%s Number = %q, want %q", tt.lang, got, tt.number)
		}
		if got := loc.Date(day); got != tt.date {
			t.Errorf("%s Date = %q, want %q", tt.lang, got, tt.date)
		}
		if got := loc.Day("2026-03-05"); got != tt.isaDate {
			t.Errorf("%s Day = %q, want %q", tt.lang, got, tt.isaDate)
		}
		if got := loc.Day(""); got != tt.emptyDay {
			t.Errorf("%s Day(\"\") = %q, want empty", tt.lang, got)
		}
	}
}

func TestDateUsesTheUTCDay(t *testing.T) {
	c := mustLoad(t)
	// 01:00 in Shanghai on 1 January is still 31 December in UTC, the day
	// the database records.
	shanghai := time.FixedZone("CST", 8*3600)
	got := c.Locale(isa.EN).Date(time.Date(2027, 1, 1, 1, 0, 0, 0, shanghai))
	if got != "31 December 2026" {
		t.Errorf("Date = %q, want 31 December 2026", got)
	}
}

func TestTFillsPlaceholdersAndFallsBack(t *testing.T) {
	c := mustLoad(t)
	tests := []struct {
		lang isa.Lang
		key  string
		args []any
		want string
	}{
		{isa.DE, "city.member_since", []any{"date", isa.Date("2019-04-01")}, "Mitglied seit 1. April 2019"},
		{isa.ZH, "city.member_since", []any{"date", isa.Date("2019-04-01")}, "2019年4月1日加入"},
		{isa.EN, "search.title_query", []any{"query", "<b>x</b>"}, "Search: <b>x</b>"},
		{isa.EN, "no.such.key", nil, "no.such.key"},
		{isa.EN, "search.title_query", nil, "Search: {query}"},
		{"fr", "nav.home", nil, "Home"},
	}
	for _, tt := range tests {
		if got := c.Locale(tt.lang).T(tt.key, tt.args...); got != tt.want {
			t.Errorf("%s T(%q) = %q, want %q", tt.lang, tt.key, got, tt.want)
		}
	}
}

func TestNegotiatePicksTheBestOfOurLanguages(t *testing.T) {
	c := mustLoad(t)
	tests := []struct {
		header string
		want   isa.Lang
	}{
		{"de-DE,de;q=0.9,en;q=0.8", isa.DE},
		{"de-AT", isa.DE},
		{"zh-CN,zh;q=0.9", isa.ZH},
		{"zh-TW", isa.ZH},
		{"zh-HK", isa.ZH},
		// A Traditional Chinese reader who also accepts English gets
		// English: the matcher ranks an exact match above a different script.
		{"zh-HK,en;q=0.5", isa.EN},
		{"en-US,en;q=0.9,de;q=0.8", isa.EN},
		{"fr-FR,fr;q=0.9,de;q=0.5", isa.DE},
		{"de;q=0.1,en;q=0.9", isa.EN},
		{"fr-FR", isa.EN},
		{"", isa.EN},
		{"*", isa.EN},
		{"this is ;; not a header", isa.EN},
	}
	for _, tt := range tests {
		if got := c.Negotiate(tt.header); got != tt.want {
			t.Errorf("Negotiate(%q) = %s, want %s", tt.header, got, tt.want)
		}
	}
}

func TestCompareSortsInTheLocalesOrder(t *testing.T) {
	c := mustLoad(t)
	tests := []struct {
		lang isa.Lang
		in   []string
		want []string
	}{
		{isa.DE, []string{"Zwickau", "Österreich", "Oberhausen", "Ahlen"}, []string{"Ahlen", "Oberhausen", "Österreich", "Zwickau"}},
		// Pinyin: Foshan (fó), Deyang (dé), Baoan (bǎo) sort b, d, f.
		{isa.ZH, []string{"佛山", "德阳", "宝安区"}, []string{"宝安区", "德阳", "佛山"}},
	}
	for _, tt := range tests {
		got := slices.Clone(tt.in)
		slices.SortFunc(got, c.Locale(tt.lang).Compare())
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: sorted %v, want %v", tt.lang, got, tt.want)
		}
	}
}
