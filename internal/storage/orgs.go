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

// orgContent is what an organisation's content hash covers: everything the
// caller supplies, nothing the store sets.
type orgContent struct {
	Name, Kind, City, Size, Website string
	Names, About                    isa.Text
	Founded                         int
	Industries                      []string
	Verification                    isa.Verification
}

func checkOrg(o *isa.Organisation) error {
	switch {
	case o.Ref == "":
		return isa.Invalid("ref", "an organisation needs a ref")
	case o.Name == "":
		return isa.Invalid("name", "an organisation needs a name")
	case o.City == "":
		return isa.Invalid("city", "an organisation needs a city")
	case !slices.Contains(isa.OrgKinds, o.Kind):
		return isa.Invalid("kind", "unknown organisation kind %q", o.Kind)
	case o.Size != "" && !slices.Contains(isa.SizeClasses, o.Size):
		return isa.Invalid("size", "unknown size class %q", o.Size)
	}
	switch o.Verification.State {
	case "", isa.Unverified, isa.Verified:
		return nil
	}
	return isa.Invalid("verification", "unknown verification state %q", o.Verification.State)
}

// The upsert reads the city through a SELECT so that an unknown city
// inserts nothing instead of failing with a foreign-key error, which on
// PostgreSQL would abort the caller's whole transaction.
const orgUpsertHead = `INSERT INTO organisations (ref, name, names, kind, city, size, founded, website, industries, about,
	verification_state, verified_by, verified_at, verification_method, content_hash, contacts_hash, version, created_at, updated_at)
SELECT ?, ?, ?, ?, c.slug, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ? FROM cities c WHERE c.slug = ?
ON CONFLICT (ref) DO UPDATE SET name = excluded.name, names = excluded.names, kind = excluded.kind, city = excluded.city,
	size = excluded.size, founded = excluded.founded, website = excluded.website, industries = excluded.industries,
	about = excluded.about, verification_state = excluded.verification_state, verified_by = excluded.verified_by,
	verified_at = excluded.verified_at, verification_method = excluded.verification_method,
	content_hash = excluded.content_hash, version = organisations.version + 1, updated_at = excluded.updated_at`

// Two fixed statements: with contacts the contacts' hash takes part in the
// comparison; without, the stored contacts and their hash stay as they are.
const (
	orgUpsertKeepContacts = orgUpsertHead + `
WHERE organisations.content_hash <> excluded.content_hash
RETURNING id, version, created_at, updated_at`
	orgUpsertWithContacts = orgUpsertHead + `, contacts_hash = excluded.contacts_hash
WHERE organisations.content_hash <> excluded.content_hash OR organisations.contacts_hash <> excluded.contacts_hash
RETURNING id, version, created_at, updated_at`
)

// orgRow is one organisation prepared for an upsert: its JSON columns and
// hashes, computed once for the single and the batch path.
type orgRow struct {
	names, about, industries string
	hash, contactsHash       string // contactsHash "": keep the stored contacts
	verifiedAt               sql.NullTime
}

// prepareOrg checks o, defaults its verification state and encodes it.
func prepareOrg(o *isa.Organisation, contacts []isa.ContactPerson) (orgRow, error) {
	var r orgRow
	if err := checkOrg(o); err != nil {
		return r, err
	}
	if o.Verification.State == "" {
		o.Verification.State = isa.Unverified
	}
	content := orgContent{
		Name: o.Name, Kind: string(o.Kind), City: o.City, Size: string(o.Size), Website: o.Website,
		Names: o.Names, About: o.About, Founded: o.Founded, Industries: o.Industries,
		Verification: o.Verification,
	}
	content.Verification.At = content.Verification.At.UTC().Truncate(time.Microsecond)
	var err error
	if r.hash, err = hashOf(content); err != nil {
		return r, err
	}
	if contacts != nil {
		// Never "": the hash of a list, even an empty one, is hex.
		if r.contactsHash, err = hashOf(contacts); err != nil {
			return r, err
		}
	}
	if r.names, err = encodeJSON(o.Names); err != nil {
		return r, err
	}
	if r.about, err = encodeJSON(o.About); err != nil {
		return r, err
	}
	if r.industries, err = encodeJSON(nonNil(o.Industries)); err != nil {
		return r, err
	}
	if !content.Verification.At.IsZero() {
		r.verifiedAt = sql.NullTime{Time: content.Verification.At, Valid: true}
	}
	return r, nil
}

