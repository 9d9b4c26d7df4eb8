package matching

import (
	"slices"
	"testing"

	"github.com/isa-alliance/isa"
)

func TestReasonTemplatesExistInEveryLanguage(t *testing.T) {
	for kind, byLang := range templates {
		for _, l := range isa.Langs {
			if byLang[l] == "" {
				t.Errorf("reason %s has no %s text", kind, l)
			}
		}
	}
}

func TestMostSpecificDropsImpliedCodes(t *testing.T) {
	tests := []struct{ in, want []string }{
		{[]string{"C", "C28", "C28.1", "C28.15"}, []string{"C28.15"}},
		{[]string{"C", "C28", "C25", "C25.6"}, []string{"C25.6", "C28"}},
		{nil, nil},
	}
	for _, tt := range tests {
		if got := mostSpecific(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("mostSpecific(%v) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestCooperationBonus(t *testing.T) {
	tests := []struct {
		name         string
		mine, theirs []string
		wantAtLeast  float64
		wantAtMost   float64
	}{
		{"same type", []string{"distribution"}, []string{"distribution"}, coopExact, coopExact},
		{"fitting type", []string{"investment"}, []string{"joint_venture"}, coopFitting, coopFitting},
		{"unrelated", []string{"services"}, []string{"licensing"}, 0, 0},
	}
	for _, tt := range tests {
		got := coopBonus(isa.Request, tt.mine, tt.theirs)
		if got < tt.wantAtLeast || got > tt.wantAtMost {
			t.Errorf("%s: bonus %v", tt.name, got)
		}
	}
}
