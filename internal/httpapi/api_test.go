package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/isa-alliance/isa"
	"github.com/isa-alliance/isa/internal/matching"
	"github.com/isa-alliance/isa/internal/search"
	"github.com/isa-alliance/isa/internal/storage/storagetest"
)

// The tests below run against real stores, SQLite and PostgreSQL, seeded
// through the store's own upserts.

var testNow = time.Date(2026, 6, 1, 10, 0, 0, 0, time.UTC)

// Personal data of the seeded contact persons and the verifying officer:
// none of these strings may appear in any response.
var personal = []string{"Anna Schmidt", "anna.schmidt", "+49 40 5550123", "吴静", "wu.jing", "+86 757 5550188", "Petra Meier"}

type seedOrg struct {
	ref, city string
	kind      isa.OrgKind
	contacts  []isa.ContactPerson
}

var seedOrgs = []seedOrg{
	{"org-hh-hanse", "hamburg", isa.Company, []isa.ContactPerson{{Name: "Anna Schmidt", Role: "Vertrieb", Email: "anna.schmidt@hanse-kunststoff.example", Phone: "+49 40 5550123", Langs: []isa.Lang{isa.DE, isa.EN}}}},
	{"org-fs-meida", "foshan", isa.Company, []isa.ContactPerson{{Name: "吴静", Email: "wu.jing@meida-moulds.example", Phone: "+86 757 5550188", Langs: []isa.Lang{isa.ZH}}}},
	{"org-sg-klingen", "solingen", isa.Research, nil},
	{"org-hh-werft", "hamburg", isa.Company, nil},
	{"org-ch-tu", "chemnitz", isa.Research, nil},
	{"org-bh-wifoe", "bad-homburg", isa.Agency, nil},
	{"org-lz-auto", "liuzhou", isa.Company, nil},
}

type seedListing struct {
	ref, org    string
	kind        isa.ListingKind
	lang        isa.Lang
	state       isa.ListingState
	cooperation []string
	industries  []string
	expires     isa.Date
}

var seedListings = []seedListing{
	{"l-de-spritzguss", "org-hh-hanse", isa.Offer, isa.DE, isa.Published, []string{"manufacturing", "supply"}, []string{"C22.29"}, "2027-01-31"},
	{"l-zh-mould", "org-fs-meida", isa.Request, isa.ZH, isa.Published, []string{"joint_venture"}, []string{"C28.96"}, "2027-03-31"},
	{"l-en-blades", "org-sg-klingen", isa.Offer, isa.EN, isa.Published, []string{"research"}, []string{"M72.1"}, "2027-02-28"},
	{"l-de-werft", "org-hh-werft", isa.Request, isa.DE, isa.Published, []string{"supply"}, []string{"C30.11"}, "2026-12-31"},
	{"l-en-ev", "org-lz-auto", isa.Offer, isa.EN, isa.Published, []string{"distribution"}, []string{"C29.1"}, "2027-05-31"},
	{"l-de-tu", "org-ch-tu", isa.Offer, isa.DE, isa.Published, []string{"research", "licensing"}, []string{"M72.19"}, ""},
	{"l-zh-battery", "org-lz-auto", isa.Request, isa.ZH, isa.Published, []string{"investment"}, []string{"C27.2"}, "2027-04-30"},
	// Not public: each must stay out of every list and answer 404.
	{"l-draft", "org-hh-hanse", isa.Offer, isa.DE, isa.Draft, []string{"supply"}, []string{"C22"}, "2027-01-31"},
	{"l-review", "org-fs-meida", isa.Offer, isa.ZH, isa.InReview, nil, []string{"C22"}, "2027-01-31"},
	{"l-withdrawn", "org-hh-hanse", isa.Request, isa.DE, isa.Withdrawn, nil, []string{"C22"}, "2027-01-31"},
	{"l-expired", "org-fs-meida", isa.Offer, isa.ZH, isa.Expired, nil, []string{"C22"}, "2026-01-31"},
	{"l-past-expiry", "org-hh-hanse", isa.Offer, isa.DE, isa.Published, nil, []string{"C22"}, "2026-05-31"},
}

