package channelsweb

import (
	"net/http"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"

	"plaza/hooks/channels"
	"plaza/hooks/web"
	views "plaza/views/channels"
)

// A member's actions on a post, a comment or a channel. Each form works
// without script (a 303 back to the page it came from); with htmx the
// like and favourite buttons and the follow button are swapped in place.

func (h handlers) registerActionPages(members *router.RouterGroup[*core.RequestEvent]) {
	members.GET("/channels/p/{id}", h.openPost)
	members.GET("/channels/p/{id}/actions", h.actionsFragment)
	members.POST("/channels/p/{id}/like", h.toggle(h.ch.Like))
	members.POST("/channels/p/{id}/unlike", h.toggle(h.ch.Unlike))
	members.POST("/channels/p/{id}/favourite", h.toggle(h.ch.Favourite))
	members.POST("/channels/p/{id}/unfavourite", h.toggle(h.ch.Unfavourite))
	members.POST("/channels/p/{id}/comments", h.commentPage)
	members.POST("/channels/comments/{id}/delete", h.commentAction(h.ch.DeleteComment))
	members.POST("/channels/comments/{id}/pin", h.commentAction(func(me, id string) error { return h.ch.PinComment(me, id, true) }))
	members.POST("/channels/comments/{id}/unpin", h.commentAction(func(me, id string) error { return h.ch.PinComment(me, id, false) }))
	members.POST("/c/{handle}/follow", h.followPage(h.ch.Follow))
	members.POST("/c/{handle}/unfollow", h.followPage(h.ch.Unfollow))
}

// openPost is GET /channels/p/{id}: the post's public page, found by its
// id alone.
func (h handlers) openPost(e *core.RequestEvent) error {
	p, err := h.ch.PostFor(e.Auth.Id, e.Request.PathValue("id"))
	if err != nil {
		return err
	}
	return web.Redirect(e, channels.PostPath(p.Channel.Handle, p.ID))
}

// actionsFragment is GET /channels/p/{id}/actions[?next=]: a post's
// action bar with its counts, which channels.js fetches again when a
// channels_post frame says they changed.
func (h handlers) actionsFragment(e *core.RequestEvent) error {
	p, err := h.ch.PostFor(e.Auth.Id, e.Request.PathValue("id"))
	if err != nil {
		return err
	}
	posts, err := pagePosts(e, []channels.Post{p}, pageNext(e, channels.PostPath(p.Channel.Handle, p.ID)))
	if err != nil {
		return err
	}
	return web.Render(e, http.StatusOK, views.PostActions(posts[0]))
}

// toggle is the form of a like or a favourite (taken back too): htmx gets
// the action bar again; without script a 303 goes back.
func (h handlers) toggle(op func(memberID, postID string) (channels.Post, error)) func(*core.RequestEvent) error {
	return func(e *core.RequestEvent) error {
		p, err := op(e.Auth.Id, e.Request.PathValue("id"))
		if err != nil {
			return err
		}
		href := channels.PostPath(p.Channel.Handle, p.ID)
		next := pageNext(e, href)
		if !web.IsHTMX(e) {
			return web.Redirect(e, next)
		}
		posts, err := pagePosts(e, []channels.Post{p}, next)
		if err != nil {
			return err
		}
		return web.Render(e, http.StatusOK, views.PostActions(posts[0]))
	}
}

// commentPage is POST /channels/p/{id}/comments (text, reply_to): then
// the post's comments; a refused comment shows on the post's page with
// its text, to send again.
func (h handlers) commentPage(e *core.RequestEvent) error {
	id := e.Request.PathValue("id")
	text := e.Request.FormValue("text")
	_, err := h.ch.AddComment(e.Auth.Id, id, channels.CommentInput{Text: text, ReplyTo: e.Request.FormValue("reply_to")})
	refused := pageRefusal(err)
	if err != nil && refused == nil {
		return err
	}
	p, perr := h.ch.PostFor(e.Auth.Id, id)
	if perr != nil {
		return perr
	}
	href := channels.PostPath(p.Channel.Handle, p.ID)
	if refused == nil {
		return web.Redirect(e, href+"#comments")
	}
	v, err := h.postPageModel(e, p)
	if err != nil {
		return err
	}
	v.Error, v.Text = refusalText(e, refused), text
	return memberScreen(e, refused.Status, postTitle(e, p), channelHref(p.Channel.Handle), views.PostPageView(v))
}

// commentAction is the form of an operation on a comment (delete, pin,
// unpin): then back to the post (its "next").
func (h handlers) commentAction(op func(memberID, commentID string) error) func(*core.RequestEvent) error {
	return func(e *core.RequestEvent) error {
		if err := op(e.Auth.Id, e.Request.PathValue("id")); err != nil {
			return err
		}
		next := pageNext(e, "/channels")
		if next != "/channels" {
			next += "#comments"
		}
		return web.Redirect(e, next)
	}
}

// followPage is the follow (or unfollow) form: htmx gets the button, or
// the channel's head on its page (view=head), again; without script a
// 303 goes back.
func (h handlers) followPage(op func(memberID, handle string) (channels.Channel, error)) func(*core.RequestEvent) error {
	return func(e *core.RequestEvent) error {
		ch, err := op(e.Auth.Id, e.Request.PathValue("handle"))
		if err != nil {
			return err
		}
		next := pageNext(e, channelHref(ch.Handle))
		if !web.IsHTMX(e) {
			return web.Redirect(e, next)
		}
		if e.Request.FormValue("view") == "head" {
			return web.Render(e, http.StatusOK, views.ProfileHead(pageChannel(e, ch, next)))
		}
		return web.Render(e, http.StatusOK, views.FollowButton(pageChannel(e, ch, next)))
	}
}
