package wallet

import (
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"plaza/hooks/problem"
)

// Mini program payments. Each mini program has a merchant account in the
// ledger (kind 'merchant', owner = the mini program's record id, ref =
// "mp:<appid>"), opened by its first payment. Members pay it for orders
// (PayMerchant, with the pay PIN), the server refunds from it
// (RefundMerchant) and pays its balance out to the developer's wallet
// (PayoutMerchant). The miniprograms domain owns the orders and calls these
// with amounts from its server-side orders, never from a client.
//
// A merchant is not a member: its entries carry its name in the memo
// (merchantMemo), so bills and receipts name it as it was called when the
// money moved.

// merchantNameMax is how much of a merchant's name entries and receipts keep.
const merchantNameMax = 60

// merchantRefMax is the longest ref an account or an entry holds.
const merchantRefMax = 40

// ErrMerchant is a programming error of the caller: a merchant without an
// owner or ref (or either too long), an order ref missing or too long, a
// negative daily cap, or a ref that is not the one the owner's merchant
// account was opened with.
var ErrMerchant = errors.New("wallet: bad merchant or charge")

// Merchant names a merchant account: the owner record id (a mini program's
// id) and its label on receipts.
type Merchant struct {
	Owner string // the mini program's record id (15 characters)
	Ref   string // the account's unique ref, "mp:<appid>"
	Name  string // its label on receipts and bills
}

func (m Merchant) check() error {
	if m.Owner == "" || len(m.Owner) > 15 || m.Ref == "" || len(m.Ref) > merchantRefMax {
		return ErrMerchant
	}
	return nil
}

// label is the merchant's name as entries and receipts keep it: one line,
// at most merchantNameMax runes.
func (m Merchant) label() string {
	s := strings.TrimSpace(strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, m.Name))
	if r := []rune(s); len(r) > merchantNameMax {
		s = strings.TrimSpace(string(r[:merchantNameMax]))
	}
	return s
}

// merchantMemo is the memo of a merchant entry: the merchant's name (one
// line: label), a newline, then the order's description. Bills split it
// again (Bill.Merchant, Bill.Memo).
func merchantMemo(name, memo string) string { return name + "\n" + memo }

// Charge is a member paying a merchant for one order.
type Charge struct {
	Merchant Merchant
	Amount   int64  // cents, 1..MaxAmount
	Memo     string // the order's description (<= NoteMax runes)
	Ref      string // the order, e.g. "mp_order:<id>"; stored on the entry (required, <= 40 bytes)
	// DailyCap is the most this member may pay this merchant per UTC day
	// (0 = no cap); more is refused with 409 wallet.merchant_cap.
	DailyCap int64
}

func (c Charge) check() (Charge, error) {
	if err := c.Merchant.check(); err != nil {
		return c, err
	}
	if c.Ref == "" || len(c.Ref) > merchantRefMax || c.DailyCap < 0 {
		return c, ErrMerchant
	}
	c.Memo = strings.TrimSpace(c.Memo)
	switch {
	case c.Amount <= 0 || c.Amount > MaxAmount:
		return c, problem.Invalid("amount", "wallet.amount_bad", nil)
	case problem.HasNUL(c.Memo):
		return c, problem.Invalid("memo", "errors.nul_byte", nil)
	case utf8.RuneCountInString(c.Memo) > NoteMax:
		return c, problem.Invalid("memo", "profile.too_long", map[string]any{"max": NoteMax})
	}
	return c, nil
}

