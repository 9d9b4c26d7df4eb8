package search_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/isa-alliance/isa"
	"github.com/isa-alliance/isa/internal/search"
	"github.com/isa-alliance/isa/internal/textanalysis"
)

// Synthetic listings for benchmarks: titles and descriptions made of
// vocabulary terms of a few related concepts and filler words, in German,
// Chinese or English, with the attributes spread over the member cities.
var (
	fillDE   = strings.Fields("wir suchen bieten einen zuverlässigen partner für die fertigung und den vertrieb unserer produkte in deutschland mit langjähriger erfahrung qualität lieferung kurzfristig")
	fillEN   = strings.Fields("we offer look for a reliable partner for production and distribution of our products in europe with many years experience quality delivery short notice")
	fillZH   = strings.Fields("我司 专业 生产 诚寻 德国 合作伙伴 质量 稳定 交货 及时 欢迎 洽谈 年产 出口 欧洲 客户")
	citiesDE = strings.Fields("aachen bad-homburg bottrop chemnitz fulda goettingen hamburg hildesheim ingolstadt kaiserslautern koeln ludwigshafen mainz nuernberg rhein-kreis-neuss drei-gewinnt schwarzwald solingen wuppertal")
	citiesCN = strings.Fields("foshan taizhou baoan liuzhou maoming nansha deyang nanning jieyang jiaozuo nanchang maanshan zhuzhou jiangmen guiyang zhaoqing panjin shantou weihai xiaoshan lanzhou")
)

func synthetic(concepts []textanalysis.Concept, n int, seed uint64) []search.Document {
	r := rand.New(rand.NewPCG(seed, seed^0x5eed))
	docs := make([]search.Document, n)
	base := isa.Date("2026-01-01").Time()
	term := func(c textanalysis.Concept, l isa.Lang) string {
		ts := c.Terms[l]
		if len(ts) == 0 {
			ts = c.Terms[isa.EN]
		}
		if len(ts) == 0 {
			return ""
		}
		return ts[r.IntN(len(ts))]
	}
	for i := range docs {
		lang := isa.Langs[r.IntN(3)]
		fill, sep := fillEN, " "
		switch lang {
		case isa.DE:
			fill = fillDE
		case isa.ZH:
			fill, sep = fillZH, ""
		}
		main := concepts[r.IntN(len(concepts))]
		var title, desc []string
		title = append(title, term(main, lang), term(concepts[r.IntN(len(concepts))], lang))
		for w := 0; w < 30; w++ {
			if w%4 == 0 {
				desc = append(desc, term(concepts[r.IntN(len(concepts))], lang))
			} else if w%7 == 0 {
				desc = append(desc, term(main, lang))
			} else {
				desc = append(desc, fill[r.IntN(len(fill))])
			}
		}
		country, city := isa.Germany, citiesDE[r.IntN(len(citiesDE))]
		if r.IntN(2) == 0 {
			country, city = isa.China, citiesCN[r.IntN(len(citiesCN))]
		}
		kind := isa.Offer
		if r.IntN(3) == 0 {
			kind = isa.Request
		}
		pub := base.AddDate(0, 0, r.IntN(320))
		exp := pub.AddDate(1, 0, 0)
		if r.IntN(20) == 0 {
			exp = pub.AddDate(0, 1, 0) // some listings have expired
		}
		l := &isa.Listing{
			Ref: "s-" + strconv.Itoa(i), Org: "o-" + strconv.Itoa(i/3), Kind: kind, Lang: lang,
			Title: strings.Join(title, sep), Description: strings.Join(desc, sep),
			Cooperation: []string{isa.CooperationTypes[r.IntN(len(isa.CooperationTypes))]},
			Industries:  main.NACE, State: isa.Published,
			Published: isa.DateOf(pub), Expires: isa.DateOf(exp),
		}
		docs[i] = search.Document{Listing: l, OrgKind: isa.OrgKinds[r.IntN(2)], Country: country, City: city}
	}
	return docs
}

