package app

import (
	"bufio"
	"context"
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
	atomic := fs.Bool("atomic", false, "all or nothing: write nothing when any record is rejected")
	lang := fs.String("lang", "en", "language of messages and the summary: de, zh or en")
	quiet := fs.Bool("quiet", false, "no progress display")
	files, err := parse(fs, args, "FILE...", "Imports organisations and listings in the ISA interchange format (JSON Lines .jsonl or CSV .csv, see docs/interchange.md).\n"+
		"Records are upserted by ref. Exit status: 0 nothing rejected, 1 some records rejected, 2 a file could not be read.")
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return usageError{fmt.Errorf("name at least one file to import")}
	}
	if !isa.Lang(*lang).Valid() {
		return usageError{fmt.Errorf("--lang must be de, zh or en, not %q", *lang)}
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
	out := fs.String("out", "", "file to write (default: standard output, JSON Lines only); for CSV a base name (x.csv → x-organisations.csv, x-listings.csv) or a directory ending in /")
	format := fs.String("format", "", "jsonl or csv (default: from --out, else jsonl)")
	if _, err := parse(fs, args, "", "Exports all organisations and listings in the ISA interchange format. Exports contain personal data (contact e-mail and phone): keep them safe."); err != nil {
		return err
	}
	f := interchange.Format(*format)
	if f != "" && f != interchange.JSONL && f != interchange.CSV {
		return usageError{fmt.Errorf("--format must be jsonl or csv, not %q", *format)}
	}
	if *out == "" && f == interchange.CSV {
		return usageError{fmt.Errorf("a CSV export writes two files: name them with --out")}
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
	fmt.Fprintln(env.Stderr, sum.String())
	return nil
}

func cmdGen(ctx context.Context, env *Env, fs *flag.FlagSet, args []string) error {
	n := fs.Int("listings", 1000, "number of listings to write")
	orgs := fs.Int("orgs", 0, "number of organisations (default listings/5)")
	seed := fs.Int64("seed", 1, "seed: equal seeds give identical files")
	today := fs.String("today", "", "reference day YYYY-MM-DD for publication and expiry dates (default today)")
	out := fs.String("out", "", "file to write (default standard output)")
	if _, err := parse(fs, args, "", "Writes a synthetic data set in the interchange format (JSON Lines) for benchmarks and load tests:\norganisations across the member cities and listings in German, Chinese and English built from the vocabulary."); err != nil {
		return err
	}
	if *n < 1 {
		return usageError{fmt.Errorf("--listings must be at least 1")}
	}
	opts := gen.Options{Listings: *n, Orgs: *orgs, Seed: *seed, Today: env.Today()}
	if *today != "" {
		d, err := isa.ParseDate(*today)
		if err != nil {
			return usageError{fmt.Errorf("--today: %w", err)}
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
	fmt.Fprintf(env.Stderr, "gen: %d organisations, %d listings (de %d, zh %d, en %d; %d expired), %d bytes\n",
		st.Orgs, st.Listings, st.Langs[isa.DE], st.Langs[isa.ZH], st.Langs[isa.EN], st.Expired, st.Bytes)
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
