// Package chat is conversations (1:1 and groups) and their messages: a
// gap-free sequence per conversation, idempotent sends by client message id,
// read positions, and fan-out to sockets after each commit.
package chat

import (
	"cmp"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"plaza/hooks/contacts"
	"plaza/hooks/problem"
)

// Collections of this domain.
const (
	ConversationsCollection = "conversations"
	MembersCollection       = "conversation_members"
	MessagesCollection      = "messages"
)

// Conversation kinds and message kinds.
const (
	KindDirect = "direct"
	KindGroup  = "group"

	MsgText   = "text"
	MsgImage  = "image"
	MsgFile   = "file"
	MsgCard   = "card"
	MsgSystem = "system"
)

// Limits.
const (
	TextMax        = 4000
	ClientIDMax    = 64
	GroupMin       = 3
	GroupMax       = 500
	GroupNameMax   = 60
	HistoryMax     = 200
	HistoryDefault = 50
)

// A member's role in a conversation (conversation_members.role).
const (
	RoleOwner  = "owner"
	RoleAdmin  = "admin"
	RoleMember = "member"
)

// Message is one stored message as clients see it.
type Message struct {
	ID           string              `json:"id"`
	Conversation string              `json:"c"`
	Seq          int64               `json:"seq"`
	Sender       string              `json:"sender,omitempty"`
	ClientID     string              `json:"cid,omitempty"`
	Kind         string              `json:"kind"`
	Text         string              `json:"text"`
	ReplyTo      string              `json:"reply,omitempty"`
	Quote        *Quote              `json:"quote,omitempty"`     // the message replied to, as it is now
	Mentions     []string            `json:"mentions,omitempty"`  // members @-mentioned
	Reactions    map[string][]string `json:"reactions,omitempty"` // emoji → members
	All          bool                `json:"all,omitempty"`       // @All
	Media        *Attachment         `json:"media,omitempty"`     // image and file messages
	Card         *Card               `json:"card,omitempty"`      // card messages
	Recalled     bool                `json:"recalled,omitempty"`
	At           time.Time           `json:"at"`
}

// Quote is the start of a quoted message, shown above a reply.
type Quote struct {
	ID       string `json:"id"`
	Sender   string `json:"sender"`
	Text     string `json:"text"`
	Recalled bool   `json:"recalled,omitempty"`
}

// QuoteMax is how much of a quoted message a reply shows, in characters.
const QuoteMax = 120

func quoteOf(r messageRow) *Quote {
	q := &Quote{ID: r.ID, Sender: r.Sender, Recalled: r.Recalled}
	if !r.Recalled {
		q.Text = r.Text
		switch r.Kind {
		case MsgImage:
			q.Text = "[🖼]"
		case MsgCard:
			var meta messageMeta
			if json.Unmarshal([]byte(r.Meta), &meta) == nil && meta.Card != nil {
				q.Text = "[" + meta.Card.Title + "]"
			}
		}
		if utf8.RuneCountInString(q.Text) > QuoteMax {
			q.Text = string([]rune(q.Text)[:QuoteMax]) + "…"
		}
	}
	return q
}

// quotesSQL loads n messages by id ({:q0} …): by primary key only. With
// a conversation filter as well, SQLite takes the (conversation, seq)
// index instead and walks the whole conversation; attachQuotes checks the
// conversation of each row itself.
func quotesSQL(n int) string {
	holders := make([]string, n)
	for i := range holders {
		holders[i] = fmt.Sprintf("{:q%d}", i)
	}
	return "SELECT " + messageColumns + " FROM messages WHERE id IN (" + strings.Join(holders, ",") + ")"
}