var publicListings = []string{"l-de-spritzguss", "l-zh-mould", "l-en-blades", "l-de-werft", "l-en-ev", "l-de-tu", "l-zh-battery"}

func seed(t *testing.T, store isa.Store) {
	t.Helper()
	ctx := context.Background()
	for _, s := range seedOrgs {
		o := &isa.Organisation{
			Ref: s.ref, Name: "Test " + s.ref, Kind: s.kind, City: s.city, Size: isa.Small,
			Names: isa.Text{isa.EN: "Test " + s.ref}, Industries: []string{"C22"},
			About: isa.Text{isa.DE: "Fiktive Organisation", isa.ZH: "虚构机构", isa.EN: "Fictitious organisation"},
		}
		if s.ref == "org-hh-hanse" {
			o.Verification = isa.Verification{State: isa.Verified, By: "Petra Meier", At: testNow.Add(-72 * time.Hour), Method: "visit"}
		}
		if _, err := store.UpsertOrganisation(ctx, o, s.contacts); err != nil {
			t.Fatalf("seed organisation %s: %v", s.ref, err)
		}
	}
	for _, s := range seedListings {
		l := &isa.Listing{
			Ref: s.ref, Org: s.org, Kind: s.kind, Lang: s.lang, State: s.state,
			Title: "Title of " + s.ref, Description: "Description of " + s.ref,
			Cooperation: s.cooperation, Industries: s.industries, Keywords: []string{"test"},
			Published: "2026-01-15", Expires: s.expires,
		}
		if s.lang == isa.DE {
			l.Translations = map[isa.Lang]isa.Translation{isa.EN: {Title: "English title", Description: "English description"}}
		}
		if _, err := store.UpsertListing(ctx, l); err != nil {
			t.Fatalf("seed listing %s: %v", s.ref, err)
		}
	}
	// The test of personal data proves something only if the store really
	// holds contacts for the organisations shown.
	o, err := store.Organisation(ctx, "org-hh-hanse")
	if err != nil {
		t.Fatal(err)
	}
	if cs, err := store.Contacts(ctx, o.ID); err != nil || len(cs) == 0 {
		t.Fatalf("seeded contacts not stored: %v %v", cs, err)
	}
}

// backends are the stores every API test runs on.
var backends = []struct {
	name string
	open func(testing.TB) isa.Store
}{
	{"sqlite", func(t testing.TB) isa.Store { return storagetest.OpenSQLite(t) }},
	{"postgres", func(t testing.TB) isa.Store { return storagetest.OpenPostgres(t) }},
}

// forEachBackend runs fn against a seeded store of each backend.
func forEachBackend(t *testing.T, fn func(t *testing.T, store isa.Store)) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			store := b.open(t)
			seed(t, store)
			fn(t, store)
		})
	}
}

