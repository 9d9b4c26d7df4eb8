package accounts_test

import (
	"context"
	"crypto/tls"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/isa-alliance/isa/internal/accounts"
	"github.com/isa-alliance/isa/internal/storage/storagetest"
)

func TestSessionCookieAttributes(t *testing.T) {
	db := storagetest.OpenSQLite(t)
	tests := []struct {
		name     string
		https    bool // configured: a proxy terminates TLS
		tls      bool // the request itself came over TLS
		wantName string
		secure   bool
	}{
		{"plain HTTP in development", false, false, "isa_session", false},
		{"HTTPS served directly", false, true, "__Host-isa_session", true},
		{"HTTPS behind a proxy", true, false, "__Host-isa_session", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			acc, err := accounts.New(accounts.Config{Store: db, HTTPS: tt.https})
			if err != nil {
				t.Fatal(err)
			}
			r := httptest.NewRequest("POST", "/de/login", nil)
			if tt.tls {
				r.TLS = &tls.ConnectionState{}
			}
			w := httptest.NewRecorder()
			acc.SetSession(w, r, "tok")
			cs := w.Result().Cookies()
			if len(cs) != 1 {
				t.Fatalf("%d cookies", len(cs))
			}
			c := cs[0]
			if c.Name != tt.wantName || c.Secure != tt.secure || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" || c.Domain != "" || c.MaxAge <= 0 {
				t.Fatalf("cookie %+v", c)
			}
		})
	}
}

func TestAuthenticateRefusesAForgedBearerToken(t *testing.T) {
	db := storagetest.OpenSQLite(t)
	acc, err := accounts.New(accounts.Config{Store: db})
	if err != nil {
		t.Fatal(err)
	}
	reached := false
	h := acc.Authenticate(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { reached = true }))
	for _, auth := range []string{"Bearer isa_forged", "Basic dXNlcjpwdw==", "Bearer "} {
		reached = false
		r := httptest.NewRequest("GET", "/api/v1/messages", nil)
		r.Header.Set("Authorization", auth)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r.WithContext(context.Background()))
		if reached || w.Code != http.StatusUnauthorized || w.Header().Get("WWW-Authenticate") == "" {
			t.Errorf("%q: reached=%v status %d", auth, reached, w.Code)
		}
	}
}

func TestCSRFIsCheckedWhereACookieCarriesAuthority(t *testing.T) {
	db := storagetest.OpenSQLite(t)
	acc, err := accounts.New(accounts.Config{Store: db})
	if err != nil {
		t.Fatal(err)
	}
	h := acc.Authenticate(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) }))
	tests := []struct {
		name, method, path string
		csrfCookie, token  string
		want               int
	}{
		{"a page form without a token", "POST", "/de/login", "abc", "", http.StatusForbidden},
		{"a page form with another token", "POST", "/de/login", "abc", "xyz", http.StatusForbidden},
		{"a page form with its token", "POST", "/de/login", "abc", "abc", http.StatusNoContent},
		{"a page form without any cookie", "POST", "/de/login", "", "", http.StatusForbidden},
		{"reading needs no token", "GET", "/de/login", "", "", http.StatusNoContent},
		{"an anonymous API write is left to the guard", "POST", "/api/v1/listings", "", "", http.StatusNoContent},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(tt.method, tt.path, nil)
			if tt.csrfCookie != "" {
				r.AddCookie(&http.Cookie{Name: "isa_csrf", Value: tt.csrfCookie})
			}
			if tt.token != "" {
				r.Header.Set(accounts.CSRFHeader, tt.token)
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if w.Code != tt.want {
				t.Fatalf("status %d, want %d", w.Code, tt.want)
			}
		})
	}
}
