package authz_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/isa-alliance/isa"
	"github.com/isa-alliance/isa/internal/accounts"
	"github.com/isa-alliance/isa/internal/authz"
	"github.com/isa-alliance/isa/internal/httpapi"
	"github.com/isa-alliance/isa/internal/listings"
	"github.com/isa-alliance/isa/internal/messages"
	"github.com/isa-alliance/isa/internal/storage"
	"github.com/isa-alliance/isa/internal/storage/storagetest"
	"github.com/isa-alliance/isa/internal/web"
)

// The subjects, named by how they stand to the object of every request:
// something of organisation A in city X (Solingen).
const (
	anonymous = "anonymous"
	memberA   = "member of org A"
	memberB   = "member of org B"
	officerX  = "officer of city X"
	officerY  = "officer of city Y"
	admin     = "admin"
)

var subjects = []string{anonymous, memberA, memberB, officerX, officerY, admin}

// allowed is the specification: who may do each action on a non-public
// object of organisation A in city X. It is written out here, apart from
// authz.Can, so that a change of the rules must change both.
var allowed = map[authz.Action][]string{
	authz.ViewPublic:       subjects,
	authz.UseAnonymousForm: subjects,
	authz.ManageOwnAccount: {memberA, memberB, officerX, officerY, admin},
	authz.ViewListingDraft: {memberA, officerX, admin},
	authz.EditListing:      {memberA},
	authz.EditOrg:          {memberA},
	authz.ReadMessages:     {memberA},
	authz.ContactOrg:       {memberB},
	authz.ViewReviewQueue:  {officerX, officerY},
	authz.VerifyOrg:        {officerX},
	authz.ReviewListing:    {officerX},
	authz.ManageUsers:      {admin},
	authz.ManageCities:     {admin},
}

// allowedOwn is who may act on the own organisation: routes whose object
// is the subject's organisation (creating a listing, the inbox).
var allowedOwn = map[authz.Action][]string{
	authz.EditListing:  {memberA, memberB},
	authz.ReadMessages: {memberA, memberB},
}

func isAllowed(rule authz.Rule, subject string) bool {
	spec := allowed[rule.Action]
	if rule.Object == authz.OwnOrg {
		spec = allowedOwn[rule.Action]
	}
	for _, s := range spec {
		if s == subject {
			return true
		}
	}
	return false
}

func TestEveryActionHasASpecification(t *testing.T) {
	for _, a := range authz.Actions {
		if _, ok := allowed[a]; !ok {
			t.Errorf("action %s has no row in the specification", a)
		}
	}
}

// fixture is a server with two organisations in two cities, a listing in
// review of organisation A, and one user of each kind.
type fixture struct {
	db      *storage.DB
	handler http.Handler
	routes  []string
	tokens  map[string]string // subject → API token
	orgA    *isa.Organisation
	draft   *isa.Listing
	denied  bool
}

