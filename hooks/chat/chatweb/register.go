package chatweb

import (
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/chat"
	"plaza/hooks/web"
)

// site holds the chat pages', JSON routes' and socket's handlers: each
// binds its request, calls one operation of the chat service and renders
// or answers JSON.
type site struct {
	*chat.Service
	app     core.App
	tickets *tickets
}

// Register installs the chat pages, the socket and the JSON routes of the
// chat service s (chat.Register installs its hooks and registry entries).
func Register(app core.App, cs *chat.Service) {
	s := &site{Service: cs, app: app, tickets: &tickets{m: map[string]ticket{}}}
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		pages := web.Pages(se).BindFunc(web.RequireMember)
		pages.GET("/chats", s.chatsPage)
		pages.GET("/chats/new", s.newGroupPage)
		pages.GET("/chats/search", s.searchPage)
		pages.POST("/chats/groups", s.createGroup)
		pages.GET("/chats/{id}", s.conversationPage)
		pages.GET("/chats/{id}/qr", s.groupQRPage)
		pages.GET("/chats/{id}/qr.png", s.groupQRImage)
		pages.GET("/chats/{id}/info", s.infoPage)
		pages.GET("/chats/{id}/manage", s.managePage)
		pages.POST("/chats/{id}/dissolve", s.dissolve)
		pages.POST("/chats/{id}/prefs", s.savePrefs)
		pages.POST("/chats/{id}/group", s.saveGroup)
		pages.POST("/chats/{id}/members", s.inviteMembers)
		pages.POST("/chats/{id}/members/{member}/remove", s.removeMember)
		pages.POST("/chats/{id}/owner", s.transferOwner)
		pages.POST("/chats/{id}/leave", s.leave)
		pages.POST("/chats/{id}/unread", s.action(func(me, conv string) error { return s.MarkUnread(me, conv) }, "/chats"))
		pages.POST("/chats/{id}/clear", s.action(func(me, conv string) error { return s.ClearHistory(me, conv) }, ""))
		pages.POST("/chats/{id}/hide", s.action(func(me, conv string) error { return s.Hide(me, conv) }, "/chats"))
		pages.GET("/report/message/{conv}/{mid}", s.reportMessagePage)
		pages.POST("/report/message/{conv}/{mid}", s.reportMessagePage)
		pages.GET("/report/person/{id}", s.reportPersonPage)
		pages.POST("/report/person/{id}", s.reportPersonPage)
		pages.GET("/join/{id}", s.joinPage)
		pages.POST("/join/{id}", s.join)
		pages.POST("/chats/{id}/messages", s.postMessage)
		pages.POST("/u/{friend}/chat", s.openDirect)
		pages.GET("/media/{id}", s.serveMedia)
		pages.POST("/chats/{id}/approval", s.saveApproval)
		pages.POST("/chats/{id}/join-code/reset", s.resetJoinCode)
		pages.POST("/chats/{id}/requests/{rid}/approve", s.decideRequest(true))
		pages.POST("/chats/{id}/requests/{rid}/decline", s.decideRequest(false))
		pages.POST("/chats/{id}/announcement/read", s.ackAnnouncement)
		pages.POST("/chats/{id}/media", s.uploadMedia).Bind(apis.BodyLimit(2001 << 20)) // the setting's limit is checked inside
		pages.GET("/chats/{id}/forward", s.forwardPage)
		pages.POST("/chats/{id}/forward", s.forward)
		pages.GET("/chats/{id}/cards/{mid}", s.historyPage)
		pages.GET("/chats/{id}/contact-card", s.contactCardPage)
		pages.POST("/chats/{id}/contact-card", s.sendContactCard)
		pages.GET("/me/favourites", s.favouritesPage)
		pages.POST("/me/favourites/{id}/delete", s.deleteFavourite)
		pages.GET("/favourites/{id}/file", s.favouriteFile)

		se.Router.GET("/ws", s.serveSocket)
		api := se.Router.Group("/api/plaza").BindFunc(web.RequireMember)
		api.POST("/ws-ticket", s.issueTicket)
		api.GET("/chats", s.apiList)
		api.GET("/chats/{id}/messages", s.apiMessages)
		api.GET("/chats/{id}/join-link", s.apiJoinLink)
		api.POST("/chats/{id}/join-code/reset", s.apiResetJoinCode)
		s.registerGroupAPI(api) // api_groups.go
		return se.Next()
	})
}
