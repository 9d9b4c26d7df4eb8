package e2e

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// Limits the pages are held to (issue 4: "works from China").
const (
	maxPageBytes = 150 << 10 // HTML + CSS + JS transferred, images aside
	desktopW     = 1280
	desktopH     = 900
	phoneW       = 390
	phoneH       = 844
)

// browser is one headless Chromium for a test.
type browser struct {
	ctx   context.Context
	srv   *server
	axe   string // source of axe.min.js
	shots string // folder of the screenshots
}

// chromiumPath finds Chromium: ISA_CHROMIUM, else chromium on PATH. The
// browser tests are part of the proof of the web pages, so a missing
// browser fails the test rather than skipping it.
func chromiumPath(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("ISA_CHROMIUM"); p != "" {
		if _, err := os.Stat(p); err != nil {
			t.Fatalf("ISA_CHROMIUM=%s: %v", p, err)
		}
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Fatal("Chromium is not installed: the browser tests need it. Run scripts/test (installs Debian's chromium) " +
		"or `apt-get install chromium`, or set ISA_CHROMIUM to the browser's path.")
	return ""
}

// axeSource reads axe.min.js: ISA_AXE names the file, else the npm cache
// folder of scripts/e2e-tools, which this installs into when npm is there.
func axeSource(t *testing.T) string {
	t.Helper()
	path := os.Getenv("ISA_AXE")
	if path == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			t.Fatalf("no home folder for the axe-core cache: %v (set ISA_AXE)", err)
		}
		prefix := filepath.Join(home, ".cache", "isa-e2e")
		path = filepath.Join(prefix, "node_modules", "axe-core", "axe.min.js")
		if _, err := os.Stat(path); err != nil {
			installAxe(t, prefix)
		}
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("axe-core is missing (%v): run scripts/e2e-tools, or `npm install --prefix ~/.cache/isa-e2e axe-core@4`, or set ISA_AXE to axe.min.js", err)
	}
	return string(b)
}

func installAxe(t *testing.T, prefix string) {
	t.Helper()
	npm, err := exec.LookPath("npm")
	if err != nil {
		t.Fatalf("axe-core is not installed and npm is missing: install Node.js and npm, then run scripts/e2e-tools")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, npm, "install", "--no-audit", "--no-fund", "--prefix", prefix, "axe-core@4").CombinedOutput()
	if err != nil {
		t.Fatalf("npm install axe-core: %v\n%s", err, out)
	}
}

// artifactsDir is where screenshots go: ISA_ARTIFACTS, else artifacts/ at
// the top of the repository (git-ignored).
func artifactsDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("ISA_ARTIFACTS")
	if dir == "" {
		root, err := filepath.Abs(filepath.Join("..", ".."))
		if err != nil {
			t.Fatal(err)
		}
		dir = filepath.Join(root, "artifacts")
	}
	dir = filepath.Join(dir, "screenshots")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatalf("screenshot folder: %v", err)
	}
	return dir
}

// startBrowser starts Chromium with a fresh profile; it is closed when the
// test ends.
func startBrowser(t *testing.T, srv *server) *browser {
	t.Helper()
	b := &browser{srv: srv, axe: axeSource(t), shots: artifactsDir(t)}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath(t)),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("lang", "en-US"),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(desktopW, desktopH),
	}
	actx, acancel := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	// Start the browser now, so that a broken installation fails here with
	// its own message.
	if err := chromedp.Do(ctx); err != nil {
		cancel()
		acancel()
		t.Fatalf("start Chromium: %v", err)
	}
	t.Cleanup(func() { cancel(); acancel() })
	b.ctx = ctx
	return b
}

// tab is one browser tab with its own cookies (a separate browser
// context), so that two companies can be signed in at once.
type tab struct {
	b    *browser
	name string
	ctx  context.Context
	host string

	mu      sync.Mutex
	foreign []string                     // requests for other hosts
	types   map[network.RequestID]string // resource type of each request
	bytes   map[string]float64           // transferred bytes by type since reset
	status  map[network.RequestID]int64  // HTTP status of each response
	urls    map[network.RequestID]string
}

// newTab opens a tab in a fresh browser context, with the cache off so
// that every page is weighed as a first visit.
func (b *browser) newTab(t *testing.T, name string) *tab {
	t.Helper()
	u, err := url.Parse(b.srv.base)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := chromedp.NewContext(b.ctx, chromedp.WithNewBrowserContext())
	tb := &tab{b: b, name: name, ctx: ctx, host: u.Host,
		types: map[network.RequestID]string{}, bytes: map[string]float64{},
		status: map[network.RequestID]int64{}, urls: map[network.RequestID]string{}}
	if err := chromedp.Listen(ctx, tb.event); err != nil {
		cancel()
		t.Fatalf("listen to the tab's events: %v", err)
	}
	err = chromedp.Do(ctx,
		chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			_, err := cdp.Call(ctx, t, network.SetCacheDisabled, network.SetCacheDisabledParams{CacheDisabled: true})
			return err
		}),
		chromedp.EmulateViewport(desktopW, desktopH),
	)
	if err != nil {
		cancel()
		t.Fatalf("prepare tab %s: %v", name, err)
	}
	t.Cleanup(func() {
		cancel()
		tb.mu.Lock()
		defer tb.mu.Unlock()
		if len(tb.foreign) > 0 {
			t.Errorf("tab %s sent requests to hosts other than %s:\n  %s", name, tb.host, strings.Join(tb.foreign, "\n  "))
		}
	})
	return tb
}

