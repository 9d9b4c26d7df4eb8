package storage

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"time"

	"github.com/isa-alliance/isa"
	"github.com/isa-alliance/isa/internal/messages"
)

// The contact threads (messages.Store) on conn, like the domain store;
// *DB runs each method on a fresh conn.

var (
	_ messages.Store = (*DB)(nil)
	_ messages.Store = (*conn)(nil)
)

// MessagesTx runs fn in one transaction on the write pool, covering the
// domain, the threads and the mail outbox.
func (db *DB) MessagesTx(ctx context.Context, fn func(tx messages.Store) error) error {
	return db.inTx(ctx, func(c *conn) error { return fn(c) })
}

// MessagesTx inside a transaction joins it.
func (c *conn) MessagesTx(ctx context.Context, fn func(tx messages.Store) error) error {
	if c.tx == nil {
		return c.db.MessagesTx(ctx, fn)
	}
	return fn(c)
}

func (db *DB) CreateThread(ctx context.Context, t *messages.Thread, first *messages.Message) error {
	return db.reader().CreateThread(ctx, t, first)
}
func (db *DB) Thread(ctx context.Context, id int64) (*messages.Thread, error) {
	return db.reader().Thread(ctx, id)
}
func (db *DB) Threads(ctx context.Context, orgID int64, limit int) ([]messages.Thread, error) {
	return db.reader().Threads(ctx, orgID, limit)
}
func (db *DB) OpenThread(ctx context.Context, fromOrgID, listingID int64) (int64, error) {
	return db.reader().OpenThread(ctx, fromOrgID, listingID)
}
func (db *DB) AddMessage(ctx context.Context, m *messages.Message) error {
	return db.reader().AddMessage(ctx, m)
}
func (db *DB) DecideThread(ctx context.Context, id int64, state messages.State, by int64, at time.Time) (bool, error) {
	return db.reader().DecideThread(ctx, id, state, by, at)
}
func (db *DB) CountFirstContact(ctx context.Context, orgID int64, day isa.Date) (int, error) {
	return db.reader().CountFirstContact(ctx, orgID, day)
}
func (db *DB) Recipients(ctx context.Context, orgID int64) ([]messages.Recipient, error) {
	return db.reader().Recipients(ctx, orgID)
}

