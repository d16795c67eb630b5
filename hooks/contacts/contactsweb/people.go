package contactsweb

import (
	"net/http"
	"strings"

	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/accounts"
	"plaza/hooks/contacts"
	"plaza/hooks/problem"
	"plaza/hooks/web"
	views "plaza/views/contacts"
	"plaza/views/layout"
)

// People and their cards: the card page, search, and the card behind a
// scanned add-me link.

// cardView is the card model of c as me sees it; source and proof say how
// me found them, for the friend request form.
func cardView(e *core.RequestEvent, c contacts.Card, source, proof string) views.Card {
	me := web.Member(e)
	rel := c.Relation
	label := ""
	v := views.Card{Self: rel.Self, Blocked: rel.Blocked, Outgoing: rel.Outgoing != nil, Source: source, Proof: proof,
		DefaultGreeting: web.T(e, "contacts.default_greeting", map[string]any{"name": accounts.AsMember(me).DisplayName()})}
	if rel.Contact != nil {
		v.Friend, v.Remark, label = true, rel.Contact.Remark(), rel.Contact.Remark()
	}
	if rel.Incoming != nil {
		v.IncomingID, v.IncomingGreeting = rel.Incoming.Id, rel.Incoming.Greeting()
		v.Tags = tagChoices(c.Tags, nil)
	}
	if rel.Outgoing != nil {
		v.DefaultGreeting = rel.Outgoing.Greeting()
	}
	v.Person = PersonOf(c.Member, label)
	return v
}

// cardFor is other's card model as the signed-in member sees it.
func (h handlers) cardFor(e *core.RequestEvent, other *core.Record, source, proof string) (views.Card, error) {
	c, err := h.c.CardOf(web.Member(e), other)
	if err != nil {
		return views.Card{}, err
	}
	return cardView(e, c, source, proof), nil
}

// cardPage shows someone I may see (contacts.Service.OpenCard).
func (h handlers) cardPage(e *core.RequestEvent) error {
	c, err := h.c.OpenCard(web.Member(e), e.Request.PathValue("id"))
	if err != nil {
		return err
	}
	v := cardView(e, c, "", "")
	if v.Outgoing && e.Request.URL.Query().Get("sent") == "1" { // just sent (sendRequest)
		v.Flash = layout.Flash{Kind: "ok", Message: web.T(e, "contacts.request_sent")}
	}
	return h.render(e, http.StatusOK, c.Member.Id, layout.FocusDetail, views.PersonCard(v))
}

func (h handlers) searchPage(e *core.RequestEvent) error {
	q := strings.TrimSpace(e.Request.URL.Query().Get("q"))
	if q == "" { // "Add friend" (the Chats + menu): the search field, nothing searched yet
		return h.render(e, http.StatusOK, "", layout.FocusList, views.Empty(web.T(e, "contacts.search_title"),
			"search-start", web.T(e, "contacts.search_empty"), web.T(e, "contacts.search_hint")))
	}
	found, err := h.c.Find(web.Member(e), q)
	if p, ok := problem.As(err); ok {
		return h.render(e, p.Status, "", layout.FocusDetail, views.Empty(web.T(e, "contacts.search_title"),
			"search-none", web.ProblemMessage(e, p), web.T(e, "contacts.search_hint")))
	} else if err != nil {
		return err
	}
	source, proof := contacts.FoundBy(q)
	v, err := h.cardFor(e, found, source, proof)
	if err != nil {
		return err
	}
	return h.render(e, http.StatusOK, found.Id, layout.FocusDetail, views.PersonCard(v))
}

// addLinkPage opens the card behind a scanned add-me link.
func (h handlers) addLinkPage(e *core.RequestEvent) error {
	proof := e.Request.URL.RequestURI()
	member, err := h.c.VerifyAddLink(proof)
	if p, ok := problem.As(err); ok {
		return h.renderScan(e, p.Status, layout.Flash{Kind: "error", Message: web.ProblemMessage(e, p)})
	} else if err != nil {
		return err
	}
	v, err := h.cardFor(e, member, contacts.SourceQR, proof)
	if err != nil {
		return err
	}
	return h.render(e, http.StatusOK, member.Id, layout.FocusDetail, views.PersonCard(v))
}