func newFixture(t *testing.T, db *storage.DB) *fixture {
	ctx := context.Background()
	f := &fixture{db: db, tokens: map[string]string{}}
	f.orgA = &isa.Organisation{Ref: "org-a", Name: "A GmbH", Kind: isa.Company, City: "solingen"}
	orgB := &isa.Organisation{Ref: "org-b", Name: "B Ltd", Kind: isa.Company, City: "foshan"}
	for _, o := range []*isa.Organisation{f.orgA, orgB} {
		if _, err := db.UpsertOrganisation(ctx, o, nil); err != nil {
			t.Fatal(err)
		}
	}
	f.draft = &isa.Listing{Ref: "draft-a", Org: "org-a", Kind: isa.Request, Lang: isa.DE, Title: "Gesuch", Description: "Entwurf", State: isa.InReview}
	if _, err := db.UpsertListing(ctx, f.draft); err != nil {
		t.Fatal(err)
	}
	acc, err := accounts.New(accounts.Config{Store: db, Hash: accounts.HashParams{Memory: 512, Time: 1, Threads: 1, Concurrency: 2}})
	if err != nil {
		t.Fatal(err)
	}
	users := map[string]accounts.AddUserInput{
		memberA:  {Role: accounts.Member, Org: "org-a"},
		memberB:  {Role: accounts.Member, Org: "org-b"},
		officerX: {Role: accounts.Officer, City: "solingen"},
		officerY: {Role: accounts.Officer, City: "foshan"},
		admin:    {Role: accounts.Admin},
	}
	for name, in := range users {
		in.Email = strings.ReplaceAll(name, " ", ".") + "@example.org"
		in.Password = "Lange-Passphrase-2026"
		u, err := acc.AddUser(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		secret, _, err := acc.CreateAPIToken(ctx, u, "test")
		if err != nil {
			t.Fatal(err)
		}
		f.tokens[name] = secret
	}
	// The services are those serve passes, so that every route the
	// server mounts is recorded and checked.
	posting := listings.New(db, nil)
	contacts, err := messages.New(db, messages.Options{})
	if err != nil {
		t.Fatal(err)
	}
	pages, err := web.New(web.Deps{Store: db, Accounts: acc, Posting: posting, Contacts: contacts})
	if err != nil {
		t.Fatal(err)
	}
	api := httpapi.New(httpapi.Deps{Store: db, Posting: posting, Contacts: contacts})
	mux := http.NewServeMux()
	pages.Register(mux)
	api.Register(mux)
	f.routes = append(pages.Routes(), api.Routes()...)
	f.handler = acc.Protect(mux, func(w http.ResponseWriter, r *http.Request, err error) {
		f.denied = true
		pages.Deny(w, r, err)
	})
	return f
}

// reset puts back what an allowed request may have changed.
func (f *fixture) reset(t *testing.T) {
	ctx := context.Background()
	d := *f.draft
	d.State = isa.InReview
	if _, err := f.db.UpsertListing(ctx, &d); err != nil {
		t.Fatal(err)
	}
	o := *f.orgA
	o.Verification = isa.Verification{State: isa.Unverified}
	if _, err := f.db.UpsertOrganisation(ctx, &o, nil); err != nil {
		t.Fatal(err)
	}
}

// request builds a request for pattern, its wildcards filled with the
// objects of organisation A.
func request(pattern string, rule authz.Rule) *http.Request {
	method, path, ok := strings.Cut(pattern, " ")
	if !ok {
		method, path = http.MethodGet, pattern
	}
	var segs []string
	for _, seg := range strings.Split(path, "/") {
		switch {
		case seg == "{$}":
			seg = ""
		case seg == "{ref}" && rule.Object == authz.ListingRef:
			seg = "draft-a"
		case seg == "{ref}":
			seg = "org-a"
		case seg == "{slug}":
			seg = "solingen"
		case seg == "{id}":
			seg = "999999" // names nobody: an allowed request changes nothing
		case strings.HasPrefix(seg, "{"):
			seg = "x"
		}
		segs = append(segs, seg)
	}
	p := strings.Join(segs, "/")
	if strings.HasSuffix(path, "/") && !strings.HasSuffix(path, "{$}") {
		p += "zz-nothing-here"
	}
	return httptest.NewRequest(method, p, nil)
}

func TestEveryRouteIsCheckedForEveryRoleAndObject(t *testing.T) {
	for _, e := range []struct {
		name string
		open func(testing.TB) *storage.DB
	}{{"sqlite", func(t testing.TB) *storage.DB { return storagetest.OpenSQLite(t) }}, {"postgres", func(t testing.TB) *storage.DB { return storagetest.OpenPostgres(t) }}} {
		t.Run(e.name, func(t *testing.T) {
			f := newFixture(t, e.open(t))
			t.Logf("%d routes, each as %d subjects", len(f.routes), len(subjects))
			if len(f.routes) < 40 {
				t.Fatalf("only %d routes recorded", len(f.routes))
			}
			for _, pattern := range f.routes {
				rule, ok := authz.RuleFor(pattern)
				if !ok {
					t.Errorf("route %q has no rule in package authz", pattern)
					continue
				}
				for _, subject := range subjects {
					req := request(pattern, rule)
					if subject == anonymous {
						// A valid CSRF pair, so that only authz can refuse.
						req.AddCookie(&http.Cookie{Name: "isa_csrf", Value: "tok"})
						req.Header.Set(accounts.CSRFHeader, "tok")
					} else {
						req.Header.Set("Authorization", "Bearer "+f.tokens[subject])
					}
					f.denied = false
					rec := httptest.NewRecorder()
					f.handler.ServeHTTP(rec, req)
					want := isAllowed(rule, subject)
					if f.denied == want {
						t.Errorf("%s %s as %s: denied=%v (status %d), want allowed=%v", req.Method, req.URL.Path, subject, f.denied, rec.Code, want)
					}
					if f.denied && rec.Code != http.StatusUnauthorized && rec.Code != http.StatusForbidden && rec.Code != http.StatusSeeOther {
						t.Errorf("%s %s as %s: refused with status %d", req.Method, req.URL.Path, subject, rec.Code)
					}
					if want {
						f.reset(t)
					}
				}
			}
		})
	}
}

func TestAPublishedListingIsPublicButItsEditingIsNot(t *testing.T) {
	tests := []struct {
		name    string
		subject authz.Subject
		action  authz.Action
		object  authz.Object
		want    isa.Code
	}{
		{"anyone reads a published listing", authz.Subject{}, authz.ViewListingDraft, authz.Object{Org: "a", City: "x", Public: true}, ""},
		{"an anonymous visitor is asked to sign in", authz.Subject{}, authz.EditListing, authz.Object{Org: "a", City: "x"}, isa.CodeUnauth},
		{"a member edits the own organisation's listing", authz.Subject{UserID: 1, Role: authz.Member, Org: "a"}, authz.EditListing, authz.Object{Org: "a", City: "x", Public: true}, ""},
		{"a member does not edit another organisation's listing", authz.Subject{UserID: 1, Role: authz.Member, Org: "b"}, authz.EditListing, authz.Object{Org: "a", City: "x", Public: true}, isa.CodeForbidden},
		{"a member without organisation edits nothing", authz.Subject{UserID: 1, Role: authz.Member}, authz.EditListing, authz.Object{City: "x"}, isa.CodeForbidden},
		{"an officer without city verifies nothing", authz.Subject{UserID: 1, Role: authz.Officer}, authz.VerifyOrg, authz.Object{Org: "a"}, isa.CodeForbidden},
		{"an admin does not post for companies", authz.Subject{UserID: 1, Role: authz.Admin}, authz.EditListing, authz.Object{Org: "a", City: "x"}, isa.CodeForbidden},
		{"an unknown role may do nothing signed-in", authz.Subject{UserID: 1, Role: "guest"}, authz.ManageOwnAccount, authz.Object{}, ""},
		{"an unknown role manages no users", authz.Subject{UserID: 1, Role: "guest"}, authz.ManageUsers, authz.Object{}, isa.CodeForbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := isa.ErrorCode(authz.Can(tt.subject, tt.action, tt.object)); got != tt.want {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
		})
	}
}
