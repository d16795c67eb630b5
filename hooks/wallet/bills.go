package wallet

import (
	"cmp"
	"encoding/csv"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"plaza/hooks/settings"
	"plaza/hooks/web"
	views "plaza/views/wallet"
)

// Bill is one movement of a member's wallet: a posting and its entry.
type Bill struct {
	Entry   string `db:"entry"`
	Kind    string `db:"kind"`
	Ref     string `db:"ref"`
	Payer   string `db:"payer"`
	Payee   string `db:"payee"`
	Memo    string `db:"memo"`
	Amount  int64  `db:"amount"`
	Balance int64  `db:"balance"`
	Created string `db:"created"`
}

// With is the other member of a bill, if any.
func (b Bill) With(memberID string) string {
	if b.Payer == memberID {
		if b.Payee == memberID {
			return ""
		}
		return b.Payee
	}
	return b.Payer
}

// At is when it happened.
func (b Bill) At() time.Time { t, _ := time.Parse(types.DefaultDateLayout, b.Created); return t }

// billGroups are the kind filter's choices: each names the entry kinds
// it covers.
var billGroups = map[string][]string{
	"transfer": {EntryTransfer, EntryTransferAccept, EntryTransferReturn, EntryTransferRefund},
	"packet":   {EntryPacket, EntryPacketClaim, EntryPacketRefund},
	"pay":      {EntryPay, EntryAA},
	"topup":    {EntryMint, EntryVoucher},
	"withdraw": {EntryWithdraw, EntryWithdrawPaid, EntryWithdrawRejected},
}

var billGroupOrder = []string{"", "in", "out", "transfer", "packet", "pay", "topup", "withdraw"}

// Bills returns the member's movements in the month starting at from
// (UTC), newest first, filtered by kind ("" all, "in", "out" or a group),
// with the month's totals in and out over the same filter.
func Bills(app core.App, memberID string, from time.Time, kind string) (rows []Bill, in, out int64, err error) {
	to := from.AddDate(0, 1, 0)
	where := ""
	switch kind {
	case "in":
		where = " AND p.amount > 0"
	case "out":
		where = " AND p.amount < 0"
	default:
		if kinds, ok := billGroups[kind]; ok {
			where = " AND e.kind IN ('" + strings.Join(kinds, "','") + "')" // constants only
		}
	}
	err = app.DB().NewQuery(`SELECT e.id AS entry, e.kind, e.ref, e.payer, e.payee, e.memo, p.amount, p.balance, p.created
		FROM wallet_accounts a JOIN wallet_postings p ON p.account = a.id JOIN wallet_entries e ON e.id = p.entry
		WHERE a.owner = {:m} AND a.kind = 'member' AND p.created >= {:from} AND p.created < {:to}` + where + `
		ORDER BY p.created DESC, p.rowid DESC LIMIT 2000`).
		Bind(dbx.Params{"m": memberID, "from": from.Format(types.DefaultDateLayout), "to": to.Format(types.DefaultDateLayout)}).All(&rows)
	if err != nil {
		return nil, 0, 0, fmt.Errorf("load bills: %w", err)
	}
	for _, r := range rows {
		if r.Amount > 0 {
			in += r.Amount
		} else {
			out -= r.Amount
		}
	}
	return rows, in, out, nil
}

// monthOf reads "2006-01" (default: this month).
func (w *Wallet) monthOf(s string) time.Time {
	if t, err := time.Parse("2006-01", s); err == nil {
		return t
	}
	now := w.Now()
	return time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
}

func signed(cents int64) string {
	if cents > 0 {
		return "+" + FormatAmount(cents)
	}
	return FormatAmount(cents)
}

