package interchange

import (
	"context"
	"strings"
	"testing"

	"github.com/isa-alliance/isa"
)

// plainStore hides the storage's import upserts (ImportListing,
// ImportListings), so that the import falls back to reading the stored
// state before UpsertListing.
type plainStore struct{ isa.Store }

func (s plainStore) InTx(ctx context.Context, fn func(isa.Store) error) error {
	return s.Store.InTx(ctx, func(tx isa.Store) error { return fn(plainStore{tx}) })
}

func TestReimportKeepsWithdrawnDraftAndInReview(t *testing.T) {
	modes := []struct {
		name  string
		opts  Options
		plain bool
	}{
		{"batches", Options{}, false},
		{"one by one", Options{BatchSize: 1}, false},
		{"atomic", Options{Atomic: true}, false},
		{"store without import upserts", Options{}, true},
		{"atomic, store without import upserts", Options{Atomic: true}, true},
	}
	// The second file: t-lst-1 gets a new title, t-lst-3 (expired on
	// 2026-05-01) a new expiry ahead; t-lst-2 and t-lst-4 are as before.
	second := strings.Replace(everyField, `"title":"Kegelradgetriebe in Kleinserie"`, `"title":"Kegelradgetriebe in Klein- und Großserie"`, 1)
	second = strings.Replace(second, `"expires":"2026-05-01"`, `"expires":"2027-05-01"`, 1)
	if second == everyField {
		t.Fatal("the second file does not differ")
	}
	engines(t, func(t *testing.T, open func(t *testing.T) isa.Store) {
		for _, m := range modes {
			t.Run(m.name, func(t *testing.T) {
				ctx := context.Background()
				inner := open(t)
				var st isa.Store = inner
				if m.plain {
					st = plainStore{inner}
				}
				if sum := importString(t, st, m.opts, "every.jsonl", everyField); sum.Created != 7 || sum.ExitCode() != 0 {
					t.Fatalf("first import: %s", sum)
				}
				// The owners and the city office act in the web application.
				for ref, state := range map[string]isa.ListingState{"t-lst-1": isa.Withdrawn, "t-lst-2": isa.Draft, "t-lst-4": isa.InReview} {
					l, err := inner.Listing(ctx, ref)
					if err != nil {
						t.Fatal(err)
					}
					l.State = state
					if out, err := inner.UpsertListing(ctx, l); err != nil || out != isa.Updated {
						t.Fatalf("set %s %s: %s, %v", ref, state, out, err)
					}
				}

				sum := importString(t, st, m.opts, "every.jsonl", second)
				if sum.Updated != 2 || sum.Unchanged != 5 || sum.Created != 0 || sum.Rejected != 0 || sum.Warnings != 3 || sum.ExitCode() != 0 || sum.RolledBack {
					t.Errorf("second import: %s (rolled back %t), want 2 updated, 5 unchanged, 3 warnings, exit 0", sum, sum.RolledBack)
				}
				want := map[string]isa.ListingState{"t-lst-1": isa.Withdrawn, "t-lst-2": isa.Draft, "t-lst-3": isa.Published, "t-lst-4": isa.InReview}
				for ref, state := range want {
					l, err := inner.Listing(ctx, ref)
					if err != nil {
						t.Fatal(err)
					}
					if l.State != state {
						t.Errorf("%s: state %s after the re-import, want %s", ref, l.State, state)
					}
				}
				if l, err := inner.Listing(ctx, "t-lst-1"); err != nil || l.Title != "Kegelradgetriebe in Klein- und Großserie" {
					t.Errorf("t-lst-1: the new title was not saved: %v, %v", l, err)
				}

				var got []string
				for _, p := range sum.Problems {
					if p.Severity != Warning {
						t.Errorf("not a warning: %s", p.Error())
					}
					got = append(got, p.Text(isa.EN))
				}
				wantEN := []string{
					`every.jsonl, line 6: warning: listing "t-lst-1" was withdrawn by its company and stays withdrawn: the content from the file is saved, but an import does not publish it again (the file has no state, and the withdrawal is the company's decision)`,
					`every.jsonl, line 7: warning: listing "t-lst-2" is a draft of its company and stays a draft: the content from the file is saved, but an import does not publish it (the file has no state; only the company can publish it)`,
					`every.jsonl, line 9: warning: listing "t-lst-4" waits for review by its city office and stays in review: the content from the file is saved, but an import does not publish it past the review (the file has no state)`,
				}
				if strings.Join(got, "\n") != strings.Join(wantEN, "\n") {
					t.Errorf("warnings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(wantEN, "\n"))
				}
				if len(sum.Problems) == 0 {
					return
				}
				for _, tc := range []struct {
					lang isa.Lang
					want string
				}{
					{isa.DE, `every.jsonl, Zeile 6: Warnung: der Eintrag "t-lst-1" wurde von seinem Unternehmen zurückgezogen und bleibt zurückgezogen: der Inhalt aus der Datei ist gespeichert, aber ein Import veröffentlicht ihn nicht wieder (die Datei hat keinen Status, und das Zurückziehen ist die Entscheidung des Unternehmens)`},
					{isa.ZH, `every.jsonl, 第 6 行：警告：信息 "t-lst-1" 已被其企业撤回，将保持撤回状态：文件中的内容已保存，但导入不会重新发布该信息（文件中没有状态字段，撤回是企业自己的决定）`},
				} {
					if got := sum.Problems[0].Text(tc.lang); got != tc.want {
						t.Errorf("%s:\n got %s\nwant %s", tc.lang, got, tc.want)
					}
				}
			})
		}
	})
}
