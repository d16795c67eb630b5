package channelsweb

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/filesystem"
	"github.com/pocketbase/pocketbase/tools/router"

	"plaza/hooks/channels"
	"plaza/hooks/problem"
	"plaza/hooks/settings"
	"plaza/hooks/web"
	views "plaza/views/channels"
)

// Posting, editing a caption and deleting a post. The compose form posts
// multipart to /channels/compose; moments.js's uploader sends the same
// fields there with a progress bar per file and asks for JSON (201 with
// the post's address, or the refusal's {status, code, message, data}).

// composeLimit bounds a post's request: the largest video a community may
// allow (2,000 MB in settings) and its poster, or nine photos, and the
// form around them. The domain checks the community's own limit.
const composeLimit = 2016 << 20

func (h handlers) registerComposePages(members *router.RouterGroup[*core.RequestEvent]) {
	members.GET("/channels/compose", h.composePage)
	members.POST("/channels/compose", h.publishPage).Bind(apis.BodyLimit(composeLimit))
	members.GET("/channels/p/{id}/edit", h.captionPage)
	members.POST("/channels/p/{id}/edit", h.saveCaptionPage)
	members.POST("/channels/p/{id}/delete", h.deletePostPage)
}

func composeModel(e *core.RequestEvent, in channels.PostInput) views.Compose {
	return views.Compose{Caption: in.Caption, Location: in.Location, MaxCaption: channels.CaptionMax, MaxPhotos: channels.PhotosMax,
		VideoMB: settings.Get(e.App).ChannelsVideoMaxMB}
}

// composePage is GET /channels/compose (a member without a channel opens
// one first).
func (h handlers) composePage(e *core.RequestEvent) error {
	if _, err := h.ch.ChannelOf(e.Auth.Id, e.Auth.Id); isGone(err) {
		return web.Redirect(e, "/channels/me")
	} else if err != nil {
		return err
	}
	return memberScreen(e, http.StatusOK, web.T(e, "channels.new_post"), "/channels/me", views.ComposeView(composeModel(e, channels.PostInput{})))
}

// wantsJSON reports a script asking for JSON (the uploader).
func wantsJSON(e *core.RequestEvent) bool {
	return strings.Contains(e.Request.Header.Get("Accept"), "application/json")
}

// publishPage is POST /channels/compose: then the member's channel; a
// refused post shows the form again with its messages (files must be
// chosen again).
func (h handlers) publishPage(e *core.RequestEvent) error {
	in, err := composeInput(e)
	var p channels.Post
	if err == nil {
		p, err = h.ch.Publish(e.Auth.Id, in)
	}
	if err != nil && wantsJSON(e) {
		if pr, ok := problem.As(err); ok {
			return web.Problem(e, pr)
		}
		return err
	}
	if refused := pageRefusal(err); refused != nil {
		c := composeModel(e, in)
		c.Errors = web.FieldErrors(e, refused)
		c.Flash.Kind, c.Flash.Message = "error", refusalText(e, refused)
		return memberScreen(e, refused.Status, web.T(e, "channels.new_post"), "/channels/me", views.ComposeView(c))
	}
	if err != nil {
		return err
	}
	if wantsJSON(e) {
		return e.JSON(http.StatusCreated, map[string]string{"id": p.ID, "url": channels.PostPath(p.Channel.Handle, p.ID)})
	}
	return web.Redirect(e, "/channels/me?posted=1")
}

// composeInput binds the compose form: caption, location, photos, or a
// video with its poster frame and length.
func composeInput(e *core.RequestEvent) (channels.PostInput, error) {
	in := channels.PostInput{Caption: e.Request.FormValue("caption"), Location: e.Request.FormValue("location")}
	var err error
	if in.Photos, err = formFiles(e, "photos"); err != nil {
		return in, err
	}
	videos, err := formFiles(e, "video")
	if err != nil || len(videos) == 0 {
		return in, err
	}
	in.Video = videos[0]
	posters, err := formFiles(e, "poster")
	if err != nil {
		return in, err
	}
	if len(posters) > 0 {
		in.Poster = posters[0]
	}
	if in.DurationMs, err = strconv.Atoi(e.Request.FormValue("duration_ms")); err != nil {
		return in, problem.Invalid("video", "channels.video_needs_script", nil)
	}
	return in, nil
}

// formFiles are the files of one form field (none is not an error).
func formFiles(e *core.RequestEvent, field string) ([]*filesystem.File, error) {
	files, err := e.FindUploadedFiles(field)
	if errors.Is(err, http.ErrMissingFile) || errors.Is(err, http.ErrNotMultipart) {
		return nil, nil
	}
	if err != nil {
		return nil, problem.Invalid(field, "moments.upload_failed", nil)
	}
	return files, nil
}

// myPostView is the member's own post (anyone else's is the 404 the domain
// gives for a post one may not change).
func (h handlers) myPostView(e *core.RequestEvent) (views.Post, error) {
	p, err := h.ch.PostFor(e.Auth.Id, e.Request.PathValue("id"))
	if err != nil {
		return views.Post{}, err
	}
	if !p.Channel.Mine {
		return views.Post{}, problem.New(http.StatusNotFound, "channels.not_found")
	}
	posts, err := pagePosts(e, []channels.Post{p}, "")
	if err != nil {
		return views.Post{}, err
	}
	return posts[0], nil
}

// captionPage is GET /channels/p/{id}/edit.
func (h handlers) captionPage(e *core.RequestEvent) error {
	p, err := h.myPostView(e)
	if err != nil {
		return err
	}
	c := views.EditCaption{Post: p, Caption: p.Text, MaxCaption: channels.CaptionMax}
	return memberScreen(e, http.StatusOK, web.T(e, "channels.edit_caption"), p.URL, views.EditCaptionView(c))
}

// saveCaptionPage is POST /channels/p/{id}/edit (caption): then the post.
func (h handlers) saveCaptionPage(e *core.RequestEvent) error {
	caption := e.Request.FormValue("caption")
	p, err := h.ch.EditCaption(e.Auth.Id, e.Request.PathValue("id"), caption)
	if refused := pageRefusal(err); refused != nil {
		own, oerr := h.myPostView(e)
		if oerr != nil {
			return oerr
		}
		c := views.EditCaption{Post: own, Caption: caption, MaxCaption: channels.CaptionMax, Errors: web.FieldErrors(e, refused)}
		return memberScreen(e, refused.Status, web.T(e, "channels.edit_caption"), own.URL, views.EditCaptionView(c))
	}
	if err != nil {
		return err
	}
	return web.Redirect(e, channels.PostPath(p.Channel.Handle, p.ID)+"?saved=1")
}

// deletePostPage is POST /channels/p/{id}/delete: then the member's
// channel, which says so.
func (h handlers) deletePostPage(e *core.RequestEvent) error {
	if err := h.ch.Delete(e.Auth.Id, e.Request.PathValue("id")); err != nil {
		return err
	}
	return web.Redirect(e, "/channels/me?deleted=1")
}
