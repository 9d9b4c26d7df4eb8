package textanalysis

import (
	"slices"
	"testing"

	"github.com/isa-alliance/isa"
)

func TestHighlightMarksWordsAndConcepts(t *testing.T) {
	a := newTest(t)
	tests := []struct {
		name, query, text string
		lang              isa.Lang
		want              []string
	}{
		{"same word, inflected", "Wärmepumpe", "Wir bauen Wärmepumpen für Altbauten.", isa.DE, []string{"Wärmepumpen"}},
		{"concept in another language", "热泵", "We build heat pumps for old houses.", isa.EN, []string{"heat pumps"}},
		{"Chinese substring without segmentation", "heat pump", "我司专业生产空气源热泵。", isa.ZH, []string{"热泵"}},
		{"nothing to mark", "Getriebe", "We build heat pumps.", isa.EN, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := a.AnalyzeQuery(tt.query)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, s := range a.Highlight(tt.text, tt.lang, q) {
				got = append(got, tt.text[s.Start:s.End])
			}
			slices.Sort(got)
			got = slices.Compact(got)
			if !slices.Equal(got, tt.want) {
				t.Errorf("marked %q, want %q", got, tt.want)
			}
		})
	}
}
