package search_test

import (
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/isa-alliance/isa"
	"github.com/isa-alliance/isa/internal/interchange"
	"github.com/isa-alliance/isa/internal/search"
	"github.com/isa-alliance/isa/internal/storage/storagetest"
	"github.com/isa-alliance/isa/internal/textanalysis"
)

// TestStoredAnalysesOnTheDevset proves on real listings (German
// compounds, Chinese, translations, negations) and the shipped
// vocabulary that an index built from stored analyses answers every
// devset query exactly like one that analysed everything: hits, scores,
// snippets and facets. It runs where ISA_DEVSET names the development set.
func TestStoredAnalysesOnTheDevset(t *testing.T) {
	dir := os.Getenv("ISA_DEVSET")
	if dir == "" {
		t.Skip("ISA_DEVSET not set")
	}
	ctx := context.Background()
	st := storagetest.OpenSQLite(t)
	today := isa.Date("2026-11-21")
	if _, err := interchange.ImportFiles(ctx, st, interchange.Options{Today: today}, filepath.Join(dir, "listings.jsonl")); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(filepath.Join(dir, "queries.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	r := csv.NewReader(f)
	r.Comma, r.LazyQuotes = '\t', true
	rows, err := r.ReadAll()
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	build := func(stored bool) (*search.Memory, search.LoadStats) {
		an, err := textanalysis.Default()
		if err != nil {
			t.Fatal(err)
		}
		idx := search.NewMemory(an, func() time.Time { return today.Time() })
		idx.ReadTextsFrom(st)
		loader := search.NewLoader(st, idx, nil)
		if stored {
			loader.UseStoredAnalyses(st, true, 0)
		}
		if _, err := loader.Rebuild(ctx); err != nil {
			t.Fatal(err)
		}
		return idx, loader.Stats()
	}
	plain, _ := build(false)
	_, first := build(true)
	reused, s := build(true)
	if first.Reused != 0 || s.Computed != 0 || s.Reused != first.Computed || s.Reused == 0 {
		t.Fatalf("first start %+v, second %+v: want all computed, then all reused", first, s)
	}
	for _, row := range rows[1:] {
		for _, viewer := range []isa.Lang{isa.DE, isa.ZH} {
			q := search.Query{Text: row[2], Viewer: viewer, Limit: 20}
			a, err := plain.Search(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			b, err := reused.Search(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(a, b) {
				t.Errorf("%s %q: stored analyses gave another result", row[0], row[2])
			}
		}
	}
}
