package oaweb

import (
	"errors"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/filesystem"
	"github.com/pocketbase/pocketbase/tools/router"

	"plaza/hooks/oa"
	"plaza/hooks/problem"
	"plaza/hooks/web"
)

// registerConsoleAPI installs the operators' routes: articles, broadcasts,
// uploads and comments' moderation (here), auto-replies, texts, the menu,
// stats, operators and the webhook (api_settings.go). Each operation
// answers oa.not_found to anyone who does not run the account.
func (h handlers) registerConsoleAPI(api *router.RouterGroup[*core.RequestEvent]) {
	api.POST("/accounts/{handle}/articles", h.apiWrite).Bind(apis.BodyLimit(apiUploadLimit))
	api.PATCH("/articles/{id}", h.apiEdit).Bind(apis.BodyLimit(apiUploadLimit))
	api.DELETE("/articles/{id}", func(e *core.RequestEvent) error {
		if err := h.oa.DeleteArticle(e.Auth.Id, e.Request.PathValue("id")); err != nil {
			return web.APIError(e, err)
		}
		return e.NoContent(http.StatusNoContent)
	})
	api.POST("/articles/{id}/broadcast", h.apiBroadcast)
	api.GET("/accounts/{handle}/broadcasts", h.apiBroadcasts)
	api.DELETE("/broadcasts/{id}", func(e *core.RequestEvent) error {
		if err := h.oa.CancelBroadcast(e.Auth.Id, e.Request.PathValue("id")); err != nil {
			return web.APIError(e, err)
		}
		return e.NoContent(http.StatusNoContent)
	})
	api.POST("/accounts/{handle}/media", h.apiMedia).Bind(apis.BodyLimit(apiUploadLimit))
	api.PATCH("/comments/{id}", h.apiModerate)
	h.registerSettingsAPI(api)
}

// articleFields are an article's fields as a request gives them (nil: not
// given).
type articleFields struct {
	Title        *string `json:"title"`
	Author       *string `json:"author"`
	Digest       *string `json:"digest"`
	Body         *string `json:"body"`
	CommentsOpen *bool   `json:"comments_open"`
	cover        *filesystem.File
}

// over sets the given fields on in.
func (f articleFields) over(in oa.ArticleInput) oa.ArticleInput {
	for _, s := range []struct {
		from *string
		to   *string
	}{{f.Title, &in.Title}, {f.Author, &in.Author}, {f.Digest, &in.Digest}, {f.Body, &in.Body}} {
		if s.from != nil {
			*s.to = *s.from
		}
	}
	if f.CommentsOpen != nil {
		in.CommentsOpen = *f.CommentsOpen
	}
	in.Cover = f.cover
	return in
}

// apiArticleFields binds an article from JSON, or from a multipart form
// with the same fields and a "cover".
func apiArticleFields(e *core.RequestEvent) (articleFields, error) {
	var f articleFields
	if strings.HasPrefix(e.Request.Header.Get("Content-Type"), "application/json") {
		return f, web.BindJSON(e, &f)
	}
	if err := e.Request.ParseMultipartForm(32 << 20); err != nil && !errors.Is(err, http.ErrNotMultipart) {
		return f, problem.Invalid("cover", "moments.upload_failed", nil)
	}
	field := func(name string) *string {
		if v, ok := e.Request.Form[name]; ok && len(v) > 0 {
			return &v[0]
		}
		return nil
	}
	f = articleFields{Title: field("title"), Author: field("author"), Digest: field("digest"), Body: field("body")}
	if v := field("comments_open"); v != nil {
		on := *v == "true" || *v == "1" || *v == "on"
		f.CommentsOpen = &on
	}
	var err error
	f.cover, err = apiFile(e, "cover")
	return f, err
}

// apiFile is the first file of one form field (nil when there is none).
func apiFile(e *core.RequestEvent, field string) (*filesystem.File, error) {
	files, err := e.FindUploadedFiles(field)
	if errors.Is(err, http.ErrMissingFile) || errors.Is(err, http.ErrNotMultipart) {
		return nil, nil
	}
	if err != nil || len(files) == 0 {
		return nil, problem.Invalid(field, "moments.upload_failed", nil)
	}
	return files[0], nil
}

// apiWrite is POST /api/plaza/oa/accounts/{handle}/articles: 201 a draft
// (a broadcast publishes it).
func (h handlers) apiWrite(e *core.RequestEvent) error {
	a, err := h.apiAccountOf(e)
	if err != nil {
		return web.APIError(e, err)
	}
	f, err := apiArticleFields(e)
	if err != nil {
		return web.APIError(e, err)
	}
	r, err := h.oa.WriteArticle(e.Auth.Id, a.ID, f.over(oa.ArticleInput{}))
	if err != nil {
		return web.APIError(e, err)
	}
	return e.JSON(http.StatusCreated, articleJSON(r, a.Handle))
}

