// Package momentsweb is Moments' HTTP side: its pages, its JSON API under
// /api/plaza/moments, and the media route that checks every fetch.
package momentsweb

import (
	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/moments"
	"plaza/hooks/web"
)

// handlers hold what Moments' handlers need.
type handlers struct{ m *moments.Service }

// Register installs Moments' pages, JSON routes and media route.
func Register(app core.App, m *moments.Service) {
	h := handlers{m: m}
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		pages := web.Pages(se).BindFunc(web.RequireMember)
		pages.GET("/moments/media/{id}", h.serveMedia)
		pages.GET("/moments/cover/{member}", h.serveCover)
		h.registerPages(pages)
		h.registerAPI(se)
		return se.Next()
	})
}
