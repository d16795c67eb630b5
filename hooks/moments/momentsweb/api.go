package momentsweb

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/filesystem"

	"plaza/hooks/moments"
	"plaza/hooks/problem"
	"plaza/hooks/reports"
	"plaza/hooks/web"
)

// The JSON API of Moments (docs/API.md, "Moments"): the same operations as
// the pages, with the same rules — the answers differ only in shape.

func (h handlers) registerAPI(se *core.ServeEvent) {
	api := se.Router.Group("/api/plaza/moments").BindFunc(web.RequireMember)
	api.GET("/feed", h.apiFeed)
	api.GET("/albums/{member}", h.apiAlbum)
	api.POST("/posts", h.apiPublish).Bind(apis.BodyLimit(uploadLimit))
	api.GET("/posts/{id}", h.apiPost)
	api.DELETE("/posts/{id}", h.noContent(func(me, id string) error { return h.m.Delete(me, id) }))
	api.POST("/posts/{id}/private", h.noContent(func(me, id string) error { return h.m.SetPrivate(me, id) }))
	api.POST("/posts/{id}/like", h.noContent(func(me, id string) error { return h.m.Like(me, id) }))
	api.DELETE("/posts/{id}/like", h.noContent(func(me, id string) error { return h.m.Unlike(me, id) }))
	api.POST("/posts/{id}/comments", h.apiComment)
	api.DELETE("/comments/{id}", h.noContent(func(me, id string) error { return h.m.DeleteComment(me, id) }))
	api.POST("/posts/{id}/report", h.apiReport(h.m.ReportPost))
	api.POST("/comments/{id}/report", h.apiReport(h.m.ReportComment))
	api.GET("/notifications", h.apiNotifications)
	api.POST("/notifications/read", h.noContent(func(me, _ string) error { return h.m.MarkNotesRead(me) }))
	api.GET("/settings", h.apiSettings)
	api.PATCH("/settings", h.apiSaveSettings)
	api.POST("/cover", h.apiCover).Bind(apis.BodyLimit(coverLimit))
}

// uploadLimit bounds a post's request: nine photos or a video and its
// poster, and the form around them.
const (
	uploadLimit = moments.VideoCeilingBytes + 16<<20
	coverLimit  = 16 << 20
)

// noContent answers 204 after op(member, {id}) succeeds.
func (h handlers) noContent(op func(memberID, id string) error) func(*core.RequestEvent) error {
	return func(e *core.RequestEvent) error {
		if err := op(e.Auth.Id, e.Request.PathValue("id")); err != nil {
			return web.APIError(e, err)
		}
		return e.NoContent(http.StatusNoContent)
	}
}

// limitParam reads ?limit= (0 for the default).
func limitParam(e *core.RequestEvent) (int, error) {
	raw := e.Request.URL.Query().Get("limit")
	if raw == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < 1 {
		return 0, problem.Invalid("limit", "errors.bad_request", nil)
	}
	return n, nil
}

func (h handlers) pageJSON(e *core.RequestEvent, page moments.Page, extra map[string]any) error {
	items, _, err := postsJSON(e.App, e.Auth.Id, page.Posts)
	if err != nil {
		return web.APIError(e, err)
	}
	out := map[string]any{"items": items, "next": page.Next}
	for k, v := range extra {
		out[k] = v
	}
	return e.JSON(http.StatusOK, out)
}

// apiFeed is GET /api/plaza/moments/feed?after=&limit=.
func (h handlers) apiFeed(e *core.RequestEvent) error {
	limit, err := limitParam(e)
	if err != nil {
		return web.APIError(e, err)
	}
	page, err := h.m.Feed(e.Auth.Id, e.Request.URL.Query().Get("after"), limit)
	if err != nil {
		return web.APIError(e, err)
	}
	return h.pageJSON(e, page, nil)
}

// apiAlbum is GET /api/plaza/moments/albums/{member}?after=&limit=: an
// empty album, not an error, for someone whose posts one may not see.
func (h handlers) apiAlbum(e *core.RequestEvent) error {
	limit, err := limitParam(e)
	if err != nil {
		return web.APIError(e, err)
	}
	owner := e.Request.PathValue("member")
	album, err := h.m.AlbumOf(e.Auth.Id, owner, e.Request.URL.Query().Get("after"), limit)
	if err != nil {
		return web.APIError(e, err)
	}
	pp, err := peopleFor(e.App, e.Auth.Id, []string{owner})
	if err != nil {
		return web.APIError(e, err)
	}
	cover := ""
	if rec, err := h.m.CoverFor(e.Auth.Id, owner); err == nil && rec != nil {
		cover = coverURL(owner)
	}
	return h.pageJSON(e, album.Page, map[string]any{"owner": pp.of(owner), "limited": album.Limited, "range": album.Range, "cover": cover})
}

