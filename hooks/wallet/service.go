// Package wallet is Plaza's money: a double-entry ledger in integer cents
// (accounts, append-only journal entries whose postings sum to zero,
// cached balances updated in the same transaction), idempotency keys on
// every money request, the pay PIN, transfers and red packets as chat
// cards, collect codes, AA collection, vouchers, mints, withdrawals, bills
// and the verifier behind `plaza wallet verify`.
//
// Every operation is one SQLite transaction that records its idempotency
// key, debits with a conditional update that must change exactly one row,
// and appends balanced postings (docs/SECURITY.md §13). Chat cards are stored in
// the same transaction (chat.Service.SendInTx) and delivered after commit.
package wallet

import (
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"sync"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"plaza/hooks/accounts"
	"plaza/hooks/chat"
	"plaza/hooks/module"
	"plaza/hooks/problem"
)

// Wallet runs money operations for one app.
type Wallet struct {
	app  core.App
	reg  *module.Registry
	chat *chat.Service

	clockMu sync.RWMutex
	clock   func() time.Time

	pinLocks sync.Map // member id → *sync.Mutex: one PIN check at a time per member
}

// New builds app's wallet (hooks.Register makes one per app and passes it
// to whatever needs it) on the chat service that carries its cards, and
// adds the wallet's card types to reg.
func New(app core.App, reg *module.Registry, cs *chat.Service) *Wallet {
	w := &Wallet{app: app, reg: reg, chat: cs, clock: time.Now}
	w.registerCards()
	return w
}

// SetClock replaces the wallet's clock (tests drive expiry with it).
func (w *Wallet) SetClock(now func() time.Time) {
	w.clockMu.Lock()
	w.clock = now
	w.clockMu.Unlock()
}

// Now is the wallet's current time.
func (w *Wallet) Now() time.Time {
	w.clockMu.RLock()
	defer w.clockMu.RUnlock()
	return w.clock().UTC()
}

