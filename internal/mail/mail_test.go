package mail_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"mime"
	"net"
	"net/mail"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	smtpd "github.com/emersion/go-smtp"

	"github.com/isa-alliance/isa"
	ismail "github.com/isa-alliance/isa/internal/mail"
	"github.com/isa-alliance/isa/internal/storage"
	"github.com/isa-alliance/isa/internal/storage/storagetest"
)

// testServer is a real SMTP server inside the test: it keeps every
// message it accepted and can refuse the first few.
type testServer struct {
	addr       string
	mu         sync.Mutex
	received   [][]byte
	failNext   atomic.Int32 // refuse this many DATA commands with 451
	noSuchUser string       // refuse this recipient with 550
	// user and pass, when set, are required by AUTH PLAIN before MAIL.
	user, pass string
}

func startServer(t *testing.T) *testServer { return startServerTB(t) }

func startServerTB(t testing.TB) *testServer {
	t.Helper()
	ts := &testServer{}
	s := smtpd.NewServer(smtpd.BackendFunc(func(*smtpd.Conn) (smtpd.Session, error) {
		return &session{ts: ts}, nil
	}))
	s.Domain = "localhost"
	s.AllowInsecureAuth = true // the test talks to 127.0.0.1 without TLS
	s.ReadTimeout = 10 * time.Second
	s.WriteTimeout = 10 * time.Second
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ts.addr = l.Addr().String()
	go s.Serve(l)
	t.Cleanup(func() { s.Close() })
	return ts
}

func (ts *testServer) messages() [][]byte {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return append([][]byte(nil), ts.received...)
}

type session struct {
	ts     *testServer
	authed bool
}

func (s *session) AuthMechanisms() []string { return []string{sasl.Plain} }

func (s *session) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if s.ts.user == "" || user != s.ts.user || pass != s.ts.pass {
			return errors.New("bad credentials")
		}
		s.authed = true
		return nil
	}), nil
}

func (s *session) Reset()        {}
func (s *session) Logout() error { return nil }
func (s *session) Mail(string, *smtpd.MailOptions) error {
	if s.ts.user != "" && !s.authed {
		return &smtpd.SMTPError{Code: 530, EnhancedCode: smtpd.EnhancedCode{5, 7, 0}, Message: "authentication required"}
	}
	return nil
}
func (s *session) Rcpt(to string, _ *smtpd.RcptOptions) error {
	if to == s.ts.noSuchUser {
		return &smtpd.SMTPError{Code: 550, EnhancedCode: smtpd.EnhancedCode{5, 1, 1}, Message: "no such mailbox"}
	}
	return nil
}
func (s *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	if s.ts.failNext.Add(-1) >= 0 {
		return &smtpd.SMTPError{Code: 451, EnhancedCode: smtpd.EnhancedCode{4, 3, 0}, Message: "try again later"}
	}
	s.ts.mu.Lock()
	s.ts.received = append(s.ts.received, b)
	s.ts.mu.Unlock()
	return nil
}

type backend struct {
	name string
	open func(testing.TB) *storage.DB
}

var backends = []backend{
	{"sqlite", func(t testing.TB) *storage.DB { return storagetest.OpenSQLite(t) }},
	{"postgres", func(t testing.TB) *storage.DB { return storagetest.OpenPostgres(t) }},
}

// clock is a settable time for the worker and the tests.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func newMail(i int, lang isa.Lang) ismail.Mail {
	subj := map[isa.Lang]string{isa.DE: "Neue Kontaktanfrage für Ihr Gesuch", isa.ZH: "您的需求收到新的联系请求", isa.EN: "A new contact request"}[lang]
	return ismail.Mail{
		To:        "member" + string(rune('a'+i)) + "@example.org",
		Subject:   subj,
		Text:      "Hallo,\nÜbergrößenträger – 你好\n",
		Lang:      lang,
		DedupeKey: "test:" + string(rune('a'+i)),
	}
}

