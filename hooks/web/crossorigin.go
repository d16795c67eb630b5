package web

import (
	"net/http"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
)

// crossOriginMiddleware refuses state-changing requests that a browser made
// on behalf of another site (Go's http.CrossOriginProtection: Sec-Fetch-Site,
// else Origin against Host). Safe methods pass. Requests carrying an
// Authorization header pass too: a browser never attaches that header by
// itself, and such requests never use the session cookie.
func crossOriginMiddleware() *hook.Handler[*core.RequestEvent] {
	protection := http.NewCrossOriginProtection()
	return &hook.Handler[*core.RequestEvent]{
		Id:       "plazaCrossOrigin",
		Priority: -1025, // after panic recovery, before auth and everything else
		Func: func(e *core.RequestEvent) error {
			if e.Request.Header.Get("Authorization") != "" {
				return e.Next()
			}
			if err := protection.Check(e.Request); err != nil {
				return Fail(e, http.StatusForbidden, "errors.cross_origin")
			}
			return e.Next()
		},
	}
}
