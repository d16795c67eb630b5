package contacts

import (
	"github.com/pocketbase/pocketbase/core"
)

// AcceptedFunc runs after a friend request was accepted and committed (by
// the recipient, or by the two asking each other): acceptor is who said
// yes, requester who asked. It returns the page to show the acceptor next
// ("" for none). The chat plugs in here (it opens the two's chat with its
// "You have added X as a friend" notice), so this package never imports it.
type AcceptedFunc func(app core.App, acceptorID, requesterID string) (next string, err error)

const acceptedKey = "plaza.contacts.accepted"

// OnAccepted sets the function that runs after each accepted request.
func OnAccepted(app core.App, f AcceptedFunc) {
	app.Store().Set(acceptedKey, f)
}

// afterAccept runs the OnAccepted function; a failure there is logged, not
// the member's problem: the friendship stands.
func afterAccept(app core.App, acceptorID, requesterID string) string {
	f, _ := app.Store().Get(acceptedKey).(AcceptedFunc)
	if f == nil {
		return ""
	}
	next, err := f(app, acceptorID, requesterID)
	if err != nil {
		app.Logger().Error("contacts: after accepting a friend request", "error", err.Error())
		return ""
	}
	return next
}
