package listings_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/isa-alliance/isa"
	"github.com/isa-alliance/isa/internal/authz"
	"github.com/isa-alliance/isa/internal/listings"
	"github.com/isa-alliance/isa/internal/storage/storagetest"
)

var backends = []struct {
	name string
	open func(testing.TB) isa.Store
}{
	{"sqlite", func(t testing.TB) isa.Store { return storagetest.OpenSQLite(t) }},
	{"postgres", func(t testing.TB) isa.Store { return storagetest.OpenPostgres(t) }},
}

func good() listings.Input {
	return listings.Input{
		Kind: isa.Request, Lang: isa.DE,
		Title:        "Suche Lieferanten für Spritzgussteile",
		Description:  "Wir suchen einen Partner für technische Kunststoffteile.",
		Translations: map[isa.Lang]isa.Translation{isa.ZH: {Title: "寻找注塑件供应商", Description: "我们寻找技术塑料件的合作伙伴。"}},
		Cooperation:  []string{"supply", "manufacturing", "supply"},
		Industries:   []string{"c22.29", "C22.29"},
		Keywords:     []string{"Spritzguss", " spritzguss ", "PA6"},
	}
}

func TestNormalizeNamesEveryBadField(t *testing.T) {
	long := strings.Repeat("ä", isa.MaxTitle+1)
	tests := []struct {
		name   string
		edit   func(*listings.Input)
		field  string
		key    string
		wantOK bool
	}{
		{"good input passes", func(*listings.Input) {}, "", "", true},
		{"empty title", func(in *listings.Input) { in.Title = "   " }, "title", listings.KeyRequired, false},
		{"empty description", func(in *listings.Input) { in.Description = "" }, "description", listings.KeyRequired, false},
		{"title one character too long", func(in *listings.Input) { in.Title = long }, "title", listings.KeyTooLong, false},
		{"title at the limit", func(in *listings.Input) { in.Title = long[:len(long)-2] }, "", "", true},
		{"description too long", func(in *listings.Input) { in.Description = strings.Repeat("x", isa.MaxDescription+1) }, "description", listings.KeyTooLong, false},
		{"control character in title", func(in *listings.Input) { in.Title = "a\x00b" }, "title", listings.KeyControl, false},
		{"newline in title", func(in *listings.Input) { in.Title = "a\nb" }, "title", listings.KeyControl, false},
		{"unknown kind", func(in *listings.Input) { in.Kind = "sale" }, "kind", listings.KeyKind, false},
		{"unknown language", func(in *listings.Input) { in.Lang = "fr" }, "lang", listings.KeyLang, false},
		{"unknown cooperation type", func(in *listings.Input) { in.Cooperation = []string{"bribery"} }, "cooperation", listings.KeyCooperation, false},
		{"unknown NACE code", func(in *listings.Input) { in.Industries = []string{"Z99"} }, "industries", listings.KeyNACE, false},
		{"translation in the listing's language", func(in *listings.Input) {
			in.Translations = map[isa.Lang]isa.Translation{isa.DE: {Title: "x", Description: "y"}}
		}, "translations.de.title", listings.KeyTransSame, false},
		{"translation without description", func(in *listings.Input) {
			in.Translations = map[isa.Lang]isa.Translation{isa.EN: {Title: "x"}}
		}, "translations.en.description", listings.KeyRequired, false},
		{"empty translation pair is dropped", func(in *listings.Input) {
			in.Translations = map[isa.Lang]isa.Translation{isa.EN: {}}
		}, "", "", true},
		{"too many keywords", func(in *listings.Input) {
			in.Keywords = nil
			for i := range isa.MaxKeywords + 1 {
				in.Keywords = append(in.Keywords, "k"+strings.Repeat("x", i))
			}
		}, "keywords", listings.KeyTooMany, false},
		{"HTML is text, kept as written", func(in *listings.Input) { in.Title = `<script>alert(1)</script>` }, "", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := good()
			tt.edit(&in)
			_, err := listings.Normalize(in)
			if tt.wantOK {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			e := listings.AsErrors(err).Field(tt.field)
			if e == nil || e.Key != tt.key || isa.ErrorCode(err) != isa.CodeInvalid {
				t.Fatalf("got %v, want %s on %s", err, tt.key, tt.field)
			}
		})
	}
}

