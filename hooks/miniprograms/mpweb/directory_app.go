package mpweb

import (
	"fmt"
	"net/http"
	"path"
	"slices"
	"time"

	"github.com/pocketbase/pocketbase/core"
	qrcode "github.com/skip2/go-qrcode"

	"plaza/hooks/accounts"
	"plaza/hooks/contacts"
	"plaza/hooks/links"
	"plaza/hooks/miniprograms"
	"plaza/hooks/reports"
	"plaza/hooks/reports/reportsweb"
	"plaza/hooks/web"
	chatviews "plaza/views/chat"
	views "plaza/views/mp"
)

// One app from the directory's side: About (with its code), its
// screenshots, Star without script, Report, the code's picture and the
// signed link the code holds.

// liveApp is the app the member may see (live, or their own), refused
// (the one 404) when it must be live and is not.
func (h handlers) liveApp(e *core.RequestEvent, mustBeLive bool) (miniprograms.App, error) {
	a, err := h.mp.Visible(memberOf(e), appidOf(e))
	if err == nil && mustBeLive && !a.Live() {
		err = miniprograms.NotFound()
	}
	return a, err
}

// aboutPage is GET /mp/{appid}/about: what the app is, who makes it, its
// released version and screenshots, Open (scene directory), its code.
func (h handlers) aboutPage(e *core.RequestEvent) error {
	a, err := h.liveApp(e, false)
	if err != nil {
		return err
	}
	p := views.AboutPage{AppID: a.AppID, Name: a.Name, Category: dirCategoryLabel(e, a.Category), Description: a.Description,
		OpenHref: miniprograms.OpenPath(a.AppID, "directory")}
	if a.Icon != "" {
		p.IconURL = miniprograms.IconURL(a.AppID)
	}
	names, err := accounts.Names(e.App, []string{a.Developer})
	if err != nil {
		return err
	}
	p.Developer = names[a.Developer]
	if a.Released != "" {
		v, err := h.mp.VersionOf(a, a.Released)
		if err != nil {
			return err
		}
		p.Version = v.Version
	}
	for _, s := range a.Screenshots {
		p.Screenshots = append(p.Screenshots, "/mp/"+a.AppID+"/screenshots/"+s)
	}
	starred, err := h.mp.IsStarred(memberOf(e), a)
	if err != nil {
		return err
	}
	base := "/mp/" + a.AppID
	x := views.DirAboutExtra{AppID: a.AppID, ShareHref: base + "/share", ReportHref: base + "/report", StarHref: base + "/star",
		Starred: starred, Back: base + "/about"}
	if a.Live() {
		x.QR = base + "/qr.png"
	}
	return dirScreen(e, http.StatusOK, a.Name, "/mp", views.AboutScreen(p, x))
}

// dirScreenshot is GET /mp/{appid}/screenshots/{file}: one of the app's
// screenshots, to those who may see the app.
func (h handlers) dirScreenshot(e *core.RequestEvent) error {
	if _, err := h.liveApp(e, false); err != nil {
		return err
	}
	rec, err := h.mp.Record(appidOf(e))
	if err != nil {
		return err
	}
	name := e.Request.PathValue("file")
	if !slices.Contains(rec.GetStringSlice("screenshots"), name) {
		return miniprograms.NotFound()
	}
	fsys, err := e.App.NewFilesystem()
	if err != nil {
		return fmt.Errorf("open file storage: %w", err)
	}
	defer fsys.Close()
	hd := e.Response.Header()
	hd.Set("Cache-Control", web.CachePrivate)
	hd.Set("X-Content-Type-Options", "nosniff")
	if err := fsys.Serve(e.Response, e.Request, path.Join(rec.BaseFilesPath(), name), name); err != nil {
		return fmt.Errorf("serve screenshot: %w", err)
	}
	return nil
}

// starForm is POST /mp/{appid}/star (on=1 stars, on=0 unstars) without
// script: then back (a page of Plaza's), else the directory.
func (h handlers) starForm(e *core.RequestEvent) error {
	if err := h.mp.Star(memberOf(e), appidOf(e), e.Request.FormValue("on") != "0"); err != nil {
		return err
	}
	return web.Redirect(e, web.SafeNext(e.Request.FormValue("back"), "/mp"))
}

// reportPage is GET and POST /mp/{appid}/report: the shared report form,
// filed into the moderators' queue (Service.Report).
func (h handlers) reportPage(e *core.RequestEvent) error {
	a, err := h.liveApp(e, true)
	if err != nil {
		return err
	}
	m := chatviews.ReportForm{Action: e.Request.URL.Path, Subject: a.Name, Back: "/mp/" + a.AppID + "/about"}
	status, m, err := reportsweb.Submit(e, m, func(in reports.Input) error { return h.mp.Report(memberOf(e), a.AppID, in) })
	if err != nil {
		return err
	}
	return dirScreen(e, status, web.T(e, "chat.report"), m.Back, chatviews.ReportPage(m))
}

// dirLink is the app's signed link (a path), which its code holds.
func dirLink(app core.App, appid string) (string, error) {
	s, err := contacts.Signer(app)
	if err != nil {
		return "", err
	}
	return s.Path(links.Link{Kind: links.KindMiniProgram, Target: appid})
}

// qrImage is GET /mp/{appid}/qr.png: the live app's code, which Scan
// opens (the app, scene scan).
func (h handlers) qrImage(e *core.RequestEvent) error {
	a, err := h.liveApp(e, true)
	if err != nil {
		return err
	}
	p, err := dirLink(e.App, a.AppID)
	if err != nil {
		return err
	}
	png, err := qrcode.Encode(web.SiteURL(e.App, p), qrcode.Medium, 512)
	if err != nil {
		return fmt.Errorf("draw qr code: %w", err)
	}
	e.Response.Header().Set("Cache-Control", web.CachePrivate)
	return e.Blob(http.StatusOK, "image/png", png)
}

// openLink is GET /open/mp/{appid}?e=&t=: a code scanned (or its link
// opened) opens the app with scene scan once its signature holds.
func (h handlers) openLink(e *core.RequestEvent) error {
	l, err := contacts.ParseOwn(e.App, e.Request.URL.RequestURI(), time.Now(), e.Request.Host)
	if err != nil || l.Kind != links.KindMiniProgram || l.Target != appidOf(e) {
		return miniprograms.NotFound()
	}
	a, err := h.liveApp(e, true)
	if err != nil {
		return err
	}
	return web.Redirect(e, miniprograms.OpenPath(a.AppID, "scan"))
}
