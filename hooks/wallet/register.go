package wallet

import "github.com/pocketbase/pocketbase/core"

// Register binds the wallet's hooks, its expiry sweep and its pages.
func Register(app core.App, w *Wallet) {
	registerFunding(app)
	registerSweep(app)
	registerRoutes(app, w)
}
