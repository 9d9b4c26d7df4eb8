// Package bench is the speed-and-scale proof of the partner database: it
// generates a synthetic data set of any size, imports it into fresh SQLite
// and PostgreSQL databases through the same code path as `isa import`,
// builds the search index as `isa serve` does, and measures import
// throughput, index build time, search latency over a fixed mixed query set
// (with facet counts), match latency and peak memory. In the same run it
// puts the same queries to plain PostgreSQL full-text search over the same
// data, so that the report can say how much faster (or slower) our engine
// is. It backs the `isa bench` subcommand; docs/benchmarks.md holds the
// measured tables.
package bench

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"github.com/isa-alliance/isa"
	"github.com/isa-alliance/isa/internal/gen"
	"github.com/isa-alliance/isa/internal/interchange"
	"github.com/isa-alliance/isa/internal/matching"
	"github.com/isa-alliance/isa/internal/nace"
	"github.com/isa-alliance/isa/internal/search"
	"github.com/isa-alliance/isa/internal/storage"
	"github.com/isa-alliance/isa/internal/textanalysis"
)

// Engine names.
const (
	SQLite   = "sqlite"
	Postgres = "postgres"
)

// DefaultPostgresURL is the local server the benchmark creates its scratch
// databases on when no URL is configured.
const DefaultPostgresURL = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

// Options controls one benchmark run. Zero fields take the defaults named.
type Options struct {
	// Listings is the size of the generated data set; at least 1.
	Listings int
	// Seed selects the generated data set.
	Seed int64
	// Engines are the storage engines to measure; nil: SQLite and
	// PostgreSQL.
	Engines []string
	// PostgresURL names a server and a database on it from which the
	// benchmark may create and drop scratch databases; "":
	// DefaultPostgresURL.
	PostgresURL string
	// NoBaseline skips plain PostgreSQL full-text search (it runs only
	// when PostgreSQL is among the engines).
	NoBaseline bool
	// Queries is the search query set; nil: DefaultQueries.
	Queries []Query
	// Rounds is how often the query set is timed after one warm-up round;
	// 0: 5.
	Rounds int
	// MatchSample is how many listings (spread evenly over the data set)
	// matching is timed for; 0: 100.
	MatchSample int
	// Now is the clock; nil: time.Now. Today, the reference day of the
	// data and the queries, is its date.
	Now func() time.Time
	// TempDir holds the data file and the SQLite database; "": the
	// system's temporary folder.
	TempDir string
	// Import are the options of the application's import (the real NACE
	// table and language detector); their Today is set to the run's day.
	// Zero: the same defaults as the application.
	Import interchange.Options
	// Labels names NACE codes in match reasons; nil: codes only.
	Labels matching.Industries
	// AfterIndex, when set, is called once per engine when the search index
	// is built, at the peak of memory use (for a heap profile).
	AfterIndex func(engine string)
	// Logger receives the logs of storage, import and index; nil: none.
	Logger *slog.Logger
	// Progress receives one line per finished step; nil: none.
	Progress io.Writer
}

