package web

import (
	"io/fs"
	"regexp"
	"strconv"
	"testing"

	"github.com/isa-alliance/isa"
	"github.com/isa-alliance/isa/internal/i18n"
)

// keyCall finds the literal keys of the translation calls {{t "key" …}}
// and {{tn "key" …}}, also inside parentheses and after a pipe dash.
var keyCall = regexp.MustCompile(`[{(\s]tn? "([^"]+)"`)

func TestTemplatesUseOnlyExistingKeys(t *testing.T) {
	t.Parallel()
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	files, err := fs.Glob(templateFiles, "templates/*.html")
	if err != nil || len(files) == 0 {
		t.Fatalf("no templates: %v", err)
	}
	found := 0
	for _, name := range files {
		data, err := fs.ReadFile(templateFiles, name)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range keyCall.FindAllStringSubmatch(string(data), -1) {
			found++
			if !cat.Has(m[1]) {
				t.Errorf("%s uses key %q, which is in no locale file", name, m[1])
			}
		}
	}
	if found < 50 {
		t.Errorf("found only %d translation calls: has the call syntax changed?", found)
	}
}

func TestKeyCallPatternFindsEveryForm(t *testing.T) {
	t.Parallel()
	tests := []struct {
		src  string
		want string
	}{
		{`{{t "nav.home"}}`, "nav.home"},
		{`{{- t "a.b"}}`, "a.b"},
		{`{{tn "count.offers" .N}}`, "count.offers"},
		{`{{if x}}{{t "a.c" "date" .}}{{end}}`, "a.c"},
		{`{{print (t "x.y")}}`, "x.y"},
	}
	for _, tt := range tests {
		m := keyCall.FindStringSubmatch(tt.src)
		if m == nil || m[1] != tt.want {
			t.Errorf("%s: found %v, want %q", tt.src, m, tt.want)
		}
	}
	if m := keyCall.FindStringSubmatch(`{{text .Names}} {{cityHref "x"}}`); m != nil {
		t.Errorf("matched a call that is not a translation: %v", m)
	}
}

// TestKeysBuiltFromValuesExist covers the keys the templates and handlers
// build at run time ("kind." + kind), which the scan above cannot see.
func TestKeysBuiltFromValuesExist(t *testing.T) {
	t.Parallel()
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, l := range isa.Langs {
		keys = append(keys, "lang."+string(l), "switch."+string(l))
	}
	for _, k := range []isa.ListingKind{isa.Offer, isa.Request} {
		keys = append(keys, "kind."+string(k))
	}
	for _, k := range isa.OrgKinds {
		keys = append(keys, "orgkind."+string(k))
	}
	for _, s := range isa.SizeClasses {
		keys = append(keys, "size."+string(s))
	}
	for _, c := range isa.CooperationTypes {
		keys = append(keys, "coop."+c)
	}
	for _, c := range []string{isa.Germany, isa.China} {
		keys = append(keys, "country."+c)
	}
	for _, f := range facetFields {
		keys = append(keys, "search.facet."+f)
	}
	for code := range statusOf {
		keys = append(keys, "error."+string(code)+".title", "error."+string(code)+".text")
	}
	for m := 1; m <= 12; m++ {
		keys = append(keys, "date.month."+strconv.Itoa(m))
	}
	for _, k := range keys {
		if !cat.Has(k) {
			t.Errorf("key %q is missing", k)
		}
	}
}
