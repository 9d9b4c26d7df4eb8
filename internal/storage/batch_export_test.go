package storage

import (
	"context"

	"github.com/isa-alliance/isa"
)

// ShowInTx returns a PostgreSQL setting as the transaction tx (handed out
// by InTx) sees it, for tests of what a transaction changes about itself.
func ShowInTx(ctx context.Context, tx isa.Store, name string) (string, error) {
	var v string
	err := tx.(*conn).queryRow(ctx, `SHOW `+name).Scan(&v)
	return v, err
}
