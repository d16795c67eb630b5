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

// withShare adds to the compose form the card being shared (?share_type=
// &share_ref=, or the refused form's fields); one that cannot be shared is
// the page's error.
func (h handlers) withShare(e *core.RequestEvent, c *views.Compose, sh *moments.Share) error {
	if sh == nil {
		return nil
	}
	card, err := h.m.PreviewShare(e.Auth.Id, sh)
	if err != nil {
		return err
	}
	label := card.Type
	if t, ok := web.Registry(e).Card(card.Type); ok {
		label = web.T(e, t.Label)
	}
	c.Share = &views.Shared{Label: label, Title: card.Title, Sub: card.Sub, Image: card.Image, Link: card.Link}
	c.ShareType, c.ShareRef = sh.Type, sh.Ref
	return nil
}

// shareParam is the card a compose link asks to share, if any.
func shareParam(e *core.RequestEvent) *moments.Share {
	q := e.Request.URL.Query()
	if q.Get("share_type") == "" {
		return nil
	}
	return &moments.Share{Type: q.Get("share_type"), Ref: q.Get("share_ref")}
}

func (h handlers) composePage(e *core.RequestEvent) error {
	c, err := composeModel(e, moments.PostInput{})
	if err != nil {
		return err
	}
	if err := h.withShare(e, &c, shareParam(e)); err != nil {
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
	if merr := h.withShare(e, &c, in.Share); merr != nil {
		return merr
	}
	c.Errors = web.FieldErrors(e, p)
	c.Flash.Kind, c.Flash.Message = "error", problemText(e, p)
	return render(e, p.Status, web.T(e, "moments.new_post"), views.ComposeView(c))
}
