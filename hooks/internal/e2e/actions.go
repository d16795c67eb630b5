package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

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
