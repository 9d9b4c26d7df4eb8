package storage

import (
	"context"
	"slices"
	"time"

	"github.com/isa-alliance/isa"
)

// The batch upsert of organisations: what UpsertOrganisation does with
// three or four statements per organisation (upsert, industries, contacts)
// done for up to c.batchRows() organisations at once. An import of a million
// listings brings two hundred thousand organisations; one by one they cost
// as much as a third of the listings.

// orgColumns is the number of values one organisation row binds.
const orgColumns = 19

// orgBatchUpsert is orgUpsertHead for many rows. The city is checked before
// (cityCheck), not by a SELECT per row. contacts_hash "" means "keep the
// stored contacts": the row then neither compares nor changes it, as
// orgUpsertKeepContacts does; a real hash is never empty.
const orgBatchUpsert = `INSERT INTO organisations (ref, name, names, kind, city, size, founded, website, industries, about,
	verification_state, verified_by, verified_at, verification_method, content_hash, contacts_hash, version, created_at, updated_at)
VALUES `

const orgBatchOnConflict = `
ON CONFLICT (ref) DO UPDATE SET name = excluded.name, names = excluded.names, kind = excluded.kind, city = excluded.city,
	size = excluded.size, founded = excluded.founded, website = excluded.website, industries = excluded.industries,
	about = excluded.about, verification_state = excluded.verification_state, verified_by = excluded.verified_by,
	verified_at = excluded.verified_at, verification_method = excluded.verification_method,
	content_hash = excluded.content_hash,
	contacts_hash = CASE WHEN excluded.contacts_hash = '' THEN organisations.contacts_hash ELSE excluded.contacts_hash END,
	version = organisations.version + 1, updated_at = excluded.updated_at
WHERE organisations.content_hash <> excluded.content_hash
	OR (excluded.contacts_hash <> '' AND organisations.contacts_hash <> excluded.contacts_hash)
RETURNING ref, id, version, created_at`

// contactColumns is the number of values one contact row binds; source and
// public are fixed: imported contacts are never public.
const contactColumns = 6

const contactRow = `(?, 'import', ?, ?, ?, ?, ?, FALSE)`

var _ isa.OrganisationBatcher = (*DB)(nil)

// UpsertOrganisations upserts many organisations in one transaction of its
// own; see (*conn).UpsertOrganisations.
func (db *DB) UpsertOrganisations(ctx context.Context, os []isa.OrgUpsert) ([]isa.Outcome, []error, error) {
	return db.reader().UpsertOrganisations(ctx, os)
}

// UpsertOrganisations upserts many organisations with a few statements per
// c.batchRows() records; see isa.OrganisationBatcher. A problem of one record
// (invalid field, unknown city) goes to errs[i] without a failed statement.
// err reports a failure of the whole call: outside a transaction nothing of
// it is stored, inside one the transaction must roll back.
func (c *conn) UpsertOrganisations(ctx context.Context, os []isa.OrgUpsert) (outcomes []isa.Outcome, errs []error, err error) {
	outcomes = make([]isa.Outcome, len(os))
	errs = make([]error, len(os))
	rows := make([]orgRow, len(os))
	for i, u := range os {
		rows[i], errs[i] = prepareOrg(u.Org, u.Contacts)
	}
	err = c.write(ctx, func(c *conn) error {
		if err := c.bulkCommit(ctx); err != nil {
			return err
		}
		if err := c.lockWrites(ctx); err != nil {
			return err
		}
		var run []int
		seen := map[string]bool{}
		flush := func() error {
			err := c.upsertOrgRun(ctx, os, rows, run, outcomes, errs)
			run = run[:0]
			clear(seen)
			return err
		}
		for i, u := range os {
			if errs[i] != nil {
				continue
			}
			// One statement may not touch a row twice: a repeated ref
			// starts a new run, so the later record wins.
			if seen[u.Org.Ref] || len(run) == c.batchRows() {
				if err := flush(); err != nil {
					return err
				}
			}
			seen[u.Org.Ref] = true
			run = append(run, i)
		}
		return flush()
	})
	if err != nil {
		return nil, nil, err
	}
	return outcomes, errs, nil
}

