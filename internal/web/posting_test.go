package web_test

import (
	"context"
	"encoding/json"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/isa-alliance/isa"
	"github.com/isa-alliance/isa/internal/accounts"
	"github.com/isa-alliance/isa/internal/listings"
	"github.com/isa-alliance/isa/internal/messages"
	"github.com/isa-alliance/isa/internal/storage"
	"github.com/isa-alliance/isa/internal/storage/storagetest"
	"github.com/isa-alliance/isa/internal/web"
)

// postingSite serves the pages with posting and contacts; members act
// through API tokens, which the accounts middleware accepts on pages too
// and which need no CSRF token.
type postingSite struct {
	db     *storage.DB
	h      http.Handler
	tokens map[string]string
}

func newPostingSite(t *testing.T, db *storage.DB, opts ...messages.Options) *postingSite {
	t.Helper()
	ctx := context.Background()
	for _, o := range []*isa.Organisation{
		{Ref: "org-bh", Name: "Homburger Guss GmbH", Kind: isa.Company, City: "bad-homburg", Verification: isa.Verification{State: isa.Verified}},
		{Ref: "org-fs", Name: "佛山精密机械", Kind: isa.Company, City: "foshan"},
		{Ref: "org-x", Name: "Dritte AG", Kind: isa.Company, City: "bad-homburg"},
	} {
		var cp []isa.ContactPerson
		if o.Ref == "org-bh" {
			cp = []isa.ContactPerson{{Name: "Jana Weber", Email: "jana.weber@guss.example", Phone: "+49 6172 555"}}
		}
		if _, err := db.UpsertOrganisation(ctx, o, cp); err != nil {
			t.Fatal(err)
		}
	}
	acc, err := accounts.New(accounts.Config{Store: db, Hash: testHash})
	if err != nil {
		t.Fatal(err)
	}
	s := &postingSite{db: db, tokens: map[string]string{}}
	for name, org := range map[string]string{"bh": "org-bh", "fs": "org-fs", "x": "org-x"} {
		u, err := acc.AddUser(ctx, accounts.AddUserInput{Email: name + "@m.example", Name: name, Password: "Lange-Passphrase-2026", Role: accounts.Member, Org: org, Lang: isa.DE})
		if err != nil {
			t.Fatal(err)
		}
		if s.tokens[name], _, err = acc.CreateAPIToken(ctx, u, "t"); err != nil {
			t.Fatal(err)
		}
	}
	var mo messages.Options
	if len(opts) > 0 {
		mo = opts[0]
	}
	contacts, err := messages.New(db, mo)
	if err != nil {
		t.Fatal(err)
	}
	w, err := web.New(web.Deps{Store: db, Accounts: acc, Posting: listings.New(db, nil), Contacts: contacts})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	w.Register(mux)
	s.h = acc.Authenticate(mux)
	return s
}

