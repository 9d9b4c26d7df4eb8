package storage

import (
	"context"
	"database/sql"
	"encoding/base64"
	"errors"
	"strconv"

	"github.com/isa-alliance/isa"
)

const (
	defaultLimit = 50
	maxLimit     = 500
)

func pageLimit(n int) int {
	switch {
	case n <= 0:
		return defaultLimit
	case n > maxLimit:
		return maxLimit
	}
	return n
}

// Cursors are opaque to callers: the id of the last row of a page, encoded
// so that nobody builds them by hand and the encoding may change.
func encodeCursor(id int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte("i" + strconv.FormatInt(id, 10)))
}

func decodeCursor(s string) (int64, error) {
	if s == "" {
		return 0, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err == nil && len(b) > 1 && b[0] == 'i' {
		if id, err := strconv.ParseInt(string(b[1:]), 10, 64); err == nil && id > 0 {
			return id, nil
		}
	}
	return 0, isa.Invalid("after", "not a valid page cursor")
}

// queryPage runs a query whose last argument is limit+1 and returns the
// page of at most limit rows, with the cursor of the next page when the
// extra row came back. what names the query in errors.
func queryPage[T any](ctx context.Context, c *conn, what string, limit int, scan func(scanner) (T, error), id func(*T) int64, query string, args ...any) (isa.Page[T], error) {
	var page isa.Page[T]
	rows, err := c.query(ctx, query, args...)
	if err != nil {
		return page, wrap(err, "%s", what)
	}
	defer rows.Close()
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return page, err
		}
		page.Items = append(page.Items, v)
	}
	if err := rows.Err(); err != nil {
		return page, wrap(err, "%s", what)
	}
	if len(page.Items) > limit {
		page.Items = page.Items[:limit]
		page.Next = encodeCursor(id(&page.Items[limit-1]))
	}
	return page, nil
}

// queryOne reads the one row a query by ref returns; NotFound names kind
// and ref when there is none.
func queryOne[T any](ctx context.Context, c *conn, kind, ref string, scan func(scanner) (T, error), query string) (*T, error) {
	v, err := scan(c.queryRow(ctx, query, ref))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, isa.NotFound(kind, ref)
	}
	if err != nil {
		return nil, err
	}
	return &v, nil
}
