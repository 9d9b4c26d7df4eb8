package bench

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/isa-alliance/isa/internal/search"
)

// scratchDB is a PostgreSQL database created for one run and dropped after
// it, so that a benchmark never touches data it did not make.
type scratchDB struct {
	admin string // URL of the database the scratch one was created from
	name  string
	url   string
}

func createScratch(ctx context.Context, adminURL string) (*scratchDB, error) {
	u, err := url.Parse(adminURL)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		// The URL may hold a password: never echo it.
		return nil, fmt.Errorf("the PostgreSQL URL is not a postgres:// URL")
	}
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		return nil, fmt.Errorf("scratch database name: %w", err)
	}
	name := "isa_bench_" + hex.EncodeToString(b[:])
	conn, err := pgx.Connect(ctx, adminURL)
	if err != nil {
		return nil, fmt.Errorf("connect to PostgreSQL at %s: %w", u.Host, err)
	}
	defer conn.Close(ctx)
	// The name is ours (hex digits), so it needs no quoting beyond this.
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		return nil, fmt.Errorf("create scratch database: %w", err)
	}
	u.Path = "/" + name
	return &scratchDB{admin: adminURL, name: name, url: u.String()}, nil
}

func (s *scratchDB) drop(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	conn, err := pgx.Connect(ctx, s.admin)
	if err != nil {
		return fmt.Errorf("connect to drop scratch database %s: %w", s.name, err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+s.name+" WITH (FORCE)"); err != nil {
		return fmt.Errorf("drop scratch database %s: %w", s.name, err)
	}
	return nil
}

// BaselineReport is what plain PostgreSQL full-text search scored on the
// same data and queries: a tsvector over title, description and keywords
// (configuration 'simple', as the listings mix three languages), a GIN
// index, websearch_to_tsquery, ts_rank top 20 and facet counts by GROUP BY.
type BaselineReport struct {
	// BuildSeconds is the time to fill the tsvector table and build its
	// GIN index.
	BuildSeconds float64 `json:"build_s"`
	// Search is ranked top 20 plus facet counts, the same work our engine
	// does per query; Ranked and Facets are its two statements alone.
	Search   Latency       `json:"search"`
	Ranked   Latency       `json:"ranked"`
	Facets   Latency       `json:"facets"`
	PerQuery []QueryResult `json:"per_query"`
}

// The baseline table is denormalised (city, country, organisation kind,
// sections and cooperation types beside the tsvector) so that the plain
// approach is measured at its best: no joins at query time.
const baselineBuild = `
CREATE TABLE bench_fts AS
SELECT l.ref, l.kind, l.lang, l.state, l.expires, o.kind AS org_kind, o.city, c.country,
       ARRAY(SELECT li.code FROM listing_industries li WHERE li.listing_id = l.id) AS industries,
       ARRAY(SELECT DISTINCT left(li.code, 1) FROM listing_industries li WHERE li.listing_id = l.id) AS sections,
       ARRAY(SELECT lc.cooperation FROM listing_cooperation lc WHERE lc.listing_id = l.id) AS cooperation,
       to_tsvector('simple', l.title || ' ' || l.description || ' ' || l.keywords) AS tsv
  FROM listings l
  JOIN organisations o ON o.id = l.org_id
  JOIN cities c ON c.slug = o.city;
CREATE INDEX bench_fts_tsv ON bench_fts USING gin (tsv);
ANALYZE bench_fts;`

func (r *runner) baseline(ctx context.Context, s *scratchDB) (*BaselineReport, error) {
	conn, err := pgx.Connect(ctx, s.url)
	if err != nil {
		return nil, fmt.Errorf("connect: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	rep := &BaselineReport{}
	start := time.Now()
	if _, err := conn.Exec(ctx, baselineBuild); err != nil {
		return nil, fmt.Errorf("build: %w", err)
	}
	rep.BuildSeconds = time.Since(start).Seconds()
	fmt.Fprintf(r.opts.Progress, "bench: plain PostgreSQL full-text: built tsvector and GIN index in %s\n", round(time.Since(start)))

	stmts := make([]baselineQuery, len(r.opts.Queries))
	for i, q := range r.opts.Queries {
		stmts[i] = baselineSQL(q, string(r.today))
	}
	rep.PerQuery = make([]QueryResult, len(stmts))
	per := make([][]time.Duration, len(stmts))
	var all, ranked, facets []time.Duration
	for round := 0; round <= r.opts.Rounds; round++ {
		for i, bq := range stmts {
			t0 := time.Now()
			if err := drain(ctx, conn, bq.ranked, bq.args); err != nil {
				return nil, fmt.Errorf("query %s: %w", r.opts.Queries[i].Name, err)
			}
			t1 := time.Now()
			total, err := facetTotal(ctx, conn, bq.facets, bq.args)
			if err != nil {
				return nil, fmt.Errorf("facets %s: %w", r.opts.Queries[i].Name, err)
			}
			t2 := time.Now()
			if round == 0 {
				rep.PerQuery[i] = QueryResult{Name: r.opts.Queries[i].Name, Total: total}
				continue
			}
			per[i] = append(per[i], t2.Sub(t0))
			all = append(all, t2.Sub(t0))
			ranked = append(ranked, t1.Sub(t0))
			facets = append(facets, t2.Sub(t1))
		}
	}
	for i := range per {
		rep.PerQuery[i].P50 = summarise(per[i]).P50
	}
	rep.Search, rep.Ranked, rep.Facets = summarise(all), summarise(ranked), summarise(facets)
	fmt.Fprintf(r.opts.Progress, "bench: plain PostgreSQL full-text: search p50 %.1f ms, p95 %.1f ms\n", rep.Search.P50, rep.Search.P95)
	return rep, nil
}

type baselineQuery struct {
	ranked, facets string
	args           []any
}

// baselineSQL writes the two statements of a query. Values travel as
// parameters; only fixed column names are written into the text.
func baselineSQL(q Query, today string) baselineQuery {
	args := []any{q.Text, today}
	where := []string{"tsv @@ q", "state = 'published'", "(expires = '' OR expires >= $2)"}
	add := func(cond, val string) {
		if val == "" {
			return
		}
		args = append(args, val)
		where = append(where, strings.ReplaceAll(cond, "?", "$"+strconv.Itoa(len(args))))
	}
	add("kind = ?", q.Kind)
	add("country = ?", q.Country)
	add("city = ?", q.City)
	add("lang = ?", q.Lang)
	add("org_kind = ?", q.OrgKind)
	add("? = ANY (cooperation)", q.Cooperation)
	add("EXISTS (SELECT 1 FROM unnest(industries) AS code WHERE starts_with(code, ?))", q.Industry)
	from := "FROM bench_fts, websearch_to_tsquery('simple', $1) AS q WHERE " + strings.Join(where, " AND ")
	return baselineQuery{
		ranked: "SELECT ref, ts_rank(tsv, q) AS rank " + from + " ORDER BY rank DESC LIMIT " + strconv.Itoa(search.DefaultLimit),
		facets: "WITH m AS MATERIALIZED (SELECT kind, lang, country, city, org_kind, sections, cooperation " + from + ")\n" +
			"SELECT 'kind', kind, count(*) FROM m GROUP BY kind\n" +
			"UNION ALL SELECT 'country', country, count(*) FROM m GROUP BY country\n" +
			"UNION ALL SELECT 'lang', lang, count(*) FROM m GROUP BY lang\n" +
			"UNION ALL SELECT 'city', city, count(*) FROM m GROUP BY city\n" +
			"UNION ALL SELECT 'org_kind', org_kind, count(*) FROM m GROUP BY org_kind\n" +
			"UNION ALL SELECT 'section', s, count(*) FROM m, unnest(m.sections) AS s GROUP BY s\n" +
			"UNION ALL SELECT 'cooperation', c, count(*) FROM m, unnest(m.cooperation) AS c GROUP BY c",
		args: args,
	}
}

func drain(ctx context.Context, conn *pgx.Conn, sql string, args []any) error {
	rows, err := conn.Query(ctx, sql, args...)
	if err != nil {
		return err
	}
	for rows.Next() {
	}
	rows.Close()
	return rows.Err()
}

// facetTotal runs the facet statement and returns the number of hits (the
// sum of the kind facet).
func facetTotal(ctx context.Context, conn *pgx.Conn, sql string, args []any) (int, error) {
	rows, err := conn.Query(ctx, sql, args...)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	total := 0
	for rows.Next() {
		var facet, value string
		var n int
		if err := rows.Scan(&facet, &value, &n); err != nil {
			return 0, err
		}
		if facet == "kind" {
			total += n
		}
	}
	return total, rows.Err()
}
