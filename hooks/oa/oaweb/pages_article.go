package oaweb

import (
	"net/http"
	"net/url"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"

	"plaza/hooks/accounts"
	"plaza/hooks/contacts"
	"plaza/hooks/oa"
	"plaza/hooks/web"
	views "plaza/views/oa"
)

// The public article page and a member's actions on it: like and wow,
// comments (shown once an operator chooses to), sharing, reporting.

func (h handlers) registerArticlePages(members *router.RouterGroup[*core.RequestEvent]) {
	members.POST("/oa/{handle}/a/{article}/react", h.reactPage)
	members.POST("/oa/{handle}/a/{article}/comments", h.commentPage)
	members.GET("/oa/{handle}/a/{article}/share", h.sharePage)
	members.POST("/oa/{handle}/a/{article}/share", h.sharePage)
	members.GET("/oa/{handle}/a/{article}/report", h.reportArticlePage)
	members.POST("/oa/{handle}/a/{article}/report", h.reportArticlePage)
	members.GET("/oa/{handle}/a/{article}/comments/{id}/report", h.reportCommentPage)
	members.POST("/oa/{handle}/a/{article}/comments/{id}/report", h.reportCommentPage)
}

// articleIn is the article the path names, on the account the path names,
// as the viewer may see it (oa.not_found otherwise).
func (h handlers) articleIn(e *core.RequestEvent) (oa.Account, oa.Article, error) {
	me := viewer(e)
	art, err := h.oa.Article(me, e.Request.PathValue("article"))
	if err != nil {
		return oa.Account{}, oa.Article{}, err
	}
	a, err := h.oa.AccountFor(me, e.Request.PathValue("handle"))
	if err != nil || a.ID != art.Account {
		return oa.Account{}, oa.Article{}, notFoundProblem()
	}
	return a, art, nil
}

// articlePage is GET /oa/{handle}/a/{article}: the article (a read queued:
// written within a second, off the request path; never one by those who
// run the account).
func (h handlers) articlePage(e *core.RequestEvent) error {
	e.Request.SetPathValue("article", e.Request.PathValue("id"))
	a, art, err := h.articleIn(e)
	if err != nil {
		return err
	}
	if !art.Operator && art.PublishedAt != "" {
		r := oa.Reader{MemberID: viewer(e), Addr: e.RealIP()}
		if err := h.oa.QueueRead(r, art.ID); err != nil { // a read is not worth a broken page
			e.App.Logger().Warn("oa: count a read", "article", art.ID, "error", err.Error())
		}
	}
	v, err := h.articleModel(e, a, art)
	if err != nil {
		return err
	}
	v.Flash = pageFlash(e, "commented", "reported")
	return publicScreen(e, art.Title, oa.AccountPath(a.Handle), articleMeta(e, a, art), views.ArticleView(v))
}

// articleModel is an article's page for the viewer, with its comments.
func (h handlers) articleModel(e *core.RequestEvent, a oa.Account, art oa.Article) (views.Article, error) {
	me := viewer(e)
	href := oa.ArticlePath(a.Handle, art.ID)
	v := views.Article{ID: art.ID, Title: art.Title, Author: art.Author, URL: href, Account: pageAccount(e, a), HTML: art.HTML,
		Draft: art.PublishedAt == "", Reads: art.Reads, Likes: art.Likes, Wows: art.Wows, Liked: art.Liked, Wowed: art.Wowed,
		CommentsOpen: art.CommentsOpen}
	v.Account.SignIn = signInFor(e, href)
	v.ISO, v.Date = stamp(art.PublishedAt)
	if art.HasCover {
		v.Cover = oa.CoverPath(a.Handle, art.ID)
	}
	if me != "" && !v.Draft {
		v.ShareURL, v.ReportURL = href+"/share", href+"/report"
		v.MomentsURL = "/moments/new?share_type=" + oa.CardArticle + "&share_ref=" + url.QueryEscape(art.ID)
	}
	list, err := h.oa.Comments(me, art.ID)
	if err != nil {
		return v, err
	}
	if v.Comments, err = pageComments(e, href, list); err != nil {
		return v, err
	}
	return v, nil
}

