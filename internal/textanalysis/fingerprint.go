package textanalysis

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"math"
	"runtime/debug"
	"sort"
	"unicode/utf8"

	"github.com/isa-alliance/isa"
)

// Version names the behaviour of Analyze on listing texts. The search index
// stores analyses in the database and trusts one only while the analyser's
// Fingerprint is the same: bump Version with every change that can change
// the tokens, weights or concepts Analyze returns for some text (stemming,
// folding, stop words, segmentation, tagging, negation), so that stored
// analyses are computed again instead of silently disagreeing with queries.
const Version = 9

// fingerprintProbes are texts analysed for the fingerprint: a canary for a
// change of the Latin code paths that nobody versioned. Their words stay
// below the length at which compounds are split, so the result does not
// depend on the corpus the lexicon has learnt; Chinese is left out because
// it would load the segmenter's dictionary in processes that need none.
var fingerprintProbes = []struct {
	text string
	lang isa.Lang
}{
	{"Wir bieten keine Teile aus Stahl, nicht für Autos; Öfen und Räder", isa.DE},
	{"We supply heat pumps and CNC parts, not plastic; no used machines", isa.EN},
	{"Suche OEM für Pumpen, Laser und Räder", ""},
}

// Fingerprint identifies what the analyser makes of listing texts, apart
// from the compound lexicon learnt from the corpus (see Splits): Version,
// the vocabulary (every concept with its terms, NACE codes, broader
// concepts and cooperation types), the token weights, the version of gse
// the segmenter's dictionary comes from, the version of the stemmer module
// in the binary, and the analysis of a few fixed texts. Equal fingerprints
// mean equal analyses of equal texts under an equal lexicon.
func (a *Analyzer) Fingerprint() string {
	h := sha256.New()
	var num [8]byte
	putInt := func(v uint64) {
		binary.LittleEndian.PutUint64(num[:], v)
		h.Write(num[:])
	}
	putStr := func(s string) {
		putInt(uint64(len(s)))
		h.Write([]byte(s))
	}
	putInt(Version)
	for _, w := range []float32{WordWeight, PartWeight, BigramWeight, BroaderWeight} {
		putInt(uint64(math.Float32bits(w)))
	}
	putInt(uint64(len(a.concepts)))
	for _, c := range a.concepts {
		putStr(c.ID)
		for _, lang := range isa.Langs {
			putInt(uint64(len(c.Terms[lang])))
			for _, t := range c.Terms[lang] {
				putStr(t)
			}
		}
		// Languages outside isa.Langs are ignored by New, so they are
		// left out here too; the lists keep their order because the
		// order of terms decides which concept a key names first.
		for _, list := range [][]string{c.NACE, c.Broader, c.Cooperation} {
			putInt(uint64(len(list)))
			for _, s := range list {
				putStr(s)
			}
		}
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		// The segmenter's dictionary is embedded (zhdict.bin), so the gse
		// version it was generated from stands for gse, whose code is no
		// longer linked: a fingerprint as before the embedding.
		mods := []string{zhDictSource}
		for _, d := range bi.Deps {
			switch d.Path {
			case "github.com/blevesearch/snowballstem":
				v := d.Version
				if d.Replace != nil {
					v = d.Replace.Path + "@" + d.Replace.Version
				}
				mods = append(mods, d.Path+"@"+v)
			}
		}
		sort.Strings(mods)
		for _, m := range mods {
			putStr(m)
		}
	}
	for _, p := range fingerprintProbes {
		an, err := a.Analyze(p.text, p.lang)
		if err != nil {
			putStr("error: " + err.Error())
			continue
		}
		putStr(string(an.Lang))
		for _, t := range an.Tokens {
			putStr(t.Term)
			putInt(uint64(t.Start)<<32 | uint64(t.End))
			putInt(uint64(t.Pos)<<32 | uint64(math.Float32bits(t.Weight)))
		}
		for _, c := range an.Concepts {
			putStr(a.concepts[c.Concept].ID)
			putInt(uint64(math.Float32bits(c.Weight)))
		}
	}
	return hex.EncodeToString(h.Sum(nil)[:12])
}

// Splits calls fn for every Latin word of text that is long enough to be
// split as a compound, with its folded form and the parts the compound
// lexicon gives it now (nil: not split). It is the part of an analysis
// that depends on the corpus: a stored analysis stays valid while the
// splits of its words are the same. Words of any language are reported
// (the caller decides which texts Analyze would split); fn must not keep
// or change parts.
func (a *Analyzer) Splits(text string, fn func(word string, parts []string)) {
	// The words of latinWords, found without building their list: the
	// search index runs this over every German text at every start.
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		if !isWordRune(r) {
			i += size
			continue
		}
		j := runEnd(text, i, isWordRune)
		w := text[i:j]
		i = j
		// Folding never lengthens ASCII, so a short ASCII word is never
		// split; folding keeps digits.
		if len(w) < 7 && isASCII(w) || hasDigit(w) {
			continue
		}
		f := Fold(w)
		if len(f) < 7 {
			continue
		}
		fn(f, a.split(f))
	}
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
