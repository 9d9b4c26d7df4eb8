// Package gen writes synthetic data sets in the ISA interchange format (JSON
// Lines) for load tests, benchmarks and search-quality experiments: any
// number of organisations across the 40 member cities and their offers and
// requests in a realistic mix of German, Chinese and English, built from the
// multilingual vocabulary so that offers and requests in different languages
// really do match. It backs the `isa gen` subcommand.
//
// Output streams: every record is a pure function of the seed and its index,
// so a million listings need no more memory than ten, and the same options
// always give the same bytes.
package gen

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/isa-alliance/isa"
	"github.com/isa-alliance/isa/internal/cities"
	"github.com/isa-alliance/isa/internal/vocab"
)

// Options controls a generated data set.
type Options struct {
	// Listings is the number of listings to write; at least 1.
	Listings int
	// Seed selects the data set: equal options give identical output.
	Seed int64
	// Orgs is the number of organisations; 0 means Listings/5 (at least 1).
	Orgs int
	// Today is the reference day for publication and expiry dates: listings
	// are published within the ten months before it and a few percent have
	// already expired. Zero means the current day (UTC), so pass it to get
	// identical output on different days.
	Today isa.Date
	// Vocab supplies the concepts the texts are built from; nil means
	// vocab.Default(). Concepts without NACE codes or without terms in all
	// three languages are left out; gen's own small set fills in when the
	// vocabulary has too few.
	Vocab Vocabulary
	// RefPrefix starts every ref, so that several generated sets can live in
	// one database; empty means "gen".
	RefPrefix string
}

// Vocabulary is the part of *vocab.Vocabulary that gen reads.
type Vocabulary interface {
	Concepts() []vocab.Concept
}

// termLister is optional: a Vocabulary that also lists its terms with
// their ambiguity marks (as *vocab.Vocabulary does).
type termLister interface {
	Terms(lang isa.Lang) []vocab.TermEntry
}

// Stats reports what Write wrote.
type Stats struct {
	Orgs, Listings int
	// Langs counts listings by language of title and description.
	Langs map[isa.Lang]int
	// Expired counts listings whose expiry day lies before Options.Today.
	Expired int
	Bytes   int64
}

// minConcepts is how many industry concepts the texts need to look varied;
// below it gen's own set is added.
const minConcepts = 40

// Write writes organisations first and then listings, one JSON object per
// line, so that every listing's organisation precedes it as the interchange
// format requires.
func Write(w io.Writer, opts Options) (Stats, error) {
	g, err := newGenerator(opts)
	if err != nil {
		return Stats{}, err
	}
	st := Stats{Langs: map[isa.Lang]int{}}
	cw := &countingWriter{w: w}
	bw := bufio.NewWriterSize(cw, 256<<10)
	buf := make([]byte, 0, 8<<10)
	for i := range g.orgs {
		buf = g.appendOrg(buf[:0], i)
		if _, err := bw.Write(buf); err != nil {
			return st, fmt.Errorf("gen: write organisation %d: %w", i, err)
		}
		st.Orgs++
	}
	for j := range g.listings {
		var lang isa.Lang
		var expired bool
		buf, lang, expired = g.appendListing(buf[:0], j)
		if _, err := bw.Write(buf); err != nil {
			return st, fmt.Errorf("gen: write listing %d: %w", j, err)
		}
		st.Listings++
		st.Langs[lang]++
		if expired {
			st.Expired++
		}
	}
	if err := bw.Flush(); err != nil {
		return st, fmt.Errorf("gen: flush: %w", err)
	}
	st.Bytes = cw.n
	return st, nil
}

type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// city is what the texts need of a member city.
type city struct {
	slug    string
	country string
	names   [3]string // indexed by langIndex
}

// concept is a vocabulary concept reduced to what gen uses.
type concept struct {
	id     string
	nace   []string
	terms  [3][]string
	sector int // index into sectors
}

type generator struct {
	orgs, listings int
	seed           uint64
	today          time.Time
	todayDate      isa.Date
	prefix         string
	cities         []city
	german         []int // indexes into cities
	chinese        []int
	concepts       []concept
	// byCity lists, per city, the concepts its organisations work in,
	// weighted towards the city's typical industries.
	bySector [][]int
	src      [numStreams]rand.PCG
	rnd      [numStreams]*rand.Rand
}

