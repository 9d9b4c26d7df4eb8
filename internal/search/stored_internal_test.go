package search

import (
	"encoding/binary"
	"hash/crc32"
	"math"
	"reflect"
	"testing"

	"github.com/isa-alliance/isa"
	"github.com/isa-alliance/isa/internal/textanalysis"
)

// The package's own small vocabulary and listings (searchtest imports
// this package, so its fixture is out of reach here).
var testConcepts = []textanalysis.Concept{
	{ID: "heat_pump", Terms: map[isa.Lang][]string{isa.DE: {"Wärmepumpe"}, isa.ZH: {"热泵"}, isa.EN: {"heat pump"}}, NACE: []string{"C28.25"}},
	{ID: "gearbox", Terms: map[isa.Lang][]string{isa.DE: {"Getriebe", "Schneckengetriebe"}, isa.ZH: {"减速机"}, isa.EN: {"gearbox"}}, NACE: []string{"C28.15"}, Broader: []string{"machinery"}},
	{ID: "machinery", Terms: map[isa.Lang][]string{isa.DE: {"Maschinenbau"}, isa.ZH: {"机械"}, isa.EN: {"machinery"}}},
}

func testListings() []*isa.Listing {
	return []*isa.Listing{
		{Ref: "de", Lang: isa.DE, Title: "Wärmepumpe für Altbauten gesucht", Description: "Wir suchen Hersteller von Wärmepumpen und Schneckengetrieben für den Maschinenbau.",
			Keywords: []string{"Wärmepumpentechnik", "heat pump"}, Industries: []string{"C28.25"}},
		{Ref: "zh", Lang: isa.ZH, Title: "空气源热泵 OEM 供应", Description: "我司专业生产空气源热泵和蜗轮蜗杆减速机，诚寻德国经销商。",
			Industries: []string{"C28.25", "C28.15"}, Translations: map[isa.Lang]isa.Translation{isa.EN: {Title: "Air source heat pumps", Description: "OEM supply"}, isa.DE: {Title: "Luftwärmepumpen", Description: "OEM-Lieferung"}}},
		{Ref: "en", Lang: isa.EN, Title: "Gearboxes for export", Description: "We manufacture worm gearboxes; not heat pumps.", Keywords: []string{"Getriebebau"}},
		{Ref: "empty", Lang: isa.DE, Title: "", Description: ""},
	}
}

func testAnalyzer(t testing.TB) *textanalysis.Analyzer {
	t.Helper()
	// A fresh analyser: tests that learn words must not change the
	// lexicon of others.
	an, err := textanalysis.New(testConcepts)
	if err != nil {
		t.Fatal(err)
	}
	return an
}

// encoded returns the stored form of every fixture listing's analysis.
func encodedFixture(t testing.TB, an *textanalysis.Analyzer) [][]byte {
	t.Helper()
	var out [][]byte
	for _, l := range testListings() {
		terms, length, err := Analyse(an, l)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, encodeAnalysis(indexTerms(an, terms), length, splitDigest(an, l), an.ConceptIndex))
	}
	return out
}

func conceptTerms(an *textanalysis.Analyzer) []string {
	var out []string
	for _, c := range an.Concepts() {
		out = append(out, textanalysis.ConceptPrefix+c.ID)
	}
	return out
}

// TestAnalysisEncodingRoundTrips proves that decoding gives back exactly
// the index terms, length and digest that were encoded, including lengths
// that are not multiples of a half and frequencies at the limit.
func TestAnalysisEncodingRoundTrips(t *testing.T) {
	an := testAnalyzer(t)
	cases := []struct {
		name   string
		terms  []indexTerm
		length float32
		digest uint64
	}{
		{"empty", nil, 0, 0},
		{"half length", []indexTerm{{term: "pump", tf: 8}}, 4.5, 1},
		{"odd length", []indexTerm{{term: "pump", tf: 8}}, 0.3, math.MaxUint64},
		{"large", []indexTerm{{term: "!C", tf: 8}, {term: "!C28", tf: 8}, {term: "getrieb", tf: 1}, {term: "减速机", tf: 40}, {term: "@heat_pump", tf: 3}, {term: "@gearbox", tf: math.MaxUint16, direct: true}}, 1e9, 42},
	}
	for _, l := range testListings() {
		terms, length, err := Analyse(an, l)
		if err != nil {
			t.Fatal(err)
		}
		cases = append(cases, struct {
			name   string
			terms  []indexTerm
			length float32
			digest uint64
		}{l.Ref, indexTerms(an, terms), length, splitDigest(an, l)})
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b := encodeAnalysis(c.terms, c.length, c.digest, an.ConceptIndex)
			if b == nil {
				t.Fatal("not encoded")
			}
			terms, length, digest, err := decodeAnalysis(b, conceptTerms(an))
			if err != nil {
				t.Fatal(err)
			}
			if len(terms) == 0 && len(c.terms) == 0 {
				terms = c.terms
			}
			if !reflect.DeepEqual(terms, c.terms) || math.Float32bits(length) != math.Float32bits(c.length) || digest != c.digest {
				t.Errorf("decoded %v %v %x\nwant    %v %v %x", terms, length, digest, c.terms, c.length, c.digest)
			}
		})
	}
}

