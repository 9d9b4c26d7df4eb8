package app

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/isa-alliance/isa"
	"github.com/isa-alliance/isa/internal/gen"
	"github.com/isa-alliance/isa/internal/interchange"
	"github.com/isa-alliance/isa/internal/nace"
	"github.com/isa-alliance/isa/internal/textanalysis"
)

// importOptions are the interchange options every import of the
// application uses: the real NACE table and language detector.
func importOptions(env *Env) interchange.Options {
	return interchange.Options{
		Today:      env.Today(),
		DetectLang: textanalysis.Detect,
		NACE:       nace.Default(),
		Logger:     env.Logger,
	}
}

func cmdImport(ctx context.Context, env *Env, fs *flag.FlagSet, args []string) error {
	atomic := fs.Bool("atomic", false, env.T("import.flag.atomic"))
	lang := fs.String("lang", string(env.lang()), env.T("import.flag.lang"))
	quiet := fs.Bool("quiet", false, env.T("import.flag.quiet"))
	files, err := env.parse(fs, args, "FILE...", env.T("import.about"))
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return usageError{errors.New(env.T("import.no_files"))}
	}
	if !isa.Lang(*lang).Valid() {
		return usageError{errors.New(env.T("err.lang", *lang))}
	}
	db, err := env.Store(ctx)
	if err != nil {
		return err
	}
	opts := importOptions(env)
	opts.Atomic = *atomic
	opts.Lang = isa.Lang(*lang)
	opts.Report = env.Stderr
	if !*quiet {
		opts.Progress = env.Stderr
	}
	sum, err := interchange.ImportFiles(ctx, db, opts, files...)
	fmt.Fprintln(env.Stdout, sum.Text(opts.Lang))
	if err != nil && sum.Err == nil {
		// The summary does not carry this failure: say it.
		return exitError{code: 2, err: err}
	}
	if code := sum.ExitCode(); code != 0 {
		return exitError{code: code}
	}
	return nil
}

func cmdExport(ctx context.Context, env *Env, fs *flag.FlagSet, args []string) error {
	out := fs.String("out", "", env.T("export.flag.out"))
	format := fs.String("format", "", env.T("export.flag.format"))
	if _, err := env.parse(fs, args, "", env.T("export.about")); err != nil {
		return err
	}
	f := interchange.Format(*format)
	if f != "" && f != interchange.JSONL && f != interchange.CSV {
		return usageError{errors.New(env.T("export.bad_format", *format))}
	}
	if *out == "" && f == interchange.CSV {
		return usageError{errors.New(env.T("export.csv_needs_out"))}
	}
	db, err := env.Store(ctx)
	if err != nil {
		return err
	}
	var sum interchange.ExportSummary
	if *out == "" {
		bw := bufio.NewWriterSize(env.Stdout, 256<<10)
		sum, err = interchange.Export(ctx, db, bw, interchange.JSONL)
		if ferr := bw.Flush(); err == nil && ferr != nil {
			err = fmt.Errorf("write export: %w", ferr)
		}
	} else {
		sum, err = interchange.ExportFiles(ctx, db, *out, f)
	}
	if err != nil {
		return err
	}
	fmt.Fprintln(env.Stderr, env.T("export.done", sum.Organisations, sum.Listings, sum.Skipped))
	return nil
}

func cmdGen(ctx context.Context, env *Env, fs *flag.FlagSet, args []string) error {
	n := fs.Int("listings", 1000, env.T("gen.flag.listings"))
	orgs := fs.Int("orgs", 0, env.T("gen.flag.orgs"))
	seed := fs.Int64("seed", 1, env.T("gen.flag.seed"))
	today := fs.String("today", "", env.T("gen.flag.today"))
	out := fs.String("out", "", env.T("gen.flag.out"))
	if _, err := env.parse(fs, args, "", env.T("gen.about")); err != nil {
		return err
	}
	if *n < 1 {
		return usageError{errors.New(env.T("gen.min_listings"))}
	}
	opts := gen.Options{Listings: *n, Orgs: *orgs, Seed: *seed, Today: env.Today()}
	if *today != "" {
		d, err := isa.ParseDate(*today)
		if err != nil {
			return usageError{errors.New(env.T("gen.bad_today", isa.ErrorMessage(err)))}
		}
		opts.Today = d
	}
	var (
		st  gen.Stats
		err error
	)
	if *out == "" {
		st, err = gen.Write(env.Stdout, opts)
	} else {
		st, err = writeFile(*out, func(w io.Writer) (gen.Stats, error) { return gen.Write(w, opts) })
	}
	if err != nil {
		return err
	}
	fmt.Fprintln(env.Stderr, env.T("gen.done",
		st.Orgs, st.Listings, st.Langs[isa.DE], st.Langs[isa.ZH], st.Langs[isa.EN], st.Expired, st.Bytes))
	return nil
}

// writeFile creates path and writes it with fn; a failed close (a full
// disk) is an error like a failed write.
func writeFile[T any](path string, fn func(io.Writer) (T, error)) (T, error) {
	f, err := os.Create(path)
	if err != nil {
		var zero T
		return zero, fmt.Errorf("create %s: %w", path, err)
	}
	v, err := fn(f)
	if cerr := f.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("close %s: %w", path, cerr)
	}
	return v, err
}
