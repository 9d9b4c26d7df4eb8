package messages_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/isa-alliance/isa"
)

// BenchmarkContact measures a first contact: checks, quota, thread, first
// message and one mail in the outbox, in one transaction.
// Run: go test -run '^$' -bench Contact ./internal/messages/
func BenchmarkContact(b *testing.B) {
	for _, be := range backends {
		b.Run(be.name, func(b *testing.B) {
			ctx := context.Background()
			f := setup(b, be.open(b), b.N+1)
			for i := range b.N {
				l := &isa.Listing{Ref: fmt.Sprintf("bench-%d", i), Org: "o-bh", Kind: isa.Offer, Lang: isa.DE, Title: "Angebot", Description: "x",
					State: isa.Published, Published: "2026-11-01", Expires: "2027-11-01"}
				if _, err := f.db.UpsertListing(ctx, l); err != nil {
					b.Fatal(err)
				}
			}
			b.ResetTimer()
			for i := range b.N {
				if _, err := f.svc.Contact(ctx, f.b, fmt.Sprintf("bench-%d", i), "Guten Tag, wir sind interessiert."); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
