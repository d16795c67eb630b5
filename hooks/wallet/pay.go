package wallet

import (
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/accounts"
	"plaza/hooks/chat"
	"plaza/hooks/contacts"
	"plaza/hooks/links"
	"plaza/hooks/problem"
	"plaza/hooks/settings"
)

// Receipt card types in the Pay Notifications chat.
const (
	CardPaid     = "paid"     // you paid someone
	CardReceived = "received" // someone paid you
	CardRefund   = "refund"   // an expired transfer or red packet came back
)

// payChatKey and payChatName name each member's Pay Notifications chat.
const (
	payChatKey  = "pay"
	payChatName = "wallet.pay_notifications"
)

// collectParam is the signed amount of a fixed-amount collect code.
const collectParam = "a"

// CollectLink is the member's "Receive money" link for a QR code: open
// (amount 0, the payer types it) or fixed (the amount is signed into the
// link, so the payer cannot change it). Resetting the code voids all.
func (w *Wallet) CollectLink(memberID string, amount int64) (string, error) {
	if amount < 0 || amount > MaxAmount {
		return "", problem.Invalid("amount", "wallet.amount_bad", nil)
	}
	rec, err := w.app.FindRecordById(accounts.Collection, memberID)
	if err != nil {
		return "", fmt.Errorf("load member: %w", err)
	}
	// No account yet (sql.ErrNoRows) means epoch 0.
	var epoch int64
	err = w.app.DB().NewQuery(`SELECT epoch FROM wallet_accounts WHERE owner = {:m} AND kind = 'member'`).Bind(dbx.Params{"m": memberID}).Row(&epoch)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("read pay epoch: %w", err)
	}
	s, err := contacts.Signer(w.app)
	if err != nil {
		return "", err
	}
	l := links.Link{Kind: links.KindPay, Target: accounts.AsMember(rec).PlazaID(), Epoch: epoch}
	if amount > 0 {
		l.Params = url.Values{collectParam: {strconv.FormatInt(amount, 10)}}
	}
	return s.Path(l)
}

// ResetCollect voids every collect code the member has shown.
func (w *Wallet) ResetCollect(memberID string) error {
	return w.app.RunInTransaction(func(txApp core.App) error {
		if _, err := memberAccount(txApp, memberID, w.Now()); err != nil {
			return err
		}
		_, err := txApp.DB().NewQuery(`UPDATE wallet_accounts SET epoch = epoch + 1 WHERE owner = {:m} AND kind = 'member'`).
			Bind(dbx.Params{"m": memberID}).Execute()
		return err
	})
}

// Collect is a verified collect code: whom to pay and, for a fixed code,
// how much.
type Collect struct {
	Payee  *core.Record
	Amount int64 // 0: the payer chooses
}

// ParseCollect verifies a collect link (a full URL or a path) and finds the
// payee; a reset code is revoked. A full URL must be on this server
// (contacts.ParseOwn: the Application URL's host or one of hosts, the
// request's); any other host is scan.foreign, however well signed.
func (w *Wallet) ParseCollect(raw string, hosts ...string) (Collect, error) {
	l, err := contacts.ParseOwn(w.app, raw, w.Now(), hosts...)
	if err != nil {
		return Collect{}, contacts.ScanProblem(err)
	}
	if l.Kind != links.KindPay {
		return Collect{}, problem.New(http.StatusBadRequest, "scan.tampered")
	}
	payee, err := accounts.FindByPlazaID(w.app, l.Target)
	if err != nil {
		return Collect{}, contacts.ScanProblem(links.ErrRevoked)
	}
	// No account yet (sql.ErrNoRows) means epoch 0.
	var epoch int64
	err = w.app.DB().NewQuery(`SELECT epoch FROM wallet_accounts WHERE owner = {:m} AND kind = 'member'`).Bind(dbx.Params{"m": payee.Id}).Row(&epoch)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return Collect{}, fmt.Errorf("read pay epoch: %w", err)
	}
	if l.Epoch != epoch {
		return Collect{}, contacts.ScanProblem(links.ErrRevoked)
	}
	c := Collect{Payee: payee}
	if a := l.Params.Get(collectParam); a != "" {
		if c.Amount, err = strconv.ParseInt(a, 10, 64); err != nil || c.Amount <= 0 || c.Amount > MaxAmount {
			return Collect{}, contacts.ScanProblem(links.ErrTampered)
		}
	}
	return c, nil
}