// event runs inside the tab's message loop: it only records.
func (tb *tab) event(ev any) {
	switch e := ev.(type) {
	case *network.EventRequestWillBeSent:
		u, err := url.Parse(e.Request.URL)
		tb.mu.Lock()
		defer tb.mu.Unlock()
		if err != nil {
			tb.foreign = append(tb.foreign, e.Request.URL)
			return
		}
		switch u.Scheme {
		case "data", "blob", "about":
		default:
			if u.Host != tb.host {
				tb.foreign = append(tb.foreign, e.Request.URL)
			}
		}
		tb.types[e.RequestID] = string(e.Type)
		tb.urls[e.RequestID] = e.Request.URL
	case *network.EventResponseReceived:
		tb.mu.Lock()
		defer tb.mu.Unlock()
		tb.types[e.RequestID] = string(e.Type)
		if e.Response != nil {
			tb.status[e.RequestID] = e.Response.Status
		}
	case *network.EventLoadingFinished:
		tb.mu.Lock()
		defer tb.mu.Unlock()
		tb.bytes[tb.types[e.RequestID]] += e.EncodedDataLength
	}
}

func (tb *tab) resetWeight() {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	tb.bytes = map[string]float64{}
	tb.status = map[network.RequestID]int64{}
}

// weight is what the page since resetWeight transferred, images aside.
func (tb *tab) weight() (total float64, byType map[string]float64) {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	byType = map[string]float64{}
	for typ, n := range tb.bytes {
		byType[typ] = n
		switch typ {
		case "Document", "Stylesheet", "Script":
			total += n
		}
	}
	return total, byType
}

// failedResponses lists the subresources of the page that answered with an
// error status (a missing stylesheet would otherwise go unnoticed).
func (tb *tab) failedResponses() []string {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	var bad []string
	for id, st := range tb.status {
		if st >= 400 && tb.types[id] != "Document" {
			bad = append(bad, fmt.Sprintf("%d %s", st, tb.urls[id]))
		}
	}
	return bad
}

// open navigates to path on the server and fails the test unless the page
// answers with status want.
func (tb *tab) open(t *testing.T, path string, want int64) {
	t.Helper()
	tb.resetWeight()
	resp, err := chromedp.Run(tb.ctx, chromedp.NavigateResponse(tb.b.srv.base+path))
	if err != nil {
		t.Fatalf("%s: open %s: %v", tb.name, path, err)
	}
	if resp.Status != want {
		t.Fatalf("%s: GET %s answered %d, want %d:\n%s", tb.name, path, resp.Status, want, tb.text(t, "main"))
	}
}

// submit clicks sel (a submit button) and waits for the page it leads to.
func (tb *tab) submit(t *testing.T, sel string) int64 {
	t.Helper()
	tb.resetWeight()
	resp, err := chromedp.RunResponse(tb.ctx, chromedp.Click(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("%s: submit %s on %s: %v", tb.name, sel, tb.location(t), err)
	}
	return resp.Status
}

// fill sets form fields by CSS selector; values of selects are option values.
func (tb *tab) fill(t *testing.T, fields [][2]string) {
	t.Helper()
	for _, f := range fields {
		if err := chromedp.Do(tb.ctx, chromedp.SetValue(chromedp.CSS(f[0]), f[1])); err != nil {
			t.Fatalf("%s: fill %s on %s: %v", tb.name, f[0], tb.location(t), err)
		}
	}
}

// check ticks a checkbox or radio button.
func (tb *tab) check(t *testing.T, sel string) {
	t.Helper()
	js := fmt.Sprintf(`(() => { const e = document.querySelector(%q); if (!e) return false; e.checked = true; return true; })()`, sel)
	ok, err := chromedp.Run(tb.ctx, chromedp.Evaluate[bool](js))
	if err != nil || !ok {
		t.Fatalf("%s: tick %s on %s: %v", tb.name, sel, tb.location(t), err)
	}
}

func (tb *tab) location(t *testing.T) string {
	loc, err := chromedp.Run(tb.ctx, chromedp.Location())
	if err != nil {
		return "(unknown page)"
	}
	return loc
}

// text is the visible text of the first element matching sel, "" if none.
func (tb *tab) text(t *testing.T, sel string) string {
	t.Helper()
	js := fmt.Sprintf(`(() => { const e = document.querySelector(%q); return e ? e.innerText : ""; })()`, sel)
	s, err := chromedp.Run(tb.ctx, chromedp.Evaluate[string](js))
	if err != nil {
		t.Fatalf("%s: read %s: %v", tb.name, sel, err)
	}
	return s
}

// attr is attribute name of every element matching sel.
func (tb *tab) attrs(t *testing.T, sel, name string) []string {
	t.Helper()
	js := fmt.Sprintf(`Array.from(document.querySelectorAll(%q)).map(e => e.getAttribute(%q) || "")`, sel, name)
	s, err := chromedp.Run(tb.ctx, chromedp.Evaluate[[]string](js))
	if err != nil {
		t.Fatalf("%s: read %s of %s: %v", tb.name, name, sel, err)
	}
	return s
}

// lang is the lang attribute of the document.
func (tb *tab) lang(t *testing.T) string {
	t.Helper()
	l, err := chromedp.Run(tb.ctx, chromedp.Evaluate[string](`document.documentElement.lang`))
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// inspect holds the page now shown to the standards of issue 4: weight,
// subresources that load, axe-core, and screenshots at desktop and phone
// width named name.
func (tb *tab) inspect(t *testing.T, name string) {
	t.Helper()
	// Deferred scripts finish loading before the load event, but their
	// loadingFinished event may trail it by a moment.
	time.Sleep(50 * time.Millisecond)
	total, byType := tb.weight()
	if total > maxPageBytes {
		t.Errorf("%s weighs %.0f bytes before images (limit %d): %v", name, total, maxPageBytes, byType)
	}
	if total == 0 {
		t.Errorf("%s: no transfer measured; the weight check sees nothing", name)
	}
	if bad := tb.failedResponses(); len(bad) > 0 {
		t.Errorf("%s: subresources failed: %v", name, bad)
	}
	tb.axe(t, name)
	tb.screenshot(t, name)
}

// axeViolation is what the test prints of one axe-core finding.
type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target string `json:"target"`
		HTML   string `json:"html"`
	} `json:"nodes"`
}