// keyPattern is what an idempotency key may look like: the browser makes
// a random one per form, API clients their own.
var keyPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{8,100}$`)

// CheckKey validates an idempotency key.
func CheckKey(key string) error {
	if !keyPattern.MatchString(key) {
		return problem.Invalid("key", "wallet.bad_key", nil)
	}
	return nil
}

// fingerprint identifies what a request asked for, so that the same key
// with a different request is refused.
func fingerprint(op string, parts ...any) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s", op)
	for _, p := range parts {
		fmt.Fprintf(h, "\n%v", p)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// errKeyTaken means the idempotency key was stored by an earlier request.
var errKeyTaken = errors.New("wallet: idempotency key already used")

// Option adjusts one money operation.
type Option func(*options)

type options struct {
	pin string
}

// WithPIN gives an outgoing payment the member's pay PIN. The PIN rule
// lives in the operations, not in the handlers: every operation that moves
// money out of a member's balance (SendTransfer, SendPacket, Pay, PayAA,
// RequestWithdrawal) checks the PIN itself (CheckPIN: wrong tries counted,
// 5 in a row lock payments), and refuses a call without one exactly as a
// wrong PIN (an empty PIN is a wrong try). Handlers only bind the field and
// pass it. The check runs after the idempotency key has been looked up: a
// retry of a finished request answers with the first result, and the same
// key with another request is refused (wallet.key_reused), before any PIN
// try is counted. Movements the server makes that are not a member paying
// (accepting or returning a transfer, claiming a packet, expiry refunds,
// vouchers, mints, settling a withdrawal) take no PIN.
func WithPIN(pin string) Option {
	return func(o *options) { o.pin = pin }
}

// gate is what must pass before an outgoing payment of the member runs:
// the PIN check, always. It runs outside the operation's transaction, on
// the app, so a wrong try is counted even though the payment is refused.
func (w *Wallet) gate(memberID string, opts []Option) func() error {
	var o options
	for _, f := range opts {
		f(&o)
	}
	return func() error { return w.CheckPIN(memberID, o.pin) }
}

// once runs do in one transaction under the member's idempotency key. The
// key and the result are recorded in the same transaction as the effects
// (a unique index on member and key), so an operation is applied at most
// once. A retry with the same key and the same request returns the stored
// result (replayed true), whatever do would answer now; the same key with
// another request is refused; of concurrent duplicates one commits and the
// others, finding its key, answer with its result. A refused operation (a
// Problem) rolls back and records nothing, so it may be retried.
//
// With a gate (the PIN check of an outgoing payment), the key is looked up
// first and the gate runs only for a key not used yet. Without one (an
// operation that pays the member, such as a voucher), the key is written
// last, so the usual first request costs one statement for it; a retry does
// the work again, finds the key taken and rolls back.
func once[T any](w *Wallet, memberID, key, op, fp string, gate func() error, do func(txApp core.App) (T, error)) (out T, replayed bool, err error) {
	if err := CheckKey(key); err != nil {
		return out, false, err
	}
	if gate != nil {
		first, found, err := replay[T](w.app, memberID, key, op, fp)
		if err != nil || found {
			return first, found, err
		}
		if err := gate(); err != nil {
			return out, false, err
		}
	}
	err = w.app.RunInTransaction(func(txApp core.App) error {
		var err error
		if out, err = do(txApp); err != nil {
			return err
		}
		data, err := json.Marshal(out)
		if err != nil {
			return fmt.Errorf("encode result: %w", err)
		}
		res, err := txApp.DB().NewQuery(`INSERT INTO wallet_requests (id, member, key, op, fingerprint, result, created)
			VALUES ({:id}, {:m}, {:k}, {:op}, {:fp}, {:r}, {:at}) ON CONFLICT (member, key) DO NOTHING`).
			Bind(dbx.Params{"id": core.GenerateDefaultRandomId(), "m": memberID, "k": key, "op": op, "fp": fp,
				"r": string(data), "at": w.Now().Format(types.DefaultDateLayout)}).Execute()
		if err != nil {
			return fmt.Errorf("record idempotency key: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errKeyTaken
		}
		return nil
	})
	if err == nil {
		return out, false, nil
	}
	// Refused, failed or a duplicate: if the key is stored, this is a retry
	// of what was done, and it gets the first answer.
	first, found, lerr := replay[T](w.app, memberID, key, op, fp)
	switch {
	case lerr != nil:
		return first, false, lerr
	case !found:
		var zero T
		return zero, false, err
	}
	return first, true, nil
}

// replay finds a stored request under the member's key: its result when
// it was the same request (found true), wallet.key_reused when it was
// another, nothing (found false) when the key is new.
func replay[T any](app core.App, memberID, key, op, fp string) (first T, found bool, err error) {
	var stored struct {
		Op          string `db:"op"`
		Fingerprint string `db:"fingerprint"`
		Result      string `db:"result"`
	}
	lookup := app.DB().NewQuery(`SELECT op, fingerprint, result FROM wallet_requests WHERE member = {:m} AND key = {:k}`).
		Bind(dbx.Params{"m": memberID, "k": key}).One(&stored)
	switch {
	case errors.Is(lookup, sql.ErrNoRows):
		return first, false, nil
	case lookup != nil:
		return first, false, fmt.Errorf("load idempotency key: %w", lookup)
	case stored.Op != op || stored.Fingerprint != fp:
		return first, false, problem.New(http.StatusConflict, "wallet.key_reused")
	}
	// Into a fresh value: the caller's may hold what a rolled-back retry made.
	if err := json.Unmarshal([]byte(stored.Result), &first); err != nil {
		return first, false, fmt.Errorf("decode stored result: %w", err)
	}
	return first, true, nil
}

// memberName is a member's display name for cards and receipts
// (accounts' rule: their name, or their Plaza ID).
func memberName(app core.App, memberID string) string {
	r, err := app.FindRecordById(accounts.Collection, memberID)
	if err != nil {
		// Display only: a member gone or a failed read shows an empty
		// name rather than failing the card or receipt it labels.
		return ""
	}
	return accounts.AsMember(r).DisplayName()
}

// MemberName is a member's display name as the wallet's pages show it.
func (w *Wallet) MemberName(memberID string) string { return memberName(w.app, memberID) }