// UpsertOrganisation inserts or updates o by its ref.
func (c *conn) UpsertOrganisation(ctx context.Context, o *isa.Organisation, contacts []isa.ContactPerson) (isa.Outcome, error) {
	r, err := prepareOrg(o, contacts)
	if err != nil {
		return isa.Unchanged, err
	}
	query := orgUpsertKeepContacts
	if contacts != nil {
		query = orgUpsertWithContacts
	}
	t := now()
	outcome := isa.Unchanged
	err = c.write(ctx, func(c *conn) error {
		if err := c.lockWrites(ctx); err != nil {
			return err
		}
		var version int64
		var created, updated time.Time
		err := c.queryRow(ctx, query,
			o.Ref, o.Name, r.names, string(o.Kind), string(o.Size), o.Founded, o.Website, r.industries, r.about,
			string(o.Verification.State), o.Verification.By, r.verifiedAt, o.Verification.Method,
			r.hash, r.contactsHash, t, t, o.City,
		).Scan(&o.ID, &version, &created, &updated)
		if errors.Is(err, sql.ErrNoRows) {
			return c.orgNotWritten(ctx, o)
		}
		if err != nil {
			return wrap(err, "save organisation %s", o.Ref)
		}
		o.CreatedAt, o.UpdatedAt = created.UTC(), updated.UTC()
		outcome = isa.Updated
		if version == 1 {
			outcome = isa.Created
		} else if _, err := c.exec(ctx, `DELETE FROM org_industries WHERE org_id = ?`, o.ID); err != nil {
			return wrap(err, "save industries of %s", o.Ref)
		}
		for _, code := range dedupe(o.Industries) {
			if _, err := c.exec(ctx, `INSERT INTO org_industries (org_id, code) VALUES (?, ?)`, o.ID, code); err != nil {
				return wrap(err, "save industries of %s", o.Ref)
			}
		}
		if contacts != nil {
			return c.replaceContacts(ctx, o.ID, contacts)
		}
		return nil
	})
	if err != nil {
		return isa.Unchanged, err
	}
	return outcome, nil
}

// orgNotWritten explains an upsert that returned no row: the city is
// unknown, or the stored organisation is the same.
func (c *conn) orgNotWritten(ctx context.Context, o *isa.Organisation) error {
	var id sql.NullInt64
	var cities int
	err := c.queryRow(ctx, `SELECT (SELECT id FROM organisations WHERE ref = ?), (SELECT COUNT(*) FROM cities WHERE slug = ?)`,
		o.Ref, o.City).Scan(&id, &cities)
	if err != nil {
		return wrap(err, "look up organisation %s", o.Ref)
	}
	if cities == 0 {
		e := isa.NotFound("city", o.City)
		e.Field = "city"
		return e
	}
	if !id.Valid {
		return fmt.Errorf("storage: organisation %s neither written nor found", o.Ref)
	}
	o.ID = id.Int64
	return c.queryRow(ctx, `SELECT created_at, updated_at FROM organisations WHERE id = ?`, o.ID).Scan(&o.CreatedAt, &o.UpdatedAt)
}

// replaceContacts swaps the imported contacts of an organisation for
// contacts; contacts added by other means stay.
func (c *conn) replaceContacts(ctx context.Context, orgID int64, contacts []isa.ContactPerson) error {
	if _, err := c.exec(ctx, `DELETE FROM contact_persons WHERE org_id = ? AND source = 'import'`, orgID); err != nil {
		return wrap(err, "replace contacts")
	}
	for i := range contacts {
		p := &contacts[i]
		langs, err := encodeJSON(nonNil(p.Langs))
		if err != nil {
			return err
		}
		// Imported contacts are never public, whatever the caller set.
		err = c.queryRow(ctx, `INSERT INTO contact_persons (org_id, source, name, role, email, phone, langs, public)
VALUES (?, 'import', ?, ?, ?, ?, ?, FALSE) RETURNING id`, orgID, p.Name, p.Role, p.Email, p.Phone, langs).Scan(&p.ID)
		if err != nil {
			return wrap(err, "replace contacts")
		}
		p.OrgID, p.Public = orgID, false
	}
	return nil
}

