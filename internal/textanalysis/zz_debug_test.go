package textanalysis

import (
	"os"
	"strings"
	"testing"
)

func TestZZDebugQueries(t *testing.T) {
	qs := os.Getenv("ISA_DEBUG_Q")
	if qs == "" {
		t.Skip()
	}
	a, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range strings.Split(qs, "|") {
		qa, _ := a.AnalyzeQuery(q)
		var cs []string
		for _, c := range qa.Concepts {
			cs = append(cs, a.Concepts()[c.Concept].ID)
		}
		var ts []string
		for _, x := range qa.Terms {
			ts = append(ts, strings.Join(x.Alternatives, "/"))
		}
		t.Logf("%q terms=%v concepts=%v", q, ts, cs)
	}
}
