package search

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/crc32"
	"math"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/isa-alliance/isa"
	"github.com/isa-alliance/isa/internal/textanalysis"
)

// Stored analyses: the analysis of a listing (its index terms and length)
// costs far more to compute than to read, mostly for Chinese segmentation,
// so the index keeps it in the database (isa.AnalysisStore) and a start
// reads it back. A stored analysis is used only when it is exactly what
// Analyse would compute now:
//
//   - its fingerprint is the index's: analysisVersion, the weights of
//     Analyse and the analyser's own fingerprint (textanalysis.Version, the
//     vocabulary, the token weights, module versions);
//   - its input hash is the hash of the listing fields Analyse reads;
//   - the German compound splits of the listing's words, which depend on
//     the words the lexicon has learnt from the whole corpus, are the same
//     as when it was computed (a digest of them is stored with it);
//   - it decodes without error (a checksum guards the bytes).
//
// Anything else is analysed again, and the new analysis replaces the old.

// analysisVersion names the behaviour of Analyse and indexTerms and the
// encoding below: bump it with every change of them.
const analysisVersion = 3

// fingerprint returns the fingerprint of the analyses an index with the
// analyser computes.
func fingerprint(an *textanalysis.Analyzer) string {
	h := sha256.New()
	fmt.Fprintf(h, "search analysis %d\x00%s\x00", analysisVersion, an.Fingerprint())
	for _, w := range []float32{titleWeight, keywordWeight, descriptionWeight, tfScale} {
		binary.Write(h, binary.LittleEndian, math.Float32bits(w))
	}
	return hex.EncodeToString(h.Sum(nil)[:12])
}

// inputHash hashes the fields of a listing that Analyse reads. It is the
// index's own rather than the store's content hash, which also covers
// fields the analysis does not read (and could change its formula without
// telling the index).
func inputHash(l *isa.Listing) string {
	h := sha256.New()
	var n [binary.MaxVarintLen64]byte
	put := func(s string) {
		h.Write(n[:binary.PutUvarint(n[:], uint64(len(s)))])
		h.Write([]byte(s))
	}
	put(string(l.Lang))
	eachText(l, func(t analysedText) error {
		put(string(t.lang))
		put(t.text)
		return nil
	})
	// A marker keeps the keyword texts apart from the industry codes.
	put("\x00industries")
	for _, c := range l.Industries {
		put(c)
	}
	return hex.EncodeToString(h.Sum(nil)[:8])
}

// splitDigest hashes the compound splits the lexicon gives now to the
// words of the listing's texts that Analyse reads as German: the only part
// of an analysis that depends on the corpus.
func splitDigest(an *textanalysis.Analyzer, l *isa.Listing) uint64 {
	h := newFNV()
	eachText(l, func(t analysedText) error {
		if strings.TrimSpace(t.text) == "" {
			return nil
		}
		lang := t.lang
		if !lang.Valid() {
			lang = textanalysis.Detect(t.text)
		}
		if lang != isa.DE {
			return nil
		}
		an.Splits(t.text, func(word string, parts []string) {
			h.add(word)
			h.sep(1)
			for _, p := range parts {
				h.add(p)
				h.sep(2)
			}
			h.sep(3)
		})
		return nil
	})
	return uint64(h)
}

// fnv is FNV-1a, 64 bits: stable across processes (unlike hash/maphash)
// and without allocation for strings.
type fnv uint64

func newFNV() fnv { return 14695981039346656037 }

func (h *fnv) add(s string) {
	for i := 0; i < len(s); i++ {
		*h ^= fnv(s[i])
		*h *= 1099511628211
	}
}

func (h *fnv) sep(b byte) {
	*h ^= fnv(b)
	*h *= 1099511628211
}

