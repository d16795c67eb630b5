package channelsweb

import (
	"errors"
	"net/http"
	"strings"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/filesystem"

	"plaza/hooks/channels"
	"plaza/hooks/problem"
	"plaza/hooks/web"
)

// apiMine is GET /api/plaza/channels/me: the caller's channel (404
// channels.not_found when they have none).
func (h handlers) apiMine(e *core.RequestEvent) error {
	c, err := h.ch.ChannelOf(e.Auth.Id, e.Auth.Id)
	if err != nil {
		return web.APIError(e, err)
	}
	return e.JSON(http.StatusOK, channelJSON(c))
}

// apiCreate is POST /api/plaza/channels/me {"handle", "name", "bio"}, or
// a multipart form with the same fields and an "avatar": 201 the channel.
func (h handlers) apiCreate(e *core.RequestEvent) error {
	in, err := apiProfileInput(e, true)
	if err != nil {
		return web.APIError(e, err)
	}
	c, err := h.ch.Create(e.Auth.Id, in)
	if err != nil {
		return web.APIError(e, err)
	}
	return e.JSON(http.StatusCreated, channelJSON(c))
}

// apiUpdate is PATCH /api/plaza/channels/me {"name", "bio"} (a field left
// out stays), or multipart with an "avatar" too.
func (h handlers) apiUpdate(e *core.RequestEvent) error {
	in, err := apiProfileInput(e, false)
	if err != nil {
		return web.APIError(e, err)
	}
	c, err := h.ch.Update(e.Auth.Id, in)
	if err != nil {
		return web.APIError(e, err)
	}
	return e.JSON(http.StatusOK, channelJSON(c))
}

// apiProfileInput binds a channel's profile from JSON or a multipart form;
// the handle only when creating.
func apiProfileInput(e *core.RequestEvent, create bool) (channels.ProfileInput, error) {
	var in channels.ProfileInput
	if strings.HasPrefix(e.Request.Header.Get("Content-Type"), "application/json") {
		var body struct {
			Handle *string `json:"handle"`
			Name   *string `json:"name"`
			Bio    *string `json:"bio"`
		}
		if err := web.BindJSON(e, &body); err != nil {
			return in, err
		}
		in = channels.ProfileInput{Name: body.Name, Bio: body.Bio}
		if create {
			in.Handle = body.Handle
		}
		return in, nil
	}
	if err := e.Request.ParseMultipartForm(32 << 20); err != nil && !errors.Is(err, http.ErrNotMultipart) {
		return in, problem.Invalid("avatar", "moments.upload_failed", nil)
	}
	field := func(name string) *string {
		if v, ok := e.Request.Form[name]; ok && len(v) > 0 {
			return &v[0]
		}
		return nil
	}
	in = channels.ProfileInput{Name: field("name"), Bio: field("bio")}
	if create {
		in.Handle = field("handle")
	}
	avatars, err := apiFiles(e, "avatar")
	if err != nil {
		return in, err
	}
	if len(avatars) > 0 {
		in.Avatar = avatars[0]
	}
	return in, nil
}

// apiFiles are the files of one form field (none is not an error).
func apiFiles(e *core.RequestEvent, field string) ([]*filesystem.File, error) {
	files, err := e.FindUploadedFiles(field)
	if errors.Is(err, http.ErrMissingFile) {
		return nil, nil
	}
	if err != nil {
		return nil, problem.Invalid(field, "moments.upload_failed", nil)
	}
	return files, nil
}

// StatsJSON is a creator's stats: 30 days of views and followers, oldest
// first, and the channel now.
type StatsJSON struct {
	Channel ChannelJSON    `json:"channel"`
	Days    []channels.Day `json:"days"`
	Views   int            `json:"views"`
}

// apiStats is GET /api/plaza/channels/me/stats: the caller's own
// channel's stats.
func (h handlers) apiStats(e *core.RequestEvent) error {
	s, err := h.ch.StatsOf(e.Auth.Id)
	if err != nil {
		return web.APIError(e, err)
	}
	return e.JSON(http.StatusOK, StatsJSON{Channel: channelJSON(s.Channel), Days: s.Days, Views: s.Views})
}
