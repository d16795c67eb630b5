package momentsweb

import (
	"net/http"
	"net/url"

	"github.com/a-h/templ"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"

	"plaza/hooks/accounts/accountsweb"
	"plaza/hooks/moments"
	"plaza/hooks/problem"
	shellweb "plaza/hooks/shell"
	"plaza/hooks/web"
	"plaza/views/layout"
	views "plaza/views/moments"
)

// Moments' pages: the feed, one post, the actions on a post (htmx swaps the
// post; without script a 303 goes back), compose, albums, notifications
// and settings. Each handler binds, calls one moments operation and
// renders; the domain decided what the viewer may see.

func (h handlers) registerPages(pages *router.RouterGroup[*core.RequestEvent]) {
	pages.GET("/moments", h.feedPage)
	pages.GET("/moments/posts/{id}", h.postPage)
	pages.POST("/moments/posts/{id}/like", h.postAction(func(me, id string) error { return h.m.Like(me, id) }))
	pages.POST("/moments/posts/{id}/unlike", h.postAction(func(me, id string) error { return h.m.Unlike(me, id) }))
	pages.POST("/moments/posts/{id}/private", h.postAction(func(me, id string) error { return h.m.SetPrivate(me, id) }))
	pages.POST("/moments/posts/{id}/comments", h.commentPage)
	pages.POST("/moments/posts/{id}/delete", h.deletePostPage)
	pages.POST("/moments/comments/{id}/delete", h.deleteCommentPage)
	h.registerComposePages(pages)
	h.registerMorePages(pages)
	h.registerReportPages(pages)
}

// render shows a Moments screen in the Discover tab.
func render(e *core.RequestEvent, status int, title string, detail templ.Component) error {
	s := accountsweb.ShellFor(e, title, layout.TabDiscover, layout.FocusDetail, "/discover")
	return web.Render(e, status, layout.AppShell(s, shellweb.DiscoverMenu(e, moments.DiscoverID), detail))
}

// feedPage is GET /moments[?after=]: the feed (opening it puts the
// Discover dot out); htmx asks for the next page as a fragment.
func (h handlers) feedPage(e *core.RequestEvent) error {
	me := e.Auth.Id
	after := e.Request.URL.Query().Get("after")
	page, err := h.m.Feed(me, after, 0)
	if err != nil {
		return err
	}
	posts, err := postViews(e, page.Posts, "/moments")
	if err != nil {
		return err
	}
	more := ""
	if page.Next != "" {
		more = "/moments?after=" + url.QueryEscape(page.Next)
	}
	if web.IsHTMX(e) && after != "" {
		return web.Render(e, http.StatusOK, views.Posts(views.Page{Posts: posts, More: more}))
	}
	if after == "" {
		if err := h.m.MarkFeedSeen(me); err != nil {
			return err
		}
	}
	header, err := h.header(e, me)
	if err != nil {
		return err
	}
	unread, err := h.m.UnreadCount(e.App, me)
	if err != nil {
		return err
	}
	f := views.Feed{Header: header, Posts: posts, More: more, Unread: unread}
	if e.Request.URL.Query().Get("posted") == "1" {
		f.Flash = layout.Flash{Kind: "ok", Message: web.T(e, "moments.posted")}
	}
	return render(e, http.StatusOK, web.T(e, "moments.title"), views.FeedView(f))
}

// header is owner's cover as the viewer may see it.
func (h handlers) header(e *core.RequestEvent, ownerID string) (views.Header, error) {
	pp, err := peopleFor(e.App, e.Auth.Id, []string{ownerID})
	if err != nil {
		return views.Header{}, err
	}
	out := views.Header{Owner: personView(pp.of(ownerID)), Mine: ownerID == e.Auth.Id}
	if rec, err := h.m.CoverFor(e.Auth.Id, ownerID); err == nil && rec != nil {
		out.Cover = coverURL(ownerID) + "?v=" + url.QueryEscape(rec.GetString("cover"))
	} else if err != nil && !isNotFound(err) {
		return views.Header{}, err
	}
	return out, nil
}

func isNotFound(err error) bool {
	p, ok := problem.As(err)
	return ok && p.Status == http.StatusNotFound
}

