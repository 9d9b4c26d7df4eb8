package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/isa-alliance/isa"
)

func checkListing(l *isa.Listing) error {
	switch {
	case l.Ref == "":
		return isa.Invalid("ref", "a listing needs a ref")
	case l.Org == "":
		return isa.Invalid("org", "a listing needs the ref of its organisation")
	case l.Kind != isa.Offer && l.Kind != isa.Request:
		return isa.Invalid("kind", "kind must be offer or request, not %q", l.Kind)
	case l.Lang != "" && !l.Lang.Valid():
		return isa.Invalid("lang", "language must be de, zh or en, not %q", l.Lang)
	case !slices.Contains(isa.ListingStates, l.State):
		return isa.Invalid("state", "unknown listing state %q", l.State)
	}
	return nil
}

// The organisation is resolved inside the statement: an unknown one
// inserts nothing (and aborts nothing), and no extra round trip is needed.
const listingValues = `SELECT ?, o.id, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ? FROM organisations o WHERE o.ref = ?
`

// listingReturning gives back what the caller learns from a written row;
// the state, because an import may have kept the stored one.
const listingReturning = `RETURNING id, org_id, version, created_at, state`

// listingInsert and listingOnConflict are the parts the single and the
// batch upsert share: the columns, and an update that leaves unchanged
// rows (same content and state) alone.
const (
	listingInsert = `INSERT INTO listings (ref, org_id, kind, lang, title, description, translations, cooperation, industries,
	keywords, state, published, expires, content_hash, change_seq, version, created_at, updated_at)
`
	listingOnConflict = listingUpdate + `state = excluded.state` + listingUpdateWhere + `excluded.state` + "\n"

	listingUpdate = `ON CONFLICT (ref) DO UPDATE SET org_id = excluded.org_id, kind = excluded.kind, lang = excluded.lang,
	title = excluded.title, description = excluded.description, translations = excluded.translations,
	cooperation = excluded.cooperation, industries = excluded.industries, keywords = excluded.keywords,
	published = excluded.published, expires = excluded.expires,
	content_hash = excluded.content_hash, change_seq = excluded.change_seq, version = listings.version + 1,
	updated_at = excluded.updated_at, `
	listingUpdateWhere = `
WHERE listings.content_hash <> excluded.content_hash OR listings.state <> `
)

// listingOnConflictKeep is listingOnConflict for imports: a stored listing
// in one of isa.StatesKeptOnImport keeps its state.
var listingOnConflictKeep = func() string {
	quoted := make([]string, len(isa.StatesKeptOnImport))
	for i, s := range isa.StatesKeptOnImport {
		quoted[i] = "'" + string(s) + "'"
	}
	kept := `CASE WHEN listings.state IN (` + strings.Join(quoted, ", ") + `) THEN listings.state ELSE excluded.state END`
	return listingUpdate + `state = ` + kept + listingUpdateWhere + kept + "\n"
}()

// UpsertListing inserts or updates l by its ref. It writes l.State as
// given: the path of the posting service and the officers, which change
// states on purpose.
func (c *conn) UpsertListing(ctx context.Context, l *isa.Listing) (isa.Outcome, error) {
	return c.upsertListing(ctx, l, false)
}

// ImportListing is UpsertListing for imports: the content is written, but
// a stored listing that is withdrawn, a draft or in review keeps its state
// (isa.StatesKeptOnImport). Afterwards l.State is the state stored, so the caller
// sees when it differs from the one asked for.
func (c *conn) ImportListing(ctx context.Context, l *isa.Listing) (isa.Outcome, error) {
	return c.upsertListing(ctx, l, true)
}

