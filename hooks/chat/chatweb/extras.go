package chatweb

import (
	"fmt"
	"net/http"
	"time"

	"github.com/a-h/templ"
	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/accounts"
	"plaza/hooks/accounts/accountsweb"
	"plaza/hooks/chat"
	"plaza/hooks/problem"
	"plaza/hooks/web"
	views "plaza/views/chat"
	"plaza/views/layout"
)

// cardLabels are every registered card type's label in the viewer's
// language.
func (s *site) cardLabels(e *core.RequestEvent) map[string]string {
	out := map[string]string{}
	for t, key := range s.Registry().CardLabels() {
		out[t] = web.T(e, key)
	}
	return out
}

// cardLabel names a card type for people (an unknown type gets a generic
// label).
func (s *site) cardLabel(e *core.RequestEvent, cardType string) string {
	if t, ok := s.Registry().Card(cardType); ok {
		return web.T(e, t.Label)
	}
	return web.T(e, "chat.card_generic")
}

// cardPreview is the chat-list line of a card.
func (s *site) cardPreview(e *core.RequestEvent, cardType, title string) string {
	if t, ok := s.Registry().Card(cardType); ok && t.Preview != "" {
		return web.T(e, t.Preview, map[string]any{"title": title})
	}
	return web.T(e, "chat.preview_card", map[string]any{"title": title})
}

// mediaView is a message's picture or file as the views show it.
func mediaView(a *chat.Attachment) *views.Media {
	if a == nil {
		return nil
	}
	return &views.Media{ID: a.ID, Name: a.Name, Size: HumanSize(a.Size), W: a.W, H: a.H}
}

// cardView is a message's card as the viewer sees it, with its state.
func (s *site) cardView(e *core.RequestEvent, convID string, m chat.Message) *views.Card {
	if m.Card == nil {
		return nil
	}
	c := &views.Card{Type: m.Card.Type, Label: s.cardLabel(e, m.Card.Type), Title: m.Card.Title, Sub: m.Card.Sub, Image: m.Card.Image, Link: m.Card.Link}
	if c.Type == chat.CardContact && c.Image == "" {
		c.Initial = string([]rune(c.Title + "?")[0])
	}
	if c.Ref = m.Card.Ref; c.Ref != "" {
		if c.State = s.CardState(web.Member(e).Id, c.Type, c.Ref); c.State != "" {
			c.StateText = web.T(e, "chat.card_state_"+c.State)
		}
	}
	if c.Type == chat.CardHistory {
		c.Title = web.T(e, "chat.history_of", map[string]any{"names": m.Card.Title})
		c.Link = "/chats/" + convID + "/cards/" + m.ID
	}
	return c
}

// HumanSize is a byte count for people: "820 B", "14 KB", "2.4 MB".
func HumanSize(n int64) string {
	switch {
	case n < 1000:
		return fmt.Sprintf("%d B", n)
	case n < 1000_000:
		return fmt.Sprintf("%d KB", (n+500)/1000)
	case n < 10_000_000:
		return fmt.Sprintf("%d.%d MB", n/1000_000, n%1000_000/100_000)
	default:
		return fmt.Sprintf("%d MB", (n+500_000)/1000_000)
	}
}

// forwardPage (GET /chats/{id}/forward?m=<id>&m=…) picks where to forward.
func (s *site) forwardPage(e *core.RequestEvent) error {
	convID := e.Request.PathValue("id")
	ids := e.Request.URL.Query()["m"]
	if len(ids) == 0 || len(ids) > chat.ForwardMessagesMax {
		return problem.New(http.StatusBadRequest, "errors.bad_request")
	}
	for _, id := range ids {
		if _, err := s.VisibleMessage(e.Auth.Id, convID, id); err != nil {
			return err
		}
	}
	return s.renderForward(e, http.StatusOK, views.Forward{From: convID, Messages: ids, Count: len(ids), Token: core.GenerateDefaultRandomId()})
}

