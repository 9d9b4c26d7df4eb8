package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/isa-alliance/isa"
)

// querier is what *sql.DB and *sql.Tx have in common.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	PrepareContext(ctx context.Context, query string) (*sql.Stmt, error)
}

// conn runs the store's queries on one querier: the read pool for reads
// outside a transaction, or one transaction. Every method of isa.Store is
// written once, here.
type conn struct {
	db *DB
	q  querier
	tx *sql.Tx // nil outside a transaction

	// stmts holds the statements prepared in this transaction (SQLite).
	stmts map[string]*sql.Stmt

	// The listing change counter: locked on the first listing write of the
	// transaction and written back just before commit.
	seqLocked bool
	seqLast   int64 // the last number given out
	seqDirty  bool

	// side holds the side-table rows still to write, by listing id, in
	// the order first written (see side.go).
	side      map[int64]*sideRows
	sideOrder []int64

	// bulk is set once the transaction has used a bulk upsert (see
	// bulkCommit).
	bulk bool
}

// bulkCommit lets a PostgreSQL transaction that writes in bulk commit
// without waiting for its WAL to reach the disk: an import commits
// megabytes per transaction, and waiting for each flush left the server
// idle. The price, documented in docs/benchmarks.md: a crash of the server
// (not of this program) within a fraction of a second after a commit may
// lose that commit, never corrupt the database; importing the file again
// restores it, since imports upsert by ref. Other transactions keep the
// server's setting. SQLite in WAL mode with synchronous=NORMAL already
// commits without a sync.
func (c *conn) bulkCommit(ctx context.Context) error {
	if c.bulk || c.tx == nil || c.db.engine != enginePostgres {
		return nil
	}
	if _, err := c.exec(ctx, `SET LOCAL synchronous_commit = off`); err != nil {
		return wrap(err, "relax commit for a bulk write")
	}
	c.bulk = true
	return nil
}

func (c *conn) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if s, err := c.stmt(ctx, query); err != nil {
		return nil, err
	} else if s != nil {
		return s.ExecContext(ctx, args...)
	}
	return c.q.ExecContext(ctx, c.db.rb.bind(query), args...)
}

func (c *conn) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if s, err := c.stmt(ctx, query); err != nil {
		return nil, err
	} else if s != nil {
		return s.QueryContext(ctx, args...)
	}
	return c.q.QueryContext(ctx, c.db.rb.bind(query), args...)
}

func (c *conn) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	if s, err := c.stmt(ctx, query); err == nil && s != nil {
		return s.QueryRowContext(ctx, args...)
	}
	return c.q.QueryRowContext(ctx, c.db.rb.bind(query), args...)
}

// stmt returns the prepared statement for query inside a SQLite
// transaction: an import runs the same few statements for every record, and
// modernc would otherwise compile each one anew. It returns nil outside a
// transaction and on PostgreSQL, where pgx already keeps a statement cache
// per connection that outlives transactions (so the server can settle on a
// generic plan) and a database/sql prepare would only add a round trip.
func (c *conn) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	if c.tx == nil || c.db.engine == enginePostgres {
		return nil, nil
	}
	if s, ok := c.stmts[query]; ok {
		return s, nil
	}
	s, err := c.tx.PrepareContext(ctx, c.db.rb.bind(query))
	if err != nil {
		return nil, fmt.Errorf("storage: prepare: %w", err)
	}
	if c.stmts == nil {
		c.stmts = make(map[string]*sql.Stmt)
	}
	c.stmts[query] = s
	return s, nil
}

// InTx runs fn in one transaction on the write pool. fn must use the
// Store it is given, not db: on SQLite the transaction holds the one write
// connection, so a write through db inside fn would wait for ever.
func (db *DB) InTx(ctx context.Context, fn func(tx isa.Store) error) error {
	return db.inTx(ctx, func(c *conn) error { return fn(c) })
}

func (db *DB) inTx(ctx context.Context, fn func(c *conn) error) (err error) {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("storage: begin transaction: %w", err)
	}
	c := &conn{db: db, q: tx, tx: tx}
	done := false
	defer func() {
		for _, s := range c.stmts {
			s.Close()
		}
		if !done {
			// fn panicked or failed: nothing of it may stay.
			if rerr := tx.Rollback(); rerr != nil && !errors.Is(rerr, sql.ErrTxDone) {
				db.log.Warn("rollback failed", "err", rerr)
			}
		}
	}()
	if err := fn(c); err != nil {
		return err
	}
	if err := c.flushSide(ctx); err != nil {
		return err
	}
	if err := c.flushSeq(ctx); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("storage: commit: %w", err)
	}
	done = true
	return nil
}

// InTx inside a transaction reuses it: the work joins the outer
// transaction and commits or rolls back with it.
func (c *conn) InTx(ctx context.Context, fn func(tx isa.Store) error) error {
	if c.tx == nil {
		return c.db.InTx(ctx, fn)
	}
	return fn(c)
}

// write runs fn in the current transaction, or in a new one outside.
func (c *conn) write(ctx context.Context, fn func(c *conn) error) error {
	if c.tx == nil {
		return c.db.inTx(ctx, fn)
	}
	return fn(c)
}

// Close is a no-op on a transaction: the transaction ends with InTx.
func (c *conn) Close() error { return nil }

// lockWrites takes the row lock of the listing change counter if this
// transaction does not hold it yet. Every write to organisations or
// listings takes it first, so that it is always the first lock a writing
// transaction acquires: two transactions can then never hold each other's
// rows (an organisation one, the counter the other) and deadlock.
func (c *conn) lockWrites(ctx context.Context) error {
	if c.seqLocked {
		return nil
	}
	// Updating the row locks it on PostgreSQL until commit: a second
	// writer waits here, so sequence numbers commit in the order they are
	// given out. SQLite has one writer anyway.
	err := c.queryRow(ctx, `UPDATE counters SET value = value WHERE name = 'listing_change' RETURNING value`).Scan(&c.seqLast)
	if err != nil {
		return wrap(err, "lock change counter")
	}
	c.seqLocked = true
	return nil
}

// nextSeq returns the change sequence number the next listing write would
// get. Call useSeq when the write happened.
func (c *conn) nextSeq(ctx context.Context) (int64, error) {
	if err := c.lockWrites(ctx); err != nil {
		return 0, err
	}
	return c.seqLast + 1, nil
}

func (c *conn) useSeq() { c.seqLast++; c.seqDirty = true }

func (c *conn) flushSeq(ctx context.Context) error {
	if !c.seqDirty {
		return nil
	}
	if _, err := c.exec(ctx, `UPDATE counters SET value = ? WHERE name = 'listing_change'`, c.seqLast); err != nil {
		return wrap(err, "advance change counter")
	}
	c.seqDirty = false
	return nil
}

// reader returns a conn on the read pool.
func (db *DB) reader() *conn { return &conn{db: db, q: db.read} }
