// Package storage keeps the domain of package isa in a relational database:
// SQLite (embedded, the default: one file in the data folder) or PostgreSQL
// (when a postgres:// URL is configured). Both engines run the same SQL
// text and the same versioned migrations, embedded in the binary; *DB
// implements isa.Store, and isa.ListingBatcher and isa.OrganisationBatcher
// for bulk imports.
//
// Things worth knowing when using it:
//
//   - Open checks the schema version and refuses a database migrated by a
//     newer program (ErrSchemaTooNew); Migrate applies the embedded
//     migrations (under an advisory lock on PostgreSQL) and brings the
//     member cities up to date from package cities.
//   - On SQLite all writes go through one connection, so writers queue in
//     Go; reads use a pool of read-only connections beside it.
//   - Each listing write takes the next number of the listing change
//     counter, whose row lock a transaction holds until it commits: numbers
//     become visible in order, so a follower of ListingChanges never skips
//     a change. Organisation writes take the same lock first, so that
//     crossed transactions cannot deadlock. The price: transactions that
//     write organisations or listings run one at a time. Keep import
//     transactions to batches of a few thousand records (a fraction of a
//     second each).
//   - A refused record (unknown city or organisation, invalid field) is
//     reported without a failed SQL statement, so on PostgreSQL the
//     surrounding transaction stays usable.
package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers driver "pgx"
	_ "modernc.org/sqlite"             // registers driver "sqlite"

	"github.com/isa-alliance/isa"
)

// Config says where the data lives.
type Config struct {
	// DataDir is the folder of the SQLite database isa.db; created when
	// missing. Ignored for PostgreSQL.
	DataDir string
	// DatabaseURL selects PostgreSQL when it starts with postgres:// or
	// postgresql://; empty selects SQLite in DataDir.
	DatabaseURL string
	// Logger receives migration and maintenance messages; nil discards them.
	Logger *slog.Logger
}

// ErrSchemaTooNew is returned (wrapped, with both versions) by Open and
// Migrate when the database was migrated by a newer binary: running an
// older binary on it could lose data, so it refuses.
var ErrSchemaTooNew = errors.New("database schema is newer than this program")

// DB is the store on one database. It is safe for concurrent use.
type DB struct {
	engine engine
	// write takes all writes. On SQLite it holds a single connection, so
	// that writers queue in Go instead of failing with SQLITE_BUSY, while
	// readers use their own pool beside it (WAL lets them read during a
	// write). On PostgreSQL write and read are the same pool.
	write *sql.DB
	read  *sql.DB
	log   *slog.Logger
	rb    *rebinder
	// where names the database in messages without credentials.
	where string
}

var _ isa.Store = (*DB)(nil)

