package storage_test

import (
	"context"
	"slices"
	"testing"

	"github.com/isa-alliance/isa"
	"github.com/isa-alliance/isa/internal/storage"
)

// TestOrgBatchWritesWhatOneByOneWrites applies the same rounds of
// organisation upserts one by one to one database and in batches to
// another, and compares the rows the store keeps beside the organisations
// (industries, contacts), which the isa.Store interface does not show.
func TestOrgBatchWritesWhatOneByOneWrites(t *testing.T) {
	mk := func(ref, name string, industries ...string) *isa.Organisation {
		return &isa.Organisation{Ref: ref, Name: name, Kind: isa.Company, City: "hamburg", Industries: industries}
	}
	contact := func(email string) []isa.ContactPerson { return []isa.ContactPerson{{Email: email}} }
	rounds := [][]func() isa.OrgUpsert{
		{
			func() isa.OrgUpsert {
				return isa.OrgUpsert{Org: mk("a", "A", "C28", "C22.29"), Contacts: contact("a1@x.de")}
			},
			func() isa.OrgUpsert { return isa.OrgUpsert{Org: mk("b", "B", "C10")} },
			func() isa.OrgUpsert { return isa.OrgUpsert{Org: mk("c", "C"), Contacts: []isa.ContactPerson{}} },
		},
		{
			// a: industries change, contacts kept; b: contacts arrive;
			// c: unchanged; d: new, twice in the batch.
			func() isa.OrgUpsert { return isa.OrgUpsert{Org: mk("a", "A", "C29", "C29")} },
			func() isa.OrgUpsert { return isa.OrgUpsert{Org: mk("b", "B", "C10"), Contacts: contact("b1@x.de")} },
			func() isa.OrgUpsert { return isa.OrgUpsert{Org: mk("c", "C"), Contacts: []isa.ContactPerson{}} },
			func() isa.OrgUpsert { return isa.OrgUpsert{Org: mk("d", "D", "A01"), Contacts: contact("d1@x.de")} },
			func() isa.OrgUpsert { return isa.OrgUpsert{Org: mk("d", "D2", "A02"), Contacts: contact("d2@x.de")} },
		},
		{
			// a: contacts replaced by none; b: industries dropped.
			func() isa.OrgUpsert { return isa.OrgUpsert{Org: mk("a", "A", "C29"), Contacts: []isa.ContactPerson{}} },
			func() isa.OrgUpsert { return isa.OrgUpsert{Org: mk("b", "B")} },
		},
	}
	for _, e := range dbEngines {
		t.Run(e.name, func(t *testing.T) {
			ctx := context.Background()
			single, batched := e.open(t), e.open(t)
			for r, round := range rounds {
				var wantOuts, gotOuts []isa.Outcome
				var us []isa.OrgUpsert
				err := single.InTx(ctx, func(tx isa.Store) error {
					for _, f := range round {
						u := f()
						out, err := tx.UpsertOrganisation(ctx, u.Org, u.Contacts)
						if err != nil {
							return err
						}
						wantOuts = append(wantOuts, out)
					}
					return nil
				})
				if err != nil {
					t.Fatal(err)
				}
				for _, f := range round {
					us = append(us, f())
				}
				err = batched.InTx(ctx, func(tx isa.Store) error {
					outs, errs, err := tx.(isa.OrganisationBatcher).UpsertOrganisations(ctx, us)
					if err != nil {
						return err
					}
					if e := errorsIn(errs); e != nil {
						return e
					}
					gotOuts = outs
					return nil
				})
				if err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(gotOuts, wantOuts) {
					t.Errorf("round %d: outcomes %v, one by one %v", r, gotOuts, wantOuts)
				}
				want, got := sideRows(t, single), sideRows(t, batched)
				if !slices.Equal(got, want) {
					t.Errorf("round %d: side rows\n%v\none by one\n%v", r, got, want)
				}
			}
		})
	}
}

func errorsIn(errs []error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// sideRows lists the industry and contact rows by organisation ref, in a
// stable order, plus each organisation's version.
func sideRows(t *testing.T, db *storage.DB) []string {
	t.Helper()
	q := db.Rebind(`SELECT 'industry ' || o.ref || ' ' || i.code FROM org_industries i JOIN organisations o ON o.id = i.org_id
UNION ALL SELECT 'contact ' || o.ref || ' ' || p.source || ' ' || p.email FROM contact_persons p JOIN organisations o ON o.id = p.org_id
UNION ALL SELECT 'version ' || o.ref || ' ' || CAST(o.version AS TEXT) || ' ' || o.contacts_hash FROM organisations o`)
	rows, err := db.ReadSQL().QueryContext(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}
