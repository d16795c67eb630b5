// Package walletweb is the wallet's HTTP side: its pages (home, PIN,
// transfers, red packets, collect codes, AA, withdrawals, bills) and its
// JSON API. Each handler binds the request, calls one wallet operation and
// renders a page or answers JSON; the rules live in plaza/hooks/wallet.
package walletweb

import (
	"crypto/rand"
	"encoding/base32"
	"net/http"
	"net/url"
	"strings"

	"github.com/a-h/templ"
	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/accounts/accountsweb"
	"plaza/hooks/problem"
	"plaza/hooks/wallet"
	"plaza/hooks/web"
	"plaza/views/layout"
	views "plaza/views/wallet"
)

// pages are the wallet's HTML handlers; they share the wallet they call.
type pages struct{ w *wallet.Wallet }

// Register installs the wallet's pages and JSON routes on w.
func Register(app core.App, w *wallet.Wallet) {
	h := pages{w: w}
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		pg := web.Pages(se).BindFunc(web.RequireMember)
		pg.GET("/wallet", h.homePage)
		pg.POST("/wallet/voucher", h.redeem)
		pg.GET("/wallet/pin", h.pinPage)
		pg.POST("/wallet/pin", h.savePIN)
		pg.GET("/wallet/transfer", showForm(h, "wallet.send_transfer", h.transferForm, views.TransferPage))
		pg.POST("/wallet/transfer", h.sendTransfer)
		pg.GET("/wallet/transfers/{id}", h.transferDetail)
		pg.POST("/wallet/transfers/{id}/accept", h.settle(true))
		pg.POST("/wallet/transfers/{id}/return", h.settle(false))
		pg.GET("/wallet/packet", showForm(h, "wallet.send_packet", h.packetForm, views.PacketPage))
		pg.POST("/wallet/packet", h.sendPacket)
		pg.GET("/wallet/packets/{id}", h.packetDetail)
		pg.POST("/wallet/packets/{id}/open", h.openPacket)
		pg.GET("/wallet/collect", h.collectPage)
		pg.GET("/wallet/collect.png", h.collectQR)
		pg.POST("/wallet/collect/reset", h.resetCollect)
		pg.GET("/pay/{payee}", h.payPage)
		pg.POST("/wallet/pay", h.pay)
		pg.GET("/wallet/aa", showForm(h, "wallet.aa_new", h.aaForm, views.AAPage))
		pg.POST("/wallet/aa", h.startAA)
		pg.GET("/wallet/aa/{id}", h.aaDetail)
		pg.POST("/wallet/aa/{id}/pay", h.payAA)
		pg.GET("/wallet/withdraw", h.withdrawPage)
		pg.POST("/wallet/withdraw", h.withdraw)
		pg.GET("/wallet/bills", h.billsPage)
		pg.GET("/wallet/bills.csv", h.billsCSV)
		pg.GET("/wallet/bills/{entry}", h.billPage)
		registerAPI(se, api{w: w})
		return se.Next()
	})
}

// showForm is the page of a form: form fills it from the request, view
// shows it under the title titleKey names.
func showForm[F any](h pages, titleKey string, form func(*core.RequestEvent) (F, error), view func(F) templ.Component) func(*core.RequestEvent) error {
	return func(e *core.RequestEvent) error {
		f, err := form(e)
		if err != nil {
			return err
		}
		return h.render(e, http.StatusOK, web.T(e, titleKey), view(f))
	}
}

// newKey makes a random idempotency key for a form.
func newKey() string {
	b := make([]byte, 15)
	// crypto/rand.Read never fails (it crashes the program instead).
	_, _ = rand.Read(b)
	return strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b))
}

// formKey is the form's idempotency key, or a new one when it has none
// (or one no longer valid).
func formKey(key string) string {
	if key == "" || wallet.CheckKey(key) != nil {
		return newKey()
	}
	return key
}

func (h pages) render(e *core.RequestEvent, status int, title string, c templ.Component) error {
	shell := accountsweb.ShellFor(e, title, layout.TabMe, layout.FocusDetail, "/wallet")
	return web.Render(e, status, layout.AppShell(shell, accountsweb.MenuFor(e, "wallet"), c))
}

// formProblem splits a refusal into a flash line and field messages; PIN
// problems belong to the PIN field.
func formProblem(e *core.RequestEvent, err error) (int, layout.Flash, []layout.FieldError, error) {
	p, ok := problem.As(err)
	if !ok {
		return 0, layout.Flash{}, nil, err
	}
	errs := web.FieldErrors(e, p)
	flash := layout.Flash{Kind: "error", Message: web.ProblemMessage(e, p)}
	if strings.HasPrefix(p.Key, "wallet.pin_") || p.Key == "wallet.no_pin" {
		errs = append(errs, layout.FieldError{Field: "pin", Message: flash.Message})
	}
	if flash.Message == "" {
		flash.Message = web.T(e, "errors.check_fields")
	}
	return p.Status, flash, errs, nil
}

// payFields are the parts every payment form shares: its key, whether the
// member has a PIN yet (else the form sends them to set one) and the way back.
func (h pages) payFields(e *core.RequestEvent, key string) views.PayFields {
	has, _ := h.w.HasPIN(e.Auth.Id) // display only: a failed read offers to set a PIN, which then reports it
	return views.PayFields{Key: formKey(key), HasPIN: has, Here: url.QueryEscape(e.Request.URL.RequestURI()), Symbol: h.w.Symbol()}
}

func (h pages) balanceText(e *core.RequestEvent) string {
	b, _ := wallet.Balance(e.App, e.Auth.Id) // display only: the payment itself checks the balance
	return h.w.Money(b)
}

// refuseForm shows a form again with the refusal err in it, at the
// refusal's status; an error that is no refusal fails the request.
func (h pages) refuseForm(e *core.RequestEvent, err error, title string, page func(layout.Flash, []layout.FieldError) templ.Component) error {
	status, flash, errs, err := formProblem(e, err)
	if err != nil {
		return err
	}
	return h.render(e, status, title, page(flash, errs))
}
