package matching

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/isa-alliance/isa"
	"github.com/isa-alliance/isa/internal/search"
	"github.com/isa-alliance/isa/internal/textanalysis"
)

// The development set lives outside the repository (../shared); the
// quality report runs only where it is present, with ISA_DEVSET naming it.
func devsetDir(t *testing.T) string {
	dir := os.Getenv("ISA_DEVSET")
	if dir == "" {
		t.Skip("ISA_DEVSET not set")
	}
	return dir
}

type fakeSource struct {
	listings map[string]*isa.Listing
	orgs     map[string]*isa.Organisation
	cities   map[string]isa.City
}

func (f *fakeSource) Listing(ctx context.Context, ref string) (*isa.Listing, error) {
	if l, ok := f.listings[ref]; ok {
		return l, nil
	}
	return nil, isa.NotFound("listing", ref)
}

func (f *fakeSource) Organisation(ctx context.Context, ref string) (*isa.Organisation, error) {
	if o, ok := f.orgs[ref]; ok {
		return o, nil
	}
	return nil, isa.NotFound("organisation", ref)
}

func (f *fakeSource) City(ctx context.Context, slug string) (isa.City, error) {
	if c, ok := f.cities[slug]; ok {
		return c, nil
	}
	return isa.City{}, isa.NotFound("city", slug)
}

var germanCities = "aachen bad-homburg bottrop chemnitz fulda goettingen hamburg hildesheim ingolstadt kaiserslautern koeln ludwigshafen mainz nuernberg rhein-kreis-neuss drei-gewinnt schwarzwald solingen wuppertal"

func loadDevset(t *testing.T, dir string) *fakeSource {
	f, err := os.Open(filepath.Join(dir, "listings.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	src := &fakeSource{listings: map[string]*isa.Listing{}, orgs: map[string]*isa.Organisation{}, cities: map[string]isa.City{}}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var head struct{ Type string }
		if err := json.Unmarshal(sc.Bytes(), &head); err != nil {
			t.Fatal(err)
		}
		switch head.Type {
		case "organisation":
			var o isa.Organisation
			if err := json.Unmarshal(sc.Bytes(), &o); err != nil {
				t.Fatal(err)
			}
			src.orgs[o.Ref] = &o
			country := isa.China
			if strings.Contains(" "+germanCities+" ", " "+o.City+" ") {
				country = isa.Germany
			}
			src.cities[o.City] = isa.City{Slug: o.City, Country: country}
		case "listing":
			var l isa.Listing
			if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
				t.Fatal(err)
			}
			l.State = isa.Published
			src.listings[l.Ref] = &l
		}
	}
	return src
}

func readTSV(t *testing.T, path string) [][]string {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comma = '\t'
	r.LazyQuotes = true
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows[1:]
}

func ndcg(ranked []string, rel map[string]int) float64 {
	dcg := 0.0
	for i, r := range ranked {
		if i >= 10 {
			break
		}
		if g, ok := rel[r]; ok {
			dcg += (math.Pow(2, float64(g)) - 1) / math.Log2(float64(i+2))
		}
	}
	var ideal []float64
	for _, g := range rel {
		ideal = append(ideal, math.Pow(2, float64(g))-1)
	}
	sort.Sort(sort.Reverse(sort.Float64Slice(ideal)))
	idcg := 0.0
	for i, g := range ideal {
		if i < 10 {
			idcg += g / math.Log2(float64(i+2))
		}
	}
	return dcg / idcg
}

