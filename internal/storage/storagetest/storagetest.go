// Package storagetest is the conformance suite of isa.Store and the test
// helpers that open a migrated store on SQLite or on a scratch PostgreSQL
// database. Other packages use the helpers for tests on real databases.
package storagetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/isa-alliance/isa/internal/storage"
)

// DefaultPostgresURL is the server the tests use unless
// ISA_TEST_POSTGRES_URL names another: a local PostgreSQL with trust
// authentication.
const DefaultPostgresURL = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

// PostgresURL creates an empty scratch database isa_test_<random> on the
// test server and returns its URL; the database is dropped when the test
// ends. It fails the test when the server cannot be reached: tests on
// PostgreSQL are never skipped silently.
func PostgresURL(t testing.TB) string {
	t.Helper()
	admin := os.Getenv("ISA_TEST_POSTGRES_URL")
	if admin == "" {
		admin = DefaultPostgresURL
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	db, err := sql.Open("pgx", admin)
	if err == nil {
		err = db.PingContext(ctx)
	}
	if err != nil {
		t.Fatalf("PostgreSQL is not reachable at %s: %v\n"+
			"Start the local server with: pg_ctlcluster --skip-systemctl-redirect 15 main start\n"+
			"or point ISA_TEST_POSTGRES_URL at a server where the user may create databases.", redact(admin), err)
	}
	var b [6]byte
	rand.Read(b[:])
	name := "isa_test_" + hex.EncodeToString(b[:])
	// A database name is an identifier and cannot be bound; it is built
	// from hex digits only.
	if _, err := db.ExecContext(ctx, `CREATE DATABASE `+name); err != nil {
		db.Close()
		t.Fatalf("create scratch database on %s: %v", redact(admin), err)
	}
	t.Cleanup(func() {
		defer db.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		// Connections a test forgot to close would block the drop.
		db.ExecContext(ctx, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, name)
		if _, err := db.ExecContext(ctx, `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`); err != nil {
			t.Errorf("drop scratch database %s: %v", name, err)
		}
	})
	u, err := url.Parse(admin)
	if err != nil {
		t.Fatalf("ISA_TEST_POSTGRES_URL: %v", err)
	}
	u.Path = "/" + name
	return u.String()
}

func redact(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "(unparsable URL)"
	}
	return u.Redacted()
}

// OpenSQLite returns a migrated store on a fresh SQLite database in a
// temporary folder, closed when the test ends.
func OpenSQLite(t testing.TB) *storage.DB {
	t.Helper()
	return open(t, storage.Config{DataDir: t.TempDir()})
}

// OpenPostgres returns a migrated store on a fresh scratch PostgreSQL
// database, closed and dropped when the test ends.
func OpenPostgres(t testing.TB) *storage.DB {
	t.Helper()
	return open(t, storage.Config{DatabaseURL: PostgresURL(t)})
}

func open(t testing.TB, cfg storage.Config) *storage.DB {
	t.Helper()
	ctx := context.Background()
	db, err := storage.Open(ctx, cfg)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() {
		if err := db.Close(); err != nil {
			t.Errorf("close store: %v", err)
		}
	})
	if err := db.Migrate(ctx); err != nil {
		t.Fatalf("migrate store: %v", err)
	}
	return db
}
