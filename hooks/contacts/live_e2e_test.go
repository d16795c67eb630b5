package contacts_test

import (
	"strings"
	"testing"
	"time"

	"plaza/hooks/contacts"
	"plaza/hooks/internal/e2e"
	"plaza/hooks/internal/testapp"
)

// TestBrowserContactEventsLive: Ann sits on New Friends and Bo sends her a
// friend request: her Contacts badge, the New Friends entry and the list
// show it without a reload. Bo sits on Chats; Ann accepts: she lands in
// their 1:1 chat with "You have added bo_wang as a friend. Start
// chatting.", and the chat appears live in Bo's list with his own notice,
// his contacts list gains Ann live. Then Ann adds Bo to a new group, and
// it appears in Bo's chat list live too.
func TestBrowserContactEventsLive(t *testing.T) {
	b := e2e.NewBrowser(t)
	srv := e2e.StartServer(t)
	annRec := srv.Member(t, "ann_lee")
	boRec := srv.Member(t, "bo_wang")
	cyRec := srv.Member(t, "cy_zhao")
	befriendDirectly(t, srv, annRec.Id, cyRec.Id)

	ann := b.NewPage(t)
	srv.SignIn(ann, "ann_lee", testapp.DefaultPassword)
	ann.Navigate(srv.URL + "/contacts/new")
	ann.WaitVisible("[data-testid=request-list]") // Cy, accepted
	ann.WaitChatSocket()
	if ann.Visible("[data-testid=badge-contacts]") {
		t.Fatal("Ann has no request yet")
	}

	bo := b.NewPage(t)
	srv.SignIn(bo, "bo_wang", testapp.DefaultPassword)
	bo.Navigate(srv.URL + "/contacts/search?q=ann_lee")
	bo.Fill("[data-testid=greeting]", "Hi Ann, Bo from the choir")
	bo.Click("[data-testid=send-request]")
	bo.WaitText("[data-testid=flash-ok]", "Friend request sent.")

	// Live on Ann's screen: badge, entry badge, the request in the list.
	ann.WaitText("[data-testid=badge-contacts]", "1")
	ann.WaitText("[data-testid=entry-new-friends-badge]", "1")
	ann.WaitText("[data-testid=request-row][data-plaza-id=bo_wang]", "Hi Ann, Bo from the choir")
	var reloaded bool
	ann.Eval(`performance.getEntriesByType("navigation").length === 1 && location.pathname === "/contacts/new"`, &reloaded)
	if !reloaded {
		t.Fatal("Ann's page should have stayed the same page")
	}

	// Bo waits on his chat list and contacts tab.
	bo.Navigate(srv.URL + "/chats")
	bo.WaitVisible("[data-testid=empty-chats]")
	bo.WaitChatSocket()

	ann.Click("[data-testid=open-request]")
	ann.Click("[data-testid=accept]")
	ann.WaitText("[data-testid=messages] [data-notice]", "You have added bo_wang as a friend. Start chatting.")
	if !strings.Contains(ann.URL(), "/chats/") {
		t.Fatalf("accepting should open the chat, got %s", ann.URL())
	}
	convID := strings.TrimPrefix(ann.URL(), srv.URL+"/chats/")
	if ann.Visible("[data-testid=badge-contacts]") {
		t.Fatal("Ann's Contacts badge should be gone after accepting")
	}

	// Bo: the chat appears live, with his side of the notice.
	bo.WaitText("[data-testid=chat-row][data-conv='"+convID+"'] [data-preview]", "You have added ann_lee as a friend. Start chatting.")
	bo.Click("[data-testid=chat-row][data-conv='" + convID + "']")
	bo.WaitText("[data-testid=messages] [data-notice]", "You have added ann_lee as a friend. Start chatting.")

	// Bo on Contacts: Ann's name appears when she becomes a friend of his
	// (here: already); a new friend made while he looks appears live.
	bo.Navigate(srv.URL + "/contacts")
	bo.WaitText("[data-testid=pane-list]", "ann_lee")
	bo.WaitChatSocket()
	dan := srv.Member(t, "dan_wu")
	request(t, srv, dan.Id, boRec.Id)
	bo.WaitText("[data-testid=badge-contacts]", "1")
	bo.WaitText("[data-testid=entry-new-friends-badge]", "1")
	request(t, srv, boRec.Id, dan.Id) // asking back: friends at once
	bo.WaitText("[data-testid=pane-list]", "dan_wu")

	// Added to a group: it appears in the chat list live.
	bo.Navigate(srv.URL + "/chats")
	bo.WaitVisible("[data-testid=chat-row][data-conv='" + convID + "']")
	bo.WaitChatSocket()
	group, err := testapp.Services(t, srv.App).Chat.CreateGroup(annRec.Id, "Choir", []string{boRec.Id, cyRec.Id})
	if err != nil {
		t.Fatal(err)
	}
	bo.WaitText("[data-testid=chat-row][data-conv='"+group+"'] [data-testid=chat-title]", "Choir")
	time.Sleep(50 * time.Millisecond)
	for _, p := range append(ann.TakeProblems(), bo.TakeProblems()...) {
		t.Errorf("browser: %s", p)
	}
}

// request sends a friend request as the library does (source: Plaza ID).
func request(t *testing.T, srv *e2e.Server, from, to string) {
	t.Helper()
	f, err := srv.App.FindRecordById("users", from)
	if err != nil {
		t.Fatal(err)
	}
	r, err := srv.App.FindRecordById("users", to)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := testapp.Services(t, srv.App).Contacts.SendRequest(f, r, contacts.RequestInput{Source: contacts.SourceID}); err != nil {
		t.Fatal(err)
	}
}

// befriendDirectly makes two members friends: a asks, b asks back.
func befriendDirectly(t *testing.T, srv *e2e.Server, a, b string) {
	t.Helper()
	request(t, srv, a, b)
	request(t, srv, b, a)
	if ok, err := contacts.AreFriends(srv.App, a, b); err != nil || !ok {
		t.Fatalf("not friends: %v", err)
	}
}
