package chat

import (
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"plaza/hooks/problem"
)

// JoinRequestsCollection holds invitations (and joins by QR code) waiting
// for the owner's or an admin's approval.
const JoinRequestsCollection = "group_join_requests"

// ErrAwaitingApproval is Join's answer when the group needs approval: the
// request is stored and the owner and admins decide.
var ErrAwaitingApproval = errors.New("chat: the join request waits for approval")

// SetInviteApproval switches "owner approves new members" on or off
// (owner only). While on, plain members' invitations and joins by QR code
// wait for the owner or an admin.
func (s *Service) SetInviteApproval(ownerID, convID string, on bool) error {
	return s.groupAction(ownerID, convID, []string{RoleOwner}, func(txApp core.App) (string, error) {
		_, err := txApp.DB().NewQuery("UPDATE conversations SET invite_approval = {:on} WHERE id = {:c}").
			Bind(dbx.Params{"on": on, "c": convID}).Execute()
		return "", err
	})
}

// NeedsApproval reports whether member's invitations into convID wait for
// approval (the group asks for it and they are neither owner nor admin).
func NeedsApproval(app core.App, memberID, convID string) (bool, error) {
	var on bool
	err := app.DB().NewQuery(`SELECT c.invite_approval AND cm.role = {:plain} FROM conversations c
		JOIN conversation_members cm ON cm.conversation = c.id AND cm.member = {:m} WHERE c.id = {:c}`).
		Bind(dbx.Params{"c": convID, "m": memberID, "plain": RoleMember}).Row(&on)
	if errors.Is(err, sql.ErrNoRows) {
		return false, NotFound()
	}
	return on, err
}

// requestJoin stores a waiting request (once per invitee).
func requestJoin(txApp core.App, convID, inviterID, inviteeID string, now time.Time) error {
	_, err := txApp.DB().NewQuery(`INSERT INTO group_join_requests (id, conversation, inviter, invitee, created)
		VALUES ({:id}, {:c}, {:by}, {:who}, {:now}) ON CONFLICT (conversation, invitee) DO NOTHING`).
		Bind(dbx.Params{"id": core.GenerateDefaultRandomId(), "c": convID, "by": inviterID, "who": inviteeID, "now": now.UTC().Format(types.DefaultDateLayout)}).Execute()
	if err != nil {
		return fmt.Errorf("store join request: %w", err)
	}
	return nil
}

// JoinRequest is an invitation waiting for approval.
type JoinRequest struct {
	ID      string `db:"id"`
	Inviter string `db:"inviter"`
	Invitee string `db:"invitee"`
}

// JoinRequests lists a group's waiting requests (owner and admins only).
func JoinRequests(app core.App, actorID, convID string) ([]JoinRequest, error) {
	m, err := memberOf(app, actorID, convID)
	if err != nil {
		return nil, err
	}
	if m.Role == RoleMember {
		return nil, problem.New(http.StatusForbidden, "chat.admins_only")
	}
	var out []JoinRequest
	err = app.DB().NewQuery("SELECT id, inviter, invitee FROM group_join_requests WHERE conversation = {:c} ORDER BY created, id LIMIT 200").
		Bind(dbx.Params{"c": convID}).All(&out)
	return out, err
}

// DecideJoin approves (adding the member, with a notice) or declines a
// waiting request (owner and admins).
func (s *Service) DecideJoin(actorID, convID, requestID string, approve bool) error {
	return s.groupAction(actorID, convID, admins, func(txApp core.App) (string, error) {
		var r JoinRequest
		err := txApp.DB().NewQuery("SELECT id, inviter, invitee FROM group_join_requests WHERE id = {:id} AND conversation = {:c}").
			Bind(dbx.Params{"id": requestID, "c": convID}).One(&r)
		if errors.Is(err, sql.ErrNoRows) {
			return "", NotFound()
		} else if err != nil {
			return "", fmt.Errorf("load join request: %w", err)
		}
		if _, err := txApp.DB().NewQuery("DELETE FROM group_join_requests WHERE id = {:id}").Bind(dbx.Params{"id": r.ID}).Execute(); err != nil {
			return "", fmt.Errorf("delete join request: %w", err)
		}
		if !approve {
			return "", nil
		}
		if _, err := memberOf(txApp, r.Invitee, convID); err == nil {
			return "", nil // joined meanwhile
		}
		g, err := groupStateOf(txApp, convID)
		if err != nil {
			return "", err
		}
		if g.Members >= GroupMax {
			return "", problem.New(http.StatusConflict, "chat.group_full")
		}
		if err := addMember(txApp, convID, r.Invitee, g.LastSeq); err != nil {
			return "", err
		}
		if r.Inviter == r.Invitee {
			return "joined_by_qr:" + r.Invitee, nil
		}
		return "invited:" + r.Inviter + ":" + r.Invitee, nil
	})
}

// MarkAnnouncementRead records that the member has seen the group's
// current announcement.
func (s *Service) MarkAnnouncementRead(memberID, convID string) error {
	return s.updateMine(memberID, convID, "announcement_read_rev = (SELECT announcement_rev FROM conversations WHERE id = {:c})", nil)
}

// AnnouncementReaders lists who has seen the current announcement (owner
// and admins only): member ids that have read it, out of all members.
func AnnouncementReaders(app core.App, actorID, convID string) (read []string, total int, err error) {
	m, err := memberOf(app, actorID, convID)
	if err != nil {
		return nil, 0, err
	}
	if m.Role == RoleMember {
		return nil, 0, problem.New(http.StatusForbidden, "chat.admins_only")
	}
	var rows []struct {
		Member string `db:"member"`
		Read   bool   `db:"seen"`
	}
	err = app.DB().NewQuery(`SELECT cm.member, cm.announcement_read_rev >= c.announcement_rev AS seen FROM conversation_members cm
		JOIN conversations c ON c.id = cm.conversation WHERE cm.conversation = {:c} ORDER BY cm.created, cm.id`).
		Bind(dbx.Params{"c": convID}).All(&rows)
	if err != nil {
		return nil, 0, fmt.Errorf("load announcement readers: %w", err)
	}
	for _, r := range rows {
		if r.Read {
			read = append(read, r.Member)
		}
	}
	return read, len(rows), nil
}
