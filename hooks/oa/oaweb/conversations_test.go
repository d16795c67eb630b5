package oaweb_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/chat"
	"plaza/hooks/internal/testapp"
	"plaza/hooks/oa"
)

// convWorld: the café (a service account) run by Ann, the news (a
// subscription account) run by Dee; Bo follows both; Cy follows nothing.
type convWorld struct {
	t                *testing.T
	app              core.App
	h                http.Handler
	svc              *oa.Service
	ann, bo, cy, dee *core.Record
	cafe, news       oa.Account
	now              time.Time
}

func newConvWorld(t *testing.T) *convWorld {
	app := testapp.New(t)
	w := &convWorld{t: t, app: app, h: testapp.Handler(t, app), svc: testapp.Services(t, app).OA, now: time.Now().UTC()}
	w.svc.SetClock(func() time.Time { return w.now })
	w.ann, w.bo = testapp.CreateMember(t, app, "ann001"), testapp.CreateMember(t, app, "bo0001")
	w.cy, w.dee = testapp.CreateMember(t, app, "cy0001"), testapp.CreateMember(t, app, "dee001")
	w.cafe, w.news = w.approved(w.ann, "cafe", oa.KindService), w.approved(w.dee, "news", oa.KindSubscription)
	for _, a := range []oa.Account{w.cafe, w.news} {
		if _, err := w.svc.Follow(w.bo.Id, a.ID); err != nil {
			t.Fatal(err)
		}
	}
	return w
}

func (w *convWorld) approved(owner *core.Record, handle, kind string) oa.Account {
	a, err := w.svc.Apply(owner.Id, oa.ApplyInput{Handle: handle, Name: strings.ToUpper(handle), Category: "community", Kind: kind})
	if err != nil {
		w.t.Fatal(err)
	}
	rec, err := w.app.FindRecordById("oa_accounts", a.ID)
	if err != nil {
		w.t.Fatal(err)
	}
	rec.Set("status", oa.StatusApproved)
	if err := w.app.Save(rec); err != nil {
		w.t.Fatal(err)
	}
	return a
}

// do sends a request as who (nil: signed out): a form when body has no
// leading brace, JSON otherwise.
func (w *convWorld) do(who *core.Record, method, path, body string) (int, string, http.Header) {
	w.t.Helper()
	h := map[string]string{}
	if strings.HasPrefix(body, "{") {
		h["Content-Type"] = "application/json"
	} else if body != "" {
		h["Content-Type"] = "application/x-www-form-urlencoded"
	}
	if who != nil {
		h["Authorization"] = testapp.Token(w.t, who)
	}
	rec := testapp.Do(w.h, method, path, body, h)
	return rec.Code, rec.Body.String(), rec.Header()
}

// send is Bo writing into a chat (as his socket does).
func (w *convWorld) send(conv, text string) {
	w.t.Helper()
	if _, err := testapp.Services(w.t, w.app).Chat.Send(w.bo.Id, conv, chat.SendInput{ClientID: core.GenerateDefaultRandomId(), Text: text}); err != nil {
		w.t.Fatal(err)
	}
}

