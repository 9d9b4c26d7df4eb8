package e2e

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	smtpd "github.com/emersion/go-smtp"

	"github.com/isa-alliance/isa/internal/app"
)

// server is one isa serve running in the test process.
type server struct {
	base string            // http://127.0.0.1:PORT
	env  map[string]string // the environment it runs with
	mail *mailbox
	logs *syncBuffer
}

// serverOptions choose the database and the data the server starts with.
type serverOptions struct {
	databaseURL string // empty: SQLite in a temporary ISA_DATA
	demo        bool   // load the demo data
}

// startServer runs `isa serve` in-process on a free port with mail going to
// an SMTP server inside the test, and stops it when the test ends.
func startServer(t *testing.T, o serverOptions) *server {
	t.Helper()
	mb := startMailbox(t)
	s := &server{mail: mb, logs: &syncBuffer{}}
	s.env = map[string]string{
		"ISA_DATA":      t.TempDir(),
		"ISA_ADDR":      "127.0.0.1:0",
		"ISA_SMTP_URL":  "smtp://" + mb.addr,
		"ISA_MAIL_FROM": "ISA Partner Database <noreply@isa.test>",
		"ISA_LOG_LEVEL": "warn",
	}
	if o.databaseURL != "" {
		s.env["ISA_DATABASE_URL"] = o.databaseURL
	}
	args := []string{"serve"}
	if o.demo {
		args = append(args, "--demo")
	}
	ctx, cancel := context.WithCancel(context.Background())
	addrc := make(chan string, 1)
	done := make(chan int, 1)
	go func() {
		done <- app.Run(ctx, args, app.Options{
			Stdin: strings.NewReader(""), Stdout: s.logs, Stderr: s.logs,
			Getenv: s.getenv,
			Ready:  func(a string) { addrc <- a },
		})
	}()
	select {
	case a := <-addrc:
		s.base = "http://" + a
	case code := <-done:
		cancel()
		t.Fatalf("isa serve exited %d before listening:\n%s", code, s.logs.String())
	case <-time.After(90 * time.Second):
		cancel()
		t.Fatalf("isa serve did not listen within 90 s:\n%s", s.logs.String())
	}
	t.Cleanup(func() {
		cancel()
		select {
		case code := <-done:
			if code != 0 {
				t.Errorf("isa serve exited %d after shutdown:\n%s", code, s.logs.String())
			}
		case <-time.After(30 * time.Second):
			t.Errorf("isa serve did not shut down within 30 s")
		}
		if t.Failed() {
			t.Logf("server log:\n%s", s.logs.String())
		}
	})
	return s
}

func (s *server) getenv(k string) string { return s.env[k] }

// isa runs one more isa subcommand against the same database, with stdin.
func (s *server) isa(t *testing.T, stdin string, args ...string) string {
	t.Helper()
	var out, errb bytes.Buffer
	code := app.Run(context.Background(), args, app.Options{
		Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb, Getenv: s.getenv,
	})
	if code != 0 {
		t.Fatalf("isa %s exited %d: %s %s", strings.Join(args, " "), code, out.String(), errb.String())
	}
	return out.String()
}

// syncBuffer collects the server's log lines from several goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// message is one captured e-mail, decoded.
type message struct {
	To      string
	Subject string
	Text    string // the text/plain part, quoted-printable undone
}

// mailbox is a real SMTP server inside the test that keeps every message.
type mailbox struct {
	addr string
	mu   sync.Mutex
	msgs []message
	errs []error
	note chan struct{}
}

func startMailbox(t *testing.T) *mailbox {
	t.Helper()
	mb := &mailbox{note: make(chan struct{}, 1)}
	srv := smtpd.NewServer(smtpd.BackendFunc(func(*smtpd.Conn) (smtpd.Session, error) {
		return &smtpSession{mb: mb}, nil
	}))
	srv.Domain = "localhost"
	srv.ReadTimeout = 10 * time.Second
	srv.WriteTimeout = 10 * time.Second
	srv.AllowInsecureAuth = true
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen for SMTP: %v", err)
	}
	mb.addr = ln.Addr().String()
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return mb
}

type smtpSession struct {
	mb *mailbox
	to []string
}