// onePost is a post as the viewer sees it, ready for the views.
func (h handlers) onePost(e *core.RequestEvent, postID, next string) (views.Post, error) {
	p, err := h.m.PostFor(e.Auth.Id, postID)
	if err != nil {
		return views.Post{}, err
	}
	posts, err := postViews(e, []moments.Post{p}, next)
	if err != nil {
		return views.Post{}, err
	}
	return posts[0], nil
}

// postPage is GET /moments/posts/{id}[?reply=comment]: one post with all
// the likes and comments the viewer may see.
func (h handlers) postPage(e *core.RequestEvent) error {
	id := e.Request.PathValue("id")
	v, err := h.onePost(e, id, "/moments/posts/"+id)
	if err != nil {
		return err
	}
	if reply := e.Request.URL.Query().Get("reply"); reply != "" {
		for _, c := range v.Comments {
			if c.ID == reply {
				v.ReplyTo, v.ReplyName = c.ID, c.Author.Name
			}
		}
	}
	if web.IsHTMX(e) { // a tab fetching the post again after a moments_post frame
		return web.Render(e, http.StatusOK, views.PostView(v))
	}
	return render(e, http.StatusOK, web.T(e, "moments.post_title"), views.OnePost(v))
}

// afterAction answers a post's form: the post again for htmx, a 303 to
// the form's page otherwise; a refused action shows its message.
func (h handlers) afterAction(e *core.RequestEvent, postID string, opErr error) error {
	p, isProblem := problem.As(opErr)
	if opErr != nil && (!isProblem || p.Status == http.StatusNotFound) {
		return opErr
	}
	if opErr == nil && !web.IsHTMX(e) {
		return web.Redirect(e, nextOf(e, "/moments/posts/"+postID))
	}
	v, err := h.onePost(e, postID, nextOf(e, "/moments/posts/"+postID))
	if err != nil {
		return err
	}
	status := http.StatusOK
	if isProblem {
		v.Error, status = problemText(e, p), http.StatusUnprocessableEntity
	}
	if web.IsHTMX(e) {
		return web.Render(e, status, views.PostView(v))
	}
	return render(e, status, web.T(e, "moments.post_title"), views.OnePost(v))
}

// problemText is a refusal's message: its own, else its first field's.
func problemText(e *core.RequestEvent, p *problem.Problem) string {
	if msg := web.ProblemMessage(e, p); msg != "" {
		return msg
	}
	if errs := web.FieldErrors(e, p); len(errs) > 0 {
		return errs[0].Message
	}
	return web.T(e, "errors.bad_request")
}

// postAction is a form's handler for an operation on the route's post.
func (h handlers) postAction(op func(me, id string) error) func(*core.RequestEvent) error {
	return func(e *core.RequestEvent) error {
		id := e.Request.PathValue("id")
		return h.afterAction(e, id, op(e.Auth.Id, id))
	}
}

// commentPage is POST /moments/posts/{id}/comments (text, reply_to).
func (h handlers) commentPage(e *core.RequestEvent) error {
	id := e.Request.PathValue("id")
	_, err := h.m.AddComment(e.Auth.Id, id, moments.CommentInput{Text: e.Request.FormValue("text"), ReplyTo: e.Request.FormValue("reply_to")})
	return h.afterAction(e, id, err)
}

// deleteCommentPage is POST /moments/comments/{id}/delete (post: the
// post it is on, to show it again).
func (h handlers) deleteCommentPage(e *core.RequestEvent) error {
	err := h.m.DeleteComment(e.Auth.Id, e.Request.PathValue("id"))
	postID := e.Request.FormValue("post")
	if postID == "" {
		postID = e.Request.URL.Query().Get("post")
	}
	if err != nil || postID == "" {
		if err == nil {
			return web.Redirect(e, nextOf(e, "/moments"))
		}
		return err
	}
	return h.afterAction(e, postID, nil)
}

// deletePostPage is POST /moments/posts/{id}/delete.
func (h handlers) deletePostPage(e *core.RequestEvent) error {
	id := e.Request.PathValue("id")
	if err := h.m.Delete(e.Auth.Id, id); err != nil {
		return err
	}
	next := nextOf(e, "/moments")
	if next == "/moments/posts/"+id {
		next = "/moments"
	}
	return web.Redirect(e, next)
}
