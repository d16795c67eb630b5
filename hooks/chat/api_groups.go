package chat

// The JSON routes of what the chat pages' forms do (issue 11 item 6): open a
// 1:1 chat, create a group, its members and roles, the owner's and admins'
// settings, leaving and dissolving, and a member's own chat settings. Each
// handler decodes its body and calls the same operation as the page's form
// handler, so the rules, the system notices and the socket frames are the
// same on both paths.

import (
	"net/http"
	"slices"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"

	"plaza/hooks/problem"
	"plaza/hooks/web"
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
		return notFound()
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
		return notFound()
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

// memberRole is one member of a conversation and their role, in the order
// they joined.
type memberRole struct {
	ID   string `db:"member"`
	Role string `db:"role"`
}

func memberRoles(app core.App, convID string) ([]memberRole, error) {
	var out []memberRole
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
	roles, err := memberRoles(s.app, convID)
	if err != nil {
		return nil, err
	}
	people, _, err := s.people(viewerID, convID)
	if err != nil {
		return nil, err
	}
	out := make([]ChatMember, 0, len(roles))
	for _, r := range roles {
		p := people[r.ID]
		out = append(out, ChatMember{ID: r.ID, Name: p.name, AvatarURL: p.avatar, Role: r.Role})
	}
	return out, nil
}

// apiChat is a conversation in the JSON answers (GET /api/plaza/chats).
type apiChat struct {
	ID        string `json:"id"`
	Kind      string `json:"kind"`
	Name      string `json:"name,omitempty"`
	Peer      string `json:"peer,omitempty"`
	LastSeq   int64  `json:"last_seq"`
	Unread    int64  `json:"unread"`
	Mentioned bool   `json:"mentioned"`
	Muted     bool   `json:"muted"`
	Pinned    bool   `json:"pinned"`
}

func apiChatOf(c Summary) apiChat {
	return apiChat{ID: c.ID, Kind: c.Kind, Name: c.Name, Peer: c.Peer, LastSeq: c.LastSeq, Unread: c.Unread(), Mentioned: c.Mentioned(), Muted: c.Muted, Pinned: c.Pinned}
}

// answerChat answers with the caller's summary of a conversation, as an
// item of GET /api/plaza/chats.
func (s *Service) answerChat(e *core.RequestEvent, status int, convID string) error {
	c, err := SummaryFor(s.app, web.Member(e).Id, convID)
	if err != nil {
		return web.APIError(e, err)
	}
	return e.JSON(status, apiChatOf(c))
}

// body decodes a JSON body with web.BindJSON: malformed JSON is 400
// request.invalid, a value of the wrong type names its field.
func body[T any](e *core.RequestEvent) (T, error) {
	var in T
	err := web.BindJSON(e, &in)
	return in, err
}

// done answers an operation's result with 204 No Content, or its error.
func done(e *core.RequestEvent, err error) error {
	if err != nil {
		return web.APIError(e, err)
	}
	return e.NoContent(http.StatusNoContent)
}

// apiOpenDirect is POST /api/plaza/chats/direct {"member"}: the 1:1 chat
// with a friend, opened the first time (the page's POST /u/{friend}/chat).
func (s *Service) apiOpenDirect(e *core.RequestEvent) error {
	in, err := body[struct {
		Member string `json:"member"`
	}](e)
	if err == nil && in.Member == "" {
		err = problem.Invalid("member", "chat.member_required", nil)
	}
	if err != nil {
		return web.APIError(e, err)
	}
	id, err := OpenDirect(s.app, web.Member(e).Id, in.Member)
	if err != nil {
		return web.APIError(e, err)
	}
	return s.answerChat(e, http.StatusOK, id)
}

// apiCreateGroup is POST /api/plaza/chats {"name", "members"} (the page's
// POST /chats/groups).
func (s *Service) apiCreateGroup(e *core.RequestEvent) error {
	in, err := body[struct {
		Name    string   `json:"name"`
		Members []string `json:"members"`
	}](e)
	if err != nil {
		return web.APIError(e, err)
	}
	id, err := s.CreateGroup(web.Member(e).Id, in.Name, in.Members)
	if err != nil {
		return web.APIError(e, err)
	}
	return s.answerChat(e, http.StatusCreated, id)
}

// apiChatInfo is GET /api/plaza/chats/{id}: what the chat's info page shows
// of its settings.
func (s *Service) apiChatInfo(e *core.RequestEvent) error {
	me, convID := web.Member(e).Id, e.Request.PathValue("id")
	mine, err := memberOf(s.app, me, convID)
	if err != nil {
		return web.APIError(e, err)
	}
	var row struct {
		Kind     string `db:"kind" json:"kind"`
		Name     string `db:"name" json:"name"`
		Ann      string `db:"announcement" json:"announcement"`
		Approval bool   `db:"invite_approval" json:"approval"`
		Pinned   bool   `db:"pinned" json:"pinned"`
		Muted    bool   `db:"muted" json:"muted"`
		Alias    string `db:"alias" json:"alias"`
		Members  int    `db:"members" json:"members"`
	}
	if err := s.app.DB().NewQuery(`SELECT c.kind, c.name, c.announcement, c.invite_approval, cm.pinned, cm.muted, cm.alias,
		(SELECT COUNT(*) FROM conversation_members WHERE conversation = c.id) AS members
		FROM conversation_members cm JOIN conversations c ON c.id = cm.conversation WHERE cm.id = {:id}`).
		Bind(dbx.Params{"id": mine.ID}).One(&row); err != nil {
		return web.APIError(e, err)
	}
	return e.JSON(http.StatusOK, map[string]any{"id": convID, "kind": row.Kind, "name": row.Name, "announcement": row.Ann,
		"approval": row.Approval, "role": mine.Role, "pinned": row.Pinned, "muted": row.Muted, "alias": row.Alias, "members": row.Members})
}

// apiUpdateGroup is PATCH /api/plaza/chats/{id} {"name"?, "announcement"?}
// (the Manage group page's POST /chats/{id}/group).
func (s *Service) apiUpdateGroup(e *core.RequestEvent) error {
	in, err := body[struct {
		Name         *string `json:"name"`
		Announcement *string `json:"announcement"`
	}](e)
	if err != nil {
		return web.APIError(e, err)
	}
	return done(e, s.UpdateGroup(web.Member(e).Id, e.Request.PathValue("id"), GroupUpdate{Name: in.Name, Announcement: in.Announcement}))
}

// apiMembers is GET /api/plaza/chats/{id}/members.
func (s *Service) apiMembers(e *core.RequestEvent) error {
	items, err := s.Members(web.Member(e).Id, e.Request.PathValue("id"))
	if err != nil {
		return web.APIError(e, err)
	}
	return e.JSON(http.StatusOK, map[string]any{"items": items})
}

// apiInvite is POST /api/plaza/chats/{id}/members {"members"} (the info
// page's POST /chats/{id}/members): waiting tells that the invitations wait
// for the owner's or an admin's approval.
func (s *Service) apiInvite(e *core.RequestEvent) error {
	in, err := body[struct {
		Members []string `json:"members"`
	}](e)
	if err == nil && len(in.Members) == 0 {
		err = problem.Invalid("members", "chat.members_required", nil)
	}
	if err != nil {
		return web.APIError(e, err)
	}
	waiting, err := s.InviteFriends(web.Member(e).Id, e.Request.PathValue("id"), in.Members)
	if err != nil {
		return web.APIError(e, err)
	}
	return e.JSON(http.StatusOK, map[string]any{"waiting": waiting})
}

// apiRemoveMember is DELETE /api/plaza/chats/{id}/members/{member}.
func (s *Service) apiRemoveMember(e *core.RequestEvent) error {
	return done(e, s.Remove(web.Member(e).Id, e.Request.PathValue("id"), e.Request.PathValue("member")))
}

// apiSetRole is PATCH /api/plaza/chats/{id}/members/{member} {"role":
// "admin"|"member"} (owner only).
func (s *Service) apiSetRole(e *core.RequestEvent) error {
	in, err := body[struct {
		Role string `json:"role"`
	}](e)
	if err == nil && in.Role != RoleAdmin && in.Role != RoleMember {
		err = problem.Invalid("role", "chat.role_invalid", nil)
	}
	if err != nil {
		return web.APIError(e, err)
	}
	return done(e, s.SetAdmin(web.Member(e).Id, e.Request.PathValue("id"), e.Request.PathValue("member"), in.Role == RoleAdmin))
}

// apiTransferOwner is POST /api/plaza/chats/{id}/owner {"member"}.
func (s *Service) apiTransferOwner(e *core.RequestEvent) error {
	in, err := body[struct {
		Member string `json:"member"`
	}](e)
	if err == nil && in.Member == "" {
		err = problem.Invalid("member", "chat.member_required", nil)
	}
	if err != nil {
		return web.APIError(e, err)
	}
	return done(e, s.TransferOwnership(web.Member(e).Id, e.Request.PathValue("id"), in.Member))
}

// apiApproval is POST /api/plaza/chats/{id}/approval {"on"} (owner only).
func (s *Service) apiApproval(e *core.RequestEvent) error {
	in, err := body[struct {
		On *bool `json:"on"`
	}](e)
	if err == nil && in.On == nil {
		err = problem.Invalid("on", "chat.switch_required", nil)
	}
	if err != nil {
		return web.APIError(e, err)
	}
	return done(e, s.SetInviteApproval(web.Member(e).Id, e.Request.PathValue("id"), *in.On))
}

// apiJoinRequests is GET /api/plaza/chats/{id}/requests (owner and admins).
func (s *Service) apiJoinRequests(e *core.RequestEvent) error {
	reqs, err := JoinRequests(s.app, web.Member(e).Id, e.Request.PathValue("id"))
	if err != nil {
		return web.APIError(e, err)
	}
	type item struct {
		ID      string `json:"id"`
		Inviter string `json:"inviter"`
		Invitee string `json:"invitee"`
	}
	out := make([]item, 0, len(reqs))
	for _, r := range reqs {
		out = append(out, item{ID: r.ID, Inviter: r.Inviter, Invitee: r.Invitee})
	}
	return e.JSON(http.StatusOK, map[string]any{"items": out})
}

// apiDecideRequest is POST /api/plaza/chats/{id}/requests/{rid}/approve
// and …/decline (owner and admins).
func (s *Service) apiDecideRequest(approve bool) func(*core.RequestEvent) error {
	return func(e *core.RequestEvent) error {
		return done(e, s.DecideJoin(web.Member(e).Id, e.Request.PathValue("id"), e.Request.PathValue("rid"), approve))
	}
}

// apiPrefs is PATCH /api/plaza/chats/{id}/prefs {"pinned"?, "muted"?,
// "alias"?} (the info page's POST /chats/{id}/prefs).
func (s *Service) apiPrefs(e *core.RequestEvent) error {
	in, err := body[struct {
		Pinned *bool   `json:"pinned"`
		Muted  *bool   `json:"muted"`
		Alias  *string `json:"alias"`
	}](e)
	if err != nil {
		return web.APIError(e, err)
	}
	return done(e, s.SavePrefs(web.Member(e).Id, e.Request.PathValue("id"), PrefsUpdate{Pinned: in.Pinned, Muted: in.Muted, Alias: in.Alias}))
}

// apiAction adapts a per-member operation without a body to a 204 route.
func (s *Service) apiAction(op func(me, conv string) error) func(*core.RequestEvent) error {
	return func(e *core.RequestEvent) error {
		return done(e, op(web.Member(e).Id, e.Request.PathValue("id")))
	}
}

// registerGroupAPI adds these routes to the /api/plaza group.
func (s *Service) registerGroupAPI(api *router.RouterGroup[*core.RequestEvent]) {
	api.POST("/chats", s.apiCreateGroup)
	api.POST("/chats/direct", s.apiOpenDirect)
	api.GET("/chats/{id}", s.apiChatInfo)
	api.PATCH("/chats/{id}", s.apiUpdateGroup)
	api.GET("/chats/{id}/members", s.apiMembers)
	api.POST("/chats/{id}/members", s.apiInvite)
	api.PATCH("/chats/{id}/members/{member}", s.apiSetRole)
	api.DELETE("/chats/{id}/members/{member}", s.apiRemoveMember)
	api.POST("/chats/{id}/owner", s.apiTransferOwner)
	api.POST("/chats/{id}/leave", s.apiAction(s.Leave))
	api.POST("/chats/{id}/dissolve", s.apiAction(s.Dissolve))
	api.POST("/chats/{id}/approval", s.apiApproval)
	api.GET("/chats/{id}/requests", s.apiJoinRequests)
	api.POST("/chats/{id}/requests/{rid}/approve", s.apiDecideRequest(true))
	api.POST("/chats/{id}/requests/{rid}/decline", s.apiDecideRequest(false))
	api.POST("/chats/{id}/announcement/read", s.apiAction(s.MarkAnnouncementRead))
	api.PATCH("/chats/{id}/prefs", s.apiPrefs)
	api.POST("/chats/{id}/unread", s.apiAction(s.MarkUnread))
	api.POST("/chats/{id}/hide", s.apiAction(s.Hide))
	api.POST("/chats/{id}/clear", s.apiAction(s.ClearHistory))
}
