package channelsweb

import (
	"net/http"

	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/web"
)

// Media are served by Channels itself, never by PocketBase's file route
// (the collections are superusers-only): every fetch asks the domain
// whether the post may be seen now (channels.Service.MediaFor), so the
// photos and video of a taken-down post stop loading at once. Anyone may
// fetch them, signed out too; caches keep them but ask every time (web.CachePublic).
// Range requests work (http.ServeContent), for video.

// Thumb sizes (the migration makes these).
const (
	thumbSquare = "360x360"
	thumbMedium = "720x0"
	thumbAvatar = "160x160"
)

// serveMedia is GET /channels/media/{id}[?v=thumb|medium|poster]: the
// photo or video; a square or 720 px wide picture of it (a video's from
// its poster frame); or a video's poster frame.
func (h handlers) serveMedia(e *core.RequestEvent) error {
	rec, err := h.ch.MediaFor(e.Request.PathValue("id"))
	if err != nil {
		return err
	}
	field, thumb := "file", ""
	photo := rec.GetString("kind") == "photo"
	switch e.Request.URL.Query().Get("v") {
	case "":
	case "thumb", "medium":
		thumb = thumbSquare
		if e.Request.URL.Query().Get("v") == "medium" {
			thumb = thumbMedium
		}
		if !photo {
			field = "poster"
		}
	case "poster":
		field = "poster"
	default:
		return web.Fail(e, http.StatusNotFound, "errors.not_found")
	}
	return web.ServeRecordFile(e, rec, field, thumb, web.CachePublic)
}

// serveAvatar is GET /c/{handle}/avatar: the channel's picture, 160 px.
func (h handlers) serveAvatar(e *core.RequestEvent) error {
	rec, err := h.ch.AvatarRecord(e.Request.PathValue("handle"))
	if err != nil {
		return err
	}
	if rec == nil {
		return web.Fail(e, http.StatusNotFound, "errors.not_found")
	}
	return web.ServeRecordFile(e, rec, "avatar", thumbAvatar, web.CachePublic)
}
