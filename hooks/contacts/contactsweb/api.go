package contactsweb

import (
	"net/http"

	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/accounts"
	"plaza/hooks/contacts"
	"plaza/hooks/problem"
	"plaza/hooks/sortkey"
	"plaza/hooks/web"
)

// JSON shapes of the contacts API (docs/API.md).
type (
	apiPerson struct {
		ID        string `json:"id"`
		PlazaID   string `json:"plaza_id"`
		Name      string `json:"name"`
		AvatarURL string `json:"avatar_url,omitempty"`
		Region    string `json:"region,omitempty"`
		Signature string `json:"signature,omitempty"`
	}
	apiContact struct {
		apiPerson
		Remark     string   `json:"remark"`
		Letter     string   `json:"letter"`
		Tags       []string `json:"tags"`
		Starred    bool     `json:"starred"`
		ChatOnly   bool     `json:"chat_only"`
		HideMine   bool     `json:"hide_my_moments"`
		HideTheirs bool     `json:"hide_their_moments"`
	}
	apiRequest struct {
		ID       string    `json:"id"`
		Incoming bool      `json:"incoming"`
		Person   apiPerson `json:"person"`
		Greeting string    `json:"greeting"`
		Status   string    `json:"status"`
		Expired  bool      `json:"expired"`
		Expires  string    `json:"expires"`
	}
)

func personJSON(r *core.Record) apiPerson {
	m := accounts.AsMember(r)
	return apiPerson{ID: m.Id, PlazaID: m.PlazaID(), Name: m.DisplayName(), AvatarURL: m.AvatarURL("240x240"),
		Region: m.Region(), Signature: m.Signature()}
}

func (h handlers) registerAPI(se *core.ServeEvent) {
	api := se.Router.Group("/api/plaza/contacts").BindFunc(web.RequireMember)
	api.GET("", apiContacts)
	api.GET("/search", h.apiSearch)
	api.GET("/requests", h.apiRequests)
	api.POST("/requests", h.apiSend)
	api.POST("/requests/{id}/accept", h.apiAccept)
	api.POST("/requests/{id}/ignore", noContent(h.c.Ignore))
}

// apiContacts lists the caller's friends in index order.
func apiContacts(e *core.RequestEvent) error {
	friends, err := contacts.Friends(e.App, web.Member(e))
	if err != nil {
		return web.APIError(e, err)
	}
	out := []apiContact{}
	for _, sec := range sortkey.Group(friends, contacts.Friend.Label) {
		for _, f := range sec.Items {
			out = append(out, contactJSON(f, sec.Letter))
		}
	}
	return e.JSON(http.StatusOK, map[string]any{"items": out})
}

func (h handlers) apiSearch(e *core.RequestEvent) error {
	found, err := h.c.Find(web.Member(e), e.Request.URL.Query().Get("q"))
	if err != nil {
		return web.APIError(e, err)
	}
	return e.JSON(http.StatusOK, personJSON(found))
}

// apiRequests lists the caller's received and sent friend requests.
func (h handlers) apiRequests(e *core.RequestEvent) error {
	list, err := h.c.Requests(web.Member(e))
	if err != nil {
		return web.APIError(e, err)
	}
	out := []apiRequest{}
	for _, r := range list {
		out = append(out, apiRequest{ID: r.Id, Incoming: r.Incoming, Person: personJSON(r.Other), Greeting: r.Greeting(),
			Status: r.Status(), Expired: r.Expired, Expires: r.Expires().String()})
	}
	return e.JSON(http.StatusOK, map[string]any{"items": out})
}

func (h handlers) apiSend(e *core.RequestEvent) error {
	var body struct {
		PlazaID  string `json:"plaza_id"`
		Source   string `json:"source"` // ignored: the server decides it from proof or email
		Proof    string `json:"proof"`
		Email    string `json:"email"` // the address the caller searched for (source "email")
		Greeting string `json:"greeting"`
		Remark   string `json:"remark"`
	}
	if err := e.BindBody(&body); err != nil {
		return web.Problem(e, problem.New(http.StatusBadRequest, "errors.bad_request"))
	}
	to, err := accounts.FindByPlazaID(e.App, body.PlazaID)
	if err != nil {
		return web.Problem(e, contacts.NotFound())
	}
	if body.Proof == "" {
		body.Proof = body.Email
	}
	me := web.Member(e)
	r, err := h.c.SendRequest(me, to, contacts.RequestInput{Greeting: body.Greeting, Remark: body.Remark, Proof: body.Proof})
	if err != nil {
		return web.APIError(e, err)
	}
	if r.FromID() != me.Id { // their earlier request was accepted instead: friends now
		web.Registry(e).FriendAccepted(e.App, me.Id, to.Id)
		return e.JSON(http.StatusOK, map[string]any{"status": contacts.StatusAccepted})
	}
	return e.JSON(http.StatusOK, map[string]any{"id": r.Id, "status": contacts.StatusPending})
}

func (h handlers) apiAccept(e *core.RequestEvent) error {
	var body struct {
		Remark string   `json:"remark"`
		Tags   []string `json:"tags"`
		NewTag string   `json:"new_tag"`
	}
	if err := e.BindBody(&body); err != nil {
		return web.Problem(e, problem.New(http.StatusBadRequest, "errors.bad_request"))
	}
	r, err := h.c.Accept(web.Member(e), e.Request.PathValue("id"), contacts.AcceptInput{Remark: body.Remark, TagIDs: body.Tags, NewTag: body.NewTag})
	if err != nil {
		return web.APIError(e, err)
	}
	web.Registry(e).FriendAccepted(e.App, web.Member(e).Id, r.FromID())
	return e.JSON(http.StatusOK, map[string]any{"status": contacts.StatusAccepted})
}
