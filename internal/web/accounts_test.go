package web_test

import (
	"context"
	"encoding/json"
	"errors"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/isa-alliance/isa"
	"github.com/isa-alliance/isa/internal/accounts"
	"github.com/isa-alliance/isa/internal/storage"
	"github.com/isa-alliance/isa/internal/storage/storagetest"
	"github.com/isa-alliance/isa/internal/web"
)

// mailbox stands in for the outbox: it keeps what was enqueued.
type mailbox struct {
	mu    sync.Mutex
	mails []accounts.Mail
}

func (m *mailbox) Enqueue(_ context.Context, _ accounts.Store, msg accounts.Mail) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.mails = append(m.mails, msg)
	return nil
}

var linkRE = regexp.MustCompile(`http://isa\.test(/\S+)`)

// link returns the path of the last mail's link to addr.
func (m *mailbox) link(t *testing.T, addr, kind string) string {
	t.Helper()
	m.mu.Lock()
	defer m.mu.Unlock()
	for i := len(m.mails) - 1; i >= 0; i-- {
		if ml := m.mails[i]; ml.To == addr && ml.Kind == kind {
			if sm := linkRE.FindStringSubmatch(ml.Body); sm != nil {
				return sm[1]
			}
		}
	}
	t.Fatalf("no %s mail to %s", kind, addr)
	return ""
}

type site struct {
	t     *testing.T
	db    *storage.DB
	acc   *accounts.Service
	srv   *httptest.Server
	mails *mailbox
}

// cheap hashing keeps the tests fast; the costs are not what is tested.
var testHash = accounts.HashParams{Memory: 1024, Time: 1, Threads: 1, Concurrency: 2}

func newSite(t *testing.T, db *storage.DB) *site {
	t.Helper()
	return newSiteBehind(t, db, accounts.TrustedProxies{})
}

// newSiteBehind is a site that believes the X-Forwarded-For of proxies.
func newSiteBehind(t *testing.T, db *storage.DB, proxies accounts.TrustedProxies) *site {
	t.Helper()
	mails := &mailbox{}
	acc, err := accounts.New(accounts.Config{Store: db, Mailer: mails, BaseURL: "http://isa.test", Hash: testHash, TrustedProxies: proxies})
	if err != nil {
		t.Fatal(err)
	}
	w, err := web.New(web.Deps{Store: db, Accounts: acc})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	w.Register(mux)
	srv := httptest.NewServer(acc.Protect(mux, w.Deny))
	t.Cleanup(srv.Close)
	return &site{t: t, db: db, acc: acc, srv: srv, mails: mails}
}

// browser is one visitor with its cookies; it does not follow redirects,
// so that tests see them.
type browser struct {
	s *site
	c *http.Client
}

