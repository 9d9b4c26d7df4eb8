package interchange

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/isa-alliance/isa"
	"github.com/isa-alliance/isa/internal/nace"
)

// Format is a file format of the interchange format.
type Format string

const (
	JSONL Format = "jsonl"
	CSV   Format = "csv"
)

// FormatOf tells the format from a file name's extension: .jsonl, .ndjson
// or .json for JSON Lines; .csv, .tsv or .txt for CSV.
func FormatOf(name string) (Format, bool) {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".jsonl", ".ndjson", ".json":
		return JSONL, true
	case ".csv", ".tsv", ".txt":
		return CSV, true
	}
	return "", false
}

// Source is one input file.
type Source struct {
	Name   string // shown in messages; for FormatOf when Format is empty
	Format Format // empty: from Name
	R      io.Reader
	Size   int64 // bytes, for the progress bar; 0 when unknown
}

// Options configure an import. The zero value imports record by record in
// batches, with today's date and the built-in fallbacks.
type Options struct {
	// Atomic imports all or nothing: one transaction, rolled back when any
	// record is rejected or any file cannot be read.
	Atomic bool
	// Today is the import day: the default publication day and the day
	// against which expiry is judged. Zero: the current day (UTC).
	Today isa.Date
	// DetectLang tells the language of a listing without "lang". Nil: a
	// script-based guess; the application passes the text analyser's. It
	// is called from the import's reading goroutine, one call at a time.
	DetectLang func(string) isa.Lang
	// NACE checks industry codes. Nil: nace.Default(), NACE Rev. 2.
	NACE NACE
	// Progress receives the progress display (typically stderr); nil: none.
	Progress io.Writer
	// Report receives one line per problem (typically stderr); nil: none.
	Report io.Writer
	// Lang is the language of problem lines, progress and summary; empty: en.
	Lang isa.Lang
	// OnProblem, if set, is called for every problem as it is found.
	OnProblem func(Problem)
	// Logger receives technical events; never record contents. Nil: discard.
	Logger *slog.Logger
	// BatchSize is the number of records per transaction; 0: 5000. Each
	// commit costs a flush of the pages the batch touched, so fewer,
	// larger transactions import faster; a batch holds the store's write
	// lock for a fraction of a second, which other writers wait out.
	BatchSize int
	// Clock gives the time for durations and rates; nil: time.Now.
	Clock isa.Clock
}

// MaxKeptProblems bounds Summary.Problems: a million broken rows must not
// fill the memory; all problems still reach Report and OnProblem.
const MaxKeptProblems = 1000

// Summary is the result of an import.
type Summary struct {
	Records    int // records read, blank lines and comments not counted
	Created    int
	Updated    int
	Unchanged  int
	Rejected   int
	Warnings   int
	Unreadable []string // files that could not be read at all
	// RolledBack is set when an atomic import wrote nothing because a
	// record was rejected or a file could not be read.
	RolledBack bool
	Elapsed    time.Duration
	// Problems holds the first MaxKeptProblems problems in file order.
	Problems []Problem
	// Err is the reason the import stopped early (database, cancellation);
	// nil when it ran to the end. Import returns it too.
	Err error
}

// ExitCode is the exit status of `isa import`: 0 when nothing was rejected,
// 1 when some records were rejected, 2 when a file could not be read at all
// or the import stopped early.
func (s Summary) ExitCode() int {
	switch {
	case len(s.Unreadable) > 0 || s.Err != nil:
		return 2
	case s.Rejected > 0:
		return 1
	}
	return 0
}

// Text is the one summary line in language l.
func (s Summary) Text(l isa.Lang) string {
	rate := 0.0
	if sec := s.Elapsed.Seconds(); sec > 0 {
		rate = float64(s.Records) / sec
	}
	line := msg(l, "summary", s.Created, s.Updated, s.Unchanged, s.Rejected, s.Warnings, s.Records, s.Elapsed.Round(time.Millisecond), rate)
	if n := len(s.Unreadable); n > 0 {
		line += msg(l, "summary.unreadable", n)
	}
	if s.RolledBack {
		line += msg(l, "summary.atomic")
	}
	switch {
	case errors.Is(s.Err, context.Canceled):
		line += msg(l, "sep") + msg(l, "interrupted")
	case s.Err != nil:
		line += msg(l, "sep") + msg(l, "file.aborted", isa.ErrorMessage(s.Err))
	}
	return line
}

