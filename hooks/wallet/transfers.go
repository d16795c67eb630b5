package wallet

import (
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"plaza/hooks/chat"
	"plaza/hooks/problem"
	"plaza/hooks/settings"
)

// TransfersCollection holds transfers between two members of a 1:1 chat.
const TransfersCollection = "wallet_transfers"

// Transfer states: pending until exactly one of the others.
const (
	TransferPending  = "pending"
	TransferAccepted = "accepted"
	TransferReturned = "returned"
	TransferRefunded = "refunded" // not accepted within TransferTTL
)

// TransferTTL is how long a transfer waits for its recipient.
const TransferTTL = 24 * time.Hour

// NoteMax is the longest transfer note or red-packet greeting (characters).
const NoteMax = 40

// Card types of transfers in chat.
const (
	CardTransfer = "transfer" // sent: tap to accept or return
	CardAccepted = "accepted" // the recipient accepted it
	CardReturned = "returned" // the recipient returned it
)

// Transfer is one transfer as its two members see it.
type Transfer struct {
	ID           string    `json:"id" db:"id"`
	Sender       string    `json:"sender" db:"sender"`
	Recipient    string    `json:"recipient" db:"recipient"`
	Conversation string    `json:"conversation" db:"conversation"`
	Message      string    `json:"message" db:"message"`
	Amount       int64     `json:"amount" db:"amount"`
	Note         string    `json:"note" db:"note"`
	State        string    `json:"state" db:"state"`
	Escrow       string    `json:"-" db:"escrow"`
	Reply        string    `json:"-" db:"reply"`
	ExpiresRaw   string    `json:"-" db:"expires"`
	SettledRaw   string    `json:"-" db:"settled"`
	CreatedRaw   string    `json:"-" db:"created"`
	Expires      time.Time `json:"expires" db:"-"`
}

func (t *Transfer) parse() {
	t.Expires, _ = time.Parse(types.DefaultDateLayout, t.ExpiresRaw)
}

const transferColumns = "id, sender, recipient, conversation, message, amount, note, state, escrow, reply, expires, settled, created"

func loadTransfer(app core.App, id string) (Transfer, error) {
	var t Transfer
	err := app.DB().NewQuery("SELECT " + transferColumns + " FROM wallet_transfers WHERE id = {:id}").
		Bind(dbx.Params{"id": id}).One(&t)
	if errors.Is(err, sql.ErrNoRows) {
		return t, notFound()
	}
	if err != nil {
		return t, fmt.Errorf("load transfer: %w", err)
	}
	t.parse()
	return t, nil
}

func notFound() error { return problem.New(http.StatusNotFound, "wallet.not_found") }

// TransferFor returns a transfer its sender or recipient may see.
func (w *Wallet) TransferFor(memberID, id string) (Transfer, error) {
	t, err := loadTransfer(w.app, id)
	if err != nil {
		return t, err
	}
	if t.Sender != memberID && t.Recipient != memberID {
		return Transfer{}, notFound()
	}
	return t, nil
}

// StateNow is the transfer's state as its members see it now: a pending
// transfer whose time is up shows as refunded (the sweep refunds it within
// a minute).
func (w *Wallet) StateNow(t Transfer) string {
	if t.State == TransferPending && !w.Now().Before(t.Expires) {
		return TransferRefunded
	}
	return t.State
}

// TransferInput is a transfer a member asks for.
type TransferInput struct {
	Conversation string // a 1:1 chat the sender is in
	Amount       int64  // cents
	Note         string
}

func (in TransferInput) check(s settings.Settings) (TransferInput, error) {
	in.Note = strings.TrimSpace(in.Note)
	p := &problem.Problem{Status: http.StatusBadRequest}
	if in.Amount <= 0 || in.Amount > MaxAmount {
		p.Add("amount", "wallet.amount_bad", nil)
	} else if in.Amount > s.TransferMax {
		p.Add("amount", "wallet.transfer_max", map[string]any{"max": s.CurrencySymbol + FormatAmount(s.TransferMax)})
	}
	if utf8.RuneCountInString(in.Note) > NoteMax {
		p.Add("note", "profile.too_long", map[string]any{"max": NoteMax})
	}
	return in, p.OrNil()
}

