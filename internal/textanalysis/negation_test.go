package textanalysis

import (
	"strings"
	"testing"

	"github.com/isa-alliance/isa"
)

// covered reports whether any token or concept of the analysis comes from
// the first occurrence of word in text.
func covered(t *testing.T, an Analysis, text, word string) bool {
	t.Helper()
	i := strings.Index(text, word)
	if i < 0 {
		t.Fatalf("%q is not in %q", word, text)
	}
	j := i + len(word)
	for _, tk := range an.Tokens {
		if tk.Start < j && tk.End > i {
			return true
		}
	}
	for _, c := range an.Concepts {
		if c.Start >= 0 && c.Start < j && c.End > i {
			return true
		}
	}
	return false
}

// TestNegation checks which words of a listing text count: the words of
// a negated clause do not; words next to a negation cue that does not
// negate the clause (stainless, lead-free, not only, lacks) do.
func TestNegation(t *testing.T) {
	a := newTest(t)
	tests := []struct {
		lang    isa.Lang
		text    string
		negated []string
		kept    []string
	}{
		// English: fronted objects, passives, n't, "no", coordination.
		{isa.EN, "Sea freight we do not offer.", []string{"Sea freight"}, nil},
		{isa.EN, "Plastic parts are not needed, metal parts are.", []string{"Plastic"}, []string{"metal"}},
		{isa.EN, "We don't provide installation. Heat pumps from stock.", []string{"installation"}, []string{"Heat pumps"}},
		{isa.EN, "We do not sell used machines, but we offer spare parts.", []string{"used machines"}, []string{"spare parts"}},
		{isa.EN, "We offer laser cutting and do not offer bending.", []string{"bending"}, []string{"laser cutting"}},
		{isa.EN, "Wheelchairs and walkers are not of interest.", []string{"Wheelchairs", "walkers"}, nil},
		{isa.EN, "No installation service; we deliver turbines.", []string{"installation"}, []string{"turbines"}},
		{isa.EN, "Turbines – installation is not part of the offer.", []string{"installation"}, []string{"Turbines"}},
		{isa.EN, "We supply not only pumps but also valves.", nil, []string{"pumps", "valves"}},
		{isa.EN, "We have no sales office in Europe yet.", nil, []string{"sales office", "Europe"}},
		{isa.EN, "We are not yet present in Europe with our gearboxes.", nil, []string{"Europe", "gearboxes"}},
		{isa.EN, "Non-woven fabric, lead-free solder and stainless tubes.", nil, []string{"woven", "fabric", "solder", "stainless"}},
		{isa.EN, "Flatness not more than 0.1 mm on aluminium housings.", nil, []string{"aluminium"}},
		{isa.EN, "No matter the volume, we supply gearboxes.", nil, []string{"gearboxes"}},
		{isa.EN, "Gearbox type No. 5 for conveyors.", nil, []string{"conveyors"}},
		{isa.EN, "The No 1 supplier of gearboxes for conveyors.", nil, []string{"supplier", "gearboxes"}},
		{isa.EN, "Our gearboxes are not made in China but in Germany.", []string{"China"}, []string{"gearboxes", "Germany"}},
		{isa.EN, "The dryer needs no cooling water.", []string{"cooling water"}, []string{"dryer"}},
		{isa.EN, "Order size: no minimum for standard gearboxes.", nil, []string{"gearboxes"}},
		{isa.EN, "Plastic housings are no option.", []string{"Plastic housings"}, nil},
		{isa.EN, "Don't hesitate to ask us about heat pump projects.", nil, []string{"heat pump"}},
		{isa.EN, "Our clients do not need to worry about customs clearance.", nil, []string{"customs clearance"}},
		{isa.EN, "If you cannot find a distributor in Europe, we help.", nil, []string{"distributor"}},
		{isa.EN, "The machines need not be new.", nil, []string{"machines"}},
		{isa.EN, "Our sensors do not require calibration.", []string{"calibration"}, []string{"sensors"}},
		{isa.EN, "Steel and aluminium; titanium we cannot process.", []string{"titanium"}, []string{"Steel", "aluminium"}},
		{isa.EN, "Installation not included, commissioning on request.", []string{"Installation"}, []string{"commissioning"}},
		{isa.EN, "We never compromise on the quality of our injection moulds.", nil, []string{"injection moulds"}},
		{isa.EN, "Our warehouse is not far from Hamburg port.", nil, []string{"warehouse", "Hamburg"}},
		// German: verb last, kein, coordination, idioms, attributes.
		{isa.DE, "Gebrauchte Maschinen bieten wir nicht an.", []string{"Gebrauchte Maschinen"}, nil},
		{isa.DE, "Wir suchen Gussteile, Schmiedeteile sind nicht gefragt.", []string{"Schmiedeteile"}, []string{"Gussteile"}},
		{isa.DE, "Wir liefern keine Ersatzteile und keine Software.", []string{"Ersatzteile", "Software"}, nil},
		{isa.DE, "Wir bieten Beratung an und verkaufen keine Maschinen.", []string{"Maschinen"}, []string{"Beratung"}},
		{isa.DE, "Wärmepumpen für Neubauten: Heizstäbe sind nicht Teil des Angebots.", []string{"Heizstäbe"}, []string{"Wärmepumpen", "Neubauten"}},
		{isa.DE, "Wir fertigen nicht nur Getriebe, sondern auch Motoren.", nil, []string{"Getriebe", "Motoren"}},
		{isa.DE, "Keine Frage: unsere Pumpen sind langlebig.", nil, []string{"Pumpen"}},
		{isa.DE, "Direktvertrieb ohne Zwischenhändler.", nil, []string{"Direktvertrieb", "Zwischenhändler"}},
		{isa.DE, "Rohre aus nicht rostendem Stahl.", nil, []string{"Rohre", "Stahl"}},
		{isa.DE, "Rostfreie Bleche und kontaktlose Sensoren.", nil, []string{"Bleche", "Sensoren"}},
		{isa.DE, "In China gibt es keine eigene Vertriebsorganisation.", nil, []string{"Vertriebsorganisation"}},
		{isa.DE, "Wir sind noch nicht in China vertreten.", nil, []string{"China"}},
		{isa.DE, "Lieferzeit nicht mehr als vier Wochen für Zahnräder.", nil, []string{"Zahnräder"}},
		{isa.DE, "Nicht-Eisen-Metalle in Stangen.", nil, []string{"Metalle", "Stangen"}},
		{isa.DE, "Unsere Pumpen werden nicht in China gefertigt, sondern in Deutschland.", []string{"China"}, []string{"Pumpen", "Deutschland"}},
		{isa.DE, "Die Beschichtung ist nicht leitend und kratzfest.", nil, []string{"Beschichtung"}},
		{isa.DE, "Unsere Trockner benötigen keine Druckluft.", []string{"Druckluft"}, []string{"Trockner"}},
		{isa.DE, "Wir brauchen keine Spritzgießwerkzeuge.", []string{"Spritzgießwerkzeuge"}, nil},
		{isa.DE, "Kunststoffgehäuse sind für uns kein Thema.", []string{"Kunststoffgehäuse"}, nil},
		{isa.DE, "Keine Beschichtung im Haus, aber Partner vor Ort.", []string{"Beschichtung"}, []string{"Haus", "Partner"}},
		{isa.DE, "Die Maschinen müssen nicht neu sein.", nil, []string{"Maschinen"}},
		{isa.DE, "Wenn Sie keinen Händler finden, helfen wir.", nil, []string{"Händler"}},
		// Chinese: topic first, 不 before verbs, words that contain 不 or 无.
		{isa.ZH, "我们不提供铁路运输，只做海运。", []string{"铁路运输"}, []string{"海运"}},
		{isa.ZH, "二手设备不需要，寻找新的灌装机。", []string{"二手设备"}, []string{"灌装机"}},
		{isa.ZH, "我司暂不考虑合资，希望寻找代理商。", []string{"合资"}, []string{"代理商"}},
		{isa.ZH, "轮椅和助行器不在我们的产品范围内。", []string{"轮椅", "助行器"}, nil},
		{isa.ZH, "本公司无需翻译服务。", []string{"翻译"}, nil},
		{isa.ZH, "不锈钢搅拌罐，无铅焊料，无缝钢管，非标定制，不干胶标签。", nil, []string{"不锈钢", "焊料", "无缝钢管", "定制", "标签"}},
		{isa.ZH, "不仅提供设备，而且提供培训。", nil, []string{"设备", "培训"}},
		{isa.ZH, "灌装机不是二手设备，而是全新机器。", []string{"二手设备"}, []string{"灌装机", "全新"}},
		{isa.ZH, "保质期不少于两年的润滑油。", nil, []string{"润滑油"}},
		{isa.ZH, "我司在欧洲尚无销售团队。", nil, []string{"销售团队"}},
		{isa.ZH, "我们还没有进入德国市场。", nil, []string{"德国市场"}},
		{isa.ZH, "不透明塑料外壳，不同型号。", nil, []string{"塑料", "型号"}},
		{isa.ZH, "我们的热泵无需外部电源。", []string{"外部电源"}, []string{"热泵"}},
		{isa.ZH, "我们不生产电机，只做减速机。", []string{"电机"}, []string{"减速机"}},
		{isa.ZH, "二手设备不需要。", []string{"二手设备"}, nil},
		{isa.ZH, "对二手设备不感兴趣。", []string{"二手设备"}, nil},
		{isa.ZH, "不需要安装的热泵可直接发货。", []string{"安装"}, []string{"热泵"}},
		{isa.ZH, "如果贵司不需要安装服务，我们也可以只供货。", nil, []string{"安装服务"}},
		{isa.ZH, "不管订单大小，我们都及时交货。", nil, []string{"订单"}},
		// Lists joined by commas before the negated predicate belong to its
		// clause; a comma that ends a clause does not (part H).
		{isa.EN, "Wheelchairs, walkers and beds are not needed.", []string{"Wheelchairs", "walkers", "beds"}, nil},
		{isa.EN, "Castings, forgings, or turned parts we do not offer.", []string{"Castings", "forgings", "turned parts"}, nil},
		{isa.EN, "We offer pumps, valves and fittings, not compressors.", []string{"compressors"}, []string{"pumps", "valves", "fittings"}},
		{isa.EN, "We supply gearboxes, motors and pumps are not part of our range.", []string{"motors", "pumps"}, []string{"gearboxes"}},
		{isa.EN, "Our range: turbines, boilers and pumps. Heat exchangers we do not offer.", []string{"Heat exchangers"}, []string{"turbines", "boilers", "pumps"}},
		{isa.EN, "We build turbines for export, gearboxes and pumps are not needed.", []string{"gearboxes", "pumps"}, []string{"turbines"}},
		{isa.DE, "Rollstühle, Rollatoren und Betten werden nicht benötigt.", []string{"Rollstühle", "Rollatoren", "Betten"}, nil},
		{isa.DE, "Wir suchen Gussteile, Schmiedeteile und Drehteile sind nicht gefragt.", []string{"Schmiedeteile", "Drehteile"}, []string{"Gussteile"}},
		{isa.DE, "Wir liefern Pumpen, Ventile und Armaturen, aber keine Kompressoren.", []string{"Kompressoren"}, []string{"Pumpen", "Ventile", "Armaturen"}},
		{isa.DE, "Getriebe, Motoren oder Lager bieten wir nicht an.", []string{"Getriebe", "Motoren", "Lager"}, nil},
		{isa.ZH, "轮椅、助行器和床不需要。", []string{"轮椅", "助行器", "床"}, nil},
		{isa.ZH, "轮椅，助行器和病床我们不需要。", []string{"轮椅", "助行器", "病床"}, nil},
		{isa.ZH, "我们提供水泵、阀门和管件，不提供压缩机。", []string{"压缩机"}, []string{"水泵", "阀门", "管件"}},
		{isa.EN, "We do not offer castings, forgings or turned parts.", []string{"castings", "forgings", "turned parts"}, nil},
		{isa.EN, "We do not sell pumps, valves and fittings are our focus.", []string{"pumps"}, []string{"valves", "fittings", "focus"}},
		{isa.EN, "No installation, commissioning on request.", []string{"installation"}, []string{"commissioning"}},
		{isa.DE, "Wir liefern keine Ersatzteile, Software oder Schulungen.", []string{"Ersatzteile", "Software", "Schulungen"}, nil},
		{isa.DE, "Wir liefern keine Ersatzteile, Software und Schulungen bieten wir an.", []string{"Ersatzteile"}, []string{"Software", "Schulungen"}},
		{isa.ZH, "我们不提供铁路运输，公路运输或空运。", []string{"铁路运输", "公路运输", "空运"}, nil},
		// Adverbials of time after or before the verb (part H): a temporary
		// "not" is the poster's current offer or need.
		{isa.EN, "Rail transport we do not offer at the moment.", []string{"Rail transport"}, nil},
		{isa.EN, "Used machines we do not buy for the time being.", []string{"Used machines"}, nil},
		{isa.EN, "Our sensors do not require calibration in the field.", []string{"calibration"}, []string{"sensors"}},
		{isa.DE, "Gebrauchte Maschinen kaufen wir zurzeit nicht.", []string{"Gebrauchte Maschinen"}, nil},
		{isa.ZH, "设备暂不需要更新。", []string{"设备", "更新"}, nil},
		{isa.ZH, "二手设备目前不需要采购，寻找新的灌装机。", []string{"二手设备"}, []string{"灌装机"}},
		// Mixed: a Latin term inside a Chinese negated clause.
		{isa.ZH, "我们不提供SLM打印服务，只销售设备。", []string{"SLM"}, []string{"设备"}},
	}
	for _, tc := range tests {
		t.Run(tc.text, func(t *testing.T) {
			an, err := a.Analyze(tc.text, tc.lang)
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tc.negated {
				if covered(t, an, tc.text, w) {
					t.Errorf("%q counts, but it is negated", w)
				}
			}
			for _, w := range tc.kept {
				if !covered(t, an, tc.text, w) {
					t.Errorf("%q was dropped, but it is not negated", w)
				}
			}
		})
	}
}