func (c *conn) upsertListing(ctx context.Context, l *isa.Listing, keep bool) (isa.Outcome, error) {
	if err := checkListing(l); err != nil {
		return isa.Unchanged, err
	}
	r, err := encodeListing(l)
	if err != nil {
		return isa.Unchanged, err
	}
	q := listingInsert + listingValues + listingOnConflict + listingReturning
	if keep {
		q = listingInsert + listingValues + listingOnConflictKeep + listingReturning
	}
	t := now()
	outcome := isa.Unchanged
	err = c.write(ctx, func(c *conn) error {
		seq, err := c.nextSeq(ctx)
		if err != nil {
			return err
		}
		var version int64
		var created time.Time
		var state string
		err = c.queryRow(ctx, q,
			l.Ref, string(l.Kind), string(l.Lang), l.Title, l.Description, r.translations, r.cooperation, r.industries,
			r.keywords, string(l.State), string(l.Published), string(l.Expires), r.hash, seq, t, t, l.Org,
		).Scan(&l.ID, &l.OrgID, &version, &created, &state)
		if errors.Is(err, sql.ErrNoRows) {
			return c.listingNotWritten(ctx, l)
		}
		if err != nil {
			return wrap(err, "save listing %s", l.Ref)
		}
		c.useSeq()
		l.CreatedAt, l.UpdatedAt, l.State = created.UTC(), t, isa.ListingState(state)
		outcome = isa.Updated
		if version == 1 {
			outcome = isa.Created
		}
		return c.queueSide(ctx, l.ID, version > 1, l.Industries, l.Cooperation)
	})
	if err != nil {
		return isa.Unchanged, err
	}
	return outcome, nil
}

// listingNotWritten explains an upsert that returned no row: the
// organisation is unknown, or the stored listing is the same.
func (c *conn) listingNotWritten(ctx context.Context, l *isa.Listing) error {
	var id, orgID sql.NullInt64
	var created, updated sql.NullTime
	var state sql.NullString
	err := c.queryRow(ctx, `SELECT (SELECT id FROM organisations WHERE ref = ?), l.id, l.created_at, l.updated_at, l.state
FROM (SELECT 1 AS one) x LEFT JOIN listings l ON l.ref = ?`, l.Org, l.Ref).Scan(&orgID, &id, &created, &updated, &state)
	if err != nil {
		return wrap(err, "look up listing %s", l.Ref)
	}
	if !orgID.Valid {
		e := isa.NotFound("organisation", l.Org)
		e.Field = "org"
		return e
	}
	if !id.Valid {
		return fmt.Errorf("storage: listing %s neither written nor found", l.Ref)
	}
	l.ID, l.OrgID = id.Int64, orgID.Int64
	l.CreatedAt, l.UpdatedAt, l.State = created.Time.UTC(), updated.Time.UTC(), isa.ListingState(state.String)
	return nil
}

const listingSelect = `SELECT l.id, l.ref, l.org_id, o.ref, l.kind, l.lang, l.title, l.description, l.translations,
	l.cooperation, l.industries, l.keywords, l.state, l.published, l.expires, l.created_at, l.updated_at
FROM listings l JOIN organisations o ON o.id = l.org_id`

func scanListing(s scanner) (isa.Listing, error) {
	var l isa.Listing
	var kind, lang, state, published, expires, translations, cooperation, industries, keywords string
	err := s.Scan(&l.ID, &l.Ref, &l.OrgID, &l.Org, &kind, &lang, &l.Title, &l.Description, &translations,
		&cooperation, &industries, &keywords, &state, &published, &expires, &l.CreatedAt, &l.UpdatedAt)
	if err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return l, err
		}
		return l, wrap(err, "read listing")
	}
	l.Kind, l.Lang, l.State = isa.ListingKind(kind), isa.Lang(lang), isa.ListingState(state)
	l.Published, l.Expires = isa.Date(published), isa.Date(expires)
	l.CreatedAt, l.UpdatedAt = l.CreatedAt.UTC(), l.UpdatedAt.UTC()
	for _, err := range []error{
		decodeJSON(translations, &l.Translations), decodeJSON(cooperation, &l.Cooperation),
		decodeJSON(industries, &l.Industries), decodeJSON(keywords, &l.Keywords),
	} {
		if err != nil {
			return l, fmt.Errorf("listing %s: %w", l.Ref, err)
		}
	}
	return l, nil
}

// Listing returns the listing with the ref.
func (c *conn) Listing(ctx context.Context, ref string) (*isa.Listing, error) {
	return queryOne(ctx, c, "listing", ref, scanListing, listingSelect+` WHERE l.ref = ?`)
}

