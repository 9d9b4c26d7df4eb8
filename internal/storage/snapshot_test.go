package storage_test

import (
	"context"
	"errors"
	"testing"

	"github.com/isa-alliance/isa"
	"github.com/isa-alliance/isa/internal/storage"
	"github.com/isa-alliance/isa/internal/storage/storagetest"
)

func TestSQLiteSnapshot(t *testing.T) {
	storagetest.RunSnapshot(t, func(t *testing.T) storagetest.SnapshotStore { return storagetest.OpenSQLite(t) })
}

func TestPostgresSnapshot(t *testing.T) {
	storagetest.RunSnapshot(t, func(t *testing.T) storagetest.SnapshotStore { return storagetest.OpenPostgres(t) })
}

// TestSnapshotTransactionIsReadOnly checks the second line of defence: a
// write that got past the snapshot's refusing methods still fails in the
// database (READ ONLY on PostgreSQL, query_only connections on SQLite)
// and is not stored.
func TestSnapshotTransactionIsReadOnly(t *testing.T) {
	for _, e := range dbEngines {
		t.Run(e.name, func(t *testing.T) {
			ctx := context.Background()
			db := e.open(t)
			err := db.ReadSnapshot(ctx, func(snap isa.Store) error {
				err := storage.WriteUnderSnapshot(ctx, snap)
				if err == nil {
					return errors.New("a write under the snapshot succeeded")
				}
				t.Logf("the database refused: %v", err)
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := db.Organisation(ctx, "under-snapshot"); !isa.IsNotFound(err) {
				t.Errorf("organisation written under a snapshot: %v, want not found", err)
			}
		})
	}
}
