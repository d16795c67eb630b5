package oaweb

import (
	"context"
	"io"
	"net/http"
	"strings"

	"github.com/a-h/templ"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/accounts/accountsweb"
	"plaza/hooks/oa"
	"plaza/hooks/problem"
	shellweb "plaza/hooks/shell"
	"plaza/hooks/web"
	"plaza/views/layout"
	views "plaza/views/oa"
)

// Official Accounts' pages. The public ones (an account's profile, an
// article, their pictures, the follow code) answer visitors too: signed
// out they are whole documents with Open Graph tags, cacheable by ETag; a
// member sees them inside the app. The rest are members' (Discover →
// Official Accounts, Contacts → Official Accounts, the console). Each
// handler binds, calls one oa operation and renders; the domain decided
// what anyone may see (an account not approved, a draft, another's
// console: its 404).
//
// Four-segment GETs under /oa share one pattern (articleOrMedia): the
// media route /oa/media/{account}/{media} and /oa/{handle}/a/{article}
// would otherwise be two patterns neither more specific than the other.

// pageUploadLimit bounds a form with an avatar, a cover or pictures.
const pageUploadLimit = 48 << 20

// registerPages adds the pages under /oa and /open/oa.
func (h handlers) registerPages(se *core.ServeEvent) {
	public := web.Pages(se)
	public.GET("/oa/{handle}", h.profilePage)
	public.GET("/oa/{handle}/avatar", h.serveAvatar)
	public.GET("/oa/{handle}/qr.png", h.qrImage)
	public.GET("/oa/{handle}/{section}/{id}", h.articleOrMedia)
	public.GET("/oa/{handle}/a/{article}/cover", h.serveCover)
	public.GET("/open/oa/{handle}", h.openLink)

	members := web.Pages(se).BindFunc(web.RequireMember)
	members.GET("/oa", h.directoryPage)
	members.GET("/oa/following", h.followingPage)
	members.GET("/oa/mine", h.minePage)
	members.GET("/oa/apply", h.applyPage)
	members.POST("/oa/apply", h.applyPage).Bind(apis.BodyLimit(pageUploadLimit))
	members.POST("/oa/{handle}/follow", h.followPage)
	members.GET("/oa/{handle}/report", h.reportAccountPage)
	members.POST("/oa/{handle}/report", h.reportAccountPage)
	h.registerArticlePages(members)
	h.registerConsolePages(members)
	h.registerSettingsPages(members)
}

// viewer is the signed-in member's id, "" for a visitor.
func viewer(e *core.RequestEvent) string {
	if m := web.Member(e); m != nil {
		return m.Id
	}
	return ""
}

// memberScreen shows an Official Accounts screen to a member in the
// Discover tab; back is where Back leads when they came from nowhere else.
func memberScreen(e *core.RequestEvent, status int, title, back string, detail templ.Component) error {
	s := accountsweb.ShellFor(e, title, layout.TabDiscover, layout.FocusDetail, back)
	return web.Render(e, status, layout.AppShell(s, shellweb.DiscoverMenu(e, oa.DiscoverID), detail))
}

// publicScreen shows a public page: inside the app to a member (not
// cached), as a whole document with meta's tags to a visitor (cached by
// ETag).
func publicScreen(e *core.RequestEvent, title, back string, meta views.Meta, body templ.Component) error {
	if viewer(e) != "" {
		return memberScreen(e, http.StatusOK, title, back, body)
	}
	meta.Site = web.PageFor(e, "").Community
	doc := views.PublicPage(web.PageFor(e, title), meta, back, signInFor(e, e.Request.URL.RequestURI()))
	whole := templ.ComponentFunc(func(ctx context.Context, w io.Writer) error {
		return doc.Render(templ.WithChildren(ctx, body), w)
	})
	return web.RenderCached(e, "text/html; charset=utf-8", whole)
}

// pageRefusal is err as a problem a page shows beside its form (a 400, a
// 403, a 409, a 429), or nil when err is something else (a 404, a
// failure) that the error page answers.
func pageRefusal(err error) *problem.Problem {
	p, ok := problem.As(err)
	if !ok || p.Status == http.StatusNotFound || p.Status >= 500 {
		return nil
	}
	return p
}

// refusalText is a pageRefusal's message: its own, else its first field's.
func refusalText(e *core.RequestEvent, p *problem.Problem) string {
	if msg := web.ProblemMessage(e, p); msg != "" {
		return msg
	}
	if errs := web.FieldErrors(e, p); len(errs) > 0 {
		return errs[0].Message
	}
	return web.T(e, "errors.bad_request")
}

// refusalFlash is a refusal as the error notice at the top of a form.
func refusalFlash(e *core.RequestEvent, p *problem.Problem) layout.Flash {
	return layout.Flash{Kind: "error", Message: refusalText(e, p)}
}

// pageFlash is the notice a page shows after a form redirected to it with
// ?done=<key>: only keys of keys, each a message.
func pageFlash(e *core.RequestEvent, keys ...string) layout.Flash {
	done := e.Request.URL.Query().Get("done")
	for _, k := range keys {
		if k == done {
			return layout.Flash{Kind: "ok", Message: web.T(e, "oa.done_"+k)}
		}
	}
	return layout.Flash{}
}

// isGone reports a 404 problem.
func isGone(err error) bool {
	p, ok := problem.As(err)
	return ok && p.Status == http.StatusNotFound
}

// notFound is the page's 404 for what does not exist.
func notFound(e *core.RequestEvent) error { return web.Fail(e, http.StatusNotFound, "oa.not_found") }

// withDone adds ?done=key to a page's address.
func withDone(href, key string) string {
	if strings.Contains(href, "?") {
		return href + "&done=" + key
	}
	return href + "?done=" + key
}

// notFoundProblem is the domain's 404 for a page's own checks.
func notFoundProblem() error { return problem.New(http.StatusNotFound, "oa.not_found") }
