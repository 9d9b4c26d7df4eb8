package storage_test

import (
	"testing"

	"github.com/isa-alliance/isa"
	"github.com/isa-alliance/isa/internal/storage"
	"github.com/isa-alliance/isa/internal/storage/storagetest"
)

// dbEngines are the two databases the tests of this package that need a
// *storage.DB (not only an isa.Store) run on.
var dbEngines = []struct {
	name string
	open func(testing.TB) *storage.DB
}{{"sqlite", storagetest.OpenSQLite}, {"postgres", storagetest.OpenPostgres}}

func TestSQLiteConformance(t *testing.T) {
	storagetest.Run(t, func(t *testing.T) isa.Store { return storagetest.OpenSQLite(t) })
}

func TestPostgresConformance(t *testing.T) {
	storagetest.Run(t, func(t *testing.T) isa.Store { return storagetest.OpenPostgres(t) })
}
