package vocab

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/isa-alliance/isa"
)

func mapFS(files map[string]string) fstest.MapFS {
	m := fstest.MapFS{}
	for name, body := range files {
		m[name] = &fstest.MapFile{Data: []byte(body)}
	}
	return m
}

const pumpBlock = `
[pump]
nace: C28.13
de: Pumpe | Kreiselpumpe
zh: 泵 | 离心泵
en: pump | centrifugal pump
`

func TestLoadValidatesData(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  []string // substrings of the error, file:line first
	}{
		{
			name:  "duplicate id across files names both places",
			files: map[string]string{"a.txt": pumpBlock, "b.txt": pumpBlock},
			want:  []string{"b.txt:2:", `concept id "pump" is already defined at a.txt:2`},
		},
		{
			name:  "unknown broader concept",
			files: map[string]string{"a.txt": pumpBlock + "broader: hydraulics\n"},
			want:  []string{"a.txt:7:", `broader concept "hydraulics" of pump is not defined`},
		},
		{
			name:  "missing language",
			files: map[string]string{"a.txt": "[valve]\nde: Ventil\nen: valve\n"},
			want:  []string{"a.txt:1:", "concept valve has no zh term"},
		},
		{
			name:  "malformed NACE code",
			files: map[string]string{"a.txt": "[valve]\nnace: C2814\nde: Ventil\nzh: 阀门\nen: valve\n"},
			want:  []string{"a.txt:2:", `NACE code "C2814" is not of the form`},
		},
		{
			name:  "NACE section letter out of range",
			files: map[string]string{"a.txt": "[valve]\nnace: Z28\nde: Ventil\nzh: 阀门\nen: valve\n"},
			want:  []string{"a.txt:2:", `NACE code "Z28"`},
		},
		{
			name:  "well-formed NACE code that does not exist",
			files: map[string]string{"a.txt": "[valve]\nnace: C28.97\nde: Ventil\nzh: 阀门\nen: valve\n"},
			want:  []string{"a.txt:2:", `NACE code "C28.97" does not exist`},
		},
		{
			name:  "line that is neither header nor key",
			files: map[string]string{"a.txt": pumpBlock + "Kolbenpumpe\n"},
			want:  []string{"a.txt:7:", "expected [concept_id]"},
		},
		{
			name:  "key before the first header",
			files: map[string]string{"a.txt": "de: Pumpe\n" + pumpBlock},
			want:  []string{"a.txt:1:", "before the first [concept_id] header"},
		},
		{
			name:  "unclosed header",
			files: map[string]string{"a.txt": "[pump\nde: Pumpe\n"},
			want:  []string{"a.txt:1:", "lacks the closing ]"},
		},
		{
			name:  "id with capitals",
			files: map[string]string{"a.txt": "[Heat_Pump]\nde: Wärmepumpe\nzh: 热泵\nen: heat pump\n"},
			want:  []string{"a.txt:1:", `concept id "Heat_Pump"`},
		},
		{
			name:  "unknown key",
			files: map[string]string{"a.txt": pumpBlock + "fr: pompe\n"},
			want:  []string{"a.txt:7:", `unknown key "fr"`},
		},
		{
			name:  "empty term between bars",
			files: map[string]string{"a.txt": "[valve]\nde: Ventil || Kugelhahn\nzh: 阀门\nen: valve\n"},
			want:  []string{"a.txt:2:", "empty term"},
		},
		{
			name:  "term twice in one concept, differing only in case and hyphen",
			files: map[string]string{"a.txt": "[hp]\nde: Wärmepumpe\nzh: 热泵\nen: heat pump | Heat-Pump\n"},
			want:  []string{"a.txt:4:", `term "Heat-Pump" is listed twice`},
		},
		{
			name: "term shared by two concepts without marker",
			files: map[string]string{"a.txt": pumpBlock + `
[bearing]
de: Lager | Wälzlager
zh: 轴承
en: bearing
[warehouse]
de: Lager | Lagerhaus
zh: 仓库
en: warehouse
`},
			want: []string{"a.txt:9:", `de: term "Lager" also belongs to warehouse`},
		},
		{
			name: "German and English Latin-script terms clash across concepts",
			files: map[string]string{"a.txt": `
[plastic_film]
de: Kunststofffolie
zh: 塑料薄膜
en: film | plastic film
[cinema]
de: Film | Kino
zh: 电影
en: cinema
`},
			want: []string{"a.txt:7:", `de: term "Film" also belongs to plastic_film`, "a.txt:5:", `en: term "film" also belongs to cinema`},
		},
		{
			name: "Latin-script term under zh clashes with an English term",
			files: map[string]string{"a.txt": `
[genomics]
de: Genomik
zh: 基因测序 | PCR
en: genomics
[recyclate]
de: Rezyklat
zh: 再生料
en: recyclate | PCR
`},
			want: []string{"a.txt:4:", `zh: term "PCR" also belongs to recyclate`},
		},
		{
			name: "Latin word inside a Chinese term clashes with that word elsewhere",
			files: map[string]string{"a.txt": `
[oem]
de: OEM
zh: 贴牌
en: OEM
[cosmetics_oem]
de: Kosmetik-Lohnherstellung
zh: 化妆品OEM | 化妆品代工
en: cosmetics contract manufacturing
`},
			want: []string{"a.txt:8:", `zh: term "化妆品OEM" also belongs to oem`},
		},
		{
			name:  "Chinese term whose Latin part is a single letter",
			files: map[string]string{"a.txt": "[xray]\nde: Röntgengerät\nzh: X光机 | 放射设备\nen: X-ray machine\n"},
			want:  []string{"a.txt:3:", `"X光机" is read as the single letter "x"`},
		},
		{
			name:  "term whose Latin part is only a number",
			files: map[string]string{"a.txt": "[pa66]\nde: PA66\nzh: 尼龙66\nen: PA66\n"},
			want:  []string{"a.txt:3:", `"尼龙66" is read as the number "66"`},
		},
		{
			name: "Chinese part of a mixed term clashes with that word elsewhere",
			files: map[string]string{"a.txt": `
[connectors]
de: Steckverbinder
zh: 连接器
en: connectors
[pv_connectors]
de: PV-Steckverbinder
zh: MC4连接器
en: MC4 connector
`},
			want: []string{"a.txt:8:", `zh: term "MC4连接器" also belongs to connectors`},
		},
		{
			name:  "same Latin term in de, zh and en of one concept is fine",
			files: map[string]string{"a.txt": "[cnc]\nde: CNC | CNC-Fräsen\nzh: CNC | 数控\nen: CNC | CNC milling\n"},
			want:  nil,
		},
		{
			name: "ambiguous marker on one side only still fails",
			files: map[string]string{"a.txt": `
[bearing]
de: ~Lager | Wälzlager
zh: 轴承
en: bearing
[warehouse]
de: Lager | Lagerhaus
zh: 仓库
en: warehouse
`},
			want: []string{"a.txt:7:", `term "Lager" also belongs to bearing`},
		},
		{
			name:  "ambiguous marker on a term no other concept uses",
			files: map[string]string{"a.txt": "[valve]\nde: ~Ventil\nzh: 阀门\nen: valve\n"},
			want:  []string{"a.txt:2:", "marked ambiguous (~) but no other concept uses it"},
		},
		{
			name:  "over-general term",
			files: map[string]string{"a.txt": "[cnc]\nde: CNC-Fräsen\nzh: 设备\nen: CNC milling\n"},
			want:  []string{"a.txt:3:", `"设备" is too general`},
		},
		{
			name:  "everyday word alone",
			files: map[string]string{"a.txt": "[pallet]\nde: Palette | Europalette\nzh: 托盘\nen: pallet\n"},
			want:  []string{"a.txt:2:", `"Palette" alone is an everyday word`},
		},
		{
			name: "broader cycle",
			files: map[string]string{"a.txt": `
[a_one]
broader: b_two
de: Eins
zh: 一
en: one
[b_two]
broader: a_one
de: Zwei
zh: 二
en: two
`},
			want: []string{"broader cycle:", "a_one -> b_two -> a_one"},
		},
		{
			name:  "unknown cooperation type",
			files: map[string]string{"a.txt": pumpBlock + "coop: franchising\n"},
			want:  []string{"a.txt:7:", `cooperation type "franchising"`},
		},
		{
			name:  "no data files",
			files: map[string]string{"readme.md": "nothing"},
			want:  []string{"no *.txt data files"},
		},
		{
			name:  "not UTF-8",
			files: map[string]string{"a.txt": "[pump]\nde: Pumpe \xff\n"},
			want:  []string{"a.txt:1:", "not UTF-8"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := Load(mapFS(tt.files))
			if tt.want == nil {
				if err != nil {
					t.Fatalf("Load: %v, want success", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("Load succeeded with %d concepts, want error containing %q", v.Len(), tt.want)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q\ndoes not contain %q", err, w)
				}
			}
		})
	}
}

