package chat_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"plaza/hooks/chat"
	"plaza/hooks/contacts"
	"plaza/hooks/internal/testapp"
)

// TestSecurityBlockCutsEveryDoor is the attacker's side of issue 10 #20:
// Ann blocks Bo (they stay listed as friends, as in WeChat). Bo then tries
// every door to Ann: a message, a reaction and a pat in their 1:1 chat, a
// pat in a group they share, a new group with Ann in it, an invitation of
// Ann into his group, Ann's contact card (sent or forwarded, by him or
// shown to him by a friend), typing, presence and read receipts. Every one
// is shut, and the block works both ways: Ann cannot pull Bo into a new
// group either. Moments will ask the same rule (contacts.Cut).
func TestSecurityBlockCutsEveryDoor(t *testing.T) {
	p := newPair(t) // Ann and Bo are friends; Cy is a stranger to both
	befriend(t, p.app, p.ann, p.cy)
	befriend(t, p.app, p.bo, p.cy)
	dee := testapp.CreateMember(t, p.app, "dee_doe")
	befriend(t, p.app, p.bo, dee)
	befriend(t, p.app, p.ann, dee)
	boCy, err := chat.OpenDirect(p.app, p.bo.Id, p.cy.Id)
	if err != nil {
		t.Fatal(err)
	}
	group, err := p.svc.CreateGroup(p.cy.Id, "Shared", []string{p.ann.Id, p.bo.Id})
	if err != nil {
		t.Fatal(err)
	}
	hello, err := p.svc.Send(p.ann.Id, p.conv, chat.SendInput{ClientID: "before", Text: "hello"})
	if err != nil {
		t.Fatal(err)
	}
	// Cy shares Ann's card with Bo while nobody has blocked anybody.
	annCard, err := p.svc.Send(p.cy.Id, boCy, chat.SendInput{ClientID: "card-before", Kind: chat.MsgCard, Card: &chat.CardRequest{Type: chat.CardContact, Ref: p.ann.Id}})
	if err != nil {
		t.Fatal(err)
	}
	setFlag(t, p, p.bo, "read_receipts", true)

	base := serve(t, p)
	ann, _, err := dial(t, base, p.ann, nil)
	if err != nil {
		t.Fatal(err)
	}
	waitOnline(t, p, p.ann.Id)

	if err := contacts.Block(p.app, p.ann, p.bo.Id); err != nil {
		t.Fatal(err)
	}

	refused := func(what string, err error) {
		t.Helper()
		if !isStatus(err, http.StatusForbidden) && !isStatus(err, http.StatusNotFound) && !isStatus(err, http.StatusBadRequest) {
			t.Errorf("%s: not refused (%v)", what, err)
		}
	}
	_, err = p.svc.Send(p.bo.Id, p.conv, chat.SendInput{ClientID: "after", Text: "are you there?"})
	refused("message in the 1:1 chat", err)
	_, err = p.svc.React(p.bo.Id, p.conv, hello.Message.ID, chat.Reactions[0])
	refused("reaction in the 1:1 chat", err)
	refused("pat in the 1:1 chat", p.svc.Pat(p.bo.Id, p.conv, p.ann.Id))
	refused("pat in a shared group", p.svc.Pat(p.bo.Id, group, p.ann.Id))
	_, err = p.svc.CreateGroup(p.bo.Id, "Trap", []string{p.ann.Id, p.cy.Id})
	refused("new group with the blocker", err)
	_, err = p.svc.CreateGroup(p.ann.Id, "Other way", []string{p.bo.Id, p.cy.Id})
	refused("new group of the blocker with the blocked", err)
	own, err := p.svc.CreateGroup(p.bo.Id, "Bo's", []string{p.cy.Id, dee.Id})
	if err != nil {
		t.Fatal(err)
	}
	refused("invitation of the blocker", p.svc.Invite(p.bo.Id, own, []string{p.ann.Id}))
	_, err = p.svc.Send(p.bo.Id, boCy, chat.SendInput{ClientID: "card-b", Kind: chat.MsgCard, Card: &chat.CardRequest{Type: chat.CardContact, Ref: p.ann.Id}})
	refused("the blocker's card sent by the blocked", err)
	_, err = p.svc.Send(p.cy.Id, boCy, chat.SendInput{ClientID: "card-c", Kind: chat.MsgCard, Card: &chat.CardRequest{Type: chat.CardContact, Ref: p.ann.Id}})
	refused("the blocker's card shown to the blocked", err)
	_, err = p.svc.Forward(p.bo.Id, chat.ForwardInput{From: boCy, Messages: []string{annCard.Message.ID}, To: []string{own}, Token: "fwd-card"})
	refused("the blocker's card forwarded by the blocked", err)
	if n, err := memberCount(p, own, p.ann.Id); err != nil || n != 0 {
		t.Errorf("Ann is in Bo's group (%d, %v)", n, err)
	}
	// Cy, who blocked no one, still pats Ann in the group.
	if err := p.svc.Pat(p.cy.Id, group, p.ann.Id); err != nil {
		t.Errorf("an unrelated pat was refused: %v", err)
	}

	// Signals: Bo comes online, types and reads; Ann hears none of it.
	bo, _, err := dial(t, base, p.bo, nil)
	if err != nil {
		t.Fatal(err)
	}
	waitOnline(t, p, p.bo.Id)
	bo.send(chat.Frame{T: "typing", C: p.conv})
	bo.send(chat.Frame{T: "read", C: p.conv, Seq: hello.Message.Seq})
	bo.next("read")
	time.Sleep(200 * time.Millisecond)
	ann.send(chat.Frame{T: "ping"})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for {
		_, data, err := ann.conn.Read(ctx)
		if err != nil {
			t.Fatalf("waiting for pong: %v", err)
		}
		var f chat.Frame
		_ = json.Unmarshal(data, &f)
		if (f.T == "presence" || f.T == "typing") && f.From == p.bo.Id || f.T == "seen" || f.T == "reactions" {
			t.Errorf("Ann heard %s from the member she blocked: %s", f.T, data)
		}
		if f.T == "pong" {
			break
		}
	}
	if got := p.svc.ReadBy(p.ann.Id, p.conv); got != 0 {
		t.Errorf("Ann sees how far Bo read: %d", got)
	}
	if online, seen := p.svc.PresenceFor(p.bo.Id, p.ann.Id); online || !seen.IsZero() {
		t.Errorf("Bo sees Ann's presence: %v %v", online, seen)
	}
}

func memberCount(p *pair, convID, memberID string) (int, error) {
	var n int
	err := p.app.DB().NewQuery("SELECT COUNT(*) FROM conversation_members WHERE conversation = {:c} AND member = {:m}").
		Bind(map[string]any{"c": convID, "m": memberID}).Row(&n)
	return n, err
}
