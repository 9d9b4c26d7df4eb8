package interchange

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/isa-alliance/isa"
)

// orgBulkRefusingStore refuses one organisation in the store's bulk
// organisation upsert, as the database would refuse a record the
// validation let through, and counts the bulk calls.
type orgBulkRefusingStore struct {
	isa.Store
	ref   string
	bulks *int
}

func (s orgBulkRefusingStore) UpsertOrganisations(ctx context.Context, us []isa.OrgUpsert) ([]isa.Outcome, []error, error) {
	*s.bulks++
	var pass []isa.OrgUpsert
	var at []int
	errs := make([]error, len(us))
	for i, u := range us {
		if u.Org.Ref == s.ref {
			errs[i] = isa.Invalid("name", "refused for the test")
			continue
		}
		pass = append(pass, u)
		at = append(at, i)
	}
	outs := make([]isa.Outcome, len(us))
	got, gotErrs, err := s.Store.(isa.OrganisationBatcher).UpsertOrganisations(ctx, pass)
	if err != nil {
		return nil, nil, err
	}
	for k, i := range at {
		outs[i], errs[i] = got[k], gotErrs[k]
	}
	return outs, errs, nil
}

func (s orgBulkRefusingStore) ImportListings(ctx context.Context, ls []*isa.Listing) ([]isa.Outcome, []error, error) {
	return s.Store.(listingBulkImporter).ImportListings(ctx, ls)
}

func (s orgBulkRefusingStore) InTx(ctx context.Context, fn func(isa.Store) error) error {
	return s.Store.InTx(ctx, func(tx isa.Store) error { return fn(orgBulkRefusingStore{tx, s.ref, s.bulks}) })
}

func TestBulkOrganisationRefusalCostsOnlyThatRecordAndItsListings(t *testing.T) {
	engines(t, func(t *testing.T, open func(t *testing.T) isa.Store) {
		inner := open(t)
		if _, ok := inner.(isa.OrganisationBatcher); !ok {
			t.Skip("the store offers no bulk organisation upsert")
		}
		bulks := 0
		st := orgBulkRefusingStore{inner, "t-org-1", &bulks}
		sum := importString(t, st, Options{}, "every.jsonl", everyField)
		// t-org-1 and its listings t-lst-1 and t-lst-3 are refused.
		if sum.Created != 4 || sum.Rejected != 3 || bulks == 0 {
			t.Errorf("summary %s after %d bulk calls; want 4 imported, 3 rejected through the bulk upsert", sum, bulks)
		}
		var lines []string
		for _, p := range sum.Problems {
			lines = append(lines, p.Error())
		}
		if len(lines) != 3 || lines[0] != "every.jsonl, line 2: the database refused the record: name: refused for the test" ||
			lines[1] != `every.jsonl, line 6: field "org": the organisation "t-org-1" was rejected (every.jsonl, line 2); fix it first` {
			t.Errorf("problems:\n%s", strings.Join(lines, "\n"))
		}
		for _, ref := range []string{"t-org-2", "t-org-3"} {
			if _, err := inner.Organisation(context.Background(), ref); err != nil {
				t.Errorf("organisation %s of the same batch was lost: %v", ref, err)
			}
		}
		// Imported again, the stored organisations are unchanged.
		again := importString(t, st, Options{}, "every.jsonl", everyField)
		if again.Unchanged != 4 || again.Created != 0 || again.Updated != 0 || again.Rejected != 3 {
			t.Errorf("second import %s; want 4 unchanged, 3 rejected", again)
		}
	})
}

func TestAtomicImportWritesInBulkAndRollsBackOnABulkRefusal(t *testing.T) {
	engines(t, func(t *testing.T, open func(t *testing.T) isa.Store) {
		inner := open(t)
		bulks := 0
		st := orgBulkRefusingStore{inner, "none", &bulks}
		data := everyField + generated("a", 30, 700)
		sum := importString(t, st, Options{Atomic: true, BatchSize: 100}, "every.jsonl", data)
		if sum.RolledBack || sum.Created != 737 || sum.Rejected != 0 || bulks < 2 {
			t.Errorf("summary %s after %d bulk calls; want 737 created in several bulk calls", sum, bulks)
		}
		want := takeSnapshot(t, inner)

		// The same file with one organisation refused in the middle of
		// the bulk calls: nothing of it stays, not even what earlier
		// batches wrote into the transaction.
		changed := strings.ReplaceAll(data, "Getriebebau", "Zahnradbau")
		bulks = 0
		st = orgBulkRefusingStore{inner, "a-org-17", &bulks}
		sum = importString(t, st, Options{Atomic: true, BatchSize: 10}, "every.jsonl", changed)
		if !sum.RolledBack || sum.Rejected == 0 || sum.ExitCode() != 1 || bulks == 0 {
			t.Errorf("summary %s after %d bulk calls; want rolled back with the refusal", sum, bulks)
		}
		if len(sum.Problems) == 0 || !strings.Contains(sum.Problems[0].Error(), "refused for the test") {
			t.Errorf("problems %v", sum.Problems)
		}
		if got := takeSnapshot(t, inner); !reflect.DeepEqual(got, want) {
			t.Error("a rolled-back atomic import changed the database")
		}
	})
}
