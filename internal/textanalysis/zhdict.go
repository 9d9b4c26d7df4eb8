package textanalysis

import (
	"bytes"
	"compress/flate"
	_ "embed"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"
)

//go:generate go run gen_zhdict.go

// zhDictData is gse's simplified Chinese dictionary (see NOTICE), reduced
// to what segmentation reads: the words and their frequencies, sorted and
// front-coded by gen_zhdict.go. Loading it is a matter of milliseconds,
// where gse's own loader parses the text dictionary, builds a trie and
// computes sub-segmentations for its search mode, about 1.8 s of CPU.
//
//go:embed zhdict.bin
var zhDictData []byte

// zhDictMagic starts the payload of zhdict.bin; the digit is the format.
const zhDictMagic = "ISAZH1\n"

// zhTable is a sorted word list: word i is keys[offs[i]:offs[i+1]].
type zhTable struct {
	keys []byte
	offs []uint32
	freq []uint32
	// first maps a character to the range of the words that start with
	// it, saving the segmenter the two longest binary searches per
	// character of a text.
	first map[rune][2]uint32
}

// index fills first; keys sorted bytewise are sorted by first character.
func (t *zhTable) index() {
	t.first = make(map[rune][2]uint32)
	from := 0
	for i := 0; i <= t.len(); i++ {
		if i == t.len() || !bytes.HasPrefix(t.key(i), t.key(from)[:runeLen(t.key(from))]) {
			if i > from {
				r, _ := utf8.DecodeRune(t.key(from))
				t.first[r] = [2]uint32{uint32(from), uint32(i)}
			}
			from = i
		}
	}
}

func runeLen(b []byte) int {
	_, n := utf8.DecodeRune(b)
	return n
}

// startingWith returns the range of the words that start with text[:n],
// the first character of text.
func (t *zhTable) startingWith(text string) (int, int) {
	r, _ := utf8.DecodeRuneInString(text)
	rg := t.first[r]
	return int(rg[0]), int(rg[1])
}

func (t *zhTable) len() int { return len(t.freq) }

func (t *zhTable) key(i int) []byte { return t.keys[t.offs[i]:t.offs[i+1]] }

// narrow returns the range of the words in [lo, hi) that continue with ext
// after their first d bytes; all words in [lo, hi) share those d bytes.
func (t *zhTable) narrow(lo, hi, d int, ext []byte) (int, int) {
	// The words' bytes d..d+len(ext) (fewer for shorter words) rise
	// through the range, so both bounds are binary searches.
	part := func(i int) []byte {
		k := t.key(i)[d:]
		return k[:min(len(k), len(ext))]
	}
	nlo := lo + sort.Search(hi-lo, func(i int) bool { return bytes.Compare(part(lo+i), ext) >= 0 })
	nhi := nlo + sort.Search(hi-nlo, func(i int) bool { return bytes.Compare(part(nlo+i), ext) > 0 })
	return nlo, nhi
}

// decodeZhDict reads the payload written by zhdictgen.Encode.
func decodeZhDict(payload []byte) (*zhTable, uint64, error) {
	bad := func(what string) error { return fmt.Errorf("textanalysis: Chinese dictionary: bad %s", what) }
	p, ok := bytes.CutPrefix(payload, []byte(zhDictMagic))
	if !ok {
		return nil, 0, bad("header")
	}
	uv := func() (uint64, bool) {
		v, n := binary.Uvarint(p)
		if n <= 0 {
			return 0, false
		}
		p = p[n:]
		return v, true
	}
	n, ok1 := uv()
	total, ok2 := uv()
	// Every entry takes at least four bytes.
	if !ok1 || !ok2 || n > uint64(len(p))/4 {
		return nil, 0, bad("header")
	}
	t := &zhTable{
		keys: make([]byte, 0, len(p)*2),
		offs: make([]uint32, 1, n+1),
		freq: make([]uint32, 0, n),
	}
	prev := 0 // offset of the previous key in t.keys
	for range n {
		shared, ok1 := uv()
		rest, ok2 := uv()
		if !ok1 || !ok2 || shared > uint64(len(t.keys)-prev) || rest > uint64(len(p)) {
			return nil, 0, bad("entry")
		}
		start := len(t.keys)
		t.keys = append(t.keys, t.keys[prev:prev+int(shared)]...)
		t.keys = append(t.keys, p[:rest]...)
		p = p[rest:]
		f, ok := uv()
		if !ok || f > math.MaxUint32 || len(t.keys) == start || len(t.keys) > math.MaxUint32 {
			return nil, 0, bad("entry")
		}
		if len(t.freq) > 0 && bytes.Compare(t.key(len(t.freq)-1), t.keys[start:]) >= 0 {
			return nil, 0, bad("order")
		}
		t.offs = append(t.offs, uint32(len(t.keys)))
		t.freq = append(t.freq, uint32(f))
		prev = start
	}
	if len(p) != 0 {
		return nil, 0, bad("length")
	}
	return t, total, nil
}

