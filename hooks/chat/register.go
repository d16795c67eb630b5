package chat

import (
	"context"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/accounts"
	"plaza/hooks/links"
	"plaza/hooks/module"
)

// Register installs chat's registry entries (the Chats tab badge, the
// group join links on the Scan page, group members' cards, contact
// events) and its record hooks: a member's sockets close when their
// sessions are revoked, and every socket closes before the database does.
// chatweb.Register installs the pages, the socket and the JSON routes.
func Register(app core.App, s *Service) {
	s.reg.AddBadge("chat", UnreadTotal, module.PlaceChats)
	s.reg.AddScanKind(links.KindJoinGroup, "chat")
	s.reg.AllowCardWhen(SharesGroup) // tap a group member's avatar for their card
	s.registerContactEvents(app)
	s.reg.OnSignOut(s.hub.CloseMember) // one session signed out: the others reconnect
	app.OnRecordAfterUpdateSuccess(accounts.Collection).BindFunc(func(e *core.RecordEvent) error {
		if e.Record.TokenKey() != e.Record.Original().TokenKey() {
			s.hub.CloseMember(e.Record.Id) // signed out everywhere, or a new password
		}
		return e.Next()
	})
	app.OnTerminate().BindFunc(func(e *core.TerminateEvent) error {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		s.Shutdown(ctx) // sockets close before the database does
		return e.Next()
	})
}
