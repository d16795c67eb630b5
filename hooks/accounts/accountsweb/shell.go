package accountsweb

import (
	"github.com/a-h/templ"
	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/accounts"
	"plaza/hooks/module"
	"plaza/hooks/web"
	views "plaza/views/accounts"
	"plaza/views/layout"
)

// ShellFor builds the app shell model for a signed-in page: every domain's
// pages use it so the tabs and the viewer look the same everywhere.
func ShellFor(e *core.RequestEvent, title string, tab layout.Tab, focus layout.Focus, back string) layout.Shell {
	s := layout.Shell{Page: web.PageFor(e, title), Tab: tab, Focus: focus, Back: back}
	if r := web.Member(e); r != nil {
		m := accounts.AsMember(r)
		s.Viewer = layout.Viewer{ID: m.Id, PlazaID: m.PlazaID(), Name: m.DisplayName(),
			AvatarURL: m.AvatarURL("96x96"), Initial: m.Initial()}
		s.Badges = tabBadges(e)
	}
	return s
}

// tabBadges are the counts the modules registered for the tabs
// (module.Registry.AddBadge).
func tabBadges(e *core.RequestEvent) map[layout.Tab]int {
	out := map[layout.Tab]int{}
	for place, n := range web.Badges(e) {
		switch place {
		case module.PlaceChats, module.PlaceContacts, module.PlaceDiscover, module.PlaceMe:
			out[layout.Tab(place)] += n
		}
	}
	return out
}

// MenuFor is the Me tab's list pane with current highlighted, for pages
// of other domains that live under Me (My QR code, Privacy).
func MenuFor(e *core.RequestEvent, current string) templ.Component {
	return views.MeMenu(ProfileOf(accounts.AsMember(web.Member(e))), current)
}

// ProfileOf is the member's profile as the views show it.
func ProfileOf(m *accounts.Member) views.Profile {
	return views.Profile{
		ID:        m.Id,
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
func AvatarFormOf(m *accounts.Member) views.AvatarForm {
	return views.AvatarForm{AvatarURL: m.AvatarURL("240x240"), Initial: m.Initial()}
}
