package storage

import (
	"context"

	"github.com/isa-alliance/isa"
)

// WriteUnderSnapshot writes an organisation through the transaction of a
// snapshot, past the type that refuses writes: the tests of package
// storage_test use it to check that the transaction itself is read-only.
func WriteUnderSnapshot(ctx context.Context, snap isa.Store) error {
	s, ok := snap.(*snapshot)
	if !ok {
		return nil
	}
	o := &isa.Organisation{Ref: "under-snapshot", Name: "Unter dem Schnappschuss", Kind: isa.Company, City: "hamburg", Size: isa.Small}
	_, err := s.c.UpsertOrganisation(ctx, o, nil)
	return err
}
