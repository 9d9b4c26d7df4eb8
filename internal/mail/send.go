package mail

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"fmt"
	"log/slog"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/smtp"
	"net/textproto"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Config says how mail leaves the application: the app passes
// ISA_SMTP_URL and ISA_MAIL_FROM, and the data folder for the fallback.
type Config struct {
	// SMTPURL is smtp://user:pass@host:port (STARTTLS when the server
	// offers it) or smtps://… (TLS from the start); empty writes files.
	SMTPURL string
	// From is the sender address, e.g. "ISA Partner Database <noreply@…>".
	From string
	// DataDir is the data folder; without SMTP, mails go to DataDir/mail.
	DataDir string
}

// NewSender returns the sender cfg describes: SMTP when a URL is given,
// otherwise files in the data folder.
func NewSender(cfg Config, logger *slog.Logger) (Sender, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	from := cfg.From
	if from == "" {
		from = "ISA Partner Database <noreply@localhost>"
	}
	if _, err := mail.ParseAddress(from); err != nil {
		return nil, fmt.Errorf("mail: ISA_MAIL_FROM is not an address: %w", err)
	}
	if cfg.SMTPURL == "" {
		if cfg.DataDir == "" {
			return nil, fmt.Errorf("mail: neither an SMTP URL nor a data folder is configured")
		}
		return &FolderSender{Dir: filepath.Join(cfg.DataDir, "mail"), From: from, Log: logger}, nil
	}
	return NewSMTPSender(cfg.SMTPURL, from)
}

// SMTPSender delivers through one SMTP server, a connection per message:
// the outbox sends a few mails a minute, not thousands.
type SMTPSender struct {
	host, port string
	implicit   bool // smtps: TLS from the first byte
	user, pass string
	from       string
	// Timeout bounds one delivery; a hanging server must not hold a
	// worker's claim forever.
	Timeout time.Duration
	// TLS overrides the TLS configuration (tests, private CAs).
	TLS *tls.Config
}

// NewSMTPSender parses an smtp:// or smtps:// URL.
func NewSMTPSender(rawURL, from string) (*SMTPSender, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		// The URL carries a password: never repeat it.
		return nil, fmt.Errorf("mail: ISA_SMTP_URL is not a URL")
	}
	if _, err := mail.ParseAddress(from); err != nil {
		return nil, fmt.Errorf("mail: ISA_MAIL_FROM is not an address: %w", err)
	}
	s := &SMTPSender{host: u.Hostname(), port: u.Port(), from: from, Timeout: time.Minute}
	switch u.Scheme {
	case "smtp":
		if s.port == "" {
			s.port = "587"
		}
	case "smtps":
		s.implicit = true
		if s.port == "" {
			s.port = "465"
		}
	default:
		return nil, fmt.Errorf("mail: ISA_SMTP_URL must start with smtp:// or smtps://")
	}
	if s.host == "" {
		return nil, fmt.Errorf("mail: ISA_SMTP_URL names no host")
	}
	if u.User != nil {
		s.user = u.User.Username()
		s.pass, _ = u.User.Password()
	}
	return s, nil
}

// Send delivers m or returns why not.
func (s *SMTPSender) Send(ctx context.Context, m Message) error {
	data, err := Compose(s.from, m)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, s.Timeout)
	defer cancel()
	addr := net.JoinHostPort(s.host, s.port)
	tlsConf := s.TLS
	if tlsConf == nil {
		tlsConf = &tls.Config{ServerName: s.host, MinVersion: tls.VersionTLS12}
	}
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return fmt.Errorf("mail: connect to %s: %w", addr, err)
	}
	defer conn.Close()
	if dl, ok := ctx.Deadline(); ok {
		conn.SetDeadline(dl)
	}
	if s.implicit {
		conn = tls.Client(conn, tlsConf)
	}
	c, err := smtp.NewClient(conn, s.host)
	if err != nil {
		return fmt.Errorf("mail: greeting of %s: %w", addr, err)
	}
	defer c.Close()
	if !s.implicit {
		if ok, _ := c.Extension("STARTTLS"); ok {
			if err := c.StartTLS(tlsConf); err != nil {
				return fmt.Errorf("mail: STARTTLS with %s: %w", addr, err)
			}
		}
	}
	if s.user != "" {
		// PlainAuth refuses to send the password over a connection that is
		// neither TLS nor to localhost.
		if err := c.Auth(smtp.PlainAuth("", s.user, s.pass, s.host)); err != nil {
			return fmt.Errorf("mail: authenticate with %s: %w", addr, err)
		}
	}
	from, _ := mail.ParseAddress(s.from)
	if err := c.Mail(from.Address); err != nil {
		return fmt.Errorf("mail: MAIL FROM: %w", err)
	}
	if err := c.Rcpt(m.Mail.To); err != nil {
		return fmt.Errorf("mail: RCPT TO: %w", err)
	}
	w, err := c.Data()
	if err != nil {
		return fmt.Errorf("mail: DATA: %w", err)
	}
	if _, err := w.Write(data); err != nil {
		return fmt.Errorf("mail: write message: %w", err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("mail: end of message: %w", err)
	}
	// The server has accepted the message; a failed QUIT changes nothing.
	_ = c.Quit()
	return nil
}

