// Package chat is conversations (1:1 and groups) and their messages: a
// gap-free sequence per conversation, idempotent sends by client message id,
// read positions, and fan-out to sockets after each commit.
package chat

import (
	"database/sql"
	"errors"
	"fmt"
	"net/http"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

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
	return m, membershipErr(err)
}

// membershipErr is what a membership read's error means: no row is a
// conversation that does not exist for the member.
func membershipErr(err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return NotFound()
	}
	if err != nil {
		return fmt.Errorf("check membership: %w", err)
	}
	return nil
}

// MemberIDs lists who is in a conversation now (read at fan-out time).
func MemberIDs(app core.App, convID string) ([]string, error) {
	var ids []string
	err := app.DB().NewQuery("SELECT member FROM conversation_members WHERE conversation = {:c}").
		Bind(dbx.Params{"c": convID}).Column(&ids)
	return ids, err
}
