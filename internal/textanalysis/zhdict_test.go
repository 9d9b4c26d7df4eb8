package textanalysis

import (
	"bytes"
	"compress/flate"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/go-ego/gse"

	"github.com/isa-alliance/isa/internal/textanalysis/internal/zhdictgen"
	"github.com/isa-alliance/isa/internal/vocab"
)

// gseSegmenter loads the Chinese segmenter the way the analyser did before
// the dictionary was embedded: gse's embedded dictionary plus the
// vocabulary's Chinese terms. It is the reference the embedded dictionary
// and the segmenter over it are held to.
func gseSegmenter(hanKeys []string) (*gse.Segmenter, error) {
	seg := &gse.Segmenter{SkipLog: true}
	if err := seg.LoadDictEmbed("zh_s"); err != nil {
		return nil, err
	}
	for _, k := range hanKeys {
		if err := seg.AddToken(k, hanTermFreq, "n"); err != nil {
			return nil, err
		}
	}
	seg.CalcToken()
	return seg, nil
}

// shippedSegmenters returns shippedAnalyzer (with gse's segmenter as
// r.old) and the analyser's embedded segmenter.
func shippedSegmenters(tb testing.TB) (struct {
	a   *Analyzer
	old *gse.Segmenter
}, *zhSegmenter) {
	tb.Helper()
	r, err := shippedAnalyzer()
	if err != nil {
		tb.Fatal(err)
	}
	seg, err := r.a.segmenter()
	if err != nil {
		tb.Fatal(err)
	}
	return r, seg
}

// shippedAnalyzer is an analyser over the shipped vocabulary with both
// segmenters, loaded once for the tests of this file (the old one takes
// seconds).
var shippedAnalyzer = sync.OnceValues(func() (struct {
	a   *Analyzer
	old *gse.Segmenter
}, error) {
	var r struct {
		a   *Analyzer
		old *gse.Segmenter
	}
	v, err := vocab.Default()
	if err != nil {
		return r, err
	}
	if r.a, err = New(FromVocabulary(v)); err != nil {
		return r, err
	}
	var keys []string
	for k := range r.a.hanKeys {
		keys = append(keys, k)
	}
	r.old, err = gseSegmenter(keys)
	return r, err
})

func TestZhDictIsCurrent(t *testing.T) {
	if testing.Short() {
		t.Skip("loads gse's dictionary")
	}
	d, err := zhdictgen.Load()
	if err != nil {
		t.Fatal(err)
	}
	want := zhdictgen.Encode(d)
	got, err := io.ReadAll(flate.NewReader(bytes.NewReader(zhDictData)))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("zhdict.bin (%d bytes inflated) differs from gse's dictionary (%d bytes): run go generate ./internal/textanalysis", len(got), len(want))
	}
	src, err := zhdictgen.Source()
	if err != nil {
		t.Fatal(err)
	}
	if src != zhDictSource {
		t.Errorf("zhdict.bin comes from %s, go.mod has %s: run go generate ./internal/textanalysis", zhDictSource, src)
	}
}

// TestZhDictAnswersAsGse checks every word of the dictionary and every
// prefix of one: the embedded dictionary must find what gse finds, with
// the same frequency, and hold no word gse does not.
func TestZhDictAnswersAsGse(t *testing.T) {
	if testing.Short() {
		t.Skip("loads gse's dictionary")
	}
	r, seg := shippedSegmenters(t)
	old := r.old.Dictionary()
	var total uint64
	for _, tb := range seg.tables {
		for i := range tb.len() {
			total += uint64(tb.freq[i])
		}
	}
	if float64(total) != old.TotalFreq() || seg.logT != math.Log(old.TotalFreq()) {
		t.Fatalf("total frequency %d, gse %v", total, old.TotalFreq())
	}
	words := 0
	for _, tb := range seg.tables {
		words += tb.len()
	}
	if words != old.NumTokens() {
		t.Errorf("%d words, gse %d", words, old.NumTokens())
	}
	bad := 0
	for i := range old.Tokens {
		tok := &old.Tokens[i]
		w := tok.Text()
		if f, ok := seg.find(w); float64(f) != tok.Freq() || !ok {
			t.Errorf("word %q: frequency %d, %v; gse %v", w, f, ok, tok.Freq())
			bad++
		}
		// Every proper prefix, on rune boundaries as the segmenter asks.
		for j := range w {
			if j == 0 {
				continue
			}
			f, ok := seg.find(w[:j])
			gf, _, gok := r.old.Find(w[:j])
			if float64(f) != gf || ok != gok {
				t.Errorf("prefix %q: %d, %v; gse %v, %v", w[:j], f, ok, gf, gok)
				bad++
			}
		}
		if bad > 10 {
			t.Fatal("too many differences")
		}
	}
}