func (s *postingSite) do(t *testing.T, who, method, path string, form url.Values) (int, string, http.Header) {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	r := httptest.NewRequest(method, path, body)
	if form != nil {
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if who != "" {
		r.Header.Set("Authorization", "Bearer "+s.tokens[who])
	}
	rec := httptest.NewRecorder()
	s.h.ServeHTTP(rec, r)
	return rec.Code, rec.Body.String(), rec.Header()
}

func listingForm(title string) url.Values {
	return url.Values{
		"kind": {"request"}, "lang": {"de"}, "title": {title},
		"description": {"Wir suchen Aluminium-Druckguss für Gehäuse."},
		"tr_zh_title": {"寻找铝压铸件"}, "tr_zh_description": {"我们寻找用于外壳的铝压铸件。"},
		"cooperation": {"supply", "manufacturing"}, "industries": {"C24.53, 25.50"}, "keywords": {"Druckguss，压铸"},
		"action": {"publish"},
	}
}

func TestPostingPagesValidatePreviewAndPublish(t *testing.T) {
	s := newPostingSite(t, storagetest.OpenSQLite(t))
	count := func() int {
		p, _ := s.db.Listings(context.Background(), isa.ListingFilter{Org: "org-bh"})
		return len(p.Items)
	}

	bad := []struct {
		name   string
		edit   func(url.Values)
		status int
		want   string // in the page, next to the field
	}{
		{"empty title", func(v url.Values) { v.Set("title", " ") }, 400, "Bitte füllen Sie dieses Feld aus."},
		{"title too long", func(v url.Values) { v.Set("title", strings.Repeat("ü", 201)) }, 400, "Der Text ist zu lang."},
		{"wrong kind", func(v url.Values) { v.Set("kind", "sale") }, 400, "Bitte wählen Sie Angebot oder Gesuch."},
		{"unknown cooperation type", func(v url.Values) { v.Add("cooperation", "<b>x</b>") }, 400, "Bitte wählen Sie nur angebotene Kooperationsformen."},
		{"unknown NACE code", func(v url.Values) { v.Set("industries", "Z99") }, 400, "Bitte wählen Sie einen Wirtschaftszweig aus der NACE-Liste."},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			f := listingForm("Gesuch Druckguss")
			tt.edit(f)
			status, page, _ := s.do(t, "bh", "POST", "/de/listings/new", f)
			if status != tt.status || !strings.Contains(page, tt.want) || !strings.Contains(page, `aria-invalid="true"`) {
				t.Errorf("status %d; message %q shown: %v", status, tt.want, strings.Contains(page, tt.want))
			}
			if strings.Contains(page, "<b>x</b>") {
				t.Error("markup from the form reached the page unescaped")
			}
		})
	}
	if n := count(); n != 0 {
		t.Fatalf("refused forms stored %d listings", n)
	}

	// Preview shows the listing, escaped, and stores nothing.
	f := listingForm(`<script>alert("x")</script> Druckguss`)
	f.Set("action", "preview")
	status, page, _ := s.do(t, "bh", "POST", "/de/listings/new", f)
	if status != 200 || !strings.Contains(page, "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; Druckguss") || strings.Contains(page, `<script>alert`) {
		t.Fatalf("preview: status %d, escaped title shown: %v", status, strings.Contains(page, "&lt;script&gt;"))
	}
	if n := count(); n != 0 {
		t.Fatalf("preview stored %d listings", n)
	}

	f.Set("action", "publish")
	status, _, hd := s.do(t, "bh", "POST", "/de/listings/new", f)
	if status != http.StatusSeeOther || !strings.HasSuffix(hd.Get("Location"), "/edit?saved=1") {
		t.Fatalf("publish: %d to %q", status, hd.Get("Location"))
	}
	ref := strings.TrimSuffix(strings.TrimPrefix(hd.Get("Location"), "/de/listings/"), "/edit?saved=1")
	l, err := s.db.Listing(context.Background(), ref)
	if err != nil {
		t.Fatal(err)
	}
	if l.State != isa.Published || l.Translations[isa.ZH].Title != "寻找铝压铸件" || strings.Join(l.Keywords, "|") != "Druckguss|压铸" {
		t.Errorf("stored %s %v %v", l.State, l.Translations, l.Keywords)
	}

	// Strangers cannot open or post the edit form, renew or withdraw.
	for _, tt := range []struct{ method, path string }{
		{"GET", "/de/listings/" + ref + "/edit"},
		{"POST", "/de/listings/" + ref + "/edit"},
		{"POST", "/de/listings/" + ref + "/renew"},
		{"POST", "/de/listings/" + ref + "/withdraw"},
	} {
		var form url.Values
		if tt.method == "POST" {
			form = listingForm("Gekapert")
		}
		if status, _, _ := s.do(t, "x", tt.method, tt.path, form); status != http.StatusForbidden {
			t.Errorf("stranger %s %s: %d, want 403", tt.method, tt.path, status)
		}
	}
	if got, _ := s.db.Listing(context.Background(), ref); got.Title != l.Title || got.State != isa.Published {
		t.Errorf("strangers changed the listing: %q %s", got.Title, got.State)
	}
	if status, page, _ := s.do(t, "bh", "GET", "/de/listings/"+ref+"/edit", nil); status != 200 || !strings.Contains(page, "Gespeichert") && !strings.Contains(page, "Um 12 Monate verlängern") {
		t.Errorf("own edit page: %d", status)
	}
	if status, page, _ := s.do(t, "bh", "GET", "/de/listings/mine", nil); status != 200 || !strings.Contains(page, "/de/listings/"+ref+"/edit") {
		t.Errorf("own listings page: %d", status)
	}
	if status, _, _ := s.do(t, "bh", "POST", "/de/listings/"+ref+"/withdraw", url.Values{}); status != http.StatusSeeOther {
		t.Errorf("withdraw: %d", status)
	}
	if got, _ := s.db.Listing(context.Background(), ref); got.State != isa.Withdrawn {
		t.Errorf("after withdraw: %s", got.State)
	}
	if status, _, _ := s.do(t, "", "GET", "/de/listings/new", nil); status != http.StatusUnauthorized {
		t.Errorf("anonymous form: %d", status)
	}
}

