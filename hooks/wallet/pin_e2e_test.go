package wallet_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"plaza/hooks/chat"
	"plaza/hooks/internal/e2e"
	"plaza/hooks/internal/testapp"
	"plaza/hooks/wallet"
)

// keys types s into whatever has the focus, as real key presses.
func keys(t *testing.T, p *e2e.Page, s string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(p.Ctx(), 5*time.Second)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.KeyEvent(s)); err != nil {
		t.Fatal(err)
	}
}

// enterPIN types the PIN into the open PIN sheet (the focus is in it) and
// waits for the page the sixth digit submits the form to.
func enterPIN(t *testing.T, p *e2e.Page, pin string) {
	t.Helper()
	p.WaitVisible("[data-testid=pin-sheet]")
	var focused string
	p.Eval(`document.activeElement?.dataset.testid || ""`, &focused)
	if focused != "pin-input" {
		t.Fatalf("the open PIN sheet should have the focus in the PIN, not in %q", focused)
	}
	p.AndWaitForPage("the sixth digit of the PIN", func() { keys(t, p, pin) })
}

// payWithPIN presses a payment form's button, which opens the PIN sheet,
// and enters the PIN there.
func payWithPIN(t *testing.T, p *e2e.Page, button, pin string) {
	t.Helper()
	p.Click(button)
	enterPIN(t, p, pin)
}

// waitJS waits until the JavaScript expression is true.
func waitJS(t *testing.T, p *e2e.Page, js, what string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		var ok bool
		p.Eval(js, &ok)
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("waited 5s for %s", what)
		}
		time.Sleep(30 * time.Millisecond)
	}
}

// sheetSettled waits until the PIN sheet has slid up (no animation runs),
// so that clicks land where the keypad is.
func sheetSettled(p *e2e.Page) {
	p.Eval(`Promise.all(document.getAnimations().map((a) => a.finished)).then(() => true)`, nil)
}