func newServer(t *testing.T, deps Deps) *httptest.Server {
	t.Helper()
	if deps.Now == nil {
		deps.Now = func() time.Time { return testNow }
	}
	mux := http.NewServeMux()
	New(deps).Register(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

type response struct {
	status int
	header http.Header
	body   []byte
}

func get(t *testing.T, srv *httptest.Server, target, lang string) response {
	t.Helper()
	req, err := http.NewRequest("GET", srv.URL+target, nil)
	if err != nil {
		t.Fatal(err)
	}
	if lang != "" {
		req.Header.Set("Accept-Language", lang)
	}
	res, err := srv.Client().Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", target, err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return response{res.StatusCode, res.Header, body}
}

// refs returns the refs (or slugs) of the items of a list response.
func refs(t *testing.T, body []byte) []string {
	t.Helper()
	var page struct {
		Items []struct {
			Ref  string `json:"ref"`
			Slug string `json:"slug"`
		} `json:"items"`
	}
	if err := json.Unmarshal(body, &page); err != nil {
		t.Fatalf("list body %s: %v", body, err)
	}
	out := []string{}
	for _, it := range page.Items {
		out = append(out, it.Ref+it.Slug)
	}
	slices.Sort(out)
	return out
}

func sorted(xs ...string) []string { return slices.Sorted(slices.Values(xs)) }

func TestReadRoutesAnswerWithTheSeededData(t *testing.T) {
	forEachBackend(t, func(t *testing.T, store isa.Store) {
		srv := newServer(t, Deps{Store: store})
		tests := []struct {
			name   string
			target string
			want   []string // refs or slugs in the list; nil: only the status is checked
		}{
			{"all organisations", "/api/v1/organisations", sorted("org-hh-hanse", "org-fs-meida", "org-sg-klingen", "org-hh-werft", "org-ch-tu", "org-bh-wifoe", "org-lz-auto")},
			{"organisations of a city", "/api/v1/organisations?city=hamburg", sorted("org-hh-hanse", "org-hh-werft")},
			{"organisations of a country", "/api/v1/organisations?country=CN", sorted("org-fs-meida", "org-lz-auto")},
			{"country in lower case", "/api/v1/organisations?country=cn", sorted("org-fs-meida", "org-lz-auto")},
			{"organisations of a kind", "/api/v1/organisations?kind=research", sorted("org-sg-klingen", "org-ch-tu")},
			{"organisations, filters combined", "/api/v1/organisations?country=DE&kind=company", sorted("org-hh-hanse", "org-hh-werft")},
			{"public listings only", "/api/v1/listings", sorted(publicListings...)},
			{"listings explicitly published", "/api/v1/listings?state=published", sorted(publicListings...)},
			{"offers", "/api/v1/listings?kind=offer", sorted("l-de-spritzguss", "l-en-blades", "l-en-ev", "l-de-tu")},
			{"requests from China", "/api/v1/listings?kind=request&country=CN", sorted("l-zh-mould", "l-zh-battery")},
			{"listings of a city", "/api/v1/listings?city=hamburg", sorted("l-de-spritzguss", "l-de-werft")},
			{"listings by cooperation", "/api/v1/listings?cooperation=research", sorted("l-en-blades", "l-de-tu")},
			{"industry section matches all below", "/api/v1/listings?industry=C", sorted("l-de-spritzguss", "l-zh-mould", "l-de-werft", "l-en-ev", "l-zh-battery")},
			{"industry division", "/api/v1/listings?industry=M72", sorted("l-en-blades", "l-de-tu")},
			{"industry class", "/api/v1/listings?industry=C22.29", sorted("l-de-spritzguss")},
			{"listings in Chinese", "/api/v1/listings?lang=zh", sorted("l-zh-mould", "l-zh-battery")},
			{"listings of an organisation", "/api/v1/listings?org=org-lz-auto", sorted("l-en-ev", "l-zh-battery")},
			{"no listings match", "/api/v1/listings?city=weihai", []string{}},
			{"all cities", "/api/v1/cities", nil},
			{"one city", "/api/v1/cities/bad-homburg", nil},
			{"one organisation", "/api/v1/organisations/org-hh-hanse", nil},
			{"one listing", "/api/v1/listings/l-zh-mould", nil},
			{"health", "/healthz", nil},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				res := get(t, srv, tt.target, "")
				if res.status != http.StatusOK {
					t.Fatalf("GET %s: %d %s", tt.target, res.status, res.body)
				}
				if tt.want != nil {
					if got := refs(t, res.body); !slices.Equal(got, tt.want) {
						t.Errorf("GET %s:\n got %v\nwant %v", tt.target, got, tt.want)
					}
				}
			})
		}

		t.Run("city list has all 40 members, split by country", func(t *testing.T) {
			for target, want := range map[string]int{"/api/v1/cities": 40, "/api/v1/cities?country=DE": 19, "/api/v1/cities?country=CN": 21} {
				if got := len(refs(t, get(t, srv, target, "").body)); got != want {
					t.Errorf("GET %s: %d cities, want %d", target, got, want)
				}
			}
		})
		t.Run("one city carries names in three languages", func(t *testing.T) {
			var c cityView
			if err := json.Unmarshal(get(t, srv, "/api/v1/cities/foshan", "").body, &c); err != nil {
				t.Fatal(err)
			}
			if c.Slug != "foshan" || c.Country != isa.China || c.Names[isa.ZH] == "" || c.Names[isa.DE] == "" || c.Names[isa.EN] == "" {
				t.Errorf("foshan: %+v", c)
			}
		})
		t.Run("one listing shows its fields and translations", func(t *testing.T) {
			var l listingView
			if err := json.Unmarshal(get(t, srv, "/api/v1/listings/l-de-spritzguss", "").body, &l); err != nil {
				t.Fatal(err)
			}
			want := listingView{Ref: "l-de-spritzguss", Org: "org-hh-hanse", Kind: isa.Offer, Lang: isa.DE, State: isa.Published,
				Title: "Title of l-de-spritzguss", Industries: []string{"C22.29"}, Expires: "2027-01-31"}
			if l.Ref != want.Ref || l.Org != want.Org || l.Kind != want.Kind || l.Lang != want.Lang || l.State != want.State ||
				l.Title != want.Title || !slices.Equal(l.Industries, want.Industries) || l.Expires != want.Expires ||
				l.Translations[isa.EN].Title != "English title" || !slices.Equal(l.Cooperation, []string{"manufacturing", "supply"}) {
				t.Errorf("listing: %+v", l)
			}
		})
		t.Run("verified organisation shows how but not by whom", func(t *testing.T) {
			var o orgView
			if err := json.Unmarshal(get(t, srv, "/api/v1/organisations/org-hh-hanse", "").body, &o); err != nil {
				t.Fatal(err)
			}
			if o.Verification.State != isa.Verified || o.Verification.Method != "visit" || o.Verification.At.IsZero() {
				t.Errorf("verification: %+v", o.Verification)
			}
		})
	})
}

