package storage_test

import (
	"testing"

	"github.com/isa-alliance/isa"
	"github.com/isa-alliance/isa/internal/storage/storagetest"
)

func TestSQLiteConformance(t *testing.T) {
	storagetest.Run(t, func(t *testing.T) isa.Store { return storagetest.OpenSQLite(t) })
}

func TestPostgresConformance(t *testing.T) {
	storagetest.Run(t, func(t *testing.T) isa.Store { return storagetest.OpenPostgres(t) })
}
