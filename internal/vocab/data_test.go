package vocab

import (
	"io/fs"
	"slices"
	"testing"

	"github.com/isa-alliance/isa"
)

// The shipped vocabulary must stay large enough to bridge real listings;
// these floors catch a data file that was dropped or truncated.
const (
	minConcepts     = 1300
	minTermsTotal   = 20000
	minTermsPerLang = 6500
)

func TestEmbeddedVocabularyLoadsCleanly(t *testing.T) {
	v, err := Default()
	if err != nil {
		t.Fatalf("embedded vocabulary: %v", err)
	}
	s := v.Stats()
	t.Logf("concepts %d, terms %d (de %d, zh %d, en %d)", s.Concepts, s.TotalTerms, s.Terms[isa.DE], s.Terms[isa.ZH], s.Terms[isa.EN])
	if s.Concepts < minConcepts {
		t.Errorf("%d concepts, want at least %d", s.Concepts, minConcepts)
	}
	if s.TotalTerms < minTermsTotal {
		t.Errorf("%d terms, want at least %d", s.TotalTerms, minTermsTotal)
	}
	for _, l := range isa.Langs {
		if s.Terms[l] < minTermsPerLang {
			t.Errorf("%d %s terms, want at least %d", s.Terms[l], l, minTermsPerLang)
		}
	}
}

func TestEmbeddedConceptsHaveIndustryOrRole(t *testing.T) {
	v, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	// A concept without NACE codes only makes sense for business roles
	// (distribution, licensing, ...), which carry a cooperation type instead
	// or descend from one that does.
	for _, c := range v.Concepts() {
		if len(c.NACE) > 0 || len(c.Cooperation) > 0 {
			continue
		}
		hasRole := false
		for _, a := range v.Ancestors(c.ID) {
			if b, _ := v.Concept(a); len(b.Cooperation) > 0 {
				hasRole = true
			}
		}
		if !hasRole {
			t.Errorf("%s (%s) has neither NACE codes nor a cooperation type", c.ID, c.Source)
		}
	}
}

func TestDefaultIsLoadedOnce(t *testing.T) {
	a, errA := Default()
	b, errB := Default()
	if errA != nil || errB != nil {
		t.Fatal(errA, errB)
	}
	if a != b {
		t.Error("Default returned two different vocabularies")
	}
}

func BenchmarkLoadEmbedded(b *testing.B) {
	sub, err := fs.Sub(embedded, "data")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := Load(sub); err != nil {
			b.Fatal(err)
		}
	}
}

// TestEmbeddedTermsBridgeLanguages spot-checks that the words of the
// alliance's own examples lead to the same concept in all three languages;
// a term moved to the wrong concept breaks the bridge silently otherwise.
func TestEmbeddedTermsBridgeLanguages(t *testing.T) {
	v, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	index := map[isa.Lang]map[string][]string{}
	for _, l := range isa.Langs {
		index[l] = map[string][]string{}
		for _, e := range v.Terms(l) {
			index[l][e.Term] = append(index[l][e.Term], e.ConceptID)
		}
	}
	tests := []struct {
		concept string
		de, zh  string
		en      string
	}{
		{"heat_pump", "Luft-Wasser-Wärmepumpe", "空气源热泵", "air source heat pump"},
		{"sheet_metal", "Blechbearbeitung", "钣金加工", "sheet metal fabrication"},
		{"laser_cutting", "Laserschneiden", "激光切割", "laser cutting"},
		{"injection_moulding", "Spritzguss", "注塑", "injection molding"},
		{"gearbox", "Getriebe", "减速机", "gearbox"},
		{"china_europe_rail", "Neue Seidenstraße", "中欧班列", "China-Europe railway express"},
		{"customs_clearance", "Verzollung", "清关", "customs clearance"},
		{"oem", "OEM", "贴牌", "private label"},
		{"contract_manufacturing", "Lohnfertigung", "代加工", "contract manufacturing"},
		{"distribution", "Vertriebspartner", "经销商", "distributor"},
		{"joint_venture", "Gemeinschaftsunternehmen", "合资", "joint venture"},
		{"business_succession", "Unternehmensnachfolge", "企业传承", "business succession"},
		{"after_sales_service", "Kundendienst", "售后服务", "after-sales service"},
		{"licensing", "Lizenz", "许可", "licensing"},
		{"charging_infrastructure", "Ladesäule", "充电桩", "charging station"},
		{"electrolyser", "Elektrolyseur", "电解槽", "electrolyser"},
		{"care_beds", "Pflegebett", "护理床", "nursing bed"},
		{"flame_retardant_textiles", "flammhemmende Textilien", "阻燃面料", "flame-retardant fabrics"},
		{"fume_extraction", "Schweißrauchabsaugung", "焊烟净化", "welding fume extraction"},
		{"trade_fair", "Messe", "展会", "trade fair"},
	}
	for _, tt := range tests {
		t.Run(tt.concept, func(t *testing.T) {
			for l, term := range map[isa.Lang]string{isa.DE: tt.de, isa.ZH: tt.zh, isa.EN: tt.en} {
				if got := index[l][term]; !slices.Contains(got, tt.concept) {
					t.Errorf("%s term %q belongs to %v, want %s", l, term, got, tt.concept)
				}
			}
		})
	}
}
