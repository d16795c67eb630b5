// Package browser_test holds the chat screens' Chromium tests. They live apart
// from hooks/chat's own tests so that each package's run stays well under two
// minutes on two cores; they drive the real server through hooks/internal/e2e.
package browser_test

import (
	"encoding/base64"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"plaza/hooks/chat"
	"plaza/hooks/internal/e2e"
	"plaza/hooks/internal/testapp"
)

// TestBrowserChat: Ann opens a chat with her friend Bo and writes; Bo sees
// the unread badge and the message live, answers, and Ann sees it live.
// Bo quotes; Ann recalls a message and both see the notice. Then Bo's
// socket is dropped again and again while Ann sends 20 messages: Bo ends
// with every message once, in order.
func TestBrowserChat(t *testing.T) {
	t.Parallel() // each has its own server and pages; see hooks/internal/e2e
	b := e2e.NewBrowser(t)
	srv := e2e.StartServer(t)
	annRec, boRec := srv.Member(t, "ann_lee"), srv.Member(t, "bo_wang")
	testapp.Befriend(t, srv.App, annRec, boRec)

	ann := b.NewPage(t)
	srv.SignIn(ann, "ann_lee", testapp.DefaultPassword)
	ann.Navigate(srv.URL + "/u/" + boRec.Id)
	ann.Click("[data-testid=send-message]")
	ann.WaitVisible("[data-testid=composer]")
	convID := strings.TrimPrefix(ann.URL(), srv.URL+"/chats/")

	bo := b.NewPage(t)
	srv.SignIn(bo, "bo_wang", testapp.DefaultPassword)
	bo.Navigate(srv.URL + "/chats")
	bo.WaitVisible("[data-testid=chat-row][data-conv='" + convID + "']")
	bo.WaitChatSocket()
	ann.WaitChatSocket()

	ann.Fill("[data-testid=composer]", "Hello Bo, 你好！")
	ann.Click("[data-testid=send]")
	ann.WaitVisible("[data-testid=msg][data-seq='1'][data-mine]")

	bo.WaitText("[data-badge=badge-chats]", "1")
	bo.WaitText("[data-testid=chat-row][data-conv='"+convID+"'] [data-unread-badge]", "1")
	bo.WaitText("[data-testid=chat-row][data-conv='"+convID+"'] [data-preview]", "Hello Bo, 你好！")
	bo.Click("[data-testid=chat-row][data-conv='" + convID + "']")
	bo.WaitText("[data-testid=msg][data-seq='1']", "Hello Bo, 你好！")
	bo.WaitChatSocket()
	// Bo quotes Ann's message in his answer.
	bo.Click("[data-testid=msg][data-seq='1'] [data-testid=msg-text]")
	bo.Click("[data-testid=action-quote]")
	bo.WaitText("[data-testid=reply-bar]", "Hello Bo, 你好！")
	bo.Fill("[data-testid=composer]", "Hi Ann!\n")
	bo.WaitVisible("[data-testid=msg][data-seq='2'][data-mine]")
	ann.WaitText("[data-testid=msg][data-seq='2']", "Hi Ann!")
	ann.WaitText("[data-testid=msg][data-seq='2'] [data-testid=msg-quote]", "Hello Bo, 你好！")
	bo.WaitText("[data-testid=msg][data-seq='2'] [data-testid=msg-quote]", "Hello Bo, 你好！")

	// Bo reacts to Ann's message; Ann sees it live.
	bo.Click("[data-testid=msg][data-seq='1'] [data-testid=msg-text]")
	bo.Click("[data-action=react][data-emoji='👍']")
	ann.WaitText("[data-testid=msg][data-seq='1'] [data-testid=reaction]", "👍 1")

	// Ann sends a picture: a progress bar while it uploads, then Bo sees it
	// live and opens it in the lightbox; Bo saves it to his favourites.
	pic := filepath.Join(t.TempDir(), "sunset.png")
	if err := os.WriteFile(pic, testapp.PNG(t, 800, 600), 0o600); err != nil {
		t.Fatal(err)
	}
	ann.SetFiles("[data-testid=attach]", pic)
	ann.WaitVisible("[data-testid=msg][data-seq='3'][data-mine] [data-testid=msg-image] img")
	bo.WaitVisible("[data-testid=msg][data-seq='3'] [data-testid=msg-image] img")
	var loaded bool
	for i := 0; i < 100 && !loaded; i++ {
		bo.Eval(`(() => { const i = document.querySelector("[data-seq='3'] [data-testid=msg-image] img"); return !!i && i.complete && i.naturalWidth > 0 })()`, &loaded)
		time.Sleep(50 * time.Millisecond)
	}
	if !loaded {
		t.Fatal("Bo's browser could not load the picture's thumbnail")
	}
	bo.Click("[data-testid=msg][data-seq='3'] [data-testid=msg-image]")
	bo.WaitVisible("[data-testid=lightbox] img")
	bo.Click("[data-testid=lightbox-close]")
	bo.WaitNotVisible("[data-testid=lightbox]")
	bo.Click("[data-testid=msg][data-seq='3'] [data-testid=msg-menu]")
	bo.Click("[data-testid=action-fav]")
	bo.WaitText("[data-chat-status]", "Saved to Favourites")

	// Ann sends a message by mistake and recalls it: both see the notice,
	// and Ann may re-edit it.
	ann.Fill("[data-testid=composer]", "wrong chat, sorry\n")
	ann.WaitVisible("[data-testid=msg][data-seq='4'][data-mine]")
	bo.WaitText("[data-testid=msg][data-seq='4']", "wrong chat, sorry")
	ann.Click("[data-testid=msg][data-seq='4'] [data-testid=msg-text]")
	ann.Click("[data-testid=action-recall]")
	ann.WaitText("[data-testid=msg][data-seq='4']", "You recalled a message")
	bo.WaitText("[data-testid=msg][data-seq='4']", "ann_lee recalled a message")
	if strings.Contains(bo.Text("[data-testid=messages]"), "wrong chat") {
		t.Fatal("Bo still sees the recalled text")
	}
	ann.Click("[data-testid=reedit]")
	var draft string
	ann.Eval(`document.querySelector("[data-testid=composer]").value`, &draft)
	if draft != "wrong chat, sorry" {
		t.Fatalf("re-edit should restore the text, got %q", draft)
	}
	ann.Fill("[data-testid=composer]", "")

	// Bo's socket drops repeatedly while Ann sends 20 messages.
	svc := testapp.Services(t, srv.App).Chat
	for i := 1; i <= 20; i++ {
		if _, err := svc.Send(annRec.Id, convID, chat.SendInput{ClientID: fmt.Sprint("burst-", i), Text: fmt.Sprint("burst ", i)}); err != nil {
			t.Fatal(err)
		}
		if i%4 == 0 {
			bo.Eval(`window.plazaChat.drop(), true`, nil)
		}
		time.Sleep(30 * time.Millisecond)
	}
	bo.WaitVisible("[data-testid=msg][data-seq='24']")
	var seqs []int
	bo.Eval(`[...document.querySelectorAll("[data-testid=msg]")].map(e => Number(e.dataset.seq))`, &seqs)
	if len(seqs) != 24 {
		t.Fatalf("Bo shows %d messages, want 24: %v", len(seqs), seqs)
	}
	for i, s := range seqs {
		if s != i+1 {
			t.Fatalf("Bo's messages are not 1..24 once each in order: %v", seqs)
		}
	}

	// Bo's favourites keep the picture.
	bo.Navigate(srv.URL + "/me/favourites")
	bo.WaitVisible("[data-testid=favourite][data-kind=image] img")

	// Bo finds the picture under Photos in the chat's search.
	bo.Navigate(srv.URL + "/chats/search?c=" + convID)
	bo.Click("[data-testid=search-kind-image]")
	bo.Click("[data-testid=search-hit]")
	bo.WaitVisible("[data-testid=msg][data-seq='3'] [data-testid=msg-image]")
}

