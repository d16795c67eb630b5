package oaweb

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/core"
	qrcode "github.com/skip2/go-qrcode"

	"plaza/hooks/contacts"
	"plaza/hooks/links"
	"plaza/hooks/oa"
	"plaza/hooks/reports"
	"plaza/hooks/reports/reportsweb"
	"plaza/hooks/web"
	chatviews "plaza/views/chat"
	views "plaza/views/oa"
)

// An account's profile (public), following it, its follow code and
// reporting it.

// profilePage is GET /oa/{handle}: the account, its menu and articles.
func (h handlers) profilePage(e *core.RequestEvent) error {
	me := viewer(e)
	a, err := h.oa.AccountFor(me, e.Request.PathValue("handle"))
	if err != nil {
		return err
	}
	if a.Status != oa.StatusApproved { // its owner, before approval: their accounts say where it stands
		return web.Redirect(e, "/oa/mine")
	}
	list, err := h.oa.Articles(me, a.ID)
	if err != nil {
		return err
	}
	p := views.Profile{Account: pageAccount(e, a), Menu: pageMenu(a.Handle, a.Menu), QR: oa.AccountPath(a.Handle) + "/qr.png",
		Flash: pageFlash(e, "reported")}
	for _, art := range list {
		if art.PublishedAt != "" {
			p.Articles = append(p.Articles, pageArticleItem(a.Handle, art))
		}
	}
	if me != "" {
		p.ReportURL = oa.AccountPath(a.Handle) + "/report"
		if a.Following {
			p.ChatURL = oa.AccountPath(a.Handle) + "/chat"
		}
		if a.Operator {
			p.Console = oa.AccountPath(a.Handle) + "/console"
		}
	}
	return publicScreen(e, a.Name, "/oa", profileMeta(e, a), views.ProfileView(p))
}

// profileMeta is what an account's page says of itself to link previews.
func profileMeta(e *core.RequestEvent, a oa.Account) views.Meta {
	m := views.Meta{Title: web.T(e, "oa.meta_account", map[string]any{"name": a.Name}), Description: clipText(a.Description, 200),
		URL: web.SiteURL(e.App, oa.AccountPath(a.Handle)), Type: "profile"}
	if m.Description == "" {
		m.Description = a.Name
	}
	if a.HasAvatar {
		m.Image = web.SiteURL(e.App, oa.AvatarPath(a.Handle))
	}
	return m
}

// followPage is POST /oa/{handle}/follow (on=1 follows, on=0 unfollows):
// htmx gets the profile's head again; without script a 303 goes back to
// the profile (or the article, next=article).
func (h handlers) followPage(e *core.RequestEvent) error {
	me := e.Auth.Id
	a, err := h.oa.AccountFor(me, e.Request.PathValue("handle"))
	if err != nil {
		return err
	}
	if e.Request.FormValue("on") == "0" {
		err = h.oa.Unfollow(me, a.ID)
	} else {
		_, err = h.oa.Follow(me, a.ID)
	}
	if err != nil {
		return err
	}
	if a, err = h.oa.AccountFor(me, a.Handle); err != nil {
		return err
	}
	if !web.IsHTMX(e) {
		next := web.SafeNext(e.Request.FormValue("next"), "")
		if !strings.HasPrefix(next, oa.AccountPath(a.Handle)+"/") {
			next = oa.AccountPath(a.Handle)
		}
		return web.Redirect(e, next)
	}
	return web.Render(e, http.StatusOK, views.ProfileHead(pageAccount(e, a)))
}

// followLink is the account's signed follow link (a path).
func followLink(app core.App, handle string) (string, error) {
	s, err := contacts.Signer(app)
	if err != nil {
		return "", err
	}
	return s.Path(links.Link{Kind: links.KindOfficialAccount, Target: handle})
}

// qrImage is GET /oa/{handle}/qr.png: the account's follow code, which
// Scan opens (its profile, to follow).
func (h handlers) qrImage(e *core.RequestEvent) error {
	a, err := h.oa.AccountFor(viewer(e), e.Request.PathValue("handle"))
	if err != nil {
		return err
	}
	path, err := followLink(e.App, a.Handle)
	if err != nil {
		return err
	}
	png, err := qrcode.Encode(web.SiteURL(e.App, path), qrcode.Medium, 512)
	if err != nil {
		return fmt.Errorf("draw qr code: %w", err)
	}
	e.Response.Header().Set("Cache-Control", web.CachePublic)
	return e.Blob(http.StatusOK, "image/png", png)
}

// openLink is GET /open/oa/{handle}?e=&t=: a follow code scanned (or its
// link opened) leads to the account's profile once its signature holds.
func (h handlers) openLink(e *core.RequestEvent) error {
	l, err := contacts.ParseOwn(e.App, e.Request.URL.RequestURI(), time.Now(), e.Request.Host)
	if err != nil || l.Kind != links.KindOfficialAccount {
		return notFound(e)
	}
	a, err := h.oa.AccountFor(viewer(e), l.Target)
	if err != nil {
		return err
	}
	return web.Redirect(e, oa.AccountPath(a.Handle))
}

// reportAccountPage shows and files a report about an account.
func (h handlers) reportAccountPage(e *core.RequestEvent) error {
	a, err := h.oa.AccountFor(e.Auth.Id, e.Request.PathValue("handle"))
	if err != nil {
		return err
	}
	back := oa.AccountPath(a.Handle)
	m := chatviews.ReportForm{Action: e.Request.URL.Path, Subject: a.Name, Back: back}
	return h.reportScreen(e, m, func(in reports.Input) error { return h.oa.ReportAccount(e.Auth.Id, a.ID, in) })
}

// reportScreen shows the shared report form and files what it sends.
func (h handlers) reportScreen(e *core.RequestEvent, m chatviews.ReportForm, file func(reports.Input) error) error {
	status, m, err := reportsweb.Submit(e, m, file)
	if err != nil {
		return err
	}
	return memberScreen(e, status, web.T(e, "chat.report"), m.Back, chatviews.ReportPage(m))
}