func newGenerator(opts Options) (*generator, error) {
	if opts.Listings < 1 {
		return nil, isa.Invalid("listings", "must be at least 1, got %d", opts.Listings)
	}
	if opts.Orgs < 0 {
		return nil, isa.Invalid("orgs", "must not be negative, got %d", opts.Orgs)
	}
	g := &generator{listings: opts.Listings, orgs: opts.Orgs, seed: uint64(opts.Seed), prefix: opts.RefPrefix}
	if g.orgs == 0 {
		g.orgs = max(1, opts.Listings/5)
	}
	if g.prefix == "" {
		g.prefix = "gen"
	}
	g.todayDate = opts.Today
	if g.todayDate == "" {
		g.todayDate = isa.DateOf(time.Now())
	} else if _, err := isa.ParseDate(string(g.todayDate)); err != nil {
		return nil, isa.Invalid("today", "%v", err)
	}
	g.today = g.todayDate.Time()
	for i := range g.src {
		g.rnd[i] = rand.New(&g.src[i])
	}

	for i, c := range cities.All() {
		g.cities = append(g.cities, city{slug: c.Slug, country: c.Country,
			names: [3]string{c.Names[isa.DE], c.Names[isa.ZH], c.Names[isa.EN]}})
		if c.Country == isa.Germany {
			g.german = append(g.german, i)
		} else {
			g.chinese = append(g.chinese, i)
		}
	}
	if len(g.german) == 0 || len(g.chinese) == 0 {
		return nil, errors.New("gen: member cities of both countries needed")
	}

	v := opts.Vocab
	if v == nil {
		dv, err := vocab.Default()
		if err != nil {
			return nil, fmt.Errorf("gen: load vocabulary: %w", err)
		}
		v = dv
	}
	// Terms that belong to several concepts (German "Lager": bearing and
	// warehouse) would put a logistics firm's title on a bearing maker; a
	// vocabulary that can say which terms are ambiguous lets gen skip them.
	ambiguous := map[string]bool{}
	if tv, ok := v.(termLister); ok {
		for _, l := range langOrder {
			for _, e := range tv.Terms(l) {
				if e.Ambiguous {
					ambiguous[string(l)+"\x00"+e.ConceptID+"\x00"+e.Term] = true
				}
			}
		}
	}
	seen := map[string]bool{}
	for _, c := range v.Concepts() {
		if k, ok := fromVocab(c, ambiguous); ok {
			g.concepts = append(g.concepts, k)
			seen[k.id] = true
		}
	}
	if len(g.concepts) < minConcepts {
		for _, k := range builtinConcepts() {
			if !seen[k.id] {
				g.concepts = append(g.concepts, k)
			}
		}
	}
	g.bySector = make([][]int, len(sectors))
	for i := range g.concepts {
		g.concepts[i].sector = sectorOf(g.concepts[i].nace)
		s := g.concepts[i].sector
		g.bySector[s] = append(g.bySector[s], i)
	}
	return g, nil
}

func fromVocab(c vocab.Concept, ambiguous map[string]bool) (concept, bool) {
	if len(c.NACE) == 0 {
		return concept{}, false
	}
	k := concept{id: c.ID, nace: c.NACE}
	for li, l := range langOrder {
		for _, t := range c.Terms[l] {
			if ambiguous[string(l)+"\x00"+c.ID+"\x00"+t] {
				continue
			}
			// Very long terms make clumsy titles; abbreviations alone
			// ("OEM", "CNC") read badly as the object of a sentence.
			if n := len([]rune(t)); n >= 2 && n <= 40 {
				k.terms[li] = append(k.terms[li], t)
			}
		}
		if len(k.terms[li]) == 0 {
			return concept{}, false
		}
	}
	return k, true
}

// langOrder fixes the index of each language in the per-language arrays.
var langOrder = [3]isa.Lang{isa.DE, isa.ZH, isa.EN}

const (
	iDE = 0
	iZH = 1
	iEN = 2
)

// rng returns the random source of record idx of the given stream. Deriving
// it from (seed, stream, index) instead of drawing from one sequence is what
// lets a listing recompute its organisation's attributes without keeping
// them in memory.
//
// The generator owns one source per stream and reseeds it, so the hot path
// allocates nothing; Write is sequential, and no two records of one stream
// are generated at the same time.
func (g *generator) rng(stream, idx uint64) *rand.Rand {
	// PCG's first outputs for neighbouring seeds are correlated; hashing
	// the inputs first spreads the records over the whole state space.
	a := mix(g.seed ^ mix(stream<<32^idx))
	g.src[stream].Seed(a, mix(a^0x5851F42D4C957F2D))
	return g.rnd[stream]
}

