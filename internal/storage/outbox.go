package storage

import (
	"context"
	"time"

	"github.com/isa-alliance/isa"
	"github.com/isa-alliance/isa/internal/mail"
)

// The mail outbox (mail.Store) on conn, so that a transaction of the
// domain or the accounts can enqueue the mail its event causes; *DB runs
// each method on a fresh conn.

var (
	_ mail.Store = (*DB)(nil)
	_ mail.Store = (*conn)(nil)
)

func (db *DB) EnqueueMail(ctx context.Context, m mail.Mail, due time.Time) error {
	return db.reader().EnqueueMail(ctx, m, due)
}

func (db *DB) ClaimMails(ctx context.Context, claim string, at time.Time, lease time.Duration, limit int) ([]mail.Pending, error) {
	return db.reader().ClaimMails(ctx, claim, at, lease, limit)
}

func (db *DB) MarkMailSent(ctx context.Context, id int64, claim string, at time.Time) (bool, error) {
	return db.reader().MarkMailSent(ctx, id, claim, at)
}

func (db *DB) RetryMail(ctx context.Context, id int64, claim string, next time.Time, lastErr string, giveUp bool) error {
	return db.reader().RetryMail(ctx, id, claim, next, lastErr, giveUp)
}

func (db *DB) PurgeMails(ctx context.Context, before time.Time) (int, error) {
	return db.reader().PurgeMails(ctx, before)
}

func (c *conn) PurgeMails(ctx context.Context, before time.Time) (int, error) {
	var n int64
	err := c.write(ctx, func(c *conn) error {
		// Pending mails are never purged, however old: they are still owed.
		res, err := c.exec(ctx, `DELETE FROM mail_outbox WHERE state <> 'pending' AND created_at < ?`, utc(before))
		if err != nil {
			return wrap(err, "purge mails")
		}
		n, err = res.RowsAffected()
		return wrap(err, "purge mails")
	})
	return int(n), err
}

func (c *conn) EnqueueMail(ctx context.Context, m mail.Mail, due time.Time) error {
	return c.write(ctx, func(c *conn) error {
		// A second event with the same key (a retried request, a double
		// click) adds nothing: the first mail stands.
		_, err := c.exec(ctx, `INSERT INTO mail_outbox (dedupe_key, recipient, subject, body_text, body_html, lang, next_attempt_at, created_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (dedupe_key) DO NOTHING`,
			m.DedupeKey, m.To, m.Subject, m.Text, m.HTML, string(m.Lang), utc(due), now())
		return wrap(err, "enqueue mail")
	})
}

func (c *conn) ClaimMails(ctx context.Context, claim string, at time.Time, lease time.Duration, limit int) ([]mail.Pending, error) {
	if limit <= 0 {
		limit = 20
	}
	at = utc(at)
	var out []mail.Pending
	err := c.write(ctx, func(c *conn) error {
		// The outer conditions repeat the inner ones on purpose: on
		// PostgreSQL a second worker that selected the same rows waits for
		// the first one's row locks and then re-checks the outer WHERE on
		// the claimed rows, which no longer match, so it skips them.
		rows, err := c.query(ctx, `UPDATE mail_outbox SET claim_token = ?, claimed_until = ?
WHERE id IN (SELECT id FROM mail_outbox WHERE state = 'pending' AND next_attempt_at <= ? AND (claimed_until IS NULL OR claimed_until < ?) ORDER BY id LIMIT ?)
  AND state = 'pending' AND (claimed_until IS NULL OR claimed_until < ?)
RETURNING id, dedupe_key, recipient, subject, body_text, body_html, lang, attempts`,
			claim, at.Add(lease), at, at, limit, at)
		if err != nil {
			return wrap(err, "claim mails")
		}
		defer rows.Close()
		for rows.Next() {
			p := mail.Pending{Claim: claim}
			var lang string
			if err := rows.Scan(&p.ID, &p.Mail.DedupeKey, &p.Mail.To, &p.Mail.Subject, &p.Mail.Text, &p.Mail.HTML, &lang, &p.Attempts); err != nil {
				return wrap(err, "read claimed mail")
			}
			p.Mail.Lang = isa.Lang(lang)
			out = append(out, p)
		}
		return wrap(rows.Err(), "read claimed mails")
	})
	if err != nil {
		return nil, err
	}
	// RETURNING gives no order; deliver the oldest first.
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j].ID < out[j-1].ID; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out, nil
}

func (c *conn) MarkMailSent(ctx context.Context, id int64, claim string, at time.Time) (bool, error) {
	var n int64
	err := c.write(ctx, func(c *conn) error {
		res, err := c.exec(ctx, `UPDATE mail_outbox SET state = 'sent', sent_at = ?, claim_token = '', claimed_until = NULL
WHERE id = ? AND claim_token = ? AND state = 'pending'`, utc(at), id, claim)
		if err != nil {
			return wrap(err, "mark mail sent")
		}
		n, err = res.RowsAffected()
		return wrap(err, "mark mail sent")
	})
	return n == 1, err
}

func (c *conn) RetryMail(ctx context.Context, id int64, claim string, next time.Time, lastErr string, giveUp bool) error {
	state := "pending"
	if giveUp {
		state = "failed"
	}
	return c.write(ctx, func(c *conn) error {
		_, err := c.exec(ctx, `UPDATE mail_outbox SET state = ?, attempts = attempts + 1, next_attempt_at = ?, last_error = ?, claim_token = '', claimed_until = NULL
WHERE id = ? AND claim_token = ? AND state = 'pending'`, state, utc(next), lastErr, id, claim)
		return wrap(err, "record mail failure")
	})
}