func (w *Wallet) billsPage(e *core.RequestEvent) error {
	q := e.Request.URL.Query()
	month, kind := w.monthOf(q.Get("m")), q.Get("k")
	rows, in, out, err := Bills(w.app, e.Auth.Id, month, kind)
	if err != nil {
		return err
	}
	b := views.Bills{Month: month.Format("2006-01"), Kind: kind, In: w.money(in), Out: w.money(out),
		CSV: "/wallet/bills.csv?m=" + month.Format("2006-01") + "&k=" + kind}
	now := w.Now()
	for i := range 12 {
		m := time.Date(now.Year(), now.Month()-time.Month(i), 1, 0, 0, 0, 0, time.UTC)
		b.Months = append(b.Months, views.Option{Value: m.Format("2006-01"), Label: m.Format("2006-01"), Selected: m.Equal(month)})
	}
	for _, k := range billGroupOrder {
		b.Kinds = append(b.Kinds, views.Option{Value: k, Label: web.T(e, "wallet.filter_"+cmp.Or(k, "all")), Selected: k == kind})
	}
	names := map[string]string{}
	for _, r := range rows {
		with := r.With(e.Auth.Id)
		if _, ok := names[with]; !ok && with != "" {
			names[with] = memberName(w.app, with)
		}
		b.Rows = append(b.Rows, views.BillRow{Entry: r.Entry, Kind: web.T(e, "wallet.kind_"+r.Kind), With: names[with],
			Amount: signed(r.Amount), In: r.Amount > 0, At: r.At().Format(time.RFC3339)})
	}
	return w.render(e, http.StatusOK, web.T(e, "wallet.bills"), views.BillsPage(b))
}

// csvCell keeps a spreadsheet from running text as a formula.
func csvCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func (w *Wallet) billsCSV(e *core.RequestEvent) error {
	q := e.Request.URL.Query()
	month := w.monthOf(q.Get("m"))
	rows, _, _, err := Bills(w.app, e.Auth.Id, month, q.Get("k"))
	if err != nil {
		return err
	}
	code := settings.Get(w.app).CurrencyCode
	h := e.Response.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="plaza-bills-%s.csv"`, month.Format("2006-01")))
	h.Set("Cache-Control", "private, no-store")
	e.Response.WriteHeader(http.StatusOK)
	cw := csv.NewWriter(e.Response)
	_ = cw.Write([]string{"time_utc", "kind", "with", "amount_" + strings.ToLower(code), "balance_" + strings.ToLower(code), "memo", "entry"})
	for _, r := range rows {
		with := r.With(e.Auth.Id)
		if with != "" {
			with = memberName(w.app, with)
		}
		_ = cw.Write([]string{r.At().Format(time.RFC3339), r.Kind, csvCell(with), PlainAmount(r.Amount), PlainAmount(r.Balance), csvCell(r.Memo), r.Entry})
	}
	cw.Flush()
	return cw.Error()
}

func (w *Wallet) billPage(e *core.RequestEvent) error {
	var r Bill
	err := w.app.DB().NewQuery(`SELECT e.id AS entry, e.kind, e.ref, e.payer, e.payee, e.memo, p.amount, p.balance, p.created
		FROM wallet_accounts a JOIN wallet_postings p ON p.account = a.id JOIN wallet_entries e ON e.id = p.entry
		WHERE a.owner = {:m} AND a.kind = 'member' AND e.id = {:e} LIMIT 1`).
		Bind(dbx.Params{"m": e.Auth.Id, "e": e.Request.PathValue("entry")}).One(&r)
	if err != nil {
		return notFound()
	}
	d := views.BillDetail{Kind: web.T(e, "wallet.kind_"+r.Kind), Amount: signed(r.Amount), In: r.Amount > 0, Memo: r.Memo,
		At: r.At().Format(time.RFC3339), Entry: r.Entry, Balance: w.money(r.Balance)}
	if with := r.With(e.Auth.Id); with != "" {
		d.With = memberName(w.app, with)
	}
	switch {
	case strings.HasPrefix(r.Kind, "transfer"):
		d.Link = "/wallet/transfers/" + r.Ref
	case strings.HasPrefix(r.Kind, "packet"):
		d.Link = "/wallet/packets/" + r.Ref
	}
	d.Paid = e.Request.URL.Query().Get("paid") == "1" && r.Kind == EntryPay && r.Amount < 0 // just paid (POST /wallet/pay)
	return w.render(e, http.StatusOK, web.T(e, "wallet.bill"), views.BillPage(d))
}
