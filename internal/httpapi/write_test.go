package httpapi

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/isa-alliance/isa"
	"github.com/isa-alliance/isa/internal/accounts"
	"github.com/isa-alliance/isa/internal/listings"
	"github.com/isa-alliance/isa/internal/messages"
	"github.com/isa-alliance/isa/internal/storage"
	"github.com/isa-alliance/isa/internal/storage/storagetest"
)

type writeFixture struct {
	db      *storage.DB
	h       http.Handler
	api     *API
	tokens  map[string]string // member name → bearer secret
	listing string            // a published listing of org-a
}

func newWriteFixture(t *testing.T, db *storage.DB, perDay int) *writeFixture {
	t.Helper()
	ctx := context.Background()
	orgs := []struct {
		o  *isa.Organisation
		cp []isa.ContactPerson
	}{
		{&isa.Organisation{Ref: "org-a", Name: "A GmbH", Kind: isa.Company, City: "bad-homburg", Verification: isa.Verification{State: isa.Verified}},
			[]isa.ContactPerson{{Name: "Anna A", Email: "anna@a.example", Phone: "+49 6172 100"}}},
		{&isa.Organisation{Ref: "org-b", Name: "佛山 B", Kind: isa.Company, City: "foshan"},
			[]isa.ContactPerson{{Name: "王 B", Email: "wang@b.example"}}},
		{&isa.Organisation{Ref: "org-c", Name: "C AG", Kind: isa.Company, City: "bad-homburg"}, nil},
	}
	for _, o := range orgs {
		if _, err := db.UpsertOrganisation(ctx, o.o, o.cp); err != nil {
			t.Fatal(err)
		}
	}
	acc, err := accounts.New(accounts.Config{Store: db, Hash: accounts.HashParams{Memory: 512, Time: 1, Threads: 1, Concurrency: 2}})
	if err != nil {
		t.Fatal(err)
	}
	f := &writeFixture{db: db, tokens: map[string]string{}}
	for name, org := range map[string]string{"a": "org-a", "b": "org-b", "c": "org-c"} {
		u, err := acc.AddUser(ctx, accounts.AddUserInput{Email: name + "@member.example", Password: "Lange-Passphrase-2026", Role: accounts.Member, Org: org, Lang: isa.DE})
		if err != nil {
			t.Fatal(err)
		}
		if f.tokens[name], _, err = acc.CreateAPIToken(ctx, u, "test"); err != nil {
			t.Fatal(err)
		}
	}
	now := func() time.Time { return time.Date(2026, 11, 21, 8, 0, 0, 0, time.UTC) }
	contacts, err := messages.New(db, messages.Options{PerDay: perDay, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	f.api = New(Deps{Store: db, Now: now, Posting: listings.New(db, now), Contacts: contacts})
	mux := http.NewServeMux()
	f.api.Register(mux)
	f.h = acc.Authenticate(mux)
	for i := range 3 {
		l := &isa.Listing{Ref: fmt.Sprintf("pub-a-%d", i), Org: "org-a", Kind: isa.Request, Lang: isa.DE, Title: "Gesuch", Description: "Gussteile",
			State: isa.Published, Published: "2026-11-01", Expires: "2027-11-01"}
		if _, err := db.UpsertListing(ctx, l); err != nil {
			t.Fatal(err)
		}
	}
	f.listing = "pub-a-0"
	return f
}

// do sends a request as member who ("" for anonymous) and returns the
// status and decoded body.
func (f *writeFixture) do(t *testing.T, who, method, path, body string) (int, map[string]any) {
	t.Helper()
	r := httptest.NewRequest(method, path, strings.NewReader(body))
	if body != "" {
		r.Header.Set("Content-Type", "application/json")
	}
	r.Header.Set("Accept-Language", "de")
	if who != "" {
		r.Header.Set("Authorization", "Bearer "+f.tokens[who])
	}
	w := httptest.NewRecorder()
	f.h.ServeHTTP(w, r)
	var out map[string]any
	if err := json.Unmarshal(w.Body.Bytes(), &out); err != nil {
		t.Fatalf("%s %s: body is not JSON: %q", method, path, w.Body.String())
	}
	return w.Code, out
}

func errField(m map[string]any) (code, field, msg string) {
	e, _ := m["error"].(map[string]any)
	code, _ = e["code"].(string)
	field, _ = e["field"].(string)
	msg, _ = e["message"].(string)
	return
}

const goodListing = `{"kind":"offer","lang":"zh","title":"注塑件供应","description":"我们提供技术塑料件。","cooperation":["supply"],"industries":["22.29"],"keywords":["注塑"]}`

func TestWriteAPIPostingRefusesBadInputAndStrangers(t *testing.T) {
	for _, b := range []struct {
		name string
		open func(testing.TB) *storage.DB
	}{{"sqlite", func(t testing.TB) *storage.DB { return storagetest.OpenSQLite(t) }}, {"postgres", func(t testing.TB) *storage.DB { return storagetest.OpenPostgres(t) }}} {
		t.Run(b.name, func(t *testing.T) {
			f := newWriteFixture(t, b.open(t), 10)
			tests := []struct {
				name, who, method, path, body string
				status                        int
				field                         string
			}{
				{"anonymous create", "", "POST", "/api/v1/listings", goodListing, 401, ""},
				{"invalid token", "nobody", "POST", "/api/v1/listings", goodListing, 401, ""},
				{"empty title", "a", "POST", "/api/v1/listings", `{"kind":"offer","lang":"de","title":"","description":"x"}`, 400, "title"},
				{"title too long", "a", "POST", "/api/v1/listings", `{"kind":"offer","lang":"de","title":"` + strings.Repeat("x", 201) + `","description":"x"}`, 400, "title"},
				{"wrong type", "a", "POST", "/api/v1/listings", `{"kind":"offer","lang":"de","title":5,"description":"x"}`, 400, "title"},
				{"forged organisation field", "a", "POST", "/api/v1/listings", `{"org":"org-c","kind":"offer","lang":"de","title":"t","description":"x"}`, 400, ""},
				{"not JSON", "a", "POST", "/api/v1/listings", `kind=offer`, 400, ""},
				{"two JSON values", "a", "POST", "/api/v1/listings", goodListing + goodListing, 400, ""},
				{"stranger edits", "b", "PUT", "/api/v1/listings/pub-a-0", goodListing, 403, ""},
				{"stranger withdraws", "c", "POST", "/api/v1/listings/pub-a-0/withdraw", "", 403, ""},
				{"missing listing", "a", "PUT", "/api/v1/listings/nope", goodListing, 404, ""},
				{"stranger edits organisation", "b", "PUT", "/api/v1/organisations/org-a", `{"website":"https://evil.example"}`, 403, ""},
				{"bad website", "a", "PUT", "/api/v1/organisations/org-a", `{"website":"javascript:alert(1)"}`, 400, "website"},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					status, body := f.do(t, tt.who, tt.method, tt.path, tt.body)
					_, field, msg := errField(body)
					if status != tt.status || field != tt.field || msg == "" {
						t.Errorf("got %d field %q (%s), want %d field %q", status, field, msg, tt.status, tt.field)
					}
				})
			}
			// Nothing of the refused requests changed anything.
			l, _ := f.db.Listing(context.Background(), "pub-a-0")
			if l.Title != "Gesuch" || l.State != isa.Published {
				t.Errorf("refused requests changed the listing: %q %s", l.Title, l.State)
			}
			page, _ := f.db.Listings(context.Background(), isa.ListingFilter{Org: "org-c"})
			if len(page.Items) != 0 {
				t.Errorf("forged create stored %d listings of org-c", len(page.Items))
			}
			if o, _ := f.db.Organisation(context.Background(), "org-a"); o.Website != "" {
				t.Errorf("refused organisation edit stored %q", o.Website)
			}
		})
	}
}