// benchQueries is the fixed mixed set of queries: single words and short
// phrases in the three languages, some with typing errors.
var benchQueries = []string{
	"Wärmepumpe", "heat pump", "热泵", "Laserschneiden Lohnfertigung", "钣金加工", "gearbox",
	"Schneckengetriebe", "rail freight China Europe", "中欧班列", "Warmepumpe", "swich", "injection mould",
	"Spritzgießwerkzeug", "电动自行车电池", "joint venture", "Vertrieb", "service", "sensor", "Kunststoff", "电机",
}

var (
	benchOnce sync.Once
	benchIdx  *search.Memory
	benchAn   *textanalysis.Analyzer
	benchN    int
	benchLoad time.Duration
)

// benchIndex builds the synthetic index once: ISA_BENCH_N listings
// (default 100,000).
func benchIndex(b *testing.B) *search.Memory {
	benchOnce.Do(func() {
		benchN = 100000
		if s := os.Getenv("ISA_BENCH_N"); s != "" {
			benchN, _ = strconv.Atoi(s)
		}
		an, err := textanalysis.Default()
		if err != nil {
			b.Fatal(err)
		}
		benchAn = an
		docs := synthetic(an.Concepts(), benchN, 1)
		idx := search.NewMemory(an, func() time.Time { return time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC) })
		start := time.Now()
		for i := 0; i < len(docs); i += 50000 {
			if err := idx.Put(context.Background(), docs[i:min(i+50000, len(docs))]...); err != nil {
				b.Fatal(err)
			}
		}
		benchLoad = time.Since(start)
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		fmt.Fprintf(os.Stderr, "indexed %d synthetic listings in %s (%.0f/s), heap %d MiB\n",
			benchN, benchLoad.Round(time.Millisecond), float64(benchN)/benchLoad.Seconds(), ms.HeapAlloc>>20)
		benchIdx = idx
	})
	return benchIdx
}

func percentiles(d []time.Duration) (p50, p95, p99 time.Duration) {
	sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
	at := func(p float64) time.Duration { return d[min(len(d)-1, int(p*float64(len(d))))] }
	return at(0.50), at(0.95), at(0.99)
}

// BenchmarkSearchWithFacets runs the fixed query set with facet counts
// and reports p50/p95/p99 latencies.
func BenchmarkSearchWithFacets(b *testing.B) {
	idx := benchIndex(b)
	ctx := context.Background()
	var lat []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		q := benchQueries[i%len(benchQueries)]
		start := time.Now()
		if _, err := idx.Search(ctx, search.Query{Text: q, Limit: 20}); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(start))
	}
	p50, p95, p99 := percentiles(lat)
	b.ReportMetric(float64(p50.Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(p95.Microseconds())/1000, "p95-ms")
	b.ReportMetric(float64(p99.Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(benchN), "listings")
}

// BenchmarkMatchCandidates runs the index side of matching for listings
// of the synthetic set: their analysed terms as a weighted query.
func BenchmarkMatchCandidates(b *testing.B) {
	idx := benchIndex(b)
	ctx := context.Background()
	docs := synthetic(benchAn.Concepts(), 200, 1)
	queries := make([]search.MatchQuery, len(docs))
	for i, d := range docs {
		tf, _, err := search.Analyse(benchAn, d.Listing)
		if err != nil {
			b.Fatal(err)
		}
		var terms []search.WeightedTerm
		for t, f := range tf {
			terms = append(terms, search.WeightedTerm{Term: t, Weight: float64(f)})
		}
		sort.Slice(terms, func(i, j int) bool { return terms[i].Weight > terms[j].Weight })
		queries[i] = search.MatchQuery{Terms: terms[:min(60, len(terms))], Kind: d.Listing.Kind.Opposite(), ExcludeOrg: d.Listing.Org, Limit: 200}
	}
	var lat []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		if _, err := idx.Match(ctx, queries[i%len(queries)]); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(start))
	}
	p50, p95, p99 := percentiles(lat)
	b.ReportMetric(float64(p50.Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(p95.Microseconds())/1000, "p95-ms")
	b.ReportMetric(float64(p99.Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(benchN), "listings")
}
