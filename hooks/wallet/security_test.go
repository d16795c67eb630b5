package wallet_test

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/chat"
	"plaza/hooks/internal/testapp"
	"plaza/hooks/problem"
	"plaza/hooks/wallet"
)

// TestSecurityMoneyCardsCannotBeForwardedOrFavourited is the attacker's
// side of issue 10 #19: a member who received a transfer, an accepted
// transfer's reply, a red packet or an AA collection tries to forward the
// card into another chat (where it would pass for their own transfer) or
// keep it in their favourites. Every try is a 400 with a stable key and
// nothing reaches the other chat; a merged forward carries only text.
func TestSecurityMoneyCardsCannotBeForwardedOrFavourited(t *testing.T) {
	wd := newWorld(t)
	wd.mint(t, wd.ann, 10_000)
	svc := testapp.Services(t, wd.app).Chat
	tr, err := wd.w.SendTransfer(wd.ann.Id, wd.key(), wallet.TransferInput{Conversation: wd.annBo, Amount: 7, Note: "gift"}, wd.pinFor(wd.ann.Id))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := wd.w.AcceptTransfer(wd.bo.Id, tr.ID); err != nil {
		t.Fatal(err)
	}
	pk, err := wd.w.SendPacket(wd.ann.Id, wd.key(), wallet.PacketInput{Conversation: wd.group, Kind: wallet.PacketLucky, Amount: 300, Count: 2, Greeting: "hi"}, wd.pinFor(wd.ann.Id))
	if err != nil {
		t.Fatal(err)
	}
	aa, err := wd.w.StartAA(wd.ann.Id, wd.key(), wallet.AAInput{Conversation: wd.group, Title: "Dinner", Each: 500, Members: []string{wd.bo.Id, wd.cy.Id}})
	if err != nil {
		t.Fatal(err)
	}
	accepted := lastMessage(t, wd.app, wd.annBo) // Bo's "accepted" reply card
	if accepted.Card == nil || accepted.Card.Type != wallet.CardAccepted {
		t.Fatalf("last message of the 1:1 chat is not the accepted card: %+v", accepted)
	}
	// Bo pays his AA share: his Pay Notifications receipt is a money card too.
	wd.mint(t, wd.bo, 1_000)
	if _, err := wd.w.PayAA(wd.bo.Id, wd.key(), aa.ID, wd.pinFor(wd.bo.Id)); err != nil {
		t.Fatal(err)
	}
	payChat, receipt := receiptOf(t, wd.app, wd.bo.Id)

	cases := []struct {
		name       string
		who        *core.Record
		from, msg  string
		forwardTo  string
		wantFwdKey string
	}{
		{"received transfer", wd.bo, wd.annBo, tr.Message, wd.group, "chat.cannot_forward"},
		{"accepted reply", wd.bo, wd.annBo, accepted.ID, wd.group, "chat.cannot_forward"},
		{"red packet", wd.cy, wd.group, pk.Message, wd.annCy, "chat.cannot_forward"},
		{"AA collection", wd.bo, wd.group, aa.Message, wd.annBo, "chat.cannot_forward"},
		{"payment receipt", wd.bo, payChat, receipt, wd.annBo, "chat.cannot_forward"},
	}
	h := testapp.Handler(t, wd.app)
	for i, c := range cases {
		before := lastMessage(t, wd.app, c.forwardTo).Seq
		_, err := svc.Forward(c.who.Id, chat.ForwardInput{From: c.from, Messages: []string{c.msg}, To: []string{c.forwardTo}, Token: "tok" + c.name})
		if got := problemKey(err); got != c.wantFwdKey || problemStatus(err) != http.StatusBadRequest {
			t.Errorf("%s: forward answered %q (%v), want 400 %s", c.name, got, err, c.wantFwdKey)
		}
		if err := svc.Favourite(c.who.Id, c.from, c.msg); problemKey(err) != "chat.cannot_favourite" || problemStatus(err) != http.StatusBadRequest {
			t.Errorf("%s: favourite answered %v, want 400 chat.cannot_favourite", c.name, err)
		}
		// The same through the web form a browser posts.
		form := url.Values{"m": {c.msg}, "to": {c.forwardTo}, "token": {"form-" + string(rune('a'+i))}}
		rec := testapp.Do(h, http.MethodPost, "/chats/"+c.from+"/forward", form.Encode(), map[string]string{"Cookie": testapp.SessionCookie(t, c.who)})
		if rec.Code != http.StatusBadRequest {
			t.Errorf("%s: forward form answered %d, want 400", c.name, rec.Code)
		}
		if got := lastMessage(t, wd.app, c.forwardTo).Seq; got != before {
			t.Errorf("%s: something reached the target chat (seq %d → %d)", c.name, before, got)
		}
	}
	// A merged forward is a chat-history card of text, not a money card.
	if _, err := svc.Forward(wd.bo.Id, chat.ForwardInput{From: wd.annBo, Messages: []string{tr.Message}, To: []string{wd.group}, Merged: true, Token: "merged"}); err != nil {
		t.Fatalf("merged forward: %v", err)
	}
	if m := lastMessage(t, wd.app, wd.group); m.Card == nil || m.Card.Type != chat.CardHistory || m.Sender != wd.bo.Id {
		t.Fatalf("merged forward stored %+v", m)
	}
	wd.verify(t)
}