// TestBrowserGroupChat: Ann starts a group with Bo and Cy from the Chats
// tab; the group is announced, a message reaches both live, and an
// @mention reaches Bo.
func TestBrowserGroupChat(t *testing.T) {
	t.Parallel() // each has its own server and pages; see hooks/internal/e2e
	b := e2e.NewBrowser(t)
	srv := e2e.StartServer(t)
	annRec, boRec, cyRec := srv.Member(t, "ann_lee"), srv.Member(t, "bo_wang"), srv.Member(t, "cy_chen")
	testapp.Befriend(t, srv.App, annRec, boRec)
	testapp.Befriend(t, srv.App, annRec, cyRec)

	ann := b.NewPage(t)
	srv.SignIn(ann, "ann_lee", testapp.DefaultPassword)
	ann.Navigate(srv.URL + "/chats")
	ann.Click("[data-testid=chats-plus]") // WeChat's "+" menu
	ann.Click("[data-testid=new-group]")
	ann.Click("[data-testid=pick-friend][data-id='" + boRec.Id + "'] input")
	ann.Click("[data-testid=create-group]")
	ann.WaitText("[data-testid=flash-error]", "2 to 499 friends") // one friend is not a group
	ann.Click("[data-testid=pick-friend][data-id='" + cyRec.Id + "'] input")
	ann.Fill("[data-testid=group-name]", "Choir 合唱团")
	ann.Click("[data-testid=create-group]")
	ann.WaitText("[data-testid=msg]", "ann_lee created the group")
	ann.WaitText("[data-testid=pane-detail] [data-testid=pane-title]", "Choir 合唱团")
	convID := strings.TrimPrefix(ann.URL(), srv.URL+"/chats/")

	pages := map[string]*e2e.Page{}
	for _, who := range []string{"bo_wang", "cy_chen"} {
		p := b.NewPage(t)
		srv.SignIn(p, who, testapp.DefaultPassword)
		p.Navigate(srv.URL + "/chats/" + convID)
		p.WaitText("[data-testid=pane-detail] [data-testid=pane-title]", "Choir 合唱团")
		p.WaitChatSocket()
		pages[who] = p
	}
	ann.WaitChatSocket()
	ann.Fill("[data-testid=composer]", "Rehearsal at 7 tonight 🎶\n")
	for who, p := range pages {
		p.WaitText("[data-testid=msg][data-seq='2']", "Rehearsal at 7 tonight 🎶")
		if !strings.Contains(p.Text("[data-testid=msg][data-seq='2']"), "ann_lee") {
			t.Fatalf("%s should see who wrote in a group", who)
		}
	}

	// An @mention picked from the member list reaches Bo, who is on his
	// chat list: the row says he was mentioned; Cy's view does not.
	bo := pages["bo_wang"]
	bo.Navigate(srv.URL + "/chats")
	bo.WaitChatSocket()
	ann.Fill("[data-testid=composer]", "@bo")
	ann.Click("[data-testid=mention-option][data-id='" + boRec.Id + "']")
	var draft string
	ann.Eval(`document.querySelector("[data-testid=composer]").value`, &draft)
	if draft != "@bo_wang " {
		t.Fatalf("picking a member should insert the mention, got %q", draft)
	}
	ann.Fill("[data-testid=composer]", draft+"can you bring the sheet music?\n")
	bo.WaitVisible("[data-testid=chat-row][data-conv='" + convID + "'] [data-testid=chat-mention]")
	cy := pages["cy_chen"]
	cy.WaitText("[data-testid=msg][data-seq='3']", "can you bring the sheet music?")
	if cy.Visible("[data-testid=msg][data-seq='3'][data-mentioned]") {
		t.Fatal("Cy was not mentioned")
	}
	bo.Click("[data-testid=chat-row][data-conv='" + convID + "']")
	bo.WaitVisible("[data-testid=msg][data-seq='3'][data-mentioned]")
}