// TestEncodingRefusesWhatItCannotStore: a concept term the vocabulary
// does not know cannot be stored by index, and terms out of the order of
// indexTerms would not decode as they were: such analyses are not stored.
func TestEncodingRefusesWhatItCannotStore(t *testing.T) {
	an := testAnalyzer(t)
	for name, terms := range map[string][]indexTerm{
		"unknown concept":    {{term: "@no_such_concept", tf: 8}},
		"plain out of order": {{term: "pump", tf: 8}, {term: "heat", tf: 8}},
		"plain twice":        {{term: "pump", tf: 8}, {term: "pump", tf: 8}},
		"concepts reversed":  {{term: "@gearbox", tf: 8}, {term: "@heat_pump", tf: 8}},
		"empty term":         {{term: "", tf: 8}},
	} {
		if b := encodeAnalysis(terms, 1, 0, an.ConceptIndex); b != nil {
			t.Errorf("%s: encoded %x", name, b)
		}
	}
}

// TestDecodeRejectsCorruptData flips every bit, cuts every length and
// appends a byte: each must be refused, never decoded into other terms.
func TestDecodeRejectsCorruptData(t *testing.T) {
	an := testAnalyzer(t)
	concepts := conceptTerms(an)
	for i, b := range encodedFixture(t, an) {
		if _, _, _, err := decodeAnalysis(b, concepts); err != nil {
			t.Fatalf("fixture %d: valid data refused: %v", i, err)
		}
		for bit := 0; bit < len(b)*8; bit++ {
			c := append([]byte(nil), b...)
			c[bit/8] ^= 1 << (bit % 8)
			if _, _, _, err := decodeAnalysis(c, concepts); err == nil {
				t.Fatalf("fixture %d: bit %d flipped and still decoded", i, bit)
			}
		}
		for n := 0; n < len(b); n++ {
			if _, _, _, err := decodeAnalysis(b[:n], concepts); err == nil {
				t.Fatalf("fixture %d: cut to %d of %d bytes and still decoded", i, n, len(b))
			}
		}
		if _, _, _, err := decodeAnalysis(append(append([]byte(nil), b...), 0), concepts); err == nil {
			t.Fatalf("fixture %d: a byte appended and still decoded", i)
		}
		// A vocabulary with fewer concepts than the data names.
		if _, _, _, err := decodeAnalysis(b, nil); err == nil && hasConcept(t, b, concepts) {
			t.Fatalf("fixture %d: decoded with concepts the vocabulary lacks", i)
		}
	}
}

func hasConcept(t *testing.T, b []byte, concepts []string) bool {
	terms, _, _, err := decodeAnalysis(b, concepts)
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range terms {
		if x.term[0] == '@' {
			return true
		}
	}
	return false
}

// withCRC seals a body the way encodeAnalysis does, so that the fuzzer
// reaches the structural checks behind the checksum.
func withCRC(body []byte) []byte {
	b := append([]byte(nil), body...)
	return binary.LittleEndian.AppendUint32(b, crc32.Checksum(b, crcTable))
}

