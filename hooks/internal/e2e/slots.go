package e2e

import (
	"context"
	"fmt"
	"iter"
	"sync"
	"sync/atomic"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

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