func TestNormalizeCleansLists(t *testing.T) {
	out, err := listings.Normalize(good())
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(out.Cooperation, ",") != "supply,manufacturing" || strings.Join(out.Industries, ",") != "C22.29" ||
		strings.Join(out.Keywords, ",") != "Spritzguss,PA6" {
		t.Errorf("got %v %v %v", out.Cooperation, out.Industries, out.Keywords)
	}
}

type fixture struct {
	store            isa.Store
	svc              *listings.Service
	verified, unveri authz.Subject
	stranger         authz.Subject
	day              time.Time
}

func setup(t testing.TB, s isa.Store) fixture {
	t.Helper()
	ctx := context.Background()
	orgs := []*isa.Organisation{
		{Ref: "o-ver", Name: "Verified GmbH", Kind: isa.Company, City: "bad-homburg", Verification: isa.Verification{State: isa.Verified}},
		{Ref: "o-unv", Name: "新公司", Kind: isa.Company, City: "foshan", Verification: isa.Verification{State: isa.Unverified}},
		{Ref: "o-other", Name: "Other AG", Kind: isa.Company, City: "bad-homburg", Verification: isa.Verification{State: isa.Verified}},
	}
	for _, o := range orgs {
		if _, err := s.UpsertOrganisation(ctx, o, nil); err != nil {
			t.Fatal(err)
		}
	}
	day := time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)
	return fixture{
		store:    s,
		svc:      listings.New(s, func() time.Time { return day }),
		verified: authz.Subject{UserID: 1, Role: authz.Member, Org: "o-ver"},
		unveri:   authz.Subject{UserID: 2, Role: authz.Member, Org: "o-unv"},
		stranger: authz.Subject{UserID: 3, Role: authz.Member, Org: "o-other"},
		day:      day,
	}
}

