package channelsweb_test

import (
	"encoding/json"
	"strings"
	"testing"

	"plaza/hooks/chat"
	"plaza/hooks/internal/testapp"
	"plaza/hooks/problem"
)

// TestTakenDownCardShowsItsTitleOnly: once a shared post is taken down,
// the card kept in a chat no longer carries its caption or picture (JSON
// history, the chat page), and it cannot be forwarded or saved.
func TestTakenDownCardShowsItsTitleOnly(t *testing.T) {
	w := newWorld(t)
	w.channel(w.ann, "annrides")
	id := w.publish(w.ann, "A caption that gets taken down", 1)
	direct, err := chat.OpenDirect(w.app, w.bo.Id, w.cy.Id)
	if err != nil {
		t.Fatal(err)
	}
	w.ok(200, w.bo, "POST", api+"/posts/"+id+"/share", `{"to":["`+direct+`"]}`)
	rec, err := w.app.FindRecordById("channels_posts", id)
	if err != nil {
		t.Fatal(err)
	}
	rec.Set("taken_down", true)
	if err := w.app.Save(rec); err != nil {
		t.Fatal(err)
	}

	var history struct{ Items []chat.Message }
	res := w.do(w.cy, "GET", "/api/plaza/chats/"+direct+"/messages", "", nil)
	if err := json.Unmarshal(res.Body.Bytes(), &history); err != nil || res.Code != 200 {
		t.Fatalf("history: %d %s", res.Code, res.Body.String())
	}
	var cardMsg string
	for _, m := range history.Items {
		if m.Card != nil && m.Card.Type == "channel_post" {
			cardMsg = m.ID
			if m.Card.Sub != "" || m.Card.Image != "" || m.Card.Title == "" {
				t.Fatalf("a gone card still shows %+v", m.Card)
			}
		}
	}
	if cardMsg == "" {
		t.Fatal("no card in the chat")
	}
	if page := w.do(w.cy, "GET", "/chats/"+direct, "", map[string]string{"Cookie": testapp.SessionCookie(t, w.cy)}); strings.Contains(page.Body.String(), "gets taken down") {
		t.Fatal("the chat page still shows the taken-down caption")
	}

	svc := testapp.Services(t, w.app).Chat
	_, err = svc.Forward(w.cy.Id, chat.ForwardInput{From: direct, Messages: []string{cardMsg}, To: []string{direct}, Token: "fwd-gone"})
	if p, ok := problem.As(err); !ok || p.Key != "chat.cannot_forward" {
		t.Fatalf("forwarding a gone card: %v", err)
	}
	if p, ok := problem.As(svc.Favourite(w.cy.Id, direct, cardMsg)); !ok || p.Key != "chat.cannot_favourite" {
		t.Fatal("saving a gone card was not refused")
	}
}
