package contactsweb

import (
	"net/http"

	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/accounts/accountsweb"
	"plaza/hooks/contacts"
	"plaza/hooks/web"
	views "plaza/views/contacts"
	"plaza/views/layout"
)

// The privacy page: how others may find me, chat signals, and whom I blocked.

func (h handlers) privacyPage(e *core.RequestEvent) error {
	me := web.Member(e)
	p := contacts.PrivacyOf(me)
	blocked, err := contacts.Blocked(e.App, me)
	if err != nil {
		return err
	}
	m := views.Privacy{FindByID: p.FindByID, FindByEmail: p.FindByEmail, FindByQR: p.FindByQR, FindByGroup: p.FindByGroup,
		ShowTyping: p.ShowTyping, ShowPresence: p.ShowPresence, ReadReceipts: p.ReadReceipts}
	for _, b := range blocked {
		m.Blocked = append(m.Blocked, EntryOf(b, ""))
	}
	if e.Request.URL.Query().Get("saved") == "1" {
		m.Flash = layout.Flash{Kind: "ok", Message: web.T(e, "settings.saved")}
	}
	shell := accountsweb.ShellFor(e, web.T(e, "privacy.title"), layout.TabMe, layout.FocusDetail, "/me/settings")
	return web.Render(e, http.StatusOK, layout.AppShell(shell, accountsweb.MenuFor(e, "settings"), views.PrivacySettings(m)))
}

func (h handlers) savePrivacy(e *core.RequestEvent) error {
	f := func(name string) bool { return e.Request.FormValue(name) == "1" }
	err := h.c.SetPrivacy(web.Member(e), contacts.Privacy{FindByID: f("find_by_id"), FindByEmail: f("find_by_email"),
		FindByQR: f("find_by_qr"), FindByGroup: f("find_by_group"),
		ShowTyping: f("show_typing"), ShowPresence: f("show_presence"), ReadReceipts: f("read_receipts")})
	if err != nil {
		return err
	}
	return web.Redirect(e, "/me/privacy?saved=1")
}
