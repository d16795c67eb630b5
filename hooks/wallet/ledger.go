package wallet

import (
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"plaza/hooks/problem"
)

// Collections of the ledger.
const (
	AccountsCollection = "wallet_accounts"
	EntriesCollection  = "wallet_entries"
	PostingsCollection = "wallet_postings"
)

// Account kinds.
const (
	AccountMember   = "member"
	AccountEscrow   = "escrow"
	AccountMerchant = "merchant"
	AccountTreasury = "treasury"
)

// TreasuryID is the community treasury: it issues credits (mint, vouchers)
// and receives withdrawals, and is the only account that may go negative.
// The wallet's migration (pb_migrations/1763900000_wallet.go) creates it
// with this id; TestTreasuryIDIsTheMigrations keeps the two equal.
const TreasuryID = "treasury0000000"

// Entry kinds: what a journal entry records. Bills group them.
const (
	EntryMint             = "mint"
	EntryVoucher          = "voucher"
	EntryWithdraw         = "withdraw"          // member → escrow (request)
	EntryWithdrawPaid     = "withdraw_paid"     // escrow → treasury
	EntryWithdrawRejected = "withdraw_rejected" // escrow → member
	EntryTransfer         = "transfer"          // sender → escrow
	EntryTransferAccept   = "transfer_accept"   // escrow → recipient
	EntryTransferReturn   = "transfer_return"   // escrow → sender
	EntryTransferRefund   = "transfer_refund"   // escrow → sender after 24 h
	EntryPacket           = "packet"            // sender → escrow
	EntryPacketClaim      = "packet_claim"      // escrow → claimer
	EntryPacketRefund     = "packet_refund"     // escrow → sender after 24 h
	EntryPay              = "pay"               // payer → payee (collect code)
	EntryAA               = "aa"                // member → organiser (AA share)
	EntryMerchantPay      = "mp_pay"            // member → merchant (mini program order)
	EntryMerchantRefund   = "mp_refund"         // merchant → member (reverses an mp_pay)
	EntryMerchantPayout   = "mp_payout"         // merchant → its developer's wallet
	EntryReversal         = "reversal"          // undoes another entry
)

// Posting moves Amount cents into (positive) or out of (negative) Account.
type Posting struct {
	Account string
	Amount  int64
}

// Entry is one balanced journal entry: its postings sum to zero.
type Entry struct {
	Kind     string
	Ref      string // the transfer, packet, voucher… it belongs to
	Payer    string // member ids, for bills; empty for the treasury
	Payee    string
	Memo     string
	Reverses string
	Postings []Posting
}

// ErrInsufficient is the problem of a debit larger than the balance.
func errInsufficient() error { return problem.New(http.StatusConflict, "wallet.insufficient") }

// ErrUnbalanced means a programming error: an entry whose postings do not
// sum to zero, or an empty or zero posting.
var ErrUnbalanced = errors.New("wallet: unbalanced journal entry")

