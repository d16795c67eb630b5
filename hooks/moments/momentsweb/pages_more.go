package momentsweb

import (
	"net/http"
	"net/url"
	"time"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"

	"plaza/hooks/problem"
	"plaza/hooks/web"
	"plaza/views/layout"
	views "plaza/views/moments"
)

// Albums, the notification list and the settings.

func (h handlers) registerMorePages(pages *router.RouterGroup[*core.RequestEvent]) {
	pages.GET("/moments/u/{member}", h.albumPage)
	pages.GET("/moments/notifications", h.notesPage)
	pages.GET("/moments/settings", h.settingsPage)
	pages.POST("/moments/settings", h.saveSettingsPage)
	pages.POST("/moments/settings/cover", h.coverPage).Bind(apis.BodyLimit(coverLimit))
}

// albumPage is GET /moments/u/{member}[?after=]: their posts by day, as
// the viewer may see them (an empty album never says why).
func (h handlers) albumPage(e *core.RequestEvent) error {
	owner, after := e.Request.PathValue("member"), e.Request.URL.Query().Get("after")
	album, err := h.m.AlbumOf(e.Auth.Id, owner, after, 0)
	if err != nil {
		return err
	}
	posts, err := postViews(e, album.Posts, "")
	if err != nil {
		return err
	}
	pg := views.AlbumPage{}
	if album.Next != "" {
		pg.More = "/moments/u/" + url.PathEscape(owner) + "?after=" + url.QueryEscape(album.Next)
	}
	prev := e.Request.URL.Query().Get("day") // the day the page before ended on
	for i, p := range posts {
		posted := album.Posts[i].Posted.UTC()
		d := views.AlbumDay{Post: p, Day: posted.Format("2"), Month: web.T(e, "moments.month_"+posted.Format("1")),
			NewDay: posted.Format("2006-01-02") != prev, Count: len(p.Media)}
		prev = posted.Format("2006-01-02")
		if len(p.Media) > 0 {
			d.Thumb = p.Media[0].Thumb
			if p.Video {
				d.Count = 0
			}
		}
		pg.Days = append(pg.Days, d)
	}
	if pg.More != "" {
		pg.More += "&day=" + prev
	}
	if web.IsHTMX(e) && after != "" {
		return web.Render(e, http.StatusOK, views.AlbumRows(pg))
	}
	header, err := h.header(e, owner)
	if err != nil {
		return err
	}
	a := views.Album{Header: header, Days: pg.Days, More: pg.More, Limited: album.Limited, Range: album.Range}
	return render(e, http.StatusOK, header.Owner.Name, views.AlbumView(a))
}

// notesPage is GET /moments/notifications: opening it reads them all.
func (h handlers) notesPage(e *core.RequestEvent) error {
	notes, _, err := h.notes(e)
	if err != nil {
		return err
	}
	if err := h.m.MarkNotesRead(e.Auth.Id); err != nil {
		return err
	}
	out := views.Notes{}
	for _, n := range notes {
		at, _ := time.Parse("2006-01-02 15:04:05.000Z", n.At)
		out.Notes = append(out.Notes, views.Note{Kind: n.Kind, Actor: personView(n.Actor), PostURL: "/moments/posts/" + n.Post,
			Text: n.Text, At: at.UTC().Format(time.RFC3339), Ago: ago(e, at), Unread: n.Unread})
	}
	return render(e, http.StatusOK, web.T(e, "moments.notifications"), views.NotesView(out))
}

func (h handlers) settingsModel(e *core.RequestEvent) (views.Settings, error) {
	s, err := h.m.SettingsOf(e.Auth.Id)
	if err != nil {
		return views.Settings{}, err
	}
	out := views.Settings{Range: s.Range, StrangersTen: s.StrangersTen}
	if s.HasCover {
		out.Cover = coverURL(e.Auth.Id) + "?t=" + url.QueryEscape(time.Now().Format("150405"))
	}
	switch {
	case e.Request.URL.Query().Get("saved") == "1":
		out.Flash = layout.Flash{Kind: "ok", Message: web.T(e, "moments.saved")}
	case e.Request.URL.Query().Get("cover") == "1":
		out.Flash = layout.Flash{Kind: "ok", Message: web.T(e, "moments.cover_saved")}
	}
	return out, nil
}

func (h handlers) settingsPage(e *core.RequestEvent) error {
	s, err := h.settingsModel(e)
	if err != nil {
		return err
	}
	return render(e, http.StatusOK, web.T(e, "moments.settings"), views.SettingsView(s))
}

// saveSettingsPage is POST /moments/settings (range, strangers_ten).
func (h handlers) saveSettingsPage(e *core.RequestEvent) error {
	err := h.m.SaveSettings(e.Auth.Id, e.Request.FormValue("range"), e.Request.FormValue("strangers_ten") != "")
	if err != nil {
		return h.settingsRefused(e, err)
	}
	return web.Redirect(e, "/moments/settings?saved=1")
}

// coverPage is POST /moments/settings/cover (multipart "cover").
func (h handlers) coverPage(e *core.RequestEvent) error {
	files, err := uploaded(e, "cover")
	if err == nil && len(files) != 1 {
		err = problem.Invalid("cover", "moments.upload_failed", nil)
	}
	if err == nil {
		err = h.m.SetCover(e.Auth.Id, files[0])
	}
	if err != nil {
		return h.settingsRefused(e, err)
	}
	return web.Redirect(e, "/moments/settings?cover=1")
}

// settingsRefused shows the settings again with a refusal's messages.
func (h handlers) settingsRefused(e *core.RequestEvent, err error) error {
	p, ok := problem.As(err)
	if !ok {
		return err
	}
	s, merr := h.settingsModel(e)
	if merr != nil {
		return merr
	}
	s.Errors = web.FieldErrors(e, p)
	s.Flash = layout.Flash{Kind: "error", Message: problemText(e, p)}
	return render(e, p.Status, web.T(e, "moments.settings"), views.SettingsView(s))
}
