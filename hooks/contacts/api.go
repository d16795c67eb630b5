package contacts

import (
	"net/http"

	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/accounts"
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

func registerAPI(se *core.ServeEvent) {
	api := se.Router.Group("/api/plaza/contacts").BindFunc(web.RequireMember)
	api.GET("", apiContacts)
	api.GET("/search", apiSearch)
	api.GET("/requests", apiRequests)
	api.POST("/requests", apiSend)
	api.POST("/requests/{id}/accept", apiAccept)
	api.POST("/requests/{id}/ignore", apiIgnore)
	registerManageAPI(se)
}

// apiContacts lists the caller's friends in index order.
func apiContacts(e *core.RequestEvent) error {
	friends, err := Friends(e.App, web.Member(e))
	if err != nil {
		return web.APIError(e, err)
	}
	out := []apiContact{}
	for _, sec := range sortkey.Group(friends, Friend.Label) {
		for _, f := range sec.Items {
			c := f.Contact
			out = append(out, apiContact{apiPerson: personJSON(f.Member), Remark: c.Remark(), Letter: sec.Letter,
				Tags: c.TagIDs(), Starred: c.Starred(), ChatOnly: c.ChatOnly(),
				HideMine: c.HideMyMoments(), HideTheirs: c.HideTheirMoments()})
		}
	}
	return e.JSON(http.StatusOK, map[string]any{"items": out})
}

func apiSearch(e *core.RequestEvent) error {
	found, err := Find(e.App, web.Member(e), e.Request.URL.Query().Get("q"))
	if err != nil {
		return web.APIError(e, err)
	}
	return e.JSON(http.StatusOK, personJSON(found))
}

// apiRequests lists the caller's received and sent friend requests.
func apiRequests(e *core.RequestEvent) error {
	list, err := Requests(e.App, web.Member(e))
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

func apiSend(e *core.RequestEvent) error {
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
		return web.Problem(e, notFound())
	}
	if body.Proof == "" {
		body.Proof = body.Email
	}
	r, err := SendRequest(e.App, web.Member(e), to, RequestInput{Greeting: body.Greeting, Remark: body.Remark, Proof: body.Proof})
	if err != nil {
		return web.APIError(e, err)
	}
	friends, err := AreFriends(e.App, web.Member(e).Id, to.Id)
	if err != nil {
		return web.APIError(e, err)
	}
	status := StatusPending
	if friends {
		status = StatusAccepted
	}
	if r.FromID() != web.Member(e).Id { // their earlier request was accepted instead
		web.Registry(e).FriendAccepted(e.App, web.Member(e).Id, to.Id)
		return e.JSON(http.StatusOK, map[string]any{"status": status})
	}
	return e.JSON(http.StatusOK, map[string]any{"id": r.Id, "status": status})
}

func apiAccept(e *core.RequestEvent) error {
	var body struct {
		Remark string   `json:"remark"`
		Tags   []string `json:"tags"`
		NewTag string   `json:"new_tag"`
	}
	if err := e.BindBody(&body); err != nil {
		return web.Problem(e, problem.New(http.StatusBadRequest, "errors.bad_request"))
	}
	err := Accept(e.App, web.Member(e), e.Request.PathValue("id"), AcceptInput{Remark: body.Remark, TagIDs: body.Tags, NewTag: body.NewTag})
	if err != nil {
		return web.APIError(e, err)
	}
	if r, err := e.App.FindRecordById(RequestsCollection, e.Request.PathValue("id")); err == nil {
		web.Registry(e).FriendAccepted(e.App, web.Member(e).Id, AsRequest(r).FromID())
	}
	return e.JSON(http.StatusOK, map[string]any{"status": StatusAccepted})
}

func apiIgnore(e *core.RequestEvent) error {
	if err := Ignore(e.App, web.Member(e), e.Request.PathValue("id")); err != nil {
		return web.APIError(e, err)
	}
	return e.NoContent(http.StatusNoContent)
}
