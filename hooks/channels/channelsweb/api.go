package channelsweb

import (
	"net/http"
	"strconv"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/channels"
	"plaza/hooks/problem"
	"plaza/hooks/web"
)

// The JSON API of Channels (docs/API.md, "Channels"): the same operations
// as the pages, with the same rules. The reads of public pages work
// signed out (the viewer is then ""); everything else needs a member.

func (h handlers) registerAPI(se *core.ServeEvent) {
	pub := se.Router.Group("/api/plaza/channels")
	pub.GET("/c/{handle}", h.apiChannel)
	pub.GET("/c/{handle}/posts", h.apiPage(func(viewer string, e *core.RequestEvent, after string, n int) (channels.Page, error) {
		return h.ch.ChannelPosts(viewer, e.Request.PathValue("handle"), after, n)
	}))
	pub.GET("/posts/{id}", h.apiPost)
	pub.GET("/posts/{id}/comments", h.apiComments)
	pub.GET("/tags/{tag}", h.apiPage(func(viewer string, e *core.RequestEvent, after string, n int) (channels.Page, error) {
		return h.ch.Tagged(viewer, e.Request.PathValue("tag"), after, n)
	}))
	pub.GET("/popular", h.apiPage(func(viewer string, _ *core.RequestEvent, after string, n int) (channels.Page, error) {
		return h.ch.Popular(viewer, after, n)
	}))
	pub.GET("/search", h.apiSearch)

	api := se.Router.Group("/api/plaza/channels").BindFunc(web.RequireMember)
	api.GET("/me", h.apiMine)
	api.POST("/me", h.apiCreate).Bind(apis.BodyLimit(apiProfileLimit))
	api.PATCH("/me", h.apiUpdate).Bind(apis.BodyLimit(apiProfileLimit))
	api.GET("/me/stats", h.apiStats)
	api.GET("/following", h.apiPage(func(me string, _ *core.RequestEvent, after string, n int) (channels.Page, error) {
		return h.ch.Following(me, after, n)
	}))
	api.GET("/friends", h.apiPage(func(me string, _ *core.RequestEvent, after string, n int) (channels.Page, error) {
		return h.ch.Friends(me, after, n)
	}))
	api.GET("/favourites", h.apiPage(func(me string, _ *core.RequestEvent, after string, n int) (channels.Page, error) {
		return h.ch.Favourites(me, after, n)
	}))
	api.POST("/c/{handle}/follow", h.apiFollow(h.ch.Follow))
	api.DELETE("/c/{handle}/follow", h.apiFollow(h.ch.Unfollow))
	h.registerPostAPI(api)
	h.registerCommentAPI(api)
}

// Bodies' limits: a post's nine photos or its video (the channels_media
// file field's own limit) and the form around them; a profile's avatar.
const (
	apiVideoCeiling = 2000 << 20
	apiUploadLimit  = apiVideoCeiling + 16<<20
	apiProfileLimit = 16 << 20
)

// apiViewer is the signed-in member's id, "" for a visitor (or a
// superuser, who is not a member).
func apiViewer(e *core.RequestEvent) string {
	if m := web.Member(e); m != nil {
		return m.Id
	}
	return ""
}

// apiLimit reads ?limit= (0 for the default).
func apiLimit(e *core.RequestEvent) (int, error) {
	raw := e.Request.URL.Query().Get("limit")
	if raw == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < 1 {
		return 0, problem.Invalid("limit", "errors.bad_request", nil)
	}
	return n, nil
}

// apiPage answers GET …?after=&limit= with one page of posts read by op:
// {"items": [post], "next"}.
func (h handlers) apiPage(op func(viewer string, e *core.RequestEvent, after string, limit int) (channels.Page, error)) func(*core.RequestEvent) error {
	return func(e *core.RequestEvent) error {
		limit, err := apiLimit(e)
		if err != nil {
			return web.APIError(e, err)
		}
		viewer := apiViewer(e)
		page, err := op(viewer, e, e.Request.URL.Query().Get("after"), limit)
		if err != nil {
			return web.APIError(e, err)
		}
		items, err := postsJSON(e.App, viewer, page.Posts)
		if err != nil {
			return web.APIError(e, err)
		}
		return e.JSON(http.StatusOK, map[string]any{"items": items, "next": page.Next})
	}
}

// apiChannel is GET /api/plaza/channels/c/{handle}: the profile, and for
// a member whether they follow it and whether it is theirs.
func (h handlers) apiChannel(e *core.RequestEvent) error {
	c, err := h.ch.ByHandle(apiViewer(e), e.Request.PathValue("handle"))
	if err != nil {
		return web.APIError(e, err)
	}
	return e.JSON(http.StatusOK, channelJSON(c))
}

// apiPost is GET /api/plaza/channels/posts/{id}: the post, its view
// counted first (once per viewer per day) so the answer includes it.
func (h handlers) apiPost(e *core.RequestEvent) error {
	id, viewer := e.Request.PathValue("id"), apiViewer(e)
	v := channels.Viewer{MemberID: viewer}
	if viewer == "" {
		v.Addr = e.RealIP()
	}
	if _, err := h.ch.CountView(v, id); err != nil {
		return web.APIError(e, err)
	}
	p, err := h.ch.PostFor(viewer, id)
	if err != nil {
		return web.APIError(e, err)
	}
	return h.apiPostJSON(e, http.StatusOK, p)
}

// apiPostJSON answers one post.
func (h handlers) apiPostJSON(e *core.RequestEvent, status int, p channels.Post) error {
	items, err := postsJSON(e.App, apiViewer(e), []channels.Post{p})
	if err != nil {
		return web.APIError(e, err)
	}
	return e.JSON(status, items[0])
}

// apiSearch is GET /api/plaza/channels/search?q=: channels by name or
// handle and posts by caption.
func (h handlers) apiSearch(e *core.RequestEvent) error {
	viewer := apiViewer(e)
	res, err := h.ch.Search(viewer, e.Request.URL.Query().Get("q"))
	if err != nil {
		return web.APIError(e, err)
	}
	posts, err := postsJSON(e.App, viewer, res.Posts)
	if err != nil {
		return web.APIError(e, err)
	}
	chans := make([]ChannelJSON, 0, len(res.Channels))
	for _, c := range res.Channels {
		chans = append(chans, channelJSON(c))
	}
	return e.JSON(http.StatusOK, map[string]any{"channels": chans, "posts": posts})
}

// apiFollow is POST|DELETE /api/plaza/channels/c/{handle}/follow: the
// channel with its followers now.
func (h handlers) apiFollow(op func(memberID, handle string) (channels.Channel, error)) func(*core.RequestEvent) error {
	return func(e *core.RequestEvent) error {
		c, err := op(e.Auth.Id, e.Request.PathValue("handle"))
		if err != nil {
			return web.APIError(e, err)
		}
		return e.JSON(http.StatusOK, channelJSON(c))
	}
}
