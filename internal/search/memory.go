package search

import (
	"container/heap"
	"context"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/isa-alliance/isa"
	"github.com/isa-alliance/isa/internal/textanalysis"
)

// Field weights: a word in the title or among the keywords says more
// about a listing's subject than one in the description.
const (
	titleWeight       = 3.0
	keywordWeight     = 1.5
	descriptionWeight = 1.0
	// conceptBoost weighs a vocabulary concept against a plain word: a
	// concept match is the only evidence across languages and stands for
	// a whole term, not one word of it.
	conceptBoost = 2.5
	// naceWeight weighs the NACE codes of the query's concepts: the
	// listing is in the right industry, which alone says little.
	naceWeight = 0.25
	bm25K1     = 1.2
	bm25B      = 0.75
	// tfScale stores term frequencies as fixed point in uint16.
	tfScale = 8
)

// Memory is the default engine: an inverted index in memory. Postings are
// int32 document ids with fixed-point term frequencies; the attributes
// that filters and facets read are flat arrays indexed by document id, so
// a query touches no map per document. Replaced listings leave a dead id
// behind; Compact drops them.
type Memory struct {
	an  *textanalysis.Analyzer
	now func() time.Time

	mu       sync.RWMutex
	termID   map[string]int32
	terms    []string
	postings []postingList
	byLen    map[int][]int32 // plain Latin terms by rune length, for typo tolerance
	byRef    map[string]int32
	docs     docTable
	live     int
	inserted int // since the last trim
	totalLen float64
	cities   interner
	orgs     interner

	scratch sync.Pool
	texts   TextSource // nil: texts for snippets are kept in memory
	stored  storedState
}

// TextSource gives the texts of listings for snippets. isa.Store
// satisfies it.
type TextSource interface {
	Listing(ctx context.Context, ref string) (*isa.Listing, error)
}

// ReadTextsFrom makes the index keep no listing texts and read the texts of
// a page of hits from src instead: at a million listings the texts are a
// fifth of the heap, and a page needs twenty of them. Call it before the
// first Put.
func (m *Memory) ReadTextsFrom(src TextSource) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.texts = src
}

type postingList struct {
	docs []int32
	tf   []uint16
}

// docTable holds per-document attributes in flat arrays.
type docTable struct {
	ref        []string
	title      []string
	text       []string // description, for snippets
	lang       []uint8
	kind       []uint8
	country    []uint8
	orgKind    []uint8
	city       []int32
	org        []int32
	coop       []uint16 // bit i: isa.CooperationTypes[i]
	sections   []uint32 // bit i: NACE section 'A'+i
	published  []int32  // days since 1970
	expires    []int32  // days since 1970; MaxInt32 when the listing never expires
	length     []float32
	alive      []bool
	industries [][]string
	trans      []map[isa.Lang]isa.Translation
	concepts   [][]int32 // term ids of the listing's direct concepts, for query feedback
}

type interner struct {
	ids    map[string]int32
	values []string
}

func (in *interner) id(s string) int32 {
	if in.ids == nil {
		in.ids = map[string]int32{}
	}
	if id, ok := in.ids[s]; ok {
		return id
	}
	id := int32(len(in.values))
	in.ids[s] = id
	in.values = append(in.values, s)
	return id
}

var (
	langCodes    = []isa.Lang{isa.DE, isa.ZH, isa.EN}
	kindCodes    = []isa.ListingKind{isa.Offer, isa.Request}
	countryCodes = []string{isa.Germany, isa.China}
	orgKindCodes = isa.OrgKinds
)

func codeOf[T comparable](codes []T, v T) uint8 {
	for i, c := range codes {
		if c == v {
			return uint8(i + 1)
		}
	}
	return 0
}

func coopBit(c string) uint16 {
	for i, t := range isa.CooperationTypes {
		if t == c {
			return 1 << i
		}
	}
	return 0
}

func dayNumber(d isa.Date) int32 {
	if d == "" {
		return 0
	}
	t := d.Time()
	if t.IsZero() {
		return 0
	}
	return int32(t.Unix() / 86400)
}

