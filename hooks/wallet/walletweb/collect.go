package walletweb

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/a-h/templ"
	"github.com/pocketbase/pocketbase/core"
	qrcode "github.com/skip2/go-qrcode"

	"plaza/hooks/accounts"
	"plaza/hooks/problem"
	"plaza/hooks/wallet"
	"plaza/hooks/web"
	"plaza/views/layout"
	views "plaza/views/wallet"
)

// Collect codes (Receive money, its QR code) and paying one.

func (h pages) collectPage(e *core.RequestEvent) error {
	me := accounts.AsMember(e.Auth)
	v := views.CollectView{QR: "/wallet/collect.png", Name: me.DisplayName(), AvatarURL: me.AvatarURL("96x96"), Initial: me.Initial()}
	if a := strings.TrimSpace(e.Request.URL.Query().Get("a")); a != "" {
		cents, err := wallet.ParseAmount(a)
		if err != nil {
			v.Errors = []layout.FieldError{{Field: "a", Message: web.T(e, "wallet.amount_bad")}}
		} else {
			v.QR += "?a=" + strconv.FormatInt(cents, 10)
			v.Amount = h.w.Money(cents)
		}
	}
	status := http.StatusOK
	if len(v.Errors) > 0 {
		status = http.StatusBadRequest
	}
	return h.render(e, status, web.T(e, "wallet.receive"), views.CollectPage(v))
}

// centsParam reads an amount in cents from the query (0 when absent); a
// malformed one is field's problem.
func centsParam(e *core.RequestEvent, name, field string) (int64, error) {
	a := e.Request.URL.Query().Get(name)
	if a == "" {
		return 0, nil
	}
	cents, err := strconv.ParseInt(a, 10, 64)
	if err != nil || cents <= 0 || cents > wallet.MaxAmount {
		if field == "" {
			return 0, problem.New(http.StatusBadRequest, "wallet.amount_bad")
		}
		return 0, problem.Invalid(field, "wallet.amount_bad", nil)
	}
	return cents, nil
}

func (h pages) collectQR(e *core.RequestEvent) error {
	cents, err := centsParam(e, "a", "")
	if err != nil {
		return err
	}
	path, err := h.w.CollectLink(e.Auth.Id, cents)
	if err != nil {
		return err
	}
	png, err := qrcode.Encode(web.SiteURL(e.App, path), qrcode.Medium, 512)
	if err != nil {
		return fmt.Errorf("collect qr: %w", err)
	}
	e.Response.Header().Set("Cache-Control", "private, no-store")
	return e.Blob(http.StatusOK, "image/png", png)
}

func (h pages) resetCollect(e *core.RequestEvent) error {
	if err := h.w.ResetCollect(e.Auth.Id); err != nil {
		return err
	}
	return web.Redirect(e, "/wallet/collect")
}

func (h pages) payForm(e *core.RequestEvent, link string) (views.PayForm, wallet.Collect, error) {
	c, err := h.w.ParseCollect(link, e.Request.Host)
	if err != nil {
		return views.PayForm{}, c, err
	}
	m := accounts.AsMember(c.Payee)
	f := views.PayForm{PayFields: h.payFields(e, e.Request.FormValue("key")), Payee: m.DisplayName(), PayeeID: m.PlazaID(),
		AvatarURL: m.AvatarURL("96x96"), Initial: m.Initial(), Link: link, Balance: h.balanceText(e)}
	f.Here = url.QueryEscape(link)
	if c.Amount > 0 {
		f.Fixed = h.w.Money(c.Amount)
	}
	return f, c, nil
}

func (h pages) payPage(e *core.RequestEvent) error {
	f, _, err := h.payForm(e, e.Request.URL.RequestURI())
	if p, ok := problem.As(err); ok {
		return web.Fail(e, p.Status, p.Key)
	}
	if err != nil {
		return err
	}
	return h.render(e, http.StatusOK, web.T(e, "wallet.pay_title"), views.PayPage(f))
}

func (h pages) pay(e *core.RequestEvent) error {
	f, c, err := h.payForm(e, e.Request.FormValue("link"))
	if p, ok := problem.As(err); ok {
		return web.Fail(e, p.Status, p.Key)
	}
	if err != nil {
		return err
	}
	f.Amount, f.Memo = e.Request.FormValue("amount"), e.Request.FormValue("memo")
	var amount int64
	if c.Amount == 0 {
		amount, err = parseAmount("amount", f.Amount)
	}
	if err == nil {
		var r wallet.Receipt
		if r, err = h.w.Pay(e.Auth.Id, f.Key, c, amount, f.Memo, wallet.WithPIN(e.Request.FormValue("pin"))); err == nil {
			return web.Redirect(e, "/wallet/bills/"+r.Entry+"?paid=1")
		}
	}
	return h.refuseForm(e, err, web.T(e, "wallet.pay_title"), func(flash layout.Flash, errs []layout.FieldError) templ.Component {
		f.Flash, f.Errors = flash, errs
		return views.PayPage(f)
	})
}
