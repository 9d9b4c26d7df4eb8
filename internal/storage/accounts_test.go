package storage_test

import (
	"context"
	"testing"
	"time"

	"github.com/isa-alliance/isa"
	"github.com/isa-alliance/isa/internal/accounts"
)

func TestAccountStore(t *testing.T) {
	for _, e := range dbEngines {
		t.Run(e.name, func(t *testing.T) {
			var s accounts.Store = e.open(t)
			ctx := context.Background()
			org := &isa.Organisation{Ref: "acc-org", Name: "Acc GmbH", Kind: isa.Company, City: "solingen"}
			if _, err := s.UpsertOrganisation(ctx, org, nil); err != nil {
				t.Fatal(err)
			}
			u := &accounts.User{Email: "a@example.org", Name: "A", Lang: isa.DE, Role: accounts.Member, OrgID: org.ID, State: accounts.Pending, PasswordHash: "h"}
			if err := s.CreateUser(ctx, u); err != nil {
				t.Fatal(err)
			}
			now := time.Now().UTC()
			cases := []struct {
				name string
				run  func(t *testing.T)
			}{
				{"a second user with the same e-mail is a conflict", func(t *testing.T) {
					err := s.CreateUser(ctx, &accounts.User{Email: "a@example.org", Role: accounts.Member, State: accounts.Active, PasswordHash: "x"})
					if isa.ErrorCode(err) != isa.CodeConflict {
						t.Fatalf("got %v, want conflict", err)
					}
				}},
				{"a user reads back with the ref of the organisation", func(t *testing.T) {
					got, err := s.UserByEmail(ctx, "a@example.org")
					if err != nil || got.ID != u.ID || got.Org != "acc-org" || got.Lang != isa.DE || got.State != accounts.Pending {
						t.Fatalf("got %+v, %v", got, err)
					}
					if _, err := s.UserByID(ctx, u.ID+999); !isa.IsNotFound(err) {
						t.Fatalf("missing user: %v", err)
					}
				}},
				{"an account token is used once and not after expiry", func(t *testing.T) {
					if err := s.CreateAccountToken(ctx, "tok1", u.ID, accounts.PurposeConfirm, now.Add(time.Hour)); err != nil {
						t.Fatal(err)
					}
					if _, err := s.UseAccountToken(ctx, "tok1", accounts.PurposeReset, now); !isa.IsNotFound(err) {
						t.Fatalf("wrong purpose used: %v", err)
					}
					if id, err := s.UseAccountToken(ctx, "tok1", accounts.PurposeConfirm, now); err != nil || id != u.ID {
						t.Fatalf("first use: %d %v", id, err)
					}
					if _, err := s.UseAccountToken(ctx, "tok1", accounts.PurposeConfirm, now); !isa.IsNotFound(err) {
						t.Fatalf("second use: %v", err)
					}
					s.CreateAccountToken(ctx, "tok2", u.ID, accounts.PurposeReset, now.Add(time.Hour))
					if _, err := s.UseAccountToken(ctx, "tok2", accounts.PurposeReset, now.Add(2*time.Hour)); !isa.IsNotFound(err) {
						t.Fatalf("expired use: %v", err)
					}
				}},
				{"login failures count inside the window only", func(t *testing.T) {
					for _, at := range []time.Time{now.Add(-20 * time.Minute), now.Add(-time.Minute), now} {
						if err := s.AddLoginFailure(ctx, "k", at); err != nil {
							t.Fatal(err)
						}
					}
					if n, err := s.LoginFailures(ctx, "k", now.Add(-15*time.Minute)); err != nil || n != 2 {
						t.Fatalf("got %d %v, want 2", n, err)
					}
					s.ClearLoginFailures(ctx, "k")
					if n, _ := s.LoginFailures(ctx, "k", now.Add(-time.Hour)); n != 0 {
						t.Fatalf("after clear: %d", n)
					}
				}},
				{"sessions of a user are deleted together", func(t *testing.T) {
					for _, h := range []string{"s1", "s2"} {
						if err := s.CreateSession(ctx, h, accounts.Session{UserID: u.ID, CSRFToken: "c", CreatedAt: now, LastSeen: now, Expires: now.Add(time.Hour)}); err != nil {
							t.Fatal(err)
						}
					}
					if got, err := s.SessionByHash(ctx, "s1"); err != nil || got.UserID != u.ID || !got.Expires.Equal(now.Add(time.Hour).Truncate(time.Microsecond)) {
						t.Fatalf("got %+v %v", got, err)
					}
					s.DeleteUserSessions(ctx, u.ID)
					if _, err := s.SessionByHash(ctx, "s2"); !isa.IsNotFound(err) {
						t.Fatalf("session survived: %v", err)
					}
				}},
				{"an API token is revoked only by its owner", func(t *testing.T) {
					other := &accounts.User{Email: "b@example.org", Role: accounts.Admin, State: accounts.Active, PasswordHash: "h"}
					s.CreateUser(ctx, other)
					tok := &accounts.APIToken{UserID: u.ID, Name: "erp"}
					if err := s.CreateAPIToken(ctx, "api1", tok); err != nil {
						t.Fatal(err)
					}
					if err := s.DeleteAPIToken(ctx, other.ID, tok.ID); !isa.IsNotFound(err) {
						t.Fatalf("revoked by another user: %v", err)
					}
					if err := s.DeleteAPIToken(ctx, u.ID, tok.ID); err != nil {
						t.Fatal(err)
					}
					if _, err := s.APITokenByHash(ctx, "api1"); !isa.IsNotFound(err) {
						t.Fatalf("token survived: %v", err)
					}
				}},
				{"the latest review of each subject is what counts", func(t *testing.T) {
					s.AddReview(ctx, &accounts.Review{Subject: accounts.SubjectOrganisation, Ref: "acc-org", OrgID: org.ID, Outcome: accounts.OutcomeReturned, Reason: "r1"})
					s.AddReview(ctx, &accounts.Review{Subject: accounts.SubjectOrganisation, Ref: "acc-org", OrgID: org.ID, Outcome: accounts.OutcomeReturned, Reason: "r2"})
					rs, err := s.LatestReviews(ctx, org.ID)
					if err != nil || len(rs) != 1 || rs[0].Reason != "r2" {
						t.Fatalf("got %+v %v", rs, err)
					}
					refs, err := s.UnverifiedOrganisations(ctx, "solingen", 10)
					if err != nil || len(refs) != 1 || refs[0] != "acc-org" {
						t.Fatalf("queue %v %v", refs, err)
					}
				}},
			}
			for _, c := range cases {
				t.Run(c.name, c.run)
			}
		})
	}
}
