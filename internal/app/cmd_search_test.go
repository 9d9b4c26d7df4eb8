package app

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeBilingual writes a German request and Chinese and English offers
// about heat pumps, one of them expired, for the search command tests.
func writeBilingual(t *testing.T) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "hp.jsonl")
	data := `{"type":"organisation","ref":"de1","name":"Haustechnik GmbH","kind":"company","city":"aachen"}
{"type":"organisation","ref":"cn1","name":"佛山热能","kind":"company","city":"foshan"}
{"type":"organisation","ref":"cn2","name":"Taizhou Heat","kind":"company","city":"taizhou"}
{"type":"listing","ref":"req","org":"de1","kind":"request","lang":"de","title":"Wärmepumpen-Hersteller gesucht","description":"Wir suchen einen Hersteller von Luft-Wasser-Wärmepumpen für den Vertrieb in Deutschland.","cooperation":["distribution"],"industries":["C28.25"],"published":"2026-03-01","expires":"2099-03-01"}
{"type":"listing","ref":"off-zh","org":"cn1","kind":"offer","lang":"zh","title":"空气源热泵 OEM","description":"我司专业生产空气源热泵，诚寻德国经销商。","cooperation":["supply","distribution"],"industries":["C28.25"],"published":"2026-04-01","expires":"2099-04-01"}
{"type":"listing","ref":"off-en","org":"cn2","kind":"offer","lang":"en","title":"Heat pumps <b>for export</b>","description":"We manufacture heat pumps for Europe.","cooperation":["supply"],"industries":["C28.25"],"published":"2026-05-01","expires":"2099-05-01"}
{"type":"listing","ref":"off-old","org":"cn2","kind":"offer","lang":"zh","title":"热泵清仓","description":"热泵库存清仓。","cooperation":["supply"],"published":"2020-01-01","expires":"2020-12-31"}
`
	if err := os.WriteFile(p, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestSearchMatchAndReindexCommands(t *testing.T) {
	dir := t.TempDir()
	if code, _, stderr := run(t, dir, "import", writeBilingual(t)); code != 0 {
		t.Fatalf("import exited %d: %s", code, stderr)
	}

	t.Run("search --json prints one object with total and hits, never expired", func(t *testing.T) {
		code, out, stderr := run(t, dir, "search", "--json", "--limit", "10", "Wärmepumpe")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		var res struct {
			Total int `json:"total"`
			Hits  []struct {
				Ref   string  `json:"ref"`
				Score float64 `json:"score"`
				Title string  `json:"title"`
			} `json:"hits"`
			Facets map[string][]struct {
				Value string `json:"value"`
				Count int    `json:"count"`
			} `json:"facets"`
		}
		if err := json.Unmarshal([]byte(out), &res); err != nil {
			t.Fatalf("output %q: %v", out, err)
		}
		var refs []string
		for _, h := range res.Hits {
			refs = append(refs, h.Ref)
			if h.Score <= 0 {
				t.Errorf("hit %s has score %v", h.Ref, h.Score)
			}
		}
		if res.Total != 3 || len(refs) != 3 || strings.Contains(strings.Join(refs, " "), "off-old") {
			t.Errorf("total %d hits %v, want the three live heat-pump listings", res.Total, refs)
		}
		if len(res.Facets["kind"]) == 0 {
			t.Errorf("no facets in %s", out)
		}
	})

	t.Run("search filters and a readable table", func(t *testing.T) {
		code, out, _ := run(t, dir, "search", "--kind", "offer", "--country", "CN", "heat pump")
		if code != 0 || !strings.Contains(out, "2 listings") || !strings.Contains(out, "off-zh") || strings.Contains(out, "req") {
			t.Errorf("exit %d, table:\n%s", code, out)
		}
	})

	t.Run("bad filter exits 2", func(t *testing.T) {
		if code, _, _ := run(t, dir, "search", "--kind", "barter", "x"); code != 2 {
			t.Errorf("exit %d, want 2", code)
		}
	})

	t.Run("match --json prints one line per listing with reasons", func(t *testing.T) {
		code, out, stderr := run(t, dir, "match", "--json", "--limit", "5", "req", "off-zh")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		lines := strings.Split(strings.TrimSpace(out), "\n")
		if len(lines) != 2 {
			t.Fatalf("%d lines, want 2:\n%s", len(lines), out)
		}
		var res struct {
			Ref     string `json:"ref"`
			Matches []struct {
				Ref     string  `json:"ref"`
				Score   float64 `json:"score"`
				Reasons []struct {
					Kind string `json:"kind"`
					Text string `json:"text"`
				} `json:"reasons"`
			} `json:"matches"`
		}
		if err := json.Unmarshal([]byte(lines[0]), &res); err != nil {
			t.Fatal(err)
		}
		if res.Ref != "req" || len(res.Matches) != 2 {
			t.Fatalf("matches of req: %+v", res)
		}
		for _, m := range res.Matches {
			if m.Ref == "req" || m.Ref == "off-old" || len(m.Reasons) == 0 {
				t.Errorf("match %+v", m)
			}
		}
	})

	t.Run("match of an unknown ref exits 1", func(t *testing.T) {
		if code, _, _ := run(t, dir, "match", "--json", "nope"); code != 1 {
			t.Errorf("exit %d, want 1", code)
		}
	})

	t.Run("reindex reports the live listings", func(t *testing.T) {
		code, out, _ := run(t, dir, "reindex")
		if code != 0 || !strings.HasPrefix(out, "indexed 3 listings") {
			t.Errorf("exit %d: %q", code, out)
		}
	})

	t.Run("reindex reuses the analyses stored by the commands before", func(t *testing.T) {
		run(t, dir, "reindex")
		code, out, _ := run(t, dir, "reindex")
		if code != 0 || !strings.Contains(out, "analyses: 3 reused, 0 computed, 0 stored") {
			t.Errorf("exit %d: %q", code, out)
		}
	})
}
