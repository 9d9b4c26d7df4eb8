package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/isa-alliance/isa/internal/storage/storagetest"
)

// company is one registering organisation and its first member.
type company struct {
	lang, name, email, org, city, about string
}

const password = "lange-Passphrase-2026"

// TestJourneyFromBadHomburgToFoshan walks issue 4 end to end in the
// browser: a company in Bad Homburg registers in German, its officer
// verifies it, it posts a Gesuch that is published; a company in Foshan
// registers on the Chinese pages, finds the Gesuch with a Chinese query and
// sends a first contact; Bad Homburg gets the mail, accepts, and only then
// do both see each other's contact persons.
//
// The journey runs on SQLite and once more on PostgreSQL.
func TestJourneyFromBadHomburgToFoshan(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { journey(t, serverOptions{}) })
	t.Run("postgres", func(t *testing.T) {
		journey(t, serverOptions{databaseURL: storagetest.PostgresURL(t)})
	})
}

func journey(t *testing.T, o serverOptions) {
	srv := startServer(t, o)
	br := startBrowser(t, srv)
	bh := company{lang: "de", name: "Petra Lehmann", email: "p.lehmann@taunus-kunststoff.example", org: "Taunus Kunststofftechnik GmbH", city: "bad-homburg",
		about: "Familienunternehmen für technische Kunststoffteile."}
	fs := company{lang: "zh", name: "王芳", email: "wang.fang@foshan-mould.example", org: "佛山精工模具有限公司", city: "foshan",
		about: "专业生产注塑模具和精密注塑件。"}
	const title = "Lieferant für Spritzgießwerkzeuge aus Kunststoff gesucht"

	officer := br.newTab(t, "officer")
	bhTab := br.newTab(t, "bad-homburg")
	fsTab := br.newTab(t, "foshan")

	t.Run("admin and officers are created on the command line", func(t *testing.T) {
		srv.isa(t, password+"\n", "user", "add", "--role", "admin", "--email", "admin@isa.test", "--name", "Sekretariat")
		srv.isa(t, password+"\n", "user", "add", "--role", "officer", "--city", "bad-homburg", "--email", "wirtschaft@bad-homburg.example", "--name", "Amt Bad Homburg", "--lang", "de")
	})
	t.Run("Bad Homburg registers in German and confirms its e-mail", func(t *testing.T) {
		register(t, srv, bhTab, bh)
	})
	t.Run("the Bad Homburg officer verifies the company", func(t *testing.T) {
		login(t, officer, "de", "wirtschaft@bad-homburg.example")
		officer.open(t, "/de/review", 200)
		if !strings.Contains(officer.text(t, "main"), bh.org) {
			t.Fatalf("the review queue of Bad Homburg does not list %s:\n%s", bh.org, officer.text(t, "main"))
		}
		officer.submit(t, `form[action*="/verify"] button[type=submit]`)
	})
	t.Run("Bad Homburg posts a Gesuch", func(t *testing.T) {
		login(t, bhTab, "de", bh.email)
		bhTab.open(t, "/de/listings/new", 200)
		bhTab.inspect(t, "de-posting-form")
		bhTab.check(t, `input[name=kind][value=request]`)
		bhTab.check(t, `input[name=cooperation]`)
		bhTab.fill(t, [][2]string{
			{`select[name=lang]`, "de"},
			{`input[name=title]`, title},
			{`textarea[name=description]`, "Wir suchen einen Hersteller von Spritzgießwerkzeugen für Gehäuseteile aus PA66 und PBT, 2-Kavitäten, Serienwerkzeuge nach HASCO-Norm, mit Erstbemusterung."},
			{`input[name=industries]`, "C28.96"},
			{`input[name=keywords]`, "Spritzguss, Werkzeugbau"},
		})
		if st := bhTab.submit(t, `button[name=action][value=publish]`); st >= 400 {
			t.Fatalf("posting answered %d:\n%s", st, bhTab.text(t, "main"))
		}
		if errs := bhTab.text(t, `[aria-invalid="true"], .error, .errors`); errs != "" {
			t.Fatalf("the form was refused: %s", errs)
		}
	})
	t.Run("the Gesuch is published", func(t *testing.T) {
		// A verified organisation's listings go live at once; one that
		// waits in the queue is published by the officer.
		officer.open(t, "/de/review", 200)
		if strings.Contains(officer.text(t, "main"), title) {
			officer.submit(t, `form[action*="/publish"] button[type=submit]`)
		}
		// The search index follows the database every half second.
		deadline := time.Now().Add(15 * time.Second)
		for {
			bhTab.open(t, "/de/search?q=Spritzgießwerkzeuge", 200)
			if strings.Contains(bhTab.text(t, ".results"), title) {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("the Gesuch is not found by search within 15 s:\n%s", bhTab.text(t, "main"))
			}
			time.Sleep(300 * time.Millisecond)
		}
	})
	t.Run("Foshan registers in Chinese and is verified", func(t *testing.T) {
		register(t, srv, fsTab, fs)
		srv.isa(t, password+"\n", "user", "add", "--role", "officer", "--city", "foshan", "--email", "invest@foshan.example", "--name", "佛山市商务局", "--lang", "zh")
		fo := br.newTab(t, "foshan-officer")
		login(t, fo, "zh", "invest@foshan.example")
		fo.open(t, "/zh/review", 200)
		if !strings.Contains(fo.text(t, "main"), fs.org) {
			t.Fatalf("the review queue of Foshan does not list %s", fs.org)
		}
		fo.submit(t, `form[action*="/verify"] button[type=submit]`)
	})
	var listingPath string
	t.Run("Foshan finds the Gesuch with a Chinese query", func(t *testing.T) {
		login(t, fsTab, "zh", fs.email)
		fsTab.open(t, "/zh/search?q=注塑模具", 200)
		fsTab.inspect(t, "zh-search-journey")
		for _, href := range fsTab.attrs(t, ".results .card h3 a", "href") {
			fsTab.open(t, href, 200)
			if strings.Contains(fsTab.text(t, "main"), title) {
				listingPath = href
				break
			}
		}
		if listingPath == "" {
			t.Fatalf("the search for 注塑模具 does not find %q", title)
		}
		fsTab.inspect(t, "zh-listing-journey")
	})
	t.Run("Foshan sends a first contact", func(t *testing.T) {
		if listingPath == "" {
			t.Fatal("no listing found in the step before")
		}
		fsTab.open(t, listingPath+"/contact", 200)
		fsTab.inspect(t, "zh-contact-form")
		fsTab.fill(t, [][2]string{{`textarea[name=message]`, "您好！我们是佛山的注塑模具制造商，有二十年经验，可以按HASCO标准制造模具。希望与贵公司合作。"}})
		if st := fsTab.submit(t, `main form button[type=submit]`); st >= 400 {
			t.Fatalf("first contact answered %d:\n%s", st, fsTab.text(t, "main"))
		}
	})
	var threadPath string
	t.Run("Bad Homburg receives the mail and sees no contact persons yet", func(t *testing.T) {
		srv.mail.waitFor(t, bh.email, func(m message) bool { return strings.Contains(m.Text, "/inbox") })
		bhTab.open(t, "/de/inbox", 200)
		bhTab.inspect(t, "de-inbox")
		links := bhTab.attrs(t, `main a[href*="/inbox/"]`, "href")
		if len(links) == 0 {
			t.Fatalf("the inbox lists no thread:\n%s", bhTab.text(t, "main"))
		}
		threadPath = links[0]
		bhTab.open(t, threadPath, 200)
		if txt := bhTab.text(t, "main"); strings.Contains(txt, fs.email) || strings.Contains(txt, fs.name) {
			t.Errorf("before acceptance the thread shows Foshan's contact person:\n%s", txt)
		}
		if n := len(bhTab.attrs(t, "section.contacts", "class")); n != 0 {
			t.Errorf("before acceptance the thread has a contacts section")
		}
		bhTab.inspect(t, "de-thread-before")
	})
	t.Run("Bad Homburg accepts and both see each other's contact persons", func(t *testing.T) {
		if threadPath == "" {
			t.Fatal("no thread from the step before")
		}
		bhTab.submit(t, `form[action$="/accept"] button[type=submit]`)
		bhTab.open(t, threadPath, 200)
		seesContact(t, bhTab, fs)
		bhTab.inspect(t, "de-thread-accepted")
		fsTab.open(t, "/zh/inbox", 200)
		links := fsTab.attrs(t, `main a[href*="/inbox/"]`, "href")
		if len(links) == 0 {
			t.Fatalf("Foshan's inbox lists no thread")
		}
		fsTab.open(t, links[0], 200)
		seesContact(t, fsTab, bh)
		fsTab.inspect(t, "zh-thread-accepted")
	})
	if o.databaseURL != "" {
		// The signed-in pages look the same on either database; once is
		// enough for the screenshots and axe-core.
		return
	}
	t.Run("signed-in pages in every language", func(t *testing.T) {
		if threadPath == "" {
			t.Fatal("no thread from the steps before")
		}
		for _, lang := range []string{"de", "zh", "en"} {
			for _, p := range []struct{ name, path string }{
				{"posting-form", "/listings/new"},
				{"my-listings", "/listings/mine"},
				{"account", "/account"},
				{"inbox", "/inbox"},
				{"thread", "/inbox/" + threadPath[strings.LastIndex(threadPath, "/")+1:]},
			} {
				bhTab.open(t, "/"+lang+p.path, 200)
				if got := bhTab.lang(t); got != htmlLangs[lang] {
					t.Errorf("%s is served with lang=%q", p.path, got)
				}
				bhTab.inspect(t, "signed-in-"+lang+"-"+p.name)
			}
		}
		officer.open(t, "/de/review", 200)
		officer.inspect(t, "signed-in-de-review")
	})
}

