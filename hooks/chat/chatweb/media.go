package chatweb

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/chat"
	"plaza/hooks/problem"
	"plaza/hooks/settings"
	"plaza/hooks/web"
)

// fileURL is where PocketBase serves a chat's file with a file token.
func fileURL(rec *core.Record, field, token string, q url.Values) string {
	q.Set("token", token)
	return "/api/files/" + url.PathEscape(rec.Collection().Name) + "/" + url.PathEscape(rec.Id) + "/" +
		url.PathEscape(rec.GetString(field)) + "?" + q.Encode()
}

// serveMedia (GET /media/{id}[?thumb=1][&download=1]) checks that the
// member is in the media's chat now and redirects to PocketBase's file
// route with a fresh short-lived file token (the token alone opens it, so
// the redirect is private and cached for less than the token lives).
func (s *site) serveMedia(e *core.RequestEvent) error {
	rec, err := s.MediaFor(e.Auth.Id, e.Request.PathValue("id"))
	if err != nil {
		return err
	}
	return redirectToFile(e, rec, "file")
}

func redirectToFile(e *core.RequestEvent, rec *core.Record, field string) error {
	token, err := e.Auth.NewFileToken()
	if err != nil {
		return fmt.Errorf("file token: %w", err)
	}
	q := url.Values{}
	if e.Request.URL.Query().Get("thumb") != "" && rec.GetString("kind") == chat.MsgImage {
		q.Set("thumb", chat.MediaThumb)
	}
	if e.Request.URL.Query().Get("download") != "" || rec.GetString("kind") != chat.MsgImage {
		q.Set("download", "1")
	}
	e.Response.Header().Set("Cache-Control", "private, max-age=60")
	return e.Redirect(http.StatusFound, fileURL(rec, field, token, q))
}

// uploadMedia (POST /chats/{id}/media, multipart "file" and "cid") sends a
// picture or file; it answers like an ack: {"seq", "mid"}.
func (s *site) uploadMedia(e *core.RequestEvent) error {
	maxMB := settings.Get(e.App).ChatFileMaxMB
	e.Request.Body = http.MaxBytesReader(e.Response, e.Request.Body, int64(maxMB)<<20+64<<10)
	files, err := e.FindUploadedFiles("file")
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) || strings.Contains(err.Error(), "too large") {
			return web.APIError(e, problem.Invalid("file", "chat.file_too_large", map[string]any{"max": maxMB}))
		}
		return web.APIError(e, problem.Invalid("file", "chat.file_missing", nil))
	}
	if len(files) != 1 {
		return web.APIError(e, problem.Invalid("file", "chat.file_missing", nil))
	}
	res, err := s.SendMedia(e.Auth.Id, e.Request.PathValue("id"), e.Request.FormValue("cid"), files[0], e.Request.FormValue("reply"))
	if err != nil {
		return web.APIError(e, err)
	}
	return e.JSON(http.StatusOK, map[string]any{"seq": res.Message.Seq, "mid": res.Message.ID, "m": res.Message})
}
