package mpweb

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/miniprograms"
	"plaza/hooks/web"
	views "plaza/views/mp"
)

// The runtime: the host page draws the top bar around the app's frame,
// whose sandbox never allows same-origin (the frame's origin is opaque:
// no Plaza cookies, storage or APIs). Bundle files are served without
// anyone's session (web.Cookieless strips Cookie and Authorization) with
// a CSP of their own: sandboxed even when opened outside the frame,
// scripts and styles only from the bundle's own folder and the bridge,
// connections only to the app's server, framed only by Plaza.

// registerRuntime adds the host page, the bundle files and the icon.
func (h handlers) registerRuntime(se *core.ServeEvent) {
	pub := se.Router.Group("")
	pub.GET("/mp/{appid}/v/{version}/{path...}", h.serveLive)
	pub.GET("/mp/{appid}/p/{preview}/{path...}", h.servePreview)
	web.Pages(se).GET("/mp/{appid}/icon", h.serveIcon)
	members := web.Pages(se).BindFunc(web.RequireMember)
	members.GET("/mp/{appid}", h.hostPage)
}

// hostPage is /mp/{appid}?scene=…[&preview=<version>][&path=…][&back=…].
func (h handlers) hostPage(e *core.RequestEvent) error {
	member := web.Member(e).Id
	appid := e.Request.PathValue("appid")
	q := e.Request.URL.Query()
	a, err := h.mp.Visible(member, appid)
	if err != nil {
		return err
	}
	src, preview, perms, err := h.frameSource(member, a, q.Get("preview"))
	if err != nil {
		return err
	}
	launch, err := h.mp.Open(member, a, q.Get("scene"))
	if err != nil {
		return err
	}
	launchQuery := launch.Query()
	if p := q.Get("path"); p != "" && len(p) <= 200 {
		launchQuery += "&path=" + url.QueryEscape(p)
	}
	starred, err := h.mp.IsStarred(member, a)
	if err != nil {
		return err
	}
	back := web.SafeNext(q.Get("back"), "/mp")
	page := views.HostPage{Page: web.PageFor(e, a.Name), AppID: a.AppID, Name: a.Name, Description: a.Description,
		FrameSrc: src + "#" + launchQuery, Launch: launchQuery, Permissions: strings.Join(perms, " "), BackHref: back,
		BackGiven: web.SafeNext(q.Get("back"), "") != "",
		ShareHref: "/mp/" + a.AppID + "/share", AboutHref: "/mp/" + a.AppID + "/about", ReportHref: "/mp/" + a.AppID + "/report",
		StarHref: "/mp/" + a.AppID + "/star", Starred: starred, Preview: preview, Currency: h.mp.Wallet().Symbol()}
	if a.Icon != "" {
		page.IconURL = miniprograms.IconURL(a.AppID)
	}
	var buf bytes.Buffer
	if err := views.Host(page).Render(e.Request.Context(), &buf); err != nil {
		return fmt.Errorf("render host page: %w", err)
	}
	hd := e.Response.Header()
	web.SetPageHeaders(hd)
	hd.Set("Content-Security-Policy", strings.Replace(web.ContentSecurityPolicy, "frame-ancestors 'none'",
		"frame-src 'self'"+frameOrigin(src)+"; frame-ancestors 'none'", 1))
	hd.Set("Content-Type", "text/html; charset=utf-8")
	e.Response.WriteHeader(http.StatusOK)
	_, err = buf.WriteTo(e.Response)
	return err
}

// frameSource is the address the frame loads: the released version's
// entry (or its external URL), or, for the developer, a preview of any
// of their versions; and that version's permissions.
func (h handlers) frameSource(member string, a miniprograms.App, previewID string) (string, bool, []string, error) {
	id := a.Released
	if previewID != "" {
		if a.Developer != member {
			return "", false, nil, miniprograms.NotFound()
		}
		id = previewID
	} else if !a.Live() {
		return "", false, nil, miniprograms.NotFound()
	}
	v, err := h.mp.VersionOf(a, id)
	if err != nil {
		return "", false, nil, err
	}
	preview := previewID != "" && !v.Released
	switch {
	case v.URL != "":
		return v.URL, preview, v.Perms, nil
	case previewID != "":
		return "/mp/" + a.AppID + "/p/" + v.ID + "." + a.PreviewToken(v.ID) + "/" + v.Entry, preview, v.Perms, nil
	}
	return "/mp/" + a.AppID + "/v/" + v.ID + "/" + v.Entry, false, v.Perms, nil
}

// frameOrigin is " https://host" for an external app's URL, "" for a
// bundle on this server.
func frameOrigin(src string) string {
	u, err := url.Parse(src)
	if err != nil || u.Scheme != "https" || u.Host == "" {
		return ""
	}
	return " https://" + u.Host
}

