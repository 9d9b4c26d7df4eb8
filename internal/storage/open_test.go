package storage_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/isa-alliance/isa"
	"github.com/isa-alliance/isa/internal/storage"
	"github.com/isa-alliance/isa/internal/storage/storagetest"
)

func TestOpenCreatesTheDataFolder(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data dir #1", "b")
	db, err := storage.Open(context.Background(), storage.Config{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := os.Stat(filepath.Join(dir, "isa.db")); err != nil {
		t.Errorf("database file: %v", err)
	}
	if db.Engine() != "sqlite" {
		t.Errorf("engine %s, want sqlite", db.Engine())
	}
}

func TestOpenRejectsBadConfig(t *testing.T) {
	tests := []struct {
		name string
		cfg  storage.Config
	}{
		{"no data folder", storage.Config{}},
		{"foreign URL", storage.Config{DataDir: t.TempDir(), DatabaseURL: "mysql://x"}},
	}
	for _, tc := range tests {
		if _, err := storage.Open(context.Background(), tc.cfg); isa.ErrorCode(err) != isa.CodeInvalid {
			t.Errorf("%s: %v, want invalid", tc.name, err)
		}
	}
}

// engines opens a fresh, unmigrated store per engine with its config.
func engines(t *testing.T) map[string]storage.Config {
	return map[string]storage.Config{
		"sqlite":   {DataDir: t.TempDir()},
		"postgres": {DatabaseURL: storagetest.PostgresURL(t)},
	}
}

func TestMigrateIsIdempotentAndVersioned(t *testing.T) {
	ctx := context.Background()
	for name, cfg := range engines(t) {
		t.Run(name, func(t *testing.T) {
			db, err := storage.Open(ctx, cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if v, err := db.SchemaVersion(ctx); err != nil || v != 0 {
				t.Errorf("fresh database at version %d, %v; want 0", v, err)
			}
			for i := range 2 {
				if err := db.Migrate(ctx); err != nil {
					t.Fatalf("Migrate #%d: %v", i+1, err)
				}
			}
			v, err := db.SchemaVersion(ctx)
			if err != nil || v < 1 {
				t.Errorf("migrated database at version %d, %v", v, err)
			}
			if cs, err := db.Cities(ctx); err != nil || len(cs) != 40 {
				t.Errorf("after two migrations: %d cities, %v; want 40", len(cs), err)
			}
		})
	}
}

func TestOpenRefusesANewerSchema(t *testing.T) {
	ctx := context.Background()
	for name, cfg := range engines(t) {
		t.Run(name, func(t *testing.T) {
			db, err := storage.Open(ctx, cfg)
			if err != nil {
				t.Fatal(err)
			}
			if err := db.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			// A later release applied a migration this binary lacks.
			q := db.Rebind(`INSERT INTO goose_db_version (version_id, is_applied) VALUES (?, ?)`)
			if _, err := db.SQL().ExecContext(ctx, q, 99999, true); err != nil {
				t.Fatal(err)
			}
			db.Close()

			_, err = storage.Open(ctx, cfg)
			if !errors.Is(err, storage.ErrSchemaTooNew) {
				t.Fatalf("Open on a newer schema: %v, want ErrSchemaTooNew", err)
			}
			t.Log(err)
		})
	}
}

// Replicas that start together migrate one after the other: both succeed
// and the schema is applied once.
func TestConcurrentMigrateOnPostgres(t *testing.T) {
	ctx := context.Background()
	cfg := storage.Config{DatabaseURL: storagetest.PostgresURL(t)}
	errs := make(chan error, 3)
	for range 3 {
		go func() {
			db, err := storage.Open(ctx, cfg)
			if err != nil {
				errs <- err
				return
			}
			defer db.Close()
			errs <- db.Migrate(ctx)
		}()
	}
	for range 3 {
		if err := <-errs; err != nil {
			t.Errorf("replica: %v", err)
		}
	}
	db, err := storage.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var applied int
	if err := db.SQL().QueryRowContext(ctx, `SELECT COUNT(*) FROM goose_db_version WHERE version_id = 1`).Scan(&applied); err != nil {
		t.Fatal(err)
	}
	if applied != 1 {
		t.Errorf("migration 1 recorded %d times, want once", applied)
	}
	if cs, err := db.Cities(ctx); err != nil || len(cs) != 40 {
		t.Errorf("%d cities, %v; want 40", len(cs), err)
	}
}