func (s *site) browser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{s: s, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

type page struct {
	status int
	body   string // unescaped, to find texts
	raw    string // as sent, to find markup
	loc    string
	header http.Header
}

func (b *browser) do(req *http.Request) page {
	b.s.t.Helper()
	resp, err := b.c.Do(req)
	if err != nil {
		b.s.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return page{status: resp.StatusCode, body: html.UnescapeString(string(body)), raw: string(body), loc: resp.Header.Get("Location"), header: resp.Header}
}

func (b *browser) get(path string) page {
	req, _ := http.NewRequest("GET", b.s.srv.URL+path, nil)
	return b.do(req)
}

var csrfRE = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// csrf reads the form token from a page the browser may open.
func (b *browser) csrf(path string) string {
	b.s.t.Helper()
	p := b.get(path)
	m := csrfRE.FindStringSubmatch(p.body)
	if m == nil {
		b.s.t.Fatalf("no CSRF token on %s (%d)", path, p.status)
	}
	return m[1]
}

// post sends a form; the token is taken from tokenFrom unless the form
// has one (or tokenFrom is "").
func (b *browser) post(path, tokenFrom string, form url.Values) page {
	b.s.t.Helper()
	if tokenFrom != "" && form.Get("csrf_token") == "" {
		form.Set("csrf_token", b.csrf(tokenFrom))
	}
	req, _ := http.NewRequest("POST", b.s.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

func (b *browser) login(email, password string) page {
	return b.post("/de/login", "/de/login", url.Values{"email": {email}, "password": {password}})
}

const goodPassword = "Kesselschmiede-2026"

func registration(email string) url.Values {
	return url.Values{"email": {email}, "password": {goodPassword}, "name": {"Anna Berg"}, "org_name": {"Berg Präzision GmbH"},
		"kind": {"company"}, "city": {"bad-homburg"}, "size": {"small"}, "about": {"Drehteile und Baugruppen."}}
}

// member registers and confirms a company in city and returns its
// signed-in browser.
func (s *site) member(email, city string) (*browser, *accounts.User) {
	s.t.Helper()
	b := s.browser()
	f := registration(email)
	f.Set("city", city)
	if p := b.post("/de/register", "/de/register", f); p.status != 200 {
		s.t.Fatalf("register %s: %d", email, p.status)
	}
	if p := b.get(s.mails.link(s.t, email, "confirm")); p.status != 200 {
		s.t.Fatalf("confirm %s: %d", email, p.status)
	}
	if p := b.login(email, goodPassword); p.status != http.StatusSeeOther {
		s.t.Fatalf("login %s: %d %s", email, p.status, p.body)
	}
	u, err := s.db.UserByEmail(context.Background(), email)
	if err != nil {
		s.t.Fatal(err)
	}
	return b, u
}

// staff adds an officer or admin and returns its signed-in browser.
func (s *site) staff(email string, role accounts.Role, city string) (*browser, *accounts.User) {
	s.t.Helper()
	u, err := s.acc.AddUser(context.Background(), accounts.AddUserInput{Email: email, Name: "Staff", Password: goodPassword, Role: role, City: city, Lang: isa.DE})
	if err != nil {
		s.t.Fatal(err)
	}
	b := s.browser()
	if p := b.login(email, goodPassword); p.status != http.StatusSeeOther {
		s.t.Fatalf("login %s: %d", email, p.status)
	}
	return b, u
}

func engines(t *testing.T, run func(t *testing.T, s *site)) {
	t.Run("sqlite", func(t *testing.T) { run(t, newSite(t, storagetest.OpenSQLite(t))) })
	t.Run("postgres", func(t *testing.T) { run(t, newSite(t, storagetest.OpenPostgres(t))) })
}

func userCount(t *testing.T, db *storage.DB) int {
	us, err := db.Users(context.Background(), 0, 500)
	if err != nil {
		t.Fatal(err)
	}
	return len(us)
}

func orgCount(t *testing.T, db *storage.DB) int {
	p, err := db.Organisations(context.Background(), isa.OrgFilter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	return len(p.Items)
}

func TestRegistrationConfirmsEmailAndLeavesOrganisationUnverified(t *testing.T) {
	engines(t, func(t *testing.T, s *site) {
		b := s.browser()
		p := b.post("/de/register", "/de/register", registration("anna@berg.example"))
		if p.status != 200 || !strings.Contains(p.body, "Vielen Dank") {
			t.Fatalf("register: %d", p.status)
		}
		if p := b.login("anna@berg.example", goodPassword); p.status != http.StatusUnauthorized || !strings.Contains(p.body, "bestätigen Sie zuerst") {
			t.Fatalf("login before confirmation: %d", p.status)
		}
		link := s.mails.link(t, "anna@berg.example", "confirm")
		if !strings.HasPrefix(link, "/de/confirm?token=") {
			t.Fatalf("link %q is not a German confirmation link", link)
		}
		if p := b.get(link); p.status != 200 {
			t.Fatalf("confirm: %d", p.status)
		}
		if p := b.get(link); p.status != http.StatusBadRequest || !strings.Contains(p.body, "schon benutzt") {
			t.Fatalf("second confirm: %d", p.status)
		}
		if p := b.login("Anna@Berg.example", goodPassword); p.status != http.StatusSeeOther || p.loc != "/de/account" {
			t.Fatalf("login: %d %q", p.status, p.loc)
		}
		p = b.get("/de/account")
		if p.status != 200 || !strings.Contains(p.body, "Berg Präzision GmbH") || !strings.Contains(p.body, "noch nicht geprüft") {
			t.Fatalf("account page: %d", p.status)
		}
		u, _ := s.db.UserByEmail(context.Background(), "anna@berg.example")
		o, err := s.db.Organisation(context.Background(), u.Org)
		if err != nil || o.City != "bad-homburg" || o.Verification.State != isa.Unverified || u.Role != accounts.Member {
			t.Fatalf("org %+v user %+v err %v", o, u, err)
		}
	})
}

func TestBadRegistrationInputIsExplainedAndChangesNothing(t *testing.T) {
	engines(t, func(t *testing.T, s *site) {
		s.member("taken@example.org", "solingen")
		users, orgs := userCount(t, s.db), orgCount(t, s.db)
		tests := []struct {
			name  string
			field string
			value string
			want  string // part of the German message
		}{
			{"empty e-mail", "email", "", "E-Mail-Adresse ein"},
			{"not an e-mail", "email", "anna-at-example", "keine gültige E-Mail-Adresse"},
			{"short password", "password", "kurz", "zu kurz"},
			{"common password", "password", "Password123", "zu verbreitet"},
			{"too long password", "password", strings.Repeat("x", 300), "zu lang"},
			{"empty name", "name", "  ", "füllen Sie dieses Feld"},
			{"script in name", "name", "<script>alert(1)</script>", "ohne < oder >"},
			{"too long organisation name", "org_name", strings.Repeat("A", 201), "zu lang"},
			{"unknown kind", "kind", "pirate", "Art Ihrer Organisation"},
			{"unknown city", "city", "atlantis", "Mitgliedsstadt"},
			{"wrong size", "size", "42", "angebotenen Größen"},
			{"control character", "about", "a\x00b", "unzulässige Zeichen"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				f := registration("new@example.org")
				f.Set(tt.field, tt.value)
				p := s.browser().post("/de/register", "/de/register", f)
				if p.status != http.StatusBadRequest {
					t.Fatalf("status %d, want 400", p.status)
				}
				if !strings.Contains(p.body, tt.want) {
					t.Errorf("the page does not say %q", tt.want)
				}
				if strings.Contains(p.raw, "<script>alert") {
					t.Errorf("the page echoes markup unescaped")
				}
				if u, o := userCount(t, s.db), orgCount(t, s.db); u != users || o != orgs {
					t.Errorf("users %d→%d, organisations %d→%d", users, u, orgs, o)
				}
			})
		}
	})
}

func TestLoginFailuresAreLimitedPerAccountAndPerAddress(t *testing.T) {
	engines(t, func(t *testing.T, s *site) {
		s.member("bob@example.org", "solingen")
		b := s.browser()
		for i := 0; i < 5; i++ {
			if p := b.login("bob@example.org", "wrong-password-1"); p.status != http.StatusUnauthorized || !strings.Contains(p.body, "Passwort ist falsch") {
				t.Fatalf("failure %d: %d", i, p.status)
			}
		}
		p := b.login("bob@example.org", goodPassword)
		if p.status != http.StatusTooManyRequests || !strings.Contains(p.body, "Zu viele fehlgeschlagene Anmeldungen") {
			t.Fatalf("sixth attempt with the right password: %d", p.status)
		}
		// The same address guessing at many accounts is stopped too.
		s.member("carol@example.org", "solingen")
		for i := 0; i < 15; i++ {
			b.login("nobody"+string(rune('a'+i))+"@example.org", "wrong-password-1")
		}
		if p := b.login("carol@example.org", goodPassword); p.status != http.StatusTooManyRequests {
			t.Fatalf("after 20 failures from one address: %d", p.status)
		}
	})
}

func sessionCookie(b *browser, s *site) string {
	u, _ := url.Parse(s.srv.URL)
	for _, c := range b.c.Jar.Cookies(u) {
		if c.Name == "isa_session" {
			return c.Value
		}
	}
	return ""
}

func TestSessionsAreRenewedAtLoginAndEndedByLogoutAndDisabling(t *testing.T) {
	engines(t, func(t *testing.T, s *site) {
		b, u := s.member("dora@example.org", "solingen")
		first := sessionCookie(b, s)
		if p := b.login("dora@example.org", goodPassword); p.status != http.StatusSeeOther {
			t.Fatalf("second login: %d", p.status)
		}
		second := sessionCookie(b, s)
		if first == "" || second == "" || first == second {
			t.Fatalf("the session token was not renewed at login")
		}
		if _, _, err := s.acc.SessionUser(context.Background(), first); !isa.IsNotFound(err) {
			t.Fatalf("the old session lives on: %v", err)
		}
		if p := b.post("/de/logout", "/de/account", url.Values{}); p.status != http.StatusSeeOther {
			t.Fatalf("logout: %d", p.status)
		}
		if _, _, err := s.acc.SessionUser(context.Background(), second); !isa.IsNotFound(err) {
			t.Fatalf("the session lives on after logout: %v", err)
		}
		if p := b.get("/de/account"); p.status != http.StatusSeeOther || !strings.HasPrefix(p.loc, "/de/login") {
			t.Fatalf("account after logout: %d %q", p.status, p.loc)
		}

		b.login("dora@example.org", goodPassword)
		admin, _ := s.staff("admin@isa.example", accounts.Admin, "")
		if p := admin.post("/de/admin/users/"+itoa(u.ID)+"/disable", "/de/admin/users", url.Values{}); p.status != http.StatusSeeOther {
			t.Fatalf("disable: %d %s", p.status, p.body)
		}
		if p := b.get("/de/account"); p.status != http.StatusSeeOther {
			t.Fatalf("the disabled user still has a session: %d", p.status)
		}
		if p := b.login("dora@example.org", goodPassword); p.status != http.StatusUnauthorized {
			t.Fatalf("the disabled user signs in: %d", p.status)
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestStateChangingRequestsNeedTheCSRFToken(t *testing.T) {
	engines(t, func(t *testing.T, s *site) {
		b, _ := s.member("eve@example.org", "solingen")
		tests := []struct {
			name, path, token string
		}{
			{"no token on the account", "/de/account/tokens", ""},
			{"forged token on the account", "/de/account/tokens", "forged"},
			{"no token on logout", "/de/logout", ""},
			{"no token on sign-in", "/de/login", ""},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				f := url.Values{"name": {"erp"}, "email": {"eve@example.org"}, "password": {goodPassword}}
				if tt.token != "" {
					f.Set("csrf_token", tt.token)
				}
				p := b.post(tt.path, "", f)
				if p.status != http.StatusForbidden || !strings.Contains(p.body, "Formular ist abgelaufen") {
					t.Fatalf("status %d", p.status)
				}
			})
		}
		u, _ := s.db.UserByEmail(context.Background(), "eve@example.org")
		if ts, _ := s.db.APITokens(context.Background(), u.ID); len(ts) != 0 {
			t.Fatalf("a token was created without the CSRF token")
		}
		if p := b.get("/de/account"); p.status != 200 {
			t.Fatalf("the session ended without the CSRF token: %d", p.status)
		}
	})
}

func TestPasswordResetByMail(t *testing.T) {
	engines(t, func(t *testing.T, s *site) {
		b, _ := s.member("fritz@example.org", "solingen")
		other := s.browser()
		if p := other.post("/de/reset", "/de/reset", url.Values{"email": {"fritz@example.org"}}); p.status != 200 || !strings.Contains(p.body, "Falls es zu dieser Adresse") {
			t.Fatalf("request: %d", p.status)
		}
		// An unknown address gets the same answer and no mail.
		if p := other.post("/de/reset", "/de/reset", url.Values{"email": {"ghost@example.org"}}); p.status != 200 || !strings.Contains(p.body, "Falls es zu dieser Adresse") {
			t.Fatalf("unknown address: %d", p.status)
		}
		link := s.mails.link(t, "fritz@example.org", "reset")
		token := strings.TrimPrefix(link, "/de/reset/confirm?token=")
		if p := other.get(link); p.status != 200 {
			t.Fatalf("reset page: %d", p.status)
		}
		if p := other.post("/de/reset/confirm", link, url.Values{"token": {token}, "password": {"short"}}); p.status != http.StatusBadRequest {
			t.Fatalf("short new password: %d", p.status)
		}
		if p := other.post("/de/reset/confirm", link, url.Values{"token": {token}, "password": {"Neues-Passwort-77"}}); p.status != 200 || !strings.Contains(p.body, "Passwort ist geändert") {
			t.Fatalf("reset: %d", p.status)
		}
		if p := b.get("/de/account"); p.status != http.StatusSeeOther {
			t.Fatalf("the old session survived the reset: %d", p.status)
		}
		if p := other.post("/de/reset/confirm", link, url.Values{"token": {token}, "password": {"Noch-ein-Passwort-88"}}); p.status != http.StatusBadRequest {
			t.Fatalf("the link worked twice: %d", p.status)
		}
		if p := other.login("fritz@example.org", goodPassword); p.status != http.StatusUnauthorized {
			t.Fatalf("old password: %d", p.status)
		}
		if p := other.login("fritz@example.org", "Neues-Passwort-77"); p.status != http.StatusSeeOther {
			t.Fatalf("new password: %d", p.status)
		}
	})
}

func TestOfficersVerifyAndReturnOnlyInTheirCity(t *testing.T) {
	engines(t, func(t *testing.T, s *site) {
		company, u := s.member("gina@example.org", "bad-homburg")
		ctx := context.Background()
		here, _ := s.staff("officer@bad-homburg.example", accounts.Officer, "bad-homburg")
		there, _ := s.staff("officer@foshan.example", accounts.Officer, "foshan")
		if p := here.get("/de/review"); p.status != 200 || !strings.Contains(p.body, "Berg Präzision GmbH") {
			t.Fatalf("queue of the city: %d", p.status)
		}
		if p := there.get("/de/review"); p.status != 200 || strings.Contains(p.body, "Berg Präzision GmbH") {
			t.Fatalf("queue of another city shows the organisation: %d", p.status)
		}
		verify := "/de/review/organisations/" + u.Org + "/verify"
		if p := there.post(verify, "/de/account", url.Values{"method": {"visit"}}); p.status != http.StatusForbidden || !strings.Contains(p.body, "anderen Stadt") {
			t.Fatalf("officer of another city: %d", p.status)
		}
		if p := company.post(verify, "/de/account", url.Values{"method": {"visit"}}); p.status != http.StatusForbidden {
			t.Fatalf("the company verifies itself: %d", p.status)
		}
		if o, _ := s.db.Organisation(ctx, u.Org); o.Verification.State != isa.Unverified {
			t.Fatalf("verified by a refused request")
		}
		ret := "/de/review/organisations/" + u.Org + "/return"
		if p := here.post(ret, "/de/review", url.Values{"reason": {""}}); p.status != http.StatusBadRequest {
			t.Fatalf("return without reason: %d", p.status)
		}
		if p := here.post(ret, "/de/review", url.Values{"reason": {"Bitte Handelsregisterauszug nachreichen."}}); p.status != http.StatusSeeOther {
			t.Fatalf("return: %d", p.status)
		}
		if p := company.get("/de/account"); !strings.Contains(p.body, "Bitte Handelsregisterauszug nachreichen.") {
			t.Fatalf("the company does not see the reason")
		}
		if p := here.post(verify, "/de/review", url.Values{"method": {"register_extract"}}); p.status != http.StatusSeeOther {
			t.Fatalf("verify: %d %s", p.status, p.body)
		}
		o, _ := s.db.Organisation(ctx, u.Org)
		if o.Verification.State != isa.Verified || o.Verification.Method != "register_extract" || o.Verification.By != "city:bad-homburg" || o.Verification.At.IsZero() {
			t.Fatalf("verification %+v", o.Verification)
		}
	})
}

func TestAPITokensAreCreatedUsedAndRevoked(t *testing.T) {
	engines(t, func(t *testing.T, s *site) {
		b, u := s.member("hans@example.org", "solingen")
		intruder, _ := s.member("ines@example.org", "solingen")
		p := b.post("/de/account/tokens", "/de/account", url.Values{"name": {"ERP"}})
		m := regexp.MustCompile(`<code>(isa_[A-Za-z0-9_-]+)</code>`).FindStringSubmatch(p.body)
		if p.status != 200 || m == nil {
			t.Fatalf("create: %d", p.status)
		}
		secret := m[1]
		if p := b.get("/de/account"); strings.Contains(p.body, secret) {
			t.Fatalf("the secret is shown a second time")
		}
		bearer := func(secret string) int {
			req, _ := http.NewRequest("GET", s.srv.URL+"/de/account", nil)
			req.Header.Set("Authorization", "Bearer "+secret)
			resp, err := s.browser().c.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			return resp.StatusCode
		}
		if got := bearer(secret); got != 200 {
			t.Fatalf("token use: %d", got)
		}
		if got := bearer("isa_forged"); got != http.StatusUnauthorized {
			t.Fatalf("forged token: %d", got)
		}
		ts, _ := s.db.APITokens(context.Background(), u.ID)
		if len(ts) != 1 {
			t.Fatalf("tokens %v", ts)
		}
		revoke := "/de/account/tokens/" + itoa(ts[0].ID) + "/revoke"
		if p := intruder.post(revoke, "/de/account", url.Values{}); p.status != http.StatusNotFound {
			t.Fatalf("revoke by another organisation's member: %d", p.status)
		}
		if got := bearer(secret); got != 200 {
			t.Fatalf("the token died of a forged revoke: %d", got)
		}
		if p := b.post(revoke, "/de/account", url.Values{}); p.status != http.StatusSeeOther {
			t.Fatalf("revoke: %d", p.status)
		}
		if got := bearer(secret); got != http.StatusUnauthorized {
			t.Fatalf("revoked token: %d", got)
		}
		if p := b.post("/de/account/tokens", "/de/account", url.Values{"name": {"<b>x</b>"}}); p.status != http.StatusBadRequest || !strings.Contains(p.body, "ohne < oder >") {
			t.Fatalf("markup in a token name: %d", p.status)
		}
	})
}

func TestTheSecretariatAdmitsAMemberCity(t *testing.T) {
	engines(t, func(t *testing.T, s *site) {
		admin, _ := s.staff("sekretariat@isa.example", accounts.Admin, "")
		officer, _ := s.staff("amt@solingen.example", accounts.Officer, "solingen")
		city := func() url.Values {
			return url.Values{"slug": {"neustadt"}, "country": {"DE"}, "name_de": {"Neustadt"}, "name_zh": {"诺伊施塔特"},
				"name_en": {"Neustadt"}, "joined": {"2026-11-20"}, "event": {"Hannover Messe"}}
		}
		tests := []struct {
			name, field, value string
			status             int
			want               string
		}{
			{"bad slug", "slug", "Neu Stadt", http.StatusBadRequest, "Kleinbuchstaben"},
			{"taken slug", "slug", "solingen", http.StatusConflict, "gibt es bereits"},
			{"no Chinese name", "name_zh", "", http.StatusBadRequest, "Name auf Chinesisch"},
			{"markup in a name", "name_en", "<i>x</i>", http.StatusBadRequest, "ohne < oder >"},
			{"not a date", "joined", "20.11.2026", http.StatusBadRequest, "Datum"},
			{"another country", "country", "FR", http.StatusBadRequest, "Deutschland oder China"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				f := city()
				f.Set(tt.field, tt.value)
				p := admin.post("/de/admin/cities", "/de/admin/cities", f)
				if p.status != tt.status || !strings.Contains(p.body, tt.want) {
					t.Fatalf("status %d, want %d with %q", p.status, tt.status, tt.want)
				}
				if _, err := s.db.City(context.Background(), "neustadt"); !isa.IsNotFound(err) {
					t.Fatalf("the city was admitted: %v", err)
				}
			})
		}
		if p := officer.post("/de/admin/cities", "/de/account", city()); p.status != http.StatusForbidden {
			t.Fatalf("an officer admits a city: %d", p.status)
		}
		if p := admin.post("/de/admin/cities", "/de/admin/cities", city()); p.status != http.StatusSeeOther || p.loc != "/de/cities/neustadt" {
			t.Fatalf("admit: %d %q", p.status, p.loc)
		}
		c, err := s.db.City(context.Background(), "neustadt")
		if err != nil || c.Names[isa.ZH] != "诺伊施塔特" || !c.Member(isa.Date("2026-11-21")) {
			t.Fatalf("city %+v, %v", c, err)
		}
	})
}

func TestAPIRefusalsAreJSONInTheClientsLanguage(t *testing.T) {
	s := newSite(t, storagetest.OpenSQLite(t))
	tests := []struct {
		lang, auth string
		status     int
		want       string
	}{
		{"zh-CN", "Bearer isa_forged", http.StatusUnauthorized, "API 令牌无效"},
		{"de", "Bearer isa_forged", http.StatusUnauthorized, "API-Schlüssel ist ungültig"},
	}
	for _, tt := range tests {
		req, _ := http.NewRequest("GET", s.srv.URL+"/api/v1/nothing", nil)
		req.Header.Set("Accept-Language", tt.lang)
		req.Header.Set("Authorization", tt.auth)
		p := s.browser().do(req)
		if p.status != tt.status || !strings.Contains(p.body, tt.want) || !strings.HasPrefix(p.raw, `{"error":{"code":"unauthenticated"`) {
			t.Errorf("%s: %d %s", tt.lang, p.status, p.raw)
		}
	}
}

func TestOfficersPublishAndReturnListingsOfTheirCityOnly(t *testing.T) {
	engines(t, func(t *testing.T, s *site) {
		ctx := context.Background()
		company, u := s.member("jana@example.org", "bad-homburg")
		here, _ := s.staff("officer@bad-homburg.example", accounts.Officer, "bad-homburg")
		there, _ := s.staff("officer@foshan.example", accounts.Officer, "foshan")
		for _, ref := range []string{"gesuch-1", "gesuch-2"} {
			l := &isa.Listing{Ref: ref, Org: u.Org, Kind: isa.Request, Lang: isa.DE, Title: "Suche Lohnfertiger für Drehteile", Description: "Aluminium, 5000 Stück im Jahr.", State: isa.InReview}
			if _, err := s.db.UpsertListing(ctx, l); err != nil {
				t.Fatal(err)
			}
		}
		state := func(ref string) isa.ListingState {
			l, err := s.db.Listing(ctx, ref)
			if err != nil {
				t.Fatal(err)
			}
			return l.State
		}
		if p := here.get("/de/review"); p.status != 200 || !strings.Contains(p.body, "Suche Lohnfertiger für Drehteile") {
			t.Fatalf("queue with listings: %d", p.status)
		}
		publish := "/de/review/listings/gesuch-1/publish"
		if p := here.post(publish, "/de/review", url.Values{}); p.status != http.StatusConflict || !strings.Contains(p.body, "zuerst die Organisation") {
			t.Fatalf("publish before the organisation is verified: %d", p.status)
		}
		if p := here.post("/de/review/organisations/"+u.Org+"/verify", "/de/review", url.Values{"method": {"visit"}}); p.status != http.StatusSeeOther {
			t.Fatalf("verify: %d", p.status)
		}
		if p := there.post(publish, "/de/account", url.Values{}); p.status != http.StatusForbidden {
			t.Fatalf("officer of another city publishes: %d", p.status)
		}
		if p := company.post(publish, "/de/account", url.Values{}); p.status != http.StatusForbidden {
			t.Fatalf("the company publishes its own listing: %d", p.status)
		}
		if got := state("gesuch-1"); got != isa.InReview {
			t.Fatalf("state %s after refused requests", got)
		}
		if p := here.post(publish, "/de/review", url.Values{}); p.status != http.StatusSeeOther {
			t.Fatalf("publish: %d %s", p.status, p.body)
		}
		l, _ := s.db.Listing(ctx, "gesuch-1")
		if l.State != isa.Published || l.Published == "" || l.Expires <= l.Published {
			t.Fatalf("published listing %+v", l)
		}
		if p := here.post(publish, "/de/review", url.Values{}); p.status != http.StatusConflict {
			t.Fatalf("publish twice: %d", p.status)
		}
		ret := "/de/review/listings/gesuch-2/return"
		if p := here.post(ret, "/de/review", url.Values{"reason": {strings.Repeat("x", 2001)}}); p.status != http.StatusBadRequest {
			t.Fatalf("too long reason: %d", p.status)
		}
		if p := here.post(ret, "/de/review", url.Values{"reason": {"Bitte Stückzahl präzisieren."}}); p.status != http.StatusSeeOther {
			t.Fatalf("return: %d", p.status)
		}
		if got := state("gesuch-2"); got != isa.Draft {
			t.Fatalf("returned listing is %s, want draft", got)
		}
		if p := company.get("/de/account"); !strings.Contains(p.body, "Bitte Stückzahl präzisieren.") {
			t.Fatalf("the company does not see the reason")
		}
	})
}

func TestAccountPagesRenderInEveryLanguage(t *testing.T) {
	s := newSite(t, storagetest.OpenSQLite(t))
	member, _ := s.member("kai@example.org", "solingen")
	officer, _ := s.staff("amt@solingen.example", accounts.Officer, "solingen")
	admin, _ := s.staff("sekretariat@isa.example", accounts.Admin, "")
	anonymous := s.browser()
	tests := []struct {
		who  *browser
		path string
		want map[isa.Lang]string
	}{
		{anonymous, "/login", map[isa.Lang]string{isa.DE: "Anmelden", isa.ZH: "登录", isa.EN: "Sign in"}},
		{anonymous, "/register", map[isa.Lang]string{isa.DE: "Unternehmen registrieren", isa.ZH: "注册您的企业", isa.EN: "Register your company"}},
		{anonymous, "/reset", map[isa.Lang]string{isa.DE: "Passwort zurücksetzen", isa.ZH: "重置密码", isa.EN: "Reset your password"}},
		{anonymous, "/reset/confirm?token=x", map[isa.Lang]string{isa.DE: "Neues Passwort wählen", isa.ZH: "设置新密码", isa.EN: "Choose a new password"}},
		{member, "/account", map[isa.Lang]string{isa.DE: "API-Schlüssel", isa.ZH: "API 令牌", isa.EN: "API tokens"}},
		{officer, "/review", map[isa.Lang]string{isa.DE: "Prüfliste", isa.ZH: "审核队列", isa.EN: "Review queue"}},
		{admin, "/admin/users", map[isa.Lang]string{isa.DE: "Benutzer", isa.ZH: "用户", isa.EN: "Users"}},
		{admin, "/admin/cities", map[isa.Lang]string{isa.DE: "Mitgliedsstadt aufnehmen", isa.ZH: "接纳成员城市", isa.EN: "Admit a member city"}},
	}
	for _, tt := range tests {
		for _, l := range isa.Langs {
			p := tt.who.get("/" + string(l) + tt.path)
			if p.status != 200 || !strings.Contains(p.body, tt.want[l]) {
				t.Errorf("%s%s: status %d, want 200 with %q", l, tt.path, p.status, tt.want[l])
			}
		}
	}
	// The register form offers the member cities by name in the page's language.
	if p := anonymous.get("/zh/register"); !strings.Contains(p.body, "佛山") || !strings.Contains(p.body, "索林根") {
		t.Errorf("the Chinese city picker lacks Chinese names")
	}
}

func TestSignedInPagesAreNeverStoredByCaches(t *testing.T) {
	engines(t, func(t *testing.T, s *site) {
		b, _ := s.member("cache@example.org", "solingen")
		anon := s.browser()
		tokenPage := b.post("/de/account/tokens", "/de/account", url.Values{"name": {"ERP"}})
		for _, tc := range []struct {
			name string
			p    page
			want string
		}{
			{"anonymous home", anon.get("/de/"), "no-cache"},
			{"own account", b.get("/de/account"), "private, no-store"},
			{"new API token secret", tokenPage, "no-store"},
		} {
			if tc.p.status != 200 {
				t.Errorf("%s: status %d", tc.name, tc.p.status)
				continue
			}
			if got := tc.p.header.Get("Cache-Control"); got != tc.want {
				t.Errorf("%s: Cache-Control %q, want %q", tc.name, got, tc.want)
			}
		}
	})
}

func TestAdminUserFormsRefuseBadInputAndChangeNothing(t *testing.T) {
	engines(t, func(t *testing.T, s *site) {
		admin, me := s.staff("admin@isa.example", accounts.Admin, "")
		officer, _ := s.staff("amt@solingen.example", accounts.Officer, "solingen")
		_, target := s.member("ziel@example.org", "solingen")
		id := itoa(target.ID)
		tests := []struct {
			name string
			b    *browser
			path string
			form url.Values
			code int
			want string
		}{
			{"unknown role", admin, "/de/admin/users/" + id + "/role", url.Values{"role": {"<b>god</b>"}}, 400, "Unbekannte Rolle."},
			{"officer without a city", admin, "/de/admin/users/" + id + "/role", url.Values{"role": {"officer"}}, 400, "Mitgliedsstadt"},
			{"officer of a forged city", admin, "/de/admin/users/" + id + "/role", url.Values{"role": {"officer"}, "city": {"atlantis"}}, 400, "Mitgliedsstadt"},
			{"own role", admin, "/de/admin/users/" + itoa(me.ID) + "/role", url.Values{"role": {"member"}}, 400, "eigenen Konto"},
			{"role of a forged user", admin, "/de/admin/users/999999/role", url.Values{"role": {"admin"}}, 404, ""},
			{"role of a user that is no number", admin, "/de/admin/users/abc/role", url.Values{"role": {"admin"}}, 404, ""},
			{"role set by an officer", officer, "/de/admin/users/" + id + "/role", url.Values{"role": {"admin"}}, 403, ""},
			{"disable oneself", admin, "/de/admin/users/" + itoa(me.ID) + "/disable", url.Values{}, 400, "eigenen Konto"},
			{"disable a forged user", admin, "/de/admin/users/999999/disable", url.Values{}, 404, ""},
			{"disable by an officer", officer, "/de/admin/users/" + id + "/disable", url.Values{}, 403, ""},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				p := tt.b.post(tt.path, "/de/account", tt.form)
				if p.status != tt.code || !strings.Contains(p.body, tt.want) {
					t.Errorf("status %d, want %d with %q", p.status, tt.code, tt.want)
				}
				if strings.Contains(p.raw, "<b>god</b>") {
					t.Error("markup from the form reached the page unescaped")
				}
				for _, u := range []*accounts.User{me, target} {
					got, err := s.db.UserByID(context.Background(), u.ID)
					if err != nil {
						t.Fatal(err)
					}
					if got.Role != u.Role || got.State != u.State || got.City != u.City {
						t.Errorf("user %d changed: %s %s %q", u.ID, got.Role, got.State, got.City)
					}
				}
			})
		}
	})
}

func TestLoginRefusesBadInputWithOneMessage(t *testing.T) {
	engines(t, func(t *testing.T, s *site) {
		s.member("lea@example.org", "solingen")
		tests := []struct{ name, email, password string }{
			{"empty", "", ""},
			{"no password", "lea@example.org", ""},
			{"markup as address", "<script>alert(1)</script>", "x"},
			{"overlong password", "lea@example.org", strings.Repeat("p", 5000)},
			{"overlong address", strings.Repeat("a", 400) + "@example.org", goodPassword},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				b := s.browser()
				p := b.login(tt.email, tt.password)
				if p.status != http.StatusUnauthorized || !strings.Contains(p.body, "Passwort ist falsch") {
					t.Errorf("status %d", p.status)
				}
				if strings.Contains(p.raw, "<script>alert") {
					t.Error("markup from the form reached the page unescaped")
				}
				if sessionCookie(b, s) != "" {
					t.Error("a refused sign-in set a session")
				}
			})
		}
	})
}

func TestResetConfirmAndTokenFormsRefuseBadInputAndChangeNothing(t *testing.T) {
	engines(t, func(t *testing.T, s *site) {
		b, u := s.member("rita@example.org", "solingen")
		mails := func() int {
			s.mails.mu.Lock()
			defer s.mails.mu.Unlock()
			return len(s.mails.mails)
		}
		tokens := func() int {
			ts, err := s.db.APITokens(context.Background(), u.ID)
			if err != nil {
				t.Fatal(err)
			}
			return len(ts)
		}
		sent, made := mails(), tokens()
		anon := s.browser()
		tests := []struct {
			name string
			b    *browser
			path string
			from string
			form url.Values
			code int
			want string
		}{
			{"reset without address", anon, "/de/reset", "/de/reset", url.Values{"email": {""}}, 400, "E-Mail-Adresse ein"},
			{"reset of no address", anon, "/de/reset", "/de/reset", url.Values{"email": {"<script>alert(1)</script>"}}, 400, "keine gültige E-Mail-Adresse"},
			{"new password with a forged link", anon, "/de/reset/confirm", "/de/reset", url.Values{"token": {"forged"}, "password": {"Neues-Passwort-77"}}, 400, "Link ist ungültig"},
			{"new password without a link", anon, "/de/reset/confirm", "/de/reset", url.Values{"password": {"Neues-Passwort-77"}}, 400, "Link ist ungültig"},
			{"token without a name", b, "/de/account/tokens", "/de/account", url.Values{"name": {"  "}}, 400, "füllen Sie dieses Feld"},
			{"token with an overlong name", b, "/de/account/tokens", "/de/account", url.Values{"name": {strings.Repeat("n", 500)}}, 400, "zu lang"},
			{"revoke a forged token", b, "/de/account/tokens/999999/revoke", "/de/account", url.Values{}, 404, ""},
			{"revoke a token that is no number", b, "/de/account/tokens/abc/revoke", "/de/account", url.Values{}, 404, ""},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				p := tt.b.post(tt.path, tt.from, tt.form)
				if p.status != tt.code || !strings.Contains(p.body, tt.want) {
					t.Errorf("status %d, want %d with %q", p.status, tt.code, tt.want)
				}
				if strings.Contains(p.raw, "<script>alert") {
					t.Error("markup from the form reached the page unescaped")
				}
				if mails() != sent || tokens() != made {
					t.Errorf("mails %d→%d, tokens %d→%d", sent, mails(), made, tokens())
				}
			})
		}
		if p := b.login("rita@example.org", goodPassword); p.status != http.StatusSeeOther {
			t.Errorf("the password changed: sign-in %d", p.status)
		}
	})
}

