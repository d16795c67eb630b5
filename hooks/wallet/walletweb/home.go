package walletweb

import (
	"net/http"
	"time"

	"github.com/a-h/templ"
	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/problem"
	"plaza/hooks/wallet"
	"plaza/hooks/web"
	"plaza/views/layout"
	views "plaza/views/wallet"
)

// The wallet's home (balance, vouchers, withdrawals) and its PIN page.

func (h pages) homeView(e *core.RequestEvent) (views.Home, error) {
	has, _ := h.w.HasPIN(e.Auth.Id) // display only: a failed read offers to set a PIN, which then reports it
	home := views.Home{Balance: h.balanceText(e), HasPIN: has, Key: newKey()}
	if until, _ := h.w.LockedUntil(e.Auth.Id); !until.IsZero() { // display only: payments check the lock themselves
		home.Locked = until.UTC().Format(time.RFC3339) // shown in the member's time zone
	}
	ws, err := h.w.Withdrawals(e.Auth.Id)
	if err != nil {
		return home, err
	}
	for _, x := range ws {
		home.Withdraws = append(home.Withdraws, views.Withdrawal{Amount: h.w.Money(x.Amount), State: web.T(e, "wallet.withdraw_"+x.State), At: x.Created})
	}
	switch e.Request.URL.Query().Get("ok") {
	case "voucher":
		home.Flash = layout.Flash{Kind: "ok", Message: web.T(e, "wallet.voucher_ok")}
	case "pin":
		home.Flash = layout.Flash{Kind: "ok", Message: web.T(e, "wallet.pin_saved")}
	case "withdraw":
		home.Flash = layout.Flash{Kind: "ok", Message: web.T(e, "wallet.withdraw_ok")}
	}
	return home, nil
}

func (h pages) homePage(e *core.RequestEvent) error {
	home, err := h.homeView(e)
	if err != nil {
		return err
	}
	return h.render(e, http.StatusOK, web.T(e, "wallet.title"), views.HomePage(home))
}

func (h pages) redeem(e *core.RequestEvent) error {
	code := e.Request.FormValue("code")
	_, err := h.w.RedeemVoucher(e.Auth.Id, e.Request.FormValue("key"), code)
	if err == nil {
		return web.Redirect(e, "/wallet?ok=voucher")
	}
	status, flash, errs, err := formProblem(e, err)
	if err != nil {
		return err
	}
	home, err := h.homeView(e)
	if err != nil {
		return err
	}
	home.Code, home.Errors, home.Flash, home.Key = code, errs, flash, e.Request.FormValue("key")
	return h.render(e, status, web.T(e, "wallet.title"), views.HomePage(home))
}

func (h pages) pinPage(e *core.RequestEvent) error {
	has, err := h.w.HasPIN(e.Auth.Id)
	if err != nil {
		return err
	}
	return h.render(e, http.StatusOK, web.T(e, "wallet.pin_title"), views.PINPage(views.PINForm{Change: has, Next: e.Request.URL.Query().Get("next")}))
}

func (h pages) savePIN(e *core.RequestEvent) error {
	has, err := h.w.HasPIN(e.Auth.Id)
	if err != nil {
		return err
	}
	next := web.SafeNext(e.Request.FormValue("next"), "")
	err = h.w.SavePIN(e.Auth.Id, wallet.PINForm{New: e.Request.FormValue("new_pin"), Confirm: e.Request.FormValue("confirm"),
		Old: e.Request.FormValue("old_pin"), Password: e.Request.FormValue("password")})
	if err == nil {
		if next != "" {
			return web.Redirect(e, next)
		}
		return web.Redirect(e, "/wallet?ok=pin")
	}
	status, flash, errs, err := formProblem(e, err)
	if err != nil {
		return err
	}
	f := views.PINForm{Change: has, Next: next, Flash: flash, Errors: errs}
	return h.render(e, status, web.T(e, "wallet.pin_title"), views.PINPage(f))
}

// --- withdrawals ---------------------------------------------------------

func (h pages) withdrawPage(e *core.RequestEvent) error {
	f := views.WithdrawForm{PayFields: h.payFields(e, ""), Balance: h.balanceText(e)}
	return h.render(e, http.StatusOK, web.T(e, "wallet.withdraw"), views.WithdrawPage(f))
}

func (h pages) withdraw(e *core.RequestEvent) error {
	f := views.WithdrawForm{PayFields: h.payFields(e, e.Request.FormValue("key")), Balance: h.balanceText(e),
		Amount: e.Request.FormValue("amount"), Details: e.Request.FormValue("details")}
	amount, err := parseAmount("amount", f.Amount)
	if err == nil {
		_, err = h.w.RequestWithdrawal(e.Auth.Id, f.Key, amount, f.Details, wallet.WithPIN(e.Request.FormValue("pin")))
	}
	if err == nil {
		return web.Redirect(e, "/wallet?ok=withdraw")
	}
	return h.refuseForm(e, err, web.T(e, "wallet.withdraw"), func(flash layout.Flash, errs []layout.FieldError) templ.Component {
		f.Flash, f.Errors = flash, errs
		return views.WithdrawPage(f)
	})
}

// parseAmount reads a typed amount; a malformed one is field's problem.
func parseAmount(field, s string) (int64, error) {
	cents, err := wallet.ParseAmount(s)
	if err != nil {
		return 0, problem.Invalid(field, "wallet.amount_bad", nil)
	}
	return cents, nil
}
