package wallet

import "github.com/pocketbase/pocketbase/core"

func registerRoutes(app core.App) {}
