// Package app is the command line of the isa binary: it parses the
// configuration, opens storage, wires the services and runs a subcommand.
// End-to-end tests call Main in-process, exactly as cmd/isa does.
package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/isa-alliance/isa"
	"github.com/isa-alliance/isa/internal/storage"
)

// Env is what a subcommand runs with: its configuration, its streams and
// the lazily opened store.
type Env struct {
	Config Config
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	Getenv func(string) string
	Now    func() time.Time
	Logger *slog.Logger
	// Lang is the language of the command line's texts (cliLang).
	Lang isa.Lang

	// ready, when set, is told the address the server listens on (tests
	// listen on port 0).
	ready func(addr string)

	once  sync.Once
	db    *storage.DB
	dbErr error
}

// Store opens the configured database on first use and applies pending
// migrations, so that every subcommand sees the schema it knows.
func (e *Env) Store(ctx context.Context) (*storage.DB, error) {
	e.once.Do(func() {
		if err := e.Config.validate(e.T); err != nil {
			e.dbErr = usageError{err}
			return
		}
		db, err := storage.Open(ctx, storage.Config{DataDir: e.Config.DataDir, DatabaseURL: e.Config.DatabaseURL, Logger: e.Logger})
		if err != nil {
			e.dbErr = fmt.Errorf("open database: %w", err)
			return
		}
		if err := db.Migrate(ctx); err != nil {
			db.Close()
			e.dbErr = fmt.Errorf("migrate database: %w", err)
			return
		}
		e.db = db
	})
	return e.db, e.dbErr
}

func (e *Env) close() {
	if e.db != nil {
		e.db.Close()
	}
}

// Today is the current calendar day.
func (e *Env) Today() isa.Date { return isa.DateOf(e.Now()) }

// command is one subcommand of isa; its summary is the text cmd.NAME.
type command struct {
	name string
	// settings names the Config settings the command takes as flags:
	// noSettings, storageFlags or everySetting.
	settings map[string]bool
	// run parses the remaining flags on fs and does the work.
	run func(ctx context.Context, env *Env, fs *flag.FlagSet, args []string) error
}

func commands() []command {
	return []command{
		{name: "serve", settings: everySetting, run: cmdServe},
		{name: "import", settings: storageFlags, run: cmdImport},
		{name: "export", settings: storageFlags, run: cmdExport},
		{name: "cities", settings: storageFlags, run: cmdCities},
		{name: "migrate", settings: storageFlags, run: cmdMigrate},
		{name: "search", settings: storageFlags, run: cmdSearch},
		{name: "match", settings: storageFlags, run: cmdMatch},
		{name: "reindex", settings: storageFlags, run: cmdReindex},
		{name: "gen", settings: noSettings, run: cmdGen},
		{name: "bench", settings: storageFlags, run: cmdBench},
		{name: "user", settings: storageFlags, run: cmdUser},
		{name: "version", settings: noSettings, run: cmdVersion},
	}
}

// Scopes of settings a command takes as flags. The others still take
// their values from the environment.
var (
	noSettings   = map[string]bool{}
	everySetting = map[string]bool{"*": true}
)

// exitError carries a specific exit code out of a subcommand.
type exitError struct {
	code int
	err  error
}

func (e exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit %d", e.code)
	}
	return e.err.Error()
}
func (e exitError) Unwrap() error { return e.err }

// usageError is bad command-line input: exit code 2 and a hint.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

// Main runs isa with the arguments (without the program name) and returns
// the process exit code.
func Main(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	return Run(ctx, args, Options{Stdin: stdin, Stdout: stdout, Stderr: stderr, Getenv: getenv})
}

// Options are the surroundings of one run of isa.
type Options struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Getenv         func(string) string // nil: os.Getenv
	Now            func() time.Time    // nil: time.Now
	// Ready is told the address `serve` listens on once it accepts
	// connections.
	Ready func(addr string)
}

