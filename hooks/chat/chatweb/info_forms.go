package chatweb

import (
	"net/http"

	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/chat"
	"plaza/hooks/problem"
	"plaza/hooks/web"
)

// The forms of the info and Manage group pages.

func (s *site) savePrefs(e *core.RequestEvent) error {
	pinned, muted := e.Request.FormValue("pinned") == "1", e.Request.FormValue("muted") == "1"
	u := chat.PrefsUpdate{Pinned: &pinned, Muted: &muted}
	if e.Request.Form.Has("alias") {
		alias := e.Request.FormValue("alias")
		u.Alias = &alias
	}
	return s.afterAction(e, s.SavePrefs(web.Member(e).Id, e.Request.PathValue("id"), u), "")
}

func (s *site) saveGroup(e *core.RequestEvent) error {
	name, ann := e.Request.FormValue("name"), e.Request.FormValue("announcement")
	return s.afterManage(e, s.UpdateGroup(web.Member(e).Id, e.Request.PathValue("id"), chat.GroupUpdate{Name: &name, Announcement: &ann}))
}

func (s *site) inviteMembers(e *core.RequestEvent) error {
	if err := e.Request.ParseForm(); err != nil {
		return problem.New(http.StatusBadRequest, "errors.bad_request")
	}
	wait, err := s.InviteFriends(web.Member(e).Id, e.Request.PathValue("id"), e.Request.Form["members"])
	if err == nil && wait {
		return s.renderInfoNotice(e, http.StatusOK, "", web.T(e, "chat.invite_waits"))
	}
	return s.afterAction(e, err, "")
}

func (s *site) removeMember(e *core.RequestEvent) error {
	return s.afterManage(e, s.Remove(web.Member(e).Id, e.Request.PathValue("id"), e.Request.PathValue("member")))
}

func (s *site) transferOwner(e *core.RequestEvent) error {
	return s.afterManage(e, s.TransferOwnership(web.Member(e).Id, e.Request.PathValue("id"), e.Request.FormValue("member")))
}

func (s *site) leave(e *core.RequestEvent) error {
	return s.afterAction(e, s.Leave(web.Member(e).Id, e.Request.PathValue("id")), "/chats")
}

// dissolve is POST /chats/{id}/dissolve (the Manage group page).
func (s *site) dissolve(e *core.RequestEvent) error {
	return s.afterAction(e, s.Dissolve(web.Member(e).Id, e.Request.PathValue("id")), "/chats")
}

// saveApproval (POST /chats/{id}/approval): the owner's switch.
func (s *site) saveApproval(e *core.RequestEvent) error {
	return s.afterManage(e, s.SetInviteApproval(e.Auth.Id, e.Request.PathValue("id"), e.Request.FormValue("on") == "1"))
}

// decideRequest approves or declines a waiting request.
func (s *site) decideRequest(approve bool) func(*core.RequestEvent) error {
	return func(e *core.RequestEvent) error {
		return s.afterManage(e, s.DecideJoin(e.Auth.Id, e.Request.PathValue("id"), e.Request.PathValue("rid"), approve))
	}
}

// resetJoinCode (POST /chats/{id}/join-code/reset) voids the group's join
// links made so far (owner and admins) and says so on the Manage group page.
func (s *site) resetJoinCode(e *core.RequestEvent) error {
	err := s.ResetJoinCode(web.Member(e).Id, e.Request.PathValue("id"))
	if err != nil {
		return s.afterManage(e, err)
	}
	return s.renderManage(e, http.StatusOK, "", web.T(e, "chat.join_code_reset_done"))
}