// attachQuotes fills in the quote of every reply among msgs (one query).
func attachQuotes(app core.App, convID string, msgs []Message) error {
	params := dbx.Params{}
	for _, m := range msgs {
		if m.ReplyTo != "" {
			params[fmt.Sprintf("q%d", len(params))] = m.ReplyTo
		}
	}
	if len(params) == 0 {
		return nil
	}
	var rows []messageRow
	if err := app.DB().NewQuery(quotesSQL(len(params))).Bind(params).All(&rows); err != nil {
		return fmt.Errorf("load quoted messages: %w", err)
	}
	byID := make(map[string]messageRow, len(rows))
	for _, r := range rows {
		if r.Conversation == convID { // a reply only ever quotes its own conversation
			byID[r.ID] = r
		}
	}
	for i := range msgs {
		if r, ok := byID[msgs[i].ReplyTo]; ok {
			msgs[i].Quote = quoteOf(r)
		}
	}
	return nil
}

type messageRow struct {
	ID           string `db:"id"`
	Conversation string `db:"conversation"`
	Seq          int64  `db:"seq"`
	Sender       string `db:"sender"`
	ClientID     string `db:"client_id"`
	Kind         string `db:"kind"`
	Text         string `db:"text"`
	ReplyTo      string `db:"reply_to"`
	Recalled     bool   `db:"recalled"`
	Meta         string `db:"meta"`
	Created      string `db:"created"`
}

// messageMeta is the JSON kept in messages.meta.
type messageMeta struct {
	Mentions []string    `json:"mentions,omitempty"`
	All      bool        `json:"all,omitempty"`
	Media    *Attachment `json:"media,omitempty"`
	Card     *Card       `json:"card,omitempty"`
}

func (r messageRow) message() Message {
	at, _ := time.Parse(types.DefaultDateLayout, r.Created)
	m := Message{ID: r.ID, Conversation: r.Conversation, Seq: r.Seq, Sender: r.Sender, ClientID: r.ClientID,
		Kind: r.Kind, Text: r.Text, ReplyTo: r.ReplyTo, Recalled: r.Recalled, At: at}
	if m.Recalled {
		m.Text = ""
	} else if r.Meta != "" && r.Meta != "null" {
		var meta messageMeta
		if json.Unmarshal([]byte(r.Meta), &meta) == nil {
			m.Mentions, m.All, m.Media, m.Card = meta.Mentions, meta.All, meta.Media, meta.Card
		}
	}
	return m
}

// notHidden leaves out the messages the member ({:me}) deleted for themselves.
const notHidden = " AND NOT EXISTS (SELECT 1 FROM message_hides h WHERE h.member = {:me} AND h.message = messages.id)"

const messageColumns = "id, conversation, seq, sender, client_id, kind, text, reply_to, recalled, meta, created"

// The history queries: served by the (conversation, seq) index in both
// directions, never a sort (plan_internal_test.go checks).
const (
	historyAfterSQL  = "SELECT " + messageColumns + " FROM messages WHERE conversation = {:c} AND seq > {:after}" + notHidden + " ORDER BY seq ASC LIMIT {:n}"
	historyBeforeSQL = "SELECT " + messageColumns + " FROM messages WHERE conversation = {:c} AND seq > {:floor} AND seq < {:before}" + notHidden + " ORDER BY seq DESC LIMIT {:n}"
)

// NotFound is chat's one not-found problem: a chat, message or file that does not
// exist, or that the member may not see (docs/SECURITY.md §3).
func NotFound() *problem.Problem { return problem.New(http.StatusNotFound, "chat.not_found") }

const memberOfSQL = `SELECT cm.id, c.kind, cm.role, cm.joined_seq, cm.cleared_seq, cm.last_read_seq
	FROM conversation_members cm JOIN conversations c ON c.id = cm.conversation
	WHERE cm.conversation = {:c} AND cm.member = {:m} LIMIT 1`

// membership is a member's row in a conversation.
type membership struct {
	ID        string `db:"id"`
	Kind      string `db:"kind"`
	Role      string `db:"role"`
	JoinedSeq int64  `db:"joined_seq"`
	Cleared   int64  `db:"cleared_seq"`
	LastRead  int64  `db:"last_read_seq"`
}