func TestNACEPickerSearchesAllThreeLanguages(t *testing.T) {
	s := newPostingSite(t, storagetest.OpenSQLite(t))
	for _, q := range []string{"Kunststoff", "塑料", "plastic", "22.2"} {
		status, body, hd := s.do(t, "", "GET", "/zh/nace?format=json&q="+url.QueryEscape(q), nil)
		var hits []struct{ Code, Label string }
		if status != 200 || json.Unmarshal([]byte(body), &hits) != nil || len(hits) == 0 || !strings.HasPrefix(hd.Get("Content-Type"), "application/json") {
			t.Errorf("%q: %d %s", q, status, body)
		}
	}
	// Without JavaScript the same search is a page.
	if status, page, _ := s.do(t, "", "GET", "/de/nace?q=Kunststoff", nil); status != 200 || !strings.Contains(page, "C22") {
		t.Errorf("NACE page: %d", status)
	}
}

func TestContactPagesRevealContactsOnlyAfterAcceptance(t *testing.T) {
	s := newPostingSite(t, storagetest.OpenSQLite(t))
	ctx := context.Background()
	l := &isa.Listing{Ref: "l-bh", Org: "org-bh", Kind: isa.Request, Lang: isa.DE, Title: "Gesuch Druckguss", Description: "x",
		State: isa.Published, Published: isa.DateOf(time.Now()), Expires: isa.DateOf(time.Now()).AddMonths(12)}
	if _, err := s.db.UpsertListing(ctx, l); err != nil {
		t.Fatal(err)
	}
	if status, page, _ := s.do(t, "", "GET", "/zh/listings/l-bh", nil); status != 200 || !strings.Contains(page, "/zh/listings/l-bh/contact") {
		t.Fatalf("listing page offers no contact link: %d", status)
	}
	if status, page, _ := s.do(t, "fs", "POST", "/zh/listings/l-bh/contact", url.Values{"message": {" "}}); status != 400 || !strings.Contains(page, "请填写留言。") {
		t.Errorf("empty message: %d", status)
	}
	status, _, hd := s.do(t, "fs", "POST", "/zh/listings/l-bh/contact", url.Values{"message": {"我们是佛山的压铸厂。<img src=x>"}})
	if status != http.StatusSeeOther {
		t.Fatalf("contact: %d", status)
	}
	thread := strings.TrimPrefix(hd.Get("Location"), "/zh")
	_, page, _ := s.do(t, "fs", "GET", "/zh"+thread, nil)
	if strings.Contains(page, "jana.weber@guss.example") || !strings.Contains(page, "&lt;img src=x&gt;") {
		t.Error("sender sees contacts before acceptance, or the message is not escaped")
	}
	if status, _, _ := s.do(t, "x", "GET", "/de"+thread, nil); status != http.StatusNotFound {
		t.Errorf("third organisation reads the thread: %d", status)
	}
	if status, _, _ := s.do(t, "x", "POST", "/de"+thread+"/accept", url.Values{}); status != http.StatusNotFound {
		t.Errorf("third organisation accepts: %d", status)
	}
	if _, page, _ := s.do(t, "bh", "GET", "/de/inbox", nil); !strings.Contains(page, "佛山精密机械") {
		t.Error("receiver's inbox does not show the contact")
	}
	if status, _, _ := s.do(t, "bh", "POST", "/de"+thread+"/accept", url.Values{}); status != http.StatusSeeOther {
		t.Fatalf("accept: %d", status)
	}
	if _, page, _ = s.do(t, "fs", "GET", "/zh"+thread, nil); !strings.Contains(page, "jana.weber@guss.example") || !strings.Contains(page, "6172 555") {
		t.Errorf("sender does not see the contact person after acceptance: %s", page)
	}
	if status, _, _ := s.do(t, "fs", "POST", "/zh"+thread+"/reply", url.Values{"message": {"谢谢！"}}); status != http.StatusSeeOther {
		t.Errorf("reply: %d", status)
	}
}

