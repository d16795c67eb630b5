package chatweb

import (
	"net/http"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/accounts/accountsweb"
	"plaza/hooks/chat"
	"plaza/hooks/web"
	views "plaza/views/chat"
	"plaza/views/layout"
)

// A member's favourites (saved messages).

// favouritesPage (GET /me/favourites) lists the member's saved messages.
func (s *site) favouritesPage(e *core.RequestEvent) error {
	saved, err := s.Favourites(e.Auth.Id)
	if err != nil {
		return err
	}
	items := make([]views.Favourite, 0, len(saved))
	for _, r := range saved {
		f := views.Favourite{ID: r.ID, Sender: r.Sender, Kind: r.Kind, Text: r.Text,
			Media: mediaView(r.Media), At: r.At.Format(time.RFC3339), FileURL: "/favourites/" + r.ID + "/file"}
		if r.Card != nil {
			f.Card = &views.Card{Type: r.Card.Type, Label: s.cardLabel(e, r.Card.Type), Title: r.Card.Title, Link: r.Card.Link}
			if r.Card.Type == chat.CardHistory {
				f.Card.Title = web.T(e, "chat.history_of", map[string]any{"names": r.Card.Title})
				f.Card.Link = ""
			}
		}
		items = append(items, f)
	}
	shell := accountsweb.ShellFor(e, web.T(e, "chat.favourites"), layout.TabMe, layout.FocusDetail, "/me")
	return web.Render(e, http.StatusOK, layout.AppShell(shell, accountsweb.MenuFor(e, "favourites"), views.FavouritesPage(items)))
}

// deleteFavourite (POST /me/favourites/{id}/delete).
func (s *site) deleteFavourite(e *core.RequestEvent) error {
	if err := s.DeleteFavourite(e.Auth.Id, e.Request.PathValue("id")); err != nil {
		return err
	}
	return web.Redirect(e, "/me/favourites")
}

// favouriteFile (GET /favourites/{id}/file) opens a saved picture or file
// through PocketBase with a fresh file token, like chat media.
func (s *site) favouriteFile(e *core.RequestEvent) error {
	r, err := s.OwnFavourite(e.Auth.Id, e.Request.PathValue("id"))
	if err != nil {
		return err
	}
	if r.GetString("file") == "" {
		return chat.NotFound()
	}
	return redirectToFile(e, r, "file")
}
