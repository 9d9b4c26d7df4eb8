package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/isa-alliance/isa"
	"github.com/isa-alliance/isa/internal/accounts"
	"github.com/isa-alliance/isa/internal/storage/storagetest"
)

// The registration and reset forms must not tell whether an address has an
// account: these tests post them with new, known, pending and disabled
// addresses and compare the answers with the one for a new address.

// tokenValueRE finds the random tokens of a page (the CSRF token in forms),
// which differ between any two answers.
var tokenValueRE = regexp.MustCompile(`value="[A-Za-z0-9_-]{43}"`)

// answer is what a visitor can compare between two answers.
type answer struct {
	status                    int
	contentType, cacheControl string
	body                      string
}

func answerOf(p page) answer {
	return answer{p.status, p.header.Get("Content-Type"), p.header.Get("Cache-Control"), tokenValueRE.ReplaceAllString(p.raw, `value="TOKEN"`)}
}

// mailsTo returns the mails enqueued so far to addr.
func (m *mailbox) mailsTo(addr string) []accounts.Mail {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []accounts.Mail
	for _, ml := range m.mails {
		if ml.To == addr {
			out = append(out, ml)
		}
	}
	return out
}

// addresses makes an active German account, a pending Chinese one and a
// disabled one.
func (s *site) addresses() {
	s.t.Helper()
	s.member("known@example.org", "solingen")
	f := registration("pending@example.org")
	if p := s.browser().post("/zh/register", "/zh/register", f); p.status != 200 {
		s.t.Fatalf("register pending: %d", p.status)
	}
	s.member("gone@example.org", "solingen")
	if err := s.acc.DisableByEmail(context.Background(), "gone@example.org"); err != nil {
		s.t.Fatal(err)
	}
}

func TestRegistrationAnswersAlikeForNewAndKnownAddresses(t *testing.T) {
	engines(t, func(t *testing.T, s *site) {
		s.addresses()
		want := answerOf(s.browser().post("/en/register", "/en/register", registration("first-new@example.org")))
		if want.status != 200 || !strings.Contains(want.body, "Thank you") {
			t.Fatalf("new address: %d", want.status)
		}
		tests := []struct {
			name, email string
			newUser     bool
			kind        string   // the mail sent, "" for none
			lang        isa.Lang // its language
			links       []string // paths its body links to
		}{
			{"new address", "second-new@example.org", true, "confirm", isa.EN, []string{"/en/confirm?token="}},
			{"active account", "known@example.org", false, "registered", isa.DE, []string{"/de/login", "/de/reset"}},
			{"active account in other case", " Known@Example.ORG ", false, "registered", isa.DE, []string{"/de/login", "/de/reset"}},
			{"pending account", "pending@example.org", false, "registered", isa.ZH, []string{"/zh/login", "/zh/reset"}},
			{"disabled account", "gone@example.org", false, "", "", nil},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				addr := strings.ToLower(strings.TrimSpace(tt.email))
				users, orgs, before := userCount(t, s.db), orgCount(t, s.db), len(s.mails.mailsTo(addr))
				f := registration(tt.email)
				f.Set("org_name", "Zweite Firma GmbH")
				got := answerOf(s.browser().post("/en/register", "/en/register", f))
				if got != want {
					t.Errorf("the answer differs from the one for a new address:\n got %+v\nwant %+v", got, want)
				}
				grow := 0
				if tt.newUser {
					grow = 1
				}
				if u, o := userCount(t, s.db), orgCount(t, s.db); u != users+grow || o != orgs+grow {
					t.Errorf("users %d→%d, organisations %d→%d", users, u, orgs, o)
				}
				ms := s.mails.mailsTo(addr)[before:]
				if tt.kind == "" {
					if len(ms) != 0 {
						t.Fatalf("%d mails, want none", len(ms))
					}
					return
				}
				if len(ms) != 1 {
					t.Fatalf("%d mails, want 1", len(ms))
				}
				m := ms[0]
				if m.Kind != tt.kind || m.Lang != tt.lang || m.Subject == "" || strings.Contains(m.Subject, "mail.") {
					t.Errorf("mail %s in %s with subject %q, want %s in %s", m.Kind, m.Lang, m.Subject, tt.kind, tt.lang)
				}
				for _, l := range tt.links {
					if !strings.Contains(m.Body, "http://isa.test"+l) {
						t.Errorf("the mail does not link to %s:\n%s", l, m.Body)
					}
				}
				if tt.kind == "registered" && (strings.Contains(m.Body, "token=") || strings.Contains(m.Body, "{")) {
					t.Errorf("the mail carries a token or an unfilled placeholder:\n%s", m.Body)
				}
			})
		}
		// The known address keeps its password: the attempt changed nothing.
		if p := s.browser().login("known@example.org", goodPassword); p.status != http.StatusSeeOther {
			t.Errorf("the known account no longer signs in: %d", p.status)
		}
	})
}

