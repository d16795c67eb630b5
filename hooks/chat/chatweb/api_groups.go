package chatweb

// The JSON routes of what the chat pages' forms do (issue 11 item 6): open a
// 1:1 chat, create a group, its members and roles, the owner's and admins'
// settings, leaving and dissolving, and a member's own chat settings. Each
// handler decodes its body and calls the same operation as the page's form
// handler, so the rules, the system notices and the socket frames are the
// same on both paths.

import (
	"net/http"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"

	"plaza/hooks/chat"
	"plaza/hooks/problem"
	"plaza/hooks/web"
)

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

func apiChatOf(c chat.Summary) apiChat {
	return apiChat{ID: c.ID, Kind: c.Kind, Name: c.Name, Peer: c.Peer, LastSeq: c.LastSeq, Unread: c.Unread(), Mentioned: c.Mentioned(), Muted: c.Muted, Pinned: c.Pinned}
}

// answerChat answers with the caller's summary of a conversation, as an
// item of GET /api/plaza/chats.
func (s *site) answerChat(e *core.RequestEvent, status int, convID string) error {
	c, err := chat.SummaryFor(s.app, web.Member(e).Id, convID)
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

// memberBody decodes a {"member"} body: the member is required.
func memberBody(e *core.RequestEvent) (string, error) {
	in, err := body[struct {
		Member string `json:"member"`
	}](e)
	if err == nil && in.Member == "" {
		err = problem.Invalid("member", "chat.member_required", nil)
	}
	return in.Member, err
}

// apiOpenDirect is POST /api/plaza/chats/direct {"member"}: the 1:1 chat
// with a friend, opened the first time (the page's POST /u/{friend}/chat).
func (s *site) apiOpenDirect(e *core.RequestEvent) error {
	member, err := memberBody(e)
	if err != nil {
		return web.APIError(e, err)
	}
	id, err := chat.OpenDirect(s.app, web.Member(e).Id, member)
	if err != nil {
		return web.APIError(e, err)
	}
	return s.answerChat(e, http.StatusOK, id)
}

// apiCreateGroup is POST /api/plaza/chats {"name", "members"} (the page's
// POST /chats/groups).
func (s *site) apiCreateGroup(e *core.RequestEvent) error {
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
func (s *site) apiChatInfo(e *core.RequestEvent) error {
	me, convID := web.Member(e).Id, e.Request.PathValue("id")
	info, err := s.InfoOf(me, convID)
	if err != nil {
		return web.APIError(e, err)
	}
	return e.JSON(http.StatusOK, map[string]any{"id": convID, "kind": info.Kind, "name": info.Name, "announcement": info.Announcement,
		"approval": info.Approval, "role": info.Role, "pinned": info.Pinned, "muted": info.Muted, "alias": info.Alias, "members": info.Members})
}

// apiUpdateGroup is PATCH /api/plaza/chats/{id} {"name"?, "announcement"?}
// (the Manage group page's POST /chats/{id}/group).
func (s *site) apiUpdateGroup(e *core.RequestEvent) error {
	in, err := body[struct {
		Name         *string `json:"name"`
		Announcement *string `json:"announcement"`
	}](e)
	if err != nil {
		return web.APIError(e, err)
	}
	return done(e, s.UpdateGroup(web.Member(e).Id, e.Request.PathValue("id"), chat.GroupUpdate{Name: in.Name, Announcement: in.Announcement}))
}

// apiMembers is GET /api/plaza/chats/{id}/members.
func (s *site) apiMembers(e *core.RequestEvent) error {
	items, err := s.Members(web.Member(e).Id, e.Request.PathValue("id"))
	if err != nil {
		return web.APIError(e, err)
	}
	return e.JSON(http.StatusOK, map[string]any{"items": items})
}

// apiInvite is POST /api/plaza/chats/{id}/members {"members"} (the info
// page's POST /chats/{id}/members): waiting tells that the invitations wait
// for the owner's or an admin's approval.
func (s *site) apiInvite(e *core.RequestEvent) error {
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
func (s *site) apiRemoveMember(e *core.RequestEvent) error {
	return done(e, s.Remove(web.Member(e).Id, e.Request.PathValue("id"), e.Request.PathValue("member")))
}

// apiSetRole is PATCH /api/plaza/chats/{id}/members/{member} {"role":
// "admin"|"member"} (owner only).
func (s *site) apiSetRole(e *core.RequestEvent) error {
	in, err := body[struct {
		Role string `json:"role"`
	}](e)
	if err == nil && in.Role != chat.RoleAdmin && in.Role != chat.RoleMember {
		err = problem.Invalid("role", "chat.role_invalid", nil)
	}
	if err != nil {
		return web.APIError(e, err)
	}
	return done(e, s.SetAdmin(web.Member(e).Id, e.Request.PathValue("id"), e.Request.PathValue("member"), in.Role == chat.RoleAdmin))
}

// apiTransferOwner is POST /api/plaza/chats/{id}/owner {"member"}.
func (s *site) apiTransferOwner(e *core.RequestEvent) error {
	member, err := memberBody(e)
	if err != nil {
		return web.APIError(e, err)
	}
	return done(e, s.TransferOwnership(web.Member(e).Id, e.Request.PathValue("id"), member))
}

// apiApproval is POST /api/plaza/chats/{id}/approval {"on"} (owner only).
func (s *site) apiApproval(e *core.RequestEvent) error {
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
func (s *site) apiJoinRequests(e *core.RequestEvent) error {
	reqs, err := chat.JoinRequests(s.app, web.Member(e).Id, e.Request.PathValue("id"))
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
func (s *site) apiDecideRequest(approve bool) func(*core.RequestEvent) error {
	return func(e *core.RequestEvent) error {
		return done(e, s.DecideJoin(web.Member(e).Id, e.Request.PathValue("id"), e.Request.PathValue("rid"), approve))
	}
}

// apiPrefs is PATCH /api/plaza/chats/{id}/prefs {"pinned"?, "muted"?,
// "alias"?} (the info page's POST /chats/{id}/prefs).
func (s *site) apiPrefs(e *core.RequestEvent) error {
	in, err := body[struct {
		Pinned *bool   `json:"pinned"`
		Muted  *bool   `json:"muted"`
		Alias  *string `json:"alias"`
	}](e)
	if err != nil {
		return web.APIError(e, err)
	}
	return done(e, s.SavePrefs(web.Member(e).Id, e.Request.PathValue("id"), chat.PrefsUpdate{Pinned: in.Pinned, Muted: in.Muted, Alias: in.Alias}))
}

// apiAction adapts a per-member operation without a body to a 204 route.
func (s *site) apiAction(op func(me, conv string) error) func(*core.RequestEvent) error {
	return func(e *core.RequestEvent) error {
		return done(e, op(web.Member(e).Id, e.Request.PathValue("id")))
	}
}

// registerGroupAPI adds these routes to the /api/plaza group.
func (s *site) registerGroupAPI(api *router.RouterGroup[*core.RequestEvent]) {
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

// apiResetJoinCode is POST /api/plaza/chats/{id}/join-code/reset.
func (s *site) apiResetJoinCode(e *core.RequestEvent) error {
	if err := s.ResetJoinCode(web.Member(e).Id, e.Request.PathValue("id")); err != nil {
		return web.APIError(e, err)
	}
	return e.NoContent(http.StatusNoContent)
}
