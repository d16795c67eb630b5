package momentsweb

import (
	"net/http"
	"slices"
	"strings"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"

	"plaza/hooks/accounts"
	"plaza/hooks/contacts"
	"plaza/hooks/moments"
	"plaza/hooks/problem"
	"plaza/hooks/settings"
	"plaza/hooks/web"
	views "plaza/views/moments"
)

// The compose page. The plain form posts multipart to /moments/new (the
// same fields as the JSON API); moments.js sends them to the API instead,
// with a progress bar per file.

func (h handlers) registerComposePages(pages *router.RouterGroup[*core.RequestEvent]) {
	pages.GET("/moments/new", h.composePage)
	pages.POST("/moments/new", h.publishPage).Bind(apis.BodyLimit(uploadLimit))
}

// composeModel is the form with the member's friends and tags, as given.
func composeModel(e *core.RequestEvent, in moments.PostInput) (views.Compose, error) {
	me := web.Member(e)
	friends, err := contacts.Friends(e.App, me)
	if err != nil {
		return views.Compose{}, err
	}
	tags, err := contacts.Tags(e.App, me)
	if err != nil {
		return views.Compose{}, err
	}
	slices.SortFunc(friends, func(a, b contacts.Friend) int {
		return strings.Compare(strings.ToLower(a.Label()), strings.ToLower(b.Label()))
	})
	c := views.Compose{Text: in.Text, Location: in.Location, Visibility: in.Visibility, MaxText: moments.TextMax,
		MaxPhotos: moments.PhotosMax, MaxReminds: moments.RemindsMax, VideoMB: settings.Get(e.App).MomentsVideoMaxMB}
	if c.Visibility == "" {
		c.Visibility = moments.VisibleAll
	}
	for _, f := range friends {
		m := accounts.AsMember(f.Member)
		base := views.Choice{ID: f.Member.Id, Name: f.Label(), Avatar: m.AvatarURL("96x96"), Initial: m.Initial()}
		member, remind := base, base
		member.Checked, remind.Checked = slices.Contains(in.Members, base.ID), slices.Contains(in.Reminds, base.ID)
		c.Friends, c.Reminds = append(c.Friends, member), append(c.Reminds, remind)
	}
	for _, t := range tags {
		c.Tags = append(c.Tags, views.Choice{ID: t.ID, Name: t.Name, Checked: slices.Contains(in.Tags, t.ID)})
	}
	return c, nil
}

func (h handlers) composePage(e *core.RequestEvent) error {
	c, err := composeModel(e, moments.PostInput{})
	if err != nil {
		return err
	}
	return render(e, http.StatusOK, web.T(e, "moments.new_post"), views.ComposeView(c))
}

// publishPage is POST /moments/new: then the feed; a refused post shows
// the form again with its messages (files must be chosen again).
func (h handlers) publishPage(e *core.RequestEvent) error {
	in, err := postInput(e)
	if err == nil {
		_, err = h.m.Publish(e.Auth.Id, in)
	}
	p, ok := problem.As(err)
	if !ok {
		if err != nil {
			return err
		}
		return web.Redirect(e, "/moments?posted=1")
	}
	c, merr := composeModel(e, in)
	if merr != nil {
		return merr
	}
	c.Errors = web.FieldErrors(e, p)
	c.Flash.Kind, c.Flash.Message = "error", problemText(e, p)
	return render(e, p.Status, web.T(e, "moments.new_post"), views.ComposeView(c))
}
