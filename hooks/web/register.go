package web

import (
	"io/fs"
	"net/http"
	"net/url"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"
)

// Register installs the shared middlewares (cross-origin protection, cookie
// sessions, language) on every route, and the static files, the language
// switch and the catch-all 404 page.
func Register(app core.App, publicFS fs.FS) error {
	if err := loadLocales(); err != nil {
		return err
	}
	registerFiles(app)
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		se.Router.Bind(apiErrors(), crossOriginMiddleware(), sessionMiddleware(), langMiddleware(), textMiddleware(), fileHeaders())

		se.Router.GET("/public/{path...}", staticHandler(publicFS))

		pages := Pages(se)
		pages.POST("/lang", switchLanguage)
		pages.GET("/{path...}", func(e *core.RequestEvent) error {
			return Fail(e, http.StatusNotFound, "errors.not_found")
		})
		return se.Next()
	})
	return nil
}

// Pages returns a route group for HTML pages: errors come back as pages in
// the member's language instead of JSON.
func Pages(se *core.ServeEvent) *router.RouterGroup[*core.RequestEvent] {
	return se.Router.Group("").Bind(pageErrors())
}

// switchLanguage stores a guest's language choice and goes back.
func switchLanguage(e *core.RequestEvent) error {
	lang := SupportedLang(e.Request.FormValue("lang"))
	if lang == "" {
		return Fail(e, http.StatusBadRequest, "errors.bad_request")
	}
	SetGuestLang(e, lang)
	back := "/"
	if ref, err := url.Parse(e.Request.Referer()); err == nil && ref.Host == e.Request.Host {
		back = SafeNext(ref.RequestURI(), "/")
	}
	return Redirect(e, back)
}