// upsertOrgRun writes the organisations os[run[k]], whose refs differ.
func (c *conn) upsertOrgRun(ctx context.Context, os []isa.OrgUpsert, rows []orgRow, run []int, outcomes []isa.Outcome, errs []error) error {
	if len(run) == 0 {
		return nil
	}
	known, err := c.knownCities(ctx, os, run)
	if err != nil {
		return err
	}
	todo := run[:0:0]
	for _, i := range run {
		if city := os[i].Org.City; !known[city] {
			e := isa.NotFound("city", city)
			e.Field = "city"
			errs[i] = e
			continue
		}
		todo = append(todo, i)
	}
	if len(todo) == 0 {
		return nil
	}

	t := now()
	args := make([]any, 0, len(todo)*orgColumns)
	byRef := make(map[string]int, len(todo))
	for _, i := range todo {
		o, r := os[i].Org, &rows[i]
		byRef[o.Ref] = i
		args = append(args, o.Ref, o.Name, r.names, string(o.Kind), o.City, string(o.Size), o.Founded, o.Website,
			r.industries, r.about, string(o.Verification.State), o.Verification.By, r.verifiedAt, o.Verification.Method,
			r.hash, r.contactsHash, 1, t, t)
	}
	written, err := c.query(ctx, orgBatchUpsert+placeholders(len(todo), orgColumns)+orgBatchOnConflict, args...)
	if err != nil {
		return wrap(err, "save %d organisations", len(todo))
	}
	var changed []int  // written, created or updated
	var replaced []any // ids of updated organisations: their side rows go
	var contacts []any // ids whose imported contacts are replaced
	done := make(map[int]bool, len(todo))
	for written.Next() {
		var ref string
		var id, version int64
		var created time.Time
		if err := written.Scan(&ref, &id, &version, &created); err != nil {
			written.Close()
			return wrap(err, "save %d organisations", len(todo))
		}
		i, ok := byRef[ref]
		if !ok || done[i] {
			written.Close()
			return wrap(errUnexpectedRow(ref), "save %d organisations", len(todo))
		}
		done[i] = true
		o := os[i].Org
		o.ID, o.CreatedAt, o.UpdatedAt = id, created.UTC(), t
		outcomes[i] = isa.Created
		if version > 1 {
			outcomes[i] = isa.Updated
			replaced = append(replaced, id)
			if os[i].Contacts != nil {
				contacts = append(contacts, id)
			}
		}
		changed = append(changed, i)
	}
	if err := written.Err(); err != nil {
		return wrap(err, "save %d organisations", len(todo))
	}
	written.Close()

	if err := c.deleteIn(ctx, `DELETE FROM org_industries WHERE org_id IN (`, replaced); err != nil {
		return wrap(err, "save industries")
	}
	if err := c.deleteIn(ctx, `DELETE FROM contact_persons WHERE source = 'import' AND org_id IN (`, contacts); err != nil {
		return wrap(err, "replace contacts")
	}
	if err := c.insertOrgIndustries(ctx, os, changed); err != nil {
		return err
	}
	if err := c.insertContacts(ctx, os, changed); err != nil {
		return err
	}
	return c.unchangedOrgs(ctx, os, todo, done, byRef, outcomes)
}

// errUnexpectedRow reports a RETURNING row the statement should not have
// given: a bug, or a database that does not behave as assumed.
type errUnexpectedRow string

func (e errUnexpectedRow) Error() string { return "unexpected row for ref " + string(e) }

// knownCities tells which of the cities the run names exist.
func (c *conn) knownCities(ctx context.Context, os []isa.OrgUpsert, run []int) (map[string]bool, error) {
	known := make(map[string]bool)
	var slugs []any
	for _, i := range run {
		if city := os[i].Org.City; !known[city] {
			known[city] = true
			slugs = append(slugs, city)
		}
	}
	clear(known)
	rows, err := c.query(ctx, `SELECT slug FROM cities WHERE slug IN (`+placeholders(len(slugs), 1)+`)`, slugs...)
	if err != nil {
		return nil, wrap(err, "look up cities")
	}
	defer rows.Close()
	for rows.Next() {
		var slug string
		if err := rows.Scan(&slug); err != nil {
			return nil, wrap(err, "look up cities")
		}
		known[slug] = true
	}
	return known, wrap(rows.Err(), "look up cities")
}

// deleteIn runs head + the ids + ")" in chunks.
func (c *conn) deleteIn(ctx context.Context, head string, ids []any) error {
	for lo := 0; lo < len(ids); lo += chunk {
		part := ids[lo:min(lo+chunk, len(ids))]
		if _, err := c.exec(ctx, head+placeholders(len(part), 1)+`)`, part...); err != nil {
			return err
		}
	}
	return nil
}