func problemStatus(err error) int {
	if p, ok := problem.As(err); ok {
		return p.Status
	}
	return 0
}

// lastMessage is the newest message of a chat, as its members see it
// (the zero Message when there is none).
func lastMessage(t testing.TB, app core.App, convID string) chat.Message {
	t.Helper()
	var member string
	if err := app.DB().NewQuery("SELECT member FROM conversation_members WHERE conversation = {:c} LIMIT 1").
		Bind(map[string]any{"c": convID}).Row(&member); err != nil {
		t.Fatal(err)
	}
	msgs, err := chat.Messages(app, member, convID, -1, 0, 1)
	if err != nil {
		t.Fatalf("messages of %s: %v", convID, err)
	}
	if len(msgs) == 0 {
		return chat.Message{}
	}
	return msgs[len(msgs)-1]
}

// receiptOf finds a member's Pay Notifications chat and a receipt card in it.
func receiptOf(t testing.TB, app core.App, memberID string) (string, string) {
	t.Helper()
	var row struct {
		Conv string `db:"conversation"`
		ID   string `db:"id"`
	}
	err := app.DB().NewQuery(`SELECT m.conversation, m.id FROM messages m JOIN conversations c ON c.id = m.conversation AND c.kind = 'service'
		JOIN conversation_members cm ON cm.conversation = c.id AND cm.member = {:m} WHERE m.kind = 'card' LIMIT 1`).
		Bind(map[string]any{"m": memberID}).One(&row)
	if err != nil || row.ID == "" {
		t.Fatalf("no receipt for %s: %v", memberID, err)
	}
	return row.Conv, row.ID
}

// TestSecurityPINFormThrottlesPasswordGuesses is the attacker's side of
// issue 10 #23's last point: with a borrowed session, Mallory guesses Ann's
// login password through the pay-PIN change form (which accepts it instead
// of the old PIN). After 10 tries in a minute the form answers 429 without
// checking, even for the right password, and the PIN is unchanged.
func TestSecurityPINFormThrottlesPasswordGuesses(t *testing.T) {
	wd := newWorld(t)
	if err := wd.setPIN(wd.ann.Id, "135790"); err != nil {
		t.Fatal(err)
	}
	h := testapp.Handler(t, wd.app)
	post := func(password string) int {
		form := url.Values{"password": {password}, "new_pin": {"246802"}, "confirm": {"246802"}}
		return testapp.Do(h, http.MethodPost, "/wallet/pin", form.Encode(), map[string]string{"Cookie": testapp.SessionCookie(t, wd.ann)}).Code
	}
	for i := range 10 {
		if got := post(fmt.Sprintf("guess-%02d-password", i)); got != http.StatusBadRequest {
			t.Fatalf("guess %d: %d, want 400", i, got)
		}
	}
	if got := post(testapp.DefaultPassword); got != http.StatusTooManyRequests {
		t.Fatalf("the 11th try in a minute: %d, want 429", got)
	}
	if err := wd.w.CheckPIN(wd.ann.Id, "135790"); err != nil {
		t.Fatalf("the PIN changed: %v", err)
	}
	if err := wd.w.ChangePIN(wd.ann.Id, "", testapp.DefaultPassword, "246802"); problemKey(err) != "errors.too_many" {
		t.Fatalf("ChangePIN by password while throttled: %v", err)
	}
	// The old PIN still proves the member (its own lock counts those tries).
	if err := wd.w.ChangePIN(wd.ann.Id, "135790", "", "246802"); err != nil {
		t.Fatalf("change by the old PIN: %v", err)
	}
}