func TestLineErrorsAreInspectable(t *testing.T) {
	_, err := Load(mapFS(map[string]string{"x.txt": "[valve]\nde: Ventil\nen: valve\n"}))
	var le *LineError
	if !errors.As(err, &le) {
		t.Fatalf("error %v holds no *LineError", err)
	}
	if le.File != "x.txt" || le.Line != 1 {
		t.Errorf("LineError at %s:%d, want x.txt:1", le.File, le.Line)
	}
}

func TestLoadParsesBlocks(t *testing.T) {
	data := `
# hydraulics and pumps
[fluid_power]
nace: C28.12, C28.13
de: Fluidtechnik
zh: 流体动力
en: fluid power

[pump]
broader: fluid_power
de: Pumpe | Kreiselpumpe
de: Zahnradpumpe
zh: 泵 | 离心泵
en: pump | centrifugal pump | gear pump
coop: supply

[bearing]
nace: C28.15
de: ~Lager | Wälzlager
zh: 轴承
en: bearing

[warehouse]
nace: H52.10
de: ~Lager | Lagerhaus
zh: 仓库
en: warehouse
`
	v, err := Load(mapFS(map[string]string{"sub/machinery.txt": data}))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		got  any
		want any
	}{
		{"concepts sorted by id", conceptIDs(v), []string{"bearing", "fluid_power", "pump", "warehouse"}},
		{"repeated language lines append terms", lookup(v, "pump").Terms[isa.DE], []string{"Pumpe", "Kreiselpumpe", "Zahnradpumpe"}},
		{"NACE inherited from broader when none declared", lookup(v, "pump").NACE, []string{"C28.12", "C28.13"}},
		{"own NACE kept", lookup(v, "bearing").NACE, []string{"C28.15"}},
		{"source names file and header line", lookup(v, "pump").Source, "sub/machinery.txt:9"},
		{"cooperation parsed", lookup(v, "pump").Cooperation, []string{"supply"}},
		{"label is first term", v.Label("pump", isa.ZH), "泵"},
		{"label of unknown id is empty", v.Label("nope", isa.DE), ""},
		{"broader", v.Broader("pump"), []string{"fluid_power"}},
		{"narrower", v.Narrower("fluid_power"), []string{"pump"}},
		{"ancestors", v.Ancestors("pump"), []string{"fluid_power"}},
		{"ambiguous marker stripped and recorded", termsOf(v, isa.DE, "Lager"), []TermEntry{
			{Term: "Lager", ConceptID: "bearing", Ambiguous: true},
			{Term: "Lager", ConceptID: "warehouse", Ambiguous: true},
		}},
		{"by NACE finds concepts at and below the code", v.ByNACE("C28.1"), []string{"bearing", "fluid_power", "pump"}},
		{"by NACE with a class finds only that class", v.ByNACE("C28.15"), []string{"bearing"}},
		{"by NACE with an unknown code finds nothing", v.ByNACE("C99"), []string(nil)},
		{"stats", v.Stats(), Stats{Concepts: 4, Terms: map[isa.Lang]int{isa.DE: 8, isa.ZH: 5, isa.EN: 6}, TotalTerms: 19}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !equal(tt.got, tt.want) {
				t.Errorf("got %#v, want %#v", tt.got, tt.want)
			}
		})
	}
}

func conceptIDs(v *Vocabulary) []string {
	var ids []string
	for _, c := range v.Concepts() {
		ids = append(ids, c.ID)
	}
	return ids
}

func lookup(v *Vocabulary, id string) Concept {
	c, _ := v.Concept(id)
	return c
}

func termsOf(v *Vocabulary, lang isa.Lang, term string) []TermEntry {
	var out []TermEntry
	for _, e := range v.Terms(lang) {
		if e.Term == term {
			out = append(out, e)
		}
	}
	return out
}

func equal(a, b any) bool {
	switch a := a.(type) {
	case []string:
		return slices.Equal(a, b.([]string))
	case []TermEntry:
		return slices.Equal(a, b.([]TermEntry))
	case Stats:
		bs := b.(Stats)
		if a.Concepts != bs.Concepts || a.TotalTerms != bs.TotalTerms {
			return false
		}
		for _, l := range isa.Langs {
			if a.Terms[l] != bs.Terms[l] {
				return false
			}
		}
		return true
	default:
		return a == b
	}
}
