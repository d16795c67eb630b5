package oaweb

import "github.com/pocketbase/pocketbase/core"

// registerPages adds the pages under /oa.
func (h handlers) registerPages(se *core.ServeEvent) {
	_ = se
}