// TestBrowserJoinGroupByQRCode: Ann saves her group's QR code; Dee, who is
// in no group with her, scans the picture, joins, and everyone sees it.
func TestBrowserJoinGroupByQRCode(t *testing.T) {
	t.Parallel() // each has its own server and pages; see hooks/internal/e2e
	b := e2e.NewBrowser(t)
	srv := e2e.StartServer(t)
	annRec, boRec, cyRec := srv.Member(t, "ann_lee"), srv.Member(t, "bo_wang"), srv.Member(t, "cy_chen")
	srv.Member(t, "dee_newbie")
	testapp.Befriend(t, srv.App, annRec, boRec)
	testapp.Befriend(t, srv.App, annRec, cyRec)
	convID, err := testapp.Services(t, srv.App).Chat.CreateGroup(annRec.Id, "Garden club", []string{boRec.Id, cyRec.Id})
	if err != nil {
		t.Fatal(err)
	}

	ann := b.NewPage(t)
	srv.SignIn(ann, "ann_lee", testapp.DefaultPassword)
	ann.Navigate(srv.URL + "/chats/" + convID)
	ann.Click("[data-testid=chat-info-link]")
	ann.Click("[data-testid=group-qr-link]")
	ann.WaitVisible("[data-testid=qr-image]")
	var b64 string
	ann.Eval(`(async () => {
		const bytes = new Uint8Array(await (await fetch(document.querySelector("[data-testid=qr-save]").href)).arrayBuffer());
		let s = ""; for (const b of bytes) s += String.fromCharCode(b);
		return btoa(s);
	})()`, &b64)
	png, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		t.Fatal(err)
	}
	picture := filepath.Join(t.TempDir(), "group.png")
	if err := os.WriteFile(picture, png, 0o600); err != nil {
		t.Fatal(err)
	}
	ann.Navigate(srv.URL + "/chats/" + convID)
	ann.WaitChatSocket()

	dee := b.NewPage(t)
	srv.SignIn(dee, "dee_newbie", testapp.DefaultPassword)
	dee.Navigate(srv.URL + "/scan")
	dee.WaitVisible("[data-scanner][data-ready] [data-testid=scan-camera]")
	dee.SetFiles("[data-testid=scan-file]", picture)
	dee.WaitText("[data-testid=join-name]", "Garden club")
	dee.Click("[data-testid=join-group]")
	dee.WaitText("[data-testid=pane-detail] [data-testid=pane-title]", "Garden club")
	dee.WaitText("[data-testid=msg]", "dee_newbie joined the group by scanning its QR code")
	ann.WaitText("[data-testid=msg][data-seq='2']", "joined the group by scanning its QR code")
}