// TestChatPagesAndInbox: "Message" leads a follower to their chat (a
// menu keyword waiting in the composer); Subscriptions lists the news and
// puts the chat list's dot out; the café's inbox shows Bo's message, the
// answer form works inside the window and says why outside it; a
// non-operator and a signed-out visitor are refused.
func TestChatPagesAndInbox(t *testing.T) {
	w := newConvWorld(t)
	code, _, hdr := w.do(w.bo, "GET", "/oa/cafe/chat?text=hours", "")
	if code != http.StatusSeeOther && code != http.StatusFound || !strings.Contains(hdr.Get("Location"), "?text=hours") {
		t.Fatalf("message button: %d %q", code, hdr.Get("Location"))
	}
	chatURL := hdr.Get("Location")
	if code, body, _ := w.do(w.bo, "GET", chatURL, ""); code != 200 || !strings.Contains(body, ">hours</textarea>") || !strings.Contains(body, "CAFE") {
		t.Fatalf("the chat page: %d", code)
	}
	if code, _, hdr := w.do(w.cy, "GET", "/oa/cafe/chat?text=hours", ""); code != http.StatusSeeOther && code != http.StatusFound || hdr.Get("Location") != "/oa/cafe" {
		t.Fatalf("a non-follower's chat: %d %q", code, hdr.Get("Location"))
	}
	if code, body, _ := w.do(w.bo, "GET", chatURL, ""); code != 200 || !strings.Contains(body, `data-account-href="/oa/by-id?id=`+w.cafe.ID+`"`) ||
		strings.Contains(body, `data-testid="send-transfer"`) || strings.Contains(body, `data-testid="send-packet"`) {
		t.Fatalf("the account chat offers money or no profile: %d", code)
	}
	if code, _, hdr := w.do(w.bo, "GET", "/oa/by-id?id="+w.cafe.ID, ""); code != http.StatusSeeOther && code != http.StatusFound || hdr.Get("Location") != "/oa/cafe" {
		t.Fatalf("by id: %d %q", code, hdr.Get("Location"))
	}
	if code, body, _ := w.do(w.bo, "GET", "/chats", ""); code != 200 || !strings.Contains(body, `data-folder="subscriptions"`) {
		t.Fatalf("the chat list has no Subscriptions row: %d", code)
	}
	if code, body, _ := w.do(w.bo, "GET", "/oa/subscriptions", ""); code != 200 || !strings.Contains(body, `data-handle="news"`) || strings.Contains(body, `data-handle="cafe"`) {
		t.Fatalf("subscriptions page: %d %s", code, body)
	}

	conv := strings.TrimPrefix(strings.SplitN(chatURL, "?", 2)[0], "/chats/")
	w.send(conv, "Are you open?")
	inbox := "/oa/cafe/console/inbox"
	if code, body, _ := w.do(w.ann, "GET", inbox, ""); code != 200 || !strings.Contains(body, `data-member="`+w.bo.Id+`"`) || !strings.Contains(body, `data-testid="window-open"`) {
		t.Fatalf("inbox: %d %s", code, body)
	}
	if code, _, _ := w.do(w.ann, "POST", inbox+"/"+w.bo.Id, "text=Yes+until+six"); code != http.StatusSeeOther && code != http.StatusFound {
		t.Fatalf("answer: %d", code)
	}
	if code, body, _ := w.do(w.ann, "GET", inbox+"/"+w.bo.Id, ""); code != 200 || !strings.Contains(body, "Yes until six") || !strings.Contains(body, `data-testid="reply-form"`) {
		t.Fatalf("thread: %d", code)
	}
	for _, who := range []*core.Record{w.cy, w.dee} {
		if code, _, _ := w.do(who, "GET", inbox, ""); code != 404 {
			t.Fatalf("a non-operator's inbox: %d", code)
		}
		if code, _, _ := w.do(who, "POST", inbox+"/"+w.bo.Id, "text=hi"); code != 404 {
			t.Fatalf("a non-operator's answer: %d", code)
		}
	}
	if code, _, _ := w.do(nil, "GET", inbox, ""); code == 200 {
		t.Fatal("a visitor read the inbox")
	}

	w.now = w.now.Add(oa.ReplyWindow + time.Minute)
	if code, body, _ := w.do(w.ann, "POST", inbox+"/"+w.bo.Id, "text=Hello+again"); code != 403 || !strings.Contains(body, `data-testid="window-closed-note"`) {
		t.Fatalf("an answer after the window: %d", code)
	}
	code, body, _ := w.do(w.ann, "POST", "/api/plaza/oa/accounts/cafe/inbox/"+w.bo.Id, `{"text":"Hello again"}`)
	if code != 403 || !strings.Contains(body, "oa.reply_window_closed") {
		t.Fatalf("API answer after the window: %d %s", code, body)
	}
}

// TestChatAPI: the JSON twins: the chat of an account, Subscriptions with
// their unread mark and its reset, the inbox and an answer.
func TestChatAPI(t *testing.T) {
	w := newConvWorld(t)
	code, body, _ := w.do(w.bo, "GET", "/api/plaza/oa/accounts/cafe/chat", "")
	var chatOf struct{ Conversation string }
	if code != 200 || json.Unmarshal([]byte(body), &chatOf) != nil || chatOf.Conversation == "" {
		t.Fatalf("chat: %d %s", code, body)
	}
	w.now = w.now.Add(time.Minute)
	art, err := w.svc.WriteArticle(w.dee.Id, w.news.ID, oa.ArticleInput{Title: "Street party", Body: "Saturday"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.Broadcast(w.dee.Id, art.ID, time.Time{}); err != nil {
		t.Fatal(err)
	}
	var subs struct {
		Items []struct {
			Handle      string
			LatestTitle string `json:"latest_title"`
			Unread      bool
		}
	}
	code, body, _ = w.do(w.bo, "GET", "/api/plaza/oa/subscriptions", "")
	if code != 200 || json.Unmarshal([]byte(body), &subs) != nil || len(subs.Items) != 1 || !subs.Items[0].Unread || subs.Items[0].LatestTitle != "Street party" {
		t.Fatalf("subscriptions: %d %s", code, body)
	}
	w.now = w.now.Add(time.Minute)
	if code, _, _ := w.do(w.bo, "POST", "/api/plaza/oa/subscriptions/seen", ""); code != 204 {
		t.Fatalf("seen: %d", code)
	}
	if _, body, _ = w.do(w.bo, "GET", "/api/plaza/oa/subscriptions", ""); !strings.Contains(body, `"unread":false`) {
		t.Fatalf("still unread: %s", body)
	}
	w.send(chatOf.Conversation, "Table for two?")
	if code, body, _ := w.do(w.ann, "GET", "/api/plaza/oa/accounts/cafe/inbox", ""); code != 200 || !strings.Contains(body, w.bo.Id) {
		t.Fatalf("inbox: %d %s", code, body)
	}
	if code, body, _ := w.do(w.ann, "POST", "/api/plaza/oa/accounts/cafe/inbox/"+w.bo.Id, `{"text":"Yes, at eight"}`); code != 201 || !strings.Contains(body, "Yes, at eight") {
		t.Fatalf("answer: %d %s", code, body)
	}
	if code, body, _ := w.do(w.ann, "GET", "/api/plaza/oa/accounts/cafe/inbox/"+w.bo.Id, ""); code != 200 || !strings.Contains(body, "Table for two?") {
		t.Fatalf("thread: %d %s", code, body)
	}
	if code, _, _ := w.do(w.ann, "POST", "/api/plaza/oa/accounts/cafe/inbox/"+w.bo.Id, `{"text":"  "}`); code != 400 {
		t.Fatalf("an empty answer: %d", code)
	}
}
