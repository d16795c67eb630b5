package wallet

import (
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
	"golang.org/x/crypto/bcrypt"

	"plaza/hooks/accounts"
	"plaza/hooks/problem"
)

// PINsCollection holds each member's pay PIN hash and wrong-try count.
const PINsCollection = "wallet_pins"

// PIN rules: 6 digits; PINTries wrong tries in a row lock every payment for
// PINLock, recorded in the database so a restart does not lift it.
const (
	PINTries = 5
	PINLock  = 3 * time.Hour
)

// PINCost is the bcrypt cost of PIN hashes (about 50–80 ms a check on one
// core at 10). Tests that run thousands of payments lower it.
var PINCost = bcrypt.DefaultCost

// ValidPIN reports whether s is a 6-digit PIN.
func ValidPIN(s string) bool {
	if len(s) != 6 {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

type pinRow struct {
	Hash        string `db:"hash"`
	Failures    int    `db:"failures"`
	LockedUntil string `db:"locked_until"`
}

func (w *Wallet) pinLock(memberID string) *sync.Mutex {
	mu, _ := w.pinLocks.LoadOrStore(memberID, &sync.Mutex{})
	return mu.(*sync.Mutex)
}

func (w *Wallet) loadPIN(memberID string) (pinRow, bool, error) {
	var r pinRow
	err := w.app.DB().NewQuery(`SELECT hash, failures, locked_until FROM wallet_pins WHERE member = {:m}`).
		Bind(dbx.Params{"m": memberID}).One(&r)
	if errors.Is(err, sql.ErrNoRows) {
		return r, false, nil
	}
	if err != nil {
		return r, false, fmt.Errorf("load pay PIN: %w", err)
	}
	return r, true, nil
}

// HasPIN reports whether the member has set a pay PIN.
func (w *Wallet) HasPIN(memberID string) (bool, error) {
	_, ok, err := w.loadPIN(memberID)
	return ok, err
}

// LockedUntil is when the member's payments unlock (zero when they are not
// locked).
func (w *Wallet) LockedUntil(memberID string) (time.Time, error) {
	r, ok, err := w.loadPIN(memberID)
	if err != nil || !ok {
		return time.Time{}, err
	}
	return w.lockedUntil(r), nil
}

func (w *Wallet) lockedUntil(r pinRow) time.Time {
	if r.LockedUntil == "" {
		return time.Time{}
	}
	t, err := time.Parse(types.DefaultDateLayout, r.LockedUntil)
	if err != nil {
		t, err = time.Parse("2006-01-02 15:04:05Z07:00", r.LockedUntil)
	}
	if err != nil || !t.After(w.Now()) {
		return time.Time{}
	}
	return t
}

func lockedProblem(until time.Time) error {
	p := problem.New(http.StatusForbidden, "wallet.pin_locked")
	p.Args = map[string]any{"until": until.UTC().Format("2006-01-02 15:04 UTC")}
	return p
}

// SetPIN sets the member's first pay PIN; it cannot overwrite one (that is
// ChangePIN).
func (w *Wallet) SetPIN(memberID, pin string) error {
	if !ValidPIN(pin) {
		return problem.Invalid("pin", "wallet.pin_format", nil)
	}
	stored, err := w.storePIN(memberID, pin, false)
	if err != nil {
		return err
	}
	if !stored {
		return problem.New(http.StatusConflict, "wallet.pin_exists")
	}
	return nil
}

// storePIN hashes pin and writes it as the member's pay PIN, holding the
// member's PIN lock. A first PIN (replace false) never overwrites one and
// reports whether it was stored; a replacement also clears the failures and
// lifts a lock: the old PIN or the login password proved the member, as a
// reset would.
func (w *Wallet) storePIN(memberID, pin string, replace bool) (bool, error) {
	hash, err := bcrypt.GenerateFromPassword([]byte(pin), PINCost)
	if err != nil {
		return false, fmt.Errorf("hash PIN: %w", err)
	}
	onConflict := `DO NOTHING`
	if replace {
		onConflict = `DO UPDATE SET hash = excluded.hash, failures = 0, locked_until = '', updated = excluded.updated`
	}
	mu := w.pinLock(memberID)
	mu.Lock()
	defer mu.Unlock()
	now := w.Now().Format(types.DefaultDateLayout)
	res, err := w.app.DB().NewQuery(`INSERT INTO wallet_pins (id, member, hash, failures, locked_until, created, updated)
		VALUES ({:id}, {:m}, {:h}, 0, '', {:at}, {:at}) ON CONFLICT (member) ` + onConflict).
		Bind(dbx.Params{"id": core.GenerateDefaultRandomId(), "m": memberID, "h": string(hash), "at": now}).Execute()
	if err != nil {
		return false, fmt.Errorf("store PIN: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("store PIN: %w", err)
	}
	return n > 0, nil
}

// CheckPIN verifies the member's pay PIN before an outgoing payment. A
// wrong PIN counts towards the lock; PINTries in a row lock payments for
// PINLock. Checks of one member run one at a time, so parallel guesses
// cannot get past the count.
func (w *Wallet) CheckPIN(memberID, pin string) error {
	mu := w.pinLock(memberID)
	mu.Lock()
	defer mu.Unlock()
	r, ok, err := w.loadPIN(memberID)
	if err != nil {
		return err
	}
	if !ok {
		return problem.New(http.StatusForbidden, "wallet.no_pin")
	}
	if until := w.lockedUntil(r); !until.IsZero() {
		return lockedProblem(until)
	}
	if ValidPIN(pin) && bcrypt.CompareHashAndPassword([]byte(r.Hash), []byte(pin)) == nil {
		if r.Failures > 0 {
			if _, err := w.app.DB().NewQuery(`UPDATE wallet_pins SET failures = 0, updated = {:at} WHERE member = {:m}`).
				Bind(dbx.Params{"m": memberID, "at": w.Now().Format(types.DefaultDateLayout)}).Execute(); err != nil {
				return fmt.Errorf("reset PIN tries: %w", err)
			}
		}
		return nil
	}
	failures := r.Failures + 1
	lock := ""
	if failures >= PINTries {
		lock = w.Now().Add(PINLock).Format(types.DefaultDateLayout)
		failures = 0
	}
	if _, err := w.app.DB().NewQuery(`UPDATE wallet_pins SET failures = {:f}, locked_until = CASE WHEN {:lock} != '' THEN {:lock} ELSE locked_until END, updated = {:at} WHERE member = {:m}`).
		Bind(dbx.Params{"m": memberID, "f": failures, "lock": lock, "at": w.Now().Format(types.DefaultDateLayout)}).Execute(); err != nil {
		return fmt.Errorf("count PIN try: %w", err)
	}
	if lock != "" {
		until, _ := time.Parse(types.DefaultDateLayout, lock)
		return lockedProblem(until)
	}
	p := problem.New(http.StatusForbidden, "wallet.pin_wrong")
	p.Args = map[string]any{"count": PINTries - failures} // tries left; the message has plural forms
	return p
}

// ChangePIN replaces the pay PIN, proven by the old PIN (which counts
// towards the lock like any PIN check) or by the login password.
func (w *Wallet) ChangePIN(memberID, oldPIN, password, newPIN string) error {
	if !ValidPIN(newPIN) {
		return problem.Invalid("new_pin", "wallet.pin_format", nil)
	}
	if oldPIN != "" {
		if err := w.CheckPIN(memberID, oldPIN); err != nil {
			return err
		}
	} else {
		rec, err := w.app.FindRecordById(accounts.Collection, memberID)
		if err != nil {
			return fmt.Errorf("load member: %w", err)
		}
		// Throttled like sign-in (accounts.PasswordOK): this form must not
		// become a way to guess the login password.
		if ok, err := accounts.PasswordOK(w.app, rec, password); err != nil {
			return err
		} else if !ok {
			return problem.Invalid("password", "wallet.password_wrong", nil)
		}
	}
	// The login password also lifts a lock: it proves the member, as a
	// reset would.
	_, err := w.storePIN(memberID, newPIN, true)
	return err
}

// PINForm is what a member typed on the PIN page.
type PINForm struct {
	New, Confirm string
	Old          string // changing: the current PIN, or
	Password     string // the login password instead
}

// SavePIN sets the member's first pay PIN, or changes it (ChangePIN) when
// they have one: the new PIN must be 6 digits and typed twice alike.
func (w *Wallet) SavePIN(memberID string, f PINForm) error {
	has, err := w.HasPIN(memberID)
	switch {
	case err != nil:
		return err
	case !ValidPIN(f.New):
		return problem.Invalid("new_pin", "wallet.pin_format", nil)
	case f.New != f.Confirm:
		return problem.Invalid("confirm", "wallet.pin_mismatch", nil)
	case has:
		return w.ChangePIN(memberID, f.Old, f.Password, f.New)
	}
	return w.SetPIN(memberID, f.New)
}
