package mpweb

import (
	"net/http"

	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/accounts/accountsweb"
	"plaza/hooks/miniprograms"
	"plaza/hooks/web"
	"plaza/views/layout"
	views "plaza/views/mp"
)

// Settings → Mini Programs: the apps the member let see their name and
// photo (plaza.getUserProfile()), each with Remove.

// permissionsPage is GET /me/miniprograms.
func (h handlers) permissionsPage(e *core.RequestEvent) error {
	list, err := h.mp.Consents(memberOf(e))
	if err != nil {
		return err
	}
	var p views.DirPermissionsPage
	for _, a := range list {
		d := dirApp(e, a)
		d.Href = "/me/miniprograms/" + a.AppID + "/remove"
		p.Apps = append(p.Apps, d)
	}
	s := accountsweb.ShellFor(e, web.T(e, "mp.dir_permissions_title"), layout.TabMe, layout.FocusDetail, "/me/settings")
	return web.Render(e, http.StatusOK, layout.AppShell(s, accountsweb.MenuFor(e, "settings"), views.PermissionsView(p)))
}

// removePermission is POST /me/miniprograms/{appid}/remove: the app no
// longer sees the member's profile (it asks again next time).
func (h handlers) removePermission(e *core.RequestEvent) error {
	if err := h.revoke(memberOf(e), appidOf(e)); err != nil {
		return err
	}
	return web.Redirect(e, "/me/miniprograms")
}

// revoke takes back app appid's sight of the member's profile; an app not
// among the member's permissions is the one 404.
func (h handlers) revoke(me, appid string) error {
	list, err := h.mp.Consents(me)
	if err != nil {
		return err
	}
	for _, a := range list {
		if a.AppID == appid {
			return h.mp.SetConsent(me, a, false)
		}
	}
	return miniprograms.NotFound()
}