// TestBrowserSignals: Bo turns on read receipts in Privacy; in their 1:1
// chat Ann sees Bo online, sees him typing, and sees "Read" under her
// message once he has read it.
func TestBrowserSignals(t *testing.T) {
	t.Parallel() // each has its own server and pages; see hooks/internal/e2e
	b := e2e.NewBrowser(t)
	srv := e2e.StartServer(t)
	annRec, boRec := srv.Member(t, "ann_lee"), srv.Member(t, "bo_wang")
	testapp.Befriend(t, srv.App, annRec, boRec)
	convID, err := chat.OpenDirect(srv.App, annRec.Id, boRec.Id)
	if err != nil {
		t.Fatal(err)
	}

	bo := b.NewPage(t)
	srv.SignIn(bo, "bo_wang", testapp.DefaultPassword)
	bo.Navigate(srv.URL + "/me/privacy")
	bo.Click("[data-testid=toggle-read_receipts]")
	bo.Click("[data-testid=privacy-save]")
	bo.WaitVisible("[data-testid=flash-ok]")
	bo.Navigate(srv.URL + "/chats/" + convID)
	bo.WaitChatSocket()

	ann := b.NewPage(t)
	srv.SignIn(ann, "ann_lee", testapp.DefaultPassword)
	ann.Navigate(srv.URL + "/chats/" + convID)
	ann.WaitChatSocket()
	ann.WaitText("[data-testid=presence]", "Online")

	bo.Fill("[data-testid=composer]", "let me think")
	ann.WaitText("[data-testid=presence]", "typing…")

	ann.Fill("[data-testid=composer]", "Coffee at 3?\n")
	bo.WaitText("[data-testid=msg][data-seq='1']", "Coffee at 3?")
	ann.WaitVisible("[data-testid=msg][data-seq='1'] [data-testid=msg-read]")
}

