package wallet_test

import (
	"errors"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/problem"
	"plaza/hooks/wallet"
)

// shop is the mini program the merchant tests pay (its owner id stands for
// the mini program's record id).
var shop = wallet.Merchant{Owner: "mpapp0000000001", Ref: "mp:mp0123456789abcdef", Name: "Coffee Corner"}

// merchantState is a ledgerState with the shop's balance.
type merchantState struct {
	ledgerState
	shop int64
}

func (wd *world) merchantState(t *testing.T) merchantState {
	t.Helper()
	b, err := wallet.MerchantBalance(wd.app, shop.Owner)
	if err != nil {
		t.Fatal(err)
	}
	return merchantState{wd.ledgerState(t), b}
}

// receiptCard is the type and sub of the receipt card of entry in the
// member's Pay Notifications chat ("" when there is none).
func receiptCard(t *testing.T, app core.App, memberID, entry string) (typ, sub string) {
	t.Helper()
	var row struct {
		Type string `db:"typ"`
		Sub  string `db:"sub"`
	}
	err := app.DB().NewQuery(`SELECT json_extract(m.meta, '$.card.type') AS typ, COALESCE(json_extract(m.meta, '$.card.sub'), '') AS sub
		FROM messages m JOIN conversations c ON c.id = m.conversation AND c.kind = 'service'
		JOIN conversation_members cm ON cm.conversation = c.id AND cm.member = {:m}
		WHERE m.kind = 'card' AND json_extract(m.meta, '$.card.ref') = {:e}`).
		Bind(dbx.Params{"m": memberID, "e": entry}).One(&row)
	if err != nil {
		return "", ""
	}
	return row.Type, row.Sub
}

func (wd *world) payShop(memberID, key string, amount, cap int64, then func(core.App, string) error, opts ...wallet.Option) (wallet.Receipt, error) {
	return wd.w.PayMerchant(memberID, key, wallet.Charge{Merchant: shop, Amount: amount, Memo: "Latte ×2", Ref: "mp_order:ord000000000001",
		DailyCap: cap}, then, opts...)
}

// TestMerchantPay: a member pays a mini program with the PIN; the
// merchant account opens on first use; then runs in the transaction; the
// receipt lands in the payer's Pay Notifications chat; a retry returns the
// first receipt; wrong or missing PINs move nothing; bills name the shop.
func TestMerchantPay(t *testing.T) {
	wd := newWorld(t)
	wd.mint(t, wd.ann, 10_000)
	pin := wd.pinFor(wd.ann.Id)
	key := wd.key()
	before := wd.merchantState(t)
	for name, opts := range map[string][]wallet.Option{"no PIN": nil, "a wrong PIN": {wallet.WithPIN("000000")}} {
		if _, err := wd.payShop(wd.ann.Id, key, 1_500, 0, nil, opts...); problemKey(err) != "wallet.pin_wrong" {
			t.Fatalf("%s: %v, want wallet.pin_wrong", name, problemKey(err))
		}
		if now := wd.merchantState(t); now != before {
			t.Fatalf("%s moved money: %+v, was %+v", name, now, before)
		}
		wd.verify(t)
	}
	calls := 0
	then := func(txApp core.App, entry string) error {
		calls++
		var kind string // the entry is visible in the caller's transaction
		return txApp.DB().NewQuery(`SELECT kind FROM wallet_entries WHERE id = {:e}`).Bind(dbx.Params{"e": entry}).Row(&kind)
	}
	r, err := wd.payShop(wd.ann.Id, key, 1_500, 0, then, pin)
	if err != nil || r.Amount != 1_500 || r.Payee != shop.Owner || r.Memo != "Latte ×2" || calls != 1 {
		t.Fatalf("pay: %+v %v (then called %d times)", r, err, calls)
	}
	if a, s := wd.balance(t, wd.ann), wd.merchantState(t).shop; a != 8_500 || s != 1_500 {
		t.Fatalf("ann %d, shop %d", a, s)
	}
	wd.verify(t)
	if typ, sub := receiptCard(t, wd.app, wd.ann.Id, r.Entry); typ != wallet.CardPaid || sub != shop.Name {
		t.Fatalf("receipt card %q %q", typ, sub)
	}
	paid := wd.merchantState(t)
	again, err := wd.payShop(wd.ann.Id, key, 1_500, 0, then) // a retry needs no PIN
	if err != nil || again != r || calls != 1 {
		t.Fatalf("retry: %+v %v, want %+v (then called %d times)", again, err, r, calls)
	}
	if _, err := wd.payShop(wd.ann.Id, key, 1_600, 0, then, pin); problemKey(err) != "wallet.key_reused" {
		t.Fatalf("the key for another amount: %v", err)
	}
	if now := wd.merchantState(t); now != paid {
		t.Fatalf("retries moved money: %+v, was %+v", now, paid)
	}
	if got, err := wd.w.PaidMerchantToday(wd.ann.Id, shop.Owner); err != nil || got != 1_500 {
		t.Fatalf("paid today %d %v", got, err)
	}
	// The bill names the shop and shows the order's description.
	b, err := wallet.BillFor(wd.app, wd.ann.Id, r.Entry)
	if err != nil || b.Merchant != shop.Name || b.Memo != "Latte ×2" || b.With(wd.ann.Id) != "" || b.Amount != -1_500 {
		t.Fatalf("bill %+v %v", b, err)
	}
	for _, k := range []string{"", "out", "pay"} {
		rows, _, out, err := wallet.Bills(wd.app, wd.ann.Id, time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), k)
		if err != nil || len(rows) == 0 || rows[0].Entry != r.Entry || rows[0].Merchant != shop.Name || out != 1_500 {
			t.Fatalf("bills %q: %+v out %d %v", k, rows, out, err)
		}
	}
	if _, err := wd.payShop(wd.bo.Id, wd.key(), 100, 0, nil, wd.pinFor(wd.bo.Id)); problemKey(err) != "wallet.insufficient" {
		t.Fatalf("bo has nothing: %v", err)
	}
	wd.verify(t)
}

