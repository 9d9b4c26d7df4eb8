// Package cities holds the member cities of the alliance as embedded data:
// the 19 German and 21 Chinese cities, districts and regions with their
// names, regions and profiles in German, English and Chinese, their
// economic-development offices and membership history. The storage
// migration seeds the database from All; importers use Resolve to accept a
// city by slug or by any of its names.
package cities

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"maps"
	"strings"
	"sync"

	"github.com/isa-alliance/isa"
)

// The data lives in a JSON file rather than Go literals so that city offices
// can review and correct it without reading Go.
//
//go:embed cities.json
var data []byte

// record is one city as stored in the file: the domain type plus spellings
// that are not official names but turn up in spreadsheets (Koeln, Rüsselsheim
// for the Drei gewinnt network, 深圳市宝安区 ...).
type record struct {
	isa.City
	Aliases []string `json:"aliases,omitempty"`
}

// table is the parsed file with its name index; built once on first use
// because the data never changes while the program runs.
type table struct {
	cities []isa.City
	bySlug map[string]int
	byName map[string]string // folded name -> slug
}

var load = sync.OnceValues(func() (*table, error) { return parse(data) })

func parse(b []byte) (*table, error) {
	var recs []record
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&recs); err != nil {
		return nil, fmt.Errorf("cities: parse embedded data: %w", err)
	}
	t := &table{bySlug: make(map[string]int, len(recs)), byName: make(map[string]string, len(recs)*6)}
	for i, r := range recs {
		if _, dup := t.bySlug[r.Slug]; dup {
			return nil, fmt.Errorf("cities: slug %q appears twice", r.Slug)
		}
		t.bySlug[r.Slug] = i
		t.cities = append(t.cities, r.City)
		names := []string{r.Slug}
		for _, l := range isa.Langs {
			names = append(names, r.Names[l])
		}
		names = append(names, r.Aliases...)
		for _, n := range names {
			k := fold(n)
			if k == "" {
				continue
			}
			if other, ok := t.byName[k]; ok && other != r.Slug {
				return nil, fmt.Errorf("cities: name %q names both %s and %s", n, other, r.Slug)
			}
			t.byName[k] = r.Slug
		}
	}
	return t, nil
}

// fold makes names comparable: case-insensitive, with the typographic
// apostrophe of Bao’an and surrounding or repeated spaces ignored.
func fold(s string) string {
	s = strings.ReplaceAll(s, "’", "'")
	return strings.ToLower(strings.Join(strings.Fields(s), " "))
}

func mustLoad() *table {
	t, err := load()
	if err != nil {
		// The file is compiled into the binary and a test parses it, so a
		// failure here is a build defect, not a runtime condition.
		panic(err)
	}
	return t
}

// All returns the member cities, German ones first, in a stable order. The
// slice and its maps are copies: callers may change them.
func All() []isa.City {
	src := mustLoad().cities
	out := make([]isa.City, len(src))
	for i, c := range src {
		out[i] = clone(c)
	}
	return out
}

// Get returns the city with the slug.
func Get(slug string) (isa.City, bool) {
	t := mustLoad()
	i, ok := t.bySlug[slug]
	if !ok {
		return isa.City{}, false
	}
	return clone(t.cities[i]), true
}

// Resolve returns the slug of the city named by s: its slug or any of its
// names in German, English or Chinese, or a common alternative spelling,
// compared case-insensitively.
func Resolve(s string) (slug string, ok bool) {
	slug, ok = mustLoad().byName[fold(s)]
	return slug, ok
}

func clone(c isa.City) isa.City {
	c.Names = maps.Clone(c.Names)
	c.Region = maps.Clone(c.Region)
	c.Profile = maps.Clone(c.Profile)
	c.Office.Name = maps.Clone(c.Office.Name)
	c.Memberships = append([]isa.Membership(nil), c.Memberships...)
	return c
}
