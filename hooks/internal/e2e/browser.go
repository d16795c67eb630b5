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
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
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

// slot is a tab in a browser context of its own, used by one Page at a
// time. Its event listeners run as long as the tab and report to the page
// that holds it (none while it waits in the pool).
type slot struct {
	ctx    context.Context
	cancel context.CancelFunc
	cur    atomic.Pointer[Page]
}

// idle holds the emptied slots, ready for the next NewPage.
var idle struct {
	mu    sync.Mutex
	slots []*slot
}

func (b *Browser) takeSlot() (*slot, error) {
	idle.mu.Lock()
	if n := len(idle.slots); n > 0 {
		sl := idle.slots[n-1]
		idle.slots = idle.slots[:n-1]
		idle.mu.Unlock()
		return sl, nil
	}
	idle.mu.Unlock()

	ctx, cancel := chromedp.NewContext(b.ctx, chromedp.WithNewBrowserContext())
	// As in NewBrowser: the first Run binds the tab to ctx, so no timeout.
	if err := startWithin(ctx, cancel, startTimeout); err != nil {
		cancel()
		return nil, err
	}
	sl := &slot{ctx: ctx, cancel: cancel}
	go sl.collectConsole(chromedp.Console(ctx))
	go sl.collectResponses(chromedp.Events(ctx, network.ResponseReceived))
	go sl.collectFailures(chromedp.Events(ctx, network.LoadingFailed))
	actx, acancel := context.WithTimeout(ctx, startTimeout)
	defer acancel()
	if _, err := chromedp.Call(actx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: noServiceWorker}); err != nil {
		cancel()
		return nil, fmt.Errorf("blocking service workers: %w", err)
	}
	return sl, nil
}

// release empties the slot and puts it back in the pool, or closes the tab
// and its browser context when emptying fails (a dialog left open, a dead
// renderer). Emptying undoes what a test may have set on the tab: cookies,
// network conditions, time zone, locale, media features and permissions.
func (sl *slot) release() {
	sl.cur.Store(nil)
	ctx, cancel := context.WithTimeout(sl.ctx, 5*time.Second)
	defer cancel()
	err := chromedp.Do(ctx, chromedp.Navigate("about:blank"))
	if err == nil {
		_, err = chromedp.Call(ctx, network.ClearBrowserCookies, cdp.Empty{})
	}
	if err == nil {
		err = chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			params := struct {
				Offline    bool                  `json:"offline"`
				Conditions []*network.Conditions `json:"matchedNetworkConditions"`
			}{Conditions: []*network.Conditions{}}
			return t.Call(ctx, network.CommandEmulateNetworkConditionsByRule, params, nil)
		}))
	}
	if err == nil {
		_, err = chromedp.Call(ctx, emulation.SetTimezoneOverride, emulation.SetTimezoneOverrideParams{TimezoneID: ""})
	}
	if err == nil {
		_, err = chromedp.Call(ctx, emulation.SetLocaleOverride, emulation.SetLocaleOverrideParams{})
	}
	if err == nil {
		_, err = chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{})
	}
	if err == nil {
		bctx := chromedp.FromContext(sl.ctx).BrowserContextID
		_, err = chromedp.CallBrowser(ctx, browser.ResetPermissions, browser.ResetPermissionsParams{BrowserContextID: bctx})
	}
	if err != nil {
		sl.cancel() // closes the tab and disposes of its browser context
		return
	}
	idle.mu.Lock()
	idle.slots = append(idle.slots, sl)
	idle.mu.Unlock()
}

// Ctx returns the page's chromedp context, to run raw chromedp actions:
//
//	chromedp.Run(p.Ctx(), chromedp.Title())
//
// It has no timeout of its own; derive one with context.WithTimeout.
func (p *Page) Ctx() context.Context { return p.ctx }

// Navigate loads url and waits for its load event.
func (p *Page) Navigate(url string) {
	p.t.Helper()
	p.do(fmt.Sprintf("Navigate(%q)", url), chromedp.Navigate(url))
}

// Click waits until the element is visible (see Visible), scrolls it into
// view and clicks its centre with the mouse. (chromedp.Click alone would
// click a visibility:hidden element, hitting whatever is beneath it.)
func (p *Page) Click(sel string) {
	p.t.Helper()
	action := fmt.Sprintf("Click(%q)", sel)
	p.waitState(action, sel, "to be visible", func(s elemState) bool { return s.Visible })
	p.doSel(action, sel, chromedp.Click(chromedp.CSS(sel)))
}

