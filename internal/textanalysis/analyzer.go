package textanalysis

import (
	"fmt"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/isa-alliance/isa"
)

// Term prefixes keep the kinds of index terms apart in one term space:
// plain terms are Latin stems and Chinese words.
const (
	BigramPrefix  = "#" // Chinese character bigram, the recall fallback
	ConceptPrefix = "@" // vocabulary concept id
	NACEPrefix    = "!" // NACE code
)

// Token weights: a whole word counts fully; the parts of a German compound
// and Chinese bigrams are weaker evidence of the same subject.
const (
	WordWeight   float32 = 1
	PartWeight   float32 = 0.5
	BigramWeight float32 = 0.3
	// BroaderWeight is the weight of a concept implied by a narrower one.
	BroaderWeight float32 = 0.4
)

// Concept is a vocabulary entry as the analyser needs it: an id, terms per
// language, NACE codes and broader concepts. The vocabulary package is
// adapted to it by the caller, so the analyser does not depend on how the
// vocabulary is stored.
type Concept struct {
	ID      string
	Terms   map[isa.Lang][]string
	NACE    []string
	Broader []string
	// Cooperation names the cooperation types the concept stands for;
	// set for business roles (distributor, supplier, joint venture), which
	// say how to cooperate rather than what about.
	Cooperation []string
}

// Token is one index term found in a text, with the byte span of the text
// it came from (for highlighting) and its position in the word sequence.
type Token struct {
	Term       string
	Start, End int
	Pos        int
	Weight     float32
}

// ConceptMatch is a vocabulary concept found in a text.
type ConceptMatch struct {
	Concept    int32 // index into Analyzer.Concepts
	Start, End int   // byte span of the text that named it; -1 for implied (broader) concepts
	Weight     float32
}

// Analysis is the result of analysing one text.
type Analysis struct {
	Lang     isa.Lang
	Tokens   []Token
	Concepts []ConceptMatch
}

// Analyzer is safe for concurrent use. Build one per process with New and
// share it: it holds the Chinese segmenter (loaded on first use) and the
// compound lexicon.
type Analyzer struct {
	concepts  []Concept
	byID      map[string]int32
	broader   [][]int32
	latinKeys map[string][]int32 // stem sequence joined by spaces
	hanKeys   map[string][]int32 // Chinese term as written
	maxHan    int                // longest Chinese term in runes
	maxPhrase int                // longest Latin term in words
	// phraseStart maps the first stem of every multi-word term to the
	// length of the longest such term, so that tagging tries phrases only
	// where one can start.
	phraseStart map[string]int
	fuzzyKeys   []string // single-word Latin keys for typo tolerance
	hanByLen    map[int][]string

	segOnce sync.Once
	seg     *zhSegmenter
	segErr  error

	lexMu   sync.RWMutex
	lexicon map[string]struct{}
	splits  map[string][]string
}

// New builds an analyser over the given vocabulary concepts. The concept
// terms also seed the compound lexicon and the Chinese dictionary.
func New(concepts []Concept) (*Analyzer, error) {
	a := &Analyzer{
		concepts:    concepts,
		byID:        make(map[string]int32, len(concepts)),
		latinKeys:   map[string][]int32{},
		hanKeys:     map[string][]int32{},
		hanByLen:    map[int][]string{},
		phraseStart: map[string]int{},
		lexicon:     map[string]struct{}{},
		splits:      map[string][]string{},
	}
	for i, c := range concepts {
		if c.ID == "" {
			return nil, fmt.Errorf("textanalysis: concept %d has no id", i)
		}
		if _, dup := a.byID[c.ID]; dup {
			return nil, fmt.Errorf("textanalysis: concept %q appears twice", c.ID)
		}
		a.byID[c.ID] = int32(i)
	}
	a.broader = make([][]int32, len(concepts))
	fuzzy := map[string]bool{}
	for i, c := range concepts {
		for _, b := range c.Broader {
			if j, ok := a.byID[b]; ok && j != int32(i) {
				a.broader[i] = append(a.broader[i], j)
			}
		}
		for _, lang := range isa.Langs {
			for _, term := range c.Terms[lang] {
				a.addTerm(int32(i), term, fuzzy)
			}
		}
	}
	// In sorted order: addHeads adds words as it goes, so the heads found
	// depend on the order, and every process must split compounds alike
	// (the search index reuses analyses stored by another process).
	var long []string
	for w := range a.lexicon {
		if len(w) >= 8 {
			long = append(long, w)
		}
	}
	sort.Strings(long)
	for _, w := range long {
		a.addHeads(w)
	}
	for k := range fuzzy {
		a.fuzzyKeys = append(a.fuzzyKeys, k)
	}
	sort.Strings(a.fuzzyKeys)
	for k := range a.hanKeys {
		n := utf8.RuneCountInString(k)
		a.hanByLen[n] = append(a.hanByLen[n], k)
	}
	for _, ks := range a.hanByLen {
		sort.Strings(ks)
	}
	return a, nil
}

