package nace

import (
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/isa-alliance/isa"
)

func TestEmbeddedHasTheOfficialCountsPerLevel(t *testing.T) {
	want := map[Level]int{Section: 21, Division: 88, Group: 272, Class: 615}
	got := map[Level]int{}
	for _, e := range Default().All() {
		got[e.Level]++
	}
	for l, n := range want {
		if got[l] != n {
			t.Errorf("%s: %d entries, want %d", l, got[l], n)
		}
	}
	if Default().Len() != 996 {
		t.Errorf("Len() = %d, want 996", Default().Len())
	}
}

func TestEmbeddedDivisionsBelongToTheirSections(t *testing.T) {
	// The division ranges of the sections, as NACE Rev. 2 defines them.
	want := map[string][]string{
		"A": {"01", "02", "03"},
		"B": {"05", "06", "07", "08", "09"},
		"C": {"10", "11", "12", "13", "14", "15", "16", "17", "18", "19", "20", "21",
			"22", "23", "24", "25", "26", "27", "28", "29", "30", "31", "32", "33"},
		"D": {"35"},
		"E": {"36", "37", "38", "39"},
		"F": {"41", "42", "43"},
		"G": {"45", "46", "47"},
		"H": {"49", "50", "51", "52", "53"},
		"I": {"55", "56"},
		"J": {"58", "59", "60", "61", "62", "63"},
		"K": {"64", "65", "66"},
		"L": {"68"},
		"M": {"69", "70", "71", "72", "73", "74", "75"},
		"N": {"77", "78", "79", "80", "81", "82"},
		"O": {"84"},
		"P": {"85"},
		"Q": {"86", "87", "88"},
		"R": {"90", "91", "92", "93"},
		"S": {"94", "95", "96"},
		"T": {"97", "98"},
		"U": {"99"},
	}
	c := Default()
	sections := c.Children("")
	if len(sections) != len(want) {
		t.Fatalf("%d sections, want %d", len(sections), len(want))
	}
	for i, s := range sections {
		if wantLetter := string(rune('A' + i)); s.Code != wantLetter {
			t.Errorf("section %d is %s, want %s", i, s.Code, wantLetter)
		}
		var got []string
		for _, d := range c.Children(s.Code) {
			got = append(got, d.Code[1:])
		}
		if !slices.Equal(got, want[s.Code]) {
			t.Errorf("section %s has divisions %v, want %v", s.Code, got, want[s.Code])
		}
	}
}

func TestEmbeddedEntriesAreCompleteAndConsistent(t *testing.T) {
	c := Default()
	for _, e := range c.All() {
		for _, l := range isa.Langs {
			if strings.TrimSpace(e.Label[l]) == "" {
				t.Errorf("%s: empty %s label", e.Code, l)
			}
		}
		if e.Parent != "" {
			p, ok := c.Lookup(e.Parent)
			if !ok {
				t.Errorf("%s: parent %s missing", e.Code, e.Parent)
			} else if p.Level != e.Level-1 {
				t.Errorf("%s (%s): parent %s is a %s", e.Code, e.Level, p.Code, p.Level)
			}
		} else if e.Level != Section {
			t.Errorf("%s: a %s without parent", e.Code, e.Level)
		}
		// Every level above class is subdivided; a classification with an
		// empty group would offer codes nobody can refine.
		if e.Level != Class && len(c.Children(e.Code)) == 0 {
			t.Errorf("%s: a %s without children", e.Code, e.Level)
		}
		// Columns swapped by mistake show up as script mismatches.
		if !hasHan(e.Label[isa.ZH]) {
			t.Errorf("%s: zh label %q has no Chinese characters", e.Code, e.Label[isa.ZH])
		}
		for _, l := range []isa.Lang{isa.DE, isa.EN} {
			if hasHan(e.Label[l]) {
				t.Errorf("%s: %s label %q has Chinese characters", e.Code, l, e.Label[l])
			}
		}
	}
}

// In NACE a class whose last digit is 0 is the only class of its group, and
// a group with one class numbers it 0.
func TestEmbeddedSoleClassesEndInZero(t *testing.T) {
	c := Default()
	for _, g := range c.All() {
		if g.Level != Group {
			continue
		}
		kids := c.Children(g.Code)
		for _, k := range kids {
			endsInZero := strings.HasSuffix(k.Code, "0")
			if endsInZero != (len(kids) == 1) {
				t.Errorf("group %s has %d classes, among them %s", g.Code, len(kids), k.Code)
			}
		}
	}
}

func hasHan(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.Is(unicode.Han, r) }) >= 0
}

func TestParseRejectsBrokenFiles(t *testing.T) {
	const head = "code\tparent\ten\tde\tzh\n"
	const okC = "C\t\tManufacturing\tVerarbeitendes Gewerbe\t制造业\n"
	tests := []struct {
		name, file, want string
	}{
		{"empty file", "", "empty"},
		{"wrong header", "code\ten\tde\tzh\n", "header"},
		{"too few fields", head + "C\t\tManufacturing\tVerarbeitendes Gewerbe\n", "4 fields"},
		{"code not canonical", head + okC + "C 22\tC\ta\tb\t丙\n", "canonical"},
		{"lower-case code", head + "c\t\ta\tb\t丙\n", "canonical"},
		{"parent not implied by code", head + okC + "C22\tB\ta\tb\t丙\n", "want \"C\""},
		{"parent after child", head + "C22\tC\ta\tb\t丙\n" + okC, "not defined before"},
		{"duplicate code", head + okC + okC, "twice"},
		{"empty label", head + "C\t\tManufacturing\t \t制造业\n", "empty de label"},
		{"division digits in two sections", head + okC + "C22\tC\ta\tb\t丙\nB\t\ta\tb\t丙\nB22\tB\ta\tb\t丙\n", "already used"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(strings.NewReader(tt.file))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Parse error = %v, want one mentioning %q", err, tt.want)
			}
		})
	}
}