// post appends a balanced entry and applies it to the cached balances, in
// the caller's transaction. Every debit of an account other than the
// treasury is a conditional update (balance + amount >= 0) that must change
// exactly one row, so no balance ever goes below zero whatever runs at the
// same time. A refused debit is a Problem; the caller's transaction rolls
// back everything.
func post(txApp core.App, e Entry, now time.Time) (string, error) {
	if len(e.Postings) < 2 {
		return "", ErrUnbalanced
	}
	var sum int64
	for _, p := range e.Postings {
		if p.Amount == 0 || p.Amount > MaxAmount || p.Amount < -MaxAmount || p.Account == "" {
			return "", ErrUnbalanced
		}
		sum += p.Amount
	}
	if sum != 0 {
		return "", ErrUnbalanced
	}
	at := now.UTC().Format(types.DefaultDateLayout)
	id := core.GenerateDefaultRandomId()
	db := txApp.DB()
	if err := insertEntry(txApp, id, e, at); err != nil {
		return "", err
	}
	// Debits first: a refused debit stops before any credit is written.
	order := make([]Posting, 0, len(e.Postings))
	for _, p := range e.Postings {
		if p.Amount < 0 {
			order = append(order, p)
		}
	}
	for _, p := range e.Postings {
		if p.Amount > 0 {
			order = append(order, p)
		}
	}
	values := make([]string, 0, len(order))
	params := dbx.Params{"entry": id, "at": at}
	for i, p := range order {
		var balance int64
		q := `UPDATE wallet_accounts SET balance = balance + {:amt}, updated = {:at} WHERE id = {:acc} RETURNING balance`
		if p.Amount < 0 && p.Account != TreasuryID {
			q = `UPDATE wallet_accounts SET balance = balance + {:amt}, updated = {:at} WHERE id = {:acc} AND balance + {:amt} >= 0 RETURNING balance`
		}
		err := db.NewQuery(q).Bind(dbx.Params{"amt": p.Amount, "acc": p.Account, "at": at}).Row(&balance)
		if errors.Is(err, sql.ErrNoRows) {
			if p.Amount < 0 {
				return "", errInsufficient()
			}
			return "", fmt.Errorf("credit account %s: no such account", p.Account)
		}
		if err != nil {
			return "", fmt.Errorf("apply posting to %s: %w", p.Account, err)
		}
		n := strconv.Itoa(i)
		values = append(values, "({:id"+n+"}, {:entry}, {:acc"+n+"}, {:amt"+n+"}, {:bal"+n+"}, {:at})")
		params["id"+n], params["acc"+n], params["amt"+n], params["bal"+n] = core.GenerateDefaultRandomId(), p.Account, p.Amount, balance
	}
	// All postings in one statement (in debit-then-credit order).
	if _, err := db.NewQuery(`INSERT INTO wallet_postings (id, entry, account, amount, balance, created) VALUES ` +
		strings.Join(values, ", ")).Bind(params).Execute(); err != nil {
		return "", fmt.Errorf("insert postings: %w", err)
	}
	return id, nil
}

// memberAccount returns the member's wallet account, opening it (at now)
// on first use, inside the caller's transaction.
func memberAccount(txApp core.App, memberID string, now time.Time) (string, error) {
	var id string
	err := txApp.DB().NewQuery(`SELECT id FROM wallet_accounts WHERE owner = {:m} AND kind = 'member'`).
		Bind(dbx.Params{"m": memberID}).Row(&id)
	if err == nil {
		return id, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("find wallet: %w", err)
	}
	return insertAccount(txApp, AccountMember, memberID, "", 0, now.UTC().Format(types.DefaultDateLayout))
}

// openEscrow opens the escrow account of one pending item ("transfer:<id>").
func openEscrow(txApp core.App, ref string, now time.Time) (string, error) {
	return insertAccount(txApp, AccountEscrow, "", ref, 0, now.UTC().Format(types.DefaultDateLayout))
}

// insertAccount writes a new account row holding balance (the caller
// writes the posting that explains a non-zero balance in the same
// transaction) and returns its id.
func insertAccount(txApp core.App, kind, owner, ref string, balance int64, at string) (string, error) {
	id := core.GenerateDefaultRandomId()
	if _, err := txApp.DB().NewQuery(`INSERT INTO wallet_accounts (id, kind, owner, ref, balance, epoch, day, day_out, created, updated)
		VALUES ({:id}, {:kind}, {:owner}, {:ref}, {:bal}, 0, '', 0, {:at}, {:at})`).
		Bind(dbx.Params{"id": id, "kind": kind, "owner": owner, "ref": ref, "bal": balance, "at": at}).Execute(); err != nil {
		return "", fmt.Errorf("open %s account: %w", kind, err)
	}
	return id, nil
}

// insertEntry appends the journal row of an entry (its postings follow).
func insertEntry(txApp core.App, id string, e Entry, at string) error {
	if _, err := txApp.DB().NewQuery(`INSERT INTO wallet_entries (id, kind, ref, payer, payee, memo, reverses, created)
		VALUES ({:id}, {:kind}, {:ref}, {:payer}, {:payee}, {:memo}, {:rev}, {:at})`).
		Bind(dbx.Params{"id": id, "kind": e.Kind, "ref": e.Ref, "payer": e.Payer, "payee": e.Payee,
			"memo": e.Memo, "rev": e.Reverses, "at": at}).Execute(); err != nil {
		return fmt.Errorf("insert journal entry: %w", err)
	}
	return nil
}

// Balance is the member's wallet balance in cents (zero before the wallet
// is first used).
func Balance(app core.App, memberID string) (int64, error) {
	var b int64
	err := app.DB().NewQuery(`SELECT balance FROM wallet_accounts WHERE owner = {:m} AND kind = 'member'`).
		Bind(dbx.Params{"m": memberID}).Row(&b)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("read balance: %w", err)
	}
	return b, nil
}
