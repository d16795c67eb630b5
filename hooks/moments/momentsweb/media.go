package momentsweb

import (
	"fmt"
	"net/http"
	"path"

	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/web"
)

// Media are served by Moments itself, never by PocketBase's file route
// (the collections are superusers-only): every fetch checks that the
// viewer may see the post right now, so a photo of a post set private, of
// an unfriended author or of a taken-down post stops loading at once.
// Range requests work (http.ServeContent), for video.

// coverURL is where a member's album cover is served.
func coverURL(memberID string) string { return "/moments/cover/" + memberID }

// serveMedia is GET /moments/media/{id}[?v=thumb|poster|poster_thumb].
func (h handlers) serveMedia(e *core.RequestEvent) error {
	rec, err := h.m.MediaFor(e.Auth.Id, e.Request.PathValue("id"))
	if err != nil {
		return err
	}
	field, thumb := "file", ""
	switch e.Request.URL.Query().Get("v") {
	case "":
	case "thumb":
		if rec.GetString("kind") == "photo" {
			thumb = "360x360"
		} else {
			field, thumb = "poster", "360x360"
		}
	case "poster":
		field = "poster"
	default:
		return web.Fail(e, http.StatusNotFound, "errors.not_found")
	}
	return serveFile(e, rec, field, thumb)
}

// serveCover is GET /moments/cover/{member}.
func (h handlers) serveCover(e *core.RequestEvent) error {
	rec, err := h.m.CoverFor(e.Auth.Id, e.Request.PathValue("member"))
	if err != nil {
		return err
	}
	if rec == nil {
		return web.Fail(e, http.StatusNotFound, "errors.not_found")
	}
	return serveFile(e, rec, "cover", "")
}

// serveFile streams one file field of rec (or its thumb, made on first
// use), privately: a shared cache must never keep what one member may see.
func serveFile(e *core.RequestEvent, rec *core.Record, field, thumb string) error {
	name := rec.GetString(field)
	if name == "" {
		return web.Fail(e, http.StatusNotFound, "errors.not_found")
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
	e.Response.Header().Set("Cache-Control", "private, no-cache")
	e.Response.Header().Set("X-Content-Type-Options", "nosniff")
	if err := fsys.Serve(e.Response, e.Request, key, name); err != nil {
		return fmt.Errorf("serve file: %w", err)
	}
	return nil
}