// memberOf returns the member's row in conv, or a not-found Problem: a
// conversation one is not in does not exist for them (docs/SECURITY.md §3).
func memberOf(app core.App, memberID, convID string) (membership, error) {
	var m membership
	err := app.DB().NewQuery(memberOfSQL).Bind(dbx.Params{"c": convID, "m": memberID}).One(&m)
	if errors.Is(err, sql.ErrNoRows) {
		return m, NotFound()
	}
	if err != nil {
		return m, fmt.Errorf("check membership: %w", err)
	}
	return m, nil
}

// sendCheck is the sender's membership, the 1:1 peer, and a message they
// already stored under the same client id, read in one query.
type sendCheck struct {
	membership
	Peer  string `db:"peer"`
	DupID string `db:"dup_id"`
}

func checkSend(c querier, senderID, convID, clientID string) (sendCheck, error) {
	var m sendCheck
	err := c.q(`SELECT cm.id, c.kind, cm.role, cm.joined_seq, cm.cleared_seq, cm.last_read_seq,
		COALESCE((SELECT o.member FROM conversation_members o WHERE c.kind = 'direct' AND o.conversation = c.id AND o.member != cm.member LIMIT 1), '') AS peer,
		COALESCE((SELECT d.id FROM messages d WHERE d.conversation = c.id AND d.sender = cm.member AND d.client_id = {:cid} AND d.client_id != '' LIMIT 1), '') AS dup_id
		FROM conversation_members cm JOIN conversations c ON c.id = cm.conversation
		WHERE cm.conversation = {:c} AND cm.member = {:m} LIMIT 1`,
		dbx.Params{"c": convID, "m": senderID, "cid": clientID}).One(&m)
	if errors.Is(err, sql.ErrNoRows) {
		return m, NotFound()
	}
	if err != nil {
		return m, fmt.Errorf("check membership: %w", err)
	}
	return m, nil
}

// SendInput is a message a member sends.
type SendInput struct {
	ClientID string // the client's id for this message: a retry with the same id is stored once
	Kind     string // MsgText (default), MsgImage, MsgFile or MsgCard
	Text     string
	ReplyTo  string       // id of a message in the same conversation
	Mentions []string     // members to @-mention (groups only; others are dropped)
	All      bool         // @All: owner and admins only
	Card     *CardRequest // a card to build (MsgCard)

	card *Card // a card built already (forwarding)
	// attach stores the picture or file of an image or file message inside
	// the send's transaction, once the checks have passed.
	attach func(txApp core.App, convID string) (*Attachment, error)
}

// SendResult is the stored message and whether it was stored just now
// (false for a retried client id, which returns the first result).
type SendResult struct {
	Message Message
	New     bool

	membersVer int64 // the conversation's membership version in the send's transaction
	hasVer     bool
}

// send stores a text message inside one transaction: membership and, for a
// 1:1 chat, friendship and blocks are checked at this moment; the sequence
// number is taken with a single UPDATE … RETURNING, so it is gap-free.
func (s *Service) send(senderID, convID string, in SendInput) (SendResult, error) {
	in, err := in.normalise()
	if err != nil {
		return SendResult{}, err
	}
	var res SendResult
	err = s.app.RunInTransaction(func(txApp core.App) error {
		var err error
		res, err = s.sendTx(txApp, direct{txApp}, senderID, convID, in)
		return err
	})
	return res, err
}

