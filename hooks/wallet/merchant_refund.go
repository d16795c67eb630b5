package wallet

import (
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/accounts"
	"plaza/hooks/problem"
)

// Money out of a merchant account: refunds to a paying member and payouts
// to the developer. The server starts both, so neither takes a PIN or an
// idempotency key: a refund can never exceed what is left of its payment,
// and the caller records its own state (the order refunded) in then.

// merchantPay is a payment entry as a refund needs it.
type merchantPay struct {
	Kind   string `db:"kind"`
	Ref    string `db:"ref"`
	Payer  string `db:"payer"`
	Payee  string `db:"payee"`
	Memo   string `db:"memo"`
	Amount int64  `db:"amount"`
}

// loadMerchantPay reads a payment entry and what its refunds moved so far.
func loadMerchantPay(txApp core.App, entry string) (pay merchantPay, refunded int64, err error) {
	err = txApp.DB().NewQuery(`SELECT e.kind, e.ref, e.payer, e.payee, e.memo, p.amount
		FROM wallet_entries e JOIN wallet_postings p ON p.entry = e.id AND p.amount > 0 WHERE e.id = {:e} LIMIT 1`).
		Bind(dbx.Params{"e": entry}).One(&pay)
	if errors.Is(err, sql.ErrNoRows) {
		return pay, 0, notFound()
	}
	if err != nil {
		return pay, 0, fmt.Errorf("load merchant payment: %w", err)
	}
	if pay.Kind != EntryMerchantPay {
		return pay, 0, notFound()
	}
	// Refunds share the payment's ref (indexed) and name it in reverses.
	err = txApp.DB().NewQuery(`SELECT COALESCE(SUM(p.amount), 0) FROM wallet_entries e JOIN wallet_postings p ON p.entry = e.id AND p.amount > 0
		WHERE e.ref = {:ref} AND e.kind = 'mp_refund' AND e.reverses = {:e}`).
		Bind(dbx.Params{"ref": pay.Ref, "e": entry}).Row(&refunded)
	if err != nil {
		return pay, 0, fmt.Errorf("sum merchant refunds: %w", err)
	}
	return pay, refunded, nil
}

// RefundMerchant gives a member back amount cents of their payment entry
// payEntry to merchant m: an "mp_refund" entry merchant → member (its
// reverses names payEntry, its ref is the payment's order), then(txApp,
// entry) in the same transaction (an error from it rolls everything back),
// and a CardRefund receipt in the member's Pay Notifications chat. Refunds
// of one payment never add up to more than it (409 wallet.refund_too_much,
// read and written in one transaction); a payment that is not the member's
// to this merchant is wallet.not_found; a merchant balance too low is
// wallet.insufficient. The server starts it: no PIN, no idempotency key.
// It returns the refund's entry.
func (w *Wallet) RefundMerchant(m Merchant, memberID, payEntry string, amount int64, then func(txApp core.App, entry string) error) (string, error) {
	if err := m.check(); err != nil {
		return "", err
	}
	if amount <= 0 || amount > MaxAmount {
		return "", problem.Invalid("amount", "wallet.amount_bad", nil)
	}
	now := w.Now()
	name := m.label()
	var entry string
	var n notice
	err := w.app.RunInTransaction(func(txApp core.App) error {
		pay, refunded, err := loadMerchantPay(txApp, payEntry)
		if err != nil {
			return err
		}
		if pay.Payer != memberID || pay.Payee != m.Owner {
			return notFound()
		}
		if left := pay.Amount - refunded; amount > left {
			return &problem.Problem{Status: http.StatusConflict, Key: "wallet.refund_too_much",
				Args: map[string]any{"left": left, "max": symbol(txApp) + FormatAmount(left)}}
		}
		from, err := merchantAccount(txApp, m, now)
		if err != nil {
			return err
		}
		to, err := memberAccount(txApp, memberID, now)
		if err != nil {
			return err
		}
		_, memo, _ := strings.Cut(pay.Memo, "\n")
		if entry, err = post(txApp, Entry{Kind: EntryMerchantRefund, Ref: pay.Ref, Payer: m.Owner, Payee: memberID,
			Memo: merchantMemo(name, memo), Reverses: payEntry, Postings: []Posting{{from, -amount}, {to, amount}}}, now); err != nil {
			return err
		}
		if then != nil {
			if err := then(txApp, entry); err != nil {
				return err
			}
		}
		n, err = w.notify(txApp, memberID, CardRefund, amount, name, entry)
		return err
	})
	if err != nil {
		return "", err
	}
	w.announce([]notice{n})
	return entry, nil
}

// PayoutMerchant moves amount cents (1..the merchant's balance) from the
// merchant account to the member toMemberID (the developer: the caller
// checks who may ask) as an "mp_payout" entry, with a CardReceived receipt
// in their Pay Notifications chat. No PIN: the developer console is behind
// the developer's session, and the money goes into their own wallet. More
// than the balance is wallet.insufficient; an unknown member is
// wallet.not_found. It returns the payout's entry.
func (w *Wallet) PayoutMerchant(m Merchant, toMemberID string, amount int64) (string, error) {
	if err := m.check(); err != nil {
		return "", err
	}
	if amount <= 0 || amount > MaxAmount {
		return "", problem.Invalid("amount", "wallet.amount_bad", nil)
	}
	now := w.Now()
	name := m.label()
	var entry string
	var n notice
	err := w.app.RunInTransaction(func(txApp core.App) error {
		if _, err := txApp.FindRecordById(accounts.Collection, toMemberID); errors.Is(err, sql.ErrNoRows) {
			return notFound()
		} else if err != nil {
			return fmt.Errorf("load payout member: %w", err)
		}
		from, err := merchantAccount(txApp, m, now)
		if err != nil {
			return err
		}
		to, err := memberAccount(txApp, toMemberID, now)
		if err != nil {
			return err
		}
		if entry, err = post(txApp, Entry{Kind: EntryMerchantPayout, Ref: m.Ref, Payer: m.Owner, Payee: toMemberID,
			Memo: merchantMemo(name, ""), Postings: []Posting{{from, -amount}, {to, amount}}}, now); err != nil {
			return err
		}
		n, err = w.notify(txApp, toMemberID, CardReceived, amount, name, entry)
		return err
	})
	if err != nil {
		return "", err
	}
	w.announce([]notice{n})
	return entry, nil
}