func TestListsPageThroughEveryItemOnce(t *testing.T) {
	forEachBackend(t, func(t *testing.T, store isa.Store) {
		srv := newServer(t, Deps{Store: store})
		tests := []struct {
			path  string
			limit int
			want  []string
		}{
			{"/api/v1/organisations?", 2, refs(t, get(t, srv, "/api/v1/organisations", "").body)},
			{"/api/v1/organisations?country=DE&", 1, refs(t, get(t, srv, "/api/v1/organisations?country=DE", "").body)},
			{"/api/v1/listings?", 2, sorted(publicListings...)},
			{"/api/v1/listings?kind=offer&", 3, sorted("l-de-spritzguss", "l-en-blades", "l-en-ev", "l-de-tu")},
		}
		for _, tt := range tests {
			var got []string
			after := ""
			for pages := 0; ; pages++ {
				if pages > 20 {
					t.Fatalf("%s: more pages than items", tt.path)
				}
				target := fmt.Sprintf("%slimit=%d", tt.path, tt.limit)
				if after != "" {
					target += "&after=" + after
				}
				res := get(t, srv, target, "")
				if res.status != http.StatusOK {
					t.Fatalf("GET %s: %d %s", target, res.status, res.body)
				}
				var page struct {
					Items []json.RawMessage `json:"items"`
					Next  string            `json:"next"`
				}
				if err := json.Unmarshal(res.body, &page); err != nil {
					t.Fatal(err)
				}
				if len(page.Items) > tt.limit {
					t.Errorf("%s: page of %d items, limit %d", target, len(page.Items), tt.limit)
				}
				got = append(got, refs(t, res.body)...)
				if page.Next == "" {
					break
				}
				after = page.Next
			}
			slices.Sort(got)
			if !slices.Equal(got, tt.want) {
				t.Errorf("%s paged by %d:\n got %v\nwant %v", tt.path, tt.limit, got, tt.want)
			}
			if len(tt.want) <= tt.limit {
				t.Errorf("%s: test data too small to need pages", tt.path)
			}
		}
	})
}

