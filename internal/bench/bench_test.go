package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// postgresURL is the server the test may create scratch databases on, or
// "" when none answers (the PostgreSQL half is then skipped, not failed).
func postgresURL(t *testing.T) string {
	t.Helper()
	u := os.Getenv("ISA_BENCH_POSTGRES_URL")
	if u == "" {
		u = DefaultPostgresURL
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, u)
	if err != nil {
		return ""
	}
	conn.Close(ctx)
	return u
}

func TestRunMeasuresWholePipelineOnBothEngines(t *testing.T) {
	if testing.Short() {
		t.Skip("imports and indexes 500 listings twice")
	}
	engines := []string{SQLite}
	pg := postgresURL(t)
	if pg != "" {
		engines = append(engines, Postgres)
	} else {
		t.Log("no PostgreSQL server: measuring SQLite only")
	}
	now := time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)
	rep, err := Run(t.Context(), Options{
		Listings: 500, Seed: 7, Engines: engines, PostgresURL: pg, Rounds: 1, MatchSample: 10,
		Now: func() time.Time { return now }, TempDir: t.TempDir(),
	})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Listings != 500 || rep.Orgs != 100 || rep.DataBytes <= 0 {
		t.Errorf("data: listings %d, orgs %d, bytes %d; want 500, 100, > 0", rep.Listings, rep.Orgs, rep.DataBytes)
	}
	if len(rep.Engines) != len(engines) {
		t.Fatalf("engines measured: %d, want %d", len(rep.Engines), len(engines))
	}
	for _, e := range rep.Engines {
		if e.Imported != 500 || e.Rejected != 0 {
			t.Errorf("%s: imported %d, rejected %d; want 500, 0", e.Engine, e.Imported, e.Rejected)
		}
		// Expired listings are never indexed; gen expires a few percent.
		if e.Indexed < 400 || e.Indexed > 500 {
			t.Errorf("%s: indexed %d of 500 listings", e.Engine, e.Indexed)
		}
		if e.ImportPerSecond <= 0 || e.IndexSeconds <= 0 {
			t.Errorf("%s: import %v/s, index %v s; want positive", e.Engine, e.ImportPerSecond, e.IndexSeconds)
		}
		checkLatency(t, e.Engine+" search", e.Search, len(DefaultQueries))
		checkLatency(t, e.Engine+" match", e.Match, 10)
		if e.PeakRSSBytes < e.HeapInUseBytes/2 || e.HeapInUseBytes <= 0 {
			t.Errorf("%s: peak RSS %d, heap %d: not plausible", e.Engine, e.PeakRSSBytes, e.HeapInUseBytes)
		}
		hits := 0
		for _, q := range e.PerQuery {
			hits += q.Total
		}
		if hits == 0 {
			t.Errorf("%s: no query found anything", e.Engine)
		}
	}
	if len(rep.Engines) == 2 {
		for i, q := range rep.Engines[0].PerQuery {
			if other := rep.Engines[1].PerQuery[i]; other.Total != q.Total {
				t.Errorf("query %s: %d hits on SQLite, %d on PostgreSQL: the engines index different data", q.Name, q.Total, other.Total)
			}
		}
	}
	if pg != "" {
		if rep.Baseline == nil {
			t.Fatal("no plain PostgreSQL baseline in the report")
		}
		checkLatency(t, "baseline", rep.Baseline.Search, len(DefaultQueries))
		if len(rep.Baseline.PerQuery) != len(DefaultQueries) {
			t.Errorf("baseline measured %d queries, want %d", len(rep.Baseline.PerQuery), len(DefaultQueries))
		}
	}

	var text, js bytes.Buffer
	if err := rep.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"search p95 ms", "import listings/s", "de-1-turbine", "zh-1-servo"} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("text report lacks %q", want)
		}
	}
	if err := rep.WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	var back Report
	if err := json.Unmarshal(js.Bytes(), &back); err != nil || back.Engines[0].Search.P95 != rep.Engines[0].Search.P95 {
		t.Errorf("JSON report does not read back: %v", err)
	}
}

func checkLatency(t *testing.T, what string, l Latency, n int) {
	t.Helper()
	if l.N != n {
		t.Errorf("%s: %d timings, want %d", what, l.N, n)
	}
	if !(l.P50 > 0 && l.P50 <= l.P95 && l.P95 <= l.P99 && l.P99 <= l.Max) {
		t.Errorf("%s: percentiles out of order: %+v", what, l)
	}
	if l.P99 > 5000 {
		t.Errorf("%s: p99 %.0f ms at 500 listings", what, l.P99)
	}
}