type zhDict struct {
	table *zhTable
	total uint64
}

// loadZhDict inflates and decodes the embedded dictionary, once per
// process: it is read-only, so every analyser shares it.
var loadZhDict = sync.OnceValues(loadZhDictOnce)

func loadZhDictOnce() (zhDict, error) {
	payload, err := io.ReadAll(flate.NewReader(bytes.NewReader(zhDictData)))
	if err != nil {
		return zhDict{}, fmt.Errorf("textanalysis: inflate Chinese dictionary: %w", err)
	}
	t, total, err := decodeZhDict(payload)
	if err != nil {
		return zhDict{}, err
	}
	t.index()
	return zhDict{table: t, total: total}, nil
}

// zhSegmenter cuts Chinese text into words the way gse's Segmenter.Cut(text,
// false) does over gse's dictionary with the extra words added by AddToken:
// the route through the graph of dictionary words that maximises the sum
// of log frequencies, ties going to the longer first word. The equivalence
// test holds it to gse's output.
type zhSegmenter struct {
	tables []*zhTable // the dictionary, then the added words
	logT   float64    // log of the total frequency
}

// newZhSegmenter returns a segmenter over the embedded dictionary plus
// words, each with frequency freq unless the dictionary has it already
// (as gse's AddToken keeps the existing entry).
func newZhSegmenter(words []string, freq uint32) (*zhSegmenter, error) {
	if freq == 0 {
		// Frequency 0 marks a mere prefix; gse's loader drops such words.
		return nil, errors.New("textanalysis: Chinese words need a positive frequency")
	}
	d, err := loadZhDict()
	if err != nil {
		return nil, err
	}
	s := &zhSegmenter{tables: []*zhTable{d.table}}
	var extra []string
	for _, w := range words {
		// gse lower-cases ASCII letters of the words it adds.
		w = asciiLower(w)
		if w == "" {
			continue
		}
		if f, _ := s.find(w); f == 0 {
			extra = append(extra, w)
		}
	}
	slices.Sort(extra)
	extra = slices.Compact(extra)
	total := d.total
	if len(extra) > 0 {
		x := &zhTable{offs: []uint32{0}}
		for _, w := range extra {
			x.keys = append(x.keys, w...)
			x.offs = append(x.offs, uint32(len(x.keys)))
			x.freq = append(x.freq, freq)
			total += uint64(freq)
		}
		x.index()
		s.tables = append(s.tables, x)
	}
	if total >= 1<<53 {
		return nil, errors.New("textanalysis: Chinese dictionary: total frequency too large")
	}
	s.logT = math.Log(float64(total))
	return s, nil
}

