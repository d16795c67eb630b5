package mpweb

import (
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"plaza/hooks/miniprograms"
	"plaza/hooks/problem"
	"plaza/hooks/wallet"
	"plaza/hooks/web"
	"plaza/views/charts"
	"plaza/views/layout"
	views "plaza/views/mp"
)

// An app's console (/developer/{appid}): the overview, the versions and
// their actions, a new version, the stats, the balance and the orders.
// A refused form shows the console again with the refusal at the top and
// beside its field; a done one redirects with ?done= (the page says so).

// devConsolePage is GET /developer/{appid}.
func (h handlers) devConsolePage(e *core.RequestEvent) error {
	a, err := h.mp.Own(memberOf(e), appidOf(e))
	if err != nil {
		return err
	}
	v, err := h.devConsoleModel(e, a)
	if err != nil {
		return err
	}
	v.Flash = devFlash(e, "saved", "uploaded", "withdrawn", "released", "rollback", "payout", "refund")
	return devScreen(e, http.StatusOK, a.Name, "/developer", views.DevConsoleView(v))
}

// devConsoleRefused shows the console with refusal p (the form's values
// kept in v's Upload and Payout by keep).
func (h handlers) devConsoleRefused(e *core.RequestEvent, err error, keep func(v *views.DevConsole)) error {
	p := devRefusal(err)
	if p == nil {
		return err
	}
	a, aerr := h.mp.Own(memberOf(e), appidOf(e))
	if aerr != nil {
		return aerr
	}
	v, merr := h.devConsoleModel(e, a)
	if merr != nil {
		return merr
	}
	v.Flash = layout.Flash{Kind: "error", Message: devRefusalText(e, p)}
	v.Errors = web.FieldErrors(e, p)
	if keep != nil {
		keep(&v)
	}
	return devScreen(e, p.Status, a.Name, "/developer", views.DevConsoleView(v))
}

// devConsoleModel is the console of the developer's app a.
func (h handlers) devConsoleModel(e *core.RequestEvent, a miniprograms.App) (views.DevConsole, error) {
	me, base, w := memberOf(e), devBase(a.AppID), h.mp.Wallet()
	v := views.DevConsole{AppID: a.AppID, Name: a.Name, Category: web.T(e, "mp.category_"+a.Category), Suspended: a.Suspended,
		Base: base, Days: devStatsDays}
	if a.Icon != "" {
		v.IconURL = miniprograms.IconURL(a.AppID)
	}
	versions, err := h.mp.Versions(me, a.AppID)
	if err != nil {
		return v, err
	}
	for _, ver := range versions {
		v.Versions = append(v.Versions, devVersionRow(e, a.AppID, ver))
		if ver.Released {
			v.LiveVersion = ver.Version
		}
	}
	v.CanRollback = a.Previous != ""
	days, err := h.mp.Stats(me, a.AppID, devStatsDays)
	if err != nil {
		return v, err
	}
	h.devCharts(e, &v, days)
	balance, err := h.mp.Balance(me, a.AppID)
	if err != nil {
		return v, err
	}
	v.Balance = w.Money(balance)
	orders, err := h.mp.Orders(me, a.AppID, devOrdersMax)
	if err != nil {
		return v, err
	}
	for _, o := range orders {
		row := views.DevOrder{No: o.OrderNo, Description: o.Description, Amount: w.Money(o.Amount), Status: o.Status,
			StatusLabel: web.T(e, "mp.dev_order_"+o.Status)}
		row.ISO, row.Date = devStamp(o.Created)
		if o.Refunded > 0 {
			row.Refunded = w.Money(o.Refunded)
		}
		if o.Status != miniprograms.OrderCreated && o.Amount > o.Refunded {
			row.Refund = base + "/orders/" + url.PathEscape(o.OrderNo) + "/refund"
			row.Left = wallet.PlainAmount(o.Amount - o.Refunded)
		}
		v.Orders = append(v.Orders, row)
	}
	return v, nil
}

// devVersionRow is a version with the addresses of what may be done to it.
func devVersionRow(e *core.RequestEvent, appid string, ver miniprograms.Version) views.DevVersion {
	base := devBase(appid)
	row := views.DevVersion{ID: ver.ID, Version: ver.Version, Status: ver.Status, StatusLabel: web.T(e, "mp.dev_status_"+ver.Status),
		Reason: ver.Reason, Note: ver.Note, External: ver.URL, Released: ver.Released, Previous: ver.Previous,
		Preview: "/mp/" + url.PathEscape(appid) + "?preview=" + url.QueryEscape(ver.ID) + "&back=" + url.QueryEscape(base)}
	row.ISO, row.Date = devStamp(ver.Created)
	action := base + "/versions/" + url.PathEscape(ver.ID) + "/"
	switch {
	case ver.Status == miniprograms.StatusReview:
		row.Withdraw = action + "withdraw"
	case ver.Status == miniprograms.StatusApproved && !ver.Released:
		row.Release = action + "release"
	}
	return row
}

