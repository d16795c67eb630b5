// Package browser_test runs the demo mini programs in Chromium inside
// Plaza's host page: their bundles in the sandboxed frame, the bridge,
// the host's pay sheet and their own servers under /mp-demo/.
package browser_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"plaza/hooks/demo"
	"plaza/hooks/demo/mpdemo"
	"plaza/hooks/internal/e2e"
	"plaza/hooks/internal/testapp"
	"plaza/hooks/wallet"
)

// frameText polls the app's frame until the element of sel holds want
// (the frame is sandboxed: read through an isolated world).
func frameText(t *testing.T, p *e2e.Page, sel, want string) string {
	t.Helper()
	js := `(() => { const el = document.querySelector(` + "`" + sel + "`" + `); return el && !el.closest("[hidden]") ? el.textContent : ""; })()`
	var got string
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		p.EvalInFrame("[data-testid=mp-frame]", js, &got)
		if strings.Contains(got, want) {
			return got
		}
	}
	t.Fatalf("frame %s: %q, want %q", sel, got, want)
	return ""
}

// frameClick clicks the element of sel in the app's frame.
func frameClick(p *e2e.Page, sel string) {
	p.EvalInFrame("[data-testid=mp-frame]", `document.querySelector(`+"`"+sel+"`"+`).click()`, nil)
}

// TestBrowserDemoMiniPrograms: Bo opens the Corner Café, orders two flat
// whites, pays ¥36.00 on the host's pay sheet with his PIN and sees the
// café confirm the order; then he votes in the Community Poll, and on
// opening it again the poll shows his vote (from the signed launch, no
// login).
//
// One piece: one story, read top to bottom.
func TestBrowserDemoMiniPrograms(t *testing.T) {
	t.Parallel() // its own server and pages; see hooks/internal/e2e
	b := e2e.NewBrowser(t)
	srv := e2e.StartServer(t)
	srv.Member(t, "alice_w")
	srv.Member(t, "jack_m")
	bo := srv.Member(t, "bo_wang")
	mp := testapp.Services(t, srv.App).MP
	if err := demo.SeedMiniPrograms(srv.App, mp); err != nil {
		t.Fatal(err)
	}
	if err := testapp.Services(t, srv.App).Wallet.SetPIN(bo.Id, "135792"); err != nil {
		t.Fatal(err)
	}
	if _, err := wallet.Mint(srv.App, "bo_wang", 100_00, "demo e2e"); err != nil {
		t.Fatal(err)
	}
	coffee, _, _ := mpdemo.AppOf(srv.App, mpdemo.Coffee)
	poll, _, _ := mpdemo.AppOf(srv.App, mpdemo.Poll)

	p := b.NewPage(t)
	srv.SignIn(p, "bo_wang", testapp.DefaultPassword)
	// From Discover → Mini Programs: search, then open the café's row.
	p.Navigate(srv.URL + "/mp/search?q=" + url.QueryEscape("咖啡"))
	p.Click("[data-testid=mp-app][data-appid='" + coffee + "']")
	p.WaitText("[data-testid=mp-name]", "Corner Café")
	if launch := p.Attr("[data-mp-host]", "data-mp-launch"); !strings.Contains(launch, "scene=search") {
		t.Fatalf("the café opened from search has the launch %q", launch)
	}
	frameText(t, p, "[data-testid=cafe-item-flat_white]", "Flat white")
	frameClick(p, "[data-testid=cafe-add-flat_white]")
	frameClick(p, "[data-testid=cafe-add-flat_white]")
	frameText(t, p, "[data-testid=cafe-total]", "¥36.00")
	frameClick(p, "[data-testid=cafe-pay]")

	p.WaitVisible("[data-testid=mp-pay-sheet]")
	p.WaitText("[data-testid=mp-pay-amount]", "36.00")
	p.WaitText("[data-testid=mp-pay-description]", "2× Flat white")
	for _, k := range "135792" { // the keypad, tapped as the sheet's animation allows
		p.Eval(`document.querySelector("[data-testid=mp-pay-sheet] [data-key='`+string(k)+`']").click()`, nil)
	}
	p.WaitNotVisible("[data-testid=mp-pay-sheet]")
	done := frameText(t, p, "[data-testid=cafe-done]", "paid ✓")
	if !strings.Contains(done, "we're making it") || !strings.Contains(done, "2× Flat white · ¥36.00") {
		t.Fatalf("the café's receipt: %q", done)
	}
	if orders, err := mpdemo.CafeOrders(srv.App, ""); err != nil || len(orders) != 0 {
		t.Fatalf("orders of nobody: %v %v", orders, err)
	}
	// The receipt waits in Bo's Pay Notifications, naming the café.
	p.Navigate(srv.URL + "/chats")
	var conv string
	p.Eval(`[...document.querySelectorAll("[data-testid=chat-row]")].find(r => r.textContent.includes("Pay Notifications"))?.dataset.conv || ""`, &conv)
	if conv == "" {
		t.Fatal("no Pay Notifications chat in the list")
	}
	p.Navigate(srv.URL + "/chats/" + conv)
	p.WaitText("[data-testid=msg-card][data-card-type=paid]", "36.00")
	p.WaitText("[data-testid=msg-card][data-card-type=paid]", "Corner Café")

	p.Navigate(srv.URL + "/mp/" + poll + "?scene=card")
	p.WaitText("[data-testid=mp-name]", "Community Poll")
	frameText(t, p, "[data-testid=poll-option-herbs]", "Herbs")
	frameClick(p, "[data-testid=poll-option-herbs]")
	frameClick(p, "[data-testid=poll-vote]")
	frameText(t, p, "[data-testid=poll-status]", "You voted for 🌿 Herbs")
	frameText(t, p, "[data-testid=poll-total]", "1 vote")

	p.Navigate(srv.URL + "/mp/" + poll + "?scene=recent")
	frameText(t, p, "[data-testid=poll-status]", "You voted for 🌿 Herbs")
	frameText(t, p, "[data-testid=poll-bar-herbs]", "your vote")

	// One vote per member: Bo's second vote is refused and counts
	// nothing; Jack's counts.
	code, err := mp.Login(bo.Id, poll)
	if err != nil {
		t.Fatal(err)
	}
	res, err := http.Post(srv.URL+"/mp-demo/poll/api/vote", "application/json",
		strings.NewReader(`{"code":"`+code+`","choice":"tomatoes"}`))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusConflict {
		t.Fatalf("Bo's second vote: %d", res.StatusCode)
	}
	q := b.NewPage(t)
	srv.SignIn(q, "jack_m", testapp.DefaultPassword)
	q.Navigate(srv.URL + "/mp/" + poll + "?scene=directory")
	frameClick(q, "[data-testid=poll-option-tomatoes]")
	frameClick(q, "[data-testid=poll-vote]")
	frameText(t, q, "[data-testid=poll-total]", "2 votes")
	if problems := p.TakeProblems(); len(problems) > 0 {
		t.Fatalf("problems in the page: %q", problems)
	}
}
