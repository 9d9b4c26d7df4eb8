package search

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/isa-alliance/isa"
)

// Source is what the index reads of the database: listings, their
// organisations and cities, and the change feed. isa.Store satisfies it.
type Source interface {
	Cities(ctx context.Context) ([]isa.City, error)
	Organisation(ctx context.Context, ref string) (*isa.Organisation, error)
	Organisations(ctx context.Context, f isa.OrgFilter) (isa.Page[isa.Organisation], error)
	Listing(ctx context.Context, ref string) (*isa.Listing, error)
	Listings(ctx context.Context, f isa.ListingFilter) (isa.Page[isa.Listing], error)
	ListingChanges(ctx context.Context, since int64, limit int) (refs []string, next int64, err error)
}

// Loader fills an index from the database and keeps it current by
// following the change feed. The database is the truth: Rebuild reads the
// position of the feed before it reads the listings, so every change made
// during the rebuild is applied again afterwards, and a crash at any point
// loses nothing because the next start rebuilds.
type Loader struct {
	src Source
	idx Index
	log *slog.Logger

	mu     sync.Mutex
	seq    int64
	orgs   map[string]orgInfo
	cities map[string]string // slug → country

	analyses     isa.AnalysisStore // nil: every listing is analysed
	writeBack    bool
	writeTimeout time.Duration
	stats        LoadStats
}

// LoadStats counts what the loader did with the analyses of listings
// since it was made.
type LoadStats struct {
	Reused   int // taken from the database
	Computed int // analysed
	Stored   int // computed and written to the database
	// WriteErrors counts failed writes of analyses (each one logged);
	// they cost time at the next start, nothing else.
	WriteErrors int
}

// storedIndex is an index that can take analyses stored in the database
// (Memory).
type storedIndex interface {
	AnalysisFingerprint() string
	PutStored(ctx context.Context, docs []Document, prior map[int64]*isa.ListingAnalysis) ([]isa.ListingAnalysis, int, error)
}

// UseStoredAnalyses makes Rebuild and Sync read the analyses of listings
// from st and analyse only listings without a fresh one; with writeBack
// they store the analyses they compute, each write given at most timeout
// (0: no limit of its own). A failed read or write is logged and never
// fails loading: the stored analyses are a cache. Indexes other than
// Memory ignore it.
func (l *Loader) UseStoredAnalyses(st isa.AnalysisStore, writeBack bool, timeout time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.analyses, l.writeBack, l.writeTimeout = st, writeBack, timeout
}

// Stats returns the counts of analyses reused, computed and stored.
func (l *Loader) Stats() LoadStats {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.stats
}

// stored returns the index's stored-analysis side and the store, or nils
// when analyses are not stored.
func (l *Loader) stored() (storedIndex, isa.AnalysisStore) {
	si, ok := l.idx.(storedIndex)
	if !ok || l.analyses == nil {
		return nil, nil
	}
	return si, l.analyses
}

// put indexes docs, with the stored analyses of their listings when the
// loader uses them, and writes back the analyses it computed. It reports
// whether writing back failed (the caller may stop trying).
func (l *Loader) put(ctx context.Context, docs []Document, write bool) (writeFailed bool, err error) {
	si, st := l.stored()
	if si == nil {
		if err := l.idx.Put(ctx, docs...); err != nil {
			return false, err
		}
		l.stats.Computed += len(docs)
		return false, nil
	}
	var ids []int64
	for _, d := range docs {
		if d.Listing != nil && d.Listing.ID != 0 && d.Listing.State == isa.Published {
			ids = append(ids, d.Listing.ID)
		}
	}
	prior := map[int64]*isa.ListingAnalysis{}
	if len(ids) > 0 {
		found, err := st.ListingAnalyses(ctx, si.AnalysisFingerprint(), ids)
		if err != nil {
			if ctx.Err() != nil {
				return false, ctx.Err()
			}
			l.log.Warn("search: read stored analyses; analysing instead", "listings", len(ids), "err", err)
		}
		for i := range found {
			prior[found[i].ListingID] = &found[i]
		}
	}
	computed, reused, err := si.PutStored(ctx, docs, prior)
	if err != nil {
		return false, err
	}
	l.stats.Reused += reused
	l.stats.Computed += len(ids) - reused
	if !write || !l.writeBack || len(computed) == 0 {
		return false, nil
	}
	wctx := ctx
	if l.writeTimeout > 0 {
		var cancel context.CancelFunc
		wctx, cancel = context.WithTimeout(ctx, l.writeTimeout)
		defer cancel()
	}
	if err := st.PutListingAnalyses(wctx, computed); err != nil {
		if ctx.Err() != nil {
			return false, ctx.Err()
		}
		l.stats.WriteErrors++
		l.log.Warn("search: store analyses; the next start analyses these listings again", "listings", len(computed), "err", err)
		return true, nil
	}
	l.stats.Stored += len(computed)
	return false, nil
}

type orgInfo struct {
	kind isa.OrgKind
	city string
}

// NewLoader returns a loader of idx from src; logger may be nil.
func NewLoader(src Source, idx Index, logger *slog.Logger) *Loader {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Loader{src: src, idx: idx, log: logger}
}

const changePage = 5000