func outboxState(t *testing.T, db *storage.DB, key string) (state string, attempts int) {
	t.Helper()
	err := db.SQL().QueryRowContext(context.Background(), db.Rebind(`SELECT state, attempts FROM mail_outbox WHERE dedupe_key = ?`), key).Scan(&state, &attempts)
	if err != nil {
		t.Fatalf("read outbox row %s: %v", key, err)
	}
	return state, attempts
}

func newWorker(db *storage.DB, sender ismail.Sender, c *clock) *ismail.Worker {
	w := ismail.NewWorker(db, sender, nil)
	w.Now = c.Now
	w.Batch = 2 // small batches so that concurrent workers interleave
	return w
}

func smtpSender(t *testing.T, addr string) *ismail.SMTPSender {
	t.Helper()
	s, err := ismail.NewSMTPSender("smtp://"+addr, "ISA Partnerdatenbank <noreply@isa.example>")
	if err != nil {
		t.Fatal(err)
	}
	s.Timeout = 5 * time.Second
	return s
}

func TestWorkersDeliverEveryMailExactlyOnce(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			ctx := context.Background()
			db := b.open(t)
			srv := startServer(t)
			c := &clock{t: time.Now().Add(time.Second)} // after the enqueues below
			const n = 7
			for i := range n {
				m := newMail(i, isa.Langs[i%3])
				if err := ismail.Enqueue(ctx, db, m); err != nil {
					t.Fatal(err)
				}
				// The same event enqueued again adds nothing.
				if err := ismail.Enqueue(ctx, db, m); err != nil {
					t.Fatal(err)
				}
			}
			// Three workers race for the same outbox.
			var wg sync.WaitGroup
			for range 3 {
				w := newWorker(db, smtpSender(t, srv.addr), c)
				wg.Go(func() {
					for range 10 {
						if _, err := w.RunOnce(ctx); err != nil {
							t.Error(err)
						}
					}
				})
			}
			wg.Wait()
			got := srv.messages()
			if len(got) != n {
				t.Fatalf("server received %d messages, want %d", len(got), n)
			}
			ids := map[string]bool{}
			for _, raw := range got {
				msg, err := mail.ReadMessage(bytes.NewReader(raw))
				if err != nil {
					t.Fatalf("received message does not parse: %v", err)
				}
				id := msg.Header.Get("Message-ID")
				if ids[id] {
					t.Errorf("message %s delivered twice", id)
				}
				ids[id] = true
				subj, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
				if err != nil || subj == "" {
					t.Errorf("subject %q does not decode: %v", msg.Header.Get("Subject"), err)
				}
			}
			for i := range n {
				if st, _ := outboxState(t, db, newMail(i, isa.DE).DedupeKey); st != "sent" {
					t.Errorf("mail %d is %s, want sent", i, st)
				}
			}
		})
	}
}

func TestServerThatFailsFirstGetsTheMailAfterBackoff(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			ctx := context.Background()
			db := b.open(t)
			srv := startServer(t)
			srv.failNext.Store(2)
			c := &clock{t: time.Now().Add(time.Second)} // after the enqueues below
			w := newWorker(db, smtpSender(t, srv.addr), c)
			m := newMail(0, isa.ZH)
			if err := ismail.Enqueue(ctx, db, m); err != nil {
				t.Fatal(err)
			}
			steps := []struct {
				advance      time.Duration
				wantState    string
				wantAttempts int
				wantReceived int
			}{
				{0, "pending", 1, 0},                               // refused
				{time.Second, "pending", 1, 0},                     // not due yet: nothing tried
				{ismail.Backoff(1) + time.Second, "pending", 2, 0}, // refused again
				{ismail.Backoff(2) + time.Second, "sent", 2, 1},    // recovered
				{24 * time.Hour, "sent", 2, 1},                     // never again
			}
			for i, s := range steps {
				c.Add(s.advance)
				if _, err := w.RunOnce(ctx); err != nil {
					t.Fatal(err)
				}
				st, att := outboxState(t, db, m.DedupeKey)
				if st != s.wantState || att != s.wantAttempts || len(srv.messages()) != s.wantReceived {
					t.Errorf("step %d: state %s, attempts %d, received %d; want %s, %d, %d",
						i, st, att, len(srv.messages()), s.wantState, s.wantAttempts, s.wantReceived)
				}
			}
		})
	}
}

