package app

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/isa-alliance/isa"
	"github.com/isa-alliance/isa/internal/matching"
	"github.com/isa-alliance/isa/internal/search"
	"github.com/isa-alliance/isa/internal/textanalysis"
)

// searchEngine is the analyser, the index built from the database and the
// loader that filled it, as the search commands use them.
type searchEngine struct {
	an     *textanalysis.Analyzer
	idx    *search.Memory
	loader *search.Loader
	store  isa.Store
	count  int
	took   time.Duration
}

// openSearch opens the store and builds the in-memory index from it: the
// database is the truth, so every process that searches builds its index
// from what the database holds now. Analyses of listings stored in the
// database are reused when fresh, and the analyses computed are stored
// back (see docs/search.md, "Stored analysis").
func openSearch(ctx context.Context, env *Env) (*searchEngine, error) {
	return openSearchWith(ctx, env, 0)
}

// cliWriteTimeout bounds the write of computed analyses by the one-shot
// commands (search, match): a database busy with a server's writes must
// not hold up a search for the lock timeout; it only means the next
// command analyses those listings again.
const cliWriteTimeout = 2 * time.Second

// openSearchWith is openSearch with a limit to each write of analyses (0:
// none of its own).
func openSearchWith(ctx context.Context, env *Env, writeTimeout time.Duration) (*searchEngine, error) {
	db, err := env.Store(ctx)
	if err != nil {
		return nil, err
	}
	an, err := textanalysis.Default()
	if err != nil {
		return nil, err
	}
	idx := search.NewMemory(an, env.Now)
	// The database has the texts; the index keeps only what it ranks by.
	idx.ReadTextsFrom(db)
	loader := search.NewLoader(db, idx, env.Logger)
	loader.UseStoredAnalyses(db, true, writeTimeout)
	start := time.Now()
	n, err := loader.Rebuild(ctx)
	if err != nil {
		return nil, fmt.Errorf("build search index: %w", err)
	}
	return &searchEngine{an: an, idx: idx, loader: loader, store: db, count: n, took: time.Since(start)}, nil
}

func cmdSearch(ctx context.Context, env *Env, fs *flag.FlagSet, args []string) error {
	var q search.Query
	asJSON := fs.Bool("json", false, env.T("search.flag.json"))
	limit := fs.Int("limit", search.DefaultLimit, env.T("search.flag.limit"))
	page := fs.Int("page", 1, env.T("search.flag.page"))
	kind := fs.String("kind", "", env.T("search.flag.kind"))
	fs.StringVar(&q.Country, "country", "", env.T("search.flag.country"))
	fs.StringVar(&q.City, "city", "", env.T("search.flag.city"))
	fs.StringVar(&q.Industry, "industry", "", env.T("search.flag.industry"))
	fs.StringVar(&q.Cooperation, "cooperation", "", env.T("search.flag.cooperation", strings.Join(isa.CooperationTypes, ", ")))
	lang := fs.String("lang", "", env.T("search.flag.lang"))
	orgKind := fs.String("org-kind", "", env.T("search.flag.org-kind"))
	fs.StringVar(&q.Sort, "sort", search.SortRelevance, env.T("search.flag.sort"))
	viewer := fs.String("viewer", string(env.lang()), env.T("search.flag.viewer"))
	rest, err := env.parse(fs, args, "QUERY...", env.T("search.about"))
	if err != nil {
		return err
	}
	q.Text = strings.Join(rest, " ")
	q.Kind, q.Lang, q.OrgKind, q.Viewer = isa.ListingKind(*kind), isa.Lang(*lang), isa.OrgKind(*orgKind), isa.Lang(*viewer)
	if *page < 1 {
		return usageError{errors.New(env.T("search.page"))}
	}
	q.Limit = *limit
	q.Offset = (*page - 1) * *limit
	if err := q.Normalize(env.Today()); err != nil {
		return usageError{err}
	}
	eng, err := openSearchWith(ctx, env, cliWriteTimeout)
	if err != nil {
		return err
	}
	res, err := eng.idx.Search(ctx, q)
	if err != nil {
		return err
	}
	if *asJSON {
		return json.NewEncoder(env.Stdout).Encode(res)
	}
	env.printSearch(res, q)
	return nil
}