// TestNegatedConcept checks that a negated concept leaves no concept and
// no broader concept behind.
func TestNegatedConcept(t *testing.T) {
	a := newTest(t)
	for _, tc := range []struct {
		lang isa.Lang
		text string
	}{
		{isa.DE, "Wärmepumpen liefern wir nicht."},
		{isa.EN, "Heat pumps are not part of our range."},
		{isa.ZH, "热泵我们不生产。"},
	} {
		an, err := a.Analyze(tc.text, tc.lang)
		if err != nil {
			t.Fatal(err)
		}
		if ids := conceptIDs(a, an.Concepts, 0); len(ids) != 0 {
			t.Errorf("%s: concepts %v, want none", tc.text, ids)
		}
	}
}

// TestQueriesAreNotNegated: a typed query is what the user looks for.
func TestQueriesAreNotNegated(t *testing.T) {
	a := newTest(t)
	q, err := a.AnalyzeQuery("Wärmepumpe nicht")
	if err != nil {
		t.Fatal(err)
	}
	if ids := conceptIDs(a, q.Concepts, 1); len(ids) != 1 || ids[0] != "heat-pump" {
		t.Errorf("query concepts %v, want heat-pump", ids)
	}
}

// BenchmarkAnalyzeListing measures the analysis of listing texts with
// negations in the three languages (the negation scan runs on every
// listing text the index sees).
func BenchmarkAnalyzeListing(b *testing.B) {
	a, err := New(testConcepts)
	if err != nil {
		b.Fatal(err)
	}
	texts := []struct {
		lang isa.Lang
		text string
	}{
		{isa.DE, "Wir fertigen Spritzgießwerkzeuge und Wärmepumpen für den Mittelstand, Schweißrauchabsaugung auf Anfrage. Gebrauchte Maschinen bieten wir nicht an, und Heizungstechnik ist nicht Teil des Angebots; wir liefern keine Software, sondern Beratung."},
		{isa.EN, "We manufacture heat pumps and rolling bearings for European OEMs, with welding fume extractors from stock. Rail transport we do not offer, installation is not included, but we support commissioning."},
		{isa.ZH, "我司专业生产热泵和注塑模具，产品出口德国。我们不提供铁路运输，二手设备暂不考虑，只做新设备；不锈钢外壳，无铅焊料，非标定制。"},
	}
	if _, err := a.Analyze(texts[2].text, isa.ZH); err != nil { // load the dictionary
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, t := range texts {
			if _, err := a.Analyze(t.text, t.lang); err != nil {
				b.Fatal(err)
			}
		}
	}
}