func TestWriteAPIMessagesInGermanWhenAskedInGerman(t *testing.T) {
	f := newWriteFixture(t, storagetest.OpenSQLite(t), 10)
	_, body := f.do(t, "a", "POST", "/api/v1/listings", `{"kind":"offer","lang":"de","title":"","description":"x"}`)
	if _, _, msg := errField(body); msg != "Bitte füllen Sie dieses Feld aus." {
		t.Errorf("message %q", msg)
	}
}

func TestWriteAPIListingLifeCycle(t *testing.T) {
	f := newWriteFixture(t, storagetest.OpenSQLite(t), 10)
	status, l := f.do(t, "a", "POST", "/api/v1/listings", goodListing)
	if status != 201 || l["state"] != "published" || l["org"] != "org-a" {
		t.Fatalf("create: %d %v", status, l)
	}
	ref := l["ref"].(string)
	edited := strings.Replace(goodListing, "注塑件供应", "<script>alert(1)</script>", 1)
	if status, l = f.do(t, "a", "PUT", "/api/v1/listings/"+ref, edited); status != 200 || l["title"] != "<script>alert(1)</script>" {
		t.Errorf("update: %d %v", status, l["title"])
	}
	if status, l = f.do(t, "a", "POST", "/api/v1/listings/"+ref+"/renew", ""); status != 200 || l["expires"] != "2027-11-21" {
		t.Errorf("renew: %d %v", status, l["expires"])
	}
	if status, l = f.do(t, "a", "POST", "/api/v1/listings/"+ref+"/withdraw", ""); status != 200 || l["state"] != "withdrawn" {
		t.Errorf("withdraw: %d %v", status, l["state"])
	}
	if status, o := f.do(t, "a", "PUT", "/api/v1/organisations/org-a", `{"website":"https://a.example","contacts":[{"name":"Anna A","email":"anna@a.example"}]}`); status != 200 || o["website"] != "https://a.example" {
		t.Errorf("organisation: %d %v", status, o)
	}
}

