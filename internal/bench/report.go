package bench

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// Targets are the figures issue 3 asks for at 1,000,000 listings on a
// 2-core machine.
var Targets = struct {
	SearchP95Ms, MatchP95Ms, ImportPerSecond float64
	PeakRSSBytes                             int64
}{50, 100, 10000, 2 << 30}

// WriteJSON writes the report as one indented JSON object.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(r); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	return nil
}

// WriteText writes the report as tables a person reads: the engines side
// by side, the plain PostgreSQL baseline as ratios, the targets and the
// queries one by one.
func (r *Report) WriteText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "ISA benchmark, %s: %d listings, %d organisations, %.0f MB of JSONL, seed %d\n",
		r.Date.Format("2006-01-02 15:04 UTC"), r.Listings, r.Orgs, float64(r.DataBytes)/1e6, r.Seed)
	fmt.Fprintf(&b, "machine: %s/%s, %d CPUs, %s, %s; revision %s\n", r.Machine.GOOS, r.Machine.GOARCH, r.Machine.NumCPU,
		orDash(r.Machine.CPU), r.Machine.GoVersion, orDash(r.Revision))
	fmt.Fprintf(&b, "queries: %d, each with facet counts, %d timed rounds after 1 warm-up; match: %d listings\n",
		r.Queries, r.Rounds, r.MatchSample)
	fmt.Fprintf(&b, "generate %.1f s, analyser load %.1f s; load average at start %s, at end %s\n\n",
		r.GenerateSeconds, r.AnalyzerSeconds, orDash(r.LoadStart), orDash(r.LoadEnd))

	tw := tabwriter.NewWriter(&b, 0, 4, 2, ' ', tabwriter.AlignRight)
	head := "\t"
	for _, e := range r.Engines {
		head += e.Engine + "\t"
	}
	if r.Baseline != nil {
		head += "pg-fts\t"
	}
	fmt.Fprintln(tw, head)
	row := func(label string, ours func(EngineReport) string, base string) {
		line := label + "\t"
		for _, e := range r.Engines {
			line += ours(e) + "\t"
		}
		if r.Baseline != nil {
			line += base + "\t"
		}
		fmt.Fprintln(tw, line)
	}
	bl := r.Baseline
	if bl == nil {
		bl = &BaselineReport{}
	}
	row("import listings/s", func(e EngineReport) string { return fmt.Sprintf("%.0f", e.ImportPerSecond) }, "-")
	row("import s (CPU s)", func(e EngineReport) string { return fmt.Sprintf("%.1f (%.1f)", e.ImportSeconds, e.ImportCPUSeconds) }, "-")
	row("index build s (CPU s)", func(e EngineReport) string { return fmt.Sprintf("%.1f (%.1f)", e.IndexSeconds, e.IndexCPUSeconds) }, fmt.Sprintf("%.1f", bl.BuildSeconds))
	row("search p50 ms", func(e EngineReport) string { return fmtMs(e.Search.P50) }, fmtMs(bl.Search.P50))
	row("search p95 ms", func(e EngineReport) string { return fmtMs(e.Search.P95) }, fmtMs(bl.Search.P95))
	row("search p99 ms", func(e EngineReport) string { return fmtMs(e.Search.P99) }, fmtMs(bl.Search.P99))
	row("search mean ms", func(e EngineReport) string { return fmtMs(e.Search.Mean) }, fmtMs(bl.Search.Mean))
	row("search CPU p50/p95 ms", func(e EngineReport) string { return fmtMs(e.SearchCPU.P50) + "/" + fmtMs(e.SearchCPU.P95) }, "-")
	row("match p50 ms", func(e EngineReport) string { return fmtMs(e.Match.P50) }, "-")
	row("match p95 ms", func(e EngineReport) string { return fmtMs(e.Match.P95) }, "-")
	row("match CPU p50/p95 ms", func(e EngineReport) string { return fmtMs(e.MatchCPU.P50) + "/" + fmtMs(e.MatchCPU.P95) }, "-")
	row("Go heap in use MiB", func(e EngineReport) string { return fmt.Sprint(e.HeapInUseBytes >> 20) }, "-")
	row("peak RSS MiB", func(e EngineReport) string { return fmt.Sprint(e.PeakRSSBytes >> 20) }, "-")
	if err := tw.Flush(); err != nil {
		return err
	}

	if r.Baseline != nil {
		fmt.Fprintf(&b, "\nplain PostgreSQL full-text search / our engine (above 1: ours is faster)\n")
		tw = tabwriter.NewWriter(&b, 0, 4, 2, ' ', tabwriter.AlignRight)
		line := "\t"
		for _, e := range r.Engines {
			line += e.Engine + "\t"
		}
		fmt.Fprintln(tw, line)
		for _, p := range []struct {
			name string
			get  func(Latency) float64
		}{{"search p50", func(l Latency) float64 { return l.P50 }}, {"search p95", func(l Latency) float64 { return l.P95 }},
			{"search p99", func(l Latency) float64 { return l.P99 }}, {"search mean", func(l Latency) float64 { return l.Mean }}} {
			line := p.name + "\t"
			for _, e := range r.Engines {
				line += ratio(p.get(r.Baseline.Search), p.get(e.Search)) + "\t"
			}
			fmt.Fprintln(tw, line)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		fmt.Fprintf(&b, "pg-fts split: ranked top %d p50 %s ms, p95 %s ms; facet counts p50 %s ms, p95 %s ms\n",
			20, fmtMs(r.Baseline.Ranked.P50), fmtMs(r.Baseline.Ranked.P95), fmtMs(r.Baseline.Facets.P50), fmtMs(r.Baseline.Facets.P95))
	}

	fmt.Fprintf(&b, "\ntargets (for 1,000,000 listings):\n")
	for _, e := range r.Engines {
		fmt.Fprintf(&b, "  %-8s search p95 %s ≤ %.0f ms %s (CPU p95 %s ms); match p95 %s ≤ %.0f ms %s; import %.0f ≥ %.0f/s %s; peak RSS %d MiB ≤ %d MiB %s",
			e.Engine, fmtMs(e.Search.P95), Targets.SearchP95Ms, verdict(e.Search.P95 <= Targets.SearchP95Ms), fmtMs(e.SearchCPU.P95),
			fmtMs(e.Match.P95), Targets.MatchP95Ms, verdict(e.Match.P95 <= Targets.MatchP95Ms),
			e.ImportPerSecond, Targets.ImportPerSecond, verdict(e.ImportPerSecond >= Targets.ImportPerSecond),
			e.PeakRSSBytes>>20, Targets.PeakRSSBytes>>20, verdict(e.PeakRSSBytes <= Targets.PeakRSSBytes))
		if r.Baseline != nil {
			fmt.Fprintf(&b, "; faster than pg-fts at p95 %s", verdict(e.Search.P95 < r.Baseline.Search.P95))
		}
		fmt.Fprintln(&b)
	}

	if len(r.Engines) > 0 {
		fmt.Fprintf(&b, "\nper query (hits; p50 ms):\n")
		tw = tabwriter.NewWriter(&b, 0, 4, 2, ' ', tabwriter.AlignRight)
		line := "query\t"
		for _, e := range r.Engines {
			line += e.Engine + " hits\t" + e.Engine + " ms\t"
		}
		if r.Baseline != nil {
			line += "pg-fts hits\tpg-fts ms\t"
		}
		fmt.Fprintln(tw, line)
		for i, q := range r.Engines[0].PerQuery {
			line := q.Name + "\t"
			for _, e := range r.Engines {
				line += fmt.Sprintf("%d\t%s\t", e.PerQuery[i].Total, fmtMs(e.PerQuery[i].P50))
			}
			if r.Baseline != nil && i < len(r.Baseline.PerQuery) {
				line += fmt.Sprintf("%d\t%s\t", r.Baseline.PerQuery[i].Total, fmtMs(r.Baseline.PerQuery[i].P50))
			}
			fmt.Fprintln(tw, line)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func fmtMs(v float64) string {
	switch {
	case v >= 100:
		return fmt.Sprintf("%.0f", v)
	case v >= 10:
		return fmt.Sprintf("%.1f", v)
	default:
		return fmt.Sprintf("%.2f", v)
	}
}

func ratio(base, ours float64) string {
	if ours <= 0 {
		return "-"
	}
	return fmt.Sprintf("%.1fx", base/ours)
}

func verdict(ok bool) string {
	if ok {
		return "met"
	}
	return "MISSED"
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
