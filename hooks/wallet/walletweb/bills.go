package walletweb

import (
	"cmp"
	"encoding/csv"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/settings"
	"plaza/hooks/wallet"
	"plaza/hooks/web"
	views "plaza/views/wallet"
)

// Bills: a month's movements, their CSV export and one bill's page.

// monthOf reads "2006-01" (default: this month).
func (h pages) monthOf(s string) time.Time {
	if t, err := time.Parse("2006-01", s); err == nil {
		return t
	}
	now := h.w.Now()
	return time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
}

func signed(cents int64) string {
	if cents > 0 {
		return "+" + wallet.FormatAmount(cents)
	}
	return wallet.FormatAmount(cents)
}

func (h pages) billsPage(e *core.RequestEvent) error {
	q := e.Request.URL.Query()
	month, kind := h.monthOf(q.Get("m")), q.Get("k")
	rows, in, out, err := wallet.Bills(e.App, e.Auth.Id, month, kind)
	if err != nil {
		return err
	}
	b := views.Bills{Month: month.Format("2006-01"), Kind: kind, In: h.w.Money(in), Out: h.w.Money(out),
		CSV: "/wallet/bills.csv?m=" + month.Format("2006-01") + "&k=" + kind}
	now := h.w.Now()
	for i := range 12 {
		m := time.Date(now.Year(), now.Month()-time.Month(i), 1, 0, 0, 0, 0, time.UTC)
		b.Months = append(b.Months, views.Option{Value: m.Format("2006-01"), Label: m.Format("2006-01"), Selected: m.Equal(month)})
	}
	for _, k := range wallet.BillFilters {
		b.Kinds = append(b.Kinds, views.Option{Value: k, Label: web.T(e, "wallet.filter_"+cmp.Or(k, "all")), Selected: k == kind})
	}
	names := h.names(e.Auth.Id, rows)
	for _, r := range rows {
		b.Rows = append(b.Rows, views.BillRow{Entry: r.Entry, Kind: web.T(e, "wallet.kind_"+r.Kind), With: cmp.Or(names[r.With(e.Auth.Id)], r.Merchant),
			Amount: signed(r.Amount), In: r.Amount > 0, At: r.At().Format(time.RFC3339)})
	}
	return h.render(e, http.StatusOK, web.T(e, "wallet.bills"), views.BillsPage(b))
}

// names are the display names of the other members of the bills, each
// read once.
func (h pages) names(memberID string, rows []wallet.Bill) map[string]string {
	names := map[string]string{}
	for _, r := range rows {
		with := r.With(memberID)
		if _, ok := names[with]; !ok && with != "" {
			names[with] = h.w.MemberName(with)
		}
	}
	return names
}

// csvCell keeps a spreadsheet from running text as a formula.
func csvCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func (h pages) billsCSV(e *core.RequestEvent) error {
	q := e.Request.URL.Query()
	month := h.monthOf(q.Get("m"))
	rows, _, _, err := wallet.Bills(e.App, e.Auth.Id, month, q.Get("k"))
	if err != nil {
		return err
	}
	code := strings.ToLower(settings.Get(e.App).CurrencyCode)
	names := h.names(e.Auth.Id, rows)
	hd := e.Response.Header()
	hd.Set("Content-Type", "text/csv; charset=utf-8")
	hd.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="plaza-bills-%s.csv"`, month.Format("2006-01")))
	hd.Set("Cache-Control", "private, no-store")
	e.Response.WriteHeader(http.StatusOK)
	cw := csv.NewWriter(e.Response)
	if err := cw.Write([]string{"time_utc", "kind", "with", "amount_" + code, "balance_" + code, "memo", "entry"}); err != nil {
		return err
	}
	for _, r := range rows {
		row := []string{r.At().Format(time.RFC3339), r.Kind, csvCell(cmp.Or(names[r.With(e.Auth.Id)], r.Merchant)), wallet.PlainAmount(r.Amount),
			wallet.PlainAmount(r.Balance), csvCell(r.Memo), r.Entry}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func (h pages) billPage(e *core.RequestEvent) error {
	r, err := wallet.BillFor(e.App, e.Auth.Id, e.Request.PathValue("entry"))
	if err != nil {
		return err
	}
	d := views.BillDetail{Kind: web.T(e, "wallet.kind_"+r.Kind), Amount: signed(r.Amount), In: r.Amount > 0, Memo: r.Memo,
		At: r.At().Format(time.RFC3339), Entry: r.Entry, Balance: h.w.Money(r.Balance)}
	if with := r.With(e.Auth.Id); with != "" {
		d.With = h.w.MemberName(with)
	} else {
		d.With = r.Merchant // a mini program, or nobody (mint, voucher, withdrawal)
	}
	switch {
	case strings.HasPrefix(r.Kind, "transfer"):
		d.Link = "/wallet/transfers/" + r.Ref
	case strings.HasPrefix(r.Kind, "packet"):
		d.Link = "/wallet/packets/" + r.Ref
	}
	d.Paid = e.Request.URL.Query().Get("paid") == "1" && r.Kind == wallet.EntryPay && r.Amount < 0 // just paid (POST /wallet/pay)
	return h.render(e, http.StatusOK, web.T(e, "wallet.bill"), views.BillPage(d))
}
