package chat

// Messages: what a member may read of a conversation, quotes, read
// positions and recalls.

import (
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

	"plaza/hooks/problem"
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
	By       string      `json:"by,omitempty"` // in an account chat, the operator who wrote an account's message
}

// storedAt reads a time as chat stores it (types.DefaultDateLayout); the
// zero time for an empty or malformed one.
func storedAt(s string) time.Time {
	t, err := time.Parse(types.DefaultDateLayout, s)
	if err != nil {
		return time.Time{}
	}
	return t
}

func (r messageRow) message() Message {
	at := storedAt(r.Created)
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

func (m messageMeta) json() string {
	if len(m.Mentions) == 0 && !m.All && m.Media == nil && m.Card == nil {
		return ""
	}
	b, _ := json.Marshal(m) // deliberate: a messageMeta always encodes
	return string(b)
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
		sent := storedAt(r.Created)
		if s.clock().Sub(sent) > RecallWindow {
			return problem.New(http.StatusBadRequest, "chat.recall_too_late")
		}
		if _, err := txApp.DB().NewQuery("UPDATE messages SET recalled = 1, updated = {:now} WHERE id = {:id}").
			Bind(dbx.Params{"id": r.ID, "now": s.clock().UTC().Format(types.DefaultDateLayout)}).Execute(); err != nil {
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