func TestOrganisationProfileForm(t *testing.T) {
	s := newPostingSite(t, storagetest.OpenSQLite(t))
	ctx := context.Background()
	if status, page, _ := s.do(t, "bh", "GET", "/de/organisations/org-bh/edit", nil); status != 200 || !strings.Contains(page, "jana.weber@guss.example") {
		t.Fatalf("own profile form: %d", status)
	}
	if status, page, _ := s.do(t, "x", "GET", "/de/organisations/org-bh/edit", nil); status != http.StatusForbidden || strings.Contains(page, "jana.weber") {
		t.Errorf("stranger opens the profile form: %d", status)
	}
	form := url.Values{
		"about_de": {"Aluminium-Druckguss seit 1962."}, "website": {"https://guss.example"}, "size": {"small"}, "founded": {"1962"},
		"industries": {"C24.53"}, "contacts.0.name": {"Jana Weber"}, "contacts.0.email": {"jana.weber@guss.example"},
		"contacts.2.name": {"Max Kurz"}, "contacts.2.email": {"kein-at-zeichen"},
	}
	status, page, _ := s.do(t, "bh", "POST", "/de/organisations/org-bh/edit", form)
	if status != 400 || !strings.Contains(page, "Das ist keine gültige E-Mail-Adresse.") || !strings.Contains(page, `id="f-contacts-2-email"`) {
		t.Fatalf("bad e-mail in row 3: %d", status)
	}
	if o, _ := s.db.Organisation(ctx, "org-bh"); o.Website != "" {
		t.Errorf("a refused form changed the organisation: %q", o.Website)
	}
	form.Set("contacts.2.email", "max.kurz@guss.example")
	if status, _, _ := s.do(t, "x", "POST", "/de/organisations/org-bh/edit", form); status != http.StatusForbidden {
		t.Errorf("stranger posts the profile form: %d", status)
	}
	if status, _, _ := s.do(t, "bh", "POST", "/de/organisations/org-bh/edit", form); status != http.StatusSeeOther {
		t.Fatalf("save: %d", status)
	}
	o, _ := s.db.Organisation(ctx, "org-bh")
	cs, _ := s.db.Contacts(ctx, o.ID)
	if o.Website != "https://guss.example" || o.Founded != 1962 || len(cs) != 2 || cs[1].Name != "Max Kurz" {
		t.Errorf("saved %q %d, contacts %+v", o.Website, o.Founded, cs)
	}
}

func TestPostingPagesStayLight(t *testing.T) {
	s := newPostingSite(t, storagetest.OpenSQLite(t))
	for _, path := range []string{"/zh/listings/new", "/de/listings/mine", "/en/inbox", "/de/organisations/org-bh/edit"} {
		status, page, _ := s.do(t, "bh", "GET", path, nil)
		if status != 200 || len(page) > 150_000 {
			t.Errorf("%s: status %d, %d bytes", path, status, len(page))
		}
		t.Logf("%s: %d bytes", path, len(page))
	}
}