// The encoding of an analysis, in order:
//
//	format byte (analysisFormat)
//	uvarint k, then the k distinct characters beyond ASCII of the plain
//	    terms by rising code point, each as uvarint of its distance to
//	    the one before (the first: its code point)
//	uvarint n, then n plain terms in byte order, each written with ASCII
//	    as is and every other character as its place in the table (see
//	    charEscape): uvarint of the length of the rest<<4 | the length of
//	    the prefix shared with the previous term so written (15: 15 or
//	    more, the excess in a uvarint after), the rest, uvarint term
//	    frequency (fixed point)
//	uvarint m, then m concepts by rising index in the vocabulary, each:
//	    uvarint index minus the previous index (the first: the index),
//	    uvarint frequency<<1 | 1 if the text names the concept itself
//	document length: uvarint 2×length when that is exact, else 1 and the
//	    four bytes of the float32
//	8 bytes: digest of the compound splits (little endian)
//	4 bytes: CRC-32C of all bytes before (little endian)
//
// Sorted terms share long prefixes (NACE codes and their ancestors, the
// bigrams of one Chinese word, stems of one root); a Chinese character
// takes one byte instead of three, since a listing uses a few dozen of
// them in many words and bigrams; concepts are numbers because the
// vocabulary is part of the fingerprint.
const analysisFormat = 3

// charEscape is the number of characters of the table a term names with
// one byte (0x80 + place); the others take 0xff and the uvarint of their
// place minus charEscape.
const charEscape = 0xff - utf8.RuneSelf

var crcTable = crc32.MakeTable(crc32.Castagnoli)

// errCorrupt is what decodeAnalysis returns for bytes it cannot trust.
var errCorrupt = errors.New("search: corrupt stored analysis")

// encodeAnalysis encodes index terms in the order of indexTerms and a
// length; decodeAnalysis gives them back in that order. concept returns
// the vocabulary index of a concept term's id. It returns nil for terms it
// cannot store (a concept the vocabulary lacks, terms out of order).
func encodeAnalysis(terms []indexTerm, length float32, digest uint64, concept func(id string) (int32, bool)) []byte {
	b := make([]byte, 0, 16+len(terms)*6)
	b = append(b, analysisFormat)
	type conceptTF struct {
		idx    int32
		tf     uint16
		direct bool
	}
	var concepts []conceptTF
	plain := 0
	for _, t := range terms {
		if id, ok := strings.CutPrefix(t.term, textanalysis.ConceptPrefix); ok {
			i, ok := concept(id)
			if !ok {
				// Analyse names only concepts of the vocabulary; a
				// term it did not make is not stored.
				return nil
			}
			concepts = append(concepts, conceptTF{i, t.tf, t.direct})
			continue
		}
		plain++
	}
	// The characters beyond ASCII (Chinese above all) of the plain terms,
	// by code point; a term names them by their place in this table.
	var chars []rune
	for _, t := range terms {
		for _, r := range t.term {
			if r >= utf8.RuneSelf {
				chars = append(chars, r)
			}
		}
	}
	slices.Sort(chars)
	chars = slices.Compact(chars)
	b = binary.AppendUvarint(b, uint64(len(chars)))
	last := rune(0)
	for _, r := range chars {
		b = binary.AppendUvarint(b, uint64(r-last))
		last = r
	}
	b = binary.AppendUvarint(b, uint64(plain))
	prev, prevText := []byte(nil), ""
	var cur []byte
	for _, t := range terms {
		if strings.HasPrefix(t.term, textanalysis.ConceptPrefix) {
			continue
		}
		if prevText != "" && t.term <= prevText || t.term == "" || !utf8.ValidString(t.term) {
			return nil
		}
		cur = cur[:0]
		for _, r := range t.term {
			if r < utf8.RuneSelf {
				cur = append(cur, byte(r))
				continue
			}
			i, _ := slices.BinarySearch(chars, r)
			if i < charEscape {
				cur = append(cur, byte(utf8.RuneSelf+i))
			} else {
				cur = append(cur, 0xff)
				cur = binary.AppendUvarint(cur, uint64(i-charEscape))
			}
		}
		shared := 0
		for shared < len(prev) && shared < len(cur) && prev[shared] == cur[shared] {
			shared++
		}
		// One byte for both lengths as a rule: the rest in the high bits,
		// the shared prefix in the low four (15: more, in a uvarint).
		head := uint64(len(cur)-shared) << 4
		if shared < 15 {
			b = binary.AppendUvarint(b, head|uint64(shared))
		} else {
			b = binary.AppendUvarint(b, head|15)
			b = binary.AppendUvarint(b, uint64(shared-15))
		}
		b = append(b, cur[shared:]...)
		b = binary.AppendUvarint(b, uint64(t.tf))
		prev, cur = cur, prev
		prevText = t.term
	}
	b = binary.AppendUvarint(b, uint64(len(concepts)))
	lastIdx := int32(0)
	for i, c := range concepts {
		if c.idx < lastIdx || i > 0 && c.idx == lastIdx {
			return nil
		}
		b = binary.AppendUvarint(b, uint64(c.idx-lastIdx))
		lastIdx = c.idx
		v := uint64(c.tf) << 1
		if c.direct {
			v |= 1
		}
		b = binary.AppendUvarint(b, v)
	}
	if q := float64(length) * 2; q == math.Trunc(q) && q >= 0 && q < 1<<30 && float32(q/2) == length {
		b = binary.AppendUvarint(b, uint64(q)<<1)
	} else {
		b = append(b, 1)
		b = binary.LittleEndian.AppendUint32(b, math.Float32bits(length))
	}
	b = binary.LittleEndian.AppendUint64(b, digest)
	return binary.LittleEndian.AppendUint32(b, crc32.Checksum(b, crcTable))
}