func TestRegistrationMailsToAKnownAddressAreLimited(t *testing.T) {
	engines(t, func(t *testing.T, s *site) {
		s.member("often@example.org", "solingen")
		want := answerOf(s.browser().post("/de/register", "/de/register", registration("neu@example.org")))
		for i := range 5 {
			if got := answerOf(s.browser().post("/de/register", "/de/register", registration("often@example.org"))); got != want {
				t.Fatalf("attempt %d answers otherwise: %+v", i+1, got)
			}
		}
		n := 0
		for _, m := range s.mails.mailsTo("often@example.org") {
			if m.Kind == "registered" {
				n++
			}
		}
		if n != 3 {
			t.Errorf("five attempts sent %d mails, want 3", n)
		}
	})
}

func TestMailTextsAboutARegistrationAttemptInEveryLanguage(t *testing.T) {
	s := newSite(t, storagetest.OpenSQLite(t))
	tests := []struct {
		lang    isa.Lang
		subject string
		body    []string
	}{
		{isa.DE, "Registrierungsversuch", []string{"Guten Tag Anna Berg", "/de/login", "/de/reset", "nichts geändert"}},
		{isa.ZH, "注册", []string{"Anna Berg，您好", "/zh/login", "/zh/reset", "没有任何改变"}},
		{isa.EN, "tried to register", []string{"Hello Anna Berg", "/en/login", "/en/reset", "nothing has changed"}},
	}
	for _, tt := range tests {
		t.Run(string(tt.lang), func(t *testing.T) {
			addr := "anna-" + string(tt.lang) + "@example.org"
			if _, err := s.acc.AddUser(context.Background(), accounts.AddUserInput{Email: addr, Name: "Anna Berg", Password: goodPassword, Role: accounts.Admin, Lang: tt.lang}); err != nil {
				t.Fatal(err)
			}
			if p := s.browser().post("/en/register", "/en/register", registration(addr)); p.status != 200 {
				t.Fatalf("register: %d", p.status)
			}
			ms := s.mails.mailsTo(addr)
			if len(ms) != 1 {
				t.Fatalf("%d mails", len(ms))
			}
			if !strings.Contains(ms[0].Subject, tt.subject) {
				t.Errorf("subject %q lacks %q", ms[0].Subject, tt.subject)
			}
			for _, w := range tt.body {
				if !strings.Contains(ms[0].Body, w) {
					t.Errorf("body lacks %q:\n%s", w, ms[0].Body)
				}
			}
		})
	}
}

func TestResetAnswersAlikeForEveryAddress(t *testing.T) {
	engines(t, func(t *testing.T, s *site) {
		s.addresses()
		want := answerOf(s.browser().post("/de/reset", "/de/reset", url.Values{"email": {"nobody@example.org"}}))
		if want.status != 200 || !strings.Contains(want.body, "Falls es zu dieser Adresse") {
			t.Fatalf("unknown address: %d", want.status)
		}
		tests := []struct {
			name, email string
			mail        bool
		}{
			{"unknown address", "ghost@example.org", false},
			{"active account", "known@example.org", true},
			{"pending account", "pending@example.org", true},
			{"disabled account", "gone@example.org", false},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				before := len(s.mails.mailsTo(tt.email))
				if got := answerOf(s.browser().post("/de/reset", "/de/reset", url.Values{"email": {tt.email}})); got != want {
					t.Errorf("the answer differs from the one for an unknown address:\n got %+v\nwant %+v", got, want)
				}
				ms := s.mails.mailsTo(tt.email)[before:]
				if tt.mail != (len(ms) == 1) || len(ms) > 1 {
					t.Fatalf("%d mails, want mail=%v", len(ms), tt.mail)
				}
				if tt.mail && ms[0].Kind != "reset" {
					t.Errorf("a %s mail, want reset", ms[0].Kind)
				}
			})
		}
	})
}
