package channelsweb

import "github.com/pocketbase/pocketbase/core"

// registerAPI installs /api/plaza/channels/….
func (h handlers) registerAPI(se *core.ServeEvent) {}
