package app

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"github.com/isa-alliance/isa"
	"github.com/isa-alliance/isa/internal/accounts"
	"github.com/isa-alliance/isa/internal/demo"
	"github.com/isa-alliance/isa/internal/httpapi"
	"github.com/isa-alliance/isa/internal/interchange"
	"github.com/isa-alliance/isa/internal/listings"
	"github.com/isa-alliance/isa/internal/mail"
	"github.com/isa-alliance/isa/internal/matching"
	"github.com/isa-alliance/isa/internal/messages"
	"github.com/isa-alliance/isa/internal/web"
)

// Timeouts of the HTTP server: generous for slow mobile networks between
// China and Europe, bounded against slow-loris clients.
const (
	readHeaderTimeout = 10 * time.Second
	readTimeout       = 60 * time.Second
	writeTimeout      = 60 * time.Second
	idleTimeout       = 120 * time.Second
	shutdownTimeout   = 15 * time.Second
	maxHeaderBytes    = 64 << 10
	// syncInterval bounds how long a change written by another process
	// (an import) takes to become searchable.
	syncInterval = 500 * time.Millisecond
	// expiryInterval is how often published listings past their expiry day
	// are moved to the expired state.
	expiryInterval = time.Hour
)

func cmdServe(ctx context.Context, env *Env, fs *flag.FlagSet, args []string) error {
	fs.BoolVar(&env.Config.Demo, "demo", false, env.T("serve.flag.demo"))
	if _, err := env.parse(fs, args, "", env.T("serve.about")); err != nil {
		return err
	}
	if err := applyMemoryLimit(env); err != nil {
		return err
	}
	// Checked before the database is opened, so that a typo fails at once.
	proxies, err := accounts.ParseTrustedProxies(env.Config.TrustedProxies)
	if err != nil {
		return fmt.Errorf("ISA_TRUSTED_PROXIES: %w", err)
	}
	db, err := env.Store(ctx)
	if err != nil {
		return err
	}
	if env.Config.Demo {
		if err := loadDemo(ctx, env); err != nil {
			return err
		}
	}
	if n, err := db.ExpireListings(ctx, env.Today()); err != nil {
		return fmt.Errorf("expire listings: %w", err)
	} else if n > 0 {
		env.Logger.Info("listings expired", "count", n)
	}
	eng, err := openSearch(ctx, env)
	if err != nil {
		return err
	}
	// The Chinese segmenter loads its dictionary on first use, which takes
	// seconds on a busy machine: without Chinese texts in the database the
	// first Chinese query paid for it and ran into the search deadline (a
	// 500 found by the browser tests). Load it before accepting requests.
	if _, err := eng.an.Analyze("注塑模具", isa.ZH); err != nil {
		return fmt.Errorf("load the Chinese segmenter: %w", err)
	}
	matcher := matching.New(eng.idx, eng.an, db, naceLabels{}, env.Now)

	baseURL := env.Config.BaseURL
	if baseURL == "" {
		baseURL = "http://" + env.Config.Addr
	}
	acc, err := accounts.New(accounts.Config{Store: db, Logger: env.Logger, Now: env.Now, BaseURL: strings.TrimRight(baseURL, "/"), HTTPS: env.Config.HTTPS, TrustedProxies: proxies})
	if err != nil {
		return fmt.Errorf("accounts: %w", err)
	}
	sender, err := mail.NewSender(mail.Config{SMTPURL: env.Config.SMTPURL, From: env.Config.MailFrom, DataDir: env.Config.DataDir}, env.Logger)
	if err != nil {
		return err
	}

	posting := listings.New(db, env.Now)
	contacts, err := messages.New(db, messages.Options{BaseURL: strings.TrimRight(baseURL, "/"), Now: env.Now})
	if err != nil {
		return fmt.Errorf("messages: %w", err)
	}

	mux := http.NewServeMux()
	httpapi.New(httpapi.Deps{Store: db, Logger: env.Logger, Now: env.Now, Search: eng.idx, Matcher: matcher, Posting: posting, Contacts: contacts}).Register(mux)
	pages, err := web.New(web.Deps{Store: db, Logger: env.Logger, Now: env.Now, Search: eng.idx, Matcher: webMatcher{matcher}, Industries: naceLabels{}, Accounts: acc, Posting: posting, Contacts: contacts})
	if err != nil {
		return fmt.Errorf("web pages: %w", err)
	}
	pages.Register(mux)

	ln, err := net.Listen("tcp", env.Config.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", env.Config.Addr, err)
	}
	srv := &http.Server{
		Handler:           protect(httpapi.LogRequests(env.Logger, acc.Protect(mux, pages.Deny)), pages.Deny),
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    maxHeaderBytes,
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go eng.loader.Follow(ctx, syncInterval)
	go expireLoop(ctx, env, db)
	go mail.NewWorker(db, sender, env.Logger).Run(ctx)

	addr := ln.Addr().String()
	env.Logger.Info("listening", "addr", "http://"+addr, "engine", db.Engine())
	if env.ready != nil {
		env.ready(addr)
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	env.Logger.Info("shutting down")
	sctx, scancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer scancel()
	if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

// protect wraps the whole site: cross-origin state-changing requests are
// refused (CSRF protection of the standard library, by Sec-Fetch-Site and
// Origin) before any handler runs. The refusal is deny's, so that the
// visitor reads it in their language rather than the library's English.
func protect(h http.Handler, deny accounts.DenyFunc) http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		deny(w, r, &isa.Error{Code: isa.CodeForbidden, Key: "account.error.cross_origin", Message: "a request from another web site was refused"})
	}))
	return cop.Handler(h)
}

