package messages_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/isa-alliance/isa"
	"github.com/isa-alliance/isa/internal/accounts"
	"github.com/isa-alliance/isa/internal/authz"
	"github.com/isa-alliance/isa/internal/messages"
	"github.com/isa-alliance/isa/internal/storage"
	"github.com/isa-alliance/isa/internal/storage/storagetest"
)

var backends = []struct {
	name string
	open func(testing.TB) *storage.DB
}{
	{"sqlite", func(t testing.TB) *storage.DB { return storagetest.OpenSQLite(t) }},
	{"postgres", func(t testing.TB) *storage.DB { return storagetest.OpenPostgres(t) }},
}

type fixture struct {
	db      *storage.DB
	svc     *messages.Service
	a, b, c authz.Subject // members of Bad Homburg GmbH, Foshan Co. and Other AG
	listing string        // Bad Homburg's published request
	review  string        // Bad Homburg's listing in review
	bOffer  string        // Foshan's published offer
}

var day = time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)

func setup(t testing.TB, db *storage.DB, perDay int) fixture {
	t.Helper()
	ctx := context.Background()
	orgs := []struct {
		o        *isa.Organisation
		contacts []isa.ContactPerson
	}{
		{&isa.Organisation{Ref: "o-bh", Name: "Bad Homburg GmbH", Kind: isa.Company, City: "bad-homburg"},
			[]isa.ContactPerson{{Name: "Anna Schmidt", Email: "a.schmidt@bh.example", Phone: "+49 6172 1"}}},
		{&isa.Organisation{Ref: "o-fs", Name: "佛山机械有限公司", Kind: isa.Company, City: "foshan"},
			[]isa.ContactPerson{{Name: "王伟", Email: "wang@fs.example", Phone: "+86 757 2"}}},
		{&isa.Organisation{Ref: "o-x", Name: "Other AG", Kind: isa.Company, City: "bad-homburg"}, nil},
	}
	for _, o := range orgs {
		if _, err := db.UpsertOrganisation(ctx, o.o, o.contacts); err != nil {
			t.Fatal(err)
		}
	}
	ls := []*isa.Listing{
		{Ref: "l-bh", Org: "o-bh", Kind: isa.Request, Lang: isa.DE, Title: "Gesuch: Gussteile", Description: "x", State: isa.Published, Published: "2026-11-01", Expires: "2027-11-01"},
		{Ref: "l-bh-review", Org: "o-bh", Kind: isa.Offer, Lang: isa.DE, Title: "Entwurf", Description: "x", State: isa.InReview},
		{Ref: "l-fs", Org: "o-fs", Kind: isa.Offer, Lang: isa.ZH, Title: "铸件供应", Description: "x", State: isa.Published, Published: "2026-11-01", Expires: "2027-11-01"},
	}
	for i := range 4 {
		ls = append(ls, &isa.Listing{Ref: fmt.Sprintf("l-x%d", i), Org: "o-x", Kind: isa.Offer, Lang: isa.EN, Title: "Other offer", Description: "x",
			State: isa.Published, Published: "2026-11-01", Expires: "2027-11-01"})
	}
	for _, l := range ls {
		if _, err := db.UpsertListing(ctx, l); err != nil {
			t.Fatal(err)
		}
	}
	users := []*accounts.User{
		{Email: "anna@bh.example", Name: "Anna", Lang: isa.DE, Role: accounts.Member, State: accounts.Active},
		{Email: "pending@bh.example", Name: "P", Lang: isa.DE, Role: accounts.Member, State: accounts.Pending},
		{Email: "wang@fs.example", Name: "王伟", Lang: isa.ZH, Role: accounts.Member, State: accounts.Active},
		{Email: "x@x.example", Name: "X", Lang: isa.EN, Role: accounts.Member, State: accounts.Active},
	}
	orgOf := []string{"o-bh", "o-bh", "o-fs", "o-x"}
	var subj []authz.Subject
	for i, u := range users {
		o, err := db.Organisation(ctx, orgOf[i])
		if err != nil {
			t.Fatal(err)
		}
		u.OrgID = o.ID
		if err := db.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		subj = append(subj, authz.Subject{UserID: u.ID, Role: authz.Member, Org: orgOf[i]})
	}
	svc, err := messages.New(db, messages.Options{PerDay: perDay, BaseURL: "https://isa.example/", Now: func() time.Time { return day }})
	if err != nil {
		t.Fatal(err)
	}
	return fixture{db: db, svc: svc, a: subj[0], b: subj[2], c: subj[3], listing: "l-bh", review: "l-bh-review", bOffer: "l-fs"}
}

type outMail struct{ to, subject, body, lang string }