// Run is Main with all surroundings in opts; end-to-end tests use it.
func Run(ctx context.Context, args []string, opts Options) int {
	getenv, stdin, stdout, stderr := opts.Getenv, opts.Stdin, opts.Stdout, opts.Stderr
	if getenv == nil {
		getenv = os.Getenv
	}
	if stdin == nil {
		stdin = os.Stdin
	}
	if stdout == nil {
		stdout = io.Discard
	}
	if stderr == nil {
		stderr = io.Discard
	}
	env := &Env{Stdin: stdin, Stdout: stdout, Stderr: stderr, Getenv: getenv, Now: opts.Now, ready: opts.Ready, Lang: cliLang(getenv)}
	cmds := commands()
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		env.usage(stdout, cmds)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	var cmd *command
	for i := range cmds {
		if cmds[i].name == args[0] {
			cmd = &cmds[i]
		}
	}
	if cmd == nil {
		fmt.Fprintf(stderr, "%s\n\n", env.T("err.unknown_command", args[0]))
		env.usage(stderr, cmds)
		return 2
	}
	if env.Now == nil {
		env.Now = time.Now
	}
	fs := flag.NewFlagSet("isa "+cmd.name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	env.Config.bind(fs, getenv, cmd.settings, env.T)
	// The logger is built on its first use, after the command parsed its
	// flags, so that --log-level and --log-format take effect.
	env.Logger = slog.New(&lazyHandler{build: func() slog.Handler {
		return newHandler(stderr, env.Config.LogLevel, env.Config.LogFormat)
	}})
	defer env.close()

	err := cmd.run(ctx, env, fs, args[1:])
	return env.exitCode(cmd.name, err)
}

func (e *Env) exitCode(name string, err error) int {
	stderr := e.Stderr
	if err == nil {
		return 0
	}
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	var ee exitError
	if errors.As(err, &ee) {
		if ee.err != nil {
			fmt.Fprintln(stderr, e.T("err.prefix", name, ee.err))
		}
		return ee.code
	}
	var ue usageError
	if errors.As(err, &ue) {
		fmt.Fprintf(stderr, "%s\n%s\n", e.T("err.prefix", name, ue.err), e.T("err.usage_hint", name))
		return 2
	}
	if errors.Is(err, context.Canceled) {
		fmt.Fprintln(stderr, e.T("err.interrupted", name))
		return 130
	}
	fmt.Fprintln(stderr, e.T("err.prefix", name, err))
	return 1
}

func (e *Env) usage(w io.Writer, cmds []command) {
	fmt.Fprintf(w, "%s\n\n%s\n\n%s\n", e.T("usage.title"), e.T("usage.line"), e.T("usage.commands"))
	sorted := append([]command(nil), cmds...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].name < sorted[j].name })
	for _, c := range sorted {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, e.T("cmd."+c.name))
	}
	fmt.Fprintf(w, "\n%s\n", e.T("usage.more"))
}

// parse parses flags with a usage line and the help text about, and
// returns the positional arguments; flags may stand before, between or
// after them, as users type them (`isa import a.jsonl --atomic`). A lone
// "--" ends the flags.
func (e *Env) parse(fs *flag.FlagSet, args []string, positional, about string) ([]string, error) {
	fs.Usage = func() {
		w := fs.Output()
		fmt.Fprintf(w, "%s\n\n%s\n\n%s\n", e.T("usage.cmd", fs.Name(), positional), about, e.T("usage.flags"))
		fs.PrintDefaults()
	}
	var rest []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, exitError{code: 2}
		}
		left := fs.Args()
		if consumed := len(args) - len(left); consumed > 0 && args[consumed-1] == "--" {
			return append(rest, left...), nil
		}
		if len(left) == 0 {
			return rest, nil
		}
		rest = append(rest, left[0])
		args = left[1:]
	}
}

func newHandler(w io.Writer, level, format string) slog.Handler {
	var lvl slog.Level
	switch strings.ToLower(level) {
	case "debug":
		lvl = slog.LevelDebug
	case "warn":
		lvl = slog.LevelWarn
	case "error":
		lvl = slog.LevelError
	default:
		lvl = slog.LevelInfo
	}
	opts := &slog.HandlerOptions{Level: lvl}
	if strings.ToLower(format) == "json" {
		return slog.NewJSONHandler(w, opts)
	}
	return slog.NewTextHandler(w, opts)
}

// lazyHandler builds its handler on first use.
type lazyHandler struct {
	once  sync.Once
	build func() slog.Handler
	h     slog.Handler
}

func (l *lazyHandler) get() slog.Handler {
	l.once.Do(func() { l.h = l.build() })
	return l.h
}

func (l *lazyHandler) Enabled(ctx context.Context, lvl slog.Level) bool {
	return l.get().Enabled(ctx, lvl)
}
func (l *lazyHandler) Handle(ctx context.Context, r slog.Record) error { return l.get().Handle(ctx, r) }
func (l *lazyHandler) WithAttrs(as []slog.Attr) slog.Handler           { return l.get().WithAttrs(as) }
func (l *lazyHandler) WithGroup(name string) slog.Handler              { return l.get().WithGroup(name) }

func newLogger(w io.Writer, level, format string) *slog.Logger {
	return slog.New(newHandler(w, level, format))
}
