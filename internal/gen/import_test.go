package gen

import (
	"bytes"
	"context"
	"testing"

	"github.com/isa-alliance/isa"
	"github.com/isa-alliance/isa/internal/interchange"
	"github.com/isa-alliance/isa/internal/nace"
	"github.com/isa-alliance/isa/internal/storage/storagetest"
)

// TestOutputImportsCleanly runs a generated set through the real importer,
// with the full NACE check, so that the format, the city names and the
// vocabulary's codes are all what the importer accepts.
func TestOutputImportsCleanly(t *testing.T) {
	var buf bytes.Buffer
	st, err := Write(&buf, Options{Listings: 800, Seed: 5, Today: today})
	if err != nil {
		t.Fatal(err)
	}
	store := storagetest.OpenSQLite(t)
	problems := 0
	opts := interchange.Options{Today: today, NACE: nace.Default(), OnProblem: func(p interchange.Problem) {
		if problems++; problems <= 10 {
			t.Error(p.Text(isa.EN))
		}
	}}
	sum, err := interchange.Import(context.Background(), store, opts, interchange.Source{Name: "gen.jsonl", R: &buf})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Rejected != 0 || sum.Warnings != 0 || sum.Created != st.Orgs+st.Listings {
		t.Fatalf("summary %s", sum)
	}
}
