package web

import (
	"net/http"
	"strings"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
)

// crossOriginMiddleware refuses state-changing requests that a browser made
// on behalf of another site (Go's http.CrossOriginProtection: Sec-Fetch-Site,
// else Origin against Host). Safe methods pass. So do requests that cannot
// act as anyone through the browser's ambient credentials:
//   - those with an Authorization header (a browser never adds one by itself,
//     and such requests never use the session cookie);
//   - API requests without the session cookie, e.g. the PocketBase JS SDK on
//     another origin signing in: they get a token in JSON, never a cookie.
//
// Every page route (forms that set or use the cookie) is always checked.
func crossOriginMiddleware() *hook.Handler[*core.RequestEvent] {
	protection := http.NewCrossOriginProtection()
	return &hook.Handler[*core.RequestEvent]{
		Id:       "plazaCrossOrigin",
		Priority: -1025, // after panic recovery, before auth and everything else
		Func: func(e *core.RequestEvent) error {
			if Cookieless(e.Request.URL.Path) {
				// A mini program's bundle or a demo app's server: never
				// anyone's session, so nothing to forge either.
				e.Request.Header.Del("Cookie")
				e.Request.Header.Del("Authorization")
				return e.Next()
			}
			if e.Request.Header.Get("Authorization") != "" {
				return e.Next()
			}
			if err := protection.Check(e.Request); err != nil {
				if IsAPI(e) && !hasSessionCookie(e) {
					return e.Next()
				}
				return Fail(e, http.StatusForbidden, "errors.cross_origin")
			}
			return e.Next()
		},
	}
}

func hasSessionCookie(e *core.RequestEvent) bool {
	c, err := e.Request.Cookie(SessionCookie)
	return err == nil && c.Value != ""
}

// Cookieless reports whether path is served to mini programs' sandboxed
// frames, which must never act with a member's session
// (docs/SECURITY.md, "Mini programs"): bundle files (/mp/{appid}/v/…,
// /mp/{appid}/p/…) and the demo apps' own servers (/mp-demo/…). Their
// requests lose Cookie and Authorization before anything reads them.
func Cookieless(path string) bool {
	if strings.HasPrefix(path, "/mp-demo/") {
		return true
	}
	rest, ok := strings.CutPrefix(path, "/mp/")
	if !ok {
		return false
	}
	_, tail, ok := strings.Cut(rest, "/")
	return ok && (strings.HasPrefix(tail, "v/") || strings.HasPrefix(tail, "p/"))
}
