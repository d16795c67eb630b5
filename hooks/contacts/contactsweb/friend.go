package contactsweb

import (
	"net/http"

	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/contacts"
	"plaza/hooks/problem"
	"plaza/hooks/web"
	views "plaza/views/contacts"
	"plaza/views/layout"
)

// A friend's settings (remark, tags, star, permissions), deleting a friend,
// and blocking.

func editModel(e *core.RequestEvent, f *contacts.Friend) (views.Edit, error) {
	tags, err := contacts.Tags(e.App, web.Member(e))
	if err != nil {
		return views.Edit{}, err
	}
	c := f.Contact
	return views.Edit{Person: PersonOf(f.Member, c.Remark()), Remark: c.Remark(), Tags: tagChoices(tags, c.TagIDs()),
		Starred: c.Starred(), ChatOnly: c.ChatOnly(), HideMine: c.HideMyMoments(), HideTheirs: c.HideTheirMoments()}, nil
}

// renderEdit shows the settings of my friend id, with p's errors when a
// save was refused (nil: none).
func (h handlers) renderEdit(e *core.RequestEvent, status int, id string, p *problem.Problem) error {
	f, err := contacts.FriendOf(e.App, web.Member(e), id)
	if err != nil {
		return err
	}
	m, err := editModel(e, f)
	if err != nil {
		return err
	}
	switch {
	case p != nil:
		m.Errors = web.FieldErrors(e, p)
		m.Flash = layout.Flash{Kind: "error", Message: web.T(e, "errors.check_fields")}
	case e.Request.URL.Query().Get("saved") == "1":
		m.Flash = layout.Flash{Kind: "ok", Message: web.T(e, "profile.saved")}
	}
	return h.render(e, status, f.Member.Id, layout.FocusDetail, views.EditContact(m))
}

func (h handlers) editPage(e *core.RequestEvent) error {
	return h.renderEdit(e, http.StatusOK, e.Request.PathValue("id"), nil)
}

func (h handlers) saveEdit(e *core.RequestEvent) error {
	id := e.Request.PathValue("id")
	if err := e.Request.ParseForm(); err != nil {
		return problem.New(http.StatusBadRequest, "errors.bad_request")
	}
	form := e.Request.Form
	in := contacts.ContactInput{Remark: form.Get("remark"), TagIDs: form["tags"], Starred: form.Get("starred") == "1",
		ChatOnly: form.Get("chat_only") == "1", HideMine: form.Get("hide_mine") == "1", HideTheirs: form.Get("hide_theirs") == "1",
		NewTag: form.Get("new_tag")}
	err := h.c.UpdateContact(web.Member(e), id, in)
	if p, ok := problem.As(err); ok && p.Status == http.StatusBadRequest {
		return h.renderEdit(e, p.Status, id, p)
	} else if err != nil {
		return err
	}
	return web.Redirect(e, "/u/"+id+"/edit?saved=1")
}
