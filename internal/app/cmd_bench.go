package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"runtime/pprof"
	"sync"

	"github.com/isa-alliance/isa"
	"github.com/isa-alliance/isa/internal/bench"
)

func cmdBench(ctx context.Context, env *Env, fs *flag.FlagSet, args []string) error {
	n := fs.Int("listings", 10000, "number of listings to generate and import")
	engines := fs.String("engines", "sqlite,postgres", "storage engines to measure, comma-separated: sqlite, postgres")
	queries := fs.String("queries", "", "query set in JSON Lines (default: the fixed set built in)")
	seed := fs.Int64("seed", 1, "seed of the generated data")
	out := fs.String("out", "", "also write the report as JSON to this file")
	rounds := fs.Int("rounds", 5, "timed rounds over the query set, after one warm-up round")
	sample := fs.Int("match-sample", 100, "listings whose matches are timed")
	noBaseline := fs.Bool("no-baseline", false, "skip plain PostgreSQL full-text search")
	tmp := fs.String("tmp", "", "folder for the data file and the SQLite database (default: system temporary folder)")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the whole run to this file")
	memProfile := fs.String("memprofile", "", "write a heap profile, taken when the first search index is built, to this file")
	if _, err := parse(fs, args, "", "Generates N listings, imports them into fresh databases (SQLite in a temporary folder; PostgreSQL in a scratch database\n"+
		"created from ISA_BENCH_POSTGRES_URL or "+bench.DefaultPostgresURL+" and dropped afterwards), builds the search index\n"+
		"and reports import throughput, index build time, search and match latency and peak memory, beside plain PostgreSQL full-text search."); err != nil {
		return err
	}
	if *n < 1 {
		return usageError{errors.New("--listings must be at least 1")}
	}
	// The same heap limit as serve, so that peak memory is what a server
	// with this many listings would use.
	if err := applyMemoryLimit(env); err != nil {
		return err
	}
	eng, err := bench.ParseEngines(*engines)
	if err != nil {
		return usageError{errors.New(isa.ErrorMessage(err))}
	}
	// Storage and import log every migration and batch at info level; a
	// benchmark shows its own progress, so they speak only when asked.
	logger := newLogger(env.Stderr, firstNonEmpty(env.Getenv("ISA_LOG_LEVEL"), "warn"), env.Getenv("ISA_LOG_FORMAT"))
	iopts := importOptions(env)
	iopts.Logger = logger
	opts := bench.Options{
		Listings: *n, Seed: *seed, Engines: eng, PostgresURL: env.Getenv("ISA_BENCH_POSTGRES_URL"),
		NoBaseline: *noBaseline, Rounds: *rounds, MatchSample: *sample, Now: env.Now, TempDir: *tmp,
		Import: iopts, Labels: naceLabels{}, Logger: logger, Progress: env.Stderr,
	}
	if *queries != "" {
		f, err := os.Open(*queries)
		if err != nil {
			return usageError{fmt.Errorf("--queries: %w", err)}
		}
		opts.Queries, err = bench.ReadQueries(f)
		f.Close()
		if err != nil {
			return usageError{fmt.Errorf("--queries %s: %w", *queries, err)}
		}
	}
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return fmt.Errorf("create CPU profile: %w", err)
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return fmt.Errorf("start CPU profile: %w", err)
		}
		defer pprof.StopCPUProfile()
	}
	var profErr error
	if *memProfile != "" {
		var once sync.Once
		opts.AfterIndex = func(string) {
			once.Do(func() { profErr = writeHeapProfile(*memProfile) })
		}
	}
	rep, err := bench.Run(ctx, opts)
	if err != nil {
		return err
	}
	if profErr != nil {
		return profErr
	}
	if err := rep.WriteText(env.Stdout); err != nil {
		return err
	}
	if *out != "" {
		f, err := os.Create(*out)
		if err != nil {
			return fmt.Errorf("create %s: %w", *out, err)
		}
		if err := rep.WriteJSON(f); err != nil {
			f.Close()
			return err
		}
		if err := f.Close(); err != nil {
			return fmt.Errorf("close %s: %w", *out, err)
		}
	}
	return nil
}

func writeHeapProfile(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("create heap profile: %w", err)
	}
	if err := pprof.WriteHeapProfile(f); err != nil {
		f.Close()
		return fmt.Errorf("write heap profile: %w", err)
	}
	return f.Close()
}