func TestOfficerFormsRefuseBadInputAndChangeNothing(t *testing.T) {
	engines(t, func(t *testing.T, s *site) {
		_, u := s.member("olga@example.org", "bad-homburg")
		officer, _ := s.staff("amt@bad-homburg.example", accounts.Officer, "bad-homburg")
		ctx := context.Background()
		org := "/de/review/organisations/" + u.Org
		tests := []struct {
			name, path string
			form       url.Values
			code       int // the guard refuses forged refs before the handler: 403
			want       string
		}{
			{"verify with an unknown method", org + "/verify", url.Values{"method": {"<b>bribe</b>"}}, 400, "füllen Sie dieses Feld"},
			{"verify a forged organisation", "/de/review/organisations/org-forged/verify", url.Values{"method": {"visit"}}, 403, ""},
			{"return with markup", org + "/return", url.Values{"reason": {"<script>alert(1)</script>"}}, 400, "ohne < oder >"},
			{"return with an overlong reason", org + "/return", url.Values{"reason": {strings.Repeat("r", 2001)}}, 400, "zu lang"},
			{"return a forged organisation", "/de/review/organisations/org-forged/return", url.Values{"reason": {"Bitte nachreichen."}}, 403, ""},
			{"publish a forged listing", "/de/review/listings/l-forged/publish", url.Values{}, 403, ""},
			{"return a forged listing", "/de/review/listings/l-forged/return", url.Values{"reason": {"Bitte nachreichen."}}, 403, ""},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				p := officer.post(tt.path, "/de/review", tt.form)
				if p.status != tt.code || !strings.Contains(p.body, tt.want) {
					t.Errorf("status %d, want %d with %q", p.status, tt.code, tt.want)
				}
				if strings.Contains(p.raw, "<script>alert") || strings.Contains(p.raw, "<b>bribe</b>") {
					t.Error("markup from the form reached the page unescaped")
				}
				o, err := s.db.Organisation(ctx, u.Org)
				if err != nil {
					t.Fatal(err)
				}
				rs, err := s.db.LatestReviews(ctx, o.ID)
				if err != nil {
					t.Fatal(err)
				}
				if o.Verification.State != isa.Unverified || len(rs) != 0 {
					t.Errorf("a refused review changed the organisation: %s, %d reviews", o.Verification.State, len(rs))
				}
			})
		}
	})
}