func TestWriteAPIContactFlow(t *testing.T) {
	f := newWriteFixture(t, storagetest.OpenSQLite(t), 2)
	status, d := f.do(t, "b", "POST", "/api/v1/listings/"+f.listing+"/contact", `{"message":"我们对贵公司的需求很感兴趣。"}`)
	if status != 201 {
		t.Fatalf("contact: %d %v", status, d)
	}
	if _, ok := d["partner_contacts"]; ok {
		t.Fatal("contacts shown before acceptance")
	}
	id := int64(d["thread"].(map[string]any)["id"].(float64))
	thread := fmt.Sprintf("/api/v1/messages/%d", id)
	for _, tt := range []struct {
		name, who, method, path, body string
		status                        int
	}{
		{"third organisation reads", "c", "GET", thread, "", 404},
		{"third organisation accepts", "c", "POST", thread + "/accept", "", 404},
		{"sender accepts its own contact", "b", "POST", thread + "/accept", "", 403},
		{"reply before acceptance", "b", "POST", thread + "/replies", `{"message":"?"}`, 409},
		{"forged id", "a", "GET", "/api/v1/messages/999999", "", 404},
		{"id that is no number", "a", "GET", "/api/v1/messages/abc", "", 404},
		{"anonymous inbox", "", "GET", "/api/v1/messages", "", 401},
	} {
		if status, body := f.do(t, tt.who, tt.method, tt.path, tt.body); status != tt.status {
			t.Errorf("%s: %d %v, want %d", tt.name, status, body, tt.status)
		}
	}
	status, d = f.do(t, "a", "POST", thread+"/accept", "")
	pc, _ := d["partner_contacts"].([]any)
	if status != 200 || len(pc) != 1 || pc[0].(map[string]any)["email"] != "wang@b.example" {
		t.Fatalf("accept: %d %v", status, d)
	}
	_, d = f.do(t, "b", "GET", thread, "")
	if pc, _ := d["partner_contacts"].([]any); len(pc) != 1 || pc[0].(map[string]any)["phone"] != "+49 6172 100" {
		t.Errorf("sender after acceptance: %v", d["partner_contacts"])
	}
	if status, _ := f.do(t, "b", "POST", thread+"/replies", `{"message":"谢谢"}`); status != 201 {
		t.Errorf("reply: %d", status)
	}
	if status, inbox := f.do(t, "a", "GET", "/api/v1/messages", ""); status != 200 || len(inbox["items"].([]any)) != 1 {
		t.Errorf("inbox: %d %v", status, inbox)
	}
	// Two first contacts a day: the second passes, the third is 429.
	if status, _ := f.do(t, "b", "POST", "/api/v1/listings/pub-a-1/contact", `{"message":"hallo"}`); status != 201 {
		t.Errorf("second contact: %d", status)
	}
	status, d = f.do(t, "b", "POST", "/api/v1/listings/pub-a-2/contact", `{"message":"hallo"}`)
	if code, _, msg := errField(d); status != 429 || code != "rate_limited" || !strings.Contains(msg, "morgen") {
		t.Errorf("third contact: %d %s %q", status, code, msg)
	}
}