// NewMemory returns an empty in-memory index using the analyser. now gives
// the day for expiry checks of queries without a day (nil: time.Now).
func NewMemory(an *textanalysis.Analyzer, now func() time.Time) *Memory {
	if now == nil {
		now = time.Now
	}
	return &Memory{
		an:     an,
		now:    now,
		termID: map[string]int32{},
		byLen:  map[int][]int32{},
		byRef:  map[string]int32{},
	}
}

// Analyzer returns the analyser the index was built with.
func (m *Memory) Analyzer() *textanalysis.Analyzer { return m.an }

// Len is the number of live listings.
func (m *Memory) Len() int {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return m.live
}

// analysed is one document ready to insert.
type analysed struct {
	doc    Document
	terms  []indexTerm // in the order of indexTerms
	length float32
}

// indexTerm is a term of a document as the index keeps it: its frequency
// in fixed point, and whether it is a concept the text itself names (a
// weight of a whole occurrence; broader concepts are weaker), which query
// feedback uses. It is all the index needs of a weight, so it is also what
// a stored analysis keeps.
type indexTerm struct {
	term   string
	tf     uint16
	direct bool
}

// indexTerms turns the weighted terms of Analyse into index terms in one
// order, so that term ids are given out alike whether an analysis was
// computed or read from the database: plain terms by byte order, then
// concepts by their place in the vocabulary (the order of the stored form).
func indexTerms(an *textanalysis.Analyzer, terms map[string]float32) []indexTerm {
	out := make([]indexTerm, 0, len(terms))
	type concept struct {
		idx  int32
		term indexTerm
	}
	var concepts []concept
	for term, tf := range terms {
		q := tf*tfScale + 0.5
		if q > math.MaxUint16 {
			q = math.MaxUint16
		}
		it := indexTerm{term: term, tf: uint16(max(q, 1))}
		if id, ok := strings.CutPrefix(term, textanalysis.ConceptPrefix); ok {
			if idx, ok := an.ConceptIndex(id); ok {
				it.direct = tf >= 1
				concepts = append(concepts, concept{idx, it})
				continue
			}
		}
		out = append(out, it)
	}
	slices.SortFunc(out, func(a, b indexTerm) int { return strings.Compare(a.term, b.term) })
	slices.SortFunc(concepts, func(a, b concept) int { return int(a.idx - b.idx) })
	for _, c := range concepts {
		out = append(out, c.term)
	}
	return out
}

// sortedLangs returns the languages of a listing's translations in order.
func sortedLangs(tr map[isa.Lang]isa.Translation) []isa.Lang {
	langs := make([]isa.Lang, 0, len(tr))
	for lang := range tr {
		langs = append(langs, lang)
	}
	slices.Sort(langs)
	return langs
}

// analysedText is one text of a listing as Analyse reads it: the language
// it is analysed in (empty: detected) and the weight of its field.
type analysedText struct {
	text   string
	lang   isa.Lang
	weight float32
}

// eachText calls fn for the texts of a listing that Analyse analyses, in
// its order. The check of stored analyses walks the same texts.
func eachText(l *isa.Listing, fn func(analysedText) error) error {
	if err := fn(analysedText{l.Title, l.Lang, titleWeight}); err != nil {
		return err
	}
	if err := fn(analysedText{l.Description, l.Lang, descriptionWeight}); err != nil {
		return err
	}
	for _, k := range l.Keywords {
		if err := fn(analysedText{k, "", keywordWeight}); err != nil {
			return err
		}
	}
	// Translations in a fixed order: float sums depend on the order of
	// their terms, and a stored analysis must equal a computed one.
	for _, lang := range sortedLangs(l.Translations) {
		t := l.Translations[lang]
		if err := fn(analysedText{t.Title, lang, titleWeight}); err != nil {
			return err
		}
		if err := fn(analysedText{t.Description, lang, descriptionWeight}); err != nil {
			return err
		}
	}
	return nil
}

