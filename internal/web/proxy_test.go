package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/isa-alliance/isa/internal/accounts"
	"github.com/isa-alliance/isa/internal/storage/storagetest"
)

// loginFrom signs in with a forwarded-for header naming client.
func (b *browser) loginFrom(client, email, password string) page {
	b.s.t.Helper()
	form := url.Values{"email": {email}, "password": {password}, "csrf_token": {b.csrf("/de/login")}}
	req, _ := http.NewRequest("POST", b.s.srv.URL+"/de/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Forwarded-For", client)
	return b.do(req)
}

func TestTheAddressLimitCountsTheClientBehindATrustedProxyOnly(t *testing.T) {
	// The test server's peer is 127.0.0.1: as a trusted proxy it stands
	// for a reverse proxy in front; untrusted, for a client that forges
	// the header itself.
	behindProxy, err := accounts.ParseTrustedProxies("127.0.0.0/8, ::1")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		proxies accounts.TrustedProxies
		// whether another client's sign-in is refused after 20 failures of
		// the first one: without a trusted proxy the header is the
		// client's own, and a new one each time must not escape the limit
		otherLimited bool
	}{
		{"behind a trusted proxy", behindProxy, false},
		{"no trusted proxy", accounts.TrustedProxies{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSiteBehind(t, storagetest.OpenSQLite(t), tt.proxies)
			s.member("ida@example.org", "solingen")
			s.member("jan@example.org", "solingen")
			b := s.browser()
			for i := range 20 {
				if p := b.loginFrom("198.51.100.7", "nobody"+string(rune('a'+i))+"@example.org", "wrong-password-1"); p.status != http.StatusUnauthorized {
					t.Fatalf("failure %d: %d", i+1, p.status)
				}
			}
			// The limited client forges an address left of its own.
			if p := b.loginFrom("203.0.113.50, 198.51.100.7", "ida@example.org", goodPassword); p.status != http.StatusTooManyRequests {
				t.Errorf("the limited client forging a header: %d, want 429", p.status)
			}
			if p := s.browser().loginFrom("198.51.100.8", "jan@example.org", goodPassword); (p.status == http.StatusTooManyRequests) != tt.otherLimited {
				t.Errorf("another client: %d, limited want %v", p.status, tt.otherLimited)
			}
		})
	}
}
