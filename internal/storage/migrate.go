package storage

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

// migrationFiles are the versioned schema changes of every package that
// keeps tables in the store's database; see migrations/README.md for the
// version ranges and the macros.
//
//go:embed migrations/*.sql
var migrationFiles embed.FS

// provider returns a goose provider over the embedded migrations with the
// macros of db's engine expanded. On PostgreSQL it takes a session-level
// advisory lock, so that replicas starting together migrate one after the
// other instead of at once.
func (db *DB) provider() (*goose.Provider, error) {
	sub, err := fs.Sub(migrationFiles, "migrations")
	if err != nil {
		return nil, fmt.Errorf("storage: migrations: %w", err)
	}
	opts := []goose.ProviderOption{
		goose.WithDisableGlobalRegistry(true),
		goose.WithSlog(db.log),
	}
	dialect := goose.DialectSQLite3
	if db.engine == enginePostgres {
		dialect = goose.DialectPostgres
		// Retry every second for up to 15 minutes: a replica waits while
		// another one runs a long migration.
		locker, err := lock.NewPostgresSessionLocker(lock.WithLockTimeout(1, 900))
		if err != nil {
			return nil, fmt.Errorf("storage: migration lock: %w", err)
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	p, err := goose.NewProvider(dialect, db.write, newMacroFS(sub, db.engine), opts...)
	if err != nil {
		return nil, fmt.Errorf("storage: migrations: %w", err)
	}
	return p, nil
}

// versions returns the schema version of the database and the newest one
// this binary knows, and ErrSchemaTooNew when the first exceeds the second.
// It only reads: replicas opening a fresh PostgreSQL database together must
// not race to create goose's version table (Migrate does that, under the
// migration lock).
func (db *DB) versions(ctx context.Context) (current, known int64, err error) {
	p, err := db.provider()
	if err != nil {
		return 0, 0, err
	}
	for _, src := range p.ListSources() {
		known = max(known, src.Version)
	}
	var v sql.NullInt64
	err = db.write.QueryRowContext(ctx, `SELECT MAX(version_id) FROM goose_db_version`).Scan(&v)
	switch {
	case err != nil && missingTable(err):
		return 0, known, nil
	case err != nil:
		return 0, 0, fmt.Errorf("storage: read schema version of %s: %w", db.where, err)
	}
	current = v.Int64
	if current > known {
		return current, known, fmt.Errorf("storage: %s: %w (database at version %d, this program knows up to %d): use a newer release",
			db.where, ErrSchemaTooNew, current, known)
	}
	return current, known, nil
}

// SchemaVersion returns the version of the newest migration applied to the
// database; 0 for an empty database.
func (db *DB) SchemaVersion(ctx context.Context) (int64, error) {
	current, _, err := db.versions(ctx)
	if errors.Is(err, ErrSchemaTooNew) {
		return current, nil
	}
	return current, err
}

// Migrate applies the pending migrations and then brings the member cities
// up to date with the list compiled into the binary. Both steps are
// idempotent: running Migrate on an up-to-date database changes nothing.
func (db *DB) Migrate(ctx context.Context) error {
	current, known, err := db.versions(ctx)
	if err != nil {
		return err
	}
	if current < known {
		p, err := db.provider()
		if err != nil {
			return err
		}
		results, err := p.Up(ctx)
		if err != nil {
			return fmt.Errorf("storage: migrate %s: %w", db.where, err)
		}
		for _, r := range results {
			db.log.Info("migration applied", "version", r.Source.Version, "file", r.Source.Path, "duration", r.Duration)
		}
	}
	if err := db.syncCities(ctx, memberCities()); err != nil {
		return err
	}
	return nil
}
