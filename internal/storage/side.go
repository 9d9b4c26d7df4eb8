package storage

import (
	"context"
	"strings"
)

// The side tables listing_industries and listing_cooperation are written
// behind: inside a transaction, UpsertListing only records what they must
// become, and flushSide writes many listings' rows with a few multi-row
// statements before anything reads them (a filtered read in the same
// transaction, or the commit). This turns four or five round trips per
// listing into one, which is what lets an import on PostgreSQL keep pace.

// sideRows is what one listing's side rows must become.
type sideRows struct {
	replace     bool // rows from an earlier write may exist: delete them first
	industries  []string
	cooperation []string
}

// flushAt bounds the memory of pending side rows in a long transaction.
const flushAt = 2000

// chunk is the most rows one multi-row statement carries: far below the
// bind-parameter limits of both engines (32766 and 65535).
const chunk = 500

func (c *conn) queueSide(ctx context.Context, id int64, replace bool, industries, cooperation []string) error {
	if c.side == nil {
		c.side = make(map[int64]*sideRows)
		c.sideOrder = c.sideOrder[:0]
	}
	if prev, ok := c.side[id]; ok {
		// Written twice before a flush: the last write wins, and rows of a
		// flush in between still need deleting.
		replace = replace || prev.replace
	} else {
		c.sideOrder = append(c.sideOrder, id)
	}
	c.side[id] = &sideRows{replace: replace, industries: dedupe(industries), cooperation: dedupe(cooperation)}
	if len(c.side) >= flushAt {
		return c.flushSide(ctx)
	}
	return nil
}

func (c *conn) flushSide(ctx context.Context) error {
	if len(c.side) == 0 {
		return nil
	}
	var del []any
	var ind, coop []any
	for _, id := range c.sideOrder {
		r := c.side[id]
		if r.replace {
			del = append(del, id)
		}
		for _, code := range r.industries {
			ind = append(ind, id, code)
		}
		for _, co := range r.cooperation {
			coop = append(coop, id, co)
		}
	}
	c.side, c.sideOrder = nil, c.sideOrder[:0]
	for _, table := range []string{"listing_industries", "listing_cooperation"} {
		for lo := 0; lo < len(del); lo += chunk {
			ids := del[lo:min(lo+chunk, len(del))]
			if _, err := c.exec(ctx, `DELETE FROM `+table+` WHERE listing_id IN (`+placeholders(len(ids), 1)+`)`, ids...); err != nil {
				return wrap(err, "clear %s", table)
			}
		}
	}
	for _, t := range []struct {
		table, column string
		args          []any
	}{{"listing_industries", "code", ind}, {"listing_cooperation", "cooperation", coop}} {
		for lo := 0; lo < len(t.args); lo += 2 * chunk {
			args := t.args[lo:min(lo+2*chunk, len(t.args))]
			q := `INSERT INTO ` + t.table + ` (listing_id, ` + t.column + `) VALUES ` + placeholders(len(args)/2, 2)
			if _, err := c.exec(ctx, q, args...); err != nil {
				return wrap(err, "write %s", t.table)
			}
		}
	}
	return nil
}

// placeholders returns rows groups of width `?`: "?, ?" for (2, 1),
// "(?, ?), (?, ?)" for (2, 2). Only the number of placeholders varies;
// values are always bound.
func placeholders(rows, width int) string {
	one := "?"
	if width > 1 {
		one = "(" + strings.Repeat("?, ", width-1) + "?)"
	}
	var b strings.Builder
	b.Grow(rows * (len(one) + 2))
	for i := range rows {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(one)
	}
	return b.String()
}
