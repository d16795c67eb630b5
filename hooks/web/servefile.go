package web

import (
	"fmt"
	"net/http"
	"path"

	"github.com/pocketbase/pocketbase/core"
)

// Cache policies of ServeRecordFile.
const (
	// CachePrivate: a shared cache must never keep it (what one member
	// may see), and the browser asks again each time.
	CachePrivate = "private, no-cache"
	// CachePublic: anyone may see it now; caches may keep it but ask
	// every time (a 304 when unchanged), so a takedown is seen at once.
	CachePublic = "public, no-cache"
)

// ServeRecordFile streams one file field of rec (or its thumb, made on
// first use) after the caller decided who may fetch it (Moments' and
// Channels' media routes; their collections are superusers-only, so
// PocketBase's own file route serves members nothing). Range requests work
// (http.ServeContent), for video; cache is CachePrivate or CachePublic.
func ServeRecordFile(e *core.RequestEvent, rec *core.Record, field, thumb, cache string) error {
	name := rec.GetString(field)
	if name == "" {
		return Fail(e, http.StatusNotFound, "errors.not_found")
	}
	fsys, err := e.App.NewFilesystem()
	if err != nil {
		return fmt.Errorf("open file storage: %w", err)
	}
	defer fsys.Close()
	key := path.Join(rec.BaseFilesPath(), name)
	if thumb != "" {
		thumbKey := path.Join(rec.BaseFilesPath(), "thumbs_"+name, thumb+"_"+name)
		if exists, err := fsys.Exists(thumbKey); err != nil {
			return fmt.Errorf("find thumb: %w", err)
		} else if !exists {
			if err := fsys.CreateThumb(key, thumbKey, thumb); err != nil {
				return fmt.Errorf("make thumb: %w", err)
			}
		}
		key = thumbKey
	}
	e.Response.Header().Set("Cache-Control", cache)
	e.Response.Header().Set("X-Content-Type-Options", "nosniff")
	if err := fsys.Serve(e.Response, e.Request, key, name); err != nil {
		return fmt.Errorf("serve file: %w", err)
	}
	return nil
}