// pageComments are comments named as the viewer names their authors (a
// remark for a friend, else the member's name): one light read of names.
func pageComments(e *core.RequestEvent, articleHref string, list []oa.Comment) ([]views.Comment, error) {
	me := viewer(e)
	ids := make([]string, 0, len(list))
	for _, c := range list {
		ids = append(ids, c.Author)
	}
	faces, err := accounts.Faces(e.App, ids)
	if err != nil {
		return nil, err
	}
	remarks := map[string]string{}
	if me != "" && len(ids) > 0 {
		if remarks, err = contacts.RemarksFor(e.App, me, ids); err != nil {
			return nil, err
		}
	}
	out := make([]views.Comment, 0, len(list))
	for _, c := range list {
		v := views.Comment{ID: c.ID, Name: "?", Initial: "?", Text: c.Text, Reply: c.Reply, Shown: c.Shown, Mine: c.Mine}
		if m, ok := faces[c.Author]; ok {
			v.Name, v.Avatar, v.Initial = accounts.ShownName(remarks[c.Author], "", m.DisplayName()), m.AvatarURL("96x96"), m.Initial()
		}
		v.ISO, v.Date = stamp(c.At)
		if me != "" && !c.Mine {
			v.ReportURL = articleHref + "/comments/" + url.PathEscape(c.ID) + "/report"
		}
		out = append(out, v)
	}
	return out, nil
}

// articleMeta is what an article's page says of itself to link previews.
func articleMeta(e *core.RequestEvent, a oa.Account, art oa.Article) views.Meta {
	m := views.Meta{Title: art.Title, Description: clipText(art.Digest, 200), URL: web.SiteURL(e.App, oa.ArticlePath(a.Handle, art.ID)),
		Type: "article"}
	if m.Description == "" {
		m.Description = web.T(e, "oa.meta_article", map[string]any{"name": a.Name})
	}
	if art.HasCover {
		m.Image = web.SiteURL(e.App, oa.CoverPath(a.Handle, art.ID))
	} else if a.HasAvatar {
		m.Image = web.SiteURL(e.App, oa.AvatarPath(a.Handle))
	}
	return m
}

// reactPage is POST /oa/{handle}/a/{article}/react (kind like|wow, on
// 1|0): htmx gets the buttons again; without script a 303 goes back.
func (h handlers) reactPage(e *core.RequestEvent) error {
	a, art, err := h.articleIn(e)
	if err != nil {
		return err
	}
	art, err = h.oa.React(e.Auth.Id, art.ID, e.Request.FormValue("kind"), e.Request.FormValue("on") != "0")
	if err != nil {
		return err
	}
	href := oa.ArticlePath(a.Handle, art.ID)
	if !web.IsHTMX(e) {
		return web.Redirect(e, href)
	}
	v := views.Article{URL: href, Likes: art.Likes, Wows: art.Wows, Liked: art.Liked, Wowed: art.Wowed}
	return web.Render(e, http.StatusOK, views.Reactions(v))
}

// commentPage is POST /oa/{handle}/a/{article}/comments (text): then the
// article's comments, where the new one waits for an operator to show
// it; a refused comment shows on the article's page with its text.
func (h handlers) commentPage(e *core.RequestEvent) error {
	a, art, err := h.articleIn(e)
	if err != nil {
		return err
	}
	text := e.Request.FormValue("text")
	_, err = h.oa.Comment(e.Auth.Id, art.ID, text)
	refused := pageRefusal(err)
	if err != nil && refused == nil {
		return err
	}
	href := oa.ArticlePath(a.Handle, art.ID)
	if refused == nil {
		return web.Redirect(e, href+"?done=commented#comments")
	}
	v, err := h.articleModel(e, a, art)
	if err != nil {
		return err
	}
	v.Error, v.Text = refusalText(e, refused), text
	return memberScreen(e, refused.Status, art.Title, oa.AccountPath(a.Handle), views.ArticleView(v))
}