func (s *smtpSession) Reset()                                { s.to = nil }
func (s *smtpSession) Logout() error                         { return nil }
func (s *smtpSession) Mail(string, *smtpd.MailOptions) error { return nil }
func (s *smtpSession) Rcpt(to string, _ *smtpd.RcptOptions) error {
	s.to = append(s.to, to)
	return nil
}

func (s *smtpSession) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	m, perr := decodeMail(raw)
	s.mb.mu.Lock()
	if perr != nil {
		s.mb.errs = append(s.mb.errs, perr)
	} else {
		if len(s.to) > 0 && m.To == "" {
			m.To = s.to[0]
		}
		s.mb.msgs = append(s.mb.msgs, m)
	}
	s.mb.mu.Unlock()
	select {
	case s.mb.note <- struct{}{}:
	default:
	}
	return nil
}

// decodeMail reads the headers and the plain-text part of a message.
func decodeMail(raw []byte) (message, error) {
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return message{}, fmt.Errorf("parse mail: %w", err)
	}
	var dec mime.WordDecoder
	subject, err := dec.DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		return message{}, fmt.Errorf("decode subject: %w", err)
	}
	m := message{To: msg.Header.Get("To"), Subject: subject}
	text, err := plainText(msg.Header.Get("Content-Type"), msg.Header.Get("Content-Transfer-Encoding"), msg.Body)
	if err != nil {
		return message{}, err
	}
	m.Text = text
	return m, nil
}

func plainText(ctype, cte string, body io.Reader) (string, error) {
	mt, params, err := mime.ParseMediaType(ctype)
	if err != nil {
		return "", fmt.Errorf("content type %q: %w", ctype, err)
	}
	if strings.HasPrefix(mt, "multipart/") {
		mr := multipart.NewReader(body, params["boundary"])
		for {
			p, err := mr.NextPart()
			if err != nil {
				return "", fmt.Errorf("no text/plain part: %w", err)
			}
			// multipart.Reader undoes quoted-printable itself and drops
			// the header.
			if strings.HasPrefix(p.Header.Get("Content-Type"), "text/plain") {
				b, err := io.ReadAll(p)
				return string(b), err
			}
		}
	}
	if strings.EqualFold(cte, "quoted-printable") {
		body = quotedprintable.NewReader(body)
	}
	b, err := io.ReadAll(body)
	return string(b), err
}

// waitFor returns the first message to `to` whose subject or text matches
// match, waiting for the outbox worker to deliver it.
func (mb *mailbox) waitFor(t *testing.T, to string, match func(message) bool) message {
	t.Helper()
	deadline := time.After(45 * time.Second)
	for {
		mb.mu.Lock()
		for _, m := range mb.msgs {
			if strings.EqualFold(m.To, to) && match(m) {
				mb.mu.Unlock()
				return m
			}
		}
		errs := mb.errs
		n := len(mb.msgs)
		mb.mu.Unlock()
		if len(errs) > 0 {
			t.Fatalf("a captured mail could not be read: %v", errs[0])
		}
		select {
		case <-mb.note:
		case <-time.After(200 * time.Millisecond):
		case <-deadline:
			t.Fatalf("no mail to %s arrived within 45 s (%d other mails captured)", to, n)
		}
	}
}

// count is how many messages went to `to`.
func (mb *mailbox) count(to string) int {
	mb.mu.Lock()
	defer mb.mu.Unlock()
	n := 0
	for _, m := range mb.msgs {
		if strings.EqualFold(m.To, to) {
			n++
		}
	}
	return n
}

var linkPattern = regexp.MustCompile(`https?://[^\s<>"]+`)

// link returns the first link in text whose path contains part, moved onto
// the server's own address: the mail may name the public base URL.
func (s *server) link(t *testing.T, text, part string) string {
	t.Helper()
	for _, l := range linkPattern.FindAllString(text, -1) {
		if !strings.Contains(l, part) {
			continue
		}
		rest := l[strings.Index(l, "://")+3:]
		if i := strings.Index(rest, "/"); i >= 0 {
			return s.base + rest[i:]
		}
	}
	t.Fatalf("the mail has no link containing %q:\n%s", part, text)
	return ""
}
