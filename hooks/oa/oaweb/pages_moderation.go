package oaweb

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/oa"
	"plaza/hooks/web"
	views "plaza/views/oa"
)

// Comments' moderation: an operator sees every comment on an article,
// shows or hides each (a comment is hidden until shown) and answers under
// it.

// moderationPage is GET /oa/{handle}/console/a/{article}/comments.
func (h handlers) moderationPage(e *core.RequestEvent) error {
	a, err := h.consoleOf(e)
	if err != nil {
		return err
	}
	art, err := h.oa.Article(e.Auth.Id, e.Request.PathValue("article"))
	if err != nil {
		return err
	}
	if art.Account != a.ID {
		return notFoundProblem()
	}
	list, err := h.oa.Comments(e.Auth.Id, art.ID)
	if err != nil {
		return err
	}
	href := oa.ArticlePath(a.Handle, art.ID)
	comments, err := pageComments(e, href, list)
	if err != nil {
		return err
	}
	back := consoleBase(a.Handle) + "/a/" + url.PathEscape(art.ID) + "/comments"
	m := views.Moderation{Nav: nav(a, "articles"), Back: back, Article: pageArticleItem(a.Handle, art), Flash: pageFlash(e, "moderated")}
	for _, c := range comments {
		base := consoleBase(a.Handle) + "/comments/" + url.PathEscape(c.ID)
		c.ReportURL = ""
		m.Comments = append(m.Comments, views.ModComment{Comment: c, Show: base + "/show", Reply: base + "/reply"})
	}
	return memberScreen(e, http.StatusOK, web.T(e, "oa.comments"), consoleBase(a.Handle)+"/a/"+url.PathEscape(art.ID),
		views.ModerationView(m))
}

// showCommentPage is POST /oa/{handle}/console/comments/{id}/show (shown
// 1|0): then back to the article's comments.
func (h handlers) showCommentPage(e *core.RequestEvent) error {
	return h.moderate(e, func(me, id string) error { return h.oa.ShowComment(me, id, e.Request.FormValue("shown") != "0") })
}

// replyCommentPage is POST /oa/{handle}/console/comments/{id}/reply
// (reply; empty removes it).
func (h handlers) replyCommentPage(e *core.RequestEvent) error {
	return h.moderate(e, func(me, id string) error { return h.oa.ReplyComment(me, id, e.Request.FormValue("reply")) })
}

// moderate runs op on the path's comment and goes back to the page the
// form was on (its next, a page of this console), else the console.
func (h handlers) moderate(e *core.RequestEvent, op func(me, id string) error) error {
	a, err := h.consoleOf(e)
	if err != nil {
		return err
	}
	err = op(e.Auth.Id, e.Request.PathValue("id"))
	if refused := pageRefusal(err); refused != nil {
		return web.Fail(e, refused.Status, "oa.reply_too_long")
	}
	if err != nil {
		return err
	}
	back := web.SafeNext(e.Request.FormValue("next"), "")
	if !strings.HasPrefix(back, consoleBase(a.Handle)+"/") || strings.Contains(back, "?") {
		back = consoleBase(a.Handle)
	}
	return web.Redirect(e, withDone(back, "moderated"))
}
