package main

import (
	"context"
	"testing"
)

// TestOAWatch feeds (f)'s frame checks what a faulty server could do: a
// broadcast reaching a member who follows nobody, a frame of no broadcast
// of the run, a card in another chat, and the same broadcast twice.
func TestOAWatch(t *testing.T) {
	col := newCollector()
	pctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	p := &wsPool{col: col, ctx: pctx, cancel: cancel}
	p.oa.Store(&oaWatch{serviceChats: []string{"chat0", "chat1"}})
	follower := &sock{idx: 0, member: 1, pool: p}
	stranger := &sock{idx: 1, member: 5, pool: p}
	sub := col.newRound(oaSubscriptionKey("News: 1"), newAudience([]int{0}))
	card := col.newRound(oaCardKey("art1"), newAudience([]int{0}))
	cardFrame := func(conv, ref string) *inFrame {
		f := &inFrame{T: "msg", M: &inMsg{C: conv, Kind: "card"}}
		f.M.Card = &struct {
			Type string `json:"type"`
			Ref  string `json:"ref"`
		}{Type: "oa_article", Ref: ref}
		return f
	}

	follower.oaSubscriptions("News: 1", 10, "test")
	follower.oaCard(cardFrame("chat1", "art1"), 12, "test")
	if sub.got.Load() != 1 || card.got.Load() != 1 || !col.integrity().OK() {
		t.Fatalf("a clean delivery: got %d, %d; %+v", sub.got.Load(), card.got.Load(), col.integrity())
	}
	follower.oaSubscriptions("News: 1", 13, "test")         // twice
	stranger.oaSubscriptions("News: 1", 14, "test")         // not a follower
	follower.oaSubscriptions("News: 2", 15, "test")         // no such broadcast
	follower.oaCard(cardFrame("chat0", "art1"), 16, "test") // another member's chat
	follower.oaCard(cardFrame("chat1", "art9"), 17, "test") // no such broadcast
	if i := col.integrity(); i.Duplicated != 1 || i.Unexpected != 4 {
		t.Fatalf("integrity %+v", i)
	}
	sub.start = 4
	if a := sub.arrivals(); len(a) != 1 || a[0] != 6 {
		t.Fatalf("arrivals %v", a)
	}
}