func TestBadRequestsNameTheFieldAndMissingThingsAre404(t *testing.T) {
	forEachBackend(t, func(t *testing.T, store isa.Store) {
		srv := newServer(t, Deps{Store: store})
		tests := []struct {
			target    string
			status    int
			code      string
			field     string
			notCalled bool
		}{
			{"/api/v1/listings?kind=angebot", 400, "invalid", "kind", false},
			{"/api/v1/organisations?kind=offer", 400, "invalid", "kind", false},
			{"/api/v1/listings?limit=0", 400, "invalid", "limit", false},
			{"/api/v1/listings?limit=501", 400, "invalid", "limit", false},
			{"/api/v1/organisations?limit=ten", 400, "invalid", "limit", false},
			{"/api/v1/listings?after=not-a-cursor", 400, "invalid", "after", false},
			{"/api/v1/organisations?after=%00%01", 400, "invalid", "after", false},
			{"/api/v1/listings?industry=Z99", 400, "invalid", "industry", false},
			{"/api/v1/listings?industry=C2", 400, "invalid", "industry", false},
			{"/api/v1/listings?industry=C22.299", 400, "invalid", "industry", false},
			{"/api/v1/listings?country=FR", 400, "invalid", "country", false},
			{"/api/v1/cities?country=FR", 400, "invalid", "country", false},
			{"/api/v1/listings?city=atlantis", 400, "invalid", "city", false},
			{"/api/v1/organisations?city=Hamburg%20City", 400, "invalid", "city", false},
			{"/api/v1/listings?lang=fr", 400, "invalid", "lang", false},
			{"/api/v1/listings?cooperation=friendship", 400, "invalid", "cooperation", false},
			{"/api/v1/listings?state=sold", 400, "invalid", "state", false},
			{"/api/v1/listings?kinds=offer", 400, "invalid", "kinds", false},
			{"/api/v1/listings?kind=offer&kind=request", 400, "invalid", "kind", false},
			{"/api/v1/cities/hamburg?lang=de", 400, "invalid", "lang", false},
			{"/api/v1/listings?q=%zz", 400, "invalid", "", false},
			{"/api/v1/listings?state=draft", 403, "forbidden", "state", false},
			{"/api/v1/listings?state=in_review&kind=offer", 403, "forbidden", "state", false},
			{"/api/v1/cities/atlantis", 404, "not_found", "", false},
			{"/api/v1/organisations/org-none", 404, "not_found", "", false},
			{"/api/v1/listings/l-none", 404, "not_found", "", false},
			{"/api/v1/listings/l-draft", 404, "not_found", "", false},
			{"/api/v1/listings/l-review", 404, "not_found", "", false},
			{"/api/v1/listings/l-withdrawn", 404, "not_found", "", false},
			{"/api/v1/listings/l-expired", 404, "not_found", "", false},
			{"/api/v1/listings/l-past-expiry", 404, "not_found", "", false},
			{"/api/v1/listings/l-draft/matches", 404, "not_found", "", false},
			{"/api/v1/listings/l-zh-mould/matches?limit=1000", 400, "invalid", "limit", false},
			{"/api/v1/search?q=Spritzguss", 503, "unavailable", "", false},
			{"/api/v1/listings/l-zh-mould/matches", 503, "unavailable", "", false},
		}
		for _, tt := range tests {
			res := get(t, srv, tt.target, "")
			var body errorBody
			if err := json.Unmarshal(res.body, &body); err != nil {
				t.Errorf("GET %s: body %s: %v", tt.target, res.body, err)
				continue
			}
			if res.status != tt.status || body.Error.Code != tt.code || body.Error.Field != tt.field || body.Error.Message == "" {
				t.Errorf("GET %s: %d %+v, want %d %s field %q", tt.target, res.status, body.Error, tt.status, tt.code, tt.field)
			}
		}
	})
}