// apiPost is GET /api/plaza/moments/posts/{id}.
func (h handlers) apiPost(e *core.RequestEvent) error {
	p, err := h.m.PostFor(e.Auth.Id, e.Request.PathValue("id"))
	if err != nil {
		return web.APIError(e, err)
	}
	return h.postJSON(e, http.StatusOK, p)
}

func (h handlers) postJSON(e *core.RequestEvent, status int, p moments.Post) error {
	items, _, err := postsJSON(e.App, e.Auth.Id, []moments.Post{p})
	if err != nil {
		return web.APIError(e, err)
	}
	return e.JSON(status, items[0])
}

// apiPublish is POST /api/plaza/moments/posts: a JSON body for text, or a
// multipart form with photos (up to nine "photos") or a "video" with its
// "poster" and "duration_ms".
func (h handlers) apiPublish(e *core.RequestEvent) error {
	in, err := postInput(e)
	if err != nil {
		return web.APIError(e, err)
	}
	p, err := h.m.Publish(e.Auth.Id, in)
	if err != nil {
		return web.APIError(e, err)
	}
	return h.postJSON(e, http.StatusCreated, p)
}

// postInput binds a new post from JSON or a multipart form (the page's
// compose form sends the same fields).
func postInput(e *core.RequestEvent) (moments.PostInput, error) {
	var in moments.PostInput
	if strings.HasPrefix(e.Request.Header.Get("Content-Type"), "application/json") {
		var body struct {
			Text       string   `json:"text"`
			Location   string   `json:"location"`
			Visibility string   `json:"visibility"`
			Tags       []string `json:"tags"`
			Members    []string `json:"members"`
			Reminds    []string `json:"reminds"`
			Share      *struct {
				Type string `json:"type"`
				Ref  string `json:"ref"`
			} `json:"share"`
		}
		if err := web.BindJSON(e, &body); err != nil {
			return in, err
		}
		in = moments.PostInput{Text: body.Text, Location: body.Location, Visibility: body.Visibility,
			Tags: body.Tags, Members: body.Members, Reminds: body.Reminds}
		if body.Share != nil {
			in.Share = &moments.Share{Type: body.Share.Type, Ref: body.Share.Ref}
		}
		return in, nil
	}
	if err := e.Request.ParseMultipartForm(32 << 20); err != nil && !errors.Is(err, http.ErrNotMultipart) {
		return in, problem.Invalid("photos", "moments.upload_failed", nil)
	}
	f := e.Request.Form
	in = moments.PostInput{Text: f.Get("text"), Location: f.Get("location"), Visibility: f.Get("visibility"),
		Tags: f["tags"], Members: f["members"], Reminds: f["reminds"]}
	if f.Get("share_type") != "" {
		in.Share = &moments.Share{Type: f.Get("share_type"), Ref: f.Get("share_ref")}
	}
	var err error
	if in.Photos, err = uploaded(e, "photos"); err != nil {
		return in, err
	}
	videos, err := uploaded(e, "video")
	if err != nil {
		return in, err
	}
	if len(videos) > 0 {
		in.Video = videos[0]
		posters, err := uploaded(e, "poster")
		if err != nil {
			return in, err
		}
		if len(posters) > 0 {
			in.Poster = posters[0]
		}
		if in.DurationMs, err = strconv.Atoi(f.Get("duration_ms")); err != nil {
			return in, problem.Invalid("duration_ms", "errors.bad_request", nil)
		}
	}
	return in, nil
}

// uploaded are the files of one form field (none is not an error).
func uploaded(e *core.RequestEvent, field string) ([]*filesystem.File, error) {
	files, err := e.FindUploadedFiles(field)
	if errors.Is(err, http.ErrMissingFile) {
		return nil, nil
	}
	if err != nil {
		return nil, problem.Invalid(field, "moments.upload_failed", nil)
	}
	return files, nil
}

