package chatweb

import (
	"net/http"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/a-h/templ"
	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/chat"
	"plaza/hooks/problem"
	"plaza/hooks/web"
	views "plaza/views/chat"
	"plaza/views/layout"
)

// A conversation page: its messages, the composer without JavaScript, and
// opening a 1:1 chat.

func (s *site) conversationView(e *core.RequestEvent, convID, flash string) (views.Conversation, error) {
	me := web.Member(e)
	before := int64(0) // the latest page
	if at, err := strconv.ParseInt(e.Request.URL.Query().Get("at"), 10, 64); err == nil && at > 0 {
		before = at + 25 // a page around a search hit
	}
	o, err := s.Open(me.Id, convID, before, 50)
	if err != nil {
		return views.Conversation{}, err
	}
	msgs, people, readBy := o.Messages, o.People, o.ReadBy
	accountHref := ""
	if o.Kind == chat.KindAccount { // what the account says has no sender: draw it as the account
		name := s.title(e, me.Id, convID, o.Info, people)
		people[""] = chat.Person{Name: name, Initial: string([]rune(name + "#")[0])}
		if account, _, err := chat.AccountChatOf(e.App, convID); err == nil && account != "" {
			accountHref = "/oa/by-id?id=" + account
		}
	}
	c := views.Conversation{ID: convID, Group: o.Kind == chat.KindGroup, Members: o.Members, Emojis: chat.Reactions,
		Announcement: o.UnreadAnnouncement,
		CanAll:       o.Kind == chat.KindGroup && (o.Role == chat.RoleOwner || o.Role == chat.RoleAdmin),
		LastSeq:      o.LastSeq, Title: s.title(e, me.Id, convID, o.Info, people), Flash: flash, PeerID: o.Peer, Online: o.Online,
		CardLabels: s.cardLabels(e), ReadOnly: o.Kind == chat.KindService, AccountHref: accountHref}
	for id, p := range people {
		c.People = append(c.People, views.Person{ID: id, Name: p.Name, AvatarURL: p.AvatarURL, Initial: p.Initial})
	}
	if d := e.Request.URL.Query().Get("text"); utf8.RuneCountInString(d) <= 200 {
		c.Draft = d
	}
	if !o.LastSeen.IsZero() {
		c.LastSeen = o.LastSeen.Format(time.RFC3339)
	}
	if before > 0 && len(msgs) > 0 {
		// An older page: the client syncs forward from its last message.
		c.LastSeq = msgs[len(msgs)-1].Seq
	}
	for _, m := range msgs {
		p := people[m.Sender]
		b := views.Bubble{ID: m.ID, Seq: m.Seq, Mine: m.Sender == me.Id, System: m.Kind == chat.MsgSystem, SenderID: m.Sender, Sender: p.Name, Name: p.Name,
			AvatarURL: p.AvatarURL, Initial: p.Initial, Text: m.Text, Recalled: m.Recalled, At: m.At.Format(time.RFC3339)}
		if !c.Group {
			b.Sender = ""
		}
		if m.Sender == "" && accountHref != "" {
			b.Href = accountHref
		}
		if m.Recalled {
			b.Text = web.T(e, "chat.recalled_by", map[string]any{"name": p.Name})
			if b.Mine {
				b.Text = web.T(e, "chat.you_recalled")
			}
		}
		b.Mentioned = !b.Mine && (m.All || slices.Contains(m.Mentions, me.Id))
		b.Read = b.Mine && m.Seq <= readBy
		b.Reactions = chipsOf(m.Reactions, me.Id)
		b.Kind, b.Media, b.Card = m.Kind, mediaView(m.Media), s.cardView(e, convID, m)
		if m.Quote != nil {
			b.Quote = &views.Quote{Sender: people[m.Quote.Sender].Name, Text: m.Quote.Text}
			if m.Quote.Recalled {
				b.Quote.Text = web.T(e, "chat.recalled")
			}
		}
		if b.System {
			b.Text = systemText(e, m.Text, func(id string) string { return people[id].Name })
		}
		c.Bubbles = append(c.Bubbles, b)
	}
	return c, nil
}

func (s *site) conversationPage(e *core.RequestEvent) error {
	convID := e.Request.PathValue("id")
	c, err := s.conversationView(e, convID, "")
	if err != nil {
		return err
	}
	if _, err := s.MarkRead(web.Member(e).Id, convID, c.LastSeq); err != nil {
		return err
	}
	return s.render(e, http.StatusOK, convID, layout.FocusDetail, func([]views.Row) templ.Component { return views.ConversationView(c) })
}

// postMessage is the composer without JavaScript: a form post.
func (s *site) postMessage(e *core.RequestEvent) error {
	convID := e.Request.PathValue("id")
	cid := e.Request.FormValue("cid")
	if cid == "" {
		cid = core.GenerateDefaultRandomId()
	}
	_, err := s.Send(web.Member(e).Id, convID, chat.SendInput{ClientID: cid, Text: e.Request.FormValue("text")})
	if p, ok := problem.As(err); ok && p.Status != http.StatusNotFound {
		msg := flashOf(e, p)
		c, verr := s.conversationView(e, convID, msg)
		if verr != nil {
			return verr
		}
		return s.render(e, p.Status, convID, layout.FocusDetail, func([]views.Row) templ.Component { return views.ConversationView(c) })
	} else if err != nil {
		return err
	}
	return web.Redirect(e, "/chats/"+convID)
}

func (s *site) openDirect(e *core.RequestEvent) error {
	id, err := chat.OpenDirect(s.app, web.Member(e).Id, e.Request.PathValue("friend"))
	if err != nil {
		return err
	}
	return web.Redirect(e, "/chats/"+id)
}

// ackAnnouncement (POST /chats/{id}/announcement/read): "Got it".
func (s *site) ackAnnouncement(e *core.RequestEvent) error {
	convID := e.Request.PathValue("id")
	if err := s.MarkAnnouncementRead(e.Auth.Id, convID); err != nil {
		return err
	}
	return web.Redirect(e, "/chats/"+convID)
}
