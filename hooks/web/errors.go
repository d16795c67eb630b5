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
		return jsonError(e, status, problem.CodeForKey(key), msg, nil)
	}
	return errorPage(e, status, msg)
}

// jsonError writes a JSON error in PocketBase's shape plus a stable machine
// code: {"status", "code", "message", "data"}. The message is in the
// member's language; clients switch on code, never on message.
func jsonError(e *core.RequestEvent, status int, code, msg string, data map[string]any) error {
	if data == nil {
		data = map[string]any{}
	}
	return e.JSON(status, map[string]any{"status": status, "code": code, "message": msg, "data": data})
}

func isLocalised(e *core.RequestEvent) bool {
	return i18n.GetLocale(e.Request.Context()) != nil
}

// Problem answers with a problem.Problem as JSON: its code (Problem.Code),
// the message and the per-field codes and messages in PocketBase's error
// shape.
func Problem(e *core.RequestEvent, p *problem.Problem) error {
	if !isLocalised(e) {
		e.Request = e.Request.WithContext(WithLang(e.Request.Context(), RequestLang(e)))
	}
	data := map[string]any{}
	for _, f := range p.Fields {
		data[f.Name] = map[string]any{"code": problem.CodeForKey(f.Key), "message": T(e, f.Key, i18n.M(f.Args))}
	}
	msg := ""
	if p.Key != "" {
		msg = T(e, p.Key, i18n.M(p.Args))
	} else if len(p.Fields) > 0 {
		msg = T(e, "errors.check_fields")
	}
	return jsonError(e, p.Status, p.Code(), msg, data)
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
	http.StatusUnauthorized:          "auth.required",
	http.StatusForbidden:             "errors.forbidden",
	http.StatusNotFound:              "errors.not_found",
	http.StatusMethodNotAllowed:      "errors.bad_request",
	http.StatusConflict:              "errors.bad_request",
	http.StatusRequestEntityTooLarge: "errors.too_large",
	http.StatusTooManyRequests:       "errors.too_many",
	http.StatusServiceUnavailable:    "errors.unavailable",
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
// 4xx with their code and translated message; PocketBase's own errors
// (router.ApiError: bad JSON, missing auth, rate limits, body limits) get
// the generic code of their status; anything else is a 500 "internal"
// whose detail (stack, SQL) goes to the log only.
func APIError(e *core.RequestEvent, err error) error {
	if !isLocalised(e) {
		e.Request = e.Request.WithContext(WithLang(e.Request.Context(), RequestLang(e)))
	}
	if p, ok := problem.As(err); ok {
		return Problem(e, p)
	}
	var apiErr *router.ApiError
	if errors.As(err, &apiErr) && (apiErr.Status < 500 || apiErr.Status == http.StatusServiceUnavailable) {
		key, ok := statusKeys[apiErr.Status]
		if !ok {
			key = "errors.bad_request"
		}
		return jsonError(e, apiErr.Status, problem.CodeForStatus(apiErr.Status), T(e, key), nil)
	}
	e.App.Logger().Error("api failed", "path", e.Request.URL.Path, "error", err.Error())
	return jsonError(e, http.StatusInternalServerError, problem.CodeInternal, T(e, "errors.internal"), nil)
}

// PlazaAPI is the path prefix of Plaza's JSON routes.
const PlazaAPI = "/api/plaza/"

// isPlazaJSON reports whether a request's errors are answered as Plaza's
// JSON errors: its JSON routes and the socket's upgrade (GET /ws), whose
// refusals an API client reads too.
func isPlazaJSON(e *core.RequestEvent) bool {
	p := e.Request.URL.Path
	return strings.HasPrefix(p, PlazaAPI) || p == "/ws"
}

// apiErrors gives every error that reaches a Plaza JSON route's response
// (returned by a handler, or by PocketBase's middlewares in front of it:
// rate limiter, body limit, auth checks, panics, the catch-all 404), and
// GET /ws's refusals, the JSON shape with a code, as APIError does.
// PocketBase's own /api routes keep PocketBase's answers.
func apiErrors() *hook.Handler[*core.RequestEvent] {
	return &hook.Handler[*core.RequestEvent]{
		Id:       "plazaAPIErrors",
		Priority: -1035, // outermost but for the activity logger, like pageErrors
		Func: func(e *core.RequestEvent) error {
			if !isPlazaJSON(e) {
				return e.Next()
			}
			err := e.Next()
			if err == nil || e.Written() {
				return err
			}
			return APIError(e, err)
		},
	}
}
