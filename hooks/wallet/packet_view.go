package wallet

import (
	"fmt"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/tools/types"

	"plaza/hooks/chat"
)

// PacketView is a packet with its claims, for whoever may see it.
type PacketView struct {
	Packet
	Claims   []Claim `json:"claims"`
	Luckiest string  `json:"luckiest,omitempty"` // member id, once a lucky packet of several shares is finished
	Mine     *Claim  `json:"mine"`               // the viewer's claim (null before they open it)
}

// PacketFor returns the packet and its claims to a member of its chat (or
// its sender).
func (w *Wallet) PacketFor(memberID, id string) (PacketView, error) {
	p, err := loadPacket(w.app, id)
	if err != nil {
		return PacketView{}, err
	}
	if p.Sender != memberID {
		in, err := chat.IsMember(w.app, memberID, p.Conversation)
		if err != nil {
			return PacketView{}, err
		}
		if !in {
			return PacketView{}, notFound()
		}
	}
	v := PacketView{Packet: p.public()}
	if err := w.app.DB().NewQuery(`SELECT member, position, amount, created FROM red_packet_claims WHERE packet = {:p} ORDER BY position`).
		Bind(dbx.Params{"p": id}).All(&v.Claims); err != nil {
		return v, fmt.Errorf("load claims: %w", err)
	}
	var best int64 = -1
	for i := range v.Claims {
		c := &v.Claims[i]
		c.At, _ = time.Parse(types.DefaultDateLayout, c.AtRaw)
		if c.Amount > best {
			best, v.Luckiest = c.Amount, c.Member
		}
		if c.Member == memberID {
			v.Mine = c
		}
	}
	if p.State != PacketFinished || p.Kind != PacketLucky || p.Count < 2 {
		v.Luckiest = ""
	}
	return v, nil
}

// What a member can do with a red packet they look at (PacketOpenable).
const (
	PacketClaimed    = "claimed"     // they opened it: their share shows
	PacketWaiting    = "waiting"     // its sender, in a 1:1 chat: the other opens it
	PacketForOther   = "for_other"   // an exclusive packet for someone else
	PacketHasExpired = "has_expired" // its time is up (refunded, or about to be)
	PacketAllTaken   = "all_taken"   // every share is claimed
	PacketCanOpen    = "can_open"
)

// PacketOpenable tells what viewerID can do with the packet v (PacketFor's
// answer): the rules ClaimPacket applies, in the order the page explains
// them.
func (w *Wallet) PacketOpenable(viewerID string, v PacketView) (string, error) {
	kind, err := chat.KindOf(w.app, v.Conversation) // "" when the chat is gone
	if err != nil {
		return "", err
	}
	expired := v.State == PacketExpired || (v.State == PacketOpen && !w.Now().Before(v.Expires))
	switch {
	case v.Mine != nil:
		return PacketClaimed, nil
	case kind == chat.KindDirect && v.Sender == viewerID:
		return PacketWaiting, nil
	case v.Kind == PacketExclusive && v.Target != viewerID:
		return PacketForOther, nil
	case expired:
		return PacketHasExpired, nil
	case v.State == PacketFinished:
		return PacketAllTaken, nil
	}
	return PacketCanOpen, nil
}
