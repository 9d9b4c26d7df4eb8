package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/isa-alliance/isa"
)

var _ isa.Snapshotter = (*DB)(nil)

// ReadSnapshot runs fn on one read-only transaction of the read pool, so
// that all its reads see the database as it was when ReadSnapshot started:
//
//   - PostgreSQL: REPEATABLE READ READ ONLY, whose snapshot holds for the
//     whole transaction. Readers take no row locks, so writers go on; the
//     price of a long snapshot is that VACUUM cannot remove row versions
//     newer than it until it ends.
//   - SQLite: a deferred BEGIN on one of the read-only connections (the
//     write connection is never touched, so the write lock is never taken).
//     In WAL mode the reader keeps its snapshot while the writer commits;
//     a checkpoint cannot pass the snapshot, so the WAL file grows until it
//     ends.
//
// Both engines start the snapshot at the first read, not at BEGIN, so
// ReadSnapshot reads once before calling fn: a write committed after
// ReadSnapshot started is never seen, even when fn reads late.
func (db *DB) ReadSnapshot(ctx context.Context, fn func(snap isa.Store) error) (err error) {
	opts := &sql.TxOptions{ReadOnly: true}
	if db.engine == enginePostgres {
		opts.Isolation = sql.LevelRepeatableRead
	}
	tx, err := db.read.BeginTx(ctx, opts)
	if err != nil {
		return fmt.Errorf("storage: begin read snapshot: %w", err)
	}
	c := &conn{db: db, q: tx, tx: tx}
	s := &snapshot{c: c}
	defer func() {
		s.ended = true
		for _, st := range c.stmts {
			st.Close()
		}
		// Nothing was written: ending by rollback releases the snapshot
		// the same way a commit would.
		if rerr := tx.Rollback(); rerr != nil && !errors.Is(rerr, sql.ErrTxDone) && err == nil {
			err = fmt.Errorf("storage: end read snapshot: %w", rerr)
		}
	}()
	var seq int64
	if err := c.queryRow(ctx, `SELECT value FROM counters WHERE name = 'listing_change'`).Scan(&seq); err != nil {
		return wrap(err, "start read snapshot")
	}
	if db.engine == engineSQLite {
		db.warnUnlessWAL(ctx, c)
	}
	return fn(s)
}

// warnUnlessWAL logs when the SQLite database is not in WAL mode (a file
// system without shared memory, say): then the snapshot's shared lock
// holds up every commit until it ends, and writers time out.
func (db *DB) warnUnlessWAL(ctx context.Context, c *conn) {
	var mode string
	if err := c.queryRow(ctx, `PRAGMA journal_mode`).Scan(&mode); err != nil {
		db.log.Warn("read snapshot: cannot tell the journal mode", "err", err)
		return
	}
	if !strings.EqualFold(mode, "wal") {
		db.log.Warn("read snapshot without WAL: writers wait until it ends", "journal_mode", mode)
	}
}

// snapshot is the isa.Store that ReadSnapshot hands out: reads go to the
// snapshot's transaction, writes are refused before they reach the
// database. It deliberately offers none of the optional batch and
// analysis interfaces of conn, so that callers that look for them fall
// back to the refused single-record methods. The transaction itself is
// read-only as well (READ ONLY on PostgreSQL, query_only connections on
// SQLite), should a write ever get past this type.
type snapshot struct {
	c     *conn
	ended bool
}

var (
	_ isa.Store       = (*snapshot)(nil)
	_ isa.Snapshotter = (*snapshot)(nil)
)

// refuse returns the error of a write in the snapshot.
func refuse(op string) error {
	return fmt.Errorf("storage: %s: %w", op, isa.ErrReadOnly)
}

// live reports a use of the snapshot after ReadSnapshot returned more
// clearly than the driver's "transaction has already been committed".
func (s *snapshot) live() error {
	if s.ended {
		return errors.New("storage: read snapshot used after ReadSnapshot returned")
	}
	return nil
}

func (s *snapshot) Cities(ctx context.Context) ([]isa.City, error) {
	if err := s.live(); err != nil {
		return nil, err
	}
	return s.c.Cities(ctx)
}

func (s *snapshot) City(ctx context.Context, slug string) (isa.City, error) {
	if err := s.live(); err != nil {
		return isa.City{}, err
	}
	return s.c.City(ctx, slug)
}

func (s *snapshot) Organisation(ctx context.Context, ref string) (*isa.Organisation, error) {
	if err := s.live(); err != nil {
		return nil, err
	}
	return s.c.Organisation(ctx, ref)
}

func (s *snapshot) Organisations(ctx context.Context, f isa.OrgFilter) (isa.Page[isa.Organisation], error) {
	if err := s.live(); err != nil {
		return isa.Page[isa.Organisation]{}, err
	}
	return s.c.Organisations(ctx, f)
}

func (s *snapshot) Contacts(ctx context.Context, orgID int64) ([]isa.ContactPerson, error) {
	if err := s.live(); err != nil {
		return nil, err
	}
	return s.c.Contacts(ctx, orgID)
}

func (s *snapshot) Listing(ctx context.Context, ref string) (*isa.Listing, error) {
	if err := s.live(); err != nil {
		return nil, err
	}
	return s.c.Listing(ctx, ref)
}

func (s *snapshot) Listings(ctx context.Context, f isa.ListingFilter) (isa.Page[isa.Listing], error) {
	if err := s.live(); err != nil {
		return isa.Page[isa.Listing]{}, err
	}
	return s.c.Listings(ctx, f)
}

func (s *snapshot) ListingChanges(ctx context.Context, since int64, limit int) ([]string, int64, error) {
	if err := s.live(); err != nil {
		return nil, 0, err
	}
	return s.c.ListingChanges(ctx, since, limit)
}

func (s *snapshot) UpsertOrganisation(context.Context, *isa.Organisation, []isa.ContactPerson) (isa.Outcome, error) {
	return isa.Unchanged, refuse("upsert organisation")
}

func (s *snapshot) UpsertListing(context.Context, *isa.Listing) (isa.Outcome, error) {
	return isa.Unchanged, refuse("upsert listing")
}

func (s *snapshot) ExpireListings(context.Context, isa.Date) (int, error) {
	return 0, refuse("expire listings")
}

// InTx joins the snapshot, as InTx in a transaction joins it: fn reads
// the same snapshot and its writes are refused.
func (s *snapshot) InTx(ctx context.Context, fn func(tx isa.Store) error) error {
	if err := s.live(); err != nil {
		return err
	}
	return fn(s)
}

// ReadSnapshot in a snapshot reuses it, so that code handed a snapshot
// (an export inside a larger read) keeps reading one state.
func (s *snapshot) ReadSnapshot(ctx context.Context, fn func(snap isa.Store) error) error {
	if err := s.live(); err != nil {
		return err
	}
	return fn(s)
}

// Close is a no-op: the snapshot ends when ReadSnapshot returns.
func (s *snapshot) Close() error { return nil }
