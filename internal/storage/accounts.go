package storage

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/isa-alliance/isa"
	"github.com/isa-alliance/isa/internal/accounts"
)

// The accounts store (accounts.AccountStore) is written once on conn, like
// the domain store; *DB runs each method on a fresh conn.

var (
	_ accounts.Store = (*DB)(nil)
	_ accounts.Store = (*conn)(nil)
)

// AccountsTx runs fn in one transaction on the write pool; the transaction
// serves both the domain and the accounts.
func (db *DB) AccountsTx(ctx context.Context, fn func(tx accounts.Store) error) error {
	return db.inTx(ctx, func(c *conn) error { return fn(c) })
}

// AccountsTx inside a transaction joins it.
func (c *conn) AccountsTx(ctx context.Context, fn func(tx accounts.Store) error) error {
	if c.tx == nil {
		return c.db.AccountsTx(ctx, fn)
	}
	return fn(c)
}

// utc keeps every stored time in UTC at the precision both engines keep:
// SQLite stores the text, and text of one zone compares in time order.
func utc(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

func nullTime(t time.Time) sql.NullTime {
	if t.IsZero() {
		return sql.NullTime{}
	}
	return sql.NullTime{Time: utc(t), Valid: true}
}

func nullInt(n int64) sql.NullInt64 { return sql.NullInt64{Int64: n, Valid: n != 0} }

func nullString(s string) sql.NullString { return sql.NullString{String: s, Valid: s != ""} }

const userColumns = `u.id, u.email, u.name, u.lang, u.role, u.org_id, COALESCE(o.ref, ''), u.city, u.state, u.password_hash, u.created_at, u.last_login_at`

const userFrom = ` FROM users u LEFT JOIN organisations o ON o.id = u.org_id`

func scanUser(row interface{ Scan(...any) error }) (*accounts.User, error) {
	var (
		u           accounts.User
		lang, role  string
		state       string
		org         sql.NullInt64
		city        sql.NullString
		lastLogin   sql.NullTime
		createdTime time.Time
	)
	if err := row.Scan(&u.ID, &u.Email, &u.Name, &lang, &role, &org, &u.Org, &city, &state, &u.PasswordHash, &createdTime, &lastLogin); err != nil {
		return nil, err
	}
	u.Lang, u.Role, u.State = isa.Lang(lang), accounts.Role(role), accounts.State(state)
	u.OrgID, u.City = org.Int64, city.String
	u.CreatedAt = createdTime.UTC()
	if lastLogin.Valid {
		u.LastLogin = lastLogin.Time.UTC()
	}
	return &u, nil
}

func (c *conn) CreateUser(ctx context.Context, u *accounts.User) error {
	if u.CreatedAt.IsZero() {
		u.CreatedAt = now()
	}
	u.CreatedAt = utc(u.CreatedAt)
	return c.write(ctx, func(c *conn) error {
		err := c.queryRow(ctx, `INSERT INTO users (email, name, lang, role, org_id, city, state, password_hash, created_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			u.Email, u.Name, string(u.Lang), string(u.Role), nullInt(u.OrgID), nullString(u.City), string(u.State), u.PasswordHash, u.CreatedAt,
		).Scan(&u.ID)
		if err != nil {
			return wrap(err, "create user")
		}
		return nil
	})
}

func (c *conn) userWhere(ctx context.Context, where string, arg any) (*accounts.User, error) {
	u, err := scanUser(c.queryRow(ctx, `SELECT `+userColumns+userFrom+` WHERE `+where, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, isa.NotFound("user", "")
	}
	if err != nil {
		return nil, wrap(err, "read user")
	}
	return u, nil
}

func (c *conn) UserByID(ctx context.Context, id int64) (*accounts.User, error) {
	return c.userWhere(ctx, `u.id = ?`, id)
}

func (c *conn) UserByEmail(ctx context.Context, email string) (*accounts.User, error) {
	return c.userWhere(ctx, `u.email = ?`, email)
}

func (c *conn) Users(ctx context.Context, after int64, limit int) ([]accounts.User, error) {
	rows, err := c.query(ctx, `SELECT `+userColumns+userFrom+` WHERE u.id > ? ORDER BY u.id LIMIT ?`, after, pageLimit(limit))
	if err != nil {
		return nil, wrap(err, "list users")
	}
	defer rows.Close()
	var out []accounts.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, wrap(err, "list users")
		}
		out = append(out, *u)
	}
	return out, wrap(rows.Err(), "list users")
}

func (c *conn) UpdateUser(ctx context.Context, u *accounts.User) error {
	return c.write(ctx, func(c *conn) error {
		res, err := c.exec(ctx, `UPDATE users SET name = ?, lang = ?, role = ?, org_id = ?, city = ?, state = ?, password_hash = ? WHERE id = ?`,
			u.Name, string(u.Lang), string(u.Role), nullInt(u.OrgID), nullString(u.City), string(u.State), u.PasswordHash, u.ID)
		if err != nil {
			return wrap(err, "update user")
		}
		return oneRow(res, "user")
	})
}

func (c *conn) TouchLogin(ctx context.Context, userID int64, at time.Time) error {
	return c.write(ctx, func(c *conn) error {
		_, err := c.exec(ctx, `UPDATE users SET last_login_at = ? WHERE id = ?`, utc(at), userID)
		return wrap(err, "record login")
	})
}

// oneRow turns an update or delete that touched nothing into NotFound.
func oneRow(res sql.Result, kind string) error {
	n, err := res.RowsAffected()
	if err != nil {
		return wrap(err, "count rows")
	}
	if n == 0 {
		return isa.NotFound(kind, "")
	}
	return nil
}

func (c *conn) CreateSession(ctx context.Context, tokenHash string, s accounts.Session) error {
	return c.write(ctx, func(c *conn) error {
		_, err := c.exec(ctx, `INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)`,
			tokenHash, s.UserID, s.CSRFToken, utc(s.CreatedAt), utc(s.LastSeen), utc(s.Expires))
		return wrap(err, "create session")
	})
}

func (c *conn) SessionByHash(ctx context.Context, tokenHash string) (*accounts.Session, error) {
	var s accounts.Session
	err := c.queryRow(ctx, `SELECT user_id, csrf_token, created_at, last_seen_at, expires_at FROM sessions WHERE token_hash = ?`, tokenHash).
		Scan(&s.UserID, &s.CSRFToken, &s.CreatedAt, &s.LastSeen, &s.Expires)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, isa.NotFound("session", "")
	}
	if err != nil {
		return nil, wrap(err, "read session")
	}
	s.CreatedAt, s.LastSeen, s.Expires = s.CreatedAt.UTC(), s.LastSeen.UTC(), s.Expires.UTC()
	return &s, nil
}

func (c *conn) TouchSession(ctx context.Context, tokenHash string, lastSeen, expires time.Time) error {
	return c.write(ctx, func(c *conn) error {
		_, err := c.exec(ctx, `UPDATE sessions SET last_seen_at = ?, expires_at = ? WHERE token_hash = ?`, utc(lastSeen), utc(expires), tokenHash)
		return wrap(err, "touch session")
	})
}

func (c *conn) DeleteSession(ctx context.Context, tokenHash string) error {
	return c.write(ctx, func(c *conn) error {
		_, err := c.exec(ctx, `DELETE FROM sessions WHERE token_hash = ?`, tokenHash)
		return wrap(err, "delete session")
	})
}

func (c *conn) DeleteUserSessions(ctx context.Context, userID int64) error {
	return c.write(ctx, func(c *conn) error {
		_, err := c.exec(ctx, `DELETE FROM sessions WHERE user_id = ?`, userID)
		return wrap(err, "delete sessions")
	})
}

func (c *conn) DeleteExpiredSessions(ctx context.Context, before time.Time) (int, error) {
	var n int64
	err := c.write(ctx, func(c *conn) error {
		res, err := c.exec(ctx, `DELETE FROM sessions WHERE expires_at < ?`, utc(before))
		if err != nil {
			return wrap(err, "delete expired sessions")
		}
		n, err = res.RowsAffected()
		return wrap(err, "delete expired sessions")
	})
	return int(n), err
}

func (c *conn) CreateAPIToken(ctx context.Context, tokenHash string, t *accounts.APIToken) error {
	if t.CreatedAt.IsZero() {
		t.CreatedAt = now()
	}
	t.CreatedAt = utc(t.CreatedAt)
	return c.write(ctx, func(c *conn) error {
		err := c.queryRow(ctx, `INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES (?, ?, ?, ?) RETURNING id`,
			t.UserID, t.Name, tokenHash, t.CreatedAt).Scan(&t.ID)
		return wrap(err, "create API token")
	})
}

func scanToken(row interface{ Scan(...any) error }) (*accounts.APIToken, error) {
	var t accounts.APIToken
	var used sql.NullTime
	if err := row.Scan(&t.ID, &t.UserID, &t.Name, &t.CreatedAt, &used); err != nil {
		return nil, err
	}
	t.CreatedAt = t.CreatedAt.UTC()
	if used.Valid {
		t.LastUsed = used.Time.UTC()
	}
	return &t, nil
}

func (c *conn) APITokenByHash(ctx context.Context, tokenHash string) (*accounts.APIToken, error) {
	t, err := scanToken(c.queryRow(ctx, `SELECT id, user_id, name, created_at, last_used_at FROM api_tokens WHERE token_hash = ?`, tokenHash))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, isa.NotFound("API token", "")
	}
	if err != nil {
		return nil, wrap(err, "read API token")
	}
	return t, nil
}

func (c *conn) APITokens(ctx context.Context, userID int64) ([]accounts.APIToken, error) {
	rows, err := c.query(ctx, `SELECT id, user_id, name, created_at, last_used_at FROM api_tokens WHERE user_id = ? ORDER BY id`, userID)
	if err != nil {
		return nil, wrap(err, "list API tokens")
	}
	defer rows.Close()
	var out []accounts.APIToken
	for rows.Next() {
		t, err := scanToken(rows)
		if err != nil {
			return nil, wrap(err, "list API tokens")
		}
		out = append(out, *t)
	}
	return out, wrap(rows.Err(), "list API tokens")
}

func (c *conn) DeleteAPIToken(ctx context.Context, userID, id int64) error {
	return c.write(ctx, func(c *conn) error {
		res, err := c.exec(ctx, `DELETE FROM api_tokens WHERE id = ? AND user_id = ?`, id, userID)
		if err != nil {
			return wrap(err, "revoke API token")
		}
		return oneRow(res, "API token")
	})
}

func (c *conn) TouchAPIToken(ctx context.Context, id int64, at time.Time) error {
	return c.write(ctx, func(c *conn) error {
		_, err := c.exec(ctx, `UPDATE api_tokens SET last_used_at = ? WHERE id = ?`, utc(at), id)
		return wrap(err, "touch API token")
	})
}

func (c *conn) CreateAccountToken(ctx context.Context, tokenHash string, userID int64, purpose string, expires time.Time) error {
	return c.write(ctx, func(c *conn) error {
		_, err := c.exec(ctx, `INSERT INTO account_tokens (token_hash, user_id, purpose, expires_at) VALUES (?, ?, ?, ?)`,
			tokenHash, userID, purpose, utc(expires))
		return wrap(err, "create %s token", purpose)
	})
}

func (c *conn) UseAccountToken(ctx context.Context, tokenHash, purpose string, at time.Time) (int64, error) {
	var userID int64
	err := c.write(ctx, func(c *conn) error {
		// One statement marks and reads, so that two requests with the
		// same token cannot both use it.
		err := c.queryRow(ctx, `UPDATE account_tokens SET used_at = ? WHERE token_hash = ? AND purpose = ? AND used_at IS NULL AND expires_at > ? RETURNING user_id`,
			utc(at), tokenHash, purpose, utc(at)).Scan(&userID)
		if errors.Is(err, sql.ErrNoRows) {
			return isa.NotFound(purpose+" token", "")
		}
		return wrap(err, "use %s token", purpose)
	})
	return userID, err
}

func (c *conn) AddLoginFailure(ctx context.Context, key string, at time.Time) error {
	return c.write(ctx, func(c *conn) error {
		_, err := c.exec(ctx, `INSERT INTO login_failures (key, at) VALUES (?, ?)`, key, utc(at))
		if err != nil {
			return wrap(err, "record login failure")
		}
		// Old failures count for nothing; dropping them here keeps the
		// table small without a job of its own.
		_, err = c.exec(ctx, `DELETE FROM login_failures WHERE key = ? AND at < ?`, key, utc(at.Add(-24*time.Hour)))
		return wrap(err, "prune login failures")
	})
}

func (c *conn) LoginFailures(ctx context.Context, key string, since time.Time) (int, error) {
	var n int
	err := c.queryRow(ctx, `SELECT COUNT(*) FROM login_failures WHERE key = ? AND at >= ?`, key, utc(since)).Scan(&n)
	return n, wrap(err, "count login failures")
}

func (c *conn) ClearLoginFailures(ctx context.Context, key string) error {
	return c.write(ctx, func(c *conn) error {
		_, err := c.exec(ctx, `DELETE FROM login_failures WHERE key = ?`, key)
		return wrap(err, "clear login failures")
	})
}

func (c *conn) AddReview(ctx context.Context, r *accounts.Review) error {
	if r.At.IsZero() {
		r.At = now()
	}
	r.At = utc(r.At)
	return c.write(ctx, func(c *conn) error {
		err := c.queryRow(ctx, `INSERT INTO reviews (subject, ref, org_id, outcome, reason, reviewer_id, at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			r.Subject, r.Ref, r.OrgID, r.Outcome, r.Reason, nullInt(r.ReviewerID), r.At).Scan(&r.ID)
		return wrap(err, "record review")
	})
}

func (c *conn) LatestReviews(ctx context.Context, orgID int64) ([]accounts.Review, error) {
	rows, err := c.query(ctx, `SELECT r.id, r.subject, r.ref, r.org_id, r.outcome, r.reason, r.reviewer_id, r.at FROM reviews r
WHERE r.org_id = ? AND r.id = (SELECT MAX(x.id) FROM reviews x WHERE x.subject = r.subject AND x.ref = r.ref)
ORDER BY r.id DESC`, orgID)
	if err != nil {
		return nil, wrap(err, "read reviews")
	}
	defer rows.Close()
	var out []accounts.Review
	for rows.Next() {
		var r accounts.Review
		var reviewer sql.NullInt64
		if err := rows.Scan(&r.ID, &r.Subject, &r.Ref, &r.OrgID, &r.Outcome, &r.Reason, &reviewer, &r.At); err != nil {
			return nil, wrap(err, "read reviews")
		}
		r.ReviewerID, r.At = reviewer.Int64, r.At.UTC()
		out = append(out, r)
	}
	return out, wrap(rows.Err(), "read reviews")
}

func (c *conn) UnverifiedOrganisations(ctx context.Context, city string, limit int) ([]string, error) {
	rows, err := c.query(ctx, `SELECT ref FROM organisations WHERE city = ? AND verification_state = 'unverified' ORDER BY created_at DESC, id DESC LIMIT ?`,
		city, pageLimit(limit))
	if err != nil {
		return nil, wrap(err, "list unverified organisations")
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var ref string
		if err := rows.Scan(&ref); err != nil {
			return nil, wrap(err, "list unverified organisations")
		}
		out = append(out, ref)
	}
	return out, wrap(rows.Err(), "list unverified organisations")
}

// AddCity admits a new member city; Conflict when the slug exists. The
// embedded list never deletes it (cities are only added and updated).
func (c *conn) AddCity(ctx context.Context, city isa.City) error {
	return c.write(ctx, func(c *conn) error {
		var n int
		if err := c.queryRow(ctx, `SELECT COUNT(*) FROM cities WHERE slug = ?`, city.Slug).Scan(&n); err != nil {
			return wrap(err, "look up city")
		}
		if n > 0 {
			return &isa.Error{Code: isa.CodeConflict, Field: "slug", Key: "cityadmin.error.slug_taken", Message: "a city with this slug exists"}
		}
		_, err := c.upsertCity(ctx, city)
		return err
	})
}