func (c *conn) CreateThread(ctx context.Context, t *messages.Thread, first *messages.Message) error {
	t.CreatedAt = utc(t.CreatedAt)
	if t.CreatedAt.IsZero() {
		t.CreatedAt = now()
	}
	t.UpdatedAt = t.CreatedAt
	if t.State == "" {
		t.State = messages.Pending
	}
	return c.write(ctx, func(c *conn) error {
		err := c.queryRow(ctx, `INSERT INTO contact_threads (from_org_id, to_org_id, listing_id, state, created_by, created_at, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			t.From.ID, t.To.ID, nullInt(t.ListingID), string(t.State), nullInt(t.CreatedBy), t.CreatedAt, t.UpdatedAt,
		).Scan(&t.ID)
		if err != nil {
			return wrap(err, "create thread")
		}
		first.ThreadID, first.FromOrgID = t.ID, t.From.ID
		if first.CreatedAt.IsZero() {
			first.CreatedAt = t.CreatedAt
		}
		return c.insertMessage(ctx, first)
	})
}

func (c *conn) insertMessage(ctx context.Context, m *messages.Message) error {
	m.CreatedAt = utc(m.CreatedAt)
	err := c.queryRow(ctx, `INSERT INTO contact_messages (thread_id, from_org_id, author_id, body, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id`,
		m.ThreadID, m.FromOrgID, nullInt(m.AuthorID), m.Body, m.CreatedAt).Scan(&m.ID)
	return wrap(err, "add message")
}

const threadColumns = `t.id, t.state, t.listing_id, COALESCE(l.ref, ''), COALESCE(l.title, ''), t.created_by, t.created_at, t.decided_at, t.updated_at,
	f.id, f.ref, f.name, f.city, r.id, r.ref, r.name, r.city`

const threadFrom = ` FROM contact_threads t
JOIN organisations f ON f.id = t.from_org_id
JOIN organisations r ON r.id = t.to_org_id
LEFT JOIN listings l ON l.id = t.listing_id`

func scanThread(row interface{ Scan(...any) error }) (*messages.Thread, error) {
	var (
		t         messages.Thread
		state     string
		listing   sql.NullInt64
		createdBy sql.NullInt64
		decided   sql.NullTime
	)
	err := row.Scan(&t.ID, &state, &listing, &t.Listing, &t.ListingTitle, &createdBy, &t.CreatedAt, &decided, &t.UpdatedAt,
		&t.From.ID, &t.From.Ref, &t.From.Name, &t.From.City, &t.To.ID, &t.To.Ref, &t.To.Name, &t.To.City)
	if err != nil {
		return nil, err
	}
	t.State, t.ListingID, t.CreatedBy = messages.State(state), listing.Int64, createdBy.Int64
	t.CreatedAt, t.UpdatedAt = t.CreatedAt.UTC(), t.UpdatedAt.UTC()
	if decided.Valid {
		t.DecidedAt = decided.Time.UTC()
	}
	return &t, nil
}

func (c *conn) Thread(ctx context.Context, id int64) (*messages.Thread, error) {
	t, err := scanThread(c.queryRow(ctx, `SELECT `+threadColumns+threadFrom+` WHERE t.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, isa.NotFound("thread", strconv.FormatInt(id, 10))
	}
	if err != nil {
		return nil, wrap(err, "read thread")
	}
	rows, err := c.query(ctx, `SELECT m.id, m.from_org_id, o.ref, m.author_id, m.body, m.created_at
FROM contact_messages m JOIN organisations o ON o.id = m.from_org_id WHERE m.thread_id = ? ORDER BY m.id`, id)
	if err != nil {
		return nil, wrap(err, "read messages")
	}
	defer rows.Close()
	for rows.Next() {
		m := messages.Message{ThreadID: id}
		var author sql.NullInt64
		if err := rows.Scan(&m.ID, &m.FromOrgID, &m.From, &author, &m.Body, &m.CreatedAt); err != nil {
			return nil, wrap(err, "read message")
		}
		m.AuthorID, m.CreatedAt = author.Int64, m.CreatedAt.UTC()
		t.Messages = append(t.Messages, m)
	}
	return t, wrap(rows.Err(), "read messages")
}

func (c *conn) Threads(ctx context.Context, orgID int64, limit int) ([]messages.Thread, error) {
	rows, err := c.query(ctx, `SELECT `+threadColumns+threadFrom+`
WHERE t.from_org_id = ? OR t.to_org_id = ? ORDER BY t.updated_at DESC, t.id DESC LIMIT ?`, orgID, orgID, pageLimit(limit))
	if err != nil {
		return nil, wrap(err, "list threads")
	}
	defer rows.Close()
	var out []messages.Thread
	for rows.Next() {
		t, err := scanThread(rows)
		if err != nil {
			return nil, wrap(err, "read thread")
		}
		out = append(out, *t)
	}
	return out, wrap(rows.Err(), "list threads")
}

func (c *conn) OpenThread(ctx context.Context, fromOrgID, listingID int64) (int64, error) {
	var id int64
	err := c.queryRow(ctx, `SELECT id FROM contact_threads WHERE listing_id = ? AND from_org_id = ? AND state IN ('pending', 'accepted') ORDER BY id LIMIT 1`,
		listingID, fromOrgID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return id, wrap(err, "find open thread")
}

func (c *conn) AddMessage(ctx context.Context, m *messages.Message) error {
	if m.CreatedAt.IsZero() {
		m.CreatedAt = now()
	}
	return c.write(ctx, func(c *conn) error {
		res, err := c.exec(ctx, `UPDATE contact_threads SET updated_at = ? WHERE id = ?`, utc(m.CreatedAt), m.ThreadID)
		if err != nil {
			return wrap(err, "touch thread")
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return isa.NotFound("thread", strconv.FormatInt(m.ThreadID, 10))
		}
		return c.insertMessage(ctx, m)
	})
}

func (c *conn) DecideThread(ctx context.Context, id int64, state messages.State, by int64, at time.Time) (bool, error) {
	var n int64
	err := c.write(ctx, func(c *conn) error {
		res, err := c.exec(ctx, `UPDATE contact_threads SET state = ?, decided_by = ?, decided_at = ?, updated_at = ? WHERE id = ? AND state = 'pending'`,
			string(state), nullInt(by), utc(at), utc(at), id)
		if err != nil {
			return wrap(err, "decide thread")
		}
		n, err = res.RowsAffected()
		return wrap(err, "decide thread")
	})
	return n == 1, err
}

func (c *conn) CountFirstContact(ctx context.Context, orgID int64, day isa.Date) (int, error) {
	var n int
	err := c.write(ctx, func(c *conn) error {
		err := c.queryRow(ctx, `INSERT INTO contact_quota (org_id, day, sent) VALUES (?, ?, 1)
ON CONFLICT (org_id, day) DO UPDATE SET sent = contact_quota.sent + 1 RETURNING sent`, orgID, string(day)).Scan(&n)
		return wrap(err, "count first contact")
	})
	return n, err
}

func (c *conn) Recipients(ctx context.Context, orgID int64) ([]messages.Recipient, error) {
	rows, err := c.query(ctx, `SELECT id, email, name, lang FROM users WHERE org_id = ? AND state = 'active' AND role = 'member' ORDER BY id`, orgID)
	if err != nil {
		return nil, wrap(err, "list recipients")
	}
	defer rows.Close()
	var out []messages.Recipient
	for rows.Next() {
		var r messages.Recipient
		var lang string
		if err := rows.Scan(&r.UserID, &r.Email, &r.Name, &lang); err != nil {
			return nil, wrap(err, "read recipient")
		}
		r.Lang = isa.Lang(lang)
		out = append(out, r)
	}
	return out, wrap(rows.Err(), "list recipients")
}
