package web

import (
	"mime"
	"net/http"
	"strings"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
)

// HasNUL reports whether free text holds a NUL byte. No member text may:
// SQLite's FTS5 and LIKE patterns end a string at one (a search answered
// 500), and nothing a person types holds one. Domain checks of text that
// comes as JSON call it; form and query values are refused before any
// handler sees them (textMiddleware).
func HasNUL(s string) bool { return strings.IndexByte(s, 0) >= 0 }

// textMiddleware answers 400 (errors.nul_byte) to a request whose query
// string or URL-encoded form holds a NUL byte in any name or value.
// Multipart bodies (uploads) and JSON are checked where they are read.
func textMiddleware() *hook.Handler[*core.RequestEvent] {
	return &hook.Handler[*core.RequestEvent]{
		Id:       "plazaText",
		Priority: -990, // after the session and the language, before the routes
		Func: func(e *core.RequestEvent) error {
			if HasNUL(e.Request.URL.RawQuery) || strings.Contains(e.Request.URL.RawQuery, "%00") {
				return Fail(e, http.StatusBadRequest, "errors.nul_byte")
			}
			if ct, _, _ := mime.ParseMediaType(e.Request.Header.Get("Content-Type")); ct == "application/x-www-form-urlencoded" && e.Request.Body != nil {
				if err := e.Request.ParseForm(); err != nil {
					return Fail(e, http.StatusBadRequest, "errors.bad_request")
				}
				for k, vs := range e.Request.PostForm {
					if HasNUL(k) || HasNUL(strings.Join(vs, "")) {
						return Fail(e, http.StatusBadRequest, "errors.nul_byte")
					}
				}
			}
			return e.Next()
		},
	}
}