func appendUnique(s []int32, v int32) []int32 {
	for _, x := range s {
		if x == v {
			return s
		}
	}
	return append(s, v)
}

// addTerm registers one vocabulary term of concept ci under every key a
// text can reach it by.
func (a *Analyzer) addTerm(ci int32, term string, fuzzy map[string]bool) {
	term = strings.TrimSpace(term)
	if term == "" {
		return
	}
	// Chinese parts of a term are keyed as written; a mixed term such as
	// "IO-Link 传感器" is keyed by its Chinese part only when that part is
	// specific enough (three characters or more).
	var han []rune
	for _, r := range term {
		if isHan(r) {
			han = append(han, r)
		}
	}
	if len(han) > 0 {
		words := latinWords(term)
		if len(words) == 0 || len(han) >= 3 {
			k := string(han)
			if len(han) >= 2 {
				a.hanKeys[k] = appendUnique(a.hanKeys[k], ci)
				a.maxHan = max(a.maxHan, len(han))
			}
		}
		if len(words) == 0 {
			return
		}
	}
	words := latinWords(term)
	var folded []string
	for _, w := range words {
		f := Fold(w)
		folded = append(folded, f)
		a.lexicon[f] = struct{}{}
	}
	if len(folded) == 0 {
		return
	}
	for _, lang := range []string{"de", "en"} {
		stems := make([]string, len(folded))
		for i, f := range folded {
			stems[i] = Stem(f, lang)
		}
		k := strings.Join(stems, " ")
		a.latinKeys[k] = appendUnique(a.latinKeys[k], ci)
		if len(stems) > 1 {
			// "heat pump" is also typed "heatpump".
			j := Stem(strings.Join(folded, ""), lang)
			a.latinKeys[j] = appendUnique(a.latinKeys[j], ci)
		} else if utf8.RuneCountInString(stems[0]) >= 5 && !hasDigit(stems[0]) {
			fuzzy[stems[0]] = true
		}
		a.maxPhrase = max(a.maxPhrase, len(stems))
		if len(stems) > 1 {
			a.phraseStart[stems[0]] = max(a.phraseStart[stems[0]], len(stems))
		}
	}
}

// latinWords splits s into its Latin-script words and numbers.
func latinWords(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return !isWordRune(r) })
}

// Concepts returns the concepts the analyser knows, indexed as in ConceptMatch.
func (a *Analyzer) Concepts() []Concept { return a.concepts }

// ConceptIndex returns the index of the concept with the id.
func (a *Analyzer) ConceptIndex(id string) (int32, bool) {
	i, ok := a.byID[id]
	return i, ok
}

// segmenter loads the Chinese dictionary on first use, so that processes
// that never see Chinese text do not pay for it.
func (a *Analyzer) segmenter() (*zhSegmenter, error) {
	a.segOnce.Do(func() {
		keys := make([]string, 0, len(a.hanKeys))
		for k := range a.hanKeys {
			keys = append(keys, k)
		}
		// Industrial terms must stay whole: a high frequency makes the
		// segmenter prefer them over splits into general words.
		a.seg, a.segErr = newZhSegmenter(keys, hanTermFreq)
	})
	return a.seg, a.segErr
}

// hanTermFreq is the dictionary frequency of the vocabulary's Chinese terms.
const hanTermFreq = 20000