// FolderSender writes each message as an .eml file, for installations
// without a mail server (and for looking at mails in development). The file
// name follows the Message-ID, so a retry overwrites rather than adds.
type FolderSender struct {
	Dir  string
	From string
	Log  *slog.Logger
}

// Send writes m to Dir/<message id>.eml.
func (f *FolderSender) Send(_ context.Context, m Message) error {
	data, err := Compose(f.From, m)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(f.Dir, 0o750); err != nil {
		return fmt.Errorf("mail: create mail folder: %w", err)
	}
	name := FileName(m.ID)
	tmp, err := os.CreateTemp(f.Dir, ".tmp-*")
	if err != nil {
		return fmt.Errorf("mail: create file: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("mail: write file: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("mail: write file: %w", err)
	}
	// Rename is atomic: a reader never sees half a mail.
	if err := os.Rename(tmp.Name(), filepath.Join(f.Dir, name)); err != nil {
		return fmt.Errorf("mail: store file: %w", err)
	}
	if f.Log != nil {
		f.Log.Info("mail: written to folder (no SMTP configured)", "file", name, "lang", string(m.Mail.Lang))
	}
	return nil
}

// FileName is the .eml file name of a Message-ID.
func FileName(messageID string) string {
	id := strings.Trim(messageID, "<>")
	id, _, _ = strings.Cut(id, "@")
	return id + ".eml"
}

// Compose renders m as an RFC 5322 message in UTF-8: quoted-printable text,
// and multipart/alternative when there is an HTML body.
func Compose(from string, m Message) ([]byte, error) {
	var b bytes.Buffer
	h := func(k, v string) { fmt.Fprintf(&b, "%s: %s\r\n", k, v) }
	h("From", encodeAddress(from))
	h("To", m.Mail.To)
	h("Subject", mime.QEncoding.Encode("utf-8", m.Mail.Subject))
	h("Date", time.Now().UTC().Format(time.RFC1123Z))
	h("Message-ID", m.ID)
	h("Content-Language", string(m.Mail.Lang))
	h("MIME-Version", "1.0")
	h("Auto-Submitted", "auto-generated")
	if m.Mail.HTML == "" {
		h("Content-Type", `text/plain; charset="utf-8"`)
		h("Content-Transfer-Encoding", "quoted-printable")
		b.WriteString("\r\n")
		if err := writeQP(&b, m.Mail.Text); err != nil {
			return nil, err
		}
		return b.Bytes(), nil
	}
	mw := multipart.NewWriter(&b)
	h("Content-Type", `multipart/alternative; boundary="`+mw.Boundary()+`"`)
	b.WriteString("\r\n")
	for _, part := range []struct{ typ, body string }{{"text/plain", m.Mail.Text}, {"text/html", m.Mail.HTML}} {
		pw, err := mw.CreatePart(textproto.MIMEHeader{
			"Content-Type":              {part.typ + `; charset="utf-8"`},
			"Content-Transfer-Encoding": {"quoted-printable"},
		})
		if err != nil {
			return nil, fmt.Errorf("mail: compose: %w", err)
		}
		if err := writeQP(pw, part.body); err != nil {
			return nil, err
		}
	}
	if err := mw.Close(); err != nil {
		return nil, fmt.Errorf("mail: compose: %w", err)
	}
	return b.Bytes(), nil
}

func writeQP(w interface{ Write([]byte) (int, error) }, s string) error {
	qp := quotedprintable.NewWriter(w)
	s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\n", "\r\n")
	if _, err := qp.Write([]byte(s)); err != nil {
		return fmt.Errorf("mail: compose: %w", err)
	}
	if err := qp.Close(); err != nil {
		return fmt.Errorf("mail: compose: %w", err)
	}
	return nil
}

// encodeAddress writes a display name in UTF-8 safely ("ISA 合作" <…>).
func encodeAddress(s string) string {
	a, err := mail.ParseAddress(s)
	if err != nil {
		return s
	}
	return a.String()
}

func shortHash(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:6])
}