func TestCrashBetweenClaimAndSendDeliversAfterLease(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			ctx := context.Background()
			db := b.open(t)
			srv := startServer(t)
			c := &clock{t: time.Now().Add(time.Second)} // after the enqueues below
			m := newMail(1, isa.DE)
			if err := ismail.Enqueue(ctx, db, m); err != nil {
				t.Fatal(err)
			}
			// A worker claims the mail and dies before sending.
			w := newWorker(db, smtpSender(t, srv.addr), c)
			dead, err := db.ClaimMails(ctx, "dead-worker", c.Now(), w.Lease, 10)
			if err != nil || len(dead) != 1 {
				t.Fatalf("claim: %v, %d mails", err, len(dead))
			}
			// While its lease runs, nobody else takes the mail.
			if n, err := w.RunOnce(ctx); err != nil || n != 0 {
				t.Fatalf("during the lease another worker claimed %d mails (%v)", n, err)
			}
			c.Add(w.Lease + time.Second)
			if n, err := w.RunOnce(ctx); err != nil || n != 1 {
				t.Fatalf("after the lease: claimed %d mails (%v), want 1", n, err)
			}
			if got := len(srv.messages()); got != 1 {
				t.Fatalf("received %d, want 1", got)
			}
			// The dead worker's late mark does not count.
			if ok, err := db.MarkMailSent(ctx, dead[0].ID, "dead-worker", c.Now()); err != nil || ok {
				t.Errorf("stale claim marked the mail: ok=%v err=%v", ok, err)
			}
			if st, _ := outboxState(t, db, m.DedupeKey); st != "sent" {
				t.Errorf("state %s, want sent", st)
			}
		})
	}
}

func TestDeadMailServerLosesNothingAndGivesUpLate(t *testing.T) {
	ctx := context.Background()
	db := storagetest.OpenSQLite(t)
	// A port nobody listens on.
	l, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := l.Addr().String()
	l.Close()
	c := &clock{t: time.Now().Add(time.Second)} // after the enqueues below
	w := newWorker(db, smtpSender(t, addr), c)
	w.MaxAttempts = 3
	m := newMail(2, isa.EN)
	if err := ismail.Enqueue(ctx, db, m); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 3; i++ {
		if _, err := w.RunOnce(ctx); err != nil {
			t.Fatal(err)
		}
		st, att := outboxState(t, db, m.DedupeKey)
		want := "pending"
		if i == 3 {
			want = "failed"
		}
		if st != want || att != i {
			t.Fatalf("after attempt %d: %s/%d, want %s/%d", i, st, att, want, i)
		}
		c.Add(ismail.Backoff(i) + time.Second)
	}
}

