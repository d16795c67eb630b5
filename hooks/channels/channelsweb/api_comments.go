package channelsweb

import (
	"net/http"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"

	"plaza/hooks/channels"
	"plaza/hooks/web"
)

// registerCommentAPI installs the members' comment routes: comment or
// reply, delete, pin and unpin.
func (h handlers) registerCommentAPI(api *router.RouterGroup[*core.RequestEvent]) {
	api.POST("/posts/{id}/comments", h.apiComment)
	api.DELETE("/comments/{id}", h.apiCommentAction(h.ch.DeleteComment))
	api.POST("/comments/{id}/pin", h.apiCommentAction(func(me, id string) error { return h.ch.PinComment(me, id, true) }))
	api.DELETE("/comments/{id}/pin", h.apiCommentAction(func(me, id string) error { return h.ch.PinComment(me, id, false) }))
}

// apiComments is GET /api/plaza/channels/posts/{id}/comments?after=&limit=
// (public): {"items": [comment with its replies], "next"}, pinned first,
// then oldest first.
func (h handlers) apiComments(e *core.RequestEvent) error {
	limit, err := apiLimit(e)
	if err != nil {
		return web.APIError(e, err)
	}
	page, err := h.ch.Comments(e.Request.PathValue("id"), e.Request.URL.Query().Get("after"), limit)
	if err != nil {
		return web.APIError(e, err)
	}
	items, err := commentsJSON(e.App, apiViewer(e), page.Comments)
	if err != nil {
		return web.APIError(e, err)
	}
	return e.JSON(http.StatusOK, map[string]any{"items": items, "next": page.Next})
}

// apiComment is POST /api/plaza/channels/posts/{id}/comments {"text",
// "reply_to": a comment id}: 201 the comment.
func (h handlers) apiComment(e *core.RequestEvent) error {
	var body struct {
		Text    string `json:"text"`
		ReplyTo string `json:"reply_to"`
	}
	if err := web.BindJSON(e, &body); err != nil {
		return web.APIError(e, err)
	}
	c, err := h.ch.AddComment(e.Auth.Id, e.Request.PathValue("id"), channels.CommentInput{Text: body.Text, ReplyTo: body.ReplyTo})
	if err != nil {
		return web.APIError(e, err)
	}
	items, err := commentsJSON(e.App, e.Auth.Id, []channels.Comment{c})
	if err != nil {
		return web.APIError(e, err)
	}
	return e.JSON(http.StatusCreated, items[0])
}

// apiCommentAction answers 204 after op(member, {id}) succeeds.
func (h handlers) apiCommentAction(op func(memberID, commentID string) error) func(*core.RequestEvent) error {
	return func(e *core.RequestEvent) error {
		if err := op(e.Auth.Id, e.Request.PathValue("id")); err != nil {
			return web.APIError(e, err)
		}
		return e.NoContent(http.StatusNoContent)
	}
}