// normalise trims a send and checks what can be checked without the
// database.
func (in SendInput) normalise() (SendInput, error) {
	in.Text = strings.TrimSpace(in.Text)
	in.ClientID = strings.TrimSpace(in.ClientID)
	in.Kind = cmp.Or(in.Kind, MsgText)
	switch {
	case in.Kind == MsgText && in.Text == "":
		return in, problem.Invalid("text", "chat.empty", nil)
	case utf8.RuneCountInString(in.Text) > TextMax:
		return in, problem.Invalid("text", "profile.too_long", map[string]any{"max": TextMax})
	case strings.IndexByte(in.Text, 0) >= 0: // no member text holds a NUL (it broke search)
		return in, problem.Invalid("text", "errors.nul_byte", nil)
	case in.ClientID == "" || len(in.ClientID) > ClientIDMax:
		return in, problem.Invalid("cid", "errors.bad_request", nil)
	case (in.Kind == MsgImage || in.Kind == MsgFile) && in.attach == nil,
		in.Kind == MsgCard && in.Card == nil && in.card == nil,
		in.Kind != MsgText && in.Kind != MsgImage && in.Kind != MsgFile && in.Kind != MsgCard:
		return in, problem.Invalid("kind", "errors.bad_request", nil)
	}
	return in, nil
}

// sendTx is send inside the caller's transaction.
func (s *Service) sendTx(txApp core.App, c querier, senderID, convID string, in SendInput) (SendResult, error) {
	var res SendResult
	err := func() error {
		chk, err := checkSend(c, senderID, convID, in.ClientID)
		if err != nil {
			return err
		}
		m := chk.membership
		if chk.DupID != "" {
			var dup messageRow
			if err := c.q("SELECT "+messageColumns+" FROM messages WHERE id = {:id}", dbx.Params{"id": chk.DupID}).One(&dup); err != nil {
				return fmt.Errorf("load the stored message: %w", err)
			}
			res = SendResult{Message: dup.message()}
			return nil
		}
		if m.Kind == KindService {
			return errReadOnly()
		}
		if m.Kind == KindDirect {
			ok, err := reachable(c, chk.Peer, senderID)
			if err != nil {
				return err
			}
			if !ok {
				return problem.New(http.StatusForbidden, "chat.not_delivered")
			}
		}
		var quoted *Quote
		if in.ReplyTo != "" {
			var q messageRow
			err := c.q("SELECT "+messageColumns+" FROM messages WHERE id = {:id} AND conversation = {:c} AND seq > {:from} AND kind != 'system'",
				dbx.Params{"id": in.ReplyTo, "c": convID, "from": max(m.JoinedSeq, m.Cleared)}).One(&q)
			switch {
			case err == nil:
				quoted = quoteOf(q)
			case errors.Is(err, sql.ErrNoRows):
				in.ReplyTo = "" // not visible to the sender: send without the quote
			default:
				return fmt.Errorf("load quoted message: %w", err)
			}
		}
		meta, err := mentionsOf(txApp, m, senderID, convID, in)
		if err != nil {
			return err
		}
		switch in.Kind {
		case MsgImage, MsgFile:
			if meta.Media, err = in.attach(txApp, convID); err != nil {
				return err
			}
		case MsgCard:
			if in.card != nil {
				meta.Card = in.card
			} else if meta.Card, err = s.buildCard(txApp, senderID, convID, *in.Card); err != nil {
				return err
			}
			if err := cardAudienceOK(txApp, senderID, convID, meta.Card); err != nil {
				return err
			}
		}
		now := time.Now().UTC()
		var seq, ver int64
		if err := c.q("UPDATE conversations SET last_seq = last_seq + 1, last_at = {:now}, updated = {:now} WHERE id = {:c} RETURNING last_seq, members_ver",
			dbx.Params{"c": convID, "now": now.Format(types.DefaultDateLayout)}).Row(&seq, &ver); err != nil {
			return fmt.Errorf("next seq: %w", err)
		}
		orderOf(txApp).expect(convID, seq) // publish.go: frames go out in this order
		row := messageRow{ID: core.GenerateDefaultRandomId(), Conversation: convID, Seq: seq, Sender: senderID,
			ClientID: in.ClientID, Kind: in.Kind, Text: in.Text, ReplyTo: in.ReplyTo, Meta: meta.json(), Created: now.Format(types.DefaultDateLayout)}
		if err := insertMessage(c, row); err != nil {
			return err
		}
		if err := markMentioned(c, convID, senderID, seq, meta); err != nil {
			return err
		}
		// The sender has read what they wrote (their row, by primary key);
		// a hidden chat reappears for everyone (only the hidden rows, found
		// by a partial index). Neither depends on the group's size.
		if _, err := c.q(sendReadSQL, dbx.Params{"seq": seq, "id": m.ID}).Execute(); err != nil {
			return fmt.Errorf("update read position: %w", err)
		}
		if _, err := c.q(unhideSQL, dbx.Params{"c": convID}).Execute(); err != nil {
			return fmt.Errorf("show hidden chat: %w", err)
		}
		res = SendResult{Message: row.message(), New: true, membersVer: ver, hasVer: true}
		res.Message.Quote = quoted
		return nil
	}()
	return res, err
}

