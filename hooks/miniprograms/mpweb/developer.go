package mpweb

import "github.com/pocketbase/pocketbase/core"

// registerDeveloper adds developer mode and the console's pages and JSON.
func (h handlers) registerDeveloper(se *core.ServeEvent) {}
