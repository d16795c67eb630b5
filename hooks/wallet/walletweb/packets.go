package walletweb

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/a-h/templ"
	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/problem"
	"plaza/hooks/wallet"
	"plaza/hooks/web"
	"plaza/views/layout"
	views "plaza/views/wallet"
)

// Red packets: the send form, a packet's page and opening it.

func (h pages) packetForm(e *core.RequestEvent) (views.PacketForm, error) {
	conv := e.Request.URL.Query().Get("c")
	c, err := h.w.PacketChatFor(e.Auth.Id, conv)
	if err != nil {
		return views.PacketForm{}, err
	}
	f := views.PacketForm{PayFields: h.payFields(e, e.Request.FormValue("key")), Conv: conv, Group: c.Group,
		Members: c.Members, Kind: wallet.PacketLucky, Balance: h.balanceText(e)}
	for _, id := range c.Others {
		f.Targets = append(f.Targets, views.Option{Value: id, Label: h.w.MemberName(id), Selected: id == e.Request.FormValue("target")})
	}
	return f, nil
}

func (h pages) sendPacket(e *core.RequestEvent) error {
	f, err := h.packetForm(e)
	if err != nil {
		return err
	}
	f.Kind, f.Count, f.Amount, f.Greeting = e.Request.FormValue("kind"), e.Request.FormValue("count"), e.Request.FormValue("amount"), e.Request.FormValue("greeting")
	in := wallet.PacketInput{Conversation: f.Conv, Kind: f.Kind, Greeting: strings.TrimSpace(f.Greeting), Target: e.Request.FormValue("target")}
	if in.Greeting == "" {
		in.Greeting = web.T(e, "wallet.greeting_default")
	}
	if in.Kind == wallet.PacketExclusive && in.Target == "" {
		err = problem.Invalid("target", "wallet.packet_target", nil)
	} else if in.Count, err = strconv.Atoi(strings.TrimSpace(f.Count)); err != nil && in.Kind != wallet.PacketExclusive {
		err = problem.Invalid("count", "wallet.packet_count", map[string]any{"max": f.Members})
	} else if in.Amount, err = parseAmount("amount", f.Amount); err == nil {
		_, err = h.w.SendPacket(e.Auth.Id, f.Key, in, wallet.WithPIN(e.Request.FormValue("pin")))
	}
	if err == nil {
		return web.Redirect(e, "/chats/"+f.Conv)
	}
	return h.refuseForm(e, err, web.T(e, "wallet.send_packet"), func(flash layout.Flash, errs []layout.FieldError) templ.Component {
		f.Flash, f.Errors = flash, errs
		return views.PacketPage(f)
	})
}

func (h pages) packetDetail(e *core.RequestEvent) error {
	return h.renderPacket(e, http.StatusOK, e.Request.PathValue("id"), layout.Flash{})
}

// packetNotes are what a packet's page says when its viewer cannot open it.
var packetNotes = map[string]string{
	wallet.PacketWaiting:    "wallet.packet_waiting",
	wallet.PacketHasExpired: "wallet.packet_expired",
	wallet.PacketAllTaken:   "wallet.packet_empty",
}

func (h pages) renderPacket(e *core.RequestEvent, status int, id string, flash layout.Flash) error {
	p, err := h.w.PacketFor(e.Auth.Id, id)
	if err != nil {
		return err
	}
	v := views.PacketView{ID: p.ID, Greeting: p.Greeting, From: h.w.MemberName(p.Sender), Kind: p.Kind, State: p.State,
		Total: h.w.Money(p.Total), Count: p.Count, Claimed: p.ClaimedCount, Commitment: p.Commitment, Seed: p.Seed, Conv: p.Conversation, Flash: flash}
	if p.Mine != nil {
		v.Mine = h.w.Money(p.Mine.Amount)
	}
	can, err := h.w.PacketOpenable(e.Auth.Id, p)
	if err != nil {
		return err
	}
	switch can {
	case wallet.PacketCanOpen:
		v.CanOpen = true
	case wallet.PacketForOther:
		v.Note = web.T(e, "wallet.packet_for_name", map[string]any{"name": h.w.MemberName(p.Target)})
	default:
		if key := packetNotes[can]; key != "" {
			v.Note = web.T(e, key)
		}
	}
	for _, c := range p.Claims {
		v.Claims = append(v.Claims, views.ClaimRow{Name: h.w.MemberName(c.Member), Amount: h.w.Money(c.Amount),
			At: c.At.Format(time.RFC3339), Luckiest: c.Member == p.Luckiest})
	}
	return h.render(e, status, web.T(e, "wallet.card_packet"), views.PacketDetail(v))
}

func (h pages) openPacket(e *core.RequestEvent) error {
	id := e.Request.PathValue("id")
	_, err := h.w.ClaimPacket(e.Auth.Id, id)
	if p, ok := problem.As(err); ok && p.Status != http.StatusNotFound {
		return h.renderPacket(e, p.Status, id, layout.Flash{Kind: "error", Message: web.ProblemMessage(e, p)})
	}
	if err != nil {
		return err
	}
	return web.Redirect(e, "/wallet/packets/"+id)
}
