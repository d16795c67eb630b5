package channelsweb

import "github.com/pocketbase/pocketbase/core"

// registerPages installs Channels' pages and media routes.
func (h handlers) registerPages(se *core.ServeEvent) {}
