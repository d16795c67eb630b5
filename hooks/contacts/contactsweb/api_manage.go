package contactsweb

import (
	"net/http"

	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/contacts"
	"plaza/hooks/sortkey"
	"plaza/hooks/web"
)

// The JSON twins of the card and privacy forms (docs/API.md): each calls
// the operation its form handler calls (UpdateContact, Unfriend, Block,
// Unblock, SetPrivacy), so both answer the same refusals.

func (h handlers) registerManageAPI(se *core.ServeEvent) {
	api := se.Router.Group("/api/plaza/contacts").BindFunc(web.RequireMember)
	api.PATCH("/{id}", h.apiUpdateContact)
	// {id} is the other member's id. Deleting a friend ends the friendship
	// for both sides, as the card's "Delete" does. Block takes any member I
	// can see (not only friends); one hidden from me is contacts.not_found.
	// Unblock is idempotent: the same 204 whether or not there was a block
	// (or a member).
	api.DELETE("/{id}", noContent(h.c.Unfriend))
	api.POST("/{id}/block", noContent(h.c.Block))
	api.DELETE("/{id}/block", noContent(h.c.Unblock))

	me := se.Router.Group("/api/plaza/me").BindFunc(web.RequireMember)
	me.GET("/privacy", apiPrivacy)
	me.PATCH("/privacy", h.apiSavePrivacy)
}

func contactJSON(f contacts.Friend, letter string) apiContact {
	c := f.Contact
	tags := c.TagIDs()
	if tags == nil {
		tags = []string{}
	}
	return apiContact{apiPerson: personJSON(f.Member), Remark: c.Remark(), Letter: letter,
		Tags: tags, Starred: c.Starred(), ChatOnly: c.ChatOnly(),
		HideMine: c.HideMyMoments(), HideTheirs: c.HideTheirMoments()}
}

// apiUpdateContact is PATCH /api/plaza/contacts/{id} ({id} = the friend's
// member id): fields left out keep their value. A member who is not my
// friend is contacts.not_found, whoever they are.
func (h handlers) apiUpdateContact(e *core.RequestEvent) error {
	var body struct {
		Remark     *string   `json:"remark"`
		Tags       *[]string `json:"tags"`
		NewTag     string    `json:"new_tag"`
		Starred    *bool     `json:"starred"`
		ChatOnly   *bool     `json:"chat_only"`
		HideMine   *bool     `json:"hide_my_moments"`
		HideTheirs *bool     `json:"hide_their_moments"`
	}
	if err := web.BindJSON(e, &body); err != nil {
		return web.APIError(e, err)
	}
	me, id := web.Member(e), e.Request.PathValue("id")
	f, err := contacts.FriendOf(e.App, me, id)
	if err != nil {
		return web.APIError(e, err)
	}
	c := f.Contact
	in := contacts.ContactInput{Remark: c.Remark(), TagIDs: c.TagIDs(), Starred: c.Starred(), ChatOnly: c.ChatOnly(),
		HideMine: c.HideMyMoments(), HideTheirs: c.HideTheirMoments(), NewTag: body.NewTag}
	if body.Remark != nil {
		in.Remark = *body.Remark
	}
	if body.Tags != nil {
		in.TagIDs = *body.Tags
	}
	setGiven(given{body.Starred, &in.Starred}, given{body.ChatOnly, &in.ChatOnly}, given{body.HideMine, &in.HideMine},
		given{body.HideTheirs, &in.HideTheirs})
	if err := h.c.UpdateContact(me, id, in); err != nil {
		return web.APIError(e, err)
	}
	if f, err = contacts.FriendOf(e.App, me, id); err != nil {
		return web.APIError(e, err)
	}
	letter := ""
	if secs := sortkey.Group([]contacts.Friend{*f}, contacts.Friend.Label); len(secs) > 0 {
		letter = secs[0].Letter
	}
	return e.JSON(http.StatusOK, contactJSON(*f, letter))
}

type apiPrivacyJSON struct {
	FindByID     bool        `json:"find_by_id"`
	FindByEmail  bool        `json:"find_by_email"`
	FindByQR     bool        `json:"find_by_qr"`
	FindByGroup  bool        `json:"find_by_group"`
	ShowTyping   bool        `json:"show_typing"`
	ShowPresence bool        `json:"show_presence"`
	ReadReceipts bool        `json:"read_receipts"`
	Blocked      []apiPerson `json:"blocked"`
}

func privacyJSON(e *core.RequestEvent, me *core.Record) error {
	p := contacts.PrivacyOf(me)
	blocked, err := contacts.Blocked(e.App, me)
	if err != nil {
		return web.APIError(e, err)
	}
	out := apiPrivacyJSON{FindByID: p.FindByID, FindByEmail: p.FindByEmail, FindByQR: p.FindByQR, FindByGroup: p.FindByGroup,
		ShowTyping: p.ShowTyping, ShowPresence: p.ShowPresence, ReadReceipts: p.ReadReceipts, Blocked: []apiPerson{}}
	for _, b := range blocked {
		out.Blocked = append(out.Blocked, personJSON(b))
	}
	return e.JSON(http.StatusOK, out)
}

// apiPrivacy is GET /api/plaza/me/privacy: the switches of the privacy
// page and the members I blocked.
func apiPrivacy(e *core.RequestEvent) error {
	return privacyJSON(e, web.Member(e))
}

// apiSavePrivacy is PATCH /api/plaza/me/privacy: switches left out keep
// their value.
func (h handlers) apiSavePrivacy(e *core.RequestEvent) error {
	var body struct {
		FindByID     *bool `json:"find_by_id"`
		FindByEmail  *bool `json:"find_by_email"`
		FindByQR     *bool `json:"find_by_qr"`
		FindByGroup  *bool `json:"find_by_group"`
		ShowTyping   *bool `json:"show_typing"`
		ShowPresence *bool `json:"show_presence"`
		ReadReceipts *bool `json:"read_receipts"`
	}
	if err := web.BindJSON(e, &body); err != nil {
		return web.APIError(e, err)
	}
	me := web.Member(e)
	p := contacts.PrivacyOf(me)
	setGiven(given{body.FindByID, &p.FindByID}, given{body.FindByEmail, &p.FindByEmail}, given{body.FindByQR, &p.FindByQR},
		given{body.FindByGroup, &p.FindByGroup}, given{body.ShowTyping, &p.ShowTyping}, given{body.ShowPresence, &p.ShowPresence},
		given{body.ReadReceipts, &p.ReadReceipts})
	if err := h.c.SetPrivacy(me, p); err != nil {
		return web.APIError(e, err)
	}
	return privacyJSON(e, me)
}

// given is a switch of a PATCH body, nil when the body left it out, and
// the value it sets.
type given struct{ from, to *bool }

// setGiven sets each switch the body gave; those left out keep their value.
func setGiven(gs ...given) {
	for _, g := range gs {
		if g.from != nil {
			*g.to = *g.from
		}
	}
}