// chineseSamples returns Chinese texts to segment: the Han runs of the
// demo listings and of the vocabulary data, sentences of our own, and
// random strings built from dictionary words, vocabulary terms and single
// characters (which reach the rarer paths: characters no word starts with,
// mere prefixes, ties).
func chineseSamples(t *testing.T, seg *zhSegmenter, hanKeys []string) []string {
	t.Helper()
	var texts []string
	var files []string
	for _, pattern := range []string{"../demo/*.jsonl", "../vocab/data/*.txt"} {
		m, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	if len(files) < 10 {
		t.Fatalf("only %d sample files found", len(files))
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		s := string(b)
		for i := 0; i < len(s); {
			r, size := utf8.DecodeRuneInString(s[i:])
			if !isHan(r) {
				i += size
				continue
			}
			j := runEnd(s, i, isHan)
			texts = append(texts, s[i:j])
			i = j
		}
	}
	texts = append(texts,
		"我们公司专业生产注塑模具和精密零件欢迎德国客户来厂参观",
		"寻找德国合作伙伴共同开发新能源汽车电池管理系统",
		"本公司不提供二手设备只销售全新的数控机床",
		"中德工业城市联盟合作伙伴数据库",
		"南京市长江大桥",
		"研究生命起源",
		"结婚的和尚未结婚的",
		"他说的确实在理",
		"乒乓球拍卖完了",
		"工信处女干事每月经过下属科室都要亲口交代二十四口交换机等技术性器件的安装工作",
		"〇一二三四五六七八九十百千万亿",
		"々〆〇", "一", "丄丅", "𠀀𠀁𠀂", "鿕鿖鿗",
		"注塑模具注塑模具注塑模具",
	)
	// Random strings: a fixed seed, so a failure can be reproduced.
	rnd := rand.New(rand.NewPCG(1, 2))
	base := seg.tables[0]
	var chars []string
	for i := 0; i < base.len(); i += 97 {
		for _, r := range string(base.key(i)) {
			chars = append(chars, string(r))
		}
	}
	// Characters that occur in words but start none: where a route may
	// take gse's fallback edge of frequency 1 instead of a word.
	var inner []string
	seen := map[rune]bool{}
	for i := range base.len() {
		for j, r := range string(base.key(i)) {
			if _, starts := base.first[r]; j > 0 && !starts && !seen[r] {
				seen[r] = true
				inner = append(inner, string(r))
			}
		}
	}
	if len(inner) == 0 {
		t.Fatal("no character found that starts no word")
	}
	for range 4000 {
		var b []byte
		for n := 1 + rnd.IntN(12); n > 0; n-- {
			switch rnd.IntN(5) {
			case 4:
				b = append(b, inner[rnd.IntN(len(inner))]...)
			case 0, 1:
				b = append(b, base.key(rnd.IntN(base.len()))...)
			case 2:
				b = append(b, chars[rnd.IntN(len(chars))]...)
			default:
				if len(hanKeys) > 0 {
					b = append(b, hanKeys[rnd.IntN(len(hanKeys))]...)
				}
			}
		}
		texts = append(texts, string(b))
	}
	return texts
}

// TestSegmentationMatchesGse is the proof that the embedded dictionary
// changed nothing: every sample is cut into exactly the words gse cut it
// into, so the analyses stored by the search index stay valid.
func TestSegmentationMatchesGse(t *testing.T) {
	if testing.Short() {
		t.Skip("loads gse's dictionary")
	}
	r, seg := shippedSegmenters(t)
	var keys []string
	for k := range r.a.hanKeys {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	texts := chineseSamples(t, seg, keys)
	// Mixed text too: the segmenter is only given Han runs, but it
	// follows gse on any text.
	texts = append(texts, "ABC注塑模具x9 a b", "IO-Link传感器", "3D打印机", "CNC加工中心Z轴")
	words, bad := 0, 0
	for _, text := range texts {
		got := seg.cut(text)
		want := r.old.Cut(text, false)
		words += len(want)
		if !slices.Equal(got, want) {
			t.Errorf("%q:\n got %q\nwant %q", text, got, want)
			if bad++; bad > 10 {
				t.Fatal("too many differences")
			}
		}
	}
	t.Logf("%d texts, %d words alike", len(texts), words)
	if len(texts) < 4500 || words < 20000 {
		t.Errorf("only %d texts with %d words compared", len(texts), words)
	}
}

// BenchmarkSegmenterLoad measures what the first Chinese text costs a
// process: loading the segmenter for the shipped vocabulary.
func BenchmarkSegmenterLoad(b *testing.B) {
	v, err := vocab.Default()
	if err != nil {
		b.Fatal(err)
	}
	concepts := FromVocabulary(v)
	b.Run("embedded", func(b *testing.B) {
		a, err := New(concepts)
		if err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			// A fresh process decodes the dictionary once; so does
			// every iteration here.
			loadZhDict = sync.OnceValues(loadZhDictOnce)
			a.segOnce = sync.Once{}
			if _, err := a.segmenter(); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("gse", func(b *testing.B) {
		a, err := New(concepts)
		if err != nil {
			b.Fatal(err)
		}
		var keys []string
		for k := range a.hanKeys {
			keys = append(keys, k)
		}
		for b.Loop() {
			if _, err := gseSegmenter(keys); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkSegmentChinese compares the speed of cutting Chinese text.
func BenchmarkSegmentChinese(b *testing.B) {
	r, seg := shippedSegmenters(b)
	text := "我们公司专业生产注塑模具和精密零件欢迎德国客户来厂参观寻找德国合作伙伴共同开发新能源汽车电池管理系统"
	b.Run("embedded", func(b *testing.B) {
		for b.Loop() {
			seg.cut(text)
		}
	})
	b.Run("gse", func(b *testing.B) {
		for b.Loop() {
			r.old.Cut(text, false)
		}
	})
}

func TestDecodeZhDict(t *testing.T) {
	d := zhdictgen.Dict{Total: 40012, Entries: []zhdictgen.Entry{
		{Key: "模具", Freq: 5}, {Key: "注塑", Freq: 3}, {Key: "注塑机", Freq: 40000}, {Key: "注意", Freq: 4},
	}}
	slices.SortFunc(d.Entries, func(a, b zhdictgen.Entry) int { return strings.Compare(a.Key, b.Key) })
	good := zhdictgen.Encode(d)
	tb, total, err := decodeZhDict(good)
	if err != nil {
		t.Fatal(err)
	}
	if total != d.Total || tb.len() != len(d.Entries) {
		t.Fatalf("total %d, %d words; want %d, %d", total, tb.len(), d.Total, len(d.Entries))
	}
	for i, e := range d.Entries {
		if string(tb.key(i)) != e.Key || tb.freq[i] != e.Freq {
			t.Errorf("word %d: %q %d, want %q %d", i, tb.key(i), tb.freq[i], e.Key, e.Freq)
		}
	}
	unsorted := zhdictgen.Encode(zhdictgen.Dict{Total: 2, Entries: []zhdictgen.Entry{{Key: "注塑", Freq: 1}, {Key: "模具", Freq: 1}}})
	for name, payload := range map[string][]byte{
		"empty":     nil,
		"magic":     append([]byte("ISAZH9\n"), good[len(zhDictMagic):]...),
		"truncated": good[:len(good)-3],
		"trailing":  append(slices.Clone(good), 0),
		"unsorted":  unsorted,
	} {
		if _, _, err := decodeZhDict(payload); err == nil {
			t.Errorf("%s: decoded without error", name)
		}
	}
}
