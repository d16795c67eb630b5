package chat

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
)

// Account chats: a conversation of kind KindAccount between one member and
// an Official Account (docs/OFFICIAL_ACCOUNTS.md, "Conversations"). The
// member is its only member; what the account says has no sender (the
// operator who wrote it is kept in the message's meta as "by"). A folded
// one (a subscription account's) stays out of the chat list and the
// Chats badge: its follower reads it from Subscriptions. Chat stores and
// delivers; the oa package decides who may write what.

// KindAccount is the kind of a member's chat with an Official Account.
const KindAccount = "oa"

// accountKey is the dm_key of memberID's chat with accountID.
func accountKey(accountID, memberID string) string { return "oa:" + accountID + ":" + memberID }

// AccountChat returns memberID's chat with accountID inside the caller's
// transaction, creating it (named name) on first use and bringing the
// member back into it after they left (an unfollow); folded keeps it out of
// the chat list.
func AccountChat(txApp core.App, accountID, memberID, name string, folded bool) (string, error) {
	key := accountKey(accountID, memberID)
	var id string
	err := txApp.DB().NewQuery("SELECT id FROM conversations WHERE dm_key = {:k}").Bind(dbx.Params{"k": key}).Row(&id)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		if id, err = createConversation(txApp, KindAccount, name, "", key, []string{memberID}, time.Now()); err != nil {
			return "", err
		}
	case err != nil:
		return "", fmt.Errorf("find account chat: %w", err)
	default:
		if _, err := txApp.DB().NewQuery(`INSERT INTO conversation_members (id, conversation, member, role, joined_seq, last_read_seq,
				mention_seq, cleared_seq, muted, pinned, hidden, marked_unread, folded, alias, created, updated)
			SELECT {:id}, {:c}, {:m}, 'member', 0, c.last_seq, 0, 0, 0, 0, 0, 0, 0, '', {:now}, {:now} FROM conversations c
			WHERE c.id = {:c} AND NOT EXISTS (SELECT 1 FROM conversation_members WHERE conversation = {:c} AND member = {:m})`).
			Bind(dbx.Params{"id": core.GenerateDefaultRandomId(), "c": id, "m": memberID, "now": storedNow()}).Execute(); err != nil {
			return "", fmt.Errorf("rejoin account chat: %w", err)
		}
		if _, err := txApp.DB().NewQuery(`UPDATE conversations SET name = {:n} WHERE id = {:c}`).
			Bind(dbx.Params{"n": name, "c": id}).Execute(); err != nil {
			return "", fmt.Errorf("name account chat: %w", err)
		}
	}
	if _, err := txApp.DB().NewQuery(`UPDATE conversation_members SET folded = {:f}, muted = {:f} WHERE conversation = {:c} AND member = {:m}`).
		Bind(dbx.Params{"f": folded, "c": id, "m": memberID}).Execute(); err != nil {
		return "", fmt.Errorf("fold account chat: %w", err)
	}
	return id, nil
}

// storedNow is now as chat stores times.
func storedNow() string { return time.Now().UTC().Format(types.DefaultDateLayout) }

// LeaveAccountChat takes memberID out of their chat with accountID (an
// unfollow): it leaves their chat list; the messages stay for when they
// follow again.
func LeaveAccountChat(txApp core.App, accountID, memberID string) error {
	_, err := txApp.DB().NewQuery(`DELETE FROM conversation_members WHERE member = {:m}
		AND conversation = (SELECT id FROM conversations WHERE dm_key = {:k})`).
		Bind(dbx.Params{"m": memberID, "k": accountKey(accountID, memberID)}).Execute()
	if err != nil {
		return fmt.Errorf("leave account chat: %w", err)
	}
	return nil
}

// AccountChatOf says whose chat convID is: its account and member ("" for
// a chat of another kind).
func AccountChatOf(app core.App, convID string) (accountID, memberID string, err error) {
	var key string
	err = app.DB().NewQuery(`SELECT dm_key FROM conversations WHERE id = {:c} AND kind = {:k}`).
		Bind(dbx.Params{"c": convID, "k": KindAccount}).Row(&key)
	if errors.Is(err, sql.ErrNoRows) {
		return "", "", nil
	} else if err != nil {
		return "", "", fmt.Errorf("read account chat: %w", err)
	}
	parts := strings.Split(key, ":")
	if len(parts) != 3 {
		return "", "", nil
	}
	return parts[1], parts[2], nil
}

