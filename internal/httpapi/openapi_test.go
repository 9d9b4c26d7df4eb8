package httpapi

import (
	"encoding/json"
	"maps"
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/isa-alliance/isa/internal/listings"
	"github.com/isa-alliance/isa/internal/matching"
	"github.com/isa-alliance/isa/internal/search"
)

func servedOpenAPI(t *testing.T) (*API, *http.ServeMux, map[string]any) {
	t.Helper()
	a := New(Deps{})
	mux := http.NewServeMux()
	a.Register(mux)
	w := httptest.NewRecorder()
	mux.ServeHTTP(w, httptest.NewRequest("GET", "/api/v1/openapi.json", nil))
	if w.Code != http.StatusOK {
		t.Fatalf("GET openapi.json: %d %s", w.Code, w.Body)
	}
	var doc map[string]any
	if err := json.Unmarshal(w.Body.Bytes(), &doc); err != nil {
		t.Fatalf("openapi.json is not JSON: %v", err)
	}
	return a, mux, doc
}

// samplePath fills a pattern's wildcards so that the mux can be asked which
// route a request for it reaches.
func samplePath(p string) string { return pathParamRE.ReplaceAllString(p, "x1") }

func TestOpenAPIDocumentDescribesExactlyTheRegisteredRoutes(t *testing.T) {
	a, mux, doc := servedOpenAPI(t)
	if doc["openapi"] != "3.1.0" {
		t.Errorf("openapi version %v", doc["openapi"])
	}
	inDoc := map[string]bool{}
	for path, item := range doc["paths"].(map[string]any) {
		for method := range item.(map[string]any) {
			inDoc[strings.ToUpper(method)+" "+path] = true
		}
	}
	inTable := map[string]bool{}
	ops := map[string]bool{}
	for _, rt := range a.routes {
		if ops[rt.op] || rt.op == "" {
			t.Errorf("operationId %q of %s is empty or not unique", rt.op, rt.pattern())
		}
		ops[rt.op] = true
		inTable[rt.pattern()] = true
		if !inDoc[rt.pattern()] {
			t.Errorf("route %s is not in the OpenAPI document", rt.pattern())
		}
		// The mux must send a request for the route to that very route:
		// proof that Register mounted it.
		_, got := mux.Handler(httptest.NewRequest(rt.method, samplePath(rt.path), nil))
		if got != rt.pattern() {
			t.Errorf("request for %s reaches pattern %q", rt.pattern(), got)
		}
	}
	for p := range inDoc {
		if !inTable[p] {
			t.Errorf("document describes %s, which is no route", p)
		}
	}
	for _, want := range []string{
		"GET /healthz", "GET /api/v1/cities", "GET /api/v1/cities/{slug}", "GET /api/v1/organisations",
		"GET /api/v1/organisations/{ref}", "GET /api/v1/listings", "GET /api/v1/listings/{ref}",
		"GET /api/v1/search", "GET /api/v1/listings/{ref}/matches", "GET /api/v1/openapi.json",
	} {
		if !inTable[want] {
			t.Errorf("route %s missing", want)
		}
	}
}

func TestOpenAPIDocumentNamesEveryQueryParameterARouteAccepts(t *testing.T) {
	a, _, doc := servedOpenAPI(t)
	paths := doc["paths"].(map[string]any)
	for _, rt := range a.routes {
		op := paths[rt.path].(map[string]any)[strings.ToLower(rt.method)].(map[string]any)
		var got []string
		for _, p := range op["parameters"].([]any) {
			p := p.(map[string]any)
			if p["in"] == "query" {
				got = append(got, p["name"].(string))
			}
		}
		var want []string
		for _, p := range rt.params {
			want = append(want, p.name)
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s: document has query parameters %v, route accepts %v", rt.pattern(), got, want)
		}
	}
}

func TestOpenAPIReferencesResolve(t *testing.T) {
	_, _, doc := servedOpenAPI(t)
	components := doc["components"].(map[string]any)
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			if r, ok := v["$ref"].(string); ok {
				parts := strings.Split(strings.TrimPrefix(r, "#/components/"), "/")
				if len(parts) != 2 || components[parts[0]] == nil || components[parts[0]].(map[string]any)[parts[1]] == nil {
					t.Errorf("dangling $ref %s", r)
				}
			}
			for _, x := range v {
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	walk(doc)
}

// jsonFields returns the JSON names of a struct's fields and which of them
// are always present (no omitempty or omitzero).
func jsonFields(t reflect.Type) (all, always []string) {
	for f := range t.Fields() {
		tag := f.Tag.Get("json")
		name, opts, _ := strings.Cut(tag, ",")
		if name == "-" || !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		all = append(all, name)
		if !strings.Contains(opts, "omitempty") && !strings.Contains(opts, "omitzero") {
			always = append(always, name)
		}
	}
	slices.Sort(all)
	slices.Sort(always)
	return all, always
}

func TestSchemasDescribeTheViewTypesFieldByField(t *testing.T) {
	views := map[string]any{
		"Health": healthView{}, "City": cityView{}, "Office": officeView{}, "Membership": membershipView{},
		"CityList": cityList{}, "Organisation": orgView{}, "Verification": verificationView{},
		"OrganisationPage": orgPage{}, "Listing": listingView{}, "Translation": translationView{},
		"ListingPage": listingPage{}, "Error": errorBody{}, "ErrorDetail": errorView{},
		"SearchResult": search.Result{}, "SearchHit": search.Hit{}, "Fragment": search.Fragment{},
		"FacetCount": search.FacetCount{}, "Reason": matching.Reason{}, "Matches": matching.Result{}, "Match": matching.Match{},
		// The write side (write.go).
		"Party": partyView{}, "Thread": threadView{}, "ThreadList": threadList{}, "Message": messageView{},
		"ContactPerson": contactView{}, "ThreadDetail": threadDetail{}, "MessageInput": messageInput{},
		"ListingInput": listings.Input{}, "OrganisationInput": listings.OrgInput{}, "ContactInput": listings.ContactInput{},
	}
	all := schemas()
	for name, s := range all {
		if name == "Text" {
			continue // a map keyed by language, not a struct
		}
		if _, ok := views[name]; !ok {
			t.Errorf("schema %s describes no view type", name)
		}
		_ = s
	}
	for name, v := range views {
		s, ok := all[name].(schema)
		if !ok {
			t.Errorf("view %T has no schema %s", v, name)
			continue
		}
		fields, always := jsonFields(reflect.TypeOf(v))
		props := slices.Sorted(maps.Keys(s["properties"].(schema)))
		if !slices.Equal(fields, props) {
			t.Errorf("%s: schema properties %v, view fields %v", name, props, fields)
		}
		required, _ := s["required"].([]string)
		required = slices.Sorted(slices.Values(required))
		if !slices.Equal(always, required) && !(len(always) == 0 && len(required) == 0) {
			t.Errorf("%s: schema requires %v, view always has %v", name, required, always)
		}
	}
}
