package chat

import (
	"net/http"
	"slices"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/problem"
)

// GroupUpdate changes a group's name and announcement; nil fields stay.
type GroupUpdate struct {
	Name, Announcement *string
}

// UpdateGroup applies a GroupUpdate (owner and admins): the Manage group
// page's form and PATCH /api/plaza/chats/{id}. Both texts are checked before
// either is written; an unchanged text is not written again (no notice).
func (s *Service) UpdateGroup(actorID, convID string, u GroupUpdate) error {
	m, err := memberOf(s.app, actorID, convID)
	if err != nil {
		return err
	}
	if m.Kind != KindGroup {
		return NotFound()
	}
	if !slices.Contains(admins, m.Role) {
		return problem.New(http.StatusForbidden, "chat.admins_only")
	}
	var name, ann string
	if u.Name != nil {
		name = strings.TrimSpace(*u.Name)
		if err := checkGroupName(name); err != nil {
			return err
		}
	}
	if u.Announcement != nil {
		ann = strings.TrimSpace(*u.Announcement)
		if err := checkAnnouncement(ann); err != nil {
			return err
		}
	}
	var current struct {
		Name string `db:"name"`
		Ann  string `db:"announcement"`
	}
	if err := s.app.DB().NewQuery("SELECT name, announcement FROM conversations WHERE id = {:c}").Bind(dbx.Params{"c": convID}).One(&current); err != nil {
		return NotFound()
	}
	if u.Name != nil && name != current.Name {
		if err := s.Rename(actorID, convID, name); err != nil {
			return err
		}
	}
	if u.Announcement != nil && ann != current.Ann {
		return s.SetAnnouncement(actorID, convID, ann)
	}
	return nil
}

// MemberRole is one member of a conversation and their role, in the order
// they joined.
type MemberRole struct {
	ID   string `db:"member"`
	Role string `db:"role"`
}

// MemberRoles lists a conversation's members and their roles, in the
// order they joined.
func MemberRoles(app core.App, convID string) ([]MemberRole, error) {
	var out []MemberRole
	err := app.DB().NewQuery("SELECT member, role FROM conversation_members WHERE conversation = {:c} ORDER BY created, id").
		Bind(dbx.Params{"c": convID}).All(&out)
	return out, err
}

// ChatMember is a member of a conversation as the viewer sees them.
type ChatMember struct {
	ID        string `json:"id"`
	Name      string `json:"name"` // the viewer's remark, else the group alias, else the display name
	AvatarURL string `json:"avatar_url,omitempty"`
	Role      string `json:"role"` // owner, admin or member
}

// Members lists a conversation's members with their roles, in the order
// they joined (members of it only).
func (s *Service) Members(viewerID, convID string) ([]ChatMember, error) {
	if _, err := memberOf(s.app, viewerID, convID); err != nil {
		return nil, err
	}
	roles, err := MemberRoles(s.app, convID)
	if err != nil {
		return nil, err
	}
	people, _, err := s.People(viewerID, convID)
	if err != nil {
		return nil, err
	}
	out := make([]ChatMember, 0, len(roles))
	for _, r := range roles {
		p := people[r.ID]
		out = append(out, ChatMember{ID: r.ID, Name: p.Name, AvatarURL: p.AvatarURL, Role: r.Role})
	}
	return out, nil
}

// Info is a chat's settings as one of its members sees them: the info
// page's and GET /api/plaza/chats/{id}'s.
type Info struct {
	Kind         string `db:"kind"`
	Name         string `db:"name"`
	Announcement string `db:"announcement"`
	Approval     bool   `db:"invite_approval"`
	LastSeq      int64  `db:"last_seq"`
	Pinned       bool   `db:"pinned"`
	Muted        bool   `db:"muted"`
	Alias        string `db:"alias"`
	Members      int    `db:"members"`
	Role         string `db:"role"`
	// UnreadAnnouncement is the announcement while the member has not
	// acknowledged it yet ("Got it"), else "".
	UnreadAnnouncement string `db:"-"`
}

// InfoOf reads memberID's view of convID's settings (members only).
func (s *Service) InfoOf(memberID, convID string) (Info, error) {
	mine, err := memberOf(s.app, memberID, convID)
	if err != nil {
		return Info{}, err
	}
	var row struct {
		Info
		AnnRev  int `db:"announcement_rev"`
		AnnRead int `db:"announcement_read_rev"`
	}
	if err := s.app.DB().NewQuery(`SELECT c.kind, c.name, c.announcement, c.invite_approval, c.last_seq, c.announcement_rev,
		cm.announcement_read_rev, cm.pinned, cm.muted, cm.alias, cm.role,
		(SELECT COUNT(*) FROM conversation_members WHERE conversation = c.id) AS members
		FROM conversation_members cm JOIN conversations c ON c.id = cm.conversation WHERE cm.id = {:id}`).
		Bind(dbx.Params{"id": mine.ID}).One(&row); err != nil {
		return Info{}, err
	}
	info := row.Info
	if info.Announcement != "" && row.AnnRead < row.AnnRev {
		info.UnreadAnnouncement = info.Announcement
	}
	return info, nil
}
