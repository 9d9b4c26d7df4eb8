package httpapi

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/isa-alliance/isa"
)

// stubStore answers every read with nothing: enough for the parameter
// checks, which run before and around the store.
type stubStore struct{ isa.Store }

func (stubStore) City(_ context.Context, slug string) (isa.City, error) {
	if slug == "hamburg" {
		return isa.City{Slug: "hamburg", Country: isa.Germany}, nil
	}
	return isa.City{}, isa.NotFound("city", slug)
}
func (stubStore) Cities(context.Context) ([]isa.City, error) { return nil, nil }
func (stubStore) Listings(context.Context, isa.ListingFilter) (isa.Page[isa.Listing], error) {
	return isa.Page[isa.Listing]{}, nil
}
func (stubStore) Organisations(context.Context, isa.OrgFilter) (isa.Page[isa.Organisation], error) {
	return isa.Page[isa.Organisation]{}, nil
}
func (stubStore) Listing(_ context.Context, ref string) (*isa.Listing, error) {
	return nil, isa.NotFound("listing", ref)
}
func (stubStore) Organisation(_ context.Context, ref string) (*isa.Organisation, error) {
	return nil, isa.NotFound("organisation", ref)
}

// FuzzQueryStrings feeds arbitrary query strings and paths to the routes:
// whatever comes in, the answer is a client error or success in the API's
// JSON format, never a 500 or a panic.
func FuzzQueryStrings(f *testing.F) {
	for _, seed := range []string{
		"kind=offer&limit=10", "industry=c22.29", "industry=22,29", "industry=%EF%BC%A3%EF%BC%92%EF%BC%92",
		"after=aTE", "after=%ff%fe", "limit=99999999999999999999", "city=hamburg&country=de",
		"q=%E6%B3%A8%E5%A1%91&sort=newest", "state=draft", "kind=offer&kind=offer", "%zz", "a=%00",
		"lang=ZH", "cooperation=joint_venture&offset=10000", "org_kind=research",
	} {
		f.Add("/api/v1/listings", seed)
		f.Add("/api/v1/search", seed)
	}
	f.Add("/api/v1/organisations", "kind=research&city=hamburg")
	f.Add("/api/v1/listings/x%00y/matches", "limit=3")
	a := New(Deps{Store: stubStore{}})
	mux := http.NewServeMux()
	a.Register(mux)
	f.Fuzz(func(t *testing.T, path, rawQuery string) {
		r, err := http.NewRequest("GET", "http://isa.example"+path, nil)
		if err != nil {
			return // not a request a client could send
		}
		r.URL.RawQuery = rawQuery
		w := httptest.NewRecorder()
		mux.ServeHTTP(w, r)
		if w.Code >= 500 && w.Code != http.StatusServiceUnavailable {
			t.Fatalf("GET %s?%s: %d %s", path, rawQuery, w.Code, w.Body)
		}
		if w.Code >= 400 && strings.HasPrefix(r.URL.Path, Prefix+"/") {
			var body errorBody
			if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil || body.Error.Code == "" || body.Error.Message == "" {
				t.Fatalf("GET %s?%s: %d, body not in the error format: %s", path, rawQuery, w.Code, w.Body)
			}
		}
	})
}
