package accounts_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/isa-alliance/isa"
	"github.com/isa-alliance/isa/internal/accounts"
	"github.com/isa-alliance/isa/internal/storage"
	"github.com/isa-alliance/isa/internal/storage/storagetest"
)

func TestRegistrationMailGoesThroughTheOutboxOfItsTransaction(t *testing.T) {
	for _, e := range []struct {
		name string
		open func(testing.TB) *storage.DB
	}{{"sqlite", func(t testing.TB) *storage.DB { return storagetest.OpenSQLite(t) }}, {"postgres", func(t testing.TB) *storage.DB { return storagetest.OpenPostgres(t) }}} {
		t.Run(e.name, func(t *testing.T) {
			db := e.open(t)
			ctx := context.Background()
			acc, err := accounts.New(accounts.Config{Store: db, BaseURL: "https://isa.example", Hash: accounts.HashParams{Memory: 256, Time: 1, Threads: 1, Concurrency: 1}})
			if err != nil {
				t.Fatal(err)
			}
			in := accounts.RegisterInput{Email: "li@foshan.example", Password: "Spritzguss-Foshan-9", Name: "李明", Lang: isa.ZH,
				OrgName: "佛山精密注塑有限公司", Kind: isa.Company, City: "foshan", Size: isa.Medium}
			if err := acc.Register(ctx, in); err != nil {
				t.Fatal(err)
			}
			// The same address again answers alike, makes nothing and
			// mails the account instead of confirming a second one.
			again := in
			again.Lang, again.OrgName = isa.DE, "Zweite GmbH"
			if err := acc.Register(ctx, again); err != nil {
				t.Fatalf("second registration: %v", err)
			}
			ms, err := db.ClaimMails(ctx, "test", time.Now().Add(time.Minute), time.Minute, 10)
			if err != nil {
				t.Fatal(err)
			}
			if len(ms) != 2 {
				t.Fatalf("%d mails in the outbox, want 2", len(ms))
			}
			m := ms[0].Mail
			if m.To != "li@foshan.example" || m.Lang != isa.ZH || !strings.Contains(m.Subject, "确认") || !strings.Contains(m.Text, "https://isa.example/zh/confirm?token=") {
				t.Fatalf("mail %+v", m)
			}
			// In the account's language, not the second form's.
			m = ms[1].Mail
			if m.To != "li@foshan.example" || m.Lang != isa.ZH || !strings.Contains(m.Subject, "注册") ||
				!strings.Contains(m.Text, "https://isa.example/zh/login") || !strings.Contains(m.Text, "https://isa.example/zh/reset") || strings.Contains(m.Text, "token=") {
				t.Fatalf("mail %+v", m)
			}
			p, _ := db.Organisations(ctx, isa.OrgFilter{City: "foshan"})
			if len(p.Items) != 1 {
				t.Fatalf("%d organisations, want 1: the failed registration left one behind", len(p.Items))
			}
		})
	}
}
