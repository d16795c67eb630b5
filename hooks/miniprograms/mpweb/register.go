// Package mpweb is Mini Programs' HTTP side: the host page around an app's
// sandboxed frame and the bundle files it loads (cookieless, with the
// bundle's own CSP), the JSON the host's bridge calls for the member
// (login codes, consent, the pay sheet's order and payment, storage,
// stars), the signed server API apps' servers call, the directory, and
// the developer console. docs/MINIPROGRAMS.md is the developers' guide.
package mpweb

import (
	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/chat"
	"plaza/hooks/miniprograms"
)

// handlers hold what Mini Programs' handlers need.
type handlers struct {
	mp   *miniprograms.Service
	chat *chat.Service // sharing an app into a chat as a card
}

// Register installs Mini Programs' pages and JSON routes, and hands the
// service this server's handler (demo apps' webhooks are paths here).
func Register(app core.App, svc *miniprograms.Service, chatSvc *chat.Service) {
	h := handlers{mp: svc, chat: chatSvc}
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		h.registerRuntime(se)
		h.registerBridgeAPI(se)
		h.registerServerAPI(se)
		h.registerDirectory(se)
		h.registerDeveloper(se)
		if err := se.Next(); err != nil {
			return err
		}
		if se.Server != nil { // nil when tests list the routes
			svc.SetLocalHandler(se.Server.Handler)
		}
		return nil
	})
	app.OnTerminate().BindFunc(func(e *core.TerminateEvent) error {
		svc.WaitWebhooks()
		return e.Next()
	})
}
