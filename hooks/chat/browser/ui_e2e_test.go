package browser_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/accounts"
	"plaza/hooks/chat"
	"plaza/hooks/contacts"
	"plaza/hooks/internal/e2e"
	"plaza/hooks/internal/testapp"
	"plaza/hooks/wallet"
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
	t.Parallel() // each has its own server and pages; see hooks/internal/e2e
	b := e2e.NewBrowser(t)
	srv := e2e.StartServer(t)
	annRec, boRec, cyRec, deeRec := srv.Member(t, "ann_lee"), srv.Member(t, "bo_wang"), srv.Member(t, "cy_chen"), srv.Member(t, "dee_fox")
	testapp.Befriend(t, srv.App, annRec, boRec)
	testapp.Befriend(t, srv.App, annRec, cyRec)
	testapp.Befriend(t, srv.App, annRec, deeRec)
	svc := testapp.Services(t, srv.App).Chat
	group, err := svc.CreateGroup(annRec.Id, "Garden club", []string{boRec.Id, cyRec.Id})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Send(annRec.Id, group, chat.SendInput{ClientID: "c1", Text: "first"}); err != nil {
		t.Fatal(err)
	}
	bookClub, err := svc.CreateGroup(annRec.Id, "Book club", []string{boRec.Id, cyRec.Id})
	if err != nil {
		t.Fatal(err)
	}

	ann := b.NewPage(t)
	srv.SignIn(ann, "ann_lee", testapp.DefaultPassword)

	// The owner removes Cy. The sheet names Cy and keeps the keyboard inside.
	ann.Navigate(srv.URL + "/chats/" + group + "/manage")
	remove := "[data-testid=manage-member][data-id='" + cyRec.Id + "'] [data-testid=remove-member]"
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

	// Resetting the group's join code (voids the codes shared so far).
	joinEpoch := func() int {
		var n int
		if err := srv.App.DB().NewQuery("SELECT join_epoch FROM conversations WHERE id = {:c}").Bind(dbx.Params{"c": group}).Row(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	epoch0 := joinEpoch()
	ann.Navigate(srv.URL + "/chats/" + group + "/manage")
	cancelThenConfirm(t, ann, "[data-testid=reset-join-code]", "Reset the group QR code?", true,
		func() bool { return joinEpoch() == epoch0 }, "Group QR code reset")

	// Dissolving a group: everyone leaves it.
	members := func(conv string) int {
		var n int
		if err := srv.App.DB().NewQuery("SELECT COUNT(*) FROM conversation_members WHERE conversation = {:c}").Bind(dbx.Params{"c": conv}).Row(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	ann.Navigate(srv.URL + "/chats/" + bookClub + "/manage")
	cancelThenConfirm(t, ann, "[data-testid=dissolve-group]", "Dissolve this group?", false,
		func() bool { return members(bookClub) == 3 }, "Group dissolved")
	if members(bookClub) != 0 || !strings.HasSuffix(ann.URL(), "/chats") {
		t.Fatalf("after dissolving: %d members, at %s", members(bookClub), ann.URL())
	}
	if ann.Visible("[data-testid=chat-row][data-conv='" + bookClub + "']") {
		t.Fatal("a dissolved group should leave the chat list")
	}

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

// backdate moves a message's time, as if it had been sent at t.
func backdate(t *testing.T, app core.App, conv string, seq int, at time.Time) {
	t.Helper()
	if _, err := app.DB().NewQuery("UPDATE messages SET created = {:t} WHERE conversation = {:c} AND seq = {:s}").
		Bind(dbx.Params{"t": at.UTC().Format("2006-01-02 15:04:05.000Z"), "c": conv, "s": seq}).Execute(); err != nil {
		t.Fatal(err)
	}
}

// TestBrowserChatView: WeChat's chat view. Time separators where more
// than 5 minutes passed ("Yesterday", a weekday, a date), also for a
// message arriving live; the emoji panel inserts at the caret and puts
// recent ones first; Copy puts a message on the clipboard and says so; the
// menu opens next to its bubble; Multi-select forwards two messages into a
// group and deletes two for me; tapping an avatar opens the card.
func TestBrowserChatView(t *testing.T) {
	t.Parallel() // each has its own server and pages; see hooks/internal/e2e
	b := e2e.NewBrowser(t)
	srv := e2e.StartServer(t)
	annRec, boRec, cyRec := srv.Member(t, "ann_lee"), srv.Member(t, "bo_wang"), srv.Member(t, "cy_chen")
	testapp.Befriend(t, srv.App, annRec, boRec)
	testapp.Befriend(t, srv.App, annRec, cyRec)
	svc := testapp.Services(t, srv.App).Chat
	dm, err := chat.OpenDirect(srv.App, annRec.Id, boRec.Id)
	if err != nil {
		t.Fatal(err)
	}
	group, err := svc.CreateGroup(annRec.Id, "Lunch", []string{boRec.Id, cyRec.Id})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	y := now.AddDate(0, 0, -1)
	yesterday := time.Date(y.Year(), y.Month(), y.Day(), 12, 0, 0, 0, time.Local)
	threeDays := now.AddDate(0, 0, -3)
	// Today's two, two minutes apart, stay today just after midnight too.
	recent := now.Add(-20 * time.Minute)
	if midnight := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 1, 0, time.Local); recent.Before(midnight) {
		recent = midnight
	}
	history := []struct {
		from *core.Record
		text string
		at   time.Time
	}{
		{boRec, "long ago", now.AddDate(0, 0, -10)},
		{annRec, "three days ago", threeDays},
		{boRec, "yesterday noon", yesterday},
		{annRec, "twenty minutes ago", recent},
		{boRec, "eighteen minutes ago", recent.Add(2 * time.Minute)},
	}
	for i, h := range history {
		if _, err := svc.Send(h.from.Id, dm, chat.SendInput{ClientID: fmt.Sprint("h", i), Text: h.text}); err != nil {
			t.Fatal(err)
		}
		backdate(t, srv.App, dm, i+1, h.at)
	}

	ann := b.NewPage(t)
	srv.SignIn(ann, "ann_lee", testapp.DefaultPassword)
	ann.Navigate(srv.URL + "/chats/" + dm)
	ann.WaitChatSocket()
	ann.WaitVisible("[data-testid=time-sep]")
	var seps []string
	sepsNow := func() []string {
		ann.Eval(`[...document.querySelectorAll("[data-testid=messages] > li")].map(li => li.dataset.testid === "time-sep" ? "sep:" + li.textContent : "msg:" + (li.dataset.seq || ""))`, &seps)
		return seps
	}
	got := strings.Join(sepsNow(), "|")
	want := regexp.MustCompile(`^sep:[^|]*\b` + fmt.Sprint(now.AddDate(0, 0, -10).Day()) + `\b[^|]*\|msg:1\|sep:` + threeDays.Weekday().String() + ` [^|]+\|msg:2\|sep:Yesterday [^|]+\|msg:3\|sep:[0-9]{2}:[0-9]{2}( [AP]M)?\|msg:4\|msg:5$`)
	if !want.MatchString(got) {
		t.Fatalf("time separators: got %s", got)
	}

	// Colour emoji on every platform: the font stack names the emoji fonts.
	var fonts string
	ann.Eval(`getComputedStyle(document.body).fontFamily`, &fonts)
	for _, f := range []string{"Noto Color Emoji", "Apple Color Emoji", "Segoe UI Emoji"} {
		if !strings.Contains(fonts, f) {
			t.Fatalf("the font stack lacks %q: %s", f, fonts)
		}
	}

	// A message arriving live 18 minutes after the last gets its own time.
	if _, err := svc.Send(boRec.Id, dm, chat.SendInput{ClientID: "live", Text: "just now"}); err != nil {
		t.Fatal(err)
	}
	ann.WaitVisible("[data-testid=msg][data-seq='6']")
	ann.WaitText("[data-testid=messages]", "just now")
	var before string
	ann.Eval(`document.querySelector("[data-testid=msg][data-seq='6']").previousElementSibling.dataset.testid || ""`, &before)
	if before != "time-sep" {
		t.Fatalf("a live message 18 minutes after the last should follow a time separator, got %q (%s)", before, strings.Join(sepsNow(), "|"))
	}

	// The emoji panel: insert at the caret, recent first next time.
	ann.Fill("[data-testid=composer]", "Hi ")
	ann.Click("[data-testid=emoji-button]")
	ann.WaitVisible("[data-testid=emoji-panel]")
	if ann.Visible("[data-testid=emoji-recent]") {
		t.Fatal("no emoji was used yet, so there should be no recent row")
	}
	ann.Click("[data-testid=emoji-all] [data-emoji='😂']")
	var draft string
	ann.Eval(`document.querySelector("[data-testid=composer]").value`, &draft)
	if draft != "Hi 😂" {
		t.Fatalf("the emoji should be inserted at the caret, the composer holds %q", draft)
	}
	ann.Click("[data-testid=emoji-button]") // close
	ann.WaitNotVisible("[data-testid=emoji-panel]")
	ann.Click("[data-testid=emoji-button]") // open again: 😂 is recent
	ann.WaitText("[data-testid=emoji-recent]", "😂")
	ann.Click("[data-testid=send]")
	ann.WaitText("[data-testid=msg][data-seq='7']", "Hi 😂")
	ann.WaitNotVisible("[data-testid=emoji-panel]")

	// The menu opens next to its bubble; Copy copies.
	grantClipboard(t, ann, srv.URL)
	ann.Click("[data-testid=msg][data-seq='5'] [data-testid=msg-text]")
	ann.WaitVisible("[data-testid=action-copy]")
	var gap float64
	ann.Eval(`(() => { const m = document.querySelector("[data-msg-menu]").getBoundingClientRect(); const b = document.querySelector("[data-seq='5'] [data-body]").getBoundingClientRect(); return Math.min(Math.abs(m.bottom - b.top), Math.abs(m.top - b.bottom)) })()`, &gap)
	if gap > 12 {
		t.Fatalf("the menu should open next to the bubble, it is %.0f px away", gap)
	}
	ann.Click("[data-testid=action-copy]")
	ann.WaitText("[data-testid=toast]", "Copied")
	var clip string
	ann.Eval(`navigator.clipboard.readText()`, &clip)
	if clip != "eighteen minutes ago" {
		t.Fatalf("the clipboard holds %q", clip)
	}

	// Multi-select: two messages forwarded into the group, one by one.
	ann.Click("[data-testid=msg][data-seq='4'] [data-testid=msg-text]")
	ann.Click("[data-testid=action-select]")
	ann.WaitVisible("[data-testid=select-bar]")
	if ann.Visible("[data-testid=composer]") {
		t.Fatal("the composer should give way to the selection bar")
	}
	ann.WaitText("[data-testid=select-count]", "1 selected")
	ann.Click("[data-testid=msg][data-seq='5'] [data-testid=msg-text]")
	ann.WaitText("[data-testid=select-count]", "2 selected")
	ann.Click("[data-testid=select-forward]")
	ann.WaitVisible("[data-testid=forward-form]")
	ann.Click("[data-testid=forward-chat][data-id='" + group + "'] input")
	ann.SubmitAndWait("[data-testid=forward-send]")
	ann.WaitText("[data-testid=messages]", "twenty minutes ago")
	ann.WaitText("[data-testid=messages]", "eighteen minutes ago")
	cy := b.NewPage(t)
	srv.SignIn(cy, "cy_chen", testapp.DefaultPassword)
	cy.Navigate(srv.URL + "/chats/" + group)
	cy.WaitText("[data-testid=messages]", "twenty minutes ago")
	cy.WaitText("[data-testid=messages]", "eighteen minutes ago")

	// Multi-select delete (for me): cancel keeps them, confirm removes them.
	ann.Navigate(srv.URL + "/chats/" + dm)
	ann.WaitChatSocket()
	ann.Click("[data-testid=msg][data-seq='1'] [data-testid=msg-text]")
	ann.Click("[data-testid=action-select]")
	ann.Click("[data-testid=msg][data-seq='2'] [data-testid=select-box]")
	ann.WaitText("[data-testid=select-count]", "2 selected")
	ann.Click("[data-testid=select-delete]")
	ann.WaitText("[data-testid=confirm-text]", "Delete 2 messages?")
	ann.Click("[data-testid=confirm-cancel]")
	ann.WaitNotVisible("[data-testid=confirm-sheet]")
	if !ann.Visible("[data-testid=msg][data-seq='1']") {
		t.Fatal("cancelling must keep the messages")
	}
	ann.Click("[data-testid=select-delete]")
	ann.Click("[data-testid=confirm-ok]")
	ann.WaitText("[data-testid=toast]", "Deleted")
	ann.WaitNotVisible("[data-testid=msg][data-seq='1']")
	ann.WaitNotVisible("[data-testid=msg][data-seq='2']")
	ann.Navigate(srv.URL + "/chats/" + dm)
	ann.WaitVisible("[data-testid=msg][data-seq='3']")
	if ann.Visible("[data-testid=msg][data-seq='1']") || ann.Visible("[data-testid=msg][data-seq='2']") {
		t.Fatal("deleted messages came back after a reload")
	}

	// In Chinese the separators read 昨天 and 星期…, in 24-hour time.
	annRec.Set(accounts.FieldLanguage, "zh")
	if err := srv.App.Save(annRec); err != nil {
		t.Fatal(err)
	}
	ann.Navigate(srv.URL + "/chats/" + dm)
	ann.WaitText("[data-testid=messages]", "昨天 12:00")
	if got := strings.Join(sepsNow(), "|"); strings.Contains(got, "Yesterday") || strings.Contains(got, "PM") || strings.Contains(got, "AM") {
		t.Fatalf("the Chinese page shows English times: %s", got)
	}

	// Tapping Bo's avatar opens his card.
	ann.Click("[data-testid=msg][data-seq='6'] [data-testid=msg-avatar]")
	ann.WaitVisible("[data-testid=person-card]")
	if !strings.HasSuffix(ann.URL(), "/u/"+boRec.Id) {
		t.Fatalf("the avatar should open Bo's card, got %s", ann.URL())
	}
}

// grantClipboard lets the page read and write the clipboard, as a member
// who allowed it would.
func grantClipboard(t *testing.T, p *e2e.Page, origin string) {
	t.Helper()
	bctx := chromedp.FromContext(p.Ctx()).BrowserContextID
	for _, name := range []string{"clipboard-read", "clipboard-write"} {
		_, err := chromedp.CallBrowser(p.Ctx(), browser.SetPermission, browser.SetPermissionParams{
			Permission: &browser.PermissionDescriptor{Name: name, AllowWithoutSanitization: true}, Setting: browser.PermissionSettingGranted,
			Origin: origin, BrowserContextID: bctx})
		if err != nil {
			t.Fatalf("granting %s: %v", name, err)
		}
	}
}

// TestBrowserBackAndPlusMenu: on a phone, Back sits in the title bar and
// returns to where the member came from: a red packet opened from a chat
// goes back to that chat (not to the wallet), the chat back to the list.
// The Chats "+" opens WeChat's menu, usable with the keyboard.
func TestBrowserBackAndPlusMenu(t *testing.T) {
	t.Parallel() // each has its own server and pages; see hooks/internal/e2e
	b := e2e.NewBrowser(t)
	srv := e2e.StartServer(t)
	annRec, boRec := srv.Member(t, "ann_lee"), srv.Member(t, "bo_wang")
	testapp.Befriend(t, srv.App, annRec, boRec)
	dm, err := chat.OpenDirect(srv.App, annRec.Id, boRec.Id)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := wallet.Mint(srv.App, "bo_wang", 20_00, "e2e"); err != nil {
		t.Fatal(err)
	}
	if err := testapp.Services(t, srv.App).Wallet.SetPIN(boRec.Id, "135790"); err != nil {
		t.Fatal(err)
	}
	if _, err := testapp.Services(t, srv.App).Wallet.SendPacket(boRec.Id, "packet-key-1", wallet.PacketInput{Conversation: dm, Kind: wallet.PacketNormal, Amount: 5_00, Count: 1, Greeting: "For lunch"}, wallet.WithPIN("135790")); err != nil {
		t.Fatal(err)
	}

	ann := b.NewPage(t, e2e.Viewport(390, 844, true))
	srv.SignIn(ann, "ann_lee", testapp.DefaultPassword)
	ann.Navigate(srv.URL + "/chats")
	ann.Click("[data-testid=chat-row][data-conv='" + dm + "']")
	ann.WaitVisible("[data-testid=msg-card][data-card-type=redpacket]")

	// Back is inside the title bar, not a strip above it.
	var bar struct{ BackTop, BackBottom, TitleTop, HeaderBottom float64 }
	ann.Eval(`(() => { const b = document.querySelector("[data-testid=back]").getBoundingClientRect(); const h = document.querySelector("[data-testid=pane-detail] [data-testid=pane-title]").closest("header").getBoundingClientRect();
		return { BackTop: b.top, BackBottom: b.bottom, TitleTop: h.top, HeaderBottom: h.bottom } })()`, &bar)
	if bar.TitleTop > 1 || bar.BackTop < bar.TitleTop-1 || bar.BackBottom > bar.HeaderBottom+1 {
		t.Fatalf("Back should sit inside the title bar at the top: %+v", bar)
	}

	// The packet opened from the chat goes back to the chat.
	ann.Click("[data-testid=msg-card][data-card-type=redpacket]")
	ann.WaitVisible("[data-testid=packet-open]")
	ann.SubmitAndWait("[data-testid=packet-open]")
	ann.WaitVisible("[data-testid=packet-mine]")
	ann.SubmitAndWait("[data-testid=back]")
	if !strings.HasSuffix(ann.URL(), "/chats/"+dm) {
		t.Fatalf("Back from the packet should return to the chat, got %s", ann.URL())
	}
	ann.WaitVisible("[data-testid=composer]")
	ann.SubmitAndWait("[data-testid=back]")
	if !strings.HasSuffix(ann.URL(), "/chats") {
		t.Fatalf("Back from the chat should return to the list, got %s", ann.URL())
	}

	// The "+" menu, by keyboard: Enter opens it on its first item, the
	// arrows move, Escape closes it and returns to the button.
	ann.Eval(`document.querySelector("[data-testid=chats-plus]").focus(), true`, nil)
	press(t, ann, kb.Enter)
	waitTrue(t, ann, `document.querySelector("[data-testid=chats-plus-menu]").open`, "Enter should open the menu")
	waitTrue(t, ann, `document.activeElement.dataset.testid === "new-group"`, "the menu should open on New group chat")
	press(t, ann, kb.ArrowDown)
	if f := focused(ann); f != "plus-add-friend" {
		t.Fatalf("ArrowDown should move to Add friend, focus is on %q", f)
	}
	press(t, ann, kb.ArrowUp)
	press(t, ann, kb.ArrowUp)
	if f := focused(ann); f != "plus-money" {
		t.Fatalf("ArrowUp from the first item should wrap to Money, focus is on %q", f)
	}
	press(t, ann, kb.Escape)
	waitTrue(t, ann, `!document.querySelector("[data-testid=chats-plus-menu]").open`, "Escape should close the menu")
	if f := focused(ann); f != "chats-plus" {
		t.Fatalf("Escape should return to the + button, focus is on %q", f)
	}
	for _, item := range []struct{ testid, path string }{{"plus-scan", "/scan"}, {"plus-money", "/wallet/collect"}, {"plus-add-friend", "/contacts/search"}, {"new-group", "/chats/new"}} {
		ann.Navigate(srv.URL + "/chats")
		ann.Click("[data-testid=chats-plus]")
		ann.SubmitAndWait("[data-testid=" + item.testid + "]")
		if !strings.Contains(ann.URL(), item.path) {
			t.Fatalf("%s should open %s, got %s", item.testid, item.path, ann.URL())
		}
	}
}

// waitTrue polls a JavaScript condition for up to 5 seconds.
func waitTrue(t *testing.T, p *e2e.Page, js, what string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		var ok bool
		p.Eval(js, &ok)
		if ok {
			return
		}
		time.Sleep(30 * time.Millisecond)
	}
	t.Fatal(what)
}

// TestBrowserGroupInfo: the group's info page shows members as an avatar
// grid (a tap opens the card) and "Manage group" only to the owner and
// admins (a plain member asking for it is refused). An announcement saved
// there is posted in the chat as "@All" and its text; a member's chat list
// marks the group "[@me]" live until they read it.
func TestBrowserGroupInfo(t *testing.T) {
	t.Parallel() // each has its own server and pages; see hooks/internal/e2e
	b := e2e.NewBrowser(t)
	srv := e2e.StartServer(t)
	annRec, boRec, cyRec := srv.Member(t, "ann_lee"), srv.Member(t, "bo_wang"), srv.Member(t, "cy_chen")
	testapp.Befriend(t, srv.App, annRec, boRec)
	testapp.Befriend(t, srv.App, annRec, cyRec)
	group, err := testapp.Services(t, srv.App).Chat.CreateGroup(annRec.Id, "Picnic", []string{boRec.Id, cyRec.Id})
	if err != nil {
		t.Fatal(err)
	}

	bo := b.NewPage(t)
	srv.SignIn(bo, "bo_wang", testapp.DefaultPassword)
	bo.Navigate(srv.URL + "/chats/" + group + "/info")
	bo.WaitVisible("[data-testid=member-grid]")
	if bo.Visible("[data-testid=manage-group-link]") || bo.Visible("[data-testid=remove-member]") {
		t.Fatal("a plain member should not be offered group management")
	}
	var status int
	bo.Eval(`fetch("/chats/`+group+`/manage").then(r => r.status)`, &status)
	if status != 403 {
		t.Fatalf("a plain member asking for Manage group: %d, want 403", status)
	}
	bo.Click("[data-testid=info-member][data-id='" + cyRec.Id + "']")
	bo.WaitVisible("[data-testid=person-card]")
	bo.WaitText("[data-testid=card-label]", "cy_chen")
	bo.Navigate(srv.URL + "/chats")
	bo.WaitChatSocket()
	row := "[data-testid=chat-row][data-conv='" + group + "']"
	if bo.Visible(row + " [data-testid=chat-mention]") {
		t.Fatal("no mention yet")
	}

	ann := b.NewPage(t)
	srv.SignIn(ann, "ann_lee", testapp.DefaultPassword)
	ann.Navigate(srv.URL + "/chats/" + group + "/info")
	ann.Click("[data-testid=manage-group-link]")
	ann.WaitVisible("[data-testid=manage-group]")
	ann.Fill("[data-testid=announcement]", "Meet at the gate at noon")
	ann.SubmitAndWait("[data-testid=group-save]")
	ann.WaitVisible("[data-testid=manage-group]")

	// Bo's list marks the group live; the chat shows the @All post.
	bo.WaitText(row+" [data-testid=chat-mention]", "[@me]")
	bo.WaitText(row+" [data-preview]", "Meet at the gate at noon")
	bo.Click(row)
	bo.WaitText("[data-testid=msg][data-mentioned]", "@All\nMeet at the gate at noon")
	bo.Navigate(srv.URL + "/chats")
	bo.WaitVisible(row)
	if bo.Visible(row + " [data-testid=chat-mention]") {
		t.Fatal("[@me] should go once Bo has read the chat")
	}
}

// TestBrowserKeyboard: the tab labels read "Chats, 3 unread" (and just
// "Discover" without unread items), kept current live; the message list
// is one tab stop, the arrow keys move between messages, Enter opens the
// message menu on its first item, the arrows move in it, Escape closes it
// back onto the message, and Tab leaves the list.
func TestBrowserKeyboard(t *testing.T) {
	t.Parallel() // each has its own server and pages; see hooks/internal/e2e
	b := e2e.NewBrowser(t)
	srv := e2e.StartServer(t)
	annRec, boRec, cyRec := srv.Member(t, "ann_lee"), srv.Member(t, "bo_wang"), srv.Member(t, "cy_chen")
	testapp.Befriend(t, srv.App, annRec, boRec)
	testapp.Befriend(t, srv.App, annRec, cyRec)
	svc := testapp.Services(t, srv.App).Chat
	dm, err := chat.OpenDirect(srv.App, annRec.Id, boRec.Id)
	if err != nil {
		t.Fatal(err)
	}
	other, err := chat.OpenDirect(srv.App, annRec.Id, cyRec.Id)
	if err != nil {
		t.Fatal(err)
	}
	for i, text := range []string{"one", "two", "three"} {
		if _, err := svc.Send(boRec.Id, dm, chat.SendInput{ClientID: fmt.Sprint("k", i), Text: text}); err != nil {
			t.Fatal(err)
		}
	}

	ann := b.NewPage(t)
	srv.SignIn(ann, "ann_lee", testapp.DefaultPassword)
	ann.Navigate(srv.URL + "/chats")
	ann.WaitChatSocket()
	if got := ann.Attr("[data-testid=tab-chats]", "aria-label"); got != "Chats, 3 unread" {
		t.Fatalf("the Chats tab reads %q", got)
	}
	if got := ann.Attr("[data-testid=tab-discover]", "aria-label"); got != "Discover" {
		t.Fatalf("the Discover tab reads %q", got)
	}
	if _, err := svc.Send(cyRec.Id, other, chat.SendInput{ClientID: "live", Text: "hello"}); err != nil {
		t.Fatal(err)
	}
	waitTrue(t, ann, `document.querySelector("[data-testid=tab-chats]").getAttribute("aria-label") === "Chats, 4 unread"`,
		"the Chats tab label should follow a live message to 4 unread")

	ann.Navigate(srv.URL + "/chats/" + dm)
	ann.WaitChatSocket()
	var stops int
	ann.Eval(`[...document.querySelectorAll("[data-testid=messages] *")].filter(e => e.tabIndex >= 0).length`, &stops)
	if stops != 1 {
		t.Fatalf("the message list should be one tab stop, it has %d", stops)
	}
	ann.Eval(`document.querySelector("[data-testid=chat-info-link]").focus(), true`, nil)
	press(t, ann, kb.Tab)
	var seq string
	current := func() string {
		ann.Eval(`document.activeElement.dataset.seq || document.activeElement.dataset.testid || document.activeElement.tagName`, &seq)
		return seq
	}
	if current() != "3" {
		t.Fatalf("Tab should land on the newest message, it is on %q", seq)
	}
	press(t, ann, kb.ArrowUp)
	if current() != "2" {
		t.Fatalf("ArrowUp should move to message 2, focus is on %q", seq)
	}
	press(t, ann, kb.Home)
	if current() != "1" {
		t.Fatalf("Home should move to the first message, focus is on %q", seq)
	}
	press(t, ann, kb.ArrowDown)
	if current() != "2" {
		t.Fatalf("ArrowDown should move to message 2, focus is on %q", seq)
	}
	press(t, ann, kb.Enter)
	ann.WaitVisible("[data-msg-menu]")
	waitTrue(t, ann, `document.activeElement.getAttribute("role") === "menuitem"`, "Enter should open the menu with focus on its first item")
	var first, second string
	ann.Eval(`document.activeElement.textContent`, &first)
	press(t, ann, kb.ArrowRight)
	ann.Eval(`document.activeElement.textContent`, &second)
	if first == second || second == "" {
		t.Fatalf("ArrowRight should move along the menu (%q then %q)", first, second)
	}
	press(t, ann, kb.Escape)
	ann.WaitNotVisible("[data-msg-menu]")
	waitTrue(t, ann, `document.activeElement.dataset.seq === "2"`, "Escape should return focus to the message")
	// Enter and Copy by keyboard alone.
	grantClipboard(t, ann, srv.URL)
	press(t, ann, kb.Enter)
	waitTrue(t, ann, `document.activeElement.getAttribute("role") === "menuitem"`, "the menu should open again")
	for i := 0; i < 10 && focused(ann) != "action-copy"; i++ {
		press(t, ann, kb.ArrowRight)
	}
	press(t, ann, kb.Enter)
	ann.WaitText("[data-testid=toast]", "Copied")
	var clip string
	ann.Eval(`navigator.clipboard.readText()`, &clip)
	if clip != "two" {
		t.Fatalf("copied %q, want the focused message", clip)
	}
	press(t, ann, kb.Tab)
	var inside bool
	ann.Eval(`!!document.activeElement.closest("[data-testid=messages]")`, &inside)
	if inside {
		t.Fatal("Tab should leave the message list")
	}
}