// PostAsAccountInTx stores what the account says in convID (an account
// chat) inside the caller's transaction: a text, or a card when card is
// set; by is the operator who wrote it ("" for an automatic reply or a
// broadcast). Pass the result to Announce after the commit.
func (s *Service) PostAsAccountInTx(txApp core.App, convID, by, text string, card *Card) (SendResult, error) {
	return s.PostAsAccountOnceInTx(txApp, convID, "", by, text, card)
}

// PostAsAccountOnceInTx is PostAsAccountInTx stored once per clientID in
// the chat (a broadcast's delivery, resumed or done twice): a second call
// returns the first message, not new. An empty clientID stores always.
func (s *Service) PostAsAccountOnceInTx(txApp core.App, convID, clientID, by, text string, card *Card) (SendResult, error) {
	if clientID != "" {
		var dup messageRow
		err := txApp.DB().NewQuery("SELECT " + messageColumns + ` FROM messages WHERE conversation = {:c} AND sender = '' AND client_id = {:cid} LIMIT 1`).
			Bind(dbx.Params{"c": convID, "cid": clientID}).One(&dup)
		if err == nil {
			return SendResult{Message: dup.message()}, nil
		} else if !errors.Is(err, sql.ErrNoRows) {
			return SendResult{}, fmt.Errorf("account chat: %w", err)
		}
	}
	row := messageRow{Conversation: convID, ClientID: clientID, Kind: MsgText, Text: text, Meta: messageMeta{By: by}.json()}
	if card != nil {
		if _, ok := s.reg.Card(card.Type); !ok {
			return SendResult{}, fmt.Errorf("chat: card type %q is not registered", card.Type)
		}
		if err := checkCard(card); err != nil {
			return SendResult{}, err
		}
		row.Kind, row.Text, row.Meta = MsgCard, "", messageMeta{Card: card, By: by}.json()
	}
	stored, ver, err := appendMessage(txApp, direct{txApp}, row, s.clock(), KindAccount)
	if err != nil {
		return SendResult{}, fmt.Errorf("account chat: %w", err)
	}
	return SendResult{Message: stored.message(), New: true, membersVer: ver, hasVer: true}, nil
}

// OnAccountMessage sets f to be told of every message a member stores in
// an account chat, once it is delivered, on the sender's goroutine (f
// records what must hold before the send returns, the reply window, and
// answers on a goroutine of its own: an auto-reply or the webhook's).
func (s *Service) OnAccountMessage(f func(convID string, m Message)) { s.accountHook = f }

// accountMessage tells the account chats' hook of a member's new message.
func (s *Service) accountMessage(convID string, res SendResult) {
	if f := s.accountHook; f != nil && res.New && res.kind == KindAccount && res.Message.Sender != "" {
		f(convID, res.Message)
	}
}

// AccountThread is one follower's chat in an account's inbox.
type AccountThread struct {
	Conversation string `db:"id" json:"conversation"`
	Member       string `db:"member" json:"member"`
	LastSeq      int64  `db:"last_seq" json:"last_seq"`
	LastAt       string `db:"last_at" json:"last_at"`
	Preview      string `db:"preview" json:"preview"`
	LastKind     string `db:"last_kind" json:"last_kind"`
	FromMember   bool   `db:"from_member" json:"from_member"` // the last message is the follower's
}

// AccountThreads are accountID's chats with its followers that hold a
// follower's message, the latest first (the operators' inbox; the oa
// package checks who may read it).
func AccountThreads(app core.App, accountID string, limit int) ([]AccountThread, error) {
	var out []AccountThread
	err := app.DB().NewQuery(`SELECT c.id, substr(c.dm_key, 20) AS member, c.last_seq, c.last_at,
			COALESCE(m.text, '') AS preview, COALESCE(m.kind, '') AS last_kind, COALESCE(m.sender != '', 0) AS from_member
		FROM conversations c LEFT JOIN messages m ON m.conversation = c.id AND m.seq = c.last_seq
		WHERE c.dm_key >= {:lo} AND c.dm_key < {:hi} AND c.kind = {:k}
		  AND EXISTS (SELECT 1 FROM messages x WHERE x.conversation = c.id AND x.sender != '')
		ORDER BY c.last_at DESC LIMIT {:n}`).
		Bind(dbx.Params{"lo": "oa:" + accountID + ":", "hi": "oa:" + accountID + ";", "k": KindAccount, "n": limit}).All(&out)
	if err != nil {
		return nil, fmt.Errorf("account inbox: %w", err)
	}
	return out, nil
}

