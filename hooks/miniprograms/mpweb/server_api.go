package mpweb

import (
	"encoding/json"
	"io"
	"net/http"

	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/miniprograms"
	"plaza/hooks/problem"
	"plaza/hooks/web"
)

// The server API (docs/MINIPROGRAMS.md, "Server API"): what an app's own
// server calls, every request signed with its AppSecret, a timestamp and
// a one-time nonce (miniprograms.Authenticate). No member session: an
// app's server acts only for its own app.

// serverBodyMax bounds a server API body.
const serverBodyMax = 16 << 10

// registerServerAPI adds the routes under /api/plaza/mp/server.
func (h handlers) registerServerAPI(se *core.ServeEvent) {
	api := se.Router.Group("/api/plaza/mp/server")
	api.POST("/login", h.signed(h.serverLogin))
	api.POST("/orders", h.signed(h.serverCreateOrder))
	api.GET("/orders/{order}", h.signed(h.serverOrder))
	api.POST("/orders/{order}/refund", h.signed(h.serverRefund))
}

// signed reads the body, checks the signature and hands the handler the
// caller's app and body.
func (h handlers) signed(next func(e *core.RequestEvent, a miniprograms.App, body []byte) error) func(e *core.RequestEvent) error {
	return func(e *core.RequestEvent) error {
		body, err := io.ReadAll(io.LimitReader(e.Request.Body, serverBodyMax+1))
		if err != nil || len(body) > serverBodyMax {
			return web.APIError(e, problem.New(http.StatusRequestEntityTooLarge, "errors.bad_request"))
		}
		hd := e.Request.Header
		a, err := h.mp.Authenticate(miniprograms.Signed{AppID: hd.Get("X-Plaza-AppId"), Timestamp: hd.Get("X-Plaza-Timestamp"),
			Nonce: hd.Get("X-Plaza-Nonce"), Signature: hd.Get("X-Plaza-Signature"), Method: e.Request.Method,
			Path: e.Request.URL.RequestURI(), Body: body})
		if err != nil {
			return web.APIError(e, err)
		}
		return next(e, a, body)
	}
}

// decode reads a signed body as JSON.
func decode(body []byte, dst any) error {
	if err := json.Unmarshal(body, dst); err != nil {
		return problem.New(http.StatusBadRequest, "errors.bad_request")
	}
	return nil
}

// serverLogin exchanges a login code for the member's openid and unionid.
func (h handlers) serverLogin(e *core.RequestEvent, a miniprograms.App, body []byte) error {
	var in struct {
		Code string `json:"code"`
	}
	if err := decode(body, &in); err != nil {
		return web.APIError(e, err)
	}
	s, err := h.mp.Exchange(a, in.Code)
	if err != nil {
		return web.APIError(e, err)
	}
	return e.JSON(http.StatusOK, s)
}

func (h handlers) serverCreateOrder(e *core.RequestEvent, a miniprograms.App, body []byte) error {
	var in miniprograms.OrderInput
	if err := decode(body, &in); err != nil {
		return web.APIError(e, err)
	}
	o, err := h.mp.CreateOrder(a, in)
	if err != nil {
		return web.APIError(e, err)
	}
	return e.JSON(http.StatusOK, o)
}

func (h handlers) serverOrder(e *core.RequestEvent, a miniprograms.App, _ []byte) error {
	o, err := h.mp.ServerOrder(a, e.Request.PathValue("order"))
	if err != nil {
		return web.APIError(e, err)
	}
	return e.JSON(http.StatusOK, o)
}

func (h handlers) serverRefund(e *core.RequestEvent, a miniprograms.App, body []byte) error {
	var in struct {
		Amount int64 `json:"amount"`
	}
	if err := decode(body, &in); err != nil {
		return web.APIError(e, err)
	}
	o, err := h.mp.RefundOrder(a, e.Request.PathValue("order"), in.Amount)
	if err != nil {
		return web.APIError(e, err)
	}
	return e.JSON(http.StatusOK, o)
}
