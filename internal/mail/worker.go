package mail

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/textproto"
	"time"
)

// Sender hands one message to the mail system. An error means "not
// delivered, try again later".
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// Worker delivers the outbox. Create it with NewWorker and run it with
// Run; several workers (in one process or several) may run at once.
type Worker struct {
	store  Store
	sender Sender
	log    *slog.Logger

	// Poll is how often the worker looks for due mails when idle.
	Poll time.Duration
	// Lease is how long a claim holds: longer than one send can take, so
	// that a slow send is not taken over while it runs.
	Lease time.Duration
	// Batch is how many mails one claim takes.
	Batch int
	// MaxAttempts is after how many failures a mail is given up.
	MaxAttempts int
	// Backoff returns the wait after the n-th failure (n ≥ 1).
	Backoff func(n int) time.Duration
	// Keep is how long delivered and abandoned mails stay in the outbox
	// (for questions like "did the confirmation go out?") before the
	// worker deletes them with their personal data.
	Keep time.Duration
	// Now is the clock; tests replace it.
	Now func() time.Time

	lastPurge time.Time
}

// NewWorker returns a worker with the default timing: poll every 5 s,
// 2-minute leases, up to 20 attempts over about two days.
func NewWorker(store Store, sender Sender, logger *slog.Logger) *Worker {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Worker{
		store:       store,
		sender:      sender,
		log:         logger,
		Poll:        5 * time.Second,
		Lease:       2 * time.Minute,
		Batch:       20,
		MaxAttempts: 20,
		Backoff:     Backoff,
		Keep:        30 * 24 * time.Hour,
		Now:         time.Now,
	}
}

// Backoff doubles the wait from 30 s up to 6 h, so that a mail server that
// is down for a weekend is retried a few times an hour at first and then
// rarely, without giving up on it.
func Backoff(n int) time.Duration {
	d := 30 * time.Second
	for i := 1; i < n && d < 6*time.Hour; i++ {
		d *= 2
	}
	return min(d, 6*time.Hour)
}

// Run delivers due mails until ctx ends. Failures of the store or the
// mail server are logged and retried; Run returns only ctx's error.
func (w *Worker) Run(ctx context.Context) error {
	t := time.NewTicker(w.Poll)
	defer t.Stop()
	for {
		// Drain what is due before waiting again.
		for {
			n, err := w.RunOnce(ctx)
			if err != nil && ctx.Err() == nil {
				w.log.Warn("mail: delivery round failed", "err", err)
			}
			if err != nil || n < w.Batch {
				break
			}
		}
		if w.Now().Sub(w.lastPurge) > time.Hour {
			w.lastPurge = w.Now()
			if n, err := w.store.PurgeMails(ctx, w.Now().Add(-w.Keep)); err != nil && ctx.Err() == nil {
				w.log.Warn("mail: purging old mails failed", "err", err)
			} else if n > 0 {
				w.log.Info("mail: purged old mails", "count", n)
			}
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
}

// RunOnce claims one batch of due mails and tries each once. It returns
// how many it claimed.
func (w *Worker) RunOnce(ctx context.Context) (int, error) {
	claim, err := newClaim()
	if err != nil {
		return 0, err
	}
	ms, err := w.store.ClaimMails(ctx, claim, w.Now(), w.Lease, w.Batch)
	if err != nil {
		return 0, fmt.Errorf("mail: claim: %w", err)
	}
	var errs []error
	for _, p := range ms {
		if err := w.deliver(ctx, p); err != nil {
			errs = append(errs, err)
		}
	}
	return len(ms), errors.Join(errs...)
}

func (w *Worker) deliver(ctx context.Context, p Pending) error {
	msg := Message{ID: MessageID(p.ID, p.Mail.DedupeKey), Mail: p.Mail}
	sendErr := w.sender.Send(ctx, msg)
	// The marks must be written even when ctx ended during the send: a
	// mail handed over but not marked would go out again.
	mctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if sendErr == nil {
		ok, err := w.store.MarkMailSent(mctx, p.ID, p.Claim, w.Now())
		if err != nil {
			return fmt.Errorf("mail: mark %d sent: %w", p.ID, err)
		}
		if !ok {
			w.log.Warn("mail: claim lost before the send was recorded", "mail", p.ID)
		}
		w.log.Info("mail: sent", "mail", p.ID, "attempt", p.Attempts+1)
		return nil
	}
	n := p.Attempts + 1
	// A permanent refusal (5xx: no such mailbox, message refused) will not
	// change with retries; a temporary one (4xx) or a dead server may.
	var perm *textproto.Error
	giveUp := n >= w.MaxAttempts || (errors.As(sendErr, &perm) && perm.Code >= 500)
	next := w.Now().Add(w.Backoff(n))
	// The error text may quote the server's reply, which may name the
	// recipient: it is stored with the mail, and only the mail id is logged.
	if err := w.store.RetryMail(mctx, p.ID, p.Claim, next, truncate(sendErr.Error(), 500), giveUp); err != nil {
		return fmt.Errorf("mail: record failure of %d: %w", p.ID, err)
	}
	if giveUp {
		w.log.Error("mail: given up", "mail", p.ID, "attempts", n)
	} else {
		w.log.Warn("mail: send failed, will retry", "mail", p.ID, "attempt", n, "retry_in", w.Backoff(n).String())
	}
	return nil
}

// MessageID is the Message-ID of a stored mail: the same on every attempt,
// so that a receiving system can drop a copy sent twice after a crash.
func MessageID(id int64, key string) string {
	return fmt.Sprintf("<isa-%d-%s@isa.invalid>", id, shortHash(key))
}

func newClaim() (string, error) {
	var b [12]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("mail: claim token: %w", err)
	}
	return hex.EncodeToString(b[:]), nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && (s[n]&0xC0) == 0x80 {
		n--
	}
	return s[:n]
}
