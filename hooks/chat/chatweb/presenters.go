package chatweb

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/chat"
	"plaza/hooks/module"
	"plaza/hooks/problem"
	"plaza/hooks/web"
	views "plaza/views/chat"
)

// Presenters: how chat data reads in the viewer's language (titles,
// notices, cards, media, reactions).

// title is a chat's name as the viewer sees it: a 1:1 chat's peer as they
// know them, a group's name or else its first members, a service chat's
// name in their language.
func (s *site) title(e *core.RequestEvent, viewerID, convID string, info chat.Info, people map[string]chat.Person) string {
	switch info.Kind {
	case chat.KindDirect:
		for id, p := range people {
			if id != viewerID {
				return p.Name
			}
		}
		return info.Name
	case chat.KindService:
		return web.T(e, info.Name)
	case chat.KindAccount:
		return info.Name
	case chat.KindGroup:
		return s.GroupTitle(viewerID, convID, info.Name)
	}
	return info.Name
}

// noticeKeys translate the group notices' codes.
var noticeKeys = map[string]string{
	"renamed":      "chat.notice_renamed",
	"announcement": "chat.notice_announcement",
	"left":         "chat.notice_left",
	"owner":        "chat.notice_owner",
	"removed":      "chat.notice_removed",
	"invited":      "chat.notice_invited",
}

// systemText renders a system notice's code in the viewer's language.
func systemText(e *core.RequestEvent, code string, name func(id string) string) string {
	kind, arg, _ := strings.Cut(code, ":")
	switch kind {
	case "group_created":
		return web.T(e, "chat.group_created", map[string]any{"name": name(arg)})
	case "renamed", "announcement", "left", "owner":
		return web.T(e, noticeKeys[kind], map[string]any{"name": name(arg)})
	case "removed", "invited":
		actor, others, _ := strings.Cut(arg, ":")
		var names []string
		for _, id := range strings.Split(others, ",") {
			if n := name(id); n != "" {
				names = append(names, n)
			}
		}
		return web.T(e, noticeKeys[kind], map[string]any{"name": name(actor), "others": strings.Join(names, ", ")})
	case "pat":
		parts := strings.SplitN(arg, ":", 3)
		if len(parts) < 2 {
			return ""
		}
		suffix := ""
		if len(parts) == 3 {
			suffix = parts[2]
		}
		actor, target := name(parts[0]), name(parts[1])
		if me := web.Member(e); me != nil { // the patted member reads "you"
			switch {
			case parts[0] == me.Id && parts[1] == me.Id:
				actor, target = web.T(e, "chat.pat_you"), web.T(e, "chat.pat_yourself")
			case parts[0] == me.Id:
				actor = web.T(e, "chat.pat_you")
			case parts[1] == me.Id:
				target = web.T(e, "chat.pat_you_object")
			}
		}
		if suffix == "" {
			return web.T(e, "chat.notice_pat", map[string]any{"name": actor, "target": target})
		}
		return web.T(e, "chat.notice_pat_suffix", map[string]any{"name": actor, "target": target, "suffix": suffix})
	case "packet_opened": // claimer:sender of a red packet
		claimer, sender, _ := strings.Cut(arg, ":")
		me := ""
		if m := web.Member(e); m != nil {
			me = m.Id
		}
		switch me {
		case sender:
			return web.T(e, "chat.notice_packet_opened_yours", map[string]any{"name": name(claimer)})
		case claimer:
			return web.T(e, "chat.notice_packet_you_opened", map[string]any{"name": name(sender)})
		}
		return web.T(e, "chat.notice_packet_opened", map[string]any{"name": name(claimer), "owner": name(sender)})
	case "friend_added": // acceptor:requester; each sees the other's name
		a, b, _ := strings.Cut(arg, ":")
		if me := web.Member(e); me != nil && me.Id == a {
			a = b
		}
		return web.T(e, "chat.notice_friend_added", map[string]any{"name": name(a)})
	case "joined_by_qr":
		if n := name(arg); n != "" {
			return web.T(e, "chat.joined_by_qr", map[string]any{"name": n})
		}
		return web.T(e, "chat.joined_by_qr_someone")
	}
	return ""
}

// chipsOf orders a message's reactions as offered, with counts and whether
// the viewer is among them.
func chipsOf(reactions map[string][]string, viewerID string) []views.Chip {
	var out []views.Chip
	for _, e := range chat.Reactions {
		if who := reactions[e]; len(who) > 0 {
			out = append(out, views.Chip{Emoji: e, Count: len(who), Mine: slices.Contains(who, viewerID)})
		}
	}
	return out
}

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
		if c.State == module.CardStateGone { // its title only: not what was taken down
			c.Sub, c.Image = "", ""
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

// flashOf is a refused form's message for the page it re-renders: the
// problem's own, else its first field's.
func flashOf(e *core.RequestEvent, p *problem.Problem) string {
	if msg := web.ProblemMessage(e, p); msg != "" || len(p.Fields) == 0 {
		return msg
	}
	return web.FieldErrors(e, p)[0].Message
}
