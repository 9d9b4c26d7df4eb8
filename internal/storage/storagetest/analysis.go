package storagetest

import (
	"bytes"
	"fmt"
	"slices"
	"testing"

	"github.com/isa-alliance/isa"
)

// AnalysisStore is a store that also keeps the search analyses of listings.
type AnalysisStore interface {
	isa.Store
	isa.AnalysisStore
}

// RunAnalyses runs the conformance cases of isa.AnalysisStore against the
// stores open returns; each case gets a fresh, migrated store.
func RunAnalyses(t *testing.T, open func(t *testing.T) AnalysisStore) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s AnalysisStore)
	}{
		{"RoundTripByFingerprint", testAnalysisRoundTrip},
		{"PutReplaces", testAnalysisReplace},
		{"ManyInBatches", testAnalysisBatches},
		{"MissingListingsAreSkipped", testAnalysisMissingListing},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.fn(t, open(t))
		})
	}
}

// analysisListings stores n listings of one organisation and returns
// their ids.
func analysisListings(t *testing.T, s isa.Store, n int) []int64 {
	t.Helper()
	mustOrg(t, s, org("an-org", "hamburg"), nil)
	var ls []*isa.Listing
	for i := range n {
		ls = append(ls, listing(fmt.Sprintf("an-%04d", i), "an-org"))
	}
	if b, ok := s.(isa.ListingBatcher); ok {
		_, errs, err := b.UpsertListings(ctx, ls)
		if err != nil {
			t.Fatal(err)
		}
		for i, err := range errs {
			if err != nil {
				t.Fatalf("listing %d: %v", i, err)
			}
		}
	} else {
		for _, l := range ls {
			mustListing(t, s, l)
		}
	}
	ids := make([]int64, n)
	for i, l := range ls {
		if l.ID == 0 {
			t.Fatalf("listing %s has no id", l.Ref)
		}
		ids[i] = l.ID
	}
	return ids
}

func readAnalyses(t *testing.T, s isa.AnalysisStore, fp string, ids []int64) map[int64]isa.ListingAnalysis {
	t.Helper()
	got, err := s.ListingAnalyses(ctx, fp, ids)
	if err != nil {
		t.Fatalf("ListingAnalyses: %v", err)
	}
	out := map[int64]isa.ListingAnalysis{}
	for _, a := range got {
		if _, dup := out[a.ListingID]; dup {
			t.Fatalf("listing %d returned twice", a.ListingID)
		}
		out[a.ListingID] = a
	}
	return out
}

func testAnalysisRoundTrip(t *testing.T, s AnalysisStore) {
	ids := analysisListings(t, s, 3)
	// Bytes of every value, a zero among them, and a large one: the store
	// keeps them opaque.
	all := make([]byte, 256)
	for i := range all {
		all[i] = byte(i)
	}
	big := bytes.Repeat([]byte{0, 0xff, 'x'}, 40000)
	put := []isa.ListingAnalysis{
		{ListingID: ids[0], Fingerprint: "fp-a", InputHash: "h0", Data: all},
		{ListingID: ids[1], Fingerprint: "fp-a", InputHash: "h1", Data: big},
		{ListingID: ids[2], Fingerprint: "fp-b", InputHash: "h2", Data: []byte{1}},
	}
	if err := s.PutListingAnalyses(ctx, put); err != nil {
		t.Fatal(err)
	}
	got := readAnalyses(t, s, "fp-a", append(slices.Clone(ids), 999999))
	if len(got) != 2 {
		t.Fatalf("fingerprint fp-a: got %d analyses, want the 2 it made", len(got))
	}
	for _, want := range put[:2] {
		g := got[want.ListingID]
		if g.Fingerprint != want.Fingerprint || g.InputHash != want.InputHash || !bytes.Equal(g.Data, want.Data) {
			t.Errorf("listing %d: got %q %q %d bytes, want %q %q %d bytes", want.ListingID,
				g.Fingerprint, g.InputHash, len(g.Data), want.Fingerprint, want.InputHash, len(want.Data))
		}
	}
	if got := readAnalyses(t, s, "fp-c", ids); len(got) != 0 {
		t.Errorf("an unknown fingerprint returned %d analyses", len(got))
	}
	if got := readAnalyses(t, s, "fp-a", nil); len(got) != 0 {
		t.Errorf("no ids returned %d analyses", len(got))
	}
}

func testAnalysisReplace(t *testing.T, s AnalysisStore) {
	ids := analysisListings(t, s, 2)
	first := []isa.ListingAnalysis{
		{ListingID: ids[0], Fingerprint: "old", InputHash: "h", Data: []byte("old")},
		{ListingID: ids[1], Fingerprint: "old", InputHash: "h", Data: []byte("kept")},
	}
	if err := s.PutListingAnalyses(ctx, first); err != nil {
		t.Fatal(err)
	}
	// Twice in one call: the later one counts.
	second := []isa.ListingAnalysis{
		{ListingID: ids[0], Fingerprint: "new", InputHash: "h1", Data: []byte("first")},
		{ListingID: ids[0], Fingerprint: "new", InputHash: "h2", Data: []byte("second")},
	}
	if err := s.PutListingAnalyses(ctx, second); err != nil {
		t.Fatal(err)
	}
	if got := readAnalyses(t, s, "old", ids); len(got) != 1 || string(got[ids[1]].Data) != "kept" {
		t.Errorf("old fingerprint: %v, want only the untouched listing", got)
	}
	got := readAnalyses(t, s, "new", ids)
	if a := got[ids[0]]; len(got) != 1 || a.InputHash != "h2" || string(a.Data) != "second" {
		t.Errorf("new fingerprint: %v, want the second analysis of the first listing", got)
	}
}

func testAnalysisBatches(t *testing.T, s AnalysisStore) {
	const n = 1234 // more than one statement's worth
	ids := analysisListings(t, s, n)
	var put []isa.ListingAnalysis
	for i, id := range ids {
		put = append(put, isa.ListingAnalysis{ListingID: id, Fingerprint: "fp", InputHash: fmt.Sprint(i), Data: []byte(fmt.Sprintf("data %d", i))})
	}
	if err := s.PutListingAnalyses(ctx, put); err != nil {
		t.Fatal(err)
	}
	got := readAnalyses(t, s, "fp", ids)
	if len(got) != n {
		t.Fatalf("read %d of %d analyses", len(got), n)
	}
	for i, id := range ids {
		if a := got[id]; a.InputHash != fmt.Sprint(i) || string(a.Data) != fmt.Sprintf("data %d", i) {
			t.Fatalf("listing %d: %+v", i, a)
		}
	}
}

func testAnalysisMissingListing(t *testing.T, s AnalysisStore) {
	ids := analysisListings(t, s, 2)
	gone := ids[1] + 1000
	put := []isa.ListingAnalysis{
		{ListingID: ids[0], Fingerprint: "fp", InputHash: "h", Data: []byte("a")},
		{ListingID: gone, Fingerprint: "fp", InputHash: "h", Data: []byte("b")},
		{ListingID: ids[1], Fingerprint: "fp", InputHash: "h", Data: []byte("c")},
	}
	if err := s.PutListingAnalyses(ctx, put); err != nil {
		t.Fatalf("an analysis of a listing that does not exist failed the others: %v", err)
	}
	got := readAnalyses(t, s, "fp", []int64{ids[0], ids[1], gone})
	if len(got) != 2 || string(got[ids[0]].Data) != "a" || string(got[ids[1]].Data) != "c" {
		t.Errorf("got %v, want the analyses of the two listings that exist", got)
	}
}
