package storagetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/isa-alliance/isa"
)

// ImportStore is a store with the import's listing upserts, which keep
// the state of a listing its owner or the city office holds back.
type ImportStore interface {
	isa.Store
	isa.ListingBatcher
	ImportListing(ctx context.Context, l *isa.Listing) (isa.Outcome, error)
	ImportListings(ctx context.Context, ls []*isa.Listing) ([]isa.Outcome, []error, error)
}

// RunImportState checks the import's upserts, one by one, in bulk and in
// bulk inside a transaction, against the rule: withdrawn, draft and
// in-review listings keep their state (their content is written), published
// and expired ones take the state the import asks for.
func RunImportState(t *testing.T, open func(t *testing.T) ImportStore) {
	paths := []struct {
		name  string
		write func(t *testing.T, s ImportStore, ls []*isa.Listing) []isa.Outcome
	}{
		{"ImportListing", func(t *testing.T, s ImportStore, ls []*isa.Listing) []isa.Outcome {
			outs := make([]isa.Outcome, len(ls))
			for i, l := range ls {
				var err error
				if outs[i], err = s.ImportListing(ctx, l); err != nil {
					t.Fatalf("ImportListing(%s): %v", l.Ref, err)
				}
			}
			return outs
		}},
		{"ImportListings", func(t *testing.T, s ImportStore, ls []*isa.Listing) []isa.Outcome {
			outs, errs, err := s.ImportListings(ctx, ls)
			if err != nil {
				t.Fatalf("ImportListings: %v", err)
			}
			for i, e := range errs {
				if e != nil {
					t.Fatalf("ImportListings refused %s: %v", ls[i].Ref, e)
				}
			}
			return outs
		}},
		{"ImportListingsInTx", func(t *testing.T, s ImportStore, ls []*isa.Listing) []isa.Outcome {
			var outs []isa.Outcome
			err := s.InTx(ctx, func(tx isa.Store) error {
				b, ok := tx.(interface {
					ImportListings(ctx context.Context, ls []*isa.Listing) ([]isa.Outcome, []error, error)
				})
				if !ok {
					t.Fatal("the store imports in bulk but its transactions do not")
				}
				var errs []error
				var err error
				outs, errs, err = b.ImportListings(ctx, ls)
				if err == nil {
					err = errors.Join(errs...)
				}
				return err
			})
			if err != nil {
				t.Fatalf("ImportListings in a transaction: %v", err)
			}
			return outs
		}},
	}
	for _, p := range paths {
		t.Run(p.name, func(t *testing.T) { testImportState(t, open(t), p.write) })
	}
	t.Run("UpsertListingStillSetsTheState", func(t *testing.T) { testUpsertSetsState(t, open(t)) })
}

