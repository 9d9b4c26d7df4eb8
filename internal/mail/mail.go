// Package mail sends the application's e-mail through an outbox in the
// database: Enqueue stores a mail in the transaction of the event that
// causes it, and a Worker delivers stored mails to a Sender (SMTP, or .eml
// files in the data folder when no mail server is configured), with
// retries, backoff and leases, so that a crash or a dead mail server loses
// no mail and a mail is sent once (at least once, with a stable
// Message-ID, if the process dies between handing it over and recording
// that).
package mail

import (
	"context"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/isa-alliance/isa"
)

// Mail is one e-mail to one recipient. To is personal data: never logged.
type Mail struct {
	To      string
	Subject string
	Text    string // plain-text body, always present
	HTML    string // optional HTML alternative
	Lang    isa.Lang
	// DedupeKey names the event the mail belongs to ("contact:42:user:7"):
	// enqueueing the same key twice stores one mail.
	DedupeKey string
}

// Limits that keep a stored mail sane.
const (
	maxSubject = 300
	maxBody    = 200_000
	maxKey     = 200
)

// Validate checks the mail before it is stored.
func (m *Mail) Validate() error {
	switch {
	case m.To == "":
		return isa.Invalid("to", "a recipient is required")
	case m.Subject == "" || utf8.RuneCountInString(m.Subject) > maxSubject:
		return isa.Invalid("subject", "a subject of at most %d characters is required", maxSubject)
	case strings.ContainsAny(m.Subject, "\r\n"):
		return isa.Invalid("subject", "a subject is one line")
	case m.Text == "":
		return isa.Invalid("text", "a text body is required")
	case len(m.Text) > maxBody || len(m.HTML) > maxBody:
		return isa.Invalid("text", "the body is too long")
	case m.DedupeKey == "" || len(m.DedupeKey) > maxKey:
		return isa.Invalid("dedupe_key", "a dedupe key of at most %d bytes is required", maxKey)
	case !m.Lang.Valid():
		return isa.Invalid("lang", "language must be de, zh or en")
	}
	a, err := mail.ParseAddress(m.To)
	if err != nil || a.Name != "" || a.Address != m.To {
		return isa.Invalid("to", "not a plain e-mail address")
	}
	return nil
}

// Outbox is where Enqueue stores mails: the transaction of the event.
type Outbox interface {
	// EnqueueMail stores m as pending, due at due; a mail with the same
	// dedupe key already stored makes it do nothing.
	EnqueueMail(ctx context.Context, m Mail, due time.Time) error
}

// Enqueue checks m and stores it in tx, due at once. Pass the transaction
// of the event that causes the mail so that both commit or neither does.
func Enqueue(ctx context.Context, tx Outbox, m Mail) error {
	if err := m.Validate(); err != nil {
		return err
	}
	return tx.EnqueueMail(ctx, m, time.Now())
}

// Pending is a stored mail a worker has claimed.
type Pending struct {
	ID       int64
	Mail     Mail
	Attempts int    // failed attempts so far
	Claim    string // the claim token; the marks below must carry it
}

// Store is the outbox as the delivery worker uses it.
type Store interface {
	Outbox
	// ClaimMails claims up to limit pending mails that are due at now and
	// not claimed by anyone whose lease still runs, until now+lease, with
	// the token claim. Two workers never hold a claim on one mail at once.
	ClaimMails(ctx context.Context, claim string, now time.Time, lease time.Duration, limit int) ([]Pending, error)
	// MarkMailSent records the delivery of a claimed mail; false when the
	// claim was lost (the lease ran out and another worker took it).
	MarkMailSent(ctx context.Context, id int64, claim string, at time.Time) (bool, error)
	// RetryMail records a failed attempt of a claimed mail and releases
	// it: due again at next, or failed for good when giveUp is true.
	RetryMail(ctx context.Context, id int64, claim string, next time.Time, lastErr string, giveUp bool) error
	// PurgeMails deletes mails sent or given up before before, so that
	// addresses and texts do not stay in the outbox longer than needed.
	PurgeMails(ctx context.Context, before time.Time) (int, error)
}

// Message is what a Sender delivers: the mail with its envelope.
type Message struct {
	ID   string // Message-ID, stable across retries of one stored mail
	Mail Mail
}