// devStamp is a stored time as RFC 3339 and as shown without script (UTC).
func devStamp(stored string) (iso, date string) {
	t, err := types.ParseDateTime(stored)
	if stored == "" || err != nil || t.IsZero() {
		return "", ""
	}
	return t.Time().UTC().Format(time.RFC3339), t.Time().UTC().Format("2006-01-02 15:04")
}

// devCharts draws the days' active members and payments as bars.
func (h handlers) devCharts(e *core.RequestEvent, v *views.DevConsole, days []miniprograms.Day) {
	w := h.mp.Wallet()
	active, paid, labels := make([]int64, len(days)), make([]int64, len(days)), make([]string, len(days))
	var total int64
	for i, d := range days {
		active[i], paid[i], labels[i] = int64(d.Active), d.Received, d.Day
		v.ActiveTotal += d.Active
		total += d.Received
	}
	v.PaidTotal = w.Money(total)
	v.Active = charts.Bars(web.T(e, "mp.dev_chart_active"), active, labels, func(i int) string { return labels[i] + ": " + fmt.Sprint(active[i]) })
	v.Active.Scale = web.T(e, "mp.dev_chart_max", map[string]any{"n": fmt.Sprint(charts.Top(active))})
	v.Active.Label = web.T(e, "mp.dev_chart_active_label", map[string]any{"count": v.ActiveTotal, "days": len(days)})
	v.Received = charts.Bars(web.T(e, "mp.dev_chart_received"), paid, labels, func(i int) string { return labels[i] + ": " + w.Money(paid[i]) })
	v.Received.Scale = web.T(e, "mp.dev_chart_max", map[string]any{"n": w.Money(charts.Top(paid))})
	v.Received.Label = web.T(e, "mp.dev_chart_received_label", map[string]any{"amount": v.PaidTotal, "days": len(days)})
}

// devUploadPage is POST /developer/{appid}/versions: a zip bundle, or an
// external https URL with its version; and a note. The version goes to
// review.
func (h handlers) devUploadPage(e *core.RequestEvent) error {
	up := views.DevUpload{URL: e.Request.FormValue("url"), Version: e.Request.FormValue("version"), Note: e.Request.FormValue("note")}
	bundle, err := devBundle(e)
	if err == nil {
		_, err = h.devSubmit(memberOf(e), appidOf(e), bundle, up.URL, up.Version, up.Note, nil)
	}
	if err != nil {
		return h.devConsoleRefused(e, err, func(v *views.DevConsole) { v.Upload = up })
	}
	return web.Redirect(e, devDone(devBase(appidOf(e)), "uploaded"))
}

// devVersionPage is POST /developer/{appid}/versions/{id}/withdraw|release.
func (h handlers) devVersionPage(e *core.RequestEvent) error {
	me, appid, id := memberOf(e), appidOf(e), e.Request.PathValue("id")
	var err error
	var done string
	switch e.Request.PathValue("action") {
	case "withdraw":
		err, done = h.mp.WithdrawVersion(me, appid, id), "withdrawn"
	case "release":
		err, done = h.mp.Release(me, appid, id), "released"
	default:
		return miniprograms.NotFound()
	}
	if err != nil {
		return h.devConsoleRefused(e, err, nil)
	}
	return web.Redirect(e, devDone(devBase(appid), done))
}

// devRollbackPage is POST /developer/{appid}/rollback.
func (h handlers) devRollbackPage(e *core.RequestEvent) error {
	if err := h.mp.Rollback(memberOf(e), appidOf(e)); err != nil {
		return h.devConsoleRefused(e, err, nil)
	}
	return web.Redirect(e, devDone(devBase(appidOf(e)), "rollback"))
}

// devAmount is the form's amount in cents (a 400 on "amount" otherwise).
func devAmount(e *core.RequestEvent) (int64, error) {
	cents, err := wallet.ParseAmount(e.Request.FormValue("amount"))
	if err != nil {
		return 0, problem.Invalid("amount", "wallet.amount_bad", nil)
	}
	return cents, nil
}

// devPayoutPage is POST /developer/{appid}/payout {amount}: the app's
// money to the developer's wallet.
func (h handlers) devPayoutPage(e *core.RequestEvent) error {
	amount, err := devAmount(e)
	if err == nil {
		_, err = h.mp.Payout(memberOf(e), appidOf(e), amount)
	}
	if err != nil {
		typed := e.Request.FormValue("amount")
		return h.devConsoleRefused(e, err, func(v *views.DevConsole) { v.Payout = typed })
	}
	return web.Redirect(e, devDone(devBase(appidOf(e)), "payout"))
}

// devRefundPage is POST /developer/{appid}/orders/{order}/refund {amount}.
func (h handlers) devRefundPage(e *core.RequestEvent) error {
	amount, err := devAmount(e)
	if err == nil {
		_, err = h.mp.DeveloperRefund(memberOf(e), appidOf(e), e.Request.PathValue("order"), amount)
	}
	if err != nil { // the message at the top: the amount field beside it is the payout's
		return h.devConsoleRefused(e, err, func(v *views.DevConsole) { v.Errors = nil })
	}
	return web.Redirect(e, devDone(devBase(appidOf(e)), "refund"))
}