// TestDevsetQuality reports nDCG@10 on the two halves of the development
// set (by the parity of the request or query number), the discipline for
// tuning on one half and checking on the other. It fails only below the
// floor the project requires.
func TestDevsetQuality(t *testing.T) {
	dir := devsetDir(t)
	src := loadDevset(t, dir)
	// ISA_ABLATE measures what a part of the method contributes:
	// "novocab" runs without the vocabulary (no concept bridge),
	// "notrans" drops the translations listings carry, "halfvocab" keeps
	// every other concept only.
	ablate := os.Getenv("ISA_ABLATE")
	an, err := textanalysis.Default()
	if ablate == "novocab" {
		an, err = textanalysis.New(nil)
	}
	if ablate == "halfvocab" && err == nil {
		// Every other concept, as a stand-in for text the vocabulary
		// does not cover yet.
		var half []textanalysis.Concept
		for i, c := range an.Concepts() {
			if i%2 == 0 {
				c.Broader = nil
				half = append(half, c)
			}
		}
		an, err = textanalysis.New(half)
	}
	if err != nil {
		t.Fatal(err)
	}
	if ablate == "notrans" {
		for _, l := range src.listings {
			l.Translations = nil
		}
	}
	now := func() time.Time { return time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC) }
	idx := search.NewMemory(an, now)
	ctx := context.Background()
	var docs []search.Document
	for _, l := range src.listings {
		o := src.orgs[l.Org]
		docs = append(docs, search.Document{Listing: l, OrgKind: o.Kind, City: o.City, Country: src.cities[o.City].Country})
	}
	if err := idx.Put(ctx, docs...); err != nil {
		t.Fatal(err)
	}
	m := New(idx, an, src, nil, now)
	pairs := map[string]map[string]int{}
	for _, row := range readTSV(t, filepath.Join(dir, "pairs.tsv")) {
		g, _ := strconv.Atoi(row[2])
		if pairs[row[0]] == nil {
			pairs[row[0]] = map[string]int{}
		}
		pairs[row[0]][row[1]] = g
	}
	verbose := os.Getenv("ISA_DEVSET_VERBOSE") != ""
	var mh [2][]float64
	byDir := map[string][]float64{}
	for req, rel := range pairs {
		res, err := m.Matches(ctx, req, isa.EN, 10)
		if err != nil {
			t.Fatal(err)
		}
		var ranked []string
		for _, x := range res.Matches {
			ranked = append(ranked, x.Ref)
		}
		n := ndcg(ranked, rel)
		num, _ := strconv.Atoi(req[len(req)-3:])
		mh[num%2] = append(mh[num%2], n)
		for o := range rel {
			byDir[string(src.listings[req].Lang)+"->"+string(src.listings[o].Lang)] = append(byDir[string(src.listings[req].Lang)+"->"+string(src.listings[o].Lang)], n)
			break
		}
		if verbose && n < 0.99 {
			var rels []string
			for o, g := range rel {
				pos := -1
				for i, r := range ranked {
					if r == o {
						pos = i + 1
					}
				}
				rels = append(rels, fmt.Sprintf("%s(g%d)@%d", o, g, pos))
			}
			t.Logf("match %s [%s] %.2f %s top=%v", req, src.listings[req].Lang, n, strings.Join(rels, " "), ranked[:min(5, len(ranked))])
		}
	}
	var sh [2][]float64
	byLang := map[string][]float64{}
	for _, row := range readTSV(t, filepath.Join(dir, "queries.tsv")) {
		rel := map[string]int{}
		for _, r := range strings.Split(row[3], ",") {
			rel[strings.TrimSpace(r)] = 1
		}
		res, err := idx.Search(ctx, search.Query{Text: row[2], Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		var ranked []string
		for _, h := range res.Hits {
			ranked = append(ranked, h.Ref)
		}
		n := ndcg(ranked, rel)
		num, _ := strconv.Atoi(row[0][1:])
		sh[num%2] = append(sh[num%2], n)
		byLang[row[1]] = append(byLang[row[1]], n)
		if verbose && n < 0.99 {
			var miss []string
			for r := range rel {
				pos := -1
				for i, x := range ranked {
					if x == r {
						pos = i + 1
					}
				}
				miss = append(miss, fmt.Sprintf("%s@%d", r, pos))
			}
			t.Logf("search %s %q %.2f %s top=%v", row[0], row[2], n, strings.Join(miss, " "), ranked[:min(5, len(ranked))])
		}
	}
	mean := func(xs []float64) float64 {
		s := 0.0
		for _, x := range xs {
			s += x
		}
		return s / float64(max(len(xs), 1))
	}
	all := func(h [2][]float64) []float64 { return append(append([]float64{}, h[0]...), h[1]...) }
	t.Logf("matching nDCG@10: all %.3f  even %.3f  odd %.3f", mean(all(mh)), mean(mh[0]), mean(mh[1]))
	keys := make([]string, 0, len(byDir))
	for k := range byDir {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		t.Logf("  matching %s n=%d %.3f", k, len(byDir[k]), mean(byDir[k]))
	}
	t.Logf("search nDCG@10: all %.3f  even %.3f  odd %.3f", mean(all(sh)), mean(sh[0]), mean(sh[1]))
	for _, k := range []string{"de", "zh", "en"} {
		t.Logf("  search %s n=%d %.3f", k, len(byLang[k]), mean(byLang[k]))
	}
	// The quality the product promises (issue 3); a change that drops
	// below it fails here, not only in a report.
	const floor = 0.80
	if got := mean(all(mh)); got < floor {
		t.Errorf("matching nDCG@10 %.3f is below %.2f", got, floor)
	}
	if got := mean(all(sh)); got < floor {
		t.Errorf("search nDCG@10 %.3f is below %.2f", got, floor)
	}
}