// The sender's read-position and un-hide updates (PlanSQL checks their plans).
const (
	sendReadSQL = "UPDATE conversation_members SET hidden = 0, last_read_seq = {:seq}, marked_unread = 0 WHERE id = {:id}"
	unhideSQL   = "UPDATE conversation_members SET hidden = 0 WHERE conversation = {:c} AND hidden = 1"
)

func insertMessage(c querier, r messageRow) error {
	_, err := c.q(`INSERT INTO messages (id, conversation, seq, sender, client_id, kind, text, reply_to, meta, recalled, created, updated)
		VALUES ({:id}, {:c}, {:seq}, {:sender}, {:cid}, {:kind}, {:text}, {:reply}, {:meta}, 0, {:at}, {:at})`,
		dbx.Params{"id": r.ID, "c": r.Conversation, "seq": r.Seq, "sender": r.Sender, "cid": r.ClientID,
			"kind": r.Kind, "text": r.Text, "reply": r.ReplyTo, "meta": cmp.Or(r.Meta, "null"), "at": r.Created}).Execute()
	if err != nil {
		return fmt.Errorf("insert message: %w", err)
	}
	return nil
}

// checkDirect: in a 1:1 chat both must still be friends and the other must
// not have blocked the sender. The sender is not told which.
func checkDirect(txApp core.App, senderID, convID string) error {
	var other string
	err := txApp.DB().NewQuery("SELECT member FROM conversation_members WHERE conversation = {:c} AND member != {:s} LIMIT 1").
		Bind(dbx.Params{"c": convID, "s": senderID}).Row(&other)
	if err != nil {
		return fmt.Errorf("find the other member: %w", err)
	}
	ok, err := reachable(direct{txApp}, other, senderID)
	if err != nil {
		return err
	}
	if !ok {
		return problem.New(http.StatusForbidden, "chat.not_delivered")
	}
	return nil
}

// Messages returns up to limit messages of a conversation the member is in:
// those after `after` (oldest first) when after >= 0, else the newest ones
// before `before` (0: the latest), oldest first. Messages from before the
// member joined or cleared the history are never returned.
func Messages(app core.App, memberID, convID string, after, before int64, limit int) ([]Message, error) {
	items, _, err := History(app, memberID, convID, after, before, limit)
	return items, err
}

// History is Messages, and whether there are more messages the member may
// see beyond the page in the direction it was asked for: newer ones after
// the last item (after >= 0), older ones before the first (else). A limit
// outside 1…HistoryMax means HistoryDefault (the API refuses it first).
func History(app core.App, memberID, convID string, after, before int64, limit int) ([]Message, bool, error) {
	m, err := memberOf(app, memberID, convID)
	if err != nil {
		return nil, false, err
	}
	if limit <= 0 || limit > HistoryMax {
		limit = HistoryDefault
	}
	floor := max(m.JoinedSeq, m.Cleared)
	var rows []messageRow
	var q *dbx.Query
	// One row more than the page: its presence is "more".
	if after >= 0 {
		q = app.DB().NewQuery(historyAfterSQL).
			Bind(dbx.Params{"c": convID, "after": max(after, floor), "n": limit + 1, "me": memberID})
	} else {
		if before <= 0 {
			before = 1 << 62
		}
		q = app.DB().NewQuery(historyBeforeSQL).
			Bind(dbx.Params{"c": convID, "floor": floor, "before": before, "n": limit + 1, "me": memberID})
	}
	if err := q.All(&rows); err != nil {
		return nil, false, fmt.Errorf("load messages: %w", err)
	}
	more := len(rows) > limit
	if more {
		rows = rows[:limit] // the farthest one, either way
	}
	out := make([]Message, len(rows))
	for i, r := range rows {
		out[i] = r.message()
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Seq < out[j].Seq })
	if err := attachQuotes(app, convID, out); err != nil {
		return nil, false, err
	}
	ids := make([]string, len(out))
	for i, m := range out {
		ids[i] = m.ID
	}
	reactions, err := reactionsOf(app, ids)
	if err != nil {
		return nil, false, err
	}
	for i := range out {
		out[i].Reactions = reactions[out[i].ID]
	}
	return out, more, nil
}