// Listings returns a page of listings in the order they were first stored.
// Every filter is a fixed SQL fragment with its value bound.
func (c *conn) Listings(ctx context.Context, f isa.ListingFilter) (isa.Page[isa.Listing], error) {
	var page isa.Page[isa.Listing]
	after, err := decodeCursor(f.After)
	if err != nil {
		return page, err
	}
	if err := c.flushSide(ctx); err != nil {
		return page, err
	}
	limit := pageLimit(f.Limit)
	where := []string{`l.id > ?`}
	args := []any{after}
	add := func(cond string, v ...any) {
		where = append(where, cond)
		args = append(args, v...)
	}
	if f.Kind != "" {
		add(`l.kind = ?`, string(f.Kind))
	}
	if f.State != "" {
		add(`l.state = ?`, string(f.State))
	}
	if f.Lang != "" {
		add(`l.lang = ?`, string(f.Lang))
	}
	if f.Org != "" {
		add(`o.ref = ?`, f.Org)
	}
	if f.City != "" {
		add(`o.city = ?`, f.City)
	}
	if f.Country != "" {
		add(`o.city IN (SELECT slug FROM cities WHERE country = ?)`, f.Country)
	}
	if f.Cooperation != "" {
		add(`EXISTS (SELECT 1 FROM listing_cooperation lc WHERE lc.listing_id = l.id AND lc.cooperation = ?)`, f.Cooperation)
	}
	if f.Industry != "" {
		// A NACE code covers everything below it, and codes below share
		// its prefix (C, C22, C22.2, C22.29): a range on the code index.
		add(`EXISTS (SELECT 1 FROM listing_industries li WHERE li.listing_id = l.id AND li.code >= ? AND li.code < ?)`,
			f.Industry, successor(f.Industry))
	}
	args = append(args, limit+1)
	return queryPage(ctx, c, "list listings", limit, scanListing, func(l *isa.Listing) int64 { return l.ID },
		listingSelect+` WHERE `+strings.Join(where, ` AND `)+` ORDER BY l.id LIMIT ?`, args...)
}

// ExpireListings moves published listings whose expiry day lies before
// today to the expired state. Each gets its own change sequence number, so
// the change feed reports it like any other change.
func (c *conn) ExpireListings(ctx context.Context, today isa.Date) (int, error) {
	if _, err := isa.ParseDate(string(today)); err != nil {
		return 0, isa.Invalid("today", "%v", err)
	}
	n := 0
	err := c.write(ctx, func(c *conn) error {
		rows, err := c.query(ctx, `SELECT id FROM listings WHERE state = 'published' AND expires <> '' AND expires < ? ORDER BY id`, string(today))
		if err != nil {
			return wrap(err, "find expired listings")
		}
		var ids []int64
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return wrap(err, "find expired listings")
			}
			ids = append(ids, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return wrap(err, "find expired listings")
		}
		t := now()
		for _, id := range ids {
			seq, err := c.nextSeq(ctx)
			if err != nil {
				return err
			}
			res, err := c.exec(ctx, `UPDATE listings SET state = 'expired', change_seq = ?, version = version + 1, updated_at = ?
WHERE id = ? AND state = 'published'`, seq, t, id)
			if err != nil {
				return wrap(err, "expire listing")
			}
			if k, err := res.RowsAffected(); err != nil {
				return wrap(err, "expire listing")
			} else if k > 0 {
				c.useSeq()
				n++
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	if n > 0 {
		c.db.log.Info("listings expired", "count", n, "today", string(today))
	}
	return n, nil
}

// ListingChanges returns the refs of listings changed after since. A
// listing changed twice appears once, at its latest change.
func (c *conn) ListingChanges(ctx context.Context, since int64, limit int) ([]string, int64, error) {
	if limit <= 0 {
		limit = 1000
	}
	rows, err := c.query(ctx, `SELECT ref, change_seq FROM listings WHERE change_seq > ? ORDER BY change_seq LIMIT ?`, since, limit)
	if err != nil {
		return nil, since, wrap(err, "read listing changes")
	}
	defer rows.Close()
	next := since
	var refs []string
	for rows.Next() {
		var ref string
		if err := rows.Scan(&ref, &next); err != nil {
			return nil, since, wrap(err, "read listing changes")
		}
		refs = append(refs, ref)
	}
	if err := rows.Err(); err != nil {
		return nil, since, wrap(err, "read listing changes")
	}
	return refs, next, nil
}

// ImportListing runs (*conn).ImportListing in a transaction of its own.
func (db *DB) ImportListing(ctx context.Context, l *isa.Listing) (isa.Outcome, error) {
	return db.reader().ImportListing(ctx, l)
}