// apiEdit is PATCH /api/plaza/oa/articles/{id}: the fields given change,
// the others stay (a cover left out too).
func (h handlers) apiEdit(e *core.RequestEvent) error {
	id, me := e.Request.PathValue("id"), e.Auth.Id
	f, err := apiArticleFields(e)
	if err != nil {
		return web.APIError(e, err)
	}
	cur, err := h.oa.Article(me, id)
	if err == nil && !cur.Operator {
		err = problem.New(http.StatusNotFound, "oa.not_found")
	}
	if err != nil {
		return web.APIError(e, err)
	}
	in := f.over(oa.ArticleInput{Title: cur.Title, Author: cur.Author, Digest: cur.Digest, Body: cur.Markdown,
		CommentsOpen: cur.CommentsOpen})
	if _, err := h.oa.EditArticle(me, id, in); err != nil {
		return web.APIError(e, err)
	}
	return h.apiArticleJSON(e, http.StatusOK, id)
}

// apiBroadcast is POST /api/plaza/oa/articles/{id}/broadcast {"at"}: 201
// the broadcast, sent now (at left out or past) or scheduled.
func (h handlers) apiBroadcast(e *core.RequestEvent) error {
	var body struct {
		At string `json:"at"`
	}
	if err := web.BindJSON(e, &body); err != nil {
		return web.APIError(e, err)
	}
	var at time.Time
	if body.At != "" {
		var err error
		if at, err = time.Parse(time.RFC3339, body.At); err != nil {
			return web.APIError(e, problem.Invalid("at", "errors.bad_request", nil))
		}
	}
	b, err := h.oa.Broadcast(e.Auth.Id, e.Request.PathValue("id"), at)
	if err != nil {
		return web.APIError(e, err)
	}
	return e.JSON(http.StatusCreated, b)
}

// apiBroadcasts is GET /api/plaza/oa/accounts/{handle}/broadcasts: the
// account's broadcasts, newest first.
func (h handlers) apiBroadcasts(e *core.RequestEvent) error {
	a, err := h.apiAccountOf(e)
	if err != nil {
		return web.APIError(e, err)
	}
	list, err := h.oa.Broadcasts(e.Auth.Id, a.ID)
	if err != nil {
		return web.APIError(e, err)
	}
	if list == nil {
		list = []oa.Broadcast{}
	}
	return e.JSON(http.StatusOK, map[string]any{"items": list})
}

// apiMedia is POST /api/plaza/oa/accounts/{handle}/media (multipart
// "image"): 201 {"id", "url"}, the address an article's Markdown may show.
func (h handlers) apiMedia(e *core.RequestEvent) error {
	a, err := h.apiAccountOf(e)
	if err != nil {
		return web.APIError(e, err)
	}
	if ok, err := h.oa.IsOperator(e.Auth.Id, a.ID); err != nil || !ok {
		return web.APIError(e, problem.New(http.StatusNotFound, "oa.not_found"))
	}
	f, err := apiFile(e, "image")
	if err == nil && f == nil {
		err = problem.Invalid("image", "validation_required", nil)
	}
	if err != nil {
		return web.APIError(e, err)
	}
	url, err := h.oa.AddMedia(e.Auth.Id, a.ID, f)
	if err != nil {
		return web.APIError(e, err)
	}
	return e.JSON(http.StatusCreated, map[string]string{"id": path.Base(url), "url": url})
}

// apiModerate is PATCH /api/plaza/oa/comments/{id} {"shown", "reply"}:
// an operator shows or hides a comment and sets the account's reply under
// it ("" removes it); a field left out stays. 204.
func (h handlers) apiModerate(e *core.RequestEvent) error {
	var body struct {
		Shown *bool   `json:"shown"`
		Reply *string `json:"reply"`
	}
	if err := web.BindJSON(e, &body); err != nil {
		return web.APIError(e, err)
	}
	if body.Shown == nil && body.Reply == nil {
		return web.APIError(e, problem.Invalid("shown", "validation_required", nil))
	}
	id, me := e.Request.PathValue("id"), e.Auth.Id
	var err error
	if body.Reply != nil {
		err = h.oa.ReplyComment(me, id, *body.Reply)
	}
	if err == nil && body.Shown != nil {
		err = h.oa.ShowComment(me, id, *body.Shown)
	}
	if err != nil {
		return web.APIError(e, err)
	}
	return e.NoContent(http.StatusNoContent)
}