// mix is the SplitMix64 finaliser: a cheap bijective hash of 64 bits.
func mix(x uint64) uint64 {
	x += 0x9E3779B97F4A7C15
	x = (x ^ x>>30) * 0xBF58476D1CE4E5B9
	x = (x ^ x>>27) * 0x94D049BB133111EB
	return x ^ x>>31
}

const (
	streamOrg      = 0 // attributes an organisation's listings depend on
	streamOrgExtra = 1 // the rest of an organisation record
	streamListing  = 2
	numStreams     = 3
)

// org is the part of an organisation its listings depend on.
type org struct {
	idx     int
	city    *city
	lang    int // language the organisation mostly writes in
	kind    isa.OrgKind
	concept int   // main concept
	extra   []int // further concepts, same sector
	founded int
	name    [3]string // own-language name and transliterations; "" where none
	domain  string
}

// org recomputes organisation i; its name only when withName is set, since
// listings do not need it.
func (g *generator) org(i int, withName bool) org {
	r := g.rng(streamOrg, uint64(i))
	o := org{idx: i}
	// Equal shares of German and Chinese organisations, whatever the
	// number of cities on each side.
	side := g.german
	if r.IntN(2) == 0 {
		side = g.chinese
	}
	c := &g.cities[side[r.IntN(len(side))]]
	o.city = c
	switch {
	case r.IntN(100) < 10:
		o.lang = iEN
	case c.country == isa.Germany:
		o.lang = iDE
	default:
		o.lang = iZH
	}
	switch p := r.IntN(100); {
	case p < 86:
		o.kind = isa.Company
	case p < 93:
		o.kind = isa.Research
	case p < 96:
		o.kind = isa.Agency
	default:
		o.kind = isa.Association
	}
	o.concept = r.IntN(len(g.concepts))
	same := g.bySector[g.concepts[o.concept].sector]
	for range r.IntN(3) {
		if k := same[r.IntN(len(same))]; k != o.concept {
			o.extra = append(o.extra, k)
		}
	}
	o.founded = 1950 + r.IntN(g.today.Year()-1950)
	if withName {
		g.orgName(&o, r)
	}
	return o
}

func (g *generator) appendOrg(b []byte, i int) []byte {
	o := g.org(i, true)
	r := g.rng(streamOrgExtra, uint64(i))
	b = append(b, `{"type":"organisation","ref":`...)
	b = g.appendRef(b, 'o', i)
	b = append(b, `,"name":`...)
	b = appendString(b, o.name[o.lang])
	// Other spellings: a Chinese company's English trade name, a German
	// company's Chinese name when it has one.
	first := true
	for li, n := range o.name {
		if li == o.lang || n == "" {
			continue
		}
		if first {
			b = append(b, `,"names":{`...)
			first = false
		} else {
			b = append(b, ',')
		}
		b = appendString(b, string(langOrder[li]))
		b = append(b, ':')
		b = appendString(b, n)
	}
	if !first {
		b = append(b, '}')
	}
	b = append(b, `,"kind":`...)
	b = appendString(b, string(o.kind))
	b = append(b, `,"city":`...)
	// Import accepts any name of a city; use one now and then so that
	// generated files exercise that path too.
	if r.IntN(10) == 0 {
		b = appendString(b, o.city.names[o.lang])
	} else {
		b = appendString(b, o.city.slug)
	}
	if o.kind == isa.Company || r.IntN(2) == 0 {
		b = append(b, `,"size":`...)
		b = appendString(b, string(pick(r, isa.SizeClasses[:], []int{30, 40, 22, 8})))
	}
	if r.IntN(10) < 8 {
		b = append(b, `,"founded":`...)
		b = appendInt(b, o.founded)
	}
	b = append(b, `,"website":"https://www.`...)
	b = append(b, o.domain...)
	b = append(b, '"')
	if r.IntN(10) < 6 {
		b = append(b, `,"email":"info@`...)
		b = append(b, o.domain...)
		b = append(b, '"')
	}
	b = append(b, `,"industries":[`...)
	var codes [4]string
	n := 0
	for _, k := range append([]int{o.concept}, o.extra...) {
		code := g.nace(k, r.IntN(3))
		if !slices.Contains(codes[:n], code) && n < len(codes) {
			codes[n] = code
			n++
		}
	}
	for i, code := range codes[:n] {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, code)
	}
	b = append(b, `],"about":{`...)
	b = appendString(b, string(langOrder[o.lang]))
	b = append(b, ':')
	b = g.appendAbout(b, &o, o.lang, r)
	if o.lang != iEN && r.IntN(3) == 0 {
		b = append(b, `,"en":`...)
		b = g.appendAbout(b, &o, iEN, r)
	}
	b = append(b, "}}\n"...)
	return b
}