func expireLoop(ctx context.Context, env *Env, st isa.ListingStore) {
	t := time.NewTicker(expiryInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			n, err := st.ExpireListings(ctx, env.Today())
			if err != nil && ctx.Err() == nil {
				env.Logger.Warn("expiring listings failed", "err", err)
			} else if n > 0 {
				env.Logger.Info("listings expired", "count", n)
			}
		}
	}
}

// loadDemo imports the demo data when the database holds no organisation,
// so that --demo never mixes into real data.
func loadDemo(ctx context.Context, env *Env) error {
	db, err := env.Store(ctx)
	if err != nil {
		return err
	}
	page, err := db.Organisations(ctx, isa.OrgFilter{Limit: 1})
	if err != nil {
		return fmt.Errorf("check for existing data: %w", err)
	}
	if len(page.Items) > 0 {
		env.Logger.Info("demo data not loaded: the database is not empty")
		return nil
	}
	opts := importOptions(env)
	opts.Atomic = true
	data := demo.JSONLAsOf(env.Today())
	sum, err := interchange.Import(ctx, db, opts, interchange.Source{Name: "demo.jsonl", Format: interchange.JSONL, R: bytes.NewReader(data), Size: int64(len(data))})
	if err != nil {
		return fmt.Errorf("load demo data: %w", err)
	}
	if sum.Rejected > 0 {
		return fmt.Errorf("load demo data: %s", sum.String())
	}
	env.Logger.Info("demo data loaded", "organisations_and_listings", sum.Created)
	return nil
}

// applyMemoryLimit sets the Go heap's soft limit, so that the garbage the
// collector lets accumulate does not push a server with a million listings
// in its index past the memory the machine has (measured in
// docs/benchmarks.md). GOMEMLIMIT in the environment takes precedence.
func applyMemoryLimit(env *Env) error {
	if env.Getenv("GOMEMLIMIT") != "" {
		return nil
	}
	n, err := memoryLimit(env.Config.MemoryLimit)
	if err != nil {
		return usageError{errors.New(env.T("err.memory_limit", env.Config.MemoryLimit))}
	}
	if n > 0 {
		debug.SetMemoryLimit(n)
	}
	return nil
}
