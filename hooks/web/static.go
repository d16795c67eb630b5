package web

import (
	"io/fs"
	"net/http"
	"path"
	"strings"

	"github.com/pocketbase/pocketbase/core"

	"plaza/public"
)

// staticHandler serves the embedded assets under /public/. A URL carrying
// the asset's current content hash (?v=…, see public.URL) may be cached for
// a year; any other URL must be revalidated.
func staticHandler(fsys fs.FS) func(*core.RequestEvent) error {
	return func(e *core.RequestEvent) error {
		name := path.Clean(strings.TrimPrefix(e.Request.PathValue("path"), "/"))
		if name == "." || strings.HasPrefix(name, "..") {
			return e.NotFoundError("", nil)
		}
		st, err := fs.Stat(fsys, name)
		if err != nil || st.IsDir() {
			return e.NotFoundError("", nil)
		}
		h := e.Response.Header()
		if v := e.Request.URL.Query().Get("v"); v != "" && v == public.Version(name) {
			h.Set("Cache-Control", "public, max-age=31536000, immutable")
		} else {
			h.Set("Cache-Control", "no-cache")
		}
		h.Set("X-Content-Type-Options", "nosniff")
		http.ServeFileFS(e.Response, e.Request, fsys, name)
		return nil
	}
}