// Analyse computes the weighted terms of a document: words of title,
// keywords, description and translations, the concepts they name and the
// NACE codes with all their ancestors.
func Analyse(an *textanalysis.Analyzer, l *isa.Listing) (map[string]float32, float32, error) {
	terms := map[string]float32{}
	var length float32
	err := eachText(l, func(t analysedText) error {
		if strings.TrimSpace(t.text) == "" {
			return nil
		}
		a, err := an.Analyze(t.text, t.lang)
		if err != nil {
			return err
		}
		for _, tok := range a.Tokens {
			terms[tok.Term] += tok.Weight * t.weight
			if tok.Weight == textanalysis.WordWeight {
				length += t.weight
			}
		}
		for _, c := range a.Concepts {
			terms[textanalysis.ConceptPrefix+an.Concepts()[c.Concept].ID] += c.Weight * t.weight
		}
		return nil
	})
	if err != nil {
		return nil, 0, err
	}
	for _, code := range l.Industries {
		for _, c := range naceAncestors(code) {
			terms[textanalysis.NACEPrefix+c] = 1
		}
	}
	return terms, length, nil
}

// naceAncestors returns a NACE code and the codes above it: C28.15 gives
// C, C28, C28.1, C28.15 (a code without its section letter, 28.15, is
// given one only if it has it).
func naceAncestors(code string) []string {
	code = strings.ToUpper(strings.TrimSpace(code))
	if code == "" {
		return nil
	}
	out := []string{}
	if code[0] >= 'A' && code[0] <= 'Z' {
		out = append(out, code[:1])
		code = code[1:]
	}
	prefix := ""
	if len(out) > 0 {
		prefix = out[0]
	}
	// Levels: 2 digits, then .d, then d.
	for _, n := range []int{2, 4, 5} {
		if len(code) >= n {
			out = append(out, prefix+code[:n])
		}
	}
	return out
}

// Put indexes documents, replacing listings with the same ref; listings
// that are not published are removed.
func (m *Memory) Put(ctx context.Context, docs ...Document) error {
	_, _, err := m.put(ctx, docs, nil, false)
	return err
}

// put is Put with stored analyses (see PutStored): prior holds those of
// some listings, by listing id; with store set it returns the analyses it
// computed, encoded for storing.
func (m *Memory) put(ctx context.Context, docs []Document, prior map[int64]*isa.ListingAnalysis, store bool) (computed []isa.ListingAnalysis, reused int, err error) {
	var keep []Document
	var drop []string
	for _, d := range docs {
		if d.Listing == nil {
			continue
		}
		if d.Listing.State != isa.Published {
			drop = append(drop, d.Listing.Ref)
			continue
		}
		keep = append(keep, d)
	}
	workers := min(runtime.GOMAXPROCS(0), max(1, len(keep)/64))
	// All words of the batch enter the compound lexicon before any
	// listing of it is analysed, so that compounds split alike whatever
	// the order of the listings. They enter in the order of the batch, one
	// listing after the other: the lexicon also learns the heads of
	// compounds whose tails it knows, which depends on the order, and a
	// stored analysis is only reused when the splits of its words come out
	// the same in the next process.
	for _, d := range keep {
		l := d.Listing
		m.an.Learn(l.Title)
		m.an.Learn(l.Description)
		for _, lang := range sortedLangs(l.Translations) {
			t := l.Translations[lang]
			m.an.Learn(t.Title + " " + t.Description)
		}
	}
	m.mu.Lock()
	for _, ref := range drop {
		m.removeLocked(ref)
	}
	m.mu.Unlock()
	// Analysed terms take several times the memory of their listing:
	// analyse and insert a chunk at a time.
	for len(keep) > 0 {
		n := min(len(keep), putChunk)
		c, r, err := m.putChunk(ctx, keep[:n], workers, prior, store)
		if err != nil {
			return computed, reused, err
		}
		computed = append(computed, c...)
		reused += r
		keep = keep[n:]
	}
	return computed, reused, nil
}

const putChunk = 10000

