package wallet

import (
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"
	"github.com/pocketbase/pocketbase/tools/types"

	"plaza/hooks/accounts"
	"plaza/hooks/problem"
)

// Funding collections: superusers create mints and vouchers in /_/ and
// settle withdrawals there by changing their state; the hooks below turn
// each into journal entries in the same transaction.
const (
	MintsCollection       = "wallet_mints"
	VouchersCollection    = "wallet_vouchers"
	WithdrawalsCollection = "wallet_withdrawals"
)

// Withdrawal states.
const (
	WithdrawalPending  = "pending"
	WithdrawalPaid     = "paid"
	WithdrawalRejected = "rejected"
)

// registerFunding binds the hooks that make mints, vouchers and
// withdrawal settlements in /_/ safe: no one edits a balance directly.
func registerFunding(app core.App, w *Wallet) {
	registerMints(app, w)
	registerVouchers(app)
	app.OnRecordUpdate(WithdrawalsCollection).BindFunc(func(e *core.RecordEvent) error {
		return e.App.RunInTransaction(func(txApp core.App) error {
			e.App = txApp
			return w.settleWithdrawal(txApp, e)
		})
	})
	app.OnRecordDelete(WithdrawalsCollection).BindFunc(refuseChange)
	lockLedger(app)
}

// refuseChange refuses to change or delete an append-only record.
func refuseChange(*core.RecordEvent) error {
	return problem.New(http.StatusForbidden, "wallet.append_only")
}

// registerMints turns each mint a superuser creates into a journal entry
// from the treasury, in the same transaction; a mint is never changed.
func registerMints(app core.App, w *Wallet) {
	app.OnRecordCreate(MintsCollection).BindFunc(func(e *core.RecordEvent) error {
		return e.App.RunInTransaction(func(txApp core.App) error {
			e.App = txApp
			amount := int64(e.Record.GetFloat("amount"))
			member := e.Record.GetString("member")
			if amount <= 0 || amount > MaxAmount || float64(amount) != e.Record.GetFloat("amount") {
				return problem.Invalid("amount", "wallet.amount_bad", nil)
			}
			if e.Record.Id == "" {
				e.Record.Id = core.GenerateDefaultRandomId()
			}
			now := w.Now()
			acc, err := memberAccount(txApp, member, now)
			if err != nil {
				return err
			}
			entry, err := post(txApp, Entry{Kind: EntryMint, Ref: e.Record.Id, Payee: member, Memo: e.Record.GetString("note"),
				Postings: []Posting{{TreasuryID, -amount}, {acc, amount}}}, now)
			if err != nil {
				return err
			}
			e.Record.Set("entry", entry)
			return e.Next()
		})
	})
	app.OnRecordUpdate(MintsCollection).BindFunc(refuseChange)
	app.OnRecordDelete(MintsCollection).BindFunc(refuseChange)
}

// registerVouchers keeps vouchers' codes upper case and their redemption
// fields the wallet's (RedeemVoucher): a used voucher cannot change.
func registerVouchers(app core.App) {
	app.OnRecordCreate(VouchersCollection).BindFunc(func(e *core.RecordEvent) error {
		e.Record.Set("code", strings.ToUpper(strings.TrimSpace(e.Record.GetString("code"))))
		e.Record.Set("redeemed_by", "")
		e.Record.Set("redeemed_at", "")
		e.Record.Set("entry", "")
		return e.Next()
	})
	app.OnRecordUpdate(VouchersCollection).BindFunc(func(e *core.RecordEvent) error {
		o := e.Record.Original()
		if o.GetString("redeemed_by") != "" {
			return problem.New(http.StatusForbidden, "wallet.voucher_used")
		}
		for _, f := range []string{"redeemed_by", "redeemed_at", "entry"} {
			if e.Record.GetString(f) != o.GetString(f) {
				return problem.New(http.StatusForbidden, "wallet.append_only")
			}
		}
		e.Record.Set("code", strings.ToUpper(strings.TrimSpace(e.Record.GetString("code"))))
		return e.Next()
	})
	app.OnRecordDelete(VouchersCollection).BindFunc(func(e *core.RecordEvent) error {
		if e.Record.GetString("redeemed_by") != "" {
			return problem.New(http.StatusForbidden, "wallet.voucher_used")
		}
		return e.Next()
	})
}