func TestWriteRoutesAreDocumentedWhenMounted(t *testing.T) {
	f := newWriteFixture(t, storagetest.OpenSQLite(t), 10)
	var doc map[string]any
	if err := json.Unmarshal(f.api.openapi, &doc); err != nil {
		t.Fatal(err)
	}
	paths := doc["paths"].(map[string]any)
	for _, rt := range f.api.writeRoutes() {
		op, _ := paths[rt.path].(map[string]any)[strings.ToLower(rt.method)].(map[string]any)
		if op == nil {
			t.Errorf("%s is not documented", rt.pattern())
			continue
		}
		if _, ok := op["security"]; !ok {
			t.Errorf("%s documents no bearer authentication", rt.pattern())
		}
		if _, ok := op["requestBody"]; ok != (rt.request != "") {
			t.Errorf("%s: request body documented %v, route takes one %v", rt.pattern(), ok, rt.request != "")
		}
	}
	// Without the services the write side is not mounted at all.
	if len(New(Deps{}).routes) >= len(f.api.routes) {
		t.Error("write routes mounted without services")
	}
}

func TestWriteAPIContactAndReplyRefuseBadInputAndChangeNothing(t *testing.T) {
	f := newWriteFixture(t, storagetest.OpenSQLite(t), 10)
	contact := "/api/v1/listings/" + f.listing + "/contact"
	threads := func() int {
		_, d := f.do(t, "b", "GET", "/api/v1/messages", "")
		items, _ := d["items"].([]any)
		return len(items)
	}
	tests := []struct {
		name, path, body string
		status           int
		field            string
	}{
		{"empty message", contact, `{"message":"  "}`, 400, "body"},
		{"message too long", contact, `{"message":"` + strings.Repeat("x", 5001) + `"}`, 400, "body"},
		{"message of the wrong type", contact, `{"message":42}`, 400, "message"},
		{"unknown field", contact, `{"message":"hallo","to":"org-c"}`, 400, ""},
		{"forged listing", "/api/v1/listings/nope/contact", `{"message":"hallo"}`, 404, ""},
	}
	for _, tt := range tests {
		t.Run("contact/"+tt.name, func(t *testing.T) {
			status, body := f.do(t, "b", "POST", tt.path, tt.body)
			_, field, msg := errField(body)
			if status != tt.status || field != tt.field || msg == "" {
				t.Errorf("got %d field %q (%s), want %d field %q", status, field, msg, tt.status, tt.field)
			}
			if n := threads(); n != 0 {
				t.Errorf("a refused contact made %d threads", n)
			}
		})
	}
	status, d := f.do(t, "b", "POST", contact, `{"message":"hallo"}`)
	if status != 201 {
		t.Fatalf("contact: %d %v", status, d)
	}
	thread := fmt.Sprintf("/api/v1/messages/%d", int64(d["thread"].(map[string]any)["id"].(float64)))
	if status, _ := f.do(t, "a", "POST", thread+"/accept", ""); status != 200 {
		t.Fatalf("accept: %d", status)
	}
	replies := []struct {
		name, who, path, body string
		status                int
	}{
		{"empty reply", "b", thread + "/replies", `{"message":""}`, 400},
		{"reply of the wrong type", "b", thread + "/replies", `{"message":["a"]}`, 400},
		{"reply by a third organisation", "c", thread + "/replies", `{"message":"hallo"}`, 404},
		{"reply to a forged thread", "b", "/api/v1/messages/999999/replies", `{"message":"hallo"}`, 404},
	}
	for _, tt := range replies {
		t.Run("reply/"+tt.name, func(t *testing.T) {
			if status, body := f.do(t, tt.who, "POST", tt.path, tt.body); status != tt.status {
				t.Errorf("%d %v, want %d", status, body, tt.status)
			}
			_, d := f.do(t, "b", "GET", thread, "")
			if ms, _ := d["messages"].([]any); len(ms) != 1 {
				t.Errorf("a refused reply left %d messages", len(ms))
			}
		})
	}
}