func (m *Memory) putChunk(ctx context.Context, keep []Document, workers int, prior map[int64]*isa.ListingAnalysis, store bool) ([]isa.ListingAnalysis, int, error) {
	var wg sync.WaitGroup
	out := make([]analysed, len(keep))
	errs := make([]error, len(keep))
	var enc []isa.ListingAnalysis
	if store {
		enc = make([]isa.ListingAnalysis, len(keep))
	}
	var fp string
	if store || len(prior) > 0 {
		fp = m.AnalysisFingerprint()
	}
	reused := make([]bool, len(keep))
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := w; i < len(keep); i += workers {
				if ctx.Err() != nil {
					errs[i] = ctx.Err()
					return
				}
				l := keep[i].Listing
				if p := prior[l.ID]; p != nil && l.ID != 0 {
					if a, ok := m.reuse(p, fp, l); ok {
						out[i] = analysed{doc: keep[i], terms: a.terms, length: a.length}
						reused[i] = true
						continue
					}
				}
				terms, length, err := Analyse(m.an, l)
				if err != nil {
					errs[i] = fmt.Errorf("search: analyse listing %s: %w", l.Ref, err)
					continue
				}
				out[i] = analysed{doc: keep[i], terms: indexTerms(m.an, terms), length: length}
				if store && l.ID != 0 {
					enc[i] = m.encode(fp, l, &out[i])
				}
			}
		}(w)
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, 0, err
		}
	}
	var computed []isa.ListingAnalysis
	for _, a := range enc {
		if a.Data != nil {
			computed = append(computed, a)
		}
	}
	n := 0
	for _, r := range reused {
		if r {
			n++
		}
	}
	if err := m.insert(out); err != nil {
		return nil, 0, err
	}
	return computed, n, nil
}

func (m *Memory) insert(out []analysed) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for i := range out {
		m.insertLocked(&out[i])
	}
	m.maybeCompactLocked()
	m.inserted += len(out)
	// Trim now and then: the lists that grow by appending keep spare
	// capacity, a large share of the heap after a bulk load.
	if m.inserted >= 100000 {
		m.trimLocked()
		m.inserted = 0
	}
	return nil
}

// Trim gives spare capacity back after a bulk load (Loader.Rebuild calls it).
func (m *Memory) Trim() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.trimLocked()
	m.inserted = 0
}

// trimLocked gives posting lists back the spare capacity that appending
// left them: after a bulk load it is a large share of the heap.
func (m *Memory) trimLocked() {
	for i := range m.postings {
		p := &m.postings[i]
		if cap(p.docs) > len(p.docs)+len(p.docs)/8+4 {
			p.docs = append([]int32(nil), p.docs...)
			p.tf = append([]uint16(nil), p.tf...)
		}
	}
}

// Remove drops listings by ref.
func (m *Memory) Remove(ctx context.Context, refs ...string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, r := range refs {
		m.removeLocked(r)
	}
	m.maybeCompactLocked()
	return nil
}

func (m *Memory) removeLocked(ref string) {
	d, ok := m.byRef[ref]
	if !ok {
		return
	}
	delete(m.byRef, ref)
	m.docs.alive[d] = false
	m.live--
	m.totalLen -= float64(m.docs.length[d])
	// The dead document's texts are not needed any more.
	m.docs.text[d], m.docs.title[d], m.docs.trans[d], m.docs.industries[d], m.docs.concepts[d] = "", "", nil, nil, nil
}

