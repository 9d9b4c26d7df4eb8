package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/isa-alliance/isa"
)

func TestCatalogueHasEveryKeyInEveryLanguage(t *testing.T) {
	c, err := loadCatalogue()
	if err != nil {
		t.Fatal(err)
	}
	want := slices.Sorted(slices.Values(messageKeys))
	for _, l := range isa.Langs {
		got := slices.Sorted(maps.Keys(c[l]))
		if !slices.Equal(got, want) {
			t.Errorf("%s: keys differ from the keys the code uses\n got: %v\nwant: %v", l, got, want)
		}
		for k, m := range c[l] {
			if strings.TrimSpace(m) == "" {
				t.Errorf("%s: %s is empty", l, k)
			}
		}
	}
	// A message left untranslated looks the same in two languages.
	for _, k := range messageKeys {
		if c[isa.DE][k] == c[isa.EN][k] || c[isa.ZH][k] == c[isa.EN][k] {
			t.Errorf("%s: not translated", k)
		}
	}
}

func TestEveryErrorCodeHasAStatusAndAGenericMessage(t *testing.T) {
	for code := range statusOf {
		if !slices.Contains(messageKeys, "code."+string(code)) {
			t.Errorf("code %s has no generic message key", code)
		}
	}
}

func TestRequestLangFollowsAcceptLanguage(t *testing.T) {
	tests := []struct {
		header string
		want   isa.Lang
	}{
		{"", isa.EN},
		{"de-DE,de;q=0.9,en;q=0.8", isa.DE},
		{"zh-CN,zh;q=0.9", isa.ZH},
		{"zh-Hans-CN", isa.ZH},
		{"fr-FR,fr;q=0.9,de;q=0.5,en;q=0.4", isa.DE},
		{"en;q=0.2, zh;q=0.8", isa.ZH},
		{"DE-ch", isa.DE},
		{"fr", isa.EN},
		{"de;q=0, zh;q=0.1", isa.ZH},
		{"de;q=bogus, zh;q=0.3", isa.ZH},
		{"*", isa.EN},
	}
	for _, tt := range tests {
		r := httptest.NewRequest("GET", "/", nil)
		r.Header.Set("Accept-Language", tt.header)
		if got := requestLang(r); got != tt.want {
			t.Errorf("Accept-Language %q: got %s, want %s", tt.header, got, tt.want)
		}
	}
}

func TestWriteErrorMapsEachCodeToItsStatusAndTranslatesTheMessage(t *testing.T) {
	tests := []struct {
		err        error
		lang       string
		wantStatus int
		wantCode   string
		wantField  string
		wantMsg    string
	}{
		{invalid("limit", keyBadLimit, "bad"), "de", 400, "invalid", "limit", catalogue[isa.DE][keyBadLimit]},
		{invalid("limit", keyBadLimit, "bad"), "zh", 400, "invalid", "limit", catalogue[isa.ZH][keyBadLimit]},
		{fmt.Errorf("wrapped: %w", notFound(keyListingNotFound, "listing", "x")), "en", 404, "not_found", "", catalogue[isa.EN][keyListingNotFound]},
		{isa.Errorf(isa.CodeUnauth, "sign in"), "de", 401, "unauthenticated", "", catalogue[isa.DE]["code.unauthenticated"]},
		{isa.Errorf(isa.CodeForbidden, "no"), "zh", 403, "forbidden", "", catalogue[isa.ZH]["code.forbidden"]},
		{isa.Errorf(isa.CodeConflict, "version changed"), "en", 409, "conflict", "", "version changed"},
		{isa.Errorf(isa.CodeRateLimit, "slow down"), "de", 429, "rate_limited", "", catalogue[isa.DE]["code.rate_limited"]},
		{&isa.Error{Code: codeUnavailable, Key: keyUnavailable}, "en", 503, "unavailable", "", catalogue[isa.EN][keyUnavailable]},
		{isa.Invalid("title", "too long"), "en", 400, "invalid", "title", "too long"},
		{isa.Invalid("title", "too long"), "zh", 400, "invalid", "title", catalogue[isa.ZH]["code.invalid"]},
		{&isa.Error{Code: "something_new", Message: "secret detail"}, "en", 500, "internal", "", catalogue[isa.EN][keyInternal]},
		{isa.Errorf(isa.CodeInternal, "secret detail"), "en", 500, "internal", "", catalogue[isa.EN][keyInternal]},
		{errors.New("secret detail"), "de", 500, "internal", "", catalogue[isa.DE][keyInternal]},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s/%s", tt.wantCode, tt.lang), func(t *testing.T) {
			a := New(Deps{})
			r := httptest.NewRequest("GET", "/api/v1/x", nil)
			r.Header.Set("Accept-Language", tt.lang)
			w := httptest.NewRecorder()
			a.writeError(w, r, tt.err)
			if w.Code != tt.wantStatus {
				t.Errorf("status %d, want %d", w.Code, tt.wantStatus)
			}
			var body errorBody
			if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil {
				t.Fatalf("body %q: %v", w.Body, err)
			}
			want := errorView{Code: tt.wantCode, Field: tt.wantField, Message: tt.wantMsg}
			if body.Error != want {
				t.Errorf("body %+v, want %+v", body.Error, want)
			}
			if strings.Contains(w.Body.String(), "secret") {
				t.Errorf("internal detail leaked: %s", w.Body)
			}
			if got := w.Header().Get("Content-Language"); got != tt.lang {
				t.Errorf("Content-Language %q, want %q", got, tt.lang)
			}
		})
	}
}

func TestInternalErrorsAreLoggedWithoutReachingTheClient(t *testing.T) {
	var logs bytes.Buffer
	a := New(Deps{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	w := httptest.NewRecorder()
	a.writeError(w, httptest.NewRequest("GET", "/api/v1/listings", nil), fmt.Errorf("reading listing: %w", errors.New("driver: relation listings does not exist")))
	if w.Code != http.StatusInternalServerError {
		t.Errorf("status %d, want 500", w.Code)
	}
	if strings.Contains(w.Body.String(), "relation") {
		t.Errorf("driver message in response: %s", w.Body)
	}
	if !strings.Contains(logs.String(), "relation listings does not exist") || !strings.Contains(logs.String(), "level=ERROR") {
		t.Errorf("internal error not logged at error level: %s", logs.String())
	}
}