// Receipt is one finished payment.
type Receipt struct {
	Entry  string `json:"entry"`
	Payer  string `json:"payer"`
	Payee  string `json:"payee"`
	Amount int64  `json:"amount"`
	Memo   string `json:"memo,omitempty"`
}

// Pay moves amount cents from the payer to the payee of a verified collect
// code (the amount of a fixed code comes from the code, never the form),
// with a receipt to each in their Pay Notifications chat. It is an outgoing
// payment: it needs the payer's pay PIN (WithPIN) and checks it itself after
// the idempotency key is found new; without it, it is refused as a wrong PIN.
func (w *Wallet) Pay(payerID, key string, c Collect, amount int64, memo string, opts ...Option) (Receipt, error) {
	if c.Amount > 0 {
		amount = c.Amount
	}
	memo = strings.TrimSpace(memo)
	switch {
	case c.Payee == nil:
		return Receipt{}, notFound()
	case c.Payee.Id == payerID:
		return Receipt{}, problem.New(http.StatusBadRequest, "wallet.pay_self")
	case amount <= 0 || amount > MaxAmount:
		return Receipt{}, problem.Invalid("amount", "wallet.amount_bad", nil)
	case len([]rune(memo)) > NoteMax:
		return Receipt{}, problem.Invalid("memo", "profile.too_long", map[string]any{"max": NoteMax})
	}
	now := w.Now()
	var notes []notice
	r, replayed, err := once(w, payerID, key, "pay", fingerprint("pay", c.Payee.Id, amount, c.Amount, memo), w.gate(payerID, opts), func(txApp core.App) (Receipt, error) {
		from, err := memberAccount(txApp, payerID, now)
		if err != nil {
			return Receipt{}, err
		}
		to, err := memberAccount(txApp, c.Payee.Id, now)
		if err != nil {
			return Receipt{}, err
		}
		entry, err := post(txApp, Entry{Kind: EntryPay, Payer: payerID, Payee: c.Payee.Id, Memo: memo,
			Postings: []Posting{{from, -amount}, {to, amount}}}, now)
		if err != nil {
			return Receipt{}, err
		}
		r := Receipt{Entry: entry, Payer: payerID, Payee: c.Payee.Id, Amount: amount, Memo: memo}
		notes, err = w.notifyBoth(txApp, r, CardPaid, CardReceived)
		return r, err
	})
	if err != nil {
		return Receipt{}, err
	}
	if !replayed {
		w.announce(notes)
	}
	return r, nil
}

// notice is a receipt stored in a Pay Notifications chat, to deliver after
// the commit.
type notice struct {
	conv string
	res  chat.SendResult
}

func (w *Wallet) announce(ns []notice) {
	for _, n := range ns {
		w.chat.Announce(n.conv, n.res)
	}
}

// notify puts a receipt card in the member's Pay Notifications chat.
func (w *Wallet) notify(txApp core.App, memberID, cardType string, amount int64, sub, entry string) (notice, error) {
	conv, err := chat.ServiceChat(txApp, memberID, payChatKey, payChatName)
	if err != nil {
		return notice{}, err
	}
	title := symbol(txApp) + FormatAmount(amount)
	res, err := w.chat.NotifyInTx(txApp, conv, &chat.Card{Type: cardType, Ref: entry, Title: title, Sub: sub, Link: "/wallet/bills/" + entry})
	if err != nil {
		return notice{}, err
	}
	return notice{conv: conv, res: res}, nil
}

// notifyBoth sends the payer's and the payee's receipts of one payment.
func (w *Wallet) notifyBoth(txApp core.App, r Receipt, payerCard, payeeCard string) ([]notice, error) {
	a, err := w.notify(txApp, r.Payer, payerCard, r.Amount, memberName(txApp, r.Payee), r.Entry)
	if err != nil {
		return nil, err
	}
	b, err := w.notify(txApp, r.Payee, payeeCard, r.Amount, memberName(txApp, r.Payer), r.Entry)
	if err != nil {
		return nil, err
	}
	return []notice{a, b}, nil
}

// symbol is the community's currency symbol.
func symbol(app core.App) string { return settings.Get(app).CurrencySymbol }

// Symbol is the community's currency symbol ("¥").
func (w *Wallet) Symbol() string { return symbol(w.app) }

// Money writes cents with the currency symbol: "¥12.50".
func (w *Wallet) Money(cents int64) string { return symbol(w.app) + FormatAmount(cents) }