// TestMerchantDailyCap: up to the cap is paid, one cent more is refused
// with the cap and today's total and moves nothing; refunds give no room;
// the next UTC day starts again.
func TestMerchantDailyCap(t *testing.T) {
	wd := newWorld(t)
	wd.mint(t, wd.ann, 10_000)
	pin := wd.pinFor(wd.ann.Id)
	first, err := wd.payShop(wd.ann.Id, wd.key(), 2_000, 3_000, nil, pin)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := wd.payShop(wd.ann.Id, wd.key(), 1_000, 3_000, nil, pin); err != nil {
		t.Fatalf("up to the cap: %v", err)
	}
	before := wd.merchantState(t)
	_, err = wd.payShop(wd.ann.Id, wd.key(), 1, 3_000, nil, pin)
	p, ok := problem.As(err)
	if !ok || p.Key != "wallet.merchant_cap" || p.Status != 409 || p.Args["cap"] != int64(3_000) || p.Args["paid_today"] != int64(3_000) {
		t.Fatalf("one cent over the cap: %v %+v", err, p)
	}
	if now := wd.merchantState(t); now != before {
		t.Fatalf("a refused payment moved money: %+v, was %+v", now, before)
	}
	wd.verify(t)
	if _, err := wd.w.RefundMerchant(shop, wd.ann.Id, first.Entry, 2_000, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := wd.payShop(wd.ann.Id, wd.key(), 1, 3_000, nil, pin); problemKey(err) != "wallet.merchant_cap" {
		t.Fatalf("after a refund: %v (refunds give no room)", err)
	}
	if _, err := wd.payShop(wd.bo.Id, wd.key(), 1, 3_000, nil, wd.pinFor(wd.bo.Id)); problemKey(err) != "wallet.insufficient" {
		t.Fatalf("the cap is per member: %v", err)
	}
	wd.advance(12 * time.Hour) // 2026-11-22 00:00 UTC
	if got, _ := wd.w.PaidMerchantToday(wd.ann.Id, shop.Owner); got != 0 {
		t.Fatalf("paid on a new day: %d", got)
	}
	if _, err := wd.payShop(wd.ann.Id, wd.key(), 3_000, 3_000, nil, pin); err != nil {
		t.Fatalf("a new day: %v", err)
	}
	wd.verify(t)
}

// TestMerchantThenErrorRollsBack: an error from then (the caller's order
// update) undoes the payment or refund, records no key, and is returned.
func TestMerchantThenErrorRollsBack(t *testing.T) {
	wd := newWorld(t)
	wd.mint(t, wd.ann, 10_000)
	pin := wd.pinFor(wd.ann.Id)
	gone := errors.New("order gone")
	fail := func(core.App, string) error { return gone }
	key := wd.key()
	before := wd.merchantState(t)
	if _, err := wd.payShop(wd.ann.Id, key, 500, 0, fail, pin); !errors.Is(err, gone) {
		t.Fatalf("then failing: %v", err)
	}
	if now := wd.merchantState(t); now != before {
		t.Fatalf("a rolled-back payment moved money: %+v, was %+v", now, before)
	}
	var accounts int
	if err := wd.app.DB().NewQuery(`SELECT COUNT(*) FROM wallet_accounts WHERE kind = 'merchant'`).Row(&accounts); err != nil || accounts != 0 {
		t.Fatalf("merchant accounts %d %v", accounts, err)
	}
	wd.verify(t)
	r, err := wd.payShop(wd.ann.Id, key, 500, 0, nil, pin) // nothing was recorded under the key
	if err != nil {
		t.Fatal(err)
	}
	before = wd.merchantState(t)
	if _, err := wd.w.RefundMerchant(shop, wd.ann.Id, r.Entry, 500, fail); !errors.Is(err, gone) {
		t.Fatalf("refund's then failing: %v", err)
	}
	if now := wd.merchantState(t); now != before {
		t.Fatalf("a rolled-back refund moved money: %+v, was %+v", now, before)
	}
	wd.verify(t)
}

// TestMerchantRefund: partial refunds up to the payment, never more; only
// the payer's payment to this merchant; a receipt for each; a merchant
// balance too low is wallet.insufficient.
func TestMerchantRefund(t *testing.T) {
	wd := newWorld(t)
	wd.mint(t, wd.ann, 10_000)
	r, err := wd.payShop(wd.ann.Id, wd.key(), 1_000, 0, nil, wd.pinFor(wd.ann.Id))
	if err != nil {
		t.Fatal(err)
	}
	var seen string
	first, err := wd.w.RefundMerchant(shop, wd.ann.Id, r.Entry, 400, func(_ core.App, e string) error { seen = e; return nil })
	if err != nil || seen != first {
		t.Fatalf("refund: %q %v (then saw %q)", first, err, seen)
	}
	if a, s := wd.balance(t, wd.ann), wd.merchantState(t).shop; a != 9_400 || s != 600 {
		t.Fatalf("ann %d, shop %d", a, s)
	}
	if typ, sub := receiptCard(t, wd.app, wd.ann.Id, first); typ != wallet.CardRefund || sub != shop.Name {
		t.Fatalf("refund receipt %q %q", typ, sub)
	}
	wd.verify(t)
	before := wd.merchantState(t)
	refuse := []struct {
		name   string
		m      wallet.Merchant
		member string
		amount int64
		want   string
	}{
		{"more than is left", shop, wd.ann.Id, 601, "wallet.refund_too_much"},
		{"another member's payment", shop, wd.bo.Id, 100, "wallet.not_found"},
		{"another merchant", wallet.Merchant{Owner: "mpapp0000000002", Ref: "mp:other", Name: "Other"}, wd.ann.Id, 100, "wallet.not_found"},
		{"nothing", shop, wd.ann.Id, 0, "wallet.amount_bad"},
	}
	for _, c := range refuse {
		_, err := wd.w.RefundMerchant(c.m, c.member, r.Entry, c.amount, nil)
		if p, ok := problem.As(err); !ok || (p.Key != c.want && (len(p.Fields) == 0 || p.Fields[0].Key != c.want)) {
			t.Errorf("%s: %v, want %s", c.name, err, c.want)
		}
	}
	if _, err := wd.w.RefundMerchant(shop, wd.ann.Id, first, 100, nil); problemKey(err) != "wallet.not_found" {
		t.Errorf("refunding a refund: %v", err)
	}
	if now := wd.merchantState(t); now != before {
		t.Fatalf("refused refunds moved money: %+v, was %+v", now, before)
	}
	if _, err := wd.w.RefundMerchant(shop, wd.ann.Id, r.Entry, 600, nil); err != nil {
		t.Fatalf("the rest: %v", err)
	}
	if _, err := wd.w.RefundMerchant(shop, wd.ann.Id, r.Entry, 1, nil); problemKey(err) != "wallet.refund_too_much" {
		t.Fatalf("a cent after the whole: %v", err)
	}
	if a, s := wd.balance(t, wd.ann), wd.merchantState(t).shop; a != 10_000 || s != 0 {
		t.Fatalf("ann %d, shop %d", a, s)
	}
	b, err := wallet.BillFor(wd.app, wd.ann.Id, first)
	if err != nil || b.Kind != wallet.EntryMerchantRefund || b.Merchant != shop.Name || b.Memo != "Latte ×2" || b.Amount != 400 {
		t.Fatalf("refund bill %+v %v", b, err)
	}
	wd.verify(t)

	// The shop paid its balance out: a refund it cannot cover is refused.
	r2, err := wd.payShop(wd.ann.Id, wd.key(), 1_000, 0, nil, wd.pinFor(wd.ann.Id))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := wd.w.PayoutMerchant(shop, wd.bo.Id, 800); err != nil {
		t.Fatal(err)
	}
	before = wd.merchantState(t)
	if _, err := wd.w.RefundMerchant(shop, wd.ann.Id, r2.Entry, 500, nil); problemKey(err) != "wallet.insufficient" {
		t.Fatalf("refund over the shop's balance: %v", err)
	}
	if now := wd.merchantState(t); now != before {
		t.Fatalf("a refused refund moved money: %+v, was %+v", now, before)
	}
	if _, err := wd.w.RefundMerchant(shop, wd.ann.Id, r2.Entry, 200, nil); err != nil {
		t.Fatalf("a refund the shop can cover: %v", err)
	}
	wd.verify(t)
}

// TestMerchantPayout: the shop's balance goes to the developer's wallet,
// at most all of it, with a receipt; bills name the shop.
func TestMerchantPayout(t *testing.T) {
	wd := newWorld(t)
	if b, err := wallet.MerchantBalance(wd.app, shop.Owner); err != nil || b != 0 {
		t.Fatalf("balance before first use: %d %v", b, err)
	}
	if _, err := wd.w.PayoutMerchant(shop, wd.bo.Id, 1); problemKey(err) != "wallet.insufficient" {
		t.Fatalf("payout before first use: %v", err)
	}
	wd.mint(t, wd.ann, 10_000)
	if _, err := wd.payShop(wd.ann.Id, wd.key(), 2_500, 0, nil, wd.pinFor(wd.ann.Id)); err != nil {
		t.Fatal(err)
	}
	before := wd.merchantState(t)
	if _, err := wd.w.PayoutMerchant(shop, wd.bo.Id, 2_501); problemKey(err) != "wallet.insufficient" {
		t.Fatalf("more than the balance: %v", err)
	}
	if _, err := wd.w.PayoutMerchant(shop, wd.bo.Id, 0); err == nil {
		t.Fatal("a payout of nothing was accepted")
	}
	if _, err := wd.w.PayoutMerchant(shop, "nosuchmember000", 100); problemKey(err) != "wallet.not_found" {
		t.Fatalf("to nobody: %v", err)
	}
	if now := wd.merchantState(t); now != before {
		t.Fatalf("refused payouts moved money: %+v, was %+v", now, before)
	}
	entry, err := wd.w.PayoutMerchant(shop, wd.bo.Id, 2_500)
	if err != nil {
		t.Fatal(err)
	}
	if b, s := wd.balance(t, wd.bo), wd.merchantState(t).shop; b != 2_500 || s != 0 {
		t.Fatalf("bo %d, shop %d", b, s)
	}
	if typ, sub := receiptCard(t, wd.app, wd.bo.Id, entry); typ != wallet.CardReceived || sub != shop.Name {
		t.Fatalf("payout receipt %q %q", typ, sub)
	}
	b, err := wallet.BillFor(wd.app, wd.bo.Id, entry)
	if err != nil || b.Kind != wallet.EntryMerchantPayout || b.Merchant != shop.Name || b.With(wd.bo.Id) != "" || b.Amount != 2_500 {
		t.Fatalf("payout bill %+v %v", b, err)
	}
	wd.verify(t)
}

// TestVerifyCatchesMerchantOverRefund: a refund entry written past the
// wallet's operations that takes back more than its payment is reported.
func TestVerifyCatchesMerchantOverRefund(t *testing.T) {
	wd := newWorld(t)
	wd.mint(t, wd.ann, 10_000)
	r, err := wd.payShop(wd.ann.Id, wd.key(), 1_000, 0, nil, wd.pinFor(wd.ann.Id))
	if err != nil {
		t.Fatal(err)
	}
	wd.verify(t)
	var accs struct {
		Shop string `db:"shop"`
		Ann  string `db:"ann"`
	}
	if err := wd.app.DB().NewQuery(`SELECT (SELECT id FROM wallet_accounts WHERE kind = 'merchant') AS shop,
		(SELECT id FROM wallet_accounts WHERE kind = 'member' AND owner = {:m}) AS ann`).Bind(dbx.Params{"m": wd.ann.Id}).One(&accs); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`INSERT INTO wallet_entries (id, kind, ref, payer, payee, memo, reverses, created) VALUES ('forgedrefund001', 'mp_refund', 'mp_order:ord000000000001', {:o}, {:m}, '', {:pay}, '2026-11-21 12:00:00.000Z')`,
		`INSERT INTO wallet_postings (id, entry, account, amount, balance, created) VALUES ('forgedposting01', 'forgedrefund001', {:shop}, -1001, 0, '2026-11-21 12:00:00.000Z'), ('forgedposting02', 'forgedrefund001', {:ann}, 1001, 0, '2026-11-21 12:00:00.000Z')`,
	} {
		if _, err := wd.app.DB().NewQuery(q).Bind(dbx.Params{"o": shop.Owner, "m": wd.ann.Id, "pay": r.Entry, "shop": accs.Shop, "ann": accs.Ann}).Execute(); err != nil {
			t.Fatal(err)
		}
	}
	rep, err := wallet.Verify(wd.app)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Merchants != 1 {
		t.Errorf("merchant accounts counted: %d", rep.Merchants)
	}
	found := false
	for _, v := range rep.Violations {
		found = found || v == "refunds of a mini program payment never exceed it: payment "+r.Entry+" refunded 1001 of 1000"
	}
	if !found {
		t.Fatalf("over-refund not reported:\n%s", rep)
	}
}