// PayMerchant is a member paying a merchant for one order: an outgoing
// payment, so it needs the member's pay PIN (WithPIN), checked after the
// idempotency key is found new, exactly as Pay. In one transaction it opens
// the merchant account on first use, checks c.DailyCap against what the
// member paid this merchant today (PaidMerchantToday's rule, read in the
// same transaction), posts an "mp_pay" entry member → merchant, calls
// then(txApp, entry) (the caller marks its order paid there; an error from
// then rolls everything back and is returned as it is) and puts a CardPaid
// receipt (sub: the merchant's name, link /wallet/bills/<entry>) in the
// member's Pay Notifications chat, announced after the commit. A retry
// with the same key returns the first receipt without calling then again.
//
// Merchant payments do not count against transfer_daily_max (the
// per-member daily limit counts transfers only, as for collect-code
// payments and AA shares); the merchant's DailyCap is their limit.
func (w *Wallet) PayMerchant(memberID, key string, c Charge, then func(txApp core.App, entry string) error, opts ...Option) (Receipt, error) {
	c, err := c.check()
	if err != nil {
		return Receipt{}, err
	}
	now := w.Now()
	name := c.Merchant.label()
	var notes []notice
	fp := fingerprint("mp_pay", c.Merchant.Owner, c.Merchant.Ref, c.Amount, c.Memo, c.Ref)
	r, replayed, err := once(w, memberID, key, "mp_pay", fp, w.gate(memberID, opts), func(txApp core.App) (Receipt, error) {
		from, err := memberAccount(txApp, memberID, now)
		if err != nil {
			return Receipt{}, err
		}
		to, err := merchantAccount(txApp, c.Merchant, now)
		if err != nil {
			return Receipt{}, err
		}
		if c.DailyCap > 0 {
			paid, err := paidToday(txApp, memberID, c.Merchant.Owner, now)
			if err != nil {
				return Receipt{}, err
			}
			if paid+c.Amount > c.DailyCap {
				return Receipt{}, &problem.Problem{Status: http.StatusConflict, Key: "wallet.merchant_cap", Args: map[string]any{
					"cap": c.DailyCap, "paid_today": paid, "max": symbol(txApp) + FormatAmount(c.DailyCap), "paid": symbol(txApp) + FormatAmount(paid)}}
			}
		}
		entry, err := post(txApp, Entry{Kind: EntryMerchantPay, Ref: c.Ref, Payer: memberID, Payee: c.Merchant.Owner,
			Memo: merchantMemo(name, c.Memo), Postings: []Posting{{from, -c.Amount}, {to, c.Amount}}}, now)
		if err != nil {
			return Receipt{}, err
		}
		if then != nil {
			if err := then(txApp, entry); err != nil {
				return Receipt{}, err
			}
		}
		n, err := w.notify(txApp, memberID, CardPaid, c.Amount, name, entry)
		notes = []notice{n}
		return Receipt{Entry: entry, Payer: memberID, Payee: c.Merchant.Owner, Amount: c.Amount, Memo: c.Memo}, err
	})
	if err != nil {
		return Receipt{}, err
	}
	if !replayed {
		w.announce(notes)
	}
	return r, nil
}

// dayOf is the UTC day the wallet counts daily limits by (the day of
// wallet_accounts.day / day_out): [00:00 UTC, next 00:00 UTC).
func dayOf(now time.Time) (from, to time.Time) {
	now = now.UTC()
	from = time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	return from, from.AddDate(0, 0, 1)
}

// PaidMerchantToday is what the member paid this merchant ("mp_pay"
// entries) since the start of today's UTC day, by the wallet's clock — the
// day the transfer limit counts by (wallet_accounts.day). Refunds are not
// subtracted: the daily cap bounds what a merchant may charge a member in a
// day, and a refund (which the merchant starts) gives no new room.
func (w *Wallet) PaidMerchantToday(memberID, merchantOwner string) (int64, error) {
	return paidToday(w.app, memberID, merchantOwner, w.Now())
}

func paidToday(app core.App, memberID, merchantOwner string, now time.Time) (int64, error) {
	from, to := dayOf(now)
	var paid int64
	err := app.DB().NewQuery(`SELECT COALESCE(SUM(-p.amount), 0) FROM wallet_accounts a
		JOIN wallet_postings p ON p.account = a.id JOIN wallet_entries e ON e.id = p.entry
		WHERE a.owner = {:m} AND a.kind = 'member' AND p.created >= {:from} AND p.created < {:to}
		AND e.kind = 'mp_pay' AND e.payee = {:o}`).
		Bind(dbx.Params{"m": memberID, "o": merchantOwner, "from": from.Format(types.DefaultDateLayout),
			"to": to.Format(types.DefaultDateLayout)}).Row(&paid)
	if err != nil {
		return 0, fmt.Errorf("read today's merchant payments: %w", err)
	}
	return paid, nil
}

// merchantAccount returns the merchant's account, opening it (at now) on
// first use, inside the caller's transaction. An owner has one merchant
// account; a ref other than the one it was opened with is ErrMerchant.
func merchantAccount(txApp core.App, m Merchant, now time.Time) (string, error) {
	var acc struct {
		ID  string `db:"id"`
		Ref string `db:"ref"`
	}
	err := txApp.DB().NewQuery(`SELECT id, ref FROM wallet_accounts WHERE owner = {:o} AND kind = 'merchant'`).
		Bind(dbx.Params{"o": m.Owner}).One(&acc)
	switch {
	case err == nil && acc.Ref != m.Ref:
		return "", ErrMerchant
	case err == nil:
		return acc.ID, nil
	case !errors.Is(err, sql.ErrNoRows):
		return "", fmt.Errorf("find merchant account: %w", err)
	}
	return insertAccount(txApp, AccountMerchant, m.Owner, m.Ref, 0, now.UTC().Format(types.DefaultDateLayout))
}

// MerchantBalance is the merchant's balance in cents (0 before its first
// payment).
func MerchantBalance(app core.App, merchantOwner string) (int64, error) {
	var b int64
	err := app.DB().NewQuery(`SELECT balance FROM wallet_accounts WHERE owner = {:o} AND kind = 'merchant'`).
		Bind(dbx.Params{"o": merchantOwner}).Row(&b)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("read merchant balance: %w", err)
	}
	return b, nil
}