// Learn adds the Latin words of a text to the compound lexicon, so that
// compounds made of words seen in the corpus can be split. The search index
// calls it for every listing before analysing them.
func (a *Analyzer) Learn(text string) {
	var add []string
	a.lexMu.RLock()
	for _, w := range latinWords(text) {
		if utf8.RuneCountInString(w) < 3 || hasDigit(w) {
			continue
		}
		f := Fold(w)
		if _, ok := a.lexicon[f]; !ok && !stopwords[f] {
			add = append(add, f)
		}
	}
	a.lexMu.RUnlock()
	if len(add) == 0 {
		return
	}
	a.lexMu.Lock()
	for _, f := range add {
		a.lexicon[f] = struct{}{}
	}
	for _, f := range add {
		if len(f) >= 8 {
			a.addHeads(f)
		}
	}
	// Splits cached before may now be found differently.
	if len(a.splits) > 0 {
		a.splits = map[string][]string{}
	}
	a.lexMu.Unlock()
}

// Analyze analyses a text in lang (detected when empty).
func (a *Analyzer) Analyze(text string, lang isa.Lang) (Analysis, error) {
	if !lang.Valid() {
		lang = Detect(text)
	}
	an := Analysis{Lang: lang}
	if err := a.run(text, lang, false, &an); err != nil {
		return Analysis{}, err
	}
	return an, nil
}

// latinStemLang is the stemmer used for Latin words in a text of lang:
// Latin words in Chinese text are mostly English.
func latinStemLang(lang isa.Lang) string {
	if lang == isa.DE {
		return "de"
	}
	return "en"
}

var hanStop = map[string]bool{
	"的": true, "了": true, "和": true, "与": true, "及": true, "等": true, "是": true,
	"在": true, "我": true, "您": true, "为": true, "对": true, "有": true, "将": true,
	"其": true, "并": true, "或": true, "也": true, "可": true, "个": true, "以": true,
	"于": true, "我们": true, "我司": true, "之": true, "及其": true, "从": true, "由": true,
}

// runEnd returns the end of the run of runes with the property in that
// starts at byte i of text.
func runEnd(text string, i int, in func(rune) bool) int {
	for i < len(text) {
		r, size := utf8.DecodeRuneInString(text[i:])
		if !in(r) {
			break
		}
		i += size
	}
	return i
}

// run tokenises text and tags concepts. In query mode every Latin word
// gets both stems (the language of a few typed words is a guess) and
// compounds are split whatever the language.
func (a *Analyzer) run(text string, lang isa.Lang, query bool, an *Analysis) error {
	stemLang := latinStemLang(lang)
	pos := 0
	var latin []latinWord
	// The words of a listing in order, for the negation scan; a typed
	// query is taken as typed.
	var units *[]unit
	if !query {
		// About one word in six bytes of German, English or Chinese.
		us := make([]unit, 0, len(text)/6+4)
		units = &us
	}
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		switch {
		case isHan(r):
			j := runEnd(text, i, isHan)
			var err error
			pos, err = a.chinese(text, i, j, pos, an, units)
			if err != nil {
				return err
			}
			before := len(an.Concepts)
			a.tagHan(text, i, j, an)
			if query {
				// Stretches of the run that name no concept may hold a
				// term typed with one wrong character.
				from := i
				for _, c := range an.Concepts[before:] {
					if c.Start-from >= 9 { // three characters or more
						a.fuzzyHan(text, from, c.Start, an)
					}
					from = max(from, c.End)
				}
				if j-from >= 9 {
					a.fuzzyHan(text, from, j, an)
				}
			}
			i = j
		case isWordRune(r):
			j := runEnd(text, i, isWordRune)
			w := text[i:j]
			f := Fold(w)
			if units != nil {
				*units = append(*units, latinUnit(text, i, j, f))
			}
			// Single letters (the b of a stray <b>, the e of E-Bike) say nothing.
			if n := utf8.RuneCountInString(f); n <= 40 && (n > 1 || hasDigit(f)) && !stopwords[f] {
				lw := latinWord{start: i, end: j, pos: pos, folded: f}
				if query {
					lw.stems = uniq(Stem(f, "de"), Stem(f, "en"))
					// A lowercase acronym (oem) loses its "oe" to folding;
					// the unfolded spelling meets the indexed OEM.
					if plain := foldDiacritics(w); plain != f {
						for _, s := range []string{Stem(plain, "de"), Stem(plain, "en")} {
							if !contains(lw.stems, s) {
								lw.stems = append(lw.stems, s)
							}
						}
					}
				} else {
					lw.stems = []string{Stem(f, stemLang)}
				}
				for _, s := range lw.stems {
					an.Tokens = append(an.Tokens, Token{Term: s, Start: i, End: j, Pos: pos, Weight: WordWeight})
				}
				if query || lang == isa.DE {
					lw.parts = a.split(f)
					for _, p := range lw.parts {
						ps := Stem(p, "de")
						if !contains(lw.stems, ps) {
							an.Tokens = append(an.Tokens, Token{Term: ps, Start: i, End: j, Pos: pos, Weight: PartWeight})
						}
					}
				}
				latin = append(latin, lw)
			}
			pos++
			i = j
		default:
			i += size
		}
	}
	a.tagLatin(latin, query, an)
	if units != nil {
		// Before broader concepts are added, so that a negated concept
		// implies none either.
		dropNegated(an, negatedSpans(text, *units))
	}
	a.addBroader(an)
	return nil
}

