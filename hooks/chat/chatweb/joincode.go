package chatweb

import (
	"net/http"
	"time"

	"plaza/hooks/chat"
	"plaza/hooks/web"

	"github.com/pocketbase/pocketbase/core"
)

// resetJoinCode (POST /chats/{id}/join-code/reset) voids the group's join
// links made so far (owner and admins) and says so on the Manage group page.
func (s *site) resetJoinCode(e *core.RequestEvent) error {
	err := s.ResetJoinCode(web.Member(e).Id, e.Request.PathValue("id"))
	if err != nil {
		return s.afterManage(e, err)
	}
	return s.renderManage(e, http.StatusOK, "", web.T(e, "chat.join_code_reset_done"))
}

// apiResetJoinCode is POST /api/plaza/chats/{id}/join-code/reset.
func (s *site) apiResetJoinCode(e *core.RequestEvent) error {
	if err := s.ResetJoinCode(web.Member(e).Id, e.Request.PathValue("id")); err != nil {
		return web.APIError(e, err)
	}
	return e.NoContent(http.StatusNoContent)
}

// apiJoinLink is GET /api/plaza/chats/{id}/join-link: a fresh join link of
// a group the caller is in, naming them as its sharer.
func (s *site) apiJoinLink(e *core.RequestEvent) error {
	path, expires, err := chat.GroupLink(s.app, web.Member(e).Id, e.Request.PathValue("id"))
	if err != nil {
		return web.APIError(e, err)
	}
	return e.JSON(http.StatusOK, map[string]any{"link": path, "expires": expires.UTC().Format(time.RFC3339)})
}
