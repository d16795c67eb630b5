// Package channelsweb is Channels' HTTP side: its public pages (signed
// out too) with Open Graph tags and Atom feeds, the members' pages, its
// JSON API under /api/plaza/channels, and the media route that checks
// every fetch.
package channelsweb

import (
	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/channels"
	"plaza/hooks/chat"
)

// handlers hold what Channels' handlers need.
type handlers struct {
	ch   *channels.Service
	chat *chat.Service // sharing a post into a chat as a card
}

// Register installs Channels' pages, JSON routes and media route.
func Register(app core.App, ch *channels.Service, chatSvc *chat.Service) {
	h := handlers{ch: ch, chat: chatSvc}
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		h.registerPages(se)
		h.registerAPI(se)
		return se.Next()
	})
}
