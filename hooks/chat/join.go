package chat

import (
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/contacts"
	"plaza/hooks/links"
	"plaza/hooks/problem"
)

// GroupQRValidity is how long a group's QR code lets people join.
const GroupQRValidity = 7 * 24 * time.Hour

// GroupLink returns a join link for a group the member is in, valid for
// seven days (the signed-link format of hooks/links, kind "join").
func GroupLink(app core.App, memberID, convID string) (string, time.Time, error) {
	m, err := memberOf(app, memberID, convID)
	if err != nil {
		return "", time.Time{}, err
	}
	if m.Kind != KindGroup {
		return "", time.Time{}, notFound()
	}
	s, err := contacts.Signer(app)
	if err != nil {
		return "", time.Time{}, err
	}
	expires := Now().Add(GroupQRValidity).Truncate(time.Second)
	path, err := s.Path(links.Link{Kind: links.KindJoinGroup, Target: convID, Expires: expires})
	return path, expires, err
}

// GroupInfo is what a join card shows.
type GroupInfo struct {
	ID      string
	Name    string
	Members int
}

// VerifyJoinLink checks a scanned join link and returns the group.
func VerifyJoinLink(app core.App, raw string) (GroupInfo, error) {
	s, err := contacts.Signer(app)
	if err != nil {
		return GroupInfo{}, err
	}
	l, err := s.Parse(raw, Now())
	if err != nil {
		return GroupInfo{}, contacts.ScanProblem(err)
	}
	if l.Kind != links.KindJoinGroup {
		return GroupInfo{}, problem.New(http.StatusBadRequest, "scan.tampered")
	}
	var g struct {
		Name string `db:"name"`
		N    int    `db:"n"`
	}
	err = app.DB().NewQuery(`SELECT c.name, (SELECT COUNT(*) FROM conversation_members WHERE conversation = c.id) AS n
		FROM conversations c WHERE c.id = {:id} AND c.kind = 'group'`).Bind(dbx.Params{"id": l.Target}).One(&g)
	if errors.Is(err, sql.ErrNoRows) {
		return GroupInfo{}, contacts.ScanProblem(links.ErrRevoked) // the group is gone
	} else if err != nil {
		return GroupInfo{}, fmt.Errorf("find group: %w", err)
	}
	return GroupInfo{ID: l.Target, Name: g.Name, Members: g.N}, nil
}

// Join adds the member to the group behind a valid join link. They see the
// history from now on, and everyone sees a notice. Joining twice is a no-op.
// A group that asks for approval stores a request and answers
// ErrAwaitingApproval.
func (s *Service) Join(memberID, raw string) (string, error) {
	g, err := VerifyJoinLink(s.app, raw)
	if err != nil {
		return "", err
	}
	var notice Message
	pending := false
	err = s.app.RunInTransaction(func(txApp core.App) error {
		if _, err := memberOf(txApp, memberID, g.ID); err == nil {
			return nil // already in
		}
		g2, err := groupStateOf(txApp, g.ID)
		if err != nil {
			return err
		}
		if g2.Members >= GroupMax {
			return problem.New(http.StatusConflict, "chat.group_full")
		}
		if g2.Approval {
			pending = true
			return requestJoin(txApp, g.ID, memberID, memberID)
		}
		if err := addMember(txApp, g.ID, memberID, g2.LastSeq); err != nil {
			return err
		}
		notice, err = systemMessage(txApp, g.ID, "joined_by_qr:"+memberID)
		return err
	})
	if err != nil {
		return "", err
	}
	if pending {
		return "", ErrAwaitingApproval
	}
	if notice.ID != "" {
		s.publish(g.ID, Frame{T: "msg", C: g.ID, M: &notice})
	}
	return g.ID, nil
}

// groupState is what adding a member to a group needs to know.
type groupState struct {
	LastSeq  int64 `db:"last_seq"`
	Members  int   `db:"members"`
	Approval bool  `db:"invite_approval"` // new members wait for approval
}

func groupStateOf(txApp core.App, convID string) (groupState, error) {
	var g groupState
	err := txApp.DB().NewQuery(`SELECT last_seq, invite_approval,
		(SELECT COUNT(*) FROM conversation_members WHERE conversation = {:c}) AS members FROM conversations WHERE id = {:c}`).
		Bind(dbx.Params{"c": convID}).One(&g)
	if err != nil {
		return g, fmt.Errorf("load group: %w", err)
	}
	return g, nil
}

// addMember puts a member into a group, seeing history from lastSeq on.
func addMember(txApp core.App, convID, memberID string, lastSeq int64) error {
	mc, err := txApp.FindCachedCollectionByNameOrId(MembersCollection)
	if err != nil {
		return err
	}
	r := core.NewRecord(mc)
	r.Set("conversation", convID)
	r.Set("member", memberID)
	r.Set("role", "member")
	r.Set("joined_seq", lastSeq)
	r.Set("last_read_seq", lastSeq)
	if err := txApp.Save(r); err != nil {
		return fmt.Errorf("add group member: %w", err)
	}
	return nil
}
