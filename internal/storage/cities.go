package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/isa-alliance/isa"
)

// syncCities brings the cities table in line with the list compiled into
// the binary: new cities are added and changed ones rewritten; cities are
// never deleted, because organisations refer to them (a city that leaves
// the alliance keeps its row and gets an end date in its membership).
func (db *DB) syncCities(ctx context.Context, list []isa.City) error {
	return db.inTx(ctx, func(c *conn) error {
		changed := 0
		for _, city := range list {
			n, err := c.upsertCity(ctx, city)
			if err != nil {
				return err
			}
			changed += n
		}
		if changed > 0 {
			db.log.Info("member cities updated", "changed", changed, "cities", len(list))
		}
		return nil
	})
}

// upsertCity writes city unless the stored row has the same content and
// returns 1 if it wrote.
func (c *conn) upsertCity(ctx context.Context, city isa.City) (int, error) {
	if city.Slug == "" {
		return 0, isa.Invalid("slug", "a city needs a slug")
	}
	hash, err := hashOf(city)
	if err != nil {
		return 0, err
	}
	var names, region, profile, office string
	for _, f := range []struct {
		dst *string
		v   any
	}{{&names, city.Names}, {&region, city.Region}, {&profile, city.Profile}, {&office, city.Office}} {
		if *f.dst, err = encodeJSON(f.v); err != nil {
			return 0, err
		}
	}
	res, err := c.exec(ctx, `INSERT INTO cities (slug, country, names, region, profile, office, content_hash)
VALUES (?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (slug) DO UPDATE SET country = excluded.country, names = excluded.names, region = excluded.region,
	profile = excluded.profile, office = excluded.office, content_hash = excluded.content_hash
WHERE cities.content_hash <> excluded.content_hash`,
		city.Slug, city.Country, names, region, profile, office, hash)
	if err != nil {
		return 0, wrap(err, "save city %s", city.Slug)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return 0, err
	}
	if _, err := c.exec(ctx, `DELETE FROM city_memberships WHERE city = ?`, city.Slug); err != nil {
		return 0, wrap(err, "save memberships of %s", city.Slug)
	}
	for i, m := range city.Memberships {
		_, err := c.exec(ctx, `INSERT INTO city_memberships (city, position, joined_on, event, left_on, note) VALUES (?, ?, ?, ?, ?, ?)`,
			city.Slug, i, string(m.Joined), m.Event, string(m.Left), m.Note)
		if err != nil {
			return 0, wrap(err, "save memberships of %s", city.Slug)
		}
	}
	return 1, nil
}

const citySelect = `SELECT slug, country, names, region, profile, office FROM cities`

// Cities returns all member cities, German ones first, each side by slug.
func (c *conn) Cities(ctx context.Context) ([]isa.City, error) {
	rows, err := c.query(ctx, citySelect+` ORDER BY country DESC, slug`)
	if err != nil {
		return nil, wrap(err, "list cities")
	}
	var list []isa.City
	bySlug := map[string]int{}
	for rows.Next() {
		city, err := scanCity(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		bySlug[city.Slug] = len(list)
		list = append(list, city)
	}
	if err := rows.Err(); err != nil {
		return nil, wrap(err, "list cities")
	}
	rows.Close()
	err = c.memberships(ctx, `SELECT city, joined_on, event, left_on, note FROM city_memberships ORDER BY city, position`,
		nil, func(slug string, m isa.Membership) {
			if i, ok := bySlug[slug]; ok {
				list[i].Memberships = append(list[i].Memberships, m)
			}
		})
	return list, err
}

// City returns the city with the slug.
func (c *conn) City(ctx context.Context, slug string) (isa.City, error) {
	city, err := scanCity(c.queryRow(ctx, citySelect+` WHERE slug = ?`, slug))
	if errors.Is(err, sql.ErrNoRows) {
		return isa.City{}, isa.NotFound("city", slug)
	}
	if err != nil {
		return isa.City{}, err
	}
	err = c.memberships(ctx, `SELECT city, joined_on, event, left_on, note FROM city_memberships WHERE city = ? ORDER BY position`,
		[]any{slug}, func(_ string, m isa.Membership) { city.Memberships = append(city.Memberships, m) })
	return city, err
}

func (c *conn) memberships(ctx context.Context, query string, args []any, add func(string, isa.Membership)) error {
	rows, err := c.query(ctx, query, args...)
	if err != nil {
		return wrap(err, "read memberships")
	}
	defer rows.Close()
	for rows.Next() {
		var slug, joined, left string
		var m isa.Membership
		if err := rows.Scan(&slug, &joined, &m.Event, &left, &m.Note); err != nil {
			return wrap(err, "read memberships")
		}
		m.Joined, m.Left = isa.Date(joined), isa.Date(left)
		add(slug, m)
	}
	return wrap(rows.Err(), "read memberships")
}

type scanner interface{ Scan(dest ...any) error }

func scanCity(s scanner) (isa.City, error) {
	var city isa.City
	var names, region, profile, office string
	if err := s.Scan(&city.Slug, &city.Country, &names, &region, &profile, &office); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return city, err
		}
		return city, wrap(err, "read city")
	}
	for _, err := range []error{
		decodeJSON(names, &city.Names), decodeJSON(region, &city.Region),
		decodeJSON(profile, &city.Profile), decodeJSON(office, &city.Office),
	} {
		if err != nil {
			return city, fmt.Errorf("city %s: %w", city.Slug, err)
		}
	}
	return city, nil
}
