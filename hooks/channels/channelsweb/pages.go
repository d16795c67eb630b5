package channelsweb

import (
	"context"
	"io"
	"net/http"
	"strings"

	"github.com/a-h/templ"
	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/accounts/accountsweb"
	"plaza/hooks/channels"
	"plaza/hooks/problem"
	shellweb "plaza/hooks/shell"
	"plaza/hooks/web"
	views "plaza/views/channels"
	"plaza/views/layout"
)

// Channels' pages. The public ones (a channel, a post, a hashtag, their
// Atom feeds and the media) answer visitors too: signed out they are
// whole documents with Open Graph tags, cacheable by ETag; a member sees
// them inside the app. The rest are members' (Discover → Channels). Each
// handler binds, calls one channels operation and renders; the domain
// decided what anyone may see (a taken-down post is its 404).

// registerPages installs Channels' pages and media routes.
func (h handlers) registerPages(se *core.ServeEvent) {
	public := web.Pages(se)
	public.GET("/c/{handle}", h.channelPage)
	public.GET("/c/{handle}/p/{post}", h.postPage)
	public.GET("/c/{handle}/feed.atom", h.channelAtom)
	public.GET("/c/{handle}/avatar", h.serveAvatar)
	public.GET("/channels/tag/{tag}", h.tagPage)
	public.GET("/channels/tag/{tag}/feed.atom", h.tagAtom)
	public.GET("/channels/media/{id}", h.serveMedia)

	members := web.Pages(se).BindFunc(web.RequireMember)
	h.registerFeedPages(members)
	h.registerMePages(members)
	h.registerActionPages(members)
	h.registerComposePages(members)
	h.registerSharePages(members)
}

// memberScreen shows a Channels screen to a member in the Discover tab;
// back is where Back leads when the member came from nowhere else.
func memberScreen(e *core.RequestEvent, status int, title, back string, detail templ.Component) error {
	s := accountsweb.ShellFor(e, title, layout.TabDiscover, layout.FocusDetail, back)
	return web.Render(e, status, layout.AppShell(s, shellweb.DiscoverMenu(e, channels.DiscoverID), detail))
}

// publicScreen shows a public page: inside the app to a member (not
// cached), as a whole document with meta's tags to a visitor (cached by
// ETag).
func publicScreen(e *core.RequestEvent, title, back string, meta views.Meta, body templ.Component) error {
	if pageViewer(e) != "" {
		return memberScreen(e, http.StatusOK, title, back, body)
	}
	meta.Site = web.PageFor(e, "").Community
	doc := views.PublicPage(web.PageFor(e, title), meta, back, signInFor(e, e.Request.URL.RequestURI()))
	whole := templ.ComponentFunc(func(ctx context.Context, w io.Writer) error {
		return doc.Render(templ.WithChildren(ctx, body), w)
	})
	return web.RenderCached(e, "text/html; charset=utf-8", whole)
}

// pageRefusal is err as a problem a page shows beside its form (a 400 or a
// 409), or nil when err is something else (a 404, a failure) that the
// error page answers.
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

// isGone reports Channels' (or any) 404.
func isGone(err error) bool {
	p, ok := problem.As(err)
	return ok && p.Status == http.StatusNotFound
}

// pageNext is the Channels page a form returns to: its "next" when that is
// one of Channels' pages, else fallback.
func pageNext(e *core.RequestEvent, fallback string) string {
	next := web.SafeNext(e.Request.FormValue("next"), fallback)
	if strings.HasPrefix(next, "/channels") || strings.HasPrefix(next, "/c/") {
		return next
	}
	return fallback
}

// pageFlash is the notice a page shows after a form redirected to it with
// ?<key>=1.
func pageFlash(e *core.RequestEvent, keys map[string]string) layout.Flash {
	q := e.Request.URL.Query()
	for param, key := range keys {
		if q.Get(param) == "1" {
			return layout.Flash{Kind: "ok", Message: web.T(e, key)}
		}
	}
	return layout.Flash{}
}
