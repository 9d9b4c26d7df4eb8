package mail_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/isa-alliance/isa"
	ismail "github.com/isa-alliance/isa/internal/mail"
	"github.com/isa-alliance/isa/internal/storage"
	"github.com/isa-alliance/isa/internal/storage/storagetest"
)

// BenchmarkOutbox measures enqueueing (one transaction per mail, as an
// event would) and delivering the outbox to the in-test SMTP server, a
// connection per mail. Run: go test -run '^$' -bench Outbox ./internal/mail/
func BenchmarkOutbox(b *testing.B) {
	for _, be := range []struct {
		name string
		open func(testing.TB) *storage.DB
	}{{"sqlite", func(t testing.TB) *storage.DB { return storagetest.OpenSQLite(t) }}, {"postgres", func(t testing.TB) *storage.DB { return storagetest.OpenPostgres(t) }}} {
		b.Run(be.name, func(b *testing.B) {
			ctx := context.Background()
			db := be.open(b)
			srv := startServerTB(b)
			sender, err := ismail.NewSMTPSender("smtp://"+srv.addr, "noreply@isa.example")
			if err != nil {
				b.Fatal(err)
			}
			w := ismail.NewWorker(db, sender, nil)
			b.ResetTimer()
			start := time.Now()
			for i := range b.N {
				m := ismail.Mail{To: "m@example.org", Subject: "Betreff", Text: "Text", Lang: isa.DE, DedupeKey: fmt.Sprintf("bench:%d", i)}
				if err := ismail.Enqueue(ctx, db, m); err != nil {
					b.Fatal(err)
				}
			}
			enq := time.Since(start)
			start = time.Now()
			for {
				n, err := w.RunOnce(ctx)
				if err != nil {
					b.Fatal(err)
				}
				if n == 0 {
					break
				}
			}
			del := time.Since(start)
			b.StopTimer()
			if got := len(srv.messages()); got != b.N {
				b.Fatalf("delivered %d of %d", got, b.N)
			}
			b.ReportMetric(float64(enq.Microseconds())/float64(b.N), "µs/enqueue")
			b.ReportMetric(float64(b.N)/del.Seconds(), "mails/s")
		})
	}
}
