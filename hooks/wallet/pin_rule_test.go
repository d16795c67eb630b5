package wallet_test

import (
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/wallet"
)

// ledgerState is what a refused payment must leave as it was: the
// members' balances and the number of journal entries, postings and
// stored idempotency keys.
type ledgerState struct {
	ann, bo, cy                 int64
	entries, postings, requests int
}

func (wd *world) ledgerState(t *testing.T) ledgerState {
	t.Helper()
	s := ledgerState{ann: wd.balance(t, wd.ann), bo: wd.balance(t, wd.bo), cy: wd.balance(t, wd.cy)}
	for _, c := range []struct {
		table string
		n     *int
	}{{"wallet_entries", &s.entries}, {"wallet_postings", &s.postings}, {"wallet_requests", &s.requests}} {
		if err := wd.app.DB().NewQuery("SELECT COUNT(*) FROM " + c.table).Row(c.n); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

// TestEveryPaymentNeedsThePIN: the PIN rule lives in the operations, not
// in the handlers (issue 11). Each operation that moves money out of a
// member's balance, called through the Go API without a PIN or with a wrong
// one, is refused with the PIN error and writes nothing (balances, journal
// and keys unchanged, Verify clean); with the right PIN it pays, under the
// same key (a refusal recorded nothing); a retry answers the first result
// without a PIN (the key is looked up first). Wrong tries are counted
// although the payment is refused, and lock every payment.
func TestEveryPaymentNeedsThePIN(t *testing.T) {
	wd := newWorld(t)
	wd.mint(t, wd.ann, 10_000)
	wd.mint(t, wd.bo, 10_000)
	wd.mint(t, wd.cy, 10_000)
	const annPIN, boPIN = "246810", "135790"
	if err := wd.w.SetPIN(wd.ann.Id, annPIN); err != nil {
		t.Fatal(err)
	}
	if err := wd.w.SetPIN(wd.bo.Id, boPIN); err != nil {
		t.Fatal(err)
	}
	link, err := wd.w.CollectLink(wd.ann.Id, 0)
	if err != nil {
		t.Fatal(err)
	}
	collect, err := wd.w.ParseCollect(link)
	if err != nil {
		t.Fatal(err)
	}
	// Starting an AA collection moves no money: no PIN.
	aa, err := wd.w.StartAA(wd.ann.Id, wd.key(), wallet.AAInput{Conversation: wd.group, Title: "Dinner", Each: 250,
		Members: []string{wd.bo.Id, wd.cy.Id}})
	if err != nil {
		t.Fatal(err)
	}

	type payment func(payer *core.Record, key string, opts ...wallet.Option) error
	ops := []struct {
		name   string
		payer  *core.Record
		pin    string
		amount int64
		pay    payment
	}{
		{"SendTransfer", wd.ann, annPIN, 100, func(p *core.Record, key string, opts ...wallet.Option) error {
			_, err := wd.w.SendTransfer(p.Id, key, wallet.TransferInput{Conversation: wd.annBo, Amount: 100, Note: "lunch"}, opts...)
			return err
		}},
		{"SendPacket", wd.ann, annPIN, 300, func(p *core.Record, key string, opts ...wallet.Option) error {
			_, err := wd.w.SendPacket(p.Id, key, wallet.PacketInput{Conversation: wd.group, Kind: wallet.PacketLucky, Amount: 300, Count: 3}, opts...)
			return err
		}},
		{"Pay", wd.bo, boPIN, 350, func(p *core.Record, key string, opts ...wallet.Option) error {
			_, err := wd.w.Pay(p.Id, key, collect, 350, "coffee", opts...)
			return err
		}},
		{"PayAA", wd.bo, boPIN, 250, func(p *core.Record, key string, opts ...wallet.Option) error {
			_, err := wd.w.PayAA(p.Id, key, aa.ID, opts...)
			return err
		}},
		{"RequestWithdrawal", wd.ann, annPIN, 500, func(p *core.Record, key string, opts ...wallet.Option) error {
			_, err := wd.w.RequestWithdrawal(p.Id, key, 500, "bank account 1234", opts...)
			return err
		}},
	}
	refusals := []struct {
		what string
		opts []wallet.Option
	}{
		{"no PIN", nil},
		{"an empty PIN", []wallet.Option{wallet.WithPIN("")}},
		{"a wrong PIN", []wallet.Option{wallet.WithPIN("000000")}},
		{"a malformed PIN", []wallet.Option{wallet.WithPIN("12a456")}},
	}
	for _, op := range ops {
		key := wd.key()
		before := wd.ledgerState(t)
		for _, r := range refusals {
			if err := op.pay(op.payer, key, r.opts...); problemKey(err) != "wallet.pin_wrong" {
				t.Errorf("%s with %s: %v, want wallet.pin_wrong", op.name, r.what, problemKey(err))
			}
			if now := wd.ledgerState(t); now != before {
				t.Errorf("%s with %s wrote to the ledger: %+v, was %+v", op.name, r.what, now, before)
			}
			wd.verify(t)
		}
		// The right PIN under the same key: the refusals recorded nothing,
		// and the right PIN resets the count (four wrong tries above).
		if err := op.pay(op.payer, key, wallet.WithPIN(op.pin)); err != nil {
			t.Fatalf("%s with the right PIN: %v", op.name, err)
		}
		paid := wd.ledgerState(t)
		if paid.entries != before.entries+1 || paid.requests != before.requests+1 {
			t.Errorf("%s paid: %+v, was %+v: want one entry and one key more", op.name, paid, before)
		}
		if got, was := wd.balance(t, op.payer), map[string]int64{wd.ann.Id: before.ann, wd.bo.Id: before.bo}[op.payer.Id]; got != was-op.amount {
			t.Errorf("%s: payer's balance %d, was %d, want %d less", op.name, got, was, op.amount)
		}
		// A retry of the finished request answers before any PIN check.
		if err := op.pay(op.payer, key); err != nil {
			t.Errorf("%s retried without a PIN: %v, want the first result", op.name, err)
		}
		if now := wd.ledgerState(t); now != paid {
			t.Errorf("%s retry wrote to the ledger: %+v, was %+v", op.name, now, paid)
		}
		wd.verify(t)
	}
	if until, _ := wd.w.LockedUntil(wd.ann.Id); !until.IsZero() {
		t.Fatal("right PINs did not reset the count")
	}

	// A member who has set no PIN cannot pay at all.
	before := wd.ledgerState(t)
	for _, op := range ops {
		if err := op.pay(wd.cy, wd.key(), wallet.WithPIN("123456")); problemKey(err) != "wallet.no_pin" {
			t.Errorf("%s by a member with no PIN: %v, want wallet.no_pin", op.name, problemKey(err))
		}
		if err := op.pay(wd.cy, wd.key()); problemKey(err) != "wallet.no_pin" {
			t.Errorf("%s by a member with no PIN, none given: %v, want wallet.no_pin", op.name, problemKey(err))
		}
	}

	// Each refused call is a wrong try, counted though nothing is paid:
	// the fifth locks every payment, the right PIN included.
	for i, op := range []int{0, 1, 4, 0, 1} { // ann's operations, without a PIN
		err := ops[op].pay(wd.ann, wd.key())
		want := "wallet.pin_wrong"
		if i == wallet.PINTries-1 {
			want = "wallet.pin_locked"
		}
		if problemKey(err) != want {
			t.Fatalf("try %d (%s without a PIN): %v, want %s", i+1, ops[op].name, problemKey(err), want)
		}
	}
	for _, op := range ops {
		if op.name == "Pay" { // the collect code is Ann's own: wallet.pay_self
			continue
		}
		if err := op.pay(wd.ann, wd.key(), wallet.WithPIN(annPIN)); problemKey(err) != "wallet.pin_locked" {
			t.Errorf("%s with the right PIN while locked: %v, want wallet.pin_locked", op.name, problemKey(err))
		}
	}
	if now := wd.ledgerState(t); now != before {
		t.Errorf("refused payments wrote to the ledger: %+v, was %+v", now, before)
	}
	wd.verify(t)
}
