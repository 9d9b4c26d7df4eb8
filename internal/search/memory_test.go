package search_test

import (
	"testing"
	"time"

	"github.com/isa-alliance/isa/internal/search"
	"github.com/isa-alliance/isa/internal/search/searchtest"
	"github.com/isa-alliance/isa/internal/textanalysis"
)

func TestMemoryConformance(t *testing.T) {
	searchtest.Run(t, func(t *testing.T, an *textanalysis.Analyzer, now func() time.Time) search.Index {
		return search.NewMemory(an, now)
	})
}
