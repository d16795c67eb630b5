package browser_test

import (
	"strings"
	"testing"
	"time"

	"plaza/hooks/chat"
	"plaza/hooks/internal/e2e"
	"plaza/hooks/internal/testapp"
)

// TestBrowserReconnectCatchesUpEveryChat: Bo looks at his chat list when
// his socket drops; while it is down Ann and Cy write to him in two
// different chats. Once it reconnects, both rows show the new previews and
// unread counts, and so does the Chats tab: the client caught up every
// chat it holds a sequence for, not only an open one.
func TestBrowserReconnectCatchesUpEveryChat(t *testing.T) {
	t.Parallel() // each has its own server and pages; see hooks/internal/e2e
	b := e2e.NewBrowser(t)
	srv := e2e.StartServer(t)
	ann, bo, cy := srv.Member(t, "ann_lee"), srv.Member(t, "bo_wang"), srv.Member(t, "cy_chen")
	testapp.Befriend(t, srv.App, ann, bo)
	testapp.Befriend(t, srv.App, cy, bo)
	svc := testapp.Services(t, srv.App).Chat
	withAnn, err := chat.OpenDirect(srv.App, ann.Id, bo.Id)
	if err != nil {
		t.Fatal(err)
	}
	withCy, err := chat.OpenDirect(srv.App, cy.Id, bo.Id)
	if err != nil {
		t.Fatal(err)
	}
	say := func(from, conv, cid, text string) {
		t.Helper()
		if _, err := svc.Send(from, conv, chat.SendInput{ClientID: cid, Text: text}); err != nil {
			t.Fatal(err)
		}
	}
	say(ann.Id, withAnn, "a1", "hello from Ann")
	say(cy.Id, withCy, "c1", "hello from Cy")

	page := b.NewPage(t)
	srv.SignIn(page, "bo_wang", testapp.DefaultPassword)
	page.Navigate(srv.URL + "/chats")
	row := func(conv string) string { return "[data-testid=chat-row][data-conv='" + conv + "']" }
	page.WaitText(row(withAnn)+" [data-unread-badge]", "1")
	page.WaitText(row(withCy)+" [data-unread-badge]", "1")
	page.WaitChatSocket()
	// Give the client a moment to learn where its chats stand (a client
	// without catch-up never does; it fails below, where it matters).
	deadline := time.Now().Add(2 * time.Second)
	for loaded := false; !loaded && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		page.Eval(`!!window.plazaChat.state.seqsLoaded && window.plazaChat.state.seqs.size >= 2`, &loaded)
	}

	// The socket drops; it comes back after its back-off (half a second).
	page.Eval(`window.plazaChat.drop(), true`, nil)
	say(ann.Id, withAnn, "a2", "Ann while you were away")
	say(ann.Id, withAnn, "a3", "Ann again")
	say(cy.Id, withCy, "c2", "Cy while you were away")

	page.WaitText(row(withAnn)+" [data-preview]", "Ann again")
	page.WaitText(row(withAnn)+" [data-unread-badge]", "3")
	page.WaitText(row(withCy)+" [data-preview]", "Cy while you were away")
	page.WaitText(row(withCy)+" [data-unread-badge]", "2")
	page.WaitText("[data-badge=badge-chats]", "5")
	time.Sleep(700 * time.Millisecond) // nothing counted twice, even after more syncs
	for sel, want := range map[string]string{row(withAnn) + " [data-unread-badge]": "3", row(withCy) + " [data-unread-badge]": "2", "[data-badge=badge-chats] [data-badge-count]": "5"} {
		if got := strings.TrimSpace(page.Text(sel)); got != want {
			t.Fatalf("%s shows %q, want %q", sel, got, want)
		}
	}
}
