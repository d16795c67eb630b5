package oaweb

import (
	"net/http"
	"strings"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"

	"plaza/hooks/oa"
	"plaza/hooks/web"
)

// registerSettingsAPI installs the routes of an account's settings:
// auto-replies, texts, menu and stats (its operators), operators (the
// owner changes them) and the webhook (the owner only).
func (h handlers) registerSettingsAPI(api *router.RouterGroup[*core.RequestEvent]) {
	api.GET("/accounts/{handle}/autoreplies", h.onAccount(func(e *core.RequestEvent, a oa.Account) error {
		list, err := h.oa.AutoReplies(e.Auth.Id, a.ID)
		if list == nil {
			list = []oa.AutoReplyRule{}
		}
		return answer(e, err, http.StatusOK, map[string]any{"items": list})
	}))
	api.POST("/accounts/{handle}/autoreplies", h.onAccount(h.apiSetAutoReply))
	api.DELETE("/accounts/{handle}/autoreplies/{id}", h.onAccount(func(e *core.RequestEvent, a oa.Account) error {
		return answer(e, h.oa.RemoveAutoReply(e.Auth.Id, a.ID, e.Request.PathValue("id")), http.StatusNoContent, nil)
	}))
	api.GET("/accounts/{handle}/texts", h.onAccount(func(e *core.RequestEvent, a oa.Account) error {
		t, err := h.oa.ConsoleTexts(e.Auth.Id, a.ID)
		return answer(e, err, http.StatusOK, t)
	}))
	api.PUT("/accounts/{handle}/texts", h.onAccount(h.apiSetTexts))
	api.PUT("/accounts/{handle}/menu", h.onAccount(h.apiSetMenu))
	api.GET("/accounts/{handle}/stats", h.onAccount(func(e *core.RequestEvent, a oa.Account) error {
		s, err := h.oa.Stats(e.Auth.Id, a.ID)
		return answer(e, err, http.StatusOK, s)
	}))
	api.GET("/accounts/{handle}/operators", h.onAccount(h.apiOperators))
	api.POST("/accounts/{handle}/operators", h.onAccount(func(e *core.RequestEvent, a oa.Account) error {
		var body struct {
			Member string `json:"member"`
		}
		if err := web.BindJSON(e, &body); err != nil {
			return web.APIError(e, err)
		}
		if err := h.oa.AddOperator(e.Auth.Id, a.ID, body.Member); err != nil {
			return web.APIError(e, err)
		}
		return h.apiOperators(e, a)
	}))
	api.DELETE("/accounts/{handle}/operators/{member}", h.onAccount(func(e *core.RequestEvent, a oa.Account) error {
		return answer(e, h.oa.RemoveOperator(e.Auth.Id, a.ID, e.Request.PathValue("member")), http.StatusNoContent, nil)
	}))
	api.PUT("/accounts/{handle}/webhook", h.onAccount(func(e *core.RequestEvent, a oa.Account) error {
		var body struct {
			URL string `json:"url"`
		}
		if err := web.BindJSON(e, &body); err != nil {
			return web.APIError(e, err)
		}
		secret, err := h.oa.SetWebhook(e.Auth.Id, a.ID, body.URL)
		return answer(e, err, http.StatusOK, map[string]string{"url": strings.TrimSpace(body.URL), "secret": secret})
	}))
}

// onAccount runs op on the account the path's {handle} names, as the
// caller sees it.
func (h handlers) onAccount(op func(*core.RequestEvent, oa.Account) error) func(*core.RequestEvent) error {
	return func(e *core.RequestEvent) error {
		a, err := h.apiAccountOf(e)
		if err != nil {
			return web.APIError(e, err)
		}
		return op(e, a)
	}
}

// answer is err as an API error, else status with v (no body for 204).
func answer(e *core.RequestEvent, err error, status int, v any) error {
	if err != nil {
		return web.APIError(e, err)
	}
	if status == http.StatusNoContent {
		return e.NoContent(status)
	}
	return e.JSON(status, v)
}

// apiSetAutoReply is POST …/autoreplies {"keyword", "match", "reply"}:
// 201 the rule (the same keyword and match replaces its reply).
func (h handlers) apiSetAutoReply(e *core.RequestEvent, a oa.Account) error {
	var body oa.AutoReplyRule
	if err := web.BindJSON(e, &body); err != nil {
		return web.APIError(e, err)
	}
	body.ID = ""
	r, err := h.oa.SetAutoReply(e.Auth.Id, a.ID, body)
	return answer(e, err, http.StatusCreated, r)
}

// apiSetTexts is PUT …/texts {"description", "welcome", "default_reply"}
// (a field left out stays): the texts now.
func (h handlers) apiSetTexts(e *core.RequestEvent, a oa.Account) error {
	var body struct {
		Description  *string `json:"description"`
		Welcome      *string `json:"welcome"`
		DefaultReply *string `json:"default_reply"`
	}
	if err := web.BindJSON(e, &body); err != nil {
		return web.APIError(e, err)
	}
	err := h.oa.SetTexts(e.Auth.Id, a.ID, oa.Texts{Description: body.Description, Welcome: body.Welcome, DefaultReply: body.DefaultReply})
	if err != nil {
		return web.APIError(e, err)
	}
	t, err := h.oa.ConsoleTexts(e.Auth.Id, a.ID)
	return answer(e, err, http.StatusOK, t)
}

// apiSetMenu is PUT …/menu {"menu": [button]}: the menu now.
func (h handlers) apiSetMenu(e *core.RequestEvent, a oa.Account) error {
	var body struct {
		Menu oa.Menu `json:"menu"`
	}
	if err := web.BindJSON(e, &body); err != nil {
		return web.APIError(e, err)
	}
	if err := h.oa.SetMenu(e.Auth.Id, a.ID, body.Menu); err != nil {
		return web.APIError(e, err)
	}
	if body.Menu == nil {
		body.Menu = oa.Menu{}
	}
	return e.JSON(http.StatusOK, map[string]any{"menu": body.Menu})
}

// apiOperators answers the account's owner then operators, named.
func (h handlers) apiOperators(e *core.RequestEvent, a oa.Account) error {
	list, err := h.oa.Operators(e.Auth.Id, a.ID)
	if err != nil {
		return web.APIError(e, err)
	}
	ids := make([]string, 0, len(list))
	for _, o := range list {
		ids = append(ids, o.Member)
	}
	nn, err := names(e.App, e.Auth.Id, ids)
	if err != nil {
		return web.APIError(e, err)
	}
	items := make([]OperatorJSON, 0, len(list))
	for _, o := range list {
		items = append(items, OperatorJSON{Operator: o, Name: nn[o.Member]})
	}
	return e.JSON(http.StatusOK, map[string]any{"items": items})
}