// SendTransfer debits the sender into a new escrow account at once and puts
// a transfer card in the 1:1 chat, all in one transaction under the
// idempotency key. It is an outgoing payment: it needs the member's pay
// PIN (WithPIN) and checks it itself after the key is found new (a retry
// never counts as a PIN try); without it, it is refused as a wrong PIN.
func (w *Wallet) SendTransfer(memberID, key string, in TransferInput, opts ...Option) (Transfer, error) {
	s := settings.Get(w.app)
	in, err := in.check(s)
	if err != nil {
		return Transfer{}, err
	}
	now := w.Now()
	var sent chat.SendResult
	t, replayed, err := once(w, memberID, key, "transfer", fingerprint("transfer", in.Conversation, in.Amount, in.Note), w.gate(memberID, opts),
		func(txApp core.App) (Transfer, error) {
			peer, err := directPeer(txApp, memberID, in.Conversation)
			if err != nil {
				return Transfer{}, err
			}
			t := Transfer{ID: core.GenerateDefaultRandomId(), Sender: memberID, Recipient: peer, Conversation: in.Conversation,
				Amount: in.Amount, Note: in.Note, State: TransferPending, Expires: now.Add(TransferTTL)}
			if t.Escrow, err = debitIntoEscrow(txApp, Entry{Kind: EntryTransfer, Ref: t.ID, Payer: memberID, Payee: peer, Memo: in.Note},
				in.Amount, s.TransferDailyMax, now); err != nil {
				return t, err
			}
			// The card first (offered to chat's builder), then the row with its message id.
			card := &chat.Card{Type: CardTransfer, Ref: t.ID, Title: s.CurrencySymbol + FormatAmount(t.Amount), Sub: t.Note, Link: "/wallet/transfers/" + t.ID}
			sent, err = w.chat.SendCardInTx(txApp, memberID, in.Conversation, "transfer-"+t.ID, card)
			if err != nil {
				return t, err
			}
			t.Message = sent.Message.ID
			if _, err := txApp.DB().NewQuery(`INSERT INTO wallet_transfers (id, sender, recipient, conversation, message, amount, note, state, escrow, expires, settled, reply, created)
				VALUES ({:id}, {:s}, {:r}, {:c}, {:msg}, {:amt}, {:note}, 'pending', {:esc}, {:exp}, '', '', {:at})`).
				Bind(dbx.Params{"id": t.ID, "s": memberID, "r": peer, "c": in.Conversation, "msg": t.Message, "amt": in.Amount, "note": in.Note,
					"esc": t.Escrow, "exp": t.Expires.Format(types.DefaultDateLayout), "at": now.Format(types.DefaultDateLayout)}).Execute(); err != nil {
				return t, fmt.Errorf("insert transfer: %w", err)
			}
			return t, nil
		})
	if err != nil {
		return Transfer{}, err
	}
	if !replayed {
		w.chat.Announce(in.Conversation, sent)
	}
	return t, nil
}

// AcceptTransfer credits the recipient from the escrow. Accepting twice
// returns the accepted transfer again; a transfer already returned or
// refunded cannot be accepted. It pays the member, so it takes no PIN.
func (w *Wallet) AcceptTransfer(memberID, id string) (Transfer, error) {
	return w.settleByRecipient(memberID, id, TransferAccepted)
}

// ReturnTransfer gives a pending transfer back to its sender. The money
// goes back where it came from, so it takes no PIN.
func (w *Wallet) ReturnTransfer(memberID, id string) (Transfer, error) {
	return w.settleByRecipient(memberID, id, TransferReturned)
}

func (w *Wallet) settleByRecipient(memberID, id, to string) (Transfer, error) {
	now := w.Now()
	var t Transfer
	var sent chat.SendResult
	var refused error
	err := w.app.RunInTransaction(func(txApp core.App) error {
		var err error
		if t, err = loadTransfer(txApp, id); err != nil {
			return err
		}
		if t.Recipient != memberID {
			if t.Sender == memberID {
				return problem.New(http.StatusForbidden, "wallet.not_recipient")
			}
			return notFound()
		}
		ok, err := w.settleTransfer(txApp, &t, to, now)
		if err != nil {
			return err
		}
		if !ok && t.State == TransferPending {
			// Expired and not swept yet: refund it now, as the sweep would.
			if _, err := w.settleTransfer(txApp, &t, TransferRefunded, now); err != nil {
				return err
			}
		}
		if !ok {
			if t.State != to {
				refused = problem.New(http.StatusConflict, "wallet.transfer_"+t.State)
			}
			return nil // a retry of what was done already, or refused
		}
		card := CardAccepted
		if to == TransferReturned {
			card = CardReturned
		}
		sent, err = w.chat.SendCardInTx(txApp, memberID, t.Conversation, card+"-"+t.ID, &chat.Card{Type: card, Ref: t.ID,
			Title: symbol(txApp) + FormatAmount(t.Amount), Sub: t.Note, Link: "/wallet/transfers/" + t.ID})
		if _, refused := problem.As(err); refused {
			return nil // no longer friends: the money moves, no card is shown
		}
		if err != nil {
			return err
		}
		_, err = txApp.DB().NewQuery(`UPDATE wallet_transfers SET reply = {:msg} WHERE id = {:id}`).
			Bind(dbx.Params{"msg": sent.Message.ID, "id": t.ID}).Execute()
		return err
	})
	if err != nil {
		return Transfer{}, err
	}
	if sent.New {
		w.chat.Announce(t.Conversation, sent)
	}
	if refused == nil {
		w.chat.CardChanged(t.Conversation, CardTransfer, t.ID) // Accepted or Returned, live
	}
	return t, refused
}