func (m *Memory) insertLocked(a *analysed) {
	l := a.doc.Listing
	m.removeLocked(l.Ref)
	d := int32(len(m.docs.ref))
	t := &m.docs
	t.ref = append(t.ref, l.Ref)
	t.title = append(t.title, l.Title)
	desc, trans := l.Description, l.Translations
	if m.texts != nil {
		desc, trans = "", nil
	}
	t.text = append(t.text, desc)
	t.lang = append(t.lang, codeOf(langCodes, l.Lang))
	t.kind = append(t.kind, codeOf(kindCodes, l.Kind))
	t.country = append(t.country, codeOf(countryCodes, a.doc.Country))
	t.orgKind = append(t.orgKind, codeOf(orgKindCodes, a.doc.OrgKind))
	t.city = append(t.city, m.cities.id(a.doc.City))
	t.org = append(t.org, m.orgs.id(l.Org))
	var coop uint16
	for _, c := range l.Cooperation {
		coop |= coopBit(c)
	}
	t.coop = append(t.coop, coop)
	var sections uint32
	for _, c := range l.Industries {
		if c != "" && c[0] >= 'A' && c[0] <= 'U' {
			sections |= 1 << (c[0] - 'A')
		} else if c != "" && c[0] >= 'a' && c[0] <= 'u' {
			sections |= 1 << (c[0] - 'a')
		}
	}
	t.sections = append(t.sections, sections)
	t.published = append(t.published, dayNumber(l.Published))
	exp := int32(math.MaxInt32)
	if l.Expires != "" {
		exp = dayNumber(l.Expires)
	}
	t.expires = append(t.expires, exp)
	t.length = append(t.length, a.length)
	t.alive = append(t.alive, true)
	t.industries = append(t.industries, l.Industries)
	t.trans = append(t.trans, trans)
	m.byRef[l.Ref] = d
	m.live++
	m.totalLen += float64(a.length)
	var concepts []int32
	for _, it := range a.terms {
		id, ok := m.termID[it.term]
		if !ok {
			id = int32(len(m.terms))
			m.termID[it.term] = id
			m.terms = append(m.terms, it.term)
			m.postings = append(m.postings, postingList{})
			if n := utf8.RuneCountInString(it.term); isPlainLatin(it.term) && n >= 3 {
				m.byLen[n] = append(m.byLen[n], id)
			}
		}
		p := &m.postings[id]
		p.docs = append(p.docs, d)
		p.tf = append(p.tf, it.tf)
		// Broader concepts (below a whole occurrence) are left out.
		if it.direct {
			concepts = append(concepts, id)
		}
	}
	t.concepts = append(t.concepts, concepts)
}

// isPlainLatin reports whether an index term is a Latin word stem (the
// terms typing errors are corrected against).
func isPlainLatin(term string) bool {
	if term == "" {
		return false
	}
	for _, r := range term {
		if !(r >= 'a' && r <= 'z') {
			return false
		}
	}
	return true
}

// commonLocked reports whether a term is in so many listings (over 5 %,
// and over a thousand) that scoring its postings costs more than it tells:
// matching queries and the weak groups of search queries skip such terms,
// as a more-like-this query skips frequent words. Small indexes never skip.
func (m *Memory) commonLocked(id int32) bool {
	df := len(m.postings[id].docs)
	return df > 1000 && df > m.live/20
}

// idfLocked is the BM25 inverse document frequency of a term id.
func (m *Memory) idfLocked(id int32) float64 {
	n := float64(max(m.live, 1))
	df := float64(len(m.postings[id].docs))
	df = min(df, n)
	return math.Log(1 + (n-df+0.5)/(df+0.5))
}

// IDF returns the inverse document frequency of terms; 0 for unknown ones.
func (m *Memory) IDF(ctx context.Context, terms []string) ([]float64, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	out := make([]float64, len(terms))
	for i, t := range terms {
		if id, ok := m.termID[t]; ok {
			out[i] = m.idfLocked(id)
		}
	}
	return out, nil
}

// scratch holds per-query arrays sized to the document count; pooled so a
// query does not allocate megabytes at a million listings.
type scratch struct {
	acc     []float32
	grp     []float32
	cover   []uint32
	touched []int32
	gtouch  []int32
}

func (m *Memory) getScratch(n int) *scratch {
	s, _ := m.scratch.Get().(*scratch)
	if s == nil {
		s = &scratch{}
	}
	if len(s.acc) < n {
		s.acc = make([]float32, n+n/4)
		s.grp = make([]float32, n+n/4)
		s.cover = make([]uint32, n+n/4)
	}
	s.touched = s.touched[:0]
	s.gtouch = s.gtouch[:0]
	return s
}

