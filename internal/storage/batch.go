package storage

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"io"
	"time"

	"github.com/isa-alliance/isa"
)

// batchRows is the most records one multi-row upsert carries (18 or 19
// bound values each, well under SQLite's 32766 and PostgreSQL's 65535).
// PostgreSQL takes twice as many: each statement is a round trip, and an
// import of 300,000 listings ran about 3 % faster with 500; on SQLite 500
// ran about 5 % slower (larger statement journals).
func (c *conn) batchRows() int {
	if c.db.engine == enginePostgres {
		return 500
	}
	return 250
}

// listingRow is one listing prepared for the multi-row upsert.
type listingRow struct {
	i                                                     int // index in the caller's slice
	translations, cooperation, industries, keywords, hash string
}

// UpsertListings upserts many listings with a few statements per
// c.batchRows() records instead of one or more per record: the path for bulk
// imports. outcomes[i] and errs[i] belong to ls[i]; a problem of one record
// (invalid field, unknown organisation) goes to errs[i] and leaves the
// others alone (no SQL statement fails for it, so the transaction stays
// usable). err reports a failure of the whole call: outside a transaction
// nothing of it is stored, inside one the transaction must roll back.
// Records are written in order, so a later record with the same ref wins,
// as with UpsertListing one by one.
func (c *conn) UpsertListings(ctx context.Context, ls []*isa.Listing) (outcomes []isa.Outcome, errs []error, err error) {
	return c.upsertListings(ctx, ls, false)
}

// ImportListings is UpsertListings with the rule of ImportListing: stored
// listings that are withdrawn, drafts or in review keep their state, and
// each written or unchanged ls[i].State is the state stored afterwards.
func (c *conn) ImportListings(ctx context.Context, ls []*isa.Listing) (outcomes []isa.Outcome, errs []error, err error) {
	return c.upsertListings(ctx, ls, true)
}

func (c *conn) upsertListings(ctx context.Context, ls []*isa.Listing, keep bool) (outcomes []isa.Outcome, errs []error, err error) {
	outcomes = make([]isa.Outcome, len(ls))
	errs = make([]error, len(ls))
	err = c.write(ctx, func(c *conn) error {
		if err := c.bulkCommit(ctx); err != nil {
			return err
		}
		var run []int
		seen := map[string]bool{}
		flush := func() error {
			err := c.upsertRun(ctx, ls, run, outcomes, errs, keep)
			run = run[:0]
			clear(seen)
			return err
		}
		for i, l := range ls {
			if e := checkListing(l); e != nil {
				errs[i] = e
				continue
			}
			// One statement may not touch a row twice: a repeated ref
			// starts a new run.
			if seen[l.Ref] || len(run) == c.batchRows() {
				if err := flush(); err != nil {
					return err
				}
			}
			seen[l.Ref] = true
			run = append(run, i)
		}
		return flush()
	})
	if err != nil {
		return nil, nil, err
	}
	return outcomes, errs, nil
}

