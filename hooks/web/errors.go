package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/invopop/ctxi18n/i18n"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
	"github.com/pocketbase/pocketbase/tools/router"

	"plaza/hooks/problem"
	"plaza/hooks/settings"
	"plaza/views/layout"
)

// IsAPI reports whether the request is for a JSON route.
func IsAPI(e *core.RequestEvent) bool {
	return strings.HasPrefix(e.Request.URL.Path, "/api/")
}

// PageFor builds the document model of a page for this request.
func PageFor(e *core.RequestEvent, title string) layout.Page {
	p := layout.Page{
		Title:     title,
		Lang:      LangOf(e),
		Community: settings.Get(e.App).CommunityName,
	}
	if m := Member(e); m != nil {
		p.Theme = m.GetString("theme")
	}
	return p
}

// LangOf returns the UI language chosen for the request.
func LangOf(e *core.RequestEvent) string {
	if loc := i18n.GetLocale(e.Request.Context()); loc != nil {
		return string(loc.Code())
	}
	return RequestLang(e)
}

// Fail answers with an error message in the member's language: JSON for
// API routes, an error page otherwise.
func Fail(e *core.RequestEvent, status int, key string) error {
	if !isLocalised(e) {
		e.Request = e.Request.WithContext(WithLang(e.Request.Context(), RequestLang(e)))
	}
	msg := T(e, key)
	if IsAPI(e) {
		return e.JSON(status, map[string]any{"status": status, "message": msg, "data": map[string]any{}})
	}
	return Render(e, status, layout.ErrorPage(PageFor(e, http.StatusText(status)), status, msg))
}

func isLocalised(e *core.RequestEvent) bool {
	return i18n.GetLocale(e.Request.Context()) != nil
}

// Problem answers with a problem.Problem: for JSON, the message and the
// per-field messages in PocketBase's error shape.
func Problem(e *core.RequestEvent, p *problem.Problem) error {
	data := map[string]any{}
	for _, f := range p.Fields {
		data[f.Name] = map[string]any{"code": f.Key, "message": T(e, f.Key, i18n.M(f.Args))}
	}
	msg := ""
	if p.Key != "" {
		msg = T(e, p.Key, i18n.M(p.Args))
	} else if len(p.Fields) > 0 {
		msg = T(e, "errors.check_fields")
	}
	return e.JSON(p.Status, map[string]any{"status": p.Status, "message": msg, "data": data})
}

// FieldErrors turns a Problem's field problems into form messages.
func FieldErrors(e *core.RequestEvent, p *problem.Problem) []layout.FieldError {
	out := make([]layout.FieldError, 0, len(p.Fields))
	for _, f := range p.Fields {
		out = append(out, layout.FieldError{Field: f.Name, Message: T(e, f.Key, i18n.M(f.Args))})
	}
	return out
}

// ProblemMessage is the overall message of a Problem, translated.
func ProblemMessage(e *core.RequestEvent, p *problem.Problem) string {
	if p.Key == "" {
		return ""
	}
	return T(e, p.Key, i18n.M(p.Args))
}

// statusKeys maps HTTP statuses to member-friendly messages.
var statusKeys = map[int]string{
	http.StatusBadRequest:            "errors.bad_request",
	http.StatusUnauthorized:          "errors.unauthorized",
	http.StatusForbidden:             "errors.forbidden",
	http.StatusNotFound:              "errors.not_found",
	http.StatusMethodNotAllowed:      "errors.bad_request",
	http.StatusConflict:              "errors.bad_request",
	http.StatusRequestEntityTooLarge: "errors.too_large",
	http.StatusTooManyRequests:       "errors.too_many",
}

// pageErrors renders errors returned by page handlers (and by PocketBase's
// middlewares in front of them: rate limiter, body limit) as an error page.
// Internal errors are logged with their detail and shown as a plain 500.
func pageErrors() *hook.Handler[*core.RequestEvent] {
	return &hook.Handler[*core.RequestEvent]{
		Id:       "plazaPageErrors",
		Priority: -1035, // outermost but for the activity logger
		Func: func(e *core.RequestEvent) error {
			err := e.Next()
			if err == nil || e.Written() {
				return err
			}
			if p, ok := problem.As(err); ok {
				key := p.Key
				if key == "" {
					key = statusKeys[p.Status]
				}
				return Fail(e, p.Status, key)
			}
			var apiErr *router.ApiError
			if errors.As(err, &apiErr) && apiErr.Status < 500 {
				key, ok := statusKeys[apiErr.Status]
				if !ok {
					key = "errors.bad_request"
				}
				return Fail(e, apiErr.Status, key)
			}
			e.App.Logger().Error("page failed", "path", e.Request.URL.Path, "error", err.Error())
			return Fail(e, http.StatusInternalServerError, "errors.internal")
		},
	}
}

// APIError converts an operation's error for a JSON route: Problems become
// 4xx with translated messages; anything else a generic 500 whose detail
// goes to the log only.
func APIError(e *core.RequestEvent, err error) error {
	if p, ok := problem.As(err); ok {
		return Problem(e, p)
	}
	e.App.Logger().Error("api failed", "path", e.Request.URL.Path, "error", err.Error())
	return e.InternalServerError("", nil)
}
