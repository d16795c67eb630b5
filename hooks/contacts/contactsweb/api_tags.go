package contactsweb

import (
	"net/http"

	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/contacts"
	"plaza/hooks/web"
)

// The JSON twins of the tag manager (/contacts/tags) and of My QR code's
// link (/me/qr): the same operations as their forms (CreateTag,
// RenameTag, DeleteTag, TagFriends, AddLink, ResetQR).

func (h handlers) registerTagsAPI(se *core.ServeEvent) {
	api := se.Router.Group("/api/plaza/tags").BindFunc(web.RequireMember)
	api.GET("", apiTags)
	api.POST("", h.apiCreateTag)
	api.GET("/{id}", apiTag)
	api.PATCH("/{id}", h.apiRenameTag)
	api.DELETE("/{id}", noContent(h.c.DeleteTag)) // friends carrying it just lose it

	me := se.Router.Group("/api/plaza/me").BindFunc(web.RequireMember)
	me.GET("/qr-link", apiAddLink)
	me.POST("/qr-link/reset", h.apiResetAddLink)
}

type apiTagJSON struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Count int    `json:"count"`
}

// apiTags is GET /api/plaza/tags: my tags by name, with how many
// friends carry each.
func apiTags(e *core.RequestEvent) error {
	tags, err := contacts.Tags(e.App, web.Member(e))
	if err != nil {
		return web.APIError(e, err)
	}
	out := []apiTagJSON{}
	for _, t := range tags {
		out = append(out, apiTagJSON{ID: t.ID, Name: t.Name, Count: t.Count})
	}
	return e.JSON(http.StatusOK, map[string]any{"items": out})
}

// tagJSON answers one tag of mine with the friends carrying it.
func tagJSON(e *core.RequestEvent, status int, id string) error {
	tag, friends, err := contacts.TagFriends(e.App, web.Member(e), id)
	if err != nil {
		return web.APIError(e, err)
	}
	members := []apiPerson{}
	for _, f := range friends {
		members = append(members, personJSON(f.Member))
	}
	return e.JSON(status, map[string]any{"id": tag.Id, "name": tag.GetString("name"), "count": len(members), "members": members})
}

// apiTag is GET /api/plaza/tags/{id}; someone else's tag is
// contacts.not_found, as no tag.
func apiTag(e *core.RequestEvent) error {
	return tagJSON(e, http.StatusOK, e.Request.PathValue("id"))
}

func tagName(e *core.RequestEvent) (string, error) {
	var body struct {
		Name string `json:"name"`
	}
	err := web.BindJSON(e, &body)
	return body.Name, err
}

// apiCreateTag is POST /api/plaza/tags {"name"}: 201 with the new
// tag, or 200 with the one of that name that already exists.
func (h handlers) apiCreateTag(e *core.RequestEvent) error {
	name, err := tagName(e)
	if err != nil {
		return web.APIError(e, err)
	}
	tag, created, err := h.c.CreateTag(web.Member(e), name)
	if err != nil {
		return web.APIError(e, err)
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
	}
	return tagJSON(e, status, tag.Id)
}

// apiRenameTag is PATCH /api/plaza/tags/{id} {"name"}.
func (h handlers) apiRenameTag(e *core.RequestEvent) error {
	name, err := tagName(e)
	if err != nil {
		return web.APIError(e, err)
	}
	id := e.Request.PathValue("id")
	if err := h.c.RenameTag(web.Member(e), id, name); err != nil {
		return web.APIError(e, err)
	}
	return tagJSON(e, http.StatusOK, id)
}

// apiAddLink is GET /api/plaza/me/qr-link: my add-me link, the one My QR
// code shows as a PNG. "link" is the path (what POST
// /api/plaza/contacts/requests takes as proof), "url" what the QR holds.
func apiAddLink(e *core.RequestEvent) error {
	path, err := contacts.AddLink(e.App, web.Member(e))
	if err != nil {
		return web.APIError(e, err)
	}
	return e.JSON(http.StatusOK, map[string]any{"link": path,
		"url": web.SiteURL(e.App, path)})
}

// apiResetAddLink is POST /api/plaza/me/qr-link/reset: every add-me code
// shown so far stops working, as My QR code's Reset.
func (h handlers) apiResetAddLink(e *core.RequestEvent) error {
	if err := h.c.ResetQR(web.Member(e)); err != nil {
		return web.APIError(e, err)
	}
	return e.NoContent(http.StatusNoContent)
}