// FuzzDecodeAnalysis feeds the decoder arbitrary bodies with a valid
// checksum: it must never panic, and whatever it accepts must be what the
// index can insert (distinct, non-empty terms with frequencies) and
// encode back to the same terms.
func FuzzDecodeAnalysis(f *testing.F) {
	an := testAnalyzer(f)
	concepts := conceptTerms(an)
	for _, b := range encodedFixture(f, an) {
		f.Add(b[:len(b)-4])
	}
	f.Add([]byte{analysisFormat, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, b := range [][]byte{body, withCRC(body)} {
			terms, length, digest, err := decodeAnalysis(b, concepts)
			if err != nil {
				continue
			}
			seen := map[string]bool{}
			for _, x := range terms {
				if x.term == "" || x.tf == 0 || seen[x.term] {
					t.Fatalf("accepted bad terms %v", terms)
				}
				seen[x.term] = true
			}
			if length < 0 || math.IsNaN(float64(length)) || math.IsInf(float64(length), 0) {
				t.Fatalf("accepted length %v", length)
			}
			again := encodeAnalysis(terms, length, digest, an.ConceptIndex)
			terms2, length2, digest2, err := decodeAnalysis(again, concepts)
			if err != nil || !reflect.DeepEqual(terms, terms2) || math.Float32bits(length) != math.Float32bits(length2) || digest != digest2 {
				t.Fatalf("re-encoding changed the analysis: %v", err)
			}
		}
	})
}

// TestSplitDigestFollowsTheLexicon proves that the digest, and so the
// freshness of a stored analysis, changes when a word the corpus adds to
// the lexicon splits a German compound of the listing differently, and
// that it ignores texts Analyse does not split (English).
func TestSplitDigestFollowsTheLexicon(t *testing.T) {
	an := testAnalyzer(t)
	de := &isa.Listing{Lang: isa.DE, Title: "Kühlaggregatbau", Description: "Wir bauen Kühlaggregate."}
	en := &isa.Listing{Lang: isa.EN, Title: "Kühlaggregatbau", Description: "We build Kühlaggregate."}
	d0, e0 := splitDigest(an, de), splitDigest(an, en)
	if again := splitDigest(an, de); again != d0 {
		t.Fatalf("digest not stable: %x, %x", d0, again)
	}
	an.Learn("Kühl Aggregat Bau")
	if d1 := splitDigest(an, de); d1 == d0 {
		t.Errorf("the lexicon learnt the parts of Kühlaggregatbau and the digest stayed %x", d0)
	}
	if e1 := splitDigest(an, en); e1 != e0 {
		t.Errorf("English text: digest changed from %x to %x, but Analyse splits no English words", e0, e1)
	}
}

// TestInputHashCoversWhatAnalyseReads: each field Analyse reads changes
// the hash; fields it does not read (state, dates) do not.
func TestInputHashCoversWhatAnalyseReads(t *testing.T) {
	base := func() *isa.Listing {
		return &isa.Listing{Lang: isa.DE, Title: "T", Description: "D", Keywords: []string{"k"}, Industries: []string{"C28"},
			Translations: map[isa.Lang]isa.Translation{isa.EN: {Title: "ET", Description: "ED"}}, State: isa.Published, Published: "2026-01-01"}
	}
	h0 := inputHash(base())
	changes := map[string]func(l *isa.Listing){
		"lang":          func(l *isa.Listing) { l.Lang = isa.EN },
		"title":         func(l *isa.Listing) { l.Title = "U" },
		"description":   func(l *isa.Listing) { l.Description = "E" },
		"keyword":       func(l *isa.Listing) { l.Keywords = []string{"k", "l"} },
		"keyword moved": func(l *isa.Listing) { l.Keywords = nil; l.Industries = []string{"k", "C28"} },
		"industry":      func(l *isa.Listing) { l.Industries = []string{"C29"} },
		"translation":   func(l *isa.Listing) { l.Translations[isa.EN] = isa.Translation{Title: "ET", Description: "EE"} },
		"translation lang": func(l *isa.Listing) {
			l.Translations = map[isa.Lang]isa.Translation{isa.ZH: {Title: "ET", Description: "ED"}}
		},
	}
	for name, change := range changes {
		l := base()
		change(l)
		if inputHash(l) == h0 {
			t.Errorf("%s changed and the input hash did not", name)
		}
	}
	l := base()
	l.State, l.Published, l.Expires = isa.Withdrawn, "2027-01-01", "2028-01-01"
	if inputHash(l) != h0 {
		t.Error("state and dates changed the input hash; the analysis does not read them")
	}
}
