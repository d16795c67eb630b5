package wallet

import (
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
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
	// Merchant is the mini program's name on a merchant entry (mp_pay,
	// mp_refund, mp_payout), whose other side is not a member; Memo is then
	// the order's description alone.
	Merchant string `db:"-"`
}

// merchantKind reports whether entries of kind move a merchant account.
func merchantKind(kind string) bool {
	return kind == EntryMerchantPay || kind == EntryMerchantRefund || kind == EntryMerchantPayout
}

// splitMerchant reads a merchant entry's memo (merchantMemo) into Merchant
// and Memo.
func (b *Bill) splitMerchant() {
	if merchantKind(b.Kind) {
		b.Merchant, b.Memo, _ = strings.Cut(b.Memo, "\n")
	}
}

// With is the other member of a bill, if any: none for a merchant entry
// (its other side is Merchant).
func (b Bill) With(memberID string) string {
	if merchantKind(b.Kind) {
		return ""
	}
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
	"pay":      {EntryPay, EntryAA, EntryMerchantPay, EntryMerchantRefund, EntryMerchantPayout},
	"topup":    {EntryMint, EntryVoucher},
	"withdraw": {EntryWithdraw, EntryWithdrawPaid, EntryWithdrawRejected},
}

// BillFilters are the kind filter's choices in the order the bills page
// offers them: all, in, out, then the groups.
var BillFilters = []string{"", "in", "out", "transfer", "packet", "pay", "topup", "withdraw"}

// billSelect reads a member's postings with their entries; the caller
// adds conditions.
const billSelect = `SELECT e.id AS entry, e.kind, e.ref, e.payer, e.payee, e.memo, p.amount, p.balance, p.created
		FROM wallet_accounts a JOIN wallet_postings p ON p.account = a.id JOIN wallet_entries e ON e.id = p.entry
		WHERE a.owner = {:m} AND a.kind = 'member'`

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
	err = app.DB().NewQuery(billSelect + ` AND p.created >= {:from} AND p.created < {:to}` + where + `
		ORDER BY p.created DESC, p.rowid DESC LIMIT 2000`).
		Bind(dbx.Params{"m": memberID, "from": from.Format(types.DefaultDateLayout), "to": to.Format(types.DefaultDateLayout)}).All(&rows)
	if err != nil {
		return nil, 0, 0, fmt.Errorf("load bills: %w", err)
	}
	for i, r := range rows {
		rows[i].splitMerchant()
		if r.Amount > 0 {
			in += r.Amount
		} else {
			out -= r.Amount
		}
	}
	return rows, in, out, nil
}

// BillFor is one of the member's movements by its journal entry
// (wallet.not_found for anyone else's).
func BillFor(app core.App, memberID, entry string) (Bill, error) {
	var r Bill
	err := app.DB().NewQuery(billSelect + ` AND e.id = {:e} LIMIT 1`).Bind(dbx.Params{"m": memberID, "e": entry}).One(&r)
	if errors.Is(err, sql.ErrNoRows) {
		return r, notFound()
	}
	if err != nil {
		return r, fmt.Errorf("load bill: %w", err)
	}
	r.splitMerchant()
	return r, nil
}