func TestEnqueueCommitsWithTheEventOnly(t *testing.T) {
	ctx := context.Background()
	db := storagetest.OpenSQLite(t)
	boom := errors.New("event failed")
	err := db.InTx(ctx, func(tx isa.Store) error {
		if err := ismail.Enqueue(ctx, tx.(ismail.Outbox), newMail(3, isa.DE)); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatal(err)
	}
	n, err := db.ClaimMails(ctx, "x", time.Now().Add(time.Hour), time.Minute, 10)
	if err != nil || len(n) != 0 {
		t.Fatalf("rolled-back event left %d mails (%v)", len(n), err)
	}
	if err := db.InTx(ctx, func(tx isa.Store) error {
		return ismail.Enqueue(ctx, tx.(ismail.Outbox), newMail(3, isa.DE))
	}); err != nil {
		t.Fatal(err)
	}
	if n, err = db.ClaimMails(ctx, "x", time.Now().Add(time.Hour), time.Minute, 10); err != nil || len(n) != 1 {
		t.Fatalf("committed event left %d mails (%v), want 1", len(n), err)
	}
}

func TestFolderFallbackWritesOneFilePerMail(t *testing.T) {
	ctx := context.Background()
	db := storagetest.OpenSQLite(t)
	dir := t.TempDir()
	sender, err := ismail.NewSender(ismail.Config{DataDir: dir}, nil)
	if err != nil {
		t.Fatal(err)
	}
	c := &clock{t: time.Now().Add(time.Second)} // after the enqueues below
	w := newWorker(db, sender, c)
	m := newMail(4, isa.ZH)
	m.HTML = "<p>你好</p>"
	if err := ismail.Enqueue(ctx, db, m); err != nil {
		t.Fatal(err)
	}
	if _, err := w.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "mail", "*.eml"))
	if len(files) != 1 {
		t.Fatalf("%d files in the mail folder, want 1", len(files))
	}
	raw, _ := os.ReadFile(files[0])
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(msg.Header.Get("Content-Type"), "multipart/alternative") || msg.Header.Get("Content-Language") != "zh" {
		t.Errorf("headers %v", msg.Header)
	}
	// A second send of the same message (after a crash) overwrites.
	if err := sender.Send(ctx, ismail.Message{ID: ismail.MessageID(1, m.DedupeKey), Mail: m}); err != nil {
		t.Fatal(err)
	}
	if files, _ = filepath.Glob(filepath.Join(dir, "mail", "*.eml")); len(files) != 1 {
		t.Errorf("a resend added a file: %d files", len(files))
	}
}

func TestValidateRefusesBadMails(t *testing.T) {
	good := newMail(0, isa.DE)
	tests := []struct {
		name  string
		edit  func(*ismail.Mail)
		field string
	}{
		{"no recipient", func(m *ismail.Mail) { m.To = "" }, "to"},
		{"recipient with a name smuggles headers", func(m *ismail.Mail) { m.To = "A <a@b.c>" }, "to"},
		{"two-line subject", func(m *ismail.Mail) { m.Subject = "a\r\nBcc: x@y.z" }, "subject"},
		{"no body", func(m *ismail.Mail) { m.Text = "" }, "text"},
		{"no dedupe key", func(m *ismail.Mail) { m.DedupeKey = "" }, "dedupe_key"},
		{"unknown language", func(m *ismail.Mail) { m.Lang = "fr" }, "lang"},
		{"good", func(*ismail.Mail) {}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := good
			tt.edit(&m)
			err := m.Validate()
			var e *isa.Error
			switch {
			case tt.field == "" && err != nil:
				t.Errorf("refused a good mail: %v", err)
			case tt.field != "" && (!errors.As(err, &e) || e.Field != tt.field):
				t.Errorf("got %v, want an invalid %s", err, tt.field)
			}
		})
	}
}

func TestPermanentRefusalIsGivenUpAtOnce(t *testing.T) {
	ctx := context.Background()
	db := storagetest.OpenSQLite(t)
	srv := startServer(t)
	m := newMail(5, isa.DE)
	srv.noSuchUser = m.To
	if err := ismail.Enqueue(ctx, db, m); err != nil {
		t.Fatal(err)
	}
	other := newMail(6, isa.EN)
	if err := ismail.Enqueue(ctx, db, other); err != nil {
		t.Fatal(err)
	}
	w := newWorker(db, smtpSender(t, srv.addr), &clock{t: time.Now().Add(time.Second)})
	if _, err := w.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	if st, att := outboxState(t, db, m.DedupeKey); st != "failed" || att != 1 {
		t.Errorf("refused mailbox: %s after %d attempts, want failed after 1", st, att)
	}
	if st, _ := outboxState(t, db, other.DedupeKey); st != "sent" {
		t.Errorf("the other mail is %s, want sent", st)
	}
}

