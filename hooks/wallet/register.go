package wallet

import (
	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/links"
)

// Register binds the wallet's record hooks and its expiry sweep, and lets
// the Scan page open collect links. Its pages and JSON routes are
// walletweb.Register's.
func Register(app core.App, w *Wallet) {
	registerFunding(app, w)
	registerSweep(app, w)
	w.reg.AddScanKind(links.KindPay, "wallet")
}