func TestParseAcceptsCRLFAndBlankLines(t *testing.T) {
	file := "code\tparent\ten\tde\tzh\r\nC\t\tManufacturing\tVerarbeitendes Gewerbe\t制造业\r\n\r\nC22\tC\ta\tb\t丙\r\n"
	c, err := Parse(strings.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	if e, ok := c.Lookup("C22"); !ok || e.Label[isa.ZH] != "丙" {
		t.Fatalf("Lookup(C22) = %+v, %v", e, ok)
	}
}

func TestLookupAcceptsAnyFormNormalizeAccepts(t *testing.T) {
	c := Default()
	tests := []struct {
		code, want string
		level      Level
	}{
		{"C22.29", "C22.29", Class},
		{"c 22.29", "C22.29", Class},
		{"2229", "C22.29", Class},
		{"C22.2", "C22.2", Group},
		{"22", "C22", Division},
		{"c", "C", Section},
		{"C22.27", "", 0},
		{"", "", 0},
	}
	for _, tt := range tests {
		e, ok := c.Lookup(tt.code)
		if ok != (tt.want != "") || e.Code != tt.want || e.Level != tt.level {
			t.Errorf("Lookup(%q) = %s %s %v, want %q %s", tt.code, e.Code, e.Level, ok, tt.want, tt.level)
		}
	}
	if e, _ := c.Lookup("C22.29"); e.Label[isa.EN] != "Manufacture of other plastic products" ||
		e.Label[isa.DE] != "Herstellung von sonstigen Kunststoffwaren" || e.Label[isa.ZH] != "其他塑料制品制造" {
		t.Errorf("C22.29 labels = %v", e.Label)
	}
}

func codes(es []Entry) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.Code
	}
	return out
}

func TestHierarchyNavigation(t *testing.T) {
	c := Default()
	t.Run("Section", func(t *testing.T) {
		for code, want := range map[string]string{"C22.29": "C", "22.29": "C", "62": "J", "U": "U", "A01.1": "A", "C22.27": "", "": ""} {
			if got := c.Section(code); got != want {
				t.Errorf("Section(%q) = %q, want %q", code, got, want)
			}
		}
	})
	t.Run("Ancestors", func(t *testing.T) {
		tests := []struct {
			code string
			want []string
		}{
			{"C22.29", []string{"C", "C22", "C22.2"}},
			{"J62.0", []string{"J", "J62"}},
			{"62", []string{"J"}},
			{"Q", nil},
			{"Z99", nil},
		}
		for _, tt := range tests {
			if got := codes(c.Ancestors(tt.code)); !slices.Equal(got, tt.want) {
				t.Errorf("Ancestors(%q) = %v, want %v", tt.code, got, tt.want)
			}
		}
	})
	t.Run("Children", func(t *testing.T) {
		tests := []struct {
			code string
			want []string
		}{
			{"C22", []string{"C22.1", "C22.2"}},
			{"22.2", []string{"C22.21", "C22.22", "C22.23", "C22.29"}},
			{"D", []string{"D35"}},
			{"C22.29", []string{}},
			{"nonsense", []string{}},
		}
		for _, tt := range tests {
			if got := codes(c.Children(tt.code)); !slices.Equal(got, tt.want) {
				t.Errorf("Children(%q) = %v, want %v", tt.code, got, tt.want)
			}
		}
	})
	t.Run("Within", func(t *testing.T) {
		tests := []struct {
			code, ancestor string
			want           bool
		}{
			{"C22.29", "C22.29", true},
			{"C22.29", "C22.2", true},
			{"C22.29", "C22", true},
			{"C22.29", "C", true},
			{"22.29", "c 22", true},
			{"C22.29", "C22.1", false},
			{"C22.29", "C2", false},
			{"C22", "C22.29", false},
			{"C22.29", "B", false},
			{"C22.27", "C22", false},
			{"C22.29", "", false},
		}
		for _, tt := range tests {
			if got := c.Within(tt.code, tt.ancestor); got != tt.want {
				t.Errorf("Within(%q, %q) = %v, want %v", tt.code, tt.ancestor, got, tt.want)
			}
		}
	})
}

func TestLevelString(t *testing.T) {
	for l, want := range map[Level]string{Section: "section", Division: "division", Group: "group", Class: "class", 0: "Level(0)"} {
		if got := l.String(); got != want {
			t.Errorf("Level(%d).String() = %q, want %q", int(l), got, want)
		}
	}
}

func TestCallersCannotChangeTheSharedLabels(t *testing.T) {
	c := Default()
	e, _ := c.Lookup("C22.29")
	e.Label[isa.EN] = "changed"
	c.All()[0].Label[isa.DE] = "changed"
	c.Search("C22.29", isa.EN, 1)[0].Label[isa.ZH] = "changed"
	c.Children("C22.2")[3].Label[isa.DE] = "changed"
	again, _ := c.Lookup("C22.29")
	first := c.All()[0]
	if again.Label[isa.EN] == "changed" || again.Label[isa.ZH] == "changed" || again.Label[isa.DE] == "changed" || first.Label[isa.DE] == "changed" {
		t.Fatalf("labels changed through a returned entry: %v, %v", again.Label, first.Label)
	}
}