// apiComment is POST /api/plaza/moments/posts/{id}/comments
// {"text", "reply_to"}: 201 with the comment.
func (h handlers) apiComment(e *core.RequestEvent) error {
	var body struct {
		Text    string `json:"text"`
		ReplyTo string `json:"reply_to"`
	}
	if err := web.BindJSON(e, &body); err != nil {
		return web.APIError(e, err)
	}
	c, err := h.m.AddComment(e.Auth.Id, e.Request.PathValue("id"), moments.CommentInput{Text: body.Text, ReplyTo: body.ReplyTo})
	if err != nil {
		return web.APIError(e, err)
	}
	pp, err := peopleFor(e.App, e.Auth.Id, []string{c.Author, c.ReplyTo})
	if err != nil {
		return web.APIError(e, err)
	}
	return e.JSON(http.StatusCreated, pp.comment(c))
}

// NoteJSON is one notification in the JSON API.
type NoteJSON struct {
	ID      string `json:"id"`
	Kind    string `json:"kind"`
	Actor   Person `json:"actor"`
	Post    string `json:"post"`
	Comment string `json:"comment,omitempty"`
	Text    string `json:"text,omitempty"`
	At      string `json:"at"`
	Unread  bool   `json:"unread"`
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

// apiNotifications is GET /api/plaza/moments/notifications?before=.
func (h handlers) apiNotifications(e *core.RequestEvent) error {
	notes, unread, err := h.notes(e)
	if err != nil {
		return web.APIError(e, err)
	}
	return e.JSON(http.StatusOK, map[string]any{"items": notes, "unread": unread})
}

func (h handlers) notes(e *core.RequestEvent) ([]NoteJSON, int, error) {
	notes, err := h.m.Notifications(e.Auth.Id, e.Request.URL.Query().Get("before"))
	if err != nil {
		return nil, 0, err
	}
	ids := make([]string, len(notes))
	for i, n := range notes {
		ids[i] = n.Actor
	}
	pp, err := peopleFor(e.App, e.Auth.Id, ids)
	if err != nil {
		return nil, 0, err
	}
	out := make([]NoteJSON, 0, len(notes))
	for _, n := range notes {
		out = append(out, NoteJSON{ID: n.ID, Kind: n.Kind, Actor: pp.of(n.Actor), Post: n.Post, Comment: n.Comment, Text: n.Text,
			At: n.At.UTC().Format("2006-01-02 15:04:05.000Z"), Unread: n.Unread})
	}
	unread, err := h.m.UnreadCount(e.App, e.Auth.Id)
	return out, unread, err
}

// apiSettings is GET /api/plaza/moments/settings.
func (h handlers) apiSettings(e *core.RequestEvent) error {
	s, err := h.m.SettingsOf(e.Auth.Id)
	if err != nil {
		return web.APIError(e, err)
	}
	return e.JSON(http.StatusOK, s)
}

// apiSaveSettings is PATCH /api/plaza/moments/settings {"range",
// "strangers_ten"}; a field left out is unchanged.
func (h handlers) apiSaveSettings(e *core.RequestEvent) error {
	s, err := h.m.SettingsOf(e.Auth.Id)
	if err != nil {
		return web.APIError(e, err)
	}
	var body struct {
		Range        *string `json:"range"`
		StrangersTen *bool   `json:"strangers_ten"`
	}
	if err := web.BindJSON(e, &body); err != nil {
		return web.APIError(e, err)
	}
	if body.Range != nil {
		s.Range = *body.Range
	}
	if body.StrangersTen != nil {
		s.StrangersTen = *body.StrangersTen
	}
	if err := h.m.SaveSettings(e.Auth.Id, s.Range, s.StrangersTen); err != nil {
		return web.APIError(e, err)
	}
	return h.apiSettings(e)
}

// apiCover is POST /api/plaza/moments/cover (multipart "cover").
func (h handlers) apiCover(e *core.RequestEvent) error {
	files, err := uploaded(e, "cover")
	if err == nil && len(files) != 1 {
		err = problem.Invalid("cover", "moments.upload_failed", nil)
	}
	if err == nil {
		err = h.m.SetCover(e.Auth.Id, files[0])
	}
	if err != nil {
		return web.APIError(e, err)
	}
	return e.NoContent(http.StatusNoContent)
}