// TestBrowserSearch: Bo finds an old message by a two-character Chinese
// word and opens the chat at that message.
func TestBrowserSearch(t *testing.T) {
	t.Parallel() // each has its own server and pages; see hooks/internal/e2e
	b := e2e.NewBrowser(t)
	srv := e2e.StartServer(t)
	annRec, boRec := srv.Member(t, "ann_lee"), srv.Member(t, "bo_wang")
	testapp.Befriend(t, srv.App, annRec, boRec)
	convID, err := chat.OpenDirect(srv.App, annRec.Id, boRec.Id)
	if err != nil {
		t.Fatal(err)
	}
	svc := testapp.Services(t, srv.App).Chat
	for i := 1; i <= 120; i++ {
		text := fmt.Sprint("filler message ", i)
		if i == 7 {
			text = "周末一起去爬山吗？"
		}
		if _, err := svc.Send(annRec.Id, convID, chat.SendInput{ClientID: fmt.Sprint("f", i), Text: text}); err != nil {
			t.Fatal(err)
		}
	}
	bo := b.NewPage(t)
	srv.SignIn(bo, "bo_wang", testapp.DefaultPassword)
	bo.Navigate(srv.URL + "/chats")
	bo.Fill("[data-testid=chat-search]", "爬山\n")
	bo.WaitText("[data-testid=search-hit]", "周末一起去爬山吗？")
	bo.Click("[data-testid=search-hit]")
	bo.WaitText("#m7", "周末一起去爬山吗？")
	bo.WaitChatSocket()
	// Syncing forward from the older page brings the rest, once each.
	bo.WaitVisible("[data-testid=msg][data-seq='120']")
	var seqs []int
	bo.Eval(`[...document.querySelectorAll("[data-testid=msg]")].map(e => Number(e.dataset.seq))`, &seqs)
	for i, s := range seqs {
		if s != i+1 {
			t.Fatalf("after syncing forward the messages are not 1..120 once each: %v", seqs)
		}
	}
	if len(seqs) != 120 {
		t.Fatalf("after syncing forward there are %d messages", len(seqs))
	}
}

// TestBrowserCardsForwardAndPat: Ann sends Bo the contact card of her
// friend Cy, from the composer's card button. Bo pats Ann by
// double-tapping her avatar, deletes a message for himself only, and
// forwards Ann's message into his group, where Cy sees it.
func TestBrowserCardsForwardAndPat(t *testing.T) {
	t.Parallel() // each has its own server and pages; see hooks/internal/e2e
	b := e2e.NewBrowser(t)
	srv := e2e.StartServer(t)
	annRec, boRec, cyRec, dee := srv.Member(t, "ann_lee"), srv.Member(t, "bo_wang"), srv.Member(t, "cy_chen"), srv.Member(t, "dee_fox")
	testapp.Befriend(t, srv.App, annRec, boRec)
	testapp.Befriend(t, srv.App, annRec, cyRec)
	testapp.Befriend(t, srv.App, boRec, dee)
	testapp.Befriend(t, srv.App, boRec, cyRec)
	svc := testapp.Services(t, srv.App).Chat
	dm, err := chat.OpenDirect(srv.App, annRec.Id, boRec.Id)
	if err != nil {
		t.Fatal(err)
	}
	group, err := svc.CreateGroup(boRec.Id, "Hikers", []string{cyRec.Id, dee.Id})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Send(annRec.Id, dm, chat.SendInput{ClientID: "m1", Text: "Trail map is at the gate"}); err != nil {
		t.Fatal(err)
	}

	ann := b.NewPage(t)
	srv.SignIn(ann, "ann_lee", testapp.DefaultPassword)
	ann.Navigate(srv.URL + "/chats/" + dm)
	ann.WaitChatSocket()
	bo := b.NewPage(t)
	srv.SignIn(bo, "bo_wang", testapp.DefaultPassword)
	bo.Navigate(srv.URL + "/chats/" + dm)
	bo.WaitChatSocket()

	// Ann sends Cy's card.
	ann.Click("[data-testid=send-card]")
	ann.Click("[data-testid=card-pick][data-id='" + cyRec.Id + "']")
	ann.WaitText("[data-testid=msg][data-seq='2'] [data-testid=msg-card]", "cy_chen")
	bo.WaitText("[data-testid=msg][data-seq='2'] [data-testid=msg-card]", "Contact card")

	// Bo pats Ann, whose pat suffix is "and said hi": a space before it,
	// and the patted member reads "you".
	annRec.Set("pat_suffix", "and said hi")
	if err := srv.App.Save(annRec); err != nil {
		t.Fatal(err)
	}
	bo.Eval(`document.querySelector("[data-testid=msg][data-seq='1'] [data-testid=msg-avatar]").dispatchEvent(new MouseEvent("dblclick", {bubbles: true})), true`, nil)
	ann.WaitText("[data-testid=msg][data-seq='3']", "bo_wang patted you and said hi")
	bo.WaitText("[data-testid=msg][data-seq='3']", "You patted ann_lee and said hi")
	// The same, rendered by the server after a reload.
	ann.Navigate(srv.URL + "/chats/" + dm)
	ann.WaitText("[data-testid=msg][data-seq='3']", "bo_wang patted you and said hi")
	ann.WaitChatSocket()

	// Delete for me: gone for Bo (also after a reload), still there for Ann.
	bo.Click("[data-testid=msg][data-seq='2'] [data-testid=msg-menu]")
	bo.Click("[data-testid=action-hide]")
	bo.WaitNotVisible("[data-testid=msg][data-seq='2']")
	bo.Navigate(srv.URL + "/chats/" + dm)
	bo.WaitVisible("[data-testid=msg][data-seq='3']")
	if bo.Visible("[data-testid=msg][data-seq='2']") {
		t.Fatal("a message deleted for Bo came back after a reload")
	}
	ann.WaitVisible("[data-testid=msg][data-seq='2'] [data-testid=msg-card]")

	// Bo forwards Ann's message into his group; Cy sees it there.
	bo.WaitChatSocket()
	bo.Click("[data-testid=msg][data-seq='1'] [data-testid=msg-text]")
	bo.Click("[data-testid=action-forward]")
	bo.Click("[data-testid=forward-chat][data-id='" + group + "'] input")
	bo.Click("[data-testid=forward-send]")
	bo.WaitText("[data-testid=pane-detail] [data-testid=pane-title]", "Hikers")
	bo.WaitText("[data-testid=messages]", "Trail map is at the gate")
	cy := b.NewPage(t)
	srv.SignIn(cy, "cy_chen", testapp.DefaultPassword)
	cy.Navigate(srv.URL + "/chats/" + group)
	cy.WaitText("[data-testid=messages]", "Trail map is at the gate")

	// Dee, who is not Cy's friend, gets Cy's card from Bo in the group,
	// opens it and can ask Cy to be friends.
	if _, err := svc.Send(boRec.Id, group, chat.SendInput{ClientID: "c1", Kind: chat.MsgCard, Card: &chat.CardRequest{Type: chat.CardContact, Ref: cyRec.Id}}); err != nil {
		t.Fatal(err)
	}
	dp := b.NewPage(t)
	srv.SignIn(dp, "dee_fox", testapp.DefaultPassword)
	dp.Navigate(srv.URL + "/chats/" + group)
	dp.Click("[data-testid=msg-card]")
	dp.WaitVisible("[data-testid=send-request]")
}

