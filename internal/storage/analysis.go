package storage

import (
	"context"

	"github.com/isa-alliance/isa"
)

var _ isa.AnalysisStore = (*DB)(nil)

// analysisRows is the most analyses one statement reads or writes: 4
// bound values per written row stay far below SQLite's 32766, and a few
// hundred blobs of a few hundred bytes make a statement of modest size.
const analysisRows = 500

// ListingAnalyses returns the stored analyses of the listings with the ids
// that the analyser with the fingerprint made.
func (db *DB) ListingAnalyses(ctx context.Context, fingerprint string, listingIDs []int64) ([]isa.ListingAnalysis, error) {
	return db.reader().ListingAnalyses(ctx, fingerprint, listingIDs)
}

// PutListingAnalyses stores analyses in one transaction of its own.
func (db *DB) PutListingAnalyses(ctx context.Context, as []isa.ListingAnalysis) error {
	return db.reader().PutListingAnalyses(ctx, as)
}

func (c *conn) ListingAnalyses(ctx context.Context, fingerprint string, listingIDs []int64) ([]isa.ListingAnalysis, error) {
	var out []isa.ListingAnalysis
	for len(listingIDs) > 0 {
		n := min(len(listingIDs), analysisRows)
		args := make([]any, 0, n+1)
		args = append(args, fingerprint)
		for _, id := range listingIDs[:n] {
			args = append(args, id)
		}
		listingIDs = listingIDs[n:]
		rows, err := c.query(ctx, `SELECT listing_id, input_hash, data FROM listing_analysis
WHERE fingerprint = ? AND listing_id IN (`+placeholders(n, 1)+`)`, args...)
		if err != nil {
			return nil, wrap(err, "read listing analyses")
		}
		for rows.Next() {
			a := isa.ListingAnalysis{Fingerprint: fingerprint}
			if err := rows.Scan(&a.ListingID, &a.InputHash, &a.Data); err != nil {
				rows.Close()
				return nil, wrap(err, "read listing analyses")
			}
			out = append(out, a)
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, wrap(err, "read listing analyses")
		}
	}
	return out, nil
}

const analysisUpsert = `INSERT INTO listing_analysis (listing_id, fingerprint, input_hash, data) VALUES `

const analysisOnConflict = `
ON CONFLICT (listing_id) DO UPDATE SET fingerprint = excluded.fingerprint,
	input_hash = excluded.input_hash, data = excluded.data`

func (c *conn) PutListingAnalyses(ctx context.Context, as []isa.ListingAnalysis) error {
	// A later analysis of the same listing wins, and one statement may not
	// touch a row twice.
	last := make(map[int64]int, len(as))
	for i, a := range as {
		last[a.ListingID] = i
	}
	rows := make([]isa.ListingAnalysis, 0, len(last))
	for i, a := range as {
		if last[a.ListingID] == i {
			rows = append(rows, a)
		}
	}
	for len(rows) > 0 {
		n := min(len(rows), analysisRows)
		if err := c.putAnalyses(ctx, rows[:n]); err != nil {
			return err
		}
		rows = rows[n:]
	}
	return nil
}

// putAnalyses writes one statement's worth of analyses in a transaction
// of its own (outside one), so that a long write-back never holds the
// SQLite writer for long.
func (c *conn) putAnalyses(ctx context.Context, rows []isa.ListingAnalysis) error {
	err := c.write(ctx, func(c *conn) error { return c.upsertAnalyses(ctx, rows) })
	if constraint(err) != "foreign_key" || c.tx != nil {
		return err
	}
	// A listing went while its analysis was computed: write the others.
	var existing []isa.ListingAnalysis
	err = c.write(ctx, func(c *conn) error {
		ids := make([]any, len(rows))
		for i, a := range rows {
			ids[i] = a.ListingID
		}
		found, err := c.query(ctx, `SELECT id FROM listings WHERE id IN (`+placeholders(len(ids), 1)+`)`, ids...)
		if err != nil {
			return wrap(err, "look up listings of analyses")
		}
		have := map[int64]bool{}
		for found.Next() {
			var id int64
			if err := found.Scan(&id); err != nil {
				found.Close()
				return wrap(err, "look up listings of analyses")
			}
			have[id] = true
		}
		err = found.Err()
		found.Close()
		if err != nil {
			return wrap(err, "look up listings of analyses")
		}
		for _, a := range rows {
			if have[a.ListingID] {
				existing = append(existing, a)
			}
		}
		return c.upsertAnalyses(ctx, existing)
	})
	return err
}

func (c *conn) upsertAnalyses(ctx context.Context, rows []isa.ListingAnalysis) error {
	if len(rows) == 0 {
		return nil
	}
	args := make([]any, 0, 4*len(rows))
	for _, a := range rows {
		args = append(args, a.ListingID, a.Fingerprint, a.InputHash, a.Data)
	}
	_, err := c.exec(ctx, analysisUpsert+placeholders(len(rows), 4)+analysisOnConflict, args...)
	return wrap(err, "save %d listing analyses", len(rows))
}