// Contacts returns the contact persons of the organisation, in the order
// they were stored.
func (c *conn) Contacts(ctx context.Context, orgID int64) ([]isa.ContactPerson, error) {
	rows, err := c.query(ctx, `SELECT id, org_id, name, role, email, phone, langs, public FROM contact_persons WHERE org_id = ? ORDER BY id`, orgID)
	if err != nil {
		return nil, wrap(err, "read contacts")
	}
	defer rows.Close()
	var list []isa.ContactPerson
	for rows.Next() {
		var p isa.ContactPerson
		var langs string
		if err := rows.Scan(&p.ID, &p.OrgID, &p.Name, &p.Role, &p.Email, &p.Phone, &langs, &p.Public); err != nil {
			return nil, wrap(err, "read contacts")
		}
		if err := decodeJSON(langs, &p.Langs); err != nil {
			return nil, err
		}
		list = append(list, p)
	}
	return list, wrap(rows.Err(), "read contacts")
}

const orgSelect = `SELECT o.id, o.ref, o.name, o.names, o.kind, o.city, o.size, o.founded, o.website, o.industries, o.about,
	o.verification_state, o.verified_by, o.verified_at, o.verification_method, o.created_at, o.updated_at FROM organisations o`

func scanOrg(s scanner) (isa.Organisation, error) {
	var o isa.Organisation
	var names, industries, about, kind, size, state string
	var verifiedAt sql.NullTime
	err := s.Scan(&o.ID, &o.Ref, &o.Name, &names, &kind, &o.City, &size, &o.Founded, &o.Website, &industries, &about,
		&state, &o.Verification.By, &verifiedAt, &o.Verification.Method, &o.CreatedAt, &o.UpdatedAt)
	if err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return o, err
		}
		return o, wrap(err, "read organisation")
	}
	o.Kind, o.Size, o.Verification.State = isa.OrgKind(kind), isa.SizeClass(size), isa.VerificationState(state)
	if verifiedAt.Valid {
		o.Verification.At = verifiedAt.Time.UTC()
	}
	o.CreatedAt, o.UpdatedAt = o.CreatedAt.UTC(), o.UpdatedAt.UTC()
	for _, err := range []error{decodeJSON(names, &o.Names), decodeJSON(industries, &o.Industries), decodeJSON(about, &o.About)} {
		if err != nil {
			return o, fmt.Errorf("organisation %s: %w", o.Ref, err)
		}
	}
	return o, nil
}

// Organisation returns the organisation with the ref.
func (c *conn) Organisation(ctx context.Context, ref string) (*isa.Organisation, error) {
	return queryOne(ctx, c, "organisation", ref, scanOrg, orgSelect+` WHERE o.ref = ?`)
}

// Organisations returns a page of organisations in the order they were
// first stored.
func (c *conn) Organisations(ctx context.Context, f isa.OrgFilter) (isa.Page[isa.Organisation], error) {
	var page isa.Page[isa.Organisation]
	after, err := decodeCursor(f.After)
	if err != nil {
		return page, err
	}
	limit := pageLimit(f.Limit)
	var where []string
	args := []any{after}
	where = append(where, `o.id > ?`)
	if f.City != "" {
		where, args = append(where, `o.city = ?`), append(args, f.City)
	}
	if f.Country != "" {
		where, args = append(where, `o.city IN (SELECT slug FROM cities WHERE country = ?)`), append(args, f.Country)
	}
	if f.Kind != "" {
		where, args = append(where, `o.kind = ?`), append(args, string(f.Kind))
	}
	args = append(args, limit+1)
	return queryPage(ctx, c, "list organisations", limit, scanOrg, func(o *isa.Organisation) int64 { return o.ID },
		orgSelect+` WHERE `+strings.Join(where, ` AND `)+` ORDER BY o.id LIMIT ?`, args...)
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// dedupe drops repeated entries, keeping the first; side tables have the
// pair as their key.
func dedupe(list []string) []string {
	if len(list) < 2 {
		return list
	}
	out := make([]string, 0, len(list))
	seen := make(map[string]bool, len(list))
	for _, s := range list {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}