func (s *site) renderForward(e *core.RequestEvent, status int, m views.Forward) error {
	return s.render(e, status, m.From, layout.FocusDetail, func(rows []views.Row) templ.Component {
		for _, r := range rows {
			m.Chats = append(m.Chats, views.Pick{ID: r.ID, Label: r.Title, AvatarURL: r.AvatarURL, Initial: r.Initial})
		}
		return views.ForwardPage(m)
	})
}

// forward (POST /chats/{id}/forward) sends the copies and opens the first
// chat they went to.
func (s *site) forward(e *core.RequestEvent) error {
	if err := e.Request.ParseForm(); err != nil {
		return problem.New(http.StatusBadRequest, "errors.bad_request")
	}
	f := e.Request.PostForm
	in := chat.ForwardInput{From: e.Request.PathValue("id"), Messages: f["m"], To: f["to"], Merged: f.Get("mode") == "merged", Token: f.Get("token")}
	_, err := s.Forward(e.Auth.Id, in)
	if p, ok := problem.As(err); ok && p.Status != http.StatusNotFound {
		msg := web.ProblemMessage(e, p)
		if msg == "" && len(p.Fields) > 0 {
			msg = web.FieldErrors(e, p)[0].Message
		}
		return s.renderForward(e, p.Status, views.Forward{From: in.From, Messages: in.Messages, Count: len(in.Messages), Token: in.Token, Error: msg})
	} else if err != nil {
		return err
	}
	return web.Redirect(e, "/chats/"+in.To[0])
}

// historyPage (GET /chats/{id}/cards/{mid}) opens a merged forward.
func (s *site) historyPage(e *core.RequestEvent) error {
	convID := e.Request.PathValue("id")
	m, err := s.VisibleMessage(e.Auth.Id, convID, e.Request.PathValue("mid"))
	if err != nil {
		return err
	}
	if m.Card == nil || m.Card.Type != chat.CardHistory {
		return chat.NotFound()
	}
	h := views.History{Title: web.T(e, "chat.history_of", map[string]any{"names": m.Card.Title})}
	for _, it := range m.Card.Items {
		text := it.Text
		if it.Kind == chat.MsgImage {
			text = web.T(e, "chat.preview_image")
		}
		h.Items = append(h.Items, views.HistoryItem{Sender: it.Sender, Text: text, At: it.At})
	}
	return s.render(e, http.StatusOK, convID, layout.FocusDetail, func([]views.Row) templ.Component { return views.HistoryPage(h) })
}

// favouritesPage (GET /me/favourites) lists the member's saved messages.
func (s *site) favouritesPage(e *core.RequestEvent) error {
	saved, err := s.Favourites(e.Auth.Id)
	if err != nil {
		return err
	}
	items := make([]views.Favourite, 0, len(saved))
	for _, r := range saved {
		f := views.Favourite{ID: r.ID, Sender: r.Sender, Kind: r.Kind, Text: r.Text,
			Media: mediaView(r.Media), At: r.At.Format(time.RFC3339), FileURL: "/favourites/" + r.ID + "/file"}
		if r.Card != nil {
			f.Card = &views.Card{Type: r.Card.Type, Label: s.cardLabel(e, r.Card.Type), Title: r.Card.Title, Link: r.Card.Link}
			if r.Card.Type == chat.CardHistory {
				f.Card.Title = web.T(e, "chat.history_of", map[string]any{"names": r.Card.Title})
				f.Card.Link = ""
			}
		}
		items = append(items, f)
	}
	shell := accountsweb.ShellFor(e, web.T(e, "chat.favourites"), layout.TabMe, layout.FocusDetail, "/me")
	return web.Render(e, http.StatusOK, layout.AppShell(shell, accountsweb.MenuFor(e, "favourites"), views.FavouritesPage(items)))
}

// deleteFavourite (POST /me/favourites/{id}/delete).
func (s *site) deleteFavourite(e *core.RequestEvent) error {
	if err := s.DeleteFavourite(e.Auth.Id, e.Request.PathValue("id")); err != nil {
		return err
	}
	return web.Redirect(e, "/me/favourites")
}