// AccountMessages are the latest limit messages of an account chat, oldest
// first, for the account's operators (the oa package checks who may).
func AccountMessages(app core.App, convID string, limit int) ([]Message, error) {
	var rows []messageRow
	if err := app.DB().NewQuery(`SELECT ` + messageColumns + ` FROM messages WHERE conversation = {:c} ORDER BY seq DESC LIMIT {:n}`).
		Bind(dbx.Params{"c": convID, "n": limit}).All(&rows); err != nil {
		return nil, fmt.Errorf("account chat messages: %w", err)
	}
	out := make([]Message, len(rows))
	for i, r := range rows {
		out[i] = r.message()
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Seq < out[j].Seq })
	return out, nil
}

// IsOnline reports whether memberID has a socket open now.
func (s *Service) IsOnline(memberID string) bool { return s.hub.Online(memberID) > 0 }

// accountRowsPerStatement is how many messages one INSERT of
// PostCardToAccountChatsInTx writes.
const accountRowsPerStatement = 200

// PostCardToAccountChatsInTx stores the same card from an account in
// each of convIDs (account chats) inside the caller's transaction, once
// per clientID and chat (a chat that has it already is skipped): a
// broadcast's batch in a few statements, not three per chat. It returns
// the new messages; pass each to Announce after the commit.
func (s *Service) PostCardToAccountChatsInTx(txApp core.App, convIDs []string, clientID string, card *Card) ([]SendResult, error) {
	if _, ok := s.reg.Card(card.Type); !ok {
		return nil, fmt.Errorf("chat: card type %q is not registered", card.Type)
	}
	if err := checkCard(card); err != nil {
		return nil, err
	}
	list, err := json.Marshal(convIDs)
	if err != nil {
		return nil, fmt.Errorf("account chats: %w", err)
	}
	at := s.clock().UTC().Format(types.DefaultDateLayout)
	var rows []struct {
		ID  string `db:"id"`
		Seq int64  `db:"last_seq"`
		Ver int64  `db:"members_ver"`
	}
	// One UPDATE takes every chat's next sequence number, skipping the
	// chats that hold the message already (by client id: a resumed walk).
	if err := txApp.DB().NewQuery(`UPDATE conversations SET last_seq = last_seq + 1, last_at = {:at}, updated = {:at}
		WHERE id IN (SELECT value FROM json_each({:list})) AND kind = {:k}
		  AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.conversation = conversations.id AND m.sender = '' AND m.client_id = {:cid})
		RETURNING id, last_seq, members_ver`).
		Bind(dbx.Params{"at": at, "list": string(list), "k": KindAccount, "cid": clientID}).All(&rows); err != nil {
		return nil, fmt.Errorf("account chats: next seq: %w", err)
	}
	meta := messageMeta{Card: card}.json()
	out := make([]SendResult, 0, len(rows))
	for len(rows) > 0 {
		batch := rows[:min(len(rows), accountRowsPerStatement)]
		rows = rows[len(batch):]
		var values strings.Builder
		params := dbx.Params{"cid": clientID, "kind": MsgCard, "meta": meta, "at": at}
		for i, r := range batch {
			n := strconv.Itoa(i)
			if i > 0 {
				values.WriteString(", ")
			}
			values.WriteString("({:i" + n + "}, {:c" + n + "}, {:s" + n + "}, '', {:cid}, {:kind}, '', '', {:meta}, 0, {:at}, {:at})")
			row := messageRow{ID: core.GenerateDefaultRandomId(), Conversation: r.ID, Seq: r.Seq, ClientID: clientID, Kind: MsgCard, Meta: meta, Created: at}
			params["i"+n], params["c"+n], params["s"+n] = row.ID, row.Conversation, row.Seq
			orderOf(txApp).expect(row.Conversation, row.Seq) // publish.go: frames go out in this order
			out = append(out, SendResult{Message: row.message(), New: true, membersVer: r.Ver, hasVer: true})
		}
		if _, err := txApp.DB().NewQuery(`INSERT INTO messages (id, conversation, seq, sender, client_id, kind, text, reply_to, meta, recalled, created, updated)
			VALUES ` + values.String()).Bind(params).Execute(); err != nil {
			return nil, fmt.Errorf("account chats: insert messages: %w", err)
		}
	}
	return out, nil
}
