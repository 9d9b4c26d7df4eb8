package cities

import (
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/isa-alliance/isa"
)

// The slugs of interchange.md, "Member cities at the start".
var specGerman = []string{"aachen", "bad-homburg", "bottrop", "chemnitz", "fulda",
	"goettingen", "hamburg", "hildesheim", "ingolstadt", "kaiserslautern", "koeln",
	"ludwigshafen", "mainz", "nuernberg", "rhein-kreis-neuss", "drei-gewinnt",
	"schwarzwald", "solingen", "wuppertal"}

var specChinese = []string{"foshan", "taizhou", "baoan", "liuzhou", "maoming", "nansha",
	"deyang", "nanning", "jieyang", "jiaozuo", "nanchang", "maanshan", "zhuzhou",
	"jiangmen", "guiyang", "zhaoqing", "panjin", "shantou", "weihai", "xiaoshan", "lanzhou"}

func TestEmbeddedFileParses(t *testing.T) {
	if _, err := parse(data); err != nil {
		t.Fatal(err)
	}
}

func TestParseRejectsBrokenData(t *testing.T) {
	tests := []struct {
		name, json string
	}{
		{"not JSON", `[{`},
		{"unknown field", `[{"slug":"x","sulg":"y"}]`},
		{"duplicate slug", `[{"slug":"x"},{"slug":"x"}]`},
		{"name shared by two cities", `[{"slug":"a","names":{"de":"Stadt"}},{"slug":"b","names":{"en":"stadt"}}]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := parse([]byte(tt.json)); err == nil {
				t.Fatal("parse accepted broken data")
			}
		})
	}
}

func TestMemberCitiesMatchTheSpec(t *testing.T) {
	var de, cn []string
	for _, c := range All() {
		switch c.Country {
		case isa.Germany:
			de = append(de, c.Slug)
		case isa.China:
			cn = append(cn, c.Slug)
		default:
			t.Errorf("%s: country %q is neither DE nor CN", c.Slug, c.Country)
		}
	}
	for _, tt := range []struct {
		country   string
		got, want []string
	}{{"DE", de, specGerman}, {"CN", cn, specChinese}} {
		if len(tt.got) != len(tt.want) {
			t.Errorf("%s: %d cities, want %d", tt.country, len(tt.got), len(tt.want))
		}
		g, w := slices.Sorted(slices.Values(tt.got)), slices.Sorted(slices.Values(tt.want))
		if !slices.Equal(g, w) {
			t.Errorf("%s slugs\n got %v\nwant %v", tt.country, g, w)
		}
	}
}

func TestEveryCityIsDescribedInAllThreeLanguages(t *testing.T) {
	for _, c := range All() {
		for _, l := range isa.Langs {
			for field, text := range map[string]isa.Text{
				"name": c.Names, "region": c.Region, "profile": c.Profile, "office": c.Office.Name,
			} {
				if strings.TrimSpace(text[l]) == "" {
					t.Errorf("%s: %s missing in %s", c.Slug, field, l)
				}
			}
		}
		// A Chinese text without Han characters was most likely pasted
		// into the wrong language.
		if !strings.ContainsFunc(c.Names[isa.ZH]+c.Profile[isa.ZH], func(r rune) bool { return unicode.Is(unicode.Han, r) }) {
			t.Errorf("%s: Chinese name or profile has no Chinese characters", c.Slug)
		}
		if len(c.Memberships) == 0 {
			t.Errorf("%s: no membership recorded", c.Slug)
		}
		for _, m := range c.Memberships {
			if m.Joined == "" && m.Note == "" {
				t.Errorf("%s: membership without a join day must say why in its note", c.Slug)
			}
			if m.Joined != "" && m.Joined < "2016-01-01" {
				t.Errorf("%s: joined %s, before the alliance was founded in 2016", c.Slug, m.Joined)
			}
		}
		if c.Office.Phone != "" {
			t.Errorf("%s: office phone %q: only numbers checked at the source belong here", c.Slug, c.Office.Phone)
		}
	}
}

func TestNoTwoCitiesShareAName(t *testing.T) {
	seen := map[string]string{}
	for _, c := range All() {
		for _, l := range isa.Langs {
			k := string(l) + ":" + strings.ToLower(c.Names[l])
			if other, ok := seen[k]; ok {
				t.Errorf("%s name %q used by %s and %s", l, c.Names[l], other, c.Slug)
			}
			seen[k] = c.Slug
		}
	}
}

func TestBadHomburgJoinedAtHannoverMesse2019(t *testing.T) {
	c, ok := Get("bad-homburg")
	if !ok {
		t.Fatal("bad-homburg missing")
	}
	if c.Names[isa.DE] != "Bad Homburg vor der Höhe" || c.Names[isa.ZH] != "巴特洪堡" {
		t.Errorf("names %v", c.Names)
	}
	i := slices.IndexFunc(c.Memberships, func(m isa.Membership) bool { return m.Event == "Hannover Messe 2019" })
	if i < 0 {
		t.Fatalf("no membership with event Hannover Messe 2019: %+v", c.Memberships)
	}
	if !strings.Contains(c.Memberships[i].Note, "certificate") {
		t.Errorf("note %q does not mention the membership certificate", c.Memberships[i].Note)
	}
}

func TestResolveAcceptsSlugNamesAndSpellings(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"koeln", "koeln", true},
		{"Köln", "koeln", true},
		{"COLOGNE", "koeln", true},
		{"科隆", "koeln", true},
		{"  bad homburg vor der höhe ", "bad-homburg", true},
		{"巴特洪堡", "bad-homburg", true},
		{"Bad Homburg", "bad-homburg", true},
		{"宝安区", "baoan", true},
		{"Bao’an District, Shenzhen", "baoan", true},
		{"bao'an district, shenzhen", "baoan", true},
		{"Rüsselsheim am Main", "drei-gewinnt", true},
		{"Freiburg", "schwarzwald", true},
		{"Region Fulda", "fulda", true},
		{"rhein kreis neuss", "rhein-kreis-neuss", true},
		{"Rhein-Kreis Neuss", "rhein-kreis-neuss", true},
		{"萧山区", "xiaoshan", true},
		{"Nuremberg", "nuernberg", true},
		{"Berlin", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		got, ok := Resolve(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("Resolve(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestResolveFindsEveryNameOfEveryCity(t *testing.T) {
	for _, c := range All() {
		for _, n := range []string{c.Slug, c.Names[isa.DE], c.Names[isa.EN], c.Names[isa.ZH], strings.ToUpper(c.Names[isa.EN])} {
			if got, ok := Resolve(n); !ok || got != c.Slug {
				t.Errorf("Resolve(%q) = %q, %v; want %s", n, got, ok, c.Slug)
			}
		}
	}
}

func TestAllReturnsCopies(t *testing.T) {
	a := All()
	a[0].Names[isa.DE] = "changed"
	a[0].Memberships[0].Note = "changed"
	b := All()
	if b[0].Names[isa.DE] == "changed" || b[0].Memberships[0].Note == "changed" {
		t.Fatal("a caller's change reached the embedded data")
	}
}