func TestPurgeDeletesOldDeliveredMailsOnly(t *testing.T) {
	ctx := context.Background()
	db := storagetest.OpenSQLite(t)
	srv := startServer(t)
	sent, pending := newMail(7, isa.DE), newMail(8, isa.DE)
	// The pending one first: the claim below takes the oldest.
	for _, m := range []ismail.Mail{pending, sent} {
		if err := ismail.Enqueue(ctx, db, m); err != nil {
			t.Fatal(err)
		}
	}
	// Another worker holds the pending one, so that only the other is sent.
	if _, err := db.ClaimMails(ctx, "elsewhere", time.Now().Add(time.Second), time.Hour, 1); err != nil {
		t.Fatal(err)
	}
	w := newWorker(db, smtpSender(t, srv.addr), &clock{t: time.Now().Add(time.Second)})
	if _, err := w.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	if n, err := db.PurgeMails(ctx, time.Now().Add(-time.Hour)); err != nil || n != 0 {
		t.Fatalf("purge of mails older than an hour: %d, %v", n, err)
	}
	if n, err := db.PurgeMails(ctx, time.Now().Add(time.Hour)); err != nil || n != 1 {
		t.Fatalf("purge: deleted %d (%v), want the one sent mail", n, err)
	}
	if st, _ := outboxState(t, db, pending.DedupeKey); st != "pending" {
		t.Errorf("pending mail is %s after the purge", st)
	}
}

func TestSMTPCredentialsComeFromTheURL(t *testing.T) {
	srv := startServer(t)
	srv.user, srv.pass = "isa", "s3cret:/@x"
	m := ismail.Message{ID: ismail.MessageID(1, "k"), Mail: newMail(9, isa.DE)}
	tests := []struct {
		name string
		url  string
		ok   bool
	}{
		{"right credentials", "smtp://isa:" + url.QueryEscape(srv.pass) + "@" + srv.addr, true},
		{"wrong password", "smtp://isa:nope@" + srv.addr, false},
		{"no credentials", "smtp://" + srv.addr, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := ismail.NewSMTPSender(tt.url, "noreply@isa.example")
			if err != nil {
				t.Fatal(err)
			}
			if err := s.Send(context.Background(), m); (err == nil) != tt.ok {
				t.Errorf("send: %v, want ok=%v", err, tt.ok)
			}
		})
	}
	if got := len(srv.messages()); got != 1 {
		t.Errorf("%d messages accepted, want 1", got)
	}
}

func TestSenderConfigurationIsChecked(t *testing.T) {
	tests := []struct {
		name string
		cfg  ismail.Config
		ok   bool
	}{
		{"SMTP URL", ismail.Config{SMTPURL: "smtp://u:p@mail.example:587", From: "ISA <noreply@isa.example>"}, true},
		{"implicit TLS", ismail.Config{SMTPURL: "smtps://mail.example", From: "noreply@isa.example"}, true},
		{"folder", ismail.Config{DataDir: t.TempDir()}, true},
		{"neither", ismail.Config{}, false},
		{"other scheme", ismail.Config{SMTPURL: "http://mail.example"}, false},
		{"no host", ismail.Config{SMTPURL: "smtp://"}, false},
		{"bad sender address", ismail.Config{SMTPURL: "smtp://mail.example", From: "not an address"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ismail.NewSender(tt.cfg, nil)
			if (err == nil) != tt.ok {
				t.Errorf("got %v, want ok=%v", err, tt.ok)
			}
			if err != nil && strings.Contains(err.Error(), ":p@") {
				t.Errorf("the error repeats the password: %v", err)
			}
		})
	}
}