func TestContactAndReplyFormsRefuseBadInputAndChangeNothing(t *testing.T) {
	s := newPostingSite(t, storagetest.OpenSQLite(t), messages.Options{PerDay: 1})
	ctx := context.Background()
	today := isa.DateOf(time.Now())
	for _, l := range []*isa.Listing{
		{Ref: "l-live", Org: "org-bh", Kind: isa.Request, Lang: isa.DE, Title: "Gesuch Druckguss", Description: "x", State: isa.Published, Published: today, Expires: today.AddMonths(12)},
		{Ref: "l-live2", Org: "org-bh", Kind: isa.Offer, Lang: isa.DE, Title: "Angebot Fräsen", Description: "x", State: isa.Published, Published: today, Expires: today.AddMonths(12)},
		{Ref: "l-draft", Org: "org-bh", Kind: isa.Request, Lang: isa.DE, Title: "Entwurf", Description: "x", State: isa.Draft},
	} {
		if _, err := s.db.UpsertListing(ctx, l); err != nil {
			t.Fatal(err)
		}
	}
	fs, err := s.db.Organisation(ctx, "org-fs")
	if err != nil {
		t.Fatal(err)
	}
	threads := func() []messages.Thread {
		ts, err := s.db.Threads(ctx, fs.ID, 100)
		if err != nil {
			t.Fatal(err)
		}
		return ts
	}

	contact := []struct {
		name, path, message string
		status              int
		want                string
	}{
		{"empty message", "/de/listings/l-live/contact", " \n ", 400, "Bitte schreiben Sie eine Nachricht."},
		{"message too long", "/de/listings/l-live/contact", strings.Repeat("ä", messages.MaxBody+1), 400, "höchstens 5000 Zeichen"},
		{"control characters", "/de/listings/l-live/contact", "Hallo\x00", 400, "nicht erlaubt"},
		{"a draft of another organisation", "/de/listings/l-draft/contact", "Hallo", 404, ""},
		{"a forged listing", "/de/listings/l-forged/contact", "Hallo", 404, ""},
	}
	for _, tt := range contact {
		t.Run("contact/"+tt.name, func(t *testing.T) {
			status, page, _ := s.do(t, "fs", "POST", tt.path, url.Values{"message": {tt.message}})
			if status != tt.status || !strings.Contains(page, tt.want) {
				t.Errorf("status %d, want %d with %q", status, tt.status, tt.want)
			}
			if n := len(threads()); n != 0 {
				t.Errorf("a refused contact made %d threads", n)
			}
		})
	}

	status, _, hd := s.do(t, "fs", "POST", "/de/listings/l-live/contact", url.Values{"message": {"Guten Tag"}})
	if status != http.StatusSeeOther {
		t.Fatalf("contact: %d", status)
	}
	thread := strings.TrimPrefix(hd.Get("Location"), "/de")
	if status, page, _ := s.do(t, "fs", "POST", "/de/listings/l-live2/contact", url.Values{"message": {"Noch einmal"}}); status != http.StatusTooManyRequests || !strings.Contains(page, "Bitte versuchen Sie es morgen wieder.") {
		t.Errorf("second first contact of the day: %d", status)
	}
	if n := len(threads()); n != 1 {
		t.Fatalf("threads after the limit: %d", n)
	}
	if status, _, _ := s.do(t, "fs", "POST", "/de"+thread+"/reply", url.Values{"message": {"Vor der Annahme"}}); status != http.StatusConflict {
		t.Errorf("reply before acceptance: %d", status)
	}
	if status, _, _ := s.do(t, "bh", "POST", "/de"+thread+"/accept", url.Values{}); status != http.StatusSeeOther {
		t.Fatalf("accept: %d", status)
	}

	reply := []struct {
		name, who, path, message string
		status                   int
		want                     string
	}{
		{"empty message", "fs", thread + "/reply", "", 400, "Bitte schreiben Sie eine Nachricht."},
		{"message too long", "fs", thread + "/reply", strings.Repeat("x", messages.MaxBody+1), 400, "höchstens 5000 Zeichen"},
		{"a thread of other organisations", "x", thread + "/reply", "Hallo", 404, ""},
		{"not a thread number", "fs", "/inbox/abc/reply", "Hallo", 404, ""},
		{"a forged thread number", "fs", "/inbox/999999/reply", "Hallo", 404, ""},
	}
	for _, tt := range reply {
		t.Run("reply/"+tt.name, func(t *testing.T) {
			status, page, _ := s.do(t, tt.who, "POST", "/de"+tt.path, url.Values{"message": {tt.message}})
			if status != tt.status || !strings.Contains(page, tt.want) {
				t.Errorf("status %d, want %d with %q", status, tt.status, tt.want)
			}
			th, err := s.db.Thread(ctx, threads()[0].ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(th.Messages) != 1 {
				t.Errorf("a refused reply left %d messages", len(th.Messages))
			}
		})
	}
}

func TestOrganisationFormRefusesBadInputAndChangesNothing(t *testing.T) {
	s := newPostingSite(t, storagetest.OpenSQLite(t))
	ctx := context.Background()
	good := func() url.Values {
		return url.Values{"about_de": {"Aluminium-Druckguss seit 1962."}, "website": {"https://guss.example"}, "size": {"small"},
			"founded": {"1962"}, "industries": {"C24.53"}, "contacts.0.name": {"Jana Weber"}, "contacts.0.email": {"jana.weber@guss.example"}}
	}
	tests := []struct {
		name, field, value string
		want               string
	}{
		{"script as web site", "website", "javascript:alert(1)", "mit https:// beginnt"},
		{"web site without host", "website", "https://", "mit https:// beginnt"},
		{"year that is no number", "founded", "neunzehnhundert", "kein plausibles Gründungsjahr"},
		{"year in the future", "founded", "2999", "kein plausibles Gründungsjahr"},
		{"unknown size", "size", "<b>huge</b>", "angebotenen Größen"},
		{"unknown NACE code", "industries", "Z99", "NACE-Liste"},
		{"overlong description", "about_de", strings.Repeat("压", 5001), "zu lang"},
		{"contact without a name", "contacts.0.name", "", "füllen Sie dieses Feld"},
		{"phone with letters", "contacts.0.phone", "<script>alert(1)</script>", "Telefonnummer"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := good()
			f.Set(tt.field, tt.value)
			status, page, _ := s.do(t, "bh", "POST", "/de/organisations/org-bh/edit", f)
			if status != http.StatusBadRequest || !strings.Contains(html.UnescapeString(page), tt.want) {
				t.Errorf("status %d, want 400 with %q", status, tt.want)
			}
			if strings.Contains(page, "<script>alert") || strings.Contains(page, "<b>huge</b>") {
				t.Error("markup from the form reached the page unescaped")
			}
			o, err := s.db.Organisation(ctx, "org-bh")
			if err != nil {
				t.Fatal(err)
			}
			cs, _ := s.db.Contacts(ctx, o.ID)
			if o.Website != "" || o.Founded != 0 || len(cs) != 1 || cs[0].Phone != "+49 6172 555" {
				t.Errorf("a refused form changed the organisation: %q %d %+v", o.Website, o.Founded, cs)
			}
		})
	}
	// The longest profile the form allows is read and saved: it is
	// larger than the bound of the small forms.
	f := good()
	for _, l := range isa.Langs {
		f.Set("about_"+string(l), strings.Repeat("压", 5000))
	}
	if status, _, _ := s.do(t, "bh", "POST", "/de/organisations/org-bh/edit", f); status != http.StatusSeeOther {
		t.Fatalf("three descriptions of 5,000 Chinese characters: %d", status)
	}
	if o, _ := s.db.Organisation(ctx, "org-bh"); len([]rune(o.About[isa.EN])) != 5000 {
		t.Errorf("saved about %d characters", len([]rune(o.About[isa.EN])))
	}
}