func TestErrorMessagesFollowAcceptLanguage(t *testing.T) {
	forEachBackend(t, func(t *testing.T, store isa.Store) {
		srv := newServer(t, Deps{Store: store})
		tests := []struct {
			target, lang string
			want         string
		}{
			{"/api/v1/listings/l-none", "de-DE,de;q=0.9", catalogue[isa.DE][keyListingNotFound]},
			{"/api/v1/listings/l-none", "zh-CN", catalogue[isa.ZH][keyListingNotFound]},
			{"/api/v1/listings/l-none", "en-GB", catalogue[isa.EN][keyListingNotFound]},
			{"/api/v1/cities/atlantis", "zh", catalogue[isa.ZH][keyCityNotFound]},
			{"/api/v1/listings?after=junk", "de", catalogue[isa.DE][keyBadCursor]},
			{"/api/v1/listings?state=draft", "zh", catalogue[isa.ZH][keyStateForbidden]},
			{"/api/v1/listings?limit=-1", "fr", catalogue[isa.EN][keyBadLimit]},
		}
		for _, tt := range tests {
			var body errorBody
			_ = json.Unmarshal(get(t, srv, tt.target, tt.lang).body, &body)
			if body.Error.Message != tt.want {
				t.Errorf("GET %s (%s): message %q, want %q", tt.target, tt.lang, body.Error.Message, tt.want)
			}
		}
	})
}

func TestNoResponseCarriesPersonalData(t *testing.T) {
	forEachBackend(t, func(t *testing.T, store isa.Store) {
		srv := newServer(t, Deps{Store: store, Search: &fakeSearch{}, Matcher: &fakeMatcher{}})
		targets := []string{
			"/api/v1/organisations", "/api/v1/organisations?limit=500", "/api/v1/listings",
			"/api/v1/listings/l-de-spritzguss/matches", "/api/v1/search?q=x", "/api/v1/openapi.json",
		}
		for _, s := range seedOrgs {
			targets = append(targets, "/api/v1/organisations/"+s.ref, "/api/v1/listings?org="+s.ref)
		}
		for _, s := range publicListings {
			targets = append(targets, "/api/v1/listings/"+s)
		}
		for _, target := range targets {
			res := get(t, srv, target, "")
			if res.status != http.StatusOK {
				t.Errorf("GET %s: %d %s", target, res.status, res.body)
			}
			for _, p := range personal {
				if strings.Contains(string(res.body), p) {
					t.Errorf("GET %s: response contains personal data %q", target, p)
				}
			}
			// No field named like contact data, whatever its value.
			for _, key := range []string{`"contacts"`, `"contact"`, `"phone"`, `"email"`, `"by"`} {
				if target != "/api/v1/openapi.json" && strings.Contains(string(res.body), key) {
					t.Errorf("GET %s: response has a field %s", target, key)
				}
			}
		}
	})
}

// failingStore answers every read with a driver error that must not reach
// clients.
type failingStore struct{ isa.Store }

var errDriver = errors.New("pq: connection to 10.0.0.7 refused for user isa_admin")

func (failingStore) Listings(context.Context, isa.ListingFilter) (isa.Page[isa.Listing], error) {
	return isa.Page[isa.Listing]{}, errDriver
}
func (failingStore) Organisation(context.Context, string) (*isa.Organisation, error) {
	return nil, errDriver
}
func (failingStore) City(context.Context, string) (isa.City, error) { return isa.City{}, errDriver }

func TestStoreFailuresAnswer500Or503WithoutDetail(t *testing.T) {
	srv := newServer(t, Deps{Store: failingStore{}})
	tests := []struct {
		target string
		status int
	}{
		{"/api/v1/listings", 500},
		{"/api/v1/organisations/org-hh-hanse", 500},
		{"/api/v1/cities/hamburg", 500},
		{"/healthz", 503},
	}
	for _, tt := range tests {
		res := get(t, srv, tt.target, "de")
		if res.status != tt.status {
			t.Errorf("GET %s: %d, want %d", tt.target, res.status, tt.status)
		}
		if strings.Contains(string(res.body), "10.0.0.7") || strings.Contains(string(res.body), "isa_admin") {
			t.Errorf("GET %s: driver detail leaked: %s", tt.target, res.body)
		}
	}
}

