package contactsweb

import (
	"net/http"

	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/accounts"
	"plaza/hooks/contacts"
	"plaza/hooks/problem"
	"plaza/hooks/web"
	views "plaza/views/contacts"
	"plaza/views/layout"
)

// Friend requests: sending one from a card, New Friends, and answering.

func (h handlers) sendRequest(e *core.RequestEvent) error {
	me := web.Member(e)
	in := contacts.RequestInput{
		Greeting: e.Request.FormValue("greeting"),
		Remark:   e.Request.FormValue("remark"),
		Source:   e.Request.FormValue("source"),
		Proof:    e.Request.FormValue("proof"),
	}
	to, err := accounts.FindByPlazaID(e.App, e.Request.FormValue("to"))
	if err != nil {
		return contacts.NotFound()
	}
	_, err = h.c.SendRequest(me, to, in)
	if p, ok := problem.As(err); ok && p.Status == http.StatusNotFound {
		return contacts.NotFound() // hidden from this way of finding: as for a Plaza ID of no one
	}
	v, cerr := h.cardFor(e, to, in.Source, in.Proof)
	if cerr != nil {
		return cerr
	}
	if p, ok := problem.As(err); ok {
		v.Errors = web.FieldErrors(e, p)
		v.Flash = layout.Flash{Kind: "error", Message: web.ProblemMessage(e, p)}
		if v.Flash.Message == "" {
			v.Flash.Message = web.T(e, "errors.check_fields")
		}
		return h.render(e, p.Status, to.Id, layout.FocusDetail, views.PersonCard(v))
	} else if err != nil {
		return err
	}
	if v.Friend { // they had asked me too: we are friends now
		return befriended(e, to.Id)
	}
	// Post, redirect, get: a reload or Back never resends, and the address
	// shown is a page that exists.
	return web.Redirect(e, "/u/"+to.Id+"?sent=1")
}

// befriended runs what follows a friendship the signed-in member just made
// with otherID (chat opens their chat) and goes where it leads, else to
// otherID's card.
func befriended(e *core.RequestEvent, otherID string) error {
	if next := web.Registry(e).FriendAccepted(e.App, web.Member(e).Id, otherID); next != "" {
		return web.Redirect(e, next)
	}
	return web.Redirect(e, "/u/"+otherID)
}

func (h handlers) newFriendsPage(e *core.RequestEvent) error {
	list, err := h.c.Requests(web.Member(e))
	if err != nil {
		return err
	}
	items := make([]views.RequestItem, 0, len(list))
	for _, r := range list {
		items = append(items, views.RequestItem{ID: r.Id, Person: PersonOf(r.Other, ""), Greeting: r.Greeting(),
			Incoming: r.Incoming, Status: r.Status(), Expired: r.Expired})
	}
	return h.render(e, http.StatusOK, "new", layout.FocusDetail, views.NewFriends(items))
}

// requestPage opens a request addressed to me: the sender's card with the
// accept form.
func (h handlers) requestPage(e *core.RequestEvent) error {
	r, err := h.c.IncomingRequest(web.Member(e), e.Request.PathValue("id"))
	if err != nil {
		return err
	}
	return web.Redirect(e, "/u/"+r.FromID())
}

func (h handlers) acceptRequest(e *core.RequestEvent) error {
	me := web.Member(e)
	id := e.Request.PathValue("id")
	if err := e.Request.ParseForm(); err != nil {
		return problem.New(http.StatusBadRequest, "errors.bad_request")
	}
	r, err := h.c.IncomingRequest(me, id)
	if err != nil {
		return err
	}
	_, err = h.c.Accept(me, id, contacts.AcceptInput{
		Remark: e.Request.FormValue("remark"),
		TagIDs: e.Request.Form["tags"],
		NewTag: e.Request.FormValue("new_tag"),
	})
	if p, ok := problem.As(err); ok && p.Status == http.StatusBadRequest {
		from, ferr := e.App.FindRecordById(accounts.Collection, r.FromID())
		if ferr != nil {
			return ferr
		}
		v, cerr := h.cardFor(e, from, "", "")
		if cerr != nil {
			return cerr
		}
		v.Errors = web.FieldErrors(e, p)
		v.Flash = layout.Flash{Kind: "error", Message: web.T(e, "errors.check_fields")}
		return h.render(e, p.Status, from.Id, layout.FocusDetail, views.PersonCard(v))
	} else if err != nil {
		return err
	}
	return befriended(e, r.FromID())
}