// MarkRead moves the member's read position forward (never back).
func MarkRead(app core.App, memberID, convID string, seq int64) (int64, error) {
	if _, err := memberOf(app, memberID, convID); err != nil {
		return 0, err
	}
	var read int64
	err := app.DB().NewQuery(`UPDATE conversation_members SET marked_unread = 0,
		last_read_seq = MAX(last_read_seq, MIN({:seq}, (SELECT last_seq FROM conversations WHERE id = {:c})))
		WHERE conversation = {:c} AND member = {:m} RETURNING last_read_seq`).
		Bind(dbx.Params{"seq": seq, "c": convID, "m": memberID}).Row(&read)
	if err != nil {
		return 0, fmt.Errorf("mark read: %w", err)
	}
	return read, nil
}

// MemberIDs lists who is in a conversation now (read at fan-out time).
func MemberIDs(app core.App, convID string) ([]string, error) {
	var ids []string
	err := app.DB().NewQuery("SELECT member FROM conversation_members WHERE conversation = {:c}").
		Bind(dbx.Params{"c": convID}).Column(&ids)
	return ids, err
}

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
	err := app.DB().NewQuery(summarySelect + `WHERE cm.member = {:m} AND cm.hidden = 0
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
		JOIN conversations c ON c.id = cm.conversation WHERE cm.member = {:m} AND cm.muted = 0 AND cm.hidden = 0`).
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
		id, err = createConversation(txApp, KindDirect, "", "", key, []string{meID, friendID})
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