func (m *Memory) putScratch(s *scratch) {
	for _, d := range s.touched {
		s.acc[d] = 0
		s.cover[d] = 0
	}
	m.scratch.Put(s)
}

// group is one unit of scoring: index terms that count as the same
// thing (alternatives), a weight and the query words it stands for.
type group struct {
	ids    []int32
	weight float64
	words  uint32 // bit per query word covered
}

// accumulate adds the BM25 contributions of a group to the accumulator;
// alternatives of a group count once per document (their maximum).
func (m *Memory) accumulate(s *scratch, g group) {
	avg := m.totalLen / float64(max(m.live, 1))
	if avg <= 0 {
		avg = 1
	}
	length := m.docs.length
	// BM25 with the constant parts taken out of the loop over postings.
	c1 := float32(bm25K1 * (1 - bm25B))
	c2 := float32(bm25K1 * bm25B / avg)
	if len(g.ids) == 1 {
		p := &m.postings[g.ids[0]]
		w := float32(g.weight*m.idfLocked(g.ids[0])) * (bm25K1 + 1)
		for i, d := range p.docs {
			tf := float32(p.tf[i]) / tfScale
			v := w * tf / (tf + c1 + c2*length[d])
			if s.acc[d] == 0 {
				s.touched = append(s.touched, d)
			}
			s.acc[d] += v
			s.cover[d] |= g.words
		}
		return
	}
	s.gtouch = s.gtouch[:0]
	for _, id := range g.ids {
		p := &m.postings[id]
		w := float32(g.weight*m.idfLocked(id)) * (bm25K1 + 1)
		for i, d := range p.docs {
			tf := float32(p.tf[i]) / tfScale
			v := w * tf / (tf + c1 + c2*length[d])
			if s.grp[d] == 0 {
				s.gtouch = append(s.gtouch, d)
			}
			if v > s.grp[d] {
				s.grp[d] = v
			}
		}
	}
	for _, d := range s.gtouch {
		if s.acc[d] == 0 {
			s.touched = append(s.touched, d)
		}
		s.acc[d] += s.grp[d]
		s.cover[d] |= g.words
		s.grp[d] = 0
	}
}

// filter is a query's filters compiled to codes.
type filter struct {
	today    int32
	kind     uint8
	country  uint8
	lang     uint8
	orgKind  uint8
	city     int32 // -1: any; -2: a city no listing has
	coop     uint16
	industry []bool // nil: any
	org      int32  // excluded organisation, -1: none
	ref      int32  // excluded document, -1: none
}

func (m *Memory) compileFilter(today isa.Date, kind isa.ListingKind, country, city, coop, industry string, lang isa.Lang, orgKind isa.OrgKind) filter {
	f := filter{today: dayNumber(today), city: -1, org: -1, ref: -1}
	f.kind = codeOf(kindCodes, kind)
	f.country = codeOf(countryCodes, country)
	f.lang = codeOf(langCodes, lang)
	f.orgKind = codeOf(orgKindCodes, orgKind)
	if city != "" {
		f.city = -2
		if id, ok := m.cities.ids[city]; ok {
			f.city = id
		}
	}
	if coop != "" {
		f.coop = coopBit(coop)
	}
	if industry != "" {
		f.industry = make([]bool, len(m.docs.ref))
		codes := naceAncestors(industry)
		if len(codes) > 0 {
			if id, ok := m.termID[textanalysis.NACEPrefix+codes[len(codes)-1]]; ok {
				for _, d := range m.postings[id].docs {
					f.industry[d] = true
				}
			}
		}
	}
	return f
}

func (m *Memory) pass(f *filter, d int32) bool {
	t := &m.docs
	if !t.alive[d] || t.expires[d] < f.today {
		return false
	}
	if f.kind != 0 && t.kind[d] != f.kind {
		return false
	}
	if f.country != 0 && t.country[d] != f.country {
		return false
	}
	if f.lang != 0 && t.lang[d] != f.lang {
		return false
	}
	if f.orgKind != 0 && t.orgKind[d] != f.orgKind {
		return false
	}
	if f.city != -1 && t.city[d] != f.city {
		return false
	}
	if f.coop != 0 && t.coop[d]&f.coop == 0 {
		return false
	}
	if f.industry != nil && !f.industry[d] {
		return false
	}
	if f.org >= 0 && t.org[d] == f.org {
		return false
	}
	if f.ref >= 0 && d == f.ref {
		return false
	}
	return true
}

