package storage_test

import (
	"testing"

	"github.com/isa-alliance/isa/internal/storage/storagetest"
)

func TestSQLiteImportKeepsState(t *testing.T) {
	storagetest.RunImportState(t, func(t *testing.T) storagetest.ImportStore { return storagetest.OpenSQLite(t) })
}

func TestPostgresImportKeepsState(t *testing.T) {
	storagetest.RunImportState(t, func(t *testing.T) storagetest.ImportStore { return storagetest.OpenPostgres(t) })
}
