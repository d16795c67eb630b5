package chat

// Sending: the checks, the sequence number and the insert of one message,
// inside a transaction (batch.go groups concurrent sends).

import (
	"cmp"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"plaza/hooks/problem"
)

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
	return m, membershipErr(err)
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
	kind       string // the conversation's kind (a member's send)
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
	case problem.HasNUL(in.Text): // no member text holds a NUL (it broke search)
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
		quoted, err := quoteFor(c, m, convID, in.ReplyTo)
		if err != nil {
			return err
		}
		if quoted == nil {
			in.ReplyTo = "" // none, or not visible to the sender: send without the quote
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
		row, ver, err := appendMessage(txApp, c, messageRow{Conversation: convID, Sender: senderID,
			ClientID: in.ClientID, Kind: in.Kind, Text: in.Text, ReplyTo: in.ReplyTo, Meta: meta.json()}, s.clock(), "")
		if err != nil {
			return err
		}
		seq := row.Seq
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
		res = SendResult{Message: row.message(), New: true, membersVer: ver, hasVer: true, kind: m.Kind}
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

// quoteFor is the quote of the message a send replies to, nil when it
// replies to none or to one the sender cannot see.
func quoteFor(c querier, m membership, convID, replyTo string) (*Quote, error) {
	if replyTo == "" {
		return nil, nil
	}
	var q messageRow
	err := c.q("SELECT "+messageColumns+" FROM messages WHERE id = {:id} AND conversation = {:c} AND seq > {:from} AND kind != 'system'",
		dbx.Params{"id": replyTo, "c": convID, "from": max(m.JoinedSeq, m.Cleared)}).One(&q)
	switch {
	case err == nil:
		return quoteOf(q), nil
	case errors.Is(err, sql.ErrNoRows):
		return nil, nil
	default:
		return nil, fmt.Errorf("load quoted message: %w", err)
	}
}

// appendMessage stores row as the conversation's next message inside the
// caller's transaction: it takes the next sequence number, stamps the
// conversation's last activity with now, and sets the frames' order
// (publish.go). The one way a message is written: a member's send, a
// notice, a card from Plaza. With kind set, the conversation must be of
// that kind. It returns the stored row and the conversation's members
// version.
func appendMessage(txApp core.App, c querier, row messageRow, now time.Time, kind string) (messageRow, int64, error) {
	at := now.UTC().Format(types.DefaultDateLayout)
	q := "UPDATE conversations SET last_seq = last_seq + 1, last_at = {:now}, updated = {:now} WHERE id = {:c}"
	if kind != "" {
		q += " AND kind = {:kind}"
	}
	var ver int64
	if err := c.q(q+" RETURNING last_seq, members_ver", dbx.Params{"c": row.Conversation, "now": at, "kind": kind}).Row(&row.Seq, &ver); err != nil {
		return row, 0, fmt.Errorf("next seq: %w", err)
	}
	orderOf(txApp).expect(row.Conversation, row.Seq) // publish.go: frames go out in this order
	row.ID, row.Created = core.GenerateDefaultRandomId(), at
	if err := insertMessage(c, row); err != nil {
		return row, 0, err
	}
	return row, ver, nil
}

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