func TestAPIRefusalsOfInternalErrorsAreTranslatedAndHideTheCause(t *testing.T) {
	w, err := web.New(web.Deps{Store: storagetest.OpenSQLite(t)})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, lang string
		err        error
		status     int
		code, want string
	}{
		{"driver error in German", "de", errors.New("pq: connection refused to 10.0.0.7"), 500, "internal", "Auf unserer Seite ist ein Fehler aufgetreten."},
		{"internal isa error in Chinese", "zh-CN", &isa.Error{Code: isa.CodeInternal, Message: "session table corrupt"}, 500, "internal", "我们这边发生了错误"},
		{"refusal in English", "en", &isa.Error{Code: isa.CodeForbidden, Key: "account.error.csrf", Message: "x"}, 403, "forbidden", "The form has expired."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest("POST", "/api/v1/listings", nil)
			req.Header.Set("Accept-Language", tt.lang)
			rec := httptest.NewRecorder()
			w.Deny(rec, req, tt.err)
			var body struct {
				Error struct{ Code, Message string }
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
				t.Fatalf("not JSON: %v: %s", err, rec.Body)
			}
			if rec.Code != tt.status || body.Error.Code != tt.code || !strings.Contains(body.Error.Message, tt.want) {
				t.Errorf("%d %+v, want %d %s %q", rec.Code, body.Error, tt.status, tt.code, tt.want)
			}
			if strings.Contains(rec.Body.String(), "10.0.0.7") || strings.Contains(rec.Body.String(), "corrupt") {
				t.Errorf("the cause leaked: %s", rec.Body)
			}
		})
	}
}

func TestResetMailsToOneAddressAreLimitedWithoutSayingSo(t *testing.T) {
	engines(t, func(t *testing.T, s *site) {
		s.member("paul@example.org", "solingen")
		s.member("quinn@example.org", "solingen")
		resets := func(addr string) int {
			s.mails.mu.Lock()
			defer s.mails.mu.Unlock()
			n := 0
			for _, m := range s.mails.mails {
				if m.To == addr && m.Kind == "reset" {
					n++
				}
			}
			return n
		}
		b := s.browser()
		for i := range 6 {
			if p := b.post("/de/reset", "/de/reset", url.Values{"email": {"paul@example.org"}}); p.status != 200 || !strings.Contains(p.body, "Falls es zu dieser Adresse") {
				t.Fatalf("request %d: %d", i+1, p.status)
			}
		}
		if n := resets("paul@example.org"); n != 3 {
			t.Errorf("six requests sent %d reset mails, want 3", n)
		}
		if b.post("/de/reset", "/de/reset", url.Values{"email": {"quinn@example.org"}}); resets("quinn@example.org") != 1 {
			t.Errorf("the limit of one address stopped the mail to another")
		}
	})
}
