package storagetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/isa-alliance/isa"
)

// SnapshotStore is a store that can read from one snapshot.
type SnapshotStore interface {
	isa.Store
	isa.Snapshotter
}

// RunSnapshot runs the conformance cases of isa.Snapshotter against the
// stores open returns; each case gets a fresh, migrated store.
func RunSnapshot(t *testing.T, open func(t *testing.T) SnapshotStore) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s SnapshotStore)
	}{
		{"DoesNotSeeLaterWritesNorHoldThemUp", testSnapshotIsolation},
		{"PagesThroughOneState", testSnapshotPaging},
		{"RefusesWrites", testSnapshotRefusesWrites},
		{"TwoSnapshotsTwoStates", testSnapshotsSideBySide},
		{"EndsWithItsFunction", testSnapshotEnds},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.fn(t, open(t))
		})
	}
}

// writerWait is how long a write during a snapshot may take before the
// test calls it held up. A write here takes milliseconds; a writer that
// waits for the snapshot waits for ever (the snapshot waits for it).
const writerWait = 15 * time.Second

// writeWithin runs the writes of fn in a goroutine and fails the test when
// they do not finish within writerWait, which is what happens when the
// snapshot holds a lock they need.
func writeWithin(t *testing.T, what string, fn func() error) {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- fn() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("%s during a snapshot: %v", what, err)
		}
	case <-time.After(writerWait):
		t.Fatalf("%s during a snapshot: still waiting after %v, the snapshot holds writers up", what, writerWait)
	}
}

// storeState is what a test compares between two moments: organisations
// with their names and contact e-mails, listings with their titles,
// organisations and states, and the change feed.
type storeState struct {
	Orgs     []string
	Listings []string
	Changes  []string
}

func readState(s isa.Store, pageSize int) (storeState, error) {
	var st storeState
	of := isa.OrgFilter{Limit: pageSize}
	for {
		page, err := s.Organisations(ctx, of)
		if err != nil {
			return st, err
		}
		for _, o := range page.Items {
			cs, err := s.Contacts(ctx, o.ID)
			if err != nil {
				return st, err
			}
			emails := ""
			for _, c := range cs {
				emails += " " + c.Email
			}
			st.Orgs = append(st.Orgs, fmt.Sprintf("%s %q%s", o.Ref, o.Name, emails))
		}
		if page.Next == "" {
			break
		}
		of.After = page.Next
	}
	lf := isa.ListingFilter{Limit: pageSize}
	for {
		page, err := s.Listings(ctx, lf)
		if err != nil {
			return st, err
		}
		for _, l := range page.Items {
			st.Listings = append(st.Listings, fmt.Sprintf("%s/%s %q %s", l.Org, l.Ref, l.Title, l.State))
		}
		if page.Next == "" {
			break
		}
		lf.After = page.Next
	}
	refs, _, err := s.ListingChanges(ctx, 0, 1000)
	st.Changes = refs
	return st, err
}

func mustState(t *testing.T, s isa.Store, pageSize int) storeState {
	t.Helper()
	st, err := readState(s, pageSize)
	if err != nil {
		t.Fatalf("read state: %v", err)
	}
	return st
}

func compareState(t *testing.T, what string, got, want storeState) {
	t.Helper()
	for _, c := range []struct {
		name      string
		got, want []string
	}{{"organisations", got.Orgs, want.Orgs}, {"listings", got.Listings, want.Listings}, {"changes", got.Changes, want.Changes}} {
		if !slices.Equal(c.got, c.want) {
			t.Errorf("%s: %s\n got %q\nwant %q", what, c.name, c.got, c.want)
		}
	}
}

// seedSnapshot stores two organisations with a contact and three listings.
func seedSnapshot(t *testing.T, s isa.Store) {
	t.Helper()
	mustOrg(t, s, org("sn-a", "hamburg"), []isa.ContactPerson{{Email: "a@example.de"}})
	mustOrg(t, s, org("sn-b", "foshan"), []isa.ContactPerson{{Email: "b@example.cn"}})
	mustListing(t, s, listing("sn-a-1", "sn-a"))
	mustListing(t, s, listing("sn-a-2", "sn-a"))
	mustListing(t, s, listing("sn-b-1", "sn-b"))
}