// TestBrowserGroupAdministration: the owner asks for approval of new
// members; a member's invitation waits until the owner approves it on the
// info page. A new announcement shows as a banner until "Got it", and the
// owner sees who has read it. The chat list shows the group's collage.
func TestBrowserGroupAdministration(t *testing.T) {
	t.Parallel() // each has its own server and pages; see hooks/internal/e2e
	b := e2e.NewBrowser(t)
	srv := e2e.StartServer(t)
	annRec, boRec, cyRec, dee := srv.Member(t, "ann_lee"), srv.Member(t, "bo_wang"), srv.Member(t, "cy_chen"), srv.Member(t, "dee_fox")
	testapp.Befriend(t, srv.App, annRec, boRec)
	testapp.Befriend(t, srv.App, annRec, cyRec)
	testapp.Befriend(t, srv.App, boRec, dee)
	svc := testapp.Services(t, srv.App).Chat
	group, err := svc.CreateGroup(annRec.Id, "Garden club", []string{boRec.Id, cyRec.Id})
	if err != nil {
		t.Fatal(err)
	}

	ann := b.NewPage(t)
	srv.SignIn(ann, "ann_lee", testapp.DefaultPassword)
	ann.Navigate(srv.URL + "/chats")
	ann.WaitVisible("[data-testid=chat-row][data-conv='" + group + "'] [data-testid=group-collage]")
	ann.Navigate(srv.URL + "/chats/" + group + "/manage")
	ann.Click("[data-testid=toggle-approval]")
	ann.SubmitAndWait("[data-testid=approval-save]")
	ann.WaitVisible("[data-testid=toggle-approval]:checked")
	ann.Fill("[data-testid=announcement]", "Seed swap on Saturday")
	ann.SubmitAndWait("[data-testid=group-save]")
	ann.WaitText("[data-testid=announcement-readers]", "Read by 1 of 3")

	// Bo sees the banner once, invites Dee, and is told it waits.
	bo := b.NewPage(t)
	srv.SignIn(bo, "bo_wang", testapp.DefaultPassword)
	bo.Navigate(srv.URL + "/chats/" + group)
	bo.WaitText("[data-testid=announcement-banner]", "Seed swap on Saturday")
	bo.Click("[data-testid=announcement-ack]")
	bo.WaitNotVisible("[data-testid=announcement-banner]")
	bo.Navigate(srv.URL + "/chats/" + group)
	bo.WaitVisible("[data-testid=composer]")
	if bo.Visible("[data-testid=announcement-banner]") {
		t.Fatal("the announcement banner came back after Got it")
	}
	bo.Navigate(srv.URL + "/chats/" + group + "/info")
	bo.Click("[data-testid=invite-friend][data-id='" + dee.Id + "'] input")
	bo.Click("[data-testid=invite-submit]")
	bo.WaitText("[data-testid=flash-ok]", "sent to the group owner")
	if ok, _ := chat.MemberIDs(srv.App, group); slices.Contains(ok, dee.Id) {
		t.Fatal("Dee joined without approval")
	}

	// Ann approves; Dee is in, and Ann sees that Bo read the announcement.
	ann.Navigate(srv.URL + "/chats/" + group + "/manage")
	ann.WaitText("[data-testid=join-request]", "bo_wang invited dee_fox")
	ann.WaitText("[data-testid=announcement-readers]", "Read by 2 of 3")
	ann.Click("[data-testid=approve-request]")
	ann.WaitVisible("[data-testid=manage-member][data-id='" + dee.Id + "']")
}