// facetCounter counts the facet values of the documents that pass.
type facetCounter struct {
	kind, country, lang, orgKind [8]int
	coop                         [16]int
	section                      [32]int
	city                         []int
}

func (c *facetCounter) add(t *docTable, d int32) {
	c.kind[t.kind[d]]++
	c.country[t.country[d]]++
	c.lang[t.lang[d]]++
	c.orgKind[t.orgKind[d]]++
	if id := int(t.city[d]); id < len(c.city) {
		c.city[id]++
	}
	for b := t.coop[d]; b != 0; b &= b - 1 {
		c.coop[trailing16(b)]++
	}
	for b := t.sections[d]; b != 0; b &= b - 1 {
		c.section[trailing32(b)]++
	}
}

func trailing16(b uint16) int {
	n := 0
	for b&1 == 0 {
		b >>= 1
		n++
	}
	return n
}

func trailing32(b uint32) int {
	n := 0
	for b&1 == 0 {
		b >>= 1
		n++
	}
	return n
}

func (m *Memory) facets(c *facetCounter) map[string][]FacetCount {
	out := map[string][]FacetCount{}
	put := func(name, value string, n int) {
		if n > 0 && value != "" {
			out[name] = append(out[name], FacetCount{Value: value, Count: n})
		}
	}
	for i, k := range kindCodes {
		put(FacetKind, string(k), c.kind[i+1])
	}
	for i, k := range countryCodes {
		put(FacetCountry, k, c.country[i+1])
	}
	for i, k := range langCodes {
		put(FacetLang, string(k), c.lang[i+1])
	}
	for i, k := range orgKindCodes {
		put(FacetOrgKind, string(k), c.orgKind[i+1])
	}
	for i, k := range isa.CooperationTypes {
		put(FacetCooperation, k, c.coop[i])
	}
	for i := 0; i < 21; i++ {
		put(FacetSection, string(rune('A'+i)), c.section[i])
	}
	for id, n := range c.city {
		put(FacetCity, m.cities.values[id], n)
	}
	for _, fc := range out {
		sort.Slice(fc, func(i, j int) bool {
			if fc[i].Count != fc[j].Count {
				return fc[i].Count > fc[j].Count
			}
			return fc[i].Value < fc[j].Value
		})
	}
	return out
}

// scored is a document with its score, for the top-k heap.
type scored struct {
	d     int32
	score float32
	key   int32 // published day, for the newest order
}

// topK keeps the best k documents; the worst sits at the root.
type topK struct {
	items  []scored
	newest bool
}

func (h *topK) less(a, b scored) bool {
	if h.newest {
		if a.key != b.key {
			return a.key < b.key
		}
	}
	if a.score != b.score {
		return a.score < b.score
	}
	return a.d > b.d
}
func (h *topK) Len() int           { return len(h.items) }
func (h *topK) Less(i, j int) bool { return h.less(h.items[i], h.items[j]) }
func (h *topK) Swap(i, j int)      { h.items[i], h.items[j] = h.items[j], h.items[i] }
func (h *topK) Push(x any)         { h.items = append(h.items, x.(scored)) }
func (h *topK) Pop() any {
	x := h.items[len(h.items)-1]
	h.items = h.items[:len(h.items)-1]
	return x
}

func (h *topK) offer(s scored, k int) {
	if len(h.items) < k {
		heap.Push(h, s)
		return
	}
	if h.less(h.items[0], s) {
		h.items[0] = s
		heap.Fix(h, 0)
	}
}

// sorted returns the kept documents best first.
func (h *topK) sorted() []scored {
	out := append([]scored(nil), h.items...)
	sort.Slice(out, func(i, j int) bool { return h.less(out[j], out[i]) })
	return out
}
