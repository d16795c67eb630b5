package wallet

import (
	"net/http"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/problem"
	"plaza/hooks/settings"
	"plaza/hooks/web"
)

// registerAPI adds the wallet's JSON API (docs/API.md). Every request that
// creates a payment carries an Idempotency-Key header and the pay PIN in
// the body; accepting, returning and claiming are idempotent by state.
func registerAPI(se *core.ServeEvent, w *Wallet) {
	api := se.Router.Group("/api/plaza/wallet").BindFunc(web.RequireMember)
	api.GET("", w.apiBalance)
	api.POST("/transfers", w.apiTransfer)
	api.GET("/transfers/{id}", w.apiTransferGet)
	api.POST("/transfers/{id}/accept", w.apiSettle(true))
	api.POST("/transfers/{id}/return", w.apiSettle(false))
	api.POST("/packets", w.apiPacket)
	api.GET("/packets/{id}", w.apiPacketGet)
	api.POST("/packets/{id}/claim", w.apiClaim)
	api.POST("/pay", w.apiPay)
	api.GET("/collect-link", w.apiCollectLink)
	api.POST("/collect-link/reset", w.apiResetCollect)

	admin := se.Router.Group("/api/plaza/admin/wallet").Bind(apis.RequireSuperuserAuth())
	admin.POST("/mint", w.apiMint)
	admin.GET("/verify", w.apiVerify)
}

func bodyOf[T any](e *core.RequestEvent) (T, error) {
	var in T
	if err := e.BindBody(&in); err != nil {
		return in, problem.New(http.StatusBadRequest, "errors.bad_request")
	}
	return in, nil
}

// idemKey is the request's Idempotency-Key header: missing is
// wallet.key_required, malformed wallet.key_invalid (a form's expired key
// is wallet.bad_key; an API client has no form to reload).
func idemKey(e *core.RequestEvent) (string, error) {
	key := e.Request.Header.Get("Idempotency-Key")
	switch {
	case key == "":
		return "", problem.New(http.StatusBadRequest, "wallet.key_required")
	case CheckKey(key) != nil:
		return "", problem.New(http.StatusBadRequest, "wallet.key_invalid")
	}
	return key, nil
}

func (w *Wallet) apiBalance(e *core.RequestEvent) error {
	b, err := Balance(w.app, e.Auth.Id)
	if err != nil {
		return web.APIError(e, err)
	}
	s := settings.Get(w.app)
	return e.JSON(http.StatusOK, map[string]any{"balance": b, "currency": s.CurrencyCode, "symbol": s.CurrencySymbol})
}

func (w *Wallet) apiTransfer(e *core.RequestEvent) error {
	in, err := bodyOf[struct {
		Conversation string `json:"conversation"`
		Amount       int64  `json:"amount"`
		Note         string `json:"note"`
		PIN          string `json:"pin"`
	}](e)
	var key string
	if err == nil {
		key, err = idemKey(e)
	}
	if err != nil {
		return web.APIError(e, err)
	}
	t, err := w.SendTransfer(e.Auth.Id, key, TransferInput{Conversation: in.Conversation, Amount: in.Amount, Note: in.Note}, WithPIN(in.PIN))
	if err != nil {
		return web.APIError(e, err)
	}
	return e.JSON(http.StatusOK, t)
}

func (w *Wallet) apiTransferGet(e *core.RequestEvent) error {
	t, err := w.TransferFor(e.Auth.Id, e.Request.PathValue("id"))
	if err != nil {
		return web.APIError(e, err)
	}
	return e.JSON(http.StatusOK, t)
}

func (w *Wallet) apiSettle(accept bool) func(e *core.RequestEvent) error {
	return func(e *core.RequestEvent) error {
		var t Transfer
		var err error
		if accept {
			t, err = w.AcceptTransfer(e.Auth.Id, e.Request.PathValue("id"))
		} else {
			t, err = w.ReturnTransfer(e.Auth.Id, e.Request.PathValue("id"))
		}
		if err != nil {
			return web.APIError(e, err)
		}
		return e.JSON(http.StatusOK, t)
	}
}

func (w *Wallet) apiPacket(e *core.RequestEvent) error {
	in, err := bodyOf[struct {
		PacketInput
		PIN string `json:"pin"`
	}](e)
	var key string
	if err == nil {
		key, err = idemKey(e)
	}
	if err != nil {
		return web.APIError(e, err)
	}
	p, err := w.SendPacket(e.Auth.Id, key, in.PacketInput, WithPIN(in.PIN))
	if err != nil {
		return web.APIError(e, err)
	}
	return e.JSON(http.StatusOK, p)
}

func (w *Wallet) apiPacketGet(e *core.RequestEvent) error {
	p, err := w.PacketFor(e.Auth.Id, e.Request.PathValue("id"))
	if err != nil {
		return web.APIError(e, err)
	}
	return e.JSON(http.StatusOK, p)
}

func (w *Wallet) apiClaim(e *core.RequestEvent) error {
	c, err := w.ClaimPacket(e.Auth.Id, e.Request.PathValue("id"))
	if err != nil {
		return web.APIError(e, err)
	}
	return e.JSON(http.StatusOK, c)
}

func (w *Wallet) apiPay(e *core.RequestEvent) error {
	in, err := bodyOf[struct {
		Link   string `json:"link"`
		Amount int64  `json:"amount"`
		Memo   string `json:"memo"`
		PIN    string `json:"pin"`
	}](e)
	var c Collect
	var key string
	if err == nil {
		key, err = idemKey(e)
	}
	if err == nil {
		c, err = w.ParseCollect(in.Link, e.Request.Host)
	}
	if err != nil {
		return web.APIError(e, err)
	}
	r, err := w.Pay(e.Auth.Id, key, c, in.Amount, in.Memo, WithPIN(in.PIN))
	if err != nil {
		return web.APIError(e, err)
	}
	return e.JSON(http.StatusOK, r)
}

// apiMint (superusers) issues credits, as `plaza wallet mint` does.
func (w *Wallet) apiMint(e *core.RequestEvent) error {
	in, err := bodyOf[struct {
		PlazaID string `json:"plaza_id"`
		Amount  int64  `json:"amount"`
		Note    string `json:"note"`
	}](e)
	if err != nil {
		return web.APIError(e, err)
	}
	if in.Amount <= 0 || in.Amount > MaxAmount {
		return web.APIError(e, problem.Invalid("amount", "wallet.amount_bad", nil))
	}
	r, err := Mint(w.app, in.PlazaID, in.Amount, in.Note)
	if err != nil {
		return web.APIError(e, problem.Invalid("plaza_id", "errors.not_found", nil))
	}
	return e.JSON(http.StatusOK, map[string]any{"mint": r.Id, "entry": r.GetString("entry")})
}

// apiVerify (superusers) runs the verifier: 200 when every invariant
// holds, 409 with the violations otherwise.
func (w *Wallet) apiVerify(e *core.RequestEvent) error {
	r, err := Verify(w.app)
	if err != nil {
		return web.APIError(e, err)
	}
	status := http.StatusOK
	if !r.OK() {
		status = http.StatusConflict
	}
	return e.JSON(status, r)
}
