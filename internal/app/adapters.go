package app

import (
	"context"

	"github.com/isa-alliance/isa"
	"github.com/isa-alliance/isa/internal/matching"
	"github.com/isa-alliance/isa/internal/nace"
	"github.com/isa-alliance/isa/internal/web"
)

// naceLabels gives the pages the NACE labels in the reader's language.
type naceLabels struct{}

func (naceLabels) Label(code string, lang isa.Lang) string {
	e, ok := nace.Default().Lookup(code)
	if !ok {
		return ""
	}
	return e.Label.In(lang)
}

// webMatcher presents the matcher's result in the pages' terms.
type webMatcher struct{ m *matching.Matcher }

func (w webMatcher) Matches(ctx context.Context, ref string, limit int) ([]web.Match, error) {
	res, err := w.m.Matches(ctx, ref, isa.EN, limit)
	if err != nil {
		return nil, err
	}
	out := make([]web.Match, 0, len(res.Matches))
	for _, m := range res.Matches {
		wm := web.Match{Ref: m.Ref, Score: m.Score}
		for _, r := range m.Reasons {
			detail := r.Code
			if detail == "" {
				detail = r.Concept
			}
			wm.Reasons = append(wm.Reasons, web.Reason{Code: r.Kind, Detail: detail, Labels: r.Labels})
		}
		out = append(out, wm)
	}
	return out, nil
}