// Open connects to the database of cfg and checks that its schema is not
// newer than this binary knows. It does not change the schema: call
// Migrate for that (the app does so at start).
func Open(ctx context.Context, cfg Config) (*DB, error) {
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	var (
		db  *DB
		err error
	)
	if isPostgresURL(cfg.DatabaseURL) {
		db, err = openPostgres(ctx, cfg.DatabaseURL)
	} else {
		if cfg.DatabaseURL != "" {
			return nil, isa.Invalid("database_url", "only postgres:// URLs are supported; leave it empty for SQLite")
		}
		db, err = openSQLite(ctx, cfg.DataDir)
	}
	if err != nil {
		return nil, err
	}
	db.log = log
	db.rb = &rebinder{engine: db.engine}
	if _, _, err := db.versions(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

func isPostgresURL(s string) bool {
	return strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://")
}

func openPostgres(ctx context.Context, dsn string) (*DB, error) {
	where := "postgres"
	if u, err := url.Parse(dsn); err == nil {
		where = "postgres://" + u.Host + u.Path
	}
	pool, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("storage: open %s: %w", where, err)
	}
	pool.SetMaxOpenConns(max(8, 4*runtime.NumCPU()))
	pool.SetMaxIdleConns(max(8, 4*runtime.NumCPU()))
	pool.SetConnMaxIdleTime(5 * time.Minute)
	if err := pool.PingContext(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("storage: connect to %s: %w", where, err)
	}
	return &DB{engine: enginePostgres, write: pool, read: pool, where: where}, nil
}

func openSQLite(ctx context.Context, dir string) (*DB, error) {
	if dir == "" {
		return nil, isa.Invalid("data_dir", "a data folder is needed for the SQLite database")
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("storage: create data folder: %w", err)
	}
	// The driver takes a file: URI, in which a relative path such as the
	// default ./data would read as a host name: make it absolute.
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("storage: data folder %s: %w", dir, err)
	}
	path := filepath.Join(abs, "isa.db")
	// Pragmas go in the DSN so that every new pool connection gets them.
	// NORMAL synchronous is durable across application crashes in WAL mode
	// and much faster than FULL; only a power cut may lose the last commits.
	pragmas := "_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_pragma=synchronous(NORMAL)"
	u := url.URL{Scheme: "file", Path: path}
	// The writer gets a 64 MiB page cache (SQLite's default is 2 MiB): at a
	// million listings the indexes an upsert touches no longer fit the
	// default, and each miss is a read system call.
	//
	// Its temporary store is memory: a multi-row upsert inside a
	// transaction keeps a statement journal (the pages it changed, to undo
	// just that statement), by default in a temporary file; an import's
	// writer spent about a sixth of its time writing that file. The
	// journal of one statement is a few hundred pages at most. Readers keep
	// temporary files for the large sorts they may do.
	//
	// It checkpoints the WAL every 10,000 pages (40 MiB) instead of every
	// 1,000: each checkpoint copies the pages changed since the last one
	// and syncs the file, and index pages that every import batch touches
	// were copied again and again (about 10 % less CPU and 12 % less time
	// for an import of 300,000 listings). The WAL file keeps that size.
	writeDSN := u.String() + "?" + pragmas + "&_pragma=cache_size(-65536)&_pragma=temp_store(MEMORY)" +
		"&_pragma=wal_autocheckpoint(10000)&_txlock=immediate"
	readDSN := u.String() + "?" + pragmas + "&_pragma=cache_size(-16384)&_pragma=query_only(1)"

	write, err := sql.Open("sqlite", writeDSN)
	if err != nil {
		return nil, fmt.Errorf("storage: open %s: %w", path, err)
	}
	write.SetMaxOpenConns(1)
	write.SetMaxIdleConns(1)
	write.SetConnMaxLifetime(0)
	write.SetConnMaxIdleTime(0)
	// The writer connects first so that the WAL switch happens before any
	// read-only connection opens the file.
	if err := write.PingContext(ctx); err != nil {
		write.Close()
		return nil, fmt.Errorf("storage: open %s: %w", path, err)
	}
	read, err := sql.Open("sqlite", readDSN)
	if err != nil {
		write.Close()
		return nil, fmt.Errorf("storage: open %s: %w", path, err)
	}
	n := max(4, runtime.NumCPU())
	read.SetMaxOpenConns(n)
	read.SetMaxIdleConns(n)
	return &DB{engine: engineSQLite, write: write, read: read, where: path}, nil
}

// Close closes the connection pools.
func (db *DB) Close() error {
	err := db.write.Close()
	if db.read != db.write {
		err = errors.Join(err, db.read.Close())
	}
	return err
}

// Engine returns "sqlite" or "postgres", for logs and diagnostics.
func (db *DB) Engine() string { return db.engine.String() }

// SQL returns the pool that writes, for packages that keep tables of their
// own in the same database (sessions, search index). On SQLite it holds a
// single connection: do not hold it across calls into the store.
func (db *DB) SQL() *sql.DB { return db.write }

// ReadSQL returns the pool for reads (read-only connections on SQLite).
func (db *DB) ReadSQL() *sql.DB { return db.read }

// Rebind turns the `?` placeholders of a portable query into the engine's
// own, for packages that share this database and its one-SQL-text rule.
func (db *DB) Rebind(query string) string { return db.rb.bind(query) }