// axeRun runs every rule of axe-core and keeps the serious and critical
// findings.
const axeRun = `axe.run(document, {resultTypes: ['violations']}).then(r => r.violations
  .filter(v => v.impact === 'serious' || v.impact === 'critical')
  .map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map(n => ({target: n.target.join(' '), html: n.html.slice(0, 240)}))})))`

func (tb *tab) axe(t *testing.T, name string) {
	t.Helper()
	has, err := chromedp.Run(tb.ctx, chromedp.Evaluate[bool](`typeof axe !== 'undefined'`))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if !has {
		if _, err := chromedp.Run(tb.ctx, chromedp.Evaluate[any](tb.b.axe+";0")); err != nil {
			t.Fatalf("%s: inject axe-core: %v", name, err)
		}
	}
	vs, err := chromedp.Run(tb.ctx, chromedp.Evaluate[[]axeViolation](axeRun, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("%s: run axe-core: %v", name, err)
	}
	for _, v := range vs {
		var where []string
		for _, n := range v.Nodes {
			where = append(where, n.Target+"  "+n.HTML)
		}
		t.Errorf("%s (%s): axe %s [%s] %s\n    %s", name, tb.location(t), v.ID, v.Impact, v.Help, strings.Join(where, "\n    "))
	}
}

// screenshot writes name-desktop.png and name-phone.png of the whole page.
func (tb *tab) screenshot(t *testing.T, name string) {
	t.Helper()
	for _, vp := range []struct {
		suffix string
		w, h   int64
		mobile bool
	}{{"desktop", desktopW, desktopH, false}, {"phone", phoneW, phoneH, true}} {
		emulate := chromedp.EmulateViewport(vp.w, vp.h)
		if vp.mobile {
			emulate = chromedp.EmulateViewport(vp.w, vp.h, chromedp.EmulateMobile)
		}
		if err := chromedp.Do(tb.ctx, emulate, chromedp.Sleep(100*time.Millisecond)); err != nil {
			t.Fatalf("%s: emulate %s: %v", name, vp.suffix, err)
		}
		png, err := chromedp.Run(tb.ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatalf("%s: screenshot %s: %v", name, vp.suffix, err)
		}
		if vp.mobile {
			tb.phoneOverflow(t, name)
		}
		file := filepath.Join(tb.b.shots, name+"-"+vp.suffix+".png")
		if err := os.WriteFile(file, png, 0o644); err != nil {
			t.Fatalf("write screenshot: %v", err)
		}
	}
	if err := chromedp.Do(tb.ctx, chromedp.EmulateViewport(desktopW, desktopH)); err != nil {
		t.Fatal(err)
	}
}

// phoneOverflow fails when the page is wider than the phone: the reader
// would have to scroll sideways.
func (tb *tab) phoneOverflow(t *testing.T, name string) {
	t.Helper()
	w, err := chromedp.Run(tb.ctx, chromedp.Evaluate[float64](`document.documentElement.scrollWidth`))
	if err != nil {
		t.Fatal(err)
	}
	if w > phoneW+1 {
		t.Errorf("%s is %.0f px wide on a %d px phone: it scrolls sideways", name, w, phoneW)
	}
}
