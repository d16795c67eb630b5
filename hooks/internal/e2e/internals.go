package e2e

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/chromedp/chromedp"
)

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
	for _, s := range []string{"Could not find node", "Not attached to an active page", "Cannot find context", "Execution context was destroyed",
		"No node with given id", "Inspected target navigated or closed"} {
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
//
// Started while the page was between documents (a navigation committing
// under it), the script ran nowhere: it runs again on the new document,
// until the action timeout.
func (p *Page) eval(action, js string) string {
	p.t.Helper()
	deadline := time.Now().Add(p.timeout)
	for {
		raw, err := runCtx(p, chromedp.Evaluate[[]byte](js, chromedp.EvalAwaitPromise))
		if err == nil {
			return string(raw)
		}
		if !betweenDocuments(err) || time.Now().After(deadline) {
			p.fail(action, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
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
	p.AndWaitForPage("clicking "+sel, func() { p.Click(sel) })
}

// AndWaitForPage runs act (a click, keys typed) that loads a new page and
// waits until it has loaded; what names act in the failure ("no new page
// after …").
func (p *Page) AndWaitForPage(what string, act func()) {
	p.t.Helper()
	p.Eval(`window.__plazaStale = true`, nil)
	act()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		var fresh bool
		p.Eval(`!window.__plazaStale && document.readyState === "complete"`, &fresh)
		if fresh {
			return
		}
		time.Sleep(30 * time.Millisecond)
	}
	p.t.Fatalf("no new page after %s", what)
}
