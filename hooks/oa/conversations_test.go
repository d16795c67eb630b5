package oa_test

import (
	"testing"
	"time"

	"plaza/hooks/chat"
	"plaza/hooks/internal/testapp"
	"plaza/hooks/oa"
)

// waitFor polls cond for up to three seconds (answers and deliveries run
// on goroutines of their own).
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(3 * time.Second); !cond(); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("waited in vain for %s", what)
		}
	}
}

// lastText is the newest message of a chat as memberID sees it.
func lastText(t *testing.T, w *world, memberID, convID string) chat.Message {
	t.Helper()
	msgs, err := chat.Messages(w.app, memberID, convID, -1, 0, 1)
	if err != nil || len(msgs) == 0 {
		t.Fatalf("messages: %d %v", len(msgs), err)
	}
	return msgs[len(msgs)-1]
}

// TestServiceAccountChat: following a service account opens a chat in the
// follower's chat list with the welcome from the account (no sender); a
// keyword gets its reply, anything else the default; the operator answers
// inside the window from the inbox, and is refused after it; an unfollow
// takes the chat out of the list and a non-operator reads no inbox.
func TestServiceAccountChat(t *testing.T) {
	w := newWorld(t)
	chatSvc := testapp.Services(t, w.app).Chat
	owner, acct := w.account("cafe", oa.KindService, true)
	bo, cy := w.member("bo"), w.member("cy")
	if err := w.svc.SetTexts(owner, acct.ID, oa.Texts{Welcome: ptr("Welcome to the café"), DefaultReply: ptr("We will answer soon")}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.SetAutoReply(owner, acct.ID, oa.AutoReplyRule{Keyword: "hours", Match: oa.MatchContains, Reply: "8 to 18 daily"}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.Follow(bo, acct.ID); err != nil {
		t.Fatal(err)
	}
	conv, err := w.svc.ChatWith(bo, acct.ID)
	if err != nil {
		t.Fatal(err)
	}
	list, err := chat.List(w.app, bo)
	if err != nil || len(list) != 1 || list[0].ID != conv || list[0].Kind != chat.KindAccount || list[0].Name != "CAFE" || list[0].Unread() != 1 {
		t.Fatalf("chat list: %+v %v", list, err)
	}
	if m := lastText(t, w, bo, conv); m.Sender != "" || m.Text != "Welcome to the café" {
		t.Fatalf("welcome: %+v", m)
	}
	if _, err := chatSvc.Send(bo, conv, chat.SendInput{ClientID: "q1", Text: "Your opening hours?"}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the keyword's reply", func() bool { return lastText(t, w, bo, conv).Text == "8 to 18 daily" })
	if _, err := chatSvc.Send(bo, conv, chat.SendInput{ClientID: "q2", Text: "Do you sell cake?"}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the default reply", func() bool { return lastText(t, w, bo, conv).Text == "We will answer soon" })

	threads, err := w.svc.Inbox(owner, acct.ID)
	if err != nil || len(threads) != 1 || threads[0].Member != bo || threads[0].ReplyUntil.IsZero() {
		t.Fatalf("inbox: %+v %v", threads, err)
	}
	if _, err := w.svc.Reply(owner, acct.ID, bo, "Yes, cheesecake today"); err != nil {
		t.Fatal(err)
	}
	if m := lastText(t, w, bo, conv); m.Text != "Yes, cheesecake today" || m.Sender != "" {
		t.Fatalf("the operator's answer: %+v", m)
	}
	msgs, err := w.svc.ThreadMessages(owner, acct.ID, bo)
	if err != nil || len(msgs) != 6 {
		t.Fatalf("thread: %d %v", len(msgs), err)
	}
	_, err = w.svc.Inbox(cy, acct.ID)
	wantCode(t, "a non-operator's inbox", err, 404, "oa.not_found")
	_, err = w.svc.ThreadMessages(cy, acct.ID, bo)
	wantCode(t, "a non-operator's thread", err, 404, "oa.not_found")
	_, err = w.svc.Reply(cy, acct.ID, bo, "hi")
	wantCode(t, "a non-operator's answer", err, 404, "oa.not_found")

	w.now = w.now.Add(oa.ReplyWindow + time.Minute)
	_, err = w.svc.Reply(owner, acct.ID, bo, "Still there?")
	wantCode(t, "after the window", err, 403, "oa.reply_window_closed")

	if err := w.svc.Unfollow(bo, acct.ID); err != nil {
		t.Fatal(err)
	}
	if list, _ := chat.List(w.app, bo); len(list) != 0 {
		t.Fatalf("the chat stayed after the unfollow: %+v", list)
	}
	if _, err := chatSvc.Send(bo, conv, chat.SendInput{ClientID: "q3", Text: "hello?"}); err == nil {
		t.Fatal("a former follower wrote into the account's chat")
	}
	if _, err := w.svc.Follow(bo, acct.ID); err != nil {
		t.Fatal(err)
	}
	if again, _ := w.svc.ChatWith(bo, acct.ID); again != conv {
		t.Fatalf("following again opened another chat: %s, was %s", again, conv)
	}
}

// TestSubscriptionsAreFolded: a subscription account's chat stays out of
// the chat list and the Chats badge; its broadcast lights the
// Subscriptions row's dot, which opening Subscriptions puts out.
func TestSubscriptionsAreFolded(t *testing.T) {
	w := newWorld(t)
	owner, acct := w.account("news", oa.KindSubscription, true)
	bo := w.member("bo")
	if err := w.svc.SetTexts(owner, acct.ID, oa.Texts{Welcome: ptr("Thanks for following")}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.Follow(bo, acct.ID); err != nil {
		t.Fatal(err)
	}
	if list, _ := chat.List(w.app, bo); len(list) != 0 {
		t.Fatalf("a subscription account's chat is in the list: %+v", list)
	}
	if n, _ := chat.UnreadTotal(w.app, bo); n != 0 {
		t.Fatalf("the Chats badge counts a subscription's welcome: %d", n)
	}
	reg := testapp.Services(t, w.app).Registry
	rowOf := func(member string) (bool, bool, string) {
		for _, f := range reg.ChatFolders() {
			if f.ID == oa.SubscriptionsFolder {
				r, ok, err := f.Row(w.app, member)
				if err != nil {
					t.Fatal(err)
				}
				return ok, r.Unread, r.Preview
			}
		}
		t.Fatal("no Subscriptions folder")
		return false, false, ""
	}
	row := func() (bool, bool, string) { return rowOf(bo) }
	if ok, unread, _ := row(); !ok || unread {
		t.Fatalf("before any article: row %v, dot %v", ok, unread)
	}
	w.now = w.now.Add(time.Minute)
	a := w.article(owner, acct.ID, "Street party")
	if _, err := w.svc.Broadcast(owner, a.ID, time.Time{}); err != nil {
		t.Fatal(err)
	}
	w.svc.WaitDelivered()
	if ok, unread, preview := row(); !ok || !unread || preview != "NEWS: Street party" {
		t.Fatalf("after the broadcast: row %v, dot %v, %q", ok, unread, preview)
	}
	w.now = w.now.Add(time.Minute)
	if err := w.svc.SeeSubscriptions(bo); err != nil {
		t.Fatal(err)
	}
	if _, unread, _ := row(); unread {
		t.Fatal("the dot stayed after Subscriptions was opened")
	}
	if ok, _, _ := row(); !ok {
		t.Fatal("the row went")
	}
	if ok, _, _ := rowOf(w.member("cy")); ok {
		t.Fatal("a member who follows nothing has a Subscriptions row")
	}
}

// TestServiceBroadcastReachesEachChatOnce: a service account's broadcast
// is one card in each follower's chat; delivering it again from the start
// (a restart that lost the cursor) adds nothing.
func TestServiceBroadcastReachesEachChatOnce(t *testing.T) {
	w := newWorld(t)
	owner, acct := w.account("cafe", oa.KindService, true)
	var followers []string
	for _, n := range []string{"bo", "cy", "dee", "eve"} {
		m := w.member(n)
		if _, err := w.svc.Follow(m, acct.ID); err != nil {
			t.Fatal(err)
		}
		followers = append(followers, m)
	}
	a := w.article(owner, acct.ID, "Osmanthus latte")
	b, err := w.svc.Broadcast(owner, a.ID, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	w.svc.WaitDelivered()
	cards := func() int {
		t.Helper()
		n := 0
		for _, m := range followers {
			conv, err := w.svc.ChatWith(m, acct.ID)
			if err != nil {
				t.Fatal(err)
			}
			msgs, err := chat.Messages(w.app, m, conv, -1, 0, 50)
			if err != nil {
				t.Fatal(err)
			}
			for _, msg := range msgs {
				if msg.Kind == chat.MsgCard && msg.Card != nil && msg.Card.Ref == a.ID {
					n++
				}
			}
		}
		return n
	}
	if n := cards(); n != len(followers) {
		t.Fatalf("%d cards for %d followers", n, len(followers))
	}
	if _, err := w.app.DB().NewQuery(`UPDATE oa_broadcasts SET delivered = 0, cursor = '' WHERE id = {:b}`).
		Bind(map[string]any{"b": b.ID}).Execute(); err != nil {
		t.Fatal(err)
	}
	if err := w.svc.DeliverPending(); err != nil {
		t.Fatal(err)
	}
	if n := cards(); n != len(followers) {
		t.Fatalf("delivering again: %d cards for %d followers", n, len(followers))
	}
}