// lockLedger keeps the records API (and so /_/) from writing the ledger,
// and the wallet's secrets out of every answer.
func lockLedger(app core.App) {
	// The ledger and the wallet's state change only through wallet
	// operations: the records API (and so /_/) cannot write them.
	for _, name := range []string{AccountsCollection, EntriesCollection, PostingsCollection, "wallet_requests", PINsCollection,
		TransfersCollection, PacketsCollection, ClaimsCollection, "aa_requests", "aa_shares"} {
		app.OnRecordCreateRequest(name).BindFunc(func(e *core.RecordRequestEvent) error { return refuseRequest() })
		app.OnRecordUpdateRequest(name).BindFunc(func(e *core.RecordRequestEvent) error { return refuseRequest() })
		app.OnRecordDeleteRequest(name).BindFunc(func(e *core.RecordRequestEvent) error { return refuseRequest() })
	}
	app.OnRecordCreateRequest(WithdrawalsCollection).BindFunc(func(e *core.RecordRequestEvent) error { return refuseRequest() })

	// Secrets never leave through the records API or realtime, superusers'
	// answers included: the fields are hidden in the schema, but PocketBase
	// unhides every field for a superuser once the enrich hooks have run
	// (their finalizer), so they are hidden again on the way out.
	for name, fields := range secretFields {
		app.OnRecordEnrich(name).BindFunc(func(e *core.RecordEnrichEvent) error {
			err := e.Next()
			e.Record.Hide(fields...)
			return err
		})
	}
}

// secretFields are the wallet's fields no API answer carries: the pay PIN's
// hash, and a red packet's seed (served by /api/plaza/wallet/packets/{id}
// once the packet is no longer open, never while it is).
var secretFields = map[string][]string{
	PINsCollection:    {"hash"},
	PacketsCollection: {"seed"},
}

// refuseRequest is the records API's answer (PocketBase keeps a router
// error's status; any other error would become a 400).
func refuseRequest() error {
	return router.NewForbiddenError("The wallet ledger is changed only by wallet operations; corrections are reversing entries.", nil)
}