// asciiLower lower-cases ASCII letters only, as gse does for dictionary words.
func asciiLower(s string) string {
	for i := 0; i < len(s); i++ {
		if 'A' <= s[i] && s[i] <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if 'A' <= b[j] && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

// find reports the frequency of word (0 when it is no word) and whether
// some word starts with it, which is what gse's Find answers.
func (s *zhSegmenter) find(word string) (freq uint32, prefix bool) {
	for _, t := range s.tables {
		lo, hi := t.narrow(0, t.len(), 0, []byte(word))
		if lo < hi {
			prefix = true
			if len(t.key(lo)) == len(word) {
				freq = t.freq[lo]
			}
		}
	}
	return freq, prefix
}

// cut segments text. Only Han runs are passed in by the analyser; the
// handling of other text (lower-casing, single ASCII letters and digits
// joined) follows gse so that the two agree on any input.
func (s *zhSegmenter) cut(text string) []string {
	text = strings.ToLower(text)
	// Byte offset of each rune, and of the end.
	offs := make([]int, 0, len(text)/3+2)
	for i := range text {
		offs = append(offs, i)
	}
	n := len(offs)
	offs = append(offs, len(text))

	// ends[k] lists the rune indexes i such that text[k:i+1] is a word
	// (of positive frequency), rising; or k alone when there is none.
	type edge struct {
		end  int
		freq uint32
		ok   bool // text[k:end+1] is a prefix of some word
	}
	ends := make([][]edge, n)
	var buf []edge
	type cursor struct{ lo, hi int }
	curs := make([]cursor, len(s.tables))
	for k := 0; k < n; k++ {
		start := len(buf)
		for ti, t := range s.tables {
			lo, hi := t.startingWith(text[offs[k]:])
			curs[ti] = cursor{lo, hi}
		}
		for i := k; i < n; i++ {
			d := offs[i] - offs[k]
			ext := []byte(text[offs[i]:offs[i+1]])
			var freq uint32
			ok := false
			for ti, t := range s.tables {
				c := &curs[ti]
				if c.lo < c.hi && i > k {
					c.lo, c.hi = t.narrow(c.lo, c.hi, d, ext)
				}
				if c.lo < c.hi {
					ok = true
					if len(t.key(c.lo)) == d+len(ext) {
						freq = t.freq[c.lo]
					}
				}
			}
			if !ok {
				if i == k {
					// gse's fallback edge for a character no word starts
					// with: frequency 1 in the route, as for a miss.
					buf = append(buf, edge{end: k})
				}
				break
			}
			if freq > 0 {
				buf = append(buf, edge{end: i, freq: freq, ok: true})
			} else if i == k {
				// Only a prefix: gse adds the character as a fallback
				// edge and finds it with frequency 0 (log 0 = -Inf).
				// Recorded here, dropped below when a word follows.
				buf = append(buf, edge{end: k, ok: true})
			}
		}
		e := buf[start:]
		if len(e) > 1 && e[0].end == k && e[0].freq == 0 {
			// The single character was a mere prefix but longer words
			// start here, so gse's graph has no fallback edge.
			e = e[1:]
		}
		ends[k] = e
	}

	// Best route from each rune to the end, computed backwards with the
	// same floating-point operations as gse, so that ties break alike.
	type route struct {
		logp float64
		end  int
	}
	routes := make([]route, n+1)
	for k := n - 1; k >= 0; k-- {
		set := false
		for _, e := range ends[k] {
			var f float64
			if e.ok {
				f = math.Log(float64(e.freq)) - s.logT + routes[e.end+1].logp
			} else {
				f = math.Log(1.0) - s.logT + routes[e.end+1].logp
			}
			r := route{f, e.end}
			if v := routes[k]; !set || v.logp < r.logp || v.logp == r.logp && v.end < r.end {
				routes[k] = r
				set = true
			}
		}
	}

	words := make([]string, 0, n/2+1)
	alnumFrom := -1 // start of a run of single ASCII letters or digits
	for x := 0; x < n; {
		y := routes[x].end + 1
		if y-x == 1 && isASCIIAlnum(text[offs[x]:offs[y]]) {
			if alnumFrom < 0 {
				alnumFrom = offs[x]
			}
			x = y
			continue
		}
		if alnumFrom >= 0 {
			words = append(words, text[alnumFrom:offs[x]])
			alnumFrom = -1
		}
		words = append(words, text[offs[x]:offs[y]])
		x = y
	}
	if alnumFrom >= 0 {
		words = append(words, text[alnumFrom:])
	}
	return words
}

func isASCIIAlnum(s string) bool {
	if len(s) != 1 {
		return false
	}
	c := s[0]
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}
