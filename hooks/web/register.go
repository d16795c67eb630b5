package web

import (
	"io/fs"
	"net/http"
	"net/url"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
	"github.com/pocketbase/pocketbase/tools/router"

	"plaza/hooks/languages"
	"plaza/hooks/module"
)

// Register installs the shared middlewares (cross-origin protection, cookie
// sessions, language) on every route, and the static files, the language
// switch and the catch-all 404 page. Every request carries reg, the app's
// module registry (Registry).
func Register(app core.App, publicFS fs.FS, reg *module.Registry) error {
	if err := loadLocales(); err != nil {
		return err
	}
	registerFiles(app)
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		se.Router.Bind(registryMiddleware(reg), apiErrors(), crossOriginMiddleware(), sessionMiddleware(), langMiddleware(), textMiddleware(), fileHeaders())

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

const registryKey = "plaza.registry"

// registryMiddleware puts the app's module registry on every request.
func registryMiddleware(reg *module.Registry) *hook.Handler[*core.RequestEvent] {
	return &hook.Handler[*core.RequestEvent]{
		Id:       "plazaRegistry",
		Priority: -3000,
		Func: func(e *core.RequestEvent) error {
			e.Set(registryKey, reg)
			return e.Next()
		},
	}
}

// Registry is the module registry hooks.Register built (card types,
// badges, Discover entries, scan kinds…), as the request carries it.
func Registry(e *core.RequestEvent) *module.Registry {
	if reg, ok := e.Get(registryKey).(*module.Registry); ok {
		return reg
	}
	return module.New() // a request that bypassed the router: nothing registered
}

const badgesKey = "plaza.badges"

// Badges are the signed-in member's registered counts by place, counted
// once per request (the tab bar and the Discover list share them); nil
// for a guest.
func Badges(e *core.RequestEvent) map[string]int {
	m := Member(e)
	if m == nil {
		return nil
	}
	if b, ok := e.Get(badgesKey).(map[string]int); ok {
		return b
	}
	b := Registry(e).Badges(e.App, m.Id)
	e.Set(badgesKey, b)
	return b
}

// Pages returns a route group for HTML pages: errors come back as pages in
// the member's language instead of JSON.
func Pages(se *core.ServeEvent) *router.RouterGroup[*core.RequestEvent] {
	return se.Router.Group("").Bind(pageErrors())
}

// switchLanguage stores a guest's language choice and goes back.
func switchLanguage(e *core.RequestEvent) error {
	lang := languages.Supported(e.Request.FormValue("lang"))
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