type fakeSearch struct{ got search.Query }

func (f *fakeSearch) Search(_ context.Context, q search.Query) (*search.Result, error) {
	f.got = q
	return &search.Result{Total: 1, Hits: []search.Hit{{Ref: "l-zh-mould", Score: 1.5, Snippet: []search.Fragment{{Text: "模具", Hit: true}}}},
		Facets: map[string][]search.FacetCount{"kind": {{Value: "request", Count: 1}}}}, nil
}

type matchCall struct {
	ref    string
	viewer isa.Lang
	limit  int
}

type fakeMatcher struct{ got matchCall }

func (f *fakeMatcher) Matches(_ context.Context, ref string, viewer isa.Lang, limit int) (*matching.Result, error) {
	f.got = matchCall{ref, viewer, limit}
	return &matching.Result{Ref: ref, Matches: []matching.Match{{Ref: "l-zh-mould", Score: 0.9,
		Reasons: []matching.Reason{{Kind: "industry", Code: "C28", Text: "C28"}}}}}, nil
}

func TestSearchAndMatchesPassTheRequestOnAndReturnTheEngineResult(t *testing.T) {
	forEachBackend(t, func(t *testing.T, store isa.Store) {
		searcher, matcher := &fakeSearch{}, &fakeMatcher{}
		srv := newServer(t, Deps{Store: store, Search: searcher, Matcher: matcher})

		res := get(t, srv, "/api/v1/search?q=Spritzguss+Werkzeug&kind=request&country=cn&city=foshan&cooperation=supply&industry=c22&lang=zh&org_kind=company&sort=newest&offset=20&limit=10", "zh-CN")
		if res.status != http.StatusOK {
			t.Fatalf("search: %d %s", res.status, res.body)
		}
		want := search.Query{Text: "Spritzguss Werkzeug", Viewer: isa.ZH, Kind: isa.Request, Country: isa.China, City: "foshan",
			Cooperation: "supply", Industry: "C22", Lang: isa.ZH, OrgKind: isa.Company, Sort: "newest", Offset: 20, Limit: 10,
			Today: "2026-06-01"}
		if searcher.got != want {
			t.Errorf("search query\n got %+v\nwant %+v", searcher.got, want)
		}
		var sr search.Result
		if err := json.Unmarshal(res.body, &sr); err != nil || sr.Total != 1 || sr.Hits[0].Ref != "l-zh-mould" || sr.Facets["kind"][0].Count != 1 {
			t.Errorf("search body %s: %v", res.body, err)
		}
		for _, bad := range []string{"sort=oldest", "offset=-1", "limit=101", "org_kind=club", "q=" + strings.Repeat("x", 501)} {
			var body errorBody
			r := get(t, srv, "/api/v1/search?"+bad, "")
			_ = json.Unmarshal(r.body, &body)
			field, _, _ := strings.Cut(bad, "=")
			if r.status != 400 || body.Error.Field != field {
				t.Errorf("search?%s: %d %+v, want 400 naming %s", bad[:min(len(bad), 20)], r.status, body.Error, field)
			}
		}

		res = get(t, srv, "/api/v1/listings/l-de-spritzguss/matches?limit=5", "de")
		if res.status != http.StatusOK {
			t.Fatalf("matches: %d %s", res.status, res.body)
		}
		if want := (matchCall{"l-de-spritzguss", isa.DE, 5}); matcher.got != want {
			t.Errorf("match query %+v, want %+v", matcher.got, want)
		}
		var mr matching.Result
		if err := json.Unmarshal(res.body, &mr); err != nil || mr.Ref != "l-de-spritzguss" || len(mr.Matches) != 1 || mr.Matches[0].Reasons[0].Code != "C28" {
			t.Errorf("matches body %s: %v", res.body, err)
		}
	})
}
