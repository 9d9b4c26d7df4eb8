package listings_test

import (
	"context"
	"testing"
)

// BenchmarkCreate measures posting one listing (validation, NACE lookup,
// one transaction). Run: go test -run '^$' -bench Create ./internal/listings/
func BenchmarkCreate(b *testing.B) {
	for _, be := range backends {
		b.Run(be.name, func(b *testing.B) {
			f := setup(b, be.open(b))
			ctx := context.Background()
			in := good()
			b.ResetTimer()
			for range b.N {
				if _, err := f.svc.Create(ctx, f.verified, in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
