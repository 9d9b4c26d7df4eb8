package matching_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/isa-alliance/isa"
	"github.com/isa-alliance/isa/internal/matching"
	"github.com/isa-alliance/isa/internal/search"
	"github.com/isa-alliance/isa/internal/search/searchtest"
	"github.com/isa-alliance/isa/internal/storage/storagetest"
)

type labels map[string]string

func (l labels) Label(code string, lang isa.Lang) string { return l[code+"/"+string(lang)] }

func setup(t *testing.T, st isa.Store) *matching.Matcher {
	t.Helper()
	docs := searchtest.Fixture()
	docs[len(docs)-1].Listing.State = isa.Withdrawn
	// A second German heat-pump offer from the requester's own organisation,
	// and a request that reads like an offer: neither may be matched.
	own := *docs[2].Listing
	own.Ref, own.Org, own.Lang, own.Title, own.Description = "own-offer", "org-de-1", isa.DE, "Wärmepumpen ab Werk", "Wir liefern Wärmepumpen."
	req := *docs[2].Listing
	req.Ref, req.Kind, req.Org = "hp-req-2", isa.Request, "org-cn-3"
	docs = append(docs,
		search.Document{Listing: &own, OrgKind: isa.Company, Country: isa.Germany, City: "hamburg"},
		search.Document{Listing: &req, OrgKind: isa.Company, Country: isa.China, City: "taizhou"})
	searchtest.Seed(t, st, docs)
	now := func() time.Time { return searchtest.Today }
	an := searchtest.Analyzer(t)
	idx := search.NewMemory(an, now)
	if _, err := search.NewLoader(st, idx, nil).Rebuild(context.Background()); err != nil {
		t.Fatal(err)
	}
	return matching.New(idx, an, st, labels{"C28.25/de": "Herstellung von Kälteanlagen", "C28.25/zh": "制冷设备制造", "C28.25/en": "Manufacture of cooling equipment"}, now)
}

func TestMatchingRules(t *testing.T) {
	for name, open := range map[string]func(t *testing.T) isa.Store{
		"sqlite":   func(t *testing.T) isa.Store { return storagetest.OpenSQLite(t) },
		"postgres": func(t *testing.T) isa.Store { return storagetest.OpenPostgres(t) },
	} {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			st := open(t)
			m := setup(t, st)
			res, err := m.Matches(ctx, "hp-de-req", isa.DE, 10)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, x := range res.Matches {
				got = append(got, x.Ref)
			}
			t.Run("opposite kind only, never own organisation, never expired", func(t *testing.T) {
				for _, x := range res.Matches {
					if x.Kind != isa.Offer {
						t.Errorf("%s is a %s", x.Ref, x.Kind)
					}
					if x.Org == "org-de-1" {
						t.Errorf("%s is the requester's own", x.Ref)
					}
				}
				for _, bad := range []string{"own-offer", "hp-zh-expired", "hp-req-2", "withdrawn"} {
					if slices.Contains(got, bad) {
						t.Errorf("matches %v contain %s", got, bad)
					}
				}
			})
			t.Run("heat-pump offers come first, across the border", func(t *testing.T) {
				if len(got) < 2 || !slices.Contains(got[:2], "hp-zh-off") || !slices.Contains(got[:2], "hp-en-off") {
					t.Errorf("matches %v, want the two Chinese heat-pump offers first", got)
				}
			})
			t.Run("reasons name the concept in both languages, the industry and the cooperation", func(t *testing.T) {
				var top matching.Match
				for _, x := range res.Matches {
					if x.Ref == "hp-zh-off" {
						top = x
					}
				}
				kinds := map[string]string{}
				for _, r := range top.Reasons {
					kinds[r.Kind] = r.Text
				}
				if s := kinds["concept"]; !strings.Contains(s, "Wärmepumpe / 热泵") || !strings.HasPrefix(s, "Gemeinsames Thema") {
					t.Errorf("concept reason %q", s)
				}
				if s := kinds["industry"]; !strings.Contains(s, "C28.25") || !strings.Contains(s, "Kälteanlagen") {
					t.Errorf("industry reason %q", s)
				}
				if s := kinds["cooperation"]; !strings.Contains(s, "Vertrieb") {
					t.Errorf("cooperation reason %q", s)
				}
				if s := kinds["cross_border"]; !strings.Contains(s, "China") {
					t.Errorf("cross-border reason %q", s)
				}
				for _, r := range top.Reasons {
					if r.Kind == "concept" && (r.Labels[isa.ZH] == "" || r.Labels[isa.EN] == "" || r.Concept == "") {
						t.Errorf("concept reason without structured labels: %+v", r)
					}
				}
			})
			t.Run("an offer finds requests", func(t *testing.T) {
				res, err := m.Matches(ctx, "gear-de-off", isa.ZH, 10)
				if err != nil {
					t.Fatal(err)
				}
				if len(res.Matches) == 0 || res.Matches[0].Ref != "gear-zh-req" {
					t.Fatalf("matches %+v, want gear-zh-req first", res.Matches)
				}
				if !strings.HasPrefix(res.Matches[0].Reasons[0].Text, "共同主题") {
					t.Errorf("reason not in Chinese: %q", res.Matches[0].Reasons[0].Text)
				}
			})
			t.Run("unknown listing is not found", func(t *testing.T) {
				_, err := m.Matches(ctx, "nope", isa.EN, 10)
				if !isa.IsNotFound(err) {
					t.Errorf("error %v, want not found", err)
				}
			})
		})
	}
}

func TestReasonTextsExistInEveryLanguage(t *testing.T) {
	for code, text := range matching.CooperationLabels {
		for _, l := range isa.Langs {
			if text[l] == "" {
				t.Errorf("cooperation %s has no %s label", code, l)
			}
		}
	}
	for _, c := range isa.CooperationTypes {
		if _, ok := matching.CooperationLabels[c]; !ok {
			t.Errorf("cooperation type %s has no labels", c)
		}
	}
}
