package oaweb

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"

	"plaza/hooks/oa"
	"plaza/hooks/problem"
	"plaza/hooks/web"
	views "plaza/views/oa"
)

// Writing and editing an article. The image button uploads each picture
// to the account's media (the JSON route) and inserts ![](address) where
// the cursor is (oa.js); without script the pictures chosen go with the
// form and their Markdown is added at the body's end.

// apisBodyLimit bounds an article's form: a cover, pictures and the text.
func apisBodyLimit() *hook.Handler[*core.RequestEvent] { return apis.BodyLimit(pageUploadLimit) }

// editorModel is the article form for a, holding in.
func editorModel(a oa.Account, in oa.ArticleInput) views.Editor {
	return views.Editor{Nav: nav(a, "write"), Action: consoleBase(a.Handle) + "/write", Title: in.Title, Author: in.Author,
		Digest: in.Digest, Body: in.Body, CommentsOpen: in.CommentsOpen, Upload: "/api/plaza/oa/accounts/" + url.PathEscape(a.Handle) + "/media",
		Limits: views.EditorLimits{Title: oa.TitleMax, Author: oa.AuthorMax, Digest: oa.DigestMax, Body: oa.BodyMax}}
}

// withArticle fills the form's parts about a saved article.
func withArticle(v views.Editor, a oa.Account, art oa.Article) views.Editor {
	base := consoleBase(a.Handle) + "/a/" + url.PathEscape(art.ID)
	v.Nav.Current, v.ID, v.Action, v.Published = "articles", art.ID, base, art.PublishedAt != ""
	v.Delete, v.Comments, v.View = base+"/delete", base+"/comments", oa.ArticlePath(a.Handle, art.ID)
	if art.HasCover {
		v.Cover = oa.CoverPath(a.Handle, art.ID) + "?v=small"
	}
	return v
}

// articleInput binds the article form; the pictures sent with it (no
// script) are stored as the account's media and added to the body.
func (h handlers) articleInput(e *core.RequestEvent, a oa.Account) (oa.ArticleInput, error) {
	in := oa.ArticleInput{Title: e.Request.FormValue("title"), Author: e.Request.FormValue("author"),
		Digest: e.Request.FormValue("digest"), Body: e.Request.FormValue("body"), CommentsOpen: e.Request.FormValue("comments_open") == "1"}
	var err error
	if in.Cover, err = formFile(e, "cover"); err != nil {
		return in, err
	}
	images, err := e.FindUploadedFiles("images")
	if errors.Is(err, http.ErrMissingFile) || errors.Is(err, http.ErrNotMultipart) {
		return in, nil
	}
	if err != nil {
		return in, problem.Invalid("images", "moments.upload_failed", nil)
	}
	var md strings.Builder
	for _, f := range images {
		href, err := h.oa.AddMedia(e.Auth.Id, a.ID, f)
		if err != nil {
			return in, err
		}
		md.WriteString("\n\n![](" + href + ")")
	}
	in.Body = strings.TrimLeft(in.Body+md.String(), "\n")
	return in, nil
}

// writePage is GET /oa/{handle}/console/write and its POST: a new draft,
// then its form (to broadcast it).
func (h handlers) writePage(e *core.RequestEvent) error {
	a, err := h.consoleOf(e)
	if err != nil {
		return err
	}
	if e.Request.Method != http.MethodPost {
		v := editorModel(a, oa.ArticleInput{CommentsOpen: true})
		return memberScreen(e, http.StatusOK, web.T(e, "oa.console_write"), consoleBase(a.Handle), views.EditorView(v))
	}
	in, err := h.articleInput(e, a)
	var art oa.Article
	if err == nil {
		art, err = h.oa.WriteArticle(e.Auth.Id, a.ID, in)
	}
	if refused := pageRefusal(err); refused != nil {
		v := editorModel(a, in)
		v.Errors, v.Flash = web.FieldErrors(e, refused), refusalFlash(e, refused)
		return memberScreen(e, refused.Status, web.T(e, "oa.console_write"), consoleBase(a.Handle), views.EditorView(v))
	}
	if err != nil {
		return err
	}
	return web.Redirect(e, consoleBase(a.Handle)+"/a/"+url.PathEscape(art.ID)+"?done=saved")
}

// editPage is GET /oa/{handle}/console/a/{article} and its POST: the
// article's form, saved.
func (h handlers) editPage(e *core.RequestEvent) error {
	a, err := h.consoleOf(e)
	if err != nil {
		return err
	}
	id := e.Request.PathValue("article")
	if e.Request.Method != http.MethodPost {
		return h.renderEditor(e, a, id, nil)
	}
	in, err := h.articleInput(e, a)
	if err == nil {
		_, err = h.oa.EditArticle(e.Auth.Id, id, in)
	}
	if refused := pageRefusal(err); refused != nil {
		art, aerr := h.oa.Article(e.Auth.Id, id)
		if aerr != nil {
			return aerr
		}
		v := withArticle(editorModel(a, in), a, art)
		v.Errors, v.Flash = web.FieldErrors(e, refused), refusalFlash(e, refused)
		return memberScreen(e, refused.Status, art.Title, consoleBase(a.Handle), views.EditorView(v))
	}
	if err != nil {
		return err
	}
	return web.Redirect(e, consoleBase(a.Handle)+"/a/"+url.PathEscape(id)+"?done=saved")
}

// renderEditor shows a saved article's form; refused (a broadcast's
// refusal) shows on it.
func (h handlers) renderEditor(e *core.RequestEvent, a oa.Account, id string, refused *problem.Problem) error {
	art, err := h.oa.Article(e.Auth.Id, id)
	if err != nil {
		return err
	}
	if art.Account != a.ID || !art.Operator {
		return notFoundProblem()
	}
	in := oa.ArticleInput{Title: art.Title, Author: art.Author, Digest: art.Digest, Body: art.Markdown, CommentsOpen: art.CommentsOpen}
	v := withArticle(editorModel(a, in), a, art)
	bs, err := h.oa.Broadcasts(e.Auth.Id, a.ID)
	if err != nil {
		return err
	}
	v.Broadcast = v.Action + "/broadcast"
	for _, b := range bs {
		if b.Article == art.ID && b.Status != oa.BroadcastCancelled {
			v.Broadcast = ""
		}
	}
	status := http.StatusOK
	if refused != nil {
		v.Errors, v.Flash, status = web.FieldErrors(e, refused), refusalFlash(e, refused), refused.Status
	} else {
		v.Flash = pageFlash(e, "saved")
	}
	return memberScreen(e, status, art.Title, consoleBase(a.Handle), views.EditorView(v))
}
