package chat

// Conversations: the chat list, opening a 1:1 chat, creating a group, and
// the notices chat writes into them.

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/contacts"
	"plaza/hooks/problem"
)

// Summary is one row of a member's chat list.
type Summary struct {
	ID       string `db:"id"`
	Kind     string `db:"kind"`
	Name     string `db:"name"`
	LastSeq  int64  `db:"last_seq"`
	LastAt   string `db:"last_at"`
	LastRead int64  `db:"last_read_seq"`
	Mention  int64  `db:"mention_seq"`
	Marked   bool   `db:"marked_unread"`
	Muted    bool   `db:"muted"`
	Pinned   bool   `db:"pinned"`
	Peer     string `db:"peer"` // the other member of a 1:1 chat
	Preview  string `db:"preview"`
	Recalled bool   `db:"recalled"`
	Sender   string `db:"sender"`
	LastKind string `db:"last_kind"`
	LastMeta string `db:"last_meta"`
}

// CardTitle is the title of the last message when it is a card.
func (s Summary) CardTitle() string {
	var meta messageMeta
	if s.LastKind != MsgCard || json.Unmarshal([]byte(s.LastMeta), &meta) != nil || meta.Card == nil {
		return ""
	}
	return meta.Card.Title
}

// Mentioned reports an unread message that @-mentioned the member.
func (s Summary) Mentioned() bool { return s.Mention > s.LastRead }

// Unread is how many messages the member has not read here (1 for a chat
// marked unread by hand).
func (s Summary) Unread() int64 {
	n := max(0, s.LastSeq-s.LastRead)
	if n == 0 && s.Marked {
		return 1
	}
	return n
}

// List returns the member's visible conversations: pinned first, then by
// last activity.
func List(app core.App, memberID string) ([]Summary, error) {
	var out []Summary
	err := app.DB().NewQuery(summarySelect + `WHERE cm.member = {:m} AND cm.hidden = 0 AND cm.folded = 0
		ORDER BY cm.pinned DESC, c.last_at DESC, c.created DESC
		LIMIT 500`).Bind(dbx.Params{"m": memberID}).All(&out)
	if err != nil {
		return nil, fmt.Errorf("list conversations: %w", err)
	}
	return out, nil
}

// SummaryFor is one conversation as it shows in the member's chat list
// (members of it only).
func SummaryFor(app core.App, memberID, convID string) (Summary, error) {
	var out Summary
	err := app.DB().NewQuery(summarySelect + `WHERE cm.member = {:m} AND cm.conversation = {:c}`).
		Bind(dbx.Params{"m": memberID, "c": convID}).One(&out)
	if isNoRows(err) {
		return out, NotFound()
	} else if err != nil {
		return out, fmt.Errorf("conversation summary: %w", err)
	}
	return out, nil
}

// summarySelect is the chat list's row: the conversation, the member's
// read state and settings, the 1:1 peer and the last message they may see.
const summarySelect = `SELECT c.id, c.kind, c.name, c.last_seq, c.last_at, cm.last_read_seq, cm.mention_seq, cm.marked_unread, cm.muted, cm.pinned,
		COALESCE((SELECT o.member FROM conversation_members o WHERE o.conversation = c.id AND o.member != {:m} AND c.kind = 'direct' LIMIT 1), '') AS peer,
		COALESCE(msg.text, '') AS preview, COALESCE(msg.recalled, 0) AS recalled, COALESCE(msg.sender, '') AS sender,
		COALESCE(msg.kind, '') AS last_kind, COALESCE(msg.meta, '') AS last_meta
		FROM conversation_members cm
		JOIN conversations c ON c.id = cm.conversation
		LEFT JOIN messages msg ON msg.conversation = c.id AND msg.seq = c.last_seq AND msg.seq > MAX(cm.joined_seq, cm.cleared_seq)
		`

// UnreadTotal is the Chats tab badge: unread messages in unmuted chats.
func UnreadTotal(app core.App, memberID string) (int, error) {
	var n int
	err := app.DB().NewQuery(`SELECT COALESCE(SUM(MAX(0, c.last_seq - cm.last_read_seq, cm.marked_unread)), 0) FROM conversation_members cm
		JOIN conversations c ON c.id = cm.conversation WHERE cm.member = {:m} AND cm.muted = 0 AND cm.hidden = 0 AND cm.folded = 0`).
		Bind(dbx.Params{"m": memberID}).Row(&n)
	return n, err
}

