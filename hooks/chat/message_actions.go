package chat

import (
	"cmp"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
	"golang.org/x/time/rate"

	"plaza/hooks/accounts"
	"plaza/hooks/contacts"
	"plaza/hooks/problem"
)

// Collections of the per-member message extras.
const (
	HidesCollection      = "message_hides"
	FavouritesCollection = "favourites"
)

// Limits of forwarding.
const (
	ForwardTargetsMax  = 9   // chats one forward may go to
	ForwardMessagesMax = 100 // messages one forward may carry
)

// visibleMessage loads a message of convID the member can see: sent after
// they joined or cleared the chat, not deleted for them. Recalled and
// system messages are returned too; callers refuse them where it matters.
func visibleMessage(app core.App, memberID, convID, messageID string) (messageRow, membership, error) {
	m, err := memberOf(app, memberID, convID)
	if err != nil {
		return messageRow{}, m, err
	}
	var r messageRow
	err = app.DB().NewQuery("SELECT " + messageColumns + ` FROM messages WHERE id = {:id} AND conversation = {:c} AND seq > {:floor}
		AND NOT EXISTS (SELECT 1 FROM message_hides h WHERE h.member = {:me} AND h.message = messages.id)`).
		Bind(dbx.Params{"id": messageID, "c": convID, "floor": max(m.JoinedSeq, m.Cleared), "me": memberID}).One(&r)
	if errors.Is(err, sql.ErrNoRows) {
		return r, m, NotFound()
	} else if err != nil {
		return r, m, fmt.Errorf("load message: %w", err)
	}
	return r, m, nil
}

// HideMessage deletes a message for the member only ("delete for me"); the
// others keep it. Their other tabs drop it too.
func (s *Service) HideMessage(memberID, convID, messageID string) error {
	if _, _, err := visibleMessage(s.app, memberID, convID, messageID); err != nil {
		return err
	}
	_, err := s.app.DB().NewQuery(`INSERT INTO message_hides (id, member, message, created) VALUES ({:id}, {:m}, {:msg}, {:now})
		ON CONFLICT (member, message) DO NOTHING`).
		Bind(dbx.Params{"id": core.GenerateDefaultRandomId(), "m": memberID, "msg": messageID, "now": s.clock().UTC().Format(types.DefaultDateLayout)}).Execute()
	if err != nil {
		return fmt.Errorf("delete for me: %w", err)
	}
	s.toMember(memberID, Frame{T: "hidden", C: convID, MID: messageID})
	return nil
}

// Favourite keeps a copy of a message (its text, card, picture or file) in
// the member's favourites, which stay after they leave the chat. Saving the
// same message twice keeps one.
func (s *Service) Favourite(memberID, convID, messageID string) error {
	r, _, err := visibleMessage(s.app, memberID, convID, messageID)
	if err != nil {
		return err
	}
	msg := r.message()
	if r.Recalled || r.Kind == MsgSystem || (msg.Card != nil && !s.Forwardable(msg.Card.Type)) || s.Gone(memberID, msg.Card) {
		return problem.New(http.StatusBadRequest, "chat.cannot_favourite")
	}
	col, err := s.app.FindCachedCollectionByNameOrId(FavouritesCollection)
	if err != nil {
		return fmt.Errorf("favourites collection: %w", err)
	}
	exists, err := s.app.FindFirstRecordByFilter(col, "owner = {:o} && source = {:s}", dbx.Params{"o": memberID, "s": r.ID})
	if err == nil && exists != nil {
		s.toMember(memberID, Frame{T: "faved", C: convID, MID: messageID})
		return nil
	}
	fav := core.NewRecord(col)
	fav.Set("owner", memberID)
	fav.Set("kind", r.Kind)
	fav.Set("text", msg.Text)
	fav.Set("sender", r.Sender)
	fav.Set("source", r.ID)
	fav.Set("meta", messageMeta{Media: msg.Media, Card: msg.Card})
	if msg.Media != nil {
		f, err := readMedia(s.app, msg.Media)
		if err != nil {
			return err
		}
		fav.Set("file", f)
	}
	if err := s.app.Save(fav); err != nil {
		return fmt.Errorf("save favourite: %w", err)
	}
	s.toMember(memberID, Frame{T: "faved", C: convID, MID: messageID})
	return nil
}

// Pat sends "A patted B" into a chat: B must be a member (A may pat
// themselves); in a 1:1 chat the two must still be friends, and neither
// may have blocked the other anywhere.
func (s *Service) Pat(memberID, convID, whoID string) error {
	var notice Message
	err := s.app.RunInTransaction(func(txApp core.App) error {
		m, err := memberOf(txApp, memberID, convID)
		if err != nil {
			return err
		}
		if _, err := memberOf(txApp, whoID, convID); err != nil {
			return err
		}
		if m.Kind == KindDirect {
			if err := checkDirect(txApp, memberID, convID); err != nil {
				return err
			}
		}
		if cut, err := contacts.Cut(txApp, memberID, whoID); err != nil {
			return err
		} else if cut {
			return problem.New(http.StatusForbidden, "chat.not_delivered")
		}
		who, err := txApp.FindRecordById(accounts.Collection, whoID)
		if err != nil {
			return NotFound()
		}
		// The patted member's suffix ("… on the shoulder") as it is now.
		notice, err = systemMessage(txApp, convID, "pat:"+memberID+":"+whoID+":"+accounts.AsMember(who).PatSuffix(), s.clock())
		return err
	})
	if err != nil {
		return err
	}
	s.publish(convID, Frame{T: "msg", C: convID, M: &notice})
	return nil
}