// Fill waits until the form field is visible, clears it and enters value,
// then dispatches a change event. Text fields (text, search, email, url, tel,
// password, number, textarea, contenteditable) get real key presses, so
// keydown/input/keyup handlers and htmx triggers fire; a "\n" is the Enter
// key. Other fields (select, date, checkbox, ...) get their value set and an
// input event.
func (p *Page) Fill(sel, value string) {
	p.t.Helper()
	action := fmt.Sprintf("Fill(%q, %q)", sel, value)
	p.waitState(action, sel, "to be visible", func(s elemState) bool { return s.Visible })
	mode := p.eval(action, jsCall(jsFillPrepare, sel, value))
	if mode == `"type"` && value != "" {
		p.do(action, chromedp.SendKeys(chromedp.CSS(sel), value))
	}
	p.eval(action, jsCall(jsDispatchChange, sel))
}

// Submit submits the form of the element (or the element itself when it is
// a form) with requestSubmit, so submit handlers, htmx and validation run.
// A submit button is passed as the submitter.
func (p *Page) Submit(sel string) {
	p.t.Helper()
	action := fmt.Sprintf("Submit(%q)", sel)
	p.waitState(action, sel, "to exist", func(s elemState) bool { return s.Present })
	p.eval(action, jsCall(jsSubmit, sel))
}

// WaitVisible waits until the element is visible (see Visible).
func (p *Page) WaitVisible(sel string) {
	p.t.Helper()
	p.waitState(fmt.Sprintf("WaitVisible(%q)", sel), sel, "to be visible",
		func(s elemState) bool { return s.Visible })
}

// WaitNotVisible waits until the element is hidden or not in the DOM.
func (p *Page) WaitNotVisible(sel string) {
	p.t.Helper()
	p.waitState(fmt.Sprintf("WaitNotVisible(%q)", sel), sel, "to be hidden or removed",
		func(s elemState) bool { return !s.Visible })
}

// WaitText waits until the element's innerText contains substr. It keeps
// polling across page loads.
func (p *Page) WaitText(sel, substr string) {
	p.t.Helper()
	p.waitState(fmt.Sprintf("WaitText(%q, %q)", sel, substr), sel, fmt.Sprintf("to contain %q", substr),
		func(s elemState) bool { return s.Present && strings.Contains(s.Text, substr) })
}

// Text waits until the element exists and returns its innerText. Unlike
// chromedp.Text, it also returns the text of a hidden element.
func (p *Page) Text(sel string) string {
	p.t.Helper()
	return p.waitState(fmt.Sprintf("Text(%q)", sel), sel, "to exist",
		func(s elemState) bool { return s.Present }).Text
}

// Attr waits until the element exists and returns its attribute name, or ""
// when it has none.
func (p *Page) Attr(sel, name string) string {
	p.t.Helper()
	res, err := runCtx(p, chromedp.AttributeValue(chromedp.CSS(sel), name))
	if err != nil {
		p.fail(fmt.Sprintf("Attr(%q, %q)", sel, name), p.withState(sel, err))
	}
	return res.Value
}

// Eval evaluates the JavaScript expression, awaiting it when it is a promise,
// and decodes its JSON value into out. out may be nil.
func (p *Page) Eval(js string, out any) {
	p.t.Helper()
	raw := p.eval("Eval", js)
	if out == nil {
		return
	}
	if raw == "" {
		p.fail("Eval", fmt.Errorf("expression %q evaluated to undefined", js))
	}
	if err := json.Unmarshal([]byte(raw), out); err != nil {
		p.fail("Eval", fmt.Errorf("decoding the result of %q into %T: %w", js, out, err))
	}
}

// Visible reports at once, without waiting, whether the element is in the
// DOM, has a box of non-zero size and is not display:none or
// visibility:hidden (directly or by an ancestor).
func (p *Page) Visible(sel string) bool {
	p.t.Helper()
	s, err := runCtx(p, chromedp.Evaluate[elemState](jsCall(jsState, sel)))
	if err != nil {
		p.fail(fmt.Sprintf("Visible(%q)", sel), err)
	}
	return s.Visible
}

// URL returns the page's current URL.
func (p *Page) URL() string {
	p.t.Helper()
	u, err := runCtx(p, chromedp.Location())
	if err != nil {
		p.fail("URL()", err)
	}
	return u
}

// SetFiles sets the files of an <input type=file> (DOM.setFileInputFiles);
// the browser then fires its input and change events. Relative paths are
// made absolute.
func (p *Page) SetFiles(sel string, paths ...string) {
	p.t.Helper()
	action := fmt.Sprintf("SetFiles(%q, %q)", sel, paths)
	abs := make([]string, len(paths))
	for i, path := range paths {
		a, err := filepath.Abs(path)
		if err == nil {
			_, err = os.Stat(a)
		}
		if err != nil {
			p.fail(action, err)
		}
		abs[i] = a
	}
	p.doSel(action, sel, chromedp.SetUploadFiles(chromedp.CSS(sel), abs))
}