func TestPostingLifeCycle(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			ctx := context.Background()
			f := setup(t, b.open(t))

			l, err := f.svc.Create(ctx, f.verified, good())
			if err != nil {
				t.Fatal(err)
			}
			if l.State != isa.Published || l.Published != "2026-11-21" || l.Expires != "2027-11-21" || l.Org != "o-ver" {
				t.Fatalf("verified org's listing: %s %s..%s org %s", l.State, l.Published, l.Expires, l.Org)
			}
			u, err := f.svc.Create(ctx, f.unveri, good())
			if err != nil {
				t.Fatal(err)
			}
			if u.State != isa.InReview {
				t.Errorf("unverified org's listing is %s, want in_review", u.State)
			}

			// A stranger can neither edit, renew nor withdraw; nothing changes.
			in := good()
			in.Title = "Gekapert"
			for name, act := range map[string]func() error{
				"update":   func() error { _, err := f.svc.Update(ctx, f.stranger, l.Ref, in); return err },
				"renew":    func() error { _, err := f.svc.Renew(ctx, f.stranger, l.Ref); return err },
				"withdraw": func() error { _, err := f.svc.Withdraw(ctx, f.stranger, l.Ref); return err },
				"anonymous update": func() error {
					_, err := f.svc.Update(ctx, authz.Subject{}, l.Ref, in)
					return err
				},
				"officer update": func() error {
					_, err := f.svc.Update(ctx, authz.Subject{UserID: 9, Role: authz.Officer, City: "bad-homburg"}, l.Ref, in)
					return err
				},
			} {
				if code := isa.ErrorCode(act()); code != isa.CodeForbidden && code != isa.CodeUnauth {
					t.Errorf("%s by another: code %q, want forbidden", name, code)
				}
			}
			if got, _ := f.store.Listing(ctx, l.Ref); got.Title != l.Title || got.State != isa.Published {
				t.Errorf("a refused edit changed the listing: %q %s", got.Title, got.State)
			}

			// Invalid edits by the owner change nothing either.
			bad := good()
			bad.Title = ""
			if _, err := f.svc.Update(ctx, f.verified, l.Ref, bad); isa.ErrorCode(err) != isa.CodeInvalid {
				t.Errorf("empty title: %v", err)
			}
			if _, err := f.svc.Update(ctx, f.verified, "l-nonexistent", good()); !isa.IsNotFound(err) {
				t.Errorf("edit of a missing listing: %v", err)
			}

			in.Title = "<b>Neu</b> & besser"
			got, err := f.svc.Update(ctx, f.verified, l.Ref, in)
			if err != nil {
				t.Fatal(err)
			}
			if stored, _ := f.store.Listing(ctx, l.Ref); stored.Title != in.Title || stored.State != isa.Published {
				t.Errorf("after edit: %q %s", stored.Title, stored.State)
			}

			// Renewing later extends to 12 months from that day.
			f.svc = listings.New(f.store, func() time.Time { return f.day.AddDate(0, 3, 0) })
			if got, err = f.svc.Renew(ctx, f.verified, l.Ref); err != nil || got.Expires != "2028-02-21" {
				t.Errorf("renew: %v, expires %s", err, got.Expires)
			}
			if got, err = f.svc.Withdraw(ctx, f.verified, l.Ref); err != nil || got.State != isa.Withdrawn {
				t.Fatalf("withdraw: %v", err)
			}
			if stored, _ := f.store.Listing(ctx, l.Ref); stored.State != isa.Withdrawn {
				t.Errorf("stored state %s after withdraw", stored.State)
			}
			if _, err := f.svc.Renew(ctx, f.verified, l.Ref); isa.ErrorCode(err) != isa.CodeConflict {
				t.Errorf("renewing a withdrawn listing: %v, want conflict", err)
			}
			if _, err := f.svc.Update(ctx, f.verified, l.Ref, good()); isa.ErrorCode(err) != isa.CodeConflict {
				t.Errorf("editing a withdrawn listing: %v, want conflict", err)
			}
		})
	}
}

func TestRenewPublishesAnExpiredListingAgain(t *testing.T) {
	ctx := context.Background()
	f := setup(t, storagetest.OpenSQLite(t))
	l, err := f.svc.Create(ctx, f.verified, good())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.store.ExpireListings(ctx, "2028-01-01"); err != nil {
		t.Fatal(err)
	}
	later := listings.New(f.store, func() time.Time { return time.Date(2028, 1, 5, 0, 0, 0, 0, time.UTC) })
	got, err := later.Renew(ctx, f.verified, l.Ref)
	if err != nil {
		t.Fatal(err)
	}
	if got.State != isa.Published || got.Expires != "2029-01-05" {
		t.Errorf("renewed expired listing: %s until %s", got.State, got.Expires)
	}
}

func TestCreateActsOnlyForTheOwnOrganisation(t *testing.T) {
	ctx := context.Background()
	f := setup(t, storagetest.OpenSQLite(t))
	tests := []struct {
		name string
		who  authz.Subject
		code isa.Code
	}{
		{"anonymous", authz.Subject{}, isa.CodeUnauth},
		{"member without organisation", authz.Subject{UserID: 5, Role: authz.Member}, isa.CodeForbidden},
		{"officer", authz.Subject{UserID: 6, Role: authz.Officer, City: "bad-homburg"}, isa.CodeForbidden},
		{"member of a missing organisation", authz.Subject{UserID: 7, Role: authz.Member, Org: "o-gone"}, isa.CodeNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := f.svc.Create(ctx, tt.who, good()); isa.ErrorCode(err) != tt.code {
				t.Errorf("got %v, want %s", err, tt.code)
			}
		})
	}
	page, _ := f.store.Listings(ctx, isa.ListingFilter{})
	if len(page.Items) != 0 {
		t.Errorf("refused creates stored %d listings", len(page.Items))
	}
}
