package channelsweb

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"

	"plaza/hooks/channels"
	"plaza/hooks/chat"
	"plaza/hooks/problem"
	"plaza/hooks/reports"
	"plaza/hooks/web"
)

// registerPostAPI installs the members' post routes: publish, edit,
// delete, like, favourite, share and report.
func (h handlers) registerPostAPI(api *router.RouterGroup[*core.RequestEvent]) {
	api.POST("/posts", h.apiPublish).Bind(apis.BodyLimit(apiUploadLimit))
	api.PATCH("/posts/{id}", h.apiEditCaption)
	api.DELETE("/posts/{id}", func(e *core.RequestEvent) error {
		if err := h.ch.Delete(e.Auth.Id, e.Request.PathValue("id")); err != nil {
			return web.APIError(e, err)
		}
		return e.NoContent(http.StatusNoContent)
	})
	api.POST("/posts/{id}/like", h.apiToggle(h.ch.Like))
	api.DELETE("/posts/{id}/like", h.apiToggle(h.ch.Unlike))
	api.POST("/posts/{id}/favourite", h.apiToggle(h.ch.Favourite))
	api.DELETE("/posts/{id}/favourite", h.apiToggle(h.ch.Unfavourite))
	api.POST("/posts/{id}/share", h.apiShare)
	api.POST("/posts/{id}/report", h.apiReport(h.ch.ReportPost))
	api.POST("/comments/{id}/report", h.apiReport(h.ch.ReportComment))
}

// apiPublish is POST /api/plaza/channels/posts: a multipart form with a
// "caption", a "location", and up to nine "photos" or one "video" with
// its "poster" and "duration_ms". 201 the post.
func (h handlers) apiPublish(e *core.RequestEvent) error {
	in, err := apiPostInput(e)
	if err != nil {
		return web.APIError(e, err)
	}
	p, err := h.ch.Publish(e.Auth.Id, in)
	if err != nil {
		return web.APIError(e, err)
	}
	return h.apiPostJSON(e, http.StatusCreated, p)
}

// apiPostInput binds a new post from its multipart form (the compose page
// sends the same fields).
func apiPostInput(e *core.RequestEvent) (channels.PostInput, error) {
	var in channels.PostInput
	if err := e.Request.ParseMultipartForm(32 << 20); err != nil && !errors.Is(err, http.ErrNotMultipart) {
		return in, problem.Invalid("photos", "moments.upload_failed", nil)
	}
	f := e.Request.Form
	in = channels.PostInput{Caption: f.Get("caption"), Location: f.Get("location")}
	var err error
	if in.Photos, err = apiFiles(e, "photos"); err != nil {
		return in, err
	}
	videos, err := apiFiles(e, "video")
	if err != nil || len(videos) == 0 {
		return in, err
	}
	in.Video = videos[0]
	posters, err := apiFiles(e, "poster")
	if err != nil {
		return in, err
	}
	if len(posters) > 0 {
		in.Poster = posters[0]
	}
	if in.DurationMs, err = strconv.Atoi(f.Get("duration_ms")); err != nil {
		return in, problem.Invalid("duration_ms", "errors.bad_request", nil)
	}
	return in, nil
}

// apiEditCaption is PATCH /api/plaza/channels/posts/{id} {"caption"}: the
// owner's only; 200 the post.
func (h handlers) apiEditCaption(e *core.RequestEvent) error {
	var body struct {
		Caption string `json:"caption"`
	}
	if err := web.BindJSON(e, &body); err != nil {
		return web.APIError(e, err)
	}
	p, err := h.ch.EditCaption(e.Auth.Id, e.Request.PathValue("id"), body.Caption)
	if err != nil {
		return web.APIError(e, err)
	}
	return h.apiPostJSON(e, http.StatusOK, p)
}

// apiToggle answers a like, unlike, favourite or unfavourite with the
// post as it is now (its counts).
func (h handlers) apiToggle(op func(memberID, postID string) (channels.Post, error)) func(*core.RequestEvent) error {
	return func(e *core.RequestEvent) error {
		p, err := op(e.Auth.Id, e.Request.PathValue("id"))
		if err != nil {
			return web.APIError(e, err)
		}
		return h.apiPostJSON(e, http.StatusOK, p)
	}
}

// apiShareMax is how many chats one share may go to (as a forward).
const apiShareMax = chat.ForwardTargetsMax

// apiShare is POST /api/plaza/channels/posts/{id}/share {"to": [chat
// ids], "client_id"}: the post's card into each chat, once all of them
// are the caller's. A retry with the same client_id sends nothing twice.
func (h handlers) apiShare(e *core.RequestEvent) error {
	var body struct {
		To       []string `json:"to"`
		ClientID string   `json:"client_id"`
	}
	if err := web.BindJSON(e, &body); err != nil {
		return web.APIError(e, err)
	}
	id, me := e.Request.PathValue("id"), e.Auth.Id
	if _, err := h.ch.PostFor(me, id); err != nil {
		return web.APIError(e, err)
	}
	to := apiDistinct(body.To)
	if len(to) == 0 || len(to) > apiShareMax {
		return web.APIError(e, problem.Invalid("to", "chat.forward_pick", map[string]any{"max": apiShareMax}))
	}
	if len(body.ClientID) > 40 {
		return web.APIError(e, problem.Invalid("client_id", "errors.bad_request", nil))
	}
	key := body.ClientID
	if key == "" {
		key = core.GenerateDefaultRandomId()
	}
	for _, c := range to {
		ok, err := chat.IsMember(e.App, me, c)
		if err == nil && !ok {
			err = chat.NotFound()
		}
		if err != nil {
			return web.APIError(e, err)
		}
	}
	sent := make([]map[string]string, 0, len(to))
	for _, c := range to {
		res, err := h.chat.Send(me, c, chat.SendInput{ClientID: "share:" + key, Kind: chat.MsgCard,
			Card: &chat.CardRequest{Type: channels.CardPost, Ref: id}})
		if err != nil {
			return web.APIError(e, err)
		}
		sent = append(sent, map[string]string{"conversation": c, "message": res.Message.ID})
	}
	return e.JSON(http.StatusOK, map[string]any{"items": sent})
}

// apiReport is POST …/{id}/report {"reason", "note"}: 204 once the report
// is in the moderators' queue.
func (h handlers) apiReport(file func(reporterID, id string, in reports.Input) error) func(*core.RequestEvent) error {
	return func(e *core.RequestEvent) error {
		var body struct {
			Reason string `json:"reason"`
			Note   string `json:"note"`
		}
		if err := web.BindJSON(e, &body); err != nil {
			return web.APIError(e, err)
		}
		if err := file(e.Auth.Id, e.Request.PathValue("id"), reports.Input{Reason: body.Reason, Note: body.Note}); err != nil {
			return web.APIError(e, err)
		}
		return e.NoContent(http.StatusNoContent)
	}
}