// register fills the registration form in c's language and opens the
// confirmation link of the mail that follows.
func register(t *testing.T, srv *server, tb *tab, c company) {
	t.Helper()
	tb.open(t, "/"+c.lang+"/register", 200)
	tb.fill(t, [][2]string{
		{"#name", c.name}, {"#email", c.email}, {"#password", password},
		{"#org_name", c.org}, {"#kind", "company"}, {"#city", c.city}, {"#about", c.about},
	})
	if st := tb.submit(t, `main form button[type=submit]`); st >= 400 {
		t.Fatalf("registration answered %d:\n%s", st, tb.text(t, "main"))
	}
	m := srv.mail.waitFor(t, c.email, func(m message) bool { return strings.Contains(m.Text, "/confirm") })
	tb.open(t, strings.TrimPrefix(srv.link(t, m.Text, "/confirm"), srv.base), 200)
}

// login signs in on the language's login page.
func login(t *testing.T, tb *tab, lang, email string) {
	t.Helper()
	tb.open(t, "/"+lang+"/login", 200)
	tb.fill(t, [][2]string{{"#email", email}, {"#password", password}})
	if st := tb.submit(t, `main form button[type=submit]`); st >= 400 {
		t.Fatalf("sign-in of %s answered %d:\n%s", email, st, tb.text(t, "main"))
	}
}

// seesContact checks that the thread on tb shows c's contact person with
// name and e-mail address. The phone number is not checked: registration
// does not ask for one.
func seesContact(t *testing.T, tb *tab, c company) {
	t.Helper()
	txt := tb.text(t, "section.contacts")
	for _, want := range []string{c.name, c.email} {
		if !strings.Contains(txt, want) {
			t.Errorf("%s: after acceptance the contacts do not show %q of %s:\n%s", tb.name, want, c.org, txt)
		}
	}
	if hrefs := tb.attrs(t, `section.contacts a[href^="mailto:"]`, "href"); len(hrefs) == 0 {
		t.Errorf("%s: the contact e-mail is not a mailto link", tb.name)
	}
}
