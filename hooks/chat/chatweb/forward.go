package chatweb

import (
	"net/http"

	"github.com/a-h/templ"
	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/chat"
	"plaza/hooks/problem"
	"plaza/hooks/web"
	views "plaza/views/chat"
	"plaza/views/layout"
)

// Forwarding messages, merged forwards, and sending a contact card.

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
		msg := flashOf(e, p)
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