// ForwardInput is a forward of some messages of one chat to other chats.
type ForwardInput struct {
	From     string   // the chat the messages are in
	Messages []string // their ids
	To       []string // the chats to forward to (≤ ForwardTargetsMax)
	Merged   bool     // one "chat history" card instead of one message each
	Token    string   // the form's one-time id: a resubmitted form sends nothing new
}

// Forward sends copies of messages the member can see into chats they are
// in: one by one (pictures and files are copied into each chat's media),
// or merged into one chat-history card.
func (s *Service) Forward(memberID string, in ForwardInput) (int, error) {
	if len(in.To) == 0 || len(in.To) > ForwardTargetsMax || len(in.Messages) == 0 || len(in.Messages) > ForwardMessagesMax ||
		in.Token == "" || len(in.Token) > 40 {
		return 0, problem.Invalid("to", "chat.forward_pick", map[string]any{"max": ForwardTargetsMax})
	}
	var msgs []Message
	seen := map[string]bool{}
	for _, id := range in.Messages {
		if seen[id] {
			continue
		}
		seen[id] = true
		r, _, err := visibleMessage(s.app, memberID, in.From, id)
		if err != nil {
			return 0, err
		}
		if r.Recalled || r.Kind == MsgSystem {
			continue
		}
		m := r.message()
		if s.Gone(memberID, m.Card) { // a taken-down post is not passed on
			return 0, problem.New(http.StatusBadRequest, "chat.cannot_forward")
		}
		if m.Card != nil && !s.Forwardable(m.Card.Type) && !in.Merged {
			// A money card is the server's record of one event: a copy
			// would pass for a real transfer or red packet.
			return 0, problem.New(http.StatusBadRequest, "chat.cannot_forward")
		}
		msgs = append(msgs, m)
	}
	if len(msgs) == 0 {
		return 0, NotFound()
	}
	slices.SortFunc(msgs, func(a, b Message) int { return cmp.Compare(a.Seq, b.Seq) })
	var history *Card
	if in.Merged {
		c, err := s.historyCard(memberID, in.From, msgs)
		if err != nil {
			return 0, err
		}
		history = c
	}
	sent := 0
	for _, to := range in.To {
		if history != nil {
			if _, err := s.Send(memberID, to, SendInput{ClientID: fmt.Sprintf("fwd:%s:%s", in.Token, to), Kind: MsgCard, card: history}); err != nil {
				return sent, err
			}
			sent++
			continue
		}
		for i, m := range msgs {
			si := SendInput{ClientID: fmt.Sprintf("fwd:%s:%s:%d", in.Token, to, i), Kind: m.Kind, Text: m.Text, card: m.Card}
			if m.Media != nil {
				media := m.Media
				si.attach = func(txApp core.App, convID string) (*Attachment, error) {
					return copyMedia(txApp, media, convID, memberID)
				}
			}
			if _, err := s.Send(memberID, to, si); err != nil {
				return sent, err
			}
			sent++
		}
	}
	return sent, nil
}

// historyCard is a merged forward: who said what, as the forwarder sees it.
func (s *Service) historyCard(memberID, convID string, msgs []Message) (*Card, error) {
	names, err := s.namesIn(convID)
	if err != nil {
		return nil, err
	}
	c := &Card{Type: CardHistory}
	var who []string
	for _, m := range msgs {
		name := names[m.Sender]
		if !slices.Contains(who, name) && len(who) < 3 {
			who = append(who, name)
		}
		text := m.Text
		if m.Card != nil {
			text = m.Card.Title
		}
		if m.Media != nil {
			text = m.Media.Name
		}
		c.Items = append(c.Items, CardItem{Sender: name, Kind: m.Kind, Text: truncate(text, 500), At: m.At.Format(time.RFC3339)})
	}
	c.Title = strings.Join(who, ", ")
	var lines []string
	for _, it := range c.Items[:min(3, len(c.Items))] {
		lines = append(lines, it.Sender+": "+truncate(it.Text, 40))
	}
	c.Sub = strings.Join(lines, "\n")
	return c, nil
}

// namesIn maps the members of a chat (and past senders) to the names a
// merged forward shows: their group nickname, else their display name.
// Not the forwarder's remarks: the card goes to other people.
func (s *Service) namesIn(convID string) (map[string]string, error) {
	var rows []struct {
		ID    string `db:"id"`
		Alias string `db:"alias"`
	}
	err := s.app.DB().NewQuery(`SELECT member AS id, alias FROM conversation_members WHERE conversation = {:c}
		UNION SELECT DISTINCT sender AS id, '' AS alias FROM messages WHERE conversation = {:c} AND sender != ''
		AND sender NOT IN (SELECT member FROM conversation_members WHERE conversation = {:c})`).
		Bind(dbx.Params{"c": convID}).All(&rows)
	if err != nil {
		return nil, fmt.Errorf("load names: %w", err)
	}
	ids := make([]string, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	display, err := accounts.Names(s.app, ids)
	if err != nil {
		return nil, err
	}
	names := make(map[string]string, len(display))
	for _, r := range rows {
		if name, ok := display[r.ID]; ok {
			names[r.ID] = accounts.ShownName("", r.Alias, name)
		}
	}
	return names, nil
}

// sendLimiter caps how fast one member may send, across all their sockets
// (docs/SECURITY.md §10): a steady 10 frames a second with bursts of 30.
type sendLimiter struct {
	mu sync.Mutex
	m  map[string]*rate.Limiter
}

func (l *sendLimiter) allow(memberID string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.m == nil || len(l.m) > 50_000 {
		l.m = map[string]*rate.Limiter{} // forget idle members now and then
	}
	lim, ok := l.m[memberID]
	if !ok {
		lim = rate.NewLimiter(10, 30)
		l.m[memberID] = lim
	}
	return lim.Allow()
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