func (h handlers) serveLive(e *core.RequestEvent) error {
	return h.serveBundle(e, e.Request.PathValue("version"), "", "v")
}

func (h handlers) servePreview(e *core.RequestEvent) error {
	id, token, _ := strings.Cut(e.Request.PathValue("preview"), ".")
	return h.serveBundle(e, id, token, "p")
}

// serveBundle answers one file of a version with the bundle's headers.
//
// A bundle's page opened in the top window would show the app's content
// at Plaza's own address (a fake sign-in page sending what is typed to
// the app's server, say): a browser that says it is loading the top
// window's document (Sec-Fetch-Dest) is sent to the host page instead.
func (h handlers) serveBundle(e *core.RequestEvent, versionID, token, kind string) error {
	appid := e.Request.PathValue("appid")
	if e.Request.Header.Get("Sec-Fetch-Dest") == "document" {
		return e.Redirect(http.StatusSeeOther, "/mp/"+url.PathEscape(appid))
	}
	f, err := h.mp.BundleFile(appid, versionID, token, e.Request.PathValue("path"))
	if err != nil {
		return bundleError(e, err)
	}
	origin := requestOrigin(e)
	folder := origin + "/mp/" + appid + "/" + kind + "/" + e.Request.PathValue(map[string]string{"v": "version", "p": "preview"}[kind]) + "/"
	hd := e.Response.Header()
	hd.Set("Content-Type", f.ContentType)
	hd.Set("Content-Security-Policy", BundleCSP(origin, folder, connectSource(origin, f.App.ServerURL)))
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Referrer-Policy", "no-referrer")
	// The frame's origin is opaque, so to the browser its own scripts,
	// styles and pictures are cross-origin: "same-origin" (or "same-site")
	// would block every one of them. A bundle is public and carries no
	// member's data, so any page may load it.
	hd.Set("Cross-Origin-Resource-Policy", "cross-origin")
	hd.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
	if kind == "v" {
		hd.Set("Cache-Control", "public, max-age=300")
	} else {
		hd.Set("Cache-Control", "no-store")
	}
	return e.Blob(http.StatusOK, f.ContentType, f.Data)
}

// bundleError answers a plain 404 (no page of Plaza's inside an app's
// frame, no cookie).
func bundleError(e *core.RequestEvent, err error) error {
	if !miniprograms.IsNotFound(err) {
		e.App.Logger().Error("miniprograms: serve bundle", "error", err.Error())
	}
	e.Response.Header().Set("Content-Security-Policy", "sandbox; default-src 'none'")
	return e.String(http.StatusNotFound, "not found")
}

// BundleCSP is the policy of a bundle's files: sandboxed (an opaque
// origin even when opened outside Plaza's frame: no cookies, no storage of
// Plaza's), scripts, styles, pictures and fonts from its own folder (and
// the bridge), connections only to connect, no plugins, no forms posted
// anywhere, no <base>, framed only by Plaza's host page.
func BundleCSP(origin, folder, connect string) string {
	bridge := origin + "/public/mp/plaza-bridge.js"
	return "sandbox allow-scripts allow-forms; default-src 'none'; script-src " + folder + " " + bridge +
		"; style-src " + folder + " 'unsafe-inline'; img-src " + folder + " data: blob:; font-src " + folder +
		"; media-src " + folder + " blob:; connect-src " + connect + "; form-action 'none'; base-uri 'none'; object-src 'none'; frame-ancestors 'self'"
}

// connectSource is where the app may connect: its server's origin (a
// demo app's path on this server), else nowhere.
func connectSource(origin, serverURL string) string {
	if strings.HasPrefix(serverURL, "/mp-demo/") {
		return origin + serverURL
	}
	u, err := url.Parse(serverURL)
	if serverURL == "" || err != nil || u.Scheme != "https" || u.Host == "" {
		return "'none'"
	}
	return "https://" + u.Host
}

// requestOrigin is this server's origin as the browser reached it.
func requestOrigin(e *core.RequestEvent) string {
	scheme := "http"
	if e.IsTLS() || e.Request.Header.Get("X-Forwarded-Proto") == "https" {
		scheme = "https"
	}
	return scheme + "://" + e.Request.Host
}

// serveIcon is an app's icon: a live app's to anyone, otherwise its
// developer's only.
func (h handlers) serveIcon(e *core.RequestEvent) error {
	rec, err := h.mp.Record(e.Request.PathValue("appid"))
	if err != nil {
		return err
	}
	viewer := ""
	if m := web.Member(e); m != nil {
		viewer = m.Id
	}
	if _, err := h.mp.Visible(viewer, rec.GetString("appid")); err != nil || rec.GetString("icon") == "" {
		return miniprograms.NotFound()
	}
	return web.ServeRecordFile(e, rec, "icon", e.Request.URL.Query().Get("thumb"), web.CachePublic)
}