// ThrottleNetwork emulates a slow network for this page's requests. A rate
// <= 0 means no limit.
//
// It sends Network.emulateNetworkConditionsByRule (cdproto v0.159 no longer
// has emulateNetworkConditions), with the top-level "offline" parameter that
// Chromium 148 still requires but cdproto v0.159 dropped.
func (p *Page) ThrottleNetwork(uploadBytesPerSec, downloadBytesPerSec float64, latency time.Duration) {
	p.t.Helper()
	unlimited := func(v float64) float64 {
		if v <= 0 {
			return -1
		}
		return v
	}
	p.setNetworkConditions("ThrottleNetwork", []*network.Conditions{{
		Latency:            float64(latency) / float64(time.Millisecond),
		UploadThroughput:   unlimited(uploadBytesPerSec),
		DownloadThroughput: unlimited(downloadBytesPerSec),
	}})
}

// Unthrottle removes the conditions of ThrottleNetwork.
func (p *Page) Unthrottle() {
	p.t.Helper()
	p.setNetworkConditions("Unthrottle", []*network.Conditions{})
}

func (p *Page) setNetworkConditions(action string, conds []*network.Conditions) {
	p.t.Helper()
	params := struct {
		Offline    bool                  `json:"offline"`
		Conditions []*network.Conditions `json:"matchedNetworkConditions"`
	}{Conditions: conds}
	_, err := runCtx(p, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		return t.Call(ctx, network.CommandEmulateNetworkConditionsByRule, params, nil)
	}))
	if err != nil {
		p.fail(action, err)
	}
}

// Cookies returns the cookies that the browser would send to the current URL.
func (p *Page) Cookies() []*network.Cookie {
	p.t.Helper()
	res, err := runCtx(p, func(ctx context.Context, _ *chromedp.Target) (network.GetCookiesResult, error) {
		return chromedp.Call(ctx, network.GetCookies, network.GetCookiesParams{})
	})
	if err != nil {
		p.fail("Cookies()", err)
	}
	return res.Cookies
}

// Screenshot saves a PNG of the whole page (beyond the viewport) to path,
// creating its directory.
func (p *Page) Screenshot(path string) {
	p.t.Helper()
	if err := p.screenshot(p.ctx, path); err != nil {
		p.fail(fmt.Sprintf("Screenshot(%q)", path), err)
	}
}

func (p *Page) screenshot(ctx context.Context, path string) error {
	ctx, cancel := context.WithTimeout(ctx, p.timeout)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		return fmt.Errorf("capturing: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, png, 0o644)
}

// saveFailureArtifacts saves a screenshot to PLAZA_E2E_ARTIFACTS (default
// <tmp>/plaza-e2e) and logs it with the URL and the last console messages.
func (p *Page) saveFailureArtifacts() string {
	dir := os.Getenv("PLAZA_E2E_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "plaza-e2e")
	}
	path := filepath.Join(dir, fmt.Sprintf("%s-%d.png", sanitize(p.t.Name()), p.seq))
	url := p.currentURL()
	if err := p.screenshot(p.ctx, path); err != nil {
		p.t.Logf("e2e: page %d at %s: no failure screenshot: %v", p.seq, url, err)
		path = ""
	} else {
		p.t.Logf("e2e: page %d at %s: failure screenshot %s", p.seq, url, path)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.console) > 0 {
		p.t.Logf("e2e: page %d console (last %d):\n\t%s", p.seq, len(p.console), strings.Join(p.console, "\n\t"))
	}
	return path
}

var unsafeChars = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

func sanitize(name string) string { return unsafeChars.ReplaceAllString(name, "_") }

// collectConsole keeps the last console messages and exceptions of the page
// until the page closes.
func (sl *slot) collectConsole(messages iter.Seq2[chromedp.ConsoleMessage, error]) {
	for m, err := range messages {
		if err != nil {
			return
		}
		p := sl.cur.Load()
		if p == nil {
			continue
		}
		p.mu.Lock()
		p.console = append(p.console, m.String())
		if len(p.console) > consoleKeepLast {
			p.console = p.console[len(p.console)-consoleKeepLast:]
		}
		if m.IsException() || m.Type == "error" || m.Type == "assert" {
			where := m.URL
			if where == "" && m.Exception != nil {
				where = m.Exception.URL
			}
			p.problems = append(p.problems, fmt.Sprintf("console %s: %s (%s)", m.Type, m.Text, where))
		}
		p.mu.Unlock()
	}
}

// collectResponses notes every answer with a 5xx status, for TakeProblems.
func (sl *slot) collectResponses(events iter.Seq2[network.EventResponseReceived, error]) {
	for ev, err := range events {
		if err != nil {
			return
		}
		if p := sl.cur.Load(); p != nil && ev.Response != nil && ev.Response.Status >= 500 {
			p.addProblem(fmt.Sprintf("HTTP %d for %s (%s)", ev.Response.Status, ev.Response.URL, ev.Type))
		}
	}
}

// collectFailures notes requests that failed to load (not those the page
// cancelled, such as a navigation leaving a page), for TakeProblems.
func (sl *slot) collectFailures(events iter.Seq2[network.EventLoadingFailed, error]) {
	for ev, err := range events {
		if err != nil {
			return
		}
		p := sl.cur.Load()
		if p == nil || ev.Canceled || ev.ErrorText == "net::ERR_ABORTED" {
			continue
		}
		p.addProblem(fmt.Sprintf("failed to load a %s: %s", ev.Type, ev.ErrorText))
	}
}

func (p *Page) addProblem(s string) {
	p.mu.Lock()
	p.problems = append(p.problems, s)
	p.mu.Unlock()
}

// TakeProblems returns what went wrong in the page since the last call, and
// forgets it: console errors and failed assertions, uncaught exceptions and
// unhandled rejections, answers with a 5xx status (documents, scripts,
// fetches…) and requests that failed to load (except those cancelled, as
// when a navigation leaves a page). A test that crawls pages asserts it
// stays empty. Events arrive asynchronously: one the browser reports late
// shows in the next call.
func (p *Page) TakeProblems() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := p.problems
	p.problems = nil
	return out
}

