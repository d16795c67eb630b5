package web

import (
	"mime"
	"net/http"
	"strings"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"

	"plaza/hooks/problem"
)

// textMiddleware answers 400 (errors.nul_byte) to a request whose query
// string or URL-encoded form holds a NUL byte in any name or value.
// Multipart bodies (uploads) and JSON are checked where they are read.
func textMiddleware() *hook.Handler[*core.RequestEvent] {
	return &hook.Handler[*core.RequestEvent]{
		Id:       "plazaText",
		Priority: -990, // after the session and the language, before the routes
		Func: func(e *core.RequestEvent) error {
			if problem.HasNUL(e.Request.URL.RawQuery) || strings.Contains(e.Request.URL.RawQuery, "%00") {
				return Fail(e, http.StatusBadRequest, "errors.nul_byte")
			}
			if ct, _, _ := mime.ParseMediaType(e.Request.Header.Get("Content-Type")); ct == "application/x-www-form-urlencoded" && e.Request.Body != nil {
				if err := e.Request.ParseForm(); err != nil {
					return Fail(e, http.StatusBadRequest, "errors.bad_request")
				}
				for k, vs := range e.Request.PostForm {
					if problem.HasNUL(k) || problem.HasNUL(strings.Join(vs, "")) {
						return Fail(e, http.StatusBadRequest, "errors.nul_byte")
					}
				}
			}
			return e.Next()
		},
	}
}
