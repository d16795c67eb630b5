// Package e2e is the end-to-end browser helper for feature tests. It drives
// one headless Debian Chromium per test binary with chromedp, and gives each simulated
// member a Page in its own isolated browser context (separate cookies and
// storage, like an incognito profile).
//
// Every Page method fails the test with t.Fatalf on error, and waits at most
// the page timeout (10s by default). Selectors are CSS selectors, as for
// document.querySelector.
//
//	b := e2e.NewBrowser(t)
//	alice := b.NewPage(t)
//	alice.Navigate(srv.URL + "/login")
//	alice.Fill("#email", "alice@example.com")
//	alice.Click("button[type=submit]")
//	alice.WaitText("#flash", "Welcome")
//
// Nothing here downloads a browser. Without Chromium the tests skip, or fail
// when CI=true. They always skip under go test -short.
package e2e

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

const (
	// DefaultChromium is where Debian's chromium package installs the browser.
	DefaultChromium = "/usr/bin/chromium"

	// DefaultTimeout is how long a Page action waits by default.
	DefaultTimeout = 10 * time.Second

	startTimeout    = 30 * time.Second
	pollInterval    = 100 * time.Millisecond
	consoleKeepLast = 50
)

// Browser is a test's handle on the test binary's one headless Chromium
// process (see sharedChromium); the test's pages are its own.
type Browser struct {
	ctx     context.Context // root chromedp context; owns the process
	pageSeq atomic.Int64
}

// NewBrowser gives the test the shared headless Chromium, started by the
// first test that asks. It uses /usr/bin/chromium, or the path in PLAZA_CHROMIUM.
//
// It skips the test under -short. When the browser is missing it skips the
// test, or fails it when the environment has CI=true.
func NewBrowser(t testing.TB) *Browser {
	t.Helper()
	if testing.Short() {
		t.Skip("e2e: skipping browser test in -short mode")
	}
	path := DefaultChromium
	if p := os.Getenv("PLAZA_CHROMIUM"); p != "" {
		path = p
	}
	if _, err := exec.LookPath(path); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("e2e: Chromium not found at %s (CI=true, so this fails instead of skipping): %v; install Debian's chromium (apt-get install chromium) or set PLAZA_CHROMIUM", path, err)
		}
		t.Skipf("e2e: Chromium not found at %s; install Debian's chromium (apt-get install chromium) or set PLAZA_CHROMIUM — skipping browser test", path)
	}

	ctx, err := sharedChromium(path)
	if err != nil {
		t.Fatalf("e2e: starting Chromium at %s: %v", path, err)
	}
	return &Browser{ctx: ctx}
}

// shared is the one Chromium process of the test binary. Starting Chromium
// costs about a second of the two cores; tests share the process and stay
// isolated because every Page opens its own browser context (no shared
// cookies, storage or cache) and closes it in t.Cleanup. The kernel kills
// the process when the test binary exits (chromedp sets Pdeathsig), and the
// next run removes its profile dir (removeStaleProfiles).
var shared struct {
	once sync.Once
	ctx  context.Context
	err  error
}

const profilePrefix = "plaza-e2e-chromium-"

func sharedChromium(path string) (context.Context, error) {
	shared.once.Do(func() {
		removeStaleProfiles()
		dir, err := os.MkdirTemp("", profilePrefix+strconv.Itoa(os.Getpid())+"-")
		if err != nil {
			shared.err = err
			return
		}
		allocCtx, _ := chromedp.NewExecAllocator(context.Background(),
			chromedp.ExecPath(path),
			chromedp.Flag("headless", true),
			chromedp.Flag("no-sandbox", true),
			chromedp.Flag("disable-gpu", true),
			chromedp.Flag("no-first-run", true),
			chromedp.Flag("disable-background-networking", true),
			chromedp.Flag("disable-component-update", true),
			chromedp.Flag("disable-sync", true),
			chromedp.Flag("disable-quic", true),
			chromedp.Flag("disable-extensions", true),
			chromedp.Flag("disable-features", "Translate,OptimizationHints,MediaRouter,PaintHolding,AcceptCHFrame,site-per-process,IsolateOrigins"),
			chromedp.Flag("disable-site-isolation-trials", true),
			chromedp.Flag("mute-audio", true),
			chromedp.Flag("renderer-process-limit", "4"),
			chromedp.UserDataDir(dir),
		)
		ctx, cancel := chromedp.NewContext(allocCtx)
		// The first Run binds the browser's life to its context, so it must
		// get ctx itself and not a context with a timeout. A watchdog bounds it.
		if err := startWithin(ctx, cancel, startTimeout); err != nil {
			shared.err = err
			return
		}
		shared.ctx = ctx
	})
	return shared.ctx, shared.err
}