// TestBrowserPINSheet: Ann sends Bo a transfer with the keyboard alone. The
// pay PIN is in the form (a closed <dialog> inside it, so the form works
// without JavaScript too). She types the amount and Tabs to Send (never
// through the PIN): Enter opens the PIN sheet, a modal dialog named "Enter
// pay PIN" showing ¥12.50, with the focus in the PIN field (labelled for
// screen readers). The keypad types into it, ⌫ and Backspace delete.
// Escape closes the sheet: the focus is back on Send and nothing is paid.
// A wrong PIN submits on its sixth digit and the page comes back with the
// sheet open at once, the error inside it and the boxes empty, nothing
// paid; the right PIN pays and the transfer reaches the chat.
func TestBrowserPINSheet(t *testing.T) {
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
	if err := testapp.Services(t, srv.App).Wallet.SetPIN(annRec.Id, "135790"); err != nil {
		t.Fatal(err)
	}
	before, _ := wallet.Balance(srv.App, annRec.Id)
	unchanged := func(when string) {
		t.Helper()
		if after, _ := wallet.Balance(srv.App, annRec.Id); after != before {
			t.Fatalf("%s: Ann's balance went %d → %d", when, before, after)
		}
	}

	ann := b.NewPage(t)
	srv.SignIn(ann, "ann_lee", testapp.DefaultPassword)
	ann.Navigate(srv.URL + "/wallet/transfer?c=" + dm)
	ann.WaitVisible("[data-testid=transfer-send]")
	var inForm bool
	ann.Eval(`(() => {
		const pin = document.querySelector("[data-testid=pin-input]");
		const sheet = pin.closest("dialog[data-testid=pin-sheet]");
		return pin.form === document.querySelector("[data-testid=transfer-form]") && !!sheet && !sheet.open && document.querySelector("[data-testid=transfer-form]").contains(sheet);
	})()`, &inForm)
	if !inForm {
		t.Fatal("the PIN should be in a closed sheet inside the transfer form")
	}
	if ann.Visible("[data-testid=pin-sheet]") {
		t.Fatal("the PIN sheet should be closed until Send")
	}
	var label string
	ann.Eval(`document.querySelector("[data-testid=pin-input]").labels[0].textContent`, &label)
	if label != "Pay PIN (6 digits)" {
		t.Fatalf("the PIN field's label: %q", label)
	}

	// Keyboard only: the amount, then Tab to Send.
	focused := func() string {
		t.Helper()
		var f string
		ann.Eval(`document.activeElement?.dataset.testid || document.activeElement?.name || ""`, &f)
		return f
	}
	ann.Eval(`document.querySelector("[name=amount]").focus(), true`, nil)
	keys(t, ann, "12.50")
	for i := 0; i < 8 && focused() != "transfer-send"; i++ {
		keys(t, ann, kb.Tab)
		if focused() == "pin-input" {
			t.Fatal("Tab reached the PIN of the closed sheet")
		}
	}
	if focused() != "transfer-send" {
		t.Fatal("Tab never reached Send")
	}

	// Send opens the sheet, focus in the PIN.
	keys(t, ann, kb.Enter)
	ann.WaitVisible("[data-testid=pin-sheet]")
	var modal bool
	ann.Eval(`document.querySelector("[data-testid=pin-sheet]").matches(":modal")`, &modal)
	if !modal {
		t.Fatal("the PIN sheet should be a modal dialog")
	}
	if f := focused(); f != "pin-input" {
		t.Fatalf("the open sheet should put the focus in the PIN, not %q", f)
	}
	var name string
	ann.Eval(`document.getElementById(document.querySelector("[data-testid=pin-sheet]").getAttribute("aria-labelledby")).textContent`, &name)
	if name != "Enter pay PIN" {
		t.Fatalf("the sheet's name: %q", name)
	}
	if got := ann.Text("[data-testid=pin-sheet] [data-testid=pin-amount]"); got != "¥12.50" {
		t.Fatalf("the sheet's amount: %q", got)
	}

	// The keypad types and deletes; so does the keyboard.
	sheetSettled(ann)
	ann.Click("[data-testid=pin-keypad] [data-key='4']")
	ann.Click("[data-testid=pin-keypad] [data-key='2']")
	ann.Click("[data-testid=pin-keypad] [data-key=del]")
	value := func() string {
		t.Helper()
		var v string
		ann.Eval(`document.querySelector("[data-testid=pin-input]").value`, &v)
		return v
	}
	if v := value(); v != "4" {
		t.Fatalf("keypad 4, 2, ⌫ should leave 4, got %q", v)
	}
	keys(t, ann, "7")
	keys(t, ann, kb.Backspace)
	if v := value(); v != "4" {
		t.Fatalf("7 then Backspace should leave 4, got %q", v)
	}

	// Escape cancels: sheet closed, focus back on Send, PIN dropped, nothing paid.
	keys(t, ann, kb.Escape)
	ann.WaitNotVisible("[data-testid=pin-sheet]")
	// (The dialog's close event, which drops the digits, follows as a task.)
	waitJS(t, ann, `document.querySelector("[data-testid=pin-input]").value === ""`, "a cancelled sheet to drop the PIN")
	if f := focused(); f != "transfer-send" {
		t.Fatalf("after Escape the focus should be back on Send, not %q", f)
	}
	time.Sleep(300 * time.Millisecond) // nothing is on its way either
	unchanged("Escape")
	if ann.Visible("[data-testid=msg-card]") || !ann.Visible("[data-testid=transfer-form]") {
		t.Fatal("Escape should stay on the form")
	}

	// A wrong PIN: the sixth digit submits; the sheet is open again at once
	// with the error in it and empty boxes.
	keys(t, ann, kb.Enter)
	ann.WaitVisible("[data-testid=pin-sheet]")
	keys(t, ann, "1357")
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
	enterPIN(t, ann, "00")
	ann.WaitVisible("[data-testid=pin-sheet]")
	ann.WaitText("[data-testid=pin-sheet] [data-testid=error-pin]", "Wrong pay PIN")
	if f := focused(); f != "pin-input" {
		t.Fatalf("the reopened sheet should put the focus in the PIN, not %q", f)
	}
	ann.Eval(`[...document.querySelectorAll("[data-pin-box]")].map((b) => b.textContent)`, &dots)
	for i, d := range dots {
		if d != "" || value() != "" {
			t.Fatalf("the reopened sheet's box %d shows %q", i, d)
		}
	}
	var described string
	ann.Eval(`document.querySelector("[data-testid=pin-input]").getAttribute("aria-describedby") || ""`, &described)
	if described != "e-pin" {
		t.Fatalf("the PIN field should be described by its error, not %q", described)
	}
	unchanged("a wrong PIN")
	for _, p := range ann.TakeProblems() { // the refusal's page comes with its status, 403
		if !strings.Contains(p, "status of 403") {
			t.Errorf("browser: %s", p)
		}
	}
	if got := ann.Text("[data-testid=pin-sheet] [data-testid=pin-amount]"); got != "¥12.50" {
		t.Fatalf("the reopened sheet's amount: %q", got)
	}

	// The right PIN pays.
	enterPIN(t, ann, "135790")
	ann.WaitVisible("[data-testid=msg-card][data-card-type=transfer]")
	ann.WaitText("[data-testid=msg-card][data-card-type=transfer]", "¥12.50")
	if after, _ := wallet.Balance(srv.App, annRec.Id); after != before-12_50 {
		t.Fatalf("Ann paid %d", before-after)
	}
	for _, p := range ann.TakeProblems() {
		t.Errorf("browser: %s", p)
	}
}
