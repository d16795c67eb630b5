package chat_test

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"plaza/hooks/chat"
	"plaza/hooks/internal/testapp"
	"plaza/hooks/problem"
)

// pair is Ann and Bo (friends, with a 1:1 chat) and Cy, a stranger.
type pair struct {
	app         *tests.TestApp
	ann, bo, cy *core.Record
	conv        string
	svc         *chat.Service
}

func befriend(t testing.TB, app core.App, a, b *core.Record) {
	t.Helper()
	testapp.Befriend(t, app, a, b)
}

func newPair(t testing.TB) *pair {
	t.Helper()
	app := testapp.New(t)
	p := &pair{app: app, ann: testapp.CreateMember(t, app, "ann_lee"), bo: testapp.CreateMember(t, app, "bo_wang"),
		cy: testapp.CreateMember(t, app, "cy_stranger"), svc: testapp.Services(t, app).Chat}
	befriend(t, app, p.ann, p.bo)
	var err error
	if p.conv, err = chat.OpenDirect(app, p.ann.Id, p.bo.Id); err != nil {
		t.Fatal(err)
	}
	return p
}

func isStatus(err error, status int) bool {
	p, ok := problem.As(err)
	return ok && p.Status == status
}

func TestSequenceIsGapFreeUnderConcurrentSends(t *testing.T) {
	p := newPair(t)
	var wg sync.WaitGroup
	errs := make(chan error, 100)
	for i := 0; i < 50; i++ {
		for _, who := range []*core.Record{p.ann, p.bo} {
			wg.Add(1)
			go func(who *core.Record, i int) {
				defer wg.Done()
				_, err := p.svc.Send(who.Id, p.conv, chat.SendInput{ClientID: fmt.Sprintf("%s-%d", who.Id, i), Text: fmt.Sprint("hello ", i)})
				errs <- err
			}(who, i)
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	msgs, err := chat.Messages(p.app, p.ann.Id, p.conv, 0, 0, 200)
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 100 {
		t.Fatalf("got %d messages, want 100", len(msgs))
	}
	for i, m := range msgs {
		if m.Seq != int64(i+1) {
			t.Fatalf("message %d has seq %d: a gap or a duplicate", i, m.Seq)
		}
	}
}

func TestSendIsIdempotentByClientID(t *testing.T) {
	p := newPair(t)
	first, err := p.svc.Send(p.ann.Id, p.conv, chat.SendInput{ClientID: "c-1", Text: "once"})
	if err != nil || !first.New {
		t.Fatalf("first send: %v %+v", err, first)
	}
	again, err := p.svc.Send(p.ann.Id, p.conv, chat.SendInput{ClientID: "c-1", Text: "once"})
	if err != nil || again.New || again.Message.ID != first.Message.ID || again.Message.Seq != first.Message.Seq {
		t.Fatalf("retry should return the stored message: %v %+v", err, again)
	}
	// The same client id from another sender is another message.
	other, err := p.svc.Send(p.bo.Id, p.conv, chat.SendInput{ClientID: "c-1", Text: "mine"})
	if err != nil || !other.New || other.Message.Seq != 2 {
		t.Fatalf("other sender: %v %+v", err, other)
	}
}

// TestOutsidersAreRefused: a non-member cannot read, list or send (404),
// a blocked or unfriended contact cannot send 1:1.
func TestOutsidersAreRefused(t *testing.T) {
	p := newPair(t)
	if _, err := p.svc.Send(p.ann.Id, p.conv, chat.SendInput{ClientID: "x", Text: "secret for Bo"}); err != nil {
		t.Fatal(err)
	}
	if _, err := chat.Messages(p.app, p.cy.Id, p.conv, 0, 0, 50); !isStatus(err, http.StatusNotFound) {
		t.Fatalf("a stranger read the chat: %v", err)
	}
	if _, err := p.svc.Send(p.cy.Id, p.conv, chat.SendInput{ClientID: "y", Text: "hi"}); !isStatus(err, http.StatusNotFound) {
		t.Fatalf("a stranger sent into the chat: %v", err)
	}
	if _, err := chat.OpenDirect(p.app, p.cy.Id, p.ann.Id); !isStatus(err, http.StatusNotFound) {
		t.Fatalf("a stranger opened a 1:1 chat: %v", err)
	}
	list, _ := chat.List(p.app, p.cy.Id)
	if len(list) != 0 {
		t.Fatalf("a stranger lists %d chats", len(list))
	}

	h := testapp.Handler(t, p.app)
	for _, path := range []string{"/chats/" + p.conv, "/api/plaza/chats/" + p.conv + "/messages",
		"/api/collections/messages/records", "/api/collections/conversations/records", "/api/collections/conversation_members/records"} {
		res := testapp.Do(h, http.MethodGet, path, "", map[string]string{"Cookie": testapp.SessionCookie(t, p.cy)})
		if strings.Contains(res.Body.String(), "secret for Bo") || (strings.HasPrefix(path, "/chats") && res.Code != http.StatusNotFound) {
			t.Errorf("%s: %d leaks or is not 404", path, res.Code)
		}
	}
	// Even a member cannot read messages through the records API: only our routes serve them.
	res := testapp.Do(h, http.MethodGet, "/api/collections/messages/records", "", map[string]string{"Authorization": testapp.Token(t, p.ann)})
	if res.Code != http.StatusForbidden {
		t.Errorf("records API on messages: %d, want 403", res.Code)
	}
	res = testapp.Do(h, http.MethodPost, "/chats/"+p.conv+"/messages", "text=hi", map[string]string{"Cookie": testapp.SessionCookie(t, p.cy)})
	if res.Code != http.StatusNotFound {
		t.Errorf("a stranger posted: %d", res.Code)
	}

	if err := testapp.Services(t, p.app).Contacts.Block(p.bo, p.ann.Id); err != nil {
		t.Fatal(err)
	}
	if _, err := p.svc.Send(p.ann.Id, p.conv, chat.SendInput{ClientID: "z", Text: "are you there?"}); !isStatus(err, http.StatusForbidden) {
		t.Fatalf("a blocked contact sent: %v", err)
	}
	if err := testapp.Services(t, p.app).Contacts.Unblock(p.bo, p.ann.Id); err != nil {
		t.Fatal(err)
	}
	if err := testapp.Services(t, p.app).Contacts.Unfriend(p.bo, p.ann.Id); err != nil {
		t.Fatal(err)
	}
	if _, err := p.svc.Send(p.ann.Id, p.conv, chat.SendInput{ClientID: "w", Text: "hello?"}); !isStatus(err, http.StatusForbidden) {
		t.Fatalf("a deleted contact sent: %v", err)
	}
}

func TestUnreadAndRead(t *testing.T) {
	p := newPair(t)
	for i := 0; i < 3; i++ {
		if _, err := p.svc.Send(p.ann.Id, p.conv, chat.SendInput{ClientID: fmt.Sprint(i), Text: "hi"}); err != nil {
			t.Fatal(err)
		}
	}
	if n, _ := chat.UnreadTotal(p.app, p.bo.Id); n != 3 {
		t.Fatalf("Bo's unread = %d, want 3", n)
	}
	if n, _ := chat.UnreadTotal(p.app, p.ann.Id); n != 0 {
		t.Fatalf("the sender's own messages count as unread: %d", n)
	}
	if read, _ := p.svc.MarkRead(p.bo.Id, p.conv, 99); read != 3 {
		t.Fatalf("read position = %d, want 3 (capped at the last message)", read)
	}
	if read, _ := p.svc.MarkRead(p.bo.Id, p.conv, 1); read != 3 {
		t.Fatalf("read position went back to %d", read)
	}
	if n, _ := chat.UnreadTotal(p.app, p.bo.Id); n != 0 {
		t.Fatalf("Bo's unread after reading = %d", n)
	}
}

// TestRealtimeSSELeaksNoMessage: PocketBase's own realtime API delivers no
// chat record to anyone, member or not (chat goes over /ws only).
func TestRealtimeSSELeaksNoMessage(t *testing.T) {
	p := newPair(t)
	srv := httptest.NewServer(testapp.Handler(t, p.app))
	t.Cleanup(srv.Close)
	topics := []string{"messages", "conversations", "conversation_members"}
	stranger := testapp.Subscribe(t, srv.URL, testapp.Token(t, p.cy), topics...)
	member := testapp.Subscribe(t, srv.URL, testapp.Token(t, p.bo), topics...)
	if _, err := p.svc.Send(p.ann.Id, p.conv, chat.SendInput{ClientID: "sse", Text: "not for SSE"}); err != nil {
		t.Fatal(err)
	}
	if _, err := chat.OpenDirect(p.app, p.ann.Id, p.bo.Id); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	if ev := append(stranger.Events(), member.Events()...); len(ev) != 0 {
		t.Fatalf("SSE delivered chat records: %v", ev)
	}
}

func TestCreateGroup(t *testing.T) {
	p := newPair(t)
	dee := testapp.CreateMember(t, p.app, "dee_friend")
	befriend(t, p.app, p.ann, dee)
	if _, err := p.svc.CreateGroup(p.ann.Id, "", []string{p.bo.Id}); !isStatus(err, http.StatusBadRequest) {
		t.Fatalf("a group of two: %v", err)
	}
	if _, err := p.svc.CreateGroup(p.ann.Id, "", []string{p.bo.Id, p.cy.Id}); !isStatus(err, http.StatusBadRequest) {
		t.Fatalf("a stranger was put in a group: %v", err)
	}
	conv, err := p.svc.CreateGroup(p.ann.Id, "Trio", []string{p.bo.Id, dee.Id, dee.Id})
	if err != nil {
		t.Fatal(err)
	}
	ids, _ := chat.MemberIDs(p.app, conv)
	if len(ids) != 3 {
		t.Fatalf("members: %v", ids)
	}
	msgs, err := chat.Messages(p.app, dee.Id, conv, 0, 0, 10)
	if err != nil || len(msgs) != 1 || msgs[0].Kind != chat.MsgSystem {
		t.Fatalf("the group should open with a system notice: %v %+v", err, msgs)
	}
	if _, err := p.svc.Send(dee.Id, conv, chat.SendInput{ClientID: "g1", Text: "hi all"}); err != nil {
		t.Fatalf("a member of the group cannot send: %v", err)
	}
	if _, err := chat.Messages(p.app, p.cy.Id, conv, 0, 0, 10); !isStatus(err, http.StatusNotFound) {
		t.Fatalf("a non-member read the group: %v", err)
	}
}

func TestQuoteAndRecall(t *testing.T) {
	p := newPair(t)
	orig, err := p.svc.Send(p.ann.Id, p.conv, chat.SendInput{ClientID: "q1", Text: "Lunch at noon?"})
	if err != nil {
		t.Fatal(err)
	}
	reply, err := p.svc.Send(p.bo.Id, p.conv, chat.SendInput{ClientID: "q2", Text: "Sure!", ReplyTo: orig.Message.ID})
	if err != nil || reply.Message.Quote == nil || reply.Message.Quote.Text != "Lunch at noon?" || reply.Message.Quote.Sender != p.ann.Id {
		t.Fatalf("reply should carry its quote: %v %+v", err, reply.Message.Quote)
	}
	// Someone else cannot recall Ann's message; a stranger cannot even find it.
	if _, err := p.svc.Recall(p.bo.Id, p.conv, orig.Message.ID); !isStatus(err, http.StatusNotFound) {
		t.Fatalf("Bo recalled Ann's message: %v", err)
	}
	if _, err := p.svc.Recall(p.cy.Id, p.conv, orig.Message.ID); !isStatus(err, http.StatusNotFound) {
		t.Fatalf("a stranger recalled: %v", err)
	}
	if _, err := p.svc.Recall(p.ann.Id, p.conv, orig.Message.ID); err != nil {
		t.Fatal(err)
	}
	msgs, _ := chat.Messages(p.app, p.bo.Id, p.conv, 0, 0, 10)
	if !msgs[0].Recalled || msgs[0].Text != "" {
		t.Fatalf("a recalled message must not be served: %+v", msgs[0])
	}
	if q := msgs[1].Quote; q == nil || !q.Recalled || q.Text != "" {
		t.Fatalf("a quote of a recalled message must not show its text: %+v", q)
	}
	// After two minutes it is too late.
	late, _ := p.svc.Send(p.ann.Id, p.conv, chat.SendInput{ClientID: "q3", Text: "old news"})
	defer p.svc.SetClock(time.Now)
	p.svc.SetClock(func() time.Time { return time.Now().Add(chat.RecallWindow + time.Second) })
	if _, err := p.svc.Recall(p.ann.Id, p.conv, late.Message.ID); !isStatus(err, http.StatusBadRequest) {
		t.Fatalf("recall after the window: %v", err)
	}
}

func TestMentions(t *testing.T) {
	p := newPair(t)
	dee := testapp.CreateMember(t, p.app, "dee_friend")
	befriend(t, p.app, p.ann, dee)
	conv, err := p.svc.CreateGroup(p.ann.Id, "G", []string{p.bo.Id, dee.Id})
	if err != nil {
		t.Fatal(err)
	}
	// Bo mentions Dee and a stranger, and tries @All (he is not an admin).
	res, err := p.svc.Send(p.bo.Id, conv, chat.SendInput{ClientID: "m1", Text: "@dee hi", Mentions: []string{dee.Id, p.cy.Id}, All: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Message.Mentions) != 1 || res.Message.Mentions[0] != dee.Id || res.Message.All {
		t.Fatalf("mentions kept: %+v all=%v", res.Message.Mentions, res.Message.All)
	}
	mentioned := func(member string) bool {
		list, _ := chat.List(p.app, member)
		for _, s := range list {
			if s.ID == conv {
				return s.Mentioned()
			}
		}
		return false
	}
	if !mentioned(dee.Id) || mentioned(p.ann.Id) {
		t.Fatal("only Dee should be marked as mentioned")
	}
	// The owner may @All.
	if res, err := p.svc.Send(p.ann.Id, conv, chat.SendInput{ClientID: "m2", Text: "@All meeting", All: true}); err != nil || !res.Message.All {
		t.Fatalf("@All by the owner: %v %+v", err, res.Message)
	}
	if !mentioned(p.bo.Id) {
		t.Fatal("@All should mark Bo")
	}
	if _, err := p.svc.MarkRead(p.bo.Id, conv, 99); err != nil {
		t.Fatal(err)
	}
	if mentioned(p.bo.Id) {
		t.Fatal("reading clears the mention mark")
	}
	msgs, _ := chat.Messages(p.app, dee.Id, conv, 0, 0, 10)
	if len(msgs[1].Mentions) != 1 {
		t.Fatalf("stored mentions are served back: %+v", msgs[1])
	}
}

func TestJoinByGroupQRCode(t *testing.T) {
	p := newPair(t)
	dee := testapp.CreateMember(t, p.app, "dee_friend")
	befriend(t, p.app, p.ann, dee)
	conv, err := p.svc.CreateGroup(p.ann.Id, "Book club", []string{p.bo.Id, dee.Id})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.svc.Send(p.ann.Id, conv, chat.SendInput{ClientID: "before", Text: "before Cy joined"}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := p.svc.GroupLink(p.cy.Id, conv); !isStatus(err, http.StatusNotFound) {
		t.Fatalf("a non-member got the group's code: %v", err)
	}
	if _, _, err := p.svc.GroupLink(p.ann.Id, p.conv); !isStatus(err, http.StatusNotFound) {
		t.Fatalf("a 1:1 chat has no group code: %v", err)
	}
	link, expires, err := p.svc.GroupLink(p.bo.Id, conv)
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Until(expires); d < chat.GroupQRValidity-time.Minute || d > chat.GroupQRValidity {
		t.Fatalf("the code should be valid 7 days, expires in %v", d)
	}
	h := testapp.Handler(t, p.app)
	if res := testapp.Do(h, http.MethodGet, "/chats/"+conv+"/qr.png", "", map[string]string{"Cookie": testapp.SessionCookie(t, p.cy)}); res.Code != http.StatusNotFound {
		t.Fatalf("a non-member drew the group's code: %d", res.Code)
	}
	tampered := strings.Replace(link, conv, p.conv, 1)
	if _, err := p.svc.Join(p.cy.Id, tampered); !isStatus(err, http.StatusBadRequest) {
		t.Fatalf("a tampered code: %v", err)
	}
	defer p.svc.SetClock(time.Now)
	p.svc.SetClock(func() time.Time { return time.Now().Add(chat.GroupQRValidity + time.Minute) })
	if _, err := p.svc.Join(p.cy.Id, link); !isStatus(err, http.StatusBadRequest) {
		t.Fatalf("an expired code: %v", err)
	}
	p.svc.SetClock(time.Now)
	got, err := p.svc.Join(p.cy.Id, link)
	if err != nil || got != conv {
		t.Fatalf("join: %v %s", err, got)
	}
	if _, err := p.svc.Join(p.cy.Id, link); err != nil {
		t.Fatalf("joining twice should be harmless: %v", err)
	}
	ids, _ := chat.MemberIDs(p.app, conv)
	if len(ids) != 4 {
		t.Fatalf("members after joining: %d", len(ids))
	}
	msgs, _ := chat.Messages(p.app, p.cy.Id, conv, 0, 0, 50)
	if len(msgs) != 1 || msgs[0].Kind != chat.MsgSystem || strings.Contains(msgs[0].Text, "before") {
		t.Fatalf("a newcomer sees only what comes after joining: %+v", msgs)
	}
}

func TestGroupManagement(t *testing.T) {
	p := newPair(t)
	dee := testapp.CreateMember(t, p.app, "dee_friend")
	eve := testapp.CreateMember(t, p.app, "eve_friend")
	for _, f := range []*core.Record{dee, eve} {
		befriend(t, p.app, p.ann, f)
	}
	befriend(t, p.app, p.bo, p.cy)
	conv, err := p.svc.CreateGroup(p.ann.Id, "Team", []string{p.bo.Id, dee.Id})
	if err != nil {
		t.Fatal(err)
	}
	// Plain members cannot administer; strangers cannot touch the group.
	if err := p.svc.Rename(p.bo.Id, conv, "Hijacked"); !isStatus(err, http.StatusForbidden) {
		t.Fatalf("a member renamed the group: %v", err)
	}
	if err := p.svc.Remove(p.bo.Id, conv, dee.Id); !isStatus(err, http.StatusForbidden) {
		t.Fatalf("a member removed someone: %v", err)
	}
	if err := p.svc.SetAnnouncement(p.cy.Id, conv, "spam"); !isStatus(err, http.StatusNotFound) {
		t.Fatalf("a stranger posted an announcement: %v", err)
	}
	// Any member invites their own friends, not strangers.
	if err := p.svc.Invite(p.bo.Id, conv, []string{eve.Id}); !isStatus(err, http.StatusBadRequest) {
		t.Fatalf("Bo invited someone who is not his friend: %v", err)
	}
	if err := p.svc.Invite(p.bo.Id, conv, []string{p.cy.Id}); err != nil {
		t.Fatal(err)
	}
	// The owner makes Bo an admin; an admin may remove plain members only.
	if err := p.svc.SetAdmin(p.ann.Id, conv, p.bo.Id, true); err != nil {
		t.Fatal(err)
	}
	if err := p.svc.Remove(p.bo.Id, conv, p.ann.Id); !isStatus(err, http.StatusForbidden) {
		t.Fatalf("an admin removed the owner: %v", err)
	}
	if err := p.svc.Remove(p.bo.Id, conv, p.cy.Id); err != nil {
		t.Fatal(err)
	}
	if _, err := p.svc.Send(p.cy.Id, conv, chat.SendInput{ClientID: "x", Text: "still here?"}); !isStatus(err, http.StatusNotFound) {
		t.Fatalf("a removed member can still send: %v", err)
	}
	if err := p.svc.SetAnnouncement(p.bo.Id, conv, "Stand-up at 10"); err != nil {
		t.Fatal(err)
	}
	// The owner leaves: the longest-standing member takes over.
	if err := p.svc.Leave(p.ann.Id, conv); err != nil {
		t.Fatal(err)
	}
	if err := p.svc.Rename(p.bo.Id, conv, "Team 2"); err != nil {
		t.Fatalf("the new owner cannot rename: %v", err)
	}
	msgs, _ := chat.Messages(p.app, p.bo.Id, conv, 0, 0, 50)
	var codes []string
	for _, m := range msgs {
		if m.Kind == chat.MsgSystem {
			codes = append(codes, strings.SplitN(m.Text, ":", 2)[0])
		}
	}
	if strings.Join(codes, ",") != "group_created,invited,removed,announcement,left,renamed" {
		t.Fatalf("notices: %v", codes)
	}
	// Personal settings: pin, mute, mark unread, clear, hide.
	if err := p.svc.SetPrefs(p.bo.Id, conv, chat.Prefs{Pinned: true, Muted: true}); err != nil {
		t.Fatal(err)
	}
	if n, _ := chat.UnreadTotal(p.app, p.bo.Id); n != 0 {
		t.Fatalf("a muted chat should not count: %d", n)
	}
	// Both settings are stored as chosen, and the list still loads (a {:m}
	// bound twice once stored the member id in muted and broke every list).
	for _, want := range []chat.Prefs{{Pinned: false, Muted: true}, {Pinned: true, Muted: false}, {Pinned: true, Muted: true}} {
		if err := p.svc.SetPrefs(p.bo.Id, conv, want); err != nil {
			t.Fatal(err)
		}
		list, err := chat.List(p.app, p.bo.Id)
		if err != nil {
			t.Fatalf("chat list after %+v: %v", want, err)
		}
		found := false
		for _, it := range list {
			if it.ID == conv {
				found = true
				if it.Pinned != want.Pinned || it.Muted != want.Muted {
					t.Fatalf("stored pinned=%v muted=%v, want %+v", it.Pinned, it.Muted, want)
				}
			}
		}
		if !found {
			t.Fatalf("chat missing from the list after %+v", want)
		}
	}
	if err := p.svc.ClearHistory(p.bo.Id, conv); err != nil {
		t.Fatal(err)
	}
	if msgs, _ := chat.Messages(p.app, p.bo.Id, conv, 0, 0, 50); len(msgs) != 0 {
		t.Fatalf("cleared history still shows %d messages", len(msgs))
	}
	if msgs, _ := chat.Messages(p.app, dee.Id, conv, 0, 0, 50); len(msgs) == 0 {
		t.Fatal("clearing is only for oneself")
	}
	if err := p.svc.MarkUnread(dee.Id, conv); err != nil {
		t.Fatal(err)
	}
	list, _ := chat.List(p.app, dee.Id)
	if len(list) == 0 || list[0].Unread() == 0 {
		t.Fatal("a chat marked unread should show as unread")
	}
	if err := p.svc.Hide(dee.Id, conv); err != nil {
		t.Fatal(err)
	}
	if list, _ := chat.List(p.app, dee.Id); len(list) != 0 {
		t.Fatal("a hidden chat is still listed")
	}
	if _, err := p.svc.Send(p.bo.Id, conv, chat.SendInput{ClientID: "back", Text: "hello again"}); err != nil {
		t.Fatal(err)
	}
	if list, _ := chat.List(p.app, dee.Id); len(list) != 1 {
		t.Fatal("a new message should bring a hidden chat back")
	}
}

func TestInfoPage(t *testing.T) {
	p := newPair(t)
	dee := testapp.CreateMember(t, p.app, "dee_friend")
	befriend(t, p.app, p.ann, dee)
	conv, err := p.svc.CreateGroup(p.ann.Id, "Team", []string{p.bo.Id, dee.Id})
	if err != nil {
		t.Fatal(err)
	}
	h := testapp.Handler(t, p.app)
	as := func(m *core.Record) map[string]string {
		return map[string]string{"Cookie": testapp.SessionCookie(t, m)}
	}
	if res := testapp.Do(h, http.MethodGet, "/chats/"+conv+"/info", "", as(p.ann)); res.Code != http.StatusOK ||
		!strings.Contains(res.Body.String(), `data-testid="member-grid"`) || !strings.Contains(res.Body.String(), `data-testid="manage-group-link"`) {
		t.Fatalf("owner's info page: %d", res.Code)
	}
	if res := testapp.Do(h, http.MethodGet, "/chats/"+conv+"/manage", "", as(p.ann)); res.Code != http.StatusOK ||
		!strings.Contains(res.Body.String(), `data-testid="group-form"`) || !strings.Contains(res.Body.String(), `data-testid="remove-member"`) {
		t.Fatalf("owner's Manage group page: %d", res.Code)
	}
	if res := testapp.Do(h, http.MethodGet, "/chats/"+conv+"/info", "", as(p.bo)); strings.Contains(res.Body.String(), `data-testid="group-form"`) ||
		strings.Contains(res.Body.String(), `data-testid="remove-member"`) || strings.Contains(res.Body.String(), `data-testid="manage-group-link"`) {
		t.Fatal("a plain member sees admin tools")
	}
	if res := testapp.Do(h, http.MethodGet, "/chats/"+conv+"/manage", "", as(p.bo)); res.Code != http.StatusForbidden ||
		strings.Contains(res.Body.String(), `data-testid="group-form"`) {
		t.Fatalf("a plain member's Manage group page: %d", res.Code)
	}
	if res := testapp.Do(h, http.MethodGet, "/chats/"+conv+"/info", "", as(p.cy)); res.Code != http.StatusNotFound {
		t.Fatalf("a stranger's info page: %d", res.Code)
	}
	if res := testapp.Do(h, http.MethodGet, "/chats/"+conv+"/manage", "", as(p.cy)); res.Code != http.StatusNotFound {
		t.Fatalf("a stranger's Manage group page: %d", res.Code)
	}
	// Members of one group open each other's cards (tap an avatar); others
	// still see nothing of a member who is not their friend.
	if res := testapp.Do(h, http.MethodGet, "/u/"+dee.Id, "", as(p.bo)); res.Code != http.StatusOK || !strings.Contains(res.Body.String(), `data-testid="person-card"`) {
		t.Fatalf("a group member opening another's card: %d", res.Code)
	}
	if res := testapp.Do(h, http.MethodGet, "/u/"+dee.Id, "", as(p.cy)); res.Code != http.StatusNotFound {
		t.Fatalf("a stranger opening a member's card: %d", res.Code)
	}
	// Only the owner dissolves the group.
	if res := testapp.Do(h, http.MethodPost, "/chats/"+conv+"/dissolve", "x=1", as(p.bo)); res.Code != http.StatusForbidden {
		t.Fatalf("a member dissolving the group: %d", res.Code)
	}
	if ids, _ := chat.MemberIDs(p.app, conv); len(ids) != 3 {
		t.Fatalf("a refused dissolve changed the members: %v", ids)
	}
	res := testapp.Do(h, http.MethodPost, "/chats/"+conv+"/group", "name=Hijacked&announcement=", as(p.bo))
	if res.Code != http.StatusForbidden || !strings.Contains(res.Body.String(), "Only the group owner and admins") {
		t.Fatalf("a member renaming: %d", res.Code)
	}
	res = testapp.Do(h, http.MethodPost, "/chats/"+conv+"/group", "name=Team&announcement=Bring+snacks", as(p.ann))
	if res.Code != http.StatusSeeOther {
		t.Fatalf("owner's announcement: %d", res.Code)
	}
	if res := testapp.Do(h, http.MethodGet, "/chats/"+conv+"/info", "", as(p.bo)); !strings.Contains(res.Body.String(), "Bring snacks") {
		t.Fatal("members should read the announcement")
	}
	if res := testapp.Do(h, http.MethodGet, "/chats/"+conv, "", as(dee)); !strings.Contains(res.Body.String(), "ann_lee posted a new announcement") {
		t.Fatal("the announcement notice is missing")
	}
	// As in WeChat the text itself is posted, by its author, @-mentioning
	// everyone: Bo's chat list marks the group "[@me]" until he reads it.
	msgs, err := chat.Messages(p.app, p.bo.Id, conv, -1, 0, 50)
	if err != nil {
		t.Fatal(err)
	}
	if last := msgs[len(msgs)-1]; last.Sender != p.ann.Id || last.Text != "@All\nBring snacks" || !last.All {
		t.Fatalf("the announcement should be posted as @All from its author, the last message is %+v", last)
	}
	mentioned := func() bool {
		list, err := chat.List(p.app, p.bo.Id)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range list {
			if c.ID == conv {
				return c.Mentioned()
			}
		}
		t.Fatal("the group is missing from Bo's list")
		return false
	}
	if !mentioned() {
		t.Fatal("the posted announcement should mark the group [@me] for Bo")
	}
	res = testapp.Do(h, http.MethodGet, "/chats", "", as(p.bo))
	mark := regexp.MustCompile(`data-conv="` + conv + `"[^>]*>(?s:.*?)(data-testid="chat-mention"[^>]*>[^<]*)`).FindStringSubmatch(res.Body.String())
	if mark == nil || strings.Contains(mark[1], " hidden") || !strings.HasSuffix(mark[1], ">[@me]") {
		t.Fatalf("Bo's chat list should show [@me] on the group: %q", mark)
	}
	if res := testapp.Do(h, http.MethodGet, "/chats/"+conv, "", as(p.bo)); res.Code != http.StatusOK || mentioned() {
		t.Fatal("reading the chat should clear [@me]")
	}
	if res := testapp.Do(h, http.MethodPost, "/chats/"+conv+"/leave", "", as(dee)); res.Code != http.StatusSeeOther {
		t.Fatalf("leave: %d", res.Code)
	}
	if res := testapp.Do(h, http.MethodGet, "/chats/"+conv, "", as(dee)); res.Code != http.StatusNotFound {
		t.Fatalf("after leaving the chat should be gone: %d", res.Code)
	}
}

func TestSearch(t *testing.T) {
	p := newPair(t)
	dee := testapp.CreateMember(t, p.app, "dee_friend")
	befriend(t, p.app, p.ann, dee)
	send := func(from *core.Record, conv, cid, text string) chat.SendResult {
		t.Helper()
		r, err := p.svc.Send(from.Id, conv, chat.SendInput{ClientID: cid, Text: text})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	send(p.ann, p.conv, "1", "周末一起去爬山吗？")
	send(p.bo, p.conv, "2", "Hiking sounds great, 好的")
	recalled := send(p.ann, p.conv, "3", "secret 爬山 plan")
	if _, err := p.svc.Recall(p.ann.Id, p.conv, recalled.Message.ID); err != nil {
		t.Fatal(err)
	}
	other, _ := chat.OpenDirect(p.app, p.ann.Id, dee.Id)
	send(dee, other, "4", "爬山 with Dee only")

	count := func(member *core.Record, conv, q string) int {
		t.Helper()
		hits, err := chat.Search(p.app, member.Id, conv, q, chat.SearchText)
		if err != nil {
			t.Fatal(err)
		}
		return len(hits)
	}
	cases := []struct {
		who  *core.Record
		conv string
		q    string
		want int
	}{
		{p.bo, "", "一起去爬山", 1},   // trigram index, Chinese
		{p.bo, "", "爬山", 1},      // 2 characters: the LIKE fallback; Bo is not in Dee's chat; the recalled one is gone
		{p.ann, "", "爬山", 2},     // Ann sees both of her chats
		{p.ann, p.conv, "爬山", 1}, // within one chat
		{p.bo, "", "HIKING", 1},  // case-insensitive
		{p.bo, "", "好", 1},       // 1 character
		{p.cy, "", "爬山", 0},      // a stranger finds nothing
		{p.bo, "", `"; DROP TABLE messages; --`, 0},
		{p.bo, "", "100%_", 0},
	}
	for _, c := range cases {
		if got := count(c.who, c.conv, c.q); got != c.want {
			t.Errorf("%s searching %q in %q: %d hits, want %d", c.who.GetString("plaza_id"), c.q, c.conv, got, c.want)
		}
	}
	if _, err := chat.Search(p.app, p.cy.Id, p.conv, "爬山", chat.SearchText); !isStatus(err, http.StatusNotFound) {
		t.Fatalf("a stranger searched inside a chat: %v", err)
	}
	// Clearing my history takes it out of my searches.
	if err := p.svc.ClearHistory(p.bo.Id, p.conv); err != nil {
		t.Fatal(err)
	}
	if got := count(p.bo, "", "一起去爬山"); got != 0 {
		t.Fatalf("cleared history is still searchable: %d", got)
	}
}

func TestReports(t *testing.T) {
	p := newPair(t)
	msg, err := p.svc.Send(p.ann.Id, p.conv, chat.SendInput{ClientID: "r", Text: "buy cheap watches at spam.example"})
	if err != nil {
		t.Fatal(err)
	}
	h := testapp.Handler(t, p.app)
	as := func(m *core.Record) map[string]string {
		return map[string]string{"Cookie": testapp.SessionCookie(t, m)}
	}
	path := "/report/message/" + p.conv + "/" + msg.Message.ID
	if res := testapp.Do(h, http.MethodGet, path, "", as(p.cy)); res.Code != http.StatusNotFound || strings.Contains(res.Body.String(), "watches") {
		t.Fatalf("a stranger opened the report form of a message: %d", res.Code)
	}
	if res := testapp.Do(h, http.MethodPost, path, "reason=spam", as(p.cy)); res.Code != http.StatusNotFound {
		t.Fatalf("a stranger reported a message: %d", res.Code)
	}
	if res := testapp.Do(h, http.MethodPost, path, "reason=", as(p.bo)); res.Code != http.StatusBadRequest ||
		!strings.Contains(res.Body.String(), "Please choose a reason.") {
		t.Fatalf("a report without a reason: %d", res.Code)
	}
	if res := testapp.Do(h, http.MethodPost, path, "reason=spam&note=again", as(p.bo)); res.Code != http.StatusOK ||
		!strings.Contains(res.Body.String(), "moderators will review") {
		t.Fatalf("a member's report: %d", res.Code)
	}
	if res := testapp.Do(h, http.MethodPost, "/report/person/"+p.ann.Id, "reason=harassment", as(p.cy)); res.Code != http.StatusOK {
		t.Fatalf("reporting a person: %d", res.Code)
	}
	reports, err := p.app.FindAllRecords("reports")
	if err != nil || len(reports) != 2 {
		t.Fatalf("reports stored: %d %v", len(reports), err)
	}
	for _, r := range reports {
		if r.GetString("status") != "open" || r.GetString("person") != p.ann.Id {
			t.Fatalf("report: %v", r)
		}
		if r.GetString("kind") == "message" && r.GetString("excerpt") != "buy cheap watches at spam.example" {
			t.Fatal("the moderators need the reported text")
		}
	}
	// Members cannot read reports through the records API.
	if res := testapp.Do(h, http.MethodGet, "/api/collections/reports/records", "", map[string]string{"Authorization": testapp.Token(t, p.bo)}); res.Code != http.StatusForbidden {
		t.Fatalf("reports through the API: %d", res.Code)
	}
}

// TestBatchedSendsKeepRefusalsApart: concurrent sends share transactions;
// an outsider's refused sends and retried client ids in the same batches
// change nothing for the others.
func TestBatchedSendsKeepRefusalsApart(t *testing.T) {
	p := newPair(t)
	var wg sync.WaitGroup
	type outcome struct {
		who string
		res chat.SendResult
		err error
	}
	out := make(chan outcome, 300)
	for i := 0; i < 100; i++ {
		for _, who := range []string{p.ann.Id, p.cy.Id, p.ann.Id} { // Ann twice with the same id
			wg.Add(1)
			go func(who string, i int) {
				defer wg.Done()
				res, err := p.svc.Send(who, p.conv, chat.SendInput{ClientID: fmt.Sprint("c", i), Text: fmt.Sprint("n", i)})
				out <- outcome{who, res, err}
			}(who, i)
		}
	}
	wg.Wait()
	close(out)
	stored := map[string]int64{}
	for o := range out {
		switch {
		case o.who == p.cy.Id:
			if !isStatus(o.err, http.StatusNotFound) {
				t.Fatalf("outsider's send: %v", o.err)
			}
		case o.err != nil:
			t.Fatal(o.err)
		default:
			if seq, ok := stored[o.res.Message.ClientID]; ok && seq != o.res.Message.Seq {
				t.Fatalf("client id %s stored twice (%d, %d)", o.res.Message.ClientID, seq, o.res.Message.Seq)
			}
			stored[o.res.Message.ClientID] = o.res.Message.Seq
		}
	}
	msgs, err := chat.Messages(p.app, p.ann.Id, p.conv, 0, 0, 200)
	if err != nil || len(msgs) != 100 {
		t.Fatalf("%d messages stored, want 100 (%v)", len(msgs), err)
	}
	for i, m := range msgs {
		if m.Seq != int64(i+1) {
			t.Fatalf("gap at %d: seq %d", i, m.Seq)
		}
	}
}

// TestJoinApprovalAndAnnouncementReaders covers the rules behind the
// group administration pages: only the owner switches approval on; with
// it on, a member's invitation and a join by QR code wait; only the owner
// and admins see and decide requests and see who read the announcement.
func TestJoinApprovalAndAnnouncementReaders(t *testing.T) {
	p := newPair(t)
	dee := testapp.CreateMember(t, p.app, "dee_friend")
	eve := testapp.CreateMember(t, p.app, "eve_friend")
	befriend(t, p.app, p.ann, dee)
	befriend(t, p.app, p.bo, eve)
	conv, err := p.svc.CreateGroup(p.ann.Id, "Book club", []string{p.bo.Id, dee.Id})
	if err != nil {
		t.Fatal(err)
	}
	if err := p.svc.SetInviteApproval(p.bo.Id, conv, true); !isStatus(err, http.StatusForbidden) {
		t.Fatalf("a member switched approval: %v", err)
	}
	if err := p.svc.SetInviteApproval(p.cy.Id, conv, true); !isStatus(err, http.StatusNotFound) {
		t.Fatalf("an outsider switched approval: %v", err)
	}
	if err := p.svc.SetInviteApproval(p.ann.Id, conv, true); err != nil {
		t.Fatal(err)
	}
	if err := p.svc.Invite(p.bo.Id, conv, []string{eve.Id}); err != nil {
		t.Fatal(err)
	}
	link, _, err := p.svc.GroupLink(p.bo.Id, conv)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.svc.Join(p.cy.Id, link); !errors.Is(err, chat.ErrAwaitingApproval) {
		t.Fatalf("join by code with approval on: %v", err)
	}
	ids, _ := chat.MemberIDs(p.app, conv)
	if contains(ids, eve.Id) || contains(ids, p.cy.Id) {
		t.Fatal("someone joined without approval")
	}
	if _, err := chat.JoinRequests(p.app, p.bo.Id, conv); !isStatus(err, http.StatusForbidden) {
		t.Fatalf("a member listed requests: %v", err)
	}
	reqs, err := chat.JoinRequests(p.app, p.ann.Id, conv)
	if err != nil || len(reqs) != 2 {
		t.Fatalf("requests: %+v %v", reqs, err)
	}
	for _, r := range reqs {
		if err := p.svc.DecideJoin(p.bo.Id, conv, r.ID, true); !isStatus(err, http.StatusForbidden) {
			t.Fatalf("a member approved: %v", err)
		}
		approve := r.Invitee == eve.Id
		if err := p.svc.DecideJoin(p.ann.Id, conv, r.ID, approve); err != nil {
			t.Fatal(err)
		}
	}
	ids, _ = chat.MemberIDs(p.app, conv)
	if !contains(ids, eve.Id) || contains(ids, p.cy.Id) {
		t.Fatalf("after deciding: %v", ids)
	}

	// Announcement: unread for all but the author until each says so.
	if err := p.svc.SetAnnouncement(p.ann.Id, conv, "Chapter 3 by Friday"); err != nil {
		t.Fatal(err)
	}
	read, total, err := chat.AnnouncementReaders(p.app, p.ann.Id, conv)
	if err != nil || total != 4 || len(read) != 1 || read[0] != p.ann.Id {
		t.Fatalf("readers: %v of %d, %v", read, total, err)
	}
	if err := p.svc.MarkAnnouncementRead(dee.Id, conv); err != nil {
		t.Fatal(err)
	}
	if read, _, _ = chat.AnnouncementReaders(p.app, p.ann.Id, conv); len(read) != 2 {
		t.Fatalf("after Dee read it: %v", read)
	}
	if _, _, err := chat.AnnouncementReaders(p.app, p.bo.Id, conv); !isStatus(err, http.StatusForbidden) {
		t.Fatalf("a member saw the readers: %v", err)
	}
	if err := p.svc.MarkAnnouncementRead(p.cy.Id, conv); !isStatus(err, http.StatusNotFound) {
		t.Fatalf("an outsider marked it read: %v", err)
	}
}

func TestGroupCreatorHasNoUnread(t *testing.T) {
	p := newPair(t)
	befriend(t, p.app, p.ann, p.cy)
	conv, err := p.svc.CreateGroup(p.ann.Id, "", []string{p.bo.Id, p.cy.Id})
	if err != nil {
		t.Fatal(err)
	}
	list, _ := chat.List(p.app, p.ann.Id)
	for _, s := range list {
		if s.ID == conv && s.Unread() != 0 {
			t.Fatalf("the creator has %d unread in the new group", s.Unread())
		}
	}
	list, _ = chat.List(p.app, p.bo.Id)
	for _, s := range list {
		if s.ID == conv && s.Unread() != 1 {
			t.Fatalf("a member has %d unread in the new group, want 1", s.Unread())
		}
	}
}
