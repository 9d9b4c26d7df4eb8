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
	n := fs.Int("listings", 10000, env.T("bench.flag.listings"))
	engines := fs.String("engines", "sqlite,postgres", env.T("bench.flag.engines"))
	queries := fs.String("queries", "", env.T("bench.flag.queries"))
	seed := fs.Int64("seed", 1, env.T("bench.flag.seed"))
	out := fs.String("out", "", env.T("bench.flag.out"))
	rounds := fs.Int("rounds", 5, env.T("bench.flag.rounds"))
	sample := fs.Int("match-sample", 100, env.T("bench.flag.match-sample"))
	noBaseline := fs.Bool("no-baseline", false, env.T("bench.flag.no-baseline"))
	tmp := fs.String("tmp", "", env.T("bench.flag.tmp"))
	cpuProfile := fs.String("cpuprofile", "", env.T("bench.flag.cpuprofile"))
	memProfile := fs.String("memprofile", "", env.T("bench.flag.memprofile"))
	if _, err := env.parse(fs, args, "", env.T("bench.about", bench.DefaultPostgresURL)); err != nil {
		return err
	}
	if *n < 1 {
		return usageError{errors.New(env.T("gen.min_listings"))}
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
