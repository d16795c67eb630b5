package accounts

import (
	"github.com/a-h/templ"
	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/web"
	"plaza/views/accounts"
	"plaza/views/layout"
)

// ShellFor builds the app shell model for a signed-in page: every domain's
// pages use it so the tabs and the viewer look the same everywhere.
func ShellFor(e *core.RequestEvent, title string, tab layout.Tab, focus layout.Focus, back string) layout.Shell {
	s := layout.Shell{Page: web.PageFor(e, title), Tab: tab, Focus: focus, Back: back}
	if r := web.Member(e); r != nil {
		m := AsMember(r)
		s.Viewer = layout.Viewer{ID: m.Id, PlazaID: m.PlazaID(), Name: m.DisplayName(),
			AvatarURL: m.AvatarURL("96x96"), Initial: m.Initial()}
		s.Badges = tabBadges(e.App, m.Id)
	}
	return s
}

// BadgeFunc counts what waits for a member on a tab (new friend requests,
// unread messages…). It must be cheap: it runs on every page.
type BadgeFunc func(app core.App, memberID string) (int, error)

const badgesKey = "plaza.tabBadges"

// SetTabBadge lets a domain put a count on a tab; the domains that own the
// counts plug in here, so this package never imports them.
func SetTabBadge(app core.App, tab layout.Tab, f BadgeFunc) {
	badges, _ := app.Store().Get(badgesKey).(map[layout.Tab][]BadgeFunc)
	if badges == nil {
		badges = map[layout.Tab][]BadgeFunc{}
	}
	badges[tab] = append(badges[tab], f)
	app.Store().Set(badgesKey, badges)
}

func tabBadges(app core.App, memberID string) map[layout.Tab]int {
	funcs, _ := app.Store().Get(badgesKey).(map[layout.Tab][]BadgeFunc)
	out := map[layout.Tab]int{}
	for tab, fs := range funcs {
		for _, f := range fs {
			n, err := f(app, memberID)
			if err != nil {
				app.Logger().Warn("tab badge failed", "tab", string(tab), "error", err.Error())
				continue
			}
			out[tab] += n
		}
	}
	return out
}

// MenuFor is the Me tab's list pane with current highlighted, for pages
// of other domains that live under Me (My QR code, Privacy).
func MenuFor(e *core.RequestEvent, current string) templ.Component {
	return accounts.MeMenu(ProfileOf(AsMember(web.Member(e))), current)
}

// ProfileOf is the member's profile as the views show it.
func ProfileOf(m *Member) accounts.Profile {
	return accounts.Profile{
		PlazaID:   m.PlazaID(),
		Name:      m.DisplayName(),
		Region:    m.Region(),
		Signature: m.Signature(),
		PatSuffix: m.PatSuffix(),
		AvatarURL: m.AvatarURL("240x240"),
		Initial:   m.Initial(),
	}
}

// AvatarFormOf is the avatar uploader's state for the member.
func AvatarFormOf(m *Member) accounts.AvatarForm {
	return accounts.AvatarForm{AvatarURL: m.AvatarURL("240x240"), Initial: m.Initial()}
}