type latinWord struct {
	start, end, pos int
	folded          string
	stems           []string
	parts           []string
}

func uniq(a, b string) []string {
	if a == b {
		return []string{a}
	}
	return []string{a, b}
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// chinese segments the Han run text[i:j] into words and adds its
// character bigrams; the words also go to units when it is not nil.
func (a *Analyzer) chinese(text string, i, j, pos int, an *Analysis, units *[]unit) (int, error) {
	run := text[i:j]
	seg, err := a.segmenter()
	if err != nil {
		return pos, err
	}
	off := i
	for _, w := range seg.cut(run) {
		start := off
		off += len(w)
		if units != nil && w != "" {
			*units = append(*units, unit{start: start, end: off, word: w, han: true})
		}
		if w == "" || hanStop[w] {
			pos++
			continue
		}
		an.Tokens = append(an.Tokens, Token{Term: w, Start: start, End: off, Pos: pos, Weight: WordWeight})
		pos++
	}
	// Bigrams catch words the dictionary splits differently in a query and
	// in a listing, and typing errors in one character of a longer word.
	var prev, prevStart int = -1, 0
	for k := i; k < j; {
		_, s := utf8.DecodeRuneInString(text[k:])
		if prev >= 0 {
			an.Tokens = append(an.Tokens, Token{Term: BigramPrefix + text[prevStart:k+s], Start: prevStart, End: k + s, Pos: pos, Weight: BigramWeight})
		}
		prev, prevStart = 1, k
		k += s
	}
	return pos, nil
}

// runeOffsets returns the runes of text[i:j] and the byte offset in text
// of each, with j as the offset after the last.
func runeOffsets(text string, i, j int) (runes []rune, offs []int) {
	runes = []rune(text[i:j])
	offs = make([]int, len(runes)+1)
	o := i
	for k, r := range runes {
		offs[k] = o
		o += utf8.RuneLen(r)
	}
	offs[len(runes)] = o
	return runes, offs
}

// tagHan finds vocabulary terms in the Han run text[i:j], longest first,
// so that 种植体 (implant) is not also read as 种植 (planting).
func (a *Analyzer) tagHan(text string, i, j int, an *Analysis) {
	runes, offs := runeOffsets(text, i, j)
	for k := 0; k < len(runes); {
		found := 0
		for n := min(a.maxHan, len(runes)-k); n >= 2; n-- {
			if ids, ok := a.hanKeys[string(runes[k:k+n])]; ok {
				for _, id := range ids {
					an.Concepts = append(an.Concepts, ConceptMatch{Concept: id, Start: offs[k], End: offs[k+n], Weight: 1})
				}
				found = n
				break
			}
		}
		if found > 0 {
			k += found
		} else {
			k++
		}
	}
}

// tagLatin finds vocabulary terms among Latin words: phrases first (longest
// first), then single words, then the parts of compounds and runs of
// consecutive parts (Spritzgießwerkzeughersteller names Spritzgießwerkzeug).
func (a *Analyzer) tagLatin(words []latinWord, query bool, an *Analysis) {
	add := func(ids []int32, start, end int) {
		for _, id := range ids {
			an.Concepts = append(an.Concepts, ConceptMatch{Concept: id, Start: start, End: end, Weight: 1})
		}
	}
	for k := 0; k < len(words); {
		matched := 0
		longest := 0
		for _, s := range words[k].stems {
			longest = max(longest, a.phraseStart[s])
		}
		for n := min(longest, len(words)-k); n >= 2 && matched == 0; n-- {
			// Only words next to each other form a phrase.
			if words[k+n-1].pos-words[k].pos != n-1 {
				continue
			}
			for _, variant := range phraseVariants(words[k : k+n]) {
				if ids, ok := a.latinKeys[variant]; ok {
					add(ids, words[k].start, words[k+n-1].end)
					matched = n
					break
				}
			}
		}
		if matched > 0 {
			k += matched
			continue
		}
		w := words[k]
		hit := false
		for _, s := range w.stems {
			if ids, ok := a.latinKeys[s]; ok {
				add(ids, w.start, w.end)
				hit = true
				break
			}
		}
		if !hit && len(w.parts) > 1 {
			for x := 0; x < len(w.parts); x++ {
				for y := len(w.parts); y > x; y-- {
					if x == 0 && y == len(w.parts) {
						continue
					}
					joined := strings.Join(w.parts[x:y], "")
					if ids, ok := a.latinKeys[Stem(joined, "de")]; ok {
						add(ids, w.start, w.end)
						hit = true
					} else if ids, ok := a.latinKeys[Stem(joined, "en")]; ok {
						add(ids, w.start, w.end)
						hit = true
					}
				}
			}
		}
		// A word the corpus or the vocabulary knows is no typing error,
		// however close it is to a term.
		if !hit && query && !a.known(w.folded) {
			a.fuzzyLatin(w, an)
		}
		k++
	}
}

// phraseVariants are the keys a run of words may match: the stems joined
// by spaces, for each stemming of the words.
func phraseVariants(ws []latinWord) []string {
	out := []string{""}
	for i, w := range ws {
		var next []string
		for _, prefix := range out {
			for _, s := range w.stems {
				if i > 0 {
					next = append(next, prefix+" "+s)
				} else {
					next = append(next, s)
				}
			}
		}
		if len(next) > 8 {
			next = next[:8]
		}
		out = next
	}
	return out
}

// fuzzyLatin tags a query word that names no concept as written with the
// concept whose single-word term is within a small edit distance, so that
// a typing error in a short query still reaches the other languages.
func (a *Analyzer) fuzzyLatin(w latinWord, an *Analysis) {
	for _, s := range w.stems {
		n := utf8.RuneCountInString(s)
		if n < 5 || hasDigit(s) {
			continue
		}
		maxDist := 1
		if n >= 9 {
			maxDist = 2
		}
		best, bestKey := maxDist+1, ""
		for _, k := range a.fuzzyKeys {
			kn := utf8.RuneCountInString(k)
			if kn < n-maxDist || kn > n+maxDist {
				continue
			}
			if d := EditDistance(s, k, maxDist); d < best {
				best, bestKey = d, k
			}
		}
		if bestKey != "" {
			for _, id := range a.latinKeys[bestKey] {
				an.Concepts = append(an.Concepts, ConceptMatch{Concept: id, Start: w.start, End: w.end, Weight: 0.8})
			}
			return
		}
	}
}

// fuzzyHan tags a Chinese query run that names no concept with concepts
// whose Chinese term differs from a part of it in one character (焊烟静化器
// for 焊烟净化器).
func (a *Analyzer) fuzzyHan(text string, i, j int, an *Analysis) {
	runes := []rune(text[i:j])
	for n := min(a.maxHan, len(runes)); n >= 3; n-- {
		for k := 0; k+n <= len(runes); k++ {
			sub := runes[k : k+n]
			for _, key := range a.hanByLen[n] {
				if differsInOne(sub, []rune(key)) {
					start := i + len(string(runes[:k]))
					for _, id := range a.hanKeys[key] {
						an.Concepts = append(an.Concepts, ConceptMatch{Concept: id, Start: start, End: start + len(string(sub)), Weight: 0.8})
					}
					return
				}
			}
		}
	}
}

func differsInOne(a, b []rune) bool {
	if len(a) != len(b) {
		return false
	}
	d := 0
	for i := range a {
		if a[i] != b[i] {
			d++
			if d > 1 {
				return false
			}
		}
	}
	return d == 1
}

// addBroader adds, once, the broader concepts of the concepts found, as
// weaker signals.
func (a *Analyzer) addBroader(an *Analysis) {
	seen := map[int32]bool{}
	for _, c := range an.Concepts {
		seen[c.Concept] = true
	}
	n := len(an.Concepts)
	for i := 0; i < n; i++ {
		for _, b := range a.broader[an.Concepts[i].Concept] {
			if !seen[b] {
				seen[b] = true
				an.Concepts = append(an.Concepts, ConceptMatch{Concept: b, Start: -1, End: -1, Weight: BroaderWeight})
			}
		}
	}
}

// split returns the parts of a German compound (folded) made of lexicon
// words, joined by the linking elements -s-, -es-, -n-, -en-, -e-; nil when
// the word is not a compound the lexicon explains.
func (a *Analyzer) split(w string) []string {
	if len(w) < 7 || hasDigit(w) {
		return nil
	}
	a.lexMu.RLock()
	parts, ok := a.splits[w]
	if !ok {
		parts = a.splitRec(w, 0)
		for i, p := range parts {
			// A head found with its linking -s (Unternehmens-) is indexed
			// as the word itself.
			if strings.HasSuffix(p, "s") {
				if _, ok := a.lexicon[p[:len(p)-1]]; ok {
					parts[i] = p[:len(p)-1]
				}
			}
		}
	}
	a.lexMu.RUnlock()
	if !ok {
		a.lexMu.Lock()
		if len(a.splits) > 100000 {
			a.splits = map[string][]string{}
		}
		a.splits[w] = parts
		a.lexMu.Unlock()
	}
	return parts
}

// known reports whether a folded word is in the lexicon.
func (a *Analyzer) known(w string) bool {
	a.lexMu.RLock()
	defer a.lexMu.RUnlock()
	_, ok := a.lexicon[w]
	return ok
}

// isLexWord reports whether s is a known word or the stem of one
// (Schweiß- from schweißen); the caller holds lexMu.
func (a *Analyzer) isLexWord(s string) bool {
	if len(s) < 3 {
		return false
	}
	for _, suffix := range []string{"", "e", "en", "n"} {
		if _, ok := a.lexicon[s+suffix]; ok {
			return true
		}
	}
	// Inflected forms: Werkzeugen, Maschinen, Getriebes.
	for _, ending := range []string{"en", "n", "e", "s", "es", "er", "ern"} {
		if len(s) > len(ending)+3 && strings.HasSuffix(s, ending) {
			if _, ok := a.lexicon[s[:len(s)-len(ending)]]; ok {
				return true
			}
		}
	}
	return false
}

// addHeads adds to the lexicon the heads of known compounds whose tail is
// a known word: Spritzgießwerkzeug and Werkzeug give Spritzgieß, which is
// no word of its own but starts many compounds. The caller holds lexMu.
func (a *Analyzer) addHeads(w string) {
	for i := 4; i+4 <= len(w); i++ {
		if !utf8.RuneStart(w[i]) {
			continue
		}
		if _, ok := a.lexicon[w[i:]]; ok {
			a.lexicon[w[:i]] = struct{}{}
			return
		}
	}
}

var links = []string{"", "s", "es", "n", "en", "e"}

// splitRec prefers the longest head: compounds read left to right, and a
// long known head is the least likely to be an accident.
func (a *Analyzer) splitRec(w string, depth int) []string {
	if depth > 4 {
		return nil
	}
	for i := len(w) - 3; i >= 3; i-- {
		if !utf8.RuneStart(w[i]) {
			continue
		}
		head := w[:i]
		if !a.isLexWord(head) {
			continue
		}
		rest := w[i:]
		for _, l := range links {
			if !strings.HasPrefix(rest, l) {
				continue
			}
			r := rest[len(l):]
			if len(r) < 3 {
				continue
			}
			if a.isLexWord(r) {
				return []string{head, r}
			}
			if sub := a.splitRec(r, depth+1); sub != nil {
				return append([]string{head}, sub...)
			}
		}
	}
	return nil
}

// EditDistance returns the optimal-string-alignment distance of a and b
// (insertions, deletions, substitutions and swaps of neighbours), or max+1
// when it exceeds max.
func EditDistance(a, b string, max int) int {
	ra, rb := []rune(a), []rune(b)
	if d := len(ra) - len(rb); d > max || -d > max {
		return max + 1
	}
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				v = min(v, prev2[j-2]+1)
			}
			cur[j] = v
			rowMin = min(rowMin, v)
		}
		if rowMin > max {
			return max + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	if prev[len(rb)] > max {
		return max + 1
	}
	return prev[len(rb)]
}