// decodeAnalysis decodes what encodeAnalysis made; conceptTerms are the
// index terms of the vocabulary's concepts, by index. It returns
// errCorrupt for anything encodeAnalysis cannot have made.
func decodeAnalysis(b []byte, conceptTerms []string) (terms []indexTerm, length float32, digest uint64, err error) {
	if len(b) < 1+12 {
		return nil, 0, 0, errCorrupt
	}
	body, sum := b[:len(b)-4], binary.LittleEndian.Uint32(b[len(b)-4:])
	if crc32.Checksum(body, crcTable) != sum || body[0] != analysisFormat {
		return nil, 0, 0, errCorrupt
	}
	digest = binary.LittleEndian.Uint64(body[len(body)-8:])
	r := reader{b: body[1 : len(body)-8]}
	k := r.count(1)
	var chars []rune
	if r.err == nil {
		chars = make([]rune, k)
	}
	last := uint64(0)
	for i := 0; i < k && r.err == nil; i++ {
		last += r.uvarint(unicode.MaxRune)
		// Rising code points beyond ASCII, each a valid character.
		if (i > 0 && last == uint64(chars[i-1])) || last < utf8.RuneSelf || last > unicode.MaxRune || !utf8.ValidRune(rune(last)) {
			r.err = errCorrupt
			break
		}
		chars[i] = rune(last)
	}
	n := r.count(2) // a term takes at least two bytes
	m := 0
	if r.err == nil {
		terms = make([]indexTerm, 0, n+4)
	}
	var prev, cur []byte
	var prevText string
	var text []byte
	for i := 0; i < n && r.err == nil; i++ {
		head := r.uvarint(math.MaxInt32)
		shared := head & 15
		if shared == 15 {
			shared += r.uvarint(math.MaxInt32)
		}
		if shared > uint64(len(prev)) {
			r.err = errCorrupt
			break
		}
		rest := r.bytes(int(head >> 4))
		tf := r.uvarint(math.MaxUint16)
		if r.err != nil {
			break
		}
		cur = append(append(cur[:0], prev[:shared]...), rest...)
		text = text[:0]
		for j := 0; j < len(cur); j++ {
			c := cur[j]
			switch {
			case c < utf8.RuneSelf:
				text = append(text, c)
				continue
			case c < 0xff:
				if int(c-utf8.RuneSelf) < len(chars) {
					text = utf8.AppendRune(text, chars[c-utf8.RuneSelf])
					continue
				}
			default:
				v, w := binary.Uvarint(cur[j+1:])
				if w > 0 && v < uint64(len(chars)-charEscape) && len(chars) > charEscape {
					text = utf8.AppendRune(text, chars[charEscape+int(v)])
					j += w
					continue
				}
			}
			r.err = errCorrupt
			break
		}
		if r.err != nil {
			break
		}
		term := string(text)
		// Strictly rising order also rules out repeated terms.
		if (i > 0 && term <= prevText) || term == "" || tf == 0 || strings.HasPrefix(term, textanalysis.ConceptPrefix) {
			r.err = errCorrupt
			break
		}
		terms = append(terms, indexTerm{term: term, tf: uint16(tf)})
		prev, cur = cur, prev
		prevText = term
	}
	m = r.count(2)
	idx := 0
	for i := 0; i < m && r.err == nil; i++ {
		d := r.uvarint(uint64(len(conceptTerms)))
		v := r.uvarint(math.MaxUint16<<1 | 1)
		if r.err != nil {
			break
		}
		idx += int(d)
		// Strictly rising indexes, and no frequency of zero.
		if (i > 0 && d == 0) || idx >= len(conceptTerms) || v>>1 == 0 {
			r.err = errCorrupt
			break
		}
		terms = append(terms, indexTerm{term: conceptTerms[idx], tf: uint16(v >> 1), direct: v&1 == 1})
	}
	if r.err == nil {
		switch tag := r.uvarint(math.MaxUint32); {
		case r.err != nil:
		case tag == 1:
			if raw := r.bytes(4); r.err == nil {
				length = math.Float32frombits(binary.LittleEndian.Uint32(raw))
			}
		case tag&1 == 0:
			length = float32(float64(tag>>1) / 2)
		default:
			r.err = errCorrupt
		}
	}
	if r.err != nil || len(r.b) != 0 || math.IsNaN(float64(length)) || math.IsInf(float64(length), 0) || length < 0 {
		return nil, 0, 0, errCorrupt
	}
	return terms, length, digest, nil
}