func outbox(t *testing.T, db *storage.DB) []outMail {
	t.Helper()
	rows, err := db.SQL().QueryContext(context.Background(), `SELECT recipient, subject, body_text, lang FROM mail_outbox ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []outMail
	for rows.Next() {
		var m outMail
		if err := rows.Scan(&m.to, &m.subject, &m.body, &m.lang); err != nil {
			t.Fatal(err)
		}
		out = append(out, m)
	}
	return out
}

func TestContactFlowRevealsContactsOnlyAfterAcceptance(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			ctx := context.Background()
			f := setup(t, b.open(t), 10)

			th, err := f.svc.Contact(ctx, f.b, f.listing, "  我们是佛山的铸造厂，对贵公司的需求很感兴趣。<script>x</script> ")
			if err != nil {
				t.Fatal(err)
			}
			if th.State != messages.Pending || th.From.Ref != "o-fs" || th.To.Ref != "o-bh" {
				t.Fatalf("thread %+v", th)
			}
			// The receiving organisation's active member gets a German mail;
			// the unconfirmed one gets none.
			mails := outbox(t, f.db)
			if len(mails) != 1 || mails[0].to != "anna@bh.example" || mails[0].lang != "de" ||
				!strings.Contains(mails[0].subject, "佛山机械有限公司") || !strings.Contains(mails[0].body, "https://isa.example/de/inbox/") {
				t.Fatalf("mails after contact: %+v", mails)
			}
			inbox, err := f.svc.Inbox(ctx, f.a, 0)
			if err != nil || len(inbox) != 1 || inbox[0].ID != th.ID {
				t.Fatalf("inbox of the receiver: %v, %+v", err, inbox)
			}

			for _, who := range []authz.Subject{f.a, f.b} {
				v, err := f.svc.Thread(ctx, who, th.ID)
				if err != nil {
					t.Fatal(err)
				}
				if v.PartnerContacts != nil || v.OwnContacts != nil {
					t.Errorf("%s sees contacts before acceptance", who.Org)
				}
				if v.Thread.Messages[0].Body != "我们是佛山的铸造厂，对贵公司的需求很感兴趣。<script>x</script>" {
					t.Errorf("stored body %q", v.Thread.Messages[0].Body)
				}
			}

			// Nobody else reads or decides; the sender cannot accept its own
			// contact; nothing is replied before acceptance.
			refusals := []struct {
				name string
				do   func() error
				code isa.Code
			}{
				{"third org reads", func() error { _, err := f.svc.Thread(ctx, f.c, th.ID); return err }, isa.CodeNotFound},
				{"third org accepts", func() error { _, err := f.svc.Accept(ctx, f.c, th.ID); return err }, isa.CodeNotFound},
				{"third org replies", func() error { _, err := f.svc.Reply(ctx, f.c, th.ID, "hi"); return err }, isa.CodeNotFound},
				{"anonymous reads", func() error { _, err := f.svc.Thread(ctx, authz.Subject{}, th.ID); return err }, isa.CodeUnauth},
				{"officer reads", func() error {
					_, err := f.svc.Thread(ctx, authz.Subject{UserID: 99, Role: authz.Officer, City: "bad-homburg"}, th.ID)
					return err
				}, isa.CodeNotFound},
				{"forged thread id", func() error { _, err := f.svc.Thread(ctx, f.a, th.ID+1000); return err }, isa.CodeNotFound},
				{"sender accepts", func() error { _, err := f.svc.Accept(ctx, f.b, th.ID); return err }, isa.CodeForbidden},
				{"reply before acceptance", func() error { _, err := f.svc.Reply(ctx, f.b, th.ID, "hallo?"); return err }, isa.CodeConflict},
				{"second contact on the same listing", func() error { _, err := f.svc.Contact(ctx, f.b, f.listing, "noch einmal"); return err }, isa.CodeConflict},
				{"contact on a listing in review", func() error { _, err := f.svc.Contact(ctx, f.b, f.review, "hallo"); return err }, isa.CodeNotFound},
				{"contact on a missing listing", func() error { _, err := f.svc.Contact(ctx, f.b, "l-none", "hallo"); return err }, isa.CodeNotFound},
				{"contact on the own listing", func() error { _, err := f.svc.Contact(ctx, f.a, f.listing, "hallo"); return err }, isa.CodeForbidden},
				{"empty message", func() error { _, err := f.svc.Contact(ctx, f.c, f.listing, " \n "); return err }, isa.CodeInvalid},
				{"too long message", func() error {
					_, err := f.svc.Contact(ctx, f.c, f.listing, strings.Repeat("字", messages.MaxBody+1))
					return err
				}, isa.CodeInvalid},
			}
			for _, r := range refusals {
				if code := isa.ErrorCode(r.do()); code != r.code {
					t.Errorf("%s: code %q, want %q", r.name, code, r.code)
				}
			}
			if v, _ := f.svc.Thread(ctx, f.a, th.ID); v.Thread.State != messages.Pending || len(v.Thread.Messages) != 1 {
				t.Fatalf("refusals changed the thread: %s, %d messages", v.Thread.State, len(v.Thread.Messages))
			}
			if n := len(outbox(t, f.db)); n != 1 {
				t.Errorf("refusals enqueued mails: %d in the outbox", n)
			}

			v, err := f.svc.Accept(ctx, f.a, th.ID)
			if err != nil {
				t.Fatal(err)
			}
			if v.Thread.State != messages.Accepted || len(v.PartnerContacts) != 1 || v.PartnerContacts[0].Email != "wang@fs.example" {
				t.Fatalf("receiver after accepting: %s, %+v", v.Thread.State, v.PartnerContacts)
			}
			vb, _ := f.svc.Thread(ctx, f.b, th.ID)
			if len(vb.PartnerContacts) != 1 || vb.PartnerContacts[0].Name != "Anna Schmidt" || vb.PartnerContacts[0].Phone == "" {
				t.Errorf("sender after acceptance sees %+v", vb.PartnerContacts)
			}
			if _, err := f.svc.Decline(ctx, f.a, th.ID); isa.ErrorCode(err) != isa.CodeConflict {
				t.Errorf("deciding twice: %v", err)
			}
			if _, err := f.svc.Reply(ctx, f.b, th.ID, "谢谢！"); err != nil {
				t.Fatal(err)
			}
			if _, err := f.svc.Reply(ctx, f.a, th.ID, "Gern, rufen Sie an."); err != nil {
				t.Fatal(err)
			}
			mails = outbox(t, f.db)
			want := []struct{ to, lang string }{{"anna@bh.example", "de"}, {"wang@fs.example", "zh"}, {"anna@bh.example", "de"}, {"wang@fs.example", "zh"}}
			if len(mails) != len(want) {
				t.Fatalf("%d mails, want %d: %+v", len(mails), len(want), mails)
			}
			for i, w := range want {
				if mails[i].to != w.to || mails[i].lang != w.lang {
					t.Errorf("mail %d to %s in %s, want %s in %s", i, mails[i].to, mails[i].lang, w.to, w.lang)
				}
			}
			if v, _ := f.svc.Thread(ctx, f.b, th.ID); len(v.Thread.Messages) != 3 {
				t.Errorf("%d messages in the thread, want 3", len(v.Thread.Messages))
			}
		})
	}
}

func TestFirstContactsAreLimitedPerOrganisationAndDay(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			ctx := context.Background()
			f := setup(t, b.open(t), 2)
			for i, want := range []isa.Code{"", "", isa.CodeRateLimit, isa.CodeRateLimit} {
				_, err := f.svc.Contact(ctx, f.b, fmt.Sprintf("l-x%d", i), "Guten Tag")
				if code := isa.ErrorCode(err); code != want {
					t.Errorf("contact %d: %q, want %q", i+1, code, want)
				}
			}
			// Another organisation has its own allowance.
			if _, err := f.svc.Contact(ctx, f.a, f.bOffer, "Guten Tag"); err != nil {
				t.Errorf("other organisation limited: %v", err)
			}
			inbox, _ := f.svc.Inbox(ctx, f.b, 0)
			if len(inbox) != 3 {
				t.Errorf("%d threads of the limited organisation, want 2 sent and 1 received", len(inbox))
			}
			// A new day brings a new allowance.
			next, _ := messages.New(f.db, messages.Options{PerDay: 2, Now: func() time.Time { return day.AddDate(0, 0, 1) }})
			if _, err := next.Contact(ctx, f.b, "l-x2", "Guten Tag"); err != nil {
				t.Errorf("next day: %v", err)
			}
		})
	}
}

func TestConcurrentFirstContactsOfOneOrganisationMakeOneThread(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			ctx := context.Background()
			f := setup(t, b.open(t), 100)
			errs := make(chan error, 8)
			for range 8 {
				go func() {
					_, err := f.svc.Contact(ctx, f.b, f.listing, "Guten Tag")
					errs <- err
				}()
			}
			ok := 0
			for range 8 {
				switch err := <-errs; isa.ErrorCode(err) {
				case "":
					ok++
				case isa.CodeConflict:
				default:
					t.Errorf("unexpected: %v", err)
				}
			}
			inbox, _ := f.svc.Inbox(ctx, f.a, 0)
			if ok != 1 || len(inbox) != 1 {
				t.Errorf("%d contacts succeeded, %d threads; want 1 and 1", ok, len(inbox))
			}
		})
	}
}

func TestMembersStandInForMissingContactPersons(t *testing.T) {
	ctx := context.Background()
	f := setup(t, storagetest.OpenSQLite(t), 10)
	// Other AG has entered no contact persons.
	th, err := f.svc.Contact(ctx, f.c, f.listing, "Guten Tag")
	if err != nil {
		t.Fatal(err)
	}
	v, err := f.svc.Accept(ctx, f.a, th.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(v.PartnerContacts) != 1 || v.PartnerContacts[0].Email != "x@x.example" {
		t.Errorf("partner without contact persons shows %+v, want its member", v.PartnerContacts)
	}
	if len(v.OwnContacts) != 1 || v.OwnContacts[0].Name != "Anna Schmidt" {
		t.Errorf("own entered contact persons %+v", v.OwnContacts)
	}
}
