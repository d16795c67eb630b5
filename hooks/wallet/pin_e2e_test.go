package wallet_test

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"plaza/hooks/chat"
	"plaza/hooks/internal/e2e"
	"plaza/hooks/internal/testapp"
	"plaza/hooks/wallet"
)

// TestBrowserPINKeypadByKeyboard: Ann sends Bo a transfer with the
// keyboard alone: she types the amount, Tabs to the pay PIN (the six
// boxes' real field, labelled for screen readers), types six digits —
// each box fills with a dot, the next one is marked — and presses Enter.
// The transfer reaches the chat. The on-screen keypad types into the
// same field (and ⌫ deletes).
func TestBrowserPINKeypadByKeyboard(t *testing.T) {
	b := e2e.NewBrowser(t)
	srv := e2e.StartServer(t)
	annRec, boRec := srv.Member(t, "ann_lee"), srv.Member(t, "bo_wang")
	befriend(t, srv.App, annRec, boRec)
	dm, err := chat.OpenDirect(srv.App, annRec.Id, boRec.Id)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := wallet.Mint(srv.App, "ann_lee", 100_00, "e2e"); err != nil {
		t.Fatal(err)
	}
	if err := wallet.Of(srv.App).SetPIN(annRec.Id, "135790"); err != nil {
		t.Fatal(err)
	}

	ann := b.NewPage(t)
	srv.SignIn(ann, "ann_lee", testapp.DefaultPassword)
	ann.Navigate(srv.URL + "/wallet/transfer?c=" + dm)
	ann.WaitVisible("[data-testid=pin-boxes]")
	var label string
	ann.Eval(`document.querySelector("[data-testid=pin-input]").labels[0].textContent`, &label)
	if label != "Pay PIN (6 digits)" {
		t.Fatalf("the PIN field's label: %q", label)
	}

	// The keypad types and deletes.
	ann.Click("[data-testid=pin-keypad] [data-key='4']")
	ann.Click("[data-testid=pin-keypad] [data-key='2']")
	ann.Click("[data-testid=pin-keypad] [data-key=del]")
	var value string
	ann.Eval(`document.querySelector("[data-testid=pin-input]").value`, &value)
	if value != "4" {
		t.Fatalf("keypad 4, 2, ⌫ should leave 4, got %q", value)
	}
	ann.Eval(`document.querySelector("[data-testid=pin-input]").value = "", document.querySelector("[data-testid=pin-input]").dispatchEvent(new Event("input")), true`, nil)

	keys := func(s string) {
		t.Helper()
		ctx, cancel := context.WithTimeout(ann.Ctx(), 5*time.Second)
		defer cancel()
		if _, err := chromedp.Run(ctx, chromedp.KeyEvent(s)); err != nil {
			t.Fatal(err)
		}
	}
	ann.Eval(`document.querySelector("[name=amount]").focus(), true`, nil)
	keys("12.50")
	var focused string
	for i := 0; i < 6 && focused != "pin-input"; i++ {
		keys(kb.Tab)
		ann.Eval(`document.activeElement.dataset.testid || document.activeElement.name || ""`, &focused)
	}
	if focused != "pin-input" {
		t.Fatal("Tab never reached the PIN")
	}
	keys("1357")
	var dots []string
	ann.Eval(`[...document.querySelectorAll("[data-pin-box]")].map((b) => b.textContent)`, &dots)
	if len(dots) != 6 || dots[3] != "•" || dots[4] != "" {
		t.Fatalf("four digits should fill four boxes: %q", dots)
	}
	var marked bool
	ann.Eval(`document.querySelector("[data-pin-box='4']").classList.contains("ring-2")`, &marked)
	if !marked {
		t.Fatal("the next box should be marked")
	}
	keys("90")
	keys(kb.Enter)
	ann.WaitVisible("[data-testid=msg-card][data-card-type=transfer]")
	ann.WaitText("[data-testid=msg-card][data-card-type=transfer]", "¥12.50")
	for _, p := range ann.TakeProblems() {
		t.Errorf("browser: %s", p)
	}
}