// nace returns one of the concept's codes, cut to a coarser level
// (division or group) by level 0..2, so that data sets carry codes of every
// level the format allows.
func (g *generator) nace(k, level int) string {
	code := g.concepts[k].nace[0]
	switch {
	case level == 0 && len(code) > 3:
		code = code[:3] // C28
	case level == 1 && len(code) > 5:
		code = code[:5] // C28.4
	}
	return code
}

func (g *generator) appendRef(b []byte, kind byte, i int) []byte {
	b = append(b, '"')
	b = append(b, g.prefix...)
	b = append(b, '-', kind, '-')
	b = appendInt(b, i+1)
	return append(b, '"')
}

// appendListing writes listing j and reports its language and whether it
// has already expired.
func (g *generator) appendListing(b []byte, j int) ([]byte, isa.Lang, bool) {
	r := g.rng(streamListing, uint64(j))
	o := g.org(r.IntN(g.orgs), false)
	lang := o.lang
	// Organisations reach the other side in English now and then.
	if lang != iEN && r.IntN(100) < 10 {
		lang = iEN
	}
	kind := isa.Offer
	if r.IntN(100) < 45 {
		kind = isa.Request
	}
	k := o.concept
	if len(o.extra) > 0 && r.IntN(3) == 0 {
		k = o.extra[r.IntN(len(o.extra))]
	}
	t := text{g: g, o: &o, c: &g.concepts[k], r: r, kind: kind}
	t.term = t.pickTerm(lang)

	b = append(b, `{"type":"listing","ref":`...)
	b = g.appendRef(b, 'l', j)
	b = append(b, `,"org":`...)
	b = g.appendRef(b, 'o', o.idx)
	b = append(b, `,"kind":`...)
	b = appendString(b, string(kind))
	// The format detects the language when it is absent; leave it out of a
	// few listings to exercise detection.
	if r.IntN(20) != 0 {
		b = append(b, `,"lang":`...)
		b = appendString(b, string(langOrder[lang]))
	}
	b = append(b, `,"title":`...)
	b = t.appendTitle(b, lang)
	b = append(b, `,"description":`...)
	b = t.appendDescription(b, lang)
	if r.IntN(100) < 8 {
		// A translation into the language of the other side (or English).
		tl := iEN
		if lang == iEN {
			tl = iDE
			if o.city.country == isa.Germany {
				tl = iZH
			}
		}
		t2 := t
		t2.term = t.pickTerm(tl)
		b = append(b, `,"translations":{`...)
		b = appendString(b, string(langOrder[tl]))
		b = append(b, `:{"title":`...)
		b = t2.appendTitle(b, tl)
		b = append(b, `,"description":`...)
		b = t2.appendDescription(b, tl)
		b = append(b, "}}"...)
	}
	b = append(b, `,"cooperation":[`...)
	b = t.appendCooperation(b)
	b = append(b, `],"industries":[`...)
	b = appendString(b, g.nace(k, r.IntN(3)))
	b = append(b, `],"keywords":[`...)
	b = t.appendKeywords(b, lang)
	b = append(b, ']')

	// Published within the ten months before today; about 4% were
	// published 12 to 14 months ago and have expired.
	var days int
	if r.IntN(100) < 4 {
		days = 366 + r.IntN(60)
	} else {
		days = r.IntN(304)
	}
	pub := g.today.AddDate(0, 0, -days)
	exp := pub.AddDate(0, 12, 0)
	b = append(b, `,"published":"`...)
	b = pub.AppendFormat(b, time.DateOnly)
	b = append(b, `","expires":"`...)
	b = exp.AppendFormat(b, time.DateOnly)
	b = append(b, "\"}\n"...)
	return b, langOrder[lang], exp.Before(g.today)
}

func pick[T any](r *rand.Rand, items []T, weights []int) T {
	total := 0
	for _, w := range weights {
		total += w
	}
	n := r.IntN(total)
	for i, w := range weights {
		if n < w {
			return items[i]
		}
		n -= w
	}
	return items[len(items)-1]
}