// OpenDirect returns the 1:1 chat between me and a friend, creating it the
// first time.
func OpenDirect(app core.App, meID, friendID string) (string, error) {
	if meID == friendID {
		return "", NotFound()
	}
	key := dmKey(meID, friendID)
	var id string
	err := app.RunInTransaction(func(txApp core.App) error {
		friends, err := contacts.AreFriends(txApp, meID, friendID)
		if err != nil {
			return err
		}
		if !friends {
			return NotFound()
		}
		err = txApp.DB().NewQuery("SELECT id FROM conversations WHERE dm_key = {:k}").Bind(dbx.Params{"k": key}).Row(&id)
		if err == nil {
			// Re-show it for me if I had hidden it.
			_, err = txApp.DB().NewQuery("UPDATE conversation_members SET hidden = 0 WHERE conversation = {:c} AND member = {:m}").
				Bind(dbx.Params{"c": id, "m": meID}).Execute()
			return err
		} else if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		id, err = createConversation(txApp, KindDirect, "", "", key, []string{meID, friendID}, time.Now())
		return err
	})
	return id, err
}

func dmKey(a, b string) string {
	if a > b {
		a, b = b, a
	}
	return a + ":" + b
}

func createConversation(txApp core.App, kind, name, owner, key string, members []string, now time.Time) (string, error) {
	cc, err := txApp.FindCachedCollectionByNameOrId(ConversationsCollection)
	if err != nil {
		return "", err
	}
	c := core.NewRecord(cc)
	c.Set("kind", kind)
	c.Set("name", name)
	c.Set("owner", owner)
	c.Set("dm_key", key)
	c.Set("last_at", now.UTC())
	if err := txApp.Save(c); err != nil {
		return "", fmt.Errorf("save conversation: %w", err)
	}
	mc, err := txApp.FindCachedCollectionByNameOrId(MembersCollection)
	if err != nil {
		return "", err
	}
	for _, id := range members {
		m := core.NewRecord(mc)
		m.Set("conversation", c.Id)
		m.Set("member", id)
		role := RoleMember
		if id == owner {
			role = RoleOwner
		}
		m.Set("role", role)
		if err := txApp.Save(m); err != nil {
			return "", fmt.Errorf("save conversation member: %w", err)
		}
	}
	return c.Id, nil
}

// CreateGroup makes a group chat of the owner and friends of theirs (3 to
// 500 members in all) and announces it with a system message.
func (s *Service) CreateGroup(ownerID, name string, memberIDs []string) (string, error) {
	name = strings.TrimSpace(name)
	if utf8.RuneCountInString(name) > GroupNameMax {
		return "", problem.Invalid("name", "profile.too_long", map[string]any{"max": GroupNameMax})
	}
	seen := map[string]bool{ownerID: true}
	members := []string{ownerID}
	for _, id := range memberIDs {
		if id != "" && !seen[id] {
			seen[id] = true
			members = append(members, id)
		}
	}
	if len(members) < GroupMin || len(members) > GroupMax {
		return "", problem.Invalid("members", "chat.group_size", map[string]any{"min": GroupMin - 1, "max": GroupMax - 1})
	}
	var convID string
	var announce Message
	err := s.app.RunInTransaction(func(txApp core.App) error {
		for _, id := range members[1:] {
			// Friends only, and none who blocked the owner or whom the owner
			// blocked (contacts.Reachable), answered like a non-friend.
			ok, err := contacts.Reachable(txApp, id, ownerID)
			if err != nil {
				return err
			}
			if !ok {
				return problem.Invalid("members", "chat.not_a_friend", nil)
			}
		}
		var err error
		if convID, err = createConversation(txApp, KindGroup, name, ownerID, "", members, s.clock()); err != nil {
			return err
		}
		if announce, err = systemMessage(txApp, convID, "group_created:"+ownerID, s.clock()); err != nil {
			return err
		}
		// The owner has seen their own "created the group".
		_, err = txApp.DB().NewQuery("UPDATE conversation_members SET last_read_seq = {:seq} WHERE conversation = {:c} AND member = {:m}").
			Bind(dbx.Params{"seq": announce.Seq, "c": convID, "m": ownerID}).Execute()
		return err
	})
	if err != nil {
		return "", err
	}
	s.publish(convID, Frame{T: "msg", C: convID, M: &announce})
	return convID, nil
}

// systemMessage stores a system notice (its text is a code the views
// translate, e.g. "group_created:<member id>") inside a transaction.
func systemMessage(txApp core.App, convID, code string, now time.Time) (Message, error) {
	row, _, err := appendMessage(txApp, direct{txApp}, messageRow{Conversation: convID, Kind: MsgSystem, Text: code}, now, "")
	if err != nil {
		return Message{}, err
	}
	return row.message(), nil
}