// upsertRun writes the listings ls[run[k]], whose refs differ.
func (c *conn) upsertRun(ctx context.Context, ls []*isa.Listing, run []int, outcomes []isa.Outcome, errs []error, keep bool) error {
	if len(run) == 0 {
		return nil
	}
	orgs, err := c.orgIDs(ctx, ls, run)
	if err != nil {
		return err
	}
	rows := make([]listingRow, 0, len(run))
	for _, i := range run {
		l := ls[i]
		id, ok := orgs[l.Org]
		if !ok {
			e := isa.NotFound("organisation", l.Org)
			e.Field = "org"
			errs[i] = e
			continue
		}
		l.OrgID = id
		r, err := encodeListing(l)
		if err != nil {
			errs[i] = err
			continue
		}
		r.i = i
		rows = append(rows, r)
	}
	if len(rows) == 0 {
		return nil
	}

	seq, err := c.nextSeq(ctx)
	if err != nil {
		return err
	}
	t := now()
	args := make([]any, 0, len(rows)*18)
	for k, r := range rows {
		l := ls[r.i]
		args = append(args, l.Ref, l.OrgID, string(l.Kind), string(l.Lang), l.Title, l.Description, r.translations,
			r.cooperation, r.industries, r.keywords, string(l.State), string(l.Published), string(l.Expires), r.hash,
			seq+int64(k), 1, t, t)
	}
	// Every row takes a sequence number; those of unchanged rows stay
	// unused, which leaves gaps but keeps the order.
	c.seqLast += int64(len(rows)) - 1
	c.useSeq()

	onConflict := listingOnConflict
	if keep {
		onConflict = listingOnConflictKeep
	}
	q := listingInsert + `VALUES ` + placeholders(len(rows), 18) + `
` + onConflict + `RETURNING ref, id, version, created_at, state`
	written, err := c.query(ctx, q, args...)
	if err != nil {
		return wrap(err, "save %d listings", len(rows))
	}
	byRef := make(map[string]int, len(rows))
	for _, r := range rows {
		byRef[ls[r.i].Ref] = r.i
	}
	done := make(map[int]bool, len(rows))
	updated := make(map[int]bool)
	for written.Next() {
		var ref, state string
		var id, version int64
		var created time.Time
		if err := written.Scan(&ref, &id, &version, &created, &state); err != nil {
			written.Close()
			return wrap(err, "save %d listings", len(rows))
		}
		i := byRef[ref]
		l := ls[i]
		l.ID, l.CreatedAt, l.UpdatedAt, l.State = id, created.UTC(), t, isa.ListingState(state)
		outcomes[i] = isa.Updated
		if version == 1 {
			outcomes[i] = isa.Created
		}
		done[i] = true
		if version > 1 {
			updated[i] = true
		}
	}
	if err := written.Err(); err != nil {
		return wrap(err, "save %d listings", len(rows))
	}
	written.Close()
	// The side rows are queued only now: queueing may flush them, and a
	// PostgreSQL connection cannot run a statement while the rows of
	// another are still being read (the driver reports a bad connection).
	for _, r := range rows {
		if l := ls[r.i]; done[r.i] {
			if err := c.queueSide(ctx, l.ID, updated[r.i], l.Industries, l.Cooperation); err != nil {
				return err
			}
		}
	}

	// The rows the upsert left alone exist unchanged: fetch their ids.
	var same []any
	for _, r := range rows {
		if !done[r.i] {
			same = append(same, ls[r.i].Ref)
		}
	}
	if len(same) == 0 {
		return nil
	}
	found, err := c.query(ctx, `SELECT ref, id, created_at, updated_at, state FROM listings WHERE ref IN (`+placeholders(len(same), 1)+`)`, same...)
	if err != nil {
		return wrap(err, "look up unchanged listings")
	}
	defer found.Close()
	for found.Next() {
		var ref, state string
		var id int64
		var created, updated time.Time
		if err := found.Scan(&ref, &id, &created, &updated, &state); err != nil {
			return wrap(err, "look up unchanged listings")
		}
		l := ls[byRef[ref]]
		l.ID, l.CreatedAt, l.UpdatedAt, l.State = id, created.UTC(), updated.UTC(), isa.ListingState(state)
		outcomes[byRef[ref]] = isa.Unchanged
	}
	return wrap(found.Err(), "look up unchanged listings")
}

// orgIDs resolves the organisation refs of the run in one query.
func (c *conn) orgIDs(ctx context.Context, ls []*isa.Listing, run []int) (map[string]int64, error) {
	ids := make(map[string]int64)
	var refs []any
	for _, i := range run {
		if _, ok := ids[ls[i].Org]; !ok {
			ids[ls[i].Org] = 0
			refs = append(refs, ls[i].Org)
		}
	}
	clear(ids)
	rows, err := c.query(ctx, `SELECT ref, id FROM organisations WHERE ref IN (`+placeholders(len(refs), 1)+`)`, refs...)
	if err != nil {
		return nil, wrap(err, "look up organisations")
	}
	defer rows.Close()
	for rows.Next() {
		var ref string
		var id int64
		if err := rows.Scan(&ref, &id); err != nil {
			return nil, wrap(err, "look up organisations")
		}
		ids[ref] = id
	}
	return ids, wrap(rows.Err(), "look up organisations")
}

// encodeListing computes the JSON columns and the content hash of l.
func encodeListing(l *isa.Listing) (listingRow, error) {
	var r listingRow
	var err error
	for _, f := range []struct {
		dst *string
		v   any
	}{{&r.translations, l.Translations}, {&r.cooperation, nonNil(l.Cooperation)}, {&r.industries, nonNil(l.Industries)}, {&r.keywords, nonNil(l.Keywords)}} {
		if *f.dst, err = encodeJSON(f.v); err != nil {
			return r, err
		}
	}
	if r.translations == "null" {
		r.translations = "{}"
	}
	// The hash covers the columns as stored, each with its length so that
	// no two different listings run together into the same bytes; the
	// JSON columns are canonical (encoding/json sorts map keys).
	h := sha256.New()
	var n [binary.MaxVarintLen64]byte
	for _, f := range []string{l.Org, string(l.Kind), string(l.Lang), l.Title, l.Description,
		r.translations, r.cooperation, r.industries, r.keywords, string(l.Published), string(l.Expires)} {
		h.Write(n[:binary.PutUvarint(n[:], uint64(len(f)))])
		io.WriteString(h, f)
	}
	r.hash = hex.EncodeToString(h.Sum(nil)[:16])
	return r, nil
}

// ImportListings runs (*conn).ImportListings in a transaction of its own.
func (db *DB) ImportListings(ctx context.Context, ls []*isa.Listing) ([]isa.Outcome, []error, error) {
	return db.reader().ImportListings(ctx, ls)
}