// TestBrowserDropAndPaste: a picture dropped on the chat and a file pasted
// into the composer are both sent, and reach the other side live.
func TestBrowserDropAndPaste(t *testing.T) {
	t.Parallel() // each has its own server and pages; see hooks/internal/e2e
	b := e2e.NewBrowser(t)
	srv := e2e.StartServer(t)
	annRec, boRec := srv.Member(t, "ann_lee"), srv.Member(t, "bo_wang")
	testapp.Befriend(t, srv.App, annRec, boRec)
	dm, err := chat.OpenDirect(srv.App, annRec.Id, boRec.Id)
	if err != nil {
		t.Fatal(err)
	}
	ann := b.NewPage(t)
	srv.SignIn(ann, "ann_lee", testapp.DefaultPassword)
	ann.Navigate(srv.URL + "/chats/" + dm)
	ann.WaitChatSocket()
	bo := b.NewPage(t)
	srv.SignIn(bo, "bo_wang", testapp.DefaultPassword)
	bo.Navigate(srv.URL + "/chats/" + dm)
	bo.WaitChatSocket()

	pic := base64.StdEncoding.EncodeToString(testapp.PNG(t, 120, 80))
	ann.Eval(`(() => {
		const bytes = Uint8Array.from(atob("`+pic+`"), (c) => c.charCodeAt(0));
		const dt = new DataTransfer();
		dt.items.add(new File([bytes], "dropped.png", { type: "image/png" }));
		document.querySelector("[data-chat]").dispatchEvent(new DragEvent("drop", { dataTransfer: dt, bubbles: true, cancelable: true }));
		return true;
	})()`, nil)
	bo.WaitVisible("[data-testid=msg][data-seq='1'] [data-testid=msg-image] img")

	ann.Eval(`(() => {
		const dt = new DataTransfer();
		dt.items.add(new File(["minutes of the meeting"], "notes.txt", { type: "text/plain" }));
		document.querySelector("[data-testid=composer]").dispatchEvent(new ClipboardEvent("paste", { clipboardData: dt, bubbles: true, cancelable: true }));
		return true;
	})()`, nil)
	bo.WaitText("[data-testid=msg][data-seq='2'] [data-testid=msg-file]", "notes.txt")
	ann.WaitText("[data-testid=msg][data-seq='2'] [data-testid=msg-file]", "notes.txt")
}