func (s Summary) String() string { return s.Text(isa.EN) }

// ImportFiles imports the files at paths; a directory stands for the
// .jsonl and .csv files in it. It is what `isa import` calls.
func ImportFiles(ctx context.Context, st isa.Store, opts Options, paths ...string) (Summary, error) {
	var sources []Source
	var unreadable []Problem
	var closers []io.Closer
	defer func() {
		for _, c := range closers {
			c.Close()
		}
	}()
	var expanded []string
	for _, p := range paths {
		fi, err := os.Stat(p)
		if err == nil && fi.IsDir() {
			entries, err := os.ReadDir(p)
			if err != nil {
				unreadable = append(unreadable, newFileError(p, "file.read", err, err.Error()).p)
				continue
			}
			for _, e := range entries {
				if _, ok := FormatOf(e.Name()); ok && !e.IsDir() {
					expanded = append(expanded, filepath.Join(p, e.Name()))
				}
			}
			continue
		}
		expanded = append(expanded, p)
	}
	for _, p := range expanded {
		f, err := os.Open(p)
		if err != nil {
			unreadable = append(unreadable, newFileError(p, "file.read", err, pathErrText(err)).p)
			continue
		}
		closers = append(closers, f)
		var size int64
		if fi, err := f.Stat(); err == nil {
			size = fi.Size()
		}
		sources = append(sources, Source{Name: p, R: f, Size: size})
	}
	imp := newImporter(st, opts)
	for _, p := range unreadable {
		imp.sum.Unreadable = append(imp.sum.Unreadable, p.Pos.File)
		imp.report(p)
	}
	return imp.run(ctx, sources)
}

