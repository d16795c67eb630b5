package chat_test

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/chat"
	"plaza/hooks/internal/testapp"
)

func TestContactCardForwardFavouriteHideAndPat(t *testing.T) {
	p := newPair(t)
	base := serve(t, p)
	ann, _, err := dial(t, base, p.ann, nil)
	if err != nil {
		t.Fatal(err)
	}
	bo, _, err := dial(t, base, p.bo, nil)
	if err != nil {
		t.Fatal(err)
	}

	// A contact card is built by the server from the member's record.
	ann.send(map[string]any{"t": "send", "id": "card-1", "c": p.conv, "kind": "card", "card": map[string]string{"type": "contact", "ref": p.ann.Id}})
	card := bo.next("msg").M
	if card.Kind != chat.MsgCard || card.Card == nil || card.Card.Type != chat.CardContact || card.Card.Sub != "ann_lee" ||
		!strings.HasPrefix(card.Card.Link, "/add/") {
		t.Fatalf("contact card: %+v %+v", card, card.Card)
	}
	// Not the card of a stranger, nor an unknown card type, nor a card
	// whose fields the client made up.
	ann.send(map[string]any{"t": "send", "id": "card-2", "c": p.conv, "kind": "card", "card": map[string]string{"type": "contact", "ref": p.cy.Id}})
	if f := ann.next("error"); f.Code != "not_found" {
		t.Fatalf("stranger's card: %+v", f)
	}
	ann.send(map[string]any{"t": "send", "id": "card-3", "c": p.conv, "kind": "card", "card": map[string]string{"type": "history", "ref": ""}})
	if f := ann.next("error"); f.Code != "bad_request" {
		t.Fatalf("client-made history card: %+v", f)
	}
	ann.send(map[string]any{"t": "send", "id": "card-4", "c": p.conv, "kind": "card", "card": map[string]string{"type": "contact", "ref": p.ann.Id, "title": "Bank"}})
	if f := ann.next("error"); f.Code != "bad_frame" && f.Code != "bad_request" {
		t.Fatalf("card with made-up fields: %+v", f)
	}

	// Bo saves Ann's text to his favourites and deletes a message for himself.
	text, err := p.svc.Send(p.ann.Id, p.conv, chat.SendInput{ClientID: "t-1", Text: "keep this recipe"})
	if err != nil {
		t.Fatal(err)
	}
	bo.send(map[string]any{"t": "fav", "c": p.conv, "mid": text.Message.ID})
	if f := bo.next("faved"); f.MID != text.Message.ID {
		t.Fatalf("faved: %+v", f)
	}
	bo.send(map[string]any{"t": "fav", "c": p.conv, "mid": text.Message.ID}) // twice: kept once
	bo.next("faved")
	if n, _ := p.app.CountRecords(chat.FavouritesCollection); n != 1 {
		t.Fatalf("%d favourites, want 1", n)
	}
	h := testapp.Handler(t, p.app)
	page := testapp.Do(h, http.MethodGet, "/me/favourites", "", map[string]string{"Cookie": testapp.SessionCookie(t, p.bo)})
	if page.Code != http.StatusOK || !strings.Contains(page.Body.String(), "keep this recipe") {
		t.Fatalf("favourites page: %d", page.Code)
	}
	if page := testapp.Do(h, http.MethodGet, "/me/favourites", "", map[string]string{"Cookie": testapp.SessionCookie(t, p.cy)}); strings.Contains(page.Body.String(), "keep this recipe") {
		t.Fatal("Cy sees Bo's favourites")
	}

	bo.send(map[string]any{"t": "hide", "c": p.conv, "mid": card.ID})
	if f := bo.next("hidden"); f.MID != card.ID {
		t.Fatalf("hidden: %+v", f)
	}
	boMsgs, _ := chat.Messages(p.app, p.bo.Id, p.conv, 0, 0, 100)
	annMsgs, _ := chat.Messages(p.app, p.ann.Id, p.conv, 0, 0, 100)
	if len(boMsgs) != len(annMsgs)-1 {
		t.Fatalf("delete for me: Bo has %d messages, Ann %d", len(boMsgs), len(annMsgs))
	}
	// Cy cannot hide, save or pat in a chat he is not in.
	cy, _, err := dial(t, base, p.cy, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []map[string]any{
		{"t": "hide", "c": p.conv, "mid": text.Message.ID},
		{"t": "fav", "c": p.conv, "mid": text.Message.ID},
		{"t": "pat", "c": p.conv, "who": p.ann.Id},
	} {
		cy.send(f)
		if e := cy.next("error"); e.Code != "not_found" {
			t.Fatalf("outsider %v: %+v", f["t"], e)
		}
	}

	// Bo pats Ann: everyone sees the notice, with Ann's pat suffix.
	annRec, _ := p.app.FindRecordById("users", p.ann.Id)
	annRec.Set("pat_suffix", "'s shoulder")
	if err := p.app.Save(annRec); err != nil {
		t.Fatal(err)
	}
	bo.send(map[string]any{"t": "pat", "c": p.conv, "who": p.ann.Id})
	m := ann.next("msg").M
	for m.Kind != chat.MsgSystem { // skip the messages before it
		m = ann.next("msg").M
	}
	if m.Text != "pat:"+p.bo.Id+":"+p.ann.Id+":'s shoulder" {
		t.Fatalf("pat notice: %+v", m)
	}

	// Forwarding: Bo forwards Ann's text and picture to his chat with Cy,
	// one by one; the picture is copied into that chat's own media.
	befriend(t, p.app, p.bo, p.cy)
	toCy, err := chat.OpenDirect(p.app, p.bo.Id, p.cy.Id)
	if err != nil {
		t.Fatal(err)
	}
	img := upload(t, base, p.ann, p.conv, "img-f", "cat.png", pngBytes(t, 64, 64))
	n, err := p.svc.Forward(p.bo.Id, chat.ForwardInput{From: p.conv, Messages: []string{text.Message.ID, img.MID}, To: []string{toCy}, Token: "tok1"})
	if err != nil || n != 2 {
		t.Fatalf("forward: %d %v", n, err)
	}
	cyMsgs, _ := chat.Messages(p.app, p.cy.Id, toCy, 0, 0, 100)
	if len(cyMsgs) != 2 || cyMsgs[0].Text != "keep this recipe" || cyMsgs[1].Media == nil || cyMsgs[1].Media.ID == img.M.Media.ID {
		t.Fatalf("forwarded: %+v", cyMsgs)
	}
	if r := get(t, base+"/media/"+cyMsgs[1].Media.ID, p.cy); r.StatusCode != http.StatusFound {
		t.Fatalf("Cy opens the forwarded picture: %d", r.StatusCode)
	}
	if r := get(t, base+"/media/"+img.M.Media.ID, p.cy); r.StatusCode != http.StatusNotFound {
		t.Fatalf("Cy opens the original picture: %d", r.StatusCode)
	}
	// The same form again sends nothing new.
	if _, err := p.svc.Forward(p.bo.Id, chat.ForwardInput{From: p.conv, Messages: []string{text.Message.ID, img.MID}, To: []string{toCy}, Token: "tok1"}); err != nil {
		t.Fatal(err)
	}
	if again, _ := chat.Messages(p.app, p.cy.Id, toCy, 0, 0, 100); len(again) != 2 {
		t.Fatalf("a resubmitted forward sent %d messages", len(again)-2)
	}
	// Merged: one chat-history card, opened on its own page.
	form := url.Values{"m": {text.Message.ID, img.MID}, "to": {toCy}, "mode": {"merged"}, "token": {"tok2"}}
	res := testapp.Do(h, http.MethodPost, "/chats/"+p.conv+"/forward", form.Encode(), map[string]string{"Cookie": testapp.SessionCookie(t, p.bo)})
	if res.Code != http.StatusSeeOther && res.Code != http.StatusFound {
		t.Fatalf("merged forward: %d %s", res.Code, res.Body.String())
	}
	merged, _ := chat.Messages(p.app, p.cy.Id, toCy, 2, 0, 100)
	if len(merged) != 1 || merged[0].Card == nil || merged[0].Card.Type != chat.CardHistory || len(merged[0].Card.Items) != 2 {
		t.Fatalf("merged: %+v", merged)
	}
	hist := testapp.Do(h, http.MethodGet, "/chats/"+toCy+"/cards/"+merged[0].ID, "", map[string]string{"Cookie": testapp.SessionCookie(t, p.cy)})
	if hist.Code != http.StatusOK || !strings.Contains(hist.Body.String(), "keep this recipe") {
		t.Fatalf("history page: %d", hist.Code)
	}
	if hist := testapp.Do(h, http.MethodGet, "/chats/"+toCy+"/cards/"+merged[0].ID, "", map[string]string{"Cookie": testapp.SessionCookie(t, p.ann)}); hist.Code != http.StatusNotFound {
		t.Fatalf("Ann opens a card of a chat she is not in: %d", hist.Code)
	}
	// Cy cannot forward from a chat he is not in, or into one.
	if _, err := p.svc.Forward(p.cy.Id, chat.ForwardInput{From: p.conv, Messages: []string{text.Message.ID}, To: []string{toCy}, Token: "x"}); !isStatus(err, http.StatusNotFound) {
		t.Fatalf("outsider forward from: %v", err)
	}
	if _, err := p.svc.Forward(p.bo.Id, chat.ForwardInput{From: toCy, Messages: []string{merged[0].ID}, To: []string{p.conv + "x"}, Token: "y"}); !isStatus(err, http.StatusNotFound) {
		t.Fatalf("forward into a foreign chat: %v", err)
	}
}

// TestSendInTx: a message stored inside another module's transaction
// commits with it, or not at all (no sequence number is used up).
func TestSendInTx(t *testing.T) {
	p := newPair(t)
	card := chat.SendInput{ClientID: "tx-1", Kind: chat.MsgCard, Card: &chat.CardRequest{Type: chat.CardContact, Ref: p.ann.Id}}
	errRollback := errors.New("the caller's own write failed")
	err := p.app.RunInTransaction(func(txApp core.App) error {
		if _, err := p.svc.SendInTx(txApp, p.ann.Id, p.conv, card); err != nil {
			return err
		}
		return errRollback
	})
	if !errors.Is(err, errRollback) {
		t.Fatal(err)
	}
	if msgs, _ := chat.Messages(p.app, p.bo.Id, p.conv, 0, 0, 10); len(msgs) != 0 {
		t.Fatalf("a rolled-back transaction left %d messages", len(msgs))
	}
	var res chat.SendResult
	err = p.app.RunInTransaction(func(txApp core.App) error {
		var err error
		res, err = p.svc.SendInTx(txApp, p.ann.Id, p.conv, card)
		return err
	})
	if err != nil || res.Message.Seq != 1 || res.Message.Card == nil {
		t.Fatalf("send in a transaction: %+v %v", res, err)
	}
	p.svc.Announce(p.conv, res)
	// Outsiders are refused inside transactions too.
	err = p.app.RunInTransaction(func(txApp core.App) error {
		_, err := p.svc.SendInTx(txApp, p.cy.Id, p.conv, chat.SendInput{ClientID: "x", Text: "hi"})
		return err
	})
	if !isStatus(err, http.StatusNotFound) {
		t.Fatalf("outsider in a transaction: %v", err)
	}
}
