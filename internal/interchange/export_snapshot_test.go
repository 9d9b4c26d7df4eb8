package interchange

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/isa-alliance/isa"
)

// busyRead is the store an export reads from, with writers at work: the
// first call of the method named by at commits changes through db (the
// whole store, not the export's snapshot) before it reads.
type busyRead struct {
	isa.Store
	db    isa.Store
	at    string // "Organisations" or "Listings"
	write func(isa.Store) error
	t     *testing.T
	done  bool
}

func (b *busyRead) busy(method string) {
	if b.done || method != b.at {
		return
	}
	b.done = true
	// An export that held writers up would wait here for ever: it holds
	// its snapshot while it waits for the write.
	errc := make(chan error, 1)
	go func() { errc <- b.write(b.db) }()
	select {
	case err := <-errc:
		if err != nil {
			b.t.Errorf("write during the export: %v", err)
		}
	case <-time.After(15 * time.Second):
		b.t.Errorf("write during the export still waits after 15 s: the export holds writers up")
	}
}

func (b *busyRead) Organisations(ctx context.Context, f isa.OrgFilter) (isa.Page[isa.Organisation], error) {
	b.busy("Organisations")
	return b.Store.Organisations(ctx, f)
}

func (b *busyRead) Listings(ctx context.Context, f isa.ListingFilter) (isa.Page[isa.Listing], error) {
	b.busy("Listings")
	return b.Store.Listings(ctx, f)
}

// busySnapshots offers the snapshots of the store with the writers of
// busyRead at work while the export reads the snapshot.
type busySnapshots struct {
	isa.Store
	sn   isa.Snapshotter
	read *busyRead
}

func (b busySnapshots) ReadSnapshot(ctx context.Context, fn func(isa.Store) error) error {
	return b.sn.ReadSnapshot(ctx, func(snap isa.Store) error {
		b.read.Store = snap
		return fn(b.read)
	})
}

// moveAndRename is what the web app and an import might write while an
// export runs: a new organisation with a listing, an existing listing
// moved to it, and an existing organisation and listing changed.
func moveAndRename(st isa.Store) error {
	ctx := context.Background()
	n := &isa.Organisation{Ref: "t-org-new", Name: "Neue Werkzeugbau GmbH", Kind: isa.Company, City: "fulda", Size: isa.Small}
	if _, err := st.UpsertOrganisation(ctx, n, []isa.ContactPerson{{Email: "info@werkzeugbau.example.de"}}); err != nil {
		return err
	}
	return st.InTx(ctx, func(tx isa.Store) error {
		o, err := tx.Organisation(ctx, "t-org-2")
		if err != nil {
			return err
		}
		o.Name = "顺达电机集团"
		if _, err := tx.UpsertOrganisation(ctx, o, nil); err != nil {
			return err
		}
		for _, ref := range []string{"t-lst-1", "t-lst-2"} {
			l, err := tx.Listing(ctx, ref)
			if err != nil {
				return err
			}
			l.Title += " (neu)"
			if ref == "t-lst-1" {
				l.Org = "t-org-new"
			}
			if _, err := tx.UpsertListing(ctx, l); err != nil {
				return err
			}
		}
		l := &isa.Listing{Ref: "t-lst-new", Org: "t-org-new", Kind: isa.Offer, Lang: isa.DE, Title: "Stanzwerkzeuge",
			Description: "Folgeverbundwerkzeuge nach Zeichnung.", State: isa.Published, Published: "2026-11-20", Expires: "2027-11-20"}
		_, err = tx.UpsertListing(ctx, l)
		return err
	})
}

// exportTo writes an export of st in format and returns the files'
// contents and the sources that import them again.
func exportTo(t *testing.T, st isa.Store, format Format) ([]byte, []Source) {
	t.Helper()
	ctx := context.Background()
	if format == JSONL {
		var buf bytes.Buffer
		if _, err := Export(ctx, st, &buf, JSONL); err != nil {
			t.Fatalf("export: %v", err)
		}
		return buf.Bytes(), []Source{{Name: "export.jsonl", R: bytes.NewReader(buf.Bytes())}}
	}
	sum, err := ExportFiles(ctx, st, t.TempDir()+"/", CSV)
	if err != nil {
		t.Fatalf("export: %v", err)
	}
	var all []byte
	var srcs []Source
	for _, p := range sum.Files {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, b...)
		srcs = append(srcs, Source{Name: filepath.Base(p), R: bytes.NewReader(b)})
	}
	return all, srcs
}

// TestExportIsOneSnapshot exports a store while organisations and
// listings change under it. From a snapshot the file is the store as it
// was when the export started, and it imports again without a rejected
// record; read without one (the last case, which shows what the snapshot
// is for) a moved listing names an organisation the file does not hold.
func TestExportIsOneSnapshot(t *testing.T) {
	cases := []struct {
		name     string
		snapshot bool
		at       string
		// consistent: the file equals an export taken before the writes
		// and imports again without rejections.
		consistent bool
	}{
		{"writes before the organisations are read", true, "Organisations", true},
		{"writes between organisations and listings", true, "Listings", true},
		{"without a snapshot, writes between organisations and listings", false, "Listings", false},
	}
	engines(t, func(t *testing.T, open func(t *testing.T) isa.Store) {
		for _, format := range []Format{JSONL, CSV} {
			for _, tc := range cases {
				t.Run(string(format)+"/"+tc.name, func(t *testing.T) {
					ctx := context.Background()
					db := open(t)
					if sum := importString(t, db, Options{}, "every.jsonl", everyField); sum.Rejected != 0 {
						t.Fatalf("import: %s", sum)
					}
					before, _ := exportTo(t, db, format)

					read := &busyRead{Store: db, db: db, at: tc.at, write: moveAndRename, t: t}
					var st isa.Store = read
					if tc.snapshot {
						sn, ok := db.(isa.Snapshotter)
						if !ok {
							t.Fatalf("%T offers no snapshot", db)
						}
						st = busySnapshots{Store: db, sn: sn, read: read}
					}
					during, srcs := exportTo(t, st, format)
					if !read.done {
						t.Fatal("the writes did not run during the export")
					}
					if _, err := db.Listing(ctx, "t-lst-new"); err != nil {
						t.Fatalf("the writes during the export did not land: %v", err)
					}

					fresh := open(t)
					sum, err := Import(ctx, fresh, Options{Today: today}, srcs...)
					if err != nil {
						t.Fatalf("import of the export: %v", err)
					}
					if !tc.consistent {
						if sum.Rejected == 0 {
							t.Errorf("export without a snapshot imported cleanly (%s): the writes did not fall between the reads", sum)
						}
						return
					}
					if sum.Rejected != 0 || sum.Warnings != 0 {
						t.Errorf("import of the export: %s; problems %v", sum, sum.Problems)
					}
					if !bytes.Equal(during, before) {
						t.Errorf("export during the writes differs from the one before them:\n%s\n---\n%s", during, before)
					}
					again, _ := exportTo(t, fresh, format)
					if !bytes.Equal(again, before) {
						t.Errorf("export of the re-imported data differs:\n%s\n---\n%s", again, before)
					}
				})
			}
		}
	})
}