// changeEverything writes through s (not the snapshot) what an import or
// the web app might write meanwhile: a changed organisation with new
// contacts, a new organisation with a listing, a listing moved to it, a
// changed listing and a batch in a transaction. tag keeps calls apart.
func changeEverything(s isa.Store, tag string) error {
	a := org("sn-a", "hamburg")
	a.Name = "Umbenannt " + tag
	if _, err := s.UpsertOrganisation(ctx, a, []isa.ContactPerson{{Email: tag + "@example.de"}}); err != nil {
		return err
	}
	if _, err := s.UpsertOrganisation(ctx, org("sn-new-"+tag, "nuernberg"), nil); err != nil {
		return err
	}
	for _, l := range []*isa.Listing{listing("sn-new-"+tag+"-1", "sn-new-"+tag), listing("sn-a-2", "sn-new-"+tag)} {
		if _, err := s.UpsertListing(ctx, l); err != nil {
			return err
		}
	}
	return s.InTx(ctx, func(tx isa.Store) error {
		l := listing("sn-b-1", "sn-b")
		l.Title = "geändert " + tag
		_, err := tx.UpsertListing(ctx, l)
		return err
	})
}

// testSnapshotIsolation writes before the snapshot's first read and again
// between its reads: neither write may wait for the snapshot, and the
// snapshot sees neither.
func testSnapshotIsolation(t *testing.T, s SnapshotStore) {
	seedSnapshot(t, s)
	before := mustState(t, s, 500)
	err := s.ReadSnapshot(ctx, func(snap isa.Store) error {
		writeWithin(t, "writes before the first read", func() error { return changeEverything(s, "eins") })
		compareState(t, "snapshot after a write before its first read", mustState(t, snap, 500), before)
		if _, err := snap.Organisation(ctx, "sn-new-eins"); !isa.IsNotFound(err) {
			t.Errorf("organisation created after the snapshot started: %v, want not found", err)
		}
		writeWithin(t, "writes between reads", func() error { return changeEverything(s, "zwei") })
		compareState(t, "snapshot after a write between its reads", mustState(t, snap, 500), before)
		if l, err := snap.Listing(ctx, "sn-a-2"); err != nil || l.Org != "sn-a" {
			t.Errorf("moved listing in the snapshot: %+v, %v; want it with sn-a", l, err)
		}
		// The store outside sees the writes while the snapshot is open.
		if o, err := s.Organisation(ctx, "sn-a"); err != nil || o.Name != "Umbenannt zwei" {
			t.Errorf("store during the snapshot: %+v, %v; want the new name", o, err)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("ReadSnapshot: %v", err)
	}
	after := mustState(t, s, 500)
	if len(after.Orgs) != len(before.Orgs)+2 || len(after.Listings) != len(before.Listings)+2 {
		t.Errorf("after the snapshot: %d organisations, %d listings; want %d, %d", len(after.Orgs), len(after.Listings), len(before.Orgs)+2, len(before.Listings)+2)
	}
}

// testSnapshotPaging reads pages of two while writers add and change rows
// on pages not read yet, as an export of a busy database does.
func testSnapshotPaging(t *testing.T, s SnapshotStore) {
	for i := range 7 {
		ref := fmt.Sprintf("pg-%d", i)
		mustOrg(t, s, org(ref, "bottrop"), []isa.ContactPerson{{Email: ref + "@example.de"}})
		mustListing(t, s, listing(ref+"-l", ref))
	}
	want := mustState(t, s, 500)
	err := s.ReadSnapshot(ctx, func(snap isa.Store) error {
		var got storeState
		of := isa.OrgFilter{Limit: 2}
		for n := 0; ; n++ {
			page, err := snap.Organisations(ctx, of)
			if err != nil {
				return err
			}
			for _, o := range page.Items {
				cs, err := snap.Contacts(ctx, o.ID)
				if err != nil {
					return err
				}
				got.Orgs = append(got.Orgs, fmt.Sprintf("%s %q %s", o.Ref, o.Name, cs[0].Email))
			}
			// Change the last organisation, which is on a later page, and
			// add one after it.
			writeWithin(t, "writes between pages", func() error {
				o := org("pg-6", "bottrop")
				o.Name = fmt.Sprintf("Seite %d", n)
				if _, err := s.UpsertOrganisation(ctx, o, []isa.ContactPerson{{Email: "neu@example.de"}}); err != nil {
					return err
				}
				ref := fmt.Sprintf("pg-new-%d", n)
				if _, err := s.UpsertOrganisation(ctx, org(ref, "bottrop"), nil); err != nil {
					return err
				}
				_, err := s.UpsertListing(ctx, listing(ref+"-l", ref))
				return err
			})
			if page.Next == "" {
				break
			}
			of.After = page.Next
		}
		if !slices.Equal(got.Orgs, want.Orgs) {
			t.Errorf("organisations paged in the snapshot\n got %q\nwant %q", got.Orgs, want.Orgs)
		}
		rest, err := readState(snap, 3)
		if err != nil {
			return err
		}
		if !slices.Equal(rest.Listings, want.Listings) {
			t.Errorf("listings paged in the snapshot\n got %q\nwant %q", rest.Listings, want.Listings)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("ReadSnapshot: %v", err)
	}
}

// testSnapshotRefusesWrites tries every write the store offers through
// the snapshot: each fails with ErrReadOnly, the snapshot stays readable
// and nothing reaches the database.
func testSnapshotRefusesWrites(t *testing.T, s SnapshotStore) {
	seedSnapshot(t, s)
	before := mustState(t, s, 500)
	changed := org("sn-a", "hamburg")
	changed.Name = "geschrieben"
	writes := []struct {
		name string
		fn   func(snap isa.Store) error
	}{
		{"UpsertOrganisation", func(snap isa.Store) error {
			_, err := snap.UpsertOrganisation(ctx, changed, nil)
			return err
		}},
		{"UpsertOrganisation of a new one", func(snap isa.Store) error {
			_, err := snap.UpsertOrganisation(ctx, org("sn-x", "hamburg"), nil)
			return err
		}},
		{"UpsertListing", func(snap isa.Store) error {
			_, err := snap.UpsertListing(ctx, listing("sn-x-1", "sn-a"))
			return err
		}},
		{"ExpireListings", func(snap isa.Store) error {
			_, err := snap.ExpireListings(ctx, "2099-01-01")
			return err
		}},
		{"InTx", func(snap isa.Store) error {
			return snap.InTx(ctx, func(tx isa.Store) error {
				_, err := tx.UpsertListing(ctx, listing("sn-x-2", "sn-a"))
				return err
			})
		}},
		{"UpsertListings, if offered", func(snap isa.Store) error {
			b, ok := snap.(isa.ListingBatcher)
			if !ok {
				return isa.ErrReadOnly
			}
			_, errs, err := b.UpsertListings(ctx, []*isa.Listing{listing("sn-x-3", "sn-a")})
			return errors.Join(append(errs, err)...)
		}},
		{"UpsertOrganisations, if offered", func(snap isa.Store) error {
			b, ok := snap.(isa.OrganisationBatcher)
			if !ok {
				return isa.ErrReadOnly
			}
			_, errs, err := b.UpsertOrganisations(ctx, []isa.OrgUpsert{{Org: changed}})
			return errors.Join(append(errs, err)...)
		}},
		{"PutListingAnalyses, if offered", func(snap isa.Store) error {
			a, ok := snap.(isa.AnalysisStore)
			if !ok {
				return isa.ErrReadOnly
			}
			l, err := snap.Listing(ctx, "sn-a-1")
			if err != nil {
				return err
			}
			return a.PutListingAnalyses(ctx, []isa.ListingAnalysis{{ListingID: l.ID, Fingerprint: "f", InputHash: "h", Data: []byte{1}}})
		}},
	}
	err := s.ReadSnapshot(ctx, func(snap isa.Store) error {
		for _, w := range writes {
			if err := w.fn(snap); !errors.Is(err, isa.ErrReadOnly) {
				t.Errorf("%s in a snapshot: %v, want an error wrapping isa.ErrReadOnly", w.name, err)
			}
		}
		// A refused write leaves the snapshot usable (on PostgreSQL a
		// failed statement would have aborted the transaction).
		compareState(t, "snapshot after refused writes", mustState(t, snap, 500), before)
		return nil
	})
	if err != nil {
		t.Fatalf("ReadSnapshot: %v", err)
	}
	compareState(t, "store after refused writes", mustState(t, s, 500), before)
}

// testSnapshotsSideBySide opens a second snapshot while the first is
// open, with a write in between: each keeps its own state.
func testSnapshotsSideBySide(t *testing.T, s SnapshotStore) {
	seedSnapshot(t, s)
	first := mustState(t, s, 500)
	err := s.ReadSnapshot(ctx, func(one isa.Store) error {
		compareState(t, "first snapshot", mustState(t, one, 500), first)
		writeWithin(t, "writes with one snapshot open", func() error { return changeEverything(s, "eins") })
		second := mustState(t, s, 500)
		return s.ReadSnapshot(ctx, func(two isa.Store) error {
			writeWithin(t, "writes with two snapshots open", func() error { return changeEverything(s, "zwei") })
			compareState(t, "second snapshot", mustState(t, two, 500), second)
			compareState(t, "first snapshot, second open", mustState(t, one, 500), first)
			// A snapshot asked for a snapshot stays in its own state.
			return two.(isa.Snapshotter).ReadSnapshot(ctx, func(nested isa.Store) error {
				compareState(t, "snapshot of the second snapshot", mustState(t, nested, 500), second)
				return nil
			})
		})
	})
	if err != nil {
		t.Fatalf("ReadSnapshot: %v", err)
	}
}

// testSnapshotEnds checks that ReadSnapshot returns fn's error, that a
// snapshot kept past its end fails instead of reading, and that ended
// snapshots (by error, panic or cancellation) give their connection back.
func testSnapshotEnds(t *testing.T, s SnapshotStore) {
	seedSnapshot(t, s)
	errMine := errors.New("mine")
	var kept isa.Store
	err := s.ReadSnapshot(ctx, func(snap isa.Store) error {
		kept = snap
		return fmt.Errorf("wrapped: %w", errMine)
	})
	if !errors.Is(err, errMine) {
		t.Errorf("ReadSnapshot returned %v, want fn's error", err)
	}
	if _, err := kept.Listing(ctx, "sn-a-1"); err == nil {
		t.Error("a snapshot used after ReadSnapshot returned still reads")
	}

	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	called := false
	if err := s.ReadSnapshot(cancelled, func(isa.Store) error { called = true; return nil }); err == nil || called {
		t.Errorf("ReadSnapshot with a cancelled context: %v, fn called %v; want an error and no call", err, called)
	}

	// More ended snapshots than any pool has connections: a snapshot that
	// kept its connection would make the later ones wait until the
	// deadline.
	deadline, stop := context.WithTimeout(ctx, 30*time.Second)
	defer stop()
	for i := range 40 {
		var err error
		switch i % 3 {
		case 0:
			err = s.ReadSnapshot(deadline, func(snap isa.Store) error {
				_, err := snap.Listing(deadline, "sn-a-1")
				return errors.Join(err, errMine)
			})
		case 1:
			err = func() (err error) {
				defer func() {
					if recover() == nil {
						err = errors.New("panic did not come through")
					}
				}()
				return s.ReadSnapshot(deadline, func(snap isa.Store) error {
					if _, err := snap.Organisations(deadline, isa.OrgFilter{}); err != nil {
						return err
					}
					panic("in a snapshot")
				})
			}()
			if err != nil {
				t.Fatalf("snapshot %d: %v", i, err)
			}
			continue
		case 2:
			err = s.ReadSnapshot(deadline, func(snap isa.Store) error {
				_, err := snap.Listings(deadline, isa.ListingFilter{})
				return err
			})
		}
		if err != nil && !errors.Is(err, errMine) {
			t.Fatalf("snapshot %d: %v", i, err)
		}
	}
}