// runCtx runs a with the page's action timeout.
func runCtx[T any](p *Page, a chromedp.Action[T]) (T, error) {
	ctx, cancel := context.WithTimeout(p.ctx, p.timeout)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil && ctx.Err() != nil && p.ctx.Err() == nil {
		err = fmt.Errorf("timed out after %s: %w", p.timeout, err)
	}
	return v, err
}

// do runs a with the action timeout and fails the test on error.
func (p *Page) do(action string, a chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	if _, err := runCtx(p, a); err != nil {
		p.fail(action, err)
	}
}

// doSel is do for an action on the element of sel; its error tells the
// element's state.
// doSel runs an action on an element, retrying while the page is between
// documents (a navigation replaced the node or the execution context).
func (p *Page) doSel(action, sel string, a chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	deadline := time.Now().Add(p.timeout)
	for {
		_, err := runCtx(p, a)
		if err == nil {
			return
		}
		if !betweenDocuments(err) || time.Now().After(deadline) {
			p.fail(action, p.withState(sel, err))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// betweenDocuments reports errors that mean "the page navigated under us".
func betweenDocuments(err error) bool {
	msg := err.Error()
	for _, s := range []string{"Could not find node", "Not attached to an active page", "Cannot find context", "Execution context was destroyed", "No node with given id"} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}

// withState adds the state of the element of sel to err.
func (p *Page) withState(sel string, err error) error {
	ctx, cancel := context.WithTimeout(p.ctx, 2*time.Second)
	defer cancel()
	s, serr := chromedp.Run(ctx, chromedp.Evaluate[elemState](jsCall(jsState, sel)))
	if serr != nil {
		return err
	}
	return fmt.Errorf("%w (%s: %s)", err, sel, s.Reason)
}

// eval evaluates js, awaiting promises, and returns its raw JSON value ("" for
// undefined).
func (p *Page) eval(action, js string) string {
	p.t.Helper()
	raw, err := runCtx(p, chromedp.Evaluate[[]byte](js, chromedp.EvalAwaitPromise))
	if err != nil {
		p.fail(action, err)
	}
	return string(raw)
}

// elemState is what jsState reports about the element of a selector.
type elemState struct {
	Present bool   `json:"present"`
	Visible bool   `json:"visible"`
	Reason  string `json:"reason"`
	Text    string `json:"text"`
}

// waitState polls the element's state until ok returns true. It keeps polling
// through navigations, and fails the test at the timeout with the last state.
func (p *Page) waitState(action, sel, want string, ok func(elemState) bool) elemState {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, p.timeout)
	defer cancel()
	expr := jsCall(jsState, sel)
	var last *elemState
	var lastErr error
	for {
		s, err := chromedp.Run(ctx, chromedp.Evaluate[elemState](expr))
		var exc *chromedp.ExceptionError
		switch {
		case errors.As(err, &exc): // e.g. an invalid selector; retrying won't help
			p.fail(action, err)
		case err == nil && ok(s):
			return s
		case err == nil:
			last, lastErr = &s, nil
		case ctx.Err() == nil:
			lastErr = err // e.g. no execution context during a navigation
		}
		select {
		case <-ctx.Done():
			var why string
			switch {
			case lastErr != nil:
				why = lastErr.Error()
			case last == nil:
				why = "no state read"
			case last.Present && last.Visible:
				why = fmt.Sprintf("%s; its text is %q", last.Reason, truncate(last.Text, 300))
			default:
				why = last.Reason
			}
			p.fail(action, fmt.Errorf("timed out after %s waiting for %s %s: %s", p.timeout, sel, want, why))
		case <-time.After(pollInterval):
		}
	}
}

func truncate(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

// fail fails the test with the action, the page URL and err.
func (p *Page) fail(action string, err error) {
	p.t.Helper()
	p.t.Fatalf("e2e: page %d: %s at %s: %v", p.seq, action, p.currentURL(), err)
}

// currentURL returns the URL for messages; it never fails the test.
func (p *Page) currentURL() string {
	ctx, cancel := context.WithTimeout(p.ctx, 2*time.Second)
	defer cancel()
	u, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		return fmt.Sprintf("<unknown URL: %v>", err)
	}
	return u
}

// jsCall returns the expression that calls the JavaScript function fn with
// args encoded as JSON.
func jsCall(fn string, args ...any) string {
	enc := make([]string, len(args))
	for i, a := range args {
		b, err := json.Marshal(a)
		if err != nil {
			panic(err) // only strings are passed
		}
		enc[i] = string(b)
	}
	return fmt.Sprintf("(%s)(%s)", fn, strings.Join(enc, ", "))
}

const jsState = `(sel) => {
	const el = document.querySelector(sel);
	if (!el) return {present: false, visible: false, reason: "no element matches", text: ""};
	const s = getComputedStyle(el), r = el.getBoundingClientRect();
	let reason = "";
	if (s.display === "none") reason = "it is display:none";
	else if (s.visibility === "hidden" || s.visibility === "collapse") reason = "it is visibility:" + s.visibility;
	else if (r.width === 0 && r.height === 0) reason = "its box has zero size (hidden ancestor?)";
	return {present: true, visible: reason === "", reason: reason || "it is visible", text: el.innerText ?? el.textContent ?? ""};
}`

const jsFillPrepare = `(sel, value) => {
	const el = document.querySelector(sel);
	if (!el) throw new Error("no element matches " + sel);
	const textTypes = ["text", "search", "email", "url", "tel", "password", "number"];
	const typed = el.isContentEditable || el.tagName === "TEXTAREA" ||
		(el.tagName === "INPUT" && textTypes.includes(el.type));
	el.focus();
	if (typed) {
		if (el.isContentEditable) el.textContent = ""; else el.value = "";
		el.dispatchEvent(new Event("input", {bubbles: true}));
		return "type";
	}
	if (!("value" in el)) throw new Error(sel + " is a <" + el.tagName.toLowerCase() + ">, not a form field");
	el.value = value;
	if (el.value !== value) throw new Error(sel + " did not accept the value; its value is " + JSON.stringify(el.value));
	el.dispatchEvent(new Event("input", {bubbles: true}));
	return "set";
}`

const jsDispatchChange = `(sel) => {
	const el = document.querySelector(sel);
	if (el) el.dispatchEvent(new Event("change", {bubbles: true}));
}`

const jsSubmit = `(sel) => {
	const el = document.querySelector(sel);
	if (!el) throw new Error("no element matches " + sel);
	const form = el instanceof HTMLFormElement ? el : (el.form || el.closest("form"));
	if (!form) throw new Error(sel + " is not a form and is in no form");
	const submitter = el !== form && el.form === form && (el.type === "submit" || el.type === "image") ? el : null;
	form.requestSubmit(submitter);
}`

// SubmitAndWait clicks a button that submits a form and waits until the
// next page has loaded (a click returns before the navigation starts).
func (p *Page) SubmitAndWait(sel string) {
	p.t.Helper()
	p.Eval(`window.__plazaStale = true`, nil)
	p.Click(sel)
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		var fresh bool
		p.Eval(`!window.__plazaStale && document.readyState === "complete"`, &fresh)
		if fresh {
			return
		}
		time.Sleep(30 * time.Millisecond)
	}
	p.t.Fatalf("no new page after clicking %s", sel)
}
