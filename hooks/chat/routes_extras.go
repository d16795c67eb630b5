package chat

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/a-h/templ"
	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/accounts"
	"plaza/hooks/accounts/accountsweb"
	"plaza/hooks/problem"
	"plaza/hooks/web"
	"plaza/views/chat"
	"plaza/views/layout"
)

// CardLabels are every registered card type's label in the viewer's
// language.
func CardLabels(e *core.RequestEvent) map[string]string {
	out := map[string]string{}
	for t, key := range web.Registry(e).CardLabels() {
		out[t] = web.T(e, key)
	}
	return out
}

// CardLabel names a card type for people (an unknown type gets a generic
// label).
func CardLabel(e *core.RequestEvent, cardType string) string {
	if t, ok := web.Registry(e).Card(cardType); ok {
		return web.T(e, t.Label)
	}
	return web.T(e, "chat.card_generic")
}

func mediaView(a *Attachment) *chat.Media {
	if a == nil {
		return nil
	}
	return &chat.Media{ID: a.ID, Name: a.Name, Size: HumanSize(a.Size), W: a.W, H: a.H}
}

func cardView(e *core.RequestEvent, convID string, m Message) *chat.Card {
	if m.Card == nil {
		return nil
	}
	c := &chat.Card{Type: m.Card.Type, Label: CardLabel(e, m.Card.Type), Title: m.Card.Title, Sub: m.Card.Sub, Image: m.Card.Image, Link: m.Card.Link}
	if c.Type == CardContact && c.Image == "" {
		c.Initial = string([]rune(c.Title + "?")[0])
	}
	if c.Ref = m.Card.Ref; c.Ref != "" {
		if c.State = ServiceOf(e.App).CardState(web.Member(e).Id, c.Type, c.Ref); c.State != "" {
			c.StateText = web.T(e, "chat.card_state_"+c.State)
		}
	}
	if c.Type == CardHistory {
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
func (s *Service) forwardPage(e *core.RequestEvent) error {
	convID := e.Request.PathValue("id")
	ids := e.Request.URL.Query()["m"]
	if len(ids) == 0 || len(ids) > ForwardMessagesMax {
		return problem.New(http.StatusBadRequest, "errors.bad_request")
	}
	for _, id := range ids {
		if _, _, err := visibleMessage(s.app, e.Auth.Id, convID, id); err != nil {
			return err
		}
	}
	return s.renderForward(e, http.StatusOK, chat.Forward{From: convID, Messages: ids, Count: len(ids), Token: core.GenerateDefaultRandomId()})
}

func (s *Service) renderForward(e *core.RequestEvent, status int, m chat.Forward) error {
	return s.render(e, status, m.From, layout.FocusDetail, func(rows []chat.Row) templ.Component {
		for _, r := range rows {
			m.Chats = append(m.Chats, chat.Pick{ID: r.ID, Label: r.Title, AvatarURL: r.AvatarURL, Initial: r.Initial})
		}
		return chat.ForwardPage(m)
	})
}

// forward (POST /chats/{id}/forward) sends the copies and opens the first
// chat they went to.
func (s *Service) forward(e *core.RequestEvent) error {
	if err := e.Request.ParseForm(); err != nil {
		return problem.New(http.StatusBadRequest, "errors.bad_request")
	}
	f := e.Request.PostForm
	in := ForwardInput{From: e.Request.PathValue("id"), Messages: f["m"], To: f["to"], Merged: f.Get("mode") == "merged", Token: f.Get("token")}
	_, err := s.Forward(e.Auth.Id, in)
	if p, ok := problem.As(err); ok && p.Status != http.StatusNotFound {
		msg := web.ProblemMessage(e, p)
		if msg == "" && len(p.Fields) > 0 {
			msg = web.FieldErrors(e, p)[0].Message
		}
		return s.renderForward(e, p.Status, chat.Forward{From: in.From, Messages: in.Messages, Count: len(in.Messages), Token: in.Token, Error: msg})
	} else if err != nil {
		return err
	}
	return web.Redirect(e, "/chats/"+in.To[0])
}

// historyPage (GET /chats/{id}/cards/{mid}) opens a merged forward.
func (s *Service) historyPage(e *core.RequestEvent) error {
	convID := e.Request.PathValue("id")
	r, _, err := visibleMessage(s.app, e.Auth.Id, convID, e.Request.PathValue("mid"))
	if err != nil {
		return err
	}
	m := r.message()
	if m.Card == nil || m.Card.Type != CardHistory {
		return notFound()
	}
	h := chat.History{Title: web.T(e, "chat.history_of", map[string]any{"names": m.Card.Title})}
	for _, it := range m.Card.Items {
		text := it.Text
		if it.Kind == MsgImage {
			text = web.T(e, "chat.preview_image")
		}
		h.Items = append(h.Items, chat.HistoryItem{Sender: it.Sender, Text: text, At: it.At})
	}
	return s.render(e, http.StatusOK, convID, layout.FocusDetail, func([]chat.Row) templ.Component { return chat.HistoryPage(h) })
}

// favouritesPage (GET /me/favourites) lists the member's saved messages.
func (s *Service) favouritesPage(e *core.RequestEvent) error {
	recs, err := s.app.FindRecordsByFilter(FavouritesCollection, "owner = {:o}", "-created", 200, 0, dbx.Params{"o": e.Auth.Id})
	if err != nil {
		return fmt.Errorf("load favourites: %w", err)
	}
	senders := map[string]string{}
	var ids []string
	for _, r := range recs {
		ids = append(ids, r.GetString("sender"))
	}
	users, err := s.app.FindRecordsByIds(accounts.Collection, ids)
	if err != nil {
		return fmt.Errorf("load senders: %w", err)
	}
	for _, u := range users {
		senders[u.Id] = accounts.AsMember(u).DisplayName()
	}
	items := make([]chat.Favourite, 0, len(recs))
	for _, r := range recs {
		var meta messageMeta
		_ = json.Unmarshal([]byte(r.GetString("meta")), &meta)
		f := chat.Favourite{ID: r.Id, Sender: senders[r.GetString("sender")], Kind: r.GetString("kind"), Text: r.GetString("text"),
			Media: mediaView(meta.Media), At: r.GetDateTime("created").Time().Format(time.RFC3339), FileURL: "/favourites/" + r.Id + "/file"}
		if meta.Card != nil {
			f.Card = &chat.Card{Type: meta.Card.Type, Label: CardLabel(e, meta.Card.Type), Title: meta.Card.Title, Link: meta.Card.Link}
			if meta.Card.Type == CardHistory {
				f.Card.Title = web.T(e, "chat.history_of", map[string]any{"names": meta.Card.Title})
				f.Card.Link = ""
			}
		}
		items = append(items, f)
	}
	shell := accountsweb.ShellFor(e, web.T(e, "chat.favourites"), layout.TabMe, layout.FocusDetail, "/me")
	return web.Render(e, http.StatusOK, layout.AppShell(shell, accountsweb.MenuFor(e, "favourites"), chat.FavouritesPage(items)))
}

func (s *Service) ownFavourite(e *core.RequestEvent) (*core.Record, error) {
	r, err := s.app.FindRecordById(FavouritesCollection, e.Request.PathValue("id"))
	if err != nil || r.GetString("owner") != e.Auth.Id {
		return nil, notFound()
	}
	return r, nil
}

// deleteFavourite (POST /me/favourites/{id}/delete).
func (s *Service) deleteFavourite(e *core.RequestEvent) error {
	r, err := s.ownFavourite(e)
	if err != nil {
		return err
	}
	if err := s.app.Delete(r); err != nil {
		return fmt.Errorf("delete favourite: %w", err)
	}
	return web.Redirect(e, "/me/favourites")
}

// favouriteFile (GET /favourites/{id}/file) opens a saved picture or file
// through PocketBase with a fresh file token, like chat media.
func (s *Service) favouriteFile(e *core.RequestEvent) error {
	r, err := s.ownFavourite(e)
	if err != nil {
		return err
	}
	if r.GetString("file") == "" {
		return notFound()
	}
	return redirectToFile(e, r, "file")
}

// contactCardPage (GET /chats/{id}/contact-card) picks a friend whose card
// to send into the chat.
func (s *Service) contactCardPage(e *core.RequestEvent) error {
	convID := e.Request.PathValue("id")
	if _, err := memberOf(s.app, e.Auth.Id, convID); err != nil {
		return err
	}
	return s.renderCardPick(e, http.StatusOK, convID, "")
}

func (s *Service) renderCardPick(e *core.RequestEvent, status int, convID, flash string) error {
	friends, err := s.friendsToPick(e, nil)
	if err != nil {
		return err
	}
	m := chat.CardPick{Conv: convID, Token: core.GenerateDefaultRandomId(), Friends: friends, Error: flash}
	return s.render(e, status, convID, layout.FocusDetail, func([]chat.Row) templ.Component { return chat.CardPickPage(m) })
}

// sendContactCard (POST /chats/{id}/contact-card) sends the picked card.
func (s *Service) sendContactCard(e *core.RequestEvent) error {
	convID := e.Request.PathValue("id")
	_, err := s.Send(e.Auth.Id, convID, SendInput{ClientID: "card:" + e.Request.FormValue("token"), Kind: MsgCard,
		Card: &CardRequest{Type: CardContact, Ref: e.Request.FormValue("member")}})
	if p, ok := problem.As(err); ok && p.Status != http.StatusNotFound {
		return s.renderCardPick(e, p.Status, convID, web.ProblemMessage(e, p))
	} else if err != nil {
		return err
	}
	return web.Redirect(e, "/chats/"+convID)
}

// unreadAnnouncement is the group's announcement when the member (by their
// membership row) has not acknowledged it yet, else "".
func unreadAnnouncement(app core.App, conv *core.Record, membershipID string) string {
	text := conv.GetString("announcement")
	if text == "" {
		return ""
	}
	var read int
	if err := app.DB().NewQuery("SELECT announcement_read_rev FROM conversation_members WHERE id = {:id}").
		Bind(dbx.Params{"id": membershipID}).Row(&read); err != nil || read >= conv.GetInt("announcement_rev") {
		return ""
	}
	return text
}

// ackAnnouncement (POST /chats/{id}/announcement/read): "Got it".
func (s *Service) ackAnnouncement(e *core.RequestEvent) error {
	convID := e.Request.PathValue("id")
	if err := s.MarkAnnouncementRead(e.Auth.Id, convID); err != nil {
		return err
	}
	return web.Redirect(e, "/chats/"+convID)
}

// saveApproval (POST /chats/{id}/approval): the owner's switch.
func (s *Service) saveApproval(e *core.RequestEvent) error {
	return s.afterManage(e, s.SetInviteApproval(e.Auth.Id, e.Request.PathValue("id"), e.Request.FormValue("on") == "1"))
}

// decideRequest approves or declines a waiting request.
func (s *Service) decideRequest(approve bool) func(*core.RequestEvent) error {
	return func(e *core.RequestEvent) error {
		return s.afterManage(e, s.DecideJoin(e.Auth.Id, e.Request.PathValue("id"), e.Request.PathValue("rid"), approve))
	}
}

// adminInfo adds what only the owner and admins see to the info page:
// waiting requests and who has read the announcement.
func (s *Service) adminInfo(e *core.RequestEvent, info *chat.Info, people map[string]chat.Person) error {
	reqs, err := JoinRequests(s.app, e.Auth.Id, info.ID)
	if err != nil {
		return err
	}
	var ids []string
	for _, r := range reqs {
		ids = append(ids, r.Inviter, r.Invitee)
	}
	names := map[string]string{}
	if len(ids) > 0 {
		recs, err := s.app.FindRecordsByIds(accounts.Collection, ids)
		if err != nil {
			return fmt.Errorf("load requesters: %w", err)
		}
		for _, r := range recs {
			names[r.Id] = accounts.AsMember(r).DisplayName()
		}
	}
	for _, r := range reqs {
		info.Requests = append(info.Requests, chat.InfoRequest{ID: r.ID, Inviter: names[r.Inviter], Invitee: names[r.Invitee], Self: r.Inviter == r.Invitee})
	}
	read, total, err := AnnouncementReaders(s.app, e.Auth.Id, info.ID)
	if err != nil {
		return err
	}
	info.AnnouncementMembers = total
	for _, id := range read {
		info.AnnouncementRead = append(info.AnnouncementRead, people[id].Name)
	}
	return nil
}