// pathErrText drops the path from an *os.PathError, which the message
// already names.
func pathErrText(err error) string {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// Import reads the sources, validates every record in full and upserts the
// valid ones by ref. Files holding only organisations are read first and
// files holding only listings last, so that listings find their
// organisations whatever order the files were named in. The error is
// Summary.Err: non-nil when the import stopped early.
func Import(ctx context.Context, st isa.Store, opts Options, sources ...Source) (Summary, error) {
	return newImporter(st, opts).run(ctx, sources)
}

// errRollback makes an atomic import's transaction roll back.
var errRollback = errors.New("interchange: atomic import rolled back")

// orgStatus is what the import knows about an organisation ref.
type orgStatus struct {
	ok       bool     // in the file (accepted) or in the database
	rejected Position // where it was rejected, when not ok
}

// orgTable remembers the organisation refs of the import: a small integer
// per ref, since a file may hold hundreds of thousands of organisations.
// The positions of rejected ones are kept apart; they are few.
type orgTable struct {
	refs     map[string]int32 // 0: known; n > 0: rejected at rejected[n-1]
	rejected []Position
}

func (t *orgTable) get(ref string) (orgStatus, bool) {
	n, seen := t.refs[ref]
	if !seen {
		return orgStatus{}, false
	}
	if n == 0 {
		return orgStatus{ok: true}, true
	}
	return orgStatus{rejected: t.rejected[n-1]}, true
}

func (t *orgTable) known(ref string) { t.refs[ref] = 0 }

func (t *orgTable) reject(ref string, pos Position) {
	t.rejected = append(t.rejected, pos)
	t.refs[ref] = int32(len(t.rejected))
}

// item is a validated record waiting for its transaction.
type item struct {
	pos      Position
	org      *isa.Organisation
	contacts []isa.ContactPerson
	listing  *isa.Listing
	rejected bool
}

func (it *item) ref() string {
	if it.org != nil {
		return it.org.Ref
	}
	return it.listing.Ref
}

type importer struct {
	store  isa.Store // the store or, in an atomic import, the transaction
	root   isa.Store
	opts   Options
	log    *slog.Logger
	now    func() time.Time
	meter  *meter
	val    *validator
	sum    Summary
	orgs   orgTable
	batch  []*item
	atomic bool
	broken bool // the atomic transaction failed; validate only from here on
}

func newImporter(st isa.Store, opts Options) *importer {
	if opts.Clock == nil {
		opts.Clock = time.Now
	}
	if opts.Today == "" {
		opts.Today = isa.DateOf(opts.Clock())
	}
	if opts.DetectLang == nil {
		opts.DetectLang = guessLang
	}
	if opts.NACE == nil {
		opts.NACE = nace.Default()
	}
	if opts.BatchSize <= 0 {
		opts.BatchSize = 5000
	}
	if !opts.Lang.Valid() {
		opts.Lang = isa.EN
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &importer{
		store: st, root: st, opts: opts, log: log, now: opts.Clock,
		meter: newMeter(opts.Progress, opts.Report, opts.Lang, opts.Clock),
		orgs:  orgTable{refs: make(map[string]int32)},
	}
}

// opened is a source with its reader.
type opened struct {
	src Source
	rd  reader
}

func (imp *importer) run(ctx context.Context, sources []Source) (Summary, error) {
	start := imp.now()
	sum, err := imp.runFiles(ctx, sources)
	if ierr := interrupted(ctx, err); ierr != err {
		err = ierr
		sum.Err = err
	}
	imp.meter.finish()
	sum.Elapsed = imp.now().Sub(start)
	imp.log.Info("import finished", "records", sum.Records, "created", sum.Created,
		"updated", sum.Updated, "unchanged", sum.Unchanged, "rejected", sum.Rejected,
		"warnings", sum.Warnings, "unreadable", len(sum.Unreadable), "atomic", imp.opts.Atomic,
		"elapsed", sum.Elapsed)
	return sum, err
}

func (imp *importer) runFiles(ctx context.Context, sources []Source) (Summary, error) {
	cities, err := imp.root.Cities(ctx)
	if err != nil {
		return imp.fail(fmt.Errorf("interchange: read member cities: %w", err))
	}
	imp.val = newValidator(cities, imp.opts.Today, imp.opts.NACE, imp.opts.DetectLang)

	var files []opened
	for _, src := range sources {
		rd, err := imp.open(src)
		if err != nil {
			imp.unreadable(err)
			continue
		}
		files = append(files, opened{src, rd})
	}
	// Organisations before listings: a stable sort keeps the given order
	// among files of the same kind.
	rank := map[string]int{typeOrganisation: 0, "": 1, typeListing: 2}
	slices.SortStableFunc(files, func(a, b opened) int { return rank[a.rd.kind()] - rank[b.rd.kind()] })

	if !imp.opts.Atomic {
		for _, f := range files {
			if err := imp.readAll(ctx, f); err != nil {
				return imp.fail(err)
			}
		}
		if err := imp.flush(ctx); err != nil {
			return imp.fail(err)
		}
		return imp.sum, nil
	}

	if len(imp.sum.Unreadable) > 0 {
		imp.sum.RolledBack = true
		return imp.sum, nil
	}
	imp.atomic = true
	err = imp.root.InTx(ctx, func(tx isa.Store) error {
		imp.store = tx
		defer func() { imp.store = imp.root }()
		for _, f := range files {
			if err := imp.readAll(ctx, f); err != nil {
				return err
			}
		}
		if err := imp.flushInTx(ctx); err != nil {
			return err
		}
		if imp.sum.Rejected > 0 || len(imp.sum.Unreadable) > 0 || imp.broken {
			return errRollback
		}
		return nil
	})
	if errors.Is(err, errRollback) {
		imp.sum.RolledBack = true
		imp.sum.Created, imp.sum.Updated, imp.sum.Unchanged = 0, 0, 0
		return imp.sum, nil
	}
	if err != nil {
		imp.sum.RolledBack = true
		imp.sum.Created, imp.sum.Updated, imp.sum.Unchanged = 0, 0, 0
		return imp.fail(err)
	}
	return imp.sum, nil
}

func (imp *importer) fail(err error) (Summary, error) {
	imp.sum.Err = err
	return imp.sum, err
}

// interrupted reports a cancellation as such: database/sql ends a
// transaction when its context is cancelled, and the next statement then
// fails with "statement is closed" or "transaction has already been
// committed or rolled back", which would hide why the import stopped.
func interrupted(ctx context.Context, err error) error {
	if err == nil || ctx.Err() == nil || errors.Is(err, ctx.Err()) {
		return err
	}
	return fmt.Errorf("%w (%v)", ctx.Err(), err)
}

func (imp *importer) open(src Source) (reader, error) {
	format := src.Format
	if format == "" {
		f, ok := FormatOf(src.Name)
		if !ok {
			return nil, newFileError(src.Name, "file.format", nil, filepath.Ext(src.Name))
		}
		format = f
	}
	imp.meter.total += src.Size
	r := countingReader{r: src.R, n: imp.meter.read}
	switch format {
	case JSONL:
		return newJSONLReader(r, src.Name)
	case CSV:
		return newCSVReader(r, src.Name)
	}
	return nil, newFileError(src.Name, "file.format", nil, string(format))
}

func (imp *importer) unreadable(err error) {
	var fe *fileError
	if !errors.As(err, &fe) {
		fe = newFileError("", "file.read", err, err.Error())
	}
	imp.sum.Unreadable = append(imp.sum.Unreadable, fe.p.Pos.File)
	imp.report(fe.p)
	if fe.err != nil {
		imp.log.Warn("import: file unreadable", "file", fe.p.Pos.File, "reason", fe.p.Key, "err", fe.err)
	} else {
		imp.log.Warn("import: file unreadable", "file", fe.p.Pos.File, "reason", fe.p.Key)
	}
}

// readAll imports the records of one file. A file that breaks off (an I/O
// error) keeps what was read before it; the error returned stops the import
// (database failure, cancellation).
//
// Reading and validating run in a goroutine of their own (see parse), so
// that on two cores they overlap with the writing done here; everything
// that counts, reports or touches the store stays on this goroutine.
func (imp *importer) readAll(ctx context.Context, f opened) error {
	pctx, stop := context.WithCancel(ctx)
	chunks := make(chan []parsed, parseAhead)
	done := make(chan struct{})
	go func() {
		defer close(done)
		imp.parse(pctx, f.rd, chunks)
	}()
	// However this ends, the parser stops before readAll returns: no
	// goroutine outlives the import, and none touches the reader after it.
	defer func() {
		stop()
		<-done
	}()
	records := 0
	for chunk := range chunks {
		for k := range chunk {
			r := &chunk[k]
			if imp.sum.Records%256 == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			if r.err != nil {
				imp.unreadable(r.err)
				break
			}
			records++
			imp.sum.Records++
			imp.meter.tick()
			if r.problem != nil {
				imp.reject(*r.problem)
				continue
			}
			if err := imp.record(ctx, r); err != nil {
				return err
			}
			chunk[k] = parsed{} // let the record go once it is queued
		}
	}
	if err := ctx.Err(); err != nil {
		return err // the parser may have stopped early for it
	}
	if records == 0 {
		imp.report(Problem{Pos: Position{File: f.src.Name}, Severity: Warning, Key: "file.empty"})
	}
	return nil
}

// parsed is one record as the parser hands it over: read and validated,
// not yet counted or written.
type parsed struct {
	pos     Position
	typ     string
	problem *Problem // the record could not be read as a record
	err     error    // the file broke off here; nothing follows
	it      *item    // the validated record, nil for an unknown type
	check   check
}

// parseChunk records travel together, and parseAhead chunks may wait:
// enough to keep both goroutines busy, little enough to keep memory flat
// whatever the size of the file.
const (
	parseChunk = 256
	parseAhead = 4
)

// parse reads and validates the records of rd and sends them in chunks
// until the file ends or breaks off, or ctx is done. It touches nothing of
// the importer but the validator, which only it uses.
func (imp *importer) parse(ctx context.Context, rd reader, out chan<- []parsed) {
	defer close(out)
	chunk := make([]parsed, 0, parseChunk)
	send := func() bool {
		if len(chunk) == 0 {
			return true
		}
		select {
		case out <- chunk:
			chunk = make([]parsed, 0, parseChunk)
			return true
		case <-ctx.Done():
			return false
		}
	}
	for {
		rec, p, err := rd.next()
		if errors.Is(err, io.EOF) {
			send()
			return
		}
		if err != nil {
			chunk = append(chunk, parsed{err: err})
			send()
			return
		}
		r := parsed{pos: rec.pos, typ: rec.typ, problem: p}
		if p == nil {
			r.it, r.check = imp.validate(rec)
		}
		chunk = append(chunk, r)
		if len(chunk) == parseChunk && !send() {
			return
		}
	}
}

// validate checks one record fully; it returns no item for an unknown
// record type.
func (imp *importer) validate(rec rawRecord) (*item, check) {
	switch rec.typ {
	case typeOrganisation:
		o, contacts, c := imp.val.organisation(rec.fields)
		return &item{pos: rec.pos, org: o, contacts: contacts}, c
	case typeListing:
		l, c := imp.val.listing(rec.fields)
		return &item{pos: rec.pos, listing: l}, c
	}
	return nil, check{}
}

// record takes one validated record: it checks what needs the import's
// state (does the listing's organisation exist?), reports the problems
// and queues the record for writing.
func (imp *importer) record(ctx context.Context, r *parsed) error {
	it, c := r.it, r.check
	switch {
	case it == nil:
		imp.reject(withPos(typeError(r.typ), r.pos))
		return nil
	case it.listing != nil && !c.failed:
		p, err := imp.checkOrg(ctx, it.listing.Org)
		if err != nil {
			return err
		}
		if p != nil {
			c.add(*p)
		}
	}
	for _, p := range c.problems {
		p.Pos = r.pos
		if c.failed && p.Severity == Error {
			continue // reported below, with the rejection
		}
		imp.report(p)
	}
	if c.failed {
		var errs []Problem
		for _, p := range c.problems {
			if p.Severity == Error {
				errs = append(errs, withPos(p, r.pos))
			}
		}
		imp.reject(errs...)
		if it.org != nil && it.org.Ref != "" {
			imp.orgs.reject(it.org.Ref, r.pos)
		}
		return nil
	}
	if it.org != nil {
		imp.orgs.known(it.org.Ref)
	}
	return imp.write(ctx, it)
}

func withPos(p Problem, pos Position) Problem {
	p.Pos = pos
	return p
}

// checkOrg finds the organisation a listing names: earlier in the input or
// in the database. Lookups are remembered, so a file of a million listings
// of a few thousand organisations asks the database a few thousand times.
func (imp *importer) checkOrg(ctx context.Context, ref string) (*Problem, error) {
	st, seen := imp.orgs.get(ref)
	if seen && st.ok {
		return nil, nil
	}
	if imp.broken {
		return nil, nil // the transaction is gone; the import will roll back anyway
	}
	_, err := imp.store.Organisation(ctx, ref)
	switch {
	case err == nil:
		imp.orgs.known(ref)
		return nil, nil
	case !isa.IsNotFound(err):
		return nil, fmt.Errorf("interchange: look up organisation: %w", err)
	case seen:
		p := problem("org", "org.rejected", ref, st.rejected.Text(imp.opts.Lang))
		return &p, nil
	default:
		p := problem("org", "org.unknown", ref)
		return &p, nil
	}
}

// write sends a valid record to the store through the batch: flushed in
// transactions of its own (flush), or, in an atomic import, into the one
// transaction with the store's bulk upserts (flushInTx) or at once when the
// store has none.
func (imp *importer) write(ctx context.Context, it *item) error {
	if !imp.atomic {
		imp.batch = append(imp.batch, it)
		if len(imp.batch) >= imp.opts.BatchSize {
			return imp.flush(ctx)
		}
		return nil
	}
	if imp.broken {
		return nil
	}
	if imp.bulkInTx() {
		imp.batch = append(imp.batch, it)
		if len(imp.batch) >= imp.opts.BatchSize {
			return imp.flushInTx(ctx)
		}
		return nil
	}
	out, err := upsert(ctx, imp.store, it)
	if err != nil {
		if !recordLevel(err) {
			return err
		}
		// PostgreSQL refuses every statement after a failed one until the
		// transaction ends; the rest of the input is validated only.
		imp.broken = true
		imp.storeReject(it, err)
		return nil
	}
	imp.written(it, out)
	return nil
}

// bulkInTx tells whether the atomic import's transaction offers both bulk
// upserts; stores without them get the records one by one.
func (imp *importer) bulkInTx() bool {
	_, listings := imp.store.(listingBulkImporter)
	_, orgs := imp.store.(isa.OrganisationBatcher)
	return listings && orgs
}

// flushInTx writes the batch of an atomic import into its transaction with
// the store's bulk upserts, which refuse a record without failing a
// statement. After the first refusal the import only validates: it will
// roll back.
func (imp *importer) flushInTx(ctx context.Context) error {
	if len(imp.batch) == 0 {
		return nil
	}
	defer func() { imp.batch = imp.batch[:0] }()
	outs := make([]isa.Outcome, len(imp.batch))
	refused := make([]error, len(imp.batch))
	listings := imp.store.(listingBulkImporter)
	orgs := imp.store.(isa.OrganisationBatcher)
	for i := 0; i < len(imp.batch); {
		var n int
		var err error
		if imp.batch[i].listing != nil {
			n, err = imp.bulkListings(ctx, listings, i, outs, refused)
		} else {
			n, err = imp.bulkOrgs(ctx, orgs, i, outs, refused)
		}
		if err != nil {
			return err
		}
		i += n
	}
	for i, it := range imp.batch {
		if refused[i] != nil {
			it.rejected = true
			imp.broken = true
			imp.storeReject(it, refused[i])
			continue
		}
		imp.written(it, outs[i])
	}
	return nil
}

// listingImporter and listingBulkImporter are offered by stores (those of
// internal/storage and their transactions) whose listing upserts can keep
// the stored state of a listing its owner or the officers hold back: the
// interchange format has no state, so an import must not overturn a
// withdrawal, a draft or a pending review (isa.StatesKeptOnImport). Afterwards each
// written listing's State is the state stored.
type listingImporter interface {
	ImportListing(ctx context.Context, l *isa.Listing) (isa.Outcome, error)
}

type listingBulkImporter interface {
	ImportListings(ctx context.Context, ls []*isa.Listing) ([]isa.Outcome, []error, error)
}

func upsert(ctx context.Context, st isa.Store, it *item) (isa.Outcome, error) {
	if it.org != nil {
		// IDs from an attempt that was rolled back must not leak into
		// the next one.
		it.org.ID = 0
		return st.UpsertOrganisation(ctx, it.org, it.contacts)
	}
	l := it.listing
	l.ID, l.OrgID = 0, 0
	if li, ok := st.(listingImporter); ok {
		return li.ImportListing(ctx, l)
	}
	// A store without the import's upsert gets the rule by a read before
	// the write: the same within the transaction the import writes in.
	old, err := st.Listing(ctx, l.Ref)
	switch {
	case err == nil:
		if old.State.KeptOnImport() {
			l.State = old.State
		}
	case !isa.IsNotFound(err):
		return isa.Unchanged, fmt.Errorf("interchange: read listing before import: %w", err)
	}
	return st.UpsertListing(ctx, l)
}

// recordLevel tells an error about the record (the store refused it) from
// one about the database or the context.
func recordLevel(err error) bool {
	switch isa.ErrorCode(err) {
	case isa.CodeInvalid, isa.CodeNotFound, isa.CodeConflict:
		return true
	}
	return false
}

// flush writes the batch in one transaction. When the store refuses a
// record, the transaction is rolled back, the record rejected and the batch
// written again without it, so that one bad record costs its batch a retry,
// not its neighbours their place in the database. Runs of listings and of
// organisations go to the store's bulk upserts when it offers them
// (isa.ListingBatcher, isa.OrganisationBatcher), which refuse single
// records without failing the transaction.
func (imp *importer) flush(ctx context.Context) error {
	if len(imp.batch) == 0 {
		return nil
	}
	defer func() { imp.batch = imp.batch[:0] }()
	outs := make([]isa.Outcome, len(imp.batch))
	refused := make([]error, len(imp.batch))
	for {
		failed := -1
		clear(refused)
		err := imp.root.InTx(ctx, func(tx isa.Store) error {
			bulk, _ := tx.(listingBulkImporter)
			orgBulk, _ := tx.(isa.OrganisationBatcher)
			for i := 0; i < len(imp.batch); {
				it := imp.batch[i]
				if it.rejected {
					i++
					continue
				}
				if it.listing != nil && bulk != nil {
					n, err := imp.bulkListings(ctx, bulk, i, outs, refused)
					if err != nil {
						return err
					}
					i += n
					continue
				}
				if it.org != nil && orgBulk != nil {
					n, err := imp.bulkOrgs(ctx, orgBulk, i, outs, refused)
					if err != nil {
						return err
					}
					i += n
					continue
				}
				out, err := upsert(ctx, tx, it)
				if err != nil {
					if recordLevel(err) {
						failed = i
					}
					return err
				}
				outs[i] = out
				i++
			}
			return nil
		})
		if err == nil {
			break
		}
		if failed < 0 {
			if ctx.Err() != nil {
				return fmt.Errorf("interchange: write batch: %w", err)
			}
			return imp.isolate(ctx, err)
		}
		it := imp.batch[failed]
		it.rejected = true
		imp.storeReject(it, err)
	}
	for i, it := range imp.batch {
		switch {
		case it.rejected:
		case refused[i] != nil:
			it.rejected = true
			imp.storeReject(it, refused[i])
		default:
			imp.written(it, outs[i])
		}
	}
	imp.log.Debug("import: batch written", "records", len(imp.batch))
	return nil
}

// isolate writes the batch one record per transaction after the batch
// failed with an error that names no record: a record the database cannot
// take for a reason the validation does not know must not stop the whole
// import. Only when every record fails is the database itself at fault,
// and the import stops.
func (imp *importer) isolate(ctx context.Context, batchErr error) error {
	type result struct {
		out isa.Outcome
		err error
	}
	results := make([]result, len(imp.batch))
	written := 0
	for i, it := range imp.batch {
		if it.rejected {
			continue
		}
		var out isa.Outcome
		err := imp.root.InTx(ctx, func(tx isa.Store) error {
			var err error
			out, err = upsert(ctx, tx, it)
			return err
		})
		if err != nil && ctx.Err() != nil {
			return fmt.Errorf("interchange: write batch: %w", err)
		}
		if err == nil {
			written++
		}
		results[i] = result{out, err}
	}
	if written == 0 {
		return fmt.Errorf("interchange: write batch: %w", batchErr)
	}
	for i, it := range imp.batch {
		switch {
		case it.rejected:
		case results[i].err != nil:
			it.rejected = true
			imp.storeReject(it, results[i].err)
		default:
			imp.written(it, results[i].out)
		}
	}
	// The driver's message may quote stored values (personal data):
	// the log gets the error class only.
	imp.log.Warn("import: batch written record by record after a database error", "records", len(imp.batch), "code", isa.ErrorCode(batchErr))
	return nil
}

// bulkListings writes the run of listings that starts at batch[from] with
// one call and returns how many batch entries it covered. Records the store
// refuses land in refused; they count only once the transaction commits.
func (imp *importer) bulkListings(ctx context.Context, bulk listingBulkImporter, from int, outs []isa.Outcome, refused []error) (int, error) {
	return bulkRun(imp.batch, from, outs, refused, "listings", func(it *item) (*isa.Listing, bool) {
		if it.listing == nil {
			return nil, false
		}
		it.listing.ID, it.listing.OrgID = 0, 0
		return it.listing, true
	}, func(ls []*isa.Listing) ([]isa.Outcome, []error, error) { return bulk.ImportListings(ctx, ls) })
}

// bulkOrgs is bulkListings for the run of organisations that starts at
// batch[from].
func (imp *importer) bulkOrgs(ctx context.Context, bulk isa.OrganisationBatcher, from int, outs []isa.Outcome, refused []error) (int, error) {
	return bulkRun(imp.batch, from, outs, refused, "organisations", func(it *item) (isa.OrgUpsert, bool) {
		if it.org == nil {
			return isa.OrgUpsert{}, false
		}
		it.org.ID = 0
		return isa.OrgUpsert{Org: it.org, Contacts: it.contacts}, true
	}, func(us []isa.OrgUpsert) ([]isa.Outcome, []error, error) { return bulk.UpsertOrganisations(ctx, us) })
}

// bulkRun writes the records of the run that starts at batch[from] (as
// long as take accepts its entries) with one call of write, and returns
// how many batch entries the run covered. Rejected entries are skipped.
func bulkRun[T any](batch []*item, from int, outs []isa.Outcome, refused []error, what string,
	take func(*item) (T, bool), write func([]T) ([]isa.Outcome, []error, error)) (int, error) {
	var recs []T
	var idx []int
	n := 0
	for _, it := range batch[from:] {
		r, ok := take(it)
		if !ok {
			break
		}
		n++
		if it.rejected {
			continue
		}
		recs = append(recs, r)
		idx = append(idx, from+n-1)
	}
	got, errs, err := write(recs)
	if err != nil {
		return 0, err
	}
	if len(got) != len(recs) || len(errs) != len(recs) {
		return 0, fmt.Errorf("interchange: bulk upsert returned %d outcomes and %d errors for %d %s", len(got), len(errs), len(recs), what)
	}
	for k, i := range idx {
		if errs[k] != nil {
			if !recordLevel(errs[k]) {
				return 0, errs[k]
			}
			refused[i] = errs[k]
			continue
		}
		outs[i] = got[k]
	}
	return n, nil
}

func (imp *importer) storeReject(it *item, err error) {
	p := Problem{Pos: it.pos, Key: "store", Args: []any{isa.ErrorMessage(err)}}
	if it.listing != nil && isa.IsNotFound(err) {
		// Its organisation was valid but refused by the store earlier in
		// this import: point at that record rather than at a missing one.
		if st, _ := imp.orgs.get(it.listing.Org); !st.ok && st.rejected != (Position{}) {
			p = Problem{Pos: it.pos, Field: "org", Key: "org.rejected", Args: []any{it.listing.Org, st.rejected.Text(imp.opts.Lang)}}
		}
	}
	imp.reject(p)
	if it.org != nil {
		imp.orgs.reject(it.org.Ref, it.pos)
	}
	imp.log.Info("import: store refused record", "pos", it.pos.String(), "code", isa.ErrorCode(err))
}

// written counts a record the store took and warns when a listing kept a
// state the import did not ask for (the import asks only for published or
// expired): its content is saved, its state is not the file's to change.
func (imp *importer) written(it *item, o isa.Outcome) {
	imp.count(o)
	if it.listing != nil && it.listing.State.KeptOnImport() {
		imp.report(Problem{Pos: it.pos, Severity: Warning, Key: "listing.kept." + string(it.listing.State), Args: []any{it.listing.Ref}})
	}
}

func (imp *importer) count(o isa.Outcome) {
	switch o {
	case isa.Created:
		imp.sum.Created++
	case isa.Updated:
		imp.sum.Updated++
	default:
		imp.sum.Unchanged++
	}
}

// reject counts one rejected record and reports why.
func (imp *importer) reject(ps ...Problem) {
	imp.sum.Rejected++
	for _, p := range ps {
		imp.report(p)
	}
}

func (imp *importer) report(p Problem) {
	if p.Severity == Warning {
		imp.sum.Warnings++
	}
	if len(imp.sum.Problems) < MaxKeptProblems {
		imp.sum.Problems = append(imp.sum.Problems, p)
	}
	if imp.opts.OnProblem != nil {
		imp.opts.OnProblem(p)
	}
	imp.meter.println(p.Text(imp.opts.Lang))
}
