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

// The tag manager (/contacts/tags) and one tag's page.

func tagsModel(e *core.RequestEvent) (views.Tags, error) {
	tags, err := contacts.Tags(e.App, web.Member(e))
	if err != nil {
		return views.Tags{}, err
	}
	m := views.Tags{}
	for _, t := range tags {
		m.Tags = append(m.Tags, views.TagRow{ID: t.ID, Name: t.Name, Count: t.Count})
	}
	return m, nil
}

func (h handlers) tagsPage(e *core.RequestEvent) error {
	m, err := tagsModel(e)
	if err != nil {
		return err
	}
	return h.render(e, http.StatusOK, "tags", layout.FocusDetail, views.TagManager(m))
}

func (h handlers) createTagPage(e *core.RequestEvent) error {
	_, _, err := h.c.CreateTag(web.Member(e), e.Request.FormValue("name"))
	if p, ok := problem.As(err); ok {
		m, merr := tagsModel(e)
		if merr != nil {
			return merr
		}
		m.Errors = web.FieldErrors(e, p)
		return h.render(e, p.Status, "tags", layout.FocusDetail, views.TagManager(m))
	} else if err != nil {
		return err
	}
	return web.Redirect(e, "/contacts/tags")
}

func tagModel(e *core.RequestEvent, id string) (views.Tag, error) {
	tag, friends, err := contacts.TagFriends(e.App, web.Member(e), id)
	if err != nil {
		return views.Tag{}, err
	}
	return views.Tag{ID: tag.Id, Name: tag.GetString("name"), Entries: entriesOf(friends)}, nil
}

func (h handlers) tagPage(e *core.RequestEvent) error {
	m, err := tagModel(e, e.Request.PathValue("id"))
	if err != nil {
		return err
	}
	return h.render(e, http.StatusOK, "tags", layout.FocusDetail, views.TagPage(m))
}

func (h handlers) renameTagPage(e *core.RequestEvent) error {
	id := e.Request.PathValue("id")
	err := h.c.RenameTag(web.Member(e), id, e.Request.FormValue("name"))
	if p, ok := problem.As(err); ok && p.Status != http.StatusNotFound {
		m, merr := tagModel(e, id)
		if merr != nil {
			return merr
		}
		m.Errors = web.FieldErrors(e, p)
		m.Flash = layout.Flash{Kind: "error", Message: web.ProblemMessage(e, p)}
		return h.render(e, p.Status, "tags", layout.FocusDetail, views.TagPage(m))
	} else if err != nil {
		return err
	}
	return web.Redirect(e, "/contacts/tags/"+id)
}
