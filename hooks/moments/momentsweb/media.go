package momentsweb

import (
	"net/http"

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
	return web.ServeRecordFile(e, rec, field, thumb, web.CachePrivate)
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
	return web.ServeRecordFile(e, rec, "cover", "", web.CachePrivate)
}
