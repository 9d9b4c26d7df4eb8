package isa

import (
	"context"
	"errors"
)

// ErrReadOnly is wrapped by the errors of writes through a Store that
// Snapshotter.ReadSnapshot hands out: a snapshot shows the past, and a
// write there would either be lost or contradict what the snapshot shows.
// Such a write is a programming error, so it carries no *Error code (it
// maps to internal).
var ErrReadOnly = errors.New("writes are refused in a read snapshot")

// Snapshotter is implemented by stores that can read from one consistent
// snapshot of the database: every read fn makes through snap sees the data
// as it was when ReadSnapshot started, whatever other connections commit
// in the meantime, and those writers are not held up for the duration.
// Long readers that must not mix states, such as an export whose listings
// must find their organisations in the same file, use it when the store
// offers it.
type Snapshotter interface {
	// ReadSnapshot runs fn on a read-only Store over one snapshot and
	// returns fn's error. Writes through snap fail with an error wrapping
	// ErrReadOnly; InTx and ReadSnapshot on snap run their function on
	// snap itself. snap must not escape fn: it stops working when fn
	// returns. Like the Store of InTx, it is for one goroutine at a time.
	ReadSnapshot(ctx context.Context, fn func(snap Store) error) error
}
