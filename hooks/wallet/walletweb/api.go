package walletweb

import (
	"net/http"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/problem"
	"plaza/hooks/settings"
	"plaza/hooks/wallet"
	"plaza/hooks/web"
)

// registerAPI adds the wallet's JSON API (docs/API.md). Every request that
// creates a payment carries an Idempotency-Key header and the pay PIN in
// the body; accepting, returning and claiming are idempotent by state.
// api are the wallet's JSON handlers.
type api struct{ w *wallet.Wallet }

func registerAPI(se *core.ServeEvent, a api) {
	api := se.Router.Group("/api/plaza/wallet").BindFunc(web.RequireMember)
	api.GET("", a.apiBalance)
	api.POST("/transfers", a.apiTransfer)
	api.GET("/transfers/{id}", a.apiTransferGet)
	api.POST("/transfers/{id}/accept", a.apiSettle(true))
	api.POST("/transfers/{id}/return", a.apiSettle(false))
	api.POST("/packets", a.apiPacket)
	api.GET("/packets/{id}", a.apiPacketGet)
	api.POST("/packets/{id}/claim", a.apiClaim)
	api.POST("/pay", a.apiPay)
	api.GET("/collect-link", a.apiCollectLink)
	api.POST("/collect-link/reset", a.apiResetCollect)

	admin := se.Router.Group("/api/plaza/admin/wallet").Bind(apis.RequireSuperuserAuth())
	admin.POST("/mint", a.apiMint)
	admin.GET("/verify", a.apiVerify)
}

func bodyOf[T any](e *core.RequestEvent) (T, error) {
	var in T
	if err := e.BindBody(&in); err != nil {
		return in, problem.New(http.StatusBadRequest, "errors.bad_request")
	}
	return in, nil
}

// keyedBody binds a payment's JSON body and its Idempotency-Key header.
func keyedBody[T any](e *core.RequestEvent) (T, string, error) {
	in, err := bodyOf[T](e)
	if err != nil {
		return in, "", err
	}
	key, err := idemKey(e)
	return in, key, err
}

// answer is the JSON answer of one operation: its result, or its refusal.
func answer[T any](e *core.RequestEvent, v T, err error) error {
	if err != nil {
		return web.APIError(e, err)
	}
	return e.JSON(http.StatusOK, v)
}

// idemKey is the request's Idempotency-Key header: missing is
// wallet.key_required, malformed wallet.key_invalid (a form's expired key
// is wallet.bad_key; an API client has no form to reload).
func idemKey(e *core.RequestEvent) (string, error) {
	key := e.Request.Header.Get("Idempotency-Key")
	switch {
	case key == "":
		return "", problem.New(http.StatusBadRequest, "wallet.key_required")
	case wallet.CheckKey(key) != nil:
		return "", problem.New(http.StatusBadRequest, "wallet.key_invalid")
	}
	return key, nil
}

func (a api) apiBalance(e *core.RequestEvent) error {
	b, err := wallet.Balance(e.App, e.Auth.Id)
	if err != nil {
		return web.APIError(e, err)
	}
	s := settings.Get(e.App)
	return e.JSON(http.StatusOK, map[string]any{"balance": b, "currency": s.CurrencyCode, "symbol": s.CurrencySymbol})
}

func (a api) apiTransfer(e *core.RequestEvent) error {
	in, key, err := keyedBody[struct {
		Conversation string `json:"conversation"`
		Amount       int64  `json:"amount"`
		Note         string `json:"note"`
		PIN          string `json:"pin"`
	}](e)
	if err != nil {
		return web.APIError(e, err)
	}
	t, err := a.w.SendTransfer(e.Auth.Id, key, wallet.TransferInput{Conversation: in.Conversation, Amount: in.Amount, Note: in.Note}, wallet.WithPIN(in.PIN))
	return answer(e, t, err)
}

func (a api) apiTransferGet(e *core.RequestEvent) error {
	t, err := a.w.TransferFor(e.Auth.Id, e.Request.PathValue("id"))
	return answer(e, t, err)
}

func (a api) apiSettle(accept bool) func(e *core.RequestEvent) error {
	settle := settleFunc(a.w, accept)
	return func(e *core.RequestEvent) error {
		t, err := settle(e.Auth.Id, e.Request.PathValue("id"))
		return answer(e, t, err)
	}
}

func (a api) apiPacket(e *core.RequestEvent) error {
	in, key, err := keyedBody[struct {
		wallet.PacketInput
		PIN string `json:"pin"`
	}](e)
	if err != nil {
		return web.APIError(e, err)
	}
	p, err := a.w.SendPacket(e.Auth.Id, key, in.PacketInput, wallet.WithPIN(in.PIN))
	return answer(e, p, err)
}

func (a api) apiPacketGet(e *core.RequestEvent) error {
	p, err := a.w.PacketFor(e.Auth.Id, e.Request.PathValue("id"))
	return answer(e, p, err)
}

func (a api) apiClaim(e *core.RequestEvent) error {
	c, err := a.w.ClaimPacket(e.Auth.Id, e.Request.PathValue("id"))
	return answer(e, c, err)
}

func (a api) apiPay(e *core.RequestEvent) error {
	in, key, err := keyedBody[struct {
		Link   string `json:"link"`
		Amount int64  `json:"amount"`
		Memo   string `json:"memo"`
		PIN    string `json:"pin"`
	}](e)
	var c wallet.Collect
	if err == nil {
		c, err = a.w.ParseCollect(in.Link, e.Request.Host)
	}
	if err != nil {
		return web.APIError(e, err)
	}
	r, err := a.w.Pay(e.Auth.Id, key, c, in.Amount, in.Memo, wallet.WithPIN(in.PIN))
	return answer(e, r, err)
}

// apiMint (superusers) issues credits, as `plaza wallet mint` does.
func (a api) apiMint(e *core.RequestEvent) error {
	in, err := bodyOf[struct {
		PlazaID string `json:"plaza_id"`
		Amount  int64  `json:"amount"`
		Note    string `json:"note"`
	}](e)
	if err != nil {
		return web.APIError(e, err)
	}
	if in.Amount <= 0 || in.Amount > wallet.MaxAmount {
		return web.APIError(e, problem.Invalid("amount", "wallet.amount_bad", nil))
	}
	r, err := wallet.Mint(e.App, in.PlazaID, in.Amount, in.Note)
	if err != nil {
		return web.APIError(e, problem.Invalid("plaza_id", "errors.not_found", nil))
	}
	return e.JSON(http.StatusOK, map[string]any{"mint": r.Id, "entry": r.GetString("entry")})
}

// apiVerify (superusers) runs the verifier: 200 when every invariant
// holds, 409 with the violations otherwise.
func (a api) apiVerify(e *core.RequestEvent) error {
	r, err := wallet.Verify(e.App)
	if err != nil {
		return web.APIError(e, err)
	}
	status := http.StatusOK
	if !r.OK() {
		status = http.StatusConflict
	}
	return e.JSON(status, r)
}