// favouriteFile (GET /favourites/{id}/file) opens a saved picture or file
// through PocketBase with a fresh file token, like chat media.
func (s *site) favouriteFile(e *core.RequestEvent) error {
	r, err := s.OwnFavourite(e.Auth.Id, e.Request.PathValue("id"))
	if err != nil {
		return err
	}
	if r.GetString("file") == "" {
		return chat.NotFound()
	}
	return redirectToFile(e, r, "file")
}

// contactCardPage (GET /chats/{id}/contact-card) picks a friend whose card
// to send into the views.
func (s *site) contactCardPage(e *core.RequestEvent) error {
	convID := e.Request.PathValue("id")
	if _, err := chat.MembershipOf(s.app, e.Auth.Id, convID); err != nil {
		return err
	}
	return s.renderCardPick(e, http.StatusOK, convID, "")
}

func (s *site) renderCardPick(e *core.RequestEvent, status int, convID, flash string) error {
	friends, err := s.friendsToPick(e, nil)
	if err != nil {
		return err
	}
	m := views.CardPick{Conv: convID, Token: core.GenerateDefaultRandomId(), Friends: friends, Error: flash}
	return s.render(e, status, convID, layout.FocusDetail, func([]views.Row) templ.Component { return views.CardPickPage(m) })
}

// sendContactCard (POST /chats/{id}/contact-card) sends the picked card.
func (s *site) sendContactCard(e *core.RequestEvent) error {
	convID := e.Request.PathValue("id")
	_, err := s.Send(e.Auth.Id, convID, chat.SendInput{ClientID: "card:" + e.Request.FormValue("token"), Kind: chat.MsgCard,
		Card: &chat.CardRequest{Type: chat.CardContact, Ref: e.Request.FormValue("member")}})
	if p, ok := problem.As(err); ok && p.Status != http.StatusNotFound {
		return s.renderCardPick(e, p.Status, convID, web.ProblemMessage(e, p))
	} else if err != nil {
		return err
	}
	return web.Redirect(e, "/chats/"+convID)
}

// ackAnnouncement (POST /chats/{id}/announcement/read): "Got it".
func (s *site) ackAnnouncement(e *core.RequestEvent) error {
	convID := e.Request.PathValue("id")
	if err := s.MarkAnnouncementRead(e.Auth.Id, convID); err != nil {
		return err
	}
	return web.Redirect(e, "/chats/"+convID)
}

// saveApproval (POST /chats/{id}/approval): the owner's switch.
func (s *site) saveApproval(e *core.RequestEvent) error {
	return s.afterManage(e, s.SetInviteApproval(e.Auth.Id, e.Request.PathValue("id"), e.Request.FormValue("on") == "1"))
}

// decideRequest approves or declines a waiting request.
func (s *site) decideRequest(approve bool) func(*core.RequestEvent) error {
	return func(e *core.RequestEvent) error {
		return s.afterManage(e, s.DecideJoin(e.Auth.Id, e.Request.PathValue("id"), e.Request.PathValue("rid"), approve))
	}
}

// adminInfo adds what only the owner and admins see to the info page:
// waiting requests and who has read the announcement.
func (s *site) adminInfo(e *core.RequestEvent, info *views.Info, people map[string]views.Person) error {
	reqs, err := chat.JoinRequests(s.app, e.Auth.Id, info.ID)
	if err != nil {
		return err
	}
	var ids []string
	for _, r := range reqs {
		ids = append(ids, r.Inviter, r.Invitee)
	}
	names, err := accounts.Names(s.app, ids)
	if err != nil {
		return fmt.Errorf("load requesters: %w", err)
	}
	for _, r := range reqs {
		info.Requests = append(info.Requests, views.InfoRequest{ID: r.ID, Inviter: names[r.Inviter], Invitee: names[r.Invitee], Self: r.Inviter == r.Invitee})
	}
	read, total, err := chat.AnnouncementReaders(s.app, e.Auth.Id, info.ID)
	if err != nil {
		return err
	}
	info.AnnouncementMembers = total
	for _, id := range read {
		info.AnnouncementRead = append(info.AnnouncementRead, people[id].Name)
	}
	return nil
}
