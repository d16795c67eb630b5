package channelsweb

import (
	"errors"
	"net/http"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"

	"plaza/hooks/channels"
	"plaza/hooks/problem"
	"plaza/hooks/web"
	views "plaza/views/channels"
)

// The member's own channel: the page with the creator's tools, or the
// form that opens it; and the form that edits it.

// avatarLimit bounds the profile form (a picture and three fields).
const avatarLimit = 16 << 20

func (h handlers) registerMePages(members *router.RouterGroup[*core.RequestEvent]) {
	members.GET("/channels/me", h.minePage)
	members.POST("/channels/me", h.createPage).Bind(apis.BodyLimit(avatarLimit))
	members.GET("/channels/me/edit", h.editProfilePage)
	members.POST("/channels/me/edit", h.saveProfilePage).Bind(apis.BodyLimit(avatarLimit))
}

// minePage is GET /channels/me[?after=]: the member's channel and its
// posts, or the form that opens one.
func (h handlers) minePage(e *core.RequestEvent) error {
	me := e.Auth.Id
	ch, err := h.ch.ChannelOf(me, me)
	if isGone(err) {
		return h.profileForm(e, http.StatusOK, views.ProfileForm{Create: true}, nil)
	}
	if err != nil {
		return err
	}
	after := e.Request.URL.Query().Get("after")
	page, err := h.ch.ChannelPosts(me, ch.Handle, after, gridPageSize)
	if err != nil {
		return err
	}
	g := views.Grid{Tiles: pageTiles(e, page.Posts), More: moreHref("/channels/me", page.Next)}
	if web.IsHTMX(e) && after != "" {
		return web.Render(e, http.StatusOK, views.GridTiles(g))
	}
	m := views.Mine{Channel: pageChannel(e, ch, ""), Grid: g, Flash: pageFlash(e, map[string]string{"posted": "channels.posted",
		"created": "channels.created", "saved": "channels.profile_saved", "deleted": "channels.deleted"})}
	return memberScreen(e, http.StatusOK, web.T(e, "channels.my_channel"), "/channels", views.MineView(m))
}

// profileForm shows the profile form; p, a refusal, puts its messages on
// it.
func (h handlers) profileForm(e *core.RequestEvent, status int, f views.ProfileForm, p *problem.Problem) error {
	f.MaxName, f.MaxBio = channels.NameMax, channels.BioMax
	if f.Initial == "" {
		f.Initial = letterOf(f.Name)
	}
	if p != nil {
		f.Errors = web.FieldErrors(e, p)
		f.Flash.Kind, f.Flash.Message = "error", refusalText(e, p)
	}
	title := web.T(e, "channels.edit_profile")
	if f.Create {
		title = web.T(e, "channels.create_title")
	}
	return memberScreen(e, status, title, "/channels", views.ProfileFormView(f))
}

// profileInput binds the profile form: handle (when creating), name, bio
// and a picture.
func profileInput(e *core.RequestEvent, create bool) (channels.ProfileInput, error) {
	f := func(name string) *string { v := e.Request.FormValue(name); return &v }
	in := channels.ProfileInput{Name: f("name"), Bio: f("bio")}
	if create {
		in.Handle = f("handle")
	}
	files, err := e.FindUploadedFiles("avatar")
	switch {
	case err == nil && len(files) > 0:
		in.Avatar = files[0]
	case err != nil && !errors.Is(err, http.ErrMissingFile) && !errors.Is(err, http.ErrNotMultipart):
		return in, problem.Invalid("avatar", "moments.upload_failed", nil)
	}
	return in, nil
}

// createPage is POST /channels/me: opens the member's channel.
func (h handlers) createPage(e *core.RequestEvent) error {
	in, err := profileInput(e, true)
	if err == nil {
		_, err = h.ch.Create(e.Auth.Id, in)
	}
	if p := pageRefusal(err); p != nil {
		f := views.ProfileForm{Create: true, Handle: *in.Handle, Name: *in.Name, Bio: *in.Bio}
		return h.profileForm(e, p.Status, f, p)
	}
	if err != nil {
		return err
	}
	return web.Redirect(e, "/channels/me?created=1")
}

// editProfilePage is GET /channels/me/edit.
func (h handlers) editProfilePage(e *core.RequestEvent) error {
	ch, err := h.ch.ChannelOf(e.Auth.Id, e.Auth.Id)
	if isGone(err) {
		return web.Redirect(e, "/channels/me")
	}
	if err != nil {
		return err
	}
	c := pageChannel(e, ch, "")
	return h.profileForm(e, http.StatusOK, views.ProfileForm{Handle: ch.Handle, Name: ch.Name, Bio: ch.Bio, Avatar: c.Avatar, Initial: c.Initial}, nil)
}

// saveProfilePage is POST /channels/me/edit: the name, bio and picture.
func (h handlers) saveProfilePage(e *core.RequestEvent) error {
	in, err := profileInput(e, false)
	if err == nil {
		_, err = h.ch.Update(e.Auth.Id, in)
	}
	if p := pageRefusal(err); p != nil {
		f := views.ProfileForm{Name: *in.Name, Bio: *in.Bio}
		if ch, cerr := h.ch.ChannelOf(e.Auth.Id, e.Auth.Id); cerr == nil {
			c := pageChannel(e, ch, "")
			f.Handle, f.Avatar, f.Initial = ch.Handle, c.Avatar, c.Initial
		}
		return h.profileForm(e, p.Status, f, p)
	}
	if err != nil {
		return err
	}
	return web.Redirect(e, "/channels/me?saved=1")
}