// settleTransfer moves a pending transfer to a terminal state with one
// conditional update (accept and return only before it expires, refund only
// from its expiry on), then moves the escrow. It reports false, with t
// reloaded, when the transfer was no longer pending or the time was wrong.
func (w *Wallet) settleTransfer(txApp core.App, t *Transfer, to string, now time.Time) (bool, error) {
	cond := "expires > {:now}"
	if to == TransferRefunded {
		cond = "expires <= {:now}"
	}
	at := now.Format(types.DefaultDateLayout)
	res, err := txApp.DB().NewQuery(`UPDATE wallet_transfers SET state = {:to}, settled = {:now} WHERE id = {:id} AND state = 'pending' AND ` + cond).
		Bind(dbx.Params{"to": to, "now": at, "id": t.ID}).Execute()
	if err != nil {
		return false, fmt.Errorf("settle transfer: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		fresh, err := loadTransfer(txApp, t.ID)
		if err != nil {
			return false, err
		}
		*t = fresh
		return false, nil
	}
	kind, payee := EntryTransferAccept, t.Recipient
	switch to {
	case TransferReturned:
		kind, payee = EntryTransferReturn, t.Sender
	case TransferRefunded:
		kind, payee = EntryTransferRefund, t.Sender
	}
	dest, err := memberAccount(txApp, payee, now)
	if err != nil {
		return false, err
	}
	if _, err := post(txApp, Entry{Kind: kind, Ref: t.ID, Payer: t.Sender, Payee: payee,
		Postings: []Posting{{t.Escrow, -t.Amount}, {dest, t.Amount}}}, now); err != nil {
		return false, err
	}
	t.State, t.SettledRaw = to, at
	return true, nil
}

// debitIntoEscrow is post() for a transfer, in four statements instead of
// seven: the journal entry; one conditional update of the sender's wallet
// that finds it by owner, checks the balance and today's (UTC) transfer
// limit, debits it and counts the amount; a new escrow account created
// with the amount already in it; both postings in one insert. It returns
// the escrow account. A refusal (insufficient balance, over the daily
// limit) is a Problem, and the caller's transaction rolls back.
func debitIntoEscrow(txApp core.App, e Entry, amount, dailyLimit int64, now time.Time) (string, error) {
	if amount <= 0 || amount > MaxAmount {
		return "", ErrUnbalanced
	}
	at := now.UTC().Format(types.DefaultDateLayout)
	db := txApp.DB()
	var from struct {
		ID      string `db:"id"`
		Balance int64  `db:"balance"`
	}
	err := db.NewQuery(`UPDATE wallet_accounts SET balance = balance - {:amt},
		day_out = (CASE WHEN day = {:d} THEN day_out ELSE 0 END) + {:amt}, day = {:d}, updated = {:at}
		WHERE owner = {:m} AND kind = 'member' AND balance >= {:amt}
		AND (CASE WHEN day = {:d} THEN day_out ELSE 0 END) + {:amt} <= {:max} RETURNING id, balance`).
		Bind(dbx.Params{"m": e.Payer, "amt": amount, "d": now.UTC().Format("2006-01-02"), "max": dailyLimit, "at": at}).One(&from)
	if errors.Is(err, sql.ErrNoRows) {
		// Which condition failed: the daily limit is reported first.
		var today int64
		err := db.NewQuery(`SELECT CASE WHEN day = {:d} THEN day_out ELSE 0 END FROM wallet_accounts WHERE owner = {:m} AND kind = 'member'`).
			Bind(dbx.Params{"m": e.Payer, "d": now.UTC().Format("2006-01-02")}).Row(&today)
		if err == nil && today+amount > dailyLimit {
			return "", problem.Invalid("amount", "wallet.transfer_daily_max", map[string]any{"max": settings.Get(txApp).CurrencySymbol + FormatAmount(dailyLimit)})
		}
		return "", errInsufficient()
	}
	if err != nil {
		return "", fmt.Errorf("debit sender: %w", err)
	}
	entry := core.GenerateDefaultRandomId()
	if err := insertEntry(txApp, entry, e, at); err != nil {
		return "", err
	}
	escrow, err := insertAccount(txApp, AccountEscrow, "", e.Kind+":"+e.Ref, amount, at)
	if err != nil {
		return "", err
	}
	if _, err := db.NewQuery(`INSERT INTO wallet_postings (id, entry, account, amount, balance, created)
		VALUES ({:p1}, {:entry}, {:from}, {:neg}, {:bal}, {:at}), ({:p2}, {:entry}, {:esc}, {:amt}, {:amt}, {:at})`).
		Bind(dbx.Params{"p1": core.GenerateDefaultRandomId(), "p2": core.GenerateDefaultRandomId(), "entry": entry, "from": from.ID,
			"neg": -amount, "bal": from.Balance, "esc": escrow, "amt": amount, "at": at}).Execute(); err != nil {
		return "", fmt.Errorf("insert postings: %w", err)
	}
	return escrow, nil
}