// settleWithdrawal pays out (escrow → treasury) or rejects (escrow →
// member) a pending withdrawal when a superuser changes its state; only
// the state and the admin's note may change, and only once.
func (w *Wallet) settleWithdrawal(txApp core.App, e *core.RecordEvent) error {
	o := e.Record.Original()
	for _, f := range []string{"member", "amount", "details", "escrow", "settled", "created"} {
		if fmt.Sprint(e.Record.Get(f)) != fmt.Sprint(o.Get(f)) {
			return problem.New(http.StatusForbidden, "wallet.append_only")
		}
	}
	from, to := o.GetString("state"), e.Record.GetString("state")
	if from == to {
		return e.Next() // the admin's note only
	}
	if from != WithdrawalPending || (to != WithdrawalPaid && to != WithdrawalRejected) {
		return problem.New(http.StatusConflict, "wallet.withdrawal_settled")
	}
	now := w.Now()
	res, err := txApp.DB().NewQuery(`UPDATE wallet_withdrawals SET state = {:to}, settled = {:at} WHERE id = {:id} AND state = 'pending'`).
		Bind(dbx.Params{"to": to, "at": now.Format(types.DefaultDateLayout), "id": e.Record.Id}).Execute()
	if err != nil {
		return fmt.Errorf("settle withdrawal: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return problem.New(http.StatusConflict, "wallet.withdrawal_settled")
	}
	amount := int64(o.GetFloat("amount"))
	member := o.GetString("member")
	kind, dest := EntryWithdrawPaid, TreasuryID
	if to == WithdrawalRejected {
		kind = EntryWithdrawRejected
		if dest, err = memberAccount(txApp, member, now); err != nil {
			return err
		}
	}
	if _, err := post(txApp, Entry{Kind: kind, Ref: e.Record.Id, Payer: member, Memo: e.Record.GetString("admin_note"),
		Postings: []Posting{{o.GetString("escrow"), -amount}, {dest, amount}}}, now); err != nil {
		return err
	}
	e.Record.Set("settled", now)
	return e.Next()
}

// Mint issues amount cents from the treasury to the member with the given
// Plaza ID (the `plaza wallet mint` command). It creates a wallet_mints
// record, exactly as a superuser does in /_/. The treasury issues it: no
// member pays, so it takes no PIN.
func Mint(app core.App, plazaID string, amount int64, note string) (*core.Record, error) {
	member, err := accounts.FindByPlazaID(app, plazaID)
	if err != nil {
		return nil, fmt.Errorf("no member with Plaza ID %q", plazaID)
	}
	coll, err := app.FindCollectionByNameOrId(MintsCollection)
	if err != nil {
		return nil, err
	}
	r := core.NewRecord(coll)
	r.Set("member", member.Id)
	r.Set("amount", amount)
	r.Set("note", note)
	if err := app.Save(r); err != nil {
		return nil, fmt.Errorf("mint: %w", err)
	}
	return r, nil
}

// Minted reports whether the member was issued credits with this note
// (demo data mints each starting balance once).
func Minted(app core.App, memberID, note string) (bool, error) {
	var n int
	if err := app.DB().NewQuery(`SELECT COUNT(*) FROM wallet_mints WHERE member = {:m} AND note = {:n}`).
		Bind(dbx.Params{"m": memberID, "n": note}).Row(&n); err != nil {
		return false, fmt.Errorf("look up mints: %w", err)
	}
	return n > 0, nil
}

// Withdrawal is one withdrawal request as its member sees it.
type Withdrawal struct {
	Amount  int64  `db:"amount"`
	State   string `db:"state"` // WithdrawalPending, WithdrawalPaid or WithdrawalRejected
	Created string `db:"created"`
}

// Withdrawals are the member's last ten withdrawal requests, newest first.
func (w *Wallet) Withdrawals(memberID string) ([]Withdrawal, error) {
	var ws []Withdrawal
	if err := w.app.DB().NewQuery(`SELECT amount, state, created FROM wallet_withdrawals WHERE member = {:m} ORDER BY created DESC LIMIT 10`).
		Bind(dbx.Params{"m": memberID}).All(&ws); err != nil {
		return nil, fmt.Errorf("list withdrawals: %w", err)
	}
	return ws, nil
}

// RedeemVoucher credits the member with a voucher's amount, once per
// voucher, under the member's idempotency key. It pays the member, so it
// takes no PIN.
func (w *Wallet) RedeemVoucher(memberID, key, code string) (int64, error) {
	code = strings.ToUpper(strings.TrimSpace(code))
	if code == "" || len(code) > 40 {
		return 0, problem.Invalid("code", "wallet.voucher_unknown", nil)
	}
	now := w.Now()
	amount, _, err := once(w, memberID, key, "voucher", fingerprint("voucher", code), nil, func(txApp core.App) (int64, error) {
		var v struct {
			ID     string `db:"id"`
			Amount int64  `db:"amount"`
		}
		err := txApp.DB().NewQuery(`UPDATE wallet_vouchers SET redeemed_by = {:m}, redeemed_at = {:at}
			WHERE code = {:code} AND redeemed_by = '' RETURNING id, amount`).
			Bind(dbx.Params{"m": memberID, "at": now.Format(types.DefaultDateLayout), "code": code}).One(&v)
		if errors.Is(err, sql.ErrNoRows) {
			var n int
			if err := txApp.DB().NewQuery(`SELECT COUNT(*) FROM wallet_vouchers WHERE code = {:code}`).Bind(dbx.Params{"code": code}).Row(&n); err != nil {
				return 0, fmt.Errorf("look up voucher: %w", err)
			}
			if n > 0 {
				return 0, problem.Invalid("code", "wallet.voucher_used", nil)
			}
			return 0, problem.Invalid("code", "wallet.voucher_unknown", nil)
		}
		if err != nil {
			return 0, fmt.Errorf("redeem voucher: %w", err)
		}
		acc, err := memberAccount(txApp, memberID, now)
		if err != nil {
			return 0, err
		}
		entry, err := post(txApp, Entry{Kind: EntryVoucher, Ref: v.ID, Payee: memberID, Postings: []Posting{{TreasuryID, -v.Amount}, {acc, v.Amount}}}, now)
		if err != nil {
			return 0, err
		}
		if _, err := txApp.DB().NewQuery(`UPDATE wallet_vouchers SET entry = {:e} WHERE id = {:id}`).
			Bind(dbx.Params{"e": entry, "id": v.ID}).Execute(); err != nil {
			return 0, fmt.Errorf("link voucher entry: %w", err)
		}
		return v.Amount, nil
	})
	return amount, err
}

// RequestWithdrawal moves amount cents from the member's wallet into an
// escrow until a superuser pays it out or rejects it in /_/. It is an
// outgoing payment: it needs the member's pay PIN (WithPIN) and checks it
// itself after the idempotency key is found new; without it, it is refused
// as a wrong PIN. Paying out or rejecting it is the server's (no PIN).
func (w *Wallet) RequestWithdrawal(memberID, key string, amount int64, details string, opts ...Option) (string, error) {
	details = strings.TrimSpace(details)
	if amount <= 0 || amount > MaxAmount {
		return "", problem.Invalid("amount", "wallet.amount_bad", nil)
	}
	if details == "" || len([]rune(details)) > 200 {
		return "", problem.Invalid("details", "wallet.withdraw_details", nil)
	}
	now := w.Now()
	id, _, err := once(w, memberID, key, "withdraw", fingerprint("withdraw", amount, details), w.gate(memberID, opts), func(txApp core.App) (string, error) {
		id := core.GenerateDefaultRandomId()
		from, err := memberAccount(txApp, memberID, now)
		if err != nil {
			return "", err
		}
		escrow, err := openEscrow(txApp, "withdrawal:"+id, now)
		if err != nil {
			return "", err
		}
		if _, err := post(txApp, Entry{Kind: EntryWithdraw, Ref: id, Payer: memberID, Memo: details,
			Postings: []Posting{{from, -amount}, {escrow, amount}}}, now); err != nil {
			return "", err
		}
		at := now.Format(types.DefaultDateLayout)
		if _, err := txApp.DB().NewQuery(`INSERT INTO wallet_withdrawals (id, member, amount, details, state, escrow, admin_note, settled, created)
			VALUES ({:id}, {:m}, {:amt}, {:d}, 'pending', {:esc}, '', '', {:at})`).
			Bind(dbx.Params{"id": id, "m": memberID, "amt": amount, "d": details, "esc": escrow, "at": at}).Execute(); err != nil {
			return "", fmt.Errorf("insert withdrawal: %w", err)
		}
		return id, nil
	})
	return id, err
}