func TestScratchDatabaseIsDroppedAfterRun(t *testing.T) {
	pg := postgresURL(t)
	if pg == "" {
		t.Skip("no PostgreSQL server")
	}
	ctx := t.Context()
	s, err := createScratch(ctx, pg)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(s.name, "isa_bench_") || strings.Contains(s.url, "/postgres?") {
		t.Errorf("scratch %q at %q: not a database of its own", s.name, s.url)
	}
	if err := s.drop(ctx); err != nil {
		t.Fatal(err)
	}
	conn, err := pgx.Connect(ctx, pg)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var n int
	if err := conn.QueryRow(ctx, "SELECT count(*) FROM pg_database WHERE datname = $1", s.name).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("scratch database %s still exists", s.name)
	}
}

func TestPercentileIsNearestRank(t *testing.T) {
	ds := func(ms ...int) []time.Duration {
		out := make([]time.Duration, len(ms))
		for i, m := range ms {
			out[i] = time.Duration(m) * time.Millisecond
		}
		return out
	}
	tests := []struct {
		name string
		in   []time.Duration
		p    float64
		want time.Duration
	}{
		{"empty is zero", nil, 50, 0},
		{"one value is every percentile", ds(7), 99, 7 * time.Millisecond},
		{"median of ten is the fifth", ds(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), 50, 5 * time.Millisecond},
		{"p95 of ten is the tenth", ds(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), 95, 10 * time.Millisecond},
		{"p90 of ten is the ninth", ds(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), 90, 9 * time.Millisecond},
		{"p99 of a hundred is the 99th", ds(seq(100)...), 99, 99 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := percentile(tt.in, tt.p); got != tt.want {
				t.Errorf("percentile(%v) = %v, want %v", tt.p, got, tt.want)
			}
		})
	}
	if l := summarise(ds(30, 10, 20)); l.P50 != 20 || l.Max != 30 || l.Mean != 20 {
		t.Errorf("summarise does not sort first: %+v", l)
	}
}

func seq(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i + 1
	}
	return out
}

func TestReadQueries(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    int
		wantErr bool
	}{
		{"skips comments and blank lines", "# set\n\n{\"q\":\"Turbine\"}\n{\"name\":\"x\",\"q\":\"轴承\",\"country\":\"DE\"}\n", 2, false},
		{"rejects empty text", "{\"q\":\"  \"}\n", 0, true},
		{"rejects unknown fields", "{\"q\":\"a\",\"colour\":\"red\"}\n", 0, true},
		{"rejects an empty file", "# nothing\n", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			qs, err := ReadQueries(strings.NewReader(tt.in))
			if (err != nil) != tt.wantErr || len(qs) != tt.want {
				t.Errorf("got %d queries, err %v; want %d, error %v", len(qs), err, tt.want, tt.wantErr)
			}
		})
	}
}

func TestExampleQueryFileMatchesBuiltInSet(t *testing.T) {
	f, err := os.Open("testdata/queries.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	qs, err := ReadQueries(f)
	if err != nil {
		t.Fatal(err)
	}
	if len(qs) != len(DefaultQueries) {
		t.Fatalf("testdata has %d queries, the built-in set %d", len(qs), len(DefaultQueries))
	}
	for i := range qs {
		if qs[i] != DefaultQueries[i] {
			t.Errorf("query %d: file %+v, built in %+v", i, qs[i], DefaultQueries[i])
		}
	}
}

func TestDefaultQueriesAreValidAndMixed(t *testing.T) {
	langs := map[string]int{}
	filtered, names := 0, map[string]bool{}
	for _, q := range DefaultQueries {
		if _, err := q.search("2026-11-21"); err != nil {
			t.Errorf("%s: %v", q.Name, err)
		}
		if names[q.Name] {
			t.Errorf("name %s twice", q.Name)
		}
		names[q.Name] = true
		langs[q.Name[:strings.IndexByte(q.Name, '-')]]++
		if q.Filtered() {
			filtered++
		}
		if w := len(strings.Fields(q.Text)); w > 4 {
			t.Errorf("%s: %d words, the set stays within four", q.Name, w)
		}
	}
	for _, l := range []string{"de", "zh", "en"} {
		if langs[l] < 8 {
			t.Errorf("%d %s queries, want at least 8", langs[l], l)
		}
	}
	if filtered < 8 || filtered > len(DefaultQueries)-8 {
		t.Errorf("%d of %d queries filtered: want a mix", filtered, len(DefaultQueries))
	}
}

func TestParseEngines(t *testing.T) {
	tests := []struct {
		in      string
		want    string
		wantErr bool
	}{
		{"sqlite,postgres", "sqlite,postgres", false},
		{" postgres , sqlite,postgres", "postgres,sqlite", false},
		{"mysql", "", true},
		{",", "", true},
	}
	for _, tt := range tests {
		got, err := ParseEngines(tt.in)
		if (err != nil) != tt.wantErr || strings.Join(got, ",") != tt.want {
			t.Errorf("ParseEngines(%q) = %v, %v; want %q, error %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}