func createConversation(txApp core.App, kind, name, owner, key string, members []string) (string, error) {
	cc, err := txApp.FindCachedCollectionByNameOrId(ConversationsCollection)
	if err != nil {
		return "", err
	}
	c := core.NewRecord(cc)
	c.Set("kind", kind)
	c.Set("name", name)
	c.Set("owner", owner)
	c.Set("dm_key", key)
	c.Set("last_at", time.Now().UTC())
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
		if convID, err = createConversation(txApp, KindGroup, name, ownerID, "", members); err != nil {
			return err
		}
		if announce, err = systemMessage(txApp, convID, "group_created:"+ownerID); err != nil {
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
func systemMessage(txApp core.App, convID, code string) (Message, error) {
	now := time.Now().UTC()
	var seq int64
	if err := txApp.DB().NewQuery("UPDATE conversations SET last_seq = last_seq + 1, last_at = {:now} WHERE id = {:c} RETURNING last_seq").
		Bind(dbx.Params{"c": convID, "now": now.Format(types.DefaultDateLayout)}).Row(&seq); err != nil {
		return Message{}, fmt.Errorf("next seq: %w", err)
	}
	orderOf(txApp).expect(convID, seq)
	row := messageRow{ID: core.GenerateDefaultRandomId(), Conversation: convID, Seq: seq, Kind: MsgSystem, Text: code, Created: now.Format(types.DefaultDateLayout)}
	if err := insertMessage(direct{txApp}, row); err != nil {
		return Message{}, err
	}
	return row.message(), nil
}

// RecallWindow is how long after sending a message its sender may recall it.
const RecallWindow = 2 * time.Minute

// Recall withdraws a message the member sent less than RecallWindow ago:
// everyone sees "X recalled a message" instead; the text is no longer served
// to anyone (the sender's own client keeps it to offer re-editing).
func (s *Service) Recall(memberID, convID, messageID string) (Message, error) {
	var out Message
	err := s.app.RunInTransaction(func(txApp core.App) error {
		if _, err := memberOf(txApp, memberID, convID); err != nil {
			return err
		}
		var r messageRow
		err := txApp.DB().NewQuery("SELECT " + messageColumns + " FROM messages WHERE id = {:id} AND conversation = {:c} AND sender = {:s} AND kind != 'system'").
			Bind(dbx.Params{"id": messageID, "c": convID, "s": memberID}).One(&r)
		if errors.Is(err, sql.ErrNoRows) {
			return NotFound()
		} else if err != nil {
			return fmt.Errorf("find message to recall: %w", err)
		}
		if r.Recalled {
			out = r.message()
			return nil
		}
		sent, _ := time.Parse(types.DefaultDateLayout, r.Created)
		if Now().Sub(sent) > RecallWindow {
			return problem.New(http.StatusBadRequest, "chat.recall_too_late")
		}
		if _, err := txApp.DB().NewQuery("UPDATE messages SET recalled = 1, updated = {:now} WHERE id = {:id}").
			Bind(dbx.Params{"id": r.ID, "now": Now().UTC().Format(types.DefaultDateLayout)}).Execute(); err != nil {
			return fmt.Errorf("recall: %w", err)
		}
		r.Recalled = true
		out = r.message()
		return nil
	})
	if err != nil {
		return Message{}, err
	}
	s.publish(convID, Frame{T: "recalled", C: convID, MID: out.ID, Seq: out.Seq})
	return out, nil
}

// Now is this package's clock (tests move it).
var Now = time.Now

// mentionsOf keeps the @-mentions a send may make: only in groups, only of
// current members (never the sender), @All only for the owner and admins.
func mentionsOf(txApp core.App, m membership, senderID, convID string, in SendInput) (messageMeta, error) {
	var meta messageMeta
	if m.Kind != KindGroup {
		return meta, nil
	}
	meta.All = in.All && (m.Role == RoleOwner || m.Role == RoleAdmin)
	if len(in.Mentions) == 0 {
		return meta, nil
	}
	members, err := MemberIDs(txApp, convID)
	if err != nil {
		return meta, err
	}
	isMember := map[string]bool{}
	for _, id := range members {
		isMember[id] = true
	}
	seen := map[string]bool{}
	for _, id := range in.Mentions {
		if isMember[id] && id != senderID && !seen[id] && len(meta.Mentions) < 50 {
			seen[id] = true
			meta.Mentions = append(meta.Mentions, id)
		}
	}
	return meta, nil
}

func (m messageMeta) json() string {
	if len(m.Mentions) == 0 && !m.All && m.Media == nil && m.Card == nil {
		return ""
	}
	b, _ := json.Marshal(m)
	return string(b)
}

// markMentioned records, for each mentioned member, the last message that
// mentioned them: the chat list shows "[@me]" until they read past it.
func markMentioned(c querier, convID, senderID string, seq int64, meta messageMeta) error {
	if meta.All {
		_, err := c.q("UPDATE conversation_members SET mention_seq = {:seq} WHERE conversation = {:c} AND member != {:s}",
			dbx.Params{"seq": seq, "c": convID, "s": senderID}).Execute()
		return err
	}
	for _, id := range meta.Mentions {
		if _, err := c.q("UPDATE conversation_members SET mention_seq = {:seq} WHERE conversation = {:c} AND member = {:m}",
			dbx.Params{"seq": seq, "c": convID, "m": id}).Execute(); err != nil {
			return err
		}
	}
	return nil
}
