package chat

import (
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"plaza/hooks/contacts"
	"plaza/hooks/links"
	"plaza/hooks/problem"
)

// GroupQRValidity is how long a group's QR code lets people join.
const GroupQRValidity = 7 * 24 * time.Hour

// sharerParam is the signed parameter of a join link naming the member who
// shared it.
const sharerParam = "by"

// GroupLink returns a join link for a group the member is in, valid for
// seven days (the signed-link format of hooks/links, kind "join"). The link
// names the member who shares it and carries the group's join-code epoch:
// it stops working when that member leaves, when an owner or admin resets
// the code (ResetJoinCode), and for anyone removed from the group after it
// was made (WeChat's rules).
func (s *Service) GroupLink(memberID, convID string) (string, time.Time, error) {
	app := s.app
	m, err := memberOf(app, memberID, convID)
	if err != nil {
		return "", time.Time{}, err
	}
	if m.Kind != KindGroup {
		return "", time.Time{}, NotFound()
	}
	signer, err := contacts.Signer(app)
	if err != nil {
		return "", time.Time{}, err
	}
	var epoch int64
	if err := app.DB().NewQuery("SELECT join_epoch FROM conversations WHERE id = {:c}").Bind(dbx.Params{"c": convID}).Row(&epoch); err != nil {
		return "", time.Time{}, fmt.Errorf("load join epoch: %w", err)
	}
	expires := s.clock().Add(GroupQRValidity).Truncate(time.Second)
	path, err := signer.Path(links.Link{Kind: links.KindJoinGroup, Target: convID, Expires: expires, Epoch: epoch,
		Params: url.Values{sharerParam: {memberID}}})
	return path, expires, err
}

// ResetJoinCode voids every join link of a group made so far (owner and
// admins); links made from now on work.
func (s *Service) ResetJoinCode(actorID, convID string) error {
	return s.groupAction(actorID, convID, admins, func(txApp core.App) (string, error) {
		_, err := txApp.DB().NewQuery("UPDATE conversations SET join_epoch = join_epoch + 1 WHERE id = {:c}").Bind(dbx.Params{"c": convID}).Execute()
		return "", err
	})
}

// GroupInfo is what a join card shows.
type GroupInfo struct {
	ID      string
	Name    string
	Members int
	Issued  time.Time // when the link was made
}

// VerifyJoinLink checks a scanned join link and returns the group.
func (s *Service) VerifyJoinLink(raw string) (GroupInfo, error) {
	app := s.app
	l, err := contacts.ParseOwn(app, raw, s.clock())
	if err != nil {
		return GroupInfo{}, contacts.ScanProblem(err)
	}
	if l.Kind != links.KindJoinGroup {
		return GroupInfo{}, problem.New(http.StatusBadRequest, "scan.tampered")
	}
	var g struct {
		Name   string `db:"name"`
		N      int    `db:"n"`
		Epoch  int64  `db:"join_epoch"`
		Sharer bool   `db:"sharer"`
	}
	err = app.DB().NewQuery(`SELECT c.name, c.join_epoch, (SELECT COUNT(*) FROM conversation_members WHERE conversation = c.id) AS n,
		EXISTS(SELECT 1 FROM conversation_members WHERE conversation = c.id AND member = {:by}) AS sharer
		FROM conversations c WHERE c.id = {:id} AND c.kind = 'group'`).Bind(dbx.Params{"id": l.Target, "by": l.Params.Get(sharerParam)}).One(&g)
	if errors.Is(err, sql.ErrNoRows) {
		return GroupInfo{}, contacts.ScanProblem(links.ErrRevoked) // the group is gone
	} else if err != nil {
		return GroupInfo{}, fmt.Errorf("find group: %w", err)
	}
	// A reset code, or a sharer who has left (or a link from before links
	// named their sharer): revoked.
	if l.Epoch != g.Epoch || !g.Sharer {
		return GroupInfo{}, contacts.ScanProblem(links.ErrRevoked)
	}
	return GroupInfo{ID: l.Target, Name: g.Name, Members: g.N, Issued: l.Expires.Add(-GroupQRValidity)}, nil
}

// Join adds the member to the group behind a valid join link. They see the
// history from now on, and everyone sees a notice. Joining twice is a no-op.
// A group that asks for approval stores a request and answers
// ErrAwaitingApproval.
func (s *Service) Join(memberID, raw string) (string, error) {
	g, err := s.VerifyJoinLink(raw)
	if err != nil {
		return "", err
	}
	var notice Message
	pending := false
	err = s.app.RunInTransaction(func(txApp core.App) error {
		if _, err := memberOf(txApp, memberID, g.ID); err == nil {
			return nil // already in
		}
		// Removed after the link was made: it cannot bring them back.
		var removed int
		if err := txApp.DB().NewQuery("SELECT COUNT(*) FROM group_removals WHERE conversation = {:c} AND member = {:m} AND at >= {:issued}").
			Bind(dbx.Params{"c": g.ID, "m": memberID, "issued": g.Issued.UTC().Format(types.DefaultDateLayout)}).Row(&removed); err != nil {
			return fmt.Errorf("check removals: %w", err)
		}
		if removed > 0 {
			return contacts.ScanProblem(links.ErrRevoked)
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
			return requestJoin(txApp, g.ID, memberID, memberID, s.clock())
		}
		if err := addMember(txApp, g.ID, memberID, g2.LastSeq); err != nil {
			return err
		}
		notice, err = systemMessage(txApp, g.ID, "joined_by_qr:"+memberID, s.clock())
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
	r.Set("role", RoleMember)
	r.Set("joined_seq", lastSeq)
	r.Set("last_read_seq", lastSeq)
	if err := txApp.Save(r); err != nil {
		return fmt.Errorf("add group member: %w", err)
	}
	return nil
}
