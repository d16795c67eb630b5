package contacts

import (
	"time"

	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/module"
)

// The functions below keep the old free-function entry points for callers
// outside contacts that have not moved to the Service yet (tests of chat
// and wallet, testapp.Befriend, wallet's link reader). Each runs the
// Service operation on a service of its own: the wall clock and an empty
// registry, so no module's AllowCardWhen counts for Block.

// SendRequest is Service.SendRequest on app.
//
// Deprecated: use the app's *Service (hooks.Plaza.Contacts,
// testapp.Services(t, app).Contacts).
func SendRequest(app core.App, from, to *core.Record, in RequestInput) (*Request, error) {
	return standalone(app).SendRequest(from, to, in)
}

// Accept is Service.Accept on app.
//
// Deprecated: use the app's *Service.
func Accept(app core.App, me *core.Record, requestID string, in AcceptInput) error {
	_, err := standalone(app).Accept(me, requestID, in)
	return err
}

// Block is Service.Block on app, where only contacts' own relations let
// one block a member hidden from ID search.
//
// Deprecated: use the app's *Service.
func Block(app core.App, me *core.Record, targetID string) error {
	return standalone(app).Block(me, targetID)
}

// Unblock is Service.Unblock on app.
//
// Deprecated: use the app's *Service.
func Unblock(app core.App, me *core.Record, targetID string) error {
	return standalone(app).Unblock(me, targetID)
}

// Unfriend is Service.Unfriend on app.
//
// Deprecated: use the app's *Service.
func Unfriend(app core.App, me *core.Record, friendID string) error {
	return standalone(app).Unfriend(me, friendID)
}

// Now is the wall clock.
//
// Deprecated: a domain reads its own clock (ParseOwn takes it); the
// contacts service's is Service.Now.
func Now() time.Time { return time.Now() }

func standalone(app core.App) *Service { return New(app, module.New()) }