func (o *Options) defaults() error {
	if o.Listings < 1 {
		return isa.Invalid("listings", "the benchmark needs at least 1 listing")
	}
	if o.Engines == nil {
		o.Engines = []string{SQLite, Postgres}
	}
	for _, e := range o.Engines {
		if e != SQLite && e != Postgres {
			return isa.Invalid("engines", "unknown engine %q (sqlite or postgres)", e)
		}
	}
	if o.PostgresURL == "" {
		o.PostgresURL = DefaultPostgresURL
	}
	if o.Queries == nil {
		o.Queries = DefaultQueries
	}
	if o.Rounds <= 0 {
		o.Rounds = 5
	}
	if o.MatchSample <= 0 {
		o.MatchSample = 100
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Progress == nil {
		o.Progress = io.Discard
	}
	if o.Import.NACE == nil {
		o.Import.NACE = nace.Default()
	}
	if o.Import.DetectLang == nil {
		o.Import.DetectLang = textanalysis.Detect
	}
	if o.Import.Logger == nil {
		o.Import.Logger = o.Logger
	}
	return nil
}

// Report is the outcome of a run: what was measured, on what data, on
// which machine.
type Report struct {
	Date        time.Time `json:"date"`
	Revision    string    `json:"revision,omitempty"` // of the binary, from its build information
	Machine     Machine   `json:"machine"`
	Listings    int       `json:"listings"`
	Orgs        int       `json:"organisations"`
	DataBytes   int64     `json:"data_bytes"`
	Seed        int64     `json:"seed"`
	Today       isa.Date  `json:"today"`
	Queries     int       `json:"queries"`
	Rounds      int       `json:"rounds"`
	MatchSample int       `json:"match_sample"`
	// GenerateSeconds is the time to write the data file.
	GenerateSeconds float64 `json:"generate_s"`
	// AnalyzerSeconds is the time to load the analyser (dictionaries and
	// vocabulary), which every process that searches pays once.
	AnalyzerSeconds float64         `json:"analyzer_load_s"`
	Engines         []EngineReport  `json:"engines"`
	Baseline        *BaselineReport `json:"postgres_fts_baseline,omitempty"`
	// LoadStart and LoadEnd are the machine's load averages (1, 5, 15
	// minutes) when the run started and ended: wall-clock figures taken on a
	// busy machine are worth less than the CPU figures beside them.
	LoadStart string `json:"load_avg_start,omitempty"`
	LoadEnd   string `json:"load_avg_end,omitempty"`
	// PeakRSSBytes is the peak resident memory of the whole run.
	PeakRSSBytes int64 `json:"peak_rss_bytes"`
	// PeakPerEngine says whether the engines' peaks were measured apart
	// (VmHWM reset between them); otherwise they are cumulative.
	PeakPerEngine bool `json:"peak_per_engine"`
}

// EngineReport is what one storage engine with our search engine scored.
type EngineReport struct {
	Engine          string  `json:"engine"`
	Imported        int     `json:"imported_listings"`
	Rejected        int     `json:"rejected_records"`
	ImportSeconds   float64 `json:"import_s"`
	ImportPerSecond float64 `json:"import_listings_per_s"`
	// ImportCPUSeconds and IndexCPUSeconds are this process's CPU time
	// (all threads; not the PostgreSQL server's).
	ImportCPUSeconds float64 `json:"import_cpu_s"`
	Indexed          int     `json:"indexed_listings"`
	IndexSeconds     float64 `json:"index_build_s"`
	IndexCPUSeconds  float64 `json:"index_build_cpu_s"`
	Search           Latency `json:"search"`
	// SearchCPU is the CPU time of each search on its thread: what a
	// search costs when it has a core to itself.
	SearchCPU Latency `json:"search_cpu"`
	Match     Latency `json:"match"`
	MatchCPU  Latency `json:"match_cpu"`
	// HeapInUseBytes is the Go heap in use with the index built, after a
	// collection.
	HeapInUseBytes int64         `json:"heap_in_use_bytes"`
	PeakRSSBytes   int64         `json:"peak_rss_bytes"`
	PerQuery       []QueryResult `json:"per_query"`
}

// QueryResult is one query's hits and median latency.
type QueryResult struct {
	Name  string  `json:"name"`
	Total int     `json:"total"`
	P50   float64 `json:"p50_ms"`
}

// Run runs the benchmark and returns its report. It cleans up after
// itself: the data file, the SQLite folder and the scratch PostgreSQL
// databases are removed even when it fails.
func Run(ctx context.Context, opts Options) (*Report, error) {
	if err := opts.defaults(); err != nil {
		return nil, err
	}
	now := opts.Now()
	today := isa.DateOf(now)
	rep := &Report{
		Date: now.UTC().Truncate(time.Second), Machine: machine(), Listings: opts.Listings, Seed: opts.Seed,
		Today: today, Queries: len(opts.Queries), Rounds: opts.Rounds, MatchSample: min(opts.MatchSample, opts.Listings),
		LoadStart: loadAvg(), Revision: revision(),
	}
	for _, q := range opts.Queries {
		if _, err := q.search(today); err != nil {
			return nil, err
		}
	}
	work, err := os.MkdirTemp(opts.TempDir, "isa-bench-")
	if err != nil {
		return nil, fmt.Errorf("bench: temporary folder: %w", err)
	}
	defer os.RemoveAll(work)

	data := filepath.Join(work, "listings.jsonl")
	start := time.Now()
	st, err := writeData(data, gen.Options{Listings: opts.Listings, Seed: opts.Seed, Today: today})
	if err != nil {
		return nil, err
	}
	rep.GenerateSeconds = time.Since(start).Seconds()
	rep.Orgs, rep.DataBytes = st.Orgs, st.Bytes
	fmt.Fprintf(opts.Progress, "bench: generated %d listings, %d organisations, %d MB in %s\n",
		st.Listings, st.Orgs, st.Bytes>>20, round(time.Since(start)))

	r := &runner{opts: opts, today: today, data: data, work: work, orgs: st.Orgs}
	rep.PeakPerEngine = resetPeakRSS()
	for i, engine := range opts.Engines {
		// Each engine gets a fresh analyser, as a fresh process would: the
		// analyser learns the words of what it indexes.
		start := time.Now()
		if r.an, err = loadAnalyzer(); err != nil {
			return nil, err
		}
		if i == 0 {
			rep.AnalyzerSeconds = time.Since(start).Seconds()
		}
		er, base, err := r.engine(ctx, engine)
		if err != nil {
			return nil, fmt.Errorf("bench: %s: %w", engine, err)
		}
		rep.Engines = append(rep.Engines, *er)
		if base != nil {
			rep.Baseline = base
		}
		rep.PeakRSSBytes = max(rep.PeakRSSBytes, er.PeakRSSBytes)
		// The next engine starts from the memory a fresh process would.
		r.an = nil
		debug.FreeOSMemory()
		resetPeakRSS()
	}
	rep.LoadEnd = loadAvg()
	return rep, nil
}

func writeData(path string, o gen.Options) (gen.Stats, error) {
	f, err := os.Create(path)
	if err != nil {
		return gen.Stats{}, fmt.Errorf("bench: create data file: %w", err)
	}
	st, err := gen.Write(f, o)
	if cerr := f.Close(); err == nil && cerr != nil {
		err = cerr
	}
	if err != nil {
		return st, fmt.Errorf("bench: generate data: %w", err)
	}
	return st, nil
}

// loadAnalyzer loads the analyser and its Chinese dictionary, which
// otherwise loads on first use and would be charged to the index build.
func loadAnalyzer() (*textanalysis.Analyzer, error) {
	an, err := textanalysis.Default()
	if err != nil {
		return nil, fmt.Errorf("bench: load analyser: %w", err)
	}
	for _, lang := range []isa.Lang{isa.ZH, isa.DE, isa.EN} {
		if _, err := an.Analyze(warmText[lang], lang); err != nil {
			return nil, fmt.Errorf("bench: warm analyser: %w", err)
		}
	}
	return an, nil
}

var warmText = map[isa.Lang]string{
	isa.ZH: "我们是一家注塑模具企业，寻找德国合作伙伴。",
	isa.DE: "Wir fertigen Spritzgießwerkzeuge und suchen Partner in China.",
	isa.EN: "We make injection moulds and look for partners in Germany.",
}

// runner carries what the engines of one run share.
type runner struct {
	opts  Options
	today isa.Date
	an    *textanalysis.Analyzer
	data  string
	work  string
	orgs  int // organisations in the data file
}

func (r *runner) now() time.Time { return r.opts.Now() }

// engine measures one storage engine and, on PostgreSQL, the plain
// full-text baseline on the same database.
func (r *runner) engine(ctx context.Context, engine string) (rep *EngineReport, base *BaselineReport, err error) {
	cfg := storage.Config{Logger: r.opts.Logger}
	var scratch *scratchDB
	switch engine {
	case SQLite:
		cfg.DataDir = filepath.Join(r.work, "sqlite")
		defer os.RemoveAll(cfg.DataDir)
	case Postgres:
		scratch, err = createScratch(ctx, r.opts.PostgresURL)
		if err != nil {
			return nil, nil, err
		}
		defer func() {
			// Cleaning up must happen even when the run was interrupted.
			if derr := scratch.drop(context.WithoutCancel(ctx)); derr != nil && err == nil {
				err = derr
			}
		}()
		cfg.DatabaseURL = scratch.url
	}
	db, err := storage.Open(ctx, cfg)
	if err != nil {
		return nil, nil, fmt.Errorf("open database: %w", err)
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		return nil, nil, fmt.Errorf("migrate: %w", err)
	}

	rep = &EngineReport{Engine: engine}
	iopts := r.opts.Import
	iopts.Today = r.today
	cpu0 := processCPU()
	sum, err := interchange.ImportFiles(ctx, db, iopts, r.data)
	if err != nil {
		return nil, nil, fmt.Errorf("import: %w", err)
	}
	if sum.Err != nil {
		return nil, nil, fmt.Errorf("import: %w", sum.Err)
	}
	// The summary counts organisations and listings alike.
	rep.Imported = sum.Created + sum.Updated + sum.Unchanged - r.orgs
	rep.Rejected = sum.Rejected
	rep.ImportSeconds = sum.Elapsed.Seconds()
	rep.ImportCPUSeconds = (processCPU() - cpu0).Seconds()
	if rep.ImportSeconds > 0 {
		rep.ImportPerSecond = float64(rep.Imported) / rep.ImportSeconds
	}
	fmt.Fprintf(r.opts.Progress, "bench: %s: imported %d listings in %s (%.0f listings/s, %d rejected)\n",
		engine, rep.Imported, round(sum.Elapsed), rep.ImportPerSecond, rep.Rejected)

	start, cpu0 := time.Now(), processCPU()
	idx := search.NewMemory(r.an, r.now)
	n, err := search.NewLoader(db, idx, r.opts.Logger).Rebuild(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("build index: %w", err)
	}
	rep.Indexed, rep.IndexSeconds = n, time.Since(start).Seconds()
	rep.IndexCPUSeconds = (processCPU() - cpu0).Seconds()
	rep.HeapInUseBytes = heapInUse()
	fmt.Fprintf(r.opts.Progress, "bench: %s: indexed %d listings in %s, heap %d MiB\n",
		engine, n, round(time.Since(start)), rep.HeapInUseBytes>>20)
	if r.opts.AfterIndex != nil {
		r.opts.AfterIndex(engine)
	}

	lat, cpu, per, err := r.searches(ctx, idx)
	if err != nil {
		return nil, nil, err
	}
	rep.Search, rep.SearchCPU, rep.PerQuery = lat, cpu, per
	fmt.Fprintf(r.opts.Progress, "bench: %s: search p50 %.1f ms, p95 %.1f ms\n", engine, lat.P50, lat.P95)

	m := matching.New(idx, r.an, db, r.opts.Labels, r.now)
	if rep.Match, rep.MatchCPU, err = r.matches(ctx, m); err != nil {
		return nil, nil, err
	}
	fmt.Fprintf(r.opts.Progress, "bench: %s: match p50 %.1f ms, p95 %.1f ms\n", engine, rep.Match.P50, rep.Match.P95)
	rep.PeakRSSBytes = peakRSS()

	if engine == Postgres && !r.opts.NoBaseline {
		if base, err = r.baseline(ctx, scratch); err != nil {
			return nil, nil, fmt.Errorf("plain full-text baseline: %w", err)
		}
	}
	return rep, base, nil
}

// searches times the query set: one untimed warm-up round (caches, lazily
// built tables), then Rounds timed rounds.
func (r *runner) searches(ctx context.Context, idx search.Index) (wall, cpu Latency, per []QueryResult, err error) {
	qs := make([]search.Query, len(r.opts.Queries))
	for i, q := range r.opts.Queries {
		sq, err := q.search(r.today)
		if err != nil {
			return wall, cpu, nil, err
		}
		qs[i] = sq
	}
	// A search runs on the calling goroutine; locked to one thread, the
	// thread's CPU clock measures it alone.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	per = make([]QueryResult, len(qs))
	times := make([][]time.Duration, len(qs))
	var all, cpus []time.Duration
	for round := 0; round <= r.opts.Rounds; round++ {
		for i, q := range qs {
			c0, start := threadCPU(), time.Now()
			res, err := idx.Search(ctx, q)
			took, c := time.Since(start), threadCPU()-c0
			if err != nil {
				return wall, cpu, nil, fmt.Errorf("search %s: %w", r.opts.Queries[i].Name, err)
			}
			if round == 0 {
				per[i] = QueryResult{Name: r.opts.Queries[i].Name, Total: res.Total}
				continue
			}
			times[i] = append(times[i], took)
			all = append(all, took)
			cpus = append(cpus, c)
		}
	}
	for i := range per {
		per[i].P50 = summarise(times[i]).P50
	}
	return summarise(all), summarise(cpus), per, nil
}

// sampleRefs are the refs of MatchSample listings spread evenly over the
// generated set (gen numbers listings from 1 with the prefix "gen-l-").
func (r *runner) sampleRefs() []string {
	n := min(r.opts.MatchSample, r.opts.Listings)
	refs := make([]string, n)
	for i := range n {
		refs[i] = fmt.Sprintf("gen-l-%d", 1+i*r.opts.Listings/n)
	}
	return refs
}

// matches times matching for the sample; the CPU figure includes the
// client side of reading the listing from the database, not the server's.
func (r *runner) matches(ctx context.Context, m *matching.Matcher) (wall, cpu Latency, err error) {
	refs := r.sampleRefs()
	for _, ref := range refs[:min(5, len(refs))] {
		if _, err := m.Matches(ctx, ref, isa.EN, matching.DefaultLimit); err != nil {
			return wall, cpu, fmt.Errorf("match %s: %w", ref, err)
		}
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	times := make([]time.Duration, 0, len(refs))
	cpus := make([]time.Duration, 0, len(refs))
	for _, ref := range refs {
		c0, start := threadCPU(), time.Now()
		_, err := m.Matches(ctx, ref, isa.EN, matching.DefaultLimit)
		if err != nil {
			return wall, cpu, fmt.Errorf("match %s: %w", ref, err)
		}
		times = append(times, time.Since(start))
		cpus = append(cpus, threadCPU()-c0)
	}
	return summarise(times), summarise(cpus), nil
}

func round(d time.Duration) time.Duration {
	if d > time.Second {
		return d.Round(100 * time.Millisecond)
	}
	return d.Round(time.Millisecond)
}

// ParseEngines splits a comma-separated engine list.
func ParseEngines(s string) ([]string, error) {
	var out []string
	for _, e := range splitComma(s) {
		if e != SQLite && e != Postgres {
			return nil, isa.Invalid("engines", "unknown engine %q (sqlite or postgres)", e)
		}
		if !slices.Contains(out, e) {
			out = append(out, e)
		}
	}
	if len(out) == 0 {
		return nil, isa.Invalid("engines", "name at least one engine (sqlite, postgres)")
	}
	return out, nil
}

func splitComma(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