// reader reads varints and byte runs, remembering the first error.
type reader struct {
	b   []byte
	err error
}

func (r *reader) uvarint(limit uint64) uint64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Uvarint(r.b)
	if n <= 0 || v > limit {
		r.err = errCorrupt
		return 0
	}
	r.b = r.b[n:]
	return v
}

// count reads a number of items of at least min bytes each, which the
// rest of the input must be able to hold.
func (r *reader) count(min int) int {
	n := r.uvarint(uint64(len(r.b) / min))
	return int(n)
}

func (r *reader) bytes(n int) []byte {
	if r.err != nil {
		return nil
	}
	if n > len(r.b) {
		r.err = errCorrupt
		return nil
	}
	out := r.b[:n]
	r.b = r.b[n:]
	return out
}

// storedState is what an index needs to check and make stored analyses,
// computed once.
type storedState struct {
	once         sync.Once
	fingerprint  string
	conceptTerms []string // index term of each vocabulary concept
}

func (m *Memory) storedInit() *storedState {
	s := &m.stored
	s.once.Do(func() {
		s.fingerprint = fingerprint(m.an)
		for _, c := range m.an.Concepts() {
			s.conceptTerms = append(s.conceptTerms, textanalysis.ConceptPrefix+c.ID)
		}
	})
	return s
}

// AnalysisFingerprint names the analyses the index computes: stored
// analyses with another fingerprint are stale.
func (m *Memory) AnalysisFingerprint() string { return m.storedInit().fingerprint }

// PutStored is Put with analyses stored earlier: prior holds the stored
// analyses of some of the documents' listings, by listing id, and each is
// used instead of analysing the listing when it is fresh (see the top of
// this file). It returns the analyses it computed of listings with an id,
// for storing, and how many it took from prior.
func (m *Memory) PutStored(ctx context.Context, docs []Document, prior map[int64]*isa.ListingAnalysis) (computed []isa.ListingAnalysis, reused int, err error) {
	return m.put(ctx, docs, prior, true)
}

// reuse decodes a stored analysis of l if it is fresh. The caller has let
// the lexicon learn the listing's batch, as for analysing it.
func (m *Memory) reuse(p *isa.ListingAnalysis, fp string, l *isa.Listing) (analysed, bool) {
	if p.Fingerprint != fp || p.InputHash != inputHash(l) {
		return analysed{}, false
	}
	terms, length, digest, err := decodeAnalysis(p.Data, m.storedInit().conceptTerms)
	if err != nil || digest != splitDigest(m.an, l) {
		return analysed{}, false
	}
	return analysed{terms: terms, length: length}, true
}

// encode makes the stored form of a computed analysis; Data stays nil
// when it cannot be stored.
func (m *Memory) encode(fp string, l *isa.Listing, a *analysed) isa.ListingAnalysis {
	data := encodeAnalysis(a.terms, a.length, splitDigest(m.an, l), m.an.ConceptIndex)
	return isa.ListingAnalysis{ListingID: l.ID, Fingerprint: fp, InputHash: inputHash(l), Data: data}
}
