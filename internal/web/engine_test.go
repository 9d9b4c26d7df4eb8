package web

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/isa-alliance/isa"
	"github.com/isa-alliance/isa/internal/matching"
	"github.com/isa-alliance/isa/internal/nace"
	"github.com/isa-alliance/isa/internal/search"
	"github.com/isa-alliance/isa/internal/textanalysis"
)

// realMatcher presents the matching package in the pages' terms, as the
// program's wiring does.
type realMatcher struct{ m *matching.Matcher }

func (r realMatcher) Matches(ctx context.Context, ref string, limit int) ([]Match, error) {
	res, err := r.m.Matches(ctx, ref, isa.EN, limit)
	if err != nil {
		return nil, err
	}
	var out []Match
	for _, m := range res.Matches {
		wm := Match{Ref: m.Ref, Score: m.Score}
		for _, rs := range m.Reasons {
			detail := rs.Code
			if detail == "" {
				detail = rs.Concept
			}
			wm.Reasons = append(wm.Reasons, Reason{Code: rs.Kind, Detail: detail, Labels: rs.Labels})
		}
		out = append(out, wm)
	}
	return out, nil
}

type naceLabels struct{}

func (naceLabels) Label(code string, l isa.Lang) string {
	e, ok := nace.Default().Lookup(code)
	if !ok {
		return ""
	}
	return e.Label.In(l)
}

// TestPagesWithTheRealSearchAndMatching runs the search page and the
// listing page on the project's own engine, analyser and matcher over the
// fixture, so that a change in their APIs or results shows here.
func TestPagesWithTheRealSearchAndMatching(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("loads the Chinese dictionaries")
	}
	an, err := textanalysis.Default()
	if err != nil {
		t.Fatalf("analyser: %v", err)
	}
	idx := search.NewMemory(an, func() time.Time { return now })
	var matcher Matcher
	f := newFixture(t, options{search: idx, store: func(s isa.Store) isa.Store {
		if _, err := search.NewLoader(s, idx, slog.New(slog.DiscardHandler)).Rebuild(context.Background()); err != nil {
			t.Fatalf("index: %v", err)
		}
		matcher = realMatcher{matching.New(idx, an, s, naceLabels{}, func() time.Time { return now })}
		return s
	}})
	f.web.matcher = matcher
	f.web.industries = naceLabels{}

	tests := []struct {
		name, path string
		want       []string
		not        []string
	}{
		{"a German query finds the Chinese request through its translation", "/de/search?q=Spritzgussformen",
			[]string{"Partner für Spritzgussformen gesucht", "<mark>", "1 Eintrag gefunden"}, []string{"Industrieklingen"}},
		{"facets count by section with NACE labels", "/en/search?q=Klingen",
			[]string{"Industrial blades to drawing", `<span class="count">(`, "Manufacturing"}, nil},
		{"empty query lists the newest first", "/zh/search",
			[]string{"找到3条信息"}, []string{"Alte Scheren", "Entwurf"}},
		{"the home page takes the newest from the engine", "/en/",
			[]string{"Industrial blades to drawing", "寻求德国注塑模具合作伙伴", "<strong>2</strong> current offers", "<strong>1</strong> current request<"}, []string{"Alte Scheren"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := f.get(t, tt.path)
			if res.status != http.StatusOK {
				t.Fatalf("status %d", res.status)
			}
			for _, w := range tt.want {
				if !strings.Contains(res.body, w) {
					t.Errorf("page lacks %q", w)
				}
			}
			for _, w := range tt.not {
				if strings.Contains(res.body, w) {
					t.Errorf("page shows %q", w)
				}
			}
		})
	}

	res := f.get(t, "/en/listings/request-moulds")
	if res.status != http.StatusOK {
		t.Fatalf("listing: status %d", res.status)
	}
	if strings.Contains(res.body, "Partner suggestions could not") || strings.Contains(res.body, "not available on this server") {
		t.Errorf("matching did not run")
	}
}
