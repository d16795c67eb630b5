package chat

import (
	"database/sql"
	"errors"
	"fmt"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/problem"
)

// The typed reads other modules use instead of naming chat's tables
// (docs/ARCHITECTURE.md, "Each table has one owner"). Each takes the app
// or, inside a transaction, its txApp.

// Membership is a member's place in a chat, as another module needs it.
type Membership struct {
	Kind    string // KindDirect, KindGroup or KindService
	Role    string // RoleOwner, RoleAdmin or RoleMember ("" in a 1:1 chat)
	Members int    // how many members the chat has now
	Peer    string // in a 1:1 chat, the other member
}

// MembershipOf returns memberID's place in convID, or a not-found problem
// when they are not in it now: a chat one is not in does not exist for
// them (docs/SECURITY.md §3). It reads chat's one membership query
// (memberOf) and, for the count and the peer, one more.
func MembershipOf(app core.App, memberID, convID string) (Membership, error) {
	m, err := memberOf(app, memberID, convID)
	if err != nil {
		return Membership{}, err
	}
	out := Membership{Kind: m.Kind, Role: m.Role}
	err = app.DB().NewQuery(`SELECT COUNT(*), COALESCE(MAX(CASE WHEN member != {:m} THEN member END), '')
		FROM conversation_members WHERE conversation = {:c}`).
		Bind(dbx.Params{"c": convID, "m": memberID}).Row(&out.Members, &out.Peer)
	if err != nil {
		return Membership{}, fmt.Errorf("count chat members: %w", err)
	}
	if out.Kind != KindDirect {
		out.Peer = ""
	}
	return out, nil
}

// IsMember reports whether memberID is in convID now.
func IsMember(app core.App, memberID, convID string) (bool, error) {
	_, err := memberOf(app, memberID, convID)
	if _, refused := problem.As(err); refused {
		return false, nil
	}
	return err == nil, err
}

// KindOf is convID's kind, "" when the chat is gone.
func KindOf(app core.App, convID string) (string, error) {
	var kind string
	err := app.DB().NewQuery(`SELECT kind FROM conversations WHERE id = {:c}`).Bind(dbx.Params{"c": convID}).Row(&kind)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("load chat kind: %w", err)
	}
	return kind, nil
}

// OtherMembers are convID's members but exceptID, in the order they joined.
func OtherMembers(app core.App, convID, exceptID string) ([]string, error) {
	var ids []string
	err := app.DB().NewQuery(`SELECT member FROM conversation_members WHERE conversation = {:c} AND member != {:m} ORDER BY created`).
		Bind(dbx.Params{"c": convID, "m": exceptID}).Column(&ids)
	if err != nil {
		return nil, fmt.Errorf("list chat members: %w", err)
	}
	return ids, nil
}

// OwnedGroup is the id of the group named name that ownerID owns, "" when
// there is none (the demo seeding finds the groups it made).
func OwnedGroup(app core.App, ownerID, name string) (string, error) {
	var id string
	err := app.DB().NewQuery("SELECT id FROM conversations WHERE kind = {:k} AND name = {:n} AND owner = {:o} LIMIT 1").
		Bind(dbx.Params{"k": KindGroup, "n": name, "o": ownerID}).Row(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("find group: %w", err)
	}
	return id, nil
}
