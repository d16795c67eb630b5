package contactsweb

import (
	"fmt"
	"net/http"

	"github.com/pocketbase/pocketbase/core"
	qrcode "github.com/skip2/go-qrcode"

	"plaza/hooks/accounts"
	"plaza/hooks/accounts/accountsweb"
	"plaza/hooks/contacts"
	"plaza/hooks/problem"
	shellweb "plaza/hooks/shell"
	"plaza/hooks/web"
	views "plaza/views/contacts"
	"plaza/views/layout"
)

// My QR code (the add-me link as a picture) and the Scan page.

func (h handlers) qrPage(e *core.RequestEvent) error {
	me := web.Member(e)
	m := views.QR{Person: PersonOf(me, ""), ImageURL: "/me/qr.png",
		DownloadName: "plaza-" + accounts.AsMember(me).PlazaID() + ".png"}
	if e.Request.URL.Query().Get("reset") == "1" {
		m.Flash = layout.Flash{Kind: "ok", Message: web.T(e, "qr.reset_done")}
	}
	shell := accountsweb.ShellFor(e, web.T(e, "qr.title"), layout.TabMe, layout.FocusDetail, "/me")
	return web.Render(e, http.StatusOK, layout.AppShell(shell, accountsweb.MenuFor(e, "qr"), views.MyQR(m)))
}

// qrImage is the member's add-me code as a PNG (private: it lets people
// add them, so it is never cached by shared caches).
func (h handlers) qrImage(e *core.RequestEvent) error {
	me := web.Member(e)
	path, err := contacts.AddLink(e.App, me)
	if err != nil {
		return err
	}
	png, err := qrcode.Encode(web.SiteURL(e.App, path), qrcode.Medium, 512)
	if err != nil {
		return fmt.Errorf("draw qr code: %w", err)
	}
	hdr := e.Response.Header()
	hdr.Set("Cache-Control", "private, no-store")
	if e.Request.URL.Query().Get("download") == "1" {
		hdr.Set("Content-Disposition", `attachment; filename="plaza-`+accounts.AsMember(me).PlazaID()+`.png"`)
	}
	return e.Blob(http.StatusOK, "image/png", png)
}

func (h handlers) resetQR(e *core.RequestEvent) error {
	if err := h.c.ResetQR(web.Member(e)); err != nil {
		return err
	}
	return web.Redirect(e, "/me/qr?reset=1")
}

func (h handlers) renderScan(e *core.RequestEvent, status int, flash layout.Flash) error {
	shell := accountsweb.ShellFor(e, web.T(e, "scan.title"), layout.TabDiscover, layout.FocusDetail, "/discover")
	return web.Render(e, status, layout.AppShell(shell, shellweb.DiscoverMenu(e, "scan"), views.ScanPage(views.Scan{Flash: flash})))
}

func (h handlers) scanPage(e *core.RequestEvent) error {
	return h.renderScan(e, http.StatusOK, layout.Flash{})
}

// scan opens what a decoded code points to (contacts.Service.Scan).
func (h handlers) scan(e *core.RequestEvent) error {
	path, err := h.c.Scan(e.Request.FormValue("code"), e.Request.Host)
	if p, ok := problem.As(err); ok {
		return h.renderScan(e, http.StatusBadRequest, layout.Flash{Kind: "error", Message: web.ProblemMessage(e, p)})
	} else if err != nil {
		return err
	}
	return web.Redirect(e, path)
}