// Rebuild loads every published listing into the index and returns how
// many it loaded. The index should be empty (a new one): listings the
// database no longer has are not removed from it.
func (l *Loader) Rebuild(ctx context.Context) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	start := time.Now()
	before := l.stats
	var seq int64
	for {
		refs, next, err := l.src.ListingChanges(ctx, seq, changePage)
		if err != nil {
			return 0, fmt.Errorf("search: read change feed: %w", err)
		}
		if len(refs) == 0 || next <= seq {
			break
		}
		seq = next
	}
	if err := l.loadOrgs(ctx); err != nil {
		return 0, err
	}
	// Listings are indexed in batches, so that a million of them never sit
	// in memory twice (as listings and as analysed terms).
	var docs []Document
	total := 0
	// After one failed write (a read-only file, a busy database) the
	// rebuild stops writing: the next batches would fail alike, and each
	// could wait for the database's lock timeout.
	write := true
	flush := func() error {
		failed, err := l.put(ctx, docs, write)
		if err != nil {
			return fmt.Errorf("search: index listings: %w", err)
		}
		write = write && !failed
		total += len(docs)
		docs = docs[:0]
		return nil
	}
	// Paging through all listings by id and skipping the unpublished ones
	// here keeps every page an index range scan; a state filter made
	// SQLite sort all published listings for every page.
	f := isa.ListingFilter{Limit: 500}
	for {
		page, err := l.src.Listings(ctx, f)
		if err != nil {
			return 0, fmt.Errorf("search: read listings: %w", err)
		}
		for i := range page.Items {
			if page.Items[i].State != isa.Published {
				continue
			}
			d, err := l.document(ctx, &page.Items[i])
			if err != nil {
				return 0, err
			}
			docs = append(docs, d)
		}
		if len(docs) >= rebuildBatch {
			if err := flush(); err != nil {
				return 0, err
			}
		}
		if page.Next == "" {
			break
		}
		f.After = page.Next
	}
	if err := flush(); err != nil {
		return 0, err
	}
	if t, ok := l.idx.(interface{ Trim() }); ok {
		t.Trim()
	}
	l.seq = seq
	l.log.Info("search index built", "listings", total, "took", time.Since(start).Round(time.Millisecond),
		"analyses_reused", l.stats.Reused-before.Reused, "analyses_computed", l.stats.Computed-before.Computed,
		"analyses_stored", l.stats.Stored-before.Stored)
	return total, nil
}

const rebuildBatch = 20000

func (l *Loader) loadOrgs(ctx context.Context) error {
	cities, err := l.src.Cities(ctx)
	if err != nil {
		return fmt.Errorf("search: read cities: %w", err)
	}
	l.cities = map[string]string{}
	for _, c := range cities {
		l.cities[c.Slug] = c.Country
	}
	l.orgs = map[string]orgInfo{}
	f := isa.OrgFilter{Limit: 500}
	for {
		page, err := l.src.Organisations(ctx, f)
		if err != nil {
			return fmt.Errorf("search: read organisations: %w", err)
		}
		for _, o := range page.Items {
			l.orgs[o.Ref] = orgInfo{kind: o.Kind, city: o.City}
		}
		if page.Next == "" {
			return nil
		}
		f.After = page.Next
	}
}

// document joins a listing with its organisation's attributes.
func (l *Loader) document(ctx context.Context, li *isa.Listing) (Document, error) {
	o, ok := l.orgs[li.Org]
	if !ok {
		org, err := l.src.Organisation(ctx, li.Org)
		if err != nil {
			return Document{}, fmt.Errorf("search: organisation of listing %s: %w", li.Ref, err)
		}
		o = orgInfo{kind: org.Kind, city: org.City}
		l.orgs[li.Org] = o
	}
	return Document{Listing: li, OrgKind: o.kind, City: o.city, Country: l.cities[o.city]}, nil
}

// Sync applies the changes made since the last Rebuild or Sync and
// returns how many listings it looked at.
func (l *Loader) Sync(ctx context.Context) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.orgs == nil {
		if err := l.loadOrgs(ctx); err != nil {
			return 0, err
		}
	}
	n := 0
	for {
		refs, next, err := l.src.ListingChanges(ctx, l.seq, changePage)
		if err != nil {
			return n, fmt.Errorf("search: read change feed: %w", err)
		}
		if len(refs) == 0 {
			return n, nil
		}
		var put []Document
		var drop []string
		for _, ref := range refs {
			li, err := l.src.Listing(ctx, ref)
			if isa.IsNotFound(err) {
				drop = append(drop, ref)
				continue
			}
			if err != nil {
				return n, fmt.Errorf("search: read listing %s: %w", ref, err)
			}
			if li.State != isa.Published {
				drop = append(drop, ref)
				continue
			}
			// An organisation may have moved since it was cached.
			delete(l.orgs, li.Org)
			d, err := l.document(ctx, li)
			if err != nil {
				return n, err
			}
			put = append(put, d)
		}
		if err := l.idx.Remove(ctx, drop...); err != nil {
			return n, err
		}
		// The analyses of changed listings are stored as they are
		// computed, so that the next start finds them.
		if _, err := l.put(ctx, put, true); err != nil {
			return n, err
		}
		n += len(refs)
		l.seq = next
	}
}

// Follow calls Sync every interval until ctx ends; errors are logged and
// retried, so a database hiccup delays search updates but stops nothing.
func (l *Loader) Follow(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if _, err := l.Sync(ctx); err != nil && ctx.Err() == nil {
				l.log.Warn("search index sync failed", "err", err)
			}
		}
	}
}
