// Package mpdemoweb is the HTTP side of the demo mini programs' servers
// (hooks/demo/mpdemo): the JSON the Corner Café's and the Community
// Poll's bundles call from their sandboxed frames, under /mp-demo/, and
// the in-process client those servers reach Plaza's server API with.
//
// A bundle's frame has an opaque origin: every answer allows any origin
// (Access-Control-Allow-Origin: *) without credentials, preflights are
// answered, and nothing here reads a cookie (web.Cookieless strips them
// and Authorization from /mp-demo/ before any handler runs).
package mpdemoweb

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/demo/mpdemo"
)

// bodyMax bounds a request body.
const bodyMax = 16 << 10

// handlers hold the demo servers.
type handlers struct {
	srv *mpdemo.Servers
}

// Register installs the demo servers' routes and, once the server is
// built, hands their client this server's handler.
func Register(app core.App) {
	transport := &handlerTransport{}
	h := handlers{srv: mpdemo.New(app, &http.Client{Transport: transport, Timeout: 15 * time.Second})}
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		g := se.Router.Group("/mp-demo").BindFunc(cors)
		g.OPTIONS("/{path...}", preflight)
		g.GET("/coffee/api/menu", h.menu)
		g.POST("/coffee/api/session", h.session)
		g.POST("/coffee/api/orders", h.order)
		g.POST("/coffee/api/orders/{no}/confirm", h.confirm)
		g.POST("/coffee/api/webhook", h.webhook)
		g.GET("/poll/api/results", h.results)
		g.POST("/poll/api/vote", h.vote)
		g.POST("/poll/api/me", h.me)
		if err := se.Next(); err != nil {
			return err
		}
		if se.Server != nil && se.Server.Handler != nil {
			transport.set(se.Server.Handler)
		} else { // tests build the handler without a server: build it alike on first use
			transport.setBuilder(se.Router.BuildMux)
		}
		return nil
	})
}

// cors lets the bundles' opaque origin read every answer, never with
// credentials.
func cors(e *core.RequestEvent) error {
	hd := e.Response.Header()
	hd.Set("Access-Control-Allow-Origin", "*")
	hd.Set("Cache-Control", "no-store")
	hd.Set("X-Content-Type-Options", "nosniff")
	return e.Next()
}

// preflight answers a browser's OPTIONS before a JSON POST.
func preflight(e *core.RequestEvent) error {
	hd := e.Response.Header()
	hd.Set("Access-Control-Allow-Methods", "GET, POST")
	hd.Set("Access-Control-Allow-Headers", "Content-Type, Accept")
	hd.Set("Access-Control-Max-Age", "600")
	return e.NoContent(http.StatusNoContent)
}

// bind reads a JSON body into dst (at most bodyMax bytes).
func bind(e *core.RequestEvent, dst any) error {
	data, err := io.ReadAll(io.LimitReader(e.Request.Body, bodyMax+1))
	if err != nil || len(data) > bodyMax || json.Unmarshal(data, dst) != nil {
		return &mpdemo.Error{Status: http.StatusBadRequest, Code: "demo.bad_request", Message: "The request is not valid JSON.", Data: map[string]any{}}
	}
	return nil
}

// answer writes v, or err as {status, code, message, data}; an error that
// is not a demo server's refusal is logged and answered 502 (Plaza's API
// failed) or 500.
func answer(e *core.RequestEvent, v any, err error) error {
	if err == nil {
		return e.JSON(http.StatusOK, v)
	}
	var refusal *mpdemo.Error
	if !errors.As(err, &refusal) {
		e.App.Logger().Error("mpdemo: request failed", "path", e.Request.URL.Path, "error", err.Error())
		refusal = &mpdemo.Error{Status: http.StatusBadGateway, Code: "demo.plaza_failed", Message: "Plaza's server API did not answer as expected.", Data: map[string]any{}}
	}
	return e.JSON(refusal.Status, refusal)
}
