package chat_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/accounts"
	"plaza/hooks/chat"
	"plaza/hooks/contacts"
	"plaza/hooks/internal/e2e"
	"plaza/hooks/internal/testapp"
)

// press sends one key to the page's focused element.
func press(t *testing.T, p *e2e.Page, key string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(p.Ctx(), 5*time.Second)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.KeyEvent(key)); err != nil {
		t.Fatalf("pressing %q: %v", key, err)
	}
}

// focused is the data-testid (or tag) of the page's focused element.
func focused(p *e2e.Page) string {
	var s string
	p.Eval(`(() => { const a = document.activeElement; return a ? (a.dataset.testid || a.tagName.toLowerCase()) : "" })()`, &s)
	return s
}

// isMember reports whether member belongs to the conversation.
func isMember(t *testing.T, app core.App, member, conv string) bool {
	t.Helper()
	var n int
	if err := app.DB().NewQuery("SELECT COUNT(*) FROM conversation_members WHERE member = {:m} AND conversation = {:c}").
		Bind(dbx.Params{"m": member, "c": conv}).Row(&n); err != nil {
		t.Fatal(err)
	}
	return n > 0
}

// cancelThenConfirm opens the sheet from button, cancels it (with Escape
// or the Cancel button), checks with unchanged that nothing happened, then
// confirms and waits for the toast.
func cancelThenConfirm(t *testing.T, p *e2e.Page, button, question string, escape bool, unchanged func() bool, toast string) {
	t.Helper()
	url := p.URL()
	p.Click(button)
	p.WaitVisible("[data-testid=confirm-sheet]")
	p.WaitText("[data-testid=confirm-text]", question)
	if escape {
		press(t, p, kb.Escape)
	} else {
		p.Click("[data-testid=confirm-cancel]")
	}
	p.WaitNotVisible("[data-testid=confirm-sheet]")
	time.Sleep(300 * time.Millisecond) // a submit would have left by now
	if p.URL() != url || !unchanged() {
		t.Fatalf("cancelling %s changed something (now at %s)", button, p.URL())
	}
	if f := focused(p); !strings.Contains(button, f) {
		t.Fatalf("after cancelling, focus should return to %s, it is on %q", button, f)
	}
	p.Click(button)
	p.WaitVisible("[data-testid=confirm-sheet]")
	p.Click("[data-testid=confirm-ok]")
	p.WaitText("[data-testid=toast]", toast)
	if unchanged() {
		t.Fatalf("confirming %s did nothing", button)
	}
}

// TestBrowserConfirmSheets: every destructive action asks on a styled
// sheet first. The sheet is keyboard usable (focus starts on Cancel, Tab
// stays inside, Escape cancels); cancelling changes nothing, confirming
// does it and a toast says what happened.
func TestBrowserConfirmSheets(t *testing.T) {
	b := e2e.NewBrowser(t)
	srv := e2e.StartServer(t)
	annRec, boRec, cyRec, deeRec := srv.Member(t, "ann_lee"), srv.Member(t, "bo_wang"), srv.Member(t, "cy_chen"), srv.Member(t, "dee_fox")
	befriend(t, srv.App, annRec, boRec)
	befriend(t, srv.App, annRec, cyRec)
	befriend(t, srv.App, annRec, deeRec)
	svc := chat.ServiceOf(srv.App)
	group, err := svc.CreateGroup(annRec.Id, "Garden club", []string{boRec.Id, cyRec.Id})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Send(annRec.Id, group, chat.SendInput{ClientID: "c1", Text: "first"}); err != nil {
		t.Fatal(err)
	}

	ann := b.NewPage(t)
	srv.SignIn(ann, "ann_lee", testapp.DefaultPassword)

	// The owner removes Cy. The sheet names Cy and keeps the keyboard inside.
	ann.Navigate(srv.URL + "/chats/" + group + "/info")
	remove := "[data-testid=info-member][data-id='" + cyRec.Id + "'] [data-testid=remove-member]"
	ann.Click(remove)
	ann.WaitVisible("[data-testid=confirm-sheet]")
	if f := focused(ann); f != "confirm-cancel" {
		t.Fatalf("the sheet should open with Cancel focused, focus is on %q", f)
	}
	press(t, ann, kb.Tab)
	if f := focused(ann); f != "confirm-ok" {
		t.Fatalf("Tab should move to the action, focus is on %q", f)
	}
	press(t, ann, kb.Tab)
	if f := focused(ann); f != "confirm-cancel" {
		t.Fatalf("Tab should stay inside the sheet, focus is on %q", f)
	}
	if ok := ann.Text("[data-testid=confirm-ok]"); ok != "Remove" {
		t.Fatalf("the action button should say Remove, it says %q", ok)
	}
	press(t, ann, kb.Escape)
	ann.WaitNotVisible("[data-testid=confirm-sheet]")
	cancelThenConfirm(t, ann, remove, "Remove cy_chen from the group?", false,
		func() bool { return isMember(t, srv.App, cyRec.Id, group) }, "cy_chen was removed")

	// Clearing the history.
	cleared := func() int {
		var n int
		if err := srv.App.DB().NewQuery("SELECT cleared_seq FROM conversation_members WHERE member = {:m} AND conversation = {:c}").
			Bind(dbx.Params{"m": annRec.Id, "c": group}).Row(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	ann.Navigate(srv.URL + "/chats/" + group + "/info")
	cancelThenConfirm(t, ann, "[data-testid=clear-history]", "Clear the chat history?", true,
		func() bool { return cleared() == 0 }, "Chat history cleared")

	// Bo leaves the group.
	bo := b.NewPage(t)
	srv.SignIn(bo, "bo_wang", testapp.DefaultPassword)
	bo.Navigate(srv.URL + "/chats/" + group + "/info")
	cancelThenConfirm(t, bo, "[data-testid=leave-group]", "Leave this group?", false,
		func() bool { return isMember(t, srv.App, boRec.Id, group) }, "You left the group")
	if !strings.HasSuffix(bo.URL(), "/chats") {
		t.Fatalf("after leaving Bo should be on the chat list, is on %s", bo.URL())
	}

	// Ann deletes Dee from her contacts.
	friends := func(a, b string) bool {
		ok, err := contacts.AreFriends(srv.App, a, b)
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
	ann.Navigate(srv.URL + "/u/" + deeRec.Id + "/edit")
	cancelThenConfirm(t, ann, "[data-testid=delete-contact]", "Delete dee_fox?", true,
		func() bool { return friends(annRec.Id, deeRec.Id) }, "Contact deleted")

	// Ann blocks Bo.
	ann.Navigate(srv.URL + "/u/" + boRec.Id)
	cancelThenConfirm(t, ann, "[data-testid=block]", "Block bo_wang?", false,
		func() bool {
			blocked, err := contacts.IsBlocked(srv.App, annRec.Id, boRec.Id)
			if err != nil {
				t.Fatal(err)
			}
			return !blocked
		}, "Blocked")
	ann.WaitVisible("[data-testid=card-blocked]")

	// Ann resets her QR code.
	epoch := func() int {
		rec, err := srv.App.FindRecordById(accounts.Collection, annRec.Id)
		if err != nil {
			t.Fatal(err)
		}
		return rec.GetInt(contacts.FieldQREpoch)
	}
	before := epoch()
	ann.Navigate(srv.URL + "/me/qr")
	cancelThenConfirm(t, ann, "[data-testid=qr-reset]", "Reset your QR code?", true,
		func() bool { return epoch() == before }, "QR code reset")
}
