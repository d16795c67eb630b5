package chatweb

import (
	"net/http"
	"strconv"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/chat"
	"plaza/hooks/problem"
	"plaza/hooks/web"
)

// The JSON routes of the chat list, history and join links.

func (s *site) apiList(e *core.RequestEvent) error {
	list, err := chat.List(s.app, web.Member(e).Id)
	if err != nil {
		return web.APIError(e, err)
	}
	out := []apiChat{}
	for _, c := range list {
		out = append(out, apiChatOf(c))
	}
	return e.JSON(http.StatusOK, map[string]any{"items": out})
}

// seqParam reads a sequence number from a query value: dflt when empty,
// false when it is not a whole number ≥ 0.
func seqParam(v string, dflt int64) (int64, bool) {
	if v == "" {
		return dflt, true
	}
	n, err := strconv.ParseInt(v, 10, 64)
	return n, err == nil && n >= 0
}

// apiMessages: ?after=N (oldest first from N+1) or ?before=N (the page
// before N; default the latest), &limit= 1 to 200 (default 50; else a 400
// naming limit). more: there is more beyond the page in that direction.
func (s *site) apiMessages(e *core.RequestEvent) error {
	q := e.Request.URL.Query()
	after, okAfter := seqParam(q.Get("after"), -1)
	before, okBefore := seqParam(q.Get("before"), 0)
	if !okAfter || !okBefore {
		return web.Problem(e, problem.New(http.StatusBadRequest, "errors.bad_request"))
	}
	limit := chat.HistoryDefault
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > chat.HistoryMax {
			return web.Problem(e, problem.Invalid("limit", "chat.limit_range", map[string]any{"max": chat.HistoryMax}))
		}
		limit = n
	}
	items, more, err := chat.History(s.app, web.Member(e).Id, e.Request.PathValue("id"), after, before, limit)
	if err != nil {
		return web.APIError(e, err)
	}
	if items == nil {
		items = []chat.Message{}
	}
	s.WithholdGone(web.Member(e).Id, items)
	return e.JSON(http.StatusOK, map[string]any{"items": items, "more": more})
}

// apiJoinLink is GET /api/plaza/chats/{id}/join-link: a fresh join link of
// a group the caller is in, naming them as its sharer.
func (s *site) apiJoinLink(e *core.RequestEvent) error {
	path, expires, err := s.GroupLink(web.Member(e).Id, e.Request.PathValue("id"))
	if err != nil {
		return web.APIError(e, err)
	}
	return e.JSON(http.StatusOK, map[string]any{"link": path, "expires": expires.UTC().Format(time.RFC3339)})
}
