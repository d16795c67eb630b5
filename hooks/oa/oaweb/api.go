package oaweb

import (
	"errors"
	"net/http"
	"strings"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/oa"
	"plaza/hooks/problem"
	"plaza/hooks/web"
)

// The JSON API of Official Accounts (docs/API.md, "Official Accounts"):
// the same operations as the pages, with the domain's rules. Reads of
// what the public pages show work signed out (the viewer is then "");
// everything else needs a member, and whatever the caller may not see or
// run answers 404 oa.not_found. Followers' conversations, the inbox and
// Subscriptions are in conversations_api.go.

// registerAPI adds the JSON routes under /api/plaza/oa.
func (h handlers) registerAPI(se *core.ServeEvent) {
	pub := se.Router.Group("/api/plaza/oa")
	pub.GET("/accounts", h.apiDirectory)
	pub.GET("/accounts/{handle}", h.apiAccount)
	pub.GET("/accounts/{handle}/articles", h.apiArticles)
	pub.GET("/articles/{id}", h.apiArticle)
	pub.GET("/articles/{id}/comments", h.apiComments)

	api := se.Router.Group("/api/plaza/oa").BindFunc(web.RequireMember)
	api.POST("/accounts", h.apiApply).Bind(apis.BodyLimit(apiUploadLimit))
	api.GET("/me/accounts", h.apiMine)
	api.GET("/following", h.apiFollowing)
	api.POST("/accounts/{handle}/follow", h.apiFollow(true))
	api.DELETE("/accounts/{handle}/follow", h.apiFollow(false))
	api.POST("/accounts/{handle}/report", h.apiReport(h.reportAccount))
	api.PUT("/articles/{id}/reactions/{kind}", h.apiReact(true))
	api.DELETE("/articles/{id}/reactions/{kind}", h.apiReact(false))
	api.POST("/articles/{id}/comments", h.apiComment)
	api.POST("/articles/{id}/share", h.apiShare)
	api.POST("/articles/{id}/report", h.apiReport(h.oa.ReportArticle))
	api.POST("/comments/{id}/report", h.apiReport(h.oa.ReportComment))
	h.registerConsoleAPI(api)
}

// Bodies' limits: an avatar, a cover or an image with the form around it.
const apiUploadLimit = 16 << 20

// apiViewer is the signed-in member's id, "" for a visitor (or a
// superuser, who is not a member).
func apiViewer(e *core.RequestEvent) string {
	if m := web.Member(e); m != nil {
		return m.Id
	}
	return ""
}

// apiAccountOf is the account the path's {handle} names, as the caller
// sees it (oa.not_found when they may not).
func (h handlers) apiAccountOf(e *core.RequestEvent) (oa.Account, error) {
	return h.oa.AccountFor(apiViewer(e), e.Request.PathValue("handle"))
}

// apiDirectory is GET /api/plaza/oa/accounts?category=&q=: approved
// accounts, most followed first, of one category and matching q.
func (h handlers) apiDirectory(e *core.RequestEvent) error {
	q := e.Request.URL.Query()
	list, err := h.oa.Directory(q.Get("category"), q.Get("q"))
	if err != nil {
		return web.APIError(e, err)
	}
	items := make([]AccountJSON, 0, len(list))
	for _, a := range list {
		items = append(items, accountJSON(a))
	}
	return e.JSON(http.StatusOK, map[string]any{"items": items})
}

// apiAccount is GET /api/plaza/oa/accounts/{handle}: the profile, with
// how a member stands to it.
func (h handlers) apiAccount(e *core.RequestEvent) error {
	a, err := h.apiAccountOf(e)
	if err != nil {
		return web.APIError(e, err)
	}
	return e.JSON(http.StatusOK, accountJSON(a))
}

// apiMine is GET /api/plaza/oa/me/accounts: the accounts the caller owns
// (any status, with the reject reason) or operates.
func (h handlers) apiMine(e *core.RequestEvent) error {
	list, err := h.oa.MyAccounts(e.Auth.Id)
	if err != nil {
		return web.APIError(e, err)
	}
	items := make([]AccountJSON, 0, len(list))
	for _, a := range list {
		items = append(items, accountJSON(a))
	}
	return e.JSON(http.StatusOK, map[string]any{"items": items})
}

// apiFollowing is GET /api/plaza/oa/following: the accounts the caller
// follows, the one with the newest article first.
func (h handlers) apiFollowing(e *core.RequestEvent) error {
	list, err := h.oa.Followed(e.Auth.Id)
	if err != nil {
		return web.APIError(e, err)
	}
	if list == nil {
		list = []oa.Followed{}
	}
	return e.JSON(http.StatusOK, map[string]any{"items": list})
}

// apiFollow is POST|DELETE /api/plaza/oa/accounts/{handle}/follow: the
// account as it is now (the welcome goes into the caller's chat with it).
func (h handlers) apiFollow(on bool) func(*core.RequestEvent) error {
	return func(e *core.RequestEvent) error {
		a, err := h.apiAccountOf(e)
		if err == nil && on {
			_, err = h.oa.Follow(e.Auth.Id, a.ID)
		} else if err == nil {
			err = h.oa.Unfollow(e.Auth.Id, a.ID)
		}
		if err == nil {
			a, err = h.apiAccountOf(e)
		}
		if err != nil {
			return web.APIError(e, err)
		}
		return e.JSON(http.StatusOK, accountJSON(a))
	}
}

// apiApply is POST /api/plaza/oa/accounts {"handle", "name",
// "description", "category", "kind"}, or a multipart form with the same
// fields and an "avatar": 201 the account, pending until a superuser
// approves it.
func (h handlers) apiApply(e *core.RequestEvent) error {
	var in oa.ApplyInput
	if strings.HasPrefix(e.Request.Header.Get("Content-Type"), "application/json") {
		var body struct {
			Handle      string `json:"handle"`
			Name        string `json:"name"`
			Description string `json:"description"`
			Category    string `json:"category"`
			Kind        string `json:"kind"`
		}
		if err := web.BindJSON(e, &body); err != nil {
			return web.APIError(e, err)
		}
		in = oa.ApplyInput{Handle: body.Handle, Name: body.Name, Description: body.Description, Category: body.Category, Kind: body.Kind}
	} else {
		if err := e.Request.ParseMultipartForm(32 << 20); err != nil && !errors.Is(err, http.ErrNotMultipart) {
			return web.APIError(e, problem.Invalid("avatar", "moments.upload_failed", nil))
		}
		f := e.Request.Form
		in = oa.ApplyInput{Handle: f.Get("handle"), Name: f.Get("name"), Description: f.Get("description"),
			Category: f.Get("category"), Kind: f.Get("kind")}
		var err error
		if in.Avatar, err = apiFile(e, "avatar"); err != nil {
			return web.APIError(e, err)
		}
	}
	a, err := h.oa.Apply(e.Auth.Id, in)
	if err != nil {
		return web.APIError(e, err)
	}
	return e.JSON(http.StatusCreated, accountJSON(a))
}
