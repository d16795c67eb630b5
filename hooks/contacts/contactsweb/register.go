// Package contactsweb is the HTTP side of contacts: the Contacts tab's
// pages, the card, New Friends, tags, My QR code, Scan, privacy, and their
// JSON twins under /api/plaza/. Each handler binds the request, calls one
// contacts operation and renders or answers JSON.
package contactsweb

import (
	"net/http"
	"strings"

	"github.com/a-h/templ"
	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/accounts/accountsweb"
	"plaza/hooks/contacts"
	"plaza/hooks/web"
	views "plaza/views/contacts"
	"plaza/views/layout"
)

// handlers serve the contacts pages and JSON routes of one app.
type handlers struct{ c *contacts.Service }

// Register installs the contacts pages and JSON routes.
func Register(app core.App, c *contacts.Service) {
	h := handlers{c}
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		pages := web.Pages(se).BindFunc(web.RequireMember)
		pages.GET("/contacts", h.contactsPage)
		pages.GET("/contacts/search", h.searchPage)
		pages.GET("/contacts/new", h.newFriendsPage)
		pages.GET("/contacts/groups", h.groupsPage)
		pages.GET("/contacts/official", h.officialPage)
		pages.POST("/contacts/requests", h.sendRequest)
		pages.GET("/contacts/requests", h.newFriendsPage) // where a form's address leads back to
		pages.GET("/contacts/requests/{id}", h.requestPage)
		pages.POST("/contacts/requests/{id}/accept", h.acceptRequest)
		pages.POST("/contacts/requests/{id}/ignore", redirectAfter(h.c.Ignore, "/contacts/new"))
		pages.GET("/contacts/tags", h.tagsPage)
		pages.POST("/contacts/tags", h.createTagPage)
		pages.GET("/contacts/tags/{id}", h.tagPage)
		pages.POST("/contacts/tags/{id}", h.renameTagPage)
		pages.POST("/contacts/tags/{id}/delete", redirectAfter(h.c.DeleteTag, "/contacts/tags"))
		pages.GET("/u/{id}", h.cardPage)
		pages.GET("/u/{id}/edit", h.editPage)
		pages.POST("/u/{id}/edit", h.saveEdit)
		pages.POST("/u/{id}/delete", redirectAfter(h.c.Unfriend, "/contacts"))
		pages.POST("/u/{id}/block", redirectAfter(h.c.Block, "/u/{id}"))
		pages.POST("/u/{id}/unblock", redirectAfter(h.c.Unblock, "/me/privacy"))
		pages.GET("/add/{plazaID}", h.addLinkPage)
		pages.GET("/me/qr", h.qrPage)
		pages.GET("/me/qr.png", h.qrImage)
		pages.POST("/me/qr/reset", h.resetQR)
		pages.GET("/scan", h.scanPage)
		pages.POST("/scan", h.scan)
		pages.GET("/me/privacy", h.privacyPage)
		pages.POST("/me/privacy", h.savePrivacy)

		h.registerAPI(se)
		h.registerManageAPI(se)
		h.registerTagsAPI(se)
		return se.Next()
	})
}

// render shows the Contacts tab with detail in the detail pane.
func (h handlers) render(e *core.RequestEvent, status int, active string, focus layout.Focus, detail templ.Component) error {
	me := web.Member(e)
	friends, err := contacts.Friends(e.App, me)
	if err != nil {
		return err
	}
	pending, err := h.c.PendingCount(me.Id)
	if err != nil {
		return err
	}
	shell := accountsweb.ShellFor(e, web.T(e, "tabs.contacts"), layout.TabContacts, focus, "/contacts")
	return web.Render(e, status, layout.AppShell(shell, views.ContactsList(listOf(friends, pending, active)), detail))
}

func (h handlers) contactsPage(e *core.RequestEvent) error {
	return h.render(e, http.StatusOK, "", layout.FocusList, layout.EmptyState("detail-empty", web.T(e, "contacts.pick"), ""))
}

func (h handlers) groupsPage(e *core.RequestEvent) error {
	return h.render(e, http.StatusOK, "groups", layout.FocusDetail, views.Empty(web.T(e, "contacts.group_chats"),
		"empty-groups", web.T(e, "contacts.groups_empty_title"), web.T(e, "contacts.groups_empty_body")))
}

func (h handlers) officialPage(e *core.RequestEvent) error {
	return h.render(e, http.StatusOK, "official", layout.FocusDetail, views.Empty(web.T(e, "contacts.official_accounts"),
		"empty-official", web.T(e, "contacts.official_empty_title"), web.T(e, "contacts.official_empty_body")))
}

// idOperation is a contacts operation by the signed-in member on the
// object named by the route's {id} (a request, a tag, another member).
type idOperation func(me *core.Record, id string) error

// redirectAfter is a form's handler for op: then the page next, where
// "{id}" stands for the route's {id}.
func redirectAfter(op idOperation, next string) func(*core.RequestEvent) error {
	return func(e *core.RequestEvent) error {
		id := e.Request.PathValue("id")
		if err := op(web.Member(e), id); err != nil {
			return err
		}
		return web.Redirect(e, strings.ReplaceAll(next, "{id}", id))
	}
}

// noContent is the JSON twin of redirectAfter: 204 once op is done.
func noContent(op idOperation) func(*core.RequestEvent) error {
	return func(e *core.RequestEvent) error {
		if err := op(web.Member(e), e.Request.PathValue("id")); err != nil {
			return web.APIError(e, err)
		}
		return e.NoContent(http.StatusNoContent)
	}
}
