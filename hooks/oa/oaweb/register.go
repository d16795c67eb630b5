// Package oaweb is Official Accounts' HTTP side: the directory, account
// profiles and the public article page (signed out too, with Open Graph
// tags), the operators' console, followers' conversations with an account
// and the Subscriptions list, and the JSON API under /api/plaza/oa.
package oaweb

import (
	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/chat"
	"plaza/hooks/oa"
)

// handlers hold what Official Accounts' handlers need.
type handlers struct {
	oa   *oa.Service
	chat *chat.Service // sharing an article into a chat as a card; followers' conversations
}

// Register installs Official Accounts' pages, JSON routes and media route.
func Register(app core.App, oaSvc *oa.Service, chatSvc *chat.Service) {
	h := handlers{oa: oaSvc, chat: chatSvc}
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		h.registerPages(se)
		h.registerAPI(se)
		h.registerConversations(se)
		return se.Next()
	})
}