func (env *Env) printSearch(res *search.Result, q search.Query) {
	w := env.Stdout
	fmt.Fprintln(w, env.T("search.total", res.Total))
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, env.T("search.header"))
	for i, h := range res.Hits {
		fmt.Fprintf(tw, "%d\t%.2f\t%s\t%s\t%s\t%s\t%s\n", q.Offset+i+1, h.Score, h.Ref, h.Kind, h.Lang, h.City, h.Title)
	}
	tw.Flush()
	for _, h := range res.Hits {
		if len(h.Snippet) == 0 {
			continue
		}
		var b strings.Builder
		for _, f := range h.Snippet {
			if f.Hit {
				b.WriteString("[" + f.Text + "]")
			} else {
				b.WriteString(f.Text)
			}
		}
		fmt.Fprintf(w, "\n%s: %s\n", h.Ref, strings.Join(strings.Fields(b.String()), " "))
	}
	for _, name := range []string{search.FacetKind, search.FacetCountry, search.FacetLang, search.FacetCooperation, search.FacetSection, search.FacetOrgKind, search.FacetCity} {
		fcs := res.Facets[name]
		if len(fcs) == 0 {
			continue
		}
		parts := make([]string, 0, len(fcs))
		for _, fc := range fcs {
			parts = append(parts, fmt.Sprintf("%s %d", fc.Value, fc.Count))
		}
		fmt.Fprintf(w, "\n%-12s %s", env.T("facet."+name)+":", strings.Join(parts, ", "))
	}
	fmt.Fprintln(w)
}

func cmdMatch(ctx context.Context, env *Env, fs *flag.FlagSet, args []string) error {
	asJSON := fs.Bool("json", false, env.T("match.flag.json"))
	limit := fs.Int("limit", matching.DefaultLimit, env.T("match.flag.limit"))
	viewer := fs.String("lang", string(env.lang()), env.T("match.flag.lang"))
	refs, err := env.parse(fs, args, "REF...", env.T("match.about"))
	if err != nil {
		return err
	}
	if len(refs) == 0 {
		return usageError{errors.New(env.T("match.no_refs"))}
	}
	if !isa.Lang(*viewer).Valid() {
		return usageError{errors.New(env.T("err.lang", *viewer))}
	}
	eng, err := openSearchWith(ctx, env, cliWriteTimeout)
	if err != nil {
		return err
	}
	m := matching.New(eng.idx, eng.an, eng.store, naceLabels{}, env.Now)
	enc := json.NewEncoder(env.Stdout)
	failed := 0
	for _, ref := range refs {
		res, err := m.Matches(ctx, ref, isa.Lang(*viewer), *limit)
		if err != nil {
			if isa.IsNotFound(err) {
				fmt.Fprintln(env.Stderr, env.T("match.not_found", ref))
				failed++
				continue
			}
			return err
		}
		if *asJSON {
			if err := enc.Encode(res); err != nil {
				return err
			}
			continue
		}
		env.printMatches(res)
	}
	if failed > 0 {
		return exitError{code: 1}
	}
	return nil
}

func (env *Env) printMatches(res *matching.Result) {
	w := env.Stdout
	fmt.Fprintln(w, env.T("match.count", res.Ref, len(res.Matches)))
	for i, m := range res.Matches {
		fmt.Fprintf(w, "%2d. %.2f %s [%s, %s, %s] %s\n", i+1, m.Score, m.Ref, m.Kind, m.Lang, m.City, m.Title)
		for _, r := range m.Reasons {
			fmt.Fprintf(w, "      - %s\n", r.Text)
		}
	}
	fmt.Fprintln(w)
}

func cmdReindex(ctx context.Context, env *Env, fs *flag.FlagSet, args []string) error {
	if _, err := env.parse(fs, args, "", env.T("reindex.about")); err != nil {
		return err
	}
	eng, err := openSearch(ctx, env)
	if err != nil {
		return err
	}
	st := eng.loader.Stats()
	fmt.Fprintln(env.Stdout, env.T("reindex.done", eng.count, eng.took.Round(time.Millisecond), st.Reused, st.Computed, st.Stored))
	if st.WriteErrors > 0 {
		fmt.Fprintln(env.Stdout, env.T("reindex.write_failed"))
	}
	return nil
}
