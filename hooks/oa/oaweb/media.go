package oaweb

import (
	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/web"
)

// Pictures are served by Official Accounts itself, never by PocketBase's
// file route (the collections are superusers-only): every fetch asks the
// domain whether the viewer may see the account or the article now, so a
// rejected account's or a deleted article's pictures stop loading at once.
// Caches may keep them but ask every time (web.CachePublic).

// Thumb sizes (the migration makes these).
const (
	thumbAvatar = "160x160"
	thumbCover  = "360x200" // a list's cover
	thumbWide   = "900x0"   // an article's cover and pictures
)

// articleOrMedia is GET /oa/{handle}/{section}/{id}: an article's page
// (/oa/{handle}/a/{article}) or an account's uploaded picture
// (/oa/media/{account}/{media}); anything else is a 404.
func (h handlers) articleOrMedia(e *core.RequestEvent) error {
	switch {
	case e.Request.PathValue("handle") == "media":
		return h.serveMedia(e, e.Request.PathValue("section"), e.Request.PathValue("id"))
	case e.Request.PathValue("section") == "a":
		return h.articlePage(e)
	}
	return notFound(e)
}

// serveMedia is GET /oa/media/{account}/{media}[?v=wide]: a picture an
// operator uploaded for the account's articles.
func (h handlers) serveMedia(e *core.RequestEvent, accountID, mediaID string) error {
	rec, err := h.oa.MediaRecord(accountID, mediaID)
	if err != nil {
		return err
	}
	thumb := ""
	if e.Request.URL.Query().Get("v") == "wide" {
		thumb = thumbWide
	}
	return web.ServeRecordFile(e, rec, "file", thumb, web.CachePublic)
}

// serveAvatar is GET /oa/{handle}/avatar: the account's picture, 160 px
// (its owner sees it before approval too).
func (h handlers) serveAvatar(e *core.RequestEvent) error {
	rec, err := h.oa.AvatarRecord(viewer(e), e.Request.PathValue("handle"))
	if err != nil {
		return err
	}
	if rec == nil {
		return notFound(e)
	}
	return web.ServeRecordFile(e, rec, "avatar", thumbAvatar, web.CachePublic)
}

// serveCover is GET /oa/{handle}/a/{article}/cover[?v=small]: an
// article's cover, 900 px wide (360×200 for a list).
func (h handlers) serveCover(e *core.RequestEvent) error {
	rec, err := h.oa.CoverRecord(viewer(e), e.Request.PathValue("handle"), e.Request.PathValue("article"))
	if err != nil {
		return err
	}
	if rec == nil {
		return notFound(e)
	}
	thumb := thumbWide
	if e.Request.URL.Query().Get("v") == "small" {
		thumb = thumbCover
	}
	return web.ServeRecordFile(e, rec, "cover", thumb, web.CachePublic)
}