func testImportState(t *testing.T, s ImportStore, write func(t *testing.T, s ImportStore, ls []*isa.Listing) []isa.Outcome) {
	mustOrg(t, s, org("o", "foshan"), nil)
	type tc struct {
		ref     string
		stored  isa.ListingState
		expires isa.Date // of the stored listing; the import's is 2027-01-10
		changed bool     // the import brings a new title
		want    isa.ListingState
		outcome isa.Outcome
	}
	var cases []tc
	for _, st := range isa.ListingStates {
		kept := st.KeptOnImport()
		for _, changed := range []bool{false, true} {
			c := tc{ref: fmt.Sprintf("%s-%t", st, changed), stored: st, expires: "2027-01-10", changed: changed,
				want: isa.Published, outcome: isa.Updated}
			switch {
			case kept:
				c.want = st
			case st == isa.Expired:
				// Renewal by file: the stored listing ran out, the file
				// brings an expiry ahead.
				c.expires = "2026-02-01"
			}
			if !changed && (kept || st == isa.Published) {
				c.outcome = isa.Unchanged
			}
			cases = append(cases, c)
		}
	}
	// The rule names exactly these three states.
	var keptStates []isa.ListingState
	for _, st := range isa.ListingStates {
		if st.KeptOnImport() {
			keptStates = append(keptStates, st)
		}
	}
	if !slices.Equal(keptStates, []isa.ListingState{isa.Draft, isa.InReview, isa.Withdrawn}) {
		t.Errorf("kept on import: %v, want draft, in_review, withdrawn", keptStates)
	}

	for _, c := range cases {
		l := listing(c.ref, "o")
		l.State, l.Expires = c.stored, c.expires
		mustListing(t, s, l)
	}
	_, since, err := s.ListingChanges(ctx, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}

	var batch []*isa.Listing
	for _, c := range cases {
		l := listing(c.ref, "o") // as an import computes it: published, expiry ahead
		if c.changed {
			l.Title = "Neuer Titel " + c.ref
		}
		batch = append(batch, l)
	}
	outs := write(t, s, batch)
	if len(outs) != len(cases) {
		t.Fatalf("%d outcomes for %d listings", len(outs), len(cases))
	}
	var wantChanged []string
	for i, c := range cases {
		if outs[i] != c.outcome {
			t.Errorf("%s: outcome %s, want %s", c.ref, outs[i], c.outcome)
		}
		if batch[i].State != c.want {
			t.Errorf("%s: the upsert handed back state %s, want the stored %s", c.ref, batch[i].State, c.want)
		}
		if batch[i].ID == 0 {
			t.Errorf("%s: no ID handed back", c.ref)
		}
		got, err := s.Listing(ctx, c.ref)
		if err != nil {
			t.Fatal(err)
		}
		if got.State != c.want {
			t.Errorf("%s: stored state %s, want %s", c.ref, got.State, c.want)
		}
		if got.Title != batch[i].Title || got.Expires != batch[i].Expires {
			t.Errorf("%s: stored %q expiring %s, want the imported %q expiring %s", c.ref, got.Title, got.Expires, batch[i].Title, batch[i].Expires)
		}
		if c.outcome != isa.Unchanged {
			wantChanged = append(wantChanged, c.ref)
		}
	}
	// The change feed reports content changes of kept listings too (the
	// search index decides what it lists), and nothing left unchanged.
	refs, _, err := s.ListingChanges(ctx, since, 1000)
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(refs)
	slices.Sort(wantChanged)
	if !slices.Equal(refs, wantChanged) {
		t.Errorf("changes after the import %v, want %v", refs, wantChanged)
	}

	// Imported once more, everything is unchanged and keeps its state.
	var again []*isa.Listing
	for _, l := range batch {
		c := *l
		c.State, c.ID, c.OrgID = isa.Published, 0, 0
		again = append(again, &c)
	}
	for i, o := range write(t, s, again) {
		if o != isa.Unchanged || again[i].State != cases[i].want {
			t.Errorf("%s imported again: %s in state %s, want unchanged in state %s", cases[i].ref, o, again[i].State, cases[i].want)
		}
	}
}

// testUpsertSetsState checks that the rule is the import's alone: the
// posting service and the officers write states through UpsertListing.
func testUpsertSetsState(t *testing.T, s ImportStore) {
	mustOrg(t, s, org("o", "foshan"), nil)
	for _, from := range []isa.ListingState{isa.Withdrawn, isa.Draft, isa.InReview} {
		l := listing("l-"+string(from), "o")
		l.State = from
		mustListing(t, s, l)
		l.State = isa.Published
		if out, err := s.UpsertListing(ctx, l); err != nil || out != isa.Updated {
			t.Fatalf("UpsertListing %s -> published: %s, %v", from, out, err)
		}
		got, err := s.Listing(ctx, l.Ref)
		if err != nil {
			t.Fatal(err)
		}
		if got.State != isa.Published || l.State != isa.Published {
			t.Errorf("UpsertListing %s -> published stored %s, handed back %s", from, got.State, l.State)
		}
	}
	ls := []*isa.Listing{listing("l-withdrawn", "o")}
	ls[0].State = isa.Withdrawn
	outs, errs, err := s.UpsertListings(ctx, ls)
	if err != nil || errs[0] != nil || outs[0] != isa.Updated {
		t.Fatalf("UpsertListings published -> withdrawn: %v, %v, %v", outs, errs, err)
	}
	if got, err := s.Listing(ctx, "l-withdrawn"); err != nil || got.State != isa.Withdrawn {
		t.Errorf("UpsertListings published -> withdrawn stored %v, %v", got, err)
	}
}