// removeStaleProfiles removes the profile dirs of test processes that no
// longer run.
func removeStaleProfiles() {
	dirs, _ := filepath.Glob(filepath.Join(os.TempDir(), profilePrefix+"*"))
	for _, d := range dirs {
		pid, _, _ := strings.Cut(strings.TrimPrefix(filepath.Base(d), profilePrefix), "-")
		if _, err := strconv.Atoi(pid); err != nil {
			continue
		}
		if _, err := os.Stat("/proc/" + pid); os.IsNotExist(err) {
			_ = os.RemoveAll(d)
		}
	}
}

// startWithin runs the first (no-op) action on ctx, which starts the browser
// or opens the tab, and cancels ctx when that takes longer than d.
func startWithin(ctx context.Context, cancel context.CancelFunc, d time.Duration) error {
	errc := make(chan error, 1)
	go func() { errc <- chromedp.Do(ctx) }()
	select {
	case err := <-errc:
		return err
	case <-time.After(d):
		cancel()
		<-errc
		return fmt.Errorf("no answer within %s", d)
	}
}

// PageOption configures a Page made by NewPage.
type PageOption func(*pageConfig)

type pageConfig struct {
	width, height int
	mobile        bool
	timeout       time.Duration
}

// noServiceWorker hides navigator.serviceWorker before any script of a page
// runs, so `"serviceWorker" in navigator` is false. Pages block service
// workers, as Playwright's serviceWorkers: "block" does: the app's worker
// (hooks/shell, tested over HTTP in hooks/web) would otherwise install and
// cache the shell in every browser context and start before every
// navigation.
const noServiceWorker = `delete Navigator.prototype.serviceWorker;`

// Viewport sets the page's viewport in CSS pixels. The default is 1280x800,
// not mobile. With mobile true, the page lays out like a phone: a page
// without <meta name="viewport" content="width=device-width"> then gets a
// 980px-wide layout viewport. Touch is not emulated; Click sends mouse events.
func Viewport(width, height int, mobile bool) PageOption {
	return func(c *pageConfig) { c.width, c.height, c.mobile = width, height, mobile }
}

// Timeout sets how long each action of the page waits. The default is
// DefaultTimeout.
func Timeout(d time.Duration) PageOption {
	return func(c *pageConfig) { c.timeout = d }
}

// Page is one tab in its own isolated browser context: it shares no cookies,
// storage or cache with other pages. It is closed in t.Cleanup. When the test
// has failed by then, it saves a screenshot and logs its path, the URL and
// the last console messages.
type Page struct {
	t       testing.TB
	ctx     context.Context
	timeout time.Duration
	seq     int64

	mu       sync.Mutex
	console  []string
	problems []string // console errors, exceptions, 5xx answers, failed loads (TakeProblems)
}

// NewPage opens a page in an isolated browser context: it shares no
// cookies, storage or cache with other pages of the test.
//
// Opening a tab in a new browser context costs Chromium about two seconds of
// CPU, so a closed page's tab goes back to a pool and a later page reuses it
// once it has been emptied (see slot.release): blank document, no cookies, no
// permissions, no network emulation. Storage and cache are keyed by origin,
// and every test's server has a port of its own, so nothing of an earlier
// test is visible.
func (b *Browser) NewPage(t testing.TB, opts ...PageOption) *Page {
	t.Helper()
	cfg := pageConfig{width: 1280, height: 800, timeout: DefaultTimeout}
	for _, o := range opts {
		o(&cfg)
	}
	sl, err := b.takeSlot()
	if err != nil {
		t.Fatalf("e2e: opening a page: %v", err)
	}
	p := &Page{t: t, ctx: sl.ctx, timeout: cfg.timeout, seq: b.pageSeq.Add(1)}
	sl.cur.Store(p)
	t.Cleanup(func() {
		if t.Failed() {
			p.saveFailureArtifacts()
		}
		sl.release()
	})

	vopts := []chromedp.EmulateViewportOption{chromedp.EmulateLandscape}
	if cfg.height > cfg.width {
		vopts[0] = chromedp.EmulatePortrait
	}
	if cfg.mobile {
		vopts = append(vopts, chromedp.EmulateMobile)
	}
	p.do(fmt.Sprintf("Viewport(%d, %d, %t)", cfg.width, cfg.height, cfg.mobile),
		chromedp.EmulateViewport(int64(cfg.width), int64(cfg.height), vopts...))
	return p
}