func (c *conn) insertOrgIndustries(ctx context.Context, os []isa.OrgUpsert, changed []int) error {
	var args []any
	for _, i := range changed {
		o := os[i].Org
		for _, code := range dedupe(o.Industries) {
			args = append(args, o.ID, code)
		}
	}
	for lo := 0; lo < len(args); lo += 2 * chunk {
		part := args[lo:min(lo+2*chunk, len(args))]
		if _, err := c.exec(ctx, `INSERT INTO org_industries (org_id, code) VALUES `+placeholders(len(part)/2, 2), part...); err != nil {
			return wrap(err, "save industries")
		}
	}
	return nil
}

// insertContacts stores the contacts of the written organisations that
// brought a list and sets their IDs. Identity values are handed out in the
// order of the VALUES rows on both engines (Contacts reads them back in id
// order for the same reason), so the returned ids, sorted per
// organisation, belong to its contacts in turn.
func (c *conn) insertContacts(ctx context.Context, os []isa.OrgUpsert, changed []int) error {
	type ref struct{ org, k int }
	var refs []ref
	for _, i := range changed {
		for k := range os[i].Contacts {
			refs = append(refs, ref{i, k})
		}
	}
	byOrg := make(map[int64][]int64)
	for lo := 0; lo < len(refs); lo += chunk {
		part := refs[lo:min(lo+chunk, len(refs))]
		args := make([]any, 0, len(part)*contactColumns)
		for _, r := range part {
			p := &os[r.org].Contacts[r.k]
			langs, err := encodeJSON(nonNil(p.Langs))
			if err != nil {
				return err
			}
			args = append(args, os[r.org].Org.ID, p.Name, p.Role, p.Email, p.Phone, langs)
		}
		q := `INSERT INTO contact_persons (org_id, source, name, role, email, phone, langs, public) VALUES ` +
			repeatRow(contactRow, len(part)) + ` RETURNING id, org_id`
		rows, err := c.query(ctx, q, args...)
		if err != nil {
			return wrap(err, "replace contacts")
		}
		for rows.Next() {
			var id, org int64
			if err := rows.Scan(&id, &org); err != nil {
				rows.Close()
				return wrap(err, "replace contacts")
			}
			byOrg[org] = append(byOrg[org], id)
		}
		if err := rows.Err(); err != nil {
			return wrap(err, "replace contacts")
		}
		rows.Close()
	}
	for _, i := range changed {
		o, list := os[i].Org, os[i].Contacts
		ids := byOrg[o.ID]
		if len(ids) != len(list) {
			return wrap(errUnexpectedRow(o.Ref), "replace contacts: %d ids for %d contacts", len(ids), len(list))
		}
		slices.Sort(ids)
		for k := range list {
			list[k].ID, list[k].OrgID, list[k].Public = ids[k], o.ID, false
		}
	}
	return nil
}

// repeatRow returns n copies of row separated by commas.
func repeatRow(row string, n int) string {
	b := make([]byte, 0, n*(len(row)+2))
	for k := range n {
		if k > 0 {
			b = append(b, ", "...)
		}
		b = append(b, row...)
	}
	return string(b)
}

// unchangedOrgs fetches the ids and times of the organisations the upsert
// left alone because nothing differed.
func (c *conn) unchangedOrgs(ctx context.Context, os []isa.OrgUpsert, todo []int, done map[int]bool, byRef map[string]int, outcomes []isa.Outcome) error {
	var same []any
	for _, i := range todo {
		if !done[i] {
			same = append(same, os[i].Org.Ref)
		}
	}
	if len(same) == 0 {
		return nil
	}
	found, err := c.query(ctx, `SELECT ref, id, created_at, updated_at FROM organisations WHERE ref IN (`+placeholders(len(same), 1)+`)`, same...)
	if err != nil {
		return wrap(err, "look up unchanged organisations")
	}
	defer found.Close()
	n := 0
	for found.Next() {
		var ref string
		var id int64
		var created, updated time.Time
		if err := found.Scan(&ref, &id, &created, &updated); err != nil {
			return wrap(err, "look up unchanged organisations")
		}
		i := byRef[ref]
		o := os[i].Org
		o.ID, o.CreatedAt, o.UpdatedAt = id, created.UTC(), updated.UTC()
		outcomes[i] = isa.Unchanged
		n++
	}
	if err := found.Err(); err != nil {
		return wrap(err, "look up unchanged organisations")
	}
	if n != len(same) {
		return wrap(errUnexpectedRow(""), "look up unchanged organisations: %d of %d found", n, len(same))
	}
	return nil
}
